"""Reports in English or Spanish: chosen on the form (the page's language unless changed), every kind
rendered in it, the PDF's accents read back, quotes shown original first with the team's translation
marked, the protocol as the team wrote it in that language, and suppression the same in both."""

from __future__ import annotations

import subprocess

import pytest
from django.urls import reverse
from django.utils import translation

from analysis.coding import apply_code
from analysis.models import Theme
from analysis.themes import TRANSLATED_BY, add_quote, in_language, translate_quote
from programs.models import Role
from reports.content import report_data
from reports.models import Report, ReportKind, ReportStatus
from reports.render import render_report, report_html
from reports.views import LANGUAGE_NOT_OFFERED
from tests.test_helpers import login

SPANISH = "La cafetería es muy ruidosa; la señora del almuerzo nos apura."


@pytest.fixture(autouse=True)
def _own_media_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def pdf_text(report: Report) -> str:
    with report.file.open("rb") as handle:
        content = handle.read()
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True).stdout
    return " ".join(out.decode("utf-8").split())


@pytest.fixture
def bilingual(coded):
    """A theme with a 9th-grade (not English learner) student's English quote, translated into Spanish by an
    analyst, and a quote another student said in Spanish, not translated."""
    spanish = coded.notes[5]  # grade 9, not an English learner
    spanish.text, spanish.language = SPANISH, "es"
    spanish.save(update_fields=["text", "language"])
    for note in coded.notes[:12]:
        apply_code(note=note, code=coded.codes["Noise"], coder=coded.team.analyst, stance="challenge")
    theme = Theme.objects.create(program=coded.team.program, name="The cafeteria is loud", insight="Lunch is too loud.")
    theme.codes.add(coded.codes["Noise"])
    english = add_quote(theme, application=coded.notes[1].codings.get())  # student 1: grade 9, not an English learner
    add_quote(theme, application=spanish.codings.get())
    translate_quote(quote=english, text="La cafetería es ruidosa y el almuerzo es corto.", language="es",
                    user=coded.team.analyst, role=Role.ANALYST)
    protocol = coded.session.protocol
    protocol.purpose = "We want to hear from you."
    protocol.translations = {"es": {"purpose": "Queremos escucharte a ti, sí."}}
    protocol.save(update_fields=["purpose", "translations"])
    question = protocol.questions.first()
    question.translations = {"es": {"text": "¿Cómo es el almuerzo en tu escuela?", "follow_ups": ["¿Qué cambiarías?"]}}
    question.save(update_fields=["translations"])
    return coded


