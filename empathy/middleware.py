from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

LAST_SEEN_KEY = "empathy_last_seen"
IDLE_LOGOUT_MESSAGE = "You were signed out after a period of inactivity. Please sign in again."


class IdleSessionTimeoutMiddleware:
    """End a signed-in session after SESSION_IDLE_TIMEOUT_MINUTES without a request.

    The last-seen time is written back at most every SESSION_IDLE_REFRESH_SECONDS so that
    a busy note-taker does not cause a session write on every autosave.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(LAST_SEEN_KEY, now)
            if now - last_seen > settings.SESSION_IDLE_TIMEOUT_MINUTES * 60:
                logout(request)
                messages.info(request, IDLE_LOGOUT_MESSAGE)
                if request.headers.get("HX-Request") or not request.accepts("text/html"):
                    # Scripts (autosave, htmx) get a status they can act on, not a login page.
                    return HttpResponse(IDLE_LOGOUT_MESSAGE, status=401, content_type="text/plain")
                return redirect_to_login(request.get_full_path())
            if now - last_seen >= settings.SESSION_IDLE_REFRESH_SECONDS or LAST_SEEN_KEY not in request.session:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
