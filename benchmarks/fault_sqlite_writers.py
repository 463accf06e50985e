"""SQLite (the embedded default) under concurrent writers: 10 processes write and edit notes for
60 s through the same domain function the autosave endpoint uses, on one database file in WAL mode
with the busy timeout and IMMEDIATE transactions from settings. The bar: no "database is locked"
error at all, and every acknowledged note stored with its last text.

Run: .venv/bin/python benchmarks/fault_sqlite_writers.py [--writers 10] [--seconds 60]
The database is a scratch file in a temporary folder; every loop stops after --seconds.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import random
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _django(database_url: str) -> None:
    os.environ.update(DATABASE_URL=database_url, DEBUG="true", DJANGO_SETTINGS_MODULE="empathy.settings")
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare(database_url: str, writers: int) -> list[dict]:
    _django(database_url)
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from interviews.models import Protocol, Question, Session, SessionFormat, SessionStatus
    from participants.models import School, Student
    from programs.models import Membership, Program, Role

    call_command("migrate", verbosity=0)
    school = School.objects.create(code="SQL", name="SQLite High")
    program = Program.objects.create(slug="sqlite", name="SQLite", theme="Locks", starts_on=dt.date(2026, 1, 1),
                                     ends_on=dt.date(2026, 12, 31))
    protocol = Protocol.objects.create(program=program, version=1, marked_ready=True)
    question = Question.objects.create(protocol=protocol, position=1, text="Tell me about lunch.")
    setups = []
    for i in range(writers):
        user = get_user_model().objects.create(username=f"writer{i}")
        Membership.objects.create(program=program, user=user, role=Role.FACILITATOR)
        session = Session.objects.create(program=program, format=SessionFormat.FOCUS_GROUP, protocol=protocol,
                                         facilitator=user, starts_at=timezone.now(), status=SessionStatus.IN_PROGRESS)
        students = [Student.objects.create(local_id=f"S{i}-{k}", first_name="S", last_name=str(k), school=school, grade=9)
                    for k in range(4)]
        session.participants.set(students)
        setups.append({"user": user.pk, "session": session.pk, "question": question.pk, "students": [s.pk for s in students]})
    return setups


def writer(database_url: str, setup: dict, start_at: float, seconds: float, queue) -> None:
    _django(database_url)
    from django.contrib.auth import get_user_model
    from django.db import OperationalError

    from interviews.models import Note, Session
    from interviews.notes import NoteWrite, notes_since, save_note

    user = get_user_model().objects.get(pk=setup["user"])
    session = Session.objects.get(pk=setup["session"])
    rng = random.Random(setup["session"])
    latencies, locked, other_errors, reads = [], 0, [], 0
    versions: dict[str, int] = {}
    final_text: dict[str, str] = {}
    while time.time() < start_at:
        time.sleep(0.01)
    deadline = start_at + seconds
    sent = 0
    while time.time() < deadline:
        editing = bool(versions) and rng.random() < 0.4
        note_id = rng.choice(list(versions)) if editing else str(uuid.uuid4())
        text = f"writer {setup['user']} note {note_id[:8]} edit {sent}"
        write = NoteWrite.from_json({"id": note_id, "version": versions.get(note_id, 0), "step": "question",
                                     "question": setup["question"], "student": rng.choice(setup["students"]),
                                     "kind": "student", "text": text})
        started = time.perf_counter()
        try:
            result = save_note(session=session, write=write, user=user)
            versions[note_id] = result.note.version
            final_text[note_id] = text
            sent += 1
            if rng.random() < 0.3:  # the runner polls for others' notes between writes
                notes_since(session, None)
                reads += 1
        except OperationalError as error:
            if "locked" in str(error):
                locked += 1
            else:
                other_errors.append(str(error)[:200])
        latencies.append(time.perf_counter() - started)
    stored = dict(Note.objects.filter(session=session).values_list("id", "text"))
    lost = sum(1 for note_id, text in final_text.items() if stored.get(uuid.UUID(note_id)) != text)
    queue.put({"writes": sent, "reads": reads, "locked": locked, "other_errors": other_errors, "lost": lost,
               "latencies": latencies})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writers", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="sqlite-writers-"))
    database_url = f"sqlite:///{scratch / 'db.sqlite3'}"
    try:
        spawn = multiprocessing.get_context("spawn")
        with spawn.Pool(1) as pool:  # migrate in a fresh process: this one never touches Django
            setups = pool.apply(prepare, (database_url, args.writers))
        queue = spawn.Queue()
        start_at = time.time() + 8  # every writer has set Django up before the clock starts
        processes = [spawn.Process(target=writer, args=(database_url, setup, start_at, args.seconds, queue))
                     for setup in setups]
        for process in processes:
            process.start()
        results = [queue.get(timeout=args.seconds + 120) for _ in processes]
        for process in processes:
            process.join(timeout=30)
        latencies = sorted(x for r in results for x in r["latencies"])
        figures = {
            "benchmark": "fault_sqlite_writers", "machine": f"{platform.machine()} {os.cpu_count()} cores",
            "writers": args.writers, "seconds": args.seconds,
            "writes": sum(r["writes"] for r in results), "reads": sum(r["reads"] for r in results),
            "writes_per_s": round(sum(r["writes"] for r in results) / args.seconds, 1),
            "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1) if latencies else None,
            "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 1) if latencies else None,
            "max_ms": round(latencies[-1] * 1000, 1) if latencies else None,
            "database_is_locked": sum(r["locked"] for r in results),
            "other_errors": sum(len(r["other_errors"]) for r in results),
            "lost": sum(r["lost"] for r in results),
        }
        figures["passed"] = figures["database_is_locked"] == 0 and figures["other_errors"] == 0 and figures["lost"] == 0
        for r in results:
            for error in r["other_errors"][:3]:
                print("error:", error)
        print(json.dumps(figures))
        sys.exit(0 if figures["passed"] else 1)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
