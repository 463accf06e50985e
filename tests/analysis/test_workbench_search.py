"""The workbench's search box: matches marked, every filter kept, a bad query said beside the box with what was
typed, a kind word when nothing matches, and pages at a constant number of queries."""

from __future__ import annotations

import html
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from analysis.workbench import WorkbenchFilters
from interviews.models import Note, NoteKind, NoteStep
from interviews.note_search import ONLY_EXCLUSIONS
from tests.test_helpers import login


@pytest.fixture
def analyst(client, coded):
    login(client, coded.team.analyst)
    Note.objects.filter(pk=coded.notes[0].pk).update(text="El café <b>frío</b> & la cafetería.")
    return coded


def _get(client, coded, **params):
    return client.get(reverse("workbench", kwargs={"slug": coded.team.program.slug}), params)


def test_found_words_are_marked_and_the_students_words_stay_escaped(client, analyst):
    page = _get(client, analyst, q="cafe").content.decode()
    assert "El <mark>café</mark> &lt;b&gt;frío&lt;/b&gt; &amp; la cafetería." in page
    assert "1 note has “cafe”" in html.unescape(page)


def test_a_search_combines_with_the_other_filters(client, analyst):
    grade_ten = [note for note in analyst.notes if note.student.grade == 10]
    page = html.unescape(_get(client, analyst, q='"lunch is short"', grade=10).content.decode())
    assert f"{len(grade_ten)} notes have “\"lunch is short\"”" in page
    assert page.count('class="card mb-2 note-card"') == len(grade_ten)


def test_a_query_that_cannot_be_searched_is_said_beside_the_box_which_keeps_it(client, analyst):
    response = _get(client, analyst, q="-lunch")
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert str(ONLY_EXCLUSIONS) in page and 'value="-lunch"' in page and "The notes below are not searched." in page
    assert 'id="bulk-coding"' not in page


def test_no_match_says_so_kindly(client, analyst):
    page = html.unescape(_get(client, analyst, q="recess").content.decode())
    assert 'id="no-search-results"' in page and "Try fewer words" in page


def test_the_note_card_keeps_its_marks_after_coding_it(client, analyst):
    """A coding's answer is its chip alone, added to the note's chips below its words: the words, with the
    search's marks, are not sent again, and no form needs the query to redraw them."""
    note = analyst.notes[1]
    page = _get(client, analyst, q="lunch").content.decode()
    card = page[page.index(f'id="note-{note.pk}"'):]
    card = card[:card.index("</article>")]
    assert "<mark>lunch</mark>" in card and f'hx-target="#chips-{note.pk}"' in card and 'name="q"' not in card
    response = client.post(reverse("code_note", kwargs={"slug": analyst.team.program.slug}),
                           {"note": note.pk, "code": analyst.codes["Noise"].pk}, headers={"HX-Request": "true"})
    fragment = response.content.decode()
    assert fragment.lstrip().startswith('<li class="list-inline-item coding-chip "')
    assert 'class="fw-semibold">Noise</span>' in fragment and "data-note-text" not in fragment


def test_filters_read_the_query_and_give_it_back():
    filters = WorkbenchFilters.from_query({"q": '  "too loud" ', "grade": "9", "uncoded": "1"})
    assert filters.query == '"too loud"'
    assert WorkbenchFilters.from_query(filters.as_query()) == filters


def _queries(client, coded) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert _get(client, coded, q="lunch*", bulk_code=coded.codes["Noise"].pk).status_code == 200
    return len(queries)


def test_a_searched_page_costs_the_same_queries_with_more_notes(client, analyst):
    _queries(client, analyst)  # the first page of a sign-in also reads the person's language and such
    few = _queries(client, analyst)
    session = analyst.session
    Note.objects.bulk_create([Note(id=uuid.uuid4(), session=session, step=NoteStep.QUESTION, kind=NoteKind.STUDENT,
                                   question=analyst.notes[0].question, student=analyst.students[i % 24],
                                   text=f"Lunch number {i} was too short.") for i in range(60)])
    assert _queries(client, analyst) == few
