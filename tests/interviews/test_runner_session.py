"""The runner's session read in plain SQL (interviews/runner_session.py) gives the same instances as the ORM:
every field of the session, its protocol and its program converted as the ORM converts them."""

from __future__ import annotations

import uuid

import pytest
from django.db.models import Count, Max
from django.utils import timezone

from interviews.models import Note, NoteKind, NoteStep, Session, SessionFormat, SessionStatus
from interviews.runner_session import runner_session
from programs.models import Role
from tests.factories import ready_protocol


@pytest.fixture
def session(team):
    protocol = ready_protocol(team.program)
    protocol.translations = {"es": {"purpose": "Propósito ñ"}}
    protocol.save()
    session = Session.objects.create(program=team.program, format=SessionFormat.FOCUS_GROUP, protocol=protocol,
                                     starts_at=timezone.now(), facilitator=team.facilitator, language="es",
                                     status=SessionStatus.IN_PROGRESS)
    for i in range(3):
        Note.objects.create(id=uuid.uuid4(), session=session, step=NoteStep.QUESTION, kind=NoteKind.OBSERVATION,
                            question=protocol.questions.first(), text=f"note {i}")
    return session


def fields(instance) -> dict:
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def test_the_same_session_protocol_and_program_as_the_orm(team, session):
    found = runner_session(user_id=team.facilitator.pk, slug=team.program.slug, pk=session.pk, version=True)
    expected = Session.objects.select_related("protocol", "program").get(pk=session.pk)
    assert fields(found) == fields(expected)
    assert fields(found.protocol) == fields(expected.protocol) and found.protocol.translations["es"]["purpose"] == "Propósito ñ"
    assert fields(found.program) == fields(expected.program)
    assert found.role == Role.FACILITATOR and timezone.is_aware(found.starts_at)
    version = Note.objects.filter(session=session).aggregate(count=Count("pk"), latest=Max("updated_at"))
    assert (found.notes_count, found.notes_latest) == (version["count"], version["latest"]) == (3, version["latest"])


def test_the_session_alone_reads_its_protocol_and_program_when_first_used(team, session,
                                                                          django_assert_num_queries):
    with django_assert_num_queries(1):
        found = runner_session(user_id=team.facilitator.pk, slug=team.program.slug, pk=session.pk, version=True,
                               joined=())
    expected = Session.objects.get(pk=session.pk)
    assert fields(found) == fields(expected) and (found.role, found.notes_count) == (Role.FACILITATOR, 3)
    with django_assert_num_queries(2):
        assert found.protocol.translations["es"]["purpose"] == "Propósito ñ" and found.program == team.program
    assert runner_session(user_id=team.facilitator.pk, slug="elsewhere", pk=session.pk, joined=()) is None


def test_no_session_for_another_program_a_missing_one_or_an_impossible_id(team, session):
    assert runner_session(user_id=team.facilitator.pk, slug="elsewhere", pk=session.pk) is None
    assert runner_session(user_id=team.facilitator.pk, slug=team.program.slug, pk=session.pk + 1000) is None
    assert runner_session(user_id=team.facilitator.pk, slug=team.program.slug, pk=2**70) is None


def test_the_role_is_none_off_the_team_and_the_version_is_zero_without_notes(team, session):
    assert runner_session(user_id=team.outsider.pk, slug=team.program.slug, pk=session.pk).role is None
    Note.objects.filter(session=session).delete()
    found = runner_session(user_id=team.lead.pk, slug=team.program.slug, pk=session.pk, version=True)
    assert (found.role, found.notes_count, found.notes_latest) == (Role.LEAD, 0, None)
