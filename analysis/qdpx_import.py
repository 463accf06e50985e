"""A REFI-QDA project (.qdpx) made by NVivo, MAXQDA, ATLAS.ti, QualCoder or this app, read into a NEW program.

What maps, and how:

- each TextSource becomes a completed session (a one-question protocol "Imported from <tool>", the importing
  person as facilitator, the source's date or the project's, else today) of imported notes
  (interviews.NoteImport, format "text"): the text is cut at its speaker lines ("Name: ...") when it has
  them, else at its blank lines, one note a piece, each note remembering its place (`source_position`);
- a speaker whose name is a Case the tool linked to the source (SourceRef, or SelectionRef into it) speaks as
  that case's student; GROUP_SPEAKER, and every other speaker, is the whole group, and an unknown speaker's name
  stays at the start of the words so nothing of who spoke is lost; a source linked to one case and without
  speaker lines is that case's words;
- Cases become pseudonymous students of the school the lead chooses (or the one the case's "School" names):
  a new local id "qdpx-…" and a fresh pseudonym; the case's name is kept as the student's first name, where
  names are kept (leads only, never in an export), because another tool's case is often named after the
  person. The variables this app's export writes (qdpx_export.STUDENT_VARIABLES) fill the roster's fields;
  any other variable is kept as a district criterion (`extra_attributes`). A case needs a grade (its "Grade",
  else the grade the lead gives for cases without one): one without stays out, its words are group notes;
- top-level codes holding codes become categories, every code below them (at any depth) a code of that
  category; a top-level code alone goes to the category "Imported"; a category someone coded with is a code too;
- each PlainTextSelection's codings become codings of the notes it covers, at the notes' own offsets (one
  crossing notes is cut at their edges; a coding of a whole source codes each of its notes whole);
- Sets holding codes become themes, their memos "Insight: …" and "Root causes: …" (or the set's description)
  the theme's insight and root causes.

Everything else is listed for the person (`ProjectImport.not_imported`), never dropped silently: pictures,
PDFs, audio and video, graphs, links, users, memos, variables of sources, selections outside the text or
without a code, cases without words, values the roster cannot hold.

The file is read without trusting it: the zip through toolkit.archives.CheckedZipFile (size, compression
ratio, number of parts, names that climb out), the XML through defusedxml (no entities, no external
references) after a streaming count of its elements, with caps on sources, selections, codes, text and time
(MAX_SECONDS, below the Celery task's time limit: analysis/qdpx_jobs.py runs this in a task). The program and
everything in it are written in one transaction, or nothing is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring, iterparse
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from analysis.codebook import TOO_MANY_CODES
from analysis.models import Category, Code, CodeApplication, Theme
from analysis.qdpx_export import (
    ENGLISH_LEARNER,
    EXAMPLE_SEPARATOR,
    GENDER,
    GPA,
    GRADE,
    GROUP_SPEAKER,
    GROUPS,
    HOME_LANGUAGE,
    INSIGHT_MEMO,
    INTERNAL,
    LIST_SEPARATOR,
    ORIGIN,
    PROJECT_PART,
    RACE,
    ROOT_CAUSES_MEMO,
    SCHOOL,
    SOURCES_FOLDER,
    SPECIAL_EDUCATION,
    YEARS,
)
from interviews.models import (
    Note,
    NoteImport,
    NoteKind,
    NoteStep,
    Protocol,
    Question,
    Session,
    SessionFormat,
    SessionStatus,
)
from participants.attributes import gender_categories
from participants.models import GPA_MAX, GPA_MIN, HIGHEST_GRADE, LOWEST_GRADE, Gender, School, Student, StudentGroup
from programs.models import Program, ProgramStatus, Role
from programs.slugs import free_slug_from
from programs.team import add_member
from toolkit.archives import ArchiveRefused, CheckedZipFile, NotAZip
from toolkit.languages import parse_home_language
from toolkit.limits import UploadLimits, UploadRefused

MAX_SOURCES = 1000
# project.qde, and for each source its plain text and a rich-text copy (a Word file) or its picture, PDF, recording
MAX_ARCHIVE_ENTRIES = 2 * MAX_SOURCES + 1
MAX_SELECTIONS = 100_000
MAX_ELEMENTS = 1_000_000
MAX_DEPTH = 40  # Project > CodeBook > Codes > twenty levels of codes, and room for a tool's extras
MAX_TEXT_CHARACTERS = 20_000_000  # all the sources' texts together
MAX_NOTES = 100_000
MAX_SECONDS = 120
IMPORTED_CATEGORY = gettext_lazy("Imported")
LOCAL_ID_PREFIX = "qdpx-"
SPEAKER_WORDS = 3
NAME_LENGTH = 120  # of codes, categories (the models' max_length); themes take 160

NOT_A_PROJECT = gettext_lazy("This is not a REFI-QDA project (.qdpx): it holds no project.qde. Export the project "
                             "again from NVivo, MAXQDA, ATLAS.ti or QualCoder (File → Export → REFI-QDA project).")
NOT_A_ZIP_PROJECT = gettext_lazy("This is not a REFI-QDA project (.qdpx): a project is a .zip archive, and this file "
                                 "is not one.")
BAD_XML = gettext_lazy("The project.qde inside the file is not a REFI-QDA project: it is not well-formed XML, or it "
                       "declares entities or outside references, which a project never needs. Export it again.")
NOT_PROJECT_XML = gettext_lazy("The project.qde inside the file is XML, but not a REFI-QDA project.")
TOO_DEEP = gettext_lazy("The project nests its parts more than {depth} levels deep. Check that it is the right file.")
TOO_MANY = gettext_lazy("The project holds more than {limit:,} {what}, more than one program can take. Split it "
                        "into smaller projects in the tool that made it.")
TOO_MUCH_TEXT = gettext_lazy("The project's texts hold more than {limit:,} characters together, more than one "
                             "program can take. Split it into smaller projects in the tool that made it.")
TOO_SLOW = gettext_lazy("Reading the project took longer than {seconds} seconds, so it was stopped and nothing was "
                        "imported. Split it into smaller projects in the tool that made it.")
NOTHING_TO_IMPORT = gettext_lazy("The project holds no text to import: no text source with words in it.")
WHAT_ELEMENTS = gettext_lazy("parts (XML elements)")
WHAT_SOURCES = gettext_lazy("sources")
WHAT_SELECTIONS = gettext_lazy("coded selections")
WHAT_NOTES = gettext_lazy("notes")
WHOLE_CATEGORY = gettext_lazy("%(category)s (whole category)")  # a category someone coded with, as a code

_SPEAKER = re.compile(r"(?P<label>[^\W_][\w.'’()-]*(?: [\w.'’()-]+){0,3}): ")


class ProjectRefused(UploadRefused):
    """A project file we will not read; the message says why and what to do."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, name: str) -> list:
    return [child for child in element if _local(child.tag) == name]


