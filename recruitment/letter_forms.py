"""The forms of the consent letter pages: the letter's words, the families a print or an e-mail is for,
and a family's answer on paper."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from recruitment.consent_codes import PAPER_ANSWERS
from recruitment.letters import PART_TOO_LONG, PARTS, REQUIRED, translation_languages
from recruitment.models import ConsentStatus

LABELS = {
    "purpose": _("Why we are listening, in plain words"),
    "taking_part": _("What taking part means"),
    "duration": _("How long it takes"),
    "who_sees": _("Who will see the words"),
    "storage": _("How the words are kept and when they are deleted"),
    "contact": _("Who to contact with questions"),
    "protected_topics": _("Protected topics and how to opt out"),
}
HELP = {
    "purpose": _("For example: “Our school wants to hear from students about what helps them learn.”"),
    "taking_part": _("For example: “Your child will join a small group conversation with five or six classmates "
                     "and a trained adult.”"),
    "duration": _("For example: “About 45 minutes, during the school day.”"),
    "who_sees": _("For example: “Only the project team reads the notes. Reports never name a student.”"),
    "storage": _("For example: “Notes are kept on the district's secure system and deleted by June 30.”"),
    "contact": _("A name, an e-mail address or a telephone number."),
    "protected_topics": _("Needed when a question touches a topic the Protection of Pupil Rights Amendment "
                          "names (feelings and mental health, family, religion, income…)."),
}
REQUIRED_MESSAGE = {
    "purpose": _("Say in a sentence or two why the school is listening."),
    "taking_part": _("Say what taking part means for the student."),
    "duration": _("Say how long taking part takes."),
    "who_sees": _("Say who will see what students say."),
    "storage": _("Say how the words are kept and when they are deleted."),
    "contact": _("Give a contact for families' questions."),
}
LANGUAGE_NAMES = {"es": _("Spanish")}
MAX_CODE_DAYS = 365


def translated_name(key: str, language: str) -> str:
    return f"{language}_{key}"


class ConsentLetterForm(forms.Form):
    """The program's parts of the letter in English (the required ones must be written) and, optionally,
    in each other language the app speaks."""

    max_reminders = forms.IntegerField(label=_("Reminders at most"), min_value=0, max_value=10,
                                       help_text=_("No family is sent more reminders than this."))
    code_days = forms.IntegerField(label=_("Days a private code works"), min_value=1, max_value=MAX_CODE_DAYS,
                                   help_text=_("From the day a letter is printed or e-mailed."),
                                   error_messages={"max_value": _("A code works at most a year (365 days)."),
                                                   "min_value": _("A code must work at least one day.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key in PARTS:
            required, length = key in REQUIRED, 200 if key == "duration" else PART_TOO_LONG
            self.fields[key] = forms.CharField(
                label=LABELS[key], help_text=HELP[key], required=required, max_length=length,
                error_messages={"required": REQUIRED_MESSAGE.get(key, "")}, widget=self._widget(key))
            for language in translation_languages():
                self.fields[translated_name(key, language)] = forms.CharField(
                    label=format_lazy("{} ({})", LABELS[key], LANGUAGE_NAMES.get(language, language)),
                    required=False, max_length=length, widget=self._widget(key))

    @staticmethod
    def _widget(key: str):
        return forms.TextInput() if key == "duration" else forms.Textarea(attrs={"rows": 3})

    @classmethod
    def initial_for(cls, letter) -> dict:
        initial = {key: getattr(letter, key) for key in PARTS}
        initial.update(max_reminders=letter.max_reminders, code_days=letter.code_days)
        for language, words in (letter.translations or {}).items():
            for key, text in words.items():
                initial[translated_name(key, language)] = text
        return initial

    def base_fields_list(self):
        return [self[key] for key in PARTS]

    def languages(self):
        """[(code, name, [(english field, translated field)])] for the template."""
        return [(language, LANGUAGE_NAMES.get(language, language),
                 [(self[key], self[translated_name(key, language)]) for key in PARTS])
                for language in translation_languages()]

    def parts(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key) or "" for key in PARTS}

    def translations(self) -> dict[str, dict[str, str]]:
        return {language: {key: self.cleaned_data.get(translated_name(key, language)) or "" for key in PARTS}
                for language in translation_languages()}


class ChosenFamiliesForm(forms.Form):
    """Which families a print or an e-mail is for: those ticked, of the ones offered."""

    invitations = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, offered, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitations"].choices = [(str(i.pk), str(i.pk)) for i in offered]
        self.fields["invitations"].error_messages["invalid_choice"] = _(
            "One of the families chosen has answered or left the sample meanwhile: the list is fresh now, "
            "choose again.")

    def chosen_ids(self) -> list[int]:
        return [int(pk) for pk in self.cleaned_data["invitations"]]


class PaperAnswerForm(forms.Form):
    invitation = forms.TypedChoiceField(label=_("Student"), coerce=int,
                                        error_messages={"required": _("Choose the student the form is for.")})
    answer = forms.ChoiceField(label=_("The family's answer"), widget=forms.RadioSelect,
                               choices=[(s.value, s.label) for s in ConsentStatus if s in PAPER_ANSWERS],
                               error_messages={"required": _("Choose the family's answer.")})
    guardian_name = forms.CharField(label=_("Parent or guardian's name"), max_length=200, required=False)
    relationship = forms.CharField(label=_("Relationship to the student"), max_length=100, required=False)
    on = forms.DateField(label=_("Date on the form"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                         error_messages={"invalid": _("Enter the date as on the form, for example 2026-03-14.")})

    def __init__(self, *args, invitations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitation"].choices = [("", "—")] + [
            (i.pk, f"{i.student.last_name}, {i.student.first_name} ({i.student.school.name})") for i in invitations]
        self.initial.setdefault("on", timezone.localdate())

