from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from programs.access import get_program_for
from programs.models import Role
from programs.pages import PAGES, UnknownPage


def test_outsider_gets_404(team):
    with pytest.raises(Http404):
        get_program_for(team.outsider, team.program.slug, page="program_dashboard")


def test_anonymous_user_gets_404(team):
    with pytest.raises(Http404):
        get_program_for(AnonymousUser(), team.program.slug, page="program_dashboard")


def test_unknown_program_gets_404(team):
    with pytest.raises(Http404):
        get_program_for(team.lead, "no-such-program", page="program_dashboard")


def test_member_without_the_role_gets_403(team):
    with pytest.raises(PermissionDenied):
        get_program_for(team.viewer, team.program.slug, page="workbench")


@pytest.mark.parametrize("page", sorted(PAGES))
def test_lead_opens_every_page(team, page):
    access = get_program_for(team.lead, team.program.slug, page=page)
    assert access.program == team.program
    assert access.is_lead and access.sees_all_student_names


def test_member_gets_their_role(team):
    access = get_program_for(team.analyst, team.program.slug, page="workbench")
    assert access.role == Role.ANALYST
    assert not access.sees_all_student_names


def test_a_page_missing_from_the_table_is_a_programming_error_not_a_silent_pass(team):
    with pytest.raises(UnknownPage):
        get_program_for(team.lead, team.program.slug, page="a_page_nobody_listed")


def test_the_program_read_in_plain_sql_is_the_program_the_orm_reads(team, django_assert_num_queries):
    """get_program_for reads the program and role in one plain statement: every field as the ORM gives it."""
    from programs.models import Membership, Program

    with django_assert_num_queries(1):
        access = get_program_for(team.facilitator, team.program.slug, page="program_dashboard")
    expected = Program.objects.get(pk=team.program.pk)
    fields = [field.attname for field in Program._meta.concrete_fields]
    assert {name: getattr(access.program, name) for name in fields} == {name: getattr(expected, name) for name in fields}
    assert access.role == Membership.objects.get(program=team.program, user=team.facilitator).role
    assert not access.program._state.adding and access.program._state.db == "default"
