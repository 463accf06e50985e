"""A Celery worker killed with SIGKILL in the middle of a render, again and again: each report ends
with exactly one good file, or — once it has been delivered REPORT_MAX_DELIVERIES times — marked
failed with the reason. None is left queued or rendering.

A real worker (prefork, one process) on a throwaway PostgreSQL and Redis renders the demo program's
thematic report several times over. A watcher kills the process rendering each report a planned
number of times, at a random moment after it starts: 0, 1 or 2 kills end in a good file; 3 kills use
up the deliveries (REPORT_MAX_DELIVERIES=3 here) and end failed. One report also loses the whole
worker (main process and child, as when a machine dies): the job waits in Redis until the visibility
timeout (30 s here) and a restarted worker takes it.

Run: .venv/bin/python benchmarks/fault_worker_kill.py [--reports 7] [--timeout 420]
Needs initdb/pg_ctl and redis-server on the PATH. Everything listens on 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from served import ROOT, free_port, start_postgres, wait_for_port  # noqa: E402

MAX_DELIVERIES = 3
VISIBILITY_TIMEOUT = 30


def start_redis(folder: Path) -> tuple[str, subprocess.Popen]:
    port = free_port()
    redis = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no", "--dir", str(folder)], stdout=subprocess.DEVNULL)
    wait_for_port(port)
    return f"redis://127.0.0.1:{port}/0", redis


def start_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "empathy", "worker", "--concurrency", "1",
                             "--pool", "prefork", "--loglevel", "WARNING", "--without-heartbeat", "--without-mingle",
                             "--without-gossip"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=7)
    parser.add_argument("--timeout", type=float, default=420)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="worker-kill-"))
    database_url, stop_postgres = start_postgres(scratch)
    redis_url, redis = start_redis(scratch)
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url, "DEBUG": "false",
           "SECRET_KEY": "fault-" + "k" * 50, "ALLOWED_HOSTS": "127.0.0.1", "MEDIA_ROOT": str(scratch / "media"),
           "DJANGO_SETTINGS_MODULE": "empathy.settings", "REPORT_MAX_DELIVERIES": str(MAX_DELIVERIES),
           "CELERY_BROKER_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT), "CELERY_TASK_SOFT_TIME_LIMIT": "20",
           "CELERY_TASK_TIME_LIMIT": "25"}
    os.environ.update(env)
    worker = None
    try:
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.files.storage import default_storage
        from django.core.management import call_command

        from empathy.demo import DEMO_PROGRAM_SLUG
        from programs.models import Program
        from reports.models import Report, ReportKind, ReportStatus
        from reports.tasks import render_report_task

        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        call_command("seed_demo", "--i-know-this-is-not-production", verbosity=0)
        program = Program.objects.get(slug=DEMO_PROGRAM_SLUG)
        plan = [(i % 4, "child") for i in range(args.reports - 1)] + [(1, "whole worker")]
        reports = [Report.objects.create(program=program, kind=ReportKind.THEMATIC) for _ in plan]
        kills_planned = {r.pk: kills for r, (kills, _how) in zip(reports, plan, strict=True)}
        how = {r.pk: h for r, (_k, h) in zip(reports, plan, strict=True)}
        kills_done = dict.fromkeys(kills_planned, 0)
        killed_attempt: dict[int, int] = {}
        worker = start_worker(env)  # the jobs wait in Redis until it is up
        for report in reports:
            render_report_task.delay(report.pk)
        rng = random.Random(7)
        started = time.perf_counter()
        while time.perf_counter() - started < args.timeout:
            states = {r.pk: (r.status, r.attempts) for r in Report.objects.filter(pk__in=kills_planned)}
            if all(status in (ReportStatus.READY, ReportStatus.FAILED) for status, _ in states.values()):
                break
            for pk, (status, attempt) in states.items():
                if status != ReportStatus.RENDERING or kills_done[pk] >= kills_planned[pk] or killed_attempt.get(pk) == attempt:
                    continue
                time.sleep(rng.uniform(0.1, 0.8))  # somewhere inside the render
                if Report.objects.filter(pk=pk, status=ReportStatus.RENDERING, attempts=attempt).exists():
                    if how[pk] == "whole worker":
                        for child in children(worker.pid):
                            os.kill(child, signal.SIGKILL)
                        worker.send_signal(signal.SIGKILL)
                        worker.wait()
                        worker = start_worker(env)
                    else:
                        for child in children(worker.pid):
                            os.kill(child, signal.SIGKILL)
                    kills_done[pk] += 1
                    killed_attempt[pk] = attempt
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        outcome = []
        _folders, files = default_storage.listdir(f"reports/{program.slug}")
        for report in Report.objects.filter(pk__in=kills_planned).order_by("pk"):
            mine = [f for f in files if f.startswith(f"report-{report.pk}-")]
            expected = ReportStatus.FAILED if kills_planned[report.pk] >= MAX_DELIVERIES else ReportStatus.READY
            ok = report.status == expected and len(mine) == (1 if expected == ReportStatus.READY else 0)
            if expected == ReportStatus.READY:
                with report.file.open("rb") as pdf:
                    ok = ok and pdf.read(5) == b"%PDF-"
            outcome.append({"report": report.pk, "kills": kills_done[report.pk], "how": how[report.pk],
                            "deliveries": report.attempts, "status": report.status, "files": len(mine), "ok": ok})
        figures = {
            "benchmark": "fault_worker_kill", "machine": f"{platform.machine()} {os.cpu_count()} cores",
            "reports": len(outcome), "sigkills": sum(kills_done.values()), "max_deliveries": MAX_DELIVERIES,
            "ready_with_one_file": sum(1 for o in outcome if o["status"] == ReportStatus.READY and o["files"] == 1),
            "failed_after_max_deliveries": sum(1 for o in outcome if o["status"] == ReportStatus.FAILED),
            "stuck": sum(1 for o in outcome if o["status"] in (ReportStatus.QUEUED, ReportStatus.RENDERING)),
            "seconds": round(elapsed, 1),
        }
        figures["passed"] = all(o["ok"] for o in outcome) and figures["stuck"] == 0
        for o in outcome:
            print(json.dumps(o))
        print(json.dumps(figures))
        sys.exit(0 if figures["passed"] else 1)
    finally:
        if worker is not None:
            for child in children(worker.pid):
                os.kill(child, signal.SIGKILL)
            worker.kill()
            worker.wait()
        redis.terminate()
        redis.wait(timeout=10)
        stop_postgres()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
