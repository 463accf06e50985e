"""Issue 18's search in a browser: an analyst searches the workbench for a phrase typed without its accents,
sees the students' words marked, codes every result after reading the count, and undoes it in one click."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from analysis.models import BulkCoding, CodeApplication, Provenance
from interviews.models import Note
from tests.browser.helpers import signed_in
from tests.conftest import PROJECT_DIR

pytestmark = pytest.mark.browser
SHOTS = PROJECT_DIR / "test-artifacts" / "screenshots"


@pytest.fixture
def spoken(coded, transactional_db):
    Note.objects.filter(pk=coded.notes[0].pk).update(text="El café está frío y el comedor es ruidoso.")
    Note.objects.filter(pk=coded.notes[1].pk).update(text="Cuando el CAFÉ ESTÁ lleno no hay dónde sentarse.")
    Note.objects.filter(pk=coded.notes[2].pk).update(text="The cafe is fine; the line is long.")
    return coded


def test_an_analyst_searches_codes_every_result_and_undoes_it(browser, live_server, spoken):
    context, page = signed_in(browser, live_server, spoken.team.analyst.username)
    page.goto(f"/programs/{spoken.team.program.slug}/analysis/workbench/")
    page.get_by_label("Words students said").fill('"cafe esta"')
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator("#bulk-coding-title")).to_have_text('2 notes have “"cafe esta"”')
    expect(page.locator(".note-card")).to_have_count(2)
    expect(page.locator(".note-card mark")).to_have_text(["café está", "CAFÉ ESTÁ"])

    page.locator("#bulk-code").select_option(label="Noise")
    page.locator("#bulk-stance").select_option("challenge")
    page.get_by_role("button", name="Code every result…").click()
    expect(page.locator("#bulk-confirm")).to_contain_text("This will code 2 notes with “Noise”. Kind: Challenge.")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "search-code-every-result.png"), full_page=True)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Coded 2 notes with “Noise”.")).to_be_visible()
    coded = CodeApplication.objects.filter(code=spoken.codes["Noise"])
    assert sorted(coded.values_list("note_id", "provenance")) == sorted(
        [(spoken.notes[0].pk, Provenance.BULK), (spoken.notes[1].pk, Provenance.BULK)])
    expect(page.locator(".note-card").first).to_contain_text("Noise")

    page.get_by_role("button", name="Undo it").click()
    expect(page.get_by_text("Undone: “Noise” is off the 2 notes it was given.")).to_be_visible()
    assert not coded.exists() and BulkCoding.objects.get().undone_at is not None
    expect(page.locator("#last-bulk")).to_have_count(0)
    context.close()
