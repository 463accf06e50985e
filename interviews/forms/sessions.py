from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from interviews.models import SessionFormat
from participants.models import Student
from programs.models import Membership, Program, Role
from recruitment.models import Invitation

PICK_A_TIME = "Choose the date and the start time."


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.get_username()


class StudentChoices(forms.ModelMultipleChoiceField):
    def __init__(self, *args, consent: dict[int, bool], **kwargs):
        self.consent = consent
        super().__init__(*args, **kwargs)

    def label_from_instance(self, student) -> str:
        ready = "" if self.consent.get(student.pk) else " — consent missing"
        return f"{student.full_name} · {student.school.name} · grade {student.grade_label}{ready}"


class SessionForm(forms.Form):
    format = forms.ChoiceField(choices=SessionFormat.choices, widget=forms.RadioSelect, initial=SessionFormat.FOCUS_GROUP)
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), error_messages={"required": PICK_A_TIME})
    start_time = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}), error_messages={"required": PICK_A_TIME})
    duration_minutes = forms.IntegerField(label="Length (minutes)", min_value=10, max_value=240, initial=45)
    place = forms.CharField(max_length=200, required=False, help_text="A room, or leave empty for a video call.")
    video_link = forms.URLField(required=False, label="Video link", assume_scheme="https",
                                error_messages={"invalid": "Enter the full link, starting with https://"})
    facilitator = PersonChoice(queryset=get_user_model().objects.none())
    note_taker = PersonChoice(queryset=get_user_model().objects.none(), required=False, label="Note-taker (optional)")
    students = StudentChoices(queryset=None, consent={}, widget=forms.CheckboxSelectMultiple,
                              error_messages={"required": "Choose the students who take part."})
    override_reason = forms.CharField(
        required=False, label="Reason to go ahead despite a teaching conflict", widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only needed when a facilitator or note-taker teaches a participant. The reason is kept and shown.",
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        team = Membership.objects.filter(program=program, role__in=[Role.FACILITATOR, Role.LEAD]).values("user_id")
        people = get_user_model().objects.filter(pk__in=team).order_by("first_name", "username")
        self.fields["facilitator"].queryset = people
        self.fields["note_taker"].queryset = people
        invitations = Invitation.objects.filter(program=program).select_related("student__school")
        self.fields["students"].consent = {i.student_id: i.can_be_scheduled for i in invitations}
        self.fields["students"].queryset = (
            Student.objects.filter(invitations__program=program).select_related("school").order_by("school__name", "last_name")
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date") and cleaned.get("start_time"):
            cleaned["starts_at"] = timezone.make_aware(dt.datetime.combine(cleaned["date"], cleaned["start_time"]))
        if not cleaned.get("place") and not cleaned.get("video_link") and not self.has_error("video_link"):
            self.add_error("place", "Say where it happens: a room, or a video link.")
        return cleaned


class CancelForm(forms.Form):
    reason = forms.CharField(label="Why is it cancelled?", widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "Say why the session is cancelled; the team sees the reason."})
