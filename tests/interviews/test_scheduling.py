from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from interviews.models import Session, SessionFormat, SessionStatus
from interviews.protocols import record_review
from interviews.scheduling import (
    FOCUS_GROUP_SIZE,
    INDIVIDUAL_NEEDS_ONE,
    NO_CONSENT,
    NOT_INVITED,
    NOT_ON_TEAM,
    NOT_REVIEWED,
    PERSON_BUSY,
    SAME_PERSON,
    STUDENT_BUSY,
    TEACHES,
    SessionPlan,
    SessionRefused,
    cancel_session,
    check_session,
    complete_session,
    no_ready_protocol,
    schedule_session,
    start_session,
)
from programs.models import Role
from recruitment.models import ConsentStatus, Invitation, InvitationStatus
from tests.factories import (
    MembershipFactory,
    StaffMemberFactory,
    StudentFactory,
    TeachingAssignmentFactory,
    UserFactory,
    ready_protocol,
)

SOON = timezone.make_aware(dt.datetime(2026, 12, 3, 10, 0))


@pytest.fixture
def setting(team):
    protocol = ready_protocol(team.program)
    students = [StudentFactory(first_name=f"Kid{i}", last_name="Example") for i in range(9)]
    for student in students[:8]:
        Invitation.objects.create(program=team.program, student=student, parent_consent=ConsentStatus.GRANTED,
                                  student_assent=ConsentStatus.GRANTED, status=InvitationStatus.CONSENTED)
    Invitation.objects.create(program=team.program, student=students[8])  # consent pending
    return team, protocol, students


def plan(team, students, **changes):
    values = {"program": team.program, "format": SessionFormat.FOCUS_GROUP, "starts_at": SOON, "duration_minutes": 45,
              "facilitator": team.facilitator, "students": students}
    values.update(changes)
    return SessionPlan(**values)


def test_a_good_focus_group_is_scheduled_with_the_current_protocol(setting):
    team, protocol, students = setting
    session = schedule_session(plan(team, students[:4], place="Library"), user=team.lead, sees_names=True)
    assert session.protocol == protocol and session.status == SessionStatus.SCHEDULED
    assert set(session.participants.all()) == set(students[:4]) and session.conflict_override_reason == ""


def test_an_individual_interview_needs_exactly_one_student(setting):
    team, _, students = setting
    check = check_session(plan(team, students[:2], format=SessionFormat.INDIVIDUAL), sees_names=True)
    assert INDIVIDUAL_NEEDS_ONE.format(count=2) in check.refusals


def test_a_focus_group_outside_the_recommended_size_is_a_warning_not_a_refusal(setting, settings):
    team, _, students = setting
    check = check_session(plan(team, students[:2]), sees_names=True)
    assert check.warnings == [FOCUS_GROUP_SIZE.format(minimum=settings.FOCUS_GROUP_MIN_STUDENTS,
                                                      maximum=settings.FOCUS_GROUP_MAX_STUDENTS, count=2)]
    assert check.allows()


def test_a_student_without_consent_is_refused_by_name_for_leads_and_pseudonym_otherwise(setting):
    team, _, students = setting
    pending = students[8]
    assert NO_CONSENT.format(student=pending.full_name) in check_session(plan(team, [pending]), sees_names=True).refusals
    assert NO_CONSENT.format(student=pending.pseudonym) in check_session(plan(team, [pending]), sees_names=False).refusals


def test_a_student_outside_the_sample_is_refused(setting):
    team, _, _ = setting
    outsider = StudentFactory()
    assert NOT_INVITED.format(student=outsider.full_name) in check_session(plan(team, [outsider]), sees_names=True).refusals


def test_a_facilitator_who_teaches_a_participant_is_refused_unless_a_lead_gives_a_reason(setting):
    team, _, students = setting
    staff = StaffMemberFactory(user=team.facilitator)
    TeachingAssignmentFactory(staff=staff, student=students[0])
    check = check_session(plan(team, students[:3]), sees_names=True)
    name = team.facilitator.get_full_name()
    assert check.conflicts == [TEACHES.format(person=name, role="facilitator", students=students[0].full_name)]
    with pytest.raises(SessionRefused):
        schedule_session(plan(team, students[:3]), user=team.lead, sees_names=True)
    session = schedule_session(plan(team, students[:3]), user=team.lead, sees_names=True,
                               override_reason="Only Spanish-speaking facilitator available.")
    assert session.conflict_override_reason == "Only Spanish-speaking facilitator available."


