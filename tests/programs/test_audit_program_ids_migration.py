"""The data migration gives entries made before audit entries carried a program id the program they
were made in, reading renames from the log, and retires the short names no program has now."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from audit.models import AuditAction, AuditEvent, DeletionRecord
from programs.models import Program, RetiredSlug
from tests.factories import ProgramFactory

migration = importlib.import_module("programs.migrations.0004_audit_program_ids")
T0 = timezone.make_aware(dt.datetime(2026, 1, 5, 9, 0))


def day(n: int) -> dt.datetime:
    return T0 + dt.timedelta(days=n)


def old_entry(slug: str, at: dt.datetime, **fields) -> AuditEvent:
    """An entry as the code before program ids wrote it: a slug and no id, made at `at`."""
    event = AuditEvent.objects.create(action=fields.pop("action", AuditAction.VIEW_STUDENT_NAMES), program_slug=slug, **fields)
    AuditEvent._base_manager.filter(pk=event.pk).update(created_at=at)
    return event


def made_on(program: Program, at: dt.datetime) -> Program:
    Program.objects.filter(pk=program.pk).update(created_at=at)
    return program


def rename_entry(program_id: int, old: str, new: str, at: dt.datetime) -> AuditEvent:
    return old_entry(new, at, action=AuditAction.CHANGE_PROGRAM, object_type="programs.program", object_id=str(program_id),
                     detail={"change": "edited", "fields": ["slug"], "values": {"slug": {"old": old, "new": new}}})


@pytest.fixture
def historical_apps(db):
    """The models as the migration sees them (plain managers), on the test database's tables."""
    return MigrationExecutor(connection).loader.project_state(("programs", "0004_audit_program_ids")).apps


def test_entries_go_to_the_program_that_had_their_short_name_when_they_were_made(historical_apps):
    # Renamed from "old-name" on day 2; "old-name" was then taken by another program on day 4, as the
    # code before retired names allowed; a third program was deleted, leaving entries and a deletion record.
    renamed = made_on(ProgramFactory(slug="new-name"), day(0))
    reused = made_on(ProgramFactory(slug="old-name"), day(4))
    before_rename = old_entry("old-name", day(1))
    rename = rename_entry(renamed.pk, "old-name", "new-name", day(2))
    after_rename = old_entry("new-name", day(3))
    of_the_reuser = old_entry("old-name", day(5))
    gone_id = Program.objects.order_by("-pk").first().pk + 100
    gone_created = old_entry("gone", day(1), action=AuditAction.CHANGE_PROGRAM, object_type="programs.program",
                             object_id=str(gone_id), detail={"change": "created", "fields": ["slug"]})
    of_the_gone = old_entry("gone", day(2))
    deletion = DeletionRecord.objects.create(reason=DeletionRecord.Reason.STUDENT_REQUEST, subject="Quiet Heron 7",
                                             program_slug="gone")
    DeletionRecord._base_manager.filter(pk=deletion.pk).update(created_at=day(3))
    unknown = old_entry("mystery", day(1))
    roster = old_entry("", day(1))
    already = AuditEvent.objects.create(action=AuditAction.EXPORT, program_slug="old-name", program_id=renamed.pk)

    migration.fill_program_ids(historical_apps, None)

    def program_of(row):
        return type(row)._base_manager.get(pk=row.pk).program_id

    assert [program_of(e) for e in (before_rename, rename, after_rename)] == [renamed.pk] * 3
    assert program_of(of_the_reuser) == reused.pk  # not the renamed program's, and it gets none of those
    assert program_of(gone_created) == program_of(of_the_gone) == program_of(deletion) == gone_id
    assert program_of(unknown) is None and program_of(roster) is None
    assert program_of(already) == renamed.pk
    # Short names no program has now are retired: the deleted program's and the one nobody can place.
    assert dict(RetiredSlug.objects.values_list("slug", "program_id")) == {"gone": gone_id, "mystery": None}


def test_a_program_gets_no_entry_made_before_it_existed(historical_apps):
    # "shared" belonged to a program deleted before the log said who it was; a new program took it later.
    earlier = old_entry("shared", day(1))
    newcomer = made_on(ProgramFactory(slug="shared"), day(3))
    later = old_entry("shared", day(4))
    migration.fill_program_ids(historical_apps, None)
    assert AuditEvent._base_manager.get(pk=earlier.pk).program_id is None
    assert AuditEvent._base_manager.get(pk=later.pk).program_id == newcomer.pk


def test_the_fill_is_a_plain_function_of_the_history():
    claims = migration.claims_from(
        programs=[(1, "c", day(0))],
        program_events=[(1, "b", day(2), {"values": {"slug": {"old": "a", "new": "b"}}}),
                        (1, "c", day(4), {"values": {"slug": {"old": "b", "new": "c"}}}),
                        (1, "c", day(5), {"change": "edited", "fields": []})])
    assert [migration.program_at(claims, slug, day(n)) for slug, n in (("a", 1), ("b", 3), ("c", 6))] == [1, 1, 1]
    assert migration.program_at(claims, "a", day(-1)) is None and migration.program_at(claims, "z", day(1)) is None
