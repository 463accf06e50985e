"""The language a person reads the app in.

A signed-in person's own choice is saved on their account (`participants.models.AccountLanguage`) and copied into their
session when they sign in, so reading it costs no query per page; so is the district's default. Before anyone chooses, the district's
default applies (`participants.models.District.default_language`); a visitor without an account may choose with the
switcher, which sets a cookie. The browser's Accept-Language is not consulted: a shared school computer
should not decide a family's language.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from participants.languages import account_language, district_default, save_account_language
from toolkit.languages import SESSION_KEY, chosen_by_visitor, supported


def choose_language(*, request: HttpRequest, language: str) -> str:
    """Save a person's choice: on their account when signed in, in their session; the caller sets the cookie."""
    language = supported(language) or settings.LANGUAGE_CODE
    if request.user.is_authenticated:
        save_account_language(user=request.user, language=language)
        request.session[SESSION_KEY] = language
    translation.activate(language)
    return language


def set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE, secure=settings.LANGUAGE_COOKIE_SECURE, httponly=False,
    )


@receiver(user_logged_in)
def remember_language_in_session(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    language = account_language(user)
    if language:
        request.session[SESSION_KEY] = language
    else:
        request.session.pop(SESSION_KEY, None)
    # The district's default as it is at sign-in, so that a page (and each poll of the runner) costs
    # no query for it; a changed default reaches a person at their next sign-in.
    request.session[DISTRICT_DEFAULT_KEY] = district_default()


DISTRICT_DEFAULT_KEY = "empathy_district_language"


class LanguageMiddleware:
    """Activate the page's language: the person's choice, else the district's default."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        kept = supported(request.session.get(DISTRICT_DEFAULT_KEY)) if request.user.is_authenticated else None
        language = chosen_by_visitor(request) or kept or district_default()
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        response.headers.setdefault("Vary", "Cookie")
        return response
