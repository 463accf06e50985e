"""The district's sign-in rules (district/sso.py), its sign-in page, and two-factor sign-in (district/two_factor.py),
called directly and through the pages. The browser journeys against a real provider are in tests/browser/."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from district import crypto, sso, two_factor
from district.models import ProviderKind, RecoveryCode, SignInProvider
from participants.roles import DISTRICT_ADMINISTRATOR, ROSTER_MANAGER, grant_district_role
from programs.models import Role
from tests.factories import TEST_PASSWORD, MembershipFactory, UserFactory
from tests.test_helpers import login
from tests.two_factor_codes import totp

DOMAIN = "lincoln.k12.us"
SECRET = "client-secret-that-must-never-show-0123"


@pytest.fixture
def rules(db):
    return sso.save_policy(allowed_domains=[DOMAIN], create_accounts=False, sso_only=False, require_two_factor=False)


@pytest.fixture
def admin_user(db):
    user = UserFactory(username="district-admin", email="admin@elsewhere.org")
    grant_district_role(user, DISTRICT_ADMINISTRATOR)
    return user


def sign_in(client, username, password=TEST_PASSWORD, address="10.0.0.7", **extra):
    return client.post(reverse("login"), {"username": username, "password": password, **extra}, REMOTE_ADDR=address)


# --- Who gets in with the school's account -------------------------------------------------------------------


def test_a_verified_address_at_an_allowed_domain_signs_into_the_account_with_that_address(rules):
    ana = UserFactory(email=f"Ana@{DOMAIN.upper()}")
    decision = sso.decide(email=f"ana@{DOMAIN}", verified=True)
    assert decision.user == ana and not decision.refused and not decision.create


@pytest.mark.parametrize(("email", "verified", "reason", "words"), [
    ("ana@gmail.com", True, "domain not allowed", "Addresses at gmail.com cannot sign in here."),
    (f"ana@mail.{DOMAIN}", True, "domain not allowed", "cannot sign in here"),
    (f"ana@{DOMAIN}", False, "e-mail not verified", "has not verified the address"),
    ("", True, "no e-mail", "did not tell us your e-mail address"),
    (f"nobody@{DOMAIN}", True, "no account", "There is no account here for"),
])
def test_refusals_have_a_plain_message(rules, email, verified, reason, words):
    UserFactory(email=f"ana@{DOMAIN}")
    decision = sso.decide(email=email, verified=verified)
    assert decision.refused and decision.reason == reason and words in decision.refusal and decision.user is None


def test_a_deactivated_account_is_refused_even_when_already_linked(rules):
    dee = UserFactory(email=f"dee@{DOMAIN}", is_active=False)
    assert sso.decide(email=f"dee@{DOMAIN}", verified=True).reason == "account deactivated"
    assert sso.decide(email=f"dee@{DOMAIN}", verified=True, linked_user=dee).reason == "account deactivated"


def test_an_address_two_accounts_share_is_refused(rules):
    UserFactory(email=f"sam@{DOMAIN}")
    UserFactory(email=f"SAM@{DOMAIN}")
    assert sso.decide(email=f"sam@{DOMAIN}", verified=True).reason == "e-mail shared by accounts"


def test_a_new_person_gets_an_account_only_when_the_district_allows_it(rules):
    assert sso.decide(email=f"new@{DOMAIN}", verified=True).reason == "no account"
    sso.save_policy(allowed_domains=[DOMAIN], create_accounts=True, sso_only=False, require_two_factor=False)
    decision = sso.decide(email=f"new@{DOMAIN}", verified=True)
    assert decision.create and not decision.refused


def test_no_domain_listed_lets_nobody_in(db):
    UserFactory(email=f"ana@{DOMAIN}")
    assert sso.decide(email=f"ana@{DOMAIN}", verified=True).reason == "domain not allowed"


def test_domains_are_read_as_typed_and_a_wrong_one_is_named():
    assert sso.clean_domains(f"@{DOMAIN.upper()}\n\nstaff.{DOMAIN}, {DOMAIN}") == [DOMAIN, f"staff.{DOMAIN}"]
    with pytest.raises(ValueError, match="“not a domain” is not an e-mail domain"):
        sso.clean_domains("not a domain")


# --- School account only: passwords refused for the district's addresses -------------------------------------


def test_school_account_only_refuses_the_password_before_trying_it_and_keeps_outside_facilitators(client, rules):
    UserFactory(username="amorales", email=f"ana@{DOMAIN}")
    UserFactory(username="outside", email="sam@partner.org")
    sso.save_policy(allowed_domains=[DOMAIN], create_accounts=False, sso_only=True, require_two_factor=False)
    for username, password in (("amorales", TEST_PASSWORD), ("amorales", "wrong"), (f"ana@{DOMAIN}", "wrong")):
        response = sign_in(client, username, password)
        assert response.status_code == 200 and "_auth_user_id" not in client.session
        assert f"the district turned passwords off for addresses at {DOMAIN}" in response.content.decode()
        assert f'value="{username}"' in response.content.decode()  # what was typed stays
    assert sign_in(client, "outside").status_code == 302


def test_the_login_throttling_still_counts_local_passwords_with_school_accounts_on(client, rules):
    sso.save_policy(allowed_domains=[DOMAIN], create_accounts=False, sso_only=True, require_two_factor=False)
    UserFactory(username="outside", email="sam@partner.org")
    for _ in range(5):
        sign_in(client, "outside", "not-the-password")
    locked = sign_in(client, "outside")
    assert locked.status_code == 429 and "Too many sign-in attempts" in locked.content.decode()


# --- Providers: secrets written once, never shown, never logged -----------------------------------------------


def test_a_provider_secret_is_kept_encrypted_and_an_empty_one_keeps_it(db):
    provider = sso.save_provider(kind=ProviderKind.OPENID_CONNECT, slug="clever", name="Clever", client_id="abc",
                                 secret=SECRET, server_url="https://clever.com/oauth/")
    assert SECRET not in provider.secret_encrypted and crypto.decrypt(provider.secret_encrypted) == SECRET
    sso.save_provider(provider=provider, kind=ProviderKind.OPENID_CONNECT, slug="clever", name="Clever SSO",
                      client_id="abc", secret="", server_url="https://clever.com/oauth")
    provider.refresh_from_db()
    assert crypto.decrypt(provider.secret_encrypted) == SECRET and provider.name == "Clever SSO"
    app = sso.district_apps(provider="clever")[0]
    assert app.provider == "openid_connect" and app.provider_id == "clever" and app.secret == SECRET
    assert app.settings["server_url"] == "https://clever.com/oauth"


def test_microsoft_needs_the_districts_own_tenant(db):
    with pytest.raises(ValueError, match="tenant"):
        sso.save_provider(kind=ProviderKind.MICROSOFT, slug="", name="Microsoft", client_id="id", secret="s",
                          tenant="common")
    provider = sso.save_provider(kind=ProviderKind.MICROSOFT, slug="", name="Microsoft", client_id="id", secret="s",
                                 tenant="lincoln.onmicrosoft.com")
    assert provider.slug == "microsoft" and sso.social_app_for(provider).settings == {"tenant": "lincoln.onmicrosoft.com"}


def test_the_sign_in_page_adds_a_provider_whose_secret_is_never_shown_or_logged(client, admin_user):
    login(client, admin_user)
    response = client.post(reverse("district_sign_in"), {
        "form": "provider", "new-kind": "openid_connect", "new-name": "ClassLink", "new-slug": "classlink",
        "new-client_id": "client-1", "new-secret": SECRET, "new-server_url": "https://launchpad.classlink.com",
        "new-enabled": "on"})
    assert response.status_code == 302
    provider = SignInProvider.objects.get(slug="classlink")
    page = client.get(reverse("district_sign_in")).content.decode()
    assert "http://testserver/accounts/sso/oidc/classlink/login/callback/" in page and SECRET not in page
    edit = client.get(reverse("district_sign_in_provider", args=[provider.pk])).content.decode()
    assert SECRET not in edit and "A client secret is saved" in edit
    sign_in_page = client.get(reverse("login"))
    assert "Sign in with ClassLink" in sign_in_page.content.decode()
    assert "form-action 'self' https://launchpad.classlink.com" in sign_in_page["Content-Security-Policy"]
    assert not any(SECRET in str(event.detail) for event in AuditEvent.objects.all())
    assert AuditEvent.objects.get(action=AuditAction.CHANGE_DISTRICT, detail__sign_in_provider="added")


def test_the_rules_form_keeps_what_was_typed_and_names_a_wrong_domain(client, admin_user):
    login(client, admin_user)
    response = client.post(reverse("district_sign_in"), {"form": "policy", "allowed_domains": "lincoln k12",
                                                         "sso_only": "on"})
    page = response.content.decode()
    assert response.status_code == 200 and "is not an e-mail domain" in page and "lincoln k12" in page
    response = client.post(reverse("district_sign_in"), {"form": "policy", "allowed_domains": DOMAIN,
                                                         "sso_only": "on", "require_two_factor": "on"})
    assert response.status_code == 302
    assert sso.policy().domains == [DOMAIN] and sso.policy().sso_only and sso.policy().require_two_factor


@pytest.mark.parametrize("name", ["district_sign_in", "district_sign_in_provider", "district_account_two_factor_reset"])
def test_only_district_administrators_open_the_sign_in_settings(client, db, name):
    provider = sso.save_provider(kind=ProviderKind.GOOGLE, slug="", name="Google", client_id="g", secret="s")
    target = UserFactory()
    args = {"district_sign_in": [], "district_sign_in_provider": [provider.pk],
            "district_account_two_factor_reset": [target.pk]}[name]
    url = reverse(name, args=args)
    method = "post" if name == "district_account_two_factor_reset" else "get"
    assert getattr(client, method)(url).status_code == 302  # anonymous: to sign in
    for make in (lambda u: MembershipFactory(user=u, role=Role.LEAD), lambda u: grant_district_role(u, ROSTER_MANAGER)):
        person = UserFactory()
        make(person)
        login(client, person)
        assert getattr(client, method)(url).status_code == 403
    administrator = UserFactory()
    grant_district_role(administrator, DISTRICT_ADMINISTRATOR)
    login(client, administrator)
    assert getattr(client, method)(url).status_code in (200, 302)


# --- Two-factor sign-in -------------------------------------------------------------------------------------


def turn_on_for(user) -> tuple[str, list[str]]:
    key = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    return key, two_factor.turn_on(user=user, key=key, code=totp(key))


def test_turning_it_on_needs_a_right_code_and_keeps_only_hashes_of_recovery_codes(db):
    user = UserFactory()
    with pytest.raises(two_factor.TwoFactorRefused):
        two_factor.turn_on(user=user, key="JBSWY3DPEHPK3PXP", code="12345")
    key, codes = turn_on_for(user)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = " ".join(f"{row.salt} {row.code_hash}" for row in RecoveryCode.objects.filter(user=user))
    assert not any(two_factor.normalize(code) in stored or code in stored for code in codes)
    secret = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]
    assert key not in secret and crypto.decrypt(secret) == key  # the app's key is encrypted


def test_a_recovery_code_works_once_and_an_apps_code_not_twice(db):
    user = UserFactory()
    key, codes = turn_on_for(user)
    assert two_factor.check_code(user=user, code=codes[0].lower()) == "recovery code"
    assert two_factor.check_code(user=user, code=codes[0]) is None
    assert two_factor.unused_recovery_codes(user) == 9
    assert two_factor.check_code(user=user, code=totp(key)) == "app"
    assert two_factor.check_code(user=user, code=totp(key)) is None


def test_signing_in_asks_for_the_code_after_the_password(client, db):
    user = UserFactory(username="kim")
    key, _codes = turn_on_for(user)
    response = sign_in(client, "kim", shared_device="on")
    assert response.status_code == 302 and response["Location"] == reverse("two_factor_sign_in")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302  # not signed in yet
    wrong = client.post(reverse("two_factor_sign_in"), {"code": "000000" if totp(key) != "000000" else "111111"})
    assert "That code is not right." in wrong.content.decode()
    right = client.post(reverse("two_factor_sign_in"), {"code": totp(key)})
    assert right.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)
    assert client.session.get_expire_at_browser_close()  # the shared-computer choice survives the second step
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN, actor=user, detail__method="password and app").exists()


def test_five_wrong_codes_send_the_person_back_to_the_password(client, db):
    user = UserFactory(username="kim")
    turn_on_for(user)
    sign_in(client, "kim")
    for _ in range(4):
        assert client.post(reverse("two_factor_sign_in"), {"code": "ABCDE-FGHJK"}).status_code == 200
    last = client.post(reverse("two_factor_sign_in"), {"code": "ABCDE-FGHJK"})
    from axes.models import AccessAttempt

    # Counted as failed sign-ins: the fifth locks the username out like five wrong passwords.
    assert last.status_code == 429 and AccessAttempt.objects.get(username="kim").failures_since_start == 5
    assert two_factor.PENDING_KEY not in client.session
    assert client.get(reverse("two_factor_sign_in"))["Location"] == reverse("login")


def test_the_requirement_sends_a_lead_to_set_it_up_before_anything_else(client, db):
    sso.save_policy(allowed_domains=[], create_accounts=False, sso_only=False, require_two_factor=True)
    lead = UserFactory()
    membership = MembershipFactory(user=lead, role=Role.LEAD)
    analyst = UserFactory()
    MembershipFactory(user=analyst, role=Role.ANALYST, program=membership.program)
    login(client, lead)
    assert client.get(reverse("home"))["Location"] == reverse("two_factor_setup")
    assert client.get(f"/programs/{membership.program.slug}/")["Location"] == reverse("two_factor_setup")
    page = client.get(reverse("two_factor_setup")).content.decode()
    assert "The district asks everyone who can see students" in page
    key = client.session[two_factor.SETUP_SECRET_KEY]
    done = client.post(reverse("two_factor_setup"), {"action": "turn_on", "code": totp(key)})
    assert done.status_code == 200 and "no-store" in done["Cache-Control"] and "shown only this once" in done.content.decode()
    assert client.get(reverse("home")).status_code == 200
    assert not two_factor.may_turn_off(user=lead)
    client.logout()
    login(client, analyst)  # sees pseudonyms only: not asked
    assert client.get(reverse("home")).status_code == 200


def test_a_school_account_sign_in_is_not_asked_for_the_apps_code(client, db):
    sso.save_policy(allowed_domains=[DOMAIN], create_accounts=False, sso_only=False, require_two_factor=True)
    lead = UserFactory()
    MembershipFactory(user=lead, role=Role.LEAD)
    login(client, lead)
    session = client.session
    session[sso.SIGN_IN_METHOD_KEY] = sso.BY_SSO
    session.save()
    assert client.get(reverse("home")).status_code == 200


def test_an_administrator_resets_a_lost_phone_and_it_is_audited(client, admin_user):
    person = UserFactory()
    turn_on_for(person)
    login(client, admin_user)
    page = client.get(reverse("district_accounts")).content.decode()
    assert reverse("district_account_two_factor_reset", args=[person.pk]) in page
    client.post(reverse("district_account_two_factor_reset", args=[person.pk]))
    assert not two_factor.has_two_factor(person) and not RecoveryCode.objects.filter(user=person).exists()
    event = AuditEvent.objects.get(action=AuditAction.TWO_FACTOR, object_id=str(person.pk))
    assert event.detail == {"two_factor": "reset"} and event.actor == admin_user


def test_new_recovery_codes_replace_the_old_ones_and_need_a_code(client, db):
    user = UserFactory()
    key, codes = turn_on_for(user)
    login(client, user)
    refused = client.post(reverse("two_factor_setup"), {"action": "new_codes", "code": "123456"})
    assert "That code is not right." in refused.content.decode()
    fresh = client.post(reverse("two_factor_setup"), {"action": "new_codes", "code": codes[1]})
    assert fresh.status_code == 200 and "Your recovery codes" in fresh.content.decode()
    assert two_factor.check_code(user=user, code=codes[2]) is None  # the old ones stopped working
    assert get_user_model().objects.get(pk=user.pk).is_active


def test_microsoft_addresses_count_as_verified_only_from_the_districts_own_tenant(db):
    from allauth.socialaccount.models import SocialApp
    from allauth.socialaccount.providers.microsoft.provider import MicrosoftGraphProvider

    from district.sso_adapter import SocialAccountAdapter

    adapter = SocialAccountAdapter()
    own = MicrosoftGraphProvider(None, app=SocialApp(provider="microsoft", settings={"tenant": "lincoln.onmicrosoft.com"}))
    shared = MicrosoftGraphProvider(None, app=SocialApp(provider="microsoft", settings={"tenant": "organizations"}))
    assert adapter.is_email_verified(own, f"ana@{DOMAIN}")
    assert not adapter.is_email_verified(shared, f"ana@{DOMAIN}")


def test_the_sign_in_page_shows_each_configured_provider_and_lets_its_form_lead_there(client, db):
    UserFactory()  # an installation in use (a fresh one opens its first-run page)
    sso.save_provider(kind=ProviderKind.GOOGLE, slug="", name="Google", client_id="g-id", secret="s")
    sso.save_provider(kind=ProviderKind.MICROSOFT, slug="", name="Microsoft", client_id="m-id", secret="s",
                      tenant="lincoln.onmicrosoft.com")
    response = client.get(reverse("login"))
    page = response.content.decode()
    assert "Sign in with Google" in page and "Sign in with Microsoft" in page
    assert 'action="/accounts/sso/google/login/?process=login"' in page
    policy = response["Content-Security-Policy"]
    assert "https://accounts.google.com" in policy and "https://login.microsoftonline.com" in policy
    assert "form-action 'self' https://" in policy and "https://accounts.google.com" not in client.get(
        reverse("password_reset"))["Content-Security-Policy"]


def test_the_continue_page_of_a_provider_lets_its_form_lead_to_the_provider(client, db):
    sso.save_provider(kind=ProviderKind.GOOGLE, slug="", name="Google", client_id="g-id", secret="s")
    response = client.get(reverse("google_login"))
    assert response.status_code == 200 and "Sign in with Google" in response.content.decode()
    assert "https://accounts.google.com" in response["Content-Security-Policy"]


def test_the_admin_signs_in_on_the_apps_own_page_so_two_factor_applies(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/admin/"
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    turn_on_for(user)
    assert sign_in(client, "root", next="/admin/")["Location"] == reverse("two_factor_sign_in")
    assert client.get("/admin/").status_code == 302
