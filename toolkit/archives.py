"""Opening an uploaded .zip (a OneRoster bundle, or an .xlsx, which is a zip too) without trusting it.

A small archive can declare, or simply hold, gigabytes. `CheckedZipFile` reads the end record first and
refuses more entries than UPLOAD_MAX_ARCHIVE_ENTRIES before zipfile parses any of them; then it refuses
a part whose name climbs out of the archive, a password, a part or a total above
UPLOAD_MAX_UNCOMPRESSED_MEGABYTES, and a part that unpacks to more than UPLOAD_MAX_COMPRESSION_RATIO
times its packed size. Every part is then read through a counting stream that stops as soon as the
bytes actually unpacked pass what the part declared, so a lying header gains nothing.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from typing import BinaryIO, Protocol

from toolkit.limits import (
    ARCHIVE_BROKEN,
    ARCHIVE_ENCRYPTED,
    ARCHIVE_TOO_COMPRESSED,
    ARCHIVE_TOO_LARGE,
    ARCHIVE_TOO_MANY_ENTRIES,
    ARCHIVE_UNSAFE_NAME,
    MEGABYTE,
    NOT_A_ZIP,
    UploadLimits,
    UploadRefused,
)

# Parts smaller than this cannot hurt whatever their ratio, and tiny parts compress unpredictably.
RATIO_CHECKED_FROM_BYTES = MEGABYTE
# A generous central-directory record (46 bytes, the name and its extra fields): a directory larger than
# this per declared entry is lying about its count, and zipfile would parse every record in it.
DIRECTORY_BYTES_PER_ENTRY = 1024
_END_RECORD = struct.Struct("<4s4H2LH")
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_END_RECORD = struct.Struct("<4sQ2H2L4Q")
_DRIVE = re.compile(r"^[A-Za-z]:")
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError)


class ArchiveRefused(UploadRefused):
    pass


class NotAZip(ArchiveRefused):
    """Not an archive at all: callers say so in their own words (a OneRoster bundle, a spreadsheet)."""


class Inspector(Protocol):
    """Looks at each chunk of one part as it is unpacked; raises UploadRefused to stop the reading."""

    def feed(self, chunk: bytes, total: int) -> None: ...

    def close(self) -> None: ...


def _declared_directory(fp: BinaryIO) -> tuple[int, int]:
    """(entries, central-directory bytes) as the end record declares them; NotAZip without one."""
    fp.seek(0, io.SEEK_END)
    end = fp.tell()
    tail_size = min(end, _END_RECORD.size + 0xFFFF)  # the record, then a comment of up to 64 KB
    fp.seek(end - tail_size)
    tail = fp.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _END_RECORD.size:
        raise NotAZip(NOT_A_ZIP)
    _, _, _, _, entries, directory_size, directory_offset, _ = _END_RECORD.unpack_from(tail, at)
    if (entries == 0xFFFF or directory_size == 0xFFFFFFFF or directory_offset == 0xFFFFFFFF) and at >= _ZIP64_LOCATOR.size:
        signature, _, zip64_offset, _ = _ZIP64_LOCATOR.unpack_from(tail, at - _ZIP64_LOCATOR.size)
        if signature == b"PK\x06\x07" and zip64_offset + _ZIP64_END_RECORD.size <= end:
            fp.seek(zip64_offset)
            record = fp.read(_ZIP64_END_RECORD.size)
            if record[:4] == b"PK\x06\x06":
                fields = _ZIP64_END_RECORD.unpack(record)
                entries, directory_size = fields[7], fields[8]
    return entries, directory_size


def _climbs_out(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or bool(_DRIVE.match(name)) or ".." in parts


class CheckedZipFile(zipfile.ZipFile):
    """A read-only ZipFile that refuses what passes the caps, before and while it is read.

    `inspector`, given a part's name, may return an Inspector that sees every chunk of that part (the
    XLSX reader uses it to count rows and columns in lockstep with openpyxl). The first refusal raised
    while reading is kept in `refusal`, for callers whose library wraps the exception in its own.
    """

    def __init__(self, source: bytes | BinaryIO, *, limits: UploadLimits | None = None,
                 inspector: Callable[[str], Inspector | None] | None = None):
        self.limits = limits or UploadLimits.from_settings()
        self.inspector = inspector
        self.refusal: UploadRefused | None = None
        fp = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
        try:
            entries, directory_size = _declared_directory(fp)
            fp.seek(0)
        except (OSError, ValueError) as exc:
            raise NotAZip(NOT_A_ZIP) from exc
        if entries > self.limits.max_archive_entries or directory_size > self.limits.max_archive_entries * DIRECTORY_BYTES_PER_ENTRY:
            raise ArchiveRefused(ARCHIVE_TOO_MANY_ENTRIES.format(limit=self.limits.max_archive_entries))
        try:
            super().__init__(fp)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            # NotImplementedError: a damaged header names a zip version or a method this Python cannot read.
            raise NotAZip(NOT_A_ZIP) from exc
        self._check_entries()

    def _check_entries(self) -> None:
        limits = self.limits
        infos = self.infolist()
        if len(infos) > limits.max_archive_entries:
            raise ArchiveRefused(ARCHIVE_TOO_MANY_ENTRIES.format(limit=limits.max_archive_entries))
        total = 0
        for info in infos:
            if _climbs_out(info.filename):
                raise ArchiveRefused(ARCHIVE_UNSAFE_NAME.format(name=info.filename[:100]))
            if info.flag_bits & 0x1:
                raise ArchiveRefused(ARCHIVE_ENCRYPTED)
            total += info.file_size
            if total > limits.max_uncompressed_bytes:
                raise ArchiveRefused(ARCHIVE_TOO_LARGE.format(limit=limits.max_uncompressed_megabytes))
            if info.file_size >= RATIO_CHECKED_FROM_BYTES and info.file_size > limits.max_compression_ratio * max(info.compress_size, 1):
                raise ArchiveRefused(ARCHIVE_TOO_COMPRESSED.format(name=info.filename[:100], limit=limits.max_compression_ratio))

    def open(self, name, mode="r", pwd=None, *, force_zip64=False, inspector: Inspector | None = None):
        """One part through the capped stream; `inspector` replaces, for this part, the one the factory makes."""
        if mode != "r":
            raise ValueError("A checked archive is read-only.")
        info = name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name)  # KeyError for a missing part
        try:
            raw = super().open(info, "r", pwd)
        except _READ_ERRORS as exc:
            raise self._refuse(ArchiveRefused(ARCHIVE_BROKEN)) from exc
        if inspector is None and self.inspector is not None:
            inspector = self.inspector(info.filename)
        return io.BufferedReader(_CappedReader(raw, info.file_size, self, inspector))

    def _refuse(self, refusal: UploadRefused) -> UploadRefused:
        self.refusal = self.refusal or refusal
        return refusal


class _CappedReader(io.RawIOBase):
    """One part, unpacked; stops at the cap whatever the headers say."""

    def __init__(self, raw, declared: int, archive: CheckedZipFile, inspector: Inspector | None):
        super().__init__()
        self._raw, self._declared, self._archive, self._inspector = raw, declared, archive, inspector
        self._count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            data = self._raw.read(len(buffer))
        except _READ_ERRORS as exc:
            raise self._archive._refuse(ArchiveRefused(ARCHIVE_BROKEN)) from exc
        self._count += len(data)
        limits = self._archive.limits
        if self._count > limits.max_uncompressed_bytes:
            raise self._archive._refuse(ArchiveRefused(ARCHIVE_TOO_LARGE.format(limit=limits.max_uncompressed_megabytes)))
        if self._count > self._declared:
            raise self._archive._refuse(ArchiveRefused(ARCHIVE_BROKEN))
        if self._inspector is not None:
            try:
                self._inspector.feed(data, self._count) if data else self._inspector.close()
            except UploadRefused as refusal:
                raise self._archive._refuse(refusal) from None
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()
