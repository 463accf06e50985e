"""An analyst selects a word after emoji in the workbench: the stored snippet is that word (the page
sends code-point offsets and the selected words, not the DOM's UTF-16 offsets)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from analysis.models import CodeApplication
from tests.browser.helpers import signed_in

pytestmark = pytest.mark.browser

EMOJI_NOTE = "🍕🎉😀 lunch be loud, e\u0301 👩‍👩‍👧 too"


@pytest.mark.parametrize("word", ["lunch", "too"])
def test_a_word_selected_after_emoji_is_coded_as_that_word(browser, live_server, coded, transactional_db, word):
    note = coded.notes[0]
    note.text = EMOJI_NOTE
    note.save(update_fields=["text"])
    context, page = signed_in(browser, live_server, coded.team.analyst.username)
    page.goto(f"/programs/{coded.team.program.slug}/analysis/workbench/?uncoded=1&per_page=100")
    card = page.locator(f"#note-{note.pk}")
    expect(card.locator("[data-note-text]")).to_have_text(EMOJI_NOTE)
    card.evaluate("""(card, word) => {
        const text = card.querySelector('[data-note-text]').firstChild;
        const start = text.textContent.indexOf(word);  // UTF-16 units, as the DOM counts
        const range = document.createRange();
        range.setStart(text, start); range.setEnd(text, start + word.length);
        document.getSelection().removeAllRanges(); document.getSelection().addRange(range);
    }""", word)
    page.keyboard.press("1")
    expect(page.locator(f"#note-{note.pk} .coding-chip")).to_contain_text(word)
    coding = CodeApplication.objects.get(note=note)
    assert coding.snippet == word and EMOJI_NOTE[coding.start:coding.end] == word
    context.close()
