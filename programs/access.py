"""Who may see and do what in a program. Every program view goes through here.

Non-members get 404, so an outsider cannot even learn that a program exists; members
whose role does not allow the page get 403. Which roles a page allows is said once, in
`programs.pages.PAGES`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from programs.models import Membership, Program, Role
from programs.pages import ACTION_PLAN_TABS, ANALYSIS_TABS, PROGRAM_TABS, Link, may_open, roles_for, tabs_for

NOT_A_MEMBER = _("No program here, or you are not on its team.")
ROLE_NOT_ALLOWED = _("Your role in this program does not allow this page.")


@dataclass(frozen=True)
class ProgramAccess:
    program: Program
    role: Role

    @property
    def is_lead(self) -> bool:
        return self.role == Role.LEAD

    @property
    def sees_all_student_names(self) -> bool:
        # Facilitators see the names of students in their own sessions only; that is
        # decided per session, not here.
        return self.role == Role.LEAD

    def allows(self, *roles: Role) -> bool:
        return self.role == Role.LEAD or self.role in roles

    def may_open(self, page: str) -> bool:
        return may_open(self.role, page)

    @property
    def program_tabs(self) -> list[Link]:
        return tabs_for(self.role, PROGRAM_TABS)

    @property
    def analysis_tabs(self) -> list[Link]:
        return tabs_for(self.role, ANALYSIS_TABS)

    @property
    def action_plan_tabs(self) -> list[Link]:
        return tabs_for(self.role, ACTION_PLAN_TABS)


def get_program_for(user, slug: str, *, page: str) -> ProgramAccess:
    """Load the program `slug` for `user` to open `page` (a URL name in `PAGES`) or refuse:
    404 to outsiders, 403 to a role the page does not allow. Leads may open every page."""
    roles = roles_for(page)
    if not user.is_authenticated:
        raise Http404(str(NOT_A_MEMBER))
    membership = (
        Membership.objects.select_related("program").filter(program__slug=slug, user=user).first()
    )
    if membership is None:
        raise Http404(str(NOT_A_MEMBER))
    access = ProgramAccess(program=membership.program, role=Role(membership.role))
    if access.role not in roles:
        raise PermissionDenied(str(ROLE_NOT_ALLOWED))
    return access
