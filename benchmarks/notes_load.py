"""Note-saving load test: 20 simulated note-takers for 60 s against gunicorn and PostgreSQL on
127.0.0.1, through the real endpoint with login and CSRF, some retrying the same write.

Prints requests/s, p50/p95/p99 latency, notes sent, stored, duplicated and lost, and the same clients
on the minimal authenticated view (/whoami) before and after the writes, pooled: the ratio of the p95s
(target at most 1.5) and of the throughputs (target at least 0.5), issue 21. Bars: p95 < 150 ms,
zero lost, zero duplicated, at least 200 writes/s.

Run: .venv/bin/python benchmarks/notes_load.py [--clients 20] [--seconds 60]
Uses DATABASE_URL when set (a scratch database: it is migrated and filled); otherwise starts a
throwaway PostgreSQL server (initdb/pg_ctl on the PATH; run as a non-root user, or as root with a
`postgres` system user). Traffic goes to 127.0.0.1 only and every loop stops after --seconds.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from served import PASSWORD, ROOT, WORKERS, Client, floor, machine, minimal_view, percentile, served  # noqa: E402

RETRY_SHARE = 0.15  # share of writes sent twice, as a flaky network would


def prepare(env: dict, clients: int) -> list[dict]:
    """Migrate, and give each simulated note-taker their own session in progress."""
    script = f"""
import json, django, datetime as dt
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0); call_command("createcachetable")
from django.contrib.auth import get_user_model
from django.utils import timezone
from interviews.models import *
from programs.models import Membership, Program, Role
from participants.models import School, Student
User = get_user_model()
school, _ = School.objects.get_or_create(code="BENCH", defaults={{"name": "Bench High"}})
program, _ = Program.objects.get_or_create(slug="bench", defaults={{"name": "Bench", "theme": "Load",
    "starts_on": dt.date(2026, 1, 1), "ends_on": dt.date(2026, 12, 31)}})
protocol = Protocol.objects.filter(program=program).first() or Protocol.objects.create(program=program, version=1, marked_ready=True)
question = protocol.questions.first() or Question.objects.create(protocol=protocol, position=1, text="Tell me about lunch.")
Note.objects.filter(session__program=program).delete()
out = []
for i in range({clients}):
    user, _ = User.objects.get_or_create(username=f"taker{{i}}")
    user.set_password("{PASSWORD}"); user.save()
    Membership.objects.get_or_create(program=program, user=user, defaults={{"role": Role.FACILITATOR}})
    session = Session.objects.filter(program=program, facilitator=user).first() or Session.objects.create(
        program=program, format=SessionFormat.FOCUS_GROUP, protocol=protocol, facilitator=user,
        starts_at=timezone.now() + dt.timedelta(days=i), status=SessionStatus.IN_PROGRESS)
    students = list(session.participants.all()) or [Student.objects.create(local_id=f"B{{i}}-{{k}}", first_name="S",
        last_name=str(k), school=school, grade=9) for k in range(4)]
    session.participants.set(students)
    out.append({{"user": user.username, "session": session.pk, "question": question.pk, "students": [s.pk for s in students]}})
print(json.dumps(out))
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def note_taker(port: int, setup: dict, seconds: float, results: dict, lock: threading.Lock) -> None:
    client = Client(port, setup["user"])
    client.login()
    path = f"/programs/bench/sessions/{setup['session']}/notes/"
    rng = random.Random(setup["session"])
    latencies, sent, final_text, errors = [], 0, {}, 0
    versions: dict[str, int] = {}
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        editing = bool(versions) and rng.random() < 0.4
        note_id = rng.choice(list(versions)) if editing else str(uuid.uuid4())
        text = f"{setup['user']} note {note_id[:8]} edit {sent}"
        body = json.dumps({"id": note_id, "version": versions.get(note_id, 0), "step": "question",
                           "question": setup["question"], "student": rng.choice(setup["students"]),
                           "kind": "student", "text": text}).encode()
        for _attempt in range(2 if rng.random() < RETRY_SHARE else 1):
            started = time.perf_counter()
            status, data = client.request("POST", path, body, {
                "Content-Type": "application/json", "X-CSRFToken": client.cookies["csrftoken"]})
            latencies.append(time.perf_counter() - started)
            sent += 1
            if status == 200:
                versions[note_id] = json.loads(data)["note"]["version"]
                final_text[note_id] = text
            else:
                errors += 1
    with lock:
        results["latencies"] += latencies
        results["sent"] += sent
        results["errors"] += errors
        results["expected"].update(final_text)


