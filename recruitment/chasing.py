"""Chasing consent: who has answered, how long the others have had the letter, and the reminders sent.

A reminder goes only to a family that has not answered (no answer recorded, online or on paper, and the
parent's consent still pending), only after their letter went out, and never more often than the
program's consent letter allows (ConsentLetter.max_reminders). It goes by e-mail to a family whose
roster row has a parent or guardian e-mail, in the family's language, or home with the student as a
re-printed letter. Each reminder is a ConsentContact and an audit entry.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Exists, IntegerField, Max, Min, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.log import record
from audit.models import AuditAction
from programs.models import Program
from recruitment import letters
from recruitment.models import ConsentAnswer, ConsentContact, ConsentLetter, ConsentStatus, Invitation

logger = logging.getLogger(__name__)

LETTERS = (ConsentContact.Kind.LETTER_PRINTED, ConsentContact.Kind.LETTER_EMAILED)
REMINDERS = (ConsentContact.Kind.REMINDER_PRINTED, ConsentContact.Kind.REMINDER_EMAILED)
STATUS_ORDER = (ConsentStatus.PENDING, ConsentStatus.GRANTED, ConsentStatus.DECLINED, ConsentStatus.WITHDRAWN)


class By(StrEnum):
    EMAIL = "email"
    PRINT = "print"


# Why a family is not sent a reminder, shown beside them.
ANSWERED = gettext_lazy("The family has answered.")
NO_LETTER = gettext_lazy("No letter has gone out yet: send the letter first.")
AT_MOST = gettext_lazy("Already sent the most reminders the program allows.")
NO_EMAIL = gettext_lazy("No parent or guardian e-mail on the roster: print a reminder.")


def letter_for(program: Program) -> ConsentLetter:
    """The program's consent letter, made with the defaults when the lead has not written it yet."""
    letter, _created = ConsentLetter.objects.get_or_create(program=program)
    return letter


def letter_words(letter: ConsentLetter, language: str) -> dict[str, str]:
    """The lead's words of the letter in `language` where they translated them, else as written."""
    translated = (letter.translations or {}).get(language) or {}
    return {part: translated.get(part) or getattr(letter, part) for part in ("purpose", "contact")}


def chase_invitations(program: Program):
    """The program's invitations with what chasing needs, in one query however many students there are."""
    contacts = ConsentContact.objects.filter(invitation=OuterRef("pk"))
    answers = ConsentAnswer.objects.filter(invitation=OuterRef("pk")).order_by("-created_at", "-pk")

    def counted(kinds):
        return Coalesce(Subquery(contacts.filter(kind__in=kinds).order_by().values("invitation")
                                 .annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField()), Value(0))

    return (Invitation.objects.filter(program=program).select_related("student", "student__school")
            .annotate(
                letter_sent_at=Subquery(contacts.filter(kind__in=LETTERS).order_by().values("invitation")
                                        .annotate(first=Min("sent_at")).values("first")[:1]),
                last_reminder_at=Subquery(contacts.filter(kind__in=REMINDERS).order_by().values("invitation")
                                          .annotate(last=Max("sent_at")).values("last")[:1]),
                reminders_sent=counted(REMINDERS),
                answer_method=Subquery(answers.values("method")[:1]),
                has_answer=Exists(answers),
            )
            .order_by("student__school__name", "student__last_name", "student__first_name"))


def has_answered(invitation: Invitation) -> bool:
    """Any answer at all: an answer on record (online or paper) or a consent that is no longer pending."""
    return bool(getattr(invitation, "has_answer", False)) or invitation.parent_consent != ConsentStatus.PENDING


@dataclass(frozen=True)
class ChaseRow:
    invitation: Invitation
    days_since_letter: int | None
    reason_not: dict[str, str]  # By -> why this family gets no reminder that way ("" when it may)

    @property
    def may_email(self) -> bool:
        return not self.reason_not[By.EMAIL]

    @property
    def may_print(self) -> bool:
        return not self.reason_not[By.PRINT]

    @property
    def badge(self) -> str:
        """The CSS class of the consent's badge (the Students page's invitation colours)."""
        return {ConsentStatus.PENDING: "invitation-invited", ConsentStatus.GRANTED: "invitation-consented"}.get(
            self.invitation.parent_consent, "invitation-declined")

    @property
    def method_label(self) -> str:
        method = self.invitation.answer_method
        return {"online": _("online"), "paper": _("on paper")}.get(method, method or "")


def why_not(invitation: Invitation, *, by: By, max_reminders: int) -> str:
    """Why this family is not sent a reminder `by` this way, or "" when it may be."""
    if has_answered(invitation):
        return str(ANSWERED)
    if invitation.letter_sent_at is None:
        return str(NO_LETTER)
    if invitation.reminders_sent >= max_reminders:
        return str(AT_MOST)
    if by == By.EMAIL and not invitation.student.guardian_email:
        return str(NO_EMAIL)
    return ""


def chase_rows(*, program: Program, now: dt.datetime | None = None) -> list[ChaseRow]:
    now = now or timezone.now()
    max_reminders = letter_for(program).max_reminders
    rows = []
    for invitation in chase_invitations(program):
        days = (timezone.localdate(now) - timezone.localdate(invitation.letter_sent_at)).days if invitation.letter_sent_at else None
        rows.append(ChaseRow(invitation, days, {by: why_not(invitation, by=by, max_reminders=max_reminders) for by in By}))
    # The families still to answer first, each group in the roster's order.
    return sorted(rows, key=lambda row: has_answered(row.invitation))


