"""Forms of the notes review page: correcting a note's speaker, kind, question or language, and resolving a conflict."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from interviews.notes import CORRECTABLE_KINDS, MAX_NOTE_LENGTH

GROUP = ""
PICK_A_VERSION = _("Choose which text to keep, or write the merged text.")
MERGE_EMPTY = _("Write the merged text in the box, or keep one of the two versions.")
PICK_A_LANGUAGE = _("Choose one of the languages in the list.")


class KeepChoice:
    SAVED = "saved"
    OTHER = "other"
    MERGED = "merged"


class NoteCorrectionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    student = forms.ChoiceField(label=_("Speaker"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[(kind.value, kind.label) for kind in CORRECTABLE_KINDS])
    question = forms.TypedChoiceField(label=_("Question"), required=False, coerce=int, empty_value=None)
    # Not sent (a page opened before notes had languages): the note keeps its language.
    language = forms.TypedChoiceField(label=_("Language"), required=False, empty_value=None,
                                      error_messages={"invalid_choice": PICK_A_LANGUAGE})

    def __init__(self, *args, participants, questions, languages=(), **kwargs):
        """`languages`: (code, name) pairs of the languages a note of this session may be in."""
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", "—")] + [(code, name) for code, name in languages]
        self.fields["student"].choices = [(GROUP, _("The group"))] + [(str(s.pk), s.first_name) for s in participants]
        self.fields["question"].choices = [("", "—")] + [(str(q.pk), _("Q%(number)s.") % {"number": q.position} + f" {q.text[:60]}")
                                                           for q in questions]

    def clean_student(self) -> int | None:
        value = self.cleaned_data["student"]
        return int(value) if value else None


class ConflictForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    keep = forms.ChoiceField(label=_("Keep"), choices=[(KeepChoice.SAVED, _("the saved text")), (KeepChoice.OTHER, _("the other text")),
                                                      (KeepChoice.MERGED, _("the merged text below"))],
                             error_messages={"required": PICK_A_VERSION, "invalid_choice": PICK_A_VERSION})
    merged = forms.CharField(label=_("Merged text"), required=False, strip=False, max_length=MAX_NOTE_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("keep") == KeepChoice.MERGED and not (cleaned.get("merged") or "").strip():
            self.add_error("merged", MERGE_EMPTY)
        return cleaned

    def text_to_keep(self, note) -> str:
        keep = self.cleaned_data["keep"]
        if keep == KeepChoice.SAVED:
            return note.text
        if keep == KeepChoice.OTHER:
            return note.conflict_text or ""
        return self.cleaned_data["merged"]


