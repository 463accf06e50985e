from __future__ import annotations

from django.urls import reverse

from empathy.checklist import STEPS, StepStatus, program_checklist
from programs.models import Membership, Role
from programs.pages import may_open
from tests.factories import MembershipFactory, ProgramFactory, StaffMemberFactory, UserFactory
from tests.test_helpers import login

WORKFLOW = ["Facilitators", "Students", "Protocol", "Sessions", "Live notes", "Follow-up", "Analysis", "Report", "Action plan"]


def test_the_checklist_has_the_nine_workflow_steps_in_order(db):
    program = ProgramFactory()
    steps = program_checklist(program)
    assert [step.title for step in steps] == WORKFLOW
    assert [step.number for step in steps] == list(range(1, 10))
    assert len(STEPS) == 9


def test_a_program_without_facilitators_has_that_step_next(db):
    program = ProgramFactory()
    MembershipFactory(program=program, role=Role.LEAD)
    facilitators = program_checklist(program)[0]
    assert facilitators.status == StepStatus.NEXT
    assert facilitators.summary == "No facilitators on the team yet."
    assert facilitators.url == reverse("program_team", kwargs={"slug": program.slug})


def test_facilitators_step_is_done_and_counts_outside_facilitators(db):
    program = ProgramFactory()
    outside = UserFactory()
    StaffMemberFactory(user=outside, is_outside_facilitator=True)
    MembershipFactory(program=program, user=outside, role=Role.FACILITATOR)
    MembershipFactory(program=program, role=Role.FACILITATOR)
    facilitators = program_checklist(program)[0]
    assert facilitators.status == StepStatus.DONE
    assert facilitators.summary == "2 facilitators on the team, 1 from outside the schools."


def test_a_step_links_to_its_screen_exactly_when_the_role_may_open_it(db):
    program = ProgramFactory()
    for role in Role:
        for step, definition in zip(program_checklist(program, role), STEPS, strict=True):
            assert (step.url is not None) == may_open(role, definition.url_name), (role, step.key)


def test_every_step_has_its_screen_now(db):
    assert all(step.url for step in program_checklist(ProgramFactory(), Role.LEAD))


def test_only_one_step_is_next(db):
    steps = program_checklist(ProgramFactory())
    assert sum(step.status == StepStatus.NEXT for step in steps) <= 1


def test_dashboard_shows_progress_and_the_next_step(client, team):
    Membership.objects.filter(program=team.program, role=Role.FACILITATOR).delete()
    login(client, team.lead)
    page = client.get(reverse("program_dashboard", kwargs={"slug": team.program.slug})).content.decode()
    assert "0 of 9 done" in page
    assert "Next step" in page and "Go to facilitators" in page
    for title in WORKFLOW:
        assert title in page


def test_dashboard_marks_done_steps(client, team):
    login(client, team.viewer)
    page = client.get(reverse("program_dashboard", kwargs={"slug": team.program.slug})).content.decode()
    assert "1 of 9 done" in page
    assert 'class="checklist-step step-done" id="step-facilitators"' in page


def test_steps_link_only_to_screens_the_role_may_open(db):
    program = ProgramFactory()
    titles = lambda role: {s.title for s in program_checklist(program, role) if s.url}  # noqa: E731
    assert "Students" in titles(Role.LEAD) and "Students" not in titles(Role.VIEWER)
    assert "Report" in titles(Role.VIEWER) and "Report" not in titles(Role.FACILITATOR)
    assert "Analysis" not in titles(Role.FACILITATOR) and "Analysis" in titles(Role.ANALYST)


def test_every_dashboard_link_opens_for_that_role(client, team):
    for persona in ("lead", "facilitator", "analyst", "viewer"):
        login(client, getattr(team, persona))
        for step in client.get(reverse("program_dashboard", kwargs={"slug": team.program.slug})).context["steps"]:
            if step.url:
                assert client.get(step.url).status_code == 200, (persona, step.title)


def test_the_protocol_step_names_the_question_limits_from_settings(db, settings):
    settings.PROTOCOL_MIN_QUESTIONS, settings.PROTOCOL_MAX_QUESTIONS = 3, 6
    protocol = next(step for step in program_checklist(ProgramFactory()) if step.key == "protocol")
    assert "Write 3 to 6 open" in protocol.description
