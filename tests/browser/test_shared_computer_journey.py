"""After a sign-in ends, this browser keeps no runner page with students' names and no sent notes:
only the writes not yet sent wait (without names) until someone signs in again. On a shared computer
the page is never stored at all. The runner's poll does not keep a session alive."""

from __future__ import annotations

import re
from importlib import import_module

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from empathy.middleware import LAST_SEEN_KEY
from interviews.models import Note, Session, SessionFormat, SessionStatus
from recruitment.models import ConsentStatus, Invitation
from tests.browser.helpers import signed_in, wait_until
from tests.factories import TEST_PASSWORD, StudentFactory, ready_protocol

pytestmark = pytest.mark.browser
NAMES = ("Ana", "Ben", "Cy")
NAME_WORDS = r"\b(" + "|".join(NAMES) + r")\b"
FORGOTTEN = """async () => (await caches.keys()).length === 0
    && (await navigator.serviceWorker.getRegistrations()).length === 0"""
STORED_KEYS = "Object.keys(localStorage).filter((key) => key.startsWith('empathy.'))"
RUNNER_PAGE_STORED = "async () => !!(await caches.match(location.pathname))"


@pytest.fixture
def focus_group(team, transactional_db):
    session = Session.objects.create(program=team.program, format=SessionFormat.FOCUS_GROUP,
                                     protocol=ready_protocol(team.program), starts_at=timezone.now(),
                                     facilitator=team.facilitator, status=SessionStatus.IN_PROGRESS)
    students = [StudentFactory(first_name=name) for name in NAMES]
    session.participants.set(students)
    for student in students:
        Invitation.objects.create(program=team.program, student=student, parent_consent=ConsentStatus.GRANTED,
                                  student_assent=ConsentStatus.GRANTED)
    return session


