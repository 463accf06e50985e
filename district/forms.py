from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from participants.models import GRADE_SPAN_OUT_OF_ORDER, HIGHEST_GRADE, LOWEST_GRADE, School, StaffMember, grade_label

GRADES = [(grade, grade_label(grade)) for grade in range(LOWEST_GRADE, HIGHEST_GRADE + 1)]
NAME_THE_DISTRICT = _("Give the district's name.")
USERNAME_NEEDED = _("Choose a username for the first administrator.")
PASSWORDS_DIFFER = _("The two passwords differ; type the same one twice.")
EMAIL_NEEDED = _("Give an e-mail address: the link to choose a password goes there.")


class GradeSpanMixin:
    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("lowest_grade"), cleaned.get("highest_grade")
        if low is not None and high is not None and int(low) > int(high):
            self.add_error("highest_grade", GRADE_SPAN_OUT_OF_ORDER)
        return cleaned


class SchoolForm(forms.ModelForm):
    """The grade span is checked by School.clean(), whose message lands on the highest grade."""

    lowest_grade = forms.TypedChoiceField(choices=GRADES, coerce=int, label=_("Lowest grade"), initial=9)
    highest_grade = forms.TypedChoiceField(choices=GRADES, coerce=int, label=_("Highest grade"), initial=12)

    class Meta:
        model = School
        fields = ["name", "code", "lowest_grade", "highest_grade"]
        labels = {"name": _("School name"), "code": _("School code")}
        help_texts = {"code": _("The code the roster files use for this school.")}


class FirstRunForm(GradeSpanMixin, forms.Form):
    district_name = forms.CharField(max_length=200, label=_("District name"), error_messages={"required": NAME_THE_DISTRICT})
    username = forms.CharField(max_length=150, label=_("Your username"), error_messages={"required": USERNAME_NEEDED})
    email = forms.EmailField(label=_("Your e-mail"))
    password = forms.CharField(widget=forms.PasswordInput, label=_("Password"), strip=False)
    password_again = forms.CharField(widget=forms.PasswordInput, label=_("Password again"), strip=False)
    school_name = forms.CharField(max_length=200, label=_("First school's name"))
    school_code = forms.CharField(max_length=40, label=_("First school's code"),
                                  help_text=_("The code the roster files use for this school."))
    lowest_grade = forms.TypedChoiceField(choices=GRADES, coerce=int, label=_("Lowest grade"), initial=9)
    highest_grade = forms.TypedChoiceField(choices=GRADES, coerce=int, label=_("Highest grade"), initial=12)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        get_user_model().username_validator(username)
        return username

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password and cleaned.get("password_again") != password:
            self.add_error("password_again", PASSWORDS_DIFFER)
        elif password:
            user = get_user_model()(username=cleaned.get("username", ""), email=cleaned.get("email", ""))
            try:
                validate_password(password, user)
            except forms.ValidationError as problem:
                self.add_error("password", problem)
        return cleaned


class StaffMemberForm(forms.ModelForm):
    schools = forms.ModelMultipleChoiceField(queryset=School.objects.all(), required=False,
                                             widget=forms.CheckboxSelectMultiple, label=_("Schools"))

    class Meta:
        model = StaffMember
        fields = ["full_name", "email", "staff_id", "schools", "is_outside_facilitator"]
        labels = {"full_name": _("Name"), "email": _("E-mail"), "staff_id": _("District staff id"),
                  "is_outside_facilitator": _("Outside facilitator (not employed at these schools)")}

    def clean_staff_id(self) -> str:
        return (self.cleaned_data.get("staff_id") or "").strip()


class InviteAccountForm(forms.Form):
    full_name = forms.CharField(max_length=200, label=_("Name"))
    email = forms.EmailField(label=_("E-mail"), error_messages={"required": EMAIL_NEEDED})
    username = forms.CharField(max_length=150, required=False, label=_("Username"),
                               help_text=_("Leave empty to use the e-mail address."))
    roles = forms.MultipleChoiceField(choices=[], required=False, widget=forms.CheckboxSelectMultiple,
                                      label=_("District roles"),
                                      help_text=_("Program roles are given on each program's Team page. You can "
                                                  "give the district roles you hold."))

    def __init__(self, *args, roles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = [(name, _(name)) for name in roles]

    def clean_username(self) -> str:
        username = self.cleaned_data.get("username", "").strip()
        if username:
            get_user_model().username_validator(username)
        return username


class DistrictForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("District name"), error_messages={"required": NAME_THE_DISTRICT})
    default_language = forms.ChoiceField(
        choices=settings.LANGUAGES, label=_("Default language"),
        help_text=_("Pages open in this language until a person chooses their own with the language links at "
                    "the foot of every page. Families' pages use each family's home language when the roster "
                    "records it."))
