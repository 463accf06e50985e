"""A lead signs in, finds the program, reads the checklist, and adds a facilitator."""

from __future__ import annotations

import pytest

from programs.models import Membership, Role
from tests.conftest import PROJECT_DIR
from tests.factories import TEST_PASSWORD, MembershipFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.browser
SCREENSHOTS = PROJECT_DIR / "test-artifacts" / "screenshots"


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def test_lead_signs_in_reads_the_checklist_and_adds_a_facilitator(page, transactional_db):
    lead = UserFactory(username="lead-browser", first_name="Ana", last_name="Morales")
    program = ProgramFactory(name="Belonging in 9th grade", slug="belonging-9")
    MembershipFactory(program=program, user=lead, role=Role.LEAD)
    UserFactory(username="jordan", email="jordan@district.org")

    page.goto("/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Username").fill("lead-browser")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Belonging in 9th grade").click()
    page.wait_for_url("**/programs/belonging-9/")
    assert page.get_by_text("0 of 9 done").is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "dashboard.png"), full_page=True)

    page.get_by_role("link", name="Go to facilitators").click()
    page.get_by_label("Username or e-mail").fill("jordan@district.org")
    page.get_by_label("Role", exact=False).and_(page.locator("#id_role")).select_option("facilitator")
    page.get_by_role("button", name="Add to team").click()
    assert page.get_by_text("jordan joined the team as Facilitator.").is_visible()
    page.screenshot(path=str(SCREENSHOTS / "team.png"), full_page=True)
    assert Membership.objects.get(program=program, user__username="jordan").role == Role.FACILITATOR

    page.get_by_role("link", name="Dashboard").click()
    assert page.get_by_text("1 of 9 done").is_visible()


def test_the_layout_has_landmarks_and_a_skip_link(page, transactional_db):
    # A page without an autofocused field, so the first Tab starts at the top.
    page.goto("/accounts/password_reset/done/")
    assert page.locator("main#main").count() == 1
    assert page.locator("header nav[aria-label='Main']").count() == 1
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    assert page.locator("a.skip-link").is_visible()
