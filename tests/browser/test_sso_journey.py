"""Signing in with the school's account, in Chromium, against a real OpenID Connect provider that the test
server itself runs on 127.0.0.1 (django-oauth-toolkit, tests/oidc_provider.py): no response is mocked.

The app and the provider are reached by two names of 127.0.0.1 (localhost and the address itself), so their
cookies stay apart as on two machines."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from audit.models import AuditAction, AuditEvent
from district import sso
from district.models import ProviderKind
from participants.roles import DISTRICT_ADMINISTRATOR, grant_district_role
from programs.models import Membership, Role
from tests.browser.accessibility import axe_violations, describe
from tests.browser.helpers import signed_in
from tests.factories import TEST_PASSWORD, MembershipFactory, ProgramFactory, UserFactory
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, PROVIDER_SLUG, make_provider_application, provider_person

pytestmark = pytest.mark.browser
DOMAIN = "lincoln.k12.us"
BUTTON = "Sign in with Lincoln Unified"


@pytest.fixture
def district_provider(live_server, transactional_db):
    sso.save_policy(allowed_domains=[DOMAIN], create_accounts=False, sso_only=False, require_two_factor=False)
    make_provider_application(app_base_url=live_server.url)
    issuer = provider_base(live_server) + "/o"
    return sso.save_provider(kind=ProviderKind.OPENID_CONNECT, slug=PROVIDER_SLUG, name="Lincoln Unified",
                             client_id=CLIENT_ID, secret=CLIENT_SECRET, server_url=issuer)


def provider_base(live_server) -> str:
    """The test server under its other name: the provider's own address, with its own cookies."""
    if "//localhost:" in live_server.url:
        return live_server.url.replace("//localhost:", "//127.0.0.1:")
    return live_server.url.replace("//127.0.0.1:", "//localhost:")


def signed_in_at_provider(context, live_server, provider_username: str) -> None:
    """The person is already signed in at their identity provider (as staff are at Google or Clever): its
    session cookie, for the provider's address only."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    person = get_user_model().objects.get(username=provider_username)
    session = SessionStore()
    session[SESSION_KEY] = str(person.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = person.get_session_auth_hash()
    session.create()
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key,
                          "url": provider_base(live_server)}])


def sign_in_at_provider(browser, live_server, provider_username: str):
    """A fresh browser signed in at the provider: the app's sign-in page and its school-account button, then
    the provider's authorization and the app's callback (real HTTP between them, the token exchange included)."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    signed_in_at_provider(context, live_server, provider_username)
    page = context.new_page()
    page.goto("/accounts/login/")
    with page.expect_navigation(url=f"{live_server.url}/**"):
        page.get_by_role("button", name=BUTTON).click()
    page.wait_for_load_state()
    return context, page


def test_a_staff_member_signs_in_with_the_school_account_and_lands_on_their_programs(
        browser, live_server, district_provider):
    ana = UserFactory(username="amorales", email=f"ana.morales@{DOMAIN}", first_name="Ana", last_name="Morales")
    program = ProgramFactory(name="Belonging in 9th grade", slug="belonging-9")
    MembershipFactory(program=program, user=ana, role=Role.LEAD)
    provider_person("idp-ana", email=f"Ana.Morales@{DOMAIN}")

    context, page = sign_in_at_provider(browser, live_server, "idp-ana")
    assert page.url == f"{live_server.url}/"
    expect(page.get_by_role("link", name="Belonging in 9th grade")).to_be_visible()
    expect(page.get_by_role("link", name="Ana Morales")).to_be_visible()  # signed in as herself, not the provider's account
    events = [event.detail["event"] for event in
              AuditEvent.objects.filter(action=AuditAction.SIGN_IN, actor=ana).order_by("created_at", "id")]
    assert events == ["linked", "signed in"]

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN, actor=ana, detail__event="signed out").exists()
    assert not any(CLIENT_SECRET in str(event.detail) for event in AuditEvent.objects.all())
    context.close()


