"""Importing a file of typed notes or a meeting transcript into a session: upload, mapping and preview, import
(interviews/note_import/ holds the rules). Open to whoever may take notes in the session."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from audit.log import record
from audit.models import AuditAction
from interviews.assent import speakers as session_speakers
from interviews.forms.note_import import NoteImportMappingForm, NoteImportUploadForm, choice_fingerprint
from interviews.models import Session
from interviews.note_import.blocks import ImportFileRefused, clock
from interviews.note_import.pending import (
    NOT_OPEN,
    AlreadyImported,
    check_open,
    discard_pending,
    load_pending,
    parse_pending,
    receive_upload,
)
from interviews.note_import.plan import ImportProblems, build_plan, guess_mapping, import_notes
from interviews.notes import WRITABLE_STATUSES
from interviews.views.runner import _runnable_session

GONE = _("That file was imported or cancelled already, or was left too long: upload it again.")
CANCELLED = _("The import is cancelled; the uploaded file is deleted.")
CHECK_PREVIEW = _("You changed the choices since the preview: check the notes below, then import.")


@login_required
@require_http_methods(["GET", "POST"])
def note_import(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    session = _runnable_session(request, slug, pk, page="note_import")
    form = NoteImportUploadForm(request.POST or None, request.FILES or None)
    is_open = session.status in WRITABLE_STATUSES
    if request.method == "POST" and is_open and form.is_valid():
        try:
            pending = receive_upload(session=session, upload=form.cleaned_data["file"])
        except ImportFileRefused as refusal:
            form.add_error("file", str(refusal))
        else:
            return redirect("note_import_preview", slug=slug, pk=pk, token=pending.token)
    return render(request, "interviews/note_import.html", {
        "program": session.program, "session": session, "form": form, "is_open": is_open, "not_open": NOT_OPEN,
        "imports": session.note_imports.select_related("imported_by"),
    }, status=400 if form.errors or (request.method == "POST" and not is_open) else 200)


def _display(planned) -> str:
    if planned.student is not None:
        return planned.student.first_name
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def note_import_preview(request: HttpRequest, slug: str, pk: int, token: str) -> HttpResponse:
    session = _runnable_session(request, slug, pk, page="note_import_preview")
    pending = load_pending(session=session, token=token)
    if pending is None:
        messages.error(request, GONE)
        return redirect("note_import", slug=slug, pk=pk)
    try:
        check_open(session)
        parsed = parse_pending(pending)
    except ImportFileRefused as refusal:
        discard_pending(pending)
        messages.error(request, str(refusal))
        return redirect("note_import", slug=slug, pk=pk)
    students = session_speakers(session)
    questions = list(session.protocol.questions.all())
    speakers = parsed.speakers()
    guesses = guess_mapping(speakers=speakers, students=students, session=session)
    form = NoteImportMappingForm(request.POST or None, speakers=speakers, students=students, questions=questions,
                                 guesses=guesses)
    valid = form.is_valid() if form.is_bound else False
    mapping, hand = form.mapping(), form.hand()
    plan = build_plan(parsed=parsed, mapping=mapping, hand=hand, students=students, questions=questions)
    previewed = choice_fingerprint(mapping, hand)
    status = 200
    if request.method == "POST" and request.POST.get("action") == "import":
        if not valid or plan.problems:
            status = 400
        elif request.POST.get("previewed") != previewed:
            messages.warning(request, CHECK_PREVIEW)
        else:
            try:
                imported = import_notes(session=session, pending=pending, mapping=mapping, hand=hand, user=request.user)
            except AlreadyImported as refusal:
                discard_pending(pending)
                messages.error(request, str(refusal))
                return redirect("note_import", slug=slug, pk=pk)
            except ImportProblems as refusal:  # changed since this page was built (a student said "not today")
                plan.problems = refusal.problems
                status = 400
            else:
                record(action=AuditAction.IMPORT, request=request, obj=imported, program=session.program,
                       detail={"session": session.pk, "format": imported.format, "notes": imported.notes_created})
                messages.success(request, ngettext("Imported %(count)s note from %(file)s.", "Imported %(count)s notes from %(file)s.",
                                                   imported.notes_created) % {"count": imported.notes_created, "file": imported.file_name})
                return redirect("notes_review", slug=slug, pk=pk)
    record(action=AuditAction.VIEW_STUDENT_NAMES, request=request, obj=session, program=session.program,
           detail={"page": "note_import"})
    numbers = {q.pk: n for n, q in enumerate(questions, start=1)}
    rows = [{"planned": item, "who": _display(item), "clock": clock(item.block.start_ms),
             "number": numbers.get(item.question.pk) if item.question else None} for item in plan.blocks]
    return render(request, "interviews/note_import_preview.html", {
        "program": session.program, "session": session, "pending": pending, "form": form, "plan": plan, "rows": rows,
        "count": len(plan.notes), "previewed": previewed,
    }, status=status)


@login_required
@require_POST
def note_import_cancel(request: HttpRequest, slug: str, pk: int, token: str) -> HttpResponse:
    session: Session = _runnable_session(request, slug, pk, page="note_import_cancel")
    pending = load_pending(session=session, token=token)
    if pending is not None:
        discard_pending(pending)
    messages.info(request, CANCELLED)
    return redirect("session_detail", slug=slug, pk=pk)
