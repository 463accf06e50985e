"""Retention: past a program's retention date its student-level data is removed.

What goes: every note's words (students', observations, follow-ups) and their earlier versions,
coded snippets, theme quotes, consent records, follow-up links and who sat in which session. What
stays: the program, its protocol, sessions as dates and formats, codes and themes with their
counts, the action plan, and reports already made (they never carry a name; quotes in them are
attributed only by a suppressed descriptor). The roster itself is the district's and stays; it is
replaced at each import. Uploaded roster files are removed UPLOAD_KEEP_DAYS after their upload."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from audit.log import record
from audit.models import AuditAction, DeletionRecord
from interviews.models import FollowUpLink, Note, Session
from privacy.erasure import erase_notes
from programs.models import Program
from recruitment.models import Invitation

logger = logging.getLogger("empathy")


@dataclass(frozen=True)
class Purged:
    program: Program
    deletion: DeletionRecord


def expired_programs(today: dt.date | None = None) -> QuerySet[Program]:
    """Programs whose retention date is before today and whose data is still here."""
    today = today or timezone.localdate()
    default_cutoff = today - dt.timedelta(days=settings.RETENTION_DAYS_AFTER_END)
    return (Program.objects.filter(purged_at__isnull=True)
            .filter(Q(retention_until__lt=today) | Q(retention_until__isnull=True, ends_on__lt=default_cutoff))
            .order_by("ends_on", "pk"))


def what_would_go(program: Program) -> dict[str, int]:
    return {
        "notes_with_words": Note.objects.filter(session__program=program, erased_at__isnull=True).exclude(text="").count(),
        "consent_records": Invitation.objects.filter(program=program).count(),
        "follow_up_links": FollowUpLink.objects.filter(session__program=program).count(),
        "session_places": Session.participants.through.objects.filter(session__program=program).count(),
    }


@transaction.atomic
def purge_program(program: Program) -> DeletionRecord:
    program = Program.objects.select_for_update().get(pk=program.pk)
    removed = {
        **erase_notes(Note.objects.filter(session__program=program)),
        "consent_records": Invitation.objects.filter(program=program).delete()[0],
        "follow_up_links": FollowUpLink.objects.filter(session__program=program).delete()[0],
        "session_places": Session.participants.through.objects.filter(session__program=program).delete()[0],
    }
    now = timezone.now()
    Program.objects.filter(pk=program.pk).update(purged_at=now)
    detail = {"retention_date": program.keep_until.isoformat(), **removed}
    record(action=AuditAction.PURGE, obj=program, program_slug=program.slug, detail=detail)
    return DeletionRecord.objects.create(reason=DeletionRecord.Reason.RETENTION, program_slug=program.slug,
                                         subject=program.name, removed=detail)


def purge_expired(today: dt.date | None = None) -> tuple[list[Purged], list[tuple[Program, str]]]:
    """Purge every expired program, each in its own transaction so one failure stops only itself.
    Returns the purged programs and the ones that failed with why (they are tried again next run)."""
    purged, failed = [], []
    for program in list(expired_programs(today)):
        try:
            purged.append(Purged(program, purge_program(program)))
        except Exception as exc:  # noqa: BLE001 - reported and retried tomorrow; the others go on
            logger.exception("Retention purge of %s failed", program.slug)
            failed.append((program, str(exc)))
    return purged, failed
