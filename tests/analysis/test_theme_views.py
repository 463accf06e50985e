"""The themes pages: who may change a theme, its forms' refusals, and the domain functions that write it."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from analysis.codebook import add_code, seed_categories
from analysis.coding import apply_code
from analysis.forms.base import NOT_AN_ID_HERE, NOT_ONE_OF_THE_CHOICES, UNKNOWN_CHANGE
from analysis.models import Theme, ThemeQuote
from analysis.themes import NOT_A_CODED_SPAN, THEME_NEEDS_NAME, add_quote, create_theme, remove_quote, update_theme
from analysis.views.themes import ONLY_ANALYSTS_CHANGE_THEMES
from tests.factories import ProgramFactory
from tests.test_helpers import login


@pytest.fixture
def theme(coded):
    theme = create_theme(program=coded.team.program, name="Lunch is loud", insight="Too loud.", codes=[coded.codes["Noise"]])
    for note in coded.notes[:3]:
        apply_code(note=note, code=coded.codes["Noise"], coder=coded.team.analyst)
    return theme


def url(coded, name, **kwargs):
    return reverse(name, kwargs={"slug": coded.team.program.slug, **kwargs})


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_a_viewer_reads_themes_but_creating_one_is_refused(client, coded):
    login(client, coded.team.viewer)
    response = client.post(url(coded, "themes"), {"name": "Viewer's theme"})
    assert response.status_code == 403 and str(ONLY_ANALYSTS_CHANGE_THEMES) in text(response)
    assert not Theme.objects.exists()


@pytest.mark.parametrize("data", [{"name": "Renamed"}, {"action": "remove_quote", "quote": 1}])
def test_a_viewer_cannot_change_a_theme(client, coded, theme, data):
    add_quote(theme, application=theme.codes.get().applications.first())
    login(client, coded.team.viewer)
    response = client.post(url(coded, "theme_detail", pk=theme.pk), data)
    assert response.status_code == 403 and str(ONLY_ANALYSTS_CHANGE_THEMES) in text(response)
    assert Theme.objects.get().name == "Lunch is loud" and ThemeQuote.objects.count() == 1


def test_a_new_theme_in_another_programs_category_is_refused_and_keeps_what_was_typed(client, coded):
    foreign = seed_categories(ProgramFactory(slug="other-program"))[0]
    login(client, coded.team.analyst)
    response = client.post(url(coded, "themes"), {"name": "Noisy lunch", "insight": "They shout.",
                                                  "category": foreign.pk, "codes": [coded.codes["Noise"].pk]})
    page = text(response)
    assert response.status_code == 400 and "Category: " + NOT_ONE_OF_THE_CHOICES % {"value": foreign.pk} in page
    assert 'value="Noisy lunch"' in page and "They shout.</textarea>" in page
    assert f'value="{coded.codes["Noise"].pk}" id="tc-{coded.codes["Noise"].pk}" checked' in page
    assert not Theme.objects.exists()


def test_a_new_theme_without_a_name_is_refused(client, coded):
    login(client, coded.team.analyst)
    response = client.post(url(coded, "themes"), {"name": " ", "codes": ["nine"]})
    page = text(response)
    assert f"Name: {THEME_NEEDS_NAME}" in page and "Codes: " + NOT_AN_ID_HERE % {"pk": "nine"} in page
    assert not Theme.objects.exists()


def test_saving_a_theme_without_a_name_is_refused_and_keeps_the_typed_insight(client, coded, theme):
    login(client, coded.team.analyst)
    response = client.post(url(coded, "theme_detail", pk=theme.pk), {"name": "", "insight": "Rewritten insight",
                                                                      "root_causes": "One lunch period"})
    page = text(response)
    assert response.status_code == 400 and f"Name: {THEME_NEEDS_NAME}" in page
    assert "Rewritten insight</textarea>" in page and "One lunch period</textarea>" in page
    assert Theme.objects.get().insight == "Too loud."


def test_saving_a_theme_rewrites_it(client, coded, theme):
    login(client, coded.team.analyst)
    response = client.post(url(coded, "theme_detail", pk=theme.pk), {
        "action": "save", "name": "Lunch", "insight": "Loud.", "root_causes": "One period.",
        "codes": [coded.codes["Time"].pk]}, follow=True)
    assert "Theme saved." in text(response)
    theme.refresh_from_db()
    assert (theme.name, theme.insight, theme.root_causes) == ("Lunch", "Loud.", "One period.")
    assert list(theme.codes.all()) == [coded.codes["Time"]]


def test_a_quote_from_words_outside_the_theme_is_refused(client, coded, theme):
    outside = apply_code(note=coded.notes[5], code=coded.codes["Time"], coder=coded.team.analyst)
    login(client, coded.team.analyst)
    response = client.post(url(coded, "theme_detail", pk=theme.pk), {"action": "quote", "coding": outside.pk})
    assert response.status_code == 400 and str(NOT_A_CODED_SPAN) in text(response) and not ThemeQuote.objects.exists()
    response = client.post(url(coded, "theme_detail", pk=theme.pk), {"action": "quote", "coding": "first"})
    assert "Quote: " + NOT_ONE_OF_THE_CHOICES % {"value": "first"} in text(response)


def test_removing_a_quote(client, coded, theme):
    quote = add_quote(theme, application=theme.codes.get().applications.first())
    login(client, coded.team.analyst)
    assert client.post(url(coded, "theme_detail", pk=theme.pk), {"action": "remove_quote", "quote": quote.pk}).status_code == 302
    assert not ThemeQuote.objects.exists()


def test_removing_another_themes_quote_through_this_one_is_refused(client, coded, theme):
    other = create_theme(program=coded.team.program, name="Other", codes=[coded.codes["Noise"]])
    quote = add_quote(other, application=theme.codes.get().applications.first())
    login(client, coded.team.analyst)
    response = client.post(url(coded, "theme_detail", pk=theme.pk), {"action": "remove_quote", "quote": quote.pk})
    assert response.status_code == 400 and ThemeQuote.objects.filter(pk=quote.pk).exists()


def test_a_change_the_theme_page_does_not_make_is_refused(client, coded, theme):
    login(client, coded.team.analyst)
    response = client.post(url(coded, "theme_detail", pk=theme.pk), {"action": "delete", "name": "Gone"})
    assert response.status_code == 400 and str(UNKNOWN_CHANGE) in text(response)
    assert Theme.objects.get().name == "Lunch is loud"


def test_create_theme_keeps_only_this_programs_codes_and_category(coded):
    program = ProgramFactory(slug="other-program")
    category = seed_categories(program)[0]
    foreign = add_code(program, category=category, name="Foreign")
    theme = create_theme(program=coded.team.program, name=" Lunch ", category=category,
                         codes=[coded.codes["Noise"], foreign])
    assert theme.name == "Lunch" and theme.category is None and list(theme.codes.all()) == [coded.codes["Noise"]]
    with pytest.raises(ValueError, match=str(THEME_NEEDS_NAME)):
        create_theme(program=coded.team.program, name="  ")


def test_update_theme_keeps_the_old_name_when_given_none(coded, theme):
    update_theme(theme=theme, name=" ", insight="New", root_causes="Why", codes=[])
    theme.refresh_from_db()
    assert (theme.name, theme.insight, theme.root_causes, theme.codes.count()) == ("Lunch is loud", "New", "Why", 0)


def test_remove_quote_leaves_another_themes_quote_alone(coded, theme):
    other = create_theme(program=coded.team.program, name="Other", codes=[coded.codes["Noise"]])
    mine = add_quote(theme, application=theme.codes.get().applications.first())
    theirs = add_quote(other, application=theme.codes.get().applications.first())
    remove_quote(theme=theme, quote=theirs)
    assert set(ThemeQuote.objects.values_list("pk", flat=True)) == {mine.pk, theirs.pk}
    remove_quote(theme=theme, quote=mine)
    assert list(ThemeQuote.objects.values_list("pk", flat=True)) == [theirs.pk]
