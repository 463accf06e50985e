"""The district repository (district/repository.py, district/repository_views.py): who may search it, what its
filters find, pseudonyms only, small counts suppressed per program, withdrawn and erased words never shown, and
a constant number of queries however many programs and notes there are."""

from __future__ import annotations

import datetime as dt
import random
import re
import uuid
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from analysis.codebook import add_code, seed_categories
from analysis.coding import apply_code
from analysis.models import Theme, ThemeQuote
from analysis.search import EMPTY_QUERY, ONLY_EXCLUSIONS
from district.repository import (
    RepositoryFilters,
    counts_by_program,
    may_open_repository,
    repository_notes,
    repository_programs,
    results_page,
)
from district.repository_forms import NOT_YOUR_PROGRAM
from district.repository_views import NOT_ALLOWED
from interviews.models import Note, NoteKind, NoteStep, Session, SessionFormat, SessionStatus
from participants.roles import DISTRICT_ADMINISTRATOR, PRIVACY_OFFICER, grant_district_role
from privacy.erasure import erase_notes
from programs.models import Program, Role
from recruitment.models import ConsentStatus, Invitation
from tests.factories import (
    MembershipFactory,
    ProgramFactory,
    SchoolFactory,
    StudentFactory,
    UserFactory,
    ready_protocol,
)
from tests.test_helpers import count_queries, login

URL = "/district/repository/"


@dataclass
class Place:
    program: Program
    session: Session
    students: list
    notes: list


def _program(slug: str, *, school, students: int, text: str, threshold: int = 5, starts_at=None,
             lead=None) -> Place:
    program = ProgramFactory(slug=slug, name=f"Program {slug}", suppression_threshold=threshold)
    program.schools.add(school)
    if lead is not None:
        MembershipFactory(program=program, user=lead, role=Role.LEAD)
    protocol = ready_protocol(program)
    session = Session.objects.create(program=program, format=SessionFormat.FOCUS_GROUP, protocol=protocol,
                                     starts_at=starts_at or timezone.now(), facilitator=UserFactory(),
                                     status=SessionStatus.COMPLETED)
    question = protocol.questions.first()
    people = [StudentFactory(school=school) for _ in range(students)]
    session.participants.set(people)
    notes = []
    for i, student in enumerate(people):
        Invitation.objects.create(program=program, student=student, parent_consent=ConsentStatus.GRANTED,
                                  student_assent=ConsentStatus.GRANTED)
        notes.append(Note.objects.create(id=uuid.uuid4(), session=session, step=NoteStep.QUESTION, question=question,
                                         student=student, kind=NoteKind.STUDENT, text=f"{text} ({slug} {i})"))
    return Place(program, session, people, notes)


@dataclass
class World:
    a: Place
    b: Place
    district_user: object
    lead_a: object
    members_a: dict
    outsider: object


@pytest.fixture
def world(db) -> World:
    lead_a = UserFactory(username="lead-a")
    a = _program("alpha", school=SchoolFactory(name="Lincoln High"), students=6, text="The cafeteria is loud",
                 lead=lead_a)
    b = _program("beta", school=SchoolFactory(name="Elm Middle"), students=3, text="The bus is late",
                 starts_at=timezone.now() - dt.timedelta(days=400))
    district_user = UserFactory(username="district-admin")
    grant_district_role(district_user, DISTRICT_ADMINISTRATOR)
    members = {}
    for role in (Role.FACILITATOR, Role.ANALYST, Role.VIEWER):
        members[role] = UserFactory(username=f"a-{role.value}")
        MembershipFactory(program=a.program, user=members[role], role=role)
    return World(a, b, district_user, lead_a, members, UserFactory(username="nobody"))


def _shown_notes(html: str) -> set[str]:
    return set(re.findall(r'data-repository-note="([0-9a-f-]{36})"', html))


# --- who may open it ----------------------------------------------------------------------------------------------


def test_a_district_user_sees_every_programs_words(client, world):
    login(client, world.district_user)
    html = client.get(URL).content.decode()
    assert _shown_notes(html) == {str(note.pk) for note in world.a.notes + world.b.notes}
    assert "Program beta" in html


def test_a_lead_sees_only_the_programs_they_lead(client, world):
    login(client, world.lead_a)
    html = client.get(URL).content.decode()
    assert _shown_notes(html) == {str(note.pk) for note in world.a.notes}
    assert "Program beta" not in html and "bus is late" not in html