@pytest.mark.parametrize(("who", "claims", "account", "message"), [
    ("idp-ben", {"email": "ben@gmail.com"}, None, "Addresses at gmail.com cannot sign in here."),
    ("idp-cy", {"email": f"cy@{DOMAIN}", "verified": False}, {"username": "cy", "is_active": True},
     f"Your school account has not verified the address cy@{DOMAIN}"),
    ("idp-dee", {"email": f"dee@{DOMAIN}"}, {"username": "dee", "is_active": False},
     "This account is deactivated, so it cannot sign in."),
], ids=["wrong domain", "unverified e-mail", "deactivated account"])
def test_refused_sign_ins_say_why_and_sign_nobody_in(browser, live_server, district_provider, who, claims, account,
                                                     message):
    if account:
        UserFactory(username=account["username"], email=claims["email"], is_active=account["is_active"])
    provider_person(who, email=claims["email"], verified=claims.get("verified", True))

    context, page = sign_in_at_provider(browser, live_server, who)
    page.wait_for_url("**/accounts/login/")
    expect(page.get_by_role("alert").filter(has_text=message)).to_be_visible()
    page.goto("/")
    page.wait_for_url("**/accounts/login/?next=/")  # nobody is signed in
    refusal = AuditEvent.objects.get(action=AuditAction.SIGN_IN, detail__event="refused")
    assert refusal.detail["email"] == claims["email"]
    context.close()


def test_a_new_person_from_an_allowed_domain_gets_an_account_with_no_program(browser, live_server, district_provider):
    sso.save_policy(allowed_domains=[DOMAIN], create_accounts=True, sso_only=False, require_two_factor=False)
    provider_person("idp-eva", email=f"eva@{DOMAIN}", name="Eva Ruiz")

    context, page = sign_in_at_provider(browser, live_server, "idp-eva")
    assert page.url == f"{live_server.url}/"
    expect(page.get_by_role("link", name="Eva Ruiz")).to_be_visible()
    from django.contrib.auth import get_user_model

    eva = get_user_model().objects.get(email=f"eva@{DOMAIN}")
    assert not eva.has_usable_password() and not Membership.objects.filter(user=eva).exists()
    assert eva.staff_member.full_name == "Eva Ruiz"
    context.close()


def test_with_school_accounts_only_the_password_is_refused_and_outside_facilitators_keep_theirs(
        browser, live_server, district_provider):
    sso.save_policy(allowed_domains=[DOMAIN], create_accounts=False, sso_only=True, require_two_factor=False)
    UserFactory(username="amorales", email=f"ana.morales@{DOMAIN}")
    UserFactory(username="outside", email="sam@partner-nonprofit.org")
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("amorales")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_text(f"Sign in with your school account: the district turned passwords off for addresses "
                            f"at {DOMAIN}.")).to_be_visible()
    expect(page.get_by_label("Username")).to_have_value("amorales")
    expect(page.get_by_role("button", name=BUTTON)).to_be_visible()

    page.get_by_label("Username").fill("outside")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"{live_server.url}/")
    context.close()


def test_the_district_administrator_sees_the_providers_and_their_redirect_addresses(browser, live_server,
                                                                                      district_provider):
    administrator = UserFactory(username="district-admin", email="it@elsewhere.org")
    grant_district_role(administrator, DISTRICT_ADMINISTRATOR)
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto("/accounts/login/")
    assert axe_violations(page) == [], describe(axe_violations(page))  # with its school-account button
    context.close()
    context, page = signed_in(browser, live_server, "district-admin")
    page.get_by_role("link", name="District set-up").click()
    page.get_by_role("link", name="Sign-in").click()
    expect(page.get_by_text(f"{live_server.url}/accounts/sso/oidc/{PROVIDER_SLUG}/login/callback/")).to_be_visible()
    expect(page.get_by_label("Allowed e-mail domains")).to_have_value(DOMAIN)
    assert axe_violations(page) == [], describe(axe_violations(page))
    page.get_by_role("link", name="Change Lincoln Unified").click()
    expect(page.get_by_label("Client secret")).to_have_value("")  # written once, never shown
    assert CLIENT_SECRET not in page.content()
    context.close()
