"""The languages people read: a person's own choice, and the district's default for everyone else.

Every floor may ask (a report, an e-mail, a row problem of an import is written in its reader's
language); the page-by-page choice is made by district/language.py's middleware.
"""

from __future__ import annotations

from django.conf import settings

from participants.models import AccountLanguage, District
from toolkit.languages import supported


def district_default() -> str:
    found = District.current()
    return supported(found.default_language if found else None) or settings.LANGUAGE_CODE


def account_language(user) -> str | None:
    if user is None or not getattr(user, "pk", None):
        return None
    found = AccountLanguage.objects.filter(user=user).values_list("language", flat=True).first()
    return supported(found)


def reader_language(user) -> str:
    """The language to write to this person in: theirs, else the district's."""
    return account_language(user) or district_default()


def save_account_language(*, user, language: str) -> str:
    language = supported(language) or settings.LANGUAGE_CODE
    AccountLanguage.objects.update_or_create(user=user, defaults={"language": language})
    return language
