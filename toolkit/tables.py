"""Reading uploaded spreadsheets (CSV or XLSX) into headers and rows, and mapping columns.

Shared by every import (roster, teaching assignments, consent): one reader, one mapping rule,
one shape of error that names the row and the column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError

NOT_UTF8 = (
    "The file is not UTF-8 text. In Excel use File → Save As → “CSV UTF-8”, or upload the .xlsx file itself."
)
NOT_A_TABLE = "The file could not be read as CSV or Excel (.xlsx). Check that it is the right file."
EMPTY_FILE = "The file has no header row."
NO_ROWS = "The file has a header row but no data rows."
UNSUPPORTED_TYPE = "Upload a .csv or .xlsx file."
TOO_LARGE = ("The file is {size:.1f} MB; files up to {limit} MB are accepted. Remove columns or years you do not need, "
             "or ask your administrator to raise UPLOAD_MAX_MEGABYTES.")
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


class TableUnreadable(ValueError):
    pass


class ImportRefused(ValueError):
    """Some rows are wrong; `errors` names every one, and nothing was written."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} problem(s); nothing was imported.")
        self.errors = errors


def check_upload_size(upload) -> None:
    """Refuse an uploaded file above UPLOAD_MAX_MEGABYTES before anything reads it; a form field validator."""
    limit = settings.UPLOAD_MAX_MEGABYTES
    if upload.size > limit * 1024 * 1024:
        raise ValidationError(TOO_LARGE.format(size=upload.size / 1024 / 1024, limit=limit), code="too_large")


# A cell that starts with one of these is run as a formula by Excel and LibreOffice. Exports carry
# words students and staff typed, so they go out with a leading apostrophe, which spreadsheets hide.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(row: Sequence) -> list:
    """The row with every text cell a spreadsheet would evaluate turned into plain text."""
    return ["'" + cell if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell for cell in row]


def unescape_spreadsheet_text(cell: str) -> str:
    """Undo `spreadsheet_safe` when one of our own exports comes back as an import."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


class SafeCsvWriter:
    """csv.writer whose rows pass through `spreadsheet_safe`; every CSV export writes with it."""

    def __init__(self, stream):
        self._writer = csv.writer(stream)

    def writerow(self, row: Sequence):
        return self._writer.writerow(spreadsheet_safe(row))


def read_table(content: bytes, filename: str) -> Table:
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(content)
    if name.endswith(".csv") or name.endswith(".txt"):
        return _read_csv(content)
    raise TableUnreadable(UNSUPPORTED_TYPE)


def _read_csv(content: bytes) -> Table:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableUnreadable(NOT_UTF8) from exc
    if "\x00" in text:
        raise TableUnreadable(NOT_A_TABLE)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    return _normalise(rows)


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise TableUnreadable(NOT_A_TABLE) from exc
    sheet = workbook.worksheets[0]
    rows = [["" if cell is None else _cell_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return _normalise(rows)


def _cell_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):  # Excel stores dates as datetimes at midnight
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _normalise(rows: list[list[str]]) -> Table:
    rows = [row for row in rows if any(str(cell).strip() for cell in row)] if rows else []
    if not rows:
        raise TableUnreadable(EMPTY_FILE)
    headers = [str(cell).strip() for cell in rows[0]]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    body = [[str(cell).strip() for cell in (row + [""] * width)[:width]] for row in rows[1:]]
    if not body:
        raise TableUnreadable(NO_ROWS)
    return Table(headers=headers, rows=body)


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
            problems.append(RowError(None, header, f"Both “{used[field]}” and “{header}” are mapped to {labels.get(field, field)}."))
        used[field] = header
    for field in required:
        if field not in used:
            problems.append(RowError(None, labels.get(field, field), f"No column is mapped to {labels.get(field, field)}, which is required."))
    return problems
