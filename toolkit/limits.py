"""The caps on what an uploaded file may unpack to, and the messages that refuse it.

Every reader of uploads (CSV, XLSX, OneRoster .zip) takes one `UploadLimits`, read from settings at the
moment of reading, so a test or an administrator changes a cap in one place. The messages are for the
school staff who upload: they say what is wrong and what to do, and the tests reuse them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

MEGABYTE = 1024 * 1024

ARCHIVE_TOO_LARGE = _("Unpacked, this file would take more than {limit} MB, far more than a roster or consent file needs. "
                      "Check that it is the right file, or ask your administrator to raise UPLOAD_MAX_UNCOMPRESSED_MEGABYTES.")
ARCHIVE_TOO_MANY_ENTRIES = _("The file packs more than {limit} files inside it; a OneRoster export holds about 10 and a "
                             "spreadsheet about 15. Check that it is the right file.")
ARCHIVE_TOO_COMPRESSED = _("Part of the file (“{name}”) unpacks to more than {limit} times its packed size, which exports "
                           "from a student information system or Excel never do. Export the file again.")
ARCHIVE_UNSAFE_NAME = _("The file holds a part named “{name}”, which points outside the file. Export the file again.")
ARCHIVE_ENCRYPTED = _("The file is protected by a password. Save a copy without the password and upload that.")
ARCHIVE_BROKEN = _("The file is damaged: part of it cannot be unpacked. Export it again and upload the new copy.")
NOT_A_ZIP = _("The file is not a .zip archive.")
TOO_MANY_COLUMNS = _("The file holds more than {limit} columns; a roster needs about 20. Check that it is the right file.")
TOO_MANY_ROWS = _("The file holds more than {limit:,} rows. Split it into smaller files (one per school, for example), "
                  "or ask your administrator to raise TABLE_MAX_ROWS.")
TOO_MANY_CELLS = _("The file holds more than {limit:,} cells (rows × columns). Remove the columns you do not need, split it "
                   "into smaller files, or ask your administrator to raise TABLE_MAX_CELLS.")
CELL_TOO_LONG = _("A cell of the file holds more than {limit:,} characters; no column of an import needs that many. "
                  "Check that it is the right file, and that no notes were pasted into one cell.")
WORKBOOK_TOO_COMPLEX = _("The workbook carries more formatting, links or other extras than a table needs. Save the sheet "
                         "with File → Save As → “CSV UTF-8” and upload that.")


class UploadRefused(ValueError):
    """An upload we will not read (over a cap, damaged, not a table); the message says what to do."""


@dataclass(frozen=True)
class UploadLimits:
    max_uncompressed_bytes: int  # all the parts of an archive together, unpacked
    max_archive_entries: int
    max_compression_ratio: int  # unpacked size / packed size of any one part
    max_columns: int
    max_rows: int  # data rows, below the header
    max_cells: int  # rows × columns of the table read
    max_cell_characters: int

    @classmethod
    def from_settings(cls) -> UploadLimits:
        return cls(
            max_uncompressed_bytes=settings.UPLOAD_MAX_UNCOMPRESSED_MEGABYTES * MEGABYTE,
            max_archive_entries=settings.UPLOAD_MAX_ARCHIVE_ENTRIES,
            max_compression_ratio=settings.UPLOAD_MAX_COMPRESSION_RATIO,
            max_columns=settings.TABLE_MAX_COLUMNS,
            max_rows=settings.TABLE_MAX_ROWS,
            max_cells=settings.TABLE_MAX_CELLS,
            max_cell_characters=settings.TABLE_MAX_CELL_CHARACTERS,
        )

    @property
    def max_uncompressed_megabytes(self) -> int:
        return self.max_uncompressed_bytes // MEGABYTE