def _render(program, kind, language, **options) -> Report:
    report = Report.objects.create(program=program, kind=kind, options={"language": language, **options})
    render_report(report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.READY, report.error
    return report


def reports_url(coded):
    return reverse("report_list", kwargs={"slug": coded.team.program.slug})


def test_the_report_form_offers_both_languages_and_defaults_to_the_pages(client, bilingual):
    login(client, bilingual.team.lead)
    english = client.get(reports_url(bilingual)).content.decode()
    assert 'name="language" value="en" id="lang-en" checked' in english
    assert 'name="language" value="es" id="lang-es" >' in english
    client.cookies["empathy_language"] = "es"
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    spanish = client.get(reports_url(bilingual)).content.decode()
    assert 'name="language" value="es" id="lang-es" checked' in spanish


def test_the_language_chosen_on_the_form_is_the_reports_and_is_shown(client, bilingual, django_capture_on_commit_callbacks):
    login(client, bilingual.team.lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reports_url(bilingual), {"kind": "infographic", "threshold": 5, "language": "es"})
    report = Report.objects.get()
    assert report.options["language"] == "es" and report.language_name == "Español"
    assert '<span lang="es">Español</span>' in client.get(reports_url(bilingual)).content.decode()
    download = client.get(reverse("report_download", kwargs={"slug": bilingual.team.program.slug, "pk": report.pk}))
    assert "-infographic-es-" in download["Content-Disposition"]


def test_a_page_without_a_choice_asks_in_the_pages_language(client, bilingual, django_capture_on_commit_callbacks):
    login(client, bilingual.team.lead)
    client.post(reverse("set_language"), {"language": "es", "next": "/"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reports_url(bilingual), {"kind": "slides", "threshold": 5})
    assert Report.objects.get().options["language"] == "es"


def test_a_language_not_offered_is_refused_and_what_was_typed_stays(client, bilingual):
    login(client, bilingual.team.lead)
    page = client.post(reports_url(bilingual), {"kind": "thematic", "threshold": 5, "language": "fr",
                                                "summary": "Lo que aprendimos."}).content.decode()
    assert str(LANGUAGE_NOT_OFFERED) in page and "Lo que aprendimos.</textarea>" in page
    assert not Report.objects.exists()


@pytest.mark.parametrize(("kind", "words"), [
    (ReportKind.THEMATIC, ["Propósito y método", "A quiénes escuchamos", "Página 2 de"]),
    (ReportKind.INFOGRAPHIC, ["En sus palabras", "estudiantes escuchados"]),
    (ReportKind.SLIDES, ["Cómo escuchamos", "A quiénes escuchamos"]),
    (ReportKind.STUDENT_SUMMARY, ["lo que dijeron, lo que hicimos", "Lo que escuchamos"]),
])
def test_each_kind_renders_in_spanish_and_its_pdf_keeps_the_accents(bilingual, kind, words):
    text = pdf_text(_render(bilingual.team.program, kind, "es"))
    for word in words:
        assert word in text, word
    # The student's words as said, then the analyst's translation.
    assert "“Student 1: the cafeteria is loud and lunch is short.”" in text
    assert "La cafetería es ruidosa y el almuerzo es corto." in text
    assert text.index("Student 1: the cafeteria") < text.index("La cafetería es ruidosa y el almuerzo")


def test_a_spanish_thematic_report_marks_the_translation_and_names_no_language_of_its_own(bilingual):
    report = Report.objects.create(program=bilingual.team.program, kind=ReportKind.THEMATIC, options={"language": "es"})
    page = report_html(report)
    with translation.override("es"):
        mark, english = str(TRANSLATED_BY[Role.ANALYST]), in_language("en")
    assert '<html lang="es">' in page and mark in page
    # The coded words by stance, under their Spanish heading (they were left out of every report before).
    assert "<strong>Desafíos:</strong>" in page and "Student 0: the cafeteria is loud and lunch is short." in page
    assert f"estudiante de 9.º grado · {english}" in page  # the original's language, in the report's words
    # The Spanish quote stands alone in a Spanish report: no language named, no translation.
    assert f"“{SPANISH}”<footer" in page
    assert "Queremos escucharte a ti, sí." in page and "¿Cómo es el almuerzo en tu escuela?" in page
    assert "¿Qué cambiarías?" in page and "We want to hear from you." not in page


def test_an_english_report_never_shows_a_translation_alone_and_names_an_untranslated_quotes_language(bilingual):
    text = pdf_text(_render(bilingual.team.program, ReportKind.THEMATIC, "en"))
    assert "La cafetería es ruidosa y el almuerzo es corto." not in text  # a translation into Spanish: not for English
    assert "Challenges:" in text
    assert f"“{SPANISH}” — a 9th-grade student · in Spanish" in text
    assert "We want to hear from you." in text and "Queremos" not in text


@pytest.mark.parametrize(("threshold", "shown"), [(5, True), (17, False)])
def test_the_spanish_descriptor_appears_exactly_when_the_english_one_does(bilingual, threshold, shown):
    # 16 of the 24 students are in 9th grade: a 9th-grade descriptor needs a threshold of 16 or less.
    program = bilingual.team.program
    pages = {}
    for language in ("en", "es"):
        with translation.override(language):
            data = report_data(program, options={"threshold": threshold, "language": language})
        pages[language] = [quote.descriptor for theme in data.all_themes() for quote in theme.quotes]
    assert ("a 9th-grade student" in pages["en"]) is shown
    assert ("estudiante de 9.º grado" in pages["es"]) is shown
    assert len(pages["en"]) == len(pages["es"]) == 2
    if not shown:
        # Both fall back to the same coarser descriptor: the school, large enough in either language.
        assert set(pages["es"]) == {"estudiante de Lincoln High"} and set(pages["en"]) == {"a student at Lincoln High"}


@pytest.mark.parametrize(("language", "words"), [("en", ("1session", "1theme")), ("es", ("1sesión", "1tema"))])
def test_the_summary_counts_one_session_and_one_theme_in_the_singular(bilingual, language, words):
    report = Report.objects.create(program=bilingual.team.program, kind=ReportKind.THEMATIC, options={"language": language})
    facts = "".join(report_html(report).split('<div class="fact">')[2:4]).replace("<strong>", "").replace("</strong>", "")
    for word in words:
        assert word + "<" in facts, facts
