"""Full-text search benchmark (issue 18): analysis.search.search_notes on SQLite FTS5 and on PostgreSQL.

SQLite: 50,000 notes in 5 programs (10,000 each) in a throwaway database file. PostgreSQL: 50 programs,
200,000 notes (4,000 each). Notes are 8 to 30 words drawn from an English and Spanish vocabulary with
accents; 5% hold the phrase "too loud". Filled with bulk_create in batches (the SQLite triggers and the
PostgreSQL GIN index are maintained as the rows go in, as in use).

Each case is run --runs times after one warm-up; p50 and p95:
1. search, word + two filters: the workbench's own query (analysis/workbench.py workbench_notes) for one
   program, searched for "cafe" (which must find "café"), filtered by school and grade: its count and its
   first page of 25 notes with their codings, as the Paginator asks (bar: p95 < 150 ms);
2. search, phrase + two filters: the same for "too loud" (bar: p95 < 300 ms);
3. search, prefix across every program: `lunch*` over all completed notes, count and first 25;
4. the workbench page itself for case 1, through Django's test client signed in (middleware, sessions,
   template, the progress bar and filters that the page computes whatever is searched).

Run:
  .venv/bin/python benchmarks/search.py --database sqlite            [--notes 50000 --programs 5]
  .venv/bin/python benchmarks/search.py --database postgres          [--notes 200000 --programs 50 --pg-port 8812]
With --database postgres and DATABASE_URL set it fills that database (a scratch one: its bench-search-*
programs are replaced); without DATABASE_URL it starts a throwaway PostgreSQL on 127.0.0.1:--pg-port in a
temporary folder (as the `postgres` user when run as root) and removes it afterwards.
The figures are printed as they come and as one JSON line last.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = ("lunch lunches lunchroom cafeteria café loud quiet teacher help stress friends club tutoring bus homework "
         "counselor line safe library recess grades test belong respect phone rules hallway lockers schedule mañana "
         "comedor ruido profesora ayuda amigos tarea autobús seguro corazón niño según también").split()
PHRASE = "too loud"
PAGE = 25


@contextmanager
def sqlite_database():
    folder = Path(tempfile.mkdtemp(prefix="search-bench-"))
    try:
        yield f"sqlite:///{folder / 'bench.sqlite3'}"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def postgres_database(port: int):
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        yield os.environ["DATABASE_URL"]
        return
    folder = Path(tempfile.mkdtemp(prefix="search-bench-pg-"))
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_user:
        subprocess.run(["id", "-u", "postgres"], check=True, stdout=subprocess.DEVNULL)
        shutil.chown(folder, "postgres")
    data = folder / "data"
    subprocess.run([*as_user, "initdb", "-D", str(data), "-U", "bench", "--auth=trust", "--encoding=UTF8"], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([*as_user, "pg_ctl", "-D", str(data), "-l", str(folder / "log"), "-w", "-o",
                    f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off", "start"], check=True,
                   stdout=subprocess.DEVNULL)
    try:
        subprocess.run(["createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "bench", "bench"], check=True)
        yield f"postgres://bench@127.0.0.1:{port}/bench"
    finally:
        subprocess.run([*as_user, "pg_ctl", "-D", str(data), "-m", "fast", "stop"], stdout=subprocess.DEVNULL)
        shutil.rmtree(folder, ignore_errors=True)


def fill(*, programs: int, notes: int) -> dict:
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from interviews.models import Note, NoteKind, NoteStep, Protocol, Question, Session, SessionFormat, SessionStatus
    from participants.models import School, Student
    from programs.models import Membership, Program, Role
    from recruitment.models import ConsentStatus, Invitation

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    rng = random.Random(18)
    Note.objects.filter(session__program__slug__startswith="bench-search-").delete()  # notes protect questions
    Program.objects.filter(slug__startswith="bench-search-").delete()
    Student.objects.filter(local_id__startswith="BS").delete()
    schools = [School.objects.get_or_create(code=f"BS{i}", defaults={"name": f"Search School {i}"})[0] for i in range(4)]
    analyst, _ = get_user_model().objects.get_or_create(username="bench-search-analyst")
    per_program, students_per_program = notes // programs, 200
    started = time.perf_counter()
    for p in range(programs):
        program = Program.objects.create(slug=f"bench-search-{p:02d}", name=f"Search program {p:02d}", theme="Load",
                                         starts_on=dt.date(2026, 1, 10), ends_on=dt.date(2026, 12, 20))
        program.schools.add(*schools)
        if p == 0:
            Membership.objects.create(program=program, user=analyst, role=Role.ANALYST)
        protocol = Protocol.objects.create(program=program, version=1, marked_ready=True)
        questions = [Question.objects.create(protocol=protocol, position=i + 1, text=f"Tell me about moment {i + 1}.")
                     for i in range(6)]
        students = Student.objects.bulk_create([
            Student(local_id=f"BS{p:02d}{i:04d}", first_name="Bench", last_name=f"{p}-{i}", pseudonym=f"Search {p}-{i}",
                    school=schools[i % len(schools)], grade=9 + (i // 4) % 4) for i in range(students_per_program)])
        Invitation.objects.bulk_create([
            Invitation(program=program, student=student, parent_consent=ConsentStatus.GRANTED,
                       student_assent=ConsentStatus.WITHDRAWN if i % 50 == 0 else ConsentStatus.GRANTED)
            for i, student in enumerate(students)])
        sessions = [Session.objects.create(program=program, format=SessionFormat.FOCUS_GROUP, protocol=protocol,
                                           facilitator=analyst, status=SessionStatus.COMPLETED,
                                           starts_at=timezone.make_aware(dt.datetime(2026, 3, 1 + s % 28, 10)))
                    for s in range(20)]
        for s in sessions:
            s.participants.set(students[:40])
        batch = []
        for n in range(per_program):
            words = rng.choices(WORDS, k=rng.randint(8, 30))
            if rng.random() < 0.05:
                words.insert(rng.randrange(len(words)), PHRASE)
            batch.append(Note(id=uuid.uuid4(), session=sessions[n % len(sessions)], step=NoteStep.QUESTION,
                              question=questions[n % len(questions)], student=students[n % students_per_program],
                              kind=NoteKind.STUDENT, text=" ".join(words)))
            if len(batch) == 2000:
                Note.objects.bulk_create(batch)
                batch = []
        Note.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"fill_seconds": round(time.perf_counter() - started, 1), "school": schools[0].pk, "grade": 10,
            "analyst": analyst.pk, "slug": "bench-search-00"}


def timed(run, runs: int) -> dict:
    run()
    latencies = []
    for _ in range(runs):
        begin = time.perf_counter()
        run()
        latencies.append(time.perf_counter() - begin)
    latencies.sort()
    return {"p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
            "p95_ms": round(latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))] * 1000, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--programs", type=int)
    parser.add_argument("--notes", type=int)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--pg-port", type=int, default=8812)
    args = parser.parse_args()
    sqlite = args.database == "sqlite"
    programs = args.programs or (5 if sqlite else 50)
    notes = args.notes or (50_000 if sqlite else 200_000)
    static = Path(tempfile.mkdtemp(prefix="search-bench-static-"))
    database = sqlite_database() if sqlite else postgres_database(args.pg_port)
    with database as database_url:
        os.environ.update({"DATABASE_URL": database_url, "DEBUG": "false", "SECRET_KEY": "benchmark-" + "k" * 50,
                           "ALLOWED_HOSTS": "testserver", "SECURE_SSL_REDIRECT": "false",
                           "SECURE_HSTS_SECONDS": "0", "BEHIND_HTTPS_PROXY": "false",
                           "DJANGO_SETTINGS_MODULE": "empathy.settings", "STATIC_ROOT": str(static)})
        os.environ.pop("REDIS_URL", None)
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.core.paginator import Paginator
        from django.db import connection
        from django.test import Client

        from analysis.search import search_notes
        from analysis.workbench import WorkbenchFilters, workbench_notes
        from interviews.models import Note, SessionStatus
        from programs.models import Program

        call_command("collectstatic", interactive=False, verbosity=0)
        filled = fill(programs=programs, notes=notes)
        program = Program.objects.get(slug=filled["slug"])

        def first_page(queryset) -> tuple[int, int]:
            page = Paginator(queryset, PAGE).get_page(1)
            return page.paginator.count, len(list(page.object_list))

        found = {}

        def workbench_search(query):
            def run():
                filters = WorkbenchFilters(query=query, school=filled["school"], grade=filled["grade"])
                found[query] = first_page(workbench_notes(program, filters))
            return run

        def everywhere():
            found["lunch*"] = first_page(search_notes(notes=Note.objects.filter(session__status=SessionStatus.COMPLETED),
                                                      query="lunch*").order_by("-created_at", "id"))

        client = Client()
        client.force_login(get_user_model().objects.get(pk=filled["analyst"]))
        workbench = f"/programs/{filled['slug']}/analysis/workbench/"

        def page():
            response = client.get(workbench, {"q": "cafe", "school": filled["school"], "grade": filled["grade"]})
            assert response.status_code == 200, response.status_code

        figures = {}
        for name, run in (("word_two_filters", workbench_search("cafe")), ("phrase_two_filters",
                                                                           workbench_search(f'"{PHRASE}"')),
                          ("prefix_every_program", everywhere), ("workbench_page_word_two_filters", page)):
            figures[name] = timed(run, args.runs)
            print(f"{name}: {figures[name]}", flush=True)
        figures["found"] = {query: {"count": count, "page": size} for query, (count, size) in found.items()}
        print(f"found: {figures['found']}", flush=True)
        word_ok = figures["word_two_filters"]["p95_ms"] < 150
        phrase_ok = figures["phrase_two_filters"]["p95_ms"] < 300
        result = {"benchmark": "search", "database": connection.vendor,
                  "sqlite_version" if sqlite else "server_version":
                      __import__("sqlite3").sqlite_version if sqlite else connection.pg_version,
                  "programs": programs, "notes": Note.objects.count(), **filled, **figures,
                  "bar_word_ms": 150, "bar_phrase_ms": 300, "word_ok": word_ok,
                  "phrase_ok": phrase_ok if not sqlite else None}
        print(json.dumps(result))
    shutil.rmtree(static, ignore_errors=True)


if __name__ == "__main__":
    main()
