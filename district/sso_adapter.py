"""django-allauth's adapters: where allauth asks the district's rules (district/sso.py) before it signs anyone in."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect

from district import crypto, sso
from district.setup import staff_record_for_account

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False  # nobody makes their own local account; the district invites people (district/views.py)

    def get_login_stages(self) -> list[str]:
        # allauth's own two-factor step is not used: a school account's second factor is the identity
        # provider's, and local accounts have theirs on the sign-in page (district/two_factor.py).
        return [stage for stage in super().get_login_stages() if not stage.startswith("allauth.mfa.")]

    def login(self, request, user) -> None:
        user.backend = MODEL_BACKEND  # the throttling backend cannot load a user back from the session
        super().login(request, user)

    def add_message(self, request, level, message_template=None, message_context=None, extra_tags="",
                    message=None) -> None:
        return  # the pages say what happened in their own words (local sign-in shows no message either)


def _address(sociallogin) -> tuple[str, bool]:
    """The address the provider vouched for, primary first, and whether it says it verified it."""
    addresses = sorted(sociallogin.email_addresses, key=lambda address: not address.primary)
    if addresses:
        return addresses[0].email, bool(addresses[0].verified)
    return (getattr(sociallogin.user, "email", "") or ""), False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(self, request, provider=None, client_id=None):
        return [*super().list_apps(request, provider=provider, client_id=client_id),
                *sso.district_apps(provider=provider, client_id=client_id)]

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return sso.policy().create_accounts

    def is_email_verified(self, provider, email) -> bool:
        if provider.id == "microsoft" and provider.app is not None:
            # One tenant: the district's directory issues and administers its addresses.
            tenant = str((provider.app.settings or {}).get("tenant", "")).lower()
            if tenant not in sso.MICROSOFT_SHARED_TENANTS:
                return True
        return super().is_email_verified(provider, email)

    def pre_social_login(self, request, sociallogin) -> None:
        email, verified = _address(sociallogin)
        provider = sociallogin.account.provider
        linked = sociallogin.user if sociallogin.is_existing else None
        decision = sso.decide(email=email, verified=verified, linked_user=linked)
        if decision.refused:
            sso.audit_sign_in_event(event="refused", request=request, user=decision.user or linked,
                                    provider=provider, email=email, reason=decision.reason)
            messages.error(request, decision.refusal)
            raise ImmediateHttpResponse(redirect("login"))
        if not sociallogin.is_existing and decision.user is not None:
            sociallogin.connect(request, decision.user)
            sso.audit_sign_in_event(event="linked", request=request, user=decision.user, provider=provider,
                                    email=email)

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        User = get_user_model()
        if user.email and not User.objects.filter(**{f"{User.USERNAME_FIELD}__iexact": user.email}).exists():
            setattr(user, User.USERNAME_FIELD, user.email.lower())
        return user

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form=form)
        staff_record_for_account(user=user, full_name=user.get_full_name())
        email, _verified = _address(sociallogin)
        sso.audit_sign_in_event(event="account made", request=request, user=user,
                                provider=sociallogin.account.provider, email=email)
        return user

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None) -> None:
        sso.audit_sign_in_event(event="failed", request=request, provider=getattr(provider, "id", ""),
                                reason=str(error or "error")[:60])
        messages.error(request, sso.SIGN_IN_FAILED)
        raise ImmediateHttpResponse(redirect("login"))


class MFAAdapter(DefaultMFAAdapter):
    """The authenticator app's key, encrypted in allauth's Authenticator table."""

    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text)
