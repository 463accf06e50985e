"""A facilitator or note-taker runs their session only while their program role still runs sessions:
once demoted (to viewer or analyst), the assignment that is left opens nothing and writes nothing."""

from __future__ import annotations

import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.models import FollowUpLink, Note, NoteKind, NoteStep, Session, SessionFormat, SessionStatus
from interviews.scheduling import can_run
from programs.models import Membership, Role
from recruitment.models import ConsentStatus, Invitation
from tests.factories import StudentFactory, UserFactory, ready_protocol
from tests.test_helpers import login


@pytest.fixture
def session(team):
    protocol = ready_protocol(team.program)
    note_taker = UserFactory(username="note-taker")
    Membership.objects.create(program=team.program, user=note_taker, role=Role.FACILITATOR)
    session = Session.objects.create(program=team.program, format=SessionFormat.FOCUS_GROUP, protocol=protocol,
                                     starts_at=timezone.now(), facilitator=team.facilitator, note_taker=note_taker,
                                     status=SessionStatus.IN_PROGRESS)
    students = [StudentFactory(first_name=f"Kid{i}", last_name="Surname") for i in range(3)]
    session.participants.set(students)
    for student in students:
        Invitation.objects.create(program=team.program, student=student, parent_consent=ConsentStatus.GRANTED,
                                  student_assent=ConsentStatus.GRANTED)
    Note.objects.create(id=uuid.uuid4(), session=session, step=NoteStep.QUESTION, question=protocol.questions.first(),
                        student=students[0], kind=NoteKind.STUDENT, text="Lunch is loud.", author=team.facilitator)
    return session


def _demote(program, user, role):
    Membership.objects.filter(program=program, user=user).update(role=role)


def _urls(session) -> dict[str, str]:
    kwargs = {"slug": session.program.slug, "pk": session.pk}
    return {name: reverse(name, kwargs=kwargs)
            for name in ("runner", "runner_notes", "notes_review", "followup_slips", "session_detail", "session_action")}


def _note_body(session) -> str:
    return json.dumps({"id": str(uuid.uuid4()), "version": 0, "step": "question",
                       "question": session.protocol.questions.first().pk, "student": session.participants.first().pk,
                       "kind": "student", "text": "Written after the demotion."})


@pytest.mark.parametrize("demoted_to", [Role.VIEWER, Role.ANALYST])
@pytest.mark.parametrize("who", ["facilitator", "note_taker"])
def test_a_demoted_session_team_member_is_refused_everywhere_and_writes_nothing(client, team, session, who, demoted_to):
    person = getattr(session, who)
    _demote(team.program, person, demoted_to)
    login(client, person)
    urls = _urls(session)
    notes, links = Note.objects.count(), FollowUpLink.objects.count()

    assert client.get(urls["runner"]).status_code == 403
    assert client.post(urls["runner"], {"action": "finish"}).status_code == 403
    assert client.get(urls["runner_notes"]).status_code == 403
    assert client.post(urls["runner_notes"], _note_body(session), content_type="application/json").status_code == 403
    assert client.get(urls["notes_review"]).status_code == 403
    assert client.get(urls["followup_slips"]).status_code == 403
    assert client.post(urls["followup_slips"]).status_code == 403
    assert client.post(urls["session_action"], {"action": "complete"}).status_code == 403

    page = client.get(urls["session_detail"])
    assert page.status_code == 200 and not page.context["names"] and not page.context["can_run"]
    assert "Surname" not in page.content.decode()

    session.refresh_from_db()
    assert session.status == SessionStatus.IN_PROGRESS
    assert (Note.objects.count(), FollowUpLink.objects.count()) == (notes, links)
    assert not can_run(session, person)


def test_the_same_person_runs_it_again_once_their_role_is_given_back(client, team, session):
    _demote(team.program, team.facilitator, Role.VIEWER)
    assert not can_run(session, team.facilitator)
    _demote(team.program, team.facilitator, Role.FACILITATOR)
    assert can_run(session, team.facilitator)
    login(client, team.facilitator)
    assert client.get(_urls(session)["runner"]).status_code == 200


def test_a_lead_runs_any_session_and_someone_off_the_team_none(team, session):
    assert can_run(session, team.lead)
    Membership.objects.filter(program=team.program, user=team.facilitator).delete()
    assert not can_run(session, team.facilitator)
    assert not can_run(session, team.outsider)


def test_a_facilitator_who_is_not_on_the_session_does_not_run_it(team, session):
    other = UserFactory(username="other-facilitator")
    Membership.objects.create(program=team.program, user=other, role=Role.FACILITATOR)
    assert not can_run(session, other)
