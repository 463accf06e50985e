"""Meeting transcripts: WebVTT (webvtt-py) and SubRip (pysrt).

The speaker of a cue is its voice tag (`<v Maria López>`, as Microsoft Teams writes), else a `Name:` prefix (as
Zoom and Google Meet write); a cue with neither continues the speaker before it. Consecutive cues of one
speaker are merged into one block, with the first cue's start and the last cue's end, up to the length of one
note; then a new block starts.
"""

from __future__ import annotations

import re

from interviews.note_import.blocks import (
    MAX_BLOCK_CHARACTERS,
    NOT_A_TRANSCRIPT,
    BlockList,
    Deadline,
    ImportFileRefused,
    ParsedFile,
    decode_text,
)
from interviews.note_import.text import looks_like_name

_VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+([^>]+)>")
_TAG = re.compile(r"</?[^>]{0,200}>")
_PREFIX = re.compile(r"^\s*(?:-|>>)?\s*([^:\n]{1,80}?)\s*:\s+(.*)$", re.DOTALL)


def _speaker_and_text(text: str) -> tuple[str | None, str]:
    match = _PREFIX.match(text)
    if match and looks_like_name(match.group(1).strip()):
        return match.group(1).strip(), match.group(2).strip()
    return None, text.strip()


class _Turns:
    """Consecutive cues of one speaker become one block."""

    def __init__(self, deadline: Deadline):
        self.found = BlockList(deadline)
        self.speaker: str | None = None
        self.parts: list[str] = []
        self.start: int | None = None
        self.end: int | None = None
        self.length = 0

    def cue(self, speaker: str | None, text: str, start: int, end: int) -> None:
        text = " ".join(text.split())
        if not text:
            return
        speaker = self.speaker if speaker is None else speaker
        if speaker != self.speaker or self.length + len(text) + 1 > MAX_BLOCK_CHARACTERS:
            self.flush()
            self.speaker, self.start = speaker, start
        self.parts.append(text)
        self.length += len(text) + 1
        self.end = end

    def flush(self) -> None:
        if self.parts:
            self.found.add(speaker=self.speaker or "", text=" ".join(self.parts), start_ms=self.start, end_ms=self.end)
        self.parts, self.length = [], 0

    def result(self, format: str) -> ParsedFile:
        self.flush()
        return self.found.result(format)


def parse_vtt(data: bytes, *, format: str, deadline: Deadline) -> ParsedFile:
    import webvtt
    from webvtt.errors import MalformedFileError

    text = decode_text(data)
    try:
        captions = webvtt.from_string(text).captions
    except (MalformedFileError, ValueError, IndexError) as exc:
        raise ImportFileRefused(NOT_A_TRANSCRIPT.format(kind="WebVTT", reason=str(exc)[:120] or "?")) from exc
    deadline.check()
    turns = _Turns(deadline)
    for caption in captions:
        start, end = caption.start_time.in_milliseconds(), caption.end_time.in_milliseconds()
        voice: str | None = None
        for line in caption.lines:
            if match := _VOICE.search(line):
                voice = " ".join(match.group(1).split())
            words = _TAG.sub("", line)
            speaker, words = (voice, words.strip()) if match else _speaker_and_text(words)
            turns.cue(speaker if speaker is not None else voice, words, start, end)
    return turns.result(format)


def parse_srt(data: bytes, *, format: str, deadline: Deadline) -> ParsedFile:
    import pysrt

    text = decode_text(data)
    try:
        subtitles = pysrt.from_string(text, error_handling=pysrt.SubRipFile.ERROR_RAISE)
    except (pysrt.Error, ValueError, IndexError) as exc:
        raise ImportFileRefused(NOT_A_TRANSCRIPT.format(kind="SubRip", reason=str(exc)[:120] or "?")) from exc
    deadline.check()
    turns = _Turns(deadline)
    for item in subtitles:
        speaker, words = _speaker_and_text(_TAG.sub("", item.text))
        turns.cue(speaker, words, item.start.ordinal, item.end.ordinal)
    return turns.result(format)
