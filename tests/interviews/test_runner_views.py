from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.followups import CODE_LENGTH, find_link, make_slips, token_hash
from interviews.models import FollowUpLink, Note, NoteKind, Session, SessionFormat, SessionStatus
from interviews.protocols import record_review
from recruitment.models import ConsentStatus, Invitation
from tests.factories import StudentFactory, ready_protocol
from tests.test_helpers import login


@pytest.fixture
def session(team):
    protocol = ready_protocol(team.program)
    session = Session.objects.create(program=team.program, format=SessionFormat.FOCUS_GROUP, protocol=protocol,
                                     starts_at=timezone.now(), facilitator=team.facilitator, status=SessionStatus.IN_PROGRESS)
    students = [StudentFactory(first_name=f"Kid{i}") for i in range(3)]
    session.participants.set(students)
    for student in students:
        Invitation.objects.create(program=team.program, student=student, parent_consent=ConsentStatus.GRANTED,
                                  student_assent=ConsentStatus.GRANTED)
    return session


def notes_url(session):
    return reverse("runner_notes", kwargs={"slug": session.program.slug, "pk": session.pk})


def post_note(client, session, **fields):
    body = {"id": str(uuid.uuid4()), "version": 0, "step": "question", "question": session.protocol.questions.first().pk,
            "student": session.participants.first().pk, "kind": "student", "text": "Lunch is loud."}
    body.update(fields)
    return client.post(notes_url(session), json.dumps(body), content_type="application/json")


def test_the_runner_page_carries_the_protocol_participants_and_notes(client, team, session):
    login(client, team.facilitator)
    post_note(client, session)
    page = client.get(reverse("runner", kwargs={"slug": session.program.slug, "pk": session.pk}))
    data = page.context["data"]
    assert [s["key"] for s in data["steps"]][:2] == ["purpose", "guidelines"] and data["steps"][-1]["key"] == "wrap_up"
    assert {p["name"] for p in data["participants"]} == {"Kid0", "Kid1", "Kid2"}
    assert data["notes"][0]["text"] == "Lunch is loud."


def test_a_note_is_saved_and_a_retry_answers_success(client, team, session):
    login(client, team.facilitator)
    note_id = str(uuid.uuid4())
    first = post_note(client, session, id=note_id)
    again = post_note(client, session, id=note_id)
    assert first.status_code == again.status_code == 200
    assert (first.json()["status"], again.json()["status"]) == ("created", "unchanged")
    assert Note.objects.count() == 1


def test_a_stale_edit_is_a_409_with_the_server_copy(client, team, session):
    login(client, team.facilitator)
    note_id = str(uuid.uuid4())
    post_note(client, session, id=note_id)
    post_note(client, session, id=note_id, version=1, text="Second")
    stale = post_note(client, session, id=note_id, version=1, text="Mine")
    assert stale.status_code == 409 and stale.json()["note"]["text"] == "Second"


def test_a_stale_edit_keeps_both_texts_on_one_note_until_a_write_resolves_it(client, team, session):
    login(client, team.facilitator)
    note_id = str(uuid.uuid4())
    post_note(client, session, id=note_id)
    post_note(client, session, id=note_id, version=1, text="Second")
    stale = post_note(client, session, id=note_id, version=1, text="Mine").json()["note"]
    assert (stale["text"], stale["conflict_text"], stale["conflict_by"]) == ("Second", "Mine", team.facilitator.pk)
    assert Note.objects.count() == 1
    resolved = post_note(client, session, id=note_id, version=2, text="Mine", resolves_conflict=True)
    assert resolved.status_code == 200 and resolved.json()["note"]["conflict_text"] is None
    assert Note.objects.get().text == "Mine"


def test_the_runner_page_says_when_it_was_rendered(client, team, session):
    login(client, team.facilitator)
    before = timezone.now().isoformat()
    data = client.get(reverse("runner", kwargs={"slug": session.program.slug, "pk": session.pk})).context["data"]
    assert data["rendered_at"] >= before  # runner.js: a cached page older than its stored notes shows those


def test_a_bad_write_is_a_400_with_the_reason(client, team, session):
    login(client, team.facilitator)
    response = post_note(client, session, student=10**9)
    assert response.status_code == 400 and "not in this session" in response.json()["error"]


def test_signed_out_scripts_get_401_json_not_a_login_page(client, session):
    response = post_note(client, session)
    assert response.status_code == 401 and response.json()["login"] == reverse("login")


def test_notes_need_a_csrf_token(team, session):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    login(strict, team.facilitator)
    assert post_note(strict, session).status_code == 403


@pytest.mark.parametrize("persona", ["analyst", "viewer"])
def test_only_the_session_team_and_leads_take_notes(client, team, session, persona):
    login(client, getattr(team, persona))
    assert post_note(client, session).status_code == 403
    assert client.get(reverse("runner", kwargs={"slug": session.program.slug, "pk": session.pk})).status_code == 403


