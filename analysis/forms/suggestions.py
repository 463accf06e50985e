"""The suggestions screen's forms: dismissing a suggestion, or accepting it as a code on the notes that fit."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from analysis.codebook import CODE_NEEDS_NAME
from analysis.forms.base import ProgramChoice, ProgramForm, TextList
from analysis.models import Category, ThemeSuggestion

SUGGESTION_GONE = _("That suggestion was accepted or dismissed already; reload the page.")


class SuggestionForm(ProgramForm):
    suggestion = ProgramChoice(lambda form: ThemeSuggestion.objects.filter(run__program=form.program,
                                                                           status=ThemeSuggestion.Status.OPEN),
                               label=_("Suggestion"), error_messages={"invalid_choice": SUGGESTION_GONE})


class AcceptSuggestionForm(SuggestionForm):
    name = forms.CharField(label=_("Code name"), max_length=120, required=False)
    category = ProgramChoice(lambda form: Category.objects.filter(program=form.program), label=_("Category"))
    notes = TextList(required=False, label=_("Notes that fit"))

    def clean(self) -> dict:
        cleaned = super().clean()
        suggestion = cleaned.get("suggestion")
        if suggestion is not None and not cleaned.get("name"):
            # An empty name takes the suggestion's first word, as the page's field shows it.
            if not suggestion.top_words:
                self.add_error("name", CODE_NEEDS_NAME)
            else:
                cleaned["name"] = suggestion.top_words[0].capitalize()
        return cleaned
