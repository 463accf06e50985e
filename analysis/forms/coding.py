"""The coding workbench's forms: coding a span of a note, and the page size of the list."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from analysis.coding_rows import program_code, program_note, program_note_and_code
from analysis.forms.base import ProgramForm, ProgramRow
from analysis.models import Code, Stance
from interviews.models import Note

NO_CODES_YET = _("The codebook has no codes yet. Add a code in the Codebook, then come back to code notes.")
NOTES_PER_PAGE = 25
PAGE_SIZES = (25, 100, 500)  # a code's whole list of excerpts is reachable in a few requests


class CodeNoteForm(ProgramForm):
    """A code on a note: on the selected words (start and end offsets in code points, and the words
    themselves, which must be what stands there), or on the whole note when the offsets are empty."""

    # Read in plain SQL (a coding's hot path); a retired code is refused by apply_code, with its name.
    note = ProgramRow(Note, program_note, label=_("Note"))
    code = ProgramRow(Code, program_code, label=_("Code"))
    start = forms.IntegerField(label=_("Start of the selected words"), required=False, min_value=0)
    end = forms.IntegerField(label=_("End of the selected words"), required=False, min_value=0)
    selected = forms.CharField(label=_("Selected words"), required=False, strip=False)
    stance = forms.ChoiceField(label=_("Kind"), choices=Stance.choices, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and not self.data.get("code") and not Code.objects.filter(program=self.program, retired=False).exists():
            self.fields["code"].error_messages["required"] = NO_CODES_YET
        note_field, code_field = self.fields["note"], self.fields["code"]
        note_pk, code_pk = (note_field.pk_of(self["note"].data), code_field.pk_of(self["code"].data)) if self.is_bound else (None, None)
        if note_pk is not None and code_pk is not None:
            # The two rows in one statement (a coding's hot path): the fields then refuse what is not there.
            note_field.known[note_pk], code_field.known[code_pk] = program_note_and_code(
                program_id=self.program.pk, note_pk=note_pk, code_pk=code_pk)

    def clean_stance(self) -> str:
        return self.cleaned_data["stance"] or Stance.NEITHER

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("start") is None and cleaned.get("end") is None:
            cleaned["selected"] = None  # the whole note: no selected words to check
        return cleaned


class PageSizeForm(forms.Form):
    per_page = forms.TypedChoiceField(choices=[(size, size) for size in PAGE_SIZES], coerce=int, required=False)

    def size(self) -> int:
        """The size asked for, or the default for anything else."""
        return (self.cleaned_data["per_page"] if self.is_valid() else None) or NOTES_PER_PAGE
