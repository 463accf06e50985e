from __future__ import annotations

import pytest
from django.test import RequestFactory

from audit.log import record
from audit.models import AppendOnlyError, AuditAction, AuditEvent
from tests.factories import ProgramFactory, StudentFactory, UserFactory


def test_record_keeps_who_what_which_when_and_where(db):
    user = UserFactory(username="ana")
    student = StudentFactory()
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="Tablet")
    request.user = user
    program = ProgramFactory(slug="p1")
    event = record(action=AuditAction.VIEW_STUDENT_NAMES, request=request, obj=student, program=program,
                   detail={"count": 40})
    event.refresh_from_db()
    assert event.actor == user and event.actor_username == "ana"
    assert event.action == AuditAction.VIEW_STUDENT_NAMES
    assert event.object_type == "participants.student" and event.object_id == str(student.pk)
    assert event.object_label == student.pseudonym
    assert event.ip_address == "10.1.2.3" and event.user_agent == "Tablet"
    assert event.created_at is not None and event.detail == {"count": 40}
    assert event.program_id == program.pk and event.program_slug == "p1"  # found by id, labelled by the name


def test_the_label_never_holds_a_student_name(db):
    student = StudentFactory(first_name="Zelda", last_name="Quartermaine")
    event = record(action=AuditAction.EXPORT, obj=student)
    assert "Zelda" not in event.object_label and "Quartermaine" not in event.object_label


def test_events_cannot_be_changed_or_deleted(db):
    event = record(action=AuditAction.EXPORT, actor=UserFactory())
    event.object_label = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(object_label="tampered")
    assert AuditEvent.objects.get().object_label == ""


def test_username_survives_the_account(db):
    user = UserFactory(username="leaver")
    event = record(action=AuditAction.DOWNLOAD_REPORT, actor=user)
    user.delete()
    event.refresh_from_db()
    assert event.actor is None and event.actor_username == "leaver"


def test_an_events_detail_reads_as_words(db):
    from audit.log import record
    from audit.models import AuditAction

    event = record(action=AuditAction.DELETE, detail={"notes_emptied": 6, "programs": ["a", "b"]})
    assert event.detail_display == "notes emptied: 6; programs: a, b"
