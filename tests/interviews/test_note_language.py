"""Each note carries the language its words are in: the session's by default, another one when the person
taking notes switches it; the runner's endpoint validates it, and the review page shows and corrects it."""

from __future__ import annotations

import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from interviews.forms.notes import PICK_A_LANGUAGE
from interviews.models import Note, NoteKind, NoteRevision, Session, SessionFormat, SessionStatus
from interviews.notes import (
    BAD_LANGUAGE,
    WRONG_TYPE,
    NoteRejected,
    NoteWrite,
    SaveStatus,
    correct_note,
    note_json,
    note_language_choices,
    note_languages,
    revision_changes,
    save_note,
)
from tests.factories import StudentFactory, ready_protocol
from tests.test_helpers import login


@pytest.fixture
def session(team):
    protocol = ready_protocol(team.program)
    session = Session.objects.create(program=team.program, format=SessionFormat.FOCUS_GROUP, protocol=protocol,
                                     starts_at=timezone.now(), facilitator=team.facilitator, status=SessionStatus.IN_PROGRESS,
                                     language="es")
    session.participants.set([StudentFactory(first_name="Ana", last_name="A"), StudentFactory(first_name="Ben", last_name="B")])
    return session


def write(session, note_id=None, version=0, text="La cafetería es muy ruidosa.", **changes):
    values = {"id": note_id or uuid.uuid4(), "base_version": version, "step": "question",
              "question_id": session.protocol.questions.first().pk, "student_id": session.participants.first().pk,
              "kind": NoteKind.STUDENT, "text": text}
    values.update(changes)
    return NoteWrite(**values)


def test_a_note_written_without_a_language_is_in_the_sessions(session, team):
    note = save_note(session=session, write=write(session), user=team.facilitator).note
    assert note.language == ""
    assert note_json(note, session)["language"] == "es"


def test_a_note_switched_to_english_keeps_english(session, team):
    note = save_note(session=session, write=write(session, text="The lunch line is long.", language="en"),
                     user=team.facilitator).note
    note.refresh_from_db()
    assert note.language == "en" and note_json(note)["language"] == "en"


def test_the_runner_sends_the_language_with_each_write_and_it_is_read_in_any_case(session):
    data = {"id": str(uuid.uuid4()), "step": "question", "kind": "student", "text": "Hola", "language": " ES "}
    assert NoteWrite.from_json(data).language == "es"
    assert NoteWrite.from_json({**data, "language": None}).language is None
    assert NoteWrite.from_json({k: v for k, v in data.items() if k != "language"}).language is None
    with pytest.raises(NoteRejected) as refused:
        NoteWrite.from_json({**data, "language": ["es"]})
    assert str(refused.value) == str(WRONG_TYPE)


def test_a_language_neither_offered_nor_in_the_protocol_is_refused(session, team):
    with pytest.raises(NoteRejected) as refused:
        save_note(session=session, write=write(session, language="xx"), user=team.facilitator)
    assert str(refused.value) == str(BAD_LANGUAGE)
    assert not Note.objects.exists()
    session.protocol.translations = {"vi": {"purpose": "..."}}
    session.protocol.save()
    assert note_languages(session) == ["es", "en", "vi"]
    assert save_note(session=session, write=write(session, language="vi"), user=team.facilitator).note.language == "vi"


def test_a_write_that_does_not_say_its_language_keeps_the_notes(session, team):
    first = write(session, language="en")
    save_note(session=session, write=first, user=team.facilitator)
    edited = save_note(session=session, write=write(session, note_id=first.id, version=1, text="Edited", language=None),
                       user=team.facilitator)
    assert edited.status == SaveStatus.UPDATED and edited.note.language == "en"
    assert NoteRevision.objects.get().changes == {}


def test_the_sessions_language_spelled_out_is_no_change(session, team):
    first = write(session)  # stored "" (the session's, Spanish)
    save_note(session=session, write=first, user=team.facilitator)
    again = save_note(session=session, write=write(session, note_id=first.id, version=1, language="es"), user=team.facilitator)
    assert again.status == SaveStatus.UNCHANGED and again.note.language == "" and not NoteRevision.objects.exists()


def test_switching_a_saved_notes_language_keeps_what_it_was(session, team):
    first = write(session)
    save_note(session=session, write=first, user=team.facilitator)
    switched = save_note(session=session, write=write(session, note_id=first.id, version=1, language="en"), user=team.facilitator)
    assert switched.status == SaveStatus.UPDATED and switched.note.language == "en" and switched.note.version == 2
    revision = NoteRevision.objects.get()
    assert revision.changes == {"language": ["", "en"]}
    with translation.override("en"):
        assert revision_changes(revision, names={}, questions={}, session_language="es") == [
            "language changed from Spanish to English"]


