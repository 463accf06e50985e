"""The action plan's forms: ideas, votes, comments, merges and actions made from ideas; an action's
status, updates and details; the board's filters. Ids are validated here (another program's id is
an invalid choice) and dates are read here, each refusal naming its field."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from actions.models import ActionKind, ActionStatus, Idea
from actions.plan import (
    CHOOSE_A_KIND,
    CHOOSE_A_STATUS,
    COMMENT_LENGTH,
    COMMENT_NEEDS_TEXT,
    IDEA_NEEDS_TITLE,
    UPDATE_NEEDS_TEXT,
)
from analysis.forms.base import ProgramChoice, ProgramChoices, ProgramForm
from analysis.models import Theme

NOT_A_DATE = _("“%(value)s” is not a date; write it as 2026-12-05.")
CHOOSE_AN_OWNER = _("Choose an owner from the team.")
BOARD, LIST = "board", "list"


def team(program):
    """The program's people, in the order the pages list them."""
    return get_user_model().objects.filter(memberships__program=program).order_by("first_name", "username").distinct()


class IsoDateField(forms.DateField):
    """A date as a date input sends it (2026-12-05); anything else is refused with what was typed."""

    input_formats = ["%Y-%m-%d"]

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as exc:
            raise ValidationError(NOT_A_DATE, code="invalid", params={"value": value}) from exc


class PersonChoice(ProgramChoice):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.get_username()


class PeopleChoices(ProgramChoices):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.get_username()


def _team(form: ProgramForm):
    return team(form.program)


def _themes(form: ProgramForm):
    return Theme.objects.filter(program=form.program)


def _ideas(form: ProgramForm):
    return Idea.objects.filter(program=form.program)


class IdeaForm(ProgramForm):
    title = forms.CharField(label=_("Idea"), max_length=200, error_messages={"required": IDEA_NEEDS_TITLE})
    description = forms.CharField(label=_("Details"), required=False)
    group = forms.CharField(label=_("Group"), max_length=100, required=False)
    themes = ProgramChoices(_themes, label=_("Themes it answers"))


class VoteForm(ProgramForm):
    idea = ProgramChoice(_ideas, label=_("Idea"))


class CommentForm(VoteForm):
    text = forms.CharField(label=_("Comment"), max_length=COMMENT_LENGTH, error_messages={"required": COMMENT_NEEDS_TEXT})


class MergeIdeasForm(VoteForm):
    target = ProgramChoice(_ideas, label=_("Merge into"))


class ToActionForm(VoteForm):
    owner = PersonChoice(_team, label=_("Owner"), error_messages={"required": CHOOSE_AN_OWNER,
                                                                  "invalid_choice": CHOOSE_AN_OWNER})
    kind = forms.ChoiceField(label=_("Kind"), choices=ActionKind.choices, required=False,
                             error_messages={"invalid_choice": CHOOSE_A_KIND})
    due_on = IsoDateField(label=_("Due date"), required=False)

    def clean_kind(self) -> str:
        return self.cleaned_data["kind"] or ActionKind.PROJECT


class StatusForm(ProgramForm):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices,
                               error_messages={"required": CHOOSE_A_STATUS, "invalid_choice": CHOOSE_A_STATUS})
    reason = forms.CharField(label=_("Reason"), required=False)


class UpdateForm(ProgramForm):
    text = forms.CharField(label=_("Update"), error_messages={"required": UPDATE_NEEDS_TEXT})


class DetailsForm(ProgramForm):
    starts_on = IsoDateField(label=_("Start date"), required=False)
    due_on = IsoDateField(label=_("Due date"), required=False)
    measure = forms.CharField(label=_("Measure of success"), required=False)
    people = PeopleChoices(_team, label=_("Others involved"))


class BoardFilterForm(forms.Form):
    """The board's filters; one that does not make sense is left out, as if it were not set."""

    theme = forms.IntegerField(min_value=0, required=False)
    owner = forms.IntegerField(min_value=0, required=False)
    kind = forms.ChoiceField(choices=ActionKind.choices, required=False)
    view = forms.ChoiceField(choices=[(BOARD, BOARD), (LIST, LIST)], required=False)

    def chosen(self) -> dict:
        """Each filter's value, None (or "") when it is not set or makes no sense."""
        self.is_valid()
        return {name: self.cleaned_data.get(name) for name in self.fields}
