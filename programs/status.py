"""A program's status follows its work: planning, then interviewing once a session starts, analysing
once the last session is done, acting once the first action is added.

The steps that move it live on higher floors (sessions in `interviews`, actions in `actions`), so each
calls `advance_status` with the status its event means. The status only moves forward: a lead who set
it by hand on the program form (say, back to interviewing for a second round, or closed) is not
overridden by an earlier step's event, and a closed program stays closed.
"""

from __future__ import annotations

from programs.models import Program, ProgramStatus

# The order the work goes in; CLOSED is set by hand only.
WORK_ORDER: tuple[ProgramStatus, ...] = (
    ProgramStatus.PLANNING, ProgramStatus.INTERVIEWING, ProgramStatus.ANALYSING, ProgramStatus.ACTING,
)


def advance_status(*, program: Program, to: ProgramStatus) -> bool:
    """Move the program to `to` if its status is earlier in the work; return whether it moved.

    One conditional UPDATE, so two events at once (two sessions starting) cannot move it backward."""
    earlier = list(WORK_ORDER[:WORK_ORDER.index(to)])
    moved = Program.objects.filter(pk=program.pk, status__in=earlier).update(status=to) == 1
    if moved:
        program.status = to
    return moved
