"""Two-factor sign-in for local accounts: an authenticator app (TOTP, django-allauth's mfa) and recovery codes.

**Turning it on.** The person scans a QR code (or types the key) into an authenticator app and types the
code it shows; the key is then kept, encrypted, in allauth's Authenticator table (district/crypto.py via
the MFA adapter), and ten recovery codes are made. They are shown once, on the page that turned it on or
made new ones, and kept only as salted SHA-256 hashes (`RecoveryCode`): nobody, the person included, can
read them again. Each works once.

**Signing in.** After a right password, an account with an authenticator app is not signed in yet: the
sign-in page asks for the app's code or a recovery code (`begin_pending` ... `finish_pending`), within five
minutes and five tries. A wrong code counts as a failed sign-in for django-axes like a wrong password.

**The requirement.** With the district's `require_two_factor` on, a person who can see students' names (a
lead or facilitator of any program, anyone with a district role, a superuser) and signed in with a password
is sent to set it up before any other page (`RequireTwoFactorMiddleware`). A sign-in with the school's
account is not asked: the identity provider's own two-factor applies.

**A lost phone.** A district administrator resets it on the Accounts page (`reset`), which is audited; the
person sets it up again at their next sign-in.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable

from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth import user_logged_in
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.log import record
from audit.models import AuditAction
from district import sso
from district.models import RecoveryCode
from participants.roles import DISTRICT_ROLES
from programs.models import Membership, Role

RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
RECOVERY_CODE_LENGTH = 10  # 50 random bits
PENDING_KEY = "empathy_two_factor_pending"
SETUP_SECRET_KEY = "empathy_two_factor_setup_key"
PENDING_SECONDS = 300
MAX_TRIES = 5
NAME_ROLES = (Role.LEAD, Role.FACILITATOR)

WRONG_CODE = _("That code is not right. Type the six digits your authenticator app shows now, or one of your "
               "recovery codes.")
SETUP_WRONG_CODE = _("That code is not right. Check that the app shows “Empathy Interviews” and type the six digits "
                     "it shows now.")
TOO_MANY_TRIES = _("Too many wrong codes. Sign in again with your password.")
PENDING_EXPIRED = _("The sign-in took too long. Sign in again with your password.")
SET_IT_UP = _("The district asks everyone who can see students' names to use two-factor sign-in. Set it up to "
              "continue.")
REQUIRED_FOR_YOU = _("The district requires two-factor sign-in for your account, so it cannot be turned off.")


class TwoFactorRefused(ValueError):
    pass


# --- The authenticator app and recovery codes -------------------------------------------------------------


def authenticator_for(user) -> Authenticator | None:
    if user is None or not getattr(user, "pk", None):
        return None
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).first()


def has_two_factor(user) -> bool:
    return authenticator_for(user) is not None


def setup_key(session) -> str:
    """The key being set up, kept in the person's session until they confirm it (never in the page's address)."""
    key = session.get(SETUP_SECRET_KEY)
    if not key:
        key = session[SETUP_SECRET_KEY] = generate_totp_secret()
    return key


def setup_qr_svg(*, user, key: str) -> str:
    adapter = get_mfa_adapter()
    return adapter.build_totp_svg(adapter.build_totp_url(user, key))


def turn_on(*, user, key: str, code: str) -> list[str]:
    """Keep the authenticator app's key once a code from it is right; return the new recovery codes (shown once)."""
    from allauth.mfa.totp.internal.auth import validate_totp_code

    if not key or not validate_totp_code(key, normalize(code)):
        raise TwoFactorRefused(str(SETUP_WRONG_CODE))
    with transaction.atomic():
        Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).delete()
        TOTP.activate(user, key)
        return make_recovery_codes(user=user)


