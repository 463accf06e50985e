"""The hot paths' plain SQL means what the ORM means: a guarded INSERT stores what save() would store, only
when its condition holds; an UPDATE of named fields stamps auto_now and sends the save signals."""

from __future__ import annotations

import uuid

import pytest
from django.db.models.signals import post_save
from django.utils import timezone

from interviews.models import Note, NoteKind, NoteStep, Session, SessionFormat, SessionStatus
from programs.models import Program
from tests.factories import ProgramFactory, StudentFactory, UserFactory, ready_protocol
from toolkit import sql_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def session():
    program = ProgramFactory()
    return Session.objects.create(program=program, format=SessionFormat.FOCUS_GROUP, protocol=ready_protocol(program),
                                  facilitator=UserFactory(), starts_at=timezone.now(), status=SessionStatus.IN_PROGRESS)


def new_note(session, **fields) -> Note:
    return Note(id=uuid.uuid4(), session=session, step=NoteStep.QUESTION, question=session.protocol.questions.first(),
                student=StudentFactory(), kind=NoteKind.STUDENT, text="Lunch is loud — ¿y qué?", **fields)


def test_an_insert_whose_condition_fails_stores_nothing(session):
    assert sql_rows.insert_where(new_note(session), where="1 = 0", params=[]) is False
    assert not Note.objects.exists()


def test_an_insert_stores_what_save_would_and_reads_back_the_same(session):
    note = new_note(session)
    assert sql_rows.insert_where(note, where="1 = %s", params=[1], on_conflict_do_nothing=True) is True
    stored = Note.objects.get(pk=note.pk)
    assert not note._state.adding
    assert [getattr(stored, f.attname) for f in Note._meta.concrete_fields] == [
        getattr(note, f.attname) for f in Note._meta.concrete_fields]
    assert stored.created_at is not None and stored.updated_at == note.updated_at


def test_an_insert_says_what_its_returning_expressions_were_worth_when_the_row_went_in(session):
    # Of another table than the one written: what a subquery of RETURNING sees of the row going in differs
    # (PostgreSQL reads the statement's snapshot, SQLite the row inserted).
    sessions = f"(SELECT COUNT(*) FROM {Session._meta.db_table} WHERE id = %s)"
    note = new_note(session)
    assert sql_rows.insert_where_returning(note, where="1 = %s", params=[1], returning=f"{sessions}, %s",
                                           returning_params=[session.pk, "asked"]) == (1, "asked")
    assert Note.objects.filter(pk=note.pk).exists() and not note._state.adding
    refused = new_note(session)
    assert sql_rows.insert_where_returning(refused, where="1 = 0", params=[], returning=sessions,
                                           returning_params=[session.pk]) is None
    assert not Note.objects.filter(pk=refused.pk).exists()


def test_the_same_id_again_is_skipped_with_on_conflict(session):
    note = new_note(session)
    sql_rows.insert_where(note, where="1 = 1", params=[], on_conflict_do_nothing=True)
    again = new_note(session)
    again.id = note.id
    assert sql_rows.insert_where(again, where="1 = 1", params=[], on_conflict_do_nothing=True) is False
    assert Note.objects.get().text == note.text


def test_an_autoincrement_key_comes_back_from_the_insert():
    program = Program(name="Plain", slug="plain", theme="t", starts_on=timezone.localdate(), ends_on=timezone.localdate())
    sql_rows.insert(program)
    assert program.pk is not None and Program.objects.get(pk=program.pk).name == "Plain"


def test_a_row_read_back_becomes_the_instance_the_orm_gives(session):
    note = new_note(session)
    note.save()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(sql_rows.columns(Note, 'n'))} FROM {Note._meta.db_table} n")
        made = sql_rows.instance(Note, "n", iter(cursor.fetchone()))
    read = Note.objects.get()
    assert [getattr(made, f.attname) for f in Note._meta.concrete_fields] == [
        getattr(read, f.attname) for f in Note._meta.concrete_fields]


def test_save_fields_writes_only_those_stamps_auto_now_and_sends_the_signals(session):
    note = new_note(session)
    note.save()
    before = note.updated_at
    heard = []

    def receiver(sender, instance, created, update_fields, **kwargs):
        heard.append((instance.pk, created, update_fields))

    post_save.connect(receiver, sender=Note, dispatch_uid="test_sql_rows")
    try:
        note.text, note.quote_worthy = "Lunch is short.", True
        sql_rows.save_fields(note, ["text", "updated_at"])
    finally:
        post_save.disconnect(dispatch_uid="test_sql_rows", sender=Note)
    stored = Note.objects.get()
    assert stored.text == "Lunch is short." and stored.quote_worthy is False  # only the named fields
    assert stored.updated_at > before
    assert heard == [(note.pk, False, frozenset({"text", "updated_at"}))]


def test_save_fields_of_a_row_that_is_gone_says_so(session):
    note = new_note(session)
    with pytest.raises(Note.DoesNotExist):
        sql_rows.save_fields(note, ["text"])
