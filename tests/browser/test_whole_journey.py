"""The whole journey in one browser run, each step by the person who does it:

a lead imports a roster, builds a sample, records consent, writes a protocol and schedules a focus
group; the facilitator reviews the protocol, runs the session and loses the network midway; the
analyst codes the notes and builds a theme; a viewer generates and downloads the thematic report,
whose text is checked against what the students said."""

from __future__ import annotations

import subprocess

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from analysis.models import CodeApplication, Theme, ThemeQuote
from interviews.models import Note, Session, SessionStatus
from participants.models import Student
from programs.models import Role
from recruitment.models import Invitation
from reports.models import Report, ReportStatus
from tests.browser.helpers import signed_in, wait_until
from tests.conftest import PROJECT_DIR
from tests.factories import MembershipFactory, ProgramFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.browser
SHOTS = PROJECT_DIR / "test-artifacts" / "screenshots" / "journey"
FIRST_NAMES = ["Ana", "Ben", "Cy", "Dee", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lia",
               "Max", "Noa", "Oli", "Pia", "Quin", "Rosa", "Sam", "Tao", "Uma", "Vic", "Wen", "Xia"]
SAID = {
    0: "Lunch is so short that I eat standing in the line.",
    1: "The cafeteria is loud and I cannot hear my friends.",
    2: "I wish lunch were longer so we could talk.",
}
SAID_OFFLINE = {
    0: "Offline: lunch is the only time I see my friends.",
    1: "Offline: the line takes half of lunch.",
}


def write_note(page, speaker: str, text: str) -> None:
    page.locator("#chips button", has_text=speaker).click()
    page.locator("#composer").fill(text)
    page.get_by_role("button", name="Next note").click()


