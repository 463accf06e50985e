"""The .qdpx import: a project from another tool becomes a new program of imported notes, codes and codings,
with everything that does not map listed; an export imported and exported again keeps its codes, spans,
case variables and themes."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.codebook import add_code, seed_categories
from analysis.models import Code, CodeApplication, Theme
from analysis.qdpx_export import export_project
from analysis.qdpx_import import LOCAL_ID_PREFIX, import_project, split_blocks
from interviews.models import Note, NoteImport, NoteKind, NoteStep, Session, SessionFormat, SessionStatus
from participants.models import Student
from programs.models import Membership, Role
from tests.analysis.qdpx_helpers import project_program, qdpx, summary
from tests.factories import SchoolFactory, StudentFactory, ready_protocol

SOURCE_A = "0a1b2c3d-0000-4000-8000-00000000000a"
SOURCE_B = "0a1b2c3d-0000-4000-8000-00000000000b"
INTERVIEW = ("Interviewer: What is lunch like?\n"
             "Maya: Loud. Really loud, and short.\n"
             "Interviewer: And the library?\n"
             "Maya: The library is my calm place.\n"
             "Theo: I never go there.\n")


def _other_tool_project(*, grade_variable: str = "Grade") -> bytes:
    """A project as another tool writes one: nested codes, a Case linked to the source by SourceRef, a speaker who
    is not a case, a selection crossing two speakers, one outside the text, a picture, a PDF, a graph, a link,
    users, a memo, a set of sources."""
    loud = INTERVIEW.index("Loud. Really loud")
    calm = INTERVIEW.index("calm place")
    crossing_start = INTERVIEW.index("my calm place")
    crossing_end = INTERVIEW.index("I never go") + len("I never go")
    xml = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Lunch study" origin="Fieldnotes QDA 3.1"
         creationDateTime="2025-10-01T09:30:00Z">
  <Users><User guid="00000000-0000-4000-8000-000000000001" name="R. Analyst"/></Users>
  <CodeBook><Codes>
    <Code guid="10000000-0000-4000-8000-000000000001" name="Environment" isCodable="false">
      <Description>Where students are.</Description>
      <Code guid="10000000-0000-4000-8000-000000000002" name="Noise" isCodable="true">
        <Description>Sound levels.</Description>
        <Code guid="10000000-0000-4000-8000-000000000003" name="Very loud" isCodable="true"/>
      </Code>
      <Code guid="10000000-0000-4000-8000-000000000004" name="Calm" isCodable="true"/>
    </Code>
    <Code guid="10000000-0000-4000-8000-000000000005" name="Stray" isCodable="true" color="#ff0000"/>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="20000000-0000-4000-8000-000000000001" name="{grade_variable}" typeOfVariable="Integer"/>
    <Variable guid="20000000-0000-4000-8000-000000000002" name="Age" typeOfVariable="Integer"/>
  </Variables>
  <Cases>
    <Case guid="30000000-0000-4000-8000-000000000001" name="Maya">
      <VariableValue><VariableRef targetGUID="20000000-0000-4000-8000-000000000001"/><IntegerValue>10</IntegerValue></VariableValue>
      <VariableValue><VariableRef targetGUID="20000000-0000-4000-8000-000000000002"/><IntegerValue>15</IntegerValue></VariableValue>
      <SourceRef targetGUID="{SOURCE_A}"/>
    </Case>
    <Case guid="30000000-0000-4000-8000-000000000002" name="Silent Sam"/>
  </Cases>
  <Sources>
    <TextSource guid="{SOURCE_A}" name="Interview 1" plainTextPath="internal://{SOURCE_A}.txt"
                creationDateTime="2025-10-02T14:00:00Z">
      <PlainTextSelection guid="40000000-0000-4000-8000-000000000001" startPosition="{loud}" endPosition="{loud + 17}">
        <Coding guid="50000000-0000-4000-8000-000000000001"><CodeRef targetGUID="10000000-0000-4000-8000-000000000003"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="40000000-0000-4000-8000-000000000002" startPosition="{calm}" endPosition="{calm + 10}">
        <Coding guid="50000000-0000-4000-8000-000000000002"><CodeRef targetGUID="10000000-0000-4000-8000-000000000004"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="40000000-0000-4000-8000-000000000003" startPosition="{crossing_start}" endPosition="{crossing_end}">
        <Coding guid="50000000-0000-4000-8000-000000000003"><CodeRef targetGUID="10000000-0000-4000-8000-000000000004"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="40000000-0000-4000-8000-000000000005" startPosition="{loud}" endPosition="{loud + 5}">
        <Coding guid="50000000-0000-4000-8000-000000000006"><CodeRef targetGUID="10000000-0000-4000-8000-000000000001"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="40000000-0000-4000-8000-000000000004" startPosition="5000" endPosition="5010">
        <Coding guid="50000000-0000-4000-8000-000000000004"><CodeRef targetGUID="10000000-0000-4000-8000-000000000002"/></Coding>
      </PlainTextSelection>
    </TextSource>
    <TextSource guid="{SOURCE_B}" name="Field memo">
      <PlainTextContent>The cafeteria had one door open.

Students queued for twenty minutes.</PlainTextContent>
      <Coding guid="50000000-0000-4000-8000-000000000005"><CodeRef targetGUID="10000000-0000-4000-8000-000000000005"/></Coding>
    </TextSource>
    <PictureSource guid="60000000-0000-4000-8000-000000000001" name="Cafeteria photo" path="internal://photo.jpg"/>
    <PDFSource guid="60000000-0000-4000-8000-000000000002" name="Bell schedule" path="internal://bells.pdf"/>
  </Sources>
  <Notes>
    <Note guid="70000000-0000-4000-8000-000000000001" name="Early thoughts"><PlainTextContent>Check the schedule.</PlainTextContent></Note>
  </Notes>
  <Links><Link guid="80000000-0000-4000-8000-000000000001" name="relates"/></Links>
  <Sets>
    <Set guid="90000000-0000-4000-8000-000000000001" name="Quiet places">
      <Description>Where students go to be calm.</Description>
      <MemberCode targetGUID="10000000-0000-4000-8000-000000000004"/>
    </Set>
    <Set guid="90000000-0000-4000-8000-000000000002" name="Interviews only">
      <MemberSource targetGUID="{SOURCE_A}"/>
    </Set>
  </Sets>
  <Graphs><Graph guid="a0000000-0000-4000-8000-000000000001" name="Map"/></Graphs>
</Project>"""
    return qdpx(xml, {f"{SOURCE_A}.txt": INTERVIEW})


