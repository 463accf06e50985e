"""The single sign-on addresses under /accounts/sso/: allauth's provider pages (start and callback of Google,
Microsoft and OpenID Connect) and the few allauth names its flows send people to, all answered here."""

from functools import wraps

from allauth.socialaccount import views as socialaccount_views
from allauth.urls import build_provider_urlpatterns
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import URLPattern, URLResolver, path
from django.views.generic import RedirectView

from district import sso


def refuse_signup_form(request):
    """allauth's own sign-up form is never offered: a sign-in that needs it is refused like any other."""
    messages.error(request, sso.SIGN_IN_FAILED)
    return redirect("login")


def _forms_may_lead_to_the_providers(view):
    """allauth's "continue to the provider" page: its form is answered by a redirect to the provider, which
    the browser checks against the page's form-action (as on the sign-in page, empathy/accounts.py)."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200:
            origins = sorted({button["origin"] for button in sso.sign_in_buttons(request) if button["origin"]})
            if origins:
                response._csp_update = {"form-action": origins}
        return response
    return wrapped


def _with_provider_forms(patterns):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            _with_provider_forms(entry.url_patterns)
        elif isinstance(entry, URLPattern) and (entry.name or "").endswith("_login"):
            entry.callback = _forms_may_lead_to_the_providers(entry.callback)
    return patterns


urlpatterns = [
    path("login/", RedirectView.as_view(pattern_name="login", query_string=True), name="account_login"),
    path("inactive/", RedirectView.as_view(pattern_name="login"), name="account_inactive"),
    path("signup/", refuse_signup_form, name="socialaccount_signup"),
    path("login/cancelled/", socialaccount_views.login_cancelled, name="socialaccount_login_cancelled"),
    path("login/error/", socialaccount_views.login_error, name="socialaccount_login_error"),
    *_with_provider_forms(build_provider_urlpatterns()),
]
