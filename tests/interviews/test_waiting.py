"""What the program still waits for: consented students in no session, invited students without
consent, sessions to run; names for leads only, counts for everyone else, on the Sessions page and the
dashboard, in a constant number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.models import Session, SessionFormat, SessionStatus
from interviews.waiting import waiting_for
from recruitment.models import ConsentStatus, Invitation
from tests.factories import StudentFactory, ready_protocol
from tests.test_helpers import count_queries, login

SOON = timezone.make_aware(dt.datetime(2026, 12, 3, 10, 0))


def invite(program, consent=ConsentStatus.GRANTED, assent=ConsentStatus.GRANTED, **names):
    student = StudentFactory(**names)
    Invitation.objects.create(program=program, student=student, parent_consent=consent, student_assent=assent)
    return student


def session(team, students, status=SessionStatus.SCHEDULED, day=0):
    made = Session.objects.create(program=team.program, format=SessionFormat.FOCUS_GROUP,
                                  protocol=ready_protocol(team.program) if day == 0 else
                                  Session.objects.filter(program=team.program).first().protocol,
                                  starts_at=SOON + dt.timedelta(days=day), facilitator=team.facilitator, status=status)
    made.participants.set(students)
    return made


@pytest.fixture
def week(team):
    program = team.program
    in_session = invite(program, first_name="Ana", last_name="Scheduled")
    cancelled_only = invite(program, first_name="Ben", last_name="Cancelled")
    never = invite(program, first_name="Cleo", last_name="Waiting")
    pending = invite(program, consent=ConsentStatus.PENDING, first_name="Dev", last_name="Pending")
    assent_pending = invite(program, assent=ConsentStatus.PENDING, first_name="Eli", last_name="Assent")
    invite(program, consent=ConsentStatus.DECLINED, assent=ConsentStatus.PENDING, first_name="Fay", last_name="Declined")
    session(team, [in_session])
    session(team, [cancelled_only], status=SessionStatus.CANCELLED, day=1)
    session(team, [], day=2)  # an empty session does not hide anyone
    return team, {"never": never, "cancelled": cancelled_only, "pending": pending, "assent": assent_pending}


def test_the_domain_function_finds_who_and_what_is_waiting(week):
    team, students = week
    waiting = waiting_for(team.program, with_names=True)
    assert waiting.unscheduled == sorted([students["cancelled"], students["never"]], key=lambda s: s.last_name)
    assert waiting.awaiting_consent == [students["assent"], students["pending"]]
    assert (waiting.unscheduled_count, waiting.awaiting_consent_count, waiting.sessions_to_run) == (2, 2, 2)


def test_without_names_it_loads_only_counts(week):
    team, _ = week
    waiting = waiting_for(team.program, with_names=False)
    assert (waiting.unscheduled, waiting.awaiting_consent) == ([], [])
    assert (waiting.unscheduled_count, waiting.awaiting_consent_count, waiting.sessions_to_run) == (2, 2, 2)


@pytest.mark.parametrize("page", ["session_list", "program_dashboard"])
def test_a_lead_sees_the_names(client, week, page):
    team, _ = week
    login(client, team.lead)
    html = client.get(reverse(page, kwargs={"slug": team.program.slug})).content.decode()
    assert "2 students with consent are in no session yet" in html
    assert "Cleo Waiting" in html and "Ben Cancelled" in html
    assert "2 invited students have no consent or assent yet" in html and "Dev Pending" in html
    assert "2 sessions still to run" in html
    assert "Fay Declined" not in html and "Ana Scheduled" not in html


@pytest.mark.parametrize("persona", ["facilitator", "analyst", "viewer"])
@pytest.mark.parametrize("page", ["session_list", "program_dashboard"])
def test_everyone_else_sees_counts_only(client, week, page, persona):
    team, _ = week
    login(client, getattr(team, persona))
    response = client.get(reverse(page, kwargs={"slug": team.program.slug}))
    assert response.status_code == 200  # both pages are open to every member (programs/pages.py)
    html = response.content.decode()
    assert "2 students with consent are in no session yet" in html
    for name in ("Cleo Waiting", "Ben Cancelled", "Dev Pending", "Eli Assent"):
        assert name not in html, name


@pytest.mark.parametrize("page", ["session_list", "program_dashboard"])
def test_the_pages_keep_a_constant_number_of_queries(client, week, page):
    team, _ = week
    login(client, team.lead)
    url = reverse(page, kwargs={"slug": team.program.slug})
    small = count_queries(lambda: client.get(url))
    for _ in range(6):
        invite(team.program)
        invite(team.program, consent=ConsentStatus.PENDING)
    assert count_queries(lambda: client.get(url)) == small
