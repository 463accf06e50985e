"""Retention: past a program's retention date its student-level data is removed.

What goes: every note's words (students', observations, follow-ups) and their earlier versions,
coded snippets, theme quotes, consent records, follow-up links and who sat in which session. What
stays: the program, its protocol, sessions as dates and formats, codes and themes with their
counts, the action plan, and reports already made (they never carry a name; quotes in them are
attributed only by a suppressed descriptor). The roster itself is the district's and stays; it is
replaced at each import. Uploaded roster files are removed UPLOAD_KEEP_DAYS after their upload.

Nothing goes on the first night past the date. That night writes down that the program is due
(`Program.purge_due_since`) and e-mails its leads once; the dashboard warns them too; the data goes
RETENTION_GRACE_DAYS later, unless a lead moves the date later first (which clears the mark)."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy

from audit.log import record
from audit.models import AuditAction, DeletionRecord
from interviews.models import FollowUpLink, Note, Session
from participants.languages import account_language, district_default
from privacy.erasure import erase_notes
from programs.models import Membership, Program, Role, grace_period
from recruitment.models import Invitation

logger = logging.getLogger("empathy")


@dataclass(frozen=True)
class Purged:
    program: Program
    deletion: DeletionRecord


@dataclass(frozen=True)
class PurgeDate:
    program: Program
    purge_on: dt.date


REMOVED_LABELS = {
    "notes_with_words": ngettext_lazy("%(count)s note with words", "%(count)s notes with words", "count"),
    "consent_records": ngettext_lazy("%(count)s consent record", "%(count)s consent records", "count"),
    "follow_up_links": ngettext_lazy("%(count)s follow-up link", "%(count)s follow-up links", "count"),
    "session_places": ngettext_lazy("%(count)s session place", "%(count)s session places", "count"),
}


def expired_programs(today: dt.date | None = None) -> QuerySet[Program]:
    """Programs whose retention date is before today and whose data is still here."""
    today = today or timezone.localdate()
    default_cutoff = today - dt.timedelta(days=settings.RETENTION_DAYS_AFTER_END)
    return (Program.objects.filter(purged_at__isnull=True)
            .filter(Q(retention_until__lt=today) | Q(retention_until__isnull=True, ends_on__lt=default_cutoff))
            .order_by("ends_on", "pk"))


def due_programs(today: dt.date | None = None) -> QuerySet[Program]:
    """Expired programs whose grace period is over: the ones tonight's run purges."""
    today = today or timezone.localdate()
    return expired_programs(today).filter(purge_due_since__lte=today - grace_period())


def purge_schedule(today: dt.date | None = None) -> list[PurgeDate]:
    """Every expired program with the day its data goes: RETENTION_GRACE_DAYS after it became due, or
    after today for one that tonight's run will mark. A date on or before today means tonight."""
    today = today or timezone.localdate()
    return [PurgeDate(program, program.purge_date(today=today)) for program in expired_programs(today)]


def programs_in_grace(today: dt.date | None = None) -> list[PurgeDate]:
    """Expired programs whose data stays a while yet, with the day it goes."""
    today = today or timezone.localdate()
    return [item for item in purge_schedule(today) if item.purge_on > today]


def what_would_go(program: Program) -> dict[str, int]:
    return {
        "notes_with_words": Note.objects.filter(session__program=program, erased_at__isnull=True).exclude(text="").count(),
        "consent_records": Invitation.objects.filter(program=program).count(),
        "follow_up_links": FollowUpLink.objects.filter(session__program=program).count(),
        "session_places": Session.participants.through.objects.filter(session__program=program).count(),
    }


def answer_retention_preview(sender, *, program: Program, **kwargs) -> dict[str, int]:
    """Receiver of programs.models.retention_preview (connected in PrivacyConfig.ready)."""
    return what_would_go(program)


def describe_counts(counts: dict[str, int]) -> str:
    return ", ".join(REMOVED_LABELS[what] % {"count": n} if what in REMOVED_LABELS else f"{n} {what.replace('_', ' ')}"
                     for what, n in counts.items())


