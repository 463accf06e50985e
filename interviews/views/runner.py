"""The session runner: the page a facilitator and a note-taker keep open, and the note endpoints
its script talks to. Script endpoints answer 401 (never a login page) so the browser keeps its queue."""

from __future__ import annotations

import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from audit.log import record
from audit.models import AuditAction
from interviews.assent import AssentRefused, assent_script, record_session_assent, session_assents, speakers
from interviews.forms.protocol import language_name
from interviews.guide import REMINDERS
from interviews.models import Session, SessionStatus
from interviews.notes import (
    NoteRejected,
    NoteWrite,
    SaveStatus,
    note_json,
    note_language_choices,
    notes_since,
    notes_version,
    parse_since,
    poll_tag,
    save_note,
)
from interviews.protocols import BASE_LANGUAGE, current_protocol, has_reviewed, localised
from interviews.runner_session import runner_session
from interviews.scheduling import complete_session, runs_with_role, start_session
from programs.access import get_program_for
from programs.pages import roles_for

SIGNED_OUT = _("Your sign-in has ended. Your notes are kept in this browser; sign in again to send them.")
NOT_JSON = _("The note could not be read: send it as JSON.")


def api_login_required(view):
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"error": str(SIGNED_OUT), "login": reverse("login")}, status=401)
        return view(request, *args, **kwargs)

    return wrapper


NOT_ON_THE_TEAM = _("Only the session's facilitator, its note-taker or a lead can take notes here.")


def _runnable_session(request: HttpRequest, slug: str, pk: int, *, page: str, version: bool = False,
                      joined: tuple[str, ...] = ("protocol", "program")) -> Session:
    """Session `pk` of program `slug`, with the relations in `joined`, for a person who may run it, read in
    one query with the person's role (and, with `version`, its notes' count and latest change, from the
    (session, updated_at) index): interviews/runner_session.py. Anyone else is answered by the checks every
    program page makes, in their order: 404 off the program's team (programs.access), 403 for a role the
    page does not allow, 404 for a session of another program, 403 off the session's team."""
    session = runner_session(user_id=request.user.pk, slug=slug, pk=pk, version=version, joined=joined)
    if (session is not None and session.role is not None and session.role in roles_for(page)
            and runs_with_role(session, request.user, session.role)):
        return session
    access = get_program_for(request.user, slug, page=page)
    session = get_object_or_404(Session.objects.select_related("protocol", "program"), pk=pk, program=access.program)
    if not runs_with_role(session, request.user, access.role):
        raise PermissionDenied(str(NOT_ON_THE_TEAM))
    return session


UNTRANSLATED = _("No version in the session's language yet: read it in English.")


def runner_steps(session: Session) -> list[dict]:
    """The steps in the session's language: each script and question from the protocol's translations, in
    English where it has none, with `language` saying which and `untranslated` the note the runner shows."""
    local = localised(session.protocol, session.language)

    def step(key: str, title, text: str, translated: bool, **more) -> dict:
        return {"key": key, "title": str(title), "script": text, **more,
                "language": session.language if translated else BASE_LANGUAGE,
                "untranslated": "" if translated or not text else str(UNTRANSLATED)}

    scripts = local["scripts"]
    return (
        [step("purpose", _("Purpose"), scripts["purpose"].text, scripts["purpose"].translated),
         step("guidelines", _("Ground rules"), scripts["guidelines"].text, scripts["guidelines"].translated)]
        + ([step("icebreaker", _("Icebreaker"), scripts["icebreaker"].text, scripts["icebreaker"].translated)]
           if scripts["icebreaker"].text else [])
        + [step("question", _("Question %(number)s") % {"number": n}, q.text, q.translated, question=q.question.pk,
                follow_ups=q.follow_ups) for n, q in enumerate(local["questions"], start=1)]
        + [step("wrap_up", _("Wrap-up"), scripts["wrap_up"].text, scripts["wrap_up"].translated)]
    )


def runner_data(session: Session, user) -> dict:
    participants = speakers(session)  # not those who said "not today" (interviews/assent.py)
    return {
        "session": {"id": session.pk, "status": session.status, "format": str(session.get_format_display())},
        "user": user.pk,
        "urls": {
            "notes": reverse("runner_notes", kwargs={"slug": session.program.slug, "pk": session.pk}),
            "login": reverse("login"),
            "runner": reverse("runner", kwargs={"slug": session.program.slug, "pk": session.pk}),
            "assent": reverse("runner_assent", kwargs={"slug": session.program.slug, "pk": session.pk}),
        },
        "assent": {"script": assent_script(session), "language": session.language, "students": session_assents(session)},
        "steps": runner_steps(session),
        "participants": [{"id": s.pk, "name": s.first_name, "pseudonym": s.pseudonym} for s in participants],
        "reminders": [str(reminder) for reminder in REMINDERS],
        "notes": [note_json(n, session) for n in notes_since(session, None) if n.erased_at is None],
        "note_languages": note_language_choices(session),
    }


