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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

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


def _sentences(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _facilitators(program: Program) -> Progress:
    memberships = Membership.objects.filter(program=program, role=Role.FACILITATOR)
    total = memberships.count()
    outside = memberships.filter(user__staff_member__is_outside_facilitator=True).count()
    if total == 0:
        return Progress(False, _("No facilitators on the team yet."))
    return Progress(True, ngettext("%(count)d facilitator on the team, %(outside)d from outside the schools.",
                                   "%(count)d facilitators on the team, %(outside)d from outside the schools.",
                                   total) % {"count": total, "outside": outside})


def _students(program: Program) -> Progress:
    """Done when the sample is invited, every family and student has answered, and some said yes."""
    invitations = Invitation.objects.filter(program=program)
    invited = invitations.count()
    if invited == 0:
        return Progress(False, _("No sample yet."))
    consented = invitations.consented().count()
    waiting = waiting_for(program, with_names=False).awaiting_consent_count
    summary = ngettext("%(invited)d student invited, %(consented)d with consent and assent.",
                       "%(invited)d students invited, %(consented)d with consent and assent.",
                       invited) % {"invited": invited, "consented": consented}
    if waiting:
        summary = _sentences(summary, ngettext("%(count)d still waiting for consent or assent.",
                                               "%(count)d still waiting for consent or assent.",
                                               waiting) % {"count": waiting})
    return Progress(consented > 0 and not waiting, summary)


def _protocol(program: Program) -> Progress:
    protocol = current_protocol(program)
    if protocol is None:
        return Progress(False, _("No protocol yet."))
    questions = list(protocol.questions.all())
    if is_ready(protocol, questions):
        return Progress(True, ngettext("Version %(version)s is ready: %(count)d question.",
                                       "Version %(version)s is ready: %(count)d questions.",
                                       len(questions)) % {"version": protocol.version, "count": len(questions)})
    problems = readiness_problems(protocol, questions)
    return Progress(False, _sentences(_("Version %(version)s is a draft.") % {"version": protocol.version},
                                      str(problems[0]) if problems else _("Mark it ready.")))


def _sessions(program: Program) -> Progress:
    """Done when every session is completed or cancelled and at least one was completed."""
    counts = dict(Session.objects.filter(program=program).values_list("status").annotate(n=Count("pk")))
    scheduled = sum(n for status, n in counts.items() if status != SessionStatus.CANCELLED)
    if scheduled == 0:
        return Progress(False, _("No sessions scheduled yet."))
    done = counts.get(SessionStatus.COMPLETED, 0)
    to_run = counts.get(SessionStatus.SCHEDULED, 0) + counts.get(SessionStatus.IN_PROGRESS, 0)
    values = {"scheduled": scheduled, "done": done, "to_run": to_run}
    if to_run:
        summary = ngettext("%(scheduled)d session scheduled, %(done)d completed, %(to_run)d still to run.",
                           "%(scheduled)d sessions scheduled, %(done)d completed, %(to_run)d still to run.",
                           scheduled) % values
    else:
        summary = ngettext("%(scheduled)d session scheduled, %(done)d completed.",
                           "%(scheduled)d sessions scheduled, %(done)d completed.", scheduled) % values
    return Progress(done > 0 and not to_run, summary)


def _notes(program: Program) -> Progress:
    """Done when no session is running or still to run and every completed session has notes."""
    sessions = Session.objects.filter(program=program)
    completed = sessions.filter(status=SessionStatus.COMPLETED)
    notes = Note.objects.filter(session__program=program).exclude(kind=NoteKind.FOLLOW_UP).count()
    if not notes:
        return Progress(False, _("No notes taken yet."))
    count = completed.count()
    without = completed.exclude(pk__in=Note.objects.filter(session__program=program).exclude(kind=NoteKind.FOLLOW_UP)
                                .values("session_id")).count()
    open_sessions = sessions.filter(status__in=[SessionStatus.SCHEDULED, SessionStatus.IN_PROGRESS]).exists()
    sessions_phrase = ngettext("%(count)d completed session", "%(count)d completed sessions", count) % {"count": count}
    summary = ngettext("%(notes)d note from %(sessions)s.", "%(notes)d notes from %(sessions)s.",
                       notes) % {"notes": notes, "sessions": sessions_phrase}
    if without:
        summary = _sentences(summary, ngettext("%(count)d completed session has no notes.",
                                               "%(count)d completed sessions have no notes.",
                                               without) % {"count": without})
    return Progress(count > 0 and not without and not open_sessions, summary)


def _follow_up(program: Program) -> Progress:
    """Done when every student of every completed session has been handed a follow-up link."""
    links = FollowUpLink.objects.filter(session__program=program)
    count = links.count()
    added = Note.objects.filter(session__program=program, kind=NoteKind.FOLLOW_UP).count()
    if not count:
        return Progress(False, _("No follow-up slips handed out yet."))
    heard = Session.participants.through.objects.filter(session__program=program,
                                                        session__status=SessionStatus.COMPLETED)
    handed = set(links.values_list("session_id", "student_id"))
    missing = sum((s, st) not in handed for s, st in heard.values_list("session_id", "student_id"))
    notes_phrase = ngettext("%(count)d note", "%(count)d notes", added) % {"count": added}
    summary = ngettext("%(count)d follow-up link handed out; students added %(notes)s.",
                       "%(count)d follow-up links handed out; students added %(notes)s.",
                       count) % {"count": count, "notes": notes_phrase}
    if missing:
        summary = _sentences(summary, ngettext("%(count)d student of completed sessions still without a link.",
                                               "%(count)d students of completed sessions still without a link.",
                                               missing) % {"count": missing})
    return Progress(not missing, summary)


def _analysis(program: Program) -> Progress:
    overall_progress, _unused = coding_progress(program)
    themes = Theme.objects.filter(program=program).count()
    if not overall_progress.total:
        return Progress(False, _("Notes appear for coding once sessions are completed."))
    summary = ngettext("%(percent)s%% of notes coded; %(count)d theme.", "%(percent)s%% of notes coded; %(count)d themes.",
                       themes) % {"percent": overall_progress.percent, "count": themes}
    # Done when every note is coded and there is a theme: a note left uncoded is a voice left out.
    return Progress(themes > 0 and overall_progress.coded == overall_progress.total, summary)


def _report(program: Program) -> Progress:
    """Done when the thematic report is ready; the infographic and slides are extras beside it."""
    ready = set(Report.objects.filter(program=program, status=ReportStatus.READY).values_list("kind", flat=True))
    kinds = sorted({str(ReportKind(k).label) for k in ready})
    if not kinds:
        return Progress(False, _("No report produced yet."))
    summary = _("Ready: %(kinds)s.") % {"kinds": ", ".join(kinds)}
    if ReportKind.THEMATIC not in ready:
        summary = _sentences(summary, _("The thematic report is still to make."))
    return Progress(ReportKind.THEMATIC in ready, summary)


def _action_plan(program: Program) -> Progress:
    live = ActionItem.objects.filter(program=program).exclude(status=ActionStatus.DROPPED).count()
    unanswered = themes_without_action(program)
    if not live:
        return Progress(False, _("No actions yet."))
    if unanswered:
        gap = _("Themes with no action: %(themes)s.") % {"themes": ", ".join(t.name for t in unanswered)}
    else:
        gap = _("Every theme has an action.")
    return Progress(not unanswered, _sentences(ngettext("%(count)d action.", "%(count)d actions.", live) % {"count": live},
                                               gap))


STEPS: tuple[StepDefinition, ...] = (
    StepDefinition(
        "facilitators", gettext_lazy("Facilitators"),
        gettext_lazy("Pick people students are comfortable with: neutral outsiders, or staff who do not teach the students."),
        _facilitators, "program_team",
    ),
    StepDefinition(
        "students", gettext_lazy("Students"),
        gettext_lazy("Build a sample that is representative of the community, with every group present, and ask who is missing."),
        _students, "program_students",
    ),
    StepDefinition(
        "protocol", gettext_lazy("Protocol"),
        gettext_lazy("Write {min_questions} to {max_questions} open, story-based questions with follow-up prompts, and the scripts around them."),
        _protocol, "protocol",
    ),
    StepDefinition(
        "sessions", gettext_lazy("Sessions"),
        gettext_lazy("Schedule individual interviews and focus groups with a facilitator and a note-taker."),
        _sessions, "session_list",
    ),
    StepDefinition(
        "notes", gettext_lazy("Live notes"),
        gettext_lazy("Run each session and capture students' words verbatim, attributed and never lost."),
        _notes, "session_list",
    ),
    StepDefinition(
        "follow_up", gettext_lazy("Follow-up"),
        gettext_lazy("Give each student a private link to add thoughts in the days after."),
        _follow_up, "session_list",
    ),
    StepDefinition(
        "analysis", gettext_lazy("Analysis"),
        gettext_lazy("Code the notes, build themes with root causes and quotes, and read patterns across groups."),
        _analysis, "themes",
    ),
    StepDefinition(
        "report", gettext_lazy("Report"),
        gettext_lazy("Produce the thematic report, the one-page infographic and the slides."),
        _report, "report_list",
    ),
    StepDefinition(
        "action_plan", gettext_lazy("Action plan"),
        gettext_lazy("Turn themes into projects, activities and committees with owners and dates."),
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
