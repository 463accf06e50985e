"""The program dashboard's checklist: the nine workflow steps, what is done and what is next.

Each step names how to tell whether it is done and which screen it links to; whether a person's
role may follow that link is read from `programs.pages`, as the navigation and the views do.

"Done" means the step's work is finished, not that it was started: a sample with consents still out,
a session still to run or a note not yet coded keeps its step open, and the summary says what is left.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.db.models import Count
from django.urls import reverse

from actions.models import ActionItem, ActionStatus
from actions.plan import themes_without_action
from analysis.models import Theme
from analysis.workbench import progress as coding_progress
from interviews.models import FollowUpLink, Note, NoteKind, Session, SessionStatus
from interviews.protocols import current_protocol, is_ready, readiness_problems
from interviews.waiting import waiting_for
from programs.models import Membership, Program, Role
from programs.pages import may_open
from recruitment.models import Invitation
from reports.models import Report, ReportKind, ReportStatus


class StepStatus(StrEnum):
    DONE = "done"
    NEXT = "next"
    TO_DO = "todo"


@dataclass(frozen=True)
class Progress:
    done: bool
    summary: str


@dataclass(frozen=True)
class StepDefinition:
    key: str
    title: str
    description: str
    evaluate: Callable[[Program], Progress]
    url_name: str


@dataclass(frozen=True)
class StepState:
    number: int
    key: str
    title: str
    description: str
    status: StepStatus
    summary: str
    url: str | None


def _facilitators(program: Program) -> Progress:
    memberships = Membership.objects.filter(program=program, role=Role.FACILITATOR)
    total = memberships.count()
    outside = memberships.filter(user__staff_member__is_outside_facilitator=True).count()
    if total == 0:
        return Progress(False, "No facilitators on the team yet.")
    noun = "facilitator" if total == 1 else "facilitators"
    return Progress(True, f"{total} {noun} on the team, {outside} from outside the schools.")


def _students(program: Program) -> Progress:
    """Done when the sample is invited, every family and student has answered, and some said yes."""
    invitations = Invitation.objects.filter(program=program)
    invited = invitations.count()
    if invited == 0:
        return Progress(False, "No sample yet.")
    consented = invitations.consented().count()
    waiting = waiting_for(program, with_names=False).awaiting_consent_count
    summary = f"{invited} students invited, {consented} with consent and assent."
    if waiting:
        summary += f" {waiting} still waiting for consent or assent."
    return Progress(consented > 0 and not waiting, summary)


def _protocol(program: Program) -> Progress:
    protocol = current_protocol(program)
    if protocol is None:
        return Progress(False, "No protocol yet.")
    questions = list(protocol.questions.all())
    if is_ready(protocol, questions):
        return Progress(True, f"Version {protocol.version} is ready: {len(questions)} questions.")
    problems = readiness_problems(protocol, questions)
    return Progress(False, f"Version {protocol.version} is a draft. {problems[0] if problems else 'Mark it ready.'}")


def _sessions(program: Program) -> Progress:
    """Done when every session is completed or cancelled and at least one was completed."""
    counts = dict(Session.objects.filter(program=program).values_list("status").annotate(n=Count("pk")))
    scheduled = sum(n for status, n in counts.items() if status != SessionStatus.CANCELLED)
    if scheduled == 0:
        return Progress(False, "No sessions scheduled yet.")
    done = counts.get(SessionStatus.COMPLETED, 0)
    to_run = counts.get(SessionStatus.SCHEDULED, 0) + counts.get(SessionStatus.IN_PROGRESS, 0)
    summary = f"{scheduled} session{'s' if scheduled != 1 else ''} scheduled, {done} completed"
    summary += f", {to_run} still to run." if to_run else "."
    return Progress(done > 0 and not to_run, summary)


def _notes(program: Program) -> Progress:
    """Done when no session is running or still to run and every completed session has notes."""
    sessions = Session.objects.filter(program=program)
    completed = sessions.filter(status=SessionStatus.COMPLETED)
    notes = Note.objects.filter(session__program=program).exclude(kind=NoteKind.FOLLOW_UP).count()
    if not notes:
        return Progress(False, "No notes taken yet.")
    count = completed.count()
    without = completed.exclude(pk__in=Note.objects.filter(session__program=program).exclude(kind=NoteKind.FOLLOW_UP)
                                .values("session_id")).count()
    open_sessions = sessions.filter(status__in=[SessionStatus.SCHEDULED, SessionStatus.IN_PROGRESS]).exists()
    summary = f"{notes} notes from {count} completed session{'s' if count != 1 else ''}."
    if without:
        summary += f" {without} completed session{'s have' if without != 1 else ' has'} no notes."
    return Progress(count > 0 and not without and not open_sessions, summary)


def _follow_up(program: Program) -> Progress:
    """Done when every student of every completed session has been handed a follow-up link."""
    links = FollowUpLink.objects.filter(session__program=program)
    count = links.count()
    added = Note.objects.filter(session__program=program, kind=NoteKind.FOLLOW_UP).count()
    if not count:
        return Progress(False, "No follow-up slips handed out yet.")
    heard = Session.participants.through.objects.filter(session__program=program,
                                                        session__status=SessionStatus.COMPLETED)
    handed = set(links.values_list("session_id", "student_id"))
    missing = sum((s, st) not in handed for s, st in heard.values_list("session_id", "student_id"))
    summary = f"{count} follow-up links handed out; students added {added} note{'s' if added != 1 else ''}."
    if missing:
        summary += f" {missing} student{'s' if missing != 1 else ''} of completed sessions still without a link."
    return Progress(not missing, summary)


def _analysis(program: Program) -> Progress:
    overall_progress, _ = coding_progress(program)
    themes = Theme.objects.filter(program=program).count()
    if not overall_progress.total:
        return Progress(False, "Notes appear for coding once sessions are completed.")
    summary = f"{overall_progress.percent}% of notes coded; {themes} theme{'s' if themes != 1 else ''}."
    # Done when every note is coded and there is a theme: a note left uncoded is a voice left out.
    return Progress(themes > 0 and overall_progress.coded == overall_progress.total, summary)


def _report(program: Program) -> Progress:
    """Done when the thematic report is ready; the infographic and slides are extras beside it."""
    ready = set(Report.objects.filter(program=program, status=ReportStatus.READY).values_list("kind", flat=True))
    kinds = sorted({ReportKind(k).label for k in ready})
    if not kinds:
        return Progress(False, "No report produced yet.")
    summary = "Ready: " + ", ".join(kinds) + "."
    if ReportKind.THEMATIC not in ready:
        summary += f" The {ReportKind.THEMATIC.label.lower()} is still to make."
    return Progress(ReportKind.THEMATIC in ready, summary)


def _action_plan(program: Program) -> Progress:
    live = ActionItem.objects.filter(program=program).exclude(status=ActionStatus.DROPPED).count()
    unanswered = themes_without_action(program)
    if not live:
        return Progress(False, "No actions yet.")
    gap = f" Themes with no action: {', '.join(t.name for t in unanswered)}." if unanswered else " Every theme has an action."
    return Progress(not unanswered, f"{live} action{'s' if live != 1 else ''}.{gap}")


STEPS: tuple[StepDefinition, ...] = (
    StepDefinition(
        "facilitators", "Facilitators",
        "Pick people students are comfortable with: neutral outsiders, or staff who do not teach the students.",
        _facilitators, "program_team",
    ),
    StepDefinition(
        "students", "Students",
        "Build a sample that is representative of the community, with every group present, and ask who is missing.",
        _students, "program_students",
    ),
    StepDefinition(
        "protocol", "Protocol",
        "Write {min_questions} to {max_questions} open, story-based questions with follow-up prompts, and the scripts around them.",
        _protocol, "protocol",
    ),
    StepDefinition(
        "sessions", "Sessions",
        "Schedule individual interviews and focus groups with a facilitator and a note-taker.",
        _sessions, "session_list",
    ),
    StepDefinition(
        "notes", "Live notes",
        "Run each session and capture students' words verbatim, attributed and never lost.",
        _notes, "session_list",
    ),
    StepDefinition(
        "follow_up", "Follow-up",
        "Give each student a private link to add thoughts in the days after.",
        _follow_up, "session_list",
    ),
    StepDefinition(
        "analysis", "Analysis",
        "Code the notes, build themes with root causes and quotes, and read patterns across groups.",
        _analysis, "themes",
    ),
    StepDefinition(
        "report", "Report",
        "Produce the thematic report, the one-page infographic and the slides.",
        _report, "report_list",
    ),
    StepDefinition(
        "action_plan", "Action plan",
        "Turn themes into projects, activities and committees with owners and dates.",
        _action_plan, "actions",
    ),
)


def program_checklist(program: Program, role: Role | None = None) -> list[StepState]:
    """Return every step's state; the first available step not yet done is the next one.

    With a role, a step links to its screen only when that role may open it."""
    states: list[StepState] = []
    next_found = False
    for number, step in enumerate(STEPS, start=1):
        progress = step.evaluate(program)
        summary = progress.summary
        if progress.done:
            status = StepStatus.DONE
        elif not next_found:
            status, next_found = StepStatus.NEXT, True
        else:
            status = StepStatus.TO_DO
        url = reverse(step.url_name, kwargs={"slug": program.slug}) if role is None or may_open(role, step.url_name) else None
        description = step.description.format(min_questions=settings.PROTOCOL_MIN_QUESTIONS,
                                              max_questions=settings.PROTOCOL_MAX_QUESTIONS)
        states.append(StepState(number, step.key, step.title, description, status, summary, url))
    return states
