"""The coder-agreement forms: starting a round, and one coder's codes for the round's notes."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from analysis.forms.base import NOT_AN_ID_HERE, NOT_ONE_OF_THE_CHOICES, ProgramChoice, ProgramForm
from analysis.models import AgreementRound, Code
from programs.models import Role

SAMPLE_SIZE_NEEDED = _("Say how many notes the sample has, as a whole number from 1.")
SAVE, FINISH = "save", "finish"


def _coders(form: ProgramForm):
    return get_user_model().objects.filter(memberships__program=form.program,
                                           memberships__role__in=[Role.ANALYST, Role.LEAD]).distinct()


class PersonChoice(ProgramChoice):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.get_username()


class RoundForm(ProgramForm):
    coder_a = PersonChoice(_coders, label=_("First coder"))
    coder_b = PersonChoice(_coders, label=_("Second coder"))
    size = forms.IntegerField(label=_("Notes in the sample"), min_value=1,
                              error_messages={"required": SAMPLE_SIZE_NEEDED, "invalid": SAMPLE_SIZE_NEEDED,
                                              "min_value": SAMPLE_SIZE_NEEDED})
    seed = forms.IntegerField(label=_("Draw number"), required=False)

    def clean_seed(self) -> int:
        return self.cleaned_data["seed"] or 0


class RoundCodingForm(forms.Form):
    """One coder's codes for each note of the round: a field `codes-<note id>` per note."""

    action = forms.ChoiceField(choices=[(SAVE, SAVE), (FINISH, FINISH)], required=False)

    def __init__(self, data=None, *, round_: AgreementRound, **kwargs):
        super().__init__(data, **kwargs)
        self.round = round_
        codes = Code.objects.filter(program=round_.program)
        self.notes = list(round_.notes.select_related("student").order_by("created_at"))
        for note in self.notes:
            who = note.student.pseudonym if note.student else _("the group")
            self.fields[f"codes-{note.pk}"] = forms.ModelMultipleChoiceField(
                queryset=codes, required=False, label=_("Codes for the note of %(who)s") % {"who": who},
                error_messages={"invalid_choice": NOT_ONE_OF_THE_CHOICES, "invalid_pk_value": NOT_AN_ID_HERE})

    @property
    def finished(self) -> bool:
        return self.cleaned_data.get("action") == FINISH

    def note_codes(self) -> dict:
        """Note id -> the codes ticked for it."""
        return {note.pk: list(self.cleaned_data[f"codes-{note.pk}"]) for note in self.notes}

    def ticked_names(self) -> dict:
        """Note id -> the names of the codes ticked for it, valid or not, to tick them again on a refused form."""
        names = {str(pk): name for pk, name in Code.objects.filter(program=self.round.program).values_list("pk", "name")}
        return {note.pk: {names[str(v)] for v in self[f"codes-{note.pk}"].value() or [] if str(v) in names}
                for note in self.notes}
