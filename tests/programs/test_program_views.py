from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.http import HttpRequest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from programs.forms import ALREADY_MEMBER, SLUG_TAKEN, UNKNOWN_ACCOUNT
from programs.models import DATES_OUT_OF_ORDER, Membership, Program, Role
from programs.team import LAST_LEAD
from tests.factories import TEST_PASSWORD, SchoolFactory, UserFactory


def login(client, user):
    assert client.login(request=HttpRequest(), username=user.username, password=TEST_PASSWORD)


@pytest.fixture
def creator(db):
    user = UserFactory(username="creator")
    user.user_permissions.add(Permission.objects.get(codename="add_program"))
    return user


def program_data(**overrides):
    school = SchoolFactory()
    data = {
        "name": "Math voices",
        "slug": "",
        "theme": "How students experience math class",
        "purpose": "Listen first.",
        "schools": [school.pk],
        "starts_on": "2026-09-01",
        "ends_on": "2027-01-31",
        "status": "planning",
        "suppression_threshold": 10,
    }
    data.update(overrides)
    return data


def test_creating_a_program_makes_the_creator_its_lead(client, creator):
    login(client, creator)
    response = client.post(reverse("program_create"), program_data())
    program = Program.objects.get(name="Math voices")
    assert response.status_code == 302 and response["Location"] == program.get_absolute_url()
    assert program.slug == "math-voices"
    assert Membership.objects.get(program=program, user=creator).role == Role.LEAD


def test_user_without_permission_cannot_create_a_program(client, db):
    login(client, UserFactory())
    assert client.get(reverse("program_create")).status_code == 403
    assert client.post(reverse("program_create"), program_data()).status_code == 403
    assert not Program.objects.exists()


def test_dates_out_of_order_are_refused_and_the_form_keeps_what_was_typed(client, creator):
    login(client, creator)
    response = client.post(reverse("program_create"), program_data(name="Typed name", ends_on="2026-08-01"))
    assert response.status_code == 200
    page = response.content.decode()
    assert str(DATES_OUT_OF_ORDER) in page
    assert 'value="Typed name"' in page
    assert not Program.objects.exists()


def test_a_taken_short_name_is_refused(client, creator, team):
    login(client, creator)
    response = client.post(reverse("program_create"), program_data(slug=team.program.slug))
    assert str(SLUG_TAKEN) in response.content.decode()


def test_a_reserved_short_name_is_refused(client, creator):
    login(client, creator)
    response = client.post(reverse("program_create"), program_data(slug="new"))
    assert str(SLUG_TAKEN) in response.content.decode()


def test_lead_edits_the_program(client, team):
    login(client, team.lead)
    url = reverse("program_edit", kwargs={"slug": team.program.slug})
    response = client.post(url, program_data(name="Renamed", slug=team.program.slug))
    assert response.status_code == 302
    team.program.refresh_from_db()
    assert team.program.name == "Renamed"


def test_lead_adds_a_member_by_email_and_it_is_audited(client, team):
    newcomer = UserFactory(username="newcomer", email="New.Comer@district.org")
    login(client, team.lead)
    url = reverse("program_team", kwargs={"slug": team.program.slug})
    response = client.post(url, {"action": "add", "person": "new.comer@district.org", "role": "analyst"})
    assert response.status_code == 302
    assert Membership.objects.get(program=team.program, user=newcomer).role == Role.ANALYST
    event = AuditEvent.objects.get(action=AuditAction.CHANGE_ROLE)
    assert event.actor == team.lead and event.program_slug == team.program.slug


def test_adding_an_unknown_person_explains_and_keeps_the_input(client, team):
    login(client, team.lead)
    url = reverse("program_team", kwargs={"slug": team.program.slug})
    response = client.post(url, {"action": "add", "person": "nobody@nowhere", "role": "viewer"})
    page = response.content.decode()
    assert response.status_code == 200
    assert str(UNKNOWN_ACCOUNT) in page
    assert 'value="nobody@nowhere"' in page


