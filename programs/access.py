"""Who may see and do what in a program. Every program view goes through here.

Non-members get 404, so an outsider cannot even learn that a program exists; members
whose role does not allow the page get 403. Which roles a page allows is said once, in
`programs.pages.PAGES`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from programs.models import Membership, Program, Role
from programs.pages import ACTION_PLAN_TABS, ANALYSIS_TABS, PROGRAM_TABS, Link, may_open, roles_for, tabs_for
from toolkit import sql_rows
from toolkit.sql_rows import columns, instance

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
    found = _program_and_role(user_id=user.pk, slug=slug)
    if found is None:
        raise Http404(str(NOT_A_MEMBER))
    access = ProgramAccess(program=found[0], role=Role(found[1]))
    if access.role not in roles:
        raise PermissionDenied(str(ROLE_NOT_ALLOWED))
    return access


@cache
def _statement(vendor: str) -> str:
    quote = connection.ops.quote_name

    def column(model, name: str, alias: str) -> str:
        return f"{alias}.{quote(model._meta.get_field(name).column)}"

    return (f"SELECT {', '.join(columns(Program, 'g'))}, {column(Membership, 'role', 'm')} "
            f"FROM {quote(Membership._meta.db_table)} m INNER JOIN {quote(Program._meta.db_table)} g "
            f"ON {column(Program, 'id', 'g')} = {column(Membership, 'program', 'm')} "
            f"WHERE {column(Program, 'slug', 'g')} = %s AND {column(Membership, 'user', 'm')} = %s "
            f"ORDER BY {column(Membership, 'id', 'm')} LIMIT 1")


def _program_and_role(*, user_id: int, slug: str) -> tuple[Program, str] | None:
    """The program and the person's role in it, in one statement of plain SQL made once per process: every
    program page asks this first, and the ORM's select_related query cost more Python to build than the
    database took to answer it (about 2 of a coding's 20 ms). None off the program's team."""
    with connection.cursor() as cursor:
        sql_rows.execute(cursor, _statement(connection.vendor), [slug, user_id])
        row = cursor.fetchone()
    if row is None:
        return None
    values = iter(row)
    return instance(Program, "g", values), next(values)