def test_a_lead_cannot_choose_another_program_by_its_address(client, world):
    login(client, world.lead_a)
    response = client.get(URL, {"program": world.b.program.slug})
    html = response.content.decode()
    assert response.status_code == 200
    assert str(NOT_YOUR_PROGRAM) in html.replace("&#x27;", "'")
    assert not _shown_notes(html) and "bus is late" not in html


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.ANALYST, Role.VIEWER])
def test_other_members_of_a_program_are_refused(client, world, role):
    login(client, world.members_a[role])
    response = client.get(URL)
    assert response.status_code == 403
    assert str(NOT_ALLOWED) in response.content.decode().replace("&#x27;", "'")


def test_a_person_on_no_program_is_refused_and_anonymous_is_sent_to_sign_in(client, world):
    assert client.get(URL).status_code == 302
    login(client, world.outsider)
    assert client.get(URL).status_code == 403


def test_a_privacy_officer_without_the_repository_permission_is_refused(client, world):
    officer = UserFactory()
    grant_district_role(officer, PRIVACY_OFFICER)
    login(client, officer)
    assert client.get(URL).status_code == 403


def test_only_get_is_answered(client, world):
    login(client, world.district_user)
    assert client.post(URL).status_code == 405


def test_who_may_open_it(world):
    assert may_open_repository(user=world.district_user) and may_open_repository(user=world.lead_a)
    assert not any(may_open_repository(user=person) for person in [*world.members_a.values(), world.outsider])
    assert set(repository_programs(user=world.lead_a)) == {world.a.program}
    assert set(repository_programs(user=world.district_user)) == {world.a.program, world.b.program}


def test_the_top_bar_links_it_for_district_users_and_the_home_page_for_leads(client, world):
    login(client, world.district_user)
    assert f'href="{URL}"' in client.get(reverse("home")).content.decode()
    login(client, world.lead_a)
    assert f'href="{URL}"' in client.get(reverse("home")).content.decode()
    login(client, world.members_a[Role.ANALYST])
    assert f'href="{URL}"' not in client.get(reverse("home")).content.decode()


# --- filters ------------------------------------------------------------------------------------------------------


def _found(world, **filters) -> set:
    programs = Program.objects.all()
    return set(repository_notes(programs=programs, filters=RepositoryFilters(**filters)))


def test_the_program_school_and_year_filters(world):
    assert _found(world, program=world.b.program) == set(world.b.notes)
    assert _found(world, school=world.a.program.schools.get()) == set(world.a.notes)
    this_year, last_year = world.a.session.starts_at.year, world.b.session.starts_at.year
    assert _found(world, year=this_year) == set(world.a.notes)
    assert _found(world, year=last_year) == set(world.b.notes)
    assert _found(world, program=world.a.program, year=last_year) == set()


def test_the_school_filter_keeps_the_groups_words_of_a_program_listening_to_that_school(world):
    group_note = Note.objects.create(id=uuid.uuid4(), session=world.a.session, step=NoteStep.QUESTION,
                                     kind=NoteKind.STUDENT, text="We all agree it is loud")
    assert group_note in _found(world, school=world.a.program.schools.get())
    assert group_note not in _found(world, school=world.b.program.schools.get())


def test_the_code_and_theme_filters_match_names_in_any_program(world):
    categories = seed_categories(world.a.program)
    noise = add_code(world.a.program, category=categories[0], name="Noise")
    apply_code(note=world.a.notes[0], code=noise, start=0, end=3, coder=world.lead_a)
    theme = Theme.objects.create(program=world.a.program, name="Crowded lunch")
    theme.codes.add(noise)
    other = Theme.objects.create(program=world.b.program, name="crowded LUNCH")
    ThemeQuote.objects.create(theme=other, note=world.b.notes[1], start=0, end=3, snippet=world.b.notes[1].text[:3])
    assert _found(world, code="noise") == {world.a.notes[0]}
    assert _found(world, theme="Crowded lunch") == {world.a.notes[0], world.b.notes[1]}
    assert _found(world, code="Nothing of the kind") == set()


def test_the_search_box_finds_words_across_programs_accents_and_case_ignored(world):
    accented = Note.objects.create(id=uuid.uuid4(), session=world.b.session, step=NoteStep.QUESTION,
                                   student=world.b.students[0], kind=NoteKind.STUDENT, text="La CAFETERÍA está llena")
    assert _found(world, query="cafeteria") == set(world.a.notes) | {accented}
    assert _found(world, query='"bus is late"') == set(world.b.notes)
    assert _found(world, query="cafeteria", program=world.b.program) == {accented}
    assert _found(world, query="cafeteria -loud") == {accented}
    assert _found(world, query="caf*", school=world.a.program.schools.get()) == set(world.a.notes)


