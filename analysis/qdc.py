"""The REFI-QDA codebook exchange format (.qdc), read by NVivo, ATLAS.ti, MAXQDA and QualCoder.

Categories are written as top-level codes that hold our codes; on import, top-level codes become
categories and every code below them (at any depth) becomes a code in that category.
"""

from __future__ import annotations

import io
import uuid
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring, iterparse
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analysis.codebook import TOO_MANY_CODES
from analysis.models import Category, Code
from programs.models import Program

NAMESPACE = "urn:QDA-XML:codebook:1.0"
NOT_A_CODEBOOK = gettext_lazy("This is not a REFI-QDA codebook (.qdc) file.")
GUID_ROOT = uuid.UUID("6f1c2a52-5f0e-4f64-9f1d-3c1d2b7a9e10")


def _guid(program: Program, name: str) -> str:
    # Stable across exports, so re-importing into another tool recognises the same codes.
    return str(uuid.uuid5(GUID_ROOT, f"{program.slug}/{name}"))


def export_qdc(program: Program) -> bytes:
    root = Element("CodeBook", {"xmlns": NAMESPACE, "origin": "Empathy Interviews"})
    codes = SubElement(root, "Codes")
    for category in program.categories.prefetch_related("codes"):
        parent = SubElement(codes, "Code", {"guid": _guid(program, "category/" + category.name), "name": category.name,
                                            "isCodable": "false"})
        if category.description:
            SubElement(parent, "Description").text = category.description
        for code in category.codes.all():
            child = SubElement(parent, "Code", {"guid": _guid(program, code.name), "name": code.name, "isCodable": "true"})
            example = "\n" + _("Example: %(example)s") % {"example": code.example} if code.example else ""
            description = code.definition + example
            if description.strip():
                SubElement(child, "Description").text = description
    SubElement(root, "Sets")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(root, encoding="utf-8")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _description(element) -> str:
    for child in element:
        if _local(child.tag) == "Description":
            return (child.text or "").strip()
    return ""


MAX_DEPTH = 20  # categories hold codes; NVivo and MAXQDA nest a few levels, never hundreds
TOO_DEEP = gettext_lazy("The codebook nests codes more than {depth} levels deep. Check that it is the right file.")


def _check_bounds(content: bytes) -> None:
    """Count codes and nesting while streaming the file, and stop at the first cap passed: the whole
    tree is built only for a file within them (200,000 nested codes in 3.4 MB would take 120 MB)."""
    depth = codes = 0
    try:
        for event, element in iterparse(io.BytesIO(content), events=("start", "end")):
            if event == "end":
                depth -= 1
                element.clear()
                continue
            depth += 1
            if depth - 2 > MAX_DEPTH:  # CodeBook > Codes > the codes
                raise ValueError(TOO_DEEP.format(depth=MAX_DEPTH))
            if _local(element.tag) == "Code":
                codes += 1
                if codes > settings.CODEBOOK_MAX_CODES:
                    more = _("more than %(limit)s") % {"limit": settings.CODEBOOK_MAX_CODES}
                    raise ValueError(TOO_MANY_CODES.format(count=more, limit=settings.CODEBOOK_MAX_CODES))
    except (ParseError, DefusedXmlException) as exc:
        raise ValueError(NOT_A_CODEBOOK) from exc


@transaction.atomic
def import_qdc(program: Program, content: bytes) -> int:
    """Add the codebook's categories and codes; existing codes are left as they are. Returns codes added."""
    _check_bounds(content)
    try:
        root = fromstring(content)
    except (ParseError, DefusedXmlException) as exc:
        raise ValueError(NOT_A_CODEBOOK) from exc
    if _local(root.tag) != "CodeBook":
        raise ValueError(NOT_A_CODEBOOK)
    top = [e for e in root.iter() if _local(e.tag) == "Codes"]
    if not top:
        raise ValueError(NOT_A_CODEBOOK)
    added = 0
    for element in [e for e in top[0] if _local(e.tag) == "Code"]:
        children = [e for e in element.iter() if _local(e.tag) == "Code" and e is not element]
        if not children:  # a code with no category around it
            category, _created = Category.objects.get_or_create(program=program, name=_("Imported"))
            children = [element]
        else:
            category, _created = Category.objects.get_or_create(program=program,
                                                                name=element.get("name", _("Imported")).strip(),
                                                                defaults={"description": _description(element)})
        for child in children:
            name = (child.get("name") or "").strip()
            if name:
                _code, created = Code.objects.get_or_create(program=program, name=name,
                                                            defaults={"category": category, "definition": _description(child)})
                added += created
    return added
