"""The pages of signing in: the district's sign-in settings, two-factor set-up and the sign-in's second step."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from audit.log import record
from audit.models import AuditAction
from district import sso, two_factor
from district.models import ProviderKind, SignInProvider
from district.sign_in_forms import CodeForm, SetupCodeForm, SignInPolicyForm, SignInProviderForm
from participants.roles import MANAGE_ACCOUNTS


def _provider_rows(request: HttpRequest) -> list[dict]:
    base = request.build_absolute_uri("/")
    return [{"provider": row, "redirect_uri": sso.redirect_uri(base_url=base, kind=row.kind, slug=row.slug)}
            for row in SignInProvider.objects.all()]


def _save_provider_from(form: SignInProviderForm, *, provider: SignInProvider | None) -> SignInProvider | None:
    data = form.cleaned_data
    try:
        return sso.save_provider(provider=provider, kind=data["kind"], slug=data.get("slug") or "", name=data["name"],
                                 client_id=data["client_id"], secret=data.get("secret") or "",
                                 tenant=data.get("tenant") or "", server_url=data.get("server_url") or "",
                                 enabled=data.get("enabled", False))
    except ValueError as problem:
        field = {sso.SLUG_TAKEN: "slug", sso.SECRET_NEEDED: "secret", sso.ISSUER_NEEDED: "server_url",
                 sso.TENANT_NEEDED: "tenant"}.get(problem.args[0], None)
        form.add_error(field, str(problem.args[0]))
        return None


def _audit_provider(request, provider: SignInProvider, *, change: str, secret_changed: bool) -> None:
    # The client id is public (it is in every sign-in address); the secret never goes to the log.
    record(action=AuditAction.CHANGE_DISTRICT, request=request, obj=provider, detail={
        "sign_in_provider": change, "kind": provider.kind, "short_name": provider.slug,
        "client_id": provider.client_id, "secret": "changed" if secret_changed else "kept",
        "shown": provider.enabled})


@login_required
@permission_required(MANAGE_ACCOUNTS, raise_exception=True)
@require_http_methods(["GET", "POST"])
def sign_in_settings(request: HttpRequest) -> HttpResponse:
    rules = sso.policy()
    which = request.POST.get("form") if request.method == "POST" else None
    policy_form = SignInPolicyForm(request.POST if which == "policy" else None, initial={
        "allowed_domains": "\n".join(rules.domains), "create_accounts": rules.create_accounts,
        "sso_only": rules.sso_only, "require_two_factor": rules.require_two_factor})
    provider_form = SignInProviderForm(request.POST if which == "provider" else None, prefix="new")
    if which == "policy" and policy_form.is_valid():
        saved = sso.save_policy(**policy_form.cleaned_data)
        record(action=AuditAction.CHANGE_DISTRICT, request=request, obj=saved, detail={
            "sign_in": "rules saved", "allowed_domains": saved.domains, "create_accounts": saved.create_accounts,
            "sso_only": saved.sso_only, "require_two_factor": saved.require_two_factor})
        messages.success(request, _("The sign-in rules are saved."))
        return redirect("district_sign_in")
    if which == "provider" and provider_form.is_valid():
        provider = _save_provider_from(provider_form, provider=None)
        if provider is not None:
            _audit_provider(request, provider, change="added", secret_changed=True)
            messages.success(request, _("%(name)s is added. Register the redirect address below with the provider.")
                             % {"name": provider.name})
            return redirect("district_sign_in")
    return render(request, "district/sign_in.html", {
        "policy_form": policy_form, "provider_form": provider_form, "providers": _provider_rows(request),
        "environment_providers": _environment_providers(request), "active": "sign_in"})


def _environment_providers(request) -> list[dict]:
    from allauth.socialaccount.adapter import _build_apps_from_settings

    base = request.build_absolute_uri("/")
    rows = []
    for kind, apps in _build_apps_from_settings().items():
        for app in apps:
            rows.append({"name": app.name or kind, "kind": ProviderKind(kind).label if kind in ProviderKind.values
                         else kind, "redirect_uri": sso.redirect_uri(base_url=base, kind=kind,
                                                                     slug=app.provider_id or kind)})
    return rows


@login_required
@permission_required(MANAGE_ACCOUNTS, raise_exception=True)
@require_http_methods(["GET", "POST"])
def sign_in_provider(request: HttpRequest, pk: int) -> HttpResponse:
    provider = get_object_or_404(SignInProvider, pk=pk)
    form = SignInProviderForm(request.POST or None, provider=provider, initial={
        "kind": provider.kind, "name": provider.name, "slug": provider.slug, "client_id": provider.client_id,
        "tenant": provider.tenant, "server_url": provider.server_url, "enabled": provider.enabled})
    if request.method == "POST" and form.is_valid():
        secret_changed = bool(form.cleaned_data.get("secret"))
        if _save_provider_from(form, provider=provider) is not None:
            _audit_provider(request, provider, change="changed", secret_changed=secret_changed)
            messages.success(request, _("%(name)s is saved.") % {"name": provider.name})
            return redirect("district_sign_in")
    return render(request, "district/sign_in_provider.html", {
        "form": form, "provider": provider, "active": "sign_in",
        "redirect_uri": sso.redirect_uri(base_url=request.build_absolute_uri("/"), kind=provider.kind,
                                         slug=provider.slug)})


@login_required
@permission_required(MANAGE_ACCOUNTS, raise_exception=True)
@require_POST
def account_two_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(get_user_model(), pk=pk)
    two_factor.reset(user=person, request=request)
    messages.success(request, _("%(name)s's two-factor sign-in is reset: they set it up again when they next sign "
                                "in.") % {"name": person.get_username()})
    return redirect("district_accounts")


# --- Two-factor sign-in ------------------------------------------------------------------------------------


def _show_codes(request, codes: list[str]) -> HttpResponse:
    response = render(request, "registration/two_factor_codes.html", {"codes": codes})
    response["Cache-Control"] = "no-store"  # shown once: not kept by the browser either
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    action = request.POST.get("action") if request.method == "POST" else None
    form = SetupCodeForm(request.POST or None)
    if two_factor.has_two_factor(user):
        if action in ("new_codes", "turn_off") and form.is_valid():
            if two_factor.check_code(user=user, code=form.cleaned_data["code"]) is None:
                form.add_error("code", str(two_factor.WRONG_CODE))
            elif action == "new_codes":
                record(action=AuditAction.TWO_FACTOR, request=request, obj=user, detail={"two_factor": "new codes"})
                return _show_codes(request, two_factor.make_recovery_codes(user=user))
            elif not two_factor.may_turn_off(user=user):
                form.add_error(None, str(two_factor.REQUIRED_FOR_YOU))
            else:
                two_factor.turn_off(user=user)
                record(action=AuditAction.TWO_FACTOR, request=request, obj=user, detail={"two_factor": "turned off"})
                messages.success(request, _("Two-factor sign-in is off."))
                return redirect("two_factor_setup")
        return render(request, "registration/two_factor_setup.html", {
            "enabled": True, "form": form, "unused": two_factor.unused_recovery_codes(user),
            "may_turn_off": two_factor.may_turn_off(user=user)})
    key = two_factor.setup_key(request.session)
    if action == "turn_on" and form.is_valid():
        try:
            codes = two_factor.turn_on(user=user, key=key, code=form.cleaned_data["code"])
        except two_factor.TwoFactorRefused as refusal:
            form.add_error("code", str(refusal))
        else:
            request.session.pop(two_factor.SETUP_SECRET_KEY, None)
            record(action=AuditAction.TWO_FACTOR, request=request, obj=user, detail={"two_factor": "turned on"})
            return _show_codes(request, codes)
    if request.method == "GET" and two_factor.must_set_up(user=user, session=request.session):
        messages.info(request, two_factor.SET_IT_UP)
    return render(request, "registration/two_factor_setup.html", {
        "enabled": False, "form": form, "key": key, "qr_svg": two_factor.setup_qr_svg(user=user, key=key),
        "school_account": not user.has_usable_password()})


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_sign_in(request: HttpRequest) -> HttpResponse:
    if two_factor.pending_user(request.session) is None:
        if request.session.pop(two_factor.PENDING_KEY, None) is not None:
            messages.error(request, two_factor.PENDING_EXPIRED)
        return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user, outcome = two_factor.finish_pending(request=request, code=form.cleaned_data["code"])
        if user is not None:
            allowed = url_has_allowed_host_and_scheme(outcome, allowed_hosts={request.get_host()},
                                                      require_https=request.is_secure())
            return redirect(outcome if outcome and allowed else settings.LOGIN_REDIRECT_URL)
        if two_factor.pending_user(request.session) is None:
            messages.error(request, outcome)
            return redirect("login")
        form = CodeForm()  # the code is not kept: a wrong one is no use, and it was a secret
        form.fields["code"].widget.attrs["aria-invalid"] = "true"
        messages.error(request, outcome)
    return render(request, "registration/two_factor_sign_in.html", {"form": form})
