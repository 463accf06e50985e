"""Two-factor sign-in in Chromium: the district requires it, so a lead who signs in with a password is sent
to set it up first; the code comes from an authenticator app the test computes; a recovery code works once."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from district import sso
from programs.models import Role
from tests.browser.accessibility import axe_violations, describe
from tests.factories import TEST_PASSWORD, MembershipFactory, ProgramFactory, UserFactory
from tests.two_factor_codes import totp

pytestmark = pytest.mark.browser


def password_step(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")


def test_a_lead_must_set_up_two_factor_then_signs_in_with_the_app_and_with_a_recovery_code_once(
        browser, live_server, transactional_db):
    sso.save_policy(allowed_domains=[], create_accounts=False, sso_only=False, require_two_factor=True)
    lead = UserFactory(username="lead-2fa", first_name="Ana", last_name="Morales")
    MembershipFactory(program=ProgramFactory(name="Belonging in 9th grade", slug="belonging-9"), user=lead,
                      role=Role.LEAD)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()

    password_step(page, "lead-2fa")
    page.wait_for_url("**/accounts/two-factor/")
    expect(page.get_by_text("The district asks everyone who can see students' names")).to_be_visible()
    page.goto("/programs/belonging-9/")  # nothing else opens until it is set up
    page.wait_for_url("**/accounts/two-factor/")
    key = page.locator("[data-setup-key]").inner_text().strip()
    assert axe_violations(page) == [], describe(axe_violations(page))
    expect(page.locator(".two-factor-qr svg")).to_be_visible()
    page.get_by_label("Code from the app").fill("000000" if totp(key) != "000000" else "111111")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_text("That code is not right.")).to_be_visible()
    page.get_by_label("Code from the app").fill(totp(key))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.locator("[data-recovery-codes] li").all_inner_texts()
    assert axe_violations(page) == [], describe(axe_violations(page))
    assert len(codes) == 10
    page.get_by_role("link", name="I have kept them").click()
    expect(page.get_by_role("link", name="Belonging in 9th grade")).to_be_visible()
    sign_out(page)

    password_step(page, "lead-2fa")  # the password alone is not enough any more
    page.wait_for_url("**/accounts/login/code/")
    page.goto("/")
    page.wait_for_url("**/accounts/login/?next=/")
    password_step(page, "lead-2fa")
    page.wait_for_url("**/accounts/login/code/")
    assert axe_violations(page) == [], describe(axe_violations(page))
    page.get_by_label("Code").fill(totp(key))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("link", name="Belonging in 9th grade")).to_be_visible()
    sign_out(page)

    password_step(page, "lead-2fa")  # a lost phone: a recovery code
    page.get_by_label("Code").fill(codes[3])
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/")
    sign_out(page)

    password_step(page, "lead-2fa")  # the same recovery code, again: spent
    page.get_by_label("Code").fill(codes[3])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("That code is not right.")).to_be_visible()
    assert page.url.endswith("/accounts/login/code/")
    context.close()
