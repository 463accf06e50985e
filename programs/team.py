"""Changing who is on a program's team, with the rule that a program always keeps a lead."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from programs.models import Membership, Program, Role

LAST_LEAD = _("A program needs at least one lead. Make someone else a lead first.")


class TeamChangeRefused(Exception):
    pass


def add_member(*, program: Program, user, role: Role) -> Membership:
    return Membership.objects.create(program=program, user=user, role=role)


@transaction.atomic
def change_role(*, membership: Membership, role: Role) -> Membership:
    if membership.role == Role.LEAD and role != Role.LEAD:
        _refuse_if_last_lead(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(*, membership: Membership) -> None:
    if membership.role == Role.LEAD:
        _refuse_if_last_lead(membership)
    membership.delete()


def _refuse_if_last_lead(membership: Membership) -> None:
    leads = Membership.objects.select_for_update().filter(program_id=membership.program_id, role=Role.LEAD)
    if not leads.exclude(pk=membership.pk).exists():
        raise TeamChangeRefused(str(LAST_LEAD))
