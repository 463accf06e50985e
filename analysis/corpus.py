"""Which notes analysis may use: students' own words and follow-ups from completed sessions, never
those of a student whose consent or assent was withdrawn (that takes effect at once, everywhere)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from interviews.models import Note, NoteKind, SessionStatus
from programs.models import Program
from recruitment.models import Invitation

ANALYSED_KINDS = (NoteKind.STUDENT, NoteKind.FOLLOW_UP)


def withdrawn_student_ids(program: Program) -> QuerySet:
    return Invitation.objects.filter(program=program).withdrawn().values("student_id")


def analysable_notes(program: Program) -> QuerySet[Note]:
    return (Note.objects.filter(session__program=program, session__status=SessionStatus.COMPLETED, kind__in=ANALYSED_KINDS)
            .exclude(text="").exclude(Q(student__isnull=False) & Q(student_id__in=withdrawn_student_ids(program))))


def analysable_notes_in(programs: QuerySet[Program]) -> QuerySet[Note]:
    """`analysable_notes` of several programs at once (the district repository, district/repository.py): the
    same kinds and sessions; a student's withdrawal is read in the note's own program; erased words never."""
    withdrawn = Invitation.objects.withdrawn().filter(program=OuterRef("session__program"), student=OuterRef("student"))
    return (Note.objects.filter(session__program__in=programs, session__status=SessionStatus.COMPLETED,
                                kind__in=ANALYSED_KINDS, erased_at__isnull=True)
            .exclude(text="").exclude(Exists(withdrawn)))
