"""A program worth exporting, and readers of a .qdpx, for the tests of analysis/qdpx_*.py."""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from xml.etree.ElementTree import fromstring

from django.utils import timezone

from analysis.codebook import add_code, seed_categories
from analysis.models import CodeApplication, Theme
from interviews.models import Note, NoteKind, NoteStep, Session, SessionFormat, SessionStatus
from recruitment.models import ConsentStatus, Invitation
from tests.factories import SchoolFactory, StudentFactory, StudentGroupFactory, ready_protocol

SCHEMA = Path(__file__).parent / "data" / "refi_qda" / "Project-mrt2019.xsd"
NS = "{urn:QDA-XML:project:1.0}"


@dataclass
class Project:
    program: object
    students: list
    notes: list
    withdrawn_words: str
    erased_note: Note


def _coding(note: Note, code, words: str, coder) -> CodeApplication:
    start = note.text.index(words)
    return CodeApplication.objects.create(note=note, code=code, start=start, end=start + len(words), snippet=words,
                                          coder=coder)


def project_program(team, *, first_names=("Zephyrine", "Quillon", "Marisoleil"),
                    last_names=("Vandermeulen", "Okonkwo-Brandt", "Castellanoswright"),
                    local_ids=("LID-77301", "LID-77302", "LID-77303")) -> Project:
    """Two completed sessions of three students with distinctive names, a group note, codings (one of a whole
    note, one across an accent and an emoji), two themes with memos, a withdrawn student and an erased note."""
    program = team.program
    protocol = ready_protocol(program)
    question = protocol.questions.first()
    school = SchoolFactory(name="Ridgeview High")
    band = StudentGroupFactory(name="Marching band", school=school)
    students = [
        StudentFactory(school=school, grade=9, first_name=first_names[0], last_name=last_names[0], local_id=local_ids[0],
                       gender="female", race_ethnicity=["Hispanic or Latino", "White"], english_learner=True,
                       home_language="es", gpa=Decimal("3.40"), years_in_program=2,
                       extra_attributes={"foster_youth": True, "advisory": "B-12"}),
        StudentFactory(school=school, grade=10, first_name=first_names[1], last_name=last_names[1], local_id=local_ids[1],
                       gender="male", special_education=True),
        StudentFactory(school=school, grade=0, first_name=first_names[2], last_name=last_names[2], local_id=local_ids[2],
                       gender="nonbinary"),
    ]
    students[1].groups.add(band)
    withdrawn = StudentFactory(school=school, grade=11, first_name="Withdrawnia", last_name="Gonefar", local_id="LID-99999")
    for student in students:
        Invitation.objects.create(program=program, student=student, parent_consent=ConsentStatus.GRANTED,
                                  student_assent=ConsentStatus.GRANTED)
    Invitation.objects.create(program=program, student=withdrawn, parent_consent=ConsentStatus.WITHDRAWN,
                              student_assent=ConsentStatus.GRANTED)
    start = timezone.make_aware(dt.datetime(2026, 3, 4, 10, 0))
    sessions = [Session.objects.create(program=program, format=SessionFormat.FOCUS_GROUP, protocol=protocol,
                                       starts_at=start + dt.timedelta(days=day), facilitator=team.facilitator,
                                       status=SessionStatus.COMPLETED) for day in (0, 1)]
    scheduled = Session.objects.create(program=program, format=SessionFormat.INDIVIDUAL, protocol=protocol,
                                       starts_at=start + dt.timedelta(days=9), facilitator=team.facilitator)

    def note(session, student, text, kind=NoteKind.STUDENT):
        return Note.objects.create(id=uuid.uuid4(), session=session, step=NoteStep.QUESTION, question=question,
                                   student=student, kind=kind, text=text)

    notes = [
        note(sessions[0], students[0], "Lunch is so loud I can't hear my friends. Café time is too short 🍕 honestly."),
        note(sessions[0], students[1], "Nobody asks us what we think about the schedule."),
        note(sessions[0], None, "Everyone agreed the hallways feel crowded."),
        note(sessions[1], students[2], "I like the art room, it is calm."),
        note(sessions[1], students[0], "Teachers who know my name make me want to come."),
        note(sessions[1], students[1], "I wrote more: the buses are late.", kind=NoteKind.FOLLOW_UP),
    ]
    withdrawn_words = "Withdrawnwords should never travel anywhere."
    note(sessions[0], withdrawn, withdrawn_words)
    erased = note(sessions[1], students[2], "")
    erased.erased_at = timezone.now()
    erased.save()
    note(sessions[0], None, "Facilitator noticed quiet students.", kind=NoteKind.OBSERVATION)
    note(scheduled, students[0], "Not yet said.")

    categories = seed_categories(program)
    codes = {name: add_code(program, category=categories[i % 3], name=name, definition=f"Students talk about {name}.",
                            example="" if i else "It is so loud.")
             for i, name in enumerate(["Noise", "Time", "Voice", "Calm spaces", "Belonging"])}
    coder = team.analyst
    _coding(notes[0], codes["Noise"], "Lunch is so loud", coder)
    _coding(notes[0], codes["Time"], "Café time is too short 🍕", coder)
    _coding(notes[1], codes["Voice"], notes[1].text, coder)  # the whole note
    _coding(notes[2], codes["Noise"], "hallways feel crowded", coder)
    _coding(notes[3], codes["Calm spaces"], "art room, it is calm", coder)
    _coding(notes[4], codes["Belonging"], "know my name", coder)
    _coding(notes[5], codes["Time"], "buses are late", coder)
    lunch = Theme.objects.create(program=program, name="Lunch is rushed and loud", insight="Lunch is not restful.",
                                 root_causes="One lunch period for 900 students.")
    lunch.codes.set([codes["Noise"], codes["Time"]])
    voice = Theme.objects.create(program=program, name="Being known")
    voice.codes.set([codes["Belonging"], codes["Voice"]])
    return Project(program, students, notes, withdrawn_words, erased)


