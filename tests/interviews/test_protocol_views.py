from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.models import Protocol, ProtocolReview, Question, Session, SessionFormat, SessionStatus
from interviews.protocols import start_protocol
from tests.factories import QuestionFactory, ready_protocol
from tests.test_helpers import count_queries, login
from toolkit.pdf import RefusedFetch, static_file


def url(team, name, **kwargs):
    return reverse(name, kwargs={"slug": team.program.slug, **kwargs})


@pytest.mark.parametrize("persona", ["lead", "facilitator", "analyst", "viewer"])
def test_every_member_reads_the_protocol(client, team, persona):
    ready_protocol(team.program)
    login(client, getattr(team, persona))
    page = client.get(url(team, "protocol")).content.decode()
    assert "Tell me about moment number" in page
    assert ("Add a question" in page) == (persona == "lead")


def test_the_protocol_page_states_the_question_limits_from_settings(client, team, settings):
    settings.PROTOCOL_MIN_QUESTIONS, settings.PROTOCOL_MAX_QUESTIONS = 3, 6
    ready_protocol(team.program)
    login(client, team.lead)
    assert "3 to 6 open, story-based questions" in client.get(url(team, "protocol")).content.decode()


def test_outsider_gets_404_and_anonymous_goes_to_login(client, team):
    login(client, team.outsider)
    assert client.get(url(team, "protocol")).status_code == 404
    client.logout()
    assert client.get(url(team, "protocol")).status_code == 302


@pytest.mark.parametrize("name", ["question_add", "question_check", "bank_add", "protocol_ready"])
@pytest.mark.parametrize("persona", ["facilitator", "analyst", "viewer"])
def test_only_leads_change_the_protocol(client, team, name, persona):
    ready_protocol(team.program)
    login(client, getattr(team, persona))
    assert client.post(url(team, name), {"text": "Tell me.", "key": "belong-place"}).status_code == 403


def test_lead_adds_a_question_with_htmx_and_sees_the_wording_check(client, team):
    login(client, team.lead)
    response = client.post(url(team, "question_add"), {"text": "Do you like math?", "follow_ups": "Tell me more.\n"},
                           headers={"HX-Request": "true"})
    fragment = response.content.decode()
    assert response.status_code == 200 and "<html" not in fragment
    assert "Closed question" in fragment and "What do you like, or not like, about math?" in fragment
    assert Question.objects.get().follow_ups == ["Tell me more."]


def test_an_empty_question_is_refused_with_a_message(client, team):
    login(client, team.lead)
    fragment = client.post(url(team, "question_add"), {"text": "  ", "follow_ups": "Keep me"},
                           headers={"HX-Request": "true"}).content.decode()
    assert "Write the question students will hear." in fragment and "Keep me" in fragment
    assert not Question.objects.exists()


def test_the_live_check_answers_as_the_lead_types(client, team):
    login(client, team.lead)
    closed = client.post(url(team, "question_check"), {"text": "Is lunch long enough?"}).content.decode()
    assert "Closed question" in closed
    open_ = client.post(url(team, "question_check"), {"text": "Tell me about lunch."}).content.decode()
    assert "Open question" in open_


def test_lead_edits_moves_and_removes_questions_without_a_reload(client, team):
    protocol = ready_protocol(team.program, questions=3)
    first, second, third = protocol.questions.all()
    login(client, team.lead)
    hx = {"HX-Request": "true"}
    assert "Save question" in client.get(url(team, "question_edit", pk=first.pk), headers=hx).content.decode()
    client.post(url(team, "question_edit", pk=first.pk), {"text": "Tell me about lunch.", "is_opening": "on"}, headers=hx)
    client.post(url(team, "question_move", pk=third.pk), {"direction": "up"}, headers=hx)
    client.post(url(team, "question_delete", pk=second.pk), headers=hx)
    assert list(protocol.questions.values_list("text", "position")) == [("Tell me about lunch.", 1), (third.text, 2)]


