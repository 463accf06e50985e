"""What the program is still waiting for before every student is heard: consented students in no
session, invited students whose consent or assent has not come back, and sessions still to run.

Names are loaded only for a viewer who may see them (`with_names`, a lead); anyone else gets counts.
Three queries whatever the program's size."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from interviews.models import Session, SessionStatus
from participants.models import Student
from programs.models import Program
from recruitment.models import ConsentStatus, Invitation

TO_RUN = (SessionStatus.SCHEDULED, SessionStatus.IN_PROGRESS)


@dataclass(frozen=True)
class Waiting:
    unscheduled_count: int
    awaiting_consent_count: int
    sessions_to_run: int
    unscheduled: list[Student] = field(default_factory=list)  # empty unless names were asked for
    awaiting_consent: list[Student] = field(default_factory=list)

    @property
    def anything(self) -> bool:
        return bool(self.unscheduled_count or self.awaiting_consent_count or self.sessions_to_run)


def _awaiting(program: Program):
    """Invited, nothing refused, and the family's consent or the student's assent still pending."""
    refused = (ConsentStatus.DECLINED, ConsentStatus.WITHDRAWN)
    return (Invitation.objects.filter(program=program)
            .filter(Q(parent_consent=ConsentStatus.PENDING) | Q(student_assent=ConsentStatus.PENDING))
            .exclude(parent_consent__in=refused).exclude(student_assent__in=refused))


def _unscheduled(program: Program):
    """Consent and assent granted, and in no session of the program that is not cancelled."""
    in_a_session = (Session.objects.filter(program=program, participants__isnull=False)  # no NULL in a NOT IN
                    .exclude(status=SessionStatus.CANCELLED).values("participants"))
    return Invitation.objects.filter(program=program).consented().exclude(student_id__in=in_a_session)


def waiting_for(program: Program, *, with_names: bool) -> Waiting:
    sessions_to_run = Session.objects.filter(program=program, status__in=TO_RUN).count()
    unscheduled, awaiting = _unscheduled(program), _awaiting(program)
    if not with_names:
        return Waiting(unscheduled.count(), awaiting.count(), sessions_to_run)
    order = ("last_name", "first_name", "pk")
    unscheduled_students = list(Student.objects.filter(pk__in=unscheduled.values("student_id")).order_by(*order))
    awaiting_students = list(Student.objects.filter(pk__in=awaiting.values("student_id")).order_by(*order))
    return Waiting(len(unscheduled_students), len(awaiting_students), sessions_to_run,
                   unscheduled_students, awaiting_students)
