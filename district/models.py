"""The district's sign-in settings: how staff sign in (single sign-on, two-factor) and people's recovery codes.

The District row and people's language choices live in participants (participants/models.py), where every
floor may read them; these are read only by the sign-in pages and the middleware, on this floor."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

THE_POLICY_PK = 1


class SignInPolicy(models.Model):
    """One row: who may sign in with the school's account, and what the district requires (district/sso.py)."""

    allowed_domains = models.TextField(
        _("allowed e-mail domains"), blank=True,
        help_text=_("One per line, such as lincoln.k12.us. Only verified addresses at these domains may sign in "
                    "with the school's account."))
    create_accounts = models.BooleanField(
        _("make an account for a new person"), default=False,
        help_text=_("A person from an allowed domain with no account here gets one, with no program until a "
                    "lead adds them. Off: only people who already have an account may sign in."))
    sso_only = models.BooleanField(
        _("the school's account is the only way in"), default=False,
        help_text=_("Passwords are refused for accounts at the allowed domains. Outside facilitators keep "
                    "their passwords."))
    require_two_factor = models.BooleanField(
        _("require two-factor sign-in"), default=False,
        help_text=_("Leads, facilitators and district administrators who sign in with a password must use an "
                    "authenticator app; they are sent to set it up before anything else."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sign-in policy")

    def __str__(self) -> str:
        return "sign-in policy"

    @property
    def domains(self) -> list[str]:
        return [line.strip().lower().lstrip("@") for line in self.allowed_domains.replace(",", "\n").splitlines()
                if line.strip()]


class ProviderKind(models.TextChoices):
    GOOGLE = "google", _("Google Workspace")
    MICROSOFT = "microsoft", _("Microsoft Entra ID")
    OPENID_CONNECT = "openid_connect", _("OpenID Connect (Clever, ClassLink and others)")


class SignInProvider(models.Model):
    """A single sign-on provider the district registered the app with. The client secret is kept encrypted
    (district/crypto.py) and never shown again."""

    kind = models.CharField(_("kind"), max_length=20, choices=ProviderKind.choices)
    slug = models.SlugField(_("short name"), max_length=40, unique=True,
                            help_text=_("Part of the redirect address; for Google and Microsoft it is their name."))
    name = models.CharField(_("button label"), max_length=80,
                            help_text=_("What the sign-in button says after “Sign in with”, such as Clever."))
    client_id = models.CharField(_("client id"), max_length=300)
    secret_encrypted = models.TextField(blank=True, editable=False)
    tenant = models.CharField(_("tenant"), max_length=100, blank=True,
                              help_text=_("Microsoft only: the district's directory (tenant) id or domain."))
    server_url = models.URLField(_("issuer address"), max_length=300, blank=True,
                                 help_text=_("OpenID Connect only: the issuer, such as https://clever.com/oauth; "
                                             "its /.well-known/openid-configuration is read."))
    enabled = models.BooleanField(_("shown on the sign-in page"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def has_secret(self) -> bool:
        return bool(self.secret_encrypted)


class RecoveryCode(models.Model):
    """One of a person's one-time recovery codes, kept as a salted SHA-256 hash only (district/two_factor.py)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes")
    salt = models.CharField(max_length=32)
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user", "used_at"])]

    def __str__(self) -> str:
        return f"recovery code of {self.user_id}"


class Repository(models.Model):
    """No table: the holder of the district repository's permission (district/repository.py), which searches
    every program's notes. The district administrator's group holds it (participants/roles.py); a lead searches
    their own programs without it."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("search_repository", "Can search every program's notes in the district repository")]

    def __str__(self) -> str:
        return "district repository"
