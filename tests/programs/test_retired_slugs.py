"""A program's audit trail is keyed by its id, and a short name a program gave up is never reused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.forms import modelform_factory
from django.urls import reverse
from django.utils import timezone

from audit.log import record
from audit.models import AuditAction, AuditEvent
from programs.admin import ProgramAdminForm
from programs.forms import SLUG_RETIRED
from programs.models import Program, RetiredSlug, Role
from tests.factories import MembershipFactory, ProgramFactory, SchoolFactory, StudentFactory, UserFactory
from tests.test_helpers import login

ROW = '<tr><td class="text-nowrap">'


def form_data(program: Program, **overrides) -> dict:
    data = {"name": program.name, "slug": program.slug, "theme": program.theme, "purpose": program.purpose,
            "schools": [s.pk for s in program.schools.all()], "starts_on": program.starts_on.isoformat(),
            "ends_on": program.ends_on.isoformat(), "status": program.status,
            "suppression_threshold": program.suppression_threshold,
            "retention_until": program.retention_until.isoformat() if program.retention_until else ""}
    data.update(overrides)
    return data


def new_program_data(**overrides) -> dict:
    today = timezone.localdate()
    data = {"name": "Math voices", "slug": "", "theme": "Math class", "purpose": "", "schools": [SchoolFactory().pk],
            "status": "planning", "suppression_threshold": 10, "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=90)).isoformat(), "retention_until": ""}
    data.update(overrides)
    return data


@pytest.fixture
def creator(db):
    user = UserFactory(username="creator")
    user.user_permissions.add(Permission.objects.get(codename="add_program"))
    return user


def _history(team, n: int = 5) -> None:
    for i in range(n):
        record(action=AuditAction.VIEW_STUDENT_NAMES, actor=team.lead, obj=StudentFactory(), program=team.program,
               detail={"page": f"step {i}"})


def _rename(client, team, slug: str) -> None:
    login(client, team.lead)
    response = client.post(reverse("program_edit", kwargs={"slug": team.program.slug}), form_data(team.program, slug=slug))
    assert response.status_code == 302, response.context["form"].errors
    team.program.refresh_from_db()
    assert team.program.slug == slug


def test_a_renamed_programs_audit_page_still_lists_every_earlier_entry(client, team):
    _history(team)
    _rename(client, team, "belonging-2027")
    page = client.get(reverse("audit_log", kwargs={"slug": "belonging-2027"})).content.decode()
    assert page.count(ROW) == 6  # the five made under the old name and the rename itself
    for i in range(5):
        assert f"page: step {i}" in page
    assert set(AuditEvent.objects.values_list("program_id", flat=True)) == {team.program.pk}


def test_the_district_log_shows_the_short_name_each_entry_was_made_under(client, team):
    _history(team, n=1)
    _rename(client, team, "belonging-2027")
    auditor = UserFactory(username="auditor")
    auditor.user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    login(client, auditor)
    page = client.get(reverse("district_audit_log")).content.decode()
    assert "<td>belonging-pilot</td>" in page and "<td>belonging-2027</td>" in page


def test_a_new_program_cannot_take_a_renamed_programs_old_short_name(client, team, creator):
    _rename(client, team, "belonging-2027")
    assert RetiredSlug.objects.get(slug="belonging-pilot").program_id == team.program.pk
    login(client, creator)
    response = client.post(reverse("program_create"), new_program_data(slug="belonging-pilot"))
    assert response.status_code == 200 and str(SLUG_RETIRED) in response.content.decode().replace("&#x27;", "'")
    assert not Program.objects.filter(slug="belonging-pilot").exists()


def test_nor_can_another_program_be_renamed_to_it(client, team):
    _rename(client, team, "belonging-2027")
    login(client, team.outsider)
    elsewhere = Program.objects.get(slug="elsewhere")
    response = client.post(reverse("program_edit", kwargs={"slug": "elsewhere"}), form_data(elsewhere, slug="belonging-pilot"))
    assert response.status_code == 200 and "never given to a second program" in response.content.decode()
    elsewhere.refresh_from_db()
    assert elsewhere.slug == "elsewhere"


def test_a_program_made_with_an_old_short_name_outside_the_form_sees_none_of_the_old_entries(client, team):
    _history(team)
    _rename(client, team, "belonging-2027")
    newcomer = ProgramFactory(slug="belonging-pilot")  # straight to the database, past the form's refusal
    lead = UserFactory(username="new-lead")
    MembershipFactory(program=newcomer, user=lead, role=Role.LEAD)
    login(client, lead)
    page = client.get(reverse("audit_log", kwargs={"slug": "belonging-pilot"})).content.decode()
    assert page.count(ROW) == 0 and "Nothing matches these filters." in page


def test_a_program_may_take_back_its_own_old_short_name(client, team):
    _rename(client, team, "belonging-2027")
    _rename(client, team, "belonging-pilot")
    assert list(RetiredSlug.objects.values_list("slug", "program_id")) == [("belonging-2027", team.program.pk)]


def test_a_deleted_programs_short_name_is_retired(client, team, creator):
    program_id = team.program.pk
    team.program.delete()
    assert RetiredSlug.objects.get(slug="belonging-pilot").program_id == program_id
    login(client, creator)
    response = client.post(reverse("program_create"), new_program_data(slug="belonging-pilot"))
    assert "never given to a second program" in response.content.decode()


def test_a_short_name_made_from_the_name_skips_retired_and_taken_ones(client, creator):
    RetiredSlug.objects.create(slug="math-voices", program_id=9999)
    ProgramFactory(slug="math-voices-2")
    login(client, creator)
    assert client.post(reverse("program_create"), new_program_data()).status_code == 302
    assert Program.objects.get(name="Math voices").slug == "math-voices-3"


def test_an_unchanged_short_name_is_kept_even_if_another_program_gave_it_up(client, team):
    # A program that took a name before names were retired keeps it: only a change is checked.
    RetiredSlug.objects.create(slug=team.program.slug, program_id=9999)
    login(client, team.lead)
    response = client.post(reverse("program_edit", kwargs={"slug": team.program.slug}),
                           form_data(team.program, name="Renamed"))
    assert response.status_code == 302


def test_the_admin_refuses_a_retired_short_name_too(db):
    RetiredSlug.objects.create(slug="old-name", program_id=9999)
    AdminForm = modelform_factory(Program, form=ProgramAdminForm,  # as the admin builds it
                                  fields=["name", "slug", "theme", "starts_on", "ends_on", "status", "suppression_threshold"])
    data = {"name": "X", "theme": "T", "starts_on": "2026-09-01", "ends_on": "2027-01-31", "status": "planning",
            "suppression_threshold": 10}
    form = AdminForm(data | {"slug": "old-name"})
    assert not form.is_valid() and form.errors["slug"] == [str(SLUG_RETIRED)]
    assert AdminForm(data | {"slug": "a-new-name"}).is_valid()
