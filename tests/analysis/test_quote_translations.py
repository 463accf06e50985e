"""A team member's translation of a quote: written by a person beside the student's words, never
instead of them; refused with a clear message when it cannot be right; audited; shown on the theme page."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse
from django.utils import translation

from analysis.coding import apply_code
from analysis.models import ThemeQuote
from analysis.themes import (
    TRANSLATED_BY,
    TRANSLATION_EMPTY,
    TRANSLATION_LANGUAGE_UNKNOWN,
    Quote,
    add_quote,
    create_theme,
    in_language,
    remove_translation,
    show_quote,
    theme_quotes,
    translate_quote,
)
from audit.models import AuditAction, AuditEvent
from programs.models import Role
from tests.test_helpers import login

SPANISH = "La cafetería es muy ruidosa y el almuerzo es corto."


@pytest.fixture
def quoted(coded):
    """A theme with two quotes: one in English, one a student said in Spanish (the note's language)."""
    spanish = coded.notes[1]
    spanish.text, spanish.language = SPANISH, "es"
    spanish.save(update_fields=["text", "language"])
    theme = create_theme(program=coded.team.program, name="Lunch is loud", codes=[coded.codes["Noise"]])
    english = add_quote(theme, application=apply_code(note=coded.notes[3], code=coded.codes["Noise"], coder=coded.team.analyst))
    said = add_quote(theme, application=apply_code(note=spanish, code=coded.codes["Noise"], coder=coded.team.analyst))
    return coded, theme, english, said


def url(coded, theme):
    return reverse("theme_detail", kwargs={"slug": coded.team.program.slug, "pk": theme.pk})


def page(response) -> str:
    return html.unescape(response.content.decode())


def test_a_translation_sits_beside_the_students_words_which_stay_as_said(quoted):
    coded, theme, _english, said = quoted
    translate_quote(quote=said, text="  The cafeteria is very loud and lunch is short. ", language="en",
                    user=coded.team.analyst, role=Role.ANALYST)
    said.refresh_from_db()
    assert said.snippet == SPANISH
    assert said.translation == "The cafeteria is very loud and lunch is short."
    assert (said.translation_language, said.translated_by, said.translator_role) == ("en", coded.team.analyst, "analyst")
    assert said.translated_at is not None
    shown = {q.snippet: q for q in theme_quotes(theme, {})}
    assert shown[SPANISH].language == "es" and shown[SPANISH].translation.startswith("The cafeteria")
    remove_translation(quote=said)
    said.refresh_from_db()
    assert (said.translation, said.translation_language, said.translated_by, said.translated_at) == ("", "", None, None)


@pytest.mark.parametrize(("text", "language", "refusal"), [
    ("   ", "en", str(TRANSLATION_EMPTY)),
    ("La cafetería.", "es", "The student said this in Spanish; choose the other language for the translation."),
    ("The cafeteria.", "fr", str(TRANSLATION_LANGUAGE_UNKNOWN)),
    ("x" * 5001, "en", "A translation can be at most 5000 characters; this one has 5001."),
])
def test_a_translation_that_cannot_be_right_is_refused(quoted, text, language, refusal):
    coded, _theme, _english, said = quoted
    with pytest.raises(ValueError, match=refusal.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        translate_quote(quote=said, text=text, language=language, user=coded.team.analyst, role=Role.ANALYST)
    said.refresh_from_db()
    assert said.translation == "" and said.snippet == SPANISH


def test_an_analyst_translates_on_the_theme_page_and_it_is_audited(client, quoted):
    coded, theme, _english, said = quoted
    login(client, coded.team.analyst)
    response = client.post(url(coded, theme), {"action": "translate", "quote": said.pk,
                                               "translation": "The cafeteria is very loud.", "translation_language": "en"},
                           follow=True)
    text = page(response)
    said.refresh_from_db()
    assert said.translation == "The cafeteria is very loud." and said.translator_role == "analyst"
    assert "Translation saved." in text
    # The student's words first, then the translation, marked as the team's.
    assert text.index(f"“{SPANISH}”") < text.index("“The cafeteria is very loud.”") < text.index("Translation by a team analyst")
    event = AuditEvent.objects.get(action=AuditAction.TRANSLATE_QUOTE)
    assert event.actor == coded.team.analyst and event.program_id == coded.team.program.pk
    assert event.object_id == str(said.pk) and event.detail == {"theme": theme.pk, "change": "added", "language": "en",
                                                                 "role": "analyst"}
    client.post(url(coded, theme), {"action": "remove_translation", "quote": said.pk})
    said.refresh_from_db()
    assert said.translation == ""
    assert list(AuditEvent.objects.filter(action=AuditAction.TRANSLATE_QUOTE).values_list("detail__change", flat=True)) \
        == ["removed", "added"]


def test_a_lead_s_translation_is_marked_as_a_lead_s(client, quoted):
    coded, theme, english, _said = quoted
    login(client, coded.team.lead)
    client.post(url(coded, theme), {"action": "translate", "quote": english.pk, "translation": "La cafetería es ruidosa.",
                                    "translation_language": "es"})
    english.refresh_from_db()
    assert english.translator_role == "lead"
    assert "Translation by a team lead" in page(client.get(url(coded, theme)))


def test_a_refused_translation_says_why_and_keeps_what_was_typed(client, quoted):
    coded, theme, _english, said = quoted
    login(client, coded.team.analyst)
    response = client.post(url(coded, theme), {"action": "translate", "quote": said.pk,
                                               "translation": "Mi traducción cuidadosa", "translation_language": "es"})
    text = page(response)
    assert response.status_code == 400
    assert "The student said this in Spanish; choose the other language for the translation." in text
    assert "Mi traducción cuidadosa</textarea>" in text and f'id="tr-{said.pk}"' in text
    assert not ThemeQuote.objects.exclude(translation="").exists() and not AuditEvent.objects.exists()


def test_a_viewer_cannot_translate(client, quoted):
    coded, theme, _english, said = quoted
    login(client, coded.team.viewer)
    response = client.post(url(coded, theme), {"action": "translate", "quote": said.pk, "translation": "Loud.",
                                               "translation_language": "en"})
    assert response.status_code == 403
    said.refresh_from_db()
    assert said.translation == ""
    assert "Add a translation" not in page(client.get(url(coded, theme)))


def test_a_quote_of_another_theme_cannot_be_translated_from_this_one(client, quoted):
    coded, theme, _english, said = quoted
    other = create_theme(program=coded.team.program, name="Other", codes=[coded.codes["Noise"]])
    login(client, coded.team.analyst)
    response = client.post(url(coded, other), {"action": "translate", "quote": said.pk, "translation": "Loud.",
                                               "translation_language": "en"})
    assert response.status_code == 400
    said.refresh_from_db()
    assert said.translation == ""


QUOTE = Quote("La cafetería es ruidosa.", "a 9th-grade student", "es", "The cafeteria is loud.", "en", "analyst")


def test_a_reader_of_the_translations_language_sees_both_the_original_first():
    with translation.override("en"):
        shown = show_quote(QUOTE, language="en")
    assert shown.snippet == "La cafetería es ruidosa." and shown.translation == "The cafeteria is loud."
    assert shown.language_name == "in Spanish" and shown.translation_mark == str(TRANSLATED_BY[Role.ANALYST])


def test_a_reader_of_the_students_language_sees_the_words_alone():
    shown = show_quote(QUOTE, language="es")
    assert (shown.translation, shown.translation_mark, shown.language_name) == ("", "", "")


def test_a_quote_in_another_language_without_a_translation_names_its_language():
    untranslated = Quote("The cafeteria is loud.", "a student", "en")
    with translation.override("es"):
        shown = show_quote(untranslated, language="es")
        assert shown.snippet == "The cafeteria is loud." and shown.translation == ""
        assert shown.language_name == in_language("en")
