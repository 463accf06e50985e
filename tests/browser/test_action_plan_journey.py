"""A lead turns three ideas into actions tied to themes, the owner posts an update, the dashboard
names the theme nobody answers yet, and students read "you said, we did" behind the published link."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from actions.models import ActionItem
from analysis.models import Theme
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.browser


def sign_in(context, user):
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return page


def test_from_ideas_to_actions_and_back_to_students(browser, live_server, team, transactional_db):
    program = team.program
    lunch = Theme.objects.create(program=program, name="Lunch is loud", insight="Too loud to talk.")
    Theme.objects.create(program=program, name="Adults who notice", insight="Quiet care matters.")
    lead_context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = sign_in(lead_context, team.lead)
    page.goto(f"/programs/{program.slug}/analysis/ideas/")
    titles = ["Quiet lunch room", "Staggered lunch bells", "Lunch clubs"]
    for title in titles:
        page.get_by_label("Idea", exact=True).fill(title)
        page.get_by_label("Lunch is loud").check()
        page.get_by_role("button", name="Add idea").click()
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    for title in titles:
        card = page.get_by_role("article", name=title)
        card.get_by_text("Turn into an action, or merge").click()
        card.get_by_label("Owner").select_option(label=team.facilitator.get_full_name() or team.facilitator.username)
        card.get_by_label("Due").fill("2026-12-10")
        card.get_by_role("button", name="Make action").click()
        page.goto(f"/programs/{program.slug}/analysis/ideas/")
    assert ActionItem.objects.filter(program=program, themes=lunch, owner=team.facilitator).count() == 3

    page.goto(f"/programs/{program.slug}/")
    expect(page.get_by_text("Themes with no action: Adults who notice.")).to_be_visible()

    owner_context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    owner_page = sign_in(owner_context, team.facilitator)
    item = ActionItem.objects.get(title="Quiet lunch room")
    owner_page.goto(f"/programs/{program.slug}/analysis/actions/{item.pk}/")
    owner_page.get_by_label("What happened?").fill("The library agreed to open at lunch.")
    owner_page.get_by_role("button", name="Post update").click()
    expect(owner_page.get_by_text("The library agreed to open at lunch.")).to_be_visible()
    owner_context.close()

    page.goto(f"/programs/{program.slug}/reports/")
    page.get_by_role("button", name="Publish the summary for students").click()
    link = page.locator("a[href*='/s/']:not([hreflang])")  # the page's own address, beside one per language
    expect(link).to_be_visible()
    student_context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 800})
    student_page = student_context.new_page()
    student_page.goto(link.get_attribute("href"))
    expect(student_page.get_by_role("heading", name="What the school will do")).to_be_visible()
    expect(student_page.get_by_text("Quiet lunch room")).to_be_visible()
    student_context.close()

    page.get_by_role("button", name="Take it offline").click()
    expect(page.get_by_role("button", name="Publish the summary for students")).to_be_visible()
    lead_context.close()