def test_a_question_of_another_program_is_not_reachable(client, team):
    other = QuestionFactory()
    login(client, team.lead)
    assert client.post(url(team, "question_delete", pk=other.pk)).status_code == 404
    assert Question.objects.filter(pk=other.pk).exists()


def test_the_bank_is_searchable_and_adds_in_one_click(client, team):
    login(client, team.lead)
    found = client.get(url(team, "bank_search"), {"q": "math"}).content.decode()
    assert "math class" in found and "lunchtime" not in found
    client.post(url(team, "bank_add"), {"key": "math-feel"}, headers={"HX-Request": "true"})
    assert Question.objects.get().text.startswith("Tell me about a moment in math class")


def test_mark_ready_says_why_not(client, team):
    start_protocol(program=team.program, user=team.lead)
    login(client, team.lead)
    fragment = client.post(url(team, "protocol_ready"), {"action": "ready"}, headers={"HX-Request": "true"}).content.decode()
    assert "It has 0 questions; a ready protocol needs at least 4." in fragment
    assert not Protocol.objects.get().marked_ready


def test_editing_after_a_session_started_shows_the_new_version(client, team):
    protocol = ready_protocol(team.program)
    Session.objects.create(program=team.program, format=SessionFormat.INDIVIDUAL, protocol=protocol,
                           starts_at=timezone.now() - dt.timedelta(hours=1), facilitator=team.facilitator,
                           status=SessionStatus.COMPLETED)
    login(client, team.lead)
    fragment = client.post(url(team, "question_add"), {"text": "Tell me about recess."}, headers={"HX-Request": "true"}).content.decode()
    assert "Version 2" in fragment
    history = client.get(url(team, "protocol_versions")).content.decode()
    assert "Version 2" in history and "Version 1" in history and "Tell me about recess." in history


def test_a_facilitator_confirms_the_review_and_the_lead_sees_it(client, team):
    protocol = ready_protocol(team.program)
    login(client, team.facilitator)
    client.post(url(team, "protocol_review"))
    assert ProtocolReview.objects.filter(protocol=protocol, user=team.facilitator).exists()
    login(client, team.lead)
    assert "reviewed" in client.get(url(team, "protocol")).content.decode()


def test_the_protocol_page_keeps_a_constant_number_of_queries(client, team):
    protocol = ready_protocol(team.program, questions=2)
    login(client, team.lead)
    small = count_queries(lambda: client.get(url(team, "protocol")))
    for _ in range(6):
        QuestionFactory(protocol=protocol)
    assert count_queries(lambda: client.get(url(team, "protocol"))) == small


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "guide.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_facilitator_guide_is_a_real_pdf_with_the_protocol(client, team, tmp_path):
    protocol = ready_protocol(team.program)
    protocol.icebreaker = "Favorite snack & why <b>not</b>?"
    protocol.save()
    login(client, team.facilitator)
    response = client.get(url(team, "protocol_guide"))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="facilitator-guide-{team.program.slug}-v1.pdf"'
    text = pdf_text(response.content, tmp_path)
    for expected in ("Facilitator guide", "Ground rules", "Never require an answer", "Tell me about moment number",
                     "Favorite snack & why <b>not</b>?", "Page 1 of"):
        assert expected in text


def test_the_guide_never_fetches_files_or_other_hosts(team, tmp_path):
    protocol = ready_protocol(team.program)
    Question.objects.filter(protocol=protocol).update(text='<img src="file:///etc/passwd"><img src="http://example.org/x.png">')
    from interviews.guide import render_guide_pdf

    text = pdf_text(render_guide_pdf(protocol), tmp_path)
    assert '<img src="file:///etc/passwd">' in text  # shown as text, never loaded
    assert "root:" not in text
    for refused in ("file:///etc/passwd", "http://example.org/x.png", "static:/../settings.py"):
        with pytest.raises(RefusedFetch):
            static_file(refused)
    assert static_file("static:/pdf/print.css")[1] == "text/css"
