"""Issue 3's journey: a lead imports a roster with errors, fixes it, builds a sample with every
group present, reads the gaps and who is missing, swaps a student, records consent, and sees
who teaches which invited students."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from participants.models import Student, StudentGroup
from programs.models import Role
from recruitment.models import Invitation, InvitationStatus
from tests.conftest import PROJECT_DIR
from tests.factories import (
    TEST_PASSWORD,
    MembershipFactory,
    ProgramFactory,
    SchoolFactory,
    StaffMemberFactory,
    StudentFactory,
    StudentGroupFactory,
    TeachingAssignmentFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser
SHOTS = PROJECT_DIR / "test-artifacts" / "screenshots"
HEADER = "Student ID,First Name,Last Name,School,Grade,EL,Groups\n"
BAD = HEADER + "N1,Ana,Lopez,LHS,9,Y,Robotics\nN2,Ben,Kim,Nowhere,10,N,\nN3,Cy,Do,LHS,14,N,\nN1,Dee,Ng,LHS,9,N,\n"
FIXED = HEADER + "N1,Ana,Lopez,LHS,9,Y,Robotics\nN2,Ben,Kim,RMS,7,N,\nN3,Cy,Do,LHS,12,N,\nN4,Dee,Ng,LHS,9,N,\n"


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def test_lead_builds_a_representative_sample_from_an_imported_roster(page, transactional_db, tmp_path):
    lhs, rms = SchoolFactory(code="LHS", name="Lincoln High"), SchoolFactory(code="RMS", name="Roosevelt Middle")
    StudentGroupFactory(name="Robotics", school=lhs)
    newcomers = StudentGroupFactory(name="Newcomers", school=rms)
    for i in range(70):
        student = StudentFactory(school=lhs if i % 2 else rms, grade=9 + i % 4 if i % 2 else 6 + i % 3, english_learner=i % 4 == 0)
        if i in (2, 4, 6):
            student.groups.add(newcomers)
    teacher = StaffMemberFactory(full_name="Tess Teacher", staff_id="T1")
    teacher.schools.add(rms)
    for student in Student.objects.filter(school=rms):
        TeachingAssignmentFactory(staff=teacher, student=student)
    lead = UserFactory(username="journey-lead")
    lead.user_permissions.add(*Permission.objects.filter(codename__in=["view_student", "add_student"]))
    program = ProgramFactory(name="Voices 2026", slug="voices-2026")
    program.schools.add(lhs, rms)
    MembershipFactory(program=program, user=lead, role=Role.LEAD)
    SHOTS.mkdir(parents=True, exist_ok=True)

    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("journey-lead")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    # A roster with deliberate errors: every one is listed, nothing is written.
    bad, fixed = tmp_path / "roster.csv", tmp_path / "roster-fixed.csv"
    bad.write_text(BAD)
    fixed.write_text(FIXED)
    page.goto("/roster/import/")
    page.get_by_label("File (.csv or .xlsx)").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and check").click()
    assert page.get_by_text("3 problems found. Nothing has been imported.").is_visible()
    for text in ("“Nowhere” is not a school code", "“14” is not a grade from K to 12", "also appears on row 2"):
        assert page.get_by_text(text).first.is_visible()
    page.screenshot(path=str(SHOTS / "roster-errors.png"), full_page=True)
    assert not Student.objects.filter(local_id__startswith="N").exists()

    page.goto("/roster/import/")
    page.get_by_label("File (.csv or .xlsx)").set_input_files(str(fixed))
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_role("button", name="Import 4 rows").click()
    assert page.get_by_text("Imported.").is_visible()
    assert Student.objects.filter(local_id__startswith="N").count() == 4

    # A 40-student sample with every school and group present.
    page.goto("/programs/voices-2026/students/")
    page.get_by_label("Sample size").fill("40")
    page.get_by_label("Minimum per group").fill("1")
    page.get_by_role("button", name="Build the sample").click()
    assert page.get_by_text("Sample built: 40 students invited.").is_visible()
    invited = Student.objects.filter(invitations__program=program)
    assert set(StudentGroup.objects.filter(students__in=invited).values_list("name", flat=True)) == {"Robotics", "Newcomers"}
    assert page.get_by_role("heading", name="How representative is the sample?").is_visible()
    assert page.get_by_role("heading", name="Who are we missing?").is_visible()
    page.screenshot(path=str(SHOTS / "students.png"), full_page=True)

    # Swap one student out; the sample stays at 40.
    swapped = Invitation.objects.filter(program=program).order_by("student__school__name", "student__last_name").first()
    name = f"{swapped.student.first_name} {swapped.student.last_name}"
    page.get_by_label(f"Swap out {name}?").click()  # a confirmation that names the student opens first
    page.get_by_role("button", name=f"Yes, swap out {name}").click()
    assert page.get_by_text(f"{name} was swapped out").is_visible()
    assert not Invitation.objects.filter(pk=swapped.pk).exists()
    assert Invitation.objects.filter(program=program).count() == 40

    # Record consent for the first student in the list.
    first = Invitation.objects.filter(program=program).order_by("student__school__name", "student__last_name").first()
    first_name = f"{first.student.first_name} {first.student.last_name}"
    page.get_by_label(f"Parent/guardian consent for {first_name}").select_option("granted")
    page.get_by_label(f"Student assent for {first_name}").select_option("granted")
    page.get_by_label(f"Parent/guardian consent for {first_name}").locator("xpath=..").get_by_role("button", name="Save").click()
    assert page.get_by_text(f"Consent recorded for {first.student.first_name} {first.student.last_name}.").is_visible()
    first.refresh_from_db()
    assert first.status == InvitationStatus.CONSENTED

    # The facilitator page shows who teaches which invited students.
    page.goto("/programs/voices-2026/facilitators/")
    taught = Invitation.objects.filter(program=program, student__teaching_assignments__staff=teacher).count()
    card = page.get_by_role("article", name="Tess Teacher")
    assert card.get_by_text(f"Teaches {taught} invited").is_visible()
    assert card.get_by_text("Lincoln High").first.is_visible()  # free for the other school
    page.screenshot(path=str(SHOTS / "facilitators.png"), full_page=True)
