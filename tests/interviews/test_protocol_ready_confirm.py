"""Marking a protocol ready while the wording check flags questions asks for a confirmation that
names them; a clean protocol is marked ready in one click."""

from __future__ import annotations

import pytest
from django.urls import reverse

from interviews.models import Protocol, Question
from interviews.views.protocol import CONFIRM_FLAGGED
from tests.factories import ready_protocol
from tests.test_helpers import login

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def url(team, name):
    return reverse(name, kwargs={"slug": team.program.slug})


def draft_with(team, texts):
    protocol = ready_protocol(team.program, questions=len(texts))
    Protocol.objects.filter(pk=protocol.pk).update(marked_ready=False)
    for question, text in zip(protocol.questions.order_by("position"), texts, strict=True):
        Question.objects.filter(pk=question.pk).update(text=text)
    return protocol


CLEAN = ["Tell me about lunch.", "What helps you learn?", "Describe a good day here.", "Tell me about a teacher you trust."]


def test_flagged_questions_are_named_and_the_protocol_stays_a_draft(client, team):
    draft_with(team, [*CLEAN[:2], "Do you like math?", "Why do students misbehave in the cafeteria?"])
    login(client, team.lead)
    fragment = client.post(url(team, "protocol_ready"), {"action": "ready"}, headers=HTMX).content.decode()
    assert "The wording check flags 2 questions. Mark the protocol ready anyway?" in fragment
    assert "Question 3" in fragment and "Do you like math?" in fragment and "closed question" in fragment
    assert "Question 4" in fragment and "asks about other people" in fragment
    assert "Mark ready anyway" in fragment
    assert not Protocol.objects.get().marked_ready


def test_confirming_marks_it_ready(client, team):
    draft_with(team, [*CLEAN[:3], "Do you like math?"])
    login(client, team.lead)
    client.post(url(team, "protocol_ready"), {"action": "ready", "confirm": CONFIRM_FLAGGED}, headers=HTMX)
    assert Protocol.objects.get().marked_ready


def test_a_clean_protocol_is_marked_ready_without_a_question(client, team):
    draft_with(team, CLEAN)
    login(client, team.lead)
    fragment = client.post(url(team, "protocol_ready"), {"action": "ready"}, headers=HTMX).content.decode()
    assert "anyway" not in fragment
    assert Protocol.objects.get().marked_ready


def test_without_htmx_the_whole_page_asks(client, team):
    draft_with(team, [*CLEAN[:3], "Do you like math?"])
    login(client, team.lead)
    page = client.post(url(team, "protocol_ready"), {"action": "ready"}).content.decode()
    assert "The wording check flags one question." in page and "Question bank" in page
    assert not Protocol.objects.get().marked_ready


def test_a_facilitator_cannot_confirm(client, team):
    draft_with(team, [*CLEAN[:3], "Do you like math?"])
    login(client, team.facilitator)
    response = client.post(url(team, "protocol_ready"), {"action": "ready", "confirm": CONFIRM_FLAGGED}, headers=HTMX)
    assert response.status_code in {403, 404}
    assert not Protocol.objects.get().marked_ready