@pytest.fixture
def school(db):
    return SchoolFactory(name="Westbrook Middle")


def test_a_round_trip_keeps_codes_spans_case_variables_and_themes(team, school):
    project_program(team)
    first = export_project(team.program).content
    imported = import_project(content=first, file_name="belonging.qdpx", name="Belonging again", user=team.lead,
                              school=school)
    second = export_project(imported.program).content
    assert summary(second) == summary(first)
    assert (imported.sessions, imported.students, imported.codings, imported.themes) == (2, 3, 7, 2)
    assert imported.not_imported == []


def test_the_importer_leads_the_new_program_and_its_sessions(team, school):
    project_program(team)
    imported = import_project(content=export_project(team.program).content, file_name="b.qdpx", name="Again",
                              user=team.analyst, school=school)
    program = imported.program
    assert Membership.objects.get(program=program).user == team.analyst
    assert Membership.objects.get(program=program).role == Role.LEAD
    sessions = Session.objects.filter(program=program)
    assert {s.facilitator for s in sessions} == {team.analyst}
    assert {s.status for s in sessions} == {SessionStatus.COMPLETED}
    assert all(note.imported_from is not None and note.source_position for note in Note.objects.filter(session__program=program))
    assert NoteImport.objects.filter(session__program=program, format=NoteImport.Format.TEXT).count() == 2


def test_students_of_an_import_are_new_pseudonymous_students_with_a_fresh_local_id(team, school):
    project = project_program(team)
    imported = import_project(content=export_project(team.program).content, file_name="b.qdpx", name="Again",
                              user=team.lead, school=school)
    made = Student.objects.filter(notes__session__program=imported.program).distinct()
    assert made.count() == 3
    assert all(s.local_id.startswith(LOCAL_ID_PREFIX) for s in made)
    old = {s.pseudonym for s in project.students}
    assert {s.first_name for s in made} == old  # the case names, kept where names are
    assert not {s.pseudonym for s in made} & old
    assert made.get(first_name=project.students[0].pseudonym).extra_attributes == {"foster_youth": True,
                                                                                   "advisory": "B-12"}


