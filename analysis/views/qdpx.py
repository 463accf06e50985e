"""A whole program out as a REFI-QDA project (.qdpx), for leads; a project from another tool in as a new program.

The export is for leads only: the program's suppression rules do not apply inside a researcher's file, so the
button says so and every download is audited. The import makes a new program, so it asks for the permission to
create programs; the importing person becomes the program's lead. What the project held that the app has no
place for is listed on the page the import answers with, and in no other place."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from analysis.forms.qdpx import ProjectImportForm
from analysis.qdpx_export import export_project
from analysis.qdpx_import import ProjectRefused, import_project
from audit.log import record
from audit.models import AuditAction
from programs.access import get_program_for
from programs.views import NO_CREATE_PERMISSION
from toolkit.downloads import attachment

QDPX_CONTENT_TYPE = "application/zip"


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
    if not request.user.has_perm("programs.add_program"):
        raise PermissionDenied(str(NO_CREATE_PERMISSION))
    form = ProjectImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_project(content=upload.read(), file_name=upload.name[:200], name=form.cleaned_data["name"],
                                    user=request.user, school=form.cleaned_data["school"],
                                    default_grade=form.cleaned_data["default_grade"])
        except ProjectRefused as refusal:
            form.add_error("file", str(refusal))
        else:
            program = result.program
            record(action=AuditAction.IMPORT, request=request, obj=program, program=program,
                   detail={"format": "qdpx", "file": upload.name[:200], "sessions": result.sessions,
                           "notes": result.notes, "students": result.students, "codes": result.codes,
                           "codings": result.codings, "themes": result.themes,
                           "not_imported": len(result.not_imported)})
            return render(request, "analysis/project_import.html", {"result": result, "program_made": program})
    status = 400 if request.method == "POST" else 200
    return render(request, "analysis/project_import.html", {"form": form}, status=status)
