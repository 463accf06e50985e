from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.http import HttpRequest
from django.urls import reverse

from actions.models import ActionItem, Idea
from actions.plan import themes_without_action
from analysis.models import CodeApplication
from empathy.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_PROGRAM_SLUG
from empathy.demo_roster import DEMO_STUDENT_COUNT
from interviews.models import Note, NoteKind, NoteRevision, Protocol, Session
from interviews.protocols import is_ready
from participants.models import School, StaffMember, Student, StudentGroup, TeachingAssignment
from programs.models import Membership, Program, Role
from recruitment.models import Invitation
from reports.models import Report

COUNTED = (Invitation, Protocol, Session, School, StudentGroup, Student, StaffMember, TeachingAssignment, Program, Membership, get_user_model())


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--i-know-this-is-not-production", stdout=StringIO())
    return Program.objects.get(slug=DEMO_PROGRAM_SLUG)


def test_seed_demo_is_idempotent(demo):
    first = counts()
    out = StringIO()
    call_command("seed_demo", "--i-know-this-is-not-production", stdout=out)
    assert counts() == first
    assert "Demo logins" in out.getvalue() and DEMO_PASSWORD in out.getvalue()


def test_if_empty_leaves_an_existing_database_alone(demo):
    Student.objects.filter(local_id="LHS-00001").update(first_name="Edited")
    out = StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "demo data not loaded" in out.getvalue()
    assert Student.objects.get(local_id="LHS-00001").first_name == "Edited"


def test_the_demo_district_is_believable(demo):
    assert School.objects.count() == 2
    assert Student.objects.count() == DEMO_STUDENT_COUNT
    grades = set(Student.objects.values_list("grade", flat=True))
    assert grades == set(range(6, 13))
    assert {s.code: s.grade_span for s in School.objects.all()} == {"LHS": "9–12", "RMS": "6–8"}
    assert Student.objects.filter(english_learner=True).count() > 20
    assert Student.objects.filter(special_education=True).count() > 10
    assert Student.objects.filter(groups__isnull=False).distinct().count() > 30
    staff = StaffMember.objects.all()
    assert staff.count() == 6
    assert staff.filter(is_outside_facilitator=True).count() == 1
    assert TeachingAssignment.objects.exists()
    assert Invitation.objects.filter(program=demo).count() == 40
    assert Invitation.objects.filter(program=demo).consented().count() == 24
    protocol = Protocol.objects.get(program=demo)
    assert is_ready(protocol) and protocol.questions.count() == 6
    statuses = sorted(Session.objects.filter(program=demo).values_list("format", "status"))
    assert ("focus_group", "completed") in statuses and ("individual", "completed") in statuses
    assert ("focus_group", "scheduled") in statuses and ("individual", "scheduled") in statuses
    notes = Note.objects.filter(session__program=demo)
    assert notes.filter(kind=NoteKind.STUDENT).count() > 40
    assert notes.filter(kind=NoteKind.FOLLOW_UP).exists() and notes.filter(kind=NoteKind.DECLINED).exists()
    assert NoteRevision.objects.filter(note__session__program=demo).exists()
    assert demo.themes.count() == 3 and all(theme.quotes.exists() for theme in demo.themes.all())
    assert CodeApplication.objects.filter(code__program=demo).count() > 30
    assert Idea.objects.filter(program=demo).count() == 3 and ActionItem.objects.filter(program=demo).count() == 2
    assert [t.name for t in themes_without_action(demo)] == ["Adults who notice"]
    reports = Report.objects.filter(program=demo)
    assert sorted(reports.values_list("kind", "status")) == [
        ("infographic", "ready"), ("slides", "ready"), ("slides_pptx", "ready"), ("student_summary", "ready"),
        ("thematic", "ready"), ("thematic_docx", "ready")]
    roles = set(Membership.objects.filter(program=demo).values_list("role", flat=True))
    assert roles == {r.value for r in Role}


def test_pseudonyms_never_contain_the_name(demo):
    for first, last, pseudonym in Student.objects.values_list("first_name", "last_name", "pseudonym"):
        assert first not in pseudonym and last not in pseudonym


