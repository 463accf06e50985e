from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from interviews.models import Session, SessionFormat, SessionStatus
from interviews.protocols import record_review
from interviews.scheduling import NO_CONSENT, TEACHES, SessionPlan, schedule_session
from recruitment.models import ConsentStatus, Invitation, InvitationStatus
from tests.factories import SchoolFactory, StaffMemberFactory, StudentFactory, TeachingAssignmentFactory, ready_protocol
from tests.test_helpers import count_queries, login

START = timezone.make_aware(dt.datetime(2026, 12, 3, 10, 0))


@pytest.fixture
def program(team):
    ready_protocol(team.program)
    school = SchoolFactory(name="Lincoln High")
    team.program.schools.add(school)
    for i in range(6):
        student = StudentFactory(school=school, first_name=f"Stu{i}", last_name="Dent")
        consent = ConsentStatus.GRANTED if i < 5 else ConsentStatus.PENDING
        Invitation.objects.create(program=team.program, student=student, parent_consent=consent, student_assent=consent,
                                  status=InvitationStatus.CONSENTED if i < 5 else InvitationStatus.INVITED)
    return team


def students(team, count=3):
    return list(team.program.invitations.filter(parent_consent=ConsentStatus.GRANTED).order_by("pk")
                .values_list("student_id", flat=True)[:count])


def form_data(team, **changes):
    data = {"format": SessionFormat.FOCUS_GROUP, "date": "2026-12-03", "start_time": "10:00", "duration_minutes": 45,
            "place": "Library", "facilitator": team.facilitator.pk, "students": students(team)}
    data.update(changes)
    return data


def make_session(team, **changes) -> Session:
    from participants.models import Student

    values = {"program": team.program, "format": SessionFormat.FOCUS_GROUP, "starts_at": START, "duration_minutes": 45,
              "place": "Library",
              "facilitator": team.facilitator, "students": list(Student.objects.filter(pk__in=students(team)))}
    values.update(changes)
    return schedule_session(SessionPlan(**values), user=team.lead, sees_names=True)


def test_lead_schedules_a_focus_group(client, program):
    login(client, program.lead)
    response = client.post(reverse("session_new", kwargs={"slug": program.program.slug}), form_data(program))
    session = Session.objects.get()
    assert response["Location"] == reverse("session_detail", kwargs={"slug": program.program.slug, "pk": session.pk})
    assert session.starts_at == START and session.participants.count() == 3


def test_a_student_without_consent_is_refused_and_the_form_keeps_the_input(client, program):
    pending = program.program.invitations.get(parent_consent=ConsentStatus.PENDING).student
    login(client, program.lead)
    page = client.post(reverse("session_new", kwargs={"slug": program.program.slug}),
                       form_data(program, students=[pending.pk], format=SessionFormat.INDIVIDUAL, place="Room 9")).content.decode()
    assert NO_CONSENT.format(student=pending.full_name) in page
    # The student stays ticked (wherever the ordering of names puts the box: ties in last names differ by database).
    assert 'value="Room 9"' in page and re.search(rf'value="{pending.pk}" id="id_students_\d+" checked', page.replace("  ", " "))
    assert not Session.objects.exists()


def test_a_teacher_facilitator_is_refused_until_a_reason_is_given(client, program):
    staff = StaffMemberFactory(user=program.facilitator)
    from participants.models import Student

    taught = Student.objects.get(pk=students(program)[0])  # one of the students the form chooses
    TeachingAssignmentFactory(staff=staff, student=taught)
    login(client, program.lead)
    url = reverse("session_new", kwargs={"slug": program.program.slug})
    page = client.post(url, form_data(program)).content.decode()
    name = program.facilitator.get_full_name()
    assert TEACHES.format(person=name, role="facilitator", students=taught.full_name) in page
    assert not Session.objects.exists()
    client.post(url, form_data(program, override_reason="She is the only Vietnamese speaker."))
    assert Session.objects.get().conflict_override_reason == "She is the only Vietnamese speaker."


def test_a_small_focus_group_is_scheduled_with_a_warning(client, program):
    login(client, program.lead)
    response = client.post(reverse("session_new", kwargs={"slug": program.program.slug}),
                           form_data(program, students=students(program, 2)), follow=True)
    assert "Focus groups work best with 3 to 8 students; this one has 2." in response.content.decode()
    assert Session.objects.count() == 1


def test_missing_time_and_place_are_explained(client, program):
    login(client, program.lead)
    page = client.post(reverse("session_new", kwargs={"slug": program.program.slug}),
                       form_data(program, date="", place="")).content.decode()
    assert "Choose the date and the start time." in page and "Say where it happens" in page


