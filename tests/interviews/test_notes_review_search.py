"""The session notes page's search box (interviews/note_search.py `page_search`): only the session's notes that
have the words, marked; a bad query said beside the box; a kind word when nothing matches; constant queries."""

from __future__ import annotations

import html
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.models import Note, NoteKind, NoteStep, Session, SessionFormat, SessionStatus
from interviews.note_search import EMPTY_QUERY, PageSearch, page_search
from tests.factories import StudentFactory, ready_protocol
from tests.test_helpers import count_queries, login


@pytest.fixture
def session(team):
    protocol = ready_protocol(team.program)
    session = Session.objects.create(program=team.program, format=SessionFormat.FOCUS_GROUP, protocol=protocol,
                                     starts_at=timezone.now(), facilitator=team.facilitator,
                                     status=SessionStatus.COMPLETED)
    student = StudentFactory(first_name="Ana", last_name="A")
    session.participants.set([student])
    for text in ("La cafetería es ruidosa.", "The café is <too> loud & crowded.", "We need more time for lunch."):
        _note(session, student, text)
    return session


def _note(session, student, text):
    return Note.objects.create(id=uuid.uuid4(), session=session, step=NoteStep.QUESTION, kind=NoteKind.STUDENT,
                               question=session.protocol.questions.first(), student=student, text=text)


def _url(session):
    return reverse("notes_review", kwargs={"slug": session.program.slug, "pk": session.pk})


def test_only_the_notes_with_the_words_are_listed_and_marked(client, team, session):
    login(client, team.facilitator)
    page = client.get(_url(session), {"q": "CAFE*"}).content.decode()
    assert "La <mark>cafetería</mark> es ruidosa." in page
    assert "The <mark>café</mark> is &lt;too&gt; loud &amp; crowded." in page
    assert "lunch." not in page
    assert "2 notes have “CAFE*”." in html.unescape(page)


def test_another_sessions_notes_never_show(client, team, session):
    other = Session.objects.create(program=team.program, format=SessionFormat.INDIVIDUAL, protocol=session.protocol,
                                   starts_at=timezone.now(), facilitator=team.facilitator, status=SessionStatus.COMPLETED)
    _note(other, session.participants.get(), "Another cafe story.")
    login(client, team.lead)
    assert "Another cafe story" not in client.get(_url(session), {"q": "cafe"}).content.decode()


def test_a_query_that_cannot_be_searched_keeps_what_was_typed(client, team, session):
    login(client, team.facilitator)
    page = html.unescape(client.get(_url(session), {"q": "¿?"}).content.decode())
    assert str(EMPTY_QUERY) in page and 'value="¿?"' in page
    assert "We need more time for lunch." in page  # listed, unsearched


def test_no_match_says_so_kindly(client, team, session):
    login(client, team.facilitator)
    page = client.get(_url(session), {"q": '"too quiet"'}).content.decode()
    assert 'id="no-search-results"' in page and "No note of this session has these words." in page


def test_a_searched_page_costs_the_same_queries_with_more_notes(client, team, session):
    login(client, team.facilitator)
    client.get(_url(session), {"q": "lunch"})
    few = count_queries(lambda: client.get(_url(session), {"q": "lunch"}))
    for i in range(20):
        _note(session, session.participants.get(), f"Lunch story {i}.")
    assert count_queries(lambda: client.get(_url(session), {"q": "lunch"})) == few


def test_page_search_reads_the_box():
    assert page_search({}) == PageSearch()
    assert page_search({"q": "  lunch "}).parsed.text == "lunch"
    assert page_search({"q": "-lunch"}).error and page_search({"q": "-lunch"}).typed == "-lunch"
