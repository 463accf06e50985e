from __future__ import annotations

from django import forms
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from interviews.models import Protocol
from interviews.protocols import BASE_LANGUAGE, TRANSLATED_SCRIPTS, translation_languages
from toolkit.languages import HOME_LANGUAGES

EMPTY_QUESTION = _("Write the question students will hear.")
TELL_ME_MORE = _("Tell me more about that.")
AN_EXAMPLE = _("Can you give me an example?")
PROMPTS_WITHOUT_QUESTION = _("Write the question in this language too, or leave its follow-up prompts empty.")
SCRIPT_LABELS = {"theme": _("Theme"), "purpose": _("Purpose (what students are told)"), "guidelines": _("Ground rules"),
                 "icebreaker": _("Icebreaker"), "wrap_up": _("Wrap-up"),
                 "assent": _("Assent script (read before each student says yes or not today; empty: the app's own)"),
                 "facilitator_notes": _("Notes for facilitators")}


def language_name(code: str):
    """The language's name in the page's language, lazily ("Spanish" in English, "Español" in Spanish)."""
    return _(HOME_LANGUAGES.get(code, code))


class ScriptsForm(forms.ModelForm):
    """The scripts in English, and beside each one the same script in every other language (`purpose_es`)."""

    class Meta:
        model = Protocol
        fields = ["theme", "purpose", "guidelines", "icebreaker", "wrap_up", "assent", "facilitator_notes"]
        labels = SCRIPT_LABELS
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in
                   ("purpose", "guidelines", "icebreaker", "wrap_up", "assent", "facilitator_notes")}

    def __init__(self, *args, translations: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        for code in translation_languages():
            for name in TRANSLATED_SCRIPTS:
                english = self.fields[name]
                self.fields[f"{name}_{code}"] = forms.CharField(
                    label=format_lazy("{} ({})", SCRIPT_LABELS[name], language_name(code)), required=False,
                    max_length=english.max_length, widget=forms.Textarea(attrs={"rows": 3, "lang": code})
                    if isinstance(english.widget, forms.Textarea) else forms.TextInput(attrs={"lang": code}),
                    initial=((translations or {}).get(code) or {}).get(name, ""),
                )

    def pairs(self):
        """(English field, [the same script's field in each other language]) for the side-by-side layout."""
        return [(self[name], [self[f"{name}_{code}"] for code in translation_languages()]
                 if name in TRANSLATED_SCRIPTS else []) for name in self.Meta.fields]

    def script_texts(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def translation_texts(self) -> dict:
        return {code: {name: self.cleaned_data.get(f"{name}_{code}", "") for name in TRANSLATED_SCRIPTS}
                for code in translation_languages()}


class QuestionForm(forms.Form):
    """A question in English, and the same question with its prompts in each other language (`text_es`)."""

    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000,
                           error_messages={"required": EMPTY_QUESTION})
    follow_ups = forms.CharField(label=_("Follow-up prompts (one per line)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}),
                                 initial=format_lazy("{}\n{}", TELL_ME_MORE, AN_EXAMPLE))
    is_opening = forms.BooleanField(label=_("Opening question every student can connect with"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The English prompts start as the English defaults whatever the page's language: they are what is asked.
        with translation.override(BASE_LANGUAGE):
            self.fields["follow_ups"].initial = f"{TELL_ME_MORE}\n{AN_EXAMPLE}"
        for code in translation_languages():
            self.fields[f"text_{code}"] = forms.CharField(
                label=format_lazy("{} ({})", _("Question"), language_name(code)), required=False, max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2, "lang": code}))
            self.fields[f"follow_ups_{code}"] = forms.CharField(
                label=format_lazy("{} ({})", _("Follow-up prompts (one per line)"), language_name(code)),
                required=False, widget=forms.Textarea(attrs={"rows": 2, "lang": code}))

    @staticmethod
    def initial_for(question) -> dict:
        initial = {"text": question.text, "follow_ups": "\n".join(question.follow_ups), "is_opening": question.is_opening}
        for code in translation_languages():
            entry = (question.translations or {}).get(code) or {}
            initial[f"text_{code}"] = entry.get("text", "")
            initial[f"follow_ups_{code}"] = "\n".join(entry.get("follow_ups") or [])
        return initial

    def clean(self):
        cleaned = super().clean()
        for code in translation_languages():
            if cleaned.get(f"follow_ups_{code}", "").strip() and not cleaned.get(f"text_{code}", "").strip():
                self.add_error(f"text_{code}", forms.ValidationError(PROMPTS_WITHOUT_QUESTION,
                                                                    code="prompts_without_question"))
        return cleaned

    def translated(self) -> list[tuple[str, object, object]]:
        """(code, text field, prompts field) for each other language, for the template."""
        return [(code, self[f"text_{code}"], self[f"follow_ups_{code}"]) for code in translation_languages()]

    def follow_up_lines(self) -> list[str]:
        return self.cleaned_data.get("follow_ups", "").splitlines()

    def translations(self) -> dict:
        return {code: {"text": self.cleaned_data.get(f"text_{code}", ""),
                       "follow_ups": self.cleaned_data.get(f"follow_ups_{code}", "").splitlines()}
                for code in translation_languages()}
