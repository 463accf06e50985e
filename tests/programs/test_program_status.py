"""The program's status follows the work: a session starts (interviewing), the last session is done
(analysing), the first action is added (acting); it never moves backward and a lead still sets it by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionKind
from actions.plan import action_from_idea, add_idea
from interviews.models import SessionFormat
from interviews.protocols import record_review
from interviews.scheduling import SessionPlan, cancel_session, complete_session, schedule_session, start_session
from programs.models import Program, ProgramStatus
from programs.status import advance_status
from recruitment.models import ConsentStatus, Invitation, InvitationStatus
from tests.factories import StudentFactory, ready_protocol
from tests.test_helpers import login

SOON = timezone.make_aware(dt.datetime(2026, 12, 3, 10, 0))


def status_of(program: Program) -> str:
    return Program.objects.get(pk=program.pk).status


@pytest.fixture
def two_sessions(team):
    record_review(protocol=ready_protocol(team.program), user=team.lead)
    students = [StudentFactory() for _ in range(6)]
    for student in students:
        Invitation.objects.create(program=team.program, student=student, parent_consent=ConsentStatus.GRANTED,
                                  student_assent=ConsentStatus.GRANTED, status=InvitationStatus.CONSENTED)
    sessions = [schedule_session(SessionPlan(program=team.program, format=SessionFormat.FOCUS_GROUP,
                                             starts_at=SOON + dt.timedelta(days=day), duration_minutes=45,
                                             facilitator=team.lead, students=students[3 * day:3 * day + 3]),
                                 user=team.lead, sees_names=True) for day in (0, 1)]
    return team, sessions


def test_advance_moves_forward_only_and_says_whether_it_moved(team):
    assert advance_status(program=team.program, to=ProgramStatus.ANALYSING)
    assert team.program.status == status_of(team.program) == ProgramStatus.ANALYSING
    assert not advance_status(program=team.program, to=ProgramStatus.INTERVIEWING)
    assert status_of(team.program) == ProgramStatus.ANALYSING


def test_the_status_moves_with_the_sessions(two_sessions):
    team, (first, second) = two_sessions
    assert status_of(team.program) == ProgramStatus.PLANNING
    start_session(first, user=team.lead)
    assert status_of(team.program) == ProgramStatus.INTERVIEWING
    complete_session(first, user=team.lead)
    assert status_of(team.program) == ProgramStatus.INTERVIEWING  # one still to run
    start_session(second, user=team.lead)
    complete_session(second, user=team.lead)
    assert status_of(team.program) == ProgramStatus.ANALYSING


def test_cancelling_the_last_session_left_after_one_was_done_moves_to_analysing(two_sessions):
    team, (first, second) = two_sessions
    start_session(first, user=team.lead)
    complete_session(first, user=team.lead)
    cancel_session(second, reason="Snow day")
    assert status_of(team.program) == ProgramStatus.ANALYSING


def test_the_first_action_moves_to_acting(team):
    Program.objects.filter(pk=team.program.pk).update(status=ProgramStatus.ANALYSING)
    idea = add_idea(program=team.program, author=team.lead, title="A second lunch period")
    action_from_idea(idea, owner=team.lead, kind=ActionKind.values[0])
    assert status_of(team.program) == ProgramStatus.ACTING


@pytest.mark.parametrize("by_hand", [ProgramStatus.ACTING, ProgramStatus.CLOSED])
def test_an_event_never_moves_a_status_the_lead_set_later_back(two_sessions, by_hand):
    team, (first, _) = two_sessions
    Program.objects.filter(pk=team.program.pk).update(status=by_hand)
    start_session(first, user=team.lead)
    assert status_of(team.program) == by_hand


def test_a_lead_can_still_set_the_status_on_the_form(client, team):
    program = team.program
    login(client, team.lead)
    data = {"name": program.name, "slug": program.slug, "theme": program.theme or "A theme", "purpose": "",
            "schools": [], "starts_on": program.starts_on.isoformat(), "ends_on": program.ends_on.isoformat(),
            "status": ProgramStatus.INTERVIEWING, "suppression_threshold": program.suppression_threshold}
    response = client.post(reverse("program_edit", kwargs={"slug": program.slug}), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert status_of(program) == ProgramStatus.INTERVIEWING