def test_the_words_found_are_marked_in_each_result(client, world):
    login(client, world.district_user)
    html = client.get(URL, {"q": "LOUD"}).content.decode()
    assert _shown_notes(html) == {str(note.pk) for note in world.a.notes}
    assert html.count("<mark>loud</mark>") == len(world.a.notes)


def test_the_words_of_a_note_are_escaped_around_the_marks(client, world):
    Note.objects.filter(pk=world.a.notes[0].pk).update(text="<b>loud</b> & <script>x</script>")
    login(client, world.district_user)
    html = client.get(URL, {"q": "loud"}).content.decode()
    assert "&lt;b&gt;<mark>loud</mark>&lt;/b&gt; &amp; &lt;script&gt;" in html


@pytest.mark.parametrize(("typed", "message"), [("-bus", ONLY_EXCLUSIONS), ("x" * 201, None), ('"   "', EMPTY_QUERY)])
def test_a_query_that_cannot_be_searched_is_answered_and_kept(client, world, typed, message):
    login(client, world.district_user)
    html = client.get(URL, {"q": typed, "year": ""}).content.decode().replace("&#x27;", "'").replace("&quot;", '"')
    assert 'is-invalid' in html and not _shown_notes(html)
    if message is not None:
        assert str(message) in html
        assert f'value="{typed}"' in html


def test_a_bad_choice_is_answered_and_what_was_typed_is_kept(client, world):
    login(client, world.district_user)
    html = client.get(URL, {"code": "Noise", "year": "1850", "page": "0"}).content.decode()
    assert "Choose one of the years listed." in html
    assert 'value="Noise"' in html
    assert "There is no such page of results" in html
    assert not _shown_notes(html)


def test_results_come_a_page_at_a_time_without_a_count(world):
    extra = _program("gamma", school=SchoolFactory(), students=30, text="Lockers jam")
    notes = repository_notes(programs=Program.objects.filter(pk=extra.program.pk), filters=RepositoryFilters())
    first, second = results_page(notes=notes, number=1, size=20), results_page(notes=notes, number=2, size=20)
    assert len(first.results) == 20 and first.has_next and not first.has_previous
    assert len(second.results) == 10 and not second.has_next and second.has_previous
    shown = {result.note.pk for result in first.results + second.results}
    assert shown == {note.pk for note in extra.notes}


def test_results_come_newest_session_first_each_in_the_order_its_words_were_written(world):
    page = results_page(notes=repository_notes(programs=Program.objects.all(), filters=RepositoryFilters()))
    assert [result.note for result in page.results] == world.b.notes + world.a.notes  # b was scheduled last


# --- privacy ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(3))
def test_students_appear_by_pseudonym_only_to_district_users_and_leads(client, db, seed):
    rng = random.Random(seed)
    lead = UserFactory()
    district_user = UserFactory()
    grant_district_role(district_user, DISTRICT_ADMINISTRATOR)
    places = [_program(f"p{seed}-{i}", school=SchoolFactory(), students=rng.randint(2, 8), lead=lead,
                       text=rng.choice(["Lunch is short", "Nobody listens", "I like art"])) for i in range(3)]
    students = [student for place in places for student in place.students]
    for person in (district_user, lead):
        login(client, person)
        html = client.get(URL).content.decode()
        for student in students:
            assert student.pseudonym in html
            for secret in (student.first_name, student.last_name, student.local_id):
                assert not re.search(rf"\b{re.escape(secret)}\b", html), secret


def test_withdrawn_and_erased_words_never_appear(client, world):
    withdrawn, erased = world.a.notes[0], world.b.notes[0]
    Invitation.objects.filter(program=world.a.program, student=withdrawn.student).update(
        student_assent=ConsentStatus.WITHDRAWN)
    erase_notes(Note.objects.filter(pk=erased.pk))
    login(client, world.district_user)
    html = client.get(URL).content.decode()
    shown = _shown_notes(html)
    assert str(withdrawn.pk) not in shown and str(erased.pk) not in shown
    assert withdrawn.text not in html and erased.text not in html
    assert str(world.a.notes[1].pk) in shown
    for words in ("cafeteria", "bus"):
        shown = _shown_notes(client.get(URL, {"q": words}).content.decode())
        assert shown and str(withdrawn.pk) not in shown and str(erased.pk) not in shown


