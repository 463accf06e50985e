"""Spans count Unicode code points on both sides, and the selected words are checked against the span:
an emoji (two UTF-16 units in a browser) or a combining accent never shifts a coded snippet."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from analysis.coding import BAD_SPAN, SELECTION_MISMATCH, CodingRefused, apply_code
from analysis.models import CodeApplication
from tests.test_helpers import login

EMOJI_NOTE = "🍕🎉😀 lunch be loud"
ACCENT_NOTE = "Me\u0301xico: la cafeteri\u0301a es ruidosa"  # decomposed é and í: two code points each
HTMX = {"HX-Request": "true"}


def utf16_offsets(text: str, words: str) -> tuple[int, int]:
    """The offsets a browser's DOM gives for `words` in `text` (UTF-16 units)."""
    start = len(text[:text.index(words)].encode("utf-16-le")) // 2
    return start, start + len(words.encode("utf-16-le")) // 2


@pytest.fixture
def emoji_note(coded):
    note = coded.notes[0]
    note.text = EMOJI_NOTE
    note.save(update_fields=["text"])
    return note


def _code(client, coded, note, **span):
    login(client, coded.team.analyst)
    return client.post(reverse("code_note", kwargs={"slug": coded.team.program.slug}),
                       {"note": note.pk, "code": coded.codes["Noise"].pk, **span}, headers=HTMX)


@pytest.mark.parametrize(("text", "words"), [(EMOJI_NOTE, "lunch"), (EMOJI_NOTE, "🎉😀 lunch"),
                                             (ACCENT_NOTE, "cafeteri\u0301a"), (ACCENT_NOTE, "Me\u0301xico")])
def test_code_point_offsets_with_the_selected_words_store_exactly_those_words(coded, text, words):
    note = coded.notes[0]
    note.text = text
    note.save(update_fields=["text"])
    start = text.index(words)
    coding = apply_code(note=note, code=coded.codes["Noise"], coder=coded.team.analyst, start=start,
                        end=start + len(words), selected=words)
    assert coding.snippet == words


def test_utf16_offsets_after_emoji_are_refused_instead_of_storing_the_wrong_words(coded, emoji_note):
    start, end = utf16_offsets(EMOJI_NOTE, "lunch")
    assert EMOJI_NOTE[start:end] == "ch be"  # what used to be stored
    with pytest.raises(CodingRefused, match=re.escape(str(SELECTION_MISMATCH))):
        apply_code(note=emoji_note, code=coded.codes["Noise"], coder=coded.team.analyst, start=start, end=end,
                   selected="lunch")
    assert not CodeApplication.objects.exists()


def test_the_bounds_are_checked_before_the_words(coded, emoji_note):
    with pytest.raises(CodingRefused, match=str(BAD_SPAN)):
        apply_code(note=emoji_note, code=coded.codes["Noise"], coder=coded.team.analyst, start=4, end=999,
                   selected="lunch")


def test_the_workbench_codes_the_selected_words_after_emoji(client, coded, emoji_note):
    response = _code(client, coded, emoji_note, start=4, end=9, selected="lunch")
    assert response.status_code == 200
    assert CodeApplication.objects.get().snippet == "lunch"


@pytest.mark.parametrize("span", [
    {"start": 7, "end": 12, "selected": "lunch"},  # UTF-16 offsets from an old page
    {"start": 4, "end": 9},  # offsets without the words: nothing to check them against
    {"start": 4, "end": 9, "selected": "lunch "},
], ids=["utf16-offsets", "no-words", "other-words"])
def test_the_workbench_refuses_a_span_whose_words_differ_and_says_why(client, coded, emoji_note, span):
    response = _code(client, coded, emoji_note, **span)
    assert str(SELECTION_MISMATCH) in html.unescape(response.content.decode())
    assert not CodeApplication.objects.exists()


def test_the_whole_note_needs_no_selected_words(client, coded, emoji_note):
    _code(client, coded, emoji_note, start="", end="", selected="anything")
    assert CodeApplication.objects.get().snippet == EMOJI_NOTE
