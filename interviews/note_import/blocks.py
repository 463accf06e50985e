"""What every parser of an imported file hands back, the caps on it, and the messages that refuse a file.

A block is one stretch of words in the file: a speaker's turn (or one paragraph of it) in typed notes, one or
more consecutive cues of one speaker in a transcript, one row of a spreadsheet. `speaker` is the name as the
file writes it ("" when the file names nobody): it lives only in the uploaded file and on the page that maps
it, never in the database.
"""

from __future__ import annotations

import codecs
import re
import time
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from interviews.notes import MAX_NOTE_LENGTH
from toolkit.limits import UploadRefused

# More blocks than this is not one session's notes (a 90-minute transcript merges to a few hundred turns).
MAX_BLOCKS = 5_000
# A name longer than this, or more distinct names than this, is not a list of people in one session.
MAX_SPEAKER_CHARACTERS = 80
MAX_SPEAKERS = 100
# One block becomes one note: the note's own cap.
MAX_BLOCK_CHARACTERS = MAX_NOTE_LENGTH
# Reading a file within the upload limit takes well under a second; a file that takes longer is refused.
MAX_PARSE_SECONDS = 10
# A transcript time past this is not a school interview (and would not fit the note's field).
MAX_TIME_MS = 24 * 60 * 60 * 1000

UNSUPPORTED = _("Upload a Word document (.docx), a text or Markdown file (.txt, .md), a transcript (.vtt, .srt) or a "
                "spreadsheet (.xlsx, .csv).")
EMPTY = _("The file holds no notes: it is empty, or holds only headings.")
NOT_TEXT = _("The file could not be read as text. Save it as text in UTF-8 (in Word: File → Save As → Plain Text, "
             "then Unicode (UTF-8)) and upload it again.")
TOO_MANY_BLOCKS = _("The file holds more than {limit:,} notes or cues, more than one session. Split it and import each "
                    "part into its own session.")
TOO_MANY_SPEAKERS = _("The file names more than {limit} different speakers, more than one session holds. Check that it "
                      "is the right file.")
TOO_SLOW = _("Reading the file took more than {limit} seconds and was stopped. Check that it is the right file, or "
             "split it.")
NOT_A_DOCX = _("The file is not a Word document (.docx) that can be read. Open it in Word and save it again as .docx.")
NOT_A_TRANSCRIPT = _("The file is not a {kind} transcript that can be read: {reason}. Download the transcript again.")
TIME_TOO_LATE = _("A time in the transcript is past 24 hours. Check that it is the right file.")


class ImportFileRefused(UploadRefused):
    """A file we will not import; the message says what to do."""


@dataclass
class Block:
    position: int  # 1 = the first block of the file
    speaker: str  # as written in the file; "" when none
    text: str
    question_hint: str = ""  # the heading or question line in force, as written
    start_ms: int | None = None
    end_ms: int | None = None


@dataclass(frozen=True)
class ParsedFile:
    format: str  # a NoteImport.Format value
    blocks: list[Block]

    def speakers(self) -> list[str]:
        """Every speaker name, in the order each first speaks."""
        return list(dict.fromkeys(block.speaker for block in self.blocks))


class Deadline:
    def __init__(self, seconds: float = MAX_PARSE_SECONDS):
        self.seconds = seconds
        self._until = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self._until:
            raise ImportFileRefused(TOO_SLOW.format(limit=self.seconds))


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_text(data: bytes) -> str:
    """The file's text: UTF-8 (with or without a byte-order mark), UTF-16 with its mark, else Windows-1252
    (what Word and Notepad on Windows write as "plain text"). Bytes none of those read, or control characters
    that no text file holds (a binary file renamed), refuse the file."""
    if data.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8", "cp1252"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text):
            raise ImportFileRefused(NOT_TEXT)
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise ImportFileRefused(NOT_TEXT)


class BlockList:
    """Collects blocks under the caps, numbering them."""

    def __init__(self, deadline: Deadline):
        self.blocks: list[Block] = []
        self._speakers: set[str] = set()
        self._deadline = deadline

    def add(self, *, speaker: str, text: str, hint: str = "", start_ms: int | None = None, end_ms: int | None = None) -> None:
        text = text.strip()
        if not text:
            return
        self._deadline.check()
        if len(self.blocks) >= MAX_BLOCKS:
            raise ImportFileRefused(TOO_MANY_BLOCKS.format(limit=MAX_BLOCKS))
        speaker = " ".join(speaker.split())[:MAX_SPEAKER_CHARACTERS]
        self._speakers.add(speaker)
        if len(self._speakers) > MAX_SPEAKERS:
            raise ImportFileRefused(TOO_MANY_SPEAKERS.format(limit=MAX_SPEAKERS))
        for ms in (start_ms, end_ms):
            if ms is not None and ms > MAX_TIME_MS:
                raise ImportFileRefused(TIME_TOO_LATE)
        self.blocks.append(Block(position=len(self.blocks) + 1, speaker=speaker, text=text, question_hint=hint.strip(),
                                 start_ms=start_ms, end_ms=end_ms))

    def result(self, format: str) -> ParsedFile:
        if not self.blocks:
            raise ImportFileRefused(EMPTY)
        return ParsedFile(format=format, blocks=self.blocks)


def clock(ms: int | None) -> str:
    """00:12:31 for a time in milliseconds; "" for none."""
    if ms is None:
        return ""
    seconds = ms // 1000
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
