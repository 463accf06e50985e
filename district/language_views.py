"""The language switcher: one click changes the language of every page, for a visitor or an account."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from district.language import choose_language, set_language_cookie


@require_POST
def set_language(request: HttpRequest) -> HttpResponseRedirect:
    language = choose_language(request=request, language=request.POST.get("language", settings.LANGUAGE_CODE))
    target = request.POST.get("next") or request.headers.get("Referer") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    set_language_cookie(response, language)
    return response
