"""The reviewer's findings, on the pages themselves: the patterns CSV, the themes page and a report
never let a withheld count come back by subtraction or complement, and only a lead may ask for a
report with a threshold below the program's."""

from __future__ import annotations

import csv
import io
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from analysis.codebook import add_code, seed_categories
from analysis.coding import apply_code
from analysis.models import Theme
from analysis.patterns import program_patterns
from analysis.suppression import Hidden
from interviews.models import Note, NoteKind, NoteStep, Session, SessionFormat, SessionStatus
from recruitment.models import ConsentStatus, Invitation
from reports.models import Report
from tests.factories import SchoolFactory, StudentFactory, ready_protocol
from tests.test_helpers import login


def _heard(team, students, *, raising: int):
    """A completed session with one note per student; the first `raising` of them raise the theme."""
    program = team.program
    session = Session.objects.create(program=program, format=SessionFormat.FOCUS_GROUP, protocol=ready_protocol(program),
                                     starts_at=timezone.now(), facilitator=team.facilitator, status=SessionStatus.COMPLETED)
    session.participants.set(students)
    code = add_code(program, category=seed_categories(program)[0], name="Lunch")
    theme = Theme.objects.create(program=program, name="Lunch is too short")
    theme.codes.add(code)
    for i, student in enumerate(students):
        Invitation.objects.create(program=program, student=student, parent_consent=ConsentStatus.GRANTED,
                                  student_assent=ConsentStatus.GRANTED)
        note = Note.objects.create(id=uuid.uuid4(), session=session, step=NoteStep.QUESTION, student=student,
                                   question=session.protocol.questions.first(), kind=NoteKind.STUDENT,
                                   text=f"Student {i}: lunch is too short to eat and talk.")
        if i < raising:
            apply_code(note=note, code=code, coder=team.analyst)
    return theme


@pytest.fixture
def lincoln(team):
    """The reviewer's school: 15 interviewed at Lincoln, grades of 6, 6 and 3; 8 at Roosevelt, in
    grades of 3, 3 and 2 (all small, so the grade row alone does not give Lincoln's third grade away)."""
    program = team.program
    program.suppression_threshold = 5
    program.save()
    lincoln, roosevelt = SchoolFactory(name="Lincoln High"), SchoolFactory(name="Roosevelt Middle")
    program.schools.set([lincoln, roosevelt])
    students = ([StudentFactory(school=lincoln, grade=9) for _ in range(6)] + [StudentFactory(school=lincoln, grade=10)
                for _ in range(6)] + [StudentFactory(school=lincoln, grade=11) for _ in range(3)]
                + [StudentFactory(school=roosevelt, grade=grade) for grade in (6, 6, 6, 7, 7, 7, 8, 8)])
    return _heard(team, students, raising=16)


def _csv(client, team) -> list[dict]:
    login(client, team.lead)
    response = client.get(reverse("patterns_export", kwargs={"slug": team.program.slug}))
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_a_grade_cannot_be_recovered_from_its_school_and_the_other_grades(client, team, lincoln):
    rows = _csv(client, team)
    interviewed = {(row["attribute"], row["group"]): row["students interviewed"] for row in rows}
    assert interviewed[("Grade", "Grade 11")] == "fewer than 5"
    shown = [interviewed[("Grade", g)].isdigit() for g in ("Grade 9", "Grade 10")]
    # Lincoln's 15 minus two shown grades would give the third: one of the three must be withheld.
    assert not (all(shown) and interviewed[("School", "Lincoln High")].isdigit())


def test_no_shown_pair_reveals_a_small_complement(client, team, lincoln):
    for row in _csv(client, team):
        raised, interviewed = row["students who raised it"], row["students interviewed"]
        if raised.isdigit() and interviewed.isdigit():
            assert not 0 < int(interviewed) - int(raised) < 5, row


def test_six_of_seven_is_withheld_on_the_themes_page(client, team):
    team.program.suppression_threshold = 5
    team.program.save()
    school = SchoolFactory(name="Lincoln High")
    team.program.schools.set([school])
    _heard(team, [StudentFactory(school=school, grade=9) for _ in range(7)], raising=6)
    login(client, team.viewer)
    page = client.get(reverse("themes", kwargs={"slug": team.program.slug})).content.decode()
    assert ">withheld students<" in page and ">6 students<" not in page


def test_every_page_and_the_csv_show_the_same_cells(client, team, lincoln):
    patterns = program_patterns(team.program)
    tables = {t.label: {c.category: c for c in t.cells} for t in patterns.tables(lincoln.pk)}
    for row in _csv(client, team):
        cell = tables[row["attribute"]][row["group"]]
        assert row["students who raised it"] == cell.raised.display
        assert row["students interviewed"] == cell.interviewed.display
    detail = client.get(reverse("theme_detail", kwargs={"slug": team.program.slug, "pk": lincoln.pk})).content.decode()
    withheld = [c for cells in tables.values() for c in cells.values() if c.raised.hidden != Hidden.SHOWN]
    assert withheld and ("withheld" in detail or "fewer than 5" in detail)


@pytest.mark.parametrize(("persona", "allowed"), [("viewer", False), ("lead", True)])
def test_only_a_lead_goes_below_the_programs_threshold(client, team, persona, allowed, settings):
    settings.SUPPRESSION_THRESHOLD_MIN = 5
    team.program.suppression_threshold = 10
    team.program.save()
    login(client, getattr(team, persona))
    response = client.post(reverse("report_list", kwargs={"slug": team.program.slug}),
                           {"kind": "thematic", "threshold": "5"})
    assert Report.objects.exists() == allowed
    if not allowed:
        assert "Only a lead can show groups smaller than the program&#x27;s threshold of 10" in response.content.decode()


@pytest.mark.parametrize("typed", ["3", "abc", "99999999999999999999999"])
def test_nobody_goes_below_the_district_minimum_and_a_bad_number_is_explained(client, team, settings, typed):
    settings.SUPPRESSION_THRESHOLD_MIN = 5
    login(client, team.lead)
    response = client.post(reverse("report_list", kwargs={"slug": team.program.slug}),
                           {"kind": "thematic", "threshold": typed})
    assert response.status_code == 200 and not Report.objects.exists()
    page = response.content.decode()
    assert "The threshold can be 5 or more, never less." in page and f'value="{typed}"' in page  # what was typed stays


def test_a_withheld_bar_says_withheld_not_fewer_than_when_it_is_not_small(team, monkeypatch):
    # Raised by 7 of 10, withheld because 3 did not: "fewer than 5" would be false.
    from reports import content

    team.program.suppression_threshold = 5
    team.program.save()
    school = SchoolFactory(name="Lincoln High")
    team.program.schools.set([school])
    _heard(team, [StudentFactory(school=school, grade=9) for _ in range(10)], raising=7)
    drawn = []
    real = content.horizontal_bars
    monkeypatch.setattr(content, "horizontal_bars", lambda labels, values, **kw: drawn.append((labels, values, kw))
                        or real(labels, values, **kw))
    data = content.report_data(team.program)
    overview = drawn[-1]
    assert overview[0] == ["Lunch is too short"] and overview[1] == [None]
    assert overview[2]["hidden_label"] == ["withheld"] and data.all_themes()[0].raised.display == "withheld"
