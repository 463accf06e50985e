"""The Students step: the sample plan, the sample, its representativeness, consent, who is missing."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from audit.log import record
from audit.models import AuditAction
from participants.accounts import AccountRefused
from participants.attributes import criterion_label
from participants.sampling import SamplingInfeasible
from programs.access import get_program_for
from recruitment.community import (
    clear_community_shares,
    community_shares_by_criterion,
    import_community_shares,
    set_community_share,
)
from recruitment.consent import record_consent_by_staff
from recruitment.consent_import import import_consent
from recruitment.facilitators import (
    add_outside_facilitator,
    facilitator_candidates,
    invite_outside_facilitator,
    update_readiness,
)
from recruitment.forms import (
    CommunityShareForm,
    ConsentForm,
    ConsentUploadForm,
    InviteFacilitatorForm,
    MissingGroupForm,
    OutsideFacilitatorForm,
    ReadinessForm,
    SamplePlanForm,
)
from recruitment.models import ConsentStatus, Invitation, MissingGroup
from recruitment.selection import (
    available_criteria,
    build_sample,
    invitation_list,
    invitation_totals,
    plan_for,
    representativeness_of,
    swap_out,
)
from toolkit.tables import ImportRefused, RowError, TableUnreadable, read_table

LOCKED = gettext_lazy("%(name)s is locked in: re-balancing the sample keeps them.")
UNLOCKED = gettext_lazy("%(name)s is unlocked: re-balancing the sample may replace them.")
SWAPPED = gettext_lazy("%(name)s was swapped out and the sample re-balanced.")
CONSENT_RECORDED = gettext_lazy("Consent recorded for %(name)s.")
# The sampler's sentences quote categories (“…”), which are data: a criterion's key is replaced outside them only.
QUOTED = re.compile(r"(“[^”]*”)")
INVITATIONS_PER_PAGE = 50
BACK_PARAMETERS = ("q", "page")  # what of the list's address a row's form returns the lead to


def _labelled(program, problems) -> list[str]:
    """The sampler's sentences with each criterion's key ("race_ethnicity") given as its label, in any language."""
    pairs = sorted(((key, label) for key, label in available_criteria(program) if key != label), key=lambda p: -len(p[0]))
    keys = {key: label for key, label in pairs}
    pattern = re.compile(r"(?<![\w:])(" + "|".join(re.escape(key) for key, _label in pairs) + r")(?![\w:])") if pairs else None
    labelled = []
    for problem in problems:
        if pattern is not None:
            problem = "".join(part if QUOTED.fullmatch(part) else pattern.sub(lambda m: keys[m.group(1)], part)
                              for part in QUOTED.split(problem))
        labelled.append(problem)
    return labelled


@login_required
@require_http_methods(["GET", "POST"])
def program_students(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="program_students")
    program = access.program
    plan = plan_for(program)
    form = SamplePlanForm(request.POST or None, instance=plan, criteria_choices=available_criteria(program))
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        form.save()
        try:
            chosen = build_sample(program=program)
        except SamplingInfeasible as refusal:
            problems = _labelled(program, refusal.problems)
        else:
            messages.success(request, ngettext("Sample built: %(count)s student invited.", "Sample built: %(count)s students invited.",
                                               len(chosen)) % {"count": len(chosen)})
            return redirect("program_students", slug=slug)
    return _students_page(request, access, form=form, problems=problems)


def _students_page(
    request: HttpRequest, access, *, form: SamplePlanForm, problems=(), consent_errors=(), community_errors=(),
    share_form: CommunityShareForm | None = None,
) -> HttpResponse:
    program = access.program
    share_form = share_form or CommunityShareForm(criteria_choices=available_criteria(program))
    query = request.GET.get("q", "").strip()
    totals = invitation_totals(program=program)
    page = Paginator(invitation_list(program=program, search=query), INVITATIONS_PER_PAGE).get_page(request.GET.get("page"))
    record(action=AuditAction.VIEW_STUDENT_NAMES, request=request, program=program,
           detail={"page": "sample", "students": len(page.object_list), "query": query})
    report = representativeness_of(program)
    return render(request, "recruitment/program_students.html", {
        "access": access, "program": program, "active": "students", "form": form, "problems": problems,
        "page": page, "invitations": page.object_list, "invited": totals["invited"], "query": query,
        # Where each row's forms send the lead back to: this page of the list, with its search.
        "back": back_query(request.GET), "report": report,
        "parent_choices": consent_options(_("Parent: %(status)s")),
        "student_choices": consent_options(_("Student: %(status)s")),
        "missing": [(criterion_label(m.criterion), m) for m in report.missing],
        "consented": totals["consented"],
        "missing_groups": MissingGroup.objects.filter(program=program),
        "consent_errors": consent_errors, "community_errors": community_errors, "share_form": share_form,
        "community_shares": community_shares_by_criterion(program),
    })


def consent_options(words: str) -> list[tuple[str, str]]:
    """(value, words) of each consent status for a row's select, translated once for the page ("Parent: granted")."""
    return [(value, words % {"status": label}) for value, label in ConsentStatus.choices]


