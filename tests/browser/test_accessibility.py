"""axe-core on the main pages, signed in as the demo's lead with the demo's data: no critical or
serious violation. The checker is shown to work on a page that is built to fail it."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from empathy.demo import DEMO_PASSWORD, DEMO_PROGRAM_SLUG
from interviews.models import Session, SessionStatus
from participants.models import Student
from tests.browser.accessibility import axe_violations, describe

pytestmark = pytest.mark.browser
P = f"/programs/{DEMO_PROGRAM_SLUG}"


@pytest.fixture
def demo_lead_page(browser, live_server, transactional_db):
    call_command("seed_demo", "--i-know-this-is-not-production")
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    for public in ("/f/", "/accounts/password_reset/", "/accounts/login/"):  # students' follow-up entry, signed out
        page.goto(public)
        assert axe_violations(page) == [], (public, describe(axe_violations(page)))
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    yield page
    context.close()


def test_the_main_pages_have_no_serious_accessibility_violation(demo_lead_page):
    page = demo_lead_page
    session = Session.objects.filter(program__slug=DEMO_PROGRAM_SLUG, status=SessionStatus.COMPLETED).first()
    student = Student.objects.filter(invitations__program__slug=DEMO_PROGRAM_SLUG).first()
    pages = ["/", f"{P}/", "/roster/", f"{P}/students/", f"{P}/protocol/", f"{P}/sessions/",
             f"{P}/sessions/{session.pk}/run/", f"{P}/analysis/workbench/", f"{P}/analysis/themes/",
             f"{P}/analysis/patterns/", f"{P}/analysis/actions/", f"{P}/reports/", f"{P}/audit/",
             f"/roster/students/{student.pk}/"]
    found = {}
    for path in pages:
        response = page.goto(path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        violations = axe_violations(page)
        if violations:
            found[path] = describe(violations)
    assert found == {}, "\n".join(f"{path}\n{text}" for path, text in found.items())


def test_the_checker_finds_what_it_should(browser, live_server, transactional_db):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto("/accounts/login/")
    # Break the page on purpose: an image without text and a field without a label.
    page.evaluate("""() => {
        const img = document.createElement('img'); img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw='; document.body.append(img);
        const input = document.createElement('input'); document.querySelector('main').append(input); }""")
    ids = {v["id"] for v in axe_violations(page)}
    assert {"image-alt", "label"} <= ids
    context.close()
