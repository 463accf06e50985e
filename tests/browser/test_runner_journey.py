"""Issue 5's browser tests: a focus group survives a lost network and a reload while offline; two
people editing one note keep both texts; a follow-up link adds a note and an expired one is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from interviews.followups import make_slips
from interviews.models import FollowUpLink, Note, NoteKind, Session, SessionFormat, SessionStatus
from interviews.protocols import record_review
from programs.models import Membership, Role
from recruitment.models import ConsentStatus, Invitation
from tests.browser.helpers import signed_in
from tests.conftest import PROJECT_DIR
from tests.factories import TEST_PASSWORD, StudentFactory, UserFactory, ready_protocol

pytestmark = pytest.mark.browser
SHOTS = PROJECT_DIR / "test-artifacts" / "screenshots"


@pytest.fixture
def focus_group(team, transactional_db):
    protocol = ready_protocol(team.program)
    session = Session.objects.create(program=team.program, format=SessionFormat.FOCUS_GROUP, protocol=protocol,
                                     starts_at=timezone.now(), facilitator=team.facilitator, status=SessionStatus.SCHEDULED)
    students = [StudentFactory(first_name=name) for name in ("Ana", "Ben", "Cy")]
    session.participants.set(students)
    for student in students:
        Invitation.objects.create(program=team.program, student=student, parent_consent=ConsentStatus.GRANTED,
                                  student_assent=ConsentStatus.GRANTED)
    record_review(protocol=protocol, user=team.facilitator)
    return session


def runner_url(session):
    return f"/programs/{session.program.slug}/sessions/{session.pk}/run/"


def write_note(page, speaker: str, text: str) -> None:
    page.locator("#chips button", has_text=speaker).click()
    page.locator("#composer").fill(text)
    page.get_by_role("button", name="Next note").click()


def test_a_focus_group_loses_the_network_and_loses_nothing(browser, live_server, focus_group, team):
    context, page = signed_in(browser, live_server, team.facilitator.username)
    page.goto(runner_url(focus_group))
    page.get_by_role("button", name="Start the session").click()
    page.locator("#steps button", has_text="Question 1").click()
    for name in ("Ana", "Ben", "Cy"):
        write_note(page, name, f"{name} says lunch is the best part of the day.")
    expect(page.locator("#save-status")).to_have_text("Saved")
    # The service worker must control the page before the network goes.
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=15_000)
    page.locator("#steps button", has_text="Question 2").click()

    context.set_offline(True)
    write_note(page, "Ana", "Offline: I wish lunch were longer.")
    write_note(page, "Ben", "Offline: the line takes half of lunch.")
    expect(page.locator("#save-status")).to_have_text("Offline: 2 notes not yet saved")
    page.reload()  # served by the service worker, while offline
    expect(page.locator("#save-status")).to_have_text("Offline: 2 notes not yet saved")
    page.locator("#steps button", has_text="Question 2").click()
    expect(page.locator("#notes li")).to_have_count(2)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "runner-offline.png"), full_page=True)

    context.set_offline(False)
    expect(page.locator("#save-status")).to_have_text("Saved", timeout=15_000)
    questions = list(focus_group.protocol.questions.order_by("position"))
    notes = {(n.text, n.student.first_name, n.question_id) for n in Note.objects.select_related("student")}
    assert notes == {
        ("Ana says lunch is the best part of the day.", "Ana", questions[0].pk),
        ("Ben says lunch is the best part of the day.", "Ben", questions[0].pk),
        ("Cy says lunch is the best part of the day.", "Cy", questions[0].pk),
        ("Offline: I wish lunch were longer.", "Ana", questions[1].pk),
        ("Offline: the line takes half of lunch.", "Ben", questions[1].pk),
    }
    assert Note.objects.count() == 5  # every note exactly once
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('empathy.')).length") == 0
    context.close()


def test_two_people_editing_one_note_keep_both_texts(browser, live_server, focus_group, team):
    focus_group.status = SessionStatus.IN_PROGRESS
    focus_group.save()
    note_taker = UserFactory(username="note-taker")
    Membership.objects.create(program=team.program, user=note_taker, role=Role.FACILITATOR)
    focus_group.note_taker = note_taker
    focus_group.save()
    first_context, first = signed_in(browser, live_server, team.facilitator.username)
    second_context, second = signed_in(browser, live_server, "note-taker")
    for page in (first, second):
        page.goto(runner_url(focus_group))
        page.locator("#steps button", has_text="Question 1").click()
    write_note(first, "Ana", "The counselor helped me.")
    expect(second.locator("#notes textarea")).to_have_value("The counselor helped me.", timeout=10_000)

    second_context.set_offline(True)
    first.locator("#notes textarea").fill("The counselor helped me a lot.")
    first.locator("#composer").click()  # leaving the field saves
    expect(first.locator("#save-status")).to_have_text("Saved")
    second.locator("#notes textarea").fill("The counselor helped me with my schedule.")
    second.locator("#composer").click()
    second_context.set_offline(False)
    expect(second.locator("#conflict-alert")).to_contain_text("Both versions are kept", timeout=15_000)
    expect(second.locator("#save-status")).to_have_text("Saved", timeout=15_000)
    texts = set(Note.objects.values_list("text", flat=True))
    assert {"The counselor helped me a lot.", "The counselor helped me with my schedule."} <= texts
    first_context.close()
    second_context.close()


def test_a_follow_up_link_adds_a_note_and_an_expired_one_is_refused(browser, live_server, focus_group, team):
    slips = make_slips(focus_group, user=team.facilitator)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})  # a phone, no account
    page = context.new_page()
    page.goto(f"/f/{slips[0].code}/")
    page.get_by_label("Your thoughts").fill("I also wanted to say the library feels safe.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Thank you.", exact=False)).to_be_visible()
    note = Note.objects.get(kind=NoteKind.FOLLOW_UP)
    assert note.student.first_name == slips[0].student_name and note.text.startswith("I also wanted")
    FollowUpLink.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    page.goto(f"/f/{slips[1].code}/")
    expect(page.get_by_text("This link has expired or is not valid.", exact=False)).to_be_visible()
    context.close()


def test_an_expired_sign_in_keeps_the_queue_until_the_person_signs_in_again(browser, live_server, focus_group, team):
    focus_group.status = SessionStatus.IN_PROGRESS
    focus_group.save()
    context, page = signed_in(browser, live_server, team.facilitator.username)
    page.goto(runner_url(focus_group))
    page.locator("#steps button", has_text="Question 1").click()
    context.set_offline(True)
    write_note(page, "Cy", "Written offline, then my sign-in ran out.")
    context.clear_cookies()  # the session expired while offline
    context.set_offline(False)
    expect(page.locator("#save-status")).to_have_text("Signed out: 1 note waiting", timeout=15_000)
    expect(page.locator("#signin-alert")).to_be_visible()
    assert page.evaluate(f"JSON.parse(localStorage.getItem('empathy.queue.{focus_group.pk}')).length") == 1
    assert not Note.objects.exists()

    login_page = context.new_page()  # "Sign in again" opens a new tab
    login_page.goto("/accounts/login/")
    login_page.get_by_label("Username").fill(team.facilitator.username)
    login_page.get_by_label("Password").fill(TEST_PASSWORD)
    login_page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#save-status")).to_have_text("Saved", timeout=15_000)
    assert Note.objects.get().text == "Written offline, then my sign-in ran out."
    context.close()
