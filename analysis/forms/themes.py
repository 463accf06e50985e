"""The themes screens' forms: a theme's name, insight, root causes and codes; choosing and removing quotes."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from analysis.forms.base import ProgramChoice, ProgramChoices, ProgramForm
from analysis.models import Category, Code, CodeApplication, ThemeQuote
from analysis.themes import THEME_NEEDS_NAME, TRANSLATION_EMPTY, TRANSLATION_LANGUAGE_UNKNOWN


class ThemeForm(ProgramForm):
    name = forms.CharField(label=_("Name"), max_length=160, error_messages={"required": THEME_NEEDS_NAME})
    insight = forms.CharField(label=_("Insight"), required=False)
    root_causes = forms.CharField(label=_("Root causes"), required=False)
    category = ProgramChoice(lambda form: Category.objects.filter(program=form.program), label=_("Category"),
                             required=False)
    codes = ProgramChoices(lambda form: Code.objects.filter(program=form.program), label=_("Codes"))


class QuoteForm(ProgramForm):
    coding = ProgramChoice(lambda form: CodeApplication.objects.filter(code__program=form.program).select_related("note"),
                           label=_("Quote"))


class RemoveQuoteForm(ProgramForm):
    """A quote of this theme (`theme`) to take off it."""

    quote = ProgramChoice(lambda form: ThemeQuote.objects.filter(theme=form.theme), label=_("Quote"))

    def __init__(self, *args, theme, **kwargs):
        self.theme = theme
        super().__init__(*args, **kwargs)


class TranslationForm(RemoveQuoteForm):
    """A team member's translation of one of this theme's quotes, and the language it is in."""

    translation = forms.CharField(label=_("Translation"), strip=True,
                                  error_messages={"required": TRANSLATION_EMPTY})
    translation_language = forms.ChoiceField(label=_("Language of the translation"), choices=settings.LANGUAGES,
                                             error_messages={"required": TRANSLATION_LANGUAGE_UNKNOWN,
                                                             "invalid_choice": TRANSLATION_LANGUAGE_UNKNOWN})
