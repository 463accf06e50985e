"""Signing in: throttling repeated failures (django-axes), the "shared computer" choice, the district's
"school account only" rule and two-factor sign-in's second step (district/sso.py, district/two_factor.py)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

FIRST_COOL_OFF = dt.timedelta(minutes=15)
LONGEST_COOL_OFF = dt.timedelta(hours=4)
REPEAT_WINDOW = dt.timedelta(hours=24)


def cool_off(request) -> dt.timedelta:
    """15 minutes after the first lock-out, doubling for each further one in a day, never more than
    four hours: long enough to stop guessing, never a permanent lock an attacker could use on a real user."""
    from axes.helpers import get_client_ip_address, get_client_username
    from axes.models import AccessFailureLog

    if request is None:
        return FIRST_COOL_OFF
    failures = AccessFailureLog.objects.filter(
        username=get_client_username(request), ip_address=get_client_ip_address(request),
        attempt_time__gte=timezone.now() - REPEAT_WINDOW).count()
    earlier_lockouts = min(max(0, failures // settings.AXES_FAILURE_LIMIT - 1), 8)
    return min(FIRST_COOL_OFF * 2 ** earlier_lockouts, LONGEST_COOL_OFF)


class SignInForm(AuthenticationForm):
    shared_device = forms.BooleanField(
        required=False, label=_("This is a shared computer"),
        help_text=_("Sign me out when the browser closes, as on a library or classroom computer."))

    def clean(self):
        from district.sso import PASSWORD_OFF, password_refused_for

        # Refused before the password is tried, so the answer says nothing of whether it was right.
        domain = password_refused_for(username=(self.cleaned_data.get("username") or "").strip())
        if domain:
            raise forms.ValidationError(PASSWORD_OFF % {"domain": domain}, code="school_account_only")
        return super().clean()


class SignInView(LoginView):
    form_class = SignInForm

    def get(self, request, *args, **kwargs):
        from district.setup import first_run_open

        if first_run_open():  # a fresh installation: name the district and its first administrator first
            return redirect("first_run")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        from district.sso import sign_in_buttons

        return {**super().get_context_data(**kwargs), "sign_in_buttons": sign_in_buttons(self.request)}

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # A school-account button's form is answered by a redirect to the provider, which the browser checks
        # against form-action: the providers' origins join 'self' on this page only.
        origins = sorted({button["origin"] for button in context.get("sign_in_buttons", []) if button["origin"]})
        if origins:
            response._csp_update = {"form-action": origins}
        return response

    def form_valid(self, form):
        from district import two_factor

        user = form.get_user()
        if two_factor.has_two_factor(user):  # the password was right; the app's code comes next
            two_factor.begin_pending(session=self.request.session, user=user, backend=user.backend,
                                     shared_device=form.cleaned_data.get("shared_device"),
                                     next_url=self.get_success_url())
            return redirect("two_factor_sign_in")
        response = super().form_valid(form)
        if form.cleaned_data.get("shared_device"):
            self.request.session.set_expiry(0)  # the cookie dies with the browser
        return response
