"""An analyst reading the theme page in Spanish translates an English quote beside it; the lead asks for a
Spanish thematic report and reads the student's words first, then the analyst's translation.

With SHOTS_DIR set, the pages and the PDF's first pages are saved there as pictures (and SHOTS_LOCALE may
name a folder of catalogues to read the pages with, to see strings not merged yet)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from analysis.coding import apply_code
from analysis.models import Theme, ThemeQuote
from analysis.themes import add_quote
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser

SPANISH = "En la cafetería no se puede hablar; la señora del almuerzo siempre nos apura, ¿sabes?"


@pytest.fixture
def shots_locale(settings):
    folder = os.environ.get("SHOTS_LOCALE")
    if folder:
        from django.utils.translation import trans_real

        settings.LOCALE_PATHS = [folder]
        trans_real._translations = {}
        trans_real._default = None
    yield
    if folder:
        trans_real._translations = {}
        trans_real._default = None


def _shot(page, name: str) -> None:
    folder = os.environ.get("SHOTS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _sign_in(context, base: str, user, language: str):
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    context.add_cookies([{"name": "empathy_language", "value": language, "url": base}])
    return page


def test_an_analyst_translates_a_quote_and_the_spanish_report_shows_both(browser, live_server, coded, transactional_db,
                                                                          tmp_path, settings, shots_locale):
    settings.MEDIA_ROOT = tmp_path / "media"
    spanish = coded.notes[5]
    spanish.text, spanish.language = SPANISH, "es"
    spanish.save(update_fields=["text", "language"])
    for note in coded.notes[:12]:
        apply_code(note=note, code=coded.codes["Noise"], coder=coded.team.analyst, stance="challenge")
    theme = Theme.objects.create(program=coded.team.program, name="La cafetería es ruidosa",
                                 insight="En el almuerzo no se puede conversar.")
    theme.codes.add(coded.codes["Noise"])
    english = add_quote(theme, application=coded.notes[1].codings.get())
    add_quote(theme, application=spanish.codings.get())

    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = _sign_in(context, live_server.url, coded.team.analyst, "es")
    page.goto(f"/programs/{coded.team.program.slug}/analysis/themes/{theme.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.locator(f"#quote-{english.pk} summary").click()
    page.locator(f"#tr-{english.pk}").fill("")  # a refusal first: nothing written
    page.locator(f"#quote-{english.pk} button.btn-primary").click()
    expect(page.locator(".alert, [role=alert]").first).to_be_visible()
    expect(page.locator(f"#tr-{english.pk}")).to_be_visible()  # the refused form stays open where it was
    page.locator(f"#tr-{english.pk}").fill("Estudiante 1: la cafetería es ruidosa y el almuerzo es corto.")
    expect(page.locator(f"#trl-{english.pk}")).to_have_value("es")  # the other language, offered first
    page.locator(f"#quote-{english.pk} button.btn-primary").click()
    expect(page.locator(f"#quote-{english.pk} .quote-translation")).to_contain_text("la cafetería es ruidosa")
    assert ThemeQuote.objects.get(pk=english.pk).translation.startswith("Estudiante 1")
    _shot(page, "theme-page-es")
    page.goto(f"/programs/{coded.team.program.slug}/analysis/themes/{theme.pk}/")
    context.add_cookies([{"name": "empathy_language", "value": "en", "url": live_server.url}])
    page.reload()
    page.locator(f"#quote-{english.pk} summary").click()
    _shot(page, "theme-page-en")
    context.close()

    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = _sign_in(context, live_server.url, coded.team.lead, "es")
    page.goto(f"/programs/{coded.team.program.slug}/reports/")
    expect(page.locator("#lang-es")).to_be_checked()  # the page's language, unless the lead chooses another
    page.locator("#kind-thematic").check()
    _shot(page, "reports-form-es")
    page.locator("form button.btn-primary").last.click()
    download_link = page.locator("a[href$='/download/']").first
    expect(download_link).to_be_visible(timeout=60_000)
    with page.expect_download() as download:
        download_link.click()
    pdf = tmp_path / "informe.pdf"
    download.value.save_as(pdf)
    # The "you said, we did" page, published in English and in Spanish (one family speaks it at home).
    student = coded.students[3]
    student.home_language = "es"
    student.save(update_fields=["home_language"])
    page.locator("form[action$='/student-summary/'] button").click()
    spanish_address = page.locator("a[hreflang=es]")
    expect(spanish_address).to_be_visible()
    _shot(page, "reports-published-es")
    address = spanish_address.get_attribute("href")
    context.close()
    family = browser.new_context(viewport={"width": 390, "height": 844})
    summary = family.new_page()
    summary.goto(address)
    expect(summary.locator("html")).to_have_attribute("lang", "es")
    expect(summary.locator("h1")).to_contain_text("lo que dijeron, lo que hicimos")
    _shot(summary, "summary-family-es")
    summary.get_by_role("button", name="English").click()
    expect(summary.locator("html")).to_have_attribute("lang", "en")
    expect(summary.locator("h1")).to_contain_text("you said, we did")
    family.close()
    text = " ".join(subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
                    .stdout.decode("utf-8").split())
    assert "Propósito y método" in text and "A quiénes escuchamos" in text
    assert text.index("Student 1: the cafeteria is loud") < text.index("Estudiante 1: la cafetería es ruidosa")
    assert SPANISH in text
    folder = os.environ.get("SHOTS_DIR")
    if folder:
        shutil.copy(pdf, Path(folder) / "thematic-es.pdf")
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(Path(folder) / "thematic-es")], check=True)