def _child(element, name: str):
    found = _children(element, name)
    return found[0] if found else None


def _items(parent, wrapper: str, item: str) -> list:
    """The `item` children of `parent`'s `wrapper` child (Cases > Case), none when there is no wrapper."""
    found = _child(parent, wrapper)
    return _children(found, item) if found is not None else []


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment, dt.UTC)
    return moment


def _text_of(element, name: str) -> str:
    child = _child(element, name) if element is not None else None
    return (child.text or "").strip() if child is not None else ""


@dataclass
class Block:
    """One note-to-be: the span of its words in the source text, and who spoke them."""

    start: int
    end: int
    speaker: str  # the label as written, "" for none
    known: bool = False  # the speaker is a case or the group: the label is not part of the words
    case: str | None = None  # the case's guid


@dataclass
class ProjectImport:
    program: Program
    sessions: int = 0
    notes: int = 0
    students: int = 0
    codes: int = 0
    codings: int = 0
    themes: int = 0
    not_imported: list[str] = field(default_factory=list)


class _Clock:
    def __init__(self) -> None:
        self.deadline = time.monotonic() + MAX_SECONDS

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise ProjectRefused(TOO_SLOW.format(seconds=MAX_SECONDS))


def _too_many(limit: int, what) -> ProjectRefused:
    return ProjectRefused(TOO_MANY.format(limit=limit, what=what))


def _check_bounds(content: bytes, clock: _Clock) -> None:
    """Count the elements while streaming, so a giant or deeply nested file stops before a tree is built."""
    depth = elements = codes = sources = selections = 0
    try:
        for event, element in iterparse(io.BytesIO(content), events=("start", "end")):
            if event == "end":
                depth -= 1
                element.clear()
                continue
            depth += 1
            elements += 1
            if elements % 10_000 == 0:
                clock.check()
            if depth > MAX_DEPTH:
                raise ProjectRefused(TOO_DEEP.format(depth=MAX_DEPTH))
            if elements > MAX_ELEMENTS:
                raise _too_many(MAX_ELEMENTS, WHAT_ELEMENTS)
            name = _local(element.tag)
            if name == "Code":
                codes += 1
                if codes > settings.CODEBOOK_MAX_CODES:
                    more = _("more than %(limit)s") % {"limit": settings.CODEBOOK_MAX_CODES}
                    raise ProjectRefused(TOO_MANY_CODES.format(count=more, limit=settings.CODEBOOK_MAX_CODES))
            elif name.endswith("Source"):
                sources += 1
                if sources > MAX_SOURCES:
                    raise _too_many(MAX_SOURCES, WHAT_SOURCES)
            elif name == "PlainTextSelection":
                selections += 1
                if selections > MAX_SELECTIONS:
                    raise _too_many(MAX_SELECTIONS, WHAT_SELECTIONS)
    except (ParseError, DefusedXmlException) as exc:
        raise ProjectRefused(BAD_XML) from exc