def test_adding_an_existing_member_says_so(client, team):
    login(client, team.lead)
    url = reverse("program_team", kwargs={"slug": team.program.slug})
    response = client.post(url, {"action": "add", "person": team.viewer.username, "role": "analyst"})
    expected = ALREADY_MEMBER.format(user=team.viewer.username, role="Viewer")
    assert expected in response.content.decode()


def test_lead_changes_a_role(client, team):
    login(client, team.lead)
    membership = Membership.objects.get(program=team.program, user=team.viewer)
    url = reverse("program_team", kwargs={"slug": team.program.slug})
    client.post(url, {"action": "change", "membership": membership.pk, "role": "analyst"})
    membership.refresh_from_db()
    assert membership.role == Role.ANALYST


def test_the_last_lead_cannot_step_down_or_be_removed(client, team):
    login(client, team.lead)
    membership = Membership.objects.get(program=team.program, user=team.lead)
    url = reverse("program_team", kwargs={"slug": team.program.slug})
    response = client.post(url, {"action": "change", "membership": membership.pk, "role": "viewer"}, follow=True)
    assert str(LAST_LEAD) in response.content.decode()
    client.post(url, {"action": "remove", "membership": membership.pk})
    membership.refresh_from_db()
    assert membership.role == Role.LEAD


def test_lead_removes_a_member(client, team):
    login(client, team.lead)
    membership = Membership.objects.get(program=team.program, user=team.viewer)
    client.post(reverse("program_team", kwargs={"slug": team.program.slug}), {"action": "remove", "membership": membership.pk})
    assert not Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.parametrize("persona", ["facilitator", "analyst", "viewer"])
def test_only_a_lead_can_change_the_team(client, team, persona):
    login(client, getattr(team, persona))
    membership = Membership.objects.get(program=team.program, user=team.viewer)
    url = reverse("program_team", kwargs={"slug": team.program.slug})
    response = client.post(url, {"action": "remove", "membership": membership.pk})
    assert response.status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_a_membership_id_from_another_program_is_not_reachable(client, team):
    other = Membership.objects.exclude(program=team.program).first()
    login(client, team.lead)
    url = reverse("program_team", kwargs={"slug": team.program.slug})
    response = client.post(url, {"action": "remove", "membership": other.pk})
    assert response.status_code == 404
    assert Membership.objects.filter(pk=other.pk).exists()


def test_program_dates_are_a_database_constraint(db):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Program.objects.create(name="x", slug="x", theme="t", starts_on=dt.date(2026, 5, 1), ends_on=dt.date(2026, 4, 1))


def test_an_unknown_role_is_refused_with_a_message(client, team):
    login(client, team.lead)
    membership = Membership.objects.get(program=team.program, user=team.viewer)
    url = reverse("program_team", kwargs={"slug": team.program.slug})
    response = client.post(url, {"action": "change", "membership": membership.pk, "role": "boss"}, follow=True)
    assert "Choose one of the roles in the list." in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER


def test_role_changes_are_audited(client, team):
    login(client, team.lead)
    membership = Membership.objects.get(program=team.program, user=team.viewer)
    client.post(reverse("program_team", kwargs={"slug": team.program.slug}),
                {"action": "change", "membership": membership.pk, "role": "analyst"})
    event = AuditEvent.objects.get(action=AuditAction.CHANGE_ROLE)
    assert event.detail == {"change": "role", "user": team.viewer.username, "role": "analyst"}


def test_a_suppression_threshold_below_the_minimum_is_refused(client, team):
    from programs.forms import THRESHOLD_TOO_LOW

    login(client, team.lead)
    url = reverse("program_edit", kwargs={"slug": team.program.slug})
    response = client.post(url, program_data(slug=team.program.slug, suppression_threshold=3))
    assert str(THRESHOLD_TOO_LOW) in response.content.decode()
    client.post(url, program_data(slug=team.program.slug, suppression_threshold=7))
    team.program.refresh_from_db()
    assert team.program.suppression_threshold == 7
