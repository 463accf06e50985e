from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from interviews.facilitators import facilitator_candidates
from interviews.models import Invitation
from participants.conflicts import students_taught_by
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