def archive_limits() -> UploadLimits:
    """The uploads' caps, but room for a file per source: a project is not a roster of ten tables."""
    limits = UploadLimits.from_settings()
    return replace(limits, max_archive_entries=max(limits.max_archive_entries, MAX_ARCHIVE_ENTRIES))


def _open_archive(content: bytes) -> tuple[CheckedZipFile, str]:
    try:
        archive = CheckedZipFile(content, limits=archive_limits())
    except NotAZip as exc:
        raise ProjectRefused(NOT_A_ZIP_PROJECT) from exc
    except ArchiveRefused as refusal:
        raise ProjectRefused(str(refusal)) from refusal
    names = {info.filename.replace("\\", "/").lower(): info.filename for info in archive.infolist()}
    if PROJECT_PART not in names:
        raise ProjectRefused(NOT_A_PROJECT)
    return archive, names[PROJECT_PART]


def _read(archive: CheckedZipFile, name: str) -> bytes:
    try:
        with archive.open(name) as part:
            return part.read()
    except ArchiveRefused as refusal:
        raise ProjectRefused(str(refusal)) from refusal


def split_blocks(text: str, *, speakers: dict[str, str], strict: bool = False) -> list[Block]:
    """The notes a source's text makes, by speaker lines ("Name: words") when it has them, else by paragraph.

    `speakers` maps a casefolded speaker name to the guid of its case. A label counts as a speaker line when it
    names a case or the group, or starts two lines or more (an "Interviewer" the tool did not make a case of), or,
    in a text with such lines, is a capitalised name of up to SPEAKER_WORDS words (a "Theo" who speaks once);
    words before the first speaker line, and text without any, are cut at blank lines.

    `strict`, for a project this app wrote (one note a paragraph, each labelled): only a case's name or the
    group's, after a blank line, starts a note, so a student's words that hold "Word: " keep their place."""
    lines: list[tuple[int, str]] = []
    at = 0
    for line in text.splitlines(keepends=True):
        lines.append((at, line))
        at += len(line)
    labels = Counter(match.group("label").strip().casefold() for _at, line in lines
                     if (match := _SPEAKER.match(line)))
    group = GROUP_SPEAKER.casefold()

    def speaker_of(line: str, *, labelled: bool, after_blank: bool) -> tuple[str, int] | None:
        match = _SPEAKER.match(line)
        if not match:
            return None
        label = match.group("label").strip()
        key = label.casefold()
        if strict:
            return (label, match.end()) if after_blank and (key in speakers or key == group) else None
        if key in speakers or key == group or labels[key] >= 2:
            return label, match.end()
        if labelled and label[0].isupper() and len(label.split()) <= SPEAKER_WORDS:  # one who speaks once
            return label, match.end()
        return None

    labelled = any(speaker_of(line, labelled=False, after_blank=True) for _at, line in lines)
    blocks: list[Block] = []
    current: Block | None = None
    blank_before = True
    for at, line in lines:
        found = speaker_of(line, labelled=labelled, after_blank=blank_before)
        blank = not line.strip()
        if found:
            label, words_at = found
            key = label.casefold()
            known = key in speakers or key == group
            current = Block(start=at + words_at if known else at, end=at + len(line), speaker=label, known=known,
                            case=speakers.get(key))
            blocks.append(current)
        elif blank:
            pass
        elif current is None or (blank_before and (not labelled or current.speaker == "")):
            current = Block(start=at, end=at + len(line), speaker="")
            blocks.append(current)
        else:
            current.end = at + len(line)
        blank_before = blank
    trimmed = []
    for block in blocks:
        words = text[block.start:block.end]
        block.start += len(words) - len(words.lstrip())
        block.end -= len(words) - len(words.rstrip())
        if block.end > block.start:
            trimmed.append(block)
    return trimmed


@dataclass
class _Case:
    guid: str
    name: str
    variables: dict[str, object]
    sources: set[str]
    selections: set[str]


def _variable_value(element):
    for child in element:
        name = _local(child.tag)
        if not name.endswith("Value") or name == "VariableRef":
            continue
        raw = (child.text or "").strip()
        if name == "BooleanValue":
            return raw.lower() in {"true", "1"}
        if name == "IntegerValue":
            try:
                return int(raw)
            except ValueError:
                return raw
        if name == "FloatValue":
            try:
                return float(Decimal(raw))
            except (InvalidOperation, ValueError):
                return raw
        return raw
    return None


