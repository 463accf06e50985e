"""A Word document of typed notes, read with python-docx after the zip checks.

A .docx is a zip archive: before python-docx opens it, `CheckedZipFile` refuses too many parts, a part or a
total over the unpacked caps, a suspicious compression ratio or a password, and every part is read once
through its capped stream, so a part whose header lies about its size is refused too. python-docx parses the
XML without resolving entities. Paragraphs in a heading style are question hints (the title is skipped); the others
are read as the lines of typed notes (interviews/note_import/text.py), one paragraph each.
"""

from __future__ import annotations

import zipfile
import zlib
from typing import BinaryIO

from interviews.note_import.blocks import NOT_A_DOCX, Deadline, ImportFileRefused, ParsedFile
from interviews.note_import.text import BREAK, HEADING, LINE, blocks_from_lines
from toolkit.archives import CheckedZipFile, NotAZip
from toolkit.limits import UploadLimits, UploadRefused

READ_BYTES = 64 * 1024


def _check_archive(stream: BinaryIO, limits: UploadLimits) -> None:
    try:
        with CheckedZipFile(stream, limits=limits) as archive:
            if "word/document.xml" not in archive.namelist():
                raise ImportFileRefused(NOT_A_DOCX)
            for info in archive.infolist():
                with archive.open(info) as part:
                    while part.read(READ_BYTES):
                        pass
    except ImportFileRefused:
        raise
    except NotAZip as exc:
        raise ImportFileRefused(NOT_A_DOCX) from exc
    except UploadRefused as exc:  # over a cap of toolkit/archives.py, in its words (before ValueError: it is one)
        raise ImportFileRefused(str(exc)) from exc
    except (zipfile.BadZipFile, zlib.error, ValueError, KeyError, OSError, EOFError) as exc:
        raise ImportFileRefused(NOT_A_DOCX) from exc  # a damaged archive: zipfile's own errors
    stream.seek(0)


def parse_docx(stream: BinaryIO, *, format: str, deadline: Deadline, limits: UploadLimits | None = None) -> ParsedFile:
    import docx  # python-docx; imported here so that pages which never read a .docx do not load it

    _check_archive(stream, limits or UploadLimits.from_settings())
    deadline.check()
    try:
        document = docx.Document(stream)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportFileRefused(NOT_A_DOCX) from exc
    except UploadRefused:
        raise
    except Exception as exc:  # python-docx raises its own errors (PackageNotFoundError, lxml's) for a broken part
        raise ImportFileRefused(NOT_A_DOCX) from exc

    def items():
        for paragraph in document.paragraphs:
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
            text = paragraph.text
            if style in ("Title", "Subtitle"):
                continue  # the document's own name, never a question
            if style.startswith("Heading"):
                yield HEADING, text
            else:
                for line in text.split("\n"):  # a line break inside a paragraph (Shift+Enter)
                    yield LINE, line
            yield BREAK, ""

    return blocks_from_lines(items(), format=format, deadline=deadline)

