from __future__ import annotations

from django import forms

from interviews.models import Protocol

EMPTY_QUESTION = "Write the question students will hear."


class ScriptsForm(forms.ModelForm):
    class Meta:
        model = Protocol
        fields = ["theme", "purpose", "guidelines", "icebreaker", "wrap_up", "facilitator_notes"]
        labels = {"purpose": "Purpose (what students are told)", "guidelines": "Ground rules",
                  "wrap_up": "Wrap-up", "facilitator_notes": "Notes for facilitators"}
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in
                   ("purpose", "guidelines", "icebreaker", "wrap_up", "facilitator_notes")}


class QuestionForm(forms.Form):
    text = forms.CharField(label="Question", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000,
                           error_messages={"required": EMPTY_QUESTION})
    follow_ups = forms.CharField(label="Follow-up prompts (one per line)", required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}),
                                 initial="Tell me more about that.\nCan you give me an example?")
    is_opening = forms.BooleanField(label="Opening question every student can connect with", required=False)

    def follow_up_lines(self) -> list[str]:
        return self.cleaned_data.get("follow_ups", "").splitlines()
