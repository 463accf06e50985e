"""A spreadsheet with one row per utterance: columns speaker, question and text (in English or Spanish, any case),
read by the project's table reader (toolkit/tables.py) under its caps. Only the text column is required."""

from __future__ import annotations

from typing import BinaryIO

from django.utils.translation import gettext_lazy as _

from interviews.note_import.blocks import BlockList, Deadline, ImportFileRefused, ParsedFile
from toolkit.limits import UploadLimits
from toolkit.tables import TableUnreadable, guess_mapping, read_table

ALIASES = {
    "speaker": ["name", "student", "who", "person", "hablante", "nombre", "estudiante", "quién", "quien"],
    "question": ["prompt", "heading", "q", "pregunta"],
    "text": ["words", "note", "notes", "answer", "response", "utterance", "texto", "palabras", "nota", "notas",
             "respuesta"],
}
NO_TEXT_COLUMN = _("The spreadsheet has no column named “text” (or “words”, “notes”, “answer”). Name the column that "
                   "holds what was said “text”, and the others “speaker” and “question”.")


def parse_sheet(stream: BinaryIO, name: str, *, format: str, deadline: Deadline,
                limits: UploadLimits | None = None) -> ParsedFile:
    try:
        table = read_table(stream, name, limits=limits)
    except TableUnreadable as exc:
        raise ImportFileRefused(str(exc)) from exc
    deadline.check()
    mapping = guess_mapping(table.headers, ALIASES)
    column = {field: table.headers.index(header) for header, field in mapping.items() if field}
    if "text" not in column:
        raise ImportFileRefused(NO_TEXT_COLUMN)
    found = BlockList(deadline)
    hint = ""
    for row in table.rows:
        if "question" in column and row[column["question"]].strip():
            hint = row[column["question"]]
        speaker = row[column["speaker"]] if "speaker" in column else ""
        found.add(speaker=speaker, text=row[column["text"]], hint=hint)
    return found.result(format)