def test_the_whole_journey(browser, live_server, transactional_db, tmp_path):
    school = SchoolFactory(code="LHS", name="Lincoln High")
    program = ProgramFactory(name="Lunch voices", slug="lunch-voices", theme="How lunch feels", suppression_threshold=5)
    program.schools.add(school)
    people = {}
    for role, (first, last) in {Role.LEAD: ("Lena", "Lead"), Role.FACILITATOR: ("Cal", "Counselor"),
                                Role.ANALYST: ("Ada", "Analyst"), Role.VIEWER: ("Vera", "Viewer")}.items():
        people[role] = UserFactory(username=f"j-{role.value}", first_name=first, last_name=last)
        MembershipFactory(program=program, user=people[role], role=role)
    people[Role.LEAD].user_permissions.add(*Permission.objects.filter(codename__in=["view_student", "add_student"]))
    SHOTS.mkdir(parents=True, exist_ok=True)

    # --- The lead: roster, sample, consent, protocol, a focus group ------------------------
    context, page = signed_in(browser, live_server, "j-lead")
    roster = tmp_path / "roster.csv"
    roster.write_text("Student ID,First Name,Last Name,School,Grade,EL\n" + "".join(
        f"J{i:02d},{name},Journey,LHS,{9 + i % 4},{'Y' if i % 5 == 0 else 'N'}\n" for i, name in enumerate(FIRST_NAMES)))
    page.goto("/roster/import/")
    page.get_by_label("File (.csv or .xlsx)").set_input_files(str(roster))
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_role("button", name="Import 24 rows").click()
    expect(page.get_by_text("Imported.")).to_be_visible()
    assert Student.objects.filter(local_id__startswith="J").count() == 24

    page.goto("/programs/lunch-voices/students/")
    page.get_by_label("Sample size").fill("8")
    page.get_by_label("Minimum per group").fill("1")
    page.get_by_role("button", name="Build the sample").click()
    expect(page.get_by_text("Sample built: 8 students invited.")).to_be_visible()
    chosen = list(Invitation.objects.filter(program=program).select_related("student").order_by("student__local_id")[:3])
    for invitation in chosen:
        name = f"{invitation.student.first_name} {invitation.student.last_name}"  # the lead's page names students
        page.get_by_label(f"Parent/guardian consent for {name}").select_option("granted")
        page.get_by_label(f"Student assent for {name}").select_option("granted")
        page.get_by_label(f"Parent/guardian consent for {name}").locator("xpath=..").get_by_role("button", name="Save").click()
        expect(page.get_by_text(f"Consent recorded for {name}.")).to_be_visible()
    page.screenshot(path=str(SHOTS / "1-students.png"), full_page=True)

    page.goto("/programs/lunch-voices/protocol/")
    page.get_by_label("Question", exact=True).fill("Tell me about a usual lunch time for you at school.")
    page.get_by_role("button", name="Add question").click()
    page.locator(".question-card").first.wait_for()
    for text in ("Tell me about a place at school where you feel you belong.",
                 "Walk me through lunchtime, from the bell to the end of the break.",
                 "What worries students here that adults might not notice?"):
        page.get_by_label("Search sample questions").fill(text.split()[-3])
        page.get_by_role("button", name=f"Add to the protocol: {text}").click()
        page.locator(".question-text", has_text=text).wait_for()
    page.get_by_text("Scripts: purpose, ground rules, icebreaker, wrap-up").click()
    page.get_by_label("Purpose (what students are told)", exact=True).fill("We want to hear how lunch feels, so we can make it better.")
    page.get_by_role("button", name="Save scripts").click()
    page.get_by_role("button", name="Mark ready").click()
    page.get_by_text("Ready to use with students").wait_for()

    page.goto("/programs/lunch-voices/sessions/new/")
    page.get_by_label("Focus group").check()
    page.get_by_label("Date").fill("2026-12-08")
    page.get_by_label("Start time").fill("11:30")
    page.get_by_label("Place").fill("Library")
    page.locator("#id_facilitator").select_option(label="Cal Counselor")
    for invitation in chosen:
        page.get_by_label(invitation.student.full_name, exact=False).check()
    page.get_by_role("button", name="Schedule").click()
    page.get_by_text("Session scheduled.").wait_for()
    session = Session.objects.get(program=program)
    context.close()

    # --- The facilitator: review, run, lose the network, finish ---------------------------
    context, page = signed_in(browser, live_server, "j-facilitator")
    page.goto("/programs/lunch-voices/protocol/")
    page.get_by_role("button", name="I have reviewed this protocol").click()
    page.goto(f"/programs/lunch-voices/sessions/{session.pk}/run/")
    page.get_by_role("button", name="Start the session").click()
    page.locator("#steps button", has_text="Question 1").click()
    names = [invitation.student.first_name for invitation in chosen]
    for index, text in SAID.items():
        write_note(page, names[index], text)
    expect(page.locator("#save-status")).to_have_text("Saved")
    wait_until(page, "navigator.serviceWorker.controller !== null")
    page.locator("#steps button", has_text="Question 2").click()
    context.set_offline(True)
    for index, text in SAID_OFFLINE.items():
        write_note(page, names[index], text)
    expect(page.locator("#save-status")).to_have_text("Offline: 2 notes not yet saved")
    page.screenshot(path=str(SHOTS / "2-runner-offline.png"), full_page=True)
    context.set_offline(False)
    expect(page.locator("#save-status")).to_have_text("Saved", timeout=15_000)
    page.get_by_role("button", name="Finish session").click()
    page.wait_for_load_state()
    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED
    words = sorted(Note.objects.filter(session=session).values_list("text", flat=True))
    assert words == sorted([*SAID.values(), *SAID_OFFLINE.values()])  # every note, once
    context.close()

    # --- The analyst: a code, the notes coded, a theme with a quote -----------------------
    context, page = signed_in(browser, live_server, "j-analyst")
    page.goto("/programs/lunch-voices/analysis/codebook/")
    page.get_by_label("Name", exact=True).fill("Lunch is too short")
    page.get_by_role("button", name="Add code").click()
    expect(page.get_by_text("Lunch is too short").first).to_be_visible()
    page.goto("/programs/lunch-voices/analysis/workbench/?uncoded=1")
    expect(page.locator("#shortcut-keys")).to_contain_text("1 Lunch is too short")
    for index in range(3):
        card = page.locator(".note-card").nth(index)
        card.focus()
        page.keyboard.press("1")
        expect(card.locator(".coding-chip")).to_contain_text("Lunch is too short")
    assert CodeApplication.objects.filter(code__name="Lunch is too short").count() == 3
    page.goto("/programs/lunch-voices/analysis/themes/")
    page.get_by_label("Name").fill("Lunch is too short to eat and talk")
    page.get_by_label("Insight").fill("Students want time to eat and to be with friends.")
    page.get_by_label("Lunch is too short").check()
    page.get_by_role("button", name="Create theme").click()
    page.get_by_role("button", name="Use").first.click()
    expect(page.locator(".quote-card")).to_have_count(1)
    page.screenshot(path=str(SHOTS / "3-theme.png"), full_page=True)
    assert ThemeQuote.objects.filter(theme__program=program).count() == 1
    context.close()

    # --- The viewer: the thematic report, downloaded and read ----------------------------
    context, page = signed_in(browser, live_server, "j-viewer", accept_downloads=True)
    page.goto("/programs/lunch-voices/reports/")
    page.get_by_label("Thematic report").check()
    page.get_by_label("Executive summary").fill("Students asked for a longer, calmer lunch.")
    page.get_by_role("button", name="Generate").click()
    expect(page.get_by_role("link", name="Download PDF")).to_be_visible(timeout=60_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    context.close()
    assert Report.objects.get(program=program).status == ReportStatus.READY
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
    theme = Theme.objects.get(program=program)
    quote = ThemeQuote.objects.get(theme=theme).snippet
    for expected in ("Lunch voices", "Lunch is too short to eat and talk", "Students asked for a longer, calmer lunch.",
                     "Students want time to eat and to be with friends.", " ".join(quote.split()),
                     "Tell me about a usual lunch time for you at school."):
        assert expected in text, expected
    for invitation in chosen:  # no name, no local id
        assert invitation.student.first_name + " Journey" not in text and invitation.student.local_id not in text
