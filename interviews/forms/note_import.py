"""Forms of the note import: the upload, and the mapping of speakers and questions under the preview."""

from __future__ import annotations

import hashlib
import json

from django import forms
from django.utils.translation import gettext_lazy as _

from interviews.note_import import ACCEPT
from interviews.note_import.plan import (
    FACILITATOR,
    FACILITATOR_OBSERVATION,
    GROUP,
    ICEBREAKER,
    IGNORE,
    MAX_HAND_CHOICES,
    NOTE_TAKER,
    STUDENT,
)
from toolkit.tables import check_upload_size

BLANK_HAND_ROWS = 3
CHOOSE_QUESTION = _("Choose the question for this block.")
CHOOSE_BLOCK = _("Write the number of the block this question starts at.")
PICK_ONE = _("Choose one of the people in the list.")


class NoteImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File of notes or transcript"), validators=[check_upload_size],
        help_text=_("A Word document (.docx), text or Markdown (.txt, .md), a meeting transcript (.vtt, .srt), or a "
                    "spreadsheet (.xlsx, .csv) with the columns speaker, question and text."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={"required": _("Choose the file to import."), "empty": _("The file is empty.")},
    )


def speaker_choices(students) -> list[tuple[str, str]]:
    return ([("", _("— choose —"))]
            + [(f"{STUDENT}{s.pk}", f"{s.first_name} {s.last_name} ({s.pseudonym})") for s in students]
            + [(GROUP, _("The group")),
               (FACILITATOR, _("The facilitator: their questions, not kept")),
               (FACILITATOR_OBSERVATION, _("The facilitator: kept as an observation")),
               (NOTE_TAKER, _("The note-taker: kept as an observation")),
               (IGNORE, _("Ignore: not imported"))])


def question_choices(questions) -> list[tuple[str, str]]:
    return ([("", "—"), (ICEBREAKER, _("Icebreaker (before the questions)"))]
            + [(str(q.pk), _("Q%(number)s.") % {"number": n} + f" {q.text[:70]}") for n, q in enumerate(questions, start=1)])


def choice_fingerprint(mapping: dict[str, str], hand: dict[int, str]) -> str:
    """A short digest of what a preview showed, so that an import is of what the person saw."""
    data = json.dumps([sorted(mapping.items()), sorted(hand.items())], ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()[:20]


class NoteImportMappingForm(forms.Form):
    """`speaker_<n>` for the n-th speaker of the file (in order of first speaking), and rows of
    `from_block_<n>` / `question_<n>`: from that block on, the blocks answer that question."""

    def __init__(self, data=None, *, speakers: list[str], students, questions, guesses: dict[str, str], **kwargs):
        super().__init__(data, **kwargs)
        self.speakers = speakers
        choices = speaker_choices(students)
        for number, speaker in enumerate(speakers, start=1):
            self.fields[f"speaker_{number}"] = forms.ChoiceField(
                label=speaker or _("(no speaker named)"), required=False, choices=choices, initial=guesses.get(speaker, ""),
                error_messages={"invalid_choice": PICK_ONE})
        filled = 0
        if data is not None:
            filled = sum(1 for n in range(1, MAX_HAND_CHOICES + 1)
                         if data.get(f"from_block_{n}") or data.get(f"question_{n}"))
        for number in range(1, min(filled + BLANK_HAND_ROWS, MAX_HAND_CHOICES) + 1):
            self.fields[f"from_block_{number}"] = forms.IntegerField(label=_("From block"), required=False, min_value=1,
                                                                     widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}))
            self.fields[f"question_{number}"] = forms.ChoiceField(label=_("the answers are to"), required=False,
                                                                  choices=question_choices(questions),
                                                                  widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
        self.hand_rows = [(self[f"from_block_{n}"], self[f"question_{n}"]) for n in range(1, min(filled + BLANK_HAND_ROWS, MAX_HAND_CHOICES) + 1)]
        self.speaker_fields = [self[f"speaker_{n}"] for n in range(1, len(speakers) + 1)]

    def clean(self):
        cleaned = super().clean()
        for number in range(1, len(self.hand_rows) + 1):
            block, question = cleaned.get(f"from_block_{number}"), cleaned.get(f"question_{number}")
            if block and not question:
                self.add_error(f"question_{number}", CHOOSE_QUESTION)
            elif question and not block:
                self.add_error(f"from_block_{number}", CHOOSE_BLOCK)
        return cleaned

    def mapping(self) -> dict[str, str]:
        """The choice for each speaker: a valid one as sent, else the guess (for a field with an error)."""
        data = getattr(self, "cleaned_data", {})
        return {speaker: data.get(f"speaker_{n}", self.fields[f"speaker_{n}"].initial) if self.is_bound
                else self.fields[f"speaker_{n}"].initial
                for n, speaker in enumerate(self.speakers, start=1)}

    def hand(self) -> dict[int, str]:
        data = getattr(self, "cleaned_data", {})
        chosen = {}
        for number in range(1, len(self.hand_rows) + 1):
            block, question = data.get(f"from_block_{number}"), data.get(f"question_{number}")
            if block and question:
                chosen[block] = question
        return chosen