@pytest.mark.parametrize("login", [login.username for login in DEMO_LOGINS if login.username != "admin"])
def test_every_page_renders_for_every_demo_role(client, demo, login):
    assert client.login(request=HttpRequest(), username=login, password=DEMO_PASSWORD)
    urls = [reverse("home"), reverse("password_change")]
    urls += [reverse(name, kwargs={"slug": demo.slug}) for name in
             ("program_dashboard", "program_team", "protocol", "protocol_versions", "session_list")]
    urls += [reverse("session_list", kwargs={"slug": demo.slug}) + "?view=week",
             reverse("session_detail", kwargs={"slug": demo.slug, "pk": Session.objects.filter(program=demo).first().pk})]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    for name in ("program_edit", "program_students", "program_facilitators", "session_new"):
        response = client.get(reverse(name, kwargs={"slug": demo.slug}))
        assert response.status_code == (200 if login == "lead" else 403), name
    assert client.get(reverse("roster")).status_code == (200 if login == "lead" else 403)
    reports_page = client.get(reverse("report_list", kwargs={"slug": demo.slug}))
    assert reports_page.status_code == (200 if login in ("lead", "viewer") else 403)
    if login in ("lead", "viewer"):
        first = Report.objects.filter(program=demo).first()
        assert client.get(reverse("report_download", kwargs={"slug": demo.slug, "pk": first.pk})).status_code == 200
    for name in ("actions", "ideas"):
        assert client.get(reverse(name, kwargs={"slug": demo.slug})).status_code == 200, name
    item = ActionItem.objects.filter(program=demo).first()
    assert client.get(reverse("action_detail", kwargs={"slug": demo.slug, "pk": item.pk})).status_code == 200
    expected = {"workbench": login in ("lead", "analyst"), "codebook": login in ("lead", "analyst"),
                "themes": login != "facilitator", "patterns": login != "facilitator"}
    for name, allowed in expected.items():
        assert client.get(reverse(name, kwargs={"slug": demo.slug})).status_code == (200 if allowed else 403), name
    if login != "facilitator":
        theme = demo.themes.first()
        assert client.get(reverse("theme_detail", kwargs={"slug": demo.slug, "pk": theme.pk})).status_code == 200
    completed = Session.objects.filter(program=demo, status="completed").first()
    runs_it = login == "lead" or completed.facilitator.username == login or getattr(completed.note_taker, "username", "") == login
    for name in ("runner", "notes_review", "followup_slips"):
        response = client.get(reverse(name, kwargs={"slug": demo.slug, "pk": completed.pk}))
        assert response.status_code == (200 if runs_it else 403), name
    if login == "lead":
        assert client.get(reverse("program_create")).status_code == 200


def test_admin_renders_for_the_demo_administrator(client, demo):
    assert client.login(request=HttpRequest(), username="admin", password=DEMO_PASSWORD)
    for name in ("admin:index", "admin:participants_student_changelist", "admin:programs_program_changelist",
                 "admin:audit_auditevent_changelist"):
        assert client.get(reverse(name)).status_code == 200, name


def test_the_demo_refuses_to_load_with_debug_off_unless_told(db, settings):
    from django.core.management.base import CommandError

    from empathy.management.commands.seed_demo import NOT_ON_PRODUCTION

    settings.DEBUG = False
    with pytest.raises(CommandError, match="published password"):
        call_command("seed_demo", stdout=StringIO())
    assert not Program.objects.exists() and NOT_ON_PRODUCTION
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    assert Program.objects.filter(slug=DEMO_PROGRAM_SLUG).exists()


def test_the_demo_is_never_loaded_beside_real_programs(db, settings):
    from django.core.management.base import CommandError

    from tests.factories import ProgramFactory

    settings.DEBUG = True
    ProgramFactory(name="Real belonging study", slug="real-study")
    with pytest.raises(CommandError, match="Real belonging study"):
        call_command("seed_demo", "--i-know-this-is-not-production", stdout=StringIO())
    assert not Program.objects.filter(slug=DEMO_PROGRAM_SLUG).exists()
