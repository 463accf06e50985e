"""The runner's poll answers with an ETag; asked again with it, "304 Not Modified" while nothing in the
session changed, and the full answer as soon as anything did. The tag opens nothing: who may poll is
checked as on every poll."""

from __future__ import annotations

import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.models import Note, NoteKind, NoteStep, Session, SessionFormat, SessionStatus
from privacy.erasure import erase_notes
from programs.models import Membership, Role
from recruitment.models import ConsentStatus, Invitation
from tests.factories import StudentFactory, ready_protocol
from tests.test_helpers import login

BACKGROUND = {"X-Background": "1"}


@pytest.fixture
def session(team):
    protocol = ready_protocol(team.program)
    session = Session.objects.create(program=team.program, format=SessionFormat.FOCUS_GROUP, protocol=protocol,
                                     starts_at=timezone.now(), facilitator=team.facilitator,
                                     status=SessionStatus.IN_PROGRESS)
    student = StudentFactory(first_name="Kid")
    session.participants.set([student])
    Invitation.objects.create(program=team.program, student=student, parent_consent=ConsentStatus.GRANTED,
                              student_assent=ConsentStatus.GRANTED)
    Note.objects.create(id=uuid.uuid4(), session=session, step=NoteStep.QUESTION, question=protocol.questions.first(),
                        student=student, kind=NoteKind.STUDENT, text="Lunch is loud.", author=team.facilitator)
    return session


def url(session) -> str:
    return reverse("runner_notes", kwargs={"slug": session.program.slug, "pk": session.pk})


def poll(client, session, tag: str = "", since: str = ""):
    headers = {**BACKGROUND, **({"If-None-Match": tag} if tag else {})}
    return client.get(url(session), {"since": since} if since else {}, headers=headers)


def write(client, session, **fields):
    body = {"id": str(uuid.uuid4()), "version": 0, "step": "question", "question": session.protocol.questions.first().pk,
            "student": session.participants.first().pk, "kind": "student", "text": "The bus is late."}
    body.update(fields)
    return client.post(url(session), json.dumps(body), content_type="application/json")


def test_nothing_changed_is_a_304_without_the_notes_and_nothing_is_kept_by_the_browser(client, team, session):
    login(client, team.facilitator)
    first = poll(client, session)
    assert first.status_code == 200 and first["ETag"] and first["Cache-Control"] == "no-store"
    again = poll(client, session, first["ETag"])
    assert again.status_code == 304 and again.content == b"" and again["Cache-Control"] == "no-store"
    assert poll(client, session, f'"other", {first["ETag"]}').status_code == 304  # a list of tags


def test_every_change_in_the_session_ends_the_304(client, team, session):
    login(client, team.facilitator)
    note = Note.objects.get(session=session)

    def changed_after(change) -> dict:
        tag = poll(client, session)["ETag"]
        assert poll(client, session, tag).status_code == 304
        change()
        answer = poll(client, session, tag)
        assert answer.status_code == 200 and answer["ETag"] != tag
        return answer.json()

    added = {}
    assert any(n["text"] == "The bus is late." for n in changed_after(lambda: added.update(write(client, session).json()))["notes"])
    edited = changed_after(lambda: write(client, session, id=added["note"]["id"], version=1, text="The bus is late again."))
    assert "The bus is late again." in [n["text"] for n in edited["notes"]]
    kept = changed_after(lambda: write(client, session, id=added["note"]["id"], version=1, text="A second text."))
    assert "A second text." in [n["conflict_text"] for n in kept["notes"]]
    erased = changed_after(lambda: erase_notes(Note.objects.filter(pk=note.pk)))
    assert any(n["id"] == str(note.pk) and n["erased"] for n in erased["notes"])
    assert changed_after(lambda: Session.objects.filter(pk=session.pk).update(status=SessionStatus.COMPLETED))["status"] == "completed"
    assert changed_after(lambda: Session.objects.filter(pk=session.pk).update(language="es"))
    gone = changed_after(lambda: Note.objects.filter(pk=added["note"]["id"]).delete())
    assert added["note"]["id"] not in [n["id"] for n in gone["notes"]]


def test_a_tag_answers_only_the_question_it_was_given_for(client, team, session):
    login(client, team.facilitator)
    tag = poll(client, session)["ETag"]
    other = poll(client, session, tag, since=timezone.now().isoformat())
    assert other.status_code == 200 and other["ETag"] != tag


@pytest.mark.parametrize("who", ["outsider", "demoted", "signed_out", "analyst"])
def test_a_tag_opens_nothing_to_someone_who_may_not_poll(client, team, session, who):
    login(client, team.facilitator)
    tag = poll(client, session)["ETag"]
    expected = {"outsider": 404, "demoted": 403, "signed_out": 401, "analyst": 403}[who]
    if who == "outsider":
        client.logout()
        login(client, team.outsider)
    elif who == "demoted":
        Membership.objects.filter(program=team.program, user=team.facilitator).update(role=Role.VIEWER)
    elif who == "signed_out":
        client.logout()
    else:
        client.logout()
        login(client, team.analyst)
    assert poll(client, session, tag).status_code == expected


def test_a_lead_off_the_session_polls_and_a_facilitator_of_another_session_does_not(client, team, session):
    other = Session.objects.create(program=team.program, format=SessionFormat.FOCUS_GROUP, protocol=session.protocol,
                                   starts_at=timezone.now(), facilitator=team.lead, status=SessionStatus.IN_PROGRESS)
    login(client, team.facilitator)
    assert poll(client, other).status_code == 403
    client.logout()
    login(client, team.lead)
    tag = poll(client, session)["ETag"]
    assert poll(client, session, tag).status_code == 304
