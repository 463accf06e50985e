from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from participants.conflicts import students_taught_by
from participants.models import StaffMember
from recruitment.facilitators import facilitator_candidates
from recruitment.models import Invitation
from tests.factories import SchoolFactory, StaffMemberFactory, StudentFactory, TeachingAssignmentFactory
from tests.test_helpers import count_queries, login

TODAY = dt.date(2026, 11, 1)


def test_conflicts_count_only_current_assignments(db):
    teacher = StaffMemberFactory()
    now, past, future = StudentFactory(), StudentFactory(), StudentFactory()
    TeachingAssignmentFactory(staff=teacher, student=now, starts_on=dt.date(2026, 8, 15))
    TeachingAssignmentFactory(staff=teacher, student=past, starts_on=dt.date(2026, 1, 5), ends_on=dt.date(2026, 6, 1))
    TeachingAssignmentFactory(staff=teacher, student=future, starts_on=dt.date(2027, 1, 5))
    taught = students_taught_by(staff_ids=[teacher.pk], student_ids=[now.pk, past.pk, future.pk], on=TODAY)
    assert taught == {teacher.pk: {now.pk}}


def test_conflicts_ignore_students_outside_the_group(db):
    teacher = StaffMemberFactory()
    TeachingAssignmentFactory(staff=teacher, student=StudentFactory(), starts_on=dt.date(2026, 8, 15))
    assert students_taught_by(staff_ids=[teacher.pk], student_ids=[StudentFactory().pk], on=TODAY) == {}


@pytest.fixture
def setup(team):
    school = SchoolFactory()
    team.program.schools.add(school)
    teacher = StaffMemberFactory(full_name="Tess Teacher")
    teacher.schools.add(school)
    outsider = StaffMemberFactory(full_name="Olu Outside", is_outside_facilitator=True)
    student = StudentFactory(school=school, first_name="Priya", last_name="Shah")
    Invitation.objects.create(program=team.program, student=student)
    TeachingAssignmentFactory(staff=teacher, student=student)
    return team, teacher, outsider, student


def test_candidates_show_who_teaches_invited_students(setup):
    team, teacher, outsider, student = setup
    candidates = {c.staff.full_name: c for c in facilitator_candidates(team.program)}
    assert candidates["Tess Teacher"].taught == [student] and not candidates["Tess Teacher"].free_to_facilitate
    assert candidates["Olu Outside"].free_to_facilitate


def test_the_page_shows_conflicts_to_leads(client, setup):
    team, *_ = setup
    login(client, team.lead)
    page = client.get(reverse("program_facilitators", kwargs={"slug": team.program.slug})).content.decode()
    assert "Teaches 1 invited" in page and "Priya Shah" in page and "Free to facilitate" in page


@pytest.mark.parametrize("persona", ["facilitator", "analyst", "viewer"])
def test_other_roles_get_403(client, setup, persona):
    team, *_ = setup
    login(client, getattr(team, persona))
    assert client.get(reverse("program_facilitators", kwargs={"slug": team.program.slug})).status_code == 403


def test_the_page_keeps_a_constant_number_of_queries(client, setup):
    team, teacher, _, _ = setup
    login(client, team.lead)
    url = reverse("program_facilitators", kwargs={"slug": team.program.slug})
    small = count_queries(lambda: client.get(url))
    school = team.program.schools.first()
    for _ in range(8):
        extra = StaffMemberFactory()
        extra.schools.add(school)
        student = StudentFactory(school=school)
        Invitation.objects.create(program=team.program, student=student)
        TeachingAssignmentFactory(staff=extra, student=student)
    large = count_queries(lambda: client.get(url))
    assert small == large


def test_candidates_are_free_for_the_groups_whose_invited_students_they_do_not_teach(team):
    north, south = SchoolFactory(name="North"), SchoolFactory(name="South")
    team.program.schools.add(north, south)
    teacher = StaffMemberFactory()
    teacher.schools.add(north)
    taught, other = StudentFactory(school=north), StudentFactory(school=south)
    for student in (taught, other):
        Invitation.objects.create(program=team.program, student=student)
    TeachingAssignmentFactory(staff=teacher, student=taught)
    candidate = next(c for c in facilitator_candidates(team.program) if c.staff == teacher)
    assert candidate.free_for == ["South"] and candidate.not_for == ["North"]


def test_lead_edits_readiness_and_adds_an_outside_facilitator(client, setup):
    team, teacher, *_ = setup
    login(client, team.lead)
    url = reverse("program_facilitators", kwargs={"slug": team.program.slug})
    client.post(url, {"action": "readiness", "staff": teacher.pk, "training_completed": "on", "readiness_notes": "Trained in May"})
    teacher.refresh_from_db()
    assert teacher.training_completed and teacher.readiness_notes == "Trained in May"
    client.post(url, {"action": "outside", "full_name": "Rae Partner", "email": "rae@youth.example"})
    assert StaffMember.objects.get(full_name="Rae Partner").is_outside_facilitator


def test_a_bad_outside_facilitator_form_explains_and_keeps_input(client, setup):
    team, *_ = setup
    login(client, team.lead)
    url = reverse("program_facilitators", kwargs={"slug": team.program.slug})
    page = client.post(url, {"action": "outside", "full_name": "", "email": "not-an-email"}).content.decode()
    assert "Give the facilitator&#x27;s name." in page and "Enter an e-mail address such as" in page
    assert 'value="not-an-email"' in page


def test_readiness_of_staff_outside_the_program_is_not_reachable(client, setup):
    team, *_ = setup
    stranger = StaffMemberFactory()  # no school of this program, not an outside facilitator
    login(client, team.lead)
    url = reverse("program_facilitators", kwargs={"slug": team.program.slug})
    assert client.post(url, {"action": "readiness", "staff": stranger.pk, "readiness_notes": "x"}).status_code == 404
