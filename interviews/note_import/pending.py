"""An uploaded file waiting between its upload and its import, kept only through Django's storage API.

note-imports/<session id>/<token>.upload holds the file as uploaded; <token>.json beside it its name, kind and
SHA-256 (never a speaker's name). The token is random, so one person's pending file is not found by another's
guess; the pages that open it also check the session. Importing or cancelling deletes both; a file left
behind is deleted after PENDING_KEEP_HOURS by the next upload of any session.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
from dataclasses import asdict, dataclass

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from interviews.models import NoteImport, Session
from interviews.note_import import format_of, parse_file
from interviews.note_import.blocks import ImportFileRefused, ParsedFile
from interviews.notes import WRITABLE_STATUSES

FOLDER = "note-imports"
PENDING_KEEP_HOURS = 24
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
READ_BYTES = 64 * 1024
NOT_OPEN = _("Notes can be imported into a session that is in progress or completed. Start the session first, or "
             "choose another one.")
ALREADY_IMPORTED = _("“{name}” was already imported into this session on {date} ({count} notes). Nothing was "
                     "imported again.")


class AlreadyImported(ImportFileRefused):
    def __init__(self, existing: NoteImport):
        super().__init__(ALREADY_IMPORTED.format(name=existing.file_name, date=timezone.localtime(existing.imported_at)
                                                 .strftime("%Y-%m-%d %H:%M"), count=existing.notes_created))
        self.existing = existing


@dataclass(frozen=True)
class PendingUpload:
    session_id: int
    token: str
    name: str
    format: str
    sha256: str

    @property
    def path(self) -> str:
        return f"{FOLDER}/{self.session_id}/{self.token}.upload"

    @property
    def meta_path(self) -> str:
        return f"{FOLDER}/{self.session_id}/{self.token}.json"


def check_open(session: Session) -> None:
    if session.status not in WRITABLE_STATUSES:
        raise ImportFileRefused(NOT_OPEN)


def check_not_imported(session: Session, sha256: str) -> None:
    existing = NoteImport.objects.filter(session=session, file_sha256=sha256).first()
    if existing is not None:
        raise AlreadyImported(existing)


def fingerprint(stream) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    while chunk := stream.read(READ_BYTES):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def receive_upload(*, session: Session, upload: File) -> PendingUpload:
    """Check an uploaded file (the session open, not imported before, parsed without a refusal) and keep it for
    the mapping page. Raises ImportFileRefused with the message to show."""
    check_open(session)
    name = (upload.name or "notes").replace("\\", "/").rsplit("/", 1)[-1][:255]
    format = format_of(name)
    sha256 = fingerprint(upload)
    check_not_imported(session, sha256)
    parse_file(upload, name)
    discard_stale()
    pending = PendingUpload(session_id=session.pk, token=secrets.token_urlsafe(16), name=name, format=format, sha256=sha256)
    upload.seek(0)
    default_storage.save(pending.path, upload)
    default_storage.save(pending.meta_path, ContentFile(json.dumps(asdict(pending)).encode()))
    return pending


def load_pending(*, session: Session, token: str) -> PendingUpload | None:
    if not TOKEN.match(token or ""):
        return None
    meta = f"{FOLDER}/{session.pk}/{token}.json"
    if not default_storage.exists(meta):
        return None
    with default_storage.open(meta, "rb") as stored:
        data = json.loads(stored.read())
    pending = PendingUpload(**data)
    if pending.session_id != session.pk or pending.token != token or not default_storage.exists(pending.path):
        return None
    return pending


def parse_pending(pending: PendingUpload) -> ParsedFile:
    with default_storage.open(pending.path, "rb") as stored:
        return parse_file(stored, pending.name)


def discard_pending(pending: PendingUpload) -> None:
    for path in (pending.path, pending.meta_path):
        if default_storage.exists(path):
            default_storage.delete(path)


def discard_stale(*, now: dt.datetime | None = None) -> int:
    """Delete pending files older than PENDING_KEEP_HOURS, of every session; how many files went."""
    now = now or timezone.now()
    if not default_storage.exists(FOLDER):
        return 0
    removed = 0
    folders, _files = default_storage.listdir(FOLDER)
    for folder in folders:
        _sub, files = default_storage.listdir(f"{FOLDER}/{folder}")
        for name in files:
            path = f"{FOLDER}/{folder}/{name}"
            if now - default_storage.get_modified_time(path) > dt.timedelta(hours=PENDING_KEEP_HOURS):
                default_storage.delete(path)
                removed += 1
    return removed
