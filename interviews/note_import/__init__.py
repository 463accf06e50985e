"""Importing notes typed elsewhere, and meeting transcripts, into a session.

1. Upload (`pending.receive_upload`): the file is refused over the upload limit (the form), when its kind is not
   one we read, when it was imported into this session before (same SHA-256: nothing is created twice), or
   when it cannot be parsed (wrong encoding, empty, damaged, over a cap: `blocks.py`). Otherwise it is kept
   through Django's storage API under note-imports/<session id>/<random token>, with a small JSON beside it
   (its name, kind and fingerprint), until it is imported or cancelled; an abandoned one is deleted after
   `pending.PENDING_KEEP_HOURS`. Nothing is kept in the process or the cookie between requests: each page
   parses the stored file again (a 90-minute transcript in well under a second).
2. Mapping and preview (`plan.build_plan`): each speaker name of the file is matched to a student of the
   session who may be given words (not "not today", no refused consent), the group, the facilitator (whose
   lines are the questions: not kept, but a line that is a protocol question moves the following blocks
   to it), the facilitator's or note-taker's observation, or ignored. Questions come from the headings
   and question lines (by number, "Question 2"; by text; else the next question of the protocol in order),
   from the facilitator's lines, or by hand: "from block N on, question Q". Blocks before the first question
   go to the icebreaker step. The preview lists every note to be created and every problem.
3. Import (`plan.import_notes`): all or nothing, in one transaction, only with no problem left; each note is an
   ordinary typed note (a fresh id, version 1, the importing person as author, the session's language)
   recording its `NoteImport`, its block's position and the transcript times. The names in the file are never
   stored: not on the notes, the import, nor the audit entry. The stored file is deleted afterwards.
"""

from __future__ import annotations

import os
from typing import BinaryIO

from interviews.models import NoteImport
from interviews.note_import.blocks import UNSUPPORTED, Deadline, ImportFileRefused, ParsedFile

FORMATS = {
    ".docx": NoteImport.Format.DOCX,
    ".txt": NoteImport.Format.TEXT,
    ".md": NoteImport.Format.TEXT,
    ".markdown": NoteImport.Format.TEXT,
    ".vtt": NoteImport.Format.VTT,
    ".srt": NoteImport.Format.SRT,
    ".xlsx": NoteImport.Format.SPREADSHEET,
    ".csv": NoteImport.Format.SPREADSHEET,
}
ACCEPT = ",".join(FORMATS)


def format_of(name: str) -> str:
    """The NoteImport.Format of a file by its name's ending; refuses the others."""
    extension = os.path.splitext(name.lower())[1]
    if extension not in FORMATS:
        raise ImportFileRefused(UNSUPPORTED)
    return FORMATS[extension]


def parse_file(stream: BinaryIO, name: str, *, deadline: Deadline | None = None) -> ParsedFile:
    """The blocks of an uploaded or stored file (a binary stream within the upload limit), by its name's ending."""
    from interviews.note_import.docx import parse_docx
    from interviews.note_import.sheets import parse_sheet
    from interviews.note_import.text import parse_text
    from interviews.note_import.transcripts import parse_srt, parse_vtt

    format = format_of(name)
    deadline = deadline or Deadline()
    stream.seek(0)
    if format == NoteImport.Format.DOCX:
        return parse_docx(stream, format=format, deadline=deadline)
    if format == NoteImport.Format.SPREADSHEET:
        return parse_sheet(stream, name, format=format, deadline=deadline)
    data = stream.read()
    if format == NoteImport.Format.VTT:
        return parse_vtt(data, format=format, deadline=deadline)
    if format == NoteImport.Format.SRT:
        return parse_srt(data, format=format, deadline=deadline)
    return parse_text(data, markdown=name.lower().endswith((".md", ".markdown")), format=format, deadline=deadline)