@pytest.mark.parametrize("persona", ["facilitator", "analyst", "viewer"])
def test_only_leads_schedule(client, program, persona):
    login(client, getattr(program, persona))
    assert client.get(reverse("session_new", kwargs={"slug": program.program.slug})).status_code == 403


def test_the_list_is_in_date_order_with_my_sessions_marked_and_filters(client, program):
    other = make_session(program, facilitator=program.lead, starts_at=START - dt.timedelta(days=1))
    mine = make_session(program, starts_at=START + dt.timedelta(days=1))
    login(client, program.facilitator)
    url = reverse("session_list", kwargs={"slug": program.program.slug})
    response = client.get(url)
    sessions = list(response.context["sessions"])
    assert sessions == [other, mine] and [s.mine for s in sessions] == [1, 0]
    assert response.content.decode().count(">Yours</span>") == 1
    cancelled = client.get(url, {"status": "cancelled"}).context["sessions"]
    assert list(cancelled) == []
    by_lead = client.get(url, {"facilitator": program.lead.pk}).context["sessions"]
    assert list(by_lead) == [other]


def test_the_week_view_places_sessions_on_their_day(client, program):
    make_session(program)
    login(client, program.lead)
    page = client.get(reverse("session_list", kwargs={"slug": program.program.slug}),
                      {"view": "week", "week": "2026-12-01"}).content.decode()
    assert "Week of November 30, 2026" in page and "Thu 3" in page and "10:00 AM" in page


def test_the_list_keeps_a_constant_number_of_queries(client, program):
    login(client, program.lead)
    url = reverse("session_list", kwargs={"slug": program.program.slug})
    make_session(program)
    small = count_queries(lambda: client.get(url))
    for day in range(1, 6):
        make_session(program, starts_at=START + dt.timedelta(days=day))
    assert count_queries(lambda: client.get(url)) == small


def test_names_on_the_session_page_only_for_leads_and_the_session_team(client, program):
    session = make_session(program)
    name = session.participants.first().full_name
    page_url = reverse("session_detail", kwargs={"slug": program.program.slug, "pk": session.pk})
    login(client, program.facilitator)
    assert name in client.get(page_url).content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.VIEW_STUDENT_NAMES, actor=program.facilitator).exists()
    login(client, program.analyst)
    page = client.get(page_url).content.decode()
    assert name not in page and session.participants.first().pseudonym in page


def test_start_needs_a_review_then_complete(client, program):
    session = make_session(program)
    login(client, program.facilitator)
    action = reverse("session_action", kwargs={"slug": program.program.slug, "pk": session.pk})
    response = client.post(action, {"action": "start"}, follow=True)
    assert "Confirm that you have reviewed version 1" in response.content.decode()
    record_review(protocol=session.protocol, user=program.facilitator)
    client.post(action, {"action": "start"})
    client.post(action, {"action": "complete"})
    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED


def test_analysts_cannot_run_and_only_leads_cancel(client, program):
    session = make_session(program)
    action = reverse("session_action", kwargs={"slug": program.program.slug, "pk": session.pk})
    login(client, program.analyst)
    assert client.post(action, {"action": "start"}).status_code == 403
    login(client, program.facilitator)
    assert client.post(action, {"action": "cancel", "reason": "x"}).status_code == 403
    login(client, program.lead)
    response = client.post(action, {"action": "cancel", "reason": ""}, follow=True)
    assert "Say why the session is cancelled" in response.content.decode()
    client.post(action, {"action": "cancel", "reason": "Assembly moved"})
    session.refresh_from_db()
    assert (session.status, session.cancel_reason) == (SessionStatus.CANCELLED, "Assembly moved")


def test_a_session_of_another_program_is_not_reachable(client, program, team):
    session = make_session(program)
    login(client, team.outsider)
    assert client.get(reverse("session_detail", kwargs={"slug": "elsewhere", "pk": session.pk})).status_code == 404


def test_calendar_files_hold_the_sessions_but_no_names(client, program):
    session = make_session(program)
    login(client, program.facilitator)
    single = client.get(reverse("session_ics", kwargs={"slug": program.program.slug, "pk": session.pk}))
    assert single["Content-Type"].startswith("text/calendar")
    text = single.content.decode()
    assert "BEGIN:VEVENT" in text and START.astimezone(dt.UTC).strftime("DTSTART:%Y%m%dT%H%M%SZ") in text and "LOCATION:Library" in text
    assert "Stu0" not in text and "Dent" not in text
    mine = client.get(reverse("facilitator_ics", kwargs={"slug": program.program.slug, "user_id": program.facilitator.pk}))
    assert mine.content.decode().count("BEGIN:VEVENT") == 1
    other = reverse("facilitator_ics", kwargs={"slug": program.program.slug, "user_id": program.lead.pk})
    assert client.get(other).status_code == 403
