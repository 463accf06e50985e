"""Audit entries and deletion records made before they carried a program id get one, and the short
names programs gave up before names were retired are retired now.

An entry's short name is the one its program had at the time, so a slug alone is ambiguous once a
program was renamed (its old entries carry the old name) or a new program took a name another had
used. The history is in the log itself: every create, edit and purge of a program is an entry about
the program (object_type "programs.program", object_id its id), and an edit that changed the short
name carries {"values": {"slug": {"old": ..., "new": ...}}}. From it each program gets the spans in
which it held each name (an existing program from its creation, a deleted one from its first entry),
and an entry goes to the program that took its name most recently before the entry was made. An entry
before any span of its name is left without an id unless the name's first holder is a deleted
program, whose real start the log may not show; an existing program never gets an entry made before
it existed, so a program that reused a name does not inherit the old holder's entries.

This lives in programs/ (not audit/, which knows nothing of programs) and writes through the models'
plain base manager: the log is append-only, and this one-time fill is the only update it gets.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import migrations

PROGRAM_TYPE = "programs.program"
CHUNK = 500


@dataclass(frozen=True)
class Claim:
    """Program `program_id` took the short name `slug` at `since`."""

    slug: str
    program_id: int
    since: dt.datetime
    program_exists: bool


def _rename(detail) -> tuple[str, str] | None:
    """(old, new) when the entry's detail says the short name changed."""
    values = detail.get("values") if isinstance(detail, dict) else None
    slug = values.get("slug") if isinstance(values, dict) else None
    if isinstance(slug, dict) and slug.get("old") and slug.get("new") and slug["old"] != slug["new"]:
        return slug["old"], slug["new"]
    return None


def claims_from(*, programs: list[tuple[int, str, dt.datetime]],
                program_events: list[tuple[int, str, dt.datetime, dict]]) -> dict[str, list[Claim]]:
    """Who held which short name from when. `programs` are (id, slug now, created_at) of the existing
    programs; `program_events` are (program id, slug at the time, created_at, detail) of the entries
    about a program, in any order."""
    existing = {pk: (slug, created) for pk, slug, created in programs}
    by_program: dict[int, list[tuple[str, dt.datetime, dict]]] = {}
    for pk, slug, at, detail in program_events:
        by_program.setdefault(pk, []).append((slug, at, detail))
    claims: dict[str, list[Claim]] = {}

    def claim(slug: str, pk: int, since: dt.datetime) -> None:
        claims.setdefault(slug, []).append(Claim(slug, pk, since, pk in existing))

    for pk in set(existing) | set(by_program):
        events = sorted(by_program.get(pk, []), key=lambda event: event[1])
        renames = [(at, *names) for _slug, at, detail in events if (names := _rename(detail))]
        if pk in existing:
            first_slug = renames[0][1] if renames else existing[pk][0]
            start = existing[pk][1]
        else:
            first_slug = renames[0][1] if renames else events[0][0]
            start = events[0][1]
        if first_slug:
            claim(first_slug, pk, start)
        for at, _old, new in renames:
            claim(new, pk, at)
    for held in claims.values():
        held.sort(key=lambda c: c.since)
    return claims


def program_at(claims: dict[str, list[Claim]], slug: str, at: dt.datetime) -> int | None:
    """The program that had `slug` at `at`, or None when the log cannot say."""
    held = claims.get(slug)
    if not slug or not held:
        return None
    before = [c for c in held if c.since <= at]
    if before:
        return before[-1].program_id
    return None if held[0].program_exists else held[0].program_id


def _fill(model, claims: dict[str, list[Claim]]) -> None:
    wanted: dict[int, list[int]] = {}
    rows = model._base_manager.filter(program_id__isnull=True).exclude(program_slug="")
    for pk, slug, at in rows.values_list("pk", "program_slug", "created_at").iterator():
        program_id = program_at(claims, slug, at)
        if program_id is not None:
            wanted.setdefault(program_id, []).append(pk)
    for program_id, pks in wanted.items():
        for i in range(0, len(pks), CHUNK):
            model._base_manager.filter(pk__in=pks[i:i + CHUNK]).update(program_id=program_id)


def fill_program_ids(apps, schema_editor) -> None:
    Program = apps.get_model("programs", "Program")
    RetiredSlug = apps.get_model("programs", "RetiredSlug")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    DeletionRecord = apps.get_model("audit", "DeletionRecord")
    programs = list(Program._base_manager.values_list("pk", "slug", "created_at"))
    events = [(int(object_id), slug, at, detail) for object_id, slug, at, detail in
              AuditEvent._base_manager.filter(object_type=PROGRAM_TYPE)
              .values_list("object_id", "program_slug", "created_at", "detail").iterator()
              if object_id.isdigit()]
    claims = claims_from(programs=programs, program_events=events)
    _fill(AuditEvent, claims)
    _fill(DeletionRecord, claims)
    # Every short name the log knows that no program has now was given up: retire it.
    in_use = {slug for _pk, slug, _created in programs}
    logged = (set(AuditEvent._base_manager.exclude(program_slug="").values_list("program_slug", flat=True))
              | set(DeletionRecord._base_manager.exclude(program_slug="").values_list("program_slug", flat=True))
              | set(claims))
    RetiredSlug._base_manager.bulk_create(
        [RetiredSlug(slug=slug, program_id=claims[slug][-1].program_id if slug in claims else None)
         for slug in sorted(logged - in_use)], ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ("programs", "0003_retiredslug"),
        ("audit", "0004_program_id"),
    ]

    operations = [
        migrations.RunPython(fill_program_ids, migrations.RunPython.noop),
    ]
