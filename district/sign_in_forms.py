"""Forms of the sign-in settings (district/sso.py) and of two-factor sign-in (district/two_factor.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from district import sso
from district.models import ProviderKind, SignInProvider

CODE_NEEDED = _("Type the code.")


class SignInPolicyForm(forms.Form):
    allowed_domains = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), label=_("Allowed e-mail domains"),
        help_text=_("One per line, such as lincoln.k12.us. Only verified addresses at these domains may sign in "
                    "with the school's account."))
    create_accounts = forms.BooleanField(
        required=False, label=_("Make an account for a new person from these domains"),
        help_text=_("Their account has no program until a lead adds them. Off: only people who already have an "
                    "account here may sign in."))
    sso_only = forms.BooleanField(
        required=False, label=_("The school's account is the only way in for these domains"),
        help_text=_("Passwords are refused for accounts at the allowed domains. Outside facilitators with other "
                    "addresses keep their passwords."))
    require_two_factor = forms.BooleanField(
        required=False, label=_("Require two-factor sign-in for anyone who can see students' names"),
        help_text=_("Leads, facilitators and people with a district role who sign in with a password must use an "
                    "authenticator app."))

    def clean_allowed_domains(self) -> list[str]:
        try:
            return sso.clean_domains(self.cleaned_data.get("allowed_domains", ""))
        except ValueError as problem:
            raise forms.ValidationError(str(problem)) from None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sso_only") and not cleaned.get("allowed_domains") and "allowed_domains" not in self.errors:
            self.add_error("allowed_domains", _("List the domains whose passwords are turned off."))
        return cleaned


class SignInProviderForm(forms.Form):
    kind = forms.ChoiceField(choices=ProviderKind.choices, label=_("Kind"))
    name = forms.CharField(max_length=80, label=_("Button label"),
                           help_text=_("The sign-in button reads “Sign in with” and this, such as Clever."))
    slug = forms.SlugField(max_length=40, required=False, label=_("Short name"),
                           help_text=_("OpenID Connect only: part of the redirect address, such as clever."))
    client_id = forms.CharField(max_length=300, label=_("Client id"))
    secret = forms.CharField(
        required=False, strip=True, label=_("Client secret"),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Kept encrypted and never shown again. When changing a provider, leave it empty to keep the "
                    "saved one."))
    tenant = forms.CharField(max_length=100, required=False, label=_("Tenant"),
                             help_text=_("Microsoft only: the district's directory (tenant) id or domain."))
    server_url = forms.URLField(max_length=300, required=False, assume_scheme="https", label=_("Issuer address"),
                                help_text=_("OpenID Connect only, such as https://clever.com/oauth."))
    enabled = forms.BooleanField(required=False, initial=True, label=_("Show it on the sign-in page"))

    def __init__(self, *args, provider: SignInProvider | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.provider = provider

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == ProviderKind.OPENID_CONNECT and not cleaned.get("slug") and "slug" not in self.errors:
            self.add_error("slug", _("Choose a short name for the redirect address, such as clever."))
        return cleaned


class CodeForm(forms.Form):
    code = forms.CharField(max_length=20, label=_("Code"), error_messages={"required": CODE_NEEDED},
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text",
                                                         "autofocus": True}),
                           help_text=_("The six digits your authenticator app shows, or one of your recovery codes."))


class SetupCodeForm(forms.Form):
    code = forms.CharField(max_length=20, label=_("Code from the app"), error_messages={"required": CODE_NEEDED},
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))
