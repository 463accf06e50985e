from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.utils import timezone

from interviews.models import Note, NoteKind, NoteRevision, Session, SessionFormat, SessionStatus
from interviews.notes import (
    BAD_QUESTION,
    BAD_STUDENT,
    CONFLICT_SEPARATOR,
    NO_CONFLICT,
    NOT_OPEN,
    NOTE_NOT_FOUND,
    QUESTION_NEEDED,
    TOO_LONG,
    NoteRejected,
    NoteWrite,
    SaveStatus,
    correct_note,
    resolve_conflict,
    revision_changes,
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
    ({"text": "x" * 20_001}, TOO_LONG.format(limit=20_000)),
])
def test_invalid_writes_are_rejected(session, team, changes, message):
    with pytest.raises(NoteRejected, match=re.escape(str(message))):
        save_note(session=session, write=write(session, **changes), user=team.facilitator)
    assert not Note.objects.exists()  # a new note's one guarded INSERT inserted nothing


def test_a_question_of_another_protocol_version_is_rejected(session, team):
    other = QuestionFactory()
    with pytest.raises(NoteRejected, match=re.escape(str(BAD_QUESTION))):
        save_note(session=session, write=write(session, question_id=other.pk), user=team.facilitator)


def test_scheduled_sessions_take_no_notes_and_completed_ones_take_edits(session, team):
    session.status = SessionStatus.SCHEDULED
    session.save()
    with pytest.raises(NoteRejected, match=re.escape(str(NOT_OPEN))):
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


# --- Revisions only when something a reader relies on changes; corrections; conflicts ----------------

def test_ticking_quote_worthy_after_typing_makes_no_revision(session, team):
    note_id = uuid.uuid4()
    save_note(session=session, write=write(session, note_id), user=team.facilitator)
    result = save_note(session=session, write=write(session, note_id, version=1, quote_worthy=True), user=team.facilitator)
    assert result.status == SaveStatus.UPDATED and result.note.quote_worthy and result.note.version == 2
    assert not NoteRevision.objects.exists()


def test_a_correction_of_the_speaker_kind_and_question_is_kept_in_the_history(session, team):
    note_id = uuid.uuid4()
    first, second = session.participants.order_by("pk")[:2]
    questions = list(session.protocol.questions.order_by("position"))
    save_note(session=session, write=write(session, note_id, student_id=first.pk, question_id=questions[0].pk),
              user=team.facilitator)
    result = correct_note(session=session, note_id=note_id, version=1, student_id=second.pk, kind=NoteKind.OBSERVATION,
                          question_id=questions[1].pk, user=team.lead)
    note = Note.objects.get()
    assert result.status == SaveStatus.UPDATED and note.version == 2 and note.text == "I sit with my cousins at lunch."
    assert (note.student, note.kind, note.question) == (second, NoteKind.OBSERVATION, questions[1])
    revision = NoteRevision.objects.get()
    assert revision.edited_by == team.lead and revision.changes == {
        "student": [first.pk, second.pk], "kind": [NoteKind.STUDENT, NoteKind.OBSERVATION],
        "question": [questions[0].pk, questions[1].pk]}
    lines = revision_changes(revision, names={first.pk: "Ana", second.pk: "Ben"},
                             questions={questions[0].pk: "Q1", questions[1].pk: "Q2"})
    assert [str(line) for line in lines] == ["speaker changed from Ana to Ben",
                                             "kind changed from Student's words to Facilitator's observation",
                                             "question changed from Q1 to Q2"]


def test_a_correction_follows_the_rules_of_writing(session, team):
    note_id = uuid.uuid4()
    save_note(session=session, write=write(session, note_id), user=team.facilitator)
    with pytest.raises(NoteRejected, match=re.escape(str(BAD_STUDENT))):
        correct_note(session=session, note_id=note_id, version=1, student_id=10**9, kind=NoteKind.STUDENT,
                     question_id=session.protocol.questions.first().pk, user=team.facilitator)
    with pytest.raises(NoteRejected, match=str(QUESTION_NEEDED)):
        correct_note(session=session, note_id=note_id, version=1, student_id=None, kind=NoteKind.STUDENT,
                     question_id=None, user=team.facilitator)
    with pytest.raises(NoteRejected, match=str(NOTE_NOT_FOUND)):
        correct_note(session=session, note_id=uuid.uuid4(), version=1, student_id=None, kind=NoteKind.STUDENT,
                     question_id=None, user=team.facilitator)
    session.status = SessionStatus.CANCELLED
    session.save()
    with pytest.raises(NoteRejected, match=re.escape(str(NOT_OPEN))):
        correct_note(session=session, note_id=note_id, version=1, student_id=None, kind=NoteKind.STUDENT,
                     question_id=session.protocol.questions.first().pk, user=team.facilitator)


