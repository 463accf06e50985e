"""Follow-up links: a short code and a QR code per student, valid for FOLLOW_UP_LINK_DAYS days,
through which a student adds thoughts without an account. Only a hash of each token is stored."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from interviews.models import FollowUpLink, Note, NoteKind, NoteStep, Session
from recruitment.models import Invitation

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I/L to misread on paper
CODE_LENGTH = 12  # about 59 bits: unguessable within the rate limit
MAX_FOLLOW_UP_LENGTH = 10_000
EMPTY_THOUGHTS = "Write your thoughts in the box before you send them."
TOO_LONG = f"Please keep it under {MAX_FOLLOW_UP_LENGTH:,} characters."


@dataclass(frozen=True)
class Slip:
    student_name: str
    code: str
    expires_at: dt.datetime


def token_hash(code: str) -> str:
    normalised = code.replace("-", "").replace(" ", "").upper()
    return hashlib.sha256(normalised.encode()).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def readable(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def make_slips(session: Session, *, user, now: dt.datetime | None = None) -> list[Slip]:
    """A fresh link for every participant. Earlier links keep working until they expire."""
    now = now or timezone.now()
    expires_at = now + dt.timedelta(days=settings.FOLLOW_UP_LINK_DAYS)
    slips = []
    for student in session.participants.order_by("first_name", "last_name"):
        code = new_code()
        FollowUpLink.objects.create(session=session, student=student, token_hash=token_hash(code),
                                    expires_at=expires_at, created_by=user)
        slips.append(Slip(student.first_name, readable(code), expires_at))
    return slips


def find_link(code: str, *, now: dt.datetime | None = None) -> FollowUpLink | None:
    """The live link for this code, or None when it is unknown, expired or its student withdrew."""
    link = (FollowUpLink.objects.select_related("session__program", "student")
            .filter(token_hash=token_hash(code)).first())
    if link is None or link.expires_at <= (now or timezone.now()):
        return None
    if Invitation.objects.filter(program=link.session.program, student=link.student).withdrawn().exists():
        return None
    return link


def add_follow_up(link: FollowUpLink, *, text: str) -> Note:
    text = text.strip()
    if not text:
        raise ValueError(EMPTY_THOUGHTS)
    if len(text) > MAX_FOLLOW_UP_LENGTH:
        raise ValueError(TOO_LONG)
    note = Note.objects.create(id=uuid.uuid4(), session=link.session, step=NoteStep.FOLLOW_UP, student=link.student,
                               kind=NoteKind.FOLLOW_UP, text=text)
    FollowUpLink.objects.filter(pk=link.pk).update(times_used=link.times_used + 1)
    return note


def over_rate_limit(address: str) -> bool:
    """Count this request from `address`; True once it passes the limit for the window."""
    key = f"follow-up-rate:{address}"
    cache.add(key, 0, timeout=settings.FOLLOW_UP_RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.FOLLOW_UP_RATE_WINDOW_SECONDS)
        count = 1
    return count > settings.FOLLOW_UP_RATE_LIMIT
