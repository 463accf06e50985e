"""An analyst codes by keyboard: a whole note with its key, then selected words with another."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from analysis.coding import apply_code
from analysis.models import CodeApplication
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_an_analyst_codes_notes_with_keys_and_selections(browser, live_server, coded, transactional_db):
    apply_code(note=coded.notes[23], code=coded.codes["Noise"], coder=coded.team.lead)  # Noise becomes key 1
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(coded.team.analyst.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/programs/{coded.team.program.slug}/analysis/workbench/?uncoded=1")
    expect(page.locator("#shortcut-keys")).to_contain_text("1 Noise")

    first = page.locator(".note-card").nth(0)
    first.focus()
    page.keyboard.press("1")
    expect(first.locator(".coding-chip")).to_contain_text("Noise")
    page.wait_for_load_state("networkidle")

    second = page.locator(".note-card").nth(1)
    second.evaluate("""card => {
        const text = card.querySelector('[data-note-text]').firstChild;
        const start = text.textContent.indexOf('loud');
        const range = document.createRange();
        range.setStart(text, start); range.setEnd(text, start + 4);
        document.getSelection().removeAllRanges(); document.getSelection().addRange(range);
    }""")
    page.keyboard.press("2")
    expect(second.locator(".coding-chip")).to_contain_text("loud")
    # Only the codings came back: the card's form stays, its span emptied, so the next key codes the whole note.
    expect(second.locator("[data-span-label]")).to_have_text("Code the whole note")
    assert second.locator("input[name=start]").input_value() == "" == second.locator("input[name=selected]").input_value()
    assert page.evaluate("document.getSelection().toString()") == ""  # the coded words are no longer selected
    second.focus()
    page.keyboard.press("1")
    expect(second.locator(".coding-chip")).to_have_count(2)
    # The new chip came back alone and was put where a reload puts it: the whole note's before the word's.
    expect(second.locator(".coding-chip").nth(0)).to_contain_text("Noise")
    expect(second.locator(".coding-chip").nth(1)).to_contain_text("loud")
    codings = CodeApplication.objects.filter(coder=coded.team.analyst).order_by("created_at")
    assert [c.snippet for c in codings][1] == "loud"
    assert codings[0].snippet.startswith("Student") and codings[0].code.name == "Noise"
    assert (codings[2].start, codings[2].end, codings[2].code.name) == (0, len(codings[2].note.text), "Noise")

    # A refusal is said in the card; the next coding there clears it.
    first.evaluate("""card => {
        const form = card.querySelector('.code-form');
        form.elements.start.value = '0'; form.elements.end.value = '3'; form.elements.selected.value = 'zzz';
        form.requestSubmit();
    }""")
    expect(first.locator(".note-codings [role=alert]")).to_contain_text("nothing was coded")
    first.focus()
    page.keyboard.press("2")
    expect(first.locator(".coding-chip")).to_have_count(2)
    expect(first.locator(".note-codings [role=alert]")).to_have_count(0)

    # "u" undoes the last coding without leaving the page: its chip goes, the filter stays, and it is said.
    page.wait_for_load_state("networkidle")
    page.keyboard.press("u")
    expect(page.locator("#undo-status")).to_contain_text("Undone:")
    expect(first.locator(".coding-chip")).to_have_count(1)
    assert page.url.endswith("/analysis/workbench/?uncoded=1")
    assert CodeApplication.objects.filter(coder=coded.team.analyst).count() == 3
    # Again: the one before, on the second note, is said in its turn.
    page.keyboard.press("u")
    expect(second.locator(".coding-chip")).to_have_count(1)
    expect(page.locator("#undo-status")).to_contain_text("Undone: “Noise”")
    assert errors == []
    context.close()
