"""A family's consent page behind the private code on their letter (`/c/<code>/`, no account).

It lives here rather than in recruitment because it shows the questions of the program's ready protocol
(parents may inspect them), and protocols are this floor's; the codes and the answers are recruitment's
(recruitment/consent_codes.py). The limits on wrong codes are the follow-up page's (toolkit/codes.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from audit.log import client_address
from interviews.models import Protocol
from recruitment.consent_codes import AnswerRefused, answer_online, find_code, latest_answer, limits
from recruitment.letters import family_language, letter_for, parts_in
from recruitment.models import ConsentStatus
from toolkit.languages import activate_for_family

TOO_MANY_TRIES = _("Too many codes that do not work were tried from this network. Please check the code on "
                   "your letter, wait a few minutes and try again.")
CODE_RESTING = _("Codes like this one were tried too many times. Please wait a few minutes and try again, or "
                 "ask the school for a new letter.")
CODE_NOT_VALID = _("This code has expired or is not valid. If you have a newer letter from the school, use the "
                   "code on it; otherwise please ask the school for a new letter.")


def _message(request: HttpRequest, message, status: int) -> HttpResponse:
    response = render(request, "recruitment/consent_public_message.html", {"message": message}, status=status)
    response["Referrer-Policy"] = "same-origin"
    return response


def ready_questions(program, language: str) -> list[dict]:
    """The questions of the program's newest ready protocol, in `language` where they are translated."""
    protocol = Protocol.objects.filter(program=program, marked_ready=True).order_by("-version").first()
    if protocol is None:
        return []
    questions = []
    for question in protocol.questions.all():
        local = (((question.translations or {}).get(language) or {}) if language != "en" else {})
        translated = bool((local.get("text") or "").strip())
        questions.append({
            "text": local["text"] if translated else question.text,
            "follow_ups": list(local.get("follow_ups") or []) if translated else list(question.follow_ups),
            "translated": translated or language == "en",
        })
    return questions


@never_cache
@require_http_methods(["GET", "POST"])
def consent_page(request: HttpRequest, code: str) -> HttpResponse:
    # Refused before the look-up, valid or not: answering would tell someone completing a partly seen
    # letter which code is the one. Unknown, expired and revoked codes get the same page.
    if limits().refused(code):
        return _message(request, CODE_RESTING, 429)
    row = find_code(code)
    if row is None:
        if limits().wrong(code, address=client_address(request) or "unknown"):
            return _message(request, TOO_MANY_TRIES, 429)
        return _message(request, CODE_NOT_VALID, 404)
    invitation = row.invitation
    language = activate_for_family(request, recorded=family_language(invitation.student))
    problems: dict[str, str] = {}
    typed = {"choice": "", "guardian_name": "", "relationship": ""}
    if request.method == "POST":
        typed = {key: request.POST.get(key, "") for key in typed}
        try:
            answer_online(code=row, language=language, request=request, **typed)
        except AnswerRefused as refusal:
            problems = {key: str(problem) for key, problem in refusal.problems.items()}
        else:
            return redirect(request.path + "?answered=1")
    else:
        last = latest_answer(invitation)
        if last is not None:  # the same person usually answers again: their name is offered back
            typed.update(guardian_name=last.guardian_name, relationship=last.relationship)
    invitation.refresh_from_db()
    letter = letter_for(invitation.program)
    response = render(request, "recruitment/consent_public.html", {
        "program": invitation.program, "invitation": invitation, "first_name": invitation.student.first_name,
        "parts": parts_in(letter, language) if letter.pk else [], "questions": ready_questions(invitation.program, language),
        "status": invitation.parent_consent, "statuses": ConsentStatus, "answered_on": invitation.parent_consent_on,
        "problems": problems, "typed": typed, "answered": request.GET.get("answered") == "1",
        "expires_at": row.expires_at,
    }, status=400 if problems else 200)
    response["Referrer-Policy"] = "same-origin"
    return response
