"""People's accounts: invited by e-mail with a one-time link to set a password, and deactivated.

The link is Django's password-reset link (`password_reset_confirm`, PasswordResetTokenGenerator): its
token is made from the account's password hash and last sign-in, so it works once (setting the password
changes the hash) and expires after PASSWORD_RESET_TIMEOUT. An invited account has no usable password
until then. A deactivated account (is_active=False) keeps its history (memberships, notes, audit
entries) and cannot sign in; an open session of it ends on its next request.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participants.models import StaffMember

EMAIL_TAKEN = gettext_lazy("An account with this e-mail address already exists.")
USERNAME_TAKEN = gettext_lazy("This username is taken; choose another.")
CANNOT_DEACTIVATE_YOURSELF = gettext_lazy("You cannot deactivate your own account.")
CANNOT_DEACTIVATE_SUPERUSER = gettext_lazy("Only a superuser can deactivate a superuser's account.")
ALREADY_SIGNED_UP = gettext_lazy("This person has chosen a password already; they can reset it from the sign-in page.")
INVITATION_SUBJECT = gettext_lazy("Your Empathy Interviews account")


class AccountRefused(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, str(message)


def set_password_link(*, user, base_url: str) -> str:
    """The one-time link that lets this person choose a password (`base_url` is "https://host")."""
    path = reverse("password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)})
    return base_url.rstrip("/") + path


def invite_account(*, email: str, full_name: str, base_url: str, username: str = "", invited_by=None):
    """Make an account with no usable password and e-mail its one-time set-password link; raise AccountRefused.

    The username is the e-mail address unless one is given."""
    User = get_user_model()
    email = User.objects.normalize_email(email.strip())
    username = (username or email).strip()
    if User.objects.filter(email__iexact=email).exists():
        raise AccountRefused("email", EMAIL_TAKEN)
    if User.objects.filter(username__iexact=username).exists():
        raise AccountRefused("username", USERNAME_TAKEN)
    first, _space, last = full_name.strip().partition(" ")
    user = User(username=username, email=email, first_name=first[:150], last_name=last[:150])
    user.set_unusable_password()
    user.save()
    send_invitation(user=user, base_url=base_url, invited_by=invited_by)
    return user


def send_invitation(*, user, base_url: str, invited_by=None) -> None:
    inviter = (invited_by.get_full_name() or invited_by.get_username()) if invited_by else _("The district")
    body = _(
        "%(inviter)s has made you an account on Empathy Interviews.\n\n"
        "Your username: %(username)s\n\n"
        "Choose your password with this link (it works once, for %(days)s days):\n%(link)s\n"
    ) % {"inviter": inviter, "username": user.get_username(), "link": set_password_link(user=user, base_url=base_url),
         "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)}
    send_mail(str(INVITATION_SUBJECT), body, None, [user.email])


def deactivate_account(*, user, by) -> None:
    """The person can no longer sign in; everything they did stays."""
    if user.pk == by.pk:
        raise AccountRefused("user", CANNOT_DEACTIVATE_YOURSELF)
    if user.is_superuser and not by.is_superuser:
        raise AccountRefused("user", CANNOT_DEACTIVATE_SUPERUSER)
    user.is_active = False
    user.save(update_fields=["is_active"])


def reactivate_account(*, user) -> None:
    user.is_active = True
    user.save(update_fields=["is_active"])


def staff_member_for(*, user, is_outside_facilitator: bool = False) -> StaffMember:
    """The person's staff record, made from their account when they have none."""
    staff = getattr(user, "staff_member", None)
    if staff is None:
        staff = StaffMember.objects.create(user=user, full_name=user.get_full_name() or user.get_username(),
                                           email=user.email, is_outside_facilitator=is_outside_facilitator)
    return staff
