"""Issue 4's journey: a lead writes a protocol, sees "Do you like math?" flagged with a rewrite, adds
questions from the bank, marks it ready, schedules an individual interview and a focus group, is
refused for a teacher-facilitator and for a student without consent, and downloads the guide."""

from __future__ import annotations

import subprocess

import pytest
from playwright.sync_api import expect

from interviews.models import Protocol, Session, SessionFormat
from programs.models import Role
from recruitment.models import ConsentStatus, Invitation, InvitationStatus
from tests.conftest import PROJECT_DIR
from tests.factories import (
    TEST_PASSWORD,
    MembershipFactory,
    ProgramFactory,
    SchoolFactory,
    StaffMemberFactory,
    StudentFactory,
    TeachingAssignmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser
SHOTS = PROJECT_DIR / "test-artifacts" / "screenshots"


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


def test_lead_writes_a_protocol_and_schedules_sessions(page, transactional_db, tmp_path):
    school = SchoolFactory(name="Lincoln High")
    program = ProgramFactory(name="Math voices", slug="math-voices", theme="How math class feels")
    program.schools.add(school)
    lead = UserFactory(username="protocol-lead")
    MembershipFactory(program=program, user=lead, role=Role.LEAD)
    teacher = UserFactory(username="teacher", first_name="Tia", last_name="Teacher")
    MembershipFactory(program=program, user=teacher, role=Role.FACILITATOR)
    counselor = UserFactory(username="counselor", first_name="Cal", last_name="Counselor")
    MembershipFactory(program=program, user=counselor, role=Role.FACILITATOR)
    students = [StudentFactory(school=school, first_name=name, last_name="Rivera") for name in ("Ana", "Ben", "Cy", "Dee", "Eli")]
    for student in students[:4]:
        Invitation.objects.create(program=program, student=student, parent_consent=ConsentStatus.GRANTED,
                                  student_assent=ConsentStatus.GRANTED, status=InvitationStatus.CONSENTED)
    Invitation.objects.create(program=program, student=students[4])  # Eli: consent pending
    TeachingAssignmentFactory(staff=StaffMemberFactory(user=teacher), student=students[0])
    SHOTS.mkdir(parents=True, exist_ok=True)

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("protocol-lead")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/programs/math-voices/protocol/")

    # The wording check flags a closed question as it is typed, with a rewrite.
    page.get_by_label("Question", exact=True).fill("Do you like math?")
    expect(page.locator("#new-findings").get_by_text("Closed question")).to_be_visible()
    expect(page.locator("#new-findings").get_by_text("What do you like, or not like, about math?")).to_be_visible()
    page.get_by_role("button", name="Add question").click()
    page.locator(".question-card").first.wait_for()

    # Add from the bank without a reload, then mark ready.
    for text in ("Tell me about a place at school where you feel you belong.",
                 "Tell me about a moment in math class when you felt confident, or the opposite.",
                 "What happens in your head when you get a math problem wrong in front of others?",
                 "Describe what would make a hard subject feel more possible for you."):
        page.get_by_label("Search sample questions").fill(text.split()[-3])
        page.get_by_role("button", name=f"Add to the protocol: {text}").click()
        page.locator(".question-text", has_text=text).wait_for()
    expect(page.get_by_text("Write the purpose statement students will hear.")).to_be_visible()
    page.get_by_text("Scripts: purpose, ground rules, icebreaker, wrap-up").click()
    page.get_by_label("Purpose (what students are told)", exact=True).fill("We want to hear how math class feels, so we can make it better.")
    page.get_by_role("button", name="Save scripts").click()
    page.get_by_role("button", name="Mark ready").click()
    # The closed question is still there, so marking ready asks first and names it.
    expect(page.get_by_text("The wording check flags one question. Mark the protocol ready anyway?")).to_be_visible()
    expect(page.locator(".confirm-flagged").get_by_text("Do you like math?")).to_be_visible()
    page.get_by_role("button", name="Mark ready anyway").click()
    page.get_by_text("Ready to use with students").wait_for()
    page.screenshot(path=str(SHOTS / "protocol.png"), full_page=True)
    assert Protocol.objects.get(program=program).marked_ready

    # The facilitator guide downloads as a PDF with the questions in it.
    with page.expect_download() as download:
        page.get_by_role("link", name="Facilitator guide (PDF, English)").click()  # the bank questions brought their Spanish
    pdf = tmp_path / "guide.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Facilitator guide" in text and "Do you like math?" in text

    # Refused: a facilitator who teaches a participant, and a student without consent.
    page.goto("/programs/math-voices/sessions/new/")
    page.get_by_label("Focus group").check()
    page.get_by_label("Date").fill("2026-12-08")
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Place").fill("Room 12")
    page.locator("#id_facilitator").select_option(label="Tia Teacher")
    for name in ("Ana Rivera", "Ben Rivera", "Eli Rivera"):
        page.get_by_label(name, exact=False).check()
    page.get_by_role("button", name="Schedule").click()
    expect(page.get_by_text("Tia Teacher (facilitator) currently teaches Ana Rivera.", exact=False)).to_be_visible()
    expect(page.get_by_text("Eli Rivera cannot be scheduled", exact=False)).to_be_visible()
    page.screenshot(path=str(SHOTS / "session-refused.png"), full_page=True)
    assert not Session.objects.exists()

    # Fix it: another facilitator, only consented students.
    page.locator("#id_facilitator").select_option(label="Cal Counselor")
    page.get_by_label("Eli Rivera", exact=False).uncheck()
    page.get_by_label("Cy Rivera", exact=False).check()
    page.get_by_role("button", name="Schedule").click()
    page.get_by_text("Session scheduled.").wait_for()

    page.goto("/programs/math-voices/sessions/new/")
    page.get_by_label("Individual interview").check()
    page.get_by_label("Date").fill("2026-12-09")
    page.get_by_label("Start time").fill("13:00")
    page.get_by_label("Place").fill("Counseling office")
    page.locator("#id_facilitator").select_option(label="Cal Counselor")
    page.get_by_label("Dee Rivera", exact=False).check()
    page.get_by_role("button", name="Schedule").click()
    page.get_by_text("Session scheduled.").wait_for()
    assert sorted(Session.objects.values_list("format", flat=True)) == [SessionFormat.FOCUS_GROUP, SessionFormat.INDIVIDUAL]
    page.goto("/programs/math-voices/sessions/?view=week&week=2026-12-07")
    page.screenshot(path=str(SHOTS / "sessions-week.png"), full_page=True)
