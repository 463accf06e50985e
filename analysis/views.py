"""Analysis screens: codebook, coding workbench, themes with quotes, and patterns across subgroups."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from analysis.agreement_rounds import RoundRefused, codes_of, create_round, is_coder, record_codes, results
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
from analysis.coding import CodingRefused, apply_code, undo_last
from analysis.compare import compare_programs
from analysis.exports import coded_excerpts_rows, coded_excerpts_xlsx, pattern_rows
from analysis.models import (
    AgreementRound,
    Category,
    Code,
    CodeApplication,
    Stance,
    SuggestionRun,
    Theme,
    ThemeSuggestion,
)
from analysis.patterns import overall, pattern_tables
from analysis.qdc import export_qdc, import_qdc
from analysis.suggestions import accept, dismiss, start_run
from analysis.themes import add_quote, candidate_quotes, descriptors, stance_lists, theme_quotes
from analysis.workbench import WorkbenchFilters, progress, workbench_notes
from audit.log import record
from audit.models import AuditAction
from interviews.models import Note
from participants.models import Gender
from programs.access import ProgramAccess, get_program_for
from programs.models import Role
from toolkit.tables import NOT_UTF8, check_upload_size

NOTES_PER_PAGE = 25
PAGE_SIZES = (25, 100, 500)  # a code's whole list of excerpts is reachable in a few requests
SHOWN_MEMBERS = 30  # notes of a suggestion shown for the analyst to confirm
HEATMAP_CRITERIA = ("grade", "school", "english_learner", "special_education", "gender")


def _analyst(request, slug, page: str) -> ProgramAccess:
    return get_program_for(request.user, slug, page=page)


def _context(access: ProgramAccess, active: str, **extra) -> dict:
    return {"access": access, "program": access.program, "active": active, **extra}


@login_required
@require_http_methods(["GET", "POST"])
def codebook(request: HttpRequest, slug: str) -> HttpResponse:
    access = _analyst(request, slug, "codebook")
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
    return render(request, "analysis/codebook.html", _context(access, "analysis", categories=categories, others=others,
                  codes=Code.objects.filter(program=program).select_related("category"), usage=usage_counts(program)))


@login_required
@require_GET
def codebook_export(request: HttpRequest, slug: str) -> HttpResponse:
    access = _analyst(request, slug, "codebook_export")
    response = HttpResponse(export_csv(access.program), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="codebook-{slug}.csv"'
    return response


@login_required
@require_GET
def workbench(request: HttpRequest, slug: str) -> HttpResponse:
    access = _analyst(request, slug, "workbench")
    program = access.program
    filters = WorkbenchFilters.from_query(request.GET)
    per_page = int(request.GET["per_page"]) if request.GET.get("per_page", "").isdigit() and int(request.GET["per_page"]) in PAGE_SIZES else NOTES_PER_PAGE
    page = Paginator(workbench_notes(program, filters), per_page).get_page(request.GET.get("page"))
    codes = list(Code.objects.filter(program=program, retired=False).select_related("category"))
    usage = usage_counts(program)
    shortcuts = list(enumerate(sorted(codes, key=lambda c: (-usage.get(c.pk, 0), c.name))[:9], start=1))
    overall_progress, per_session = progress(program)
    protocol_questions = program.protocols.order_by("-version").first()
    return render(request, "analysis/workbench.html", _context(
        access, "analysis", page=page, filters=filters, codes=codes, stances=Stance.choices, progress=overall_progress,
        per_session=per_session, questions=protocol_questions.questions.all() if protocol_questions else [],
        schools=program.schools.all(), shortcuts=shortcuts, genders=Gender.choices,
        sessions=program.sessions.filter(status="completed").order_by("starts_at"), per_page=per_page, page_sizes=PAGE_SIZES,
    ))


def _note_card(request, access, note_id) -> HttpResponse:
    note = get_object_or_404(Note.objects.select_related("student__school", "question").prefetch_related("codings__code"),
                             pk=note_id, session__program=access.program)
    codes = list(Code.objects.filter(program=access.program, retired=False).select_related("category"))
    return render(request, "analysis/workbench.html#note-card", {"access": access, "program": access.program, "note": note,
                                                                  "codes": codes, "stances": Stance.choices})


@login_required
@require_POST
def code_note(request: HttpRequest, slug: str) -> HttpResponse:
    access = _analyst(request, slug, "code_note")
    note = get_object_or_404(Note, pk=request.POST.get("note"), session__program=access.program)
    code = get_object_or_404(Code, pk=request.POST.get("code"), program=access.program)

    def offset(name):
        value = request.POST.get(name, "")
        return int(value) if value.isdigit() else None

    try:
        apply_code(note=note, code=code, coder=request.user, start=offset("start"), end=offset("end"),
                   stance=request.POST.get("stance", Stance.NEITHER))
    except CodingRefused as refusal:
        messages.error(request, str(refusal))
    if request.htmx:
        return _note_card(request, access, note.pk)
    return redirect("workbench", slug=slug)


@login_required
@require_POST
def uncode(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = _analyst(request, slug, "uncode")
    application = get_object_or_404(CodeApplication, pk=pk, code__program=access.program)
    note_id = application.note_id
    application.delete()
    if request.htmx:
        return _note_card(request, access, note_id)
    return redirect("workbench", slug=slug)


@login_required
@require_POST
def undo(request: HttpRequest, slug: str) -> HttpResponse:
    access = _analyst(request, slug, "undo_coding")
    undone = undo_last(coder=request.user, program=access.program)
    messages.info(request, f"Undone: “{undone.code.name}” on “{undone.snippet[:60]}”." if undone else "Nothing to undo.")
    return redirect("workbench", slug=slug)


@login_required
@require_GET
def excerpts_export(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    access = _analyst(request, slug, "excerpts_export")
    record(action=AuditAction.EXPORT, request=request, program_slug=slug, detail={"export": "coded excerpts (csv)"})
    response = StreamingHttpResponse(coded_excerpts_rows(access.program), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="coded-excerpts-{slug}.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def themes(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="themes")
    program = access.program
    if request.method == "POST":
        if not access.allows(Role.ANALYST):
            return HttpResponse(status=403)
        name = request.POST.get("name", "").strip()
        if not name:
            messages.error(request, "Give the theme a name.")
        else:
            theme = Theme.objects.create(program=program, name=name, insight=request.POST.get("insight", ""),
                                         category=Category.objects.filter(pk=request.POST.get("category") or 0, program=program).first())
            theme.codes.set(Code.objects.filter(program=program, pk__in=request.POST.getlist("codes")))
            return redirect("theme_detail", slug=slug, pk=theme.pk)
    rows = []
    for theme in program.themes.prefetch_related("codes").select_related("category"):
        raised, interviewed = overall(program, code_ids=[c.pk for c in theme.codes.all()])
        rows.append((theme, raised))
    return render(request, "analysis/themes.html", _context(access, "analysis", rows=rows, categories=program.categories.all(),
                  codes=Code.objects.filter(program=program, retired=False)))


@login_required
@require_http_methods(["GET", "POST"])
def theme_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = get_program_for(request.user, slug, page="theme_detail")
    theme = get_object_or_404(Theme, pk=pk, program=access.program)
    if request.method == "POST":
        if not access.allows(Role.ANALYST):
            return HttpResponse(status=403)
        if request.POST.get("action") == "quote":
            application = get_object_or_404(CodeApplication, pk=request.POST.get("coding"), code__program=access.program)
            try:
                add_quote(theme, application=application)
            except ValueError as refusal:
                messages.error(request, str(refusal))
        elif request.POST.get("action") == "remove_quote":
            theme.quotes.filter(pk=request.POST.get("quote")).delete()
        else:
            theme.name = request.POST.get("name", theme.name).strip() or theme.name
            theme.insight = request.POST.get("insight", "")
            theme.root_causes = request.POST.get("root_causes", "")
            theme.save()
            theme.codes.set(Code.objects.filter(program=access.program, pk__in=request.POST.getlist("codes")))
            messages.success(request, "Theme saved.")
        return redirect("theme_detail", slug=slug, pk=pk)
    code_ids = list(theme.codes.values_list("pk", flat=True))
    chosen = set(theme.quotes.values_list("note_id", "start", "end"))
    described = descriptors(access.program)
    raised, interviewed = overall(access.program, code_ids=code_ids)
    return render(request, "analysis/theme_detail.html", _context(
        access, "analysis", theme=theme, quotes=theme_quotes(theme, described), quote_rows=theme.quotes.all(),
        candidates=[(c, described.get(c.note.student_id, "a student"), (c.note_id, c.start, c.end) in chosen)
                    for c in candidate_quotes(theme)] if access.allows(Role.ANALYST) else [],
        stances=stance_lists(theme), tables=pattern_tables(access.program, code_ids=code_ids), raised=raised,
        interviewed=interviewed, codes=Code.objects.filter(program=access.program, retired=False), code_ids=code_ids,
        actions=theme.action_items.select_related("owner").order_by("due_on"),
    ))


def heatmap(program, themes, criteria=HEATMAP_CRITERIA):
    columns, rows = [], []
    for theme in themes:
        tables = pattern_tables(program, code_ids=[c.pk for c in theme.codes.all()], criteria=criteria)
        if not columns:
            # "Grade 9" already says what it is; other categories ("Yes") need their attribute above them.
            columns = [("" if c.category.startswith(t.label) else t.label, c.category) for t in tables for c in t.cells]
        cells = {("" if c.category.startswith(t.label) else t.label, c.category): c for t in tables for c in t.cells}
        rows.append((theme, [cells.get(column) for column in columns]))
    return columns, rows


@login_required
@require_GET
def patterns(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="patterns")
    themes_list = list(access.program.themes.prefetch_related("codes"))
    columns, rows = heatmap(access.program, themes_list)
    return render(request, "analysis/patterns.html", _context(access, "analysis", columns=columns, rows=rows,
                  threshold=access.program.suppression_threshold))


@login_required
@require_GET
def patterns_export(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    access = get_program_for(request.user, slug, page="patterns_export")
    record(action=AuditAction.EXPORT, request=request, program_slug=slug, detail={"export": "theme by subgroup (csv)"})
    themes_list = list(access.program.themes.prefetch_related("codes"))
    response = StreamingHttpResponse(pattern_rows(access.program, themes_list), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="themes-by-subgroup-{slug}.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def suggestions(request: HttpRequest, slug: str) -> HttpResponse:
    access = _analyst(request, slug, "suggestions")
    program = access.program
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "run":
            start_run(program, user=request.user)
            return redirect("suggestions", slug=slug)
        suggestion = get_object_or_404(ThemeSuggestion, pk=request.POST.get("suggestion"), run__program=program)
        if action == "dismiss":
            dismiss(suggestion)
        elif action == "accept":
            category = get_object_or_404(Category, pk=request.POST.get("category"), program=program)
            name = request.POST.get("name", "").strip() or suggestion.top_words[0].capitalize()
            try:
                code = accept(suggestion, name=name, category=category, coder=request.user,
                              confirmed_note_ids=request.POST.getlist("notes"))
                messages.success(request, f"Code “{code.name}” created and applied to {code.applications.count()} notes.")
            except CodebookRefused as refusal:
                messages.error(request, str(refusal))
        return redirect("suggestions", slug=slug)
    run = program.suggestion_runs.first()
    items = []
    if run and run.status == SuggestionRun.Status.READY:
        open_items = list(run.suggestions.filter(status=ThemeSuggestion.Status.OPEN))
        wanted = {i for s in open_items for i in s.note_ids[:SHOWN_MEMBERS]}
        notes = {str(n.pk): n for n in Note.objects.filter(pk__in=wanted).select_related("student")}
        items = [(s, [notes[i] for i in s.note_ids[:SHOWN_MEMBERS] if i in notes]) for s in open_items]
    if request.htmx and request.GET.get("poll"):
        return render(request, "analysis/suggestions.html#run-status", {"run": run, "program": program})
    return render(request, "analysis/suggestions.html", _context(access, "analysis", run=run, items=items,
                  categories=program.categories.all()))


@login_required
@require_http_methods(["GET", "POST"])
def agreement_rounds(request: HttpRequest, slug: str) -> HttpResponse:
    access = _analyst(request, slug, "agreement_rounds")
    program = access.program
    coders = [m.user for m in program.memberships.filter(role__in=[Role.ANALYST, Role.LEAD]).select_related("user")]
    if request.method == "POST":
        by_id = {u.pk: u for u in coders}
        try:
            size = int(request.POST.get("size", "0"))
            round_ = create_round(program, coder_a=by_id.get(int(request.POST.get("coder_a", 0) or 0)),
                                  coder_b=by_id.get(int(request.POST.get("coder_b", 0) or 0)), size=size,
                                  seed=int(request.POST.get("seed", 0) or 0))
        except (RoundRefused, ValueError) as refusal:
            messages.error(request, str(refusal) if isinstance(refusal, RoundRefused) else "Choose a sample size.")
        else:
            return redirect("agreement_round", slug=slug, pk=round_.pk)
    rounds = program.agreement_rounds.select_related("coder_a", "coder_b")
    return render(request, "analysis/agreement.html", _context(access, "analysis", rounds=rounds, coders=coders))


@login_required
@require_http_methods(["GET", "POST"])
def agreement_round(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    access = _analyst(request, slug, "agreement_round")
    round_ = get_object_or_404(AgreementRound.objects.select_related("coder_a", "coder_b"), pk=pk, program=access.program)
    coder = is_coder(round_, request.user)
    if request.method == "POST":
        if not coder:
            return HttpResponse(status=403)
        notes = round_.notes.values_list("pk", flat=True)
        given = {note_id: request.POST.getlist(f"codes-{note_id}") for note_id in notes}
        record_codes(round_, coder=request.user, note_codes={k: [int(c) for c in v if c.isdigit()] for k, v in given.items()},
                     finished=request.POST.get("action") == "finish")
        messages.success(request, "Your coding is saved." if request.POST.get("action") != "finish" else "Thank you: your coding is complete.")
        return redirect("agreement_round", slug=slug, pk=pk)
    context = _context(access, "analysis", round=round_, coder=coder)
    if round_.both_done:
        context["results"] = results(round_)
        texts = {n.pk: n.text for n in round_.notes.all()}
        context["disagreements"] = [(d, texts[d.unit]) for d in context["results"].disagreements]
    elif coder:
        mine = codes_of(round_, request.user)
        context["notes"] = [(n, mine.get(n.pk, set())) for n in round_.notes.select_related("student").order_by("created_at")]
        context["codes"] = Code.objects.filter(program=access.program, retired=False)
        context["finished"] = (round_.a_done_at if request.user.pk == round_.coder_a_id else round_.b_done_at) is not None
    return render(request, "analysis/agreement_round.html", context)


@login_required
@require_GET
def codebook_qdc(request: HttpRequest, slug: str) -> HttpResponse:
    access = _analyst(request, slug, "codebook_qdc")
    response = HttpResponse(export_qdc(access.program), content_type="application/xml")
    response["Content-Disposition"] = f'attachment; filename="codebook-{slug}.qdc"'
    return response


@login_required
@require_GET
def excerpts_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    access = _analyst(request, slug, "excerpts_xlsx")
    record(action=AuditAction.EXPORT, request=request, program_slug=slug, detail={"export": "coded excerpts (xlsx)"})
    response = HttpResponse(coded_excerpts_xlsx(access.program),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="coded-excerpts-{slug}.xlsx"'
    return response


@login_required
@require_GET
def compare(request: HttpRequest, slug: str) -> HttpResponse:
    access = get_program_for(request.user, slug, page="compare")
    others = [m.program for m in request.user.memberships.select_related("program").exclude(program=access.program)
              if m.role in (Role.LEAD, Role.ANALYST, Role.VIEWER)]
    other = next((p for p in others if p.slug == request.GET.get("with")), None)
    changes = compare_programs(other, access.program) if other else []
    return render(request, "analysis/compare.html", _context(access, "analysis", others=others, other=other, changes=changes))
