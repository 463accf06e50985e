"""The audit log's sign-in entries for the school's account: signing in with it and signing out after it."""

from __future__ import annotations

from allauth.account.signals import user_logged_in as allauth_user_logged_in
from django.contrib.auth.signals import user_logged_out

from district import sso


def signed_in_with_school_account(sender, request, user, **kwargs) -> None:
    sociallogin = kwargs.get("sociallogin")
    if sociallogin is None or request is None:
        return
    request.session[sso.SIGN_IN_METHOD_KEY] = sso.BY_SSO
    address = next((a.email for a in sociallogin.email_addresses if a.primary), user.email)
    sso.audit_sign_in_event(event="signed in", request=request, user=user, provider=sociallogin.account.provider,
                            email=address)


def signed_out(sender, request, user, **kwargs) -> None:
    if request is None or user is None or request.session.get(sso.SIGN_IN_METHOD_KEY) != sso.BY_SSO:
        return
    sso.audit_sign_in_event(event="signed out", request=request, user=user)


allauth_user_logged_in.connect(signed_in_with_school_account, dispatch_uid="district.sso.signed_in")
user_logged_out.connect(signed_out, dispatch_uid="district.sso.signed_out")
