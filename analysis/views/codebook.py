"""The codebook screen: categories and codes, their exports, and imports.

Each change the page makes is one entry of `CHANGES`: the form that validates what it sends and the
domain function it calls. A refused change shows its reasons, each naming its field, on the page
again with what was typed; nothing is written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from analysis.codebook import (
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
from analysis.forms.base import UNKNOWN_CHANGE, ProgramForm, field_messages, posted_change, typed
from analysis.forms.codebook import (
    AddCategoryForm,
    AddCodeForm,
    CodeForm,
    CopyCodebookForm,
    ImportCodebookForm,
    MergeCodesForm,
    MoveCodeForm,
    RenameCodeForm,
    codebooks_to_copy,
)
from analysis.models import Code
from analysis.qdc import export_qdc, import_qdc
from analysis.views.common import page_context
from programs.access import ProgramAccess, get_program_for
from programs.models import Program


@dataclass(frozen=True)
class Change:
    form: type[ProgramForm]
    make: Callable[[Program, dict], str | None]  # calls the domain function; returns what to tell the person


def _add_category(program: Program, data: dict) -> None:
    add_category(program, name=data["name"], description=data["description"])


def _add_code(program: Program, data: dict) -> None:
    add_code(program, category=data["category"], name=data["name"], definition=data["definition"],
             example=data["example"])


def _rename(program: Program, data: dict) -> None:
    rename_code(data["code"], name=data["name"])


def _move(program: Program, data: dict) -> None:
    move_code(data["code"], category=data["category"])


def _retire(program: Program, data: dict) -> None:
    retire_code(data["code"], retired=True)


def _restore(program: Program, data: dict) -> None:
    retire_code(data["code"], retired=False)


def _merge(program: Program, data: dict) -> str:
    merge_codes(source=data["source"], target=data["target"])
    return _("“%(source)s” merged into “%(target)s”; every coding moved.") % {
        "source": data["source"].name, "target": data["target"].name}


def _copy(program: Program, data: dict) -> str:
    copied = copy_codebook(source=data["source"], target=program)
    return ngettext("%(copied)s code copied from “%(source)s”.", "%(copied)s codes copied from “%(source)s”.",
                    copied) % {"copied": copied, "source": data["source"].name}


def _import(program: Program, data: dict) -> str:
    upload = data["file"]
    added = import_qdc(program, upload.content) if upload.qdc else import_csv(program, upload.content)
    return ngettext("%(added)s code added from the file.", "%(added)s codes added from the file.", added) % {
        "added": added}


CHANGES: dict[str, Change] = {
    "add_category": Change(AddCategoryForm, _add_category),
    "add_code": Change(AddCodeForm, _add_code),
    "rename": Change(RenameCodeForm, _rename),
    "move": Change(MoveCodeForm, _move),
    "retire": Change(CodeForm, _retire),
    "restore": Change(CodeForm, _restore),
    "merge": Change(MergeCodesForm, _merge),
    "copy": Change(CopyCodebookForm, _copy),
    "import": Change(ImportCodebookForm, _import),
}


@login_required
@require_http_methods(["GET", "POST"])
def codebook(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="codebook")
    program = access.program
    seed_categories(program)
    if request.method == "GET":
        return _page(request, access)
    action = posted_change(request.POST)
    change = CHANGES.get(action)
    if change is None:
        messages.error(request, UNKNOWN_CHANGE)
        return _page(request, access, status=400)
    form = change.form(request.POST, request.FILES, program=program, user=request.user)
    if form.is_valid():
        try:
            done = change.make(program, form.cleaned_data)
        except ValueError as refusal:  # CodebookRefused, or a file that is not a codebook
            form.add_error(None, str(refusal))
        else:
            if done:
                messages.success(request, done)
            return redirect("codebook", slug=slug)
    for problem in field_messages(form):
        messages.error(request, problem)
    return _page(request, access, typed=typed(form, action), status=400)


def _page(request: HttpRequest, access: ProgramAccess, *, typed: dict | None = None, status: int = 200) -> HttpResponse:
    program = access.program
    others = list(codebooks_to_copy(request.user, program=program))
    return render(request, "analysis/codebook.html", page_context(
        access, categories=program.categories.prefetch_related("codes"), others=others, typed=typed or {},
        codes=Code.objects.filter(program=program).select_related("category"), usage=usage_counts(program),
    ), status=status)


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
