"""A viewer asks for the report as Word and the slides as PowerPoint, waits for them on the reports page,
downloads both, and the files read back with every theme and no student's name or local id."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from playwright.sync_api import expect
from pptx import Presentation

from analysis.coding import apply_code
from analysis.models import Theme
from analysis.themes import add_quote, candidate_quotes
from tests.browser.helpers import signed_in
from tests.reports.editable import distinctive, leaked

pytestmark = pytest.mark.browser


def test_a_viewer_downloads_the_report_as_word_and_the_slides_as_powerpoint(browser, live_server, coded,
                                                                           transactional_db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    for index, student in enumerate(coded.students):
        student.first_name, student.last_name, student.local_id = distinctive(index)
        student.save(update_fields=["first_name", "last_name", "local_id"])
    for note in coded.notes[:12]:
        apply_code(note=note, code=coded.codes["Noise"], coder=coded.team.analyst)
    for note in coded.notes[12:15]:
        apply_code(note=note, code=coded.codes["Time"], coder=coded.team.analyst)
    loud = Theme.objects.create(program=coded.team.program, name="The cafeteria is loud", insight="Too loud to talk.")
    loud.codes.add(coded.codes["Noise"])
    for application in candidate_quotes(loud)[:2]:
        add_quote(loud, application=application)
    late = Theme.objects.create(program=coded.team.program, name="Buses come late", insight="Some miss breakfast.")
    late.codes.add(coded.codes["Time"])
    context, page = signed_in(browser, live_server, coded.team.viewer.username, accept_downloads=True)
    page.goto(f"/programs/{coded.team.program.slug}/reports/")

    page.get_by_label("Report (Word)", exact=True).check()
    page.get_by_label("Executive summary").fill("Lunch needs to be quieter.")
    page.get_by_role("button", name="Generate").click()
    word = page.get_by_role("link", name="Download Word")
    expect(word).to_be_visible(timeout=60_000)
    with page.expect_download() as download:
        word.click()
    assert download.value.suggested_filename.endswith(".docx")
    content = (tmp_path / "report.docx")
    download.value.save_as(content)
    document = Document(io.BytesIO(content.read_bytes()))
    themes = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert "The cafeteria is loud" in themes and "Buses come late" in themes
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Lunch needs to be quieter." in text and "Fewer than 5 students raised this." in text
    assert leaked(content.read_bytes(), coded.students) == []

    page.get_by_label("Slides (PowerPoint)", exact=True).check()
    page.get_by_role("button", name="Generate").click()
    slides = page.get_by_role("link", name="Download PowerPoint")
    expect(slides).to_be_visible(timeout=60_000)
    expect(page.get_by_text(re.compile(r"· \d+ slides"))).to_be_visible()  # counted as slides, not pages
    with page.expect_download() as download:
        slides.click()
    assert download.value.suggested_filename.endswith(".pptx")
    content = tmp_path / "slides.pptx"
    download.value.save_as(content)
    deck = Presentation(io.BytesIO(content.read_bytes()))
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert "The cafeteria is loud" in titles and "Buses come late" in titles and titles[-1] == "What we will do"
    assert leaked(content.read_bytes(), coded.students) == []
    context.close()
