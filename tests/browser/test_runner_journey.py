"""Issue 5's browser tests: a focus group survives a lost network and a reload while offline (and
still shows the notes it saw); two people editing one note keep both texts on one note until one of
them resolves it; the kind and speaker reset for each note; a saved note's speaker is corrected; a
follow-up link adds a note and an expired one is refused; the runner fits a phone."""

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
from tests.browser.helpers import signed_in, wait_until
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
    wait_until(page, "navigator.serviceWorker.controller !== null")
    page.locator("#steps button", has_text="Question 2").click()

    context.set_offline(True)
    write_note(page, "Ana", "Offline: I wish lunch were longer.")
    write_note(page, "Ben", "Offline: the line takes half of lunch.")
    expect(page.locator("#save-status")).to_have_text("Offline: 2 notes not yet saved")
    page.reload()  # served by the service worker, while offline
    expect(page.locator("#save-status")).to_have_text("Offline: 2 notes not yet saved")
    page.locator("#steps button", has_text="Question 2").click()
    expect(page.locator("#notes li")).to_have_count(2)
    # The notes saved before the network went are still shown, from this browser's storage.
    page.locator("#steps button", has_text="Question 1").click()
    expect(page.locator("#notes li")).to_have_count(3)
    expect(page.locator("#shares")).to_contain_text("Ana 40%")
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
    # Nothing waits; what stays is the last known notes (this computer is not marked shared).
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('empathy.'))") == [
        f"empathy.notes.{focus_group.pk}"]
    context.close()


def test_two_people_editing_one_note_get_one_note_with_a_conflict_they_resolve(browser, live_server, focus_group, team):
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
    expect(second.locator("#conflict-alert")).to_contain_text("Both texts are kept", timeout=15_000)
    expect(second.locator("#save-status")).to_have_text("Saved", timeout=15_000)
    note = Note.objects.get()  # one note, both texts
    assert (note.text, note.conflict_text) == ("The counselor helped me a lot.", "The counselor helped me with my schedule.")
    expect(second.locator(".note-conflict")).to_contain_text("Two versions of this note")
    SHOTS.mkdir(parents=True, exist_ok=True)
    second.screenshot(path=str(SHOTS / "runner-conflict.png"), full_page=True)
    expect(first.locator(".note-conflict")).to_be_visible(timeout=10_000)  # the other person sees it too
    second.get_by_role("button", name="Merge by hand").click()
    second.get_by_label("Merged text").fill("The counselor helped me a lot, with my schedule.")
    second.get_by_role("button", name="Save merged text").click()
    expect(second.locator("#save-status")).to_have_text("Saved", timeout=15_000)
    expect(second.locator(".note-conflict")).to_have_count(0)
    expect(second.locator("#conflict-alert")).to_be_hidden()
    expect(first.locator(".note-conflict")).to_have_count(0, timeout=10_000)
    expect(first.locator("#notes textarea").first).to_have_value("The counselor helped me a lot, with my schedule.")
    note = Note.objects.get()
    assert note.text == "The counselor helped me a lot, with my schedule." and note.conflict_at is None
    assert note.revisions.get(version=2).changes == {"conflict": "The counselor helped me with my schedule."}
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


def in_progress(session):
    session.status = SessionStatus.IN_PROGRESS
    session.save()


def test_the_observation_flag_and_the_speaker_reset_for_each_note_unless_kept(browser, live_server, focus_group, team):
    in_progress(focus_group)
    context, page = signed_in(browser, live_server, team.facilitator.username)
    page.goto(runner_url(focus_group))
    page.locator("#steps button", has_text="Question 1").click()
    page.locator("#chips button", has_text="Ana").click()
    page.get_by_label("My own observation", exact=True).check()
    page.locator("#composer").fill("The group goes quiet when lunch comes up.")
    page.get_by_role("button", name="Next note").click()
    expect(page.get_by_label("My own observation", exact=True)).not_to_be_checked()
    expect(page.locator("#chips button", has_text="Group")).to_have_attribute("aria-checked", "true")
    write_note(page, "Ben", "I eat in the library.")
    # Kept only when the person says so, visibly.
    page.get_by_label("Keep speaker and “my own observation” for the next note").check()
    page.locator("#chips button", has_text="Cy").click()
    page.locator("#composer").fill("I like the new tables.")
    page.get_by_role("button", name="Next note").click()
    expect(page.locator("#chips button", has_text="Cy")).to_have_attribute("aria-checked", "true")
    expect(page.locator("#save-status")).to_have_text("Saved")
    kinds = {n.text: (n.kind, n.student.first_name if n.student else None) for n in Note.objects.select_related("student")}
    assert kinds == {"The group goes quiet when lunch comes up.": (NoteKind.OBSERVATION, "Ana"),
                     "I eat in the library.": (NoteKind.STUDENT, "Ben"), "I like the new tables.": (NoteKind.STUDENT, "Cy")}
    context.close()


def test_a_saved_notes_speaker_is_corrected_in_the_runner_and_the_review_shows_it(browser, live_server, focus_group, team):
    in_progress(focus_group)
    context, page = signed_in(browser, live_server, team.facilitator.username)
    page.goto(runner_url(focus_group))
    page.locator("#steps button", has_text="Question 1").click()
    write_note(page, "Ana", "Ben said this, not Ana.")
    expect(page.locator("#save-status")).to_have_text("Saved")
    page.get_by_text("Correct speaker, kind or question").click()
    page.get_by_label("Speaker", exact=True).select_option(label="Ben")
    expect(page.locator("#save-status")).to_have_text("Saved")
    expect(page.locator("#notes .who").first).to_have_text("Ben")
    note = Note.objects.get()
    assert note.student.first_name == "Ben" and note.version == 2 and note.text == "Ben said this, not Ana."
    page.goto(f"/programs/{focus_group.program.slug}/sessions/{focus_group.pk}/notes/review/")
    page.get_by_text("Edited 1 time").click()
    expect(page.locator(".revision-change")).to_contain_text("speaker changed from Ana")
    page.get_by_text("Correct the speaker, kind or question").click()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "notes-review-corrected.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_runner_fits_a_phone_and_a_laptop(browser, live_server, focus_group, team, width):
    in_progress(focus_group)
    context, page = signed_in(browser, live_server, team.facilitator.username, viewport={"width": width, "height": 844},
                              **({"is_mobile": True, "has_touch": True} if width < 768 else {}))
    page.goto(runner_url(focus_group))
    page.locator("#steps button", has_text="Question 1").click()
    steps = page.locator("#steps").bounding_box()
    button = page.locator("#steps button").first.bounding_box()
    assert steps["height"] < 2 * button["height"]  # one row: sideways scroll on a phone, wrapping never needed here
    composer = page.locator("#composer").bounding_box()
    assert composer["y"] + composer["height"] <= 844  # the note box is above the fold
    placeholder = page.locator("#composer").get_attribute("placeholder")
    if width < 768:
        assert "Ctrl" not in placeholder and "Tap" in placeholder
        expect(page.locator("#keys-hint")).to_be_hidden()
        expect(page.locator("#chips kbd").first).to_be_hidden()  # no keys to press on a phone
    else:
        assert "Ctrl+Enter" in placeholder
        expect(page.locator("#keys-hint")).to_contain_text("Alt")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"runner-{width}.png"), full_page=True)
    context.close()
