"""Only a student makes a follow-up, through their link (interviews.followups.add_follow_up): staff
cannot post one through the runner's notes endpoint, nor turn a note into one, nor edit one."""

from __future__ import annotations

import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.followups import add_follow_up, find_link, make_slips
from interviews.models import Note, NoteKind, NoteStep, Session, SessionFormat, SessionStatus
from interviews.notes import FOLLOW_UP_KEPT, STUDENTS_WRITE_FOLLOW_UPS, NoteRejected, NoteWrite, save_note
from recruitment.models import ConsentStatus, Invitation
from tests.factories import StudentFactory, ready_protocol
from tests.test_helpers import login


@pytest.fixture
def session(team):
    protocol = ready_protocol(team.program)
    session = Session.objects.create(program=team.program, format=SessionFormat.INDIVIDUAL, protocol=protocol,
                                     starts_at=timezone.now(), facilitator=team.facilitator, status=SessionStatus.COMPLETED)
    student = StudentFactory(first_name="Kid")
    session.participants.set([student])
    Invitation.objects.create(program=team.program, student=student, parent_consent=ConsentStatus.GRANTED,
                              student_assent=ConsentStatus.GRANTED)
    return session


def _write(session, **fields) -> dict:
    body = {"id": str(uuid.uuid4()), "version": 0, "step": "question", "question": session.protocol.questions.first().pk,
            "student": session.participants.first().pk, "kind": "student", "text": "I love the library."}
    return {**body, **fields}


def _post(client, session, body):
    url = reverse("runner_notes", kwargs={"slug": session.program.slug, "pk": session.pk})
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("forged", [{"kind": "follow_up"}, {"step": "follow_up", "question": None},
                                    {"kind": "follow_up", "step": "follow_up", "question": None}],
                         ids=["kind", "step", "both"])
@pytest.mark.parametrize("persona", ["facilitator", "lead"])
def test_staff_cannot_post_a_follow_up_in_a_students_name(client, team, session, forged, persona):
    login(client, getattr(team, persona))
    response = _post(client, session, _write(session, **forged))
    assert response.status_code == 400 and response.json()["error"] == str(STUDENTS_WRITE_FOLLOW_UPS)
    assert not Note.objects.exists()


def test_a_note_cannot_be_turned_into_a_follow_up(client, team, session):
    login(client, team.facilitator)
    body = _write(session)
    assert _post(client, session, body).status_code == 200
    response = _post(client, session, {**body, "version": 1, "kind": "follow_up"})
    assert response.status_code == 400 and response.json()["error"] == str(STUDENTS_WRITE_FOLLOW_UPS)
    assert Note.objects.get().kind == NoteKind.STUDENT


def test_a_students_follow_up_cannot_be_rewritten_by_staff(team, session):
    link = find_link(make_slips(session, user=team.facilitator)[0].code)
    note = add_follow_up(link, text="I forgot: the buses are late.")
    edit = NoteWrite(id=note.id, base_version=note.version, step=NoteStep.QUESTION,
                     question_id=session.protocol.questions.first().pk, student_id=note.student_id,
                     kind=NoteKind.STUDENT, text="Something else.")
    with pytest.raises(NoteRejected, match=str(FOLLOW_UP_KEPT)):
        save_note(session=session, write=edit, user=team.facilitator)
    note.refresh_from_db()
    assert (note.kind, note.text, note.version) == (NoteKind.FOLLOW_UP, "I forgot: the buses are late.", 1)


def test_the_students_link_still_makes_follow_ups(client, team, session):
    code = make_slips(session, user=team.facilitator)[0].code
    client.post(reverse("followup_page", kwargs={"code": code}), {"thoughts": "One more thing."})
    note = Note.objects.get()
    assert (note.kind, note.step, note.author) == (NoteKind.FOLLOW_UP, NoteStep.FOLLOW_UP, None)
