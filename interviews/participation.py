"""Who has spoken: per question and across the session, from the notes themselves."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from interviews.models import Note, NoteKind

SPOKEN_KINDS = (NoteKind.STUDENT,)


@dataclass(frozen=True)
class Share:
    student_id: int
    notes: int
    percent: float


def spoken_counts(notes: list[Note], *, question_id: int | None = None) -> Counter:
    """How many notes of each student's own words, for one question or the whole session."""
    return Counter(
        note.student_id for note in notes
        if note.kind in SPOKEN_KINDS and note.student_id is not None and note.text.strip()
        and (question_id is None or note.question_id == question_id)
    )


def not_yet_spoken(student_ids: list[int], notes: list[Note], *, question_id: int) -> list[int]:
    counts = spoken_counts(notes, question_id=question_id)
    return [student for student in student_ids if counts[student] == 0]


def session_shares(student_ids: list[int], notes: list[Note]) -> list[Share]:
    counts = spoken_counts(notes)
    total = sum(counts.values())
    return [Share(s, counts[s], round(100 * counts[s] / total, 1) if total else 0.0) for s in student_ids]
