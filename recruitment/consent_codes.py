"""A family's private consent code and the answers given through it, online or on paper.

A code is printed on (or e-mailed with) one family's letter and opens their consent page without an
account (`/c/<code>/`). Only its hash is kept (`ConsentCode.code_hash`); it works until it expires
(`ConsentLetter.code_days` after it was made) or until a newer letter for the same invitation replaces
it (the old one is revoked). The same link serves a later change of mind: a family that said yes may
withdraw, with the effect every withdrawal has (recruitment/consent.py: the invitation is declined,
sessions refuse the student and their words leave the analysis); a family that said no may still say
yes; after a withdrawal the page shows it and points to the program's contact.

Every answer is a `ConsentAnswer` (method online or paper) and an audit entry naming the method."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.log import record
from audit.models import AuditAction
from recruitment.consent import record_consent
from recruitment.models import ConsentAnswer, ConsentCode, ConsentMethod, ConsentStatus, Invitation
from toolkit.codes import GuessLimits, code_hash, new_code, readable

DEFAULT_CODE_DAYS = 60
MAX_NAME_LENGTH = 200
MAX_RELATIONSHIP_LENGTH = 100


def limits() -> GuessLimits:
    """The budgets of wrong consent codes (the follow-up codes' settings unless CONSENT_* are set)."""
    return GuessLimits(
        scope="consent",
        per_address=getattr(settings, "CONSENT_RATE_LIMIT", settings.FOLLOW_UP_RATE_LIMIT),
        per_code_pair=getattr(settings, "CONSENT_CODE_FAILURE_LIMIT", settings.FOLLOW_UP_CODE_FAILURE_LIMIT),
        window_seconds=getattr(settings, "CONSENT_RATE_WINDOW_SECONDS", settings.FOLLOW_UP_RATE_WINDOW_SECONDS),
    )


NAME_NEEDED = _("Write your name, so the school knows who answered.")
RELATIONSHIP_NEEDED = _("Say how you are related to the student (for example: mother, father, guardian).")
CHOICE_NEEDED = _("Choose yes or no.")
ALREADY_WITHDRAWN = _("Consent was withdrawn through this letter. To change that, please contact the school.")
ANSWER_NEEDED = _("Choose the family's answer.")
DATE_IN_FUTURE = _("The date cannot be in the future.")
DATE_NEEDED = _("Give the date written on the form.")

# What a family may say online, from each state. (choice, current) -> new status; None: nothing changes.
_ONLINE = {
    ("yes", ConsentStatus.PENDING): ConsentStatus.GRANTED,
    ("yes", ConsentStatus.DECLINED): ConsentStatus.GRANTED,
    ("yes", ConsentStatus.GRANTED): None,
    ("no", ConsentStatus.PENDING): ConsentStatus.DECLINED,
    ("no", ConsentStatus.DECLINED): None,
    ("no", ConsentStatus.GRANTED): ConsentStatus.WITHDRAWN,
    ("no", ConsentStatus.WITHDRAWN): None,
}


class AnswerRefused(ValueError):
    """An answer that cannot be kept: each problem by the field it belongs to."""

    def __init__(self, problems: dict[str, str]):
        super().__init__("; ".join(str(p) for p in problems.values()))
        self.problems = problems


def code_days(invitation: Invitation) -> int:
    letter = getattr(invitation.program, "consent_letter", None)
    return letter.code_days if letter is not None and letter.code_days else DEFAULT_CODE_DAYS


def issue_code(*, invitation: Invitation, now: dt.datetime | None = None) -> str:
    """A new private code for this family's letter (returned once, readable: ABCD-EFGH-JKMN); the codes
    printed on their earlier letters stop working."""
    now = now or timezone.now()
    ConsentCode.objects.filter(invitation=invitation, revoked_at__isnull=True).update(revoked_at=now)
    code = new_code()
    ConsentCode.objects.create(invitation=invitation, code_hash=code_hash(code),
                               expires_at=now + dt.timedelta(days=code_days(invitation)))
    return readable(code)


def find_code(code: str, *, now: dt.datetime | None = None) -> ConsentCode | None:
    """The live code row for `code`, or None when it is unknown, expired or revoked (one answer for all)."""
    row = (ConsentCode.objects.select_related("invitation__program", "invitation__student")
           .filter(code_hash=code_hash(code)).first())
    if row is None or row.revoked_at is not None or row.expires_at <= (now or timezone.now()):
        return None
    return row


def _checked(guardian_name: str, relationship: str) -> tuple[str, str]:
    guardian_name, relationship = " ".join((guardian_name or "").split()), " ".join((relationship or "").split())
    problems = {}
    if not guardian_name:
        problems["guardian_name"] = NAME_NEEDED
    if not relationship:
        problems["relationship"] = RELATIONSHIP_NEEDED
    if problems:
        raise AnswerRefused(problems)
    return guardian_name[:MAX_NAME_LENGTH], relationship[:MAX_RELATIONSHIP_LENGTH]


def _keep(*, invitation: Invitation, answer: str, guardian_name: str, relationship: str, method: str,
          on: dt.date, language: str, user=None, request=None) -> ConsentAnswer:
    with transaction.atomic():
        kept = ConsentAnswer.objects.create(
            invitation=invitation, answer=answer, guardian_name=guardian_name, relationship=relationship,
            method=method, answered_on=on, language=language or "", recorded_by=user)
        record_consent(invitation=invitation, parent=answer, student=invitation.student_assent, method=method, on=on)
        record(action=AuditAction.RECORD_CONSENT, request=request, actor=user, obj=invitation,
               program=invitation.program,
               detail={"consent": answer, "method": method, "answered_on": on.isoformat(),
                       "student": invitation.student.pseudonym})
    return kept


def answer_online(*, code: ConsentCode, choice: str, guardian_name: str, relationship: str, language: str = "",
                  request=None, today: dt.date | None = None) -> ConsentAnswer | None:
    """Keep what a family said on their consent page: "yes" or "no". A "no" after a "yes" withdraws.
    None when the answer changes nothing (the same answer again). AnswerRefused for a missing name or
    relationship, a missing choice, or any answer after a withdrawal."""
    invitation = Invitation.objects.select_related("program", "student").get(pk=code.invitation_id)
    if invitation.parent_consent == ConsentStatus.WITHDRAWN and choice == "yes":
        raise AnswerRefused({"choice": ALREADY_WITHDRAWN})
    if choice not in ("yes", "no"):
        raise AnswerRefused({"choice": CHOICE_NEEDED})
    guardian_name, relationship = _checked(guardian_name, relationship)
    new_status = _ONLINE.get((choice, invitation.parent_consent))
    if new_status is None:
        return None
    kept = _keep(invitation=invitation, answer=new_status, guardian_name=guardian_name, relationship=relationship,
                 method=ConsentMethod.ONLINE, on=today or timezone.localdate(), language=language, request=request)
    ConsentCode.objects.filter(pk=code.pk).update(times_used=code.times_used + 1)
    return kept


PAPER_ANSWERS = (ConsentStatus.GRANTED, ConsentStatus.DECLINED, ConsentStatus.WITHDRAWN)


def record_paper_answer(*, invitation: Invitation, answer: str, guardian_name: str, relationship: str,
                        on: dt.date | None, user, request=None, language: str = "") -> ConsentAnswer:
    """Keep a family's answer on paper as staff read it: granted, declined or withdrawn, on the form's date."""
    problems = {}
    if answer not in PAPER_ANSWERS:
        problems["answer"] = ANSWER_NEEDED
    if on is None:
        problems["on"] = DATE_NEEDED
    elif on > timezone.localdate():
        problems["on"] = DATE_IN_FUTURE
    try:
        guardian_name, relationship = _checked(guardian_name, relationship)
    except AnswerRefused as refusal:
        problems.update(refusal.problems)
    if problems:
        raise AnswerRefused(problems)
    return _keep(invitation=invitation, answer=answer, guardian_name=guardian_name, relationship=relationship,
                 method=ConsentMethod.PAPER, on=on, language=language, user=user, request=request)


def latest_answer(invitation: Invitation) -> ConsentAnswer | None:
    return invitation.consent_answers.order_by("-created_at", "-pk").first()
