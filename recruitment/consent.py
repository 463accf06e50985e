"""Recording parent/guardian consent and student assent, and what follows from them."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from audit.log import record
from audit.models import AuditAction
from recruitment.models import ConsentAnswer, ConsentMethod, ConsentStatus, Invitation, InvitationStatus

REFUSING = {ConsentStatus.DECLINED, ConsentStatus.WITHDRAWN}


def status_after_consent(invitation: Invitation) -> str:
    if invitation.parent_consent in REFUSING or invitation.student_assent in REFUSING:
        return InvitationStatus.DECLINED
    if invitation.status == InvitationStatus.INTERVIEWED:
        return InvitationStatus.INTERVIEWED
    if invitation.can_be_scheduled:
        return InvitationStatus.CONSENTED
    return InvitationStatus.INVITED


def record_consent(
    *, invitation: Invitation, parent: str, student: str, method: str = "", on: dt.date | None = None
) -> Invitation:
    """Set both consents; a changed answer gets today's date (or `on`) and the method."""
    on = on or dt.date.today()
    if parent != invitation.parent_consent:
        invitation.parent_consent, invitation.parent_consent_on = parent, on
        invitation.parent_consent_method = method or invitation.parent_consent_method
    if student != invitation.student_assent:
        invitation.student_assent, invitation.student_assent_on = student, on
        invitation.student_assent_method = method or invitation.student_assent_method
    invitation.status = status_after_consent(invitation)
    invitation.save()
    return invitation


def record_consent_by_staff(*, invitation: Invitation, parent: str, student: str, method: str, by, request=None) -> Invitation:
    """The Students page's per-student consent: a changed family answer is kept in the family's answers
    (a paper answer, as the consent page records one) and audited; the student's assent is set as before."""
    changed = parent != invitation.parent_consent
    with transaction.atomic():
        record_consent(invitation=invitation, parent=parent, student=student, method=method)
        if changed:
            ConsentAnswer.objects.create(invitation=invitation, answer=parent, method=ConsentMethod.PAPER,
                                         answered_on=invitation.parent_consent_on or dt.date.today(), recorded_by=by)
            record(action=AuditAction.RECORD_CONSENT, request=request, actor=by, obj=invitation,
                   program=invitation.program, detail={"consent": parent, "method": ConsentMethod.PAPER.value,
                                                       "student": invitation.student.pseudonym})
    return invitation
