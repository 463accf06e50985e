"""District repository benchmark (issue 18): 50 programs, 200,000 notes on PostgreSQL.

The page (/district/repository/, district/repository_views.py) is requested in-process through Django's test
client, signed in, with sessions, middleware and the template: what a gunicorn worker does for one request,
without the network. Each case is requested --runs times after one warm-up request; p50 and p95.

1. The first page, nothing typed, as a district administrator: the newest words of every program and the
   counts by program (bar: < 300 ms).
2. A word with two filters (school and year), and 3. a phrase, as the district administrator.
4. The first page as the lead of one program.

Run: .venv/bin/python benchmarks/repository.py [--programs 50] [--notes 200000] [--runs 20] [--pg-port 8813]
With DATABASE_URL set it fills that database (a scratch one: its bench-repo-* programs are replaced);
without, it starts a throwaway PostgreSQL on 127.0.0.1:--pg-port under a temporary folder and removes it.
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

WORDS = ("lunch cafeteria café loud quiet teacher help stress friends club tutoring bus homework counselor line safe "
         "library recess grades test belong respect phone rules hallway lockers schedule mañana comedor ruido "
         "profesora ayuda amigos tarea autobús seguro").split()
PHRASE = "too loud"


@contextmanager
def postgres(port: int):
    if os.environ.get("DATABASE_URL"):
        yield os.environ["DATABASE_URL"]
        return
    folder = Path(tempfile.mkdtemp(prefix="repository-bench-"))
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_user:
        shutil.chown(folder, "postgres")
    data = folder / "data"
    subprocess.run([*as_user, "initdb", "-D", str(data), "-U", "bench", "--auth=trust"], check=True,
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
    from participants.roles import DISTRICT_ADMINISTRATOR, grant_district_role
    from programs.models import Membership, Program, Role
    from recruitment.models import ConsentStatus, Invitation

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    User = get_user_model()
    rng = random.Random(18)
    old = Program.objects.filter(slug__startswith="bench-repo-")
    Note.objects.filter(session__program__in=old).delete()  # notes protect their questions, sessions their protocols
    Session.objects.filter(program__in=old).delete()
    old.delete()
    Student.objects.filter(local_id__startswith="BR").delete()
    schools = [School.objects.get_or_create(code=f"BR{i}", defaults={"name": f"Bench School {i}"})[0]
               for i in range(10)]
    admin, _ = User.objects.get_or_create(username="bench-district")
    grant_district_role(admin, DISTRICT_ADMINISTRATOR)
    lead, _ = User.objects.get_or_create(username="bench-repo-lead")
    per_program = notes // programs
    students_per_program = 200
    started = time.perf_counter()
    for p in range(programs):
        year = 2022 + p % 5
        program = Program.objects.create(slug=f"bench-repo-{p:02d}", name=f"Bench program {p:02d}", theme="Load",
                                         starts_on=dt.date(year, 1, 10), ends_on=dt.date(year, 12, 20),
                                         suppression_threshold=5 + p % 6)
        school = schools[p % len(schools)]
        program.schools.add(school)
        if p == 0:
            Membership.objects.create(program=program, user=lead, role=Role.LEAD)
        protocol = Protocol.objects.create(program=program, version=1, marked_ready=True)
        questions = [Question.objects.create(protocol=protocol, position=i + 1, text=f"Tell me about moment {i + 1}.")
                     for i in range(6)]
        students = Student.objects.bulk_create([
            Student(local_id=f"BR{p:02d}{i:04d}", first_name="Bench", last_name=f"{p}-{i}", pseudonym=f"Bench {p}-{i}",
                    school=school, grade=9 + i % 4) for i in range(students_per_program)])
        Invitation.objects.bulk_create([
            Invitation(program=program, student=student, parent_consent=ConsentStatus.GRANTED,
                       student_assent=ConsentStatus.WITHDRAWN if i % 50 == 0 else ConsentStatus.GRANTED)
            for i, student in enumerate(students)])
        sessions = [Session.objects.create(program=program, format=SessionFormat.FOCUS_GROUP, protocol=protocol,
                                           facilitator=lead, status=SessionStatus.COMPLETED,
                                           starts_at=timezone.make_aware(dt.datetime(year, 3, 1 + s % 28, 10)))
                    for s in range(20)]
        batch = []
        for n in range(per_program):
            words = rng.choices(WORDS, k=rng.randint(8, 30))
            if rng.random() < 0.05:
                words.insert(rng.randrange(len(words)), PHRASE)
            batch.append(Note(id=uuid.uuid4(), session=sessions[n % len(sessions)], step=NoteStep.QUESTION,
                              question=questions[n % len(questions)], student=students[n % students_per_program],
                              kind=NoteKind.STUDENT, text=" ".join(words)))
        Note.objects.bulk_create(batch, batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"fill_seconds": round(time.perf_counter() - started, 1), "school": schools[0].pk, "year": 2022,
            "admin": admin.pk, "lead": lead.pk}


def timed(client, path: str, params: dict, runs: int) -> dict:
    response = client.get(path, params)
    assert response.status_code == 200, (path, params, response.status_code)
    latencies = []
    for _ in range(runs):
        begin = time.perf_counter()
        response = client.get(path, params)
        latencies.append(time.perf_counter() - begin)
        assert response.status_code == 200
    latencies.sort()
    return {"p50_ms": round(latencies[len(latencies) // 2] * 1000, 1),
            "p95_ms": round(latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))] * 1000, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--programs", type=int, default=50)
    parser.add_argument("--notes", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--pg-port", type=int, default=8813)
    args = parser.parse_args()
    static = Path(tempfile.mkdtemp(prefix="repository-bench-static-"))
    with postgres(args.pg_port) as database_url:
        os.environ.update({"DATABASE_URL": database_url, "DEBUG": "false", "SECRET_KEY": "benchmark-" + "k" * 50,
                           "ALLOWED_HOSTS": "testserver", "SECURE_SSL_REDIRECT": "false",
                           "SECURE_HSTS_SECONDS": "0", "BEHIND_HTTPS_PROXY": "false",
                           "DJANGO_SETTINGS_MODULE": "empathy.settings", "STATIC_ROOT": str(static)})
        os.environ.pop("REDIS_URL", None)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
        from django.contrib.auth import get_user_model
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from interviews.models import Note

        filled = fill(programs=args.programs, notes=args.notes)
        users = get_user_model().objects
        admin, lead = Client(), Client()
        admin.force_login(users.get(pk=filled["admin"]))
        lead.force_login(users.get(pk=filled["lead"]))
        path = "/district/repository/"
        cases = {
            "first_page": (admin, {}),
            "word_two_filters": (admin, {"q": "cafe", "school": filled["school"], "year": filled["year"]}),
            "phrase": (admin, {"q": f'"{PHRASE}"'}),
            "lead_first_page": (lead, {}),
        }
        figures = {}
        for name, (client, params) in cases.items():
            figures[name] = timed(client, path, params, args.runs)
            with CaptureQueriesContext(connection) as queries:
                client.get(path, params)
            figures[name]["queries"] = len(queries.captured_queries)
            figures[name]["sql_ms"] = round(sum(float(q["time"]) for q in queries.captured_queries) * 1000, 1)
            if os.environ.get("SHOW_SQL"):
                for q in queries.captured_queries:
                    print(q["time"], q["sql"][:300])
            print(f"{name}: {figures[name]}", flush=True)
        result = {"benchmark": "repository", "database": connection.vendor,
                  "server_version": connection.pg_version,
                  "programs": args.programs, "notes": Note.objects.count(), **filled, **figures,
                  "bar_first_page_ms": 300, "first_page_ok": figures["first_page"]["p95_ms"] < 300}
        print(json.dumps(result))
    shutil.rmtree(static, ignore_errors=True)


if __name__ == "__main__":
    main()
