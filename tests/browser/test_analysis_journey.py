"""Issue 6's journey in a real browser: merge codes, build a theme with root causes and a quote,
read the heatmap with small cells withheld, accept a suggested theme, and get a kappa from two coders."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from analysis.coding import apply_code
from analysis.models import AgreementRound, Code, CodeApplication, Theme, ThemeQuote
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser


def signed_in(browser, live_server, user):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    return context, page


def test_an_analyst_goes_from_codes_to_themes_patterns_suggestions_and_kappa(browser, live_server, coded, transactional_db):
    team, slug = coded.team, coded.team.program.slug
    for note in coded.notes[:12]:
        apply_code(note=note, code=coded.codes["Noise"], coder=team.analyst)
    for note in coded.notes[12:15]:
        apply_code(note=note, code=coded.codes["Time"], coder=team.analyst)
    topics = ["Tutoring after school helps when I am stuck on homework", "I ask the tutoring teacher for homework help",
              "The counselor listens and I trust her", "My coach listens and I trust him"]
    for index, note in enumerate(coded.notes[15:]):
        note.text = topics[index % len(topics)] + f" ({index})"
        note.save(update_fields=["text"])
    context, page = signed_in(browser, live_server, team.analyst)
    base = f"/programs/{slug}/analysis"

    # Merge "Time" into "Noise": every coding moves.
    page.goto(f"{base}/codebook/")
    page.get_by_label("Merge", exact=True).select_option(label="Time")
    page.get_by_label("into").select_option(label="Noise")
    page.get_by_role("button", name="Merge (codings move, nothing is lost)").click()
    expect(page.get_by_text("“Time” merged into “Noise”", exact=False)).to_be_visible()
    assert CodeApplication.objects.filter(code__name="Noise").count() == 15

    # A theme with an insight, root causes and a quote.
    page.goto(f"{base}/themes/")
    page.get_by_label("Name").fill("Lunch is loud")
    page.get_by_label("Insight").fill("Students want a quieter place to eat.")
    page.get_by_label("Noise").check()
    page.get_by_role("button", name="Create theme").click()
    page.get_by_label("Root causes").fill("One lunch period for the whole grade.")
    page.get_by_role("button", name="Save theme").click()
    page.get_by_role("button", name="Use").first.click()
    expect(page.locator(".quote-card")).to_have_count(1)
    theme = Theme.objects.get()
    assert theme.root_causes == "One lunch period for the whole grade." and ThemeQuote.objects.count() == 1

    # The heatmap withholds small cells.
    page.goto(f"{base}/patterns/")
    expect(page.locator("td.heat-hidden").first).to_be_visible()
    expect(page.get_by_text("fewer than 5").first).to_be_visible()

    # Accept a suggested theme from the uncoded notes.
    page.goto(f"{base}/suggestions/")
    page.get_by_role("button", name="Suggest themes from uncoded notes").click()
    page.get_by_role("button", name="Accept as a code").first.click()
    expect(page.get_by_text("created and applied to", exact=False)).to_be_visible()
    assert Code.objects.filter(definition__startswith="From a suggested theme").exists()

    # Two analysts code the same sample; the round gives a kappa.
    page.goto(f"{base}/agreement/")
    page.get_by_label("First coder").select_option(label=team.analyst.get_full_name())
    page.get_by_label("Second coder").select_option(label=team.lead.get_full_name())
    page.get_by_label("Notes in the sample").fill("4")
    page.get_by_role("button", name="Start").click()
    round_ = AgreementRound.objects.get()
    notes = list(round_.notes.all())
    for note in notes[:2]:
        page.locator(f"input[name='codes-{note.pk}'][value='{coded.codes['Noise'].pk}']").check()
    page.get_by_role("button", name="Save and finish").click()
    context.close()

    context, page = signed_in(browser, live_server, team.lead)
    page.goto(f"{base}/agreement/{round_.pk}/")
    for note in notes[:1] + notes[2:3]:
        page.locator(f"input[name='codes-{note.pk}'][value='{coded.codes['Noise'].pk}']").check()
    page.get_by_role("button", name="Save and finish").click()
    expect(page.get_by_text("Overall kappa", exact=False)).to_be_visible()
    expect(page.get_by_text("Disagreements to reconcile (2)")).to_be_visible()
    context.close()
