from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from interviews.models import Note, NoteKind, NoteRevision, Session, SessionFormat, SessionStatus
from interviews.notes import (
    BAD_QUESTION,
    BAD_STUDENT,
    NOT_OPEN,
    TOO_LONG,
    NoteRejected,
    NoteWrite,
    SaveStatus,
    save_note,
)
from tests.factories import QuestionFactory, StudentFactory, ready_protocol


@pytest.fixture
def session(team):
    protocol = ready_protocol(team.program)
    session = Session.objects.create(program=team.program, format=SessionFormat.FOCUS_GROUP, protocol=protocol,
                                     starts_at=timezone.now(), facilitator=team.facilitator, status=SessionStatus.IN_PROGRESS)
    session.participants.set([StudentFactory(), StudentFactory(), StudentFactory()])
    return session


def write(session, note_id=None, version=0, text="I sit with my cousins at lunch.", **changes):
    values = {"id": note_id or uuid.uuid4(), "base_version": version, "step": "question",
              "question_id": session.protocol.questions.first().pk, "student_id": session.participants.first().pk,
              "kind": NoteKind.STUDENT, "text": text}
    values.update(changes)
    return NoteWrite(**values)


def test_a_new_note_is_created_with_version_1(session, team):
    result = save_note(session=session, write=write(session), user=team.facilitator)
    assert result.status == SaveStatus.CREATED and result.note.version == 1 and result.note.author == team.facilitator


def test_a_retry_of_the_same_write_changes_nothing(session, team):
    first = write(session)
    save_note(session=session, write=first, user=team.facilitator)
    again = save_note(session=session, write=first, user=team.facilitator)
    assert again.status == SaveStatus.UNCHANGED and again.note.version == 1
    assert Note.objects.count() == 1 and not NoteRevision.objects.exists()


def test_an_edit_from_the_current_version_updates_and_keeps_the_old_text(session, team):
    note_id = uuid.uuid4()
    save_note(session=session, write=write(session, note_id), user=team.facilitator)
    result = save_note(session=session, write=write(session, note_id, version=1, text="Edited"), user=team.lead)
    assert result.status == SaveStatus.UPDATED and result.note.version == 2 and result.note.text == "Edited"
    revision = NoteRevision.objects.get()
    assert (revision.version, revision.text, revision.edited_by) == (1, "I sit with my cousins at lunch.", team.lead)


def test_a_retry_of_an_edit_after_it_landed_is_unchanged_not_a_conflict(session, team):
    note_id = uuid.uuid4()
    save_note(session=session, write=write(session, note_id), user=team.facilitator)
    edit = write(session, note_id, version=1, text="Edited")
    save_note(session=session, write=edit, user=team.facilitator)
    assert save_note(session=session, write=edit, user=team.facilitator).status == SaveStatus.UNCHANGED


def test_an_edit_from_an_older_version_is_a_conflict_answered_with_the_server_copy(session, team):
    note_id = uuid.uuid4()
    save_note(session=session, write=write(session, note_id), user=team.facilitator)
    save_note(session=session, write=write(session, note_id, version=1, text="Theirs"), user=team.lead)
    result = save_note(session=session, write=write(session, note_id, version=1, text="Mine"), user=team.facilitator)
    assert result.status == SaveStatus.CONFLICT and result.note.text == "Theirs"
    assert Note.objects.get().text == "Theirs"


@pytest.mark.parametrize(("changes", "message"), [
    ({"question_id": 10**9}, BAD_QUESTION),
    ({"student_id": 10**9}, BAD_STUDENT),
    ({"text": "x" * 20_001}, TOO_LONG),
])
def test_invalid_writes_are_rejected(session, team, changes, message):
    with pytest.raises(NoteRejected, match=message):
        save_note(session=session, write=write(session, **changes), user=team.facilitator)


def test_a_question_of_another_protocol_version_is_rejected(session, team):
    other = QuestionFactory()
    with pytest.raises(NoteRejected, match=BAD_QUESTION):
        save_note(session=session, write=write(session, question_id=other.pk), user=team.facilitator)


def test_scheduled_sessions_take_no_notes_and_completed_ones_take_edits(session, team):
    session.status = SessionStatus.SCHEDULED
    session.save()
    with pytest.raises(NoteRejected, match=NOT_OPEN):
        save_note(session=session, write=write(session), user=team.facilitator)
    session.status = SessionStatus.COMPLETED
    session.save()
    assert save_note(session=session, write=write(session), user=team.facilitator).status == SaveStatus.CREATED


def test_a_note_id_of_another_session_is_refused(session, team):
    other = Session.objects.create(program=team.program, format=SessionFormat.INDIVIDUAL, protocol=session.protocol,
                                   starts_at=timezone.now() + dt.timedelta(days=1), facilitator=team.facilitator,
                                   status=SessionStatus.IN_PROGRESS)
    other.participants.set([session.participants.first()])
    note_id = uuid.uuid4()
    save_note(session=session, write=write(session, note_id), user=team.facilitator)
    with pytest.raises(NoteRejected):
        save_note(session=other, write=write(session, note_id, version=1, text="moved"), user=team.facilitator)


def test_the_write_parser_refuses_a_bad_id():
    with pytest.raises(NoteRejected):
        NoteWrite.from_json({"id": "not-a-uuid"})
