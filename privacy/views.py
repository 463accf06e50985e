"""A family's request about one student: see, export, correct, delete. Every step is audited."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from audit.log import record
from audit.models import AuditAction
from participants.models import Student
from participants.roles import DELETE_STUDENT, HANDLE_DATA_REQUEST
from privacy import student_data
from privacy.erasure import erase_student
from privacy.forms import DeleteStudentForm, StudentCorrectionForm
from toolkit.downloads import attachment

EXPORT_FORMATS = {"pdf": ("application/pdf", student_data.as_pdf), "csv": ("text/csv; charset=utf-8", student_data.as_csv)}


def _audit(action: AuditAction, request: HttpRequest, student: Student, detail: dict) -> None:
    """One entry in the log of each program the student is in, so that its leads see it."""
    programs = sorted({inv.program for inv in student.invitations.select_related("program")}, key=lambda p: p.slug)
    for program in programs or [None]:
        record(action=action, request=request, obj=student, program=program, detail=detail)


def _student(pk: int) -> Student:
    return get_object_or_404(Student.objects.select_related("school").prefetch_related("groups"), pk=pk)


@login_required
@permission_required("participants.view_student", raise_exception=True)
@require_GET
def student_record(request: HttpRequest, pk: int) -> HttpResponse:
    student = _student(pk)
    # The words of the viewer's own programs and sessions only, unless they are the privacy officer.
    data = student_data.gather(student, scope=student_data.WordsScope.for_user(request.user))
    _audit(AuditAction.VIEW_STUDENT_NAMES, request, student, {"page": "student record"})
    return render(request, "privacy/student_record.html", {"student": student, "data": data})


@login_required
@permission_required("participants.view_student", raise_exception=True)
@require_GET
def student_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        return HttpResponse(status=404)
    student = _student(pk)
    content_type, build = EXPORT_FORMATS[fmt]
    # One student's file is a page or two: made here rather than queued, the family is waiting.
    data = student_data.gather(student, scope=student_data.WordsScope.for_user(request.user))
    body = build(data)
    what = "everything about one student" if data.complete else "one student, the words of the person's own programs"
    _audit(AuditAction.EXPORT, request, student, {"what": what, "format": fmt})
    return attachment(body, filename=f"student-{student.local_id}-{timezone.localdate():%Y-%m-%d}.{fmt}",
                      content_type=content_type)


@login_required
@permission_required("participants.change_student", raise_exception=True)
@require_http_methods(["GET", "POST"])
def student_correct(request: HttpRequest, pk: int) -> HttpResponse:
    student = _student(pk)
    form = StudentCorrectionForm(request.POST or None, instance=student)
    if request.method == "POST" and form.is_valid():
        changed = sorted(form.changed_data)
        if changed:
            form.save()
            # Which fields, not their values: the log must not become a second copy of the record.
            _audit(AuditAction.CORRECT_RECORD, request, student, {"fields": changed})
            messages.success(request, _("The record is corrected. The change is in the audit log."))
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect("student_record", pk=student.pk)
    return render(request, "privacy/student_correct.html", {"student": student, "form": form})


@login_required
@permission_required((DELETE_STUDENT, HANDLE_DATA_REQUEST), raise_exception=True)  # the privacy officer's
@require_http_methods(["GET", "POST"])
def student_delete(request: HttpRequest, pk: int) -> HttpResponse:
    student = _student(pk)
    form = DeleteStudentForm(request.POST or None, student=student)
    if request.method == "POST" and form.is_valid():
        deletion = erase_student(student, request=request)
        removed = deletion.removed
        notes, consent = removed["notes_emptied"], removed["consent_records"]
        links, reports = removed["follow_up_links"], removed["reports_rendered_again"]
        messages.success(request, _(
            "%(name)s is deleted: %(notes)s emptied of their words, %(consent)s and %(links)s removed. Past analyses "
            "keep only anonymous counts; %(reports)s being made again without their words.") % {
            "name": student.full_name,
            "notes": ngettext("%(count)d note", "%(count)d notes", notes) % {"count": notes},
            "consent": ngettext("%(count)d consent record", "%(count)d consent records", consent) % {"count": consent},
            "links": ngettext("%(count)d follow-up link", "%(count)d follow-up links", links) % {"count": links},
            "reports": ngettext("%(count)d report", "%(count)d reports", reports) % {"count": reports},
        })
        return redirect("roster")
    data = student_data.gather(student, scope=student_data.EVERY_PROGRAM)
    return render(request, "privacy/student_delete.html", {"student": student, "form": form, "data": data})
