"""The main pages work under the Content Security Policy: the browser blocks nothing they need."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_the_main_pages_break_no_rule_of_the_policy(browser, live_server, coded, transactional_db):
    slug = coded.team.program.slug
    pages = [reverse("home"), reverse("program_dashboard", kwargs={"slug": slug})] + [
        reverse(name, kwargs={"slug": slug}) for name in
        ("program_students", "protocol", "session_list", "workbench", "themes", "ideas", "actions", "report_list",
         "program_team")] + [reverse("session_detail", kwargs={"slug": slug, "pk": coded.session.pk})]
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    violations = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(coded.team.lead.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")
    header = page.request.get(live_server.url + pages[1]).headers.get("content-security-policy", "")
    assert "script-src 'self'" in header and "unsafe-eval" not in header
    for path in pages:
        response = page.goto(path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
    assert violations == []
    context.close()
