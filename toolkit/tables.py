"""Reading uploaded spreadsheets (CSV or XLSX) into headers and rows, and mapping columns.

Shared by every import (roster, teaching assignments, consent): one reader, one mapping rule,
one shape of error that names the row and the column.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from toolkit.limits import (
    CELL_TOO_LONG,
    TOO_MANY_CELLS,
    TOO_MANY_COLUMNS,
    TOO_MANY_ROWS,
    UploadLimits,
    UploadRefused,
)
from toolkit.xlsx import NotAWorkbook, first_sheet_rows

NOT_UTF8 = gettext_lazy(
    "The file is not UTF-8 text. In Excel use File → Save As → “CSV UTF-8”, or upload the .xlsx file itself."
)
NOT_A_TABLE = gettext_lazy("The file could not be read as CSV or Excel (.xlsx). Check that it is the right file.")
EMPTY_FILE = gettext_lazy("The file has no header row.")
NO_ROWS = gettext_lazy("The file has a header row but no data rows.")
UNSUPPORTED_TYPE = gettext_lazy("Upload a .csv or .xlsx file.")
TOO_LARGE = gettext_lazy("The file is {size:.1f} MB; files up to {limit} MB are accepted. Remove columns or years you "
                         "do not need, or ask your administrator to raise UPLOAD_MAX_MEGABYTES.")
IGNORE = ""


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]  # every cell as text, padded to the header width

    def first_row_number(self) -> int:
        return 2  # spreadsheet numbering: the header is row 1


@dataclass(frozen=True)
class RowError:
    row: int | None  # None for a problem with the whole file
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class TableUnreadable(UploadRefused):
    """The upload cannot be read as a table, or passes one of the caps of toolkit/limits.py."""


class ImportRefused(ValueError):
    """Some rows are wrong; `errors` names every one, and nothing was written."""

    def __init__(self, errors: list[RowError]):
        super().__init__(ngettext("%(count)d problem; nothing was imported.",
                                  "%(count)d problems; nothing was imported.", len(errors)) % {"count": len(errors)})
        self.errors = errors


def check_upload_size(upload) -> None:
    """Refuse an uploaded file above UPLOAD_MAX_MEGABYTES before anything reads it; a form field validator."""
    limit = settings.UPLOAD_MAX_MEGABYTES
    if upload.size > limit * 1024 * 1024:
        raise ValidationError(TOO_LARGE.format(size=upload.size / 1024 / 1024, limit=limit), code="too_large")


# A cell that starts with one of these is run as a formula by Excel and LibreOffice. Exports carry
# words students and staff typed, so they go out with a leading apostrophe, which spreadsheets hide.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# Excel splits a CSV line on the list separator of the reader's locale (a semicolon in much of
# Europe and Latin America), or on tabs and pipes when imported by hand: "a;=1+2" becomes a cell
# "=1+2". A formula start after any of those is neutralised too.
SPLIT_FORMULA = re.compile(r"([,;\t|]\s*)([=+\-@])")
NEUTRALISED_SPLIT = re.compile(r"([,;\t|]\s*)'([=+\-@])")


def _safe_text(cell: str) -> str:
    cell = SPLIT_FORMULA.sub(r"\1'\2", cell)
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def spreadsheet_safe(row: Sequence) -> list:
    """The row with every text cell a spreadsheet would evaluate turned into plain text."""
    return [_safe_text(cell) if isinstance(cell, str) else cell for cell in row]


def unescape_spreadsheet_text(cell: str) -> str:
    """Undo `spreadsheet_safe` when one of our own exports comes back as an import."""
    cell = cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell
    return NEUTRALISED_SPLIT.sub(r"\1\2", cell)


class SafeCsvWriter:
    """csv.writer whose rows pass through `spreadsheet_safe`; every CSV export writes with it."""

    def __init__(self, stream):
        self._writer = csv.writer(stream)

    def writerow(self, row: Sequence):
        return self._writer.writerow(spreadsheet_safe(row))


def read_table(source: bytes | BinaryIO, filename: str, *, limits: UploadLimits | None = None) -> Table:
    """The header and rows of an uploaded .csv or .xlsx, read as a stream and refused at the first cap passed.

    `source` is the file's bytes or a seekable binary file (an upload, a stored file); nothing is read
    whole. Raises TableUnreadable with a message the person uploading can act on.
    """
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _collect(_xlsx_records, source, limits, require_rows=True)
    if name.endswith(".csv") or name.endswith(".txt"):
        return read_csv(source, limits=limits)
    raise TableUnreadable(UNSUPPORTED_TYPE)


def read_csv(source: bytes | BinaryIO, *, limits: UploadLimits | None = None, sniff: bool = True,
             require_rows: bool = True) -> Table:
    """A CSV upload; `sniff=False` reads plain comma-separated files (OneRoster), `require_rows=False` allows a header alone."""
    return _collect(lambda stream, limits: _csv_records(stream, limits, sniff=sniff), source, limits,
                    require_rows=require_rows)


def _collect(records_of, source, limits: UploadLimits | None, *, require_rows: bool) -> Table:
    """Apply the caps record by record as the reader yields them, and build the table only from what passes."""
    limits = limits or UploadLimits.from_settings()
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    records = records_of(stream, limits)
    headers: list[str] | None = None
    body: list[list[str]] = []
    width = 0
    try:
        for number, record in enumerate(records, start=1):
            if number > limits.max_rows + 1:
                raise TableUnreadable(TOO_MANY_ROWS.format(limit=limits.max_rows))
            if len(record) > limits.max_columns:
                raise TableUnreadable(TOO_MANY_COLUMNS.format(limit=limits.max_columns))
            if any(len(cell) > limits.max_cell_characters for cell in record):
                raise TableUnreadable(CELL_TOO_LONG.format(limit=limits.max_cell_characters))
            cells = [cell.strip() for cell in record]
            if not any(cells):
                continue
            if headers is None:
                while cells and not cells[-1]:
                    cells.pop()
                headers, width = cells, len(cells)
                continue
            body.append((cells + [""] * width)[:width])
            if (len(body) + 1) * width > limits.max_cells:
                raise TableUnreadable(TOO_MANY_CELLS.format(limit=limits.max_cells))
    finally:
        records.close()
    if headers is None:
        raise TableUnreadable(EMPTY_FILE)
    if not body and require_rows:
        raise TableUnreadable(NO_ROWS)
    return Table(headers=headers, rows=body)


SNIFF_BYTES = 16 * 1024
SNIFF_CHARACTERS = 4096
READ_CHARACTERS = 64 * 1024


def _csv_records(stream: BinaryIO, limits: UploadLimits, *, sniff: bool) -> Iterator[list[str]]:
    start = stream.tell()
    head = stream.read(SNIFF_BYTES)
    stream.seek(start)
    try:
        sample = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=len(head) < SNIFF_BYTES)
    except UnicodeDecodeError as exc:
        raise TableUnreadable(NOT_UTF8) from exc
    if "\x00" in sample:
        raise TableUnreadable(NOT_A_TABLE)
    dialect = csv.excel
    if sniff:
        try:
            dialect = csv.Sniffer().sniff(sample[:SNIFF_CHARACTERS], delimiters=",;\t")
        except csv.Error:
            pass
    # The csv module's own cap on one field (131,072 characters by default) must sit above ours, so that a
    # long field meets our message; a field past the csv cap (megabytes) is refused in the same words.
    if csv.field_size_limit() <= limits.max_cell_characters:
        csv.field_size_limit(limits.max_cell_characters + 1)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    guard = _RecordGuard(text, dialect, limits)
    try:
        for record in csv.reader(guard.lines(), dialect):
            guard.record_done()
            yield record
    except UnicodeDecodeError as exc:
        raise TableUnreadable(NOT_UTF8) from exc
    except csv.Error as exc:
        too_long = "field limit" in str(exc)
        raise TableUnreadable(CELL_TOO_LONG.format(limit=limits.max_cell_characters) if too_long else NOT_A_TABLE) from exc
    finally:
        text.detach()  # the upload stays open for whoever passed it


class _RecordGuard:
    """Counts the columns and characters of the record csv is about to build, line by line, before it builds it.

    csv builds a whole record before handing it over, so a line of a million separators would be a million
    strings first. Separators are counted outside quotes only (quotes toggle, and a doubled quote toggles
    twice), so a long quoted cell full of commas is refused as a long cell, not as columns.
    """

    def __init__(self, text: io.TextIOBase, dialect, limits: UploadLimits):
        self._text, self._limits = text, limits
        self._delimiter = dialect.delimiter
        self._quote = dialect.quotechar if dialect.quoting != csv.QUOTE_NONE else None
        self._max_characters = limits.max_columns * (limits.max_cell_characters + 3)  # quotes and a separator
        self._delimiters = self._characters = 0
        self._quoted = False

    def record_done(self) -> None:
        self._delimiters = self._characters = 0
        self._quoted = False

    def _count(self, piece: str) -> None:
        if self._quote is None:
            self._delimiters += piece.count(self._delimiter)
            return
        outside = not self._quoted
        segments = piece.split(self._quote)
        for segment in segments[0 if outside else 1::2]:
            self._delimiters += segment.count(self._delimiter)
        self._quoted = self._quoted != (len(segments) % 2 == 0)

    def lines(self) -> Iterator[str]:
        parts: list[str] = []
        while piece := self._text.readline(READ_CHARACTERS):
            if "\x00" in piece:
                raise TableUnreadable(NOT_A_TABLE)
            self._count(piece)
            self._characters += len(piece)
            if self._delimiters >= self._limits.max_columns:
                raise TableUnreadable(TOO_MANY_COLUMNS.format(limit=self._limits.max_columns))
            if self._characters > self._max_characters:
                raise TableUnreadable(CELL_TOO_LONG.format(limit=self._limits.max_cell_characters))
            parts.append(piece)
            if piece.endswith(("\n", "\r")):
                yield "".join(parts)
                parts = []
        if parts:
            yield "".join(parts)


def _xlsx_records(stream: BinaryIO, limits: UploadLimits) -> Iterator[list[str]]:
    rows = first_sheet_rows(stream, limits)
    try:
        for row in rows:
            yield ["" if value is None else _cell_text(value) for value in row]
    except NotAWorkbook as exc:
        raise TableUnreadable(NOT_A_TABLE) from exc
    except UploadRefused as exc:
        raise TableUnreadable(str(exc)) from exc
    finally:
        rows.close()


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):  # Excel stores dates as datetimes at midnight
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def normalise_header(header: str) -> str:
    return re.sub(r"[\s_\-./]+", " ", header.strip().lower()).strip()


def guess_mapping(headers: Sequence[str], aliases: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Map each header to a field whose name or alias it matches; others are ignored."""
    lookup = {}
    for field, names in aliases.items():
        for name in (field, *names):
            lookup.setdefault(normalise_header(name), field)
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        field = lookup.get(normalise_header(header), IGNORE)
        if field and field in taken:
            field = IGNORE
        mapping[header] = field
        if field:
            taken.add(field)
    return mapping


def mapping_problems(mapping: Mapping[str, str], required: Sequence[str], labels: Mapping[str, str]) -> list[RowError]:
    problems = []
    used: dict[str, str] = {}
    for header, field in mapping.items():
        if not field or field.startswith("extra:"):
            continue
        if field in used:
            problems.append(RowError(None, header, _("Both “%(first)s” and “%(second)s” are mapped to %(field)s.") % {
                "first": used[field], "second": header, "field": labels.get(field, field)}))
        used[field] = header
    for field in required:
        if field not in used:
            label = str(labels.get(field, field))
            problems.append(RowError(None, label, _("No column is mapped to %(field)s, which is required.") % {"field": label}))
    return problems
