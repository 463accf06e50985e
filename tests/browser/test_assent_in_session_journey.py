"""Issue 17, assent in the session: at the start of a focus group the facilitator reads the assent script and
records each student's answer; one says "not today" and can then not be given words (no chip, and a forged note
refused by the server); an answer given without a network is kept and sent when it comes back. Screenshots in
English and Spanish, at desktop and phone widths."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from interviews.models import Note, Protocol, Session, SessionAssent, SessionFormat, SessionStatus
from interviews.protocols import record_review
from recruitment.models import ConsentStatus, Invitation, InvitationStatus
from tests.browser.helpers import signed_in, wait_until
from tests.conftest import PROJECT_DIR
from tests.factories import StudentFactory, ready_protocol

pytestmark = pytest.mark.browser
SHOTS = PROJECT_DIR / "test-artifacts" / "screenshots"


@pytest.fixture
def focus_group(team, transactional_db):
    protocol = ready_protocol(team.program)
    session = Session.objects.create(program=team.program, format=SessionFormat.FOCUS_GROUP, protocol=protocol,
                                     starts_at=timezone.now(), facilitator=team.facilitator,
                                     status=SessionStatus.SCHEDULED)
    students = [StudentFactory(first_name=name) for name in ("Ana", "Ben", "Cy")]
    session.participants.set(students)
    for student in students:
        Invitation.objects.create(program=team.program, student=student, parent_consent=ConsentStatus.GRANTED,
                                  student_assent=ConsentStatus.GRANTED, student_assent_method="paper",
                                  student_assent_on=timezone.localdate(), status=InvitationStatus.CONSENTED)
    record_review(protocol=protocol, user=team.facilitator)
    return session


def runner_url(session):
    return f"/programs/{session.program.slug}/sessions/{session.pk}/run/"


def student_row(page, name):
    return page.locator("#assent-students li", has_text=name)


def assent_sent(page, session) -> None:
    """Wait until the runner's queue of assent answers is empty: it drops an answer only once the server
    has stored it."""
    wait_until(page, f"localStorage.getItem('empathy.queue.assent.{session.pk}') === null")


def test_the_facilitator_records_assent_and_a_not_today_cannot_be_given_words(browser, live_server, focus_group, team):
    context, page = signed_in(browser, live_server, team.facilitator.username)
    page.goto(runner_url(focus_group))
    page.get_by_role("button", name="Start the session").click()

    # The opening step: the script, and the assent each student gave earlier on paper.
    expect(page.locator("#assent")).to_be_visible()
    expect(page.locator("#assent-script")).to_contain_text("taking part today is your choice")
    expect(student_row(page, "Ana")).to_contain_text("Recorded before: Granted · on paper")
    student_row(page, "Ana").get_by_role("button", name="Yes").click()
    student_row(page, "Ben").get_by_role("button", name="Not today").click()
    expect(page.locator("#chips button", has_text="Ben")).to_have_count(0)  # at once, before the server answers
    assent_sent(page, focus_group)
    assert SessionAssent.objects.filter(session=focus_group).count() == 2

    # Without a network the answer is kept in the browser and sent when the network is back.
    wait_until(page, "navigator.serviceWorker.controller !== null")
    context.set_offline(True)
    student_row(page, "Cy").get_by_role("button", name="Yes").click()
    expect(student_row(page, "Cy")).to_contain_text("Not sent yet")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "runner-assent.png"), full_page=True)
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(student_row(page, "Cy")).not_to_contain_text("Not sent yet", timeout=15_000)
    assent_sent(page, focus_group)
    assert SessionAssent.objects.filter(session=focus_group, answer="yes").count() == 2

    ben = focus_group.participants.get(first_name="Ben")
    invitation = Invitation.objects.get(student=ben)
    assert invitation.student_assent == ConsentStatus.WITHDRAWN and invitation.student_assent_method == "in session"
    assert Invitation.objects.get(student__first_name="Ana").student_assent_method == "in session"

    # At the first question Ben is no speaker, and a note naming him, forged past the page, is refused.
    page.locator("#steps button", has_text="Question 1").click()
    expect(page.locator("#assent")).to_be_hidden()
    expect(page.locator("#chips button", has_text="Ana")).to_have_count(1)
    expect(page.locator("#chips button", has_text="Cy")).to_have_count(1)
    expect(page.locator("#chips button", has_text="Ben")).to_have_count(0)
    question = focus_group.protocol.questions.order_by("position").first().pk
    forged = page.evaluate("""async ([url, student, question]) => {
        const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
        const response = await fetch(url, {method: "POST", credentials: "same-origin",
          headers: {"Content-Type": "application/json", "X-CSRFToken": token},
          body: JSON.stringify({id: crypto.randomUUID(), version: 0, step: "question", question, student,
                                kind: "student", text: "Words put in Ben's mouth."})});
        return [response.status, (await response.json()).error];
    }""", [f"/programs/{focus_group.program.slug}/sessions/{focus_group.pk}/notes/", ben.pk, question])
    assert forged[0] == 400 and "not today" in forged[1]
    assert not Note.objects.filter(student=ben).exists()
    # The page kept the answers after a reload.
    page.reload()
    page.locator("#steps button").first.click()
    expect(student_row(page, "Ben").get_by_role("button", name="Not today")).to_have_attribute("aria-pressed", "true")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SHOTS / "runner-assent-phone.png"), full_page=True)
    context.close()


def test_the_assent_step_in_spanish(browser, live_server, focus_group, team):
    Session.objects.filter(pk=focus_group.pk).update(language="es", status=SessionStatus.IN_PROGRESS)
    context, page = signed_in(browser, live_server, team.facilitator.username)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "es", "url": live_server.url}])
    page.goto(runner_url(focus_group))
    expect(page.locator("#assent")).to_be_visible()
    expect(page.locator("#assent-script")).to_have_attribute("lang", "es")
    expect(page.locator("#assent-students li")).to_have_count(3)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "runner-assent-es.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SHOTS / "runner-assent-es-phone.png"), full_page=True)
    context.close()


def test_a_protected_topic_is_shown_on_the_protocol_page_and_keeps_it_from_ready(browser, live_server, team,
                                                                                 transactional_db):
    protocol = ready_protocol(team.program)
    Protocol.objects.filter(pk=protocol.pk).update(marked_ready=False)
    question = protocol.questions.get(position=2)
    question.text = "What makes you feel anxious at school?"
    question.save()
    context, page = signed_in(browser, live_server, team.lead.username)
    page.goto(f"/programs/{team.program.slug}/protocol/")
    expect(page.locator(".finding-protected").first).to_contain_text("Protected topic: mental or psychological problems")
    expect(page.get_by_text("The consent letter does not name these protected topics")).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "protocol-protected-topic.png"), full_page=True)
    context.close()
