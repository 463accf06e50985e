"""The report's "Who we heard from" describes the students heard (those with analysable notes), beside those invited
and the community, with the interviewed shares taken from the program's one publication of counts."""

from __future__ import annotations

import subprocess
import uuid

import pytest
from django.utils import timezone, translation

from actions.models import ActionItem, ActionStatus
from analysis.patterns import program_patterns
from interviews.models import Note, NoteKind, NoteStep, Session, SessionFormat, SessionStatus
from recruitment.models import ConsentStatus, Invitation
from recruitment.selection import representativeness_of
from reports.content import heard_from, invited_population, report_data
from reports.models import Report, ReportKind
from reports.render import render_report
from tests.factories import SchoolFactory, StudentFactory, ready_protocol


@pytest.fixture(autouse=True)
def _own_media_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf_text(report: Report) -> str:
    with report.file.open("rb") as handle:
        content = handle.read()
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True).stdout
    return " ".join(text.decode().split())


@pytest.fixture
def first_week(team):
    """The issue's district: 21 invited (8 of them, 38%, from Oak Middle), 14 heard, 1 of them from Oak."""
    program = team.program
    program.suppression_threshold = 5
    program.save()
    elm, oak = SchoolFactory(name="Elm High"), SchoolFactory(name="Oak Middle")
    program.schools.set([elm, oak])
    at_elm = [StudentFactory(school=elm, grade=9) for _ in range(20)]
    at_oak = [StudentFactory(school=oak, grade=9) for _ in range(20)]
    invited = at_elm[:13] + at_oak[:8]
    for student in invited:
        Invitation.objects.create(program=program, student=student, parent_consent=ConsentStatus.GRANTED,
                                  student_assent=ConsentStatus.GRANTED)
    session = Session.objects.create(program=program, format=SessionFormat.FOCUS_GROUP, protocol=ready_protocol(program),
                                     starts_at=timezone.now(), facilitator=team.facilitator,
                                     status=SessionStatus.COMPLETED)
    heard = at_elm[:13] + at_oak[:1]
    session.participants.set(heard)
    for student in heard:
        Note.objects.create(id=uuid.uuid4(), session=session, step=NoteStep.QUESTION, student=student,
                            kind=NoteKind.STUDENT, question=session.protocol.questions.first(), text="Lunch is short.")
    return program


def test_the_interviewed_shares_are_the_published_cells_and_not_the_invited_ones(first_week):
    publication = program_patterns(first_week).publication
    invited = program_patterns(first_week, [], population=invited_population(first_week), raised={}).publication
    tables = {t.key: t for t in heard_from(representativeness_of(first_week), publication, invited)}
    rows = {row.category: row for row in tables["school"].rows}
    assert rows["Oak Middle"].invited == "38%"
    assert rows["Oak Middle"].interviewed == "fewer than 5"
    # 13 of 14 at Elm would give away Oak's 1: the publication withholds it, and so does the report.
    assert rows["Elm High"].interviewed == publication.interviewed_cells["school"]["Elm High"].display == "withheld"
    assert rows["Oak Middle"].community == "50.0%"
    for table in tables.values():
        for row in table.rows:
            cell = publication.interviewed_cells[table.key].get(row.category)
            if cell is not None and cell.value is None:
                assert row.interviewed == cell.display and row.gap_points is None


def test_a_shown_group_gets_its_share_of_the_students_heard(first_week):
    tables = {t.key: t for t in report_data(first_week).heard}
    grade = {row.category: row for row in tables["grade"].rows}
    assert grade["Grade 9"].interviewed == "100%" and grade["Grade 9"].gap_points == 0.0


def test_in_spanish_a_group_is_one_row_with_its_community_share(first_week):
    with translation.override("es"):
        tables = {t.key: t for t in report_data(first_week).heard}
    grade = {row.category: row for row in tables["grade"].rows}
    assert list(grade) == ["9.º grado"]  # not "Grade 9" heard and invited, and "9.º grado" in the community
    assert grade["9.º grado"].interviewed == "100%" and grade["9.º grado"].community == "100.0%"


def test_the_thematic_pdf_says_who_was_heard(first_week):
    report = Report.objects.create(program=first_week, kind=ReportKind.THEMATIC, options={})
    render_report(report.pk)
    report.refresh_from_db()
    text = pdf_text(report)
    assert "The students we heard from are those whose words are in the notes analysed: 14 students" in text
    assert "Oak Middle fewer than 5 38% 50.0%" in text
    assert "Elm High withheld 62% 50.0%" in text
    assert "Oak Middle 38%" not in text


@pytest.mark.parametrize("kind", [ReportKind.INFOGRAPHIC, ReportKind.SLIDES])
def test_the_infographic_and_slides_show_the_students_heard_and_the_actions(first_week, team, kind):
    ActionItem.objects.create(program=first_week, title="Add a second lunch period", owner=team.lead)
    ActionItem.objects.create(program=first_week, title="Dropped idea", owner=team.lead, status=ActionStatus.DROPPED,
                              dropped_reason="No room.")
    report = Report.objects.create(program=first_week, kind=kind, options={})
    render_report(report.pk)
    report.refresh_from_db()
    text = pdf_text(report)
    assert "Who we heard from" in text
    assert "Oak Middle fewer than 5 38% 50.0%" in text
    assert "Add a second lunch period" in text
    assert "Dropped idea" not in text
    assert "criteria balanced" not in text


def test_with_no_action_the_infographic_says_the_plan_is_being_written(first_week):
    report = Report.objects.create(program=first_week, kind=ReportKind.INFOGRAPHIC, options={})
    render_report(report.pk)
    report.refresh_from_db()
    assert "The team is writing its action plan." in pdf_text(report)
    assert report.pages == 1


def test_a_small_invited_group_cannot_be_worked_out_from_the_others(first_week):
    """One student invited from a third school: "fewer than 5", and a neighbour withheld so that the
    percentages of the other two cannot be subtracted from 100%."""
    pine = SchoolFactory(name="Pine Elementary")
    first_week.schools.add(pine)
    lone = StudentFactory(school=pine, grade=9)
    StudentFactory(school=pine, grade=9)
    Invitation.objects.create(program=first_week, student=lone)
    rows = {row.category: row for row in next(t for t in report_data(first_week).heard if t.key == "school").rows}
    assert rows["Pine Elementary"].invited == "fewer than 5"
    assert "withheld" in {rows["Elm High"].invited, rows["Oak Middle"].invited}
