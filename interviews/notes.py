"""Saving notes so that nothing a student said is lost.

The browser makes each note's id and sends every write with the version it last saw:
- a new id creates the note (version 1);
- a write whose content equals the stored note changes nothing and succeeds (a retry);
- a write based on the current version updates it (version + 1) and keeps the old text;
- a write based on an older version is a conflict: the caller gets the server's copy, and the
  browser keeps both texts.

Staff never write a follow-up: a note of kind or step `follow_up` is the student's own words, made
only by `interviews.followups.add_follow_up` through the student's link, and staff cannot edit one.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from enum import StrEnum

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from interviews.models import Note, NoteKind, NoteRevision, NoteStep, Question, Session, SessionStatus

MAX_NOTE_LENGTH = 20_000
WRITABLE_STATUSES = (SessionStatus.IN_PROGRESS, SessionStatus.COMPLETED)
BAD_ID = "The note id is not a UUID."
BAD_STEP = "Unknown step."
BAD_KIND = "Unknown kind of note."
BAD_QUESTION = "That question is not in this session's protocol."
BAD_STUDENT = "That student is not in this session."
TOO_LONG = f"A note can hold {MAX_NOTE_LENGTH:,} characters."
ERASED = "These words were deleted (a family's request or the retention date) and cannot be written again."
NOT_OPEN = "Notes can be written while a session is in progress, and edited once it is completed."
NOT_AN_OBJECT = _("A note is sent as one JSON object.")
WRONG_TYPE = _("A field has the wrong type.")
BAD_SINCE = _("“since” is not a date and time this server can read.")
STUDENTS_WRITE_FOLLOW_UPS = _("Only a student writes a follow-up, through their follow-up link.")
FOLLOW_UP_KEPT = _("A student's follow-up is kept as they wrote it.")
CONTENT_FIELDS = ("step", "question_id", "student_id", "kind", "text", "quote_worthy", "needs_follow_up")


class SaveStatus(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"


class NoteRejected(ValueError):
    pass


@dataclass(frozen=True)
class NoteWrite:
    id: uuid.UUID
    base_version: int  # 0 for a note the browser has not seen saved yet
    step: str
    question_id: int | None
    student_id: int | None
    kind: str
    text: str
    quote_worthy: bool = False
    needs_follow_up: bool = False

    @classmethod
    def from_json(cls, data: dict) -> NoteWrite:
        if not isinstance(data, dict):
            raise NoteRejected(NOT_AN_OBJECT)
        try:
            note_id = uuid.UUID(str(data.get("id")))
        except ValueError as exc:
            raise NoteRejected(BAD_ID) from exc

        def number(name: str) -> int | None:
            value = data.get(name)
            return int(value) if value not in (None, "") else None

        try:
            return cls(
                id=note_id, base_version=int(data.get("version") or 0), step=str(data.get("step", "")),
                question_id=number("question"), student_id=number("student"), kind=str(data.get("kind", NoteKind.STUDENT)),
                text=str(data.get("text", "")), quote_worthy=bool(data.get("quote_worthy")),
                needs_follow_up=bool(data.get("needs_follow_up")),
            )
        except (TypeError, ValueError, OverflowError) as exc:  # OverflowError: int(1e999)
            raise NoteRejected(WRONG_TYPE) from exc

    def content(self) -> dict:
        return {name: getattr(self, name) for name in CONTENT_FIELDS}


@dataclass(frozen=True)
class SaveResult:
    status: SaveStatus
    note: Note


def validate_write(session: Session, write: NoteWrite) -> None:
    if session.status not in WRITABLE_STATUSES:
        raise NoteRejected(NOT_OPEN)
    if write.step not in NoteStep.values:
        raise NoteRejected(BAD_STEP)
    if write.kind not in NoteKind.values:
        raise NoteRejected(BAD_KIND)
    if write.kind == NoteKind.FOLLOW_UP or write.step == NoteStep.FOLLOW_UP:
        raise NoteRejected(STUDENTS_WRITE_FOLLOW_UPS)
    if len(write.text) > MAX_NOTE_LENGTH:
        raise NoteRejected(TOO_LONG)
    if write.question_id is not None and not Question.objects.filter(pk=write.question_id, protocol_id=session.protocol_id).exists():
        raise NoteRejected(BAD_QUESTION)
    if write.student_id is not None and not session.participants.filter(pk=write.student_id).exists():
        raise NoteRejected(BAD_STUDENT)


def _same_content(note: Note, write: NoteWrite) -> bool:
    return all(getattr(note, name) == value for name, value in write.content().items())


def save_note(*, session: Session, write: NoteWrite, user) -> SaveResult:
    """Create or update a note idempotently; see the module docstring for the rules."""
    validate_write(session, write)
    for _attempt in range(2):
        try:
            return _save(session, write, user)
        except IntegrityError:
            # Two copies of the same new note arrived at once: the loser retries as an update.
            continue
    return _save(session, write, user)


@transaction.atomic
def _save(session: Session, write: NoteWrite, user) -> SaveResult:
    note = Note.objects.select_for_update().filter(pk=write.id).first()
    if note is None:
        with transaction.atomic():
            note = Note.objects.create(id=write.id, session=session, author=user, version=1, **write.content())
        return SaveResult(SaveStatus.CREATED, note)
    if note.session_id != session.pk:
        raise NoteRejected(BAD_ID)
    if note.erased_at is not None:
        # A browser that kept an old copy must not bring deleted words back.
        raise NoteRejected(ERASED)
    if note.kind == NoteKind.FOLLOW_UP or note.step == NoteStep.FOLLOW_UP:
        raise NoteRejected(FOLLOW_UP_KEPT)
    if _same_content(note, write):
        return SaveResult(SaveStatus.UNCHANGED, note)
    if write.base_version != note.version:
        return SaveResult(SaveStatus.CONFLICT, note)
    NoteRevision.objects.create(note=note, version=note.version, text=note.text, edited_by=user)
    for name, value in write.content().items():
        setattr(note, name, value)
    note.version += 1
    note.save()
    return SaveResult(SaveStatus.UPDATED, note)


def note_json(note: Note) -> dict:
    return {
        "id": str(note.id), "version": note.version, "step": note.step, "question": note.question_id,
        "student": note.student_id, "kind": note.kind, "text": note.text, "quote_worthy": note.quote_worthy,
        "needs_follow_up": note.needs_follow_up, "author": note.author_id,
        "updated_at": note.updated_at.isoformat(), "created_at": note.created_at.isoformat(),
        "erased": note.erased_at is not None,
    }


def parse_since(value: str) -> dt.datetime | None:
    """The moment a poll asks for notes since (an ISO 8601 time, as `note_json` gives it), or None for
    all notes. A naive time is read in the current time zone; one that cannot be read, or that falls
    outside what a datetime holds once in UTC (9999-12-31T23:59:59 in Los Angeles), is refused."""
    if not value:
        return None
    try:
        since = dt.datetime.fromisoformat(value)
        if timezone.is_naive(since):
            since = timezone.make_aware(since)
        return since.astimezone(dt.UTC)
    except (ValueError, OverflowError) as exc:
        raise NoteRejected(BAD_SINCE) from exc


def notes_since(session: Session, since) -> list[Note]:
    notes = Note.objects.filter(session=session)
    if since is not None:
        notes = notes.filter(updated_at__gte=since)
    return list(notes.order_by("updated_at", "id"))
