"""An analyst accepts one of the coding assistant's proposals and rejects another on the workbench, then reads
the assistant's kappa with each person on the Agreement page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from analysis.models import AssistantModel, CodeApplication, CodeProposal, Provenance
from tests.analysis import assistant_data
from tests.browser.helpers import signed_in

pytestmark = pytest.mark.browser
taught = assistant_data.taught  # the fixture
KAPPA = re.compile(r"^-?[01]\.\d\d$")  # as the page shows it


def test_an_analyst_accepts_and_rejects_proposals_and_sees_the_assistants_kappa(browser, live_server, taught,
                                                                                 transactional_db):
    program = taught.team.program
    # The fixture's coding committed as one change; its training ran as the task (eagerly here) and proposed.
    assert AssistantModel.objects.filter(program=program, status=AssistantModel.Status.READY).exists()
    accepted_note, rejected_note = taught.uncoded[0], taught.uncoded[2]
    assert CodeProposal.objects.filter(note=accepted_note, code=taught.codes["Noise"], status="open").exists()
    context, page = signed_in(browser, live_server, taught.team.analyst.username)
    page.goto(f"/programs/{program.slug}/analysis/workbench/?uncoded=1")
    expect(page.locator("#assistant-status")).to_contain_text("ready.")
    expect(page.locator("#assistant-status")).to_contain_text("Noise, Time")

    card = page.locator(f"#note-{accepted_note.pk}")
    expect(card.locator(".assistant-proposal").first).to_contain_text("Noise")
    expect(card.locator(".assistant-proposal").first).to_contain_text("% sure")
    card.get_by_role("button", name="Accept Noise").click()
    expect(card.locator(".coding-chip")).to_contain_text("Noise")
    expect(card.get_by_role("button", name="Accept Noise")).to_have_count(0)
    application = CodeApplication.objects.get(note=accepted_note, code=taught.codes["Noise"])
    assert (application.coder, application.provenance) == (taught.team.analyst, Provenance.SUGGESTED)

    card = page.locator(f"#note-{rejected_note.pk}")
    card.get_by_role("button", name="Reject Time").click()
    expect(card.get_by_role("button", name="Reject Time")).to_have_count(0)
    expect(card.locator(".coding-chip")).to_have_count(0)
    proposal = CodeProposal.objects.get(note=rejected_note, code=taught.codes["Time"])
    assert proposal.status == CodeProposal.Status.REJECTED and proposal.decided_by == taught.team.analyst

    page.reload()  # the retraining after each decision ran; the rejected proposal does not come back
    expect(page.locator(f"#note-{rejected_note.pk}").get_by_role("button", name="Reject Time")).to_have_count(0)

    page.goto(f"/programs/{program.slug}/analysis/agreement/")
    section = page.locator("#assistant-agreement")
    expect(section).to_contain_text("The coding assistant as a coder")
    expect(section).to_contain_text("Cohen's kappa")
    row = section.locator('tr[data-person="analyst-person"]')
    expect(row.locator(".assistant-kappa")).to_have_text(KAPPA)
    expect(section.locator('tr[data-person="lead-person"] .assistant-kappa')).to_have_text(KAPPA)
    context.close()
