"""Follow-up slips for the facilitator, and the students' page behind each link (no account)."""

from __future__ import annotations

import segno
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from audit.log import client_address
from interviews.followups import (
    MAX_FOLLOW_UP_LENGTH,
    add_follow_up,
    code_refused,
    find_link,
    make_slips,
    record_wrong_code,
    student_language,
)
from interviews.views.runner import _runnable_session
from toolkit.languages import activate_for_family

TOO_MANY_TRIES = _("Too many codes that do not work were tried from this network. Please check the code on "
                   "your slip, wait a few minutes and try again.")
CODE_RESTING = _("Codes like this one were tried too many times. Please wait a few minutes and try again, or "
                 "ask the person who ran your session for a new slip.")
LINK_NOT_VALID = _("This link has expired or is not valid. Thank you for wanting to share! If you still want to add "
                   "something, tell the person who ran your session.")
THOUGHTS_ADDED = _("Thank you. Your thoughts were added and will help your school listen better.")


@login_required
@require_http_methods(["GET", "POST"])
def followup_slips(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    session = _runnable_session(request, slug, pk, page="followup_slips")
    slips = []
    if request.method == "POST":
        for slip in make_slips(session, user=request.user):
            url = request.build_absolute_uri(reverse("followup_page", kwargs={"code": slip.code}))
            slips.append({"slip": slip, "url": url, "qr": segno.make(url, error="m").svg_inline(scale=3, dark="#111827")})
    return render(request, "interviews/followup_slips.html", {"program": session.program, "session": session,
                                                             "slips": slips})


@require_http_methods(["GET", "POST"])
def followup_start(request: HttpRequest) -> HttpResponse:
    # No limit here: this page looks nothing up; the link it leads to counts wrong codes.
    # A code is letters and digits (dashes and spaces allowed); a "/" could not even be put in the link.
    code = request.POST.get("code", "").strip().upper().replace(" ", "").replace("/", "")
    if request.method == "POST" and code:
        return redirect("followup_page", code=code)
    return render(request, "interviews/followup_start.html")


@require_http_methods(["GET", "POST"])
def followup_page(request: HttpRequest, code: str) -> HttpResponse:
    # Refused before the look-up, valid or not: answering would tell someone completing a partly seen
    # slip which code is the one. See interviews/followups.py for the two budgets.
    if code_refused(code):
        return render(request, "interviews/followup_message.html", {"message": CODE_RESTING}, status=429)
    link = find_link(code)
    if link is None:
        if record_wrong_code(code, address=client_address(request) or "unknown"):
            return render(request, "interviews/followup_message.html", {"message": TOO_MANY_TRIES}, status=429)
        return render(request, "interviews/followup_message.html", {"message": LINK_NOT_VALID}, status=404)
    # The student's family's language (else the session's), unless the visitor chose one.
    language = activate_for_family(request, recorded=student_language(link.student, link.session))
    error, text = "", ""
    if request.method == "POST":
        text = request.POST.get("thoughts", "")
        try:
            add_follow_up(link, text=text, language=language)
        except ValueError as problem:
            error = str(problem)
        else:
            return render(request, "interviews/followup_message.html", {"thanks": True, "message": THOUGHTS_ADDED})
    return render(request, "interviews/followup_form.html", {
        "program": link.session.program, "error": error, "text": text, "max_length": MAX_FOLLOW_UP_LENGTH,
    })