@login_required
@require_http_methods(["GET", "POST"])
def runner(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    session = _runnable_session(request, slug, pk, page="runner")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "start":
                start_session(session, user=request.user)
            elif action == "finish":
                complete_session(session, user=request.user)
                messages.success(request, _("Session completed. Hand out the follow-up slips if you have not yet."))
                return redirect("followup_slips", slug=slug, pk=pk)
        except ValueError as refusal:
            messages.error(request, str(refusal))
            return redirect("session_detail", slug=slug, pk=pk)
        return redirect("runner", slug=slug, pk=pk)
    if session.status == SessionStatus.SCHEDULED:
        return render(request, "interviews/runner_start.html", {
            "program": session.program, "session": session,
            "needs_review": request.user.pk == session.facilitator_id
            and not has_reviewed(protocol=current_protocol(session.program), user=request.user),
        })
    if session.status == SessionStatus.CANCELLED:
        raise Http404(_("This session was cancelled."))
    record(action=AuditAction.VIEW_STUDENT_NAMES, request=request, obj=session, program=session.program, detail={"page": "runner"})
    # A shared computer (ticked at sign-in, so the session ends with the browser) keeps no copy of this
    # page: runner.js and the service worker store nothing that names a student (runner_sw.js).
    shared_computer = request.session.get_expire_at_browser_close()
    data = runner_data(session, request.user)
    data["offline_copy"] = not shared_computer
    data["rendered_at"] = timezone.now().isoformat()  # runner.js: a page older than its stored notes was cached
    response = render(request, "interviews/runner.html", {
        "program": session.program, "session": session, "data": data,
        "session_language": language_name(session.language),
        "service_worker": reverse("runner_service_worker"),
    })
    if shared_computer:
        response["Cache-Control"] = "no-store"
    return response


@api_login_required
@require_http_methods(["GET", "POST"])
def runner_notes(request: HttpRequest, slug: str, pk: int) -> JsonResponse:
    if request.method == "GET":
        return _poll(request, slug, pk)
    # The session alone: a note save reads its protocol only for a language the session does not offer.
    session = _runnable_session(request, slug, pk, page="runner_notes", joined=())
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:  # not JSON, or not text in UTF-8/16/32 (UnicodeDecodeError)
        return JsonResponse({"error": str(NOT_JSON)}, status=400)
    try:
        write = NoteWrite.from_json(body)
        result = save_note(session=session, write=write, user=request.user)
    except NoteRejected as refusal:
        return JsonResponse({"error": str(refusal)}, status=400)
    status = 409 if result.status == SaveStatus.CONFLICT else 200
    return JsonResponse({"status": result.status, "note": note_json(result.note, session)}, status=status)


def _poll(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The notes changed since `since`, with an ETag. The same question asked again with that tag in
    If-None-Match (runner.js sends it) is answered "304 Not Modified" when nothing changed, from the one
    query that checks the person and reads the notes' version."""
    session = _runnable_session(request, slug, pk, page="runner_notes", version=True, joined=())
    asked = request.GET.get("since", "")
    try:
        since = parse_since(asked)
    except NoteRejected as refusal:
        return JsonResponse({"error": str(refusal)}, status=400)
    # The version is read before the notes: a change in between is sent again at the next poll, never missed.
    version = ({"count": session.notes_count or 0, "latest": session.notes_latest}
               if hasattr(session, "notes_count") else notes_version(session))
    tag = poll_tag(since=asked, status=session.status, language=session.language, **version)
    if tag in (value.strip() for value in request.headers.get("If-None-Match", "").split(",")):
        response = HttpResponse(status=304)
    else:
        notes = notes_since(session, since)
        response = JsonResponse({"notes": [note_json(n, session) for n in notes], "status": session.status})
    response["ETag"] = tag
    response["Cache-Control"] = "no-store"  # students' words: never in the browser's HTTP cache
    return response


@api_login_required
@require_http_methods(["POST"])
def runner_assent(request: HttpRequest, slug: str, pk: int) -> JsonResponse:
    """One student's answer at the start of the session: {"student": id, "answer": "yes" | "not_today"}."""
    session = _runnable_session(request, slug, pk, page="runner_assent")
    try:
        body = json.loads(request.body or b"{}")
        student_id = int(body.get("student"))
    except (ValueError, TypeError, AttributeError):
        return JsonResponse({"error": str(NOT_JSON)}, status=400)
    try:
        kept = record_session_assent(session=session, student_id=student_id, answer=str(body.get("answer", "")),
                                     user=request.user, request=request)
    except AssentRefused as refusal:
        return JsonResponse({"error": str(refusal)}, status=400)
    return JsonResponse({"student": kept.student_id, "answer": kept.answer})


RUNNER_ASSETS = ("vendor/bootstrap/bootstrap.min.css", "vendor/bootstrap-icons/bootstrap-icons.min.css", "css/app.css",
                 "css/runner.css", "js/runner.js", "vendor/bootstrap/bootstrap.bundle.min.js",
                 "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2")


@require_GET
def runner_service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker that lets a runner page open without a network. Served from the site root
    so that its scope covers the runner pages."""
    script = render(request, "interviews/runner_sw.js", {
        "assets": json.dumps([static(path) for path in RUNNER_ASSETS]),
        # Kept per language, network first (never among the cache-first assets): it answers in the person's.
        "catalogue": json.dumps(reverse("javascript_catalog")),
    }, content_type="application/javascript")
    script["Cache-Control"] = "no-cache"
    script["Service-Worker-Allowed"] = "/"
    return script
