"""Facilitator candidates for a program, which invited students each one teaches, and so which
groups of invited students (by school and by student group) each one is free to facilitate."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy

from participants.accounts import AccountRefused, invite_account
from participants.conflicts import students_taught_by
from participants.models import StaffMember, Student
from programs.models import Membership, Program, Role
from programs.team import add_member
from recruitment.models import Invitation

# Written into the staff record, in the language of the lead who adds them.
NEW_OUTSIDE_FACILITATOR_NOTE = gettext_lazy("Added by a program lead as an outside facilitator.")
HAS_AN_ACCOUNT = gettext_lazy("This person already has an account: add them as a facilitator on the Team page.")


@dataclass(frozen=True)
class Candidate:
    staff: StaffMember
    on_team: bool
    taught: list[Student]
    free_for: list[str]  # groups of invited students in which they teach nobody
    not_for: list[str]  # groups in which they teach at least one invited student

    @property
    def free_to_facilitate(self) -> bool:
        return not self.taught


def _groupings(students: list[Student]) -> dict[str, set[int]]:
    """Invited students by school and by student group: the groups a session may be drawn from."""
    members: dict[str, set[int]] = defaultdict(set)
    for student in students:
        members[student.school.name].add(student.pk)
        for group in student.groups.all():
            members[group.name].add(student.pk)
    return dict(sorted(members.items()))


def facilitator_candidates(program: Program) -> list[Candidate]:
    """Outside facilitators and staff of the program's schools, with the invited students they teach."""
    staff = list(
        StaffMember.objects.filter(Q(is_outside_facilitator=True) | Q(schools__in=program.schools.all()))
        .distinct().select_related("user").prefetch_related("schools").order_by("-is_outside_facilitator", "full_name")
    )
    invitations = Invitation.objects.filter(program=program).select_related("student__school").prefetch_related("student__groups")
    invited = {i.student_id: i.student for i in invitations}
    groupings = _groupings(list(invited.values()))
    taught = students_taught_by(staff_ids=[s.pk for s in staff], student_ids=list(invited))
    team = set(Membership.objects.filter(program=program, role__in=[Role.FACILITATOR, Role.LEAD]).values_list("user_id", flat=True))
    candidates = []
    for member in staff:
        theirs = taught.get(member.pk, set())
        candidates.append(Candidate(
            staff=member,
            on_team=member.user_id is not None and member.user_id in team,
            taught=sorted((invited[i] for i in theirs), key=lambda student: student.pseudonym),
            free_for=[name for name, ids in groupings.items() if not ids & theirs],
            not_for=[name for name, ids in groupings.items() if ids & theirs],
        ))
    return candidates


def update_readiness(*, staff: StaffMember, training_completed: bool, readiness_notes: str) -> StaffMember:
    staff.training_completed = training_completed
    staff.readiness_notes = readiness_notes
    staff.save(update_fields=["training_completed", "readiness_notes"])
    return staff


def add_outside_facilitator(*, full_name: str, email: str, user=None) -> StaffMember:
    return StaffMember.objects.create(full_name=full_name, email=email, is_outside_facilitator=True, user=user,
                                      readiness_notes=str(NEW_OUTSIDE_FACILITATOR_NOTE))


@transaction.atomic
def invite_outside_facilitator(*, program: Program, full_name: str, email: str, base_url: str, invited_by) -> StaffMember:
    """An account by e-mail with its one-time set-password link, an outside facilitator's staff record, and a
    place on this program's team as facilitator only (no other program, no district role). An outside
    facilitator added earlier without an account, under the same address, gets the account. Raises
    participants.accounts.AccountRefused when the address already has an account."""
    try:
        user = invite_account(email=email, full_name=full_name, base_url=base_url, invited_by=invited_by)
    except AccountRefused as refusal:
        raise AccountRefused("email" if refusal.field == "username" else refusal.field, HAS_AN_ACCOUNT) from None
    staff = (StaffMember.objects.filter(email__iexact=user.email, user__isnull=True, is_outside_facilitator=True)
             .order_by("pk").first())
    if staff is None:
        staff = add_outside_facilitator(full_name=full_name, email=user.email, user=user)
    else:
        staff.user = user
        staff.save(update_fields=["user"])
    add_member(program=program, user=user, role=Role.FACILITATOR)
    return staff
