"""The Students and Consent pages at the size of a real sample: a page of 50 invited students at a time
(the page number and the search in the address, kept by the pager and by each row's forms), counts of the
whole list, the same number of queries however many students there are, and the roster read as values
giving the very units the sampler gets from the models."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from participants.attributes import student_units
from recruitment.chasing import chase_rows
from recruitment.models import ConsentAnswer, ConsentContact, ConsentStatus, Invitation, SamplePlan
from recruitment.selection import invitation_list, population_for, population_units
from recruitment.views import INVITATIONS_PER_PAGE
from recruitment.views_consent import FAMILIES_PER_PAGE
from tests.factories import SchoolFactory, StudentFactory, StudentGroupFactory
from tests.test_helpers import login

# What the Students page asks the database, whatever the size of the roster and the sample: the session,
# the user, the membership with its program; the sample plan; the criteria the roster's extra attributes
# name (for the plan's form and for the community form); how many are invited and with consent (one
# aggregate); the audit entry; the page's count and its 50 rows; the plan again, the roster's values and its
# groups, the invited ids (representativeness); the community percentages; the district; the two permission
# lookups of the navigation; the groups the data does not hold.
STUDENTS_PAGE_QUERIES = 19
# The Consent page: the session, the user, the membership; the letter; every invitation with its letter,
# reminders and answer (one query); the plan, the roster's values and its groups, the invited and the
# consented ids (the consent gap); the audit entry; the letter again (its reminders' limit); the district;
# the two permission lookups.
CONSENT_PAGE_QUERIES = 15


@pytest.fixture
def program(team):
    north, south = SchoolFactory(name="North"), SchoolFactory(name="South")
    team.program.schools.add(north, south)
    SamplePlan.objects.create(program=team.program, size=12, criteria=["school", "grade", "english_learner", "group"])
    return team.program


def grow(program, *, invited: int, roster: int | None = None) -> None:
    """Bring the program's roster to `roster` students (some in a group, some with district attributes)
    and its sample to `invited`, with letters sent, some answers and a reminder now and then."""
    schools = list(program.schools.order_by("name"))
    robotics = StudentGroupFactory(name=f"Robotics {Invitation.objects.count()}", school=schools[1])
    students = list(population_for(program))
    for number in range(len(students), roster or invited):
        student = StudentFactory(school=schools[number % 2], grade=9 + number % 4, english_learner=number % 5 == 0,
                                 extra_attributes={"foster_care": number % 7 == 0} if number % 3 == 0 else {})
        if number % 4 == 0:
            student.groups.add(robotics)
        students.append(student)
    have = set(Invitation.objects.filter(program=program).values_list("student_id", flat=True))
    for number, student in enumerate(s for s in students if s.pk not in have):
        if len(have) >= invited:
            break
        have.add(student.pk)
        invitation = Invitation.objects.create(program=program, student=student)
        ConsentContact.objects.create(invitation=invitation, kind=ConsentContact.Kind.LETTER_PRINTED)
        if number % 3 == 0:
            ConsentAnswer.objects.create(invitation=invitation, answer=ConsentStatus.GRANTED, method="online",
                                         answered_on=dt.date.today())
            Invitation.objects.filter(pk=invitation.pk).update(parent_consent=ConsentStatus.GRANTED,
                                                                student_assent=ConsentStatus.GRANTED)
        elif number % 5 == 0:
            ConsentContact.objects.create(invitation=invitation, kind=ConsentContact.Kind.REMINDER_EMAILED,
                                          sent_at=timezone.now())


def students_url(program) -> str:
    return reverse("program_students", kwargs={"slug": program.slug})


def names_in(html: str) -> list[str]:
    return re.findall(r'<div class="fw-semibold" translate="no">([^<]+)</div>', html)


def full_name(invitation) -> str:
    return f"{invitation.student.first_name} {invitation.student.last_name}"


def test_the_students_page_makes_the_same_queries_for_a_dozen_and_for_three_pages_of_students(
        client, team, program, django_assert_num_queries):
    login(client, team.lead)
    url = students_url(program)
    grow(program, invited=12, roster=30)
    client.get(url)
    with django_assert_num_queries(STUDENTS_PAGE_QUERIES):
        client.get(url)
    grow(program, invited=2 * INVITATIONS_PER_PAGE + 20, roster=300)
    with django_assert_num_queries(STUDENTS_PAGE_QUERIES):
        assert client.get(url, {"page": 2}).status_code == 200
    with django_assert_num_queries(STUDENTS_PAGE_QUERIES):
        assert client.get(url, {"q": "Firstname", "page": 3}).status_code == 200


def test_the_consent_page_makes_the_same_queries_for_a_dozen_and_for_three_pages_of_families(
        client, team, program, django_assert_num_queries):
    login(client, team.lead)
    url = reverse("consent", kwargs={"slug": program.slug})
    grow(program, invited=12, roster=30)
    client.get(url)
    with django_assert_num_queries(CONSENT_PAGE_QUERIES):
        client.get(url)
    grow(program, invited=2 * FAMILIES_PER_PAGE + 20, roster=300)
    with django_assert_num_queries(CONSENT_PAGE_QUERIES):
        assert client.get(url, {"page": 2}).status_code == 200


def test_page_two_of_the_students_shows_the_51st_invitation_and_the_counts_of_the_whole_list(client, team, program):
    grow(program, invited=INVITATIONS_PER_PAGE + 10)
    login(client, team.lead)
    in_order = list(invitation_list(program=program))
    first = client.get(students_url(program)).content.decode()
    second = client.get(students_url(program), {"page": 2}).content.decode()
    assert names_in(first) == [full_name(i) for i in in_order[:INVITATIONS_PER_PAGE]]
    assert names_in(second) == [full_name(i) for i in in_order[INVITATIONS_PER_PAGE:]]
    assert full_name(in_order[INVITATIONS_PER_PAGE]) in second and full_name(in_order[INVITATIONS_PER_PAGE]) not in first
    assert "51–60 of 60 students" in second and "Page 2 of 2" in second
    consented = sum(1 for i in in_order if i.can_be_scheduled)
    response = client.get(students_url(program), {"page": 2})
    assert response.context["consented"] == consented and response.context["report"].sample_size == 60
    assert re.search(rf'<div class="stat-figure">{consented}</div><div class="stat-label">with consent and assent', second)


def test_the_search_is_kept_by_the_pager_and_by_each_rows_forms(client, team, program):
    grow(program, invited=INVITATIONS_PER_PAGE + 30)
    searched = list(invitation_list(program=program, search="Lastname"))
    assert len(searched) > INVITATIONS_PER_PAGE
    login(client, team.lead)
    first = client.get(students_url(program), {"q": "Lastname"}).content.decode()
    pager = re.search(r'<a class="page-link" href="([^"]+)">Next</a>', first).group(1).replace("&amp;", "&")
    parts = urlsplit(pager)
    assert parts.path == students_url(program) and parts.fragment == "invitations"
    assert parse_qs(parts.query) == {"q": ["Lastname"], "page": ["2"]}
    second = client.get(pager).content.decode()
    assert names_in(second) == [full_name(i) for i in searched[INVITATIONS_PER_PAGE:]]
    assert 'name="back" value="q=Lastname&amp;page=2"' in second
    # Locking a student on page 2 of the search comes back to page 2 of the search.
    invitation = searched[INVITATIONS_PER_PAGE]
    response = client.post(reverse("invitation_change", kwargs={"slug": program.slug, "pk": invitation.pk}),
                           {"action": "lock", "back": "q=Lastname&page=2&next=https://evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == students_url(program) + "?q=Lastname&page=2#invitations"
    assert Invitation.objects.get(pk=invitation.pk).locked


def test_a_search_narrows_the_list_and_says_so_when_nobody_matches(client, team, program):
    grow(program, invited=20)
    wanted = invitation_list(program=program)[7]
    login(client, team.lead)
    found = client.get(students_url(program), {"q": wanted.student.local_id}).content.decode()
    assert names_in(found) == [full_name(wanted)] and "20 invited in all" in found
    none = client.get(students_url(program), {"q": "nobody-like-this"}).content.decode()
    assert "No invited student has “nobody-like-this” in their name or id." in none
    assert "Re-balance the sample" in none  # the sample is there, only the search found nobody


def test_page_two_of_the_consent_page_shows_the_51st_family_and_the_counts_of_every_family(client, team, program):
    grow(program, invited=FAMILIES_PER_PAGE + 10)
    login(client, team.lead)
    url = reverse("consent", kwargs={"slug": program.slug})
    rows = chase_rows(program=program)
    second = client.get(url, {"page": 2}).content.decode()
    assert names_in(second) == [full_name(r.invitation) for r in rows[FAMILIES_PER_PAGE:]]
    assert "51–60 of 60 students" in second
    granted = sum(1 for r in rows if r.invitation.parent_consent == ConsentStatus.GRANTED)
    assert re.search(rf'data-status="granted"><div class="stat-figure">{granted}</div>', second)
    searched = client.get(url, {"q": "Lastname", "page": 2}).content.decode()
    pager = re.search(r'<a class="page-link" href="([^"]+)">Previous</a>', searched).group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(pager).query) == {"q": ["Lastname"], "page": ["1"]} and urlsplit(pager).fragment == "chasing"


def test_the_roster_read_as_values_gives_the_units_the_sampler_gets_from_the_models(program):
    grow(program, invited=0, roster=40)
    StudentFactory(school=program.schools.first(), race_ethnicity=["Asian", "White"], gpa="3.20", years_in_program=2,
                   home_language="es", special_education=True, gender="female")
    StudentFactory(school=program.schools.first(), race_ethnicity=[], gpa=None, extra_attributes={"house": "Blue"})
    StudentFactory(school=SchoolFactory(name="Elsewhere"))  # not in the program's schools
    expected = student_units(population_for(program))
    assert population_units(program) == expected and len(expected) == 42