def test_a_note_taker_who_teaches_a_participant_is_a_conflict_too(setting):
    team, _, students = setting
    note_taker = UserFactory()
    MembershipFactory(program=team.program, user=note_taker, role=Role.FACILITATOR)
    TeachingAssignmentFactory(staff=StaffMemberFactory(user=note_taker), student=students[1])
    check = check_session(plan(team, students[:3], note_taker=note_taker), sees_names=False)
    assert check.conflicts == [TEACHES.format(person=note_taker.get_full_name(), role="note-taker", students=students[1].pseudonym)]


def test_overlapping_bookings_are_refused_for_people_and_students(setting):
    team, _, students = setting
    schedule_session(plan(team, students[:3]), user=team.lead, sees_names=True)
    later_overlap = plan(team, [students[0], students[5], students[6]], starts_at=SOON + dt.timedelta(minutes=30))
    refusals = check_session(later_overlap, sees_names=True).refusals
    assert PERSON_BUSY.format(person=team.facilitator.get_full_name(), start="Dec 3, 10:00 AM", end="10:45 AM") in refusals
    assert STUDENT_BUSY.format(student=students[0].full_name, start="Dec 3, 10:00 AM", end="10:45 AM") in refusals
    back_to_back = plan(team, students[5:8], starts_at=SOON + dt.timedelta(minutes=45))
    assert check_session(back_to_back, sees_names=True).refusals == []


def test_a_cancelled_session_frees_its_time(setting):
    team, _, students = setting
    session = schedule_session(plan(team, students[:3]), user=team.lead, sees_names=True)
    cancel_session(session, reason="Fire drill")
    assert check_session(plan(team, students[:3]), sees_names=True).refusals == []


def test_the_same_person_cannot_take_notes_and_facilitate(setting):
    team, _, students = setting
    assert SAME_PERSON in check_session(plan(team, students[:3], note_taker=team.facilitator), sees_names=True).refusals


def test_only_team_facilitators_and_leads_facilitate(setting):
    team, _, students = setting
    assert NOT_ON_TEAM.format(person=team.analyst.get_full_name()) in check_session(
        plan(team, students[:3], facilitator=team.analyst), sees_names=True).refusals


def test_no_ready_protocol_no_session(setting):
    team, protocol, students = setting
    protocol.marked_ready = False
    protocol.save()
    assert no_ready_protocol() in check_session(plan(team, students[:3]), sees_names=True).refusals


def test_the_no_ready_protocol_refusal_names_the_question_limits_from_settings(setting, settings):
    team, protocol, students = setting
    protocol.marked_ready = False
    protocol.save()
    settings.PROTOCOL_MIN_QUESTIONS, settings.PROTOCOL_MAX_QUESTIONS = 3, 6
    refusals = check_session(plan(team, students[:3]), sees_names=True).refusals
    assert any("with 3 to 6 questions" in refusal for refusal in refusals)
    assert not any("4 to 8" in refusal for refusal in refusals)


def test_a_facilitator_starts_only_after_reviewing_the_protocol_then_completes(setting):
    team, protocol, students = setting
    session = schedule_session(plan(team, students[:3]), user=team.lead, sees_names=True)
    with pytest.raises(ValueError, match=NOT_REVIEWED.format(version=1)):
        start_session(session, user=team.facilitator)
    record_review(protocol=protocol, user=team.facilitator)
    start_session(session, user=team.facilitator)
    assert session.status == SessionStatus.IN_PROGRESS
    complete_session(session, user=team.facilitator)
    assert session.status == SessionStatus.COMPLETED
    assert set(Invitation.objects.filter(student__in=students[:3]).values_list("status", flat=True)) == {"interviewed"}


def test_others_cannot_run_a_session(setting):
    team, _, students = setting
    session = schedule_session(plan(team, students[:3]), user=team.lead, sees_names=True)
    with pytest.raises(PermissionError):
        start_session(session, user=team.analyst)


def test_cancelling_needs_a_reason(setting):
    team, _, students = setting
    session = schedule_session(plan(team, students[:3]), user=team.lead, sees_names=True)
    with pytest.raises(ValueError, match="Say why"):
        cancel_session(session, reason=" ")
    assert Session.objects.get(pk=session.pk).status == SessionStatus.SCHEDULED
