"""What the tests of the editable outputs (.pptx, .docx) share: names and local ids no report could contain by
chance (the `editable` fixture in conftest.py gives them to a program's students), and a search of every part
of an Office file for any of them."""

from __future__ import annotations

import html
import io
import zipfile
from collections.abc import Iterable

from participants.models import Student

LONG_INSIGHT = ("Students describe lunch as the loudest, most rushed part of the day, and they say the noise keeps "
                "them from talking with the adults and friends who matter to them. ") * 12


def distinctive(index: int) -> tuple[str, str, str]:
    """A first name, last name and local id that appear nowhere else: accents, an apostrophe, an ampersand."""
    return (f"Zephyrine{index:02d}Ñ", f"O'Quillfeather&Brightwater{index:02d}", f"ZQX-{7100 + index}")


def secrets(students: Iterable[Student]) -> set[str]:
    return {value for s in Student.objects.filter(pk__in=[s.pk for s in students])
            for value in (s.first_name, s.last_name, s.local_id)}


def leaked(content: bytes, students: Iterable[Student]) -> list[tuple[str, str]]:
    """Every (part, secret) where a student's name or local id is found in the file, as written or XML-escaped,
    in any part of the zip (slides, notes, document, comments, properties, pictures)."""
    found = []
    wanted = secrets(students)
    assert wanted
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8", errors="ignore")
            for secret in wanted:
                for form in {secret, html.escape(secret), html.escape(secret, quote=False), secret.replace("'", "&apos;")}:
                    if form in text:
                        found.append((name, secret))
    return found


def read(report) -> bytes:
    with report.file.open("rb") as handle:
        return handle.read()
