"""The import pages: who may open them, upload → mapping and preview → import, refusals with their messages,
the audit, the review page's source line, and a preview whose queries do not grow with the file."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from interviews.models import Note, NoteImport, SessionStatus
from interviews.note_import.blocks import NOT_TEXT
from interviews.note_import.pending import NOT_OPEN, load_pending
from interviews.note_import.plan import STUDENT
from interviews.views.note_import import CANCELLED, CHECK_PREVIEW, GONE
from tests.factories import MembershipFactory, UserFactory
from tests.interviews.note_import_files import meeting_vtt, typed_notes_docx, upload, vtt_bytes
from tests.test_helpers import login


def url(session, name="note_import", token=None):
    kwargs = {"slug": session.program.slug, "pk": session.pk}
    if token:
        kwargs["token"] = token
    return reverse(name, kwargs=kwargs)


def send(client, session, name, data):
    return client.post(url(session), {"file": upload(name, data)})


def token_of(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return response.url.rstrip("/").rsplit("/", 1)[-1]


def ids(session):
    return {s.first_name: s.pk for s in session.participants.all()}


def test_an_outsider_gets_404_and_a_viewer_or_analyst_403(client, team, import_session):
    for user, status in ((team.outsider, 404), (team.viewer, 403), (team.analyst, 403)):
        login(client, user)
        assert client.get(url(import_session)).status_code == status
        assert client.get(url(import_session, "note_import_preview", "x" * 22)).status_code == status


def test_a_facilitator_of_another_session_is_refused(client, team, import_session):
    other = UserFactory(username="other-facilitator")
    MembershipFactory(program=team.program, user=other, role="facilitator")
    login(client, other)
    assert client.get(url(import_session)).status_code == 403


def test_the_facilitator_imports_a_transcript_and_the_notes_review_shows_its_source(client, team, import_session,
                                                                                   django_capture_on_commit_callbacks):
    login(client, team.facilitator)
    page = client.get(url(import_session))
    assert page.status_code == 200 and 'id="id_file"' in page.content.decode()
    token = token_of(send(client, import_session, "meeting.vtt", meeting_vtt()))
    preview = client.get(url(import_session, "note_import_preview", token))
    html = preview.content.decode()
    assert preview.status_code == 200 and "Anita Q. Zorrilla" in html and 'id="id_speaker_2"' in html
    assert "“Anita Q. Zorrilla” is not matched" in html and "disabled" in html.split('id="note-import-confirm"')[1][:20]
    s = ids(import_session)
    choices = {"speaker_1": "facilitator", "speaker_2": f"{STUDENT}{s['Ana']}", "speaker_3": f"{STUDENT}{s['Ben']}",
               "speaker_4": "note_taker", "action": "preview"}
    shown = client.post(url(import_session, "note_import_preview", token), choices)
    html = shown.content.decode()
    assert "Import 3 notes" in html and "import-problems" not in html
    previewed = html.split('name="previewed" value="')[1].split('"')[0]
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url(import_session, "note_import_preview", token), {**choices, "action": "import", "previewed": previewed})
    assert done.status_code == 302 and done.url == url(import_session, "notes_review")
    assert Note.objects.filter(session=import_session, imported_from__isnull=False).count() == 3
    event = AuditEvent.objects.get(action=AuditAction.IMPORT)
    assert event.program_id == team.program.pk and event.detail == {"session": import_session.pk, "format": "vtt", "notes": 3}
    review = client.get(done.url).content.decode()
    assert "Imported 3 notes from meeting.vtt." in review
    assert "Imported from meeting.vtt, block 3, at 00:12:31" in review
    assert load_pending(session=import_session, token=token) is None


def test_an_import_of_choices_changed_since_the_preview_shows_the_preview_again(client, team, import_session):
    login(client, team.facilitator)
    token = token_of(send(client, import_session, "meeting.vtt", meeting_vtt()))
    s = ids(import_session)
    choices = {"speaker_1": "facilitator", "speaker_2": f"{STUDENT}{s['Ana']}", "speaker_3": "group", "speaker_4": "ignore"}
    response = client.post(url(import_session, "note_import_preview", token), {**choices, "action": "import", "previewed": "stale"},
                           follow=True)
    assert str(CHECK_PREVIEW) in response.content.decode() and not Note.objects.exists()


def test_an_import_with_problems_creates_nothing_and_lists_them(client, team, import_session):
    login(client, team.lead)
    token = token_of(send(client, import_session, "meeting.vtt", meeting_vtt()))
    response = client.post(url(import_session, "note_import_preview", token),
                           {"speaker_1": "facilitator", "speaker_2": "", "speaker_3": "group", "speaker_4": "ignore",
                            "action": "import", "previewed": "x"})
    assert response.status_code == 400 and "“Anita Q. Zorrilla” is not matched" in response.content.decode()
    assert not Note.objects.exists() and not NoteImport.objects.exists()


def test_a_question_set_by_hand_and_a_bad_choice_keep_what_was_typed(client, team, import_session):
    login(client, team.facilitator)
    token = token_of(send(client, import_session, "notes.docx", typed_notes_docx()))
    response = client.post(url(import_session, "note_import_preview", token),
                           {"speaker_1": "student:999999", "speaker_2": "group", "from_block_1": "3", "question_1": "",
                            "action": "preview"})
    html = response.content.decode()
    assert "Choose one of the people in the list." in html and "Choose the question for this block." in html
    assert 'name="from_block_1" id="id_from_block_1" value="3"' in html


def test_a_file_that_is_not_text_is_refused_on_the_upload_page(client, team, import_session):
    login(client, team.facilitator)
    response = send(client, import_session, "notes.txt", b"Ana: \x81\x8d")
    assert response.status_code == 400 and str(NOT_TEXT) in response.content.decode()


def test_a_file_over_the_upload_limit_is_refused(client, team, import_session, settings):
    settings.UPLOAD_MAX_MEGABYTES = 1
    login(client, team.facilitator)
    response = send(client, import_session, "notes.txt", b"Ana: words\n" * 100_000)
    assert response.status_code == 400 and "files up to 1 MB are accepted" in response.content.decode()


def test_the_same_file_again_says_so_and_creates_nothing(client, team, import_session):
    login(client, team.facilitator)
    NoteImport.objects.create(session=import_session, file_name="meeting.vtt", format="vtt", notes_created=3,
                              file_sha256=__import__("hashlib").sha256(meeting_vtt()).hexdigest())
    response = send(client, import_session, "copy.vtt", meeting_vtt())
    assert response.status_code == 400 and "was already imported into this session" in response.content.decode()


def test_a_scheduled_session_takes_no_import(client, team, import_session):
    import_session.status = SessionStatus.SCHEDULED
    import_session.save()
    login(client, team.facilitator)
    page = client.get(url(import_session)).content.decode()
    assert str(NOT_OPEN) in page and 'id="id_file"' not in page
    assert send(client, import_session, "meeting.vtt", meeting_vtt()).status_code == 400


def test_cancel_deletes_the_uploaded_file(client, team, import_session):
    login(client, team.facilitator)
    token = token_of(send(client, import_session, "meeting.vtt", meeting_vtt()))
    pending = load_pending(session=import_session, token=token)
    response = client.post(url(import_session, "note_import_cancel", token), follow=True)
    assert str(CANCELLED) in response.content.decode()
    assert not default_storage.exists(pending.path)
    gone = client.get(url(import_session, "note_import_preview", token), follow=True)
    assert str(GONE) in gone.content.decode()


def test_the_session_page_links_to_the_import(client, team, import_session):
    login(client, team.facilitator)
    page = client.get(reverse("session_detail", kwargs={"slug": team.program.slug, "pk": import_session.pk})).content.decode()
    assert url(import_session) in page


def test_the_preview_costs_the_same_queries_for_a_short_and_a_long_transcript(client, team, import_session):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(client, team.facilitator)
    counts = []
    for cues in (10, 400):
        data = vtt_bytes([(n, n + 1, f"{'Ana' if n % 3 else 'Ben'}: words {n}") for n in range(cues)])
        token = token_of(send(client, import_session, f"m{cues}.vtt", data))
        client.get(url(import_session, "note_import_preview", token))
        with CaptureQueriesContext(connection) as context:
            assert client.get(url(import_session, "note_import_preview", token)).status_code == 200
        counts.append(len(context.captured_queries))
    assert counts[0] == counts[1]


def test_the_runner_links_to_the_import(client, team, import_session):
    login(client, team.facilitator)
    page = client.get(reverse("runner", kwargs={"slug": team.program.slug, "pk": import_session.pk})).content.decode()
    assert 'id="runner-import-notes"' in page and url(import_session) in page
