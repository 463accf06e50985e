"""The navigation never shows a role a page it cannot open: signed in as each role, every link the
program bar, the analysis and action-plan tabs and the dashboard checklist show opens (no 403 or
404), and the pages each role is shown are exactly the ones the table lets it open."""

from __future__ import annotations

import re

import pytest

from programs.models import Role
from programs.pages import PAGES, PROGRAM_TABS, may_open
from tests.empathy.test_url_walk_roles import _one_of_everything
from tests.test_helpers import login

LINK = re.compile(r'href="(/programs/[^"#?]+)"')


def _links(html: str, slug: str) -> set[str]:
    return {href for href in LINK.findall(html) if href.startswith(f"/programs/{slug}/")}


@pytest.fixture
def world(db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return _one_of_everything("navigated")


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_every_link_the_navigation_and_dashboard_show_opens(client, world, role):
    login(client, world.people[role])
    slug = world.program.slug
    start_pages = [f"/programs/{slug}/", f"/programs/{slug}/analysis/themes/", f"/programs/{slug}/analysis/actions/"]
    seen: set[str] = set()
    for start in start_pages:
        response = client.get(start)
        if response.status_code == 403:
            continue  # a page this role may not open shows no navigation to follow
        assert response.status_code == 200, (role, start)
        seen |= _links(response.content.decode(), slug)
    assert seen, role
    for href in sorted(seen):
        if href.endswith((".csv", ".xlsx", ".qdc", ".pdf", ".ics")):
            continue  # downloads are walked by the URL walk; the bar links pages
        status = client.get(href).status_code
        assert status not in (403, 404), (role, href, status)


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_the_program_bar_shows_exactly_the_tabs_the_role_may_open(client, world, role):
    login(client, world.people[role])
    html = client.get(f"/programs/{world.program.slug}/").content.decode()
    bar = html.split('aria-label="Program"', 1)[1].split("</nav>", 1)[0]
    for tab in PROGRAM_TABS:
        shown = any(may_open(role, page) for page in tab.pages)
        assert (f">{tab.label}</a>" in bar) == shown, (role, tab.label)


def test_an_analyst_is_not_shown_reports_and_a_facilitator_is_not_shown_analysis(client, world):
    login(client, world.people[Role.ANALYST])
    bar = client.get(f"/programs/{world.program.slug}/").content.decode().split('aria-label="Program"', 1)[1]
    assert ">Reports</a>" not in bar.split("</nav>", 1)[0]
    login(client, world.people[Role.FACILITATOR])
    bar = client.get(f"/programs/{world.program.slug}/").content.decode().split('aria-label="Program"', 1)[1]
    assert ">Analysis</a>" not in bar.split("</nav>", 1)[0]


def test_pages_with_student_names_are_never_open_to_analysts_or_viewers():
    # Names of students are shown on the recruitment pages and in the runner; the privacy rules
    # give them to leads and to a facilitator for their own sessions only.
    with_names = ["program_facilitators", "program_students", "invitation_change", "consent_import", "runner",
                  "notes_review", "runner_notes", "followup_slips", "audit_log"]
    for page in with_names:
        assert not PAGES[page] & {Role.ANALYST, Role.VIEWER}, page