def _parse_moment(text: str | None) -> dt.datetime | None:
    try:
        return parse_datetime((text or "").strip())
    except ValueError:
        return None


def _grade(value) -> int | None:
    text = str(value).strip().lower().removeprefix("grade").strip() if value is not None else ""
    if text in {"k", "kindergarten"}:
        return 0
    match = re.fullmatch(r"(\d{1,2})(st|nd|rd|th)?", text)
    if match and LOWEST_GRADE <= int(match.group(1)) <= HIGHEST_GRADE:
        return int(match.group(1))
    return None


def _yes(value) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"yes", "y", "true", "1", "sí", "si"}:
        return True
    if text in {"no", "n", "false", "0"}:
        return False
    return None


class _Reader:
    """The parsed project: plain data, nothing written yet."""

    def __init__(self, root, archive: CheckedZipFile, clock: _Clock):
        self.root, self.archive, self.clock = root, archive, clock
        self.not_imported: list[str] = []
        self.origin = root.get("origin") or _("another tool")
        self.created = _aware(_parse_moment(root.get("creationDateTime")))
        self.parts = {info.filename.replace("\\", "/").lower(): info.filename for info in archive.infolist()}

    def note(self, message: str) -> None:
        self.not_imported.append(message)

    def plain_text(self, source) -> str | None:
        inline = _child(source, "PlainTextContent")
        if inline is not None and (inline.text or ""):
            return inline.text
        path = source.get("plainTextPath") or ""
        name = source.get("name") or source.get("guid") or "?"
        if not path.startswith(INTERNAL):
            if path or source.get("richTextPath"):
                self.note(_("Text source “%(name)s”: its text is a file outside the project (%(path)s), so it "
                            "was not imported.") % {"name": name, "path": (path or source.get("richTextPath"))[:120]})
            else:
                self.note(_("Text source “%(name)s”: it has no plain text, so it was not imported.") % {"name": name})
            return None
        wanted = f"{SOURCES_FOLDER}/{path[len(INTERNAL):]}".lower()
        part = self.parts.get(wanted)
        if part is None:
            self.note(_("Text source “%(name)s”: its text file is missing from the project, so it was not "
                        "imported.") % {"name": name})
            return None
        try:
            return _read(self.archive, part).decode("utf-8-sig")
        except UnicodeDecodeError:
            self.note(_("Text source “%(name)s”: its text is not UTF-8, so it was not imported.") % {"name": name})
            return None


def _code_tree(reader: _Reader, codes_element) -> tuple[dict[str, tuple[str, str]], list[tuple[str, str, str]]]:
    """({code guid: (category name, code name)}, [(category name, its description, guid of the category's
    element or "")]); the names are deduplicated and cut to the models' lengths."""
    categories: list[tuple[str, str, str]] = []
    codes: dict[str, tuple[str, str, str]] = {}
    category_names: set[str] = set()
    code_names: set[str] = set()

    def unique(name: str, taken: set[str]) -> str:
        name = (name.strip() or _("Unnamed"))[:NAME_LENGTH]
        candidate, n = name, 1
        while candidate.casefold() in taken:
            n += 1
            suffix = f" ({n})"
            candidate = name[:NAME_LENGTH - len(suffix)] + suffix
        if candidate != name:
            reader.note(_("Code “%(name)s” appears more than once; the copy is called “%(new)s”.")
                        % {"name": name, "new": candidate})
        taken.add(candidate.casefold())
        return candidate

    def descendants(element):
        for child in _children(element, "Code"):
            yield child
            yield from descendants(child)

    notes_on_codes = 0
    imported = None
    for top in _children(codes_element, "Code") if codes_element is not None else []:
        notes_on_codes += len(_children(top, "NoteRef"))
        below = list(descendants(top))
        if below:
            category = unique(top.get("name") or "", category_names)
            categories.append((category, _text_of(top, "Description"), top.get("guid") or ""))
        else:
            if imported is None:
                imported = unique(str(IMPORTED_CATEGORY), category_names)
                categories.append((imported, "", ""))
            category, below = imported, [top]
        for element in below:
            notes_on_codes += len(_children(element, "NoteRef")) if element is not top else 0
            if element.get("guid"):
                codes[element.get("guid")] = (category, unique(element.get("name") or "", code_names),
                                              _text_of(element, "Description"))
    if notes_on_codes:
        reader.note(ngettext("%(count)s memo attached to a code was not imported.",
                             "%(count)s memos attached to codes were not imported.", notes_on_codes)
                    % {"count": notes_on_codes})
    return codes, categories