def parts(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def project_xml(content: bytes):
    return fromstring(parts(content)["project.qde"])


def summary(content: bytes) -> dict:
    """What a round trip must keep: the codes (category, name, description), every selection's words with its
    code, each case's variables (as a multiset, the cases' names being new pseudonyms), the themes."""
    files = parts(content)
    root = fromstring(files["project.qde"])
    code_names, codes = {}, set()
    for category in root.iter(f"{NS}Code"):
        for code in category.findall(f"{NS}Code"):
            code_names[code.get("guid")] = code.get("name")
            description = code.find(f"{NS}Description")
            codes.add((category.get("name"), code.get("name"), description.text if description is not None else ""))
    spans = Counter()
    for source in root.iter(f"{NS}TextSource"):
        text = files["Sources/" + source.get("plainTextPath").removeprefix("internal://")].decode()
        for selection in source.findall(f"{NS}PlainTextSelection"):
            words = text[int(selection.get("startPosition")):int(selection.get("endPosition"))]
            for ref in selection.iter(f"{NS}CodeRef"):
                spans[(code_names[ref.get("targetGUID")], words)] += 1
    variables = {v.get("guid"): v.get("name") for v in root.iter(f"{NS}Variable")}
    cases = Counter()
    for case in root.iter(f"{NS}Case"):
        values = []
        for value in case.findall(f"{NS}VariableValue"):
            typed = [child for child in value if child.tag != f"{NS}VariableRef"][0]
            values.append((variables[value.find(f"{NS}VariableRef").get("targetGUID")], typed.tag, typed.text))
        cases[tuple(sorted(values))] += 1
    themes = {(s.get("name"), tuple(sorted(code_names[m.get("targetGUID")] for m in s.findall(f"{NS}MemberCode"))))
              for s in root.iter(f"{NS}Set")}
    memos = {(n.get("name"), n.find(f"{NS}PlainTextContent").text) for n in root.iter(f"{NS}Note")}
    return {"codes": codes, "spans": spans, "cases": cases, "themes": themes, "memos": memos}


def qdpx(project_qde: str | bytes, sources: dict[str, str] | None = None) -> bytes:
    """A .qdpx archive of the given project.qde and source texts (name under Sources/: text)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project_qde)
        for name, text in (sources or {}).items():
            archive.writestr(f"Sources/{name}", text)
    return buffer.getvalue()


def more_sessions(team, *, sessions: int) -> None:
    """`sessions` more completed sessions, each of two new students, a coded note each, and one more theme."""
    program = team.program
    protocol = program.protocols.first()
    question = protocol.questions.first()
    code = program.codes.first()
    school = SchoolFactory(name="Lakeside High")
    group = StudentGroupFactory(name="Robotics", school=school)
    for day in range(sessions):
        session = Session.objects.create(program=program, format=SessionFormat.FOCUS_GROUP, protocol=protocol,
                                         starts_at=timezone.make_aware(dt.datetime(2026, 4, 1 + day, 9, 0)),
                                         facilitator=team.facilitator, status=SessionStatus.COMPLETED)
        for i in range(2):
            student = StudentFactory(school=school, grade=11, extra_attributes={"club": f"c{i}"})
            student.groups.add(group)
            note = Note.objects.create(id=uuid.uuid4(), session=session, step=NoteStep.QUESTION, question=question,
                                       student=student, kind=NoteKind.STUDENT, text=f"Day {day} words of {i}.")
            _coding(note, code, "words", team.analyst)
        theme = Theme.objects.create(program=program, name=f"Theme {day}", insight="Seen.", root_causes="Because.")
        theme.codes.set([code])