def back_query(params) -> str:
    """The list's page and search from `params` (a QueryDict), as a query string safe to send back to."""
    kept = {key: params[key] for key in BACK_PARAMETERS if params.get(key)}
    return urlencode(kept)


def _back_to_list(request: HttpRequest, slug: str) -> HttpResponse:
    back = back_query(QueryDict(request.POST.get("back", "")))
    return redirect(reverse("program_students", kwargs={"slug": slug}) + (f"?{back}" if back else "") + "#invitations")


def _file_problems(upload: ConsentUploadForm, when_missing: str) -> list[RowError]:
    """The size refusal says what to do; a missing file gets the page's own wording."""
    if "file" in upload.errors and upload.files.get("file"):
        return [RowError(None, _("File"), message) for message in upload.errors["file"]]
    return [RowError(None, _("File"), when_missing)]


def _import_upload(request: HttpRequest, importer, when_missing: str):
    """Read the uploaded table and hand it to `importer`: (its result, []) or (None, every problem)."""
    upload = ConsentUploadForm(request.POST, request.FILES)
    if not upload.is_valid():
        return None, _file_problems(upload, when_missing)
    file = upload.cleaned_data["file"]
    try:
        return importer(read_table(file, file.name)), []
    except TableUnreadable as problem:
        return None, [RowError(None, _("File"), str(problem))]
    except ImportRefused as refusal:
        return None, refusal.errors


@login_required
@require_POST
def consent_import(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="consent_import")
    counts, errors = _import_upload(request, lambda table: import_consent(program=access.program, table=table),
                                    _("Choose a .csv or .xlsx file of consent to import."))
    if counts is not None:
        record(action=AuditAction.IMPORT, request=request, program=access.program, detail={"consent": counts})
        messages.success(request, _("Consent imported: %(updated)s students updated, %(unchanged)s unchanged.")
                         % {"updated": counts["updated"], "unchanged": counts["unchanged"]})
        return redirect(reverse("program_students", kwargs={"slug": slug}) + "#invitations")
    plan_form = SamplePlanForm(instance=plan_for(access.program), criteria_choices=available_criteria(access.program))
    return _students_page(request, access, form=plan_form, consent_errors=errors)