def test_a_project_of_another_tool_imports_with_what_does_not_map_listed(team, school):
    imported = import_project(content=_other_tool_project(), file_name="lunch.qdpx", name="Lunch study",
                              user=team.lead, school=school)
    program = imported.program
    codes = {code.name: code.category.name for code in Code.objects.filter(program=program)}
    assert codes == {"Noise": "Environment", "Very loud": "Environment", "Calm": "Environment", "Stray": "Imported",
                     "Environment": "Environment"}  # a category someone coded with is a code of it too
    maya = Student.objects.get(first_name="Maya")
    assert (maya.grade, maya.school, maya.extra_attributes) == (10, school, {"Age": 15})
    notes = list(Note.objects.filter(session__program=program).order_by("session__starts_at", "source_position"))
    assert [(n.student_id and n.student.first_name, n.text) for n in notes] == [
        (None, "The cafeteria had one door open."), (None, "Students queued for twenty minutes."),  # the project's date
        (None, "Interviewer: What is lunch like?"), ("Maya", "Loud. Really loud, and short."),
        (None, "Interviewer: And the library?"), ("Maya", "The library is my calm place."),
        (None, "Theo: I never go there."),
    ]
    codings = sorted((c.code.name, c.snippet) for c in CodeApplication.objects.filter(note__session__program=program))
    assert codings == sorted([
        ("Very loud", "Loud. Really loud"), ("Environment", "Loud."), ("Calm", "calm place"),
        ("Calm", "my calm place."), ("Calm", "Theo: I never go"),  # cut at the notes' edges
        ("Stray", "The cafeteria had one door open."), ("Stray", "Students queued for twenty minutes."),
    ])
    assert Theme.objects.get(program=program).name == "Quiet places"
    listed = "\n".join(imported.not_imported)
    for expected in ("Cafeteria photo", "Bell schedule", "graph", "link", "user", "“Interviewer”", "“Theo”",
                     "5000–5010", "Silent Sam", "Interviews only", "Early thoughts", "crossed"):
        assert expected in listed, expected


def test_cases_without_a_grade_take_the_one_the_lead_gives(team, school):
    project = _other_tool_project(grade_variable="Year")
    imported = import_project(content=project, file_name="l.qdpx", name="No grades", user=team.lead, school=school)
    assert not Student.objects.filter(first_name="Maya").exists()
    assert Note.objects.filter(session__program=imported.program, student__isnull=True).count() == 7
    assert any("gives no grade" in line for line in imported.not_imported)
    again = import_project(content=project, file_name="l.qdpx", name="With grade", user=team.lead, school=school,
                           default_grade=7)
    assert Student.objects.filter(first_name="Maya", notes__session__program=again.program).distinct().get().grade == 7


def test_speaker_lines_cut_the_text_and_paragraphs_without_them_stay_with_their_speaker():
    text = "Ann: first\n\nstill Ann\nGroup: all of us\nnote: not a speaker\n"
    blocks = split_blocks(text, speakers={"ann": "case-ann"})
    assert [(text[b.start:b.end], b.case, b.known) for b in blocks] == [
        ("first\n\nstill Ann", "case-ann", True), ("all of us\nnote: not a speaker", None, True)]


def test_a_text_without_speakers_is_cut_at_blank_lines():
    text = "One paragraph\nwith two lines.\n\n\nAnother.  \n"
    assert [text[b.start:b.end] for b in split_blocks(text, speakers={})] == ["One paragraph\nwith two lines.", "Another."]


_WORDS = st.text(alphabet=st.sampled_from(list("abcñé Z:;,.🍕\n")), min_size=1, max_size=60).map(str.strip).filter(bool)


@st.composite
def _notes_and_spans(draw):
    notes = draw(st.lists(_WORDS, min_size=1, max_size=4))
    spans = []
    for index, text in enumerate(notes):
        edges = [i for i in range(len(text) + 1) if (i == 0 or not text[i - 1].isspace())]
        starts = [i for i in range(len(text)) if not text[i].isspace()]
        if starts and draw(st.booleans()):
            start = draw(st.sampled_from(starts))
            end = draw(st.sampled_from([e for e in edges if e > start]))
            spans.append((index, start, end))
    return notes, spans


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=_notes_and_spans())
def test_any_words_and_spans_survive_a_round_trip(team, case):
    from django.db import transaction

    notes, spans = case
    with transaction.atomic():
        program = team.program
        protocol = ready_protocol(program)
        session = Session.objects.create(program=program, format=SessionFormat.FOCUS_GROUP, protocol=protocol,
                                         starts_at=timezone.now(), facilitator=team.facilitator,
                                         status=SessionStatus.COMPLETED)
        student = StudentFactory(school=SchoolFactory(name="Round School"), grade=9)
        rows = [Note.objects.create(id=uuid.uuid4(), session=session, step=NoteStep.QUESTION,
                                    question=protocol.questions.first(), student=student if i % 2 else None,
                                    kind=NoteKind.STUDENT, text=text) for i, text in enumerate(notes)]
        code = add_code(program, category=seed_categories(program)[0], name="Anything")
        for index, start, end in spans:
            CodeApplication.objects.create(note=rows[index], code=code, start=start, end=end,
                                           snippet=notes[index][start:end])
        first = export_project(program).content
        imported = import_project(content=first, file_name="r.qdpx", name="Again", user=team.lead,
                                  school=SchoolFactory(name="Round School"))
        assert summary(export_project(imported.program).content)["spans"] == summary(first)["spans"]
        assert imported.notes == len(notes) and imported.not_imported == []
        transaction.set_rollback(True)
