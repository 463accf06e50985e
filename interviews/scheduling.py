"""Scheduling sessions: every refusal names its reason; a lead may override a teaching conflict
with a written reason that is kept. Then starting, completing and cancelling them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from interviews.models import Session, SessionFormat, SessionStatus
from interviews.protocols import current_protocol, has_reviewed, is_ready
from participants.conflicts import students_taught_by
from participants.models import StaffMember, Student
from programs.models import Membership, Program, ProgramStatus, Role
from programs.pages import may_open
from programs.status import advance_status
from recruitment.models import Invitation, InvitationStatus

NO_READY_PROTOCOL = _("The protocol is not ready yet. Mark a protocol with {minimum} to {maximum} questions ready first.")
NO_STUDENTS = _("Choose the students who take part.")
INDIVIDUAL_NEEDS_ONE = _("An individual interview has exactly one student; {count} are chosen.")
FOCUS_GROUP_SIZE = _("Focus groups work best with {minimum} to {maximum} students; this one has {count}.")
NOT_INVITED = _("{student} is not in this program's sample.")
NO_CONSENT = _("{student} cannot be scheduled: parent/guardian consent and student assent must both be granted.")
TEACHES = _("{person} ({role}) currently teaches {students}. Choose someone else, or give a reason to go ahead.")
PERSON_BUSY = _("{person} already has a session from {start} to {end}.")
STUDENT_BUSY = _("{student} is already in a session from {start} to {end}.")
SAME_PERSON = _("The note-taker cannot also be the facilitator.")
NOT_ON_TEAM = _("{person} is not a facilitator or lead of this program.")
CANCEL_NEEDS_REASON = _("Say why the session is cancelled; the team sees the reason.")
NOT_REVIEWED = _("Confirm that you have reviewed version {version} of the protocol before starting.")
CANNOT_START = _("Only a scheduled session can start; this one is {status}.")
CANNOT_COMPLETE = _("Only a session in progress can be completed; this one is {status}.")
ALREADY_CLOSED = _("This session is already {status}.")
ONLY_TEAM_RUNS = _("Only the session's facilitator, its note-taker or a lead can do this.")
FACILITATOR = _("facilitator")
NOTE_TAKER = _("note-taker")


def no_ready_protocol() -> str:
    """NO_READY_PROTOCOL with the question limits the settings hold now (the ones `readiness_problems` checks)."""
    return NO_READY_PROTOCOL.format(minimum=settings.PROTOCOL_MIN_QUESTIONS, maximum=settings.PROTOCOL_MAX_QUESTIONS)


@dataclass(frozen=True)
class SessionPlan:
    program: Program
    format: str
    starts_at: dt.datetime
    duration_minutes: int
    facilitator: object
    students: Sequence[Student]
    note_taker: object | None = None
    place: str = ""
    video_link: str = ""
    language: str = "en"  # the language the session is held in: the runner and the guide show the protocol in it
    session_id: int | None = None  # when rescheduling, the session itself does not clash with itself

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)


@dataclass
class SessionCheck:
    refusals: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)  # teaching conflicts: a lead may override
    warnings: list[str] = field(default_factory=list)

    def allows(self, *, override_reason: str = "") -> bool:
        return not self.refusals and (not self.conflicts or bool(override_reason.strip()))


class SessionRefused(ValueError):
    def __init__(self, check: SessionCheck):
        super().__init__(" ".join(check.refusals + check.conflicts))
        self.check = check


def _when(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def describe_student(student: Student, *, sees_names: bool) -> str:
    return student.full_name if sees_names else student.pseudonym


def check_session(plan: SessionPlan, *, sees_names: bool) -> SessionCheck:
    """Every reason this session cannot be scheduled as planned, conflicts a lead may override, and warnings."""
    check = SessionCheck()
    students = list(plan.students)
    who = {s.pk: describe_student(s, sees_names=sees_names) for s in students}
    protocol = current_protocol(plan.program)
    if protocol is None or not is_ready(protocol):
        check.refusals.append(no_ready_protocol())
    if not students:
        check.refusals.append(str(NO_STUDENTS))
    elif plan.format == SessionFormat.INDIVIDUAL and len(students) != 1:
        check.refusals.append(INDIVIDUAL_NEEDS_ONE.format(count=len(students)))
    elif plan.format == SessionFormat.FOCUS_GROUP and not (
        settings.FOCUS_GROUP_MIN_STUDENTS <= len(students) <= settings.FOCUS_GROUP_MAX_STUDENTS
    ):
        check.warnings.append(FOCUS_GROUP_SIZE.format(
            minimum=settings.FOCUS_GROUP_MIN_STUDENTS, maximum=settings.FOCUS_GROUP_MAX_STUDENTS, count=len(students)))
    if plan.note_taker is not None and plan.note_taker == plan.facilitator:
        check.refusals.append(str(SAME_PERSON))

    team = set(Membership.objects.filter(program=plan.program, role__in=[Role.FACILITATOR, Role.LEAD])
               .values_list("user_id", flat=True))
    people = [(plan.facilitator, str(FACILITATOR))] + ([(plan.note_taker, str(NOTE_TAKER))] if plan.note_taker else [])
    for person, _role in people:
        if person.pk not in team:
            check.refusals.append(NOT_ON_TEAM.format(person=_name(person)))

    invitations = {i.student_id: i for i in Invitation.objects.filter(program=plan.program, student__in=students)}
    for student in students:
        invitation = invitations.get(student.pk)
        if invitation is None:
            check.refusals.append(NOT_INVITED.format(student=who[student.pk]))
        elif not invitation.can_be_scheduled:
            check.refusals.append(NO_CONSENT.format(student=who[student.pk]))

    staff = {m.user_id: m for m in StaffMember.objects.filter(user__in=[p for p, _ in people])}
    taught = students_taught_by(staff_ids=[m.pk for m in staff.values()], student_ids=list(who),
                                on=timezone.localdate(plan.starts_at))
    for person, role in people:
        member = staff.get(person.pk)
        if member and taught.get(member.pk):
            names = ", ".join(sorted(who[i] for i in taught[member.pk]))
            check.conflicts.append(TEACHES.format(person=_name(person), role=role, students=names))

    check.refusals.extend(_clashes(plan, people, who))
    return check


def _clashes(plan: SessionPlan, people, who: dict[int, str]) -> list[str]:
    nearby = (Session.objects.active().exclude(pk=plan.session_id)
              .filter(starts_at__lt=plan.ends_at, starts_at__gt=plan.starts_at - dt.timedelta(days=1))
              .prefetch_related("participants"))
    problems = []
    for other in nearby:
        if other.ends_at <= plan.starts_at:
            continue
        span = {"start": _when(other.starts_at), "end": formats.time_format(timezone.localtime(other.ends_at), "TIME_FORMAT")}
        for person, _role in people:
            if person.pk in (other.facilitator_id, other.note_taker_id):
                problems.append(PERSON_BUSY.format(person=_name(person), **span))
        for student in other.participants.all():
            if student.pk in who:
                problems.append(STUDENT_BUSY.format(student=who[student.pk], **span))
    return problems


@transaction.atomic
def schedule_session(plan: SessionPlan, *, user, sees_names: bool, override_reason: str = "") -> Session:
    check = check_session(plan, sees_names=sees_names)
    if not check.allows(override_reason=override_reason):
        raise SessionRefused(check)
    session = Session.objects.create(
        program=plan.program, format=plan.format, protocol=current_protocol(plan.program),
        starts_at=plan.starts_at, duration_minutes=plan.duration_minutes, place=plan.place, video_link=plan.video_link,
        facilitator=plan.facilitator, note_taker=plan.note_taker, created_by=user, language=plan.language,
        conflict_override_reason=override_reason.strip() if check.conflicts else "",
    )
    session.participants.set(plan.students)
    return session


def runs_with_role(session: Session, user, role: Role | str | None) -> bool:
    """Whether `user`, whose role in the session's program is now `role` (None: not on the team), may
    run it, see its students' names and write its notes: a lead always; its facilitator or note-taker
    only while their role still runs sessions. The assignment outlives a demotion, the right does not."""
    if role is None or not may_open(role, "runner"):
        return False
    return Role(role) == Role.LEAD or user.pk in (session.facilitator_id, session.note_taker_id)


def can_run(session: Session, user) -> bool:
    role = Membership.objects.filter(program_id=session.program_id, user_id=user.pk).values_list("role", flat=True).first()
    return runs_with_role(session, user, role)


def start_session(session: Session, *, user) -> Session:
    """Start a scheduled session with the current ready protocol, which freezes from now on."""
    if not can_run(session, user):
        raise PermissionError(str(ONLY_TEAM_RUNS))
    if session.status != SessionStatus.SCHEDULED:
        raise ValueError(CANNOT_START.format(status=session.get_status_display().lower()))
    protocol = current_protocol(session.program)
    if protocol is None or not is_ready(protocol):
        raise ValueError(no_ready_protocol())
    if user.pk == session.facilitator_id and not has_reviewed(protocol=protocol, user=user):
        raise ValueError(NOT_REVIEWED.format(version=protocol.version))
    session.protocol, session.status = protocol, SessionStatus.IN_PROGRESS
    session.save(update_fields=["protocol", "status"])
    advance_status(program=session.program, to=ProgramStatus.INTERVIEWING)
    return session


def complete_session(session: Session, *, user) -> Session:
    if not can_run(session, user):
        raise PermissionError(str(ONLY_TEAM_RUNS))
    if session.status != SessionStatus.IN_PROGRESS:
        raise ValueError(CANNOT_COMPLETE.format(status=session.get_status_display().lower()))
    session.status = SessionStatus.COMPLETED
    session.save(update_fields=["status"])
    Invitation.objects.filter(program=session.program, student__in=session.participants.all()).update(status=InvitationStatus.INTERVIEWED)
    _analysing_when_no_session_is_left(session.program)
    return session


def _analysing_when_no_session_is_left(program: Program) -> None:
    """The last session done (none scheduled or running, one at least completed): the program analyses."""
    sessions = Session.objects.filter(program=program)
    if (sessions.filter(status=SessionStatus.COMPLETED).exists()
            and not sessions.filter(status__in=[SessionStatus.SCHEDULED, SessionStatus.IN_PROGRESS]).exists()):
        advance_status(program=program, to=ProgramStatus.ANALYSING)


def cancel_session(session: Session, *, reason: str) -> Session:
    if not reason.strip():
        raise ValueError(str(CANCEL_NEEDS_REASON))
    if session.status in (SessionStatus.COMPLETED, SessionStatus.CANCELLED):
        raise ValueError(ALREADY_CLOSED.format(status=session.get_status_display().lower()))
    session.status, session.cancel_reason = SessionStatus.CANCELLED, reason.strip()
    session.save(update_fields=["status", "cancel_reason"])
    _analysing_when_no_session_is_left(session.program)
    return session