def _unsupported(reader: _Reader, root) -> None:
    """List what the app has no place for: other kinds of sources, graphs, links, users."""
    kinds = {"PictureSource": _("picture"), "PDFSource": _("PDF"), "AudioSource": _("audio recording"),
             "VideoSource": _("video")}
    sources = _child(root, "Sources")
    for element in sources if sources is not None else []:
        kind = kinds.get(_local(element.tag))
        if kind:
            reader.note(_("Source “%(name)s” is a %(kind)s; only text sources are imported.")
                        % {"name": element.get("name") or element.get("guid") or "?", "kind": kind})
    for wrapper, item, message in (
        ("Graphs", "Graph", _plural("%(count)s graph (a drawn map of codes) was not imported.",
                                               "%(count)s graphs (drawn maps of codes) were not imported.")),
        ("Links", "Link", _plural("%(count)s link between parts of the project was not imported.",
                                             "%(count)s links between parts of the project were not imported.")),
        ("Users", "User", _plural("%(count)s user of the other tool was not imported: every coding is "
                                             "made under your name.",
                                             "%(count)s users of the other tool were not imported: every coding is "
                                             "made under your name.")),
    ):
        element = _child(root, wrapper)
        count = len(_children(element, item)) if element is not None else 0
        if count:
            reader.note(message(count) % {"count": count})
    if _text_of(root, "Description"):
        reader.note(_("The project's description was not imported."))
    refs = len(_children(root, "NoteRef"))
    if refs:
        reader.note(ngettext("%(count)s memo about the whole project was not imported.",
                             "%(count)s memos about the whole project were not imported.", refs) % {"count": refs})


def _plural(singular: str, plural: str):
    return lambda count: ngettext(singular, plural, count)


def _cases(reader: _Reader, root) -> dict[str, _Case]:
    variables = {element.get("guid"): element.get("name") or "" for element in _items(root, "Variables", "Variable")}
    cases: dict[str, _Case] = {}
    for element in _items(root, "Cases", "Case"):
        values = {}
        for value in _children(element, "VariableValue"):
            ref = _child(value, "VariableRef")
            name = variables.get(ref.get("targetGUID") if ref is not None else None)
            if name:
                values[name] = _variable_value(value)
        guid = element.get("guid") or str(uuid.uuid4())
        cases[guid] = _Case(guid=guid, name=(element.get("name") or "").strip(), variables=values,
                            sources={ref.get("targetGUID") for ref in _children(element, "SourceRef")},
                            selections={ref.get("targetGUID") for ref in _children(element, "SelectionRef")})
        if _children(element, "CodeRef"):
            reader.note(_("Case “%(name)s”: the codes given to the case as a whole were not imported.")
                        % {"name": cases[guid].name})
    return cases


@dataclass
class _Source:
    guid: str
    name: str
    text: str
    blocks: list[Block]
    selections: list[tuple[str, int, int, list[str]]]  # guid, start, end, code guids
    whole_codes: list[str]
    created: dt.datetime | None


def _sources(reader: _Reader, root, cases: dict[str, _Case]) -> list[_Source]:
    sources: list[_Source] = []
    total = 0
    element = _child(root, "Sources")
    for source in _children(element, "TextSource") if element is not None else []:
        reader.clock.check()
        text = reader.plain_text(source)
        if text is None:
            continue
        total += len(text)
        if total > MAX_TEXT_CHARACTERS:
            raise ProjectRefused(TOO_MUCH_TEXT.format(limit=MAX_TEXT_CHARACTERS))
        guid = source.get("guid") or str(uuid.uuid4())
        name = (source.get("name") or guid).strip()
        selections = []
        selection_guids = set()
        for selection in _children(source, "PlainTextSelection"):
            selection_guids.add(selection.get("guid"))
            try:
                start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            except (TypeError, ValueError):
                start = end = -1
            codes = [ref.get("targetGUID") for coding in _children(selection, "Coding")
                     for ref in _children(coding, "CodeRef")]
            if not (0 <= start < end <= len(text)):
                reader.note(_("Text source “%(name)s”: a selection at %(start)s–%(end)s lies outside its text "
                              "(%(length)s characters), so it was not imported.")
                            % {"name": name, "start": selection.get("startPosition"),
                               "end": selection.get("endPosition"), "length": len(text)})
                continue
            if codes:
                selections.append((selection.get("guid") or "", start, end, codes))
            elif not any(selection.get("guid") in case.selections for case in cases.values()):
                reader.note(_("Text source “%(name)s”: the selection “%(words)s” has no code, so it was not "
                              "imported.") % {"name": name, "words": text[start:end][:60]})
            if _children(selection, "NoteRef"):
                reader.note(_("Text source “%(name)s”: a memo on the selection “%(words)s” was not imported.")
                            % {"name": name, "words": text[start:end][:60]})
        whole = [ref.get("targetGUID") for coding in _children(source, "Coding") for ref in _children(coding, "CodeRef")]
        if _children(source, "NoteRef"):
            reader.note(_("Text source “%(name)s”: its memos were not imported.") % {"name": name})
        if _children(source, "VariableValue"):
            reader.note(_("Text source “%(name)s”: its variables (attributes of the source) were not imported.")
                        % {"name": name})
        linked = {case.guid: case for case in cases.values()
                  if guid in case.sources or case.selections & selection_guids}
        speakers = {case.name.casefold(): case.guid for case in linked.values() if case.name}
        blocks = split_blocks(text, speakers=speakers, strict=reader.origin == ORIGIN)
        if len(linked) == 1 and not any(block.known for block in blocks):
            only = next(iter(linked))
            for block in blocks:
                if not block.speaker:
                    block.case = only
        strangers = Counter(block.speaker for block in blocks if block.speaker and not block.known)
        for speaker, count in sorted(strangers.items()):
            reader.note(ngettext(
                "Text source “%(name)s”: the speaker “%(speaker)s” is not a case of the project, so %(count)s note "
                "is a note of the whole group, with the speaker's name kept at the start of the words.",
                "Text source “%(name)s”: the speaker “%(speaker)s” is not a case of the project, so %(count)s notes "
                "are notes of the whole group, with the speaker's name kept at the start of the words.", count)
                % {"name": name, "speaker": speaker, "count": count})
        sources.append(_Source(guid=guid, name=name, text=text, blocks=blocks, selections=selections, whole_codes=whole,
                               created=_aware(_parse_moment(source.get("creationDateTime")))))
    return sources


