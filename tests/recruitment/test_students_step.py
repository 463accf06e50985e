from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from empathy.checklist import StepStatus, program_checklist
from participants.sampling import SamplingInfeasible
from recruitment.consent import record_consent
from recruitment.models import ConsentStatus, Invitation, InvitationStatus, MissingGroup, SamplePlan
from recruitment.selection import build_sample, representativeness_of, swap_out
from tests.factories import SchoolFactory, StudentFactory, StudentGroupFactory
from tests.test_helpers import count_queries, login


@pytest.fixture
def roster(team):
    schools = [SchoolFactory(name="North"), SchoolFactory(name="South")]
    team.program.schools.add(*schools)
    robotics = StudentGroupFactory(name="Robotics", school=schools[1])
    for i in range(60):
        student = StudentFactory(school=schools[i % 2], grade=9 + i % 4, english_learner=i % 5 == 0,
                                 gender="female" if i % 2 else "male")
        if i in (1, 3, 5):
            student.groups.add(robotics)
    SamplePlan.objects.create(program=team.program, size=12, criteria=["school", "grade", "english_learner"],
                              min_per_school=1, min_per_group=2)
    return team


def test_building_the_sample_invites_the_planned_number_with_every_group(roster):
    chosen = build_sample(program=roster.program)
    assert len(chosen) == 12 == Invitation.objects.filter(program=roster.program).count()
    groups = set(Invitation.objects.filter(program=roster.program, student__groups__name="Robotics").values_list("pk", flat=True))
    assert len(groups) >= 2


def test_rebuilding_keeps_locked_and_consented_students(roster):
    build_sample(program=roster.program)
    first, second = Invitation.objects.filter(program=roster.program)[:2]
    first.locked = True
    first.save()
    record_consent(invitation=second, parent=ConsentStatus.GRANTED, student=ConsentStatus.PENDING)
    SamplePlan.objects.filter(program=roster.program).update(seed=99)
    chosen = build_sample(program=roster.program)
    assert {first.student_id, second.student_id} <= set(chosen)


def test_swapping_a_student_replaces_them_and_keeps_the_size(roster):
    build_sample(program=roster.program)
    leaving = Invitation.objects.filter(program=roster.program).first().student_id
    chosen = swap_out(program=roster.program, student_id=leaving)
    assert leaving not in chosen and len(chosen) == 12


def test_an_impossible_plan_is_refused_with_reasons(roster):
    SamplePlan.objects.filter(program=roster.program).update(size=1)
    with pytest.raises(SamplingInfeasible) as refusal:
        build_sample(program=roster.program)
    assert any("Raise the sample size" in p for p in refusal.value.problems)


def test_consent_moves_the_invitation_status(roster):
    build_sample(program=roster.program)
    invitation = Invitation.objects.filter(program=roster.program).first()
    record_consent(invitation=invitation, parent=ConsentStatus.GRANTED, student=ConsentStatus.GRANTED,
                   method="Paper form", on=dt.date(2026, 10, 1))
    assert invitation.status == InvitationStatus.CONSENTED and invitation.can_be_scheduled
    assert invitation.parent_consent_on == dt.date(2026, 10, 1) and invitation.parent_consent_method == "Paper form"
    record_consent(invitation=invitation, parent=ConsentStatus.WITHDRAWN, student=ConsentStatus.GRANTED)
    assert invitation.status == InvitationStatus.DECLINED and not invitation.can_be_scheduled
    assert Invitation.objects.withdrawn().filter(pk=invitation.pk).exists()


def test_who_are_we_missing_lists_absent_categories(roster):
    build_sample(program=roster.program)
    Invitation.objects.filter(program=roster.program, student__english_learner=True).delete()
    report = representativeness_of(roster.program)
    absent = [(m.criterion, m.category) for m in report.missing if m.absent]
    assert ("english_learner", "Yes") in absent


def test_the_students_step_is_done_once_the_sample_has_answered(roster):
    assert program_checklist(roster.program)[1].status != StepStatus.DONE
    build_sample(program=roster.program)
    step = program_checklist(roster.program)[1]
    assert step.status != StepStatus.DONE
    assert step.summary == "12 students invited, 0 with consent and assent. 12 still waiting for consent or assent."
    Invitation.objects.filter(program=roster.program).update(parent_consent="granted", student_assent="granted")
    step = program_checklist(roster.program)[1]
    assert step.status == StepStatus.DONE and step.summary == "12 students invited, 12 with consent and assent."


@pytest.mark.parametrize("persona", ["facilitator", "analyst", "viewer"])
def test_only_leads_open_the_students_page(client, roster, persona):
    login(client, getattr(roster, persona))
    assert client.get(reverse("program_students", kwargs={"slug": roster.program.slug})).status_code == 403


def test_outsider_gets_404(client, roster):
    login(client, roster.outsider)
    assert client.get(reverse("program_students", kwargs={"slug": roster.program.slug})).status_code == 404


def test_lead_builds_the_sample_in_the_browser_and_the_view_is_audited(client, roster):
    login(client, roster.lead)
    url = reverse("program_students", kwargs={"slug": roster.program.slug})
    response = client.post(url, {"size": 10, "criteria": ["school", "grade"], "min_per_school": 1, "min_per_group": 0,
                                 "seed": 3, "tolerance_points": 5})
    assert response.status_code == 302
    assert Invitation.objects.filter(program=roster.program).count() == 10
    page = client.get(url).content.decode()
    assert "How representative is the sample?" in page
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_STUDENT_NAMES, program_id=roster.program.pk).exists()


