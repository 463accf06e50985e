"""Queries made by the hot paths of a session on the floor: the minimal signed-in view, a note save (new,
edit, retry, conflict) and the runner's poll (nothing new, new notes), through the real views.

Each count is pinned exactly; the test client runs inside the test's transaction, so an atomic block
of the code adds a SAVEPOINT and a RELEASE here where production sends BEGIN and COMMIT (not counted).
"""

from __future__ import annotations

import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.models import Note, NoteKind, NoteStep, Session, SessionFormat, SessionStatus
from interviews.notes import BAD_LANGUAGE
from recruitment.models import ConsentStatus, Invitation
from tests.factories import StudentFactory, ready_protocol
from tests.test_helpers import login

BACKGROUND = {"X-Background": "1"}

# The minimal view: the session row, the user.
WHOAMI = 2
# Before issue 21 (commit a2fa218) a note save cost 16 / 13 / 17 / 16 queries and a poll 7.
# A new note: the session row, the user, the runner's session with the person's role (one query; the
# protocol is not read, nor the program beyond its slug), and one INSERT ... SELECT that inserts the note only if the write's checks pass (question
# in the protocol, student in the session, not "not today", consent or assent not refused) and no note has
# its id; it commits alone, with no transaction around it. (The two-factor check is made once a minute, not
# per request: district/two_factor.py.)
NEW_NOTE = 4
# A new note in a language of the protocol's translations that is neither the session's nor offered: as
# above, and the protocol, read to check the language.
NEW_NOTE_IN_A_TRANSLATIONS_LANGUAGE = 5
# A retry of a new note: as above, the INSERT inserting nothing; SAVEPOINT, the note locked (SELECT ... FOR
# UPDATE) with the write's checks in the same statement, which equals the write; RELEASE.
RETRY = 7
# An edit: the session row, the user, the runner's session; SAVEPOINT, the note locked with the checks, the
# revision's INSERT, the note's UPDATE of what changed, whether the note is coded or quoted (one query, for
# the re-anchoring signal, as the words changed), RELEASE.
EDIT = 9
# A conflict: the session row, the user, the runner's session; SAVEPOINT, the locked note with the checks,
# UPDATE of the conflict text, RELEASE (the words did not change: no re-anchoring).
CONFLICT = 7
# A poll asked again with its ETag when nothing changed: the session row, the user, the runner's session
# with the person's role and its notes' count and latest change (one query); 304, nothing serialised.
POLL_NOTHING_NEW = 3
# A poll with new notes: as above, and the notes changed since (one query, whatever their number).
POLL_NEW_NOTES = 4


@pytest.fixture
def session(team):
    protocol = ready_protocol(team.program)
    session = Session.objects.create(program=team.program, format=SessionFormat.FOCUS_GROUP, protocol=protocol,
                                     starts_at=timezone.now(), facilitator=team.facilitator,
                                     status=SessionStatus.IN_PROGRESS)
    students = [StudentFactory(first_name=f"Kid{i}") for i in range(3)]
    session.participants.set(students)
    for student in students:
        Invitation.objects.create(program=team.program, student=student, parent_consent=ConsentStatus.GRANTED,
                                  student_assent=ConsentStatus.GRANTED)
    return session


@pytest.fixture
def signed_in(client, team, session):
    login(client, team.facilitator)
    client.get(reverse("whoami"))
    client.get(notes_url(session), headers=BACKGROUND)  # warm: what a session keeps is computed once
    return client


def notes_url(session) -> str:
    return reverse("runner_notes", kwargs={"slug": session.program.slug, "pk": session.pk})


def write(session, **fields) -> dict:
    body = {"id": str(uuid.uuid4()), "version": 0, "step": "question", "question": session.protocol.questions.first().pk,
            "student": session.participants.first().pk, "kind": "student", "text": "Lunch is loud."}
    body.update(fields)
    return body


def post(client, session, body: dict):
    return client.post(notes_url(session), json.dumps(body), content_type="application/json")


def add_notes(session, count: int) -> list[Note]:
    student = session.participants.first()
    question = session.protocol.questions.first()
    return [Note.objects.create(id=uuid.uuid4(), session=session, step=NoteStep.QUESTION, question=question,
                                student=student, kind=NoteKind.STUDENT, text=f"note {i}") for i in range(count)]


