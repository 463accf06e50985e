"""The notes review page: a note's speaker, kind or question corrected, and a conflict resolved."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from interviews.forms.notes import MERGE_EMPTY
from interviews.models import Note, NoteKind, Session, SessionFormat, SessionStatus
from interviews.notes import NoteWrite, save_note
from interviews.views.review import CHANGED_SINCE, CORRECTED, RESOLVED
from tests.factories import StudentFactory, ready_protocol
from tests.test_helpers import count_queries, login


@pytest.fixture
def session(team):
    protocol = ready_protocol(team.program)
    session = Session.objects.create(program=team.program, format=SessionFormat.FOCUS_GROUP, protocol=protocol,
                                     starts_at=timezone.now(), facilitator=team.facilitator, status=SessionStatus.IN_PROGRESS)
    session.participants.set([StudentFactory(first_name="Ana", last_name="A"), StudentFactory(first_name="Ben", last_name="B")])
    return session


def add_note(session, user, text="Lunch is loud.", note_id=None, version=0):
    return save_note(session=session, user=user, write=NoteWrite(
        id=note_id or uuid.uuid4(), base_version=version, step="question", question_id=session.protocol.questions.first().pk,
        student_id=session.participants.get(first_name="Ana").pk, kind=NoteKind.STUDENT, text=text)).note


def url(session, name, note=None):
    kwargs = {"slug": session.program.slug, "pk": session.pk}
    if note is not None:
        kwargs["note_id"] = note.pk
    return reverse(name, kwargs=kwargs)


def test_a_lead_corrects_the_speaker_and_the_page_shows_what_changed(client, team, session):
    note = add_note(session, team.facilitator)
    login(client, team.lead)
    ben = session.participants.get(first_name="Ben")
    response = client.post(url(session, "note_correct", note), {"version": 1, "student": ben.pk, "kind": "student",
                                                                "question": note.question_id}, follow=True)
    note.refresh_from_db()
    assert note.student == ben and note.version == 2
    page = response.content.decode()
    assert str(CORRECTED) in page and "speaker changed from Ana A to Ben B" in page


def test_a_correction_from_a_stale_page_changes_nothing_and_says_so(client, team, session):
    note = add_note(session, team.facilitator)
    add_note(session, team.facilitator, text="Edited", note_id=note.pk, version=1)
    login(client, team.lead)
    response = client.post(url(session, "note_correct", note), {"version": 1, "student": "", "kind": "observation",
                                                                "question": note.question_id}, follow=True)
    note.refresh_from_db()
    assert note.kind == NoteKind.STUDENT and str(CHANGED_SINCE) in response.content.decode()


def test_a_bad_correction_keeps_the_page_and_names_the_field(client, team, session):
    note = add_note(session, team.facilitator)
    login(client, team.lead)
    response = client.post(url(session, "note_correct", note), {"version": 1, "student": "999999", "kind": "follow_up"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    note.refresh_from_db()
    assert note.version == 1


def conflicted(session, team):
    note = add_note(session, team.facilitator)
    add_note(session, team.lead, text="Theirs", note_id=note.pk, version=1)
    add_note(session, team.facilitator, text="Mine", note_id=note.pk, version=1)
    note.refresh_from_db()
    return note


def test_a_conflict_is_shown_and_resolved_by_hand(client, team, session):
    note = conflicted(session, team)
    login(client, team.lead)
    page = client.get(url(session, "notes_review")).content.decode()
    assert "Two versions of this note." in page and "Mine" in page
    response = client.post(url(session, "note_resolve", note), {"version": 2, "keep": "merged", "merged": "Theirs, and mine"},
                           follow=True)
    note.refresh_from_db()
    assert note.text == "Theirs, and mine" and note.conflict_at is None and Note.objects.count() == 1
    page = response.content.decode()
    assert escape(str(RESOLVED)) in page and "the other version was: Mine" in page


def test_an_empty_merge_is_refused_with_a_message_and_keeps_the_conflict(client, team, session):
    note = conflicted(session, team)
    login(client, team.lead)
    response = client.post(url(session, "note_resolve", note), {"version": 2, "keep": "merged", "merged": "  "})
    assert response.status_code == 400 and str(MERGE_EMPTY) in response.content.decode()
    note.refresh_from_db()
    assert note.conflict_text == "Mine"


@pytest.mark.parametrize("persona", ["analyst", "viewer"])
def test_only_those_who_write_notes_correct_them(client, team, session, persona):
    note = conflicted(session, team)
    login(client, getattr(team, persona))
    assert client.post(url(session, "note_correct", note), {"version": 2, "kind": "observation"}).status_code == 403
    assert client.post(url(session, "note_resolve", note), {"version": 2, "keep": "saved"}).status_code == 403


def test_the_review_page_keeps_its_query_count(client, team, session):
    login(client, team.lead)
    conflicted(session, team)
    small = count_queries(lambda: client.get(url(session, "notes_review")))
    for _ in range(4):
        note = conflicted(session, team)
        client.post(url(session, "note_correct", note), {"version": 2, "student": "", "kind": "observation",
                                                         "question": note.question_id})
    assert count_queries(lambda: client.get(url(session, "notes_review"))) == small
