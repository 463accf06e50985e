"""A whole program as a REFI-QDA project (.qdpx), the exchange format NVivo, MAXQDA, ATLAS.ti and QualCoder read.

The file is a zip of `project.qde` (QDA-XML, the schema `tests/analysis/data/refi_qda/Project-mrt2019.xsd`)
and one plain-text file per session, `Sources/<guid>.txt`:

- a session is a TextSource whose text is its students' words, one note a paragraph, each labelled with its
  speaker: a student's pseudonym, or GROUP_SPEAKER for a note of the whole group ("Brave Otter: I ...");
- the categories are codes that cannot be coded, holding the program's codes (description: the definition,
  and the example when there is one);
- every coded span is a PlainTextSelection at its characters' positions in the session's text, with its Coding;
- students are Cases named by pseudonym, with the criteria a sample is balanced on as Variables (STUDENT_VARIABLES,
  then the district's own criteria), a SourceRef to each session they spoke in and a SelectionRef to each
  selection of their words;
- themes are Sets of their codes; a theme's insight and root causes are Notes (memos) the Set holds.

Only the words analysis may use go out (analysis/corpus.py: never a withdrawn student's, never erased words),
and never a student's name or local id. The program's suppression rules do not apply inside the file: it is for
leads, and every export is audited by the view. Every identifier is a uuid5 of the program and the object, and
the zip's dates are the program's, so exporting the same program twice gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from xml.etree.ElementTree import Element, SubElement, tostring

from django.db.models import F
from django.utils import timezone

from analysis.corpus import analysable_notes
from analysis.models import Category, CodeApplication, Theme
from interviews.models import Note
from participants.attributes import gender_category
from participants.models import Student
from programs.models import Program
from toolkit.languages import home_language_category

NAMESPACE = "urn:QDA-XML:project:1.0"
ORIGIN = "Empathy Interviews"
GUID_ROOT = uuid.UUID("0d6c4f4e-27a1-4c55-9a40-5b8e7e3c2f61")
PROJECT_PART = "project.qde"
SOURCES_FOLDER = "Sources"
INTERNAL = "internal://"
GROUP_SPEAKER = "Group"  # the label of a note of the whole group; the importer reads it back as one
SPEAKER_SEPARATOR = ": "
NOTE_SEPARATOR = "\n\n"
SELECTION_NAME_LENGTH = 80
INSIGHT_MEMO = "Insight: "  # the names of a theme's memos start with these; the importer reads them back
ROOT_CAUSES_MEMO = "Root causes: "
EXAMPLE_SEPARATOR = "\nExample: "  # between a code's definition and its example, read back by the importer
LIST_SEPARATOR = "; "  # between the values of a criterion a student has several of (race/ethnicity, groups)

# The criteria of participants/attributes.py, with the exact values (a researcher bands them as they need).
# The names are the same in every language: the importer reads them back.
SCHOOL, GRADE, GENDER, RACE, ENGLISH_LEARNER = "School", "Grade", "Gender", "Race/ethnicity", "English learner"
HOME_LANGUAGE, SPECIAL_EDUCATION, GPA, GROUPS, YEARS = ("Home language", "Special education", "GPA", "Student group",
                                                         "Years in program")
STUDENT_VARIABLES = ((SCHOOL, "Text"), (GRADE, "Text"), (GENDER, "Text"), (RACE, "Text"), (ENGLISH_LEARNER, "Boolean"),
                     (HOME_LANGUAGE, "Text"), (SPECIAL_EDUCATION, "Boolean"), (GPA, "Float"), (GROUPS, "Text"),
                     (YEARS, "Integer"))
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class ProjectExport:
    content: bytes
    sessions: int
    cases: int
    selections: int


def guid(program: Program, kind: str, key: object) -> str:
    return str(uuid.uuid5(GUID_ROOT, f"{program.pk}/{kind}/{key}"))


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 cannot carry (the source files keep them)."""
    return _NOT_IN_XML.sub("", text or "")


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _typed(value) -> tuple[str, str] | None:
    """(variable type, text of the value) for a value the roster keeps; None for no value."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, bool):
        return "Boolean", "true" if value else "false"
    if isinstance(value, int):
        return "Integer", str(value)
    if isinstance(value, float | Decimal):
        return "Float", str(value)
    if isinstance(value, list | tuple):
        return "Text", LIST_SEPARATOR.join(str(item) for item in value)
    return "Text", str(value)


def student_variables(student: Student) -> dict[str, tuple[str, str]]:
    """The case variables of one student: {name: (type, value)}; a criterion with no value is left out."""
    values = {
        SCHOOL: student.school.name,
        GRADE: student.grade_label,
        GENDER: gender_category(student.gender),
        RACE: list(student.race_ethnicity or []),
        ENGLISH_LEARNER: bool(student.english_learner),
        HOME_LANGUAGE: home_language_category(student.home_language) if student.home_language else "",
        SPECIAL_EDUCATION: bool(student.special_education),
        GPA: student.gpa,
        GROUPS: sorted(group.name for group in student.groups.all()),
        YEARS: student.years_in_program,
    }
    variables = {name: typed for name, value in values.items() if (typed := _typed(value)) is not None}
    for name, value in sorted((student.extra_attributes or {}).items()):
        if name not in variables and (typed := _typed(value)) is not None:
            variables[str(name)] = typed
    return variables


def _variable_value(parent: Element, *, variable_guid: str, typed: tuple[str, str]) -> None:
    kind, text = typed
    value = SubElement(parent, "VariableValue")
    SubElement(value, "VariableRef", {"targetGUID": variable_guid})
    SubElement(value, f"{kind}Value").text = xml_text(text)


def _memo(notes: Element, *, guid_: str, name: str, text: str, created: str) -> None:
    note = SubElement(notes, "Note", {"guid": guid_, "name": xml_text(name), "creationDateTime": created})
    SubElement(note, "PlainTextContent").text = xml_text(text)


def export_project(program: Program) -> ProjectExport:
    """The program as a .qdpx archive, with what it holds counted for the audit entry."""
    created = _stamp(program.created_at or timezone.now())
    root = Element("Project", {"xmlns": NAMESPACE, "name": xml_text(program.name), "origin": ORIGIN,
                               "creationDateTime": created})
    notes = list(analysable_notes(program).filter(erased_at__isnull=True)
                 .select_related("session", "student__school").prefetch_related("student__groups")
                 .order_by("session__starts_at", "session_id", F("source_position").asc(nulls_last=True), "created_at", "id"))
    codings_by_note: dict[uuid.UUID, list[CodeApplication]] = defaultdict(list)
    for coding in (CodeApplication.objects.filter(note__in=[note.id for note in notes])
                   .order_by("note_id", "start", "end", "pk")):
        codings_by_note[coding.note_id].append(coding)

    # The codebook: categories hold codes.
    categories = list(Category.objects.filter(program=program).prefetch_related("codes").order_by("position", "name", "pk"))
    code_guid: dict[int, str] = {}
    if categories:  # the schema wants at least one code in a codebook
        codebook = SubElement(SubElement(root, "CodeBook"), "Codes")
        for category in categories:
            parent = SubElement(codebook, "Code", {"guid": guid(program, "category", category.pk),
                                                   "name": xml_text(category.name), "isCodable": "false"})
            if category.description:
                SubElement(parent, "Description").text = xml_text(category.description)
            for code in sorted(category.codes.all(), key=lambda code: (code.name, code.pk)):
                code_guid[code.pk] = guid(program, "code", code.pk)
                child = SubElement(parent, "Code", {"guid": code_guid[code.pk], "name": xml_text(code.name),
                                                    "isCodable": "true"})
                description = code.definition + (f"{EXAMPLE_SEPARATOR}{code.example}" if code.example else "")
                if description.strip():
                    SubElement(child, "Description").text = xml_text(description)

    # The students, their variables, and the sessions' texts with every coded span.
    students: dict[int, Student] = {}
    sessions: dict[int, list[Note]] = {}
    for note in notes:
        sessions.setdefault(note.session_id, []).append(note)
        if note.student_id is not None:
            students.setdefault(note.student_id, note.student)
    variables_of = {pk: student_variables(student) for pk, student in students.items()}
    variable_kinds: dict[str, str] = dict(STUDENT_VARIABLES)
    used_names = [name for name, _kind in STUDENT_VARIABLES if any(name in v for v in variables_of.values())]
    for variables in variables_of.values():
        for name, (kind, _text) in variables.items():
            if name not in variable_kinds:
                variable_kinds[name] = kind
                used_names.append(name)
    variable_guid = {name: guid(program, "variable", name) for name in used_names}
    if used_names:
        variables_element = SubElement(root, "Variables")
        for name in used_names:
            SubElement(variables_element, "Variable", {"guid": variable_guid[name], "name": xml_text(name),
                                                       "typeOfVariable": variable_kinds[name]})
    cases_element = SubElement(root, "Cases") if students else None

    parts: dict[str, bytes] = {}
    sources_element = SubElement(root, "Sources") if sessions else None
    selection_count = 0
    case_sources: dict[int, list[str]] = defaultdict(list)
    case_selections: dict[int, list[str]] = defaultdict(list)
    for session_notes in sessions.values():
        session = session_notes[0].session
        source_guid = guid(program, "session", session.pk)
        chunks: list[str] = []
        position = 0
        selections: list[tuple[str, int, int, CodeApplication, Note]] = []
        for note in session_notes:
            if chunks:
                chunks.append(NOTE_SEPARATOR)
                position += len(NOTE_SEPARATOR)
            speaker = note.student.pseudonym if note.student_id else GROUP_SPEAKER
            label = speaker + SPEAKER_SEPARATOR
            chunks.append(label + note.text)
            start_of_words = position + len(label)
            position += len(label) + len(note.text)
            if note.student_id is not None and source_guid not in case_sources[note.student_id]:
                case_sources[note.student_id].append(source_guid)
            for coding in codings_by_note.get(note.id, []):
                start, end = min(max(coding.start, 0), len(note.text)), min(max(coding.end, 0), len(note.text))
                if end > start and coding.code_id in code_guid:
                    selections.append((guid(program, "coding", coding.pk), start_of_words + start, start_of_words + end,
                                       coding, note))
        text = "".join(chunks)
        parts[f"{SOURCES_FOLDER}/{source_guid}.txt"] = text.encode("utf-8")
        source = SubElement(sources_element, "TextSource", {
            "guid": source_guid, "name": f"{session.get_format_display()} {session.starts_at:%Y-%m-%d %H:%M} #{session.pk}",
            "plainTextPath": f"{INTERNAL}{source_guid}.txt", "creationDateTime": _stamp(session.starts_at)})
        for selection_guid, start, end, coding, note in selections:
            element = SubElement(source, "PlainTextSelection", {
                "guid": selection_guid, "name": xml_text(text[start:end][:SELECTION_NAME_LENGTH]),
                "startPosition": str(start), "endPosition": str(end), "creationDateTime": _stamp(coding.created_at)})
            coding_element = SubElement(element, "Coding", {"guid": guid(program, "coding-of", coding.pk),
                                                            "creationDateTime": _stamp(coding.created_at)})
            SubElement(coding_element, "CodeRef", {"targetGUID": code_guid[coding.code_id]})
            if note.student_id is not None:
                case_selections[note.student_id].append(selection_guid)
            selection_count += 1

    for pk, student in sorted(students.items(), key=lambda item: (item[1].pseudonym, item[0])):
        case = SubElement(cases_element, "Case", {"guid": guid(program, "student", pk), "name": student.pseudonym})
        for name in used_names:
            if name in variables_of[pk]:
                _variable_value(case, variable_guid=variable_guid[name], typed=variables_of[pk][name])
        for source_guid in case_sources[pk]:
            SubElement(case, "SourceRef", {"targetGUID": source_guid})
        for selection_guid in case_selections[pk]:
            SubElement(case, "SelectionRef", {"targetGUID": selection_guid})

    # Themes: sets of codes, with their insight and root causes as memos.
    themes = list(Theme.objects.filter(program=program).prefetch_related("codes").order_by("name", "pk"))
    memos: list[tuple[Theme, list[tuple[str, str, str]]]] = []
    for theme in themes:
        theme_memos = []
        if theme.insight.strip():
            theme_memos.append((guid(program, "theme-insight", theme.pk), INSIGHT_MEMO + theme.name, theme.insight))
        if theme.root_causes.strip():
            theme_memos.append((guid(program, "theme-root-causes", theme.pk), ROOT_CAUSES_MEMO + theme.name,
                                theme.root_causes))
        memos.append((theme, theme_memos))
    if any(theme_memos for _theme, theme_memos in memos):
        notes_element = SubElement(root, "Notes")
        for _theme, theme_memos in memos:
            for memo_guid, name, text in theme_memos:
                _memo(notes_element, guid_=memo_guid, name=name, text=text, created=created)
    if themes:
        sets = SubElement(root, "Sets")
        for theme, theme_memos in memos:
            element = SubElement(sets, "Set", {"guid": guid(program, "theme", theme.pk), "name": xml_text(theme.name)})
            if theme.insight.strip():
                SubElement(element, "Description").text = xml_text(theme.insight)
            for code in sorted(theme.codes.all(), key=lambda code: code.pk):
                if code.pk in code_guid:
                    SubElement(element, "MemberCode", {"targetGUID": code_guid[code.pk]})
            for memo_guid, _name, _text in theme_memos:
                SubElement(element, "MemberNote", {"targetGUID": memo_guid})

    parts = {PROJECT_PART: b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(root, encoding="utf-8")} | parts
    return ProjectExport(content=_zip(parts, moment=program.created_at), sessions=len(sessions), cases=len(students),
                         selections=selection_count)


def _zip(parts: dict[str, bytes], *, moment: dt.datetime | None) -> bytes:
    stamp = (moment or dt.datetime(2020, 1, 1, tzinfo=dt.UTC)).astimezone(dt.UTC)
    date_time = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()
