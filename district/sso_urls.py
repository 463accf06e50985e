"""The single sign-on addresses under /accounts/sso/: allauth's provider pages (start and callback of Google,
Microsoft and OpenID Connect) and the few allauth names its flows send people to, all answered here."""

from allauth.socialaccount import views as socialaccount_views
from allauth.urls import build_provider_urlpatterns
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from django.views.generic import RedirectView

from district import sso


def refuse_signup_form(request):
    """allauth's own sign-up form is never offered: a sign-in that needs it is refused like any other."""
    messages.error(request, sso.SIGN_IN_FAILED)
    return redirect("login")


urlpatterns = [
    path("login/", RedirectView.as_view(pattern_name="login", query_string=True), name="account_login"),
    path("inactive/", RedirectView.as_view(pattern_name="login"), name="account_inactive"),
    path("signup/", refuse_signup_form, name="socialaccount_signup"),
    path("login/cancelled/", socialaccount_views.login_cancelled, name="socialaccount_login_cancelled"),
    path("login/error/", socialaccount_views.login_error, name="socialaccount_login_error"),
    *build_provider_urlpatterns(),
]