def test_a_lead_and_a_note_taker_see_each_others_notes_through_polling(client, team, session):
    login(client, team.facilitator)
    since = timezone.now() - dt.timedelta(seconds=1)
    post_note(client, session, text="From the facilitator")
    login(client, team.lead)
    answer = client.get(notes_url(session), {"since": since.isoformat()}).json()
    assert [n["text"] for n in answer["notes"]] == ["From the facilitator"]


def test_starting_in_the_runner_needs_a_review_and_finishing_completes(client, team, session):
    session.status = SessionStatus.SCHEDULED
    session.save()
    runner = reverse("runner", kwargs={"slug": session.program.slug, "pk": session.pk})
    login(client, team.facilitator)
    assert "review" in client.get(runner).content.decode().lower()
    record_review(protocol=session.protocol, user=team.facilitator)
    client.post(runner, {"action": "start"})
    session.refresh_from_db()
    assert session.status == SessionStatus.IN_PROGRESS
    response = client.post(runner, {"action": "finish"})
    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED
    assert response["Location"] == reverse("followup_slips", kwargs={"slug": session.program.slug, "pk": session.pk})


def test_the_service_worker_is_served_from_the_root(client, db):
    response = client.get(reverse("runner_service_worker"))
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/" and "empathy-runner-v1" in response.content.decode()


# --- Follow-up links --------------------------------------------------------------------------------

def test_slips_store_only_a_hash_and_expire_after_the_named_days(team, session, settings):
    slips = make_slips(session, user=team.facilitator)
    assert len(slips) == 3
    code = slips[0].code.replace("-", "")
    assert len(code) == CODE_LENGTH
    link = FollowUpLink.objects.get(token_hash=hashlib.sha256(code.encode()).hexdigest())
    assert code not in link.token_hash
    assert round((link.expires_at - link.created_at).total_seconds() / 86400) == settings.FOLLOW_UP_LINK_DAYS
    assert find_link(slips[0].code) == link
    assert find_link(slips[0].code, now=link.expires_at + dt.timedelta(seconds=1)) is None


def test_a_student_adds_thoughts_without_an_account(client, team, session):
    slip = make_slips(session, user=team.facilitator)[0]
    page = reverse("followup_page", kwargs={"code": slip.code})
    assert "Anything else you want to tell us?" in client.get(page).content.decode()
    response = client.post(page, {"thoughts": "I forgot to say the library is my safe place."})
    assert "Thank you" in response.content.decode()
    note = Note.objects.get(kind=NoteKind.FOLLOW_UP)
    assert note.text == "I forgot to say the library is my safe place." and note.student.first_name == "Kid0"
    assert note.session == session and note.author is None


def test_an_empty_follow_up_is_explained_and_kept(client, team, session):
    slip = make_slips(session, user=team.facilitator)[0]
    page = client.post(reverse("followup_page", kwargs={"code": slip.code}), {"thoughts": "   "}).content.decode()
    assert "Write your thoughts in the box" in page and not Note.objects.exists()


def test_unknown_and_expired_links_get_a_friendly_message_and_no_detail(client, team, session):
    unknown = client.get(reverse("followup_page", kwargs={"code": "ABCD-EFGH-JKLM"}))
    assert unknown.status_code == 404 and "expired or is not valid" in unknown.content.decode()
    slip = make_slips(session, user=team.facilitator)[0]
    FollowUpLink.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    expired = client.get(reverse("followup_page", kwargs={"code": slip.code}))
    assert _without_switcher(expired.content) == _without_switcher(unknown.content)


def _without_switcher(content: bytes) -> bytes:
    """The page without its language switcher, whose form carries the page's own address and a CSRF token."""
    return re.sub(rb"<form[^>]*data-language-switcher.*?</form>", b"", content, flags=re.DOTALL)


def test_a_withdrawn_student_link_stops_working(client, team, session):
    slip = make_slips(session, user=team.facilitator)[0]
    Invitation.objects.filter(student__first_name="Kid0").update(parent_consent=ConsentStatus.WITHDRAWN)
    assert client.get(reverse("followup_page", kwargs={"code": slip.code})).status_code == 404


def test_follow_up_pages_are_rate_limited(client, db, settings):
    settings.FOLLOW_UP_RATE_LIMIT = 3
    codes = [client.get(reverse("followup_page", kwargs={"code": f"WRONG{i}"})).status_code for i in range(5)]
    assert codes == [404, 404, 404, 429, 429]


def test_the_code_entry_page_leads_to_the_link(client, db):
    response = client.post(reverse("followup_start"), {"code": "abcd-efgh-jkmn"})
    assert response["Location"] == reverse("followup_page", kwargs={"code": "ABCD-EFGH-JKMN"})
    assert token_hash("abcd efgh-jkmn") == token_hash("ABCDEFGHJKMN")


def test_slips_show_a_qr_code_and_are_for_the_session_team(client, team, session):
    url = reverse("followup_slips", kwargs={"slug": session.program.slug, "pk": session.pk})
    login(client, team.analyst)
    assert client.post(url).status_code == 403
    login(client, team.facilitator)
    page = client.post(url).content.decode()
    assert page.count("<svg") == 3 and "For Kid0" in page and FollowUpLink.objects.count() == 3
