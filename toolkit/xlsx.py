"""The first sheet of an uploaded .xlsx, read by openpyxl in read-only mode, inside the caps.

An .xlsx is a zip, so it is opened through `CheckedZipFile` first (sizes, entry count, ratio). That does not
bound what openpyxl builds from XML that fits: one row of a million cells, a million merged-cell records,
or one shared string of 90 MB are each held whole before openpyxl hands anything back. So every part
openpyxl opens is also fed, chunk by chunk and just before openpyxl sees it, to `PartGuard`: an expat
parser that counts rows, cells per row, the column a cell claims, elements and the characters of each
text, and stops the reading at the first cap passed. The shared strings are read by the same parser, which
keeps only the strings (openpyxl would keep an XML element per string besides). Other parts (styles, the
workbook, relationships) are read whole by openpyxl and are capped in bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO
from xml.parsers import expat

from toolkit.archives import ArchiveRefused, CheckedZipFile, NotAZip
from toolkit.limits import (
    CELL_TOO_LONG,
    MEGABYTE,
    TOO_MANY_CELLS,
    TOO_MANY_COLUMNS,
    TOO_MANY_ROWS,
    WORKBOOK_TOO_COMPLEX,
    UploadLimits,
    UploadRefused,
)

# Styles, the workbook and relationships of real files are well under 1 MB; openpyxl parses them whole.
OTHER_PART_MAX_BYTES = 10 * MEGABYTE
# Elements inside one row or one shared string (a cell with rich text has a handful per run).
MAX_ELEMENTS_PER_ITEM = 10_000
# Elements outside the rows (merged cells, hyperlinks, column widths), which openpyxl keeps to the end of
# the part; a table needs few of them.
MAX_OTHER_ELEMENTS = 50_000
SHEET, STRINGS, OTHER = "worksheet", "sst", "other"
READ_BYTES = 64 * 1024
ITEM = {SHEET: "row", STRINGS: "si"}


class NotAWorkbook(UploadRefused):
    """Not an .xlsx openpyxl can read: callers say so in their own words."""


class PartGuard:
    """Parses one part of the workbook a chunk ahead of openpyxl and raises UploadRefused at the first cap passed."""

    def __init__(self, limits: UploadLimits, *, keep_strings: bool = False):
        self._limits = limits
        self.strings: list[str] | None = [] if keep_strings else None  # the shared strings, in order
        self._locals: list[str] = []  # element names from the root down to the one being read
        self._snippets: list[str] = []
        self._kind: str | None = None  # from the root element: the sheet, the shared strings, or another part
        self._depth = 0
        self._item_depth: int | None = None  # depth of the row or shared string being read
        self._items = self._cells = self._others = 0
        self._item_elements = self._item_chars = self._text_chars = self._column = self._row_cells = 0
        self._done = False
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartElementHandler, parser.EndElementHandler = self._start, self._end
        parser.CharacterDataHandler, parser.EntityDeclHandler = self._text, self._entity
        self._parser = parser

    def feed(self, chunk: bytes, total: int) -> None:
        if self._kind not in (SHEET, STRINGS) and total > OTHER_PART_MAX_BYTES:
            raise UploadRefused(WORKBOOK_TOO_COMPLEX)
        if not self._done:
            self._parse(chunk, final=False)

    def close(self) -> None:
        if not self._done:
            self._parse(b"", final=True)
            self._done = True

    def _parse(self, chunk: bytes, *, final: bool) -> None:
        try:
            self._parser.Parse(chunk, final)
        except expat.ExpatError:
            # openpyxl's parser (expat too) fails at the same byte; until then only the byte cap applies.
            self._done, self._kind = True, OTHER

    def _entity(self, *args) -> None:
        raise UploadRefused(WORKBOOK_TOO_COMPLEX)  # entity declarations: what defusedxml refuses in openpyxl

    def _start(self, name: str, attrs: dict) -> None:
        limits = self._limits
        self._depth += 1
        self._text_chars = 0
        local = name.rpartition(" ")[2]
        self._locals.append(local)
        if self._kind is None:
            self._kind = local if local in ITEM else OTHER
            if self._kind == OTHER:
                self._done = True  # no counting needed: the byte cap holds this part
            return
        if self._kind == OTHER:
            return
        if self._item_depth is None:
            if local == ITEM[self._kind]:
                self._start_item(attrs)
            else:
                self._others += 1
                if self._others > MAX_OTHER_ELEMENTS:
                    raise UploadRefused(WORKBOOK_TOO_COMPLEX)
            return
        self._item_elements += 1
        if self._item_elements > MAX_ELEMENTS_PER_ITEM:
            raise UploadRefused(TOO_MANY_COLUMNS.format(limit=limits.max_columns) if self._kind == SHEET
                                else WORKBOOK_TOO_COMPLEX)
        if self._kind == SHEET and local == "c" and self._depth == self._item_depth + 1:
            self._row_cells += 1
            self._cells += 1
            reference = attrs.get("r")
            self._column = _column_of(reference) if reference else self._column + 1
            if self._row_cells > limits.max_columns or self._column > limits.max_columns:
                raise UploadRefused(TOO_MANY_COLUMNS.format(limit=limits.max_columns))
            if self._cells > limits.max_cells:
                raise UploadRefused(TOO_MANY_CELLS.format(limit=limits.max_cells))

    def _start_item(self, attrs: dict) -> None:
        limits = self._limits
        self._item_depth = self._depth
        self._items += 1
        self._item_elements = self._item_chars = self._column = self._row_cells = 0
        if self._kind == STRINGS:
            if self._items > limits.max_cells:
                raise UploadRefused(TOO_MANY_CELLS.format(limit=limits.max_cells))
            return
        number = _row_number(attrs.get("r"))
        if self._items > limits.max_rows + 1 or (number or 0) > limits.max_rows + 1:
            raise UploadRefused(TOO_MANY_ROWS.format(limit=limits.max_rows))

    def _end(self, name: str) -> None:
        if self._item_depth == self._depth:
            self._item_depth = None
            if self.strings is not None and self._kind == STRINGS:
                # What openpyxl's read_string_table makes of an <si>: its text and its runs' text.
                self.strings.append("".join(self._snippets).replace("x005F_", ""))
                self._snippets = []
        self._depth -= 1
        self._text_chars = 0
        if self._locals:
            self._locals.pop()

    def _text(self, data: str) -> None:
        if self._kind in (None, OTHER):
            return
        limits = self._limits
        self._text_chars += len(data)
        self._item_chars += len(data)
        if self._text_chars > limits.max_cell_characters or self._item_chars > limits.max_columns * limits.max_cell_characters:
            raise UploadRefused(CELL_TOO_LONG.format(limit=limits.max_cell_characters))
        if self.strings is not None and self._item_depth is not None and self._locals[-1] == "t" \
                and len(self._locals) >= 2 and self._locals[-2] in ("si", "r"):
            self._snippets.append(data)


def _column_of(reference: str) -> int:
    """The column number of a cell reference such as "AB12" (its letters, base 26)."""
    column = 0
    for letter in reference.upper():
        if not "A" <= letter <= "Z":
            break
        column = column * 26 + ord(letter) - 64
        if column > 1 << 20:
            break
    return column


def _row_number(value: str | None) -> int | None:
    try:
        return int(float(value)) if value else None
    except (ValueError, OverflowError):
        return None  # openpyxl refuses it


def first_sheet_rows(source: BinaryIO, limits: UploadLimits) -> Iterator[tuple]:
    """The rows of the first sheet as openpyxl gives them (values only); raises UploadRefused or NotAWorkbook."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.xml.constants import SHARED_STRINGS

    try:
        archive = CheckedZipFile(source, limits=limits, inspector=lambda name: PartGuard(limits))
    except NotAZip as exc:
        raise NotAWorkbook() from exc
    workbook = None

    def read_strings() -> None:  # in place of ExcelReader.read_strings, which keeps an element per string
        part = reader.package.find(SHARED_STRINGS)
        if part is not None:
            strings = PartGuard(limits, keep_strings=True)
            with archive.open(part.PartName[1:], inspector=strings) as stream:
                while stream.read(READ_BYTES):
                    pass
            reader.shared_strings = strings.strings

    try:
        # load_workbook(read_only=True) is ExcelReader(...).read(); the reader's own ZipFile is swapped for
        # the checked one, through which openpyxl then opens every part it reads.
        reader = ExcelReader(source, read_only=True, data_only=True)
        reader.archive.close()
        reader.archive, reader.valid_files = archive, archive.namelist()
        reader.read_strings = read_strings
        reader.read()
        workbook = reader.wb
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # iterate what the sheet holds, not the size its header claims
        yield from sheet.iter_rows(values_only=True)
        if archive.refusal is not None:  # a refusal openpyxl caught and went past
            raise archive.refusal
    except ArchiveRefused:
        raise
    except Exception as exc:  # openpyxl raises many types, and wraps ours in ValueError
        if archive.refusal is not None:
            raise archive.refusal from exc
        if isinstance(exc, UploadRefused):
            raise
        raise NotAWorkbook() from exc
    finally:
        (workbook if workbook is not None else archive).close()
