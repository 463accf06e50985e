"""A leader presses Generate, sees the report ready, downloads it, and the PDF says what it should."""

from __future__ import annotations

import subprocess

import pytest
from playwright.sync_api import expect

from analysis.coding import apply_code
from analysis.models import Theme
from analysis.themes import add_quote, candidate_quotes
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_a_viewer_generates_and_downloads_a_thematic_report(browser, live_server, coded, transactional_db, tmp_path):
    for note in coded.notes[:12]:
        apply_code(note=note, code=coded.codes["Noise"], coder=coded.team.analyst)
    theme = Theme.objects.create(program=coded.team.program, name="The cafeteria is loud", insight="Too loud to talk.")
    theme.codes.add(coded.codes["Noise"])
    add_quote(theme, application=candidate_quotes(theme)[0])
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(coded.team.viewer.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/programs/{coded.team.program.slug}/reports/")
    page.get_by_label("Thematic report").check()
    page.get_by_label("Executive summary").fill("Lunch needs to be quieter.")
    page.get_by_role("button", name="Generate").click()
    expect(page.get_by_role("link", name="Download PDF")).to_be_visible(timeout=60_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert "The cafeteria is loud" in text and "Lunch needs to be quieter." in text
    assert "12 students raised this" in text
    assert coded.students[0].last_name not in text
    context.close()
