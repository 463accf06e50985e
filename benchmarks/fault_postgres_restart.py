"""PostgreSQL restarted while note-takers write: every note arrives, and arrives once.

10 simulated note-takers write new notes (and edit some) through the real autosave endpoint served
by gunicorn, while PostgreSQL is restarted three times — twice with `-m immediate`, which is a crash
followed by recovery, once with `-m fast`. Each client does what the runner's queue does: a write
that fails (500, 502, a dropped connection) is sent again, same note id and version, until it is
acknowledged. The bar: every acknowledged note stored with its last text, no note stored that was
not acknowledged, and each note stored once.

Run: .venv/bin/python benchmarks/fault_postgres_restart.py [--clients 10] [--seconds 45]
Starts a throwaway PostgreSQL (initdb/pg_ctl on the PATH; as root it runs them as `postgres`).
Traffic goes to 127.0.0.1 only; every loop stops by itself.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from notes_load import prepare, stored_notes  # noqa: E402
from served import Client, served, start_postgres  # noqa: E402

RETRY_SHARE = 0.15
GRACE_SECONDS = 60  # after the deadline, a client keeps retrying its last unacknowledged write this long


def restart_postgres(folder: Path, mode: str) -> float:
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    started = time.perf_counter()
    subprocess.run([*as_user, "pg_ctl", "-D", str(folder / "data"), "-m", mode, "-w", "restart"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def note_taker(port: int, setup: dict, seconds: float, results: dict, lock: threading.Lock) -> None:
    client = Client(port, setup["user"])
    client.login()
    path = f"/programs/bench/sessions/{setup['session']}/notes/"
    rng = random.Random(setup["session"])
    acknowledged: dict[str, str] = {}
    versions: dict[str, int] = {}
    failures, retries_max, sent = 0, 0, 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        editing = bool(versions) and rng.random() < 0.3
        note_id = rng.choice(list(versions)) if editing else str(uuid.uuid4())
        text = f"{setup['user']} note {note_id[:8]} edit {sent}"
        body = json.dumps({"id": note_id, "version": versions.get(note_id, 0), "step": "question",
                           "question": setup["question"], "student": rng.choice(setup["students"]),
                           "kind": "student", "text": text}).encode()
        tries, backoff = 0, 0.1
        while True:
            tries += 1
            try:
                status, data = client.request("POST", path, body, {
                    "Content-Type": "application/json", "X-CSRFToken": client.cookies["csrftoken"]})
            except (OSError, http.client.HTTPException):
                status, data = None, b""
                client.connection.close()  # the next request opens a fresh connection
            if status == 200:
                answer = json.loads(data)
                versions[note_id] = answer["note"]["version"]
                acknowledged[note_id] = text
                if rng.random() < RETRY_SHARE:  # a duplicate delivery, as a flaky network makes
                    client.request("POST", path, body, {"Content-Type": "application/json",
                                                        "X-CSRFToken": client.cookies["csrftoken"]})
                break
            failures += 1
            if time.perf_counter() > deadline + GRACE_SECONDS:
                break
            time.sleep(backoff)
            backoff = min(backoff * 2, 2.0)
        retries_max = max(retries_max, tries - 1)
        sent += 1
    with lock:
        results["acknowledged"].update(acknowledged)
        results["failures"] += failures
        results["max_retries"] = max(results["max_retries"], retries_max)
        results["writes"] += sent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=45)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="pg-restart-"))
    database_url, stop_postgres = start_postgres(folder)
    os.environ["DATABASE_URL"] = database_url
    try:
        with served("pg-restart-served-", 3, lambda env: prepare(env, args.clients)) as (port, env, setups):
            results = {"acknowledged": {}, "failures": 0, "max_retries": 0, "writes": 0}
            lock = threading.Lock()
            threads = [threading.Thread(target=note_taker, args=(port, setup, args.seconds, results, lock))
                       for setup in setups]
            for thread in threads:
                thread.start()
            downtimes = []
            for mode in ["immediate", "fast", "immediate"]:  # at a quarter, half and three quarters of the run
                time.sleep(args.seconds / 4)
                downtimes.append(round(restart_postgres(folder, mode), 2))
            for thread in threads:
                thread.join(timeout=args.seconds + GRACE_SECONDS + 60)
            stored = stored_notes(env)
        acknowledged = results["acknowledged"]
        missing = [i for i, text in acknowledged.items() if stored.get(i) != text]
        unacknowledged = [i for i in stored if i not in acknowledged]
        figures = {
            "benchmark": "fault_postgres_restart", "machine": f"{platform.machine()} {os.cpu_count()} cores",
            "clients": args.clients, "seconds": args.seconds, "restarts": len(downtimes), "restart_seconds": downtimes,
            "writes_acknowledged": len(acknowledged), "requests_failed_then_retried": results["failures"],
            "max_retries_for_one_write": results["max_retries"], "stored": len(stored),
            "lost": len(missing), "stored_but_not_acknowledged": len(unacknowledged),
        }
        figures["passed"] = not missing and not unacknowledged and results["failures"] > 0
        print(json.dumps(figures))
        sys.exit(0 if figures["passed"] else 1)
    finally:
        stop_postgres()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
