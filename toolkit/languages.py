"""Which interface language a page speaks: the languages offered, and the rule for pages families open.

A page a family opens without an account (a follow-up link, the published "you said, we did" page, a
consent page) speaks the language recorded for that student's family, unless the person at the screen
has chosen another with the switcher (the language cookie): one click changes it, and the choice sticks.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

SESSION_KEY = "empathy_language"


def offered() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def supported(code: str | None) -> str | None:
    """The offered language that `code` names ("es-MX", "ES", "spa" aside), or None."""
    if not code:
        return None
    base = code.strip().lower().replace("_", "-").split("-")[0]
    return base if base in offered() else None


def chosen_by_visitor(request: HttpRequest) -> str | None:
    """The language the person at this screen chose themselves: their account's, else the switcher's."""
    return supported(request.session.get(SESSION_KEY) if hasattr(request, "session") else None) or supported(
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    )


def activate_for_family(request: HttpRequest, *, recorded: str | None) -> str:
    """Speak the family's recorded language on this page unless the visitor chose one; return the code."""
    language = chosen_by_visitor(request) or supported(recorded) or translation.get_language()
    translation.activate(language)
    request.LANGUAGE_CODE = language
    return language