def warn_leads(program: Program, *, purge_on: dt.date) -> int:
    """E-mail the program's leads that its student data goes on `purge_on`; returns how many were sent."""
    leads = (Membership.objects.filter(program=program, role=Role.LEAD, user__is_active=True)
             .exclude(user__email="").select_related("user"))
    settings_path = reverse("program_edit", kwargs={"slug": program.slug})
    site = settings.CSRF_TRUSTED_ORIGINS[0].rstrip("/") if settings.CSRF_TRUSTED_ORIGINS else ""
    counts = what_would_go(program)
    sent = 0
    for membership in leads:
        # Each lead reads it in their own language: their account's choice, else the district's default.
        with translation.override(account_language(membership.user) or district_default()):
            facts = {"program": program.name, "keep_until": date_format(program.keep_until, "DATE_FORMAT"),
                     "date": date_format(purge_on, "DATE_FORMAT"), "counts": describe_counts(counts),
                     "url": site + settings_path}
            subject = _("Students' words in “%(program)s” will be deleted on %(date)s") % facts
            body = _(
                "The retention date of the program “%(program)s” (%(keep_until)s) has passed.\n\n"
                "On %(date)s the nightly purge deletes for good: %(counts)s. Reports already made stay.\n\n"
                "If the students' words are still needed, move the date on the program's Settings page: %(url)s\n"
            ) % facts
        sent += send_mail(subject=subject, message=body, from_email=settings.DEFAULT_FROM_EMAIL,
                          recipient_list=[membership.user.email])
    return sent


def mark_due(today: dt.date | None = None) -> tuple[list[PurgeDate], list[tuple[Program, str]]]:
    """Write down the programs that became due tonight and warn their leads, once; forget the mark of
    programs whose date has moved later since. Returns the newly due programs and the failures."""
    today = today or timezone.localdate()
    (Program.objects.filter(purged_at__isnull=True, purge_due_since__isnull=False)
     .exclude(pk__in=expired_programs(today).values("pk")).update(purge_due_since=None))
    newly, failed = [], []
    for program in list(expired_programs(today).filter(purge_due_since__isnull=True)):
        try:
            with transaction.atomic():
                # The conditional update makes the warning go once even when two runs overlap; a
                # failed e-mail rolls the mark back, so the next run marks and warns again.
                if not Program.objects.filter(pk=program.pk, purge_due_since__isnull=True).update(purge_due_since=today):
                    continue
                program.purge_due_since = today
                purge_on = program.purge_date(today=today)
                warn_leads(program, purge_on=purge_on)
        except Exception as exc:  # noqa: BLE001 - reported and retried tomorrow; the others go on
            logger.exception("Marking %s due for its retention purge failed", program.slug)
            failed.append((program, str(exc)))
            continue
        newly.append(PurgeDate(program, purge_on))
    return newly, failed


@transaction.atomic
def purge_program(program: Program, *, today: dt.date | None = None) -> DeletionRecord | None:
    """Remove the program's student-level data if it is still due (its date may have moved since it
    was listed); None when it is not."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    if not due_programs(today).filter(pk=program.pk).exists():
        return None
    removed = {
        **erase_notes(Note.objects.filter(session__program=program)),
        "consent_records": Invitation.objects.filter(program=program).delete()[0],
        "follow_up_links": FollowUpLink.objects.filter(session__program=program).delete()[0],
        "session_places": Session.participants.through.objects.filter(session__program=program).delete()[0],
    }
    now = timezone.now()
    Program.objects.filter(pk=program.pk).update(purged_at=now)
    detail = {"retention_date": program.keep_until.isoformat(), "due_since": program.purge_due_since.isoformat(),
              **removed}
    record(action=AuditAction.PURGE, obj=program, program=program, detail=detail)
    return DeletionRecord.objects.create(reason=DeletionRecord.Reason.RETENTION, program_id=program.pk,
                                         program_slug=program.slug, subject=program.name, removed=detail)


def purge_expired(today: dt.date | None = None) -> tuple[list[Purged], list[tuple[Program, str]]]:
    """Mark the programs that became due (warning their leads), then purge every program whose grace
    period is over, each in its own transaction so one failure stops only itself. Returns the purged
    programs and the ones that failed with why (they are tried again next run)."""
    today = today or timezone.localdate()
    _newly, failed = mark_due(today)
    purged = []
    for program in list(due_programs(today)):
        try:
            deletion = purge_program(program, today=today)
        except Exception as exc:  # noqa: BLE001 - reported and retried tomorrow; the others go on
            logger.exception("Retention purge of %s failed", program.slug)
            failed.append((program, str(exc)))
            continue
        if deletion is not None:
            purged.append(Purged(program, deletion))
    return purged, failed
