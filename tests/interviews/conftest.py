"""Fixtures of the interviews tests."""

from __future__ import annotations

import pytest
from django.utils import timezone

from interviews.models import Session, SessionFormat, SessionStatus
from tests.factories import StudentFactory, UserFactory, ready_protocol
from tests.interviews.note_import_files import QUESTIONS


@pytest.fixture
def import_session(team, settings, tmp_path):
    """An in-progress focus group of three students; uploads are stored under a temporary media folder."""
    settings.MEDIA_ROOT = tmp_path
    protocol = ready_protocol(team.program)
    for question, text in zip(protocol.questions.all(), QUESTIONS, strict=True):
        question.text = text
        question.save()
    note_taker = UserFactory(username="note-taker", first_name="Zed", last_name="Scribe")
    session = Session.objects.create(program=team.program, format=SessionFormat.FOCUS_GROUP, protocol=protocol,
                                     starts_at=timezone.now(), facilitator=team.facilitator, note_taker=note_taker,
                                     status=SessionStatus.IN_PROGRESS)
    session.participants.set([StudentFactory(first_name="Ana", last_name="Zorrilla"),
                              StudentFactory(first_name="Ben", last_name="Ortiz"),
                              StudentFactory(first_name="Carla", last_name="Cruz")])
    return session
