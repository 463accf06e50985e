"""A new district's first week, from an empty database: the first-run page, a roster import that creates
the schools it names, a program made on its form, a sample with consent, an outside facilitator invited
from the Facilitators page, scheduled, choosing her password and running two focus groups, and a
thematic report whose "who we heard from" is the students of those sessions."""

from __future__ import annotations

import re
import subprocess

import pytest
from django.core import mail
from playwright.sync_api import expect

from interviews.models import Session, SessionStatus
from participants.models import School, Student
from programs.models import Membership, Program, Role
from recruitment.models import Invitation, InvitationStatus
from tests.conftest import PROJECT_DIR
from tests.factories import ready_protocol

pytestmark = pytest.mark.browser
SHOTS = PROJECT_DIR / "test-artifacts" / "screenshots"
PASSWORD = "a-long-first-password-42"
ROSA_PASSWORD = "rosa-chooses-a-long-one-7"
HIGH_SCHOOL_STUDENTS = ["Ana Lopez", "Cara Diaz", "Eva Moss", "Gil Ortiz", "Ian Cole",
                        "Ben Kim", "Dan Hu", "Fay Lin", "Hal Ruiz", "Jo Park"]
ROSTER = ("Student ID,First Name,Last Name,School,Grade\n"
          "1,Ana,Lopez,RHS,9\n2,Cara,Diaz,RHS,10\n3,Eva,Moss,RHS,11\n4,Gil,Ortiz,RHS,12\n5,Ian,Cole,RHS,9\n"
          "6,Ben,Kim,North High,10\n7,Dan,Hu,North High,11\n8,Fay,Lin,North High,12\n9,Hal,Ruiz,North High,9\n"
          "10,Jo,Park,North High,10\n11,Dee,Ray,Elm K-8,7\n")


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def test_a_new_district_sets_itself_up_imports_its_schools_and_schedules_an_outside_facilitator(
        page, live_server, transactional_db, tmp_path, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    SHOTS.mkdir(parents=True, exist_ok=True)

    # The first run: the sign-in page sends a fresh installation here.
    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", name="Set up your district")).to_be_visible()
    page.get_by_label("District name").fill("Riverside Unified")
    page.get_by_label("Your username").fill("dana")
    page.get_by_label("Your e-mail").fill("dana@riverside.example")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_label("First school's name").fill("Riverside High")
    page.get_by_label("First school's code").fill("RHS")
    page.get_by_label("Lowest grade").select_option(label="9")
    page.get_by_label("Highest grade").select_option(label="12")
    page.screenshot(path=str(SHOTS / "district-first-run.png"), full_page=True)
    page.get_by_role("button", name="Set up the district").click()
    expect(page.get_by_text("Riverside Unified is set up.")).to_be_visible()
    expect(page.locator("[data-district-name]")).to_contain_text("Riverside Unified")
    page.screenshot(path=str(SHOTS / "district-home.png"), full_page=True)
    assert page.goto("/welcome/").status == 404

    # The roster names two schools the district does not have yet: created once confirmed.
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER)
    page.goto("/roster/import/")
    page.get_by_label("File (.csv or .xlsx)").set_input_files(str(roster))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator("[data-unknown-schools]")).to_contain_text("North High · 5 rows")
    expect(page.locator("[data-unknown-schools]")).to_contain_text("Elm K-8 · 1 row")
    page.get_by_label("Create these schools with this import").check()
    page.screenshot(path=str(SHOTS / "roster-new-schools.png"), full_page=True)
    page.get_by_role("button", name="Check again").click()
    expect(page.locator("[data-new-schools]")).to_contain_text("North High")
    page.get_by_role("button", name="Import 11 rows").click()
    expect(page.get_by_text("Imported.")).to_be_visible()
    assert set(School.objects.values_list("code", flat=True)) == {"RHS", "North High", "Elm K-8"}
    assert Student.objects.count() == 11

    # dana creates the program on the form, for the two high schools (Elm K-8's one student is not in it).
    page.goto("/programs/new/")
    page.locator("#id_name").fill("Belonging 2027")
    page.locator("#id_theme").fill("Where students feel they belong")
    page.locator("#id_slug").fill("belonging-2027")
    page.get_by_label("Riverside High").check()
    page.get_by_label("North High").check()
    page.locator("#id_starts_on").fill("2026-11-01")
    page.locator("#id_ends_on").fill("2027-06-30")
    page.locator("#id_suppression_threshold").fill("5")
    page.get_by_role("button", name="Save program").click()
    expect(page.get_by_text("You are its lead.")).to_be_visible()
    program = Program.objects.get(slug="belonging-2027")
    assert Membership.objects.filter(program=program, user__username="dana", role=Role.LEAD).exists()
    ready_protocol(program)  # the protocol pages have their own journeys

    # The sample is every eligible student; consent recorded on the Students page.
    page.goto("/programs/belonging-2027/students/")
    page.get_by_label("Sample size").fill(str(len(HIGH_SCHOOL_STUDENTS)))
    page.get_by_label("Minimum per group").fill("1")
    page.get_by_role("button", name="Build the sample").click()
    expect(page.get_by_text(f"Sample built: {len(HIGH_SCHOOL_STUDENTS)} students invited.")).to_be_visible()
    for name in HIGH_SCHOOL_STUDENTS:
        page.get_by_label(f"Parent/guardian consent for {name}").select_option("granted")
        page.get_by_label(f"Student assent for {name}").select_option("granted")
        page.get_by_label(f"Parent/guardian consent for {name}").locator("xpath=..").get_by_role(
            "button", name="Save").click()
        expect(page.get_by_text(f"Consent recorded for {name}.")).to_be_visible()
    assert Invitation.objects.filter(program=program, status=InvitationStatus.CONSENTED).count() == 10

    # An outside facilitator invited from the Facilitators page, then scheduled for two focus groups.
    page.goto("/programs/belonging-2027/facilitators/")
    invite = page.locator("form", has=page.get_by_role("button", name="Invite facilitator"))
    invite.get_by_label("Name").fill("Rosa Vega")
    invite.get_by_label("E-mail").fill("rosa@partner.org")
    page.get_by_role("button", name="Invite facilitator").click()
    expect(page.get_by_text("Rosa Vega is invited")).to_be_visible()
    expect(page.get_by_role("article", name="Rosa Vega")).to_contain_text("on the team")
    page.screenshot(path=str(SHOTS / "facilitator-invited.png"), full_page=True)
    link = re.search(r"https?://\S+/accounts/reset/\S+", mail.outbox[-1].body).group(0)

    groups = {"Room 12": HIGH_SCHOOL_STUDENTS[:5], "Room 14": HIGH_SCHOOL_STUDENTS[5:]}
    for day, (place, names) in enumerate(groups.items(), start=8):
        page.goto("/programs/belonging-2027/sessions/new/")
        page.get_by_label("Focus group").check()
        page.get_by_label("Date").fill(f"2026-12-{day:02d}")
        page.get_by_label("Start time").fill("10:00")
        page.get_by_label("Place").fill(place)
        page.locator("#id_facilitator").select_option(label="Rosa Vega (outside facilitator)")
        for name in names:
            page.get_by_label(name, exact=False).check()
        page.get_by_role("button", name="Schedule").click()
        page.get_by_text("Session scheduled.").wait_for()
    sessions = list(Session.objects.filter(program=program).order_by("starts_at"))
    assert [s.facilitator.username for s in sessions] == ["rosa@partner.org"] * 2

    # Rosa chooses her password from the e-mail's link, signs in and runs both sessions.
    rosa_context = page.context.browser.new_context(base_url=live_server.url,
                                                    viewport={"width": 1280, "height": 900})
    rosa = rosa_context.new_page()
    rosa.goto(link)
    rosa.locator("#id_new_password1").fill(ROSA_PASSWORD)
    rosa.locator("#id_new_password2").fill(ROSA_PASSWORD)
    rosa.get_by_role("button", name="Set password").click()
    rosa.wait_for_url("**/accounts/reset/done/")
    rosa.goto("/accounts/login/")
    rosa.get_by_label("Username").fill("rosa@partner.org")
    rosa.get_by_label("Password").fill(ROSA_PASSWORD)
    rosa.get_by_role("button", name="Sign in").click()
    rosa.wait_for_url("**/")
    rosa.goto("/programs/belonging-2027/protocol/")
    rosa.get_by_role("button", name="I have reviewed this protocol").click()
    for session, names in zip(sessions, groups.values(), strict=True):
        rosa.goto(f"/programs/belonging-2027/sessions/{session.pk}/run/")
        rosa.get_by_role("button", name="Start the session").click()
        rosa.locator("#steps button", has_text="Question 1").click()
        for name in names:
            rosa.locator("#chips button", has_text=name.split()[0]).click()
            rosa.locator("#composer").fill(f"{name.split()[0]} said the hallway feels like home some days.")
            rosa.get_by_role("button", name="Next note").click()
        expect(rosa.locator("#save-status")).to_have_text("Saved")
        rosa.get_by_role("button", name="Finish session").click()
        rosa.wait_for_load_state()
    rosa_context.close()
    assert all(s.status == SessionStatus.COMPLETED for s in Session.objects.filter(program=program))

    # dana's thematic report: who we heard from is the ten students of the two sessions, by school.
    page.goto("/programs/belonging-2027/reports/")
    page.get_by_label("Thematic report").check()
    page.get_by_role("button", name="Generate").click()
    expect(page.get_by_role("link", name="Download PDF")).to_be_visible(timeout=60_000)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    heard = Student.objects.filter(interview_sessions__program=program, notes__isnull=False).distinct()
    assert heard.count() == 10
    by_school = {school.name: heard.filter(school=school).count() for school in School.objects.all()}
    assert by_school == {"Riverside High": 5, "North High": 5, "Elm K-8": 0}
    heard_section = text[text.index("The students we heard from"):text.index("Appendix: the interview protocol Purpose")]
    assert "in the notes analysed: 10 students" in heard_section and "students invited (10)" in heard_section
    for school_name in ("Riverside High", "North High"):  # 5 of the 10 heard, 5 of the 10 invited, half the schools
        assert f"{school_name} 50% 50% 50.0% 0.0" in heard_section, school_name
    assert "Elm K-8" not in heard_section
    assert "Grade 9 fewer than 5" in heard_section  # two or three a grade: hidden, as on every page