def status_counts(rows: list[ChaseRow]) -> list[tuple[str, str, int]]:
    """(status, label, count) for each parent consent status, pending first."""
    counts = {status: 0 for status in STATUS_ORDER}
    for row in rows:
        counts[ConsentStatus(row.invitation.parent_consent)] += 1
    return [(status.value, str(status.label), counts[status]) for status in STATUS_ORDER]


def remindable_ids(*, program: Program, by: By) -> list[int]:
    """The invitations a reminder may go to this way now."""
    return [row.invitation.pk for row in chase_rows(program=program) if not row.reason_not[by]]


@dataclass(frozen=True)
class ReminderResult:
    sent: list[int]  # invitation ids reminded
    skipped: int  # asked for but not (answered since, at the most reminders, no e-mail, another program)


def _claim(*, program: Program, invitation_ids, by: By, sent_by, kind: str) -> list[tuple[Invitation, ConsentContact]]:
    """Lock the invitations, check each again, and record a reminder for those that may have one.

    The rows are locked so that two reminders sent at once cannot both pass the limit."""
    max_reminders = letter_for(program).max_reminders
    locked = list(Invitation.objects.select_for_update().filter(program=program, pk__in=list(invitation_ids))
                  .order_by("pk").values_list("pk", flat=True))
    claimed = []
    for invitation in chase_invitations(program).filter(pk__in=locked):
        if why_not(invitation, by=by, max_reminders=max_reminders):
            continue
        language = letters.family_language(invitation.student)
        contact = ConsentContact.objects.create(invitation=invitation, kind=kind, language=language, sent_by=sent_by)
        claimed.append((invitation, contact))
    return claimed


def _audit(*, program: Program, invitation: Invitation, how: str, language: str, sent_by, request=None) -> None:
    # A reminder names the student to their family outside the app, so it is logged as data leaving it.
    record(action=AuditAction.EXPORT, request=request, actor=sent_by, obj=invitation, program=program,
           detail={"consent_reminder": how, "language": language})


def send_email_reminders(*, program: Program, invitation_ids, sent_by=None, base_url: str = "") -> ReminderResult:
    """E-mail a reminder to each of these families that may have one, in the family's language, with a
    new link to their consent page (recruitment/letters.py: the earlier code stops working, as when a
    letter is re-printed). Each family in its own transaction: a message the mail server refuses leaves
    that family's reminder unrecorded and their earlier code working, and the next family still gets theirs."""
    invitation_ids = list(invitation_ids)
    letter = letter_for(program)
    sent = []
    for invitation_id in invitation_ids:
        try:
            with transaction.atomic():
                claimed = _claim(program=program, invitation_ids=[invitation_id], by=By.EMAIL, sent_by=sent_by,
                                 kind=ConsentContact.Kind.REMINDER_EMAILED)
                if not claimed:
                    continue
                invitation, contact = claimed[0]
                student = invitation.student
                with translation.override(contact.language):
                    context = {"program": program, "student": student, **letter_words(letter, contact.language),
                               "link": letters.consent_link(invitation=invitation, base_url=base_url)}
                    subject = _("Reminder: consent for %(first_name)s to take part in %(program)s") % {
                        "first_name": student.first_name, "program": program.name}
                    body = render_to_string("recruitment/consent_reminder_email.txt", context)
                send_mail(subject=subject, message=body, from_email=settings.DEFAULT_FROM_EMAIL,
                          recipient_list=[student.guardian_email])
                _audit(program=program, invitation=invitation, how="emailed", language=contact.language,
                       sent_by=sent_by)
        except OSError:  # the mail server refused or could not be reached
            logger.warning("Consent reminder for invitation %s could not be e-mailed", invitation_id, exc_info=True)
            continue
        sent.append(invitation_id)
    return ReminderResult(sent, len(invitation_ids) - len(sent))


class ReprintRefused(ValueError):
    pass


def reprint_reminders(*, program: Program, invitation_ids, sent_by=None, base_url: str = "", request=None):
    """Re-print the letter of each of these families that may have a reminder, as the class-set PDF of
    recruitment/letters.py (a letter a page, each with a new private code): (the PDF's bytes or None when
    none may have one, the result). Made inside the transaction: a PDF that fails records no reminder
    and keeps the families' earlier codes."""
    invitation_ids = list(invitation_ids)
    try:
        with transaction.atomic():
            claimed = _claim(program=program, invitation_ids=invitation_ids, by=By.PRINT, sent_by=sent_by,
                             kind=ConsentContact.Kind.REMINDER_PRINTED)
            if not claimed:
                return None, ReminderResult([], len(invitation_ids))
            for invitation, contact in claimed:
                _audit(program=program, invitation=invitation, how="printed", language=contact.language,
                       sent_by=sent_by, request=request)
            pdf = letters.class_set_pdf(program=program, invitations=[i for i, _c in claimed], base_url=base_url)
    except letters.LetterNotReady as refusal:
        raise ReprintRefused(str(refusal)) from refusal
    return pdf, ReminderResult([i.pk for i, _c in claimed], len(invitation_ids) - len(claimed))


def reminder_ids_for(*, program: Program, by: By, chosen=None) -> list[int]:
    """The chosen invitations (all that may have one when none are chosen) that may be reminded `by`."""
    allowed = remindable_ids(program=program, by=by)
    if not chosen:
        return allowed
    chosen = {int(pk) for pk in chosen}
    return [pk for pk in allowed if pk in chosen]


def summary_of(rows: list[ChaseRow]) -> dict[str, int]:
    return {
        "email": sum(1 for r in rows if r.may_email),
        "print": sum(1 for r in rows if r.may_print),
        "waiting": sum(1 for r in rows if not has_answered(r.invitation)),
    }

