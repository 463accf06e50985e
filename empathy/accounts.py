"""Signing in: throttling repeated failures (django-axes) and the "shared computer" choice."""

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


class SignInView(LoginView):
    form_class = SignInForm

    def get(self, request, *args, **kwargs):
        from district.setup import first_run_open

        if first_run_open():  # a fresh installation: name the district and its first administrator first
            return redirect("first_run")
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.cleaned_data.get("shared_device"):
            self.request.session.set_expiry(0)  # the cookie dies with the browser
        return response
