from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from interviews.models import Protocol

EMPTY_QUESTION = _("Write the question students will hear.")
TELL_ME_MORE = _("Tell me more about that.")
AN_EXAMPLE = _("Can you give me an example?")


class ScriptsForm(forms.ModelForm):
    class Meta:
        model = Protocol
        fields = ["theme", "purpose", "guidelines", "icebreaker", "wrap_up", "facilitator_notes"]
        labels = {"theme": _("Theme"), "purpose": _("Purpose (what students are told)"), "guidelines": _("Ground rules"),
                  "icebreaker": _("Icebreaker"), "wrap_up": _("Wrap-up"), "facilitator_notes": _("Notes for facilitators")}
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in
                   ("purpose", "guidelines", "icebreaker", "wrap_up", "facilitator_notes")}


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000,
                           error_messages={"required": EMPTY_QUESTION})
    follow_ups = forms.CharField(label=_("Follow-up prompts (one per line)"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}),
                                 initial=format_lazy("{}\n{}", TELL_ME_MORE, AN_EXAMPLE))
    is_opening = forms.BooleanField(label=_("Opening question every student can connect with"), required=False)

    def follow_up_lines(self) -> list[str]:
        return self.cleaned_data.get("follow_ups", "").splitlines()
