"""Files for the note import tests, written here by the tests themselves (no third-party transcript is copied)."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile

QUESTIONS = ["Tell me about a time you felt you belonged at school.", "What is lunch like for you?",
             "Who do you go to when something goes wrong?", "Describe a class where you feel heard.",
             "If you could change one thing at school, what would it be?"]
# The raw names of the files below: what must never reach the database.
RAW_NAMES = ["Anita Q. Zorrilla", "BENITO", "Facilitadora Kim", "Zed Scribe"]


def docx_bytes(paragraphs: list[tuple[str, str]]) -> bytes:
    """(style, text) paragraphs: style "" for a body paragraph, "Heading 2" for a heading."""
    import docx

    document = docx.Document()
    for style, text in paragraphs:
        if style:
            document.add_paragraph(text, style=style)
        else:
            document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx_bytes(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def vtt_bytes(cues: list[tuple[float, float, str]]) -> bytes:
    def stamp(seconds: float) -> str:
        ms = round(seconds * 1000)
        return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"

    lines = ["WEBVTT", ""]
    for number, (start, end, text) in enumerate(cues, start=1):
        lines += [str(number), f"{stamp(start)} --> {stamp(end)}", text, ""]
    return "\n".join(lines).encode()


def srt_bytes(cues: list[tuple[float, float, str]]) -> bytes:
    def stamp(seconds: float) -> str:
        ms = round(seconds * 1000)
        return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"

    lines = []
    for number, (start, end, text) in enumerate(cues, start=1):
        lines += [str(number), f"{stamp(start)} --> {stamp(end)}", text, ""]
    return "\n".join(lines).encode()


def typed_notes_docx() -> bytes:
    return docx_bytes([
        ("Title", "Focus group, lunch"),
        ("Heading 2", "Question 1"),
        ("", "Anita Q. Zorrilla: The line for lunch takes twenty minutes."),
        ("", "BENITO - We eat in ten minutes after that."),
        ("Heading 2", "Question 2"),
        ("", "[Anita Q. Zorrilla] My friends sit outside when it is sunny."),
    ])


def meeting_vtt() -> bytes:
    return vtt_bytes([
        (1.0, 4.0, "<v Facilitadora Kim>So, what is lunch like for you?</v>"),
        (4.5, 6.0, "<v Anita Q. Zorrilla>The café is too loud.</v>"),
        (6.0, 9.25, "<v Anita Q. Zorrilla>Nobody can hear anybody.</v>"),
        (751.0, 755.0, "BENITO: I eat in the library."),
        (755.0, 757.0, "Zed Scribe: Several students nodded."),
    ])


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)
