from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRefresh

from audit.log import record
from audit.models import AuditAction
from participants.forms import ColumnMappingForm, OneRosterUploadForm, RosterUploadForm
from participants.models import RosterUpload, School, Student
from participants.oneroster import files_from_zip, import_oneroster
from participants.uploads import CHANGEABLE, check_again, import_with, kind_of, store_upload
from toolkit.tables import ImportRefused, TableUnreadable

STUDENTS_PER_PAGE = 50


@login_required
@permission_required("participants.view_student", raise_exception=True)
@require_GET
def roster(request: HttpRequest) -> HttpResponse:
    students = Student.objects.select_related("school").prefetch_related("groups").order_by("last_name", "first_name", "pk")
    query = request.GET.get("q", "").strip()
    school = request.GET.get("school", "")
    if query:
        students = students.filter(Q(first_name__icontains=query) | Q(last_name__icontains=query) | Q(local_id__icontains=query))
    if school.isdigit():
        students = students.filter(school_id=int(school))
    page = Paginator(students, STUDENTS_PER_PAGE).get_page(request.GET.get("page"))
    record(action=AuditAction.VIEW_STUDENT_NAMES, request=request,
           detail={"page": "roster", "students": len(page.object_list), "query": query})
    return render(request, "participants/roster.html", {
        "page": page, "query": query, "school": school, "schools": School.objects.all(),
        "uploads": RosterUpload.objects.select_related("uploaded_by")[:5],
    })


@login_required
@permission_required("participants.add_student", raise_exception=True)
@require_http_methods(["GET", "POST"])
def roster_upload(request: HttpRequest) -> HttpResponse:
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = store_upload(file=form.cleaned_data["file"], kind=form.cleaned_data["kind"], user=request.user)
        except TableUnreadable as problem:
            form.add_error("file", str(problem))
        else:
            return redirect("roster_import", pk=upload.pk)
    return render(request, "participants/roster_upload.html", {"form": form})


@login_required
@permission_required("participants.add_student", raise_exception=True)
@require_http_methods(["GET", "POST"])
def roster_import(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored upload's columns, preview and problems; the file itself is read only by the Celery tasks."""
    upload = get_object_or_404(RosterUpload, pk=pk)
    if request.htmx and request.method == "GET" and request.GET.get("progress"):
        if request.GET.get("after") == RosterUpload.Status.CHECKING and upload.status != RosterUpload.Status.CHECKING:
            return HttpResponseClientRefresh()  # the check is done: show its problems and the form again
        return render(request, "participants/roster_import.html#progress", {"upload": upload})
    if upload.file_removed_at:
        return render(request, "participants/roster_import_removed.html", {"upload": upload})
    headers = upload.preview.get("headers", [])
    can_change = upload.status in CHANGEABLE
    form = ColumnMappingForm(request.POST or None, headers=headers, mapping=upload.mapping, kind=kind_of(upload))
    if request.method == "POST" and form.is_valid() and can_change:
        if request.POST.get("action") == "import":
            if import_with(upload, form.mapping()):
                record(action=AuditAction.IMPORT, request=request, obj=upload, detail={"rows": upload.row_count})
                messages.info(request, ngettext("Importing %(count)s row from %(file)s.", "Importing %(count)s rows from %(file)s.",
                                                        upload.row_count) % {"count": upload.row_count, "file": upload.original_name})
        elif not check_again(upload, form.mapping(), create_schools=request.POST.get("create_schools") == "on",
                             keep_confirmed=request.POST.get("keep_new_schools") == "on"):
            messages.info(request, ngettext("Checking the %(count)s row again with these columns.",
                                            "Checking the %(count)s rows again with these columns.",
                                            upload.row_count) % {"count": upload.row_count})
        return redirect("roster_import", pk=upload.pk)
    return render(request, "participants/roster_import.html", {
        "upload": upload, "form": form, "headers": headers, "preview": upload.preview.get("rows", []),
        "errors": upload.errors, "can_change": can_change,
    })


@login_required
@permission_required("participants.add_student", raise_exception=True)
@require_http_methods(["GET", "POST"])
def oneroster_upload(request: HttpRequest) -> HttpResponse:
    form = OneRosterUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        bundle = form.cleaned_data["bundle"]
        try:
            summary = import_oneroster(files_from_zip(bundle))
        except ImportRefused as refusal:
            errors = refusal.errors
        else:
            record(action=AuditAction.IMPORT, request=request, detail={"oneroster": bundle.name, **summary.as_dict()})
            s = summary.as_dict()
            messages.success(request, _(
                "Imported %(file)s: %(schools)s schools; %(created)s new students, %(updated)s updated, "
                "%(unchanged)s unchanged; %(staff)s staff; %(assignments)s new teaching assignments."
            ) % {"file": bundle.name, "schools": s["schools"], "created": s["students_created"],
                 "updated": s["students_updated"], "unchanged": s["students_unchanged"], "staff": s["staff"],
                 "assignments": s["assignments_created"]})
            return redirect("roster")
    return render(request, "participants/oneroster_upload.html", {"form": form, "errors": errors})
