"""The roster's permissions stop at program walls: a student's record and its exports show a person the
words of the programs they lead and the sessions they run; only the district privacy officer sees
every program's words and deletes a student."""

from __future__ import annotations

import csv
import io
import uuid

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from analysis.codebook import add_code, seed_categories
from analysis.coding import apply_code
from analysis.models import Theme
from analysis.themes import add_quote
from audit.models import AuditAction, AuditEvent
from interviews.models import Note, NoteKind, NoteStep, Session, SessionFormat, SessionStatus
from participants.models import Student
from participants.roles import DISTRICT_ROLES, PRIVACY_OFFICER, ROSTER_MANAGER, grant_district_role
from programs.models import Role
from recruitment.models import ConsentStatus, Invitation
from tests.factories import MembershipFactory, ProgramFactory, UserFactory, ready_protocol
from tests.test_helpers import login

WORDS_IN_B = "In the other program I said the buses are always late."


class Walled:
    def __init__(self, coded):
        self.coded = coded
        self.student = coded.students[0]
        self.note_a = coded.notes[0]
        self.program_b = ProgramFactory(name="Bus voices", slug="bus-voices")
        self.lead_b = UserFactory(username="lead-b")
        self.facilitator_b = UserFactory(username="facilitator-b")
        MembershipFactory(program=self.program_b, user=self.lead_b, role=Role.LEAD)
        MembershipFactory(program=self.program_b, user=self.facilitator_b, role=Role.FACILITATOR)
        session = Session.objects.create(program=self.program_b, format=SessionFormat.INDIVIDUAL,
                                         protocol=ready_protocol(self.program_b), starts_at=timezone.now(),
                                         facilitator=self.facilitator_b, status=SessionStatus.COMPLETED)
        session.participants.add(self.student)
        Invitation.objects.create(program=self.program_b, student=self.student, parent_consent=ConsentStatus.GRANTED,
                                  student_assent=ConsentStatus.GRANTED)
        self.note_b = Note.objects.create(id=uuid.uuid4(), session=session, step=NoteStep.QUESTION,
                                          question=session.protocol.questions.first(), student=self.student,
                                          kind=NoteKind.STUDENT, text=WORDS_IN_B)
        code = add_code(self.program_b, category=seed_categories(self.program_b)[0], name="Late buses")
        application = apply_code(note=self.note_b, code=code, coder=self.lead_b, start=0, end=len(WORDS_IN_B))
        theme = Theme.objects.create(program=self.program_b, name="Getting to school")
        theme.codes.add(code)
        add_quote(theme, application=application)

    @property
    def lead_a(self):
        return self.coded.team.lead


@pytest.fixture
def walled(coded):
    """A student interviewed in program A (the coded focus group) and in program B, coded and quoted in B."""
    return Walled(coded)


def _roster_manager(user):
    grant_district_role(user, ROSTER_MANAGER)
    return user


def _csv(client, student) -> list[list[str]]:
    response = client.get(reverse("student_export", args=[student.pk, "csv"]))
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_lead_of_one_program_sees_its_words_on_the_record_not_the_other_programs(client, walled):
    login(client, _roster_manager(walled.lead_a))
    page = client.get(reverse("student_record", args=[walled.student.pk])).content.decode()
    assert walled.note_a.text in page and WORDS_IN_B not in page
    assert "Not shown: 1 note, 1 coded passage, 1 theme quote" in page
    assert "Delete this student" not in page


def test_and_the_same_in_the_csv(client, walled):
    login(client, _roster_manager(walled.lead_a))
    rows = _csv(client, walled.student)
    assert any(row[0] == "note" and row[4] == walled.note_a.text for row in rows)
    assert not any(WORDS_IN_B in cell for row in rows for cell in row)
    assert not any(row[0] in ("coded", "quoted in a theme") and row[1] == "Bus voices" for row in rows)
    assert any(row[3] == "Not included" and "1 note" in row[4] for row in rows)  # the file says it is partial
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, program_id=walled.coded.team.program.pk)
    assert event.detail["what"] == "one student, the words of the person's own programs"


def test_a_facilitator_with_the_roster_permission_sees_only_their_own_sessions_words(client, walled):
    login(client, _roster_manager(walled.facilitator_b))
    page = client.get(reverse("student_record", args=[walled.student.pk])).content.decode()
    assert WORDS_IN_B in page and walled.note_a.text not in page


def test_a_roster_manager_on_no_team_sees_the_record_but_no_words(client, walled):
    login(client, _roster_manager(UserFactory(username="registrar-clerk")))
    page = client.get(reverse("student_record", args=[walled.student.pk])).content.decode()
    assert walled.student.last_name in page
    assert walled.note_a.text not in page and WORDS_IN_B not in page and "Not shown: 2 notes" in page


def test_the_privacy_officer_sees_and_exports_every_programs_words(client, walled):
    officer = UserFactory(username="privacy-officer")
    grant_district_role(officer, PRIVACY_OFFICER)
    login(client, officer)
    page = client.get(reverse("student_record", args=[walled.student.pk])).content.decode()
    assert walled.note_a.text in page and WORDS_IN_B in page and "Not shown" not in page
    assert "Delete this student" in page
    rows = _csv(client, walled.student)
    assert {row[4] for row in rows if row[0] == "note"} == {walled.note_a.text, WORDS_IN_B}
    assert {row[1] for row in rows if row[0] == "quoted in a theme"} == {"Bus voices"}


def test_deleting_without_the_privacy_permission_is_refused_and_deletes_nothing(client, walled):
    lead = walled.lead_a  # what the demo lead used to hold: every model permission on students
    lead.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="participants", codename__in=["view_student", "add_student", "change_student",
                                                               "delete_student"]))
    login(client, lead)
    url = reverse("student_delete", args=[walled.student.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"confirmation": walled.student.local_id}).status_code == 403
    assert Student.objects.filter(pk=walled.student.pk).exists()
    walled.note_b.refresh_from_db()
    assert walled.note_b.text == WORDS_IN_B
    assert not AuditEvent.objects.filter(action=AuditAction.DELETE).exists()


def test_the_privacy_officer_deletes_a_student(client, walled):
    officer = UserFactory(username="privacy-officer")
    grant_district_role(officer, PRIVACY_OFFICER)
    login(client, officer)
    response = client.post(reverse("student_delete", args=[walled.student.pk]), {"confirmation": walled.student.local_id})
    assert response.status_code == 302
    assert not Student.objects.filter(pk=walled.student.pk).exists()
    # One entry in each program's log, found by the program's id.
    assert set(AuditEvent.objects.filter(action=AuditAction.DELETE).values_list("program_id", flat=True)) == {
        walled.coded.team.program.pk, walled.program_b.pk}


def test_the_district_roles_exist_after_migrate_with_their_permissions(db):
    for name, wanted in DISTRICT_ROLES.items():
        group = Group.objects.get(name=name)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert held >= set(wanted), name
    roster = {p.codename for p in Group.objects.get(name=ROSTER_MANAGER).permissions.all()}
    assert "delete_student" not in roster and "handle_data_request" not in roster