def test_correct_note_changes_the_language_alone(session, team):
    first = write(session)
    note = save_note(session=session, write=first, user=team.facilitator).note
    result = correct_note(session=session, note_id=note.pk, version=1, student_id=note.student_id, kind=note.kind,
                          question_id=note.question_id, language="en", user=team.lead)
    assert result.status == SaveStatus.UPDATED and result.note.language == "en"
    assert result.note.student_id == note.student_id and result.note.text == note.text
    unchanged = correct_note(session=session, note_id=note.pk, version=2, student_id=note.student_id, kind=note.kind,
                             question_id=note.question_id, user=team.lead)
    assert unchanged.status == SaveStatus.UNCHANGED and unchanged.note.language == "en"


def runner_notes(session):
    return reverse("runner_notes", kwargs={"slug": session.program.slug, "pk": session.pk})


def test_the_runners_endpoint_stores_the_language_and_refuses_a_bad_one(client, session, team):
    login(client, team.facilitator)
    body = {"id": str(uuid.uuid4()), "version": 0, "step": "question", "question": session.protocol.questions.first().pk,
            "student": session.participants.first().pk, "kind": "student", "text": "The bus is late.", "language": "en"}
    saved = client.post(runner_notes(session), json.dumps(body), content_type="application/json")
    assert saved.status_code == 200 and saved.json()["note"]["language"] == "en"
    assert Note.objects.get().language == "en"
    refused = client.post(runner_notes(session), json.dumps({**body, "id": str(uuid.uuid4()), "language": "klingon"}),
                          content_type="application/json")
    assert refused.status_code == 400 and refused.json()["error"] == str(BAD_LANGUAGE)
    polled = client.get(runner_notes(session)).json()["notes"]
    assert [note["language"] for note in polled] == ["en"]


def test_the_runner_page_offers_the_languages_with_the_sessions_first(client, session, team):
    login(client, team.facilitator)
    page = client.get(reverse("runner", kwargs={"slug": session.program.slug, "pk": session.pk}))
    data = page.context["data"]["note_languages"]
    assert data["default"] == "es"
    assert [choice["code"] for choice in data["choices"]] == ["es", "en"]
    assert [choice["short"] for choice in data["choices"]] == ["ES", "EN"]
    html = page.content.decode()
    assert 'id="note-language"' in html and 'id="pin-language"' in html and 'aria-pressed="false"' in html


def test_the_toggles_language_names_are_in_the_pages_language(session):
    with translation.override("es"):
        names = {choice["code"]: choice["name"] for choice in note_language_choices(session)["choices"]}
    assert names == {"es": "Español", "en": "Inglés"}


def review(session, name="notes_review", note=None):
    kwargs = {"slug": session.program.slug, "pk": session.pk}
    if note is not None:
        kwargs["note_id"] = note.pk
    return reverse(name, kwargs=kwargs)


def test_the_review_page_shows_each_notes_language_and_corrects_it(client, session, team):
    spanish = save_note(session=session, write=write(session), user=team.facilitator).note
    english = save_note(session=session, write=write(session, text="It is loud.", language="en"), user=team.facilitator).note
    login(client, team.lead)
    page = client.get(review(session)).content.decode()
    assert '<p class="mb-1 pre-line" lang="es">La cafetería es muy ruidosa.</p>' in page
    assert '<p class="mb-1 pre-line" lang="en">It is loud.</p>' in page
    assert '<span class="note-language">Spanish</span>' in page and '<span class="note-language">English</span>' in page
    corrected = client.post(review(session, "note_correct", english), {
        "version": 1, "student": english.student_id, "kind": "student", "question": english.question_id, "language": "es",
    }, follow=True)
    english.refresh_from_db()
    assert english.language == "es" and english.version == 2
    assert "language changed from English to Spanish" in corrected.content.decode()
    spanish.refresh_from_db()
    assert spanish.version == 1


def test_a_language_not_in_the_list_is_refused_with_a_message_and_nothing_changes(client, session, team):
    note = save_note(session=session, write=write(session), user=team.facilitator).note
    login(client, team.lead)
    refused = client.post(review(session, "note_correct", note), {
        "version": 1, "student": "", "kind": "observation", "question": note.question_id, "language": "xx",
    })
    assert refused.status_code == 400 and str(PICK_A_LANGUAGE) in refused.content.decode()
    note.refresh_from_db()
    assert note.version == 1 and note.language == "" and note.kind == NoteKind.STUDENT


def test_a_correction_sent_without_a_language_leaves_it(client, session, team):
    note = save_note(session=session, write=write(session, language="en"), user=team.facilitator).note
    login(client, team.lead)
    client.post(review(session, "note_correct", note), {"version": 1, "student": "", "kind": "student",
                                                         "question": note.question_id})
    note.refresh_from_db()
    assert note.language == "en" and note.student_id is None
