from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy

LAST_SEEN_KEY = "empathy_last_seen"
IDLE_LOGOUT_MESSAGE = gettext_lazy("You were signed out after a period of inactivity. Please sign in again.")
# Sent by scripts that ask on their own (the runner's poll, htmx polling; see static/js): not activity.
BACKGROUND_HEADER = "X-Background"
# The idle clock is written at most every this fraction of the timeout, so a write that is skipped
# costs at most a quarter of the timeout, whatever the timeout.
REFRESH_FRACTION_OF_TIMEOUT = 4


def is_background(request: HttpRequest) -> bool:
    return request.headers.get(BACKGROUND_HEADER) == "1"


def idle_refresh_seconds() -> float:
    """How stale the stored last-seen time may get: SESSION_IDLE_REFRESH_SECONDS, or less for a short timeout."""
    timeout = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
    return min(settings.SESSION_IDLE_REFRESH_SECONDS, timeout / REFRESH_FRACTION_OF_TIMEOUT)


class IdleSessionTimeoutMiddleware:
    """End a signed-in session after SESSION_IDLE_TIMEOUT_MINUTES without a request from the person.

    The last-seen time is written back at most every idle_refresh_seconds() so that a busy
    note-taker does not cause a session write on every autosave. Background requests (header
    X-Background: 1) are signed out when idle like any other, but never move the last-seen time:
    an open tab that polls is not a person at the keyboard.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(LAST_SEEN_KEY, now)
            if now - last_seen > settings.SESSION_IDLE_TIMEOUT_MINUTES * 60:
                message = str(IDLE_LOGOUT_MESSAGE)  # in the page's language, read before the session goes
                logout(request)
                messages.info(request, message)
                if request.headers.get("HX-Request") or is_background(request) or not request.accepts("text/html"):
                    # Scripts (autosave, htmx) get a status they can act on, not a login page.
                    return HttpResponse(message, status=401, content_type="text/plain")
                return redirect_to_login(request.get_full_path())
            if LAST_SEEN_KEY not in request.session:
                request.session[LAST_SEEN_KEY] = now  # the clock starts, whoever asks first
            elif not is_background(request) and now - last_seen >= idle_refresh_seconds():
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
