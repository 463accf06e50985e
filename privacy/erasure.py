"""Removing students' words and identity while past analyses keep their anonymous counts.

A note's row stays, empty and without its student, so code counts and note counts in past analyses
still add up; its text, earlier versions, coded snippets and theme quotes are gone. Every removal
writes a deletion record of counts (never of words or names) and an audit event. Reports already
made are rendered again so that no file keeps a removed quote."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from analysis.models import CodeApplication, ThemeQuote
from audit.log import record
from audit.models import AuditAction, DeletionRecord
from interviews.models import FollowUpLink, Note, NoteRevision, Session
from interviews.note_search import forget_removed_words
from participants.models import Student
from privacy.upload_files import removable, remove_upload_files
from programs.models import Program
from recruitment.models import Invitation
from reports.render import rerender_reports


def erase_notes(notes: QuerySet[Note]) -> dict[str, int]:
    """Empty these notes of words and student; return what went, as counts."""
    note_ids = list(notes.filter(erased_at__isnull=True).values_list("pk", flat=True))
    removed = {
        "notes_emptied": len(note_ids),
        "earlier_versions": NoteRevision.objects.filter(note_id__in=note_ids).delete()[0],
        "theme_quotes": ThemeQuote.objects.filter(note_id__in=note_ids).delete()[0],
        "coded_passages_kept_as_counts": CodeApplication.objects.filter(note_id__in=note_ids).update(snippet=""),
    }
    now = timezone.now()
    Note.objects.filter(pk__in=note_ids).update(
        text="", student=None, quote_worthy=False, needs_follow_up=False, erased_at=now, updated_at=now,
        conflict_text="", conflict_by=None, conflict_at=None)  # the other text of a conflict goes too
    if note_ids:
        forget_removed_words()
    return removed


def programs_of(student: Student) -> set[int]:
    return (set(Invitation.objects.filter(student=student).values_list("program_id", flat=True))
            | set(Session.objects.filter(participants=student).values_list("program_id", flat=True))
            | set(Note.objects.filter(student=student).values_list("session__program_id", flat=True)))


@transaction.atomic
def erase_student(student: Student, *, request=None, actor=None) -> DeletionRecord:
    """Delete a student on a family's request: words and identity go, anonymous counts stay."""
    student = Student.objects.select_for_update().get(pk=student.pk)
    program_ids = programs_of(student)
    programs = list(Program.objects.filter(pk__in=program_ids).order_by("slug"))
    slugs = [program.slug for program in programs]
    removed = erase_notes(Note.objects.filter(student=student))
    removed |= {
        "consent_records": Invitation.objects.filter(student=student).count(),
        "follow_up_links": FollowUpLink.objects.filter(student=student).count(),
        "session_places": student.interview_sessions.count(),
        "teaching_assignments": student.teaching_assignments.count(),
        "student_records": 1,
    }
    pseudonym = student.pseudonym
    for program in programs or [None]:  # one entry in each program's log, so each program's leads see it
        record(action=AuditAction.DELETE, request=request, actor=actor, obj=student, program=program,
               detail={"what": "student and their words", "programs": slugs, **removed})
    student.delete()  # cascades to consent, links, teaching assignments and session places
    # Finished uploads may hold the student's row; they are no longer needed.
    removed["uploaded_roster_files"] = remove_upload_files(removable(finished_only=True))
    removed["reports_rendered_again"] = rerender_reports(program_ids)
    actor = actor or (request.user if request is not None else None)
    records = [DeletionRecord.objects.create(
        reason=DeletionRecord.Reason.STUDENT_REQUEST, subject=pseudonym, removed=removed,
        program_id=program.pk if program else None, program_slug=program.slug if program else "",
        actor_username=actor.get_username() if actor is not None else "") for program in programs or [None]]
    return records[0]
