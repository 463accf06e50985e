from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from django.utils import timezone

from analysis.codebook import add_code, seed_categories
from interviews.models import (
    ConsentStatus,
    Invitation,
    Note,
    NoteKind,
    NoteStep,
    Session,
    SessionFormat,
    SessionStatus,
)
from tests.factories import SchoolFactory, StudentFactory, ready_protocol


@dataclass
class Coded:
    team: object
    session: Session
    students: list
    notes: list
    codes: dict


@pytest.fixture
def coded(team):
    """A completed focus group of 24 students (grades 9 and 10, some English learners), one note each."""
    program = team.program
    program.suppression_threshold = 5
    program.save()
    protocol = ready_protocol(program)
    school = SchoolFactory(name="Lincoln High")
    session = Session.objects.create(program=program, format=SessionFormat.FOCUS_GROUP, protocol=protocol,
                                     starts_at=timezone.now(), facilitator=team.facilitator, status=SessionStatus.COMPLETED)
    students = [StudentFactory(school=school, grade=9 if i < 16 else 10, english_learner=i % 4 == 0) for i in range(24)]
    session.participants.set(students)
    question = protocol.questions.first()
    notes = []
    for i, student in enumerate(students):
        Invitation.objects.create(program=program, student=student, parent_consent=ConsentStatus.GRANTED,
                                  student_assent=ConsentStatus.GRANTED)
        notes.append(Note.objects.create(id=uuid.uuid4(), session=session, step=NoteStep.QUESTION, question=question,
                                         student=student, kind=NoteKind.STUDENT,
                                         text=f"Student {i}: the cafeteria is loud and lunch is short."))
    categories = seed_categories(program)
    codes = {name: add_code(program, category=categories[i % 3], name=name)
             for i, name in enumerate(["Noise", "Time", "Belonging", "Safety"])}
    return Coded(team, session, students, notes, codes)
