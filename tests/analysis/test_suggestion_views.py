"""The suggestions page's changes: dismiss, accept (with the name it falls back to), and their refusals."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse

from analysis.codebook import NAME_TAKEN
from analysis.forms.base import UNKNOWN_CHANGE
from analysis.forms.suggestions import SUGGESTION_GONE
from analysis.models import Code, CodeApplication, SuggestionRun, ThemeSuggestion
from tests.factories import ProgramFactory
from tests.test_helpers import login


@pytest.fixture
def suggestion(client, coded):
    run = SuggestionRun.objects.create(program=coded.team.program, status=SuggestionRun.Status.READY)
    login(client, coded.team.analyst)
    return ThemeSuggestion.objects.create(run=run, top_words=["cafeteria", "loud"],
                                          note_ids=[str(n.pk) for n in coded.notes[:3]])


def post(client, coded, data):
    return client.post(reverse("suggestions", kwargs={"slug": coded.team.program.slug}), data)


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_dismissing_a_suggestion(client, coded, suggestion):
    assert post(client, coded, {"action": "dismiss", "suggestion": suggestion.pk}).status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == ThemeSuggestion.Status.DISMISSED


@pytest.mark.parametrize("action", ["dismiss", "accept"])
def test_a_suggestion_dismissed_already_or_of_another_program_is_refused(client, coded, suggestion, action):
    other = ThemeSuggestion.objects.create(run=SuggestionRun.objects.create(program=ProgramFactory(slug="other-program")),
                                           top_words=["x"])
    ThemeSuggestion.objects.filter(pk=suggestion.pk).update(status=ThemeSuggestion.Status.DISMISSED)
    for pk in (suggestion.pk, other.pk, "first"):
        response = post(client, coded, {"action": action, "suggestion": pk, "category": coded.codes["Noise"].category_id})
        assert response.status_code == 400 and f"Suggestion: {SUGGESTION_GONE}" in text(response)
    assert not Code.objects.filter(definition__startswith="From a suggested theme").exists()
    other.refresh_from_db()
    assert other.status == ThemeSuggestion.Status.OPEN


def test_accepting_without_a_name_takes_the_first_word(client, coded, suggestion):
    response = client.post(reverse("suggestions", kwargs={"slug": coded.team.program.slug}), {
        "action": "accept", "suggestion": suggestion.pk, "name": "", "category": coded.codes["Noise"].category_id,
        "notes": suggestion.note_ids[:2]}, follow=True)
    assert "Code “Cafeteria” created and applied to 2 notes." in text(response)
    assert CodeApplication.objects.filter(code__name="Cafeteria").count() == 2


def test_accepting_under_a_name_in_use_is_refused_and_keeps_the_typed_name_and_ticks(client, coded, suggestion):
    response = post(client, coded, {"action": "accept", "suggestion": suggestion.pk, "name": "noise",
                                    "category": coded.codes["Noise"].category_id, "notes": suggestion.note_ids[:1]})
    page = text(response)
    assert response.status_code == 400 and NAME_TAKEN.format(name="noise") in page
    assert f'id="name-{suggestion.pk}" name="name" value="noise"' in page
    assert f'value="{suggestion.note_ids[0]}" id="n-{suggestion.pk}-1" checked' in page
    assert f'value="{suggestion.note_ids[1]}" id="n-{suggestion.pk}-2" >' in page  # left unticked, as sent
    suggestion.refresh_from_db()
    assert suggestion.status == ThemeSuggestion.Status.OPEN and not CodeApplication.objects.exists()


def test_accepting_into_a_category_that_is_not_this_programs_is_refused(client, coded, suggestion):
    response = post(client, coded, {"action": "accept", "suggestion": suggestion.pk, "name": "Lunch", "category": "x"})
    assert "Category: “x” is not one of the choices here." in text(response)
    assert not Code.objects.filter(name="Lunch").exists()


def test_a_change_the_suggestions_page_does_not_make_is_refused(client, coded, suggestion):
    response = post(client, coded, {"action": "reject", "suggestion": suggestion.pk})
    assert response.status_code == 400 and str(UNKNOWN_CHANGE) in text(response)


def test_the_page_offers_the_starting_categories_before_the_codebook_was_opened(client, team):
    run = SuggestionRun.objects.create(program=team.program, status=SuggestionRun.Status.READY)
    ThemeSuggestion.objects.create(run=run, top_words=["cafetería"])
    login(client, team.analyst)
    assert not team.program.categories.exists()
    page = client.get(reverse("suggestions", kwargs={"slug": team.program.slug})).content.decode()
    categories = list(team.program.categories.all())
    assert len(categories) == 3 and all(f'<option value="{c.pk}"' in page for c in categories)
