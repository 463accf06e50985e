"""Saving notes so that nothing a student said is lost.

The browser makes each note's id and sends every write with the version it last saw:
- a new id creates the note (version 1);
- a write whose content equals the stored note changes nothing and succeeds (a retry);
- a write based on the current version updates it (version + 1); when its words, its speaker, its
  kind or its question change, a revision keeps what it was (a flag such as quote-worthy alone
  makes no revision);
- a write based on an older version is a conflict: the note keeps the saved text (the one analysis
  and quotes read) and the conflicting text beside it in `conflict_text`, with who and when, and the
  caller gets the server's copy with both. One note, two texts, until a person resolves it with a
  write from the current version marked `resolves_conflict` (keep one text, or a merge of both);
  the version not kept as it was goes into the revision, so no words are lost. A retry of a
  conflicting write changes nothing; a third text arriving before resolution is kept beside the other.

A correction of a note's speaker, kind, question or language (`correct_note`) and a resolution
(`resolve_conflict`) are writes like any other, with the same checks.

Each note carries the language its words are in: the session's by default, another one when the person
taking notes switches it for a note (students switch languages mid-answer). The runner sends `language`
with every write; a write without it (a page cached before languages) keeps the note's. Stored as sent;
an empty value means the session's (`note_language`), and a change between two spellings of the same
effective language (empty and the session's code) is no change.

Staff never write a follow-up: a note of kind or step `follow_up` is the student's own words, made
only by `interviews.followups.add_follow_up` through the student's link, and staff cannot edit one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from enum import StrEnum

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from interviews.assent import refusal_from, speaker_checks_sql
from interviews.models import Note, NoteKind, NoteRevision, NoteStep, Question, Session, SessionStatus
from toolkit import sql_rows
from toolkit.languages import home_language_name, offered

MAX_NOTE_LENGTH = 20_000
WRITABLE_STATUSES = (SessionStatus.IN_PROGRESS, SessionStatus.COMPLETED)
BAD_ID = _("The note id is not a UUID.")
BAD_STEP = _("Unknown step.")
BAD_KIND = _("Unknown kind of note.")
BAD_QUESTION = _("That question is not in this session's protocol.")
BAD_STUDENT = _("That student is not in this session.")
TOO_LONG = _("A note can hold {limit:,} characters.")
ERASED = _("These words were deleted (a family's request or the retention date) and cannot be written again.")
NOT_OPEN = _("Notes can be written while a session is in progress, and edited once it is completed.")
NOT_AN_OBJECT = _("A note is sent as one JSON object.")
WRONG_TYPE = _("A field has the wrong type.")
BAD_SINCE = _("“since” is not a date and time this server can read.")
STUDENTS_WRITE_FOLLOW_UPS = _("Only a student writes a follow-up, through their follow-up link.")
FOLLOW_UP_KEPT = _("A student's follow-up is kept as they wrote it.")
NOTE_NOT_FOUND = _("That note is not in this session.")
QUESTION_NEEDED = _("Pick the question this note answers.")
BAD_LANGUAGE = _("That language is neither offered here nor one this session's protocol is written in.")
NO_CONFLICT = _("This note has no conflict to resolve (someone may have resolved it already).")
CONFLICT_SEPARATOR = "\n\n"
CORRECTABLE_KINDS = (NoteKind.STUDENT, NoteKind.OBSERVATION, NoteKind.DECLINED)
ATTRIBUTION_FIELDS = {"student_id": "student", "kind": "kind", "question_id": "question", "language": "language"}
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
    resolves_conflict: bool = False  # written by a person choosing between the two texts of a conflict
    language: str | None = None  # the words' language; None when the write did not say (keep the note's)

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
                resolves_conflict=bool(data.get("resolves_conflict")),
                language=_language_from(data),
            )
        except (TypeError, ValueError, OverflowError) as exc:  # OverflowError: int(1e999)
            raise NoteRejected(WRONG_TYPE) from exc

    def content(self) -> dict:
        return {name: getattr(self, name) for name in CONTENT_FIELDS}


def _language_from(data: dict) -> str | None:
    if "language" not in data or data["language"] is None:
        return None
    value = data["language"]
    if not isinstance(value, str):
        raise TypeError("language")
    return normalise_language(value)


def normalise_language(value: str) -> str:
    return value.strip().lower().replace("_", "-")


def _normalised(codes) -> list[str]:
    return list(dict.fromkeys(normalise_language(code) for code in codes if code))


def note_languages(session: Session, *, with_protocol: bool = True) -> list[str]:
    """The languages a note of this session may be in: the offered ones, the session's, and those the
    protocol is written in (its translations), the session's first. Without `with_protocol`, the first two
    alone: what is known without reading the protocol."""
    translations = sorted((session.protocol.translations or {}).keys()) if with_protocol else []
    return _normalised([session.language or "", *offered(), *translations])


def note_language_choices(session: Session) -> dict:
    """What the runner's language toggle offers: each language's code, its short label and its name in
    the page's language, and the session's, which every new note starts in."""
    return {"default": session.language or "", "choices": [
        {"code": code, "short": code.upper(), "name": home_language_name(code)} for code in note_languages(session)]}


def note_language(note: Note, session: Session | None = None) -> str:
    """The language a note's words are in: its own, else its session's."""
    return note.language or (session or note.session).language or ""


@dataclass(frozen=True)
class SaveResult:
    status: SaveStatus
    note: Note


def _validate_shape(session: Session, write: NoteWrite) -> None:
    """What the write alone (and the session's status) says, before any query."""
    if session.status not in WRITABLE_STATUSES:
        raise NoteRejected(NOT_OPEN)
    if write.step not in NoteStep.values:
        raise NoteRejected(BAD_STEP)
    if write.kind not in NoteKind.values:
        raise NoteRejected(BAD_KIND)
    if write.kind == NoteKind.FOLLOW_UP or write.step == NoteStep.FOLLOW_UP:
        raise NoteRejected(STUDENTS_WRITE_FOLLOW_UPS)
    if len(write.text) > MAX_NOTE_LENGTH:
        raise NoteRejected(TOO_LONG.format(limit=MAX_NOTE_LENGTH))


def _refuse_on(checks: dict) -> None:
    if not checks.get("question_ok", True):
        raise NoteRejected(BAD_QUESTION)
    if not checks.get("student_ok", True):
        raise NoteRejected(BAD_STUDENT)
    refusal = refusal_from(checks)  # "not today" in this session, or consent withdrawn
    if refusal is not None:
        raise NoteRejected(refusal)


def _language_allowed(session: Session, write: NoteWrite) -> bool:
    """Whether the write's language is one of note_languages(session); the protocol (which the runner's
    note save does not read) is read only for a language neither the session's nor offered."""
    return (not write.language or write.language in note_languages(session, with_protocol=False)
            or write.language in note_languages(session))


def _validate_language(session: Session, write: NoteWrite) -> None:
    if not _language_allowed(session, write):
        raise NoteRejected(BAD_LANGUAGE)


# Each check of _check_sql is true when the write may go on, or (these) true when it may not.
_REFUSING_CHECKS = ("said_not_today", "refused_earlier")


# What _check_sql gives: (name, an EXISTS, its parameters) of each check to ask, and the answers known without asking.
Checks = tuple[list[tuple[str, str, list]], dict]


def _check_sql(session: Session, write: NoteWrite) -> Checks:
    """Whether the write's question is in the protocol, its student in the session and free to be named, as
    (name, an EXISTS, its parameters) each, and what is known without asking (an id no row can have, beyond a
    64-bit key: the database would refuse it). Plain SQL: it runs on every note save, and building the same
    EXISTS with the ORM cost more than the database took to answer."""
    known = {}
    checks: list[tuple[str, str, list]] = []
    quote = connection.ops.quote_name
    if write.question_id is not None:
        if _storable(write.question_id):
            checks.append(("question_ok", f"EXISTS(SELECT 1 FROM {quote(Question._meta.db_table)} WHERE "
                                          f"{quote(Question._meta.pk.column)} = %s AND "
                                          f"{quote(Question._meta.get_field('protocol').column)} = %s)",
                           [write.question_id, session.protocol_id]))
        else:
            known["question_ok"] = False
    if write.student_id is not None:
        if _storable(write.student_id):
            through = Session.participants.through._meta
            checks.append(("student_ok", f"EXISTS(SELECT 1 FROM {quote(through.db_table)} WHERE "
                                         f"{quote(through.get_field('session').column)} = %s AND "
                                         f"{quote(through.get_field('student').column)} = %s)",
                           [session.pk, write.student_id]))
            checks += speaker_checks_sql(session, write.student_id)
        else:
            known["student_ok"] = False
    return checks, known


def _answers(checks: Checks) -> dict:
    """The answers of _check_sql's checks, asked in one query (none when the write names neither question
    nor student)."""
    asked, known = checks
    found = {}
    if asked:
        with connection.cursor() as cursor:
            sql_rows.execute(cursor, "SELECT " + ", ".join(sql for _name, sql, _params in asked),
                             [value for _name, _sql, params in asked for value in params])
            found = {name: bool(value) for (name, _sql, _params), value in zip(asked, cursor.fetchone(), strict=True)}
    return {**found, **known}


def _storable(key: int) -> bool:
    return -(2**63) <= key < 2**63


def _language_of(note: Note, write: NoteWrite, session: Session) -> str:
    """The language the note keeps after this write: the note's own unless the write says another."""
    if write.language is None or (write.language or session.language) == note_language(note, session):
        return note.language
    return write.language


def _same_content(note: Note, write: NoteWrite, session: Session) -> bool:
    return (all(getattr(note, name) == value for name, value in write.content().items())
            and _language_of(note, write, session) == note.language)


def save_note(*, session: Session, write: NoteWrite, user) -> SaveResult:
    """Create or update a note idempotently; see the module docstring for the rules."""
    _validate_shape(session, write)
    checks = _check_sql(session, write)
    if write.base_version == 0:
        # A note the browser has not seen saved: most often new. One statement checks the write and
        # inserts it, unless the note exists (a retry, or a copy that arrived first) or a check fails,
        # which the full path below then tells apart.
        created = _insert_if_allowed(session, write, user, checks)
        if created is not None:
            return SaveResult(SaveStatus.CREATED, created)
    for _attempt in range(2):
        try:
            return _save(session, write, user, checks)
        except IntegrityError:
            # Two copies of the same new note arrived at once: the loser retries as an update.
            continue
    return _save(session, write, user, checks)


def _insert_if_allowed(session: Session, write: NoteWrite, user, checks: Checks) -> Note | None:
    """Insert the write as a new note when every check of _check_sql passes and no note has its id, in one
    statement (INSERT ... SELECT ... WHERE the checks ON CONFLICT DO NOTHING RETURNING, on SQLite and
    PostgreSQL), which commits alone: no transaction to open and close. None when nothing was inserted.
    Plain SQL for the reason the checks are: the ORM's create cost more Python than the database's work.
    The analysis app's signal on a saved note does nothing for a new one (a new note has no codings)."""
    asked, known = checks
    if known or not _language_allowed(session, write):
        return None  # refused: the full path says why, in its order
    note = Note(id=write.id, session=session, author=user, version=1, language=write.language or "", **write.content())
    allowed = " AND ".join(f"NOT {sql}" if name in _REFUSING_CHECKS else sql for name, sql, _params in asked) or "1 = 1"
    inserted = sql_rows.insert_where(note, where=allowed, params=[value for _name, _sql, params in asked for value in params],
                                     on_conflict_do_nothing=True)
    return note if inserted else None


def _locked_with_checks(session: Session, write: NoteWrite, checks: Checks) -> Note | None:
    """The note with the write's id, locked until the transaction ends (SELECT ... FOR UPDATE where the
    database has it, which locks the note's row alone; SQLite writes one at a time), with the write's checks
    answered in the same statement; a refused write raises. None when there is no such note (the checks
    then asked alone)."""
    asked, known = checks
    quote = connection.ops.quote_name
    statement = (f"SELECT {', '.join([*sql_rows.columns(Note, 'n'), *(sql for _name, sql, _params in asked)])} "
                 f"FROM {quote(Note._meta.db_table)} n WHERE n.{quote(Note._meta.pk.column)} = %s"
                 + (" FOR UPDATE" if connection.features.has_select_for_update else ""))
    with connection.cursor() as cursor:
        sql_rows.execute(cursor, statement, [*(value for _name, _sql, params in asked for value in params),
                                             Note._meta.pk.get_db_prep_value(write.id, connection)])
        row = cursor.fetchone()
    if row is None:
        _refuse_on(_answers(checks))
        _validate_language(session, write)
        return None
    values = iter(row)
    note = sql_rows.instance(Note, "n", values)
    _refuse_on({**{name: bool(value) for (name, _sql, _params), value in zip(asked, values, strict=True)}, **known})
    _validate_language(session, write)
    return note


@transaction.atomic
def _save(session: Session, write: NoteWrite, user, checks: Checks) -> SaveResult:
    note = _locked_with_checks(session, write, checks)
    if note is None:
        # No savepoint: a copy of this new note inserted meanwhile fails the INSERT, which rolls this whole
        # transaction back, and save_note tries again, finding it (as an update or a retry).
        note = Note.objects.create(id=write.id, session=session, author=user, version=1,
                                   language=write.language or "", **write.content())
        return SaveResult(SaveStatus.CREATED, note)
    if note.session_id != session.pk:
        raise NoteRejected(BAD_ID)
    if note.erased_at is not None:
        # A browser that kept an old copy must not bring deleted words back.
        raise NoteRejected(ERASED)
    if note.kind == NoteKind.FOLLOW_UP or note.step == NoteStep.FOLLOW_UP:
        raise NoteRejected(FOLLOW_UP_KEPT)
    resolving = write.resolves_conflict and note.conflict_at is not None
    if _same_content(note, write, session) and not resolving:
        return SaveResult(SaveStatus.UNCHANGED, note)
    if write.base_version != note.version:
        return _keep_conflict(note, write, user)
    language = _language_of(note, write, session)
    after = {name: language if name == "language" else getattr(write, name) for name in ATTRIBUTION_FIELDS}
    changes = {key: [getattr(note, name), after[name]]
               for name, key in ATTRIBUTION_FIELDS.items() if getattr(note, name) != after[name]}
    if resolving:
        if note.conflict_text != write.text:
            changes["conflict"] = note.conflict_text
        note.conflict_text, note.conflict_by, note.conflict_at = "", None, None
    if note.text != write.text or changes:
        sql_rows.insert(NoteRevision(note=note, version=note.version, text=note.text, changes=changes, edited_by=user))
    fields = ["version", "updated_at"]
    if resolving:
        fields += ["conflict_text", "conflict_by", "conflict_at"]
    for name, value in [*write.content().items(), ("language", language)]:
        if getattr(note, name) != value:
            setattr(note, name, value)
            fields.append(name)
    note.version += 1
    # Only what changed: the re-anchoring of codings and quotes (analysis/apps.py) runs when "text" is among them.
    sql_rows.save_fields(note, fields)
    return SaveResult(SaveStatus.UPDATED, note)


def _keep_conflict(note: Note, write: NoteWrite, user) -> SaveResult:
    """A write from an older version: the saved text stays; a different text waits beside it."""
    pending = note.conflict_at is not None
    if write.text == note.text or (pending and write.text in note.conflict_text.split(CONFLICT_SEPARATOR)):
        return SaveResult(SaveStatus.CONFLICT, note)  # nothing new to keep, or a retry
    if pending and note.conflict_by_id != user.pk:
        note.conflict_text = note.conflict_text + CONFLICT_SEPARATOR + write.text  # a third version
    else:
        note.conflict_text = write.text
    note.conflict_by, note.conflict_at = user, timezone.now()
    note.save(update_fields=["conflict_text", "conflict_by", "conflict_at", "updated_at"])
    return SaveResult(SaveStatus.CONFLICT, note)


def _session_note(session: Session, note_id) -> Note:
    note = Note.objects.filter(pk=note_id, session=session).first()
    if note is None:
        raise NoteRejected(NOTE_NOT_FOUND)
    return note


def _write_from(note: Note, *, version: int, **changes) -> NoteWrite:
    values = {"id": note.id, "base_version": version, "step": note.step, "question_id": note.question_id,
              "student_id": note.student_id, "kind": note.kind, "text": note.text,
              "quote_worthy": note.quote_worthy, "needs_follow_up": note.needs_follow_up, "language": note.language}
    values.update(changes)
    return NoteWrite(**values)


def correct_note(*, session: Session, note_id, version: int, student_id: int | None, kind: str,
                 question_id: int | None, user, language: str | None = None) -> SaveResult:
    """Correct who spoke, what kind of note it is, which question it answers or the language it is in
    (None: leave it); the revision keeps what it was. `version` is the one the person saw: a correction
    of a note changed since is a conflict."""
    note = _session_note(session, note_id)
    if kind not in CORRECTABLE_KINDS:
        raise NoteRejected(BAD_KIND)
    if note.step == NoteStep.QUESTION and question_id is None:
        raise NoteRejected(QUESTION_NEEDED)
    step = NoteStep.QUESTION if question_id is not None else note.step
    write = _write_from(note, version=version, step=step, student_id=student_id, kind=kind, question_id=question_id)
    if language is not None:
        write = dataclasses.replace(write, language=normalise_language(language))
    return save_note(session=session, write=write, user=user)


def resolve_conflict(*, session: Session, note_id, version: int, text: str, user) -> SaveResult:
    """Keep one of a conflict's two texts, or a merge a person wrote; the other stays in the revision."""
    note = _session_note(session, note_id)
    if note.conflict_at is None and note.text != text:
        raise NoteRejected(NO_CONFLICT)
    write = _write_from(note, version=version, text=text, resolves_conflict=True)
    return save_note(session=session, write=write, user=user)


def revision_changes(revision: NoteRevision, *, names: dict, questions: dict, session_language: str = "") -> list[str]:
    """What a revision changed besides the words, in a sentence each: `names` maps student ids to a
    display name, `questions` question ids to a label; an empty language is the session's."""
    kinds = dict(NoteKind.choices)
    group = str(_("the group"))
    labels = {
        "student": (_("speaker"), lambda value: names.get(value, str(_("a student"))) if value else group),
        "kind": (_("kind"), lambda value: str(kinds.get(value, value))),
        "question": (_("question"), lambda value: questions.get(value, "—") if value else "—"),
        "language": (_("language"), lambda value: home_language_name(value or session_language) if value or session_language else "—"),
    }
    lines = []
    for key, (label, show) in labels.items():
        if key in revision.changes:
            old, new = revision.changes[key]
            lines.append(_("%(what)s changed from %(old)s to %(new)s") % {"what": label, "old": show(old), "new": show(new)})
    if "conflict" in revision.changes:
        lines.append(_("conflict resolved; the other version was: %(text)s") % {"text": revision.changes["conflict"]})
    return lines


def note_json(note: Note, session: Session | None = None) -> dict:
    """A note as the runner reads it; `language` is the effective one (the session's when the note has none)."""
    return {
        "id": str(note.id), "version": note.version, "step": note.step, "question": note.question_id,
        "student": note.student_id, "kind": note.kind, "text": note.text, "quote_worthy": note.quote_worthy,
        "needs_follow_up": note.needs_follow_up, "author": note.author_id, "language": note_language(note, session),
        "updated_at": note.updated_at.isoformat(), "created_at": note.created_at.isoformat(),
        "erased": note.erased_at is not None,
        "conflict_text": note.conflict_text if note.conflict_at else None, "conflict_by": note.conflict_by_id,
        "conflict_at": note.conflict_at.isoformat() if note.conflict_at else None,
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


def notes_version(session: Session) -> dict:
    """How many notes the session has and when the latest changed: every create, edit, conflict kept and
    erasure moves one of them (an erasure sets `updated_at`; a deletion lowers the count). Read from the
    (session, updated_at) index."""
    found = Note.objects.filter(session=session).aggregate(count=Count("pk"), latest=Max("updated_at"))
    return {"count": found["count"] or 0, "latest": found["latest"]}


def poll_tag(*, since: str, status: str, language: str, count: int, latest) -> str:
    """The ETag of a poll's answer: what was asked (`since`, as sent) and what the answer is made of (the
    notes' count and latest change, the session's status and language, which each note's JSON carries)."""
    stamp = latest.isoformat() if latest else ""
    digest = hashlib.sha256(f"{since}|{status}|{language}|{count}|{stamp}".encode()).hexdigest()[:32]
    return f'"{digest}"'


def notes_since(session: Session, since) -> list[Note]:
    notes = Note.objects.filter(session=session)
    if since is not None:
        notes = notes.filter(updated_at__gte=since)
    return list(notes.order_by("updated_at", "id"))
