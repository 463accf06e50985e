"""Signing in with the school's account (single sign-on through django-allauth) and the district's rules for it.

**Who gets in.** The district lists the e-mail domains allowed to sign in (`SignInPolicy`). A person coming
back from the identity provider gets in only with an address at one of them that the provider says it
verified: it signs into the account here with that e-mail address (linking the two the first time), or,
when the district allows it, into a new account with no program until a lead adds it. Any other domain,
an unverified or missing address, a deactivated account or an address two accounts share is refused with a
plain message (`decide`). Outside facilitators keep local accounts.

**SSO only.** With `sso_only` on, a password is refused for any account at an allowed domain
(`password_refused_for`); the login throttling (django-axes) still counts every local attempt.

**Providers.** Google Workspace, Microsoft Entra ID (one tenant: the district's) and any OpenID Connect
provider (Clever, ClassLink, a district's own). They come from the district set-up page (`SignInProvider`,
the secret encrypted by district/crypto.py and never shown again) or from the SSO_* environment variables
(settings.SOCIALACCOUNT_PROVIDERS). Provider tokens are used during the sign-in and not kept
(SOCIALACCOUNT_STORE_TOKENS = False).

Sign-ins, first links, refusals and sign-outs are written to the audit log (`audit_sign_in_event`): never a
secret, a token or a code.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from audit.log import record
from audit.models import AuditAction
from district.crypto import decrypt, encrypt
from district.models import THE_POLICY_PK, ProviderKind, SignInPolicy, SignInProvider

SIGN_IN_METHOD_KEY = "empathy_sign_in_method"
BY_SSO = "sso"
BY_PASSWORD = "password"
BY_PASSWORD_AND_CODE = "password+code"
# Microsoft's multi-tenant endpoints: anyone's Microsoft account, whose address no district administers.
MICROSOFT_SHARED_TENANTS = {"", "common", "organizations", "consumers"}

NO_EMAIL = _("Your school account did not tell us your e-mail address, so it cannot sign you in here. Ask the "
             "district's technology team to share it with this app.")
WRONG_DOMAIN = _("Addresses at %(domain)s cannot sign in here. Use your district account, or ask the district "
                 "administrator.")
UNVERIFIED = _("Your school account has not verified the address %(email)s, so it cannot sign you in here. Ask "
               "the district's technology team to verify it.")
DEACTIVATED = _("This account is deactivated, so it cannot sign in. Ask the district administrator if you need it "
                "again.")
NO_ACCOUNT = _("There is no account here for %(email)s. Ask a program lead or the district administrator to "
               "invite you.")
SHARED_ADDRESS = _("More than one account here uses %(email)s, so it is not clear which is yours. Ask the "
                   "district administrator to fix it.")
PASSWORD_OFF = _("Sign in with your school account: the district turned passwords off for addresses at "
                 "%(domain)s.")
SIGN_IN_FAILED = _("Signing in with your school account did not work. Try again, or sign in with your password "
                   "if you have one.")
DOMAIN_NOT_VALID = _("“%(domain)s” is not an e-mail domain; write it as lincoln.k12.us.")
SLUG_TAKEN = _("Another provider uses this short name; choose another.")
SECRET_NEEDED = _("Give the client secret the provider gave you.")
ISSUER_NEEDED = _("Give the provider's issuer address.")
TENANT_NEEDED = _("Give the district's tenant (directory) id or domain: only its accounts may sign in.")


def policy() -> SignInPolicy:
    """The district's sign-in rules (defaults, unsaved, until an administrator saves them)."""
    return SignInPolicy.objects.filter(pk=THE_POLICY_PK).first() or SignInPolicy(pk=THE_POLICY_PK)


def clean_domains(text: str) -> list[str]:
    """The domains in what an administrator typed (one a line or comma-separated); ValueError names a bad one."""
    domains: list[str] = []
    for raw in text.replace(",", "\n").splitlines():
        domain = raw.strip().lower().lstrip("@")
        if not domain:
            continue
        labels = domain.split(".")
        if len(labels) < 2 or not all(label and all(c.isalnum() or c == "-" for c in label) for label in labels):
            raise ValueError(DOMAIN_NOT_VALID % {"domain": raw.strip()})
        if domain not in domains:
            domains.append(domain)
    return domains


def save_policy(*, allowed_domains: list[str], create_accounts: bool, sso_only: bool,
                require_two_factor: bool) -> SignInPolicy:
    saved, _created = SignInPolicy.objects.update_or_create(pk=THE_POLICY_PK, defaults={
        "allowed_domains": "\n".join(allowed_domains), "create_accounts": create_accounts, "sso_only": sso_only,
        "require_two_factor": require_two_factor})
    return saved


def domain_of(email: str) -> str:
    return email.rpartition("@")[2].strip().lower() if "@" in (email or "") else ""


def is_allowed_address(email: str, *, rules: SignInPolicy | None = None) -> bool:
    domain = domain_of(email)
    return bool(domain) and domain in (rules or policy()).domains


def password_refused_for(*, username: str) -> str | None:
    """The domain whose passwords the district turned off, when `username` (or its account's e-mail) is at it."""
    rules = policy()
    if not rules.sso_only or not rules.domains:
        return None
    User = get_user_model()
    addresses = [username]
    account = User.objects.filter(**{f"{User.USERNAME_FIELD}__iexact": username}).first()
    if account is not None:
        addresses.append(account.email)
    for address in addresses:
        if is_allowed_address(address, rules=rules):
            return domain_of(address)
    return None


@dataclass(frozen=True)
class Decision:
    """What happens to one sign-in with the school's account: into `user`, a new account, or refused."""

    user: object | None = None
    create: bool = False
    refusal: str = ""  # the message the person reads
    reason: str = ""  # the audit log's word for it

    @property
    def refused(self) -> bool:
        return bool(self.refusal)