def test_the_minimal_signed_in_view(signed_in, django_assert_num_queries):
    with django_assert_num_queries(WHOAMI):
        assert signed_in.get(reverse("whoami")).status_code == 200


def test_a_new_note(signed_in, session, django_assert_num_queries):
    body = write(session)
    with django_assert_num_queries(NEW_NOTE):
        answer = post(signed_in, session, body)
    assert answer.status_code == 200 and answer.json()["status"] == "created"


def test_a_new_note_in_the_sessions_language_as_the_runner_sends_it(signed_in, session, django_assert_num_queries):
    session.language = "es"
    session.save()
    body = write(session, language="es")
    with django_assert_num_queries(NEW_NOTE):
        answer = post(signed_in, session, body)
    assert answer.json()["status"] == "created" and Note.objects.get().language == "es"


def test_a_new_note_in_a_language_only_the_protocol_has_reads_the_protocol(signed_in, session,
                                                                             django_assert_num_queries):
    session.protocol.translations = {"vi": {"purpose": "Mục đích"}}
    session.protocol.save()
    in_vietnamese, in_no_language = write(session, language="vi"), write(session, language="xx")
    with django_assert_num_queries(NEW_NOTE_IN_A_TRANSLATIONS_LANGUAGE):
        answer = post(signed_in, session, in_vietnamese)
    assert answer.json()["status"] == "created" and Note.objects.get().language == "vi"
    refused = post(signed_in, session, in_no_language)
    assert refused.status_code == 400 and refused.json()["error"] == str(BAD_LANGUAGE) and Note.objects.count() == 1


def test_a_retry_of_the_same_write(signed_in, session, django_assert_num_queries):
    body = write(session)
    post(signed_in, session, body)
    with django_assert_num_queries(RETRY):
        answer = post(signed_in, session, body)
    assert answer.json()["status"] == "unchanged" and Note.objects.count() == 1


def test_an_edit(signed_in, session, django_assert_num_queries):
    body = write(session)
    post(signed_in, session, body)
    with django_assert_num_queries(EDIT):
        answer = post(signed_in, session, {**body, "version": 1, "text": "Lunch is loud and short."})
    assert answer.json()["status"] == "updated" and answer.json()["note"]["version"] == 2


def test_a_conflict(signed_in, session, django_assert_num_queries):
    body = write(session)
    post(signed_in, session, body)
    post(signed_in, session, {**body, "version": 1, "text": "Second"})
    with django_assert_num_queries(CONFLICT):
        answer = post(signed_in, session, {**body, "version": 1, "text": "Mine"})
    assert answer.status_code == 409 and answer.json()["note"]["conflict_text"] == "Mine"


def poll(client, session, since: str = "", tag: str = ""):
    headers = {**BACKGROUND, **({"If-None-Match": tag} if tag else {})}
    return client.get(notes_url(session), {"since": since} if since else {}, headers=headers)


@pytest.mark.parametrize("existing", [1, 30])
def test_a_poll_with_nothing_new(signed_in, session, existing, django_assert_num_queries):
    add_notes(session, existing)
    first = poll(signed_in, session)
    since = max(note["updated_at"] for note in first.json()["notes"])
    second = poll(signed_in, session, since)
    with django_assert_num_queries(POLL_NOTHING_NEW):
        answer = poll(signed_in, session, since, second["ETag"])
    assert answer.status_code == 304 and answer.content == b"" and answer["ETag"] == second["ETag"]


@pytest.mark.parametrize("new", [1, 20])
def test_a_poll_with_new_notes_costs_the_same_queries_whatever_their_number(signed_in, session, new,
                                                                             django_assert_num_queries):
    add_notes(session, 5)
    first = poll(signed_in, session)
    since = max(note["updated_at"] for note in first.json()["notes"])
    tag = poll(signed_in, session, since)["ETag"]
    added = add_notes(session, new)
    with django_assert_num_queries(POLL_NEW_NOTES):
        answer = poll(signed_in, session, since, tag)
    assert answer.status_code == 200 and answer["ETag"] != tag
    assert {str(note.pk) for note in added} <= {note["id"] for note in answer.json()["notes"]}
    assert len(answer.json()["notes"]) <= new + 1  # what changed (and the latest already seen, since is inclusive)