def _student_fields(reader: _Reader, case: _Case, *, school: School, default_grade: int | None) -> dict | None:
    """The roster fields of a case's student, or None when the case gives no grade (and the lead gave none)."""
    values = dict(case.variables)
    fields: dict = {"school": school, "extra_attributes": {}}
    named_school = values.pop(SCHOOL, None)
    if named_school not in (None, ""):
        found = (School.objects.filter(name__iexact=str(named_school)).first()
                 or School.objects.filter(code__iexact=str(named_school)).first())
        if found:
            fields["school"] = found
        else:
            reader.note(_("Case “%(case)s”: no school of the district is called “%(value)s”; the student is at "
                          "%(school)s.") % {"case": case.name, "value": named_school, "school": school.name})

    def unreadable(variable: str, value) -> None:
        reader.note(_("Case “%(case)s”: the %(variable)s “%(value)s” cannot be kept on the roster.")
                    % {"case": case.name, "variable": variable, "value": value})

    grade = _grade(values.pop(GRADE, None)) if GRADE in values else None
    if grade is None:
        grade = default_grade
    if grade is None:
        return None
    fields["grade"] = grade
    if GENDER in values:
        value = values.pop(GENDER)
        genders = {str(choice).casefold(): choice for choice in Gender.values}
        genders |= {english.casefold(): choice for choice, english in gender_categories().items()}
        found = genders.get(str(value).strip().casefold())
        if found:
            fields["gender"] = found
        else:
            unreadable(_("gender"), value)
    if RACE in values:
        fields["race_ethnicity"] = [part.strip() for part in str(values.pop(RACE)).split(LIST_SEPARATOR.strip())
                                    if part.strip()]
    for variable, key in ((ENGLISH_LEARNER, "english_learner"), (SPECIAL_EDUCATION, "special_education")):
        if variable in values:
            value = values.pop(variable)
            yes = _yes(value)
            if yes is None:
                unreadable(variable, value)
            else:
                fields[key] = yes
    if HOME_LANGUAGE in values:
        value = values.pop(HOME_LANGUAGE)
        code = parse_home_language(str(value))
        if code is None:
            unreadable(_("home language"), value)
        else:
            fields["home_language"] = code
    if GPA in values:
        value = values.pop(GPA)
        try:
            gpa = Decimal(str(value)).quantize(Decimal("0.01"))
        except InvalidOperation:
            gpa = None
        if gpa is not None and GPA_MIN <= gpa <= GPA_MAX:
            fields["gpa"] = gpa
        else:
            unreadable("GPA", value)
    if YEARS in values:
        value = values.pop(YEARS)
        if isinstance(value, int) and value >= 0 or str(value).isdigit():
            fields["years_in_program"] = int(value)
        else:
            unreadable(_("years in program"), value)
    if GROUPS in values:
        groups = []
        for name in [part.strip() for part in str(values.pop(GROUPS)).split(LIST_SEPARATOR.strip()) if part.strip()]:
            group = (StudentGroup.objects.filter(name=name, school=fields["school"]).first()
                     or StudentGroup.objects.filter(name=name, school__isnull=True).first())
            if group:
                groups.append(group)
            else:
                reader.note(_("Case “%(case)s”: the district has no student group “%(group)s”, so the student is "
                              "not in it.") % {"case": case.name, "group": name})
        fields["groups"] = groups
    for name, value in values.items():
        if value is not None and value != "":
            fields["extra_attributes"][name] = value
    return fields


