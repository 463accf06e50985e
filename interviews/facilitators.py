"""Facilitator candidates for a program, and which invited students each one teaches."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from interviews.models import Invitation, Membership, Program, Role
from participants.conflicts import students_taught_by
from participants.models import StaffMember, Student


@dataclass(frozen=True)
class Candidate:
    staff: StaffMember
    on_team: bool
    taught: list[Student]

    @property
    def free_to_facilitate(self) -> bool:
        return not self.taught


def facilitator_candidates(program: Program) -> list[Candidate]:
    """Outside facilitators and staff of the program's schools, with the invited students they teach."""
    staff = list(
        StaffMember.objects.filter(Q(is_outside_facilitator=True) | Q(schools__in=program.schools.all()))
        .distinct().select_related("user").prefetch_related("schools").order_by("-is_outside_facilitator", "full_name")
    )
    invited = {i.student_id: i.student for i in Invitation.objects.filter(program=program).select_related("student")}
    taught = students_taught_by(staff_ids=[s.pk for s in staff], student_ids=list(invited))
    team = set(Membership.objects.filter(program=program, role__in=[Role.FACILITATOR, Role.LEAD]).values_list("user_id", flat=True))
    return [
        Candidate(staff=s, on_team=s.user_id in team,
                  taught=sorted((invited[i] for i in taught.get(s.pk, ())), key=lambda st: st.pseudonym))
        for s in staff
    ]