def normalize(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def _hash(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{normalize(code)}".encode()).hexdigest()


def make_recovery_codes(*, user) -> list[str]:
    """Ten new one-time codes, replacing any earlier ones; only their hashes are kept."""
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
             for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        for code in codes:
            salt = secrets.token_hex(16)
            RecoveryCode.objects.create(user=user, salt=salt, code_hash=_hash(salt, code))
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def people_with_two_factor() -> set[int]:
    return set(Authenticator.objects.filter(type=Authenticator.Type.TOTP).values_list("user_id", flat=True))


def unused_recovery_codes(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def use_recovery_code(*, user, code: str) -> bool:
    """True, and the code is spent, when it is one of the person's unused codes."""
    if len(normalize(code)) != RECOVERY_CODE_LENGTH:
        return False
    with transaction.atomic():
        for stored in RecoveryCode.objects.select_for_update().filter(user=user, used_at__isnull=True):
            if hmac.compare_digest(stored.code_hash, _hash(stored.salt, code)):
                stored.used_at = timezone.now()
                stored.save(update_fields=["used_at"])
                return True
    return False


def check_code(*, user, code: str) -> str | None:
    """"app" or "recovery code" for a right code (a recovery code is spent, an app's code cannot be used twice)."""
    authenticator = authenticator_for(user)
    if authenticator is None:
        return None
    digits = normalize(code)
    if digits.isdigit() and len(digits) == 6:
        return "app" if TOTP(authenticator).validate_code(digits) else None
    return "recovery code" if use_recovery_code(user=user, code=code) else None


def turn_off(*, user) -> None:
    with transaction.atomic():
        Authenticator.objects.filter(user_id=user.pk).delete()
        RecoveryCode.objects.filter(user=user).delete()


def reset(*, user, request=None) -> None:
    """An administrator's reset after a lost phone: the app and the codes go; the person sets it up again."""
    turn_off(user=user)
    record(action=AuditAction.TWO_FACTOR, request=request, obj=user, detail={"two_factor": "reset"})


# --- Who must use it ----------------------------------------------------------------------------------------


def sees_names(user) -> bool:
    """Whether the person can see students' names: a lead or facilitator anywhere, a district role, a superuser."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.groups.filter(name__in=list(DISTRICT_ROLES)).exists():
        return True
    return Membership.objects.filter(user=user, role__in=NAME_ROLES).exists()


def must_set_up(*, user, session) -> bool:
    if session.get(sso.SIGN_IN_METHOD_KEY) == sso.BY_SSO:
        return False
    return sso.policy().require_two_factor and sees_names(user) and not has_two_factor(user)


def may_turn_off(*, user) -> bool:
    return not (sso.policy().require_two_factor and sees_names(user))


# --- The sign-in's second step ------------------------------------------------------------------------------


def begin_pending(*, session, user, backend: str, shared_device: bool, next_url: str) -> None:
    session[PENDING_KEY] = {"user": user.pk, "backend": backend, "shared": bool(shared_device), "next": next_url,
                            "until": time.time() + PENDING_SECONDS, "tries": 0}


def pending_user(session):
    from django.contrib.auth import get_user_model

    pending = session.get(PENDING_KEY)
    if not pending or pending.get("until", 0) < time.time():
        return None
    return get_user_model().objects.filter(pk=pending["user"], is_active=True).first()


def finish_pending(*, request: HttpRequest, code: str) -> tuple[object | None, str]:
    """Sign the pending person in when the code is right: (user, how) or (None, the message to show)."""
    from django.contrib.auth import login

    pending = request.session.get(PENDING_KEY)
    user = pending_user(request.session)
    if user is None:
        request.session.pop(PENDING_KEY, None)
        return None, str(PENDING_EXPIRED)
    how = check_code(user=user, code=code)
    if how is None:
        pending["tries"] = pending.get("tries", 0) + 1
        user_login_failed.send(sender=__name__, credentials={"username": user.get_username()}, request=request)
        if pending["tries"] >= MAX_TRIES:
            request.session.pop(PENDING_KEY, None)
            return None, str(TOO_MANY_TRIES)
        request.session[PENDING_KEY] = pending
        return None, str(WRONG_CODE)
    request.session.pop(PENDING_KEY, None)
    login(request, user, backend=pending["backend"])
    if pending.get("shared"):
        request.session.set_expiry(0)
    request.session[sso.SIGN_IN_METHOD_KEY] = sso.BY_PASSWORD_AND_CODE
    record(action=AuditAction.SIGN_IN, request=request, obj=user,
           detail={"event": "signed in", "method": "password and " + how})
    return user, pending.get("next") or ""


def mark_password_sign_in(sender, request, user, **kwargs) -> None:
    """Every sign-in starts as a password's; the school account's (district/sign_in_events.py) and the second
    step's (`finish_pending`) say otherwise right after."""
    if request is not None and hasattr(request, "session"):
        request.session[sso.SIGN_IN_METHOD_KEY] = sso.BY_PASSWORD


user_logged_in.connect(mark_password_sign_in, dispatch_uid="district.two_factor.mark_password_sign_in")


# --- The middleware ------------------------------------------------------------------------------------------


def _open_while_setting_up() -> tuple[str, ...]:
    names = ("two_factor_setup", "logout", "set_language", "javascript_catalog", "healthz", "whoami")
    return (*(reverse(name) for name in names), settings.STATIC_URL, settings.MEDIA_URL)


# A person found not to need the set-up page is checked again after this long, not on every request: the
# check reads the district's policy, the person's roles and authenticator (up to four queries), and a note
# save or a runner poll should not pay them each time. A policy turned on, or an app reset by an
# administrator, reaches a signed-in person within this time; a person who must set it up is checked on
# every request until they have.
RECHECK_SECONDS = 60
CHECKED_KEY = "empathy_two_factor_checked"


def _cleared_recently(session, now: float) -> bool:
    checked = session.get(CHECKED_KEY)
    return isinstance(checked, (int, float)) and 0 <= now - checked < RECHECK_SECONDS


class RequireTwoFactorMiddleware:
    """A person the district requires to use two-factor sign-in, and who has not set it up, sees only its page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        now = time.time()
        if (user is not None and user.is_authenticated and not _cleared_recently(request.session, now)
                and not request.path.startswith(_open_while_setting_up())):
            if must_set_up(user=user, session=request.session):
                return redirect("two_factor_setup")
            request.session[CHECKED_KEY] = now
        return self.get_response(request)
