from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from audit.log import record
from audit.models import AuditAction, AuditEvent
from tests.factories import ProgramFactory, StudentFactory
from tests.test_helpers import count_queries, login


def url(team, **query):
    from urllib.parse import urlencode

    return reverse("audit_log", kwargs={"slug": team.program.slug}) + ("?" + urlencode(query) if query else "")


def events(team):
    student, other = StudentFactory(), StudentFactory()
    record(action=AuditAction.VIEW_STUDENT_NAMES, actor=team.lead, obj=student, program=team.program)
    record(action=AuditAction.EXPORT, actor=team.analyst, program=team.program, detail={"export": "excerpts"})
    record(action=AuditAction.VIEW_STUDENT_NAMES, actor=team.analyst, obj=other, program=team.program)
    record(action=AuditAction.EXPORT, actor=team.analyst, program=ProgramFactory(slug="another-program"))
    return student, other


def test_a_lead_filters_by_person_student_action_and_date(client, team):
    student, other = events(team)
    login(client, team.lead)
    page = client.get(url(team)).content.decode()
    assert page.count("<tr><td class=\"text-nowrap\">") == 3  # the other program's event is not listed
    by_person = client.get(url(team, person=team.analyst.username)).content.decode()
    assert "excerpts" in by_person and student.pseudonym not in by_person and other.pseudonym in by_person
    by_student = client.get(url(team, student=student.local_id)).content.decode()
    assert student.pseudonym in by_student and "excerpts" not in by_student
    assert "excerpts" in client.get(url(team, action="export")).content.decode()
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert "Nothing matches these filters." in client.get(url(team, since=tomorrow)).content.decode()


def test_only_leads_read_it_and_nobody_changes_it(client, team):
    events(team)
    login(client, team.analyst)
    assert client.get(url(team)).status_code == 403
    login(client, team.lead)
    assert client.post(url(team)).status_code == 405
    assert AuditEvent.objects.count() == 4


def test_the_log_keeps_a_constant_number_of_queries(client, team):
    events(team)
    login(client, team.lead)
    small = count_queries(lambda: client.get(url(team)))
    for _ in range(30):
        record(action=AuditAction.EXPORT, actor=team.viewer, program=team.program)
    assert count_queries(lambda: client.get(url(team))) == small


def _auditor():
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    user = UserFactory(username="privacy-officer")
    user.user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    return user


def test_the_district_log_shows_roster_entries_that_belong_to_no_program(client, team):
    student = StudentFactory(pseudonym="Quiet Heron 7")
    record(action=AuditAction.VIEW_STUDENT_NAMES, actor=team.lead, detail={"page": "roster"})
    record(action=AuditAction.EXPORT, actor=team.lead, obj=student, detail={"format": "csv"})
    record(action=AuditAction.DOWNLOAD_REPORT, actor=team.viewer, program=team.program)
    login(client, _auditor())
    url = reverse("district_audit_log")
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "District audit log" in html and html.count("<td>roster</td>") == 2 and f"<td>{team.program.slug}</td>" in html
    only_student = client.get(url, {"student": "quiet heron 7"}).context["page"].object_list
    assert [e.action for e in only_student] == [AuditAction.EXPORT]
    only_viewer = client.get(url, {"person": team.viewer.username}).context["page"].object_list
    assert [e.action for e in only_viewer] == [AuditAction.DOWNLOAD_REPORT]


def test_the_district_log_needs_the_audit_permission(client, team):
    login(client, team.lead)
    assert client.get(reverse("district_audit_log")).status_code == 403
    assert f'href="{reverse("district_audit_log")}"' not in client.get(reverse("home")).content.decode()
    login(client, _auditor())
    assert f'href="{reverse("district_audit_log")}"' in client.get(reverse("home")).content.decode()


def test_the_district_log_keeps_a_constant_number_of_queries(client, team):
    login(client, _auditor())
    url = reverse("district_audit_log")
    record(action=AuditAction.EXPORT, actor=team.lead)
    few = count_queries(lambda: client.get(url))
    for i in range(30):
        record(action=AuditAction.VIEW_STUDENT_NAMES, actor=team.lead, program=team.program if i % 2 else None)
    assert count_queries(lambda: client.get(url)) == few
