"""Typed notes as lines: plain text, Markdown, and the paragraphs of a Word document.

A speaker is recognised by a line `Name: words`, `NAME - words` (a name in capitals), `[Name] words`, or a name on its own line (then
the paragraphs below are theirs). A name is one to five words, each capitalised (or a number: "Student 3"), with
the small words of names allowed ("María de la Cruz"); a sentence with a colon ("We asked: why?") is not a name.
A heading (Markdown `#`, a Word heading style) or a question line (`Q2: ...`, `Question 3`, `Pregunta 1.`)
is the question hint of the blocks below it. Each paragraph is one block; a paragraph with no speaker line
continues the last speaker's turn.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from interviews.note_import.blocks import MAX_SPEAKER_CHARACTERS, BlockList, Deadline, ParsedFile, decode_text

HEADING, LINE, BREAK = "heading", "line", "break"

_NAME_PARTICLES = {"de", "del", "la", "las", "los", "da", "do", "dos", "das", "van", "von", "der", "den", "y", "e",
                   "bin", "ibn", "al", "el", "di", "du", "le"}
_WORD = re.compile(r"^(?:[^\W\d_][\w'’.\-]*|\d{1,3})$")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_QUESTION_LINE = re.compile(r"^(?:q|question|pregunta)\s*(?:\d{1,2}\b\s*[:.)\-–—]?|[:.])\s*.*$", re.IGNORECASE)
_BRACKET = re.compile(r"^\[([^\]\n]{1,%d})\]\s*:?\s*(.*)$" % MAX_SPEAKER_CHARACTERS)
_COLON = re.compile(r"^([^:\n]{1,%d}?)\s*(?:\((?:\d{1,2}:)?\d{1,2}:\d{2}\))?\s*:(?:\s+(.*)|\s*)$" % MAX_SPEAKER_CHARACTERS)
_DASH = re.compile(r"^([^\n]{1,%d}?)\s+[-–—]\s+(.+)$" % MAX_SPEAKER_CHARACTERS)
_BULLET = re.compile(r"^\s*(?:[-*+•]\s+)")
_BOLD_NAME = re.compile(r"^(\*\*|__)(.+?)\1\s*")


def looks_like_name(candidate: str) -> bool:
    words = candidate.split()
    if not 1 <= len(words) <= 5 or len(candidate) > MAX_SPEAKER_CHARACTERS:
        return False
    if not all(_WORD.match(word) for word in words):
        return False
    if not words[0][0].isalpha():
        return False
    return all(word[0].isupper() or word[0].isdigit() or word.lower() in _NAME_PARTICLES for word in words)


def speaker_line(line: str) -> tuple[str, str] | None:
    """(speaker, words) when the line opens a speaker's turn; words may be "" (a name alone on its line)."""
    line = _BULLET.sub("", line, count=1)
    bold = _BOLD_NAME.match(line)
    if bold:  # **Maria:** words, **Maria**: words
        inner, rest = bold.group(2).strip(), line[bold.end():]
        line = inner + rest if rest.startswith(":") else f"{inner} {rest}".strip()
    if match := _BRACKET.match(line):
        return match.group(1).strip(), match.group(2)
    if (match := _COLON.match(line)) and looks_like_name(match.group(1).strip()):
        return match.group(1).strip(), match.group(2) or ""
    if (match := _DASH.match(line)) and match.group(1).isupper() and looks_like_name(match.group(1).strip()):
        return match.group(1).strip(), match.group(2)
    if looks_like_name(line.strip()) and len(line.split()) <= 4 and not line.rstrip().endswith((".", "!", "?", ",")):
        return line.strip(), ""
    return None


def is_question_line(line: str) -> bool:
    return bool(_QUESTION_LINE.match(line.strip()))


def blocks_from_lines(items: Iterable[tuple[str, str]], *, format: str, deadline: Deadline) -> ParsedFile:
    """Blocks from (kind, text) items: HEADING, LINE, or BREAK (the end of a paragraph)."""
    found = BlockList(deadline)
    speaker, hint, lines = "", "", []

    def flush() -> None:
        if lines:
            found.add(speaker=speaker, text="\n".join(lines), hint=hint)
            lines.clear()

    for kind, text in items:
        if kind == BREAK:
            flush()
            continue
        text = text.strip()
        if not text:
            flush()
            continue
        if kind == HEADING or is_question_line(text):
            flush()
            hint = text
            continue
        turn = speaker_line(text)
        if turn is not None:
            flush()
            speaker = turn[0]
            if turn[1].strip():
                lines.append(turn[1].strip())
            continue
        lines.append(text)
    flush()
    return found.result(format)


def text_items(text: str, *, markdown: bool) -> Iterable[tuple[str, str]]:
    for line in text.split("\n"):
        if markdown and (match := _MD_HEADING.match(line)):
            yield HEADING, match.group(1).strip("*_ ")
        elif not line.strip():
            yield BREAK, ""
        else:
            yield LINE, line


def parse_text(data: bytes, *, markdown: bool, format: str, deadline: Deadline) -> ParsedFile:
    return blocks_from_lines(text_items(decode_text(data), markdown=markdown), format=format, deadline=deadline)
