"""The themes list, a theme's page and the patterns page cost the same queries whatever the data: more
students, schools, sessions, notes, codings, themes and quotes add no query. And what they count from
the roster (its categories, which attributes nest) is what reading every student one by one gives."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from analysis.coding import apply_code
from analysis.disclosure import nesting
from analysis.models import Stance
from analysis.patterns import PATTERN_CRITERIA, interviewed_population, roster_categories
from analysis.themes import add_quote, create_theme, descriptors
from interviews.models import Note, NoteKind, NoteStep, Session, SessionFormat, SessionStatus
from participants.attributes import MULTI_VALUED, NOT_RECORDED, gender_category, gpa_band, years_band, yes_no
from participants.models import Student, StudentGroup, grade_label
from recruitment.models import ConsentStatus, Invitation
from tests.factories import SchoolFactory, StudentFactory
from toolkit.languages import home_language_category


def _pages(coded, theme) -> dict[str, str]:
    slug = coded.team.program.slug
    return {"themes": reverse("themes", args=[slug]), "patterns": reverse("patterns", args=[slug]),
            "theme_detail": reverse("theme_detail", args=[slug, theme.pk])}


def _queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _grow(coded, *, students: int, themes: int) -> None:
    """Another school, a session of `students` more students with two notes each, most of them coded, and
    `themes` more themes with a quote each."""
    program, first = coded.team.program, coded.session
    school = SchoolFactory(name="Roosevelt Middle")
    group = StudentGroup.objects.create(name="Robotics club")
    people = [StudentFactory(school=school, grade=6 + i % 3, english_learner=i % 3 == 0, special_education=i % 5 == 0,
                             gpa=Decimal("1.5") + Decimal(i % 6) / 2, race_ethnicity=[["Asian"], ["Black", "White"], []][i % 3])
              for i in range(students)]
    group.students.add(*people[::2])
    session = Session.objects.create(program=program, format=SessionFormat.FOCUS_GROUP, protocol=first.protocol,
                                     starts_at=timezone.now() + dt.timedelta(days=1), facilitator=first.facilitator,
                                     status=SessionStatus.COMPLETED)
    session.participants.set(people)
    codes = list(coded.codes.values())
    question = first.protocol.questions.first()
    for i, student in enumerate(people):
        Invitation.objects.create(program=program, student=student, parent_consent=ConsentStatus.GRANTED,
                                  student_assent=ConsentStatus.GRANTED)
        for n in range(2):
            note = Note.objects.create(id=uuid.uuid4(), session=session, step=NoteStep.QUESTION, question=question,
                                       student=student, kind=NoteKind.STUDENT, text=f"The bus is late, again ({i}, {n}).")
            if (i + n) % 3:
                apply_code(note=note, code=codes[(i + n) % len(codes)], coder=coded.team.analyst,
                           stance=[Stance.CHALLENGE, Stance.SUGGESTION][n])
    for number in range(themes):
        theme = create_theme(program=program, name=f"More theme {number}", codes=codes[number % 4:number % 4 + 2])
        add_quote(theme, application=theme.codes.first().applications.first())


@pytest.fixture
def theme(coded):
    for i, note in enumerate(coded.notes[:18]):
        apply_code(note=note, code=coded.codes["Noise" if i % 2 else "Time"], coder=coded.team.analyst,
                   stance=Stance.CHALLENGE)
    made = create_theme(program=coded.team.program, name="Lunch", codes=[coded.codes["Noise"], coded.codes["Time"]])
    add_quote(made, application=coded.codes["Noise"].applications.first())
    return made


@pytest.mark.parametrize("role", ["lead", "analyst", "viewer"])
def test_the_themes_theme_and_patterns_pages_cost_the_same_queries_with_much_more_data(coded, theme, client, role):
    client.force_login(getattr(coded.team, role))
    for address in _pages(coded, theme).values():
        client.get(address)  # the first visit reads what is then cached (the session, the navigation)
    before = {name: _queries(client, address) for name, address in _pages(coded, theme).items()}
    _grow(coded, students=30, themes=6)
    add_quote(theme, application=coded.codes["Time"].applications.first())
    after = {name: _queries(client, address) for name, address in _pages(coded, theme).items()}
    assert after == before


def test_the_theme_page_reads_the_interviewed_students_once(coded, theme, client):
    """Its descriptors and its counts come from one reading of the interviewed students: the students with
    what their descriptors read, once, and their features as plain values, once (no whole student rows)."""
    client.force_login(coded.team.lead)
    client.get(_pages(coded, theme)["theme_detail"])
    with CaptureQueriesContext(connection) as captured:
        client.get(_pages(coded, theme)["theme_detail"])
    read = [q["sql"] for q in captured.captured_queries if q["sql"].startswith('SELECT "participants_student"."id"')]
    assert len(read) == 2, read
    assert not any('"participants_student"."local_id"' in sql for sql in read)


def _every_student(program, criteria):
    """The roster's categories and nesting as they were worked out before: a row per roster row."""
    roster = Student.objects.filter(school__in=program.schools.all() if program.schools.exists() else
                                    Student.objects.values("school_id"))
    singles = [{"school": (school,), "grade": (f"Grade {grade_label(grade)}",), "gender": (gender_category(gender),),
                "english_learner": (yes_no(english),), "home_language": (home_language_category(home_language),),
                "special_education": (yes_no(special),), "gpa_band": (gpa_band(gpa),), "years_band": (years_band(years),)}
               for school, grade, gender, english, special, gpa, years, home_language in roster.values_list(
                   "school__name", "grade", "gender", "english_learner", "special_education", "gpa", "years_in_program",
                   "home_language").distinct()]
    categories = {c: {v for row in singles for v in row.get(c, ())} for c in criteria}
    categories["race_ethnicity"] = {race for races in roster.values_list("race_ethnicity", flat=True)
                                    for race in (races or [NOT_RECORDED])}
    linked = nesting(singles, criteria=[c for c in criteria if c in singles[0]], multi_valued=MULTI_VALUED)
    return categories, linked


def test_the_roster_read_a_combination_at_a_time_gives_what_every_student_gives(coded):
    _grow(coded, students=40, themes=0)
    program = coded.team.program
    population = interviewed_population(program)
    categories, linked = roster_categories(program, PATTERN_CRITERIA, students=population.students)
    expected, expected_linked = _every_student(program, PATTERN_CRITERIA)
    assert {c: categories[c] for c in categories if c != "group"} == {c: expected[c] for c in categories if c != "group"}
    assert linked == expected_linked and linked is not None


def test_nesting_with_repeated_rows_is_nesting_without_them():
    rows = [{"school": ("A",), "grade": (f"Grade {g}",)} for g in (9, 10)] + [{"school": ("B",), "grade": ("Grade 6",)}]
    repeated = rows * 50 + [{"school": ("A",), "grade": ("Grade 11",)}] + rows
    assert nesting(repeated, criteria=("school", "grade"), multi_valued=()) == nesting(
        rows + [{"school": ("A",), "grade": ("Grade 11",)}], criteria=("school", "grade"), multi_valued=())


def test_descriptors_from_the_students_given_are_those_read_again(coded, theme):
    _grow(coded, students=30, themes=0)
    program = coded.team.program
    assert descriptors(program, students=interviewed_population(program).students) == descriptors(program)