def test_a_withdrawal_in_one_program_does_not_hide_the_students_words_in_another(world):
    student = world.a.students[0]
    Invitation.objects.create(program=world.b.program, student=student, parent_consent=ConsentStatus.WITHDRAWN)
    other_words = Note.objects.create(id=uuid.uuid4(), session=world.b.session, step=NoteStep.QUESTION,
                                      student=student, kind=NoteKind.STUDENT, text="Said in beta")
    found = _found(world)
    assert world.a.notes[0] in found and other_words not in found


def test_observations_and_unfinished_sessions_are_left_out(world):
    observation = Note.objects.create(id=uuid.uuid4(), session=world.a.session, step=NoteStep.QUESTION,
                                      kind=NoteKind.OBSERVATION, text="Room was cold")
    Session.objects.filter(pk=world.b.session.pk).update(status=SessionStatus.IN_PROGRESS)
    found = _found(world)
    assert observation not in found and not set(world.b.notes) & found


def test_the_first_page_shows_the_newest_words_and_counts_only_once_something_is_asked(client, world):
    login(client, world.district_user)
    html = client.get(URL).content.decode()
    assert "data-repository-counts" not in html and "data-counts-hint" in html
    assert _shown_notes(html)
    html = client.get(URL, {"year": str(world.a.session.starts_at.year)}).content.decode()
    assert "data-repository-counts" in html and "data-counts-hint" not in html


def test_counts_below_a_programs_threshold_are_fewer_than_n_and_no_total_is_given(client, world):
    login(client, world.district_user)
    html = client.get(URL, {"q": "is"}).content.decode()
    table = html.split("data-repository-counts", 1)[1].split("</table>", 1)[0]
    alpha = table.split('data-program="alpha"', 1)[1].split("</tr>", 1)[0]
    beta = table.split('data-program="beta"', 1)[1].split("</tr>", 1)[0]
    assert ">6<" in alpha  # 6 notes and 6 students, at or above alpha's threshold of 5
    assert "fewer than 5 students" in beta and "3" not in beta
    assert "<tfoot>" not in table  # 9 in all would give beta's 3 away


def test_each_program_is_held_to_its_own_threshold_and_a_total_only_when_nothing_is_hidden(world):
    Program.objects.filter(pk=world.b.program.pk).update(suppression_threshold=5)
    Program.objects.filter(pk=world.a.program.pk).update(suppression_threshold=7)
    programs = list(Program.objects.all())
    counts = counts_by_program(notes=_found_qs(), programs=programs)
    by_slug = {row.program.slug: row for row in counts.rows}
    assert by_slug["alpha"].students.display == "fewer than 7"
    assert by_slug["beta"].students.display == "fewer than 5"
    assert counts.total_notes is None and counts.any_hidden
    Program.objects.update(suppression_threshold=5)
    for place in (world.b,):
        for _ in range(2):
            student = StudentFactory()
            Note.objects.create(id=uuid.uuid4(), session=place.session, step=NoteStep.QUESTION, student=student,
                                kind=NoteKind.STUDENT, text="More words")
    counts = counts_by_program(notes=_found_qs(), programs=list(Program.objects.all()))
    assert counts.total_notes == 11 and not counts.any_hidden
    assert [row.students.value for row in counts.rows] == [6, 5]


def _found_qs():
    return repository_notes(programs=Program.objects.all(), filters=RepositoryFilters())


# --- queries ------------------------------------------------------------------------------------------------------


def _queries_with(client, user, *, programs: int, students: int) -> int:
    for i in range(programs):
        place = _program(f"size-{programs}-{i}", school=SchoolFactory(), students=students, text="Lunch",
                         lead=user)
        categories = seed_categories(place.program)
        code = add_code(place.program, category=categories[0], name=f"Code {i}")
        apply_code(note=place.notes[0], code=code, start=0, end=3, coder=user)
        Theme.objects.create(program=place.program, name=f"Theme {i}").codes.add(code)
    login(client, user)
    return count_queries(lambda: client.get(URL, {"q": "lunch", "school": "", "code": ""}))


@pytest.mark.parametrize("who", ["district", "lead"])
def test_the_page_costs_the_same_queries_with_more_programs_and_notes(client, db, who):
    small, large = UserFactory(), UserFactory()
    if who == "district":
        for person in (small, large):
            grant_district_role(person, DISTRICT_ADMINISTRATOR)
    few = _queries_with(client, small, programs=1, students=3)
    many = _queries_with(client, large, programs=6, students=25)
    assert few == many, (few, many)
    assert few < 20, few
