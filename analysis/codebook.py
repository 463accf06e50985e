"""The codebook: categories and codes, created, renamed, moved, retired, merged, and reused."""

from __future__ import annotations

import io

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from analysis.models import SEED_CATEGORIES, Category, Code, CodeApplication
from programs.models import Program
from toolkit.tables import SafeCsvWriter, TableUnreadable, read_csv, unescape_spreadsheet_text

NAME_TAKEN = _("There is already a code called “{name}”.")
SAME_CODE = _("Choose two different codes to merge.")
CODE_NEEDS_NAME = _("Give the code a name.")
CSV_HEADER = ["category", "code", "definition", "example"]
TOO_MANY_CODES = _("The codebook holds {count} codes; a program's codebook can hold {limit}. Check that it is the "
                   "right file, or split it.")


class CodebookRefused(ValueError):
    pass


def seed_categories(program: Program) -> list[Category]:
    """The three categories every program starts with (academic, social-emotional, culture)."""
    return [Category.objects.get_or_create(program=program, name=name, defaults={"description": text, "position": i})[0]
            for i, (name, text) in enumerate(SEED_CATEGORIES)]


def add_category(program: Program, *, name: str, description: str = "") -> Category:
    position = program.categories.count()
    return Category.objects.create(program=program, name=name.strip(), description=description, position=position)


def add_code(program: Program, *, category: Category, name: str, definition: str = "", example: str = "") -> Code:
    name = name.strip()
    if not name:
        raise CodebookRefused(CODE_NEEDS_NAME)
    if Code.objects.filter(program=program, name__iexact=name).exists():
        raise CodebookRefused(NAME_TAKEN.format(name=name))
    return Code.objects.create(program=program, category=category, name=name, definition=definition, example=example)


def rename_code(code: Code, *, name: str) -> Code:
    name = name.strip()
    if not name:
        raise CodebookRefused(CODE_NEEDS_NAME)
    if Code.objects.filter(program=code.program, name__iexact=name).exclude(pk=code.pk).exists():
        raise CodebookRefused(NAME_TAKEN.format(name=name))
    code.name = name
    code.save(update_fields=["name"])
    return code


def move_code(code: Code, *, category: Category) -> Code:
    code.category = category
    code.save(update_fields=["category"])
    return code


def retire_code(code: Code, *, retired: bool = True) -> Code:
    code.retired = retired
    code.save(update_fields=["retired"])
    return code


@transaction.atomic
def merge_codes(*, source: Code, target: Code) -> Code:
    """Move every application and theme link of `source` onto `target`, then remove `source`.

    Nothing is lost: an application that `target` already has on the same span is kept once.
    """
    if source.pk == target.pk:
        raise CodebookRefused(SAME_CODE)
    existing = set(target.applications.values_list("note_id", "start", "end"))
    for application in source.applications.all():
        if (application.note_id, application.start, application.end) in existing:
            application.delete()
        else:
            application.code = target
            application.save(update_fields=["code"])
    for theme in source.themes.all():
        theme.codes.add(target)
    if not target.definition and source.definition:
        target.definition = source.definition
        target.save(update_fields=["definition"])
    source.delete()
    return target


@transaction.atomic
def copy_codebook(*, source: Program, target: Program) -> int:
    """Reuse another program's categories and codes (not its codings), so cycles can be compared."""
    copied = 0
    for category in source.categories.all():
        twin, _created = Category.objects.get_or_create(program=target, name=category.name,
                                                        defaults={"description": category.description, "position": category.position})
        for code in category.codes.filter(retired=False):
            _code, created = Code.objects.get_or_create(program=target, name=code.name, defaults={
                "category": twin, "definition": code.definition, "example": code.example})
            copied += created
    return copied


def export_csv(program: Program) -> str:
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)
    writer.writerow(CSV_HEADER)
    for code in Code.objects.filter(program=program).select_related("category"):
        writer.writerow([code.category.name, code.name, code.definition, code.example])
    return buffer.getvalue()


@transaction.atomic
def import_csv(program: Program, text: str) -> int:
    """Add the categories and codes in a codebook CSV; codes already present are left as they are.

    Read through the capped table reader (columns, rows, cell size) and refused past
    CODEBOOK_MAX_CODES before anything is written."""
    try:
        table = read_csv(text.encode("utf-8"), sniff=False, require_rows=False)
    except TableUnreadable as exc:
        raise CodebookRefused(str(exc)) from exc
    if len(table.rows) > settings.CODEBOOK_MAX_CODES:
        raise CodebookRefused(TOO_MANY_CODES.format(count=len(table.rows), limit=settings.CODEBOOK_MAX_CODES))
    headers = [h.strip().lower() for h in table.headers]
    rows = [{key: unescape_spreadsheet_text(value) for key, value in zip(headers, row, strict=False)} for row in table.rows]
    problems = [str(_("Row %(row)s: the code name is empty.")) % {"row": n}
                for n, row in enumerate(rows, start=2) if not (row.get("code") or "").strip()]
    if problems:
        raise CodebookRefused(" ".join(problems))
    added = 0
    for row in rows:
        category, _created = Category.objects.get_or_create(program=program, name=(row.get("category") or str(_("Other"))).strip())
        _code, created = Code.objects.get_or_create(program=program, name=row["code"].strip(), defaults={
            "category": category, "definition": row.get("definition", ""), "example": row.get("example", "")})
        added += created
    return added


def usage_counts(program: Program) -> dict[int, int]:
    from django.db.models import Count

    return dict(CodeApplication.objects.filter(code__program=program).values_list("code").annotate(n=Count("pk")))
