"""Follow-up links: a short code and a QR code per student, valid for FOLLOW_UP_LINK_DAYS days,
through which a student adds thoughts without an account. Only a hash of each token is stored.

Each student reads their slip and their follow-up page in their family's recorded language
(`Student.home_language`) when it is offered here, else in the session's; on the page a visitor's own
choice with the switcher wins. What a student sends is kept with the language the page spoke."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from interviews.models import FollowUpLink, Note, NoteKind, NoteStep, Session
from recruitment.models import Invitation
from toolkit.languages import supported

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I/L to misread on paper
CODE_LENGTH = 12  # about 59 bits: beyond guessing, even past the limits below
MAX_FOLLOW_UP_LENGTH = 10_000
EMPTY_THOUGHTS = _("Write your thoughts in the box before you send them.")
TOO_LONG = _("Please keep it under {limit:,} characters.")


@dataclass(frozen=True)
class Slip:
    student_name: str
    code: str
    expires_at: dt.datetime
    language: str = ""  # the language the slip is printed in


def student_language(student, session: Session) -> str | None:
    """The language to speak to this student on their slip and follow-up page: their family's recorded
    one when it is offered here, else the session's (None when neither is)."""
    return supported(student.home_language) or supported(session.language)


def _normalised(code: str) -> str:
    return code.replace("-", "").replace(" ", "").upper()


def token_hash(code: str) -> str:
    return hashlib.sha256(_normalised(code).encode()).hexdigest()


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
        slips.append(Slip(student.first_name, readable(code), expires_at,
                          student_language(student, session) or translation.get_language()))
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


def add_follow_up(link: FollowUpLink, *, text: str, language: str = "") -> Note:
    """Keep what the student wrote as a follow-up note in `language` (the page's; empty for the session's)."""
    text = text.strip()
    if not text:
        raise ValueError(str(EMPTY_THOUGHTS))
    if len(text) > MAX_FOLLOW_UP_LENGTH:
        raise ValueError(TOO_LONG.format(limit=MAX_FOLLOW_UP_LENGTH))
    note = Note.objects.create(id=uuid.uuid4(), session=link.session, step=NoteStep.FOLLOW_UP, student=link.student,
                               kind=NoteKind.FOLLOW_UP, text=text, language=supported(language) or "")
    FollowUpLink.objects.filter(pk=link.pk).update(times_used=link.times_used + 1)
    return note


# --- Guessing ---------------------------------------------------------------------------------------
# Only failures count, and a valid code opens its page whatever its address has tried, so a school's
# network (many students, one address) is never shut out by typos. Two budgets, each per window:
# different wrong codes from one address (FOLLOW_UP_RATE_LIMIT, high), past which that address's wrong
# codes are answered "too many tries"; and wrong codes sharing two of a code's three groups, from any
# address (FOLLOW_UP_CODE_FAILURE_LIMIT), past which codes sharing them are refused before they are
# looked up, so that a partly seen slip cannot be completed by trying the rest from many addresses.


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]  # the cache never holds a code or part of one


def _group_pair_keys(code: str) -> list[str]:
    code = _normalised(code)
    if len(code) != CODE_LENGTH:
        return []
    groups = [code[i:i + 4] for i in range(0, CODE_LENGTH, 4)]
    return [f"follow-up-fail:pair:{_digest(f'{i}{j}:{groups[i]}{groups[j]}')}"
            for i in range(len(groups)) for j in range(i + 1, len(groups))]


def _count(key: str) -> int:
    window = settings.FOLLOW_UP_RATE_WINDOW_SECONDS
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def code_refused(code: str) -> bool:
    """True when codes like this one (two of its three groups the same) failed too often lately."""
    keys = _group_pair_keys(code)
    counts = cache.get_many(keys) if keys else {}
    return any(count >= settings.FOLLOW_UP_CODE_FAILURE_LIMIT for count in counts.values())


def record_wrong_code(code: str, *, address: str) -> bool:
    """Count a code that opened nothing; True once `address` has tried too many different wrong codes.
    The same wrong code typed again counts once for its address."""
    for key in _group_pair_keys(code):
        _count(key)
    seen = f"follow-up-fail:seen:{_digest(address)}:{token_hash(code)[:32]}"
    address_key = f"follow-up-fail:address:{_digest(address)}"
    if cache.add(seen, True, timeout=settings.FOLLOW_UP_RATE_WINDOW_SECONDS):
        failures = _count(address_key)
    else:
        failures = cache.get(address_key, 0)
    return failures > settings.FOLLOW_UP_RATE_LIMIT