def test_bad_plan_input_is_explained_and_kept(client, roster):
    login(client, roster.lead)
    url = reverse("program_students", kwargs={"slug": roster.program.slug})
    response = client.post(url, {"size": 9999, "criteria": [], "min_per_school": 1, "min_per_group": 2, "seed": 1,
                                 "tolerance_points": 5})
    page = response.content.decode()
    assert "Choose a sample size from 1 to 500." in page and "Choose at least one criterion to balance." in page
    assert 'value="9999"' in page


def test_an_infeasible_plan_shows_its_reasons(client, roster):
    login(client, roster.lead)
    url = reverse("program_students", kwargs={"slug": roster.program.slug})
    response = client.post(url, {"size": 1, "criteria": ["school"], "min_per_school": 1, "min_per_group": 0, "seed": 1,
                                 "tolerance_points": 5})
    assert "The sample could not be built." in response.content.decode()


def test_consent_recorded_on_the_students_page_joins_the_familys_answers_and_is_audited(client, roster):
    from audit.models import AuditAction, AuditEvent
    from recruitment.models import ConsentAnswer, ConsentMethod

    build_sample(program=roster.program)
    invitation = Invitation.objects.filter(program=roster.program).first()
    login(client, roster.lead)
    url = reverse("invitation_change", kwargs={"slug": roster.program.slug, "pk": invitation.pk})
    client.post(url, {"action": "consent", "parent": "granted", "student": "pending", "method": "Signed form"})
    client.post(url, {"action": "consent", "parent": "granted", "student": "granted", "method": "Signed form"})
    answers = list(ConsentAnswer.objects.filter(invitation=invitation).values_list("answer", "method", "recorded_by"))
    assert answers == [("granted", ConsentMethod.PAPER, roster.lead.pk)]  # the assent alone is not a family answer
    assert AuditEvent.objects.filter(action=AuditAction.RECORD_CONSENT, object_id=str(invitation.pk)).count() == 1


def test_lead_records_consent_and_locks_and_swaps(client, roster):
    build_sample(program=roster.program)
    invitation = Invitation.objects.filter(program=roster.program).first()
    login(client, roster.lead)
    url = reverse("invitation_change", kwargs={"slug": roster.program.slug, "pk": invitation.pk})
    client.post(url, {"action": "consent", "parent": "granted", "student": "granted", "method": "Phone"})
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.CONSENTED
    client.post(url, {"action": "lock"})
    invitation.refresh_from_db()
    assert invitation.locked
    other = Invitation.objects.filter(program=roster.program, locked=False, status="invited").first()
    client.post(reverse("invitation_change", kwargs={"slug": roster.program.slug, "pk": other.pk}), {"action": "swap"})
    assert not Invitation.objects.filter(pk=other.pk).exists()
    assert Invitation.objects.filter(program=roster.program).count() == 12


def test_an_invitation_of_another_program_is_not_reachable(client, roster, team):
    build_sample(program=roster.program)
    invitation = Invitation.objects.filter(program=roster.program).first()
    login(client, team.outsider)
    url = reverse("invitation_change", kwargs={"slug": "elsewhere", "pk": invitation.pk})
    assert client.post(url, {"action": "lock"}).status_code == 404


def test_lead_adds_and_covers_a_missing_group(client, roster):
    login(client, roster.lead)
    url = reverse("missing_group_change", kwargs={"slug": roster.program.slug})
    client.post(url, {"description": "Students who recently moved"})
    group = MissingGroup.objects.get(program=roster.program)
    client.post(url, {"pk": group.pk, "description": group.description, "covered": "on", "note": "Via counselors"})
    group.refresh_from_db()
    assert group.covered and group.note == "Via counselors"


def test_the_students_page_keeps_a_constant_number_of_queries(client, roster):
    login(client, roster.lead)
    url = reverse("program_students", kwargs={"slug": roster.program.slug})
    SamplePlan.objects.filter(program=roster.program).update(size=5)
    build_sample(program=roster.program)
    small = count_queries(lambda: client.get(url))
    SamplePlan.objects.filter(program=roster.program).update(size=20)
    build_sample(program=roster.program)
    large = count_queries(lambda: client.get(url))
    assert small == large


def test_sample_report_command_prints_the_gaps(roster):
    build_sample(program=roster.program)
    out = StringIO()
    call_command("sample_report", "--program", roster.program.slug, stdout=out)
    assert "12 students in the sample" in out.getvalue() and "English learner" in out.getvalue()


def test_swapping_out_a_consented_or_locked_student_really_removes_them(roster):
    build_sample(program=roster.program)
    consented, locked = Invitation.objects.filter(program=roster.program)[:2]
    record_consent(invitation=consented, parent=ConsentStatus.GRANTED, student=ConsentStatus.GRANTED)
    locked.locked = True
    locked.save()
    for invitation in (consented, locked):
        chosen = swap_out(program=roster.program, student_id=invitation.student_id)
        assert invitation.student_id not in chosen and len(chosen) == 12


def test_opening_the_students_page_writes_no_plan(client, team):
    login(client, team.lead)
    client.get(reverse("program_students", kwargs={"slug": team.program.slug}))
    assert not SamplePlan.objects.filter(program=team.program).exists()
