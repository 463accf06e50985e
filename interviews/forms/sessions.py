from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from interviews.forms.protocol import language_name
from interviews.models import SessionFormat, SessionStatus
from interviews.protocols import BASE_LANGUAGE, current_protocol, fully_translated, protocol_languages
from interviews.session_list import SessionFilters
from participants.languages import district_default
from participants.models import Student
from programs.models import Membership, Program, Role
from recruitment.models import Invitation

PICK_A_TIME = _("Choose the date and the start time.")
# Dates a calendar can hold with room to spare: a week's view and a session's length, in any time zone,
# stay inside what a datetime holds (a date such as 9999-12-31 would overflow once converted to UTC).
EARLIEST_DAY = dt.date.min + dt.timedelta(days=14)
LATEST_DAY = dt.date.max - dt.timedelta(days=14)
DAY_OUT_OF_RANGE = _("Choose a date between %(first)s and %(last)s.")


def _within_calendar(day: dt.date) -> None:
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise forms.ValidationError(DAY_OUT_OF_RANGE, code="out_of_range",
                                    params={"first": EARLIEST_DAY.isoformat(), "last": LATEST_DAY.isoformat()})


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        name = user.get_full_name() or user.get_username()
        staff = getattr(user, "staff_member", None)
        if staff is not None and staff.is_outside_facilitator:
            return _("%(name)s (outside facilitator)") % {"name": name}
        return name


class StudentChoices(forms.ModelMultipleChoiceField):
    def __init__(self, *args, consent: dict[int, bool], **kwargs):
        self.consent = consent
        super().__init__(*args, **kwargs)

    def label_from_instance(self, student) -> str:
        names = {"name": student.full_name, "school": student.school.name, "grade": student.grade_label}
        if self.consent.get(student.pk):
            return _("%(name)s · %(school)s · grade %(grade)s") % names
        return _("%(name)s · %(school)s · grade %(grade)s — consent missing") % names


def session_languages(protocol) -> tuple[list[tuple[str, object]], str]:
    """The languages a session with this protocol may be held in, and the one offered first: the
    district's default when the protocol has every question in it, else the protocol's own (English)."""
    if protocol is None:
        return [(BASE_LANGUAGE, language_name(BASE_LANGUAGE))], BASE_LANGUAGE
    questions = list(protocol.questions.all())
    languages = protocol_languages(protocol, questions)
    default = district_default()
    initial = default if default in languages and fully_translated(protocol, default, questions) else languages[0]
    return [(code, language_name(code)) for code in languages], initial


class SessionForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=SessionFormat.choices, widget=forms.RadioSelect, initial=SessionFormat.FOCUS_GROUP)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}), error_messages={"required": PICK_A_TIME},
                           validators=[_within_calendar])
    start_time = forms.TimeField(label=_("Start time"), widget=forms.TimeInput(attrs={"type": "time"}), error_messages={"required": PICK_A_TIME})
    duration_minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=10, max_value=240, initial=45)
    place = forms.CharField(label=_("Place"), max_length=200, required=False, help_text=_("A room, or leave empty for a video call."))
    video_link = forms.URLField(required=False, label=_("Video link"), assume_scheme="https",
                                error_messages={"invalid": _("Enter the full link, starting with https://")})
    facilitator = PersonChoice(label=_("Facilitator"), queryset=get_user_model().objects.none())
    note_taker = PersonChoice(queryset=get_user_model().objects.none(), required=False, label=_("Note-taker (optional)"))
    students = StudentChoices(label=_("Students"), queryset=None, consent={}, widget=forms.CheckboxSelectMultiple,
                              error_messages={"required": _("Choose the students who take part.")})
    language = forms.ChoiceField(
        label=_("Language of the session"), choices=[(BASE_LANGUAGE, language_name(BASE_LANGUAGE))], required=False,
        help_text=_("The runner and the facilitator guide show the protocol in it; English where a question has no "
                    "version in it."),
        error_messages={"invalid_choice": _("Choose one of the languages the protocol is written in.")},
    )
    override_reason = forms.CharField(
        required=False, label=_("Reason to go ahead despite a teaching conflict"), widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only needed when a facilitator or note-taker teaches a participant. The reason is kept and shown."),
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        team = Membership.objects.filter(program=program, role__in=[Role.FACILITATOR, Role.LEAD]).values("user_id")
        # Invited outside facilitators are on the team as facilitators, and named as outside ones.
        people = get_user_model().objects.filter(pk__in=team).select_related("staff_member").order_by("first_name", "username")
        self.fields["facilitator"].queryset = people
        self.fields["note_taker"].queryset = people
        invitations = Invitation.objects.filter(program=program).select_related("student__school")
        self.fields["students"].consent = {i.student_id: i.can_be_scheduled for i in invitations}
        self.fields["students"].queryset = (
            Student.objects.filter(invitations__program=program).select_related("school").order_by("school__name", "last_name")
        )
        self.fields["language"].choices, self.fields["language"].initial = session_languages(current_protocol(program))

    def clean_language(self) -> str:
        return self.cleaned_data.get("language") or self.fields["language"].initial  # not sent: the one offered first

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date") and cleaned.get("start_time"):
            cleaned["starts_at"] = timezone.make_aware(dt.datetime.combine(cleaned["date"], cleaned["start_time"]))
        if not cleaned.get("place") and not cleaned.get("video_link") and not self.has_error("video_link"):
            self.add_error("place", _("Say where it happens: a room, or a video link."))
        return cleaned


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is it cancelled?"), widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Say why the session is cancelled; the team sees the reason.")})


LARGEST_ID = 2**63 - 1  # a 64-bit signed integer: the largest key SQLite or a PostgreSQL bigint holds
FILTER_LEFT_OUT = _("This filter could not be read and was left out: %(fields)s.")


class SessionFilterForm(forms.Form):
    """The session list's filters, from the address. A value that cannot be a filter (a word, a number
    past any id) is left out of the filters, and the page says so."""

    school = forms.IntegerField(label=_("School"), required=False, min_value=1, max_value=LARGEST_ID)
    facilitator = forms.IntegerField(label=_("Facilitator or note-taker"), required=False, min_value=1,
                                     max_value=LARGEST_ID)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", ""), *SessionStatus.choices])
    week = forms.DateField(label=_("Week"), required=False, validators=[_within_calendar])

    def filters(self) -> SessionFilters:
        self.is_valid()  # fields that fail are missing from cleaned_data, and so left out
        data = self.cleaned_data
        return SessionFilters(school=data.get("school"), facilitator=data.get("facilitator"), status=data.get("status") or "")

    def left_out(self) -> str:
        """The labels of the filters that were left out, or "" when every one was read."""
        self.is_valid()
        return ", ".join(str(self.fields[name].label) for name in self.errors if name in self.fields)
