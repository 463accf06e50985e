"""The district's set-up pages: the first run, schools, staff members and accounts (district/setup.py)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit.log import record
from audit.models import AuditAction
from district.forms import DistrictForm, FirstRunForm, InviteAccountForm, SchoolForm, StaffMemberForm
from district.setup import (
    FirstRunClosed,
    complete_first_run,
    create_school,
    create_staff_member,
    current_district,
    first_run_open,
    give_district_roles,
    roles_they_may_give,
    save_district,
    staff_record_for_account,
    update_school,
    update_staff_member,
)
from district.two_factor import people_with_two_factor
from participants.accounts import (
    ALREADY_SIGNED_UP,
    AccountRefused,
    deactivate_account,
    invite_account,
    reactivate_account,
    send_invitation,
)
from participants.models import School, StaffMember
from participants.roles import MANAGE_ACCOUNTS, MANAGE_SCHOOLS, MANAGE_STAFF

FIRST_BACKEND = "django.contrib.auth.backends.ModelBackend"


@require_http_methods(["GET", "POST"])
def first_run(request: HttpRequest) -> HttpResponse:
    if not first_run_open():
        raise Http404("This installation is already set up.")
    form = FirstRunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "password_again"}
        try:
            user = complete_first_run(**data)
        except FirstRunClosed:
            raise Http404("This installation is already set up.") from None
        login(request, user, backend=FIRST_BACKEND)
        record(action=AuditAction.CHANGE_DISTRICT, request=request, obj=user,
               detail={"first_run": True, "district": data["district_name"], "school": data["school_code"]})
        messages.success(request, _("%(district)s is set up. Next: import the roster, then create a program.")
                         % {"district": data["district_name"]})
        return redirect("district_home")
    return render(request, "district/first_run.html", {"form": form})


@login_required
@permission_required(MANAGE_SCHOOLS, raise_exception=True)
@require_http_methods(["GET", "POST"])
def district_home(request: HttpRequest) -> HttpResponse:
    district = current_district()
    form = DistrictForm(request.POST or None, initial={
        "name": district.name if district else "",
        "default_language": district.default_language if district else settings.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        district = save_district(**form.cleaned_data)
        record(action=AuditAction.CHANGE_DISTRICT, request=request, obj=district,
               detail={"name": district.name, "default_language": district.default_language})
        messages.success(request, _("The district's name and language are saved."))
        return redirect("district_home")
    User = get_user_model()
    return render(request, "district/home.html", {
        "district": district, "form": form, "active": "home",
        "counts": {"schools": School.objects.count(), "staff": StaffMember.objects.count(),
                   "accounts": User.objects.filter(is_active=True).count()},
    })


@login_required
@permission_required(MANAGE_SCHOOLS, raise_exception=True)
@require_http_methods(["GET", "POST"])
def schools(request: HttpRequest) -> HttpResponse:
    form = SchoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        school = create_school(**form.cleaned_data)
        record(action=AuditAction.CHANGE_DISTRICT, request=request, obj=school,
               detail={"school": "created", "code": school.code, "grades": school.grade_span})
        messages.success(request, _("%(school)s added.") % {"school": school.name})
        return redirect("district_schools")
    listed = School.objects.annotate(student_count=Count("students")).order_by("name")
    return render(request, "district/schools.html", {"form": form, "schools": listed, "active": "schools"})


@login_required
@permission_required(MANAGE_SCHOOLS, raise_exception=True)
@require_http_methods(["GET", "POST"])
def school_edit(request: HttpRequest, pk: int) -> HttpResponse:
    school = get_object_or_404(School, pk=pk)
    form = SchoolForm(request.POST or None, instance=school)
    if request.method == "POST" and form.is_valid():
        update_school(school=school, **form.cleaned_data)
        record(action=AuditAction.CHANGE_DISTRICT, request=request, obj=school,
               detail={"school": "changed", "code": school.code, "grades": school.grade_span})
        messages.success(request, _("%(school)s saved.") % {"school": school.name})
        return redirect("district_schools")
    return render(request, "district/school_edit.html", {"form": form, "school": school, "active": "schools"})


@login_required
@permission_required(MANAGE_STAFF, raise_exception=True)
@require_http_methods(["GET", "POST"])
def staff(request: HttpRequest) -> HttpResponse:
    form = StaffMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = create_staff_member(**form.cleaned_data)
        record(action=AuditAction.CHANGE_DISTRICT, request=request, obj=member, detail={"staff": "created"})
        messages.success(request, _("%(name)s added.") % {"name": member.full_name})
        return redirect("district_staff")
    members = StaffMember.objects.select_related("user").prefetch_related("schools").order_by("full_name")
    return render(request, "district/staff.html", {"form": form, "members": members, "active": "staff"})


@login_required
@permission_required(MANAGE_STAFF, raise_exception=True)
@require_http_methods(["GET", "POST"])
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(StaffMember.objects.select_related("user"), pk=pk)
    form = StaffMemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        update_staff_member(staff=member, **form.cleaned_data)
        record(action=AuditAction.CHANGE_DISTRICT, request=request, obj=member, detail={"staff": "changed"})
        messages.success(request, _("%(name)s saved.") % {"name": member.full_name})
        return redirect("district_staff")
    return render(request, "district/staff_edit.html", {"form": form, "member": member, "active": "staff"})


@login_required
@permission_required(MANAGE_ACCOUNTS, raise_exception=True)
@require_http_methods(["GET", "POST"])
def accounts(request: HttpRequest) -> HttpResponse:
    form = InviteAccountForm(request.POST or None, roles=roles_they_may_give(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = invite_account(email=data["email"], full_name=data["full_name"], username=data["username"],
                                  base_url=request.build_absolute_uri("/"), invited_by=request.user)
        except AccountRefused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            give_district_roles(user=user, roles=data["roles"], given_by=request.user)
            staff_record_for_account(user=user, full_name=data["full_name"])
            record(action=AuditAction.CHANGE_DISTRICT, request=request, obj=user,
                   detail={"account": "invited", "roles": data["roles"]})
            messages.success(request, _("%(email)s is invited: the link to choose a password is on its way.")
                             % {"email": user.email})
            return redirect("district_accounts")
    people = get_user_model().objects.prefetch_related("groups").order_by("-is_active", "username")
    return render(request, "district/accounts.html", {"form": form, "people": people, "active": "accounts",
                                                      "two_factor_on": people_with_two_factor()})


@login_required
@permission_required(MANAGE_ACCOUNTS, raise_exception=True)
@require_POST
def account_active(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(get_user_model(), pk=pk)
    if request.POST.get("active") == "no":
        try:
            deactivate_account(user=person, by=request.user)
        except AccountRefused as refusal:
            messages.error(request, refusal.message)
            return redirect("district_accounts")
        change = "deactivated"
        messages.success(request, _("%(name)s can no longer sign in; what they did stays.")
                         % {"name": person.get_username()})
    else:
        reactivate_account(user=person)
        change = "reactivated"
        messages.success(request, _("%(name)s can sign in again.") % {"name": person.get_username()})
    record(action=AuditAction.CHANGE_DISTRICT, request=request, obj=person, detail={"account": change})
    return redirect("district_accounts")


@login_required
@permission_required(MANAGE_ACCOUNTS, raise_exception=True)
@require_POST
def account_invite_again(request: HttpRequest, pk: int) -> HttpResponse:
    """A new one-time link for an invited person who has not chosen a password yet (the first expired or was lost)."""
    person = get_object_or_404(get_user_model(), pk=pk, is_active=True)
    if person.has_usable_password():
        messages.error(request, ALREADY_SIGNED_UP)
        return redirect("district_accounts")
    send_invitation(user=person, base_url=request.build_absolute_uri("/"), invited_by=request.user)
    record(action=AuditAction.CHANGE_DISTRICT, request=request, obj=person, detail={"account": "invited again"})
    messages.success(request, _("A new link went to %(email)s.") % {"email": person.email})
    return redirect("district_accounts")
