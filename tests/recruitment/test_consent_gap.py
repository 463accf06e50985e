"""The consent gap: the consented students beside the invited students and the community, the groups whose
consent lags, and replacements from those groups proposed by the sampler and invited with one click."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interviews.models import SessionFormat
from interviews.scheduling import NO_CONSENT, SessionPlan, check_session
from recruitment.consent import record_consent
from recruitment.consent_gap import (
    MIN_INVITED_FOR_ABSENCE,
    GapLine,
    NotAReplacement,
    consent_gap,
    invite_replacement,
    lags,
    propose_replacements,
)
from recruitment.models import CommunityShare, ConsentStatus, Invitation, SamplePlan
from tests.factories import SchoolFactory, StudentFactory, ready_protocol
from tests.test_helpers import login


@pytest.fixture
def sample(team):
    """80 students, a quarter English learners; 24 invited (6 learners, 25%); 12 consented, one a learner (8%)."""
    school = SchoolFactory(name="North")
    team.program.schools.add(school)
    SamplePlan.objects.create(program=team.program, size=24, criteria=["english_learner", "gender"])
    students = [StudentFactory(school=school, grade=9 + i % 4, english_learner=i % 4 == 0, first_name=f"S{i}")
                for i in range(80)]
    learners = [s for s in students if s.english_learner]
    others = [s for s in students if not s.english_learner]
    invited_learners, invited_others = learners[:6], others[:18]
    for student in invited_learners + invited_others:
        Invitation.objects.create(program=team.program, student=student)
    for student in invited_learners[:1] + invited_others[:11]:
        grant(team.program, student)
    for student in invited_learners[1:3]:
        record_consent(invitation=Invitation.objects.get(program=team.program, student=student),
                       parent=ConsentStatus.DECLINED, student=ConsentStatus.PENDING)
    team.students = students
    return team


def grant(program, student):
    record_consent(invitation=Invitation.objects.get(program=program, student=student),
                   parent=ConsentStatus.GRANTED, student=ConsentStatus.PENDING, method="online")


def test_the_gap_shows_community_invited_and_consented_shares_per_criterion(sample):
    gap = consent_gap(program=sample.program)
    assert [t.key for t in gap.tables] == ["english_learner", "gender"]
    assert gap.invited_size == 24 and gap.consented_size == 12
    yes = next(line for line in gap.tables[0].lines if line.category == "Yes")
    assert (yes.community_percent, yes.invited_percent, yes.consented_percent) == (25.0, 25.0, 8.3)
    assert (yes.invited_count, yes.consented_count) == (6, 1)


def test_a_lagging_group_is_flagged_in_the_issues_words(sample):
    gap = consent_gap(program=sample.program)
    assert [lag.sentence for lag in gap.lags] == ["English learner: 25% of invited, 8% of consented"]
    no = next(line for line in gap.tables[0].lines if line.category == "No")
    assert not no.lags  # over-represented among the consented: not a lag


def test_the_community_percentages_are_the_community_when_the_plan_uses_them(sample):
    CommunityShare.objects.create(program=sample.program, criterion="english_learner", category="Yes", percent=40)
    CommunityShare.objects.create(program=sample.program, criterion="english_learner", category="No", percent=60)
    SamplePlan.objects.filter(program=sample.program).update(use_community_shares=True)
    gap = consent_gap(program=sample.program)
    yes = next(line for line in gap.tables[0].lines if line.category == "Yes")
    assert yes.community_percent == 40.0 and gap.uses_community_shares


def test_the_lag_rule_tolerance_absence_and_nothing_before_the_first_consent():
    common = {"invited_count": 5, "consented_size": 10}
    assert lags(invited_percent=25, consented_percent=8, consented_count=1, tolerance_points=5, **common)
    assert not lags(invited_percent=25, consented_percent=21, consented_count=2, tolerance_points=5, **common)
    # A small group losing everyone lags although it loses fewer points than the tolerance.
    assert lags(invited_percent=4, consented_percent=0, consented_count=0, tolerance_points=5,
                invited_count=MIN_INVITED_FOR_ABSENCE, consented_size=10)
    assert not lags(invited_percent=4, consented_percent=0, consented_count=0, tolerance_points=5,
                    invited_count=1, consented_size=10)
    assert not lags(invited_percent=25, consented_percent=0, consented_count=0, tolerance_points=5,
                    invited_count=5, consented_size=0)


def test_the_sampler_proposes_uninvited_students_from_the_lagging_group(sample):
    proposals = propose_replacements(program=sample.program)
    invited = set(Invitation.objects.filter(program=sample.program).values_list("student_id", flat=True))
    # 25% of 12 consented is 3 learners; one has consented, so two more.
    assert len(proposals) == 2
    assert all(p.student.english_learner and p.student.pk not in invited for p in proposals)
    assert all(p.groups == ["English learner"] for p in proposals)
    assert [p.student.pk for p in propose_replacements(program=sample.program)] == [p.student.pk for p in proposals]


def test_no_lag_no_proposal(sample):
    pending = Invitation.objects.filter(program=sample.program, student__english_learner=True,
                                        parent_consent=ConsentStatus.PENDING)
    for invitation in pending:  # three more learners: 4 of 15 consented, 27%
        record_consent(invitation=invitation, parent=ConsentStatus.GRANTED, student=ConsentStatus.PENDING)
    gap = consent_gap(program=sample.program)
    assert not gap.lags and propose_replacements(program=sample.program, gap=gap) == []


def test_inviting_a_proposal_creates_a_pending_invitation_as_the_students_page_does(client, sample):
    proposal = propose_replacements(program=sample.program)[0]
    login(client, sample.lead)
    page = client.get(reverse("consent", kwargs={"slug": sample.program.slug})).content.decode()
    assert f"Invite {proposal.student.first_name} {proposal.student.last_name}" in page
    assert "English learner: 25% of invited, 8% of consented" in page
    response = client.post(reverse("consent_replace", kwargs={"slug": sample.program.slug}),
                           {"student": proposal.student.pk}, follow=True)
    assert f"{proposal.student.first_name} {proposal.student.last_name} is invited" in response.content.decode()
    invitation = Invitation.objects.get(program=sample.program, student=proposal.student)
    assert invitation.parent_consent == ConsentStatus.PENDING and invitation.status == "invited" and not invitation.locked


def test_inviting_is_refused_for_the_already_invited_and_students_outside_the_schools(client, sample):
    invited = Invitation.objects.filter(program=sample.program).first()
    with pytest.raises(NotAReplacement):
        invite_replacement(program=sample.program, student_id=invited.student_id)
    outside = StudentFactory()
    with pytest.raises(NotAReplacement):
        invite_replacement(program=sample.program, student_id=outside.pk)
    login(client, sample.lead)
    url = reverse("consent_replace", kwargs={"slug": sample.program.slug})
    assert "already invited" in client.post(url, {"student": invited.student_id}, follow=True).content.decode()
    assert "Choose a student to invite." in client.post(url, {"student": "x"}, follow=True).content.decode()
    assert not Invitation.objects.filter(student=outside).exists()


def test_sessions_still_refuse_a_student_without_consent_and_assent(sample):
    """A family's yes online is not enough: the student's assent is needed too, and a replacement just
    invited has neither."""
    ready_protocol(sample.program)
    consented = Invitation.objects.filter(program=sample.program, parent_consent=ConsentStatus.GRANTED).first()
    replacement = invite_replacement(program=sample.program, student_id=propose_replacements(program=sample.program)[0].student.pk)
    starts = timezone.make_aware(dt.datetime(2026, 12, 10, 10, 0))
    for invitation in (consented, replacement):
        plan = SessionPlan(program=sample.program, format=SessionFormat.INDIVIDUAL, starts_at=starts, duration_minutes=30,
                           facilitator=sample.facilitator, students=[invitation.student])
        assert NO_CONSENT.format(student=invitation.student.full_name) in check_session(plan, sees_names=True).refusals
    record_consent(invitation=consented, parent=ConsentStatus.GRANTED, student=ConsentStatus.GRANTED)
    plan = SessionPlan(program=sample.program, format=SessionFormat.INDIVIDUAL, starts_at=starts, duration_minutes=30,
                       facilitator=sample.facilitator, students=[consented.student])
    assert not any("consent" in r for r in check_session(plan, sees_names=True).refusals)


# Shown to anyone but a lead, a count below the program's threshold is never a number.
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(invited=st.integers(min_value=0, max_value=60), consented=st.integers(min_value=0, max_value=60),
       threshold=st.integers(min_value=5, max_value=20))
def test_property_small_counts_are_suppressed_for_anyone_but_leads(invited, consented, threshold):
    line = GapLine("english_learner", "Yes", "Yes", 25.0, 25.0, invited, 8.0, consented, False, threshold=threshold)
    for count, shown in ((invited, line.invited_shown), (consented, line.consented_shown)):
        if 0 < count < threshold:
            assert not any(ch.isdigit() for ch in shown.replace(str(threshold), ""))
            assert str(count) != shown
        else:
            assert shown == str(count)
    lead_line = GapLine("english_learner", "Yes", "Yes", 25.0, 25.0, invited, 8.0, consented, False)
    assert lead_line.invited_shown == str(invited) and lead_line.consented_shown == str(consented)
