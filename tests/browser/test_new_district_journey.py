"""A new district's first week, from an empty database: the first-run page, a roster import that creates
the schools it names, an outside facilitator invited from the Facilitators page and scheduled."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from interviews.models import Session
from participants.models import School, Student
from programs.models import Membership, Program, Role
from recruitment.models import ConsentStatus, Invitation, InvitationStatus
from tests.conftest import PROJECT_DIR
from tests.factories import ready_protocol

pytestmark = pytest.mark.browser
SHOTS = PROJECT_DIR / "test-artifacts" / "screenshots"
PASSWORD = "a-long-first-password-42"
ROSTER = ("Student ID,First Name,Last Name,School,Grade\n"
          "1,Ana,Lopez,RHS,9\n2,Ben,Kim,North High,10\n3,Cy,Do,North High,11\n4,Dee,Ray,Elm K-8,7\n")


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def test_a_new_district_sets_itself_up_imports_its_schools_and_schedules_an_outside_facilitator(
        page, transactional_db, tmp_path, settings):
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
    expect(page.locator("[data-unknown-schools]")).to_contain_text("North High · 2 rows")
    expect(page.locator("[data-unknown-schools]")).to_contain_text("Elm K-8 · 1 row")
    page.get_by_label("Create these schools with this import").check()
    page.screenshot(path=str(SHOTS / "roster-new-schools.png"), full_page=True)
    page.get_by_role("button", name="Check again").click()
    expect(page.locator("[data-new-schools]")).to_contain_text("North High")
    page.get_by_role("button", name="Import 4 rows").click()
    expect(page.get_by_text("Imported.")).to_be_visible()
    assert set(School.objects.values_list("code", flat=True)) == {"RHS", "North High", "Elm K-8"}
    assert Student.objects.count() == 4

    # A program led by dana, its students consented (the program pages have their own journeys).
    dana_program = Program.objects.create(name="Belonging 2027", slug="belonging-2027", starts_on="2026-11-01",
                                          ends_on="2027-06-30")
    dana_program.schools.set(School.objects.all())
    Membership.objects.create(program=dana_program, user_id=Membership._meta.get_field("user").related_model.objects
                              .get(username="dana").pk, role=Role.LEAD)
    ready_protocol(dana_program)
    for student in Student.objects.all():
        Invitation.objects.create(program=dana_program, student=student, parent_consent=ConsentStatus.GRANTED,
                                  student_assent=ConsentStatus.GRANTED, status=InvitationStatus.CONSENTED)

    # An outside facilitator invited from the Facilitators page, then scheduled.
    page.goto("/programs/belonging-2027/facilitators/")
    invite = page.locator("form", has=page.get_by_role("button", name="Invite facilitator"))
    invite.get_by_label("Name").fill("Rosa Vega")
    invite.get_by_label("E-mail").fill("rosa@partner.org")
    page.get_by_role("button", name="Invite facilitator").click()
    expect(page.get_by_text("Rosa Vega is invited")).to_be_visible()
    expect(page.get_by_role("article", name="Rosa Vega")).to_contain_text("on the team")
    page.screenshot(path=str(SHOTS / "facilitator-invited.png"), full_page=True)
    assert re.search(r"/accounts/reset/\S+", mail.outbox[-1].body)

    page.goto("/programs/belonging-2027/sessions/new/")
    page.get_by_label("Focus group").check()
    page.get_by_label("Date").fill("2026-12-08")
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Place").fill("Room 12")
    page.locator("#id_facilitator").select_option(label="Rosa Vega (outside facilitator)")
    for name in ("Ana Lopez", "Ben Kim"):
        page.get_by_label(name, exact=False).check()
    page.get_by_role("button", name="Schedule").click()
    page.get_by_text("Session scheduled.").wait_for()
    assert Session.objects.get().facilitator.username == "rosa@partner.org"
