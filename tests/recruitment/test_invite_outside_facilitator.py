"""An outside facilitator invited from the program's Facilitators page, then scheduled."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from interviews.forms.sessions import SessionForm
from interviews.models import Session
from participants.models import StaffMember
from programs.models import Membership, Role
from recruitment.facilitators import HAS_AN_ACCOUNT, add_outside_facilitator, invite_outside_facilitator
from recruitment.forms import FACILITATOR_EMAIL_NEEDED
from recruitment.models import ConsentStatus, Invitation, InvitationStatus
from tests.factories import SchoolFactory, StudentFactory, UserFactory, ready_protocol
from tests.test_helpers import login


def invite(client, team, **data):
    return client.post(reverse("program_facilitators", kwargs={"slug": team.program.slug}),
                       {"action": "invite", "invite-full_name": "Rosa Vega", "invite-email": "rosa@partner.org", **data})


def test_a_lead_invites_an_outside_facilitator_onto_this_program_only(client, team):
    login(client, team.lead)
    response = invite(client, team)
    assert response.status_code == 302
    staff = StaffMember.objects.get(email="rosa@partner.org")
    assert staff.is_outside_facilitator and staff.user.username == "rosa@partner.org"
    assert not staff.user.has_usable_password() and not staff.user.groups.exists()
    assert list(Membership.objects.filter(user=staff.user).values_list("program_id", "role")) == [
        (team.program.pk, Role.FACILITATOR)]
    assert mail.outbox[0].to == ["rosa@partner.org"] and "/accounts/reset/" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE_ROLE, program_id=team.program.pk,
                                     detail__invited="rosa@partner.org").exists()


def test_an_invitation_needs_an_e_mail_and_a_free_address_keeping_the_name(client, team):
    login(client, team.lead)
    page = invite(client, team, **{"invite-email": ""}).content.decode()
    assert str(FACILITATOR_EMAIL_NEEDED).replace("'", "&#x27;") in page and 'value="Rosa Vega"' in page
    UserFactory(email="rosa@partner.org")
    page = invite(client, team).content.decode()
    assert str(HAS_AN_ACCOUNT) in page
    assert not StaffMember.objects.filter(email="rosa@partner.org").exists() and len(mail.outbox) == 0


def test_an_outside_facilitator_listed_without_an_account_gets_the_account(team):
    listed = add_outside_facilitator(full_name="Rosa Vega", email="Rosa@Partner.org")
    staff = invite_outside_facilitator(program=team.program, full_name="Rosa Vega", email="rosa@partner.org",
                                       base_url="http://testserver", invited_by=team.lead)
    assert staff.pk == listed.pk and staff.user.email == "rosa@partner.org"
    assert StaffMember.objects.count() == 1


def test_a_facilitator_of_the_program_cannot_invite(client, team):
    login(client, team.analyst)
    assert invite(client, team).status_code in (403, 404)
    assert not StaffMember.objects.exists()


def test_an_invited_outside_facilitator_is_listed_on_the_session_form_and_scheduled(client, team):
    ready_protocol(team.program)
    school = SchoolFactory()
    team.program.schools.add(school)
    students = [StudentFactory(school=school) for _ in range(2)]
    for student in students:
        Invitation.objects.create(program=team.program, student=student, parent_consent=ConsentStatus.GRANTED,
                                  student_assent=ConsentStatus.GRANTED, status=InvitationStatus.CONSENTED)
    staff = invite_outside_facilitator(program=team.program, full_name="Rosa Vega", email="rosa@partner.org",
                                       base_url="http://testserver", invited_by=team.lead)
    field = SessionForm(program=team.program).fields["facilitator"]
    assert "Rosa Vega (outside facilitator)" in [label for _value, label in field.choices]
    login(client, team.lead)
    client.post(reverse("session_new", kwargs={"slug": team.program.slug}), {
        "format": "focus_group", "date": "2026-12-03", "start_time": "10:00", "duration_minutes": 45,
        "place": "Library", "facilitator": staff.user.pk, "students": [s.pk for s in students]})
    assert Session.objects.get().facilitator == staff.user


def test_the_invited_facilitator_opens_the_program(client, team):
    staff = invite_outside_facilitator(program=team.program, full_name="Rosa Vega", email="rosa@partner.org",
                                       base_url="http://testserver", invited_by=team.lead)
    staff.user.set_password("a-long-password-for-rosa")
    staff.user.save()
    client.force_login(staff.user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("program_dashboard", kwargs={"slug": team.program.slug})).status_code == 200