def run(worker, port: int, setups: list[dict], seconds: float) -> dict:
    results = {"latencies": [], "sent": 0, "errors": 0, "expected": {}}
    lock = threading.Lock()
    threads = [threading.Thread(target=worker, args=(port, setup, seconds, results, lock)) for setup in setups]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    results["elapsed"] = time.perf_counter() - started
    return results


def stored_notes(env: dict) -> dict[str, str]:
    script = ("import json, django; django.setup()\nfrom interviews.models import Note\n"
              "print(json.dumps({str(i): t for i, t in Note.objects.filter(session__program__slug='bench').values_list('id', 'text')}))")
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=WORKERS)
    args = parser.parse_args()

    with served("notes-load-", args.workers, lambda env: prepare(env, args.clients)) as (port, env, setups):
        users = [setup["user"] for setup in setups]
        floor_seconds = min(args.seconds / 2, 20)
        before = minimal_view(port, users, floor_seconds)
        writes = run(note_taker, port, setups, args.seconds)
        stored = stored_notes(env)
        after = minimal_view(port, users, floor_seconds)
    plain = floor(before, after)

    expected = writes["expected"]
    lost = sum(1 for note_id, text in expected.items() if stored.get(note_id) != text)
    texts = list(stored.values())
    duplicates = len(texts) - len(set(texts))
    write_p95 = percentile(writes["latencies"], 0.95)
    writes_per_s = writes["sent"] / writes["elapsed"]
    p95_ratio = write_p95 / plain["p95_ms"] if plain["p95_ms"] else None
    throughput_ratio = writes_per_s / plain["per_s"] if plain["per_s"] else None
    figures = {
        "benchmark": "notes_load", "clients": args.clients, "seconds": args.seconds, "gunicorn_workers": args.workers,
        "requests": writes["sent"], "requests_per_s": round(writes_per_s, 1),
        "p50_ms": round(percentile(writes["latencies"], 0.50), 1), "p95_ms": round(write_p95, 1),
        "p99_ms": round(percentile(writes["latencies"], 0.99), 1), "errors": writes["errors"],
        "notes_sent": len(expected), "notes_stored": len(stored), "duplicates": duplicates, "lost": lost,
        "minimal_view_requests_per_s": plain["per_s"], "minimal_view_p95_ms": plain["p95_ms"],
        "minimal_view_p95_ms_before_and_after": [plain["p95_ms_before"], plain["p95_ms_after"]],
        "p95_ratio": round(p95_ratio, 2) if p95_ratio else None,
        "throughput_ratio": round(throughput_ratio, 2) if throughput_ratio else None,
        "target_p95_ratio_at_most_1_5": bool(p95_ratio and p95_ratio <= 1.5),
        "target_throughput_ratio_at_least_0_5": bool(throughput_ratio and throughput_ratio >= 0.5),
        "bar_p95_under_150ms": write_p95 < 150, "bar_200_writes_per_s": writes_per_s >= 200,
        "bar_zero_lost_and_duplicated": lost == 0 and duplicates == 0,
        "machine": machine(),
    }
    print(f"{figures['requests_per_s']} writes/s, p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, "
          f"p99 {figures['p99_ms']} ms; {len(expected)} notes sent, {len(stored)} stored, {duplicates} duplicated, {lost} lost; "
          f"/whoami {plain['per_s']} req/s, p95 {plain['p95_ms']} ms; ratios: p95 {figures['p95_ratio']} (at most 1.5), "
          f"throughput {figures['throughput_ratio']} (at least 0.5)")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
