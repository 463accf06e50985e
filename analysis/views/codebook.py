"""The codebook screen: categories and codes, their exports, and imports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from analysis.codebook import (
    CodebookRefused,
    add_category,
    add_code,
    copy_codebook,
    export_csv,
    import_csv,
    merge_codes,
    move_code,
    rename_code,
    retire_code,
    seed_categories,
    usage_counts,
)
from analysis.models import Category, Code
from analysis.qdc import export_qdc, import_qdc
from analysis.views.common import page_context
from programs.access import get_program_for
from toolkit.tables import NOT_UTF8, check_upload_size


@login_required
@require_http_methods(["GET", "POST"])
def codebook(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="codebook")
    program = access.program
    seed_categories(program)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add_category" and request.POST.get("name", "").strip():
                add_category(program, name=request.POST["name"], description=request.POST.get("description", ""))
            elif action == "add_code":
                category = get_object_or_404(Category, pk=request.POST.get("category"), program=program)
                if not request.POST.get("name", "").strip():
                    raise CodebookRefused("Give the code a name.")
                add_code(program, category=category, name=request.POST["name"],
                         definition=request.POST.get("definition", ""), example=request.POST.get("example", ""))
            elif action in {"rename", "move", "retire", "restore"}:
                code = get_object_or_404(Code, pk=request.POST.get("code"), program=program)
                if action == "rename":
                    rename_code(code, name=request.POST.get("name", ""))
                elif action == "move":
                    move_code(code, category=get_object_or_404(Category, pk=request.POST.get("category"), program=program))
                else:
                    retire_code(code, retired=action == "retire")
            elif action == "merge":
                source = get_object_or_404(Code, pk=request.POST.get("source"), program=program)
                target = get_object_or_404(Code, pk=request.POST.get("target"), program=program)
                merge_codes(source=source, target=target)
                messages.success(request, f"“{source.name}” merged into “{target.name}”; every coding moved.")
            elif action == "copy":
                source = next((m.program for m in request.user.memberships.select_related("program")
                               if str(m.program_id) == request.POST.get("source") and m.program_id != program.pk), None)
                if source is None:
                    raise CodebookRefused("Choose a program you are on.")
                copied = copy_codebook(source=source, target=program)
                messages.success(request, f"{copied} codes copied from “{source.name}”.")
            elif action == "import" and request.FILES.get("file"):
                upload = request.FILES["file"]
                check_upload_size(upload)
                if upload.name.lower().endswith(".qdc"):
                    added = import_qdc(program, upload.read())
                else:
                    added = import_csv(program, upload.read().decode("utf-8-sig"))
                messages.success(request, f"{added} codes added from the file.")
        except UnicodeDecodeError:
            messages.error(request, NOT_UTF8)
        except ValidationError as refusal:
            messages.error(request, refusal.messages[0])
        except (CodebookRefused, ValueError) as refusal:
            messages.error(request, str(refusal))
        return redirect("codebook", slug=slug)
    categories = program.categories.prefetch_related("codes")
    others = [m.program for m in request.user.memberships.select_related("program").exclude(program=program)]
    return render(request, "analysis/codebook.html", page_context(
        access, categories=categories, others=others, codes=Code.objects.filter(program=program).select_related("category"),
        usage=usage_counts(program)))


@login_required
@require_GET
def codebook_export(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="codebook_export")
    response = HttpResponse(export_csv(access.program), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="codebook-{slug}.csv"'
    return response


@login_required
@require_GET
def codebook_qdc(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="codebook_qdc")
    response = HttpResponse(export_qdc(access.program), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="codebook-{slug}.qdc"'
    return response
