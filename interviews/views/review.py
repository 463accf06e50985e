"""The notes review page: every note of a session by step, with its history, and the two corrections
a person makes there: a note's speaker, kind, question or language, and the resolution of a conflict."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from audit.log import record
from audit.models import AuditAction
from interviews.forms.notes import ConflictForm, NoteCorrectionForm
from interviews.models import Session
from interviews.note_import.blocks import clock
from interviews.note_search import page_search
from interviews.notes import (
    NOTE_NOT_FOUND,
    NoteRejected,
    SaveStatus,
    correct_note,
    note_language,
    note_language_choices,
    resolve_conflict,
    revision_changes,
)
from interviews.views.runner import _runnable_session
from toolkit.languages import home_language_name

CORRECTED = _("The note is corrected; its history keeps what it was.")
RESOLVED = _("The conflict is resolved; the note's history keeps the other version.")
CHANGED_SINCE = _("Someone changed this note since the page was opened. Look at it again, then correct it.")


def _review_page(request: HttpRequest, session: Session, *, failed: dict | None = None, status: int = 200) -> HttpResponse:
    participants = list(session.participants.order_by("first_name", "last_name"))
    questions = list(session.protocol.questions.all())
    names = {s.pk: f"{s.first_name} {s.last_name}" for s in participants}
    labels = {q.pk: _("Q%(number)s") % {"number": q.position} for q in questions}
    search = page_search(request.GET)  # the words to find (interviews/note_search.py)
    notes = list(search.apply(session.notes.select_related("student", "question", "author", "conflict_by", "imported_from")
                 .prefetch_related("revisions__edited_by").order_by("question__position", "created_at", "source_position")))
    failed = failed or {}
    for note in notes:
        note.failed_form = failed["form"] if failed.get("note") == note.pk else None
        note.words_language = note_language(note, session)
        search.mark(note)
        note.source_clock = clock(note.source_start_ms)  # an imported transcript's time, "" for none
        note.language_name = home_language_name(note.words_language) if note.words_language else "—"
        note.chosen_language = (note.failed_form.data.get("language") if note.failed_form else None) or note.words_language
        for revision in note.revisions.all():
            revision.lines = revision_changes(revision, names=names, questions=labels, session_language=session.language)
    record(action=AuditAction.VIEW_STUDENT_NAMES, request=request, obj=session, program=session.program, detail={"page": "review"})
    return render(request, "interviews/notes_review.html", {
        "program": session.program, "session": session, "notes": notes, "participants": participants,
        "questions": questions, "kinds": NoteCorrectionForm.base_fields["kind"].choices,
        "languages": _languages(session), "search": search,
    }, status=status)


def _languages(session: Session) -> list[tuple[str, str]]:
    return [(choice["code"], choice["name"]) for choice in note_language_choices(session)["choices"]]


@login_required
@require_GET
def notes_review(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """All of a session's notes by step, each with its edit history (who, when, the earlier text)."""
    return _review_page(request, _runnable_session(request, slug, pk, page="notes_review"))


def _back(session: Session, note_id) -> HttpResponse:
    return redirect(reverse("notes_review", kwargs={"slug": session.program.slug, "pk": session.pk}) + f"#note-{note_id}")


@login_required
@require_POST
def note_correct(request: HttpRequest, slug: str, pk: int, note_id) -> HttpResponse:
    session = _runnable_session(request, slug, pk, page="note_correct")
    form = NoteCorrectionForm(request.POST, participants=session.participants.all(), questions=session.protocol.questions.all(),
                              languages=_languages(session))
    if not form.is_valid():
        return _review_page(request, session, failed={"note": note_id, "form": form}, status=400)
    try:
        result = correct_note(session=session, note_id=note_id, version=form.cleaned_data["version"],
                              student_id=form.cleaned_data["student"], kind=form.cleaned_data["kind"],
                              question_id=form.cleaned_data["question"], language=form.cleaned_data["language"],
                              user=request.user)
    except NoteRejected as refusal:
        form.add_error(None, str(refusal))
        return _review_page(request, session, failed={"note": note_id, "form": form}, status=400)
    if result.status == SaveStatus.CONFLICT:
        messages.error(request, CHANGED_SINCE)
    elif result.status == SaveStatus.UPDATED:
        messages.success(request, CORRECTED)
    return _back(session, note_id)


@login_required
@require_POST
def note_resolve(request: HttpRequest, slug: str, pk: int, note_id) -> HttpResponse:
    session = _runnable_session(request, slug, pk, page="note_resolve")
    form = ConflictForm(request.POST)
    note = session.notes.filter(pk=note_id).first()
    if note is None or not form.is_valid():
        if note is None:
            form.add_error(None, NOTE_NOT_FOUND)
        return _review_page(request, session, failed={"note": note_id, "form": form}, status=400)
    try:
        result = resolve_conflict(session=session, note_id=note_id, version=form.cleaned_data["version"],
                                  text=form.text_to_keep(note), user=request.user)
    except NoteRejected as refusal:
        form.add_error(None, str(refusal))
        return _review_page(request, session, failed={"note": note_id, "form": form}, status=400)
    if result.status == SaveStatus.CONFLICT:
        messages.error(request, CHANGED_SINCE)
    else:
        messages.success(request, RESOLVED)
    return _back(session, note_id)