def decide(*, email: str, verified: bool, linked_user=None) -> Decision:
    """Apply the district's rules to an address an identity provider vouched for (or did not)."""
    rules = policy()
    email = (email or "").strip()
    if not email:
        return Decision(refusal=str(NO_EMAIL), reason="no e-mail")
    if not is_allowed_address(email, rules=rules):
        return Decision(refusal=str(WRONG_DOMAIN % {"domain": domain_of(email)}), reason="domain not allowed")
    if not verified:
        return Decision(refusal=str(UNVERIFIED % {"email": email}), reason="e-mail not verified")
    user = linked_user
    if user is None:
        matches = list(get_user_model().objects.filter(email__iexact=email)[:2])
        if len(matches) > 1:
            return Decision(refusal=str(SHARED_ADDRESS % {"email": email}), reason="e-mail shared by accounts")
        user = matches[0] if matches else None
    if user is not None and not user.is_active:
        return Decision(refusal=str(DEACTIVATED), reason="account deactivated")
    if user is None and not rules.create_accounts:
        return Decision(refusal=str(NO_ACCOUNT % {"email": email}), reason="no account")
    return Decision(user=user, create=user is None)


def audit_sign_in_event(*, event: str, request=None, user=None, provider: str = "", email: str = "",
                        reason: str = ""):
    """One entry of the log: `event` is "signed in", "linked", "refused", "signed out" or "failed"."""
    detail = {"event": event, "method": "single sign-on"}
    if provider:
        detail["provider"] = provider
    if email:
        detail["email"] = email
    if reason:
        detail["reason"] = reason
    actor = user if user is not None and getattr(user, "pk", None) else None
    return record(action=AuditAction.SIGN_IN, request=request, actor=actor, obj=actor, detail=detail)


# --- Providers ---------------------------------------------------------------------------------------------


def save_provider(*, kind: str, slug: str, name: str, client_id: str, secret: str = "", tenant: str = "",
                  server_url: str = "", enabled: bool = True, provider: SignInProvider | None = None) -> SignInProvider:
    """Add or change a provider. An empty `secret` keeps the one saved before; ValueError for a missing one."""
    provider = provider or SignInProvider(kind=kind)
    if kind in (ProviderKind.GOOGLE, ProviderKind.MICROSOFT):
        slug = kind
    if SignInProvider.objects.filter(slug=slug).exclude(pk=provider.pk).exists():
        raise ValueError(SLUG_TAKEN)
    if not secret and not provider.has_secret:
        raise ValueError(SECRET_NEEDED)
    if kind == ProviderKind.OPENID_CONNECT and not server_url:
        raise ValueError(ISSUER_NEEDED)
    if kind == ProviderKind.MICROSOFT and tenant.strip().lower() in MICROSOFT_SHARED_TENANTS:
        raise ValueError(TENANT_NEEDED)
    provider.kind, provider.slug, provider.name = kind, slug, name.strip()
    provider.client_id, provider.enabled = client_id.strip(), enabled
    provider.tenant = tenant.strip() if kind == ProviderKind.MICROSOFT else ""
    provider.server_url = server_url.strip().rstrip("/") if kind == ProviderKind.OPENID_CONNECT else ""
    if secret:
        provider.secret_encrypted = encrypt(secret.strip())
    provider.save()
    return provider


def social_app_for(provider: SignInProvider):
    """The allauth SocialApp (never saved: allauth's own table stays empty) that a provider row stands for."""
    from allauth.socialaccount.models import SocialApp

    app = SocialApp(provider=provider.kind, name=provider.name, client_id=provider.client_id,
                    secret=decrypt(provider.secret_encrypted))
    if provider.kind == ProviderKind.OPENID_CONNECT:
        app.provider_id = provider.slug
        app.settings = {"server_url": provider.server_url, "oauth_pkce_enabled": True}
    elif provider.kind == ProviderKind.MICROSOFT:
        app.settings = {"tenant": provider.tenant}
    return app


def district_apps(*, provider: str | None = None, client_id: str | None = None) -> list:
    apps = []
    for row in SignInProvider.objects.filter(enabled=True):
        if provider and provider not in (row.kind, row.slug):
            continue
        if client_id and row.client_id != client_id:
            continue
        apps.append(social_app_for(row))
    return apps


def redirect_uri(*, base_url: str, kind: str, slug: str) -> str:
    """The address to register with the provider ("Authorized redirect URI")."""
    base = base_url.rstrip("/")
    if kind == ProviderKind.OPENID_CONNECT:
        return f"{base}/accounts/sso/oidc/{slug}/login/callback/"
    return f"{base}/accounts/sso/{kind}/login/callback/"


# Where each kind of provider signs people in: the sign-in page's forms may lead there (CSP form-action).
AUTHORIZATION_ORIGINS = {ProviderKind.GOOGLE: "https://accounts.google.com",
                         ProviderKind.MICROSOFT: "https://login.microsoftonline.com"}


def _origin(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""


def sign_in_buttons(request) -> list[dict]:
    """The providers the sign-in page offers: a label, the address its form posts to, and the origin the
    browser is sent on to (the page's Content-Security-Policy lets its forms lead there and nowhere else)."""
    from allauth.socialaccount.adapter import get_adapter

    buttons = []
    for provider in get_adapter().list_providers(request):
        app = provider.app
        label = (app.name if app is not None and app.name else provider.name)
        origin = AUTHORIZATION_ORIGINS.get(provider.id) or _origin((app.settings or {}).get("server_url", "") if app
                                                                   else "")
        buttons.append({"name": label, "url": provider.get_login_url(request, process="login"), "origin": origin})
    return buttons