@login_required
@require_POST
def invitation_change(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = get_program_for(request.user, slug, page="invitation_change")
    invitation = get_object_or_404(Invitation, pk=pk, program=access.program)
    action = request.POST.get("action")
    # The lead reads this page by names, so its messages name the student the same way.
    name = f"{invitation.student.first_name} {invitation.student.last_name}"
    if action == "lock":
        invitation.locked = not invitation.locked
        invitation.save(update_fields=["locked"])
        messages.success(request, (LOCKED if invitation.locked else UNLOCKED) % {"name": name})
    elif action == "swap":
        try:
            swap_out(program=access.program, student_id=invitation.student_id)
            messages.success(request, SWAPPED % {"name": name})
        except SamplingInfeasible as refusal:
            messages.error(request, " ".join(_labelled(access.program, refusal.problems)))
    elif action == "consent":
        form = ConsentForm(request.POST)
        if form.is_valid():
            record_consent_by_staff(invitation=invitation, parent=form.cleaned_data["parent"],
                                    student=form.cleaned_data["student"], method=form.cleaned_data["method"],
                                    by=request.user, request=request)
            messages.success(request, CONSENT_RECORDED % {"name": name})
        else:
            messages.error(request, _("Choose a consent status for both the parent/guardian and the student."))
    return _back_to_list(request, slug)


@login_required
@require_POST
def missing_group_change(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="missing_group_change")
    pk = request.POST.get("pk")
    instance = get_object_or_404(MissingGroup, pk=pk, program=access.program) if pk else MissingGroup(program=access.program)
    form = MissingGroupForm(request.POST, instance=instance)
    if form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Describe the group in a few words."))
    return redirect("program_students", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def program_facilitators(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="program_facilitators")
    outside_form = OutsideFacilitatorForm()
    invite_form = InviteFacilitatorForm()
    if request.method == "POST" and request.POST.get("action") == "invite":
        invite_form = InviteFacilitatorForm(request.POST)
        if invite_form.is_valid():
            try:
                staff = invite_outside_facilitator(
                    program=access.program, base_url=request.build_absolute_uri("/"), invited_by=request.user,
                    **invite_form.cleaned_data)
            except AccountRefused as refusal:
                invite_form.add_error(refusal.field if refusal.field in invite_form.fields else None, refusal.message)
            else:
                record(action=AuditAction.CHANGE_ROLE, request=request, obj=staff.user, program=access.program,
                       detail={"invited": staff.user.get_username(), "role": "facilitator", "outside": True})
                messages.success(request, _("%(name)s is invited: the link to choose a password went to %(email)s, "
                                            "and they are on the team as a facilitator.")
                                 % {"name": staff.full_name, "email": staff.email})
                return redirect("program_facilitators", slug=slug)
    elif request.method == "POST":
        if request.POST.get("action") == "readiness":
            candidates = {c.staff.pk: c.staff for c in facilitator_candidates(access.program)}
            staff = candidates.get(int(request.POST.get("staff", 0) or 0))
            if staff is None:
                raise Http404(_("No such facilitator for this program."))
            form = ReadinessForm(request.POST)
            if form.is_valid():
                update_readiness(staff=staff, **form.cleaned_data)
                messages.success(request, _("Readiness of %(name)s saved.") % {"name": staff.full_name})
            return redirect("program_facilitators", slug=slug)
        outside_form = OutsideFacilitatorForm(request.POST)
        if outside_form.is_valid():
            staff = add_outside_facilitator(**outside_form.cleaned_data)
            messages.success(request, _("%(name)s added as an outside facilitator.") % {"name": staff.full_name})
            return redirect("program_facilitators", slug=slug)
    candidates = facilitator_candidates(access.program)
    record(action=AuditAction.VIEW_STUDENT_NAMES, request=request, program=access.program, detail={"page": "facilitators"})
    return render(request, "recruitment/program_facilitators.html", {
        "access": access, "program": access.program, "active": "facilitators", "candidates": candidates,
        "outside_form": outside_form, "invite_form": invite_form,
    })


@login_required
@require_POST
def community_shares(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="community_shares")
    if request.POST.get("action") == "clear":
        clear_community_shares(program=access.program)
        messages.success(request, _("Community percentages removed; the sample is compared with the roster."))
        return redirect("program_students", slug=slug)
    if request.POST.get("action") == "enter":
        share_form = CommunityShareForm(request.POST, criteria_choices=available_criteria(access.program))
        if share_form.is_valid():
            try:
                set_community_share(program=access.program, **share_form.cleaned_data)
            except ValueError as refusal:
                share_form.add_error("percent", str(refusal))
            else:
                messages.success(request, _("Community percentage saved."))
                return redirect("program_students", slug=slug)
        plan_form = SamplePlanForm(instance=plan_for(access.program), criteria_choices=available_criteria(access.program))
        return _students_page(request, access, form=plan_form, share_form=share_form)
    result, errors = _import_upload(
        request, lambda table: import_community_shares(program=access.program, table=table),
        _("Choose a .csv or .xlsx file of community percentages."))
    if result is not None:
        messages.success(request, ngettext(
            "%(count)s community percentage saved. Tick “Compare with community percentages” in the plan to use it.",
            "%(count)s community percentages saved. Tick “Compare with community percentages” in the plan to use them.",
            result.saved) % {"count": result.saved})
        for warning in result.warnings:
            messages.warning(request, warning)
        return redirect("program_students", slug=slug)
    plan_form = SamplePlanForm(instance=plan_for(access.program), criteria_choices=available_criteria(access.program))
    return _students_page(request, access, form=plan_form, community_errors=errors)