def test_a_stale_correction_is_a_conflict_and_changes_nothing(session, team):
    note_id = uuid.uuid4()
    save_note(session=session, write=write(session, note_id), user=team.facilitator)
    save_note(session=session, write=write(session, note_id, version=1, text="Edited"), user=team.lead)
    result = correct_note(session=session, note_id=note_id, version=1, student_id=None, kind=NoteKind.STUDENT,
                          question_id=session.protocol.questions.first().pk, user=team.facilitator)
    note = Note.objects.get()
    assert result.status == SaveStatus.CONFLICT and note.student is not None and note.conflict_at is None


def conflicted(session, team, note_id):
    save_note(session=session, write=write(session, note_id), user=team.facilitator)
    save_note(session=session, write=write(session, note_id, version=1, text="Theirs"), user=team.lead)
    return save_note(session=session, write=write(session, note_id, version=1, text="Mine"), user=team.facilitator)


def test_a_conflict_keeps_both_texts_on_one_note_and_a_retry_changes_nothing(session, team):
    note_id = uuid.uuid4()
    result = conflicted(session, team, note_id)
    assert result.status == SaveStatus.CONFLICT
    note = Note.objects.get()
    assert (note.text, note.conflict_text, note.conflict_by, note.version) == ("Theirs", "Mine", team.facilitator, 2)
    assert note.conflict_at is not None
    retry = save_note(session=session, write=write(session, note_id, version=1, text="Mine"), user=team.facilitator)
    assert retry.status == SaveStatus.CONFLICT and Note.objects.get().conflict_text == "Mine"
    assert Note.objects.count() == 1


def test_a_third_text_before_resolution_is_kept_beside_the_other(session, team):
    note_id = uuid.uuid4()
    conflicted(session, team, note_id)
    save_note(session=session, write=write(session, note_id, version=1, text="A third"), user=team.analyst)
    assert Note.objects.get().conflict_text == "Mine" + CONFLICT_SEPARATOR + "A third"


@pytest.mark.parametrize(("kept", "lost_to_history"), [("Mine", None), ("Theirs", "Mine"), ("Theirs and mine", "Mine")])
def test_resolving_a_conflict_keeps_one_text_and_the_other_in_the_history(session, team, kept, lost_to_history):
    note_id = uuid.uuid4()
    conflicted(session, team, note_id)
    result = resolve_conflict(session=session, note_id=note_id, version=2, text=kept, user=team.lead)
    note = Note.objects.get()
    assert result.status == SaveStatus.UPDATED and note.text == kept and note.version == 3
    assert (note.conflict_text, note.conflict_by, note.conflict_at) == ("", None, None)
    revision = note.revisions.get(version=2)
    assert revision.text == "Theirs" and revision.changes.get("conflict") == lost_to_history
    again = resolve_conflict(session=session, note_id=note_id, version=2, text=kept, user=team.lead)
    assert again.status == SaveStatus.UNCHANGED and note.revisions.count() == 2


def test_resolving_a_note_without_a_conflict_is_refused(session, team):
    note_id = uuid.uuid4()
    save_note(session=session, write=write(session, note_id), user=team.facilitator)
    with pytest.raises(NoteRejected, match=re.escape(str(NO_CONFLICT))):
        resolve_conflict(session=session, note_id=note_id, version=1, text="Other", user=team.lead)


def test_analysis_reads_one_text_of_a_conflicted_note(session, team):
    from analysis.corpus import analysable_notes

    conflicted(session, team, uuid.uuid4())
    session.status = SessionStatus.COMPLETED
    session.save()
    assert [n.text for n in analysable_notes(team.program)] == ["Theirs"]


def test_erasing_a_note_in_conflict_erases_both_texts(session, team):
    from privacy.erasure import erase_notes

    note_id = uuid.uuid4()
    conflicted(session, team, note_id)
    resolve_conflict(session=session, note_id=note_id, version=2, text="Theirs", user=team.lead)
    conflicted_again = save_note(session=session, write=write(session, note_id, version=1, text="Mine again"),
                                 user=team.facilitator)
    assert conflicted_again.note.conflict_text == "Mine again"
    erase_notes(Note.objects.filter(pk=note_id))
    note = Note.objects.get()
    assert (note.text, note.conflict_text, note.conflict_at) == ("", "", None) and not note.revisions.exists()


def test_a_familys_export_carries_both_texts_of_a_conflict_and_the_one_not_kept(session, team):
    from privacy.student_data import EVERY_PROGRAM, csv_rows, gather

    note_id = uuid.uuid4()
    conflicted(session, team, note_id)
    student = Note.objects.get().student
    waiting = {row[-1] for row in csv_rows(gather(student, scope=EVERY_PROGRAM))}
    assert {"Theirs", "Mine"} <= waiting
    resolve_conflict(session=session, note_id=note_id, version=2, text="Theirs", user=team.lead)
    assert "Mine" in {row[-1] for row in csv_rows(gather(student, scope=EVERY_PROGRAM))}
