"""The coding workbench: notes to code, coding and uncoding a span, undo, and the coded-excerpt exports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget

from analysis.assistant import assistant_status, open_proposals_prefetch
from analysis.bulk_coding import preview_bulk_coding
from analysis.codebook import usage_counts
from analysis.coding import CodingRefused, code_span, remove_coding, undo_last
from analysis.coding_rows import program_note, read_card
from analysis.exports import coded_excerpts_rows, coded_excerpts_xlsx
from analysis.forms.base import field_messages
from analysis.forms.coding import PAGE_SIZES, CodeNoteForm, PageSizeForm
from analysis.models import BulkCoding, Code, CodeApplication, Stance
from analysis.retraining import train_if_queued
from analysis.search import MAX_QUERY_LENGTH, SearchQueryError, highlight, parse_query
from analysis.views.common import page_context
from analysis.workbench import WorkbenchFilters, attribute_choices, progress, workbench_notes
from audit.log import record
from audit.models import AuditAction
from interviews.models import Note
from interviews.protocols import current_protocol
from participants.attributes import category_label
from participants.models import Gender
from programs.access import ProgramAccess, get_program_for


@login_required
@require_GET
def workbench(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="workbench")
    program = access.program
    train_if_queued(program_id=program.pk)
    filters = WorkbenchFilters.from_query(request.GET)
    typed_query, parsed, search_error = filters.query, None, ""
    if filters.query:
        try:
            parsed = parse_query(filters.query)
        except SearchQueryError as refusal:  # said beside the box, which keeps what was typed; listed unsearched
            search_error, filters = str(refusal), replace(filters, query="")
    per_page = PageSizeForm(request.GET).size()
    notes = workbench_notes(program, filters)
    page = Paginator(notes, per_page).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for note in page.object_list:
        note.parts = highlight(note.text, parsed) if parsed else None
    codes = list(Code.objects.filter(program=program, retired=False).select_related("category"))
    bulk_code = next((c for c in codes if parsed and str(c.pk) == request.GET.get("bulk_code", "")), None)
    bulk_stance = request.GET.get("bulk_stance", "") if request.GET.get("bulk_stance") in Stance.values else Stance.NEITHER
    prefetch_related_objects(page.object_list, open_proposals_prefetch())
    usage = usage_counts(program)
    shortcuts = list(enumerate(sorted(codes, key=lambda c: (-usage.get(c.pk, 0), c.name))[:9], start=1))
    overall_progress, per_session = progress(program)
    protocol_questions = current_protocol(program)
    return render(request, "analysis/workbench.html", page_context(
        access, page=page, filters=filters, codes=codes, stances=Stance.choices, progress=overall_progress,
        per_session=per_session, questions=protocol_questions.questions.all() if protocol_questions else [],
        typed_query=typed_query, search=parsed, search_error=search_error, bulk_code=bulk_code, bulk_stance=bulk_stance,
        bulk_preview=preview_bulk_coding(program=program, notes=notes, code=bulk_code) if bulk_code else None,
        bulk_filters=urlencode(filters.as_query()), filter_items=sorted(filters.as_query().items()),
        search_limit=MAX_QUERY_LENGTH, bulk_stance_label=Stance(bulk_stance).label,
        last_bulk=BulkCoding.objects.filter(program=program, created_by=request.user, undone_at__isnull=True)
        .select_related("code").first(),
        assistant=assistant_status(program=program, codes=codes),
        # Every card's two menus, rendered once for the page's cards rather than once a card.
        code_options=options((code.pk, code.name) for code in codes), stance_options=options(Stance.choices, selected=Stance.NEITHER),
        schools=program.schools.all(), shortcuts=shortcuts, genders=Gender.choices,
        sessions=program.sessions.filter(status="completed").order_by("starts_at"), per_page=per_page, page_sizes=PAGE_SIZES,
        attribute_choices=[(criterion, [(category, category_label(category)) for category in categories],
                            filters.category(criterion.key))
                           for criterion, categories in attribute_choices(program)],
    ))


def options(choices, *, selected=None) -> str:
    """<option>s of (value, label) pairs, escaped, the `selected` value marked."""
    return format_html_join("", "<option value=\"{}\"{}>{}</option>",
                            ((value, mark_safe(" selected") if value == selected else "", label) for value, label in choices))


def note_codings(request: HttpRequest, access: ProgramAccess, note_id, *, problems: Sequence[str] = (),
                 note: Note | None = None) -> HttpResponse:
    """The part of a note's card an uncoding, a proposal's decision or a refused coding (or one already on
    its span) changes, which htmx swaps in: the note's codings, its open proposals and any refusal; a new
    coding adds its chip alone (code_note). The rest of the card (the words with a search's marks, the code
    menu, the span being selected) stays in the page: redrawing it cost a coding more than the coding itself
    (the codebook read and its menu rendered on every click)."""
    # A refusal comes back with its reasons and status 200: htmx swaps no 4xx answer.
    if note is None:  # else the note the coding form read, whose codings are read as they are now
        note = program_note(program_id=access.program.pk, pk=note_id)
        if note is None:
            raise Http404
    read_card(note)
    return render(request, "analysis/workbench.html#note-codings", {"program": access.program, "note": note,
                                                                     "problems": problems})


@login_required
@require_POST
def code_note(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="code_note")
    form = CodeNoteForm(request.POST, program=access.program)
    problems, coded = [], None
    if form.is_valid():
        data = form.cleaned_data
        try:
            coded = code_span(note=data["note"], code=data["code"], coder=request.user, start=data["start"],
                              end=data["end"], stance=data["stance"], selected=data["selected"])
        except CodingRefused as refusal:
            problems.append(str(refusal))
    else:
        problems = field_messages(form)
    note = form.cleaned_data.get("note")
    if request.htmx:
        if note is None:
            return HttpResponseBadRequest(" ".join(problems))
        if coded is not None and coded.new:
            # The card's form asks for its chips' list, to which htmx adds this one chip: the note's other
            # codings and proposals are as the page shows them, and reading and drawing them again was
            # half of a coding's work.
            return render(request, "analysis/workbench.html#coding-chip",
                          {"program": access.program, "note": note, "coding": coded.application})
        # A refusal, or a coding that was on the span already (its kind may have changed): the note's
        # codings are drawn again, in place of its chips' list.
        return reswap(retarget(note_codings(request, access, note.pk, problems=problems, note=note),
                               f"#codings-{note.pk}"), "outerHTML")
    for problem in problems:
        messages.error(request, problem)
    return redirect("workbench", slug=slug)


@login_required
@require_POST
def uncode(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = get_program_for(request.user, slug, page="uncode")
    application = get_object_or_404(CodeApplication.objects.select_related("code"), pk=pk, code__program=access.program)
    note_id = application.note_id
    remove_coding(application=application)
    if request.htmx:
        return note_codings(request, access, note_id)
    return redirect("workbench", slug=slug)


@login_required
@require_POST
def undo(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="undo_coding")
    undone = undo_last(coder=request.user, program=access.program)
    if undone:
        said = _("Undone: “%(code)s” on “%(words)s”.") % {"code": undone.coding.code.name, "words": undone.coding.snippet[:60]}
    else:
        said = _("Nothing to undo.")
    if request.htmx:
        # The page stays as the analyst has it (its search, filters and page, where a reload to the workbench
        # would lose them): what was undone is said beside the button, and its chip, if shown, taken off by
        # workbench.js.
        return render(request, "analysis/workbench.html#undo-result", {"said": said, "undone": undone})
    messages.info(request, said)
    return redirect("workbench", slug=slug)


@login_required
@require_GET
def excerpts_export(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    access = get_program_for(request.user, slug, page="excerpts_export")
    record(action=AuditAction.EXPORT, request=request, program=access.program, detail={"export": "coded excerpts (csv)"})
    response = StreamingHttpResponse(coded_excerpts_rows(access.program), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="coded-excerpts-{slug}.csv"'
    return response


@login_required
@require_GET
def excerpts_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="excerpts_xlsx")
    record(action=AuditAction.EXPORT, request=request, program=access.program, detail={"export": "coded excerpts (xlsx)"})
    response = HttpResponse(coded_excerpts_xlsx(access.program),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="coded-excerpts-{slug}.xlsx"'
    return response

