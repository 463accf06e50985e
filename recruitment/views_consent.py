"""The Consent page: who has answered, reminders for those who have not, and the consent gap."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from audit.log import record
from audit.models import AuditAction
from programs.access import get_program_for
from recruitment.chasing import (
    By,
    ChaseRow,
    ReprintRefused,
    chase_rows,
    letter_for,
    reminder_ids_for,
    reprint_reminders,
    status_counts,
    summary_of,
)
from recruitment.chasing_forms import ReminderForm, ReplacementForm
from recruitment.consent_gap import NotAReplacement, consent_gap, invite_replacement, propose_replacements
from recruitment.tasks import send_consent_reminders

FAMILIES_PER_PAGE = 50


def matching(rows: list[ChaseRow], query: str) -> list[ChaseRow]:
    """The rows whose student's name, local id or pseudonym has `query` (any case), in their order."""
    if not query:
        return rows
    wanted = query.casefold()
    return [row for row in rows if any(wanted in value.casefold() for value in (
        row.invitation.student.first_name, row.invitation.student.last_name, row.invitation.student.local_id,
        row.invitation.student.pseudonym))]


def _consent_page(request: HttpRequest, access, *, reminder_form: ReminderForm | None = None) -> HttpResponse:
    program = access.program
    rows = chase_rows(program=program)
    query = request.GET.get("q", "").strip()
    page = Paginator(matching(rows, query), FAMILIES_PER_PAGE).get_page(request.GET.get("page"))
    # Leads see the students' names on this page, so counts are shown as they are (as on the Students page).
    gap = consent_gap(program=program, threshold=None if access.is_lead else program.suppression_threshold)
    proposals = propose_replacements(program=program, gap=gap)
    record(action=AuditAction.VIEW_STUDENT_NAMES, request=request, program=program,
           detail={"page": "consent", "students": len(page.object_list) + len(proposals), "query": query})
    return render(request, "recruitment/consent.html", {
        "access": access, "program": program, "active": "consent", "rows": rows, "page": page, "query": query,
        "counts": status_counts(rows),
        "summary": summary_of(rows), "letter": letter_for(program), "gap": gap, "proposals": proposals,
        "reminder_form": reminder_form or ReminderForm(program=program),
        "chosen": set(reminder_form.data.getlist("invitations")) if reminder_form is not None else set(),
    })


@login_required
@require_GET
def consent_page(request: HttpRequest, slug: str) -> HttpResponse:
    return _consent_page(request, get_program_for(request.user, slug, page="consent"))


@login_required
@require_POST
def consent_remind(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="consent_remind")
    program = access.program
    form = ReminderForm(request.POST, program=program)
    if not form.is_valid():
        return _consent_page(request, access, reminder_form=form)
    by = By(form.cleaned_data["by"])
    chosen = [i.pk for i in form.cleaned_data["invitations"]]
    ids = reminder_ids_for(program=program, by=by, chosen=chosen)
    if not ids:
        messages.warning(request, _("No family chosen may be sent a reminder that way: each has answered, has had "
                                    "the most reminders the program allows, has had no letter yet, or (by e-mail) "
                                    "has no e-mail on the roster."))
        return redirect(reverse("consent", kwargs={"slug": slug}) + "#chasing")
    if by == By.EMAIL:
        send_consent_reminders.delay(program.pk, ids, request.user.pk, request.build_absolute_uri("/"))
        messages.success(request, ngettext("A reminder is being e-mailed to %(count)s family.",
                                           "Reminders are being e-mailed to %(count)s families.", len(ids))
                         % {"count": len(ids)})
        return redirect(reverse("consent", kwargs={"slug": slug}) + "#chasing")
    try:
        pdf, _result = reprint_reminders(program=program, invitation_ids=ids, sent_by=request.user,
                                         base_url=request.build_absolute_uri("/"), request=request)
    except ReprintRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(reverse("consent", kwargs={"slug": slug}) + "#chasing")
    if pdf is None:
        messages.warning(request, _("No letter was re-printed: the families chosen have answered or had every reminder."))
        return redirect(reverse("consent", kwargs={"slug": slug}) + "#chasing")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="consent-reminders-{program.slug}.pdf"'
    return response


@login_required
@require_POST
def consent_replace(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="consent_replace")
    form = ReplacementForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["student"]))
        return redirect(reverse("consent", kwargs={"slug": slug}) + "#gap")
    try:
        invitation = invite_replacement(program=access.program, student_id=form.cleaned_data["student"])
    except NotAReplacement as refusal:
        messages.error(request, str(refusal))
        return redirect(reverse("consent", kwargs={"slug": slug}) + "#gap")
    student = invitation.student
    record(action=AuditAction.CHANGE_PROGRAM, request=request, obj=invitation, program=access.program,
           detail={"invited_replacement": student.pseudonym})
    messages.success(request, _("%(name)s is invited. Send their family the consent letter.")
                     % {"name": f"{student.first_name} {student.last_name}"})
    return redirect(reverse("consent", kwargs={"slug": slug}) + "#gap")