def eventually(page, expression: str, timeout_ms: int = 15_000) -> None:
    """Wait until an async expression is true (wait_for_function does not await promises)."""
    for _ in range(timeout_ms // 250):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"never true: {expression}")


def runner_url(session):
    return reverse("runner", kwargs={"slug": session.program.slug, "pk": session.pk})


def sign_in_on_a_shared_computer(browser, live_server, username):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_label("This is a shared computer").check()
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    return context, page


def open_runner_and_write(page, session, text):
    page.goto(runner_url(session))
    page.locator("#steps button", has_text="Question 1").click()
    page.locator("#chips button", has_text="Ana").click()
    page.locator("#composer").fill(text)
    page.get_by_role("button", name="Next note").click()


def let_the_session_go_idle(context):
    """Move the server's idle clock back past the timeout, as if nobody had touched the app."""
    key = next(cookie["value"] for cookie in context.cookies() if cookie["name"] == settings.SESSION_COOKIE_NAME)
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    store[LAST_SEEN_KEY] -= settings.SESSION_IDLE_TIMEOUT_MINUTES * 60 + 1
    store.save()


def opens_offline_without_names(context, page, session) -> bool:
    context.set_offline(True)
    try:
        page.goto(runner_url(session))
    except PlaywrightError:
        pass  # the browser's own "no connection" page: nothing of ours was kept
    text = ""
    for _ in range(20):  # the browser's error page settles after the failed navigation
        try:
            text = page.inner_text("body")
            break
        except PlaywrightError:
            page.wait_for_timeout(250)
    context.set_offline(False)
    return page.url.startswith("chrome-error:") and not re.search(NAME_WORDS, text)


def test_a_shared_computer_keeps_no_names_once_the_session_expires(browser, live_server, focus_group, team):
    context, page = sign_in_on_a_shared_computer(browser, live_server, team.facilitator.username)
    open_runner_and_write(page, focus_group, "Lunch is the best part of the day.")
    expect(page.locator("#save-status")).to_have_text("Saved")
    wait_until(page, "navigator.serviceWorker.controller !== null")
    assert not page.evaluate(RUNNER_PAGE_STORED)  # never stored on a shared computer, even while signed in
    assert page.evaluate(STORED_KEYS) == []  # nor the last known notes (runner.js keeps them elsewhere)

    let_the_session_go_idle(context)
    # The next poll is told the sign-in is over; the runner leaves for the sign-in page.
    page.wait_for_url("**/accounts/login/**", timeout=15_000)
    page.goto(runner_url(focus_group))  # reload: the sign-in page again, not a cached copy
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    eventually(page, FORGOTTEN)
    assert page.evaluate(STORED_KEYS) == []
    assert opens_offline_without_names(context, page, focus_group)
    assert Note.objects.get().text == "Lunch is the best part of the day."
    context.close()


def test_signing_out_in_another_tab_removes_the_offline_copy(browser, live_server, focus_group, team):
    context, page = signed_in(browser, live_server, team.facilitator.username)
    notes = reverse("runner_notes", kwargs={"slug": focus_group.program.slug, "pk": focus_group.pk})
    polls = []
    page.on("request", lambda request: polls.append(request.headers.get("x-background"))
            if request.method == "GET" and notes in request.url else None)
    open_runner_and_write(page, focus_group, "Lunch is the best part of the day.")
    expect(page.locator("#save-status")).to_have_text("Saved")
    wait_until(page, "navigator.serviceWorker.controller !== null")
    eventually(page, RUNNER_PAGE_STORED)  # a personal computer keeps an offline copy

    other = context.new_page()
    other.goto("/")
    other.get_by_role("button", name="Sign out").click()
    other.wait_for_url("**/accounts/login/**")
    expect(page.locator("#save-status")).to_have_text("Signed out: 0 notes waiting", timeout=15_000)
    eventually(page, FORGOTTEN)
    page.reload()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert page.evaluate("caches.keys()") == [] and page.evaluate(STORED_KEYS) == []
    assert opens_offline_without_names(context, page, focus_group)
    assert polls and set(polls) == {"1"}  # the poll says it is background: no activity
    context.close()


def test_unsent_notes_wait_without_names_and_are_sent_after_signing_in_again(browser, live_server, focus_group, team):
    context, page = signed_in(browser, live_server, team.facilitator.username)
    open_runner_and_write(page, focus_group, "Sent before the network went.")
    expect(page.locator("#save-status")).to_have_text("Saved")
    eventually(page, RUNNER_PAGE_STORED)
    context.set_offline(True)
    page.locator("#chips button", has_text="Ben").click()
    page.locator("#composer").fill("Written offline while the sign-in ran out.")
    page.get_by_role("button", name="Next note").click()
    let_the_session_go_idle(context)
    context.set_offline(False)
    expect(page.locator("#save-status")).to_have_text("Signed out: 1 note waiting", timeout=15_000)
    eventually(page, FORGOTTEN)
    queue_key = f"empathy.queue.{focus_group.pk}"
    assert page.evaluate(STORED_KEYS) == [queue_key]
    waiting = page.evaluate(f"localStorage.getItem('{queue_key}')")
    assert "Written offline while the sign-in ran out." in waiting
    assert not any(name in waiting for name in NAMES) and "Sent before" not in waiting

    page.reload()  # the sign-in page; signing in leads back to the runner, which sends what waited
    page.get_by_label("Username").fill(team.facilitator.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # The page says "Saved" before its script runs: wait until what waited has left the browser.
    page.wait_for_url(re.compile(re.escape(runner_url(focus_group))))
    eventually(page, f"localStorage.getItem('{queue_key}') === null")
    expect(page.locator("#save-status")).to_have_text("Saved", timeout=15_000)
    assert set(Note.objects.values_list("text", flat=True)) == {
        "Sent before the network went.", "Written offline while the sign-in ran out."}
    # Nothing waits; signed in again on a computer not marked shared, the last known notes are kept.
    assert page.evaluate(STORED_KEYS) == [f"empathy.notes.{focus_group.pk}"]
    context.close()
