"""The workbench's progress (notes with at least one code, overall and per session) is counted in the
database: the same queries for one session or several, whatever the number of notes."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from analysis.coding import apply_code
from analysis.workbench import progress
from interviews.models import Note, NoteKind, NoteStep, Session, SessionFormat, SessionStatus


def another_session(coded, notes: int) -> Session:
    first = coded.session
    session = Session.objects.create(program=first.program, format=SessionFormat.FOCUS_GROUP, protocol=first.protocol,
                                     starts_at=timezone.now() + dt.timedelta(days=1),
                                     facilitator=first.facilitator, status=SessionStatus.COMPLETED)
    session.participants.set(coded.students[:4])
    for i in range(notes):
        Note.objects.create(id=uuid.uuid4(), session=session, step=NoteStep.QUESTION, question=first.protocol.questions.first(),
                            student=coded.students[i % 4], kind=NoteKind.STUDENT, text=f"More words {i}")
    return session


def test_progress_counts_coded_notes_overall_and_per_session(coded):
    for note in coded.notes[:3]:
        apply_code(note=note, code=coded.codes["Noise"], coder=coded.team.analyst)
    apply_code(note=coded.notes[0], code=coded.codes["Time"], coder=coded.team.analyst)  # two codes: one note
    later = another_session(coded, 5)
    overall, rows = progress(coded.team.program)
    assert (overall.coded, overall.total, overall.percent) == (3, 29, 10)
    assert [(session.pk, p.coded, p.total) for session, p in rows] == [(coded.session.pk, 3, 24), (later.pk, 0, 5)]


def test_progress_costs_the_same_queries_for_one_session_or_several(coded):
    with CaptureQueriesContext(connection) as one:
        progress(coded.team.program)
    for _ in range(3):
        another_session(coded, 6)
    with CaptureQueriesContext(connection) as four:
        overall, rows = progress(coded.team.program)
    assert len(four.captured_queries) == len(one.captured_queries) and len(rows) == 4 and overall.total == 42
