from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from programs.access import get_program_for
from programs.models import Role


def test_outsider_gets_404(team):
    with pytest.raises(Http404):
        get_program_for(team.outsider, team.program.slug)


def test_anonymous_user_gets_404(team):
    with pytest.raises(Http404):
        get_program_for(AnonymousUser(), team.program.slug)


def test_unknown_program_gets_404(team):
    with pytest.raises(Http404):
        get_program_for(team.lead, "no-such-program")


def test_member_without_the_role_gets_403(team):
    with pytest.raises(PermissionDenied):
        get_program_for(team.viewer, team.program.slug, roles={Role.ANALYST})


@pytest.mark.parametrize("roles", [{Role.ANALYST}, {Role.FACILITATOR}, {Role.VIEWER}])
def test_lead_passes_every_role_check(team, roles):
    access = get_program_for(team.lead, team.program.slug, roles=roles)
    assert access.program == team.program
    assert access.is_lead and access.sees_all_student_names


def test_member_gets_their_role(team):
    access = get_program_for(team.analyst, team.program.slug, roles={Role.ANALYST})
    assert access.role == Role.ANALYST
    assert not access.sees_all_student_names