@transaction.atomic
def import_project(*, content: bytes, file_name: str, name: str, user, school: School,
                   default_grade: int | None = None) -> ProjectImport:
    """A new program named `name`, led by `user`, made of the project in `content` (a .qdpx). All or nothing."""
    clock = _Clock()
    archive, part = _open_archive(content)
    xml = _read(archive, part)
    _check_bounds(xml, clock)
    try:
        root = fromstring(xml)
    except (ParseError, DefusedXmlException) as exc:
        raise ProjectRefused(BAD_XML) from exc
    if _local(root.tag) != "Project":
        raise ProjectRefused(NOT_PROJECT_XML)
    reader = _Reader(root, archive, clock)
    _unsupported(reader, root)
    codebook = _child(root, "CodeBook")
    code_map, categories = _code_tree(reader, _child(codebook, "Codes") if codebook is not None else None)
    cases = _cases(reader, root)
    sources = _sources(reader, root, cases)
    if not any(source.blocks for source in sources):
        raise ProjectRefused(NOTHING_TO_IMPORT)
    if sum(len(source.blocks) for source in sources) > MAX_NOTES:
        raise _too_many(MAX_NOTES, WHAT_NOTES)

    now = timezone.now()
    first = min([s.created for s in sources if s.created] + ([reader.created] if reader.created else []), default=now)
    program = Program.objects.create(
        name=name, slug=free_slug_from(name, program_id=None) or f"imported-{uuid.uuid4().hex[:8]}",
        theme=(_("Imported from %(origin)s") % {"origin": reader.origin})[:200], starts_on=first.date(),
        ends_on=max(first.date(), timezone.localdate()), status=ProgramStatus.ANALYSING, created_by=user)
    add_member(program=program, user=user, role=Role.LEAD)
    result = ProjectImport(program=program)

    # The codebook.
    category_rows = {}
    for position, (category_name, description, _guid) in enumerate(categories):
        category_rows[category_name] = Category.objects.create(program=program, name=category_name,
                                                               description=description, position=position)
    codes: dict[str, Code] = {}
    category_guids = {guid: category_name for category_name, _d, guid in categories if guid}
    used = {code for source in sources for _g, _s, _e, refs in source.selections for code in refs}
    used |= {code for source in sources for code in source.whole_codes}
    for guid, (category_name, code_name, description) in code_map.items():
        definition, _sep, example = description.partition(EXAMPLE_SEPARATOR)
        codes[guid] = Code.objects.create(program=program, category=category_rows[category_name], name=code_name,
                                          definition=definition, example=example)
    for guid in used & set(category_guids):
        category_name = category_guids[guid]
        code_name = category_name if not Code.objects.filter(program=program, name=category_name).exists() \
            else (WHOLE_CATEGORY % {"category": category_name})[:NAME_LENGTH]
        codes[guid] = Code.objects.create(program=program, category=category_rows[category_name], name=code_name)
    result.codes = len(codes)
    unknown_codes = len(used - set(codes))
    if unknown_codes:
        reader.note(ngettext("%(count)s coding names a code the codebook does not hold, so it was not imported.",
                             "%(count)s codings name codes the codebook does not hold, so they were not imported.",
                             unknown_codes) % {"count": unknown_codes})

    # The students.
    speaking = {block.case for source in sources for block in source.blocks if block.case}
    students: dict[str, Student] = {}
    for case in cases.values():
        if case.guid not in speaking:
            reader.note(_("Case “%(case)s” has no words in the project's texts, so no student was made of it.")
                        % {"case": case.name or case.guid})
            continue
        fields = _student_fields(reader, case, school=school, default_grade=default_grade)
        if fields is None:
            reader.note(_("Case “%(case)s” gives no grade (K to 12), so its words are notes of the whole group. "
                          "Import again with a grade for cases without one to keep them as a student's.")
                        % {"case": case.name})
            continue
        groups = fields.pop("groups", [])
        student = Student.objects.create(local_id=f"{LOCAL_ID_PREFIX}{uuid.uuid4().hex[:20]}",
                                         first_name=case.name[:100], last_name="", **fields)
        student.groups.set(groups)
        students[case.guid] = student
        program.schools.add(student.school)
    result.students = len(students)

    # The sessions, their notes and codings.
    protocol = Protocol.objects.create(program=program, theme=program.theme, purpose=program.theme, marked_ready=True,
                                       created_by=user)
    question = Question.objects.create(protocol=protocol, position=1, text=program.theme, is_opening=True)
    digest = hashlib.sha256(content).hexdigest()
    split = 0
    for index, source in enumerate(sources):
        clock.check()
        if not source.blocks:
            continue
        speakers = {students[block.case].pk: students[block.case] for block in source.blocks if block.case in students}
        session = Session.objects.create(
            program=program, format=SessionFormat.INDIVIDUAL if len(speakers) == 1 else SessionFormat.FOCUS_GROUP,
            protocol=protocol, starts_at=source.created or reader.created or now, facilitator=user,
            status=SessionStatus.COMPLETED, created_by=user, language=settings.LANGUAGE_CODE[:2])
        session.participants.set(list(speakers.values()))
        note_import = NoteImport.objects.create(
            session=session, file_name=f"{file_name} · {source.name}"[:255],
            file_sha256=hashlib.sha256(f"{digest}/{index}/{source.guid}".encode()).hexdigest(),
            format=NoteImport.Format.TEXT, notes_created=len(source.blocks), imported_by=user)
        notes = Note.objects.bulk_create([
            Note(id=uuid.uuid4(), session=session, step=NoteStep.QUESTION, question=question,
                 student=students.get(block.case), kind=NoteKind.STUDENT, text=source.text[block.start:block.end],
                 author=user, imported_from=note_import, source_position=position)
            for position, block in enumerate(source.blocks, start=1)])
        applications = []
        for _guid, start, end, refs in source.selections:
            covered = [(note, block) for note, block in zip(notes, source.blocks, strict=True)
                       if block.start < end and start < block.end]
            if not covered:
                reader.note(_("Text source “%(name)s”: the selection “%(words)s” covers no words of a note (only a "
                              "speaker's name or blank lines), so it was not imported.")
                            % {"name": source.name, "words": source.text[start:end][:60]})
                continue
            split += len(covered) > 1
            for note, block in covered:
                a, z = max(start, block.start) - block.start, min(end, block.end) - block.start
                for ref in refs:
                    if ref in codes:
                        applications.append(CodeApplication(note=note, code=codes[ref], start=a, end=z,
                                                            snippet=note.text[a:z], coder=user))
        for ref in source.whole_codes:
            if ref in codes:
                applications.extend(CodeApplication(note=note, code=codes[ref], start=0, end=len(note.text),
                                                    snippet=note.text, coder=user) for note in notes)
        CodeApplication.objects.bulk_create(applications)
        result.sessions += 1
        result.notes += len(notes)
        result.codings += len(applications)
    if split:
        reader.note(ngettext("%(count)s selection crossed from one note into the next, and was cut at the notes' "
                             "edges into codings of each.",
                             "%(count)s selections crossed from one note into the next, and were cut at the notes' "
                             "edges into codings of each.", split) % {"count": split})

    result.themes = _themes(reader, root, program, codes)
    result.not_imported = reader.not_imported
    return result


