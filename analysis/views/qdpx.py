"""A whole program out as a REFI-QDA project (.qdpx), for leads; a project from another tool in as a new program.

The export is for leads only: the program's suppression rules do not apply inside a researcher's file, so the
button says so and every download is audited. The import makes a new program, so it asks for the permission to
create programs; the importing person becomes the program's lead. The file is read by a Celery task
(analysis/qdpx_jobs.py); its status page reloads itself until the task is done, then shows what came of it,
with what the project held that the app has no place for, once."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from analysis.forms.qdpx import ProjectImportForm
from analysis.qdpx_export import export_project
from analysis.qdpx_jobs import FAILED, forget, job_for, start_import
from audit.log import record
from audit.models import AuditAction
from programs.access import get_program_for
from programs.models import Program
from programs.views import NO_CREATE_PERMISSION
from toolkit.downloads import attachment

QDPX_CONTENT_TYPE = "application/zip"
RELOAD_SECONDS = 2
NO_SUCH_IMPORT = _("No import here: it was shown already, or it is someone else's.")


@login_required
@require_GET
def project_qdpx(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="project_qdpx")
    program = access.program
    export = export_project(program)
    record(action=AuditAction.EXPORT, request=request, obj=program, program=program,
           detail={"format": "qdpx", "sessions": export.sessions, "cases": export.cases,
                   "selections": export.selections, "suppression": "not applied"})
    return attachment(export.content, filename=f"{slug}.qdpx", content_type=QDPX_CONTENT_TYPE)


@login_required
@require_http_methods(["GET", "POST"])
def project_import(request: HttpRequest) -> HttpResponse:
    _may_create(request)
    form = ProjectImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = start_import(upload=form.cleaned_data["file"], user=request.user, name=form.cleaned_data["name"],
                           school=form.cleaned_data["school"], default_grade=form.cleaned_data["default_grade"],
                           language=get_language() or settings.LANGUAGE_CODE)
        return redirect("project_import_status", token=job.token)
    status = 400 if request.method == "POST" else 200
    return render(request, "analysis/project_import.html", {"form": form}, status=status)


@login_required
@require_GET
def project_import_status(request: HttpRequest, token: str) -> HttpResponse:
    """Importing (the page reloads itself), or what came of it: shown once, then the record is deleted."""
    _may_create(request)
    job = job_for(token=token, user=request.user)
    if job is None:
        raise Http404(str(NO_SUCH_IMPORT))
    if not job.finished:
        return render(request, "analysis/project_import.html", {"job": job, "reload_seconds": RELOAD_SECONDS})
    forget(job)
    if job.status == FAILED:
        form = ProjectImportForm(initial={"name": job.name, "school": job.school_id, "default_grade": job.default_grade})
        return render(request, "analysis/project_import.html", {"form": form, "refusal": job.error}, status=400)
    program = Program.objects.filter(slug=job.program_slug).first()
    return render(request, "analysis/project_import.html", {"job": job, "program_made": program})


def _may_create(request: HttpRequest) -> None:
    if not request.user.has_perm("programs.add_program"):
        raise PermissionDenied(str(NO_CREATE_PERMISSION))
