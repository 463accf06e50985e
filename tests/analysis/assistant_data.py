"""What the coding-assistant tests share: notes about noise and about time, coded enough to learn from."""

from __future__ import annotations

import uuid

import pytest
from django.db import transaction

from analysis.assistant import retrain
from analysis.coding import apply_code
from interviews.models import Note, NoteKind, NoteStep

NOISE = [
    "The cafeteria is so loud I can't hear my friends talk",
    "Lunch is really noisy, everyone is yelling",
    "It's too loud in the hallways between classes",
    "The noise in the lunchroom gives me a headache",
    "People scream in the cafeteria and it is loud",
    "I eat outside because inside is too noisy",
    "The gym is loud and echoes all the time",
    "Too much noise at lunch, I can't think",
    "La cafetería es muy ruidosa y no escucho nada",
    "The loud bell and the shouting stress me out",
    "Everyone is loud in the lunch line",
    "Noisy classrooms make it hard to focus",
]
TIME = [
    "We only get twenty minutes for lunch, not enough time",
    "I never have time to finish my homework",
    "Passing period is too short to get to my locker",
    "There is no time to eat before the bell rings",
    "I run out of time on every test",
    "The schedule is rushed and I am always late",
    "No hay tiempo para comer en el almuerzo",
    "Five minutes between classes is not enough time",
    "I wish we had more time for projects",
    "Homework takes all my time after school",
    "Lunch is short and the line takes forever",
    "Class ends before I finish, never enough time",
]
UNCODED_NOISE = ["The cafeteria is loud and noisy every day", "So much yelling and noise in the hallway"]
UNCODED_TIME = ["Not enough time to eat lunch, it is rushed", "I need more time between classes"]


@pytest.fixture
def taught(coded):
    """Eight notes coded Noise and eight coded Time by the analyst; four more of each coded by the lead; and
    four uncoded notes, two of each kind."""
    analyst = coded.team.analyst
    Note.objects.filter(session=coded.session).delete()
    students = coded.students

    def note(text, i):
        return Note.objects.create(id=uuid.uuid4(), session=coded.session, step=NoteStep.QUESTION, student=students[i],
                                   kind=NoteKind.STUDENT, text=text)

    noise = [note(t, i) for i, t in enumerate(NOISE)]
    time = [note(t, 12 + i) for i, t in enumerate(TIME)]
    uncoded = [note(t, i) for i, t in enumerate(UNCODED_NOISE)] + [note(t, 12 + i) for i, t in enumerate(UNCODED_TIME)]
    with transaction.atomic():  # as one change: where commits are real (browser tests), one training follows
        for notes, code in ((noise, coded.codes["Noise"]), (time, coded.codes["Time"])):
            for n in notes[:8]:
                apply_code(note=n, code=code, coder=analyst)
            for n in notes[8:]:
                apply_code(note=n, code=code, coder=coded.team.lead)
    coded.noise, coded.time, coded.uncoded = noise, time, uncoded
    return coded


def ready(coded):
    """What the Celery task does: the queued training, then proposals."""
    return retrain(program_id=coded.team.program.pk)
