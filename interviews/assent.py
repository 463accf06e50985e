"""Assent in the session: the script read to the students at the start and each student's answer.

The runner's opening step shows the assent script in the session's language and, for each participant,
the assent recorded earlier (on paper, by a lead) with a "Yes" (confirming it) and a "Not today". The
facilitator records one answer per student before the first question (`record_session_assent`):

- a "yes" keeps the student a speaker and is written on their invitation (method "in session", today);
- a "not today" is final for this session: the student is not offered as a speaker and the server refuses
  any note that names them (`speaker_refusal`, called by interviews/notes.py). Their invitation records it
  through recruitment/consent.py: an assent given earlier becomes a withdrawal, with the effect every
  withdrawal has (the invitation is declined, their words leave the analysis, follow-up links stop); one
  never given becomes declined.

A student whose family's consent or whose own assent is no longer granted (declined or withdrawn since the
session was planned) is not offered either, and notes naming them are refused in the same way.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Exists, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from audit.log import record
from audit.models import AuditAction
from interviews.models import Session, SessionAssent, SessionStatus
from recruitment.consent import REFUSING, record_consent
from recruitment.models import ConsentStatus, Invitation

IN_SESSION = "in session"  # Invitation.student_assent_method
ANSWERS = {SessionAssent.Answer.YES, SessionAssent.Answer.NOT_TODAY}

# Read aloud to students: "tú" in Spanish (locale/GLOSSARY.md).
DEFAULT_SCRIPT = _(
    "Before we start: taking part today is your choice. We want to hear what school is like for you, "
    "in your own words. There are no right or wrong answers, and nothing you say changes your grades. "
    "You can skip any question, and you can stop at any time without giving a reason. We write down what "
    "you say without your name on it in anything we share. Do you want to take part today? You can say "
    "yes, or not today, and both are fine.")

NOT_A_PARTICIPANT = _("That student is not in this session.")
BAD_ANSWER = _("Choose “Yes” or “Not today”.")
ALREADY_NOT_TODAY = _("This student said “not today” in this session. That answer stays; a lead can record "
                      "a new assent on the Students page for another session.")
SESSION_CLOSED = _("Assent is recorded while the session is in progress.")
SAID_NOT_TODAY = _("This student said “not today”: no note can name them in this session.")
NOT_TAKING_PART = _("This student's consent or assent is no longer granted: no note can name them.")


class AssentRefused(ValueError):
    pass


def assent_script(session: Session) -> str:
    """The protocol's assent script in the session's language, else the app's own in that language."""
    protocol = session.protocol
    if session.language == "en" and protocol.assent.strip():
        return protocol.assent
    own = ((protocol.translations or {}).get(session.language) or {}).get("assent", "")
    if own.strip():
        return own
    with translation.override(session.language):
        return str(DEFAULT_SCRIPT)


def _invitations(session: Session) -> dict[int, Invitation]:
    return {i.student_id: i for i in Invitation.objects.filter(program_id=session.program_id,
                                                               student__in=session.participants.all())}


def _refused_earlier(invitation: Invitation | None) -> bool:
    return invitation is not None and (invitation.parent_consent in REFUSING or invitation.student_assent in REFUSING)


def session_assents(session: Session) -> list[dict]:
    """Each participant with the assent recorded before (status, date, method) and the answer given in this
    session ("yes", "not_today" or None), for the runner's opening step."""
    invitations = _invitations(session)
    answers = dict(SessionAssent.objects.filter(session=session).values_list("student_id", "answer"))
    rows = []
    for student in session.participants.order_by("first_name", "last_name"):
        invitation = invitations.get(student.pk)
        rows.append({
            "id": student.pk, "name": student.first_name,
            "earlier": {
                "status": invitation.student_assent if invitation else "",
                "status_label": str(invitation.get_student_assent_display()) if invitation else "",
                "on": invitation.student_assent_on.isoformat() if invitation and invitation.student_assent_on else "",
                "method": invitation.student_assent_method if invitation else "",
            },
            "answer": answers.get(student.pk),
            "excluded": _refused_earlier(invitation) and student.pk not in answers,
        })
    return rows


def speakers(session: Session) -> list:
    """The participants who may be given words: not those who said "not today" nor those whose consent or
    assent was refused or withdrawn."""
    invitations = _invitations(session)
    not_today = set(SessionAssent.objects.filter(session=session, answer=SessionAssent.Answer.NOT_TODAY)
                    .values_list("student_id", flat=True))
    return [s for s in session.participants.order_by("first_name", "last_name")
            if s.pk not in not_today and not _refused_earlier(invitations.get(s.pk))]


def speaker_refusal(session: Session, student_id: int | None):
    """Why a note may not name this student (None when it may)."""
    if student_id is None:
        return None
    found = Session.objects.filter(pk=session.pk).annotate(**speaker_checks(session, student_id))
    return refusal_from(found.values(*SPEAKER_CHECKS).first() or {})


