"""Small files that unpack or parse into huge ones, built in the test (never held whole in memory),
and a measure of the time and peak memory it takes to refuse them."""

from __future__ import annotations

import gc
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

MEGABYTE = 1024 * 1024
# What "bounded" means in these tests: a refusal in a few seconds, using a few tens of megabytes at most
# (tracemalloc counts every allocation Python makes, zlib's and expat's included).
SECONDS = 5.0
PEAK_BYTES = 50 * MEGABYTE

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCUMENT_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (f'<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" Type="{DOCUMENT_RELS}/officeDocument" '
             'Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (f'<workbook xmlns="{MAIN}" xmlns:r="{DOCUMENT_RELS}"><sheets>'
            '<sheet name="Roster" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (f'<Relationships xmlns="{PACKAGE_RELS}">'
                 f'<Relationship Id="rId1" Type="{DOCUMENT_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
                 f'<Relationship Id="rId2" Type="{DOCUMENT_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
                 "</Relationships>")


@dataclass
class Measured:
    seconds: float
    peak_bytes: int
    error: Exception | None

    def __str__(self) -> str:
        return f"{self.seconds:.2f} s, peak {self.peak_bytes / MEGABYTE:.1f} MB"


def measure(action: Callable[[], object], *, traced: bool = True) -> Measured:
    """Run `action`, under tracemalloc when `traced` (which slows it); the exception it raises is kept, not raised."""
    gc.collect()
    if traced:
        tracemalloc.start()
    started = time.monotonic()
    error = None
    try:
        action()
    except Exception as exc:
        error = exc
    seconds = time.monotonic() - started
    peak = 0
    if traced:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return Measured(seconds, peak, error)


def refusal(action: Callable[[], object]) -> tuple[Exception | None, float, int]:
    """What `action` raised, its time (untraced) and its peak memory (a second, traced run)."""
    timed = measure(action, traced=False)
    traced = measure(action)
    assert type(timed.error) is type(traced.error) and str(timed.error) == str(traced.error)
    return timed.error, timed.seconds, traced.peak_bytes


def write_zip(path: Path, parts: dict[str, bytes | Iterable[bytes]]) -> Path:
    """A zip (compresslevel 9) whose parts are bytes or chunks, each part streamed in as it is made."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in parts.items():
            with archive.open(name, "w") as entry:
                for chunk in [content] if isinstance(content, bytes) else content:
                    entry.write(chunk)
    return path


def repeated(chunk: bytes, total: int) -> Iterable[bytes]:
    for _ in range(total // len(chunk)):
        yield chunk


def write_xlsx(path: Path, *, sheet: Iterable[bytes], shared_strings: Iterable[bytes] | bytes | None = None) -> Path:
    """An .xlsx written by hand: the package, one sheet, and shared strings when given (openpyxl is too slow to build bombs)."""
    parts: dict[str, bytes | Iterable[bytes]] = {
        "[Content_Types].xml": CONTENT_TYPES.encode(), "_rels/.rels": ROOT_RELS.encode(),
        "xl/workbook.xml": WORKBOOK.encode(), "xl/_rels/workbook.xml.rels": WORKBOOK_RELS.encode(),
        "xl/worksheets/sheet1.xml": sheet,
    }
    parts["xl/sharedStrings.xml"] = shared_strings if shared_strings is not None else f'<sst xmlns="{MAIN}"/>'.encode()
    return write_zip(path, parts)


def sheet_xml(rows: Iterable[bytes]) -> Iterable[bytes]:
    yield f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'.encode()
    yield from rows
    yield b"</sheetData></worksheet>"


def strings_xml(items: Iterable[bytes]) -> Iterable[bytes]:
    yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">'.encode()
    yield from items
    yield b"</sst>"


def batched(item: bytes, count: int, per_chunk: int = 10_000) -> Iterable[bytes]:
    """`item` `count` times, in chunks of `per_chunk` items."""
    full, rest = divmod(count, per_chunk)
    block = item * per_chunk
    for _ in range(full):
        yield block
    if rest:
        yield item * rest