def _themes(reader: _Reader, root, program: Program, codes: dict[str, Code]) -> int:
    memos = {}
    notes = _child(root, "Notes")
    for note in _children(notes, "Note") if notes is not None else []:
        memos[note.get("guid")] = (note.get("name") or "", _text_of(note, "PlainTextContent"))
    used_memos = set()
    made = 0
    sets = _child(root, "Sets")
    for element in _children(sets, "Set") if sets is not None else []:
        name = (element.get("name") or "").strip()[:160] or _("Unnamed")
        members = [codes[ref.get("targetGUID")] for ref in _children(element, "MemberCode")
                   if ref.get("targetGUID") in codes]
        insight, root_causes = _text_of(element, "Description"), ""
        for ref in _children(element, "MemberNote"):
            memo_name, text = memos.get(ref.get("targetGUID"), ("", ""))
            if memo_name.startswith(INSIGHT_MEMO):
                insight = text
                used_memos.add(ref.get("targetGUID"))
            elif memo_name.startswith(ROOT_CAUSES_MEMO):
                root_causes = text
                used_memos.add(ref.get("targetGUID"))
        if not members and not root_causes:
            reader.note(_("Set “%(name)s” holds no codes (a set of sources or cases), so it was not imported.")
                        % {"name": name})
            continue
        theme = Theme.objects.create(program=program, name=name, insight=insight, root_causes=root_causes)
        theme.codes.set(members)
        made += 1
        sources = len(_children(element, "MemberSource"))
        if sources:
            reader.note(_("Set “%(name)s”: the sources it holds were not imported, only its codes.") % {"name": name})
    left = [name for guid, (name, _text) in memos.items() if guid not in used_memos]
    for name in left:
        reader.note(_("The memo “%(name)s” was not imported.") % {"name": name or "?"})
    return made