SPEAKER_CHECKS = ("said_not_today", "refused_earlier")


def speaker_checks(session: Session, student_id: int) -> dict:
    """What `speaker_refusal` asks, as expressions a caller can put in one query with its own checks
    (interviews/notes.py asks them with the question and the participant in one query per write)."""
    return {
        "said_not_today": Exists(SessionAssent.objects.filter(session_id=session.pk, student_id=student_id,
                                                              answer=SessionAssent.Answer.NOT_TODAY)),
        "refused_earlier": Exists(Invitation.objects.filter(program_id=session.program_id, student_id=student_id).filter(
            Q(parent_consent__in=REFUSING) | Q(student_assent__in=REFUSING))),
    }


def speaker_checks_sql(session: Session, student_id: int) -> list[tuple[str, str, list]]:
    """`speaker_checks` as SQL, (name, an EXISTS, its parameters) each, for the note save's one query of
    plain SQL (interviews/notes.py): the same two questions, without the ORM's cost of building them."""
    def column(model, name: str) -> str:
        return connection.ops.quote_name(model._meta.get_field(name).column)

    assents, invitations = (connection.ops.quote_name(m._meta.db_table) for m in (SessionAssent, Invitation))
    refusing = sorted(REFUSING)
    marks = ", ".join(["%s"] * len(refusing))
    return [
        ("said_not_today", f"EXISTS(SELECT 1 FROM {assents} WHERE {column(SessionAssent, 'session')} = %s AND "
                           f"{column(SessionAssent, 'student')} = %s AND {column(SessionAssent, 'answer')} = %s)",
         [session.pk, student_id, SessionAssent.Answer.NOT_TODAY.value]),
        ("refused_earlier", f"EXISTS(SELECT 1 FROM {invitations} WHERE {column(Invitation, 'program')} = %s AND "
                            f"{column(Invitation, 'student')} = %s AND ({column(Invitation, 'parent_consent')} IN ({marks}) "
                            f"OR {column(Invitation, 'student_assent')} IN ({marks})))",
         [session.program_id, student_id, *refusing, *refusing]),
    ]


def refusal_from(checks: dict):
    """The refusal the answers of `speaker_checks` give (None when the student may be named)."""
    if checks.get("said_not_today"):
        return SAID_NOT_TODAY
    if checks.get("refused_earlier"):
        return NOT_TAKING_PART
    return None


def record_session_assent(*, session: Session, student_id: int, answer: str, user, request=None) -> SessionAssent:
    """Keep one student's answer at the start of this session, on their invitation too. Answering again
    with the same answer changes nothing (a retried request); a "not today" cannot be turned into a yes."""
    if answer not in ANSWERS:
        raise AssentRefused(BAD_ANSWER)
    if session.status != SessionStatus.IN_PROGRESS:
        raise AssentRefused(SESSION_CLOSED)
    if not session.participants.filter(pk=student_id).exists():
        raise AssentRefused(NOT_A_PARTICIPANT)
    with transaction.atomic():
        kept = SessionAssent.objects.select_for_update().filter(session=session, student_id=student_id).first()
        if kept and kept.answer == answer:
            return kept
        if kept and kept.answer == SessionAssent.Answer.NOT_TODAY:
            raise AssentRefused(ALREADY_NOT_TODAY)
        invitation = (Invitation.objects.select_for_update().select_related("program", "student")
                      .filter(program_id=session.program_id, student_id=student_id).first())
        if answer == SessionAssent.Answer.YES and _refused_earlier(invitation):
            raise AssentRefused(NOT_TAKING_PART)
        before = {"status": invitation.student_assent, "method": invitation.student_assent_method,
                  "on": invitation.student_assent_on.isoformat() if invitation.student_assent_on else ""} if invitation else {}
        if kept is None:
            kept = SessionAssent(session=session, student_id=student_id)
        kept.answer, kept.recorded_by = answer, user
        kept.save()
        if invitation is not None:
            today = timezone.localdate()
            if answer == SessionAssent.Answer.YES:
                new = ConsentStatus.GRANTED
            else:
                new = ConsentStatus.WITHDRAWN if invitation.student_assent == ConsentStatus.GRANTED else ConsentStatus.DECLINED
            record_consent(invitation=invitation, parent=invitation.parent_consent, student=new, method=IN_SESSION, on=today)
            if invitation.student_assent_method != IN_SESSION or invitation.student_assent_on != today:
                # A "yes" confirming an assent given earlier: the invitation now says where and when it was heard.
                invitation.student_assent_method, invitation.student_assent_on = IN_SESSION, today
                invitation.save(update_fields=["student_assent_method", "student_assent_on"])
        record(action=AuditAction.CORRECT_RECORD, request=request, actor=user, obj=session, program=session.program,
               detail={"assent": answer, "method": IN_SESSION, "student": student_id, "before": before})
    return kept
