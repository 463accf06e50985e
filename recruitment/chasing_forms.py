"""The forms of the consent page: which reminders to send, and which proposed replacement to invite."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from recruitment.chasing import By
from recruitment.models import Invitation


class ReminderForm(forms.Form):
    by = forms.ChoiceField(choices=[(By.EMAIL.value, _("By e-mail")), (By.PRINT.value, _("As a re-printed letter"))],
                           error_messages={"required": _("Choose e-mail or a re-printed letter."),
                                           "invalid_choice": _("Choose e-mail or a re-printed letter.")})
    invitations = forms.ModelMultipleChoiceField(
        queryset=Invitation.objects.none(), required=False,
        error_messages={"invalid_choice": _("One of the students chosen is not invited to this program."),
                        "invalid_pk_value": _("One of the students chosen is not invited to this program.")})

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitations"].queryset = Invitation.objects.filter(program=program)


class ReplacementForm(forms.Form):
    student = forms.IntegerField(min_value=1, error_messages={
        "required": _("Choose a student to invite."), "invalid": _("Choose a student to invite."),
        "min_value": _("Choose a student to invite.")})
