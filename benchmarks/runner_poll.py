"""Runner poll benchmark: 20 open runner tabs polling their session, against gunicorn and PostgreSQL on
127.0.0.1, through the real endpoint with login, as runner.js polls (X-Background, If-None-Match).

1. The minimal signed-in view (/whoami), the same clients, before and after (pooled): the floor.
2. Nothing new: each tab has 40 notes and asks again with its last answer's ETag; "304 Not Modified"
   (target: p95 at most 1.2 times the floor's).
3. New notes: before each poll the tab's note-taker saves one note (not timed), so every poll brings what
   changed (one or two notes) and a new tag (reported with its ratio; "proportional to what changed").

Run: .venv/bin/python benchmarks/runner_poll.py [--clients 20] [--seconds 20]
(DATABASE_URL optional, as in notes_load.py.)
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from notes_load import prepare  # noqa: E402
from served import WORKERS, Client, floor, load, machine, minimal_view, percentile, served  # noqa: E402

NOTES_PER_SESSION = 40


def _write(client: Client, setup: dict, path: str, text: str) -> None:
    body = json.dumps({"id": str(uuid.uuid4()), "version": 0, "step": "question", "question": setup["question"],
                       "student": setup["students"][0], "kind": "student", "text": text}).encode()
    status, _ = client.request("POST", path, body, {"Content-Type": "application/json",
                                                    "X-CSRFToken": client.cookies["csrftoken"]})
    assert status == 200, status


def _poll(client: Client, path: str, since: str, tag: str) -> tuple[int, bytes, str, float]:
    headers = {"Accept": "application/json", "X-Background": "1", **({"If-None-Match": tag} if tag else {})}
    url = path + ("?since=" + quote(since) if since else "")
    started = time.perf_counter()
    client.connection.request("GET", url, headers={**headers, "Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items())})
    response = client.connection.getresponse()
    data = response.read()
    return response.status, data, response.headers.get("ETag", ""), time.perf_counter() - started


def tab(port: int, setup: dict, seconds: float, results: dict, lock, *, writing: bool, ready: threading.Barrier) -> None:
    client = Client(port, setup["user"])
    client.login()
    path = f"/programs/bench/sessions/{setup['session']}/notes/"
    if not writing:
        for i in range(NOTES_PER_SESSION):
            _write(client, setup, path, f"{setup['user']} note {i}")
    status, data, tag, _ = _poll(client, path, "", "")
    since = max((note["updated_at"] for note in json.loads(data)["notes"]), default="")
    status, data, tag, _ = _poll(client, path, since, "")  # the answer the next polls are tagged against
    latencies, statuses, notes_seen = [], {}, 0
    ready.wait(timeout=300)  # every tab signed in and filled before any poll is timed
    began = time.perf_counter()
    deadline = began + seconds
    while time.perf_counter() < deadline:
        if writing:
            _write(client, setup, path, f"{setup['user']} new {len(latencies)}")
        status, data, new_tag, elapsed = _poll(client, path, since, tag)
        latencies.append(elapsed)
        statuses[status] = statuses.get(status, 0) + 1
        if status == 200:
            notes = json.loads(data)["notes"]
            notes_seen += len(notes)
            since = max([since, *(note["updated_at"] for note in notes)])
            tag = new_tag
    with lock:
        results["latencies"] += latencies
        results["loop_seconds"] = max(results.get("loop_seconds", 0), time.perf_counter() - began)
        for status, count in statuses.items():
            results.setdefault("statuses", {})[status] = results.get("statuses", {}).get(status, 0) + count
        results["notes_seen"] = results.get("notes_seen", 0) + notes_seen


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=WORKERS)
    args = parser.parse_args()
    with served("runner-poll-", args.workers, lambda env: prepare(env, args.clients)) as (port, _env, setups):
        users = [setup["user"] for setup in setups]
        before = minimal_view(port, users, args.seconds)
        filled, started = threading.Barrier(len(setups)), threading.Barrier(len(setups))
        quiet = load(lambda *a: tab(*a, writing=False, ready=filled), port, setups, args.seconds)
        busy = load(lambda *a: tab(*a, writing=True, ready=started), port, setups, args.seconds)
        after = minimal_view(port, users, args.seconds)
    plain = floor(before, after)
    quiet_p95, busy_p95 = percentile(quiet["latencies"], 0.95), percentile(busy["latencies"], 0.95)
    quiet_ratio = quiet_p95 / plain["p95_ms"] if plain["p95_ms"] else None
    figures = {
        "benchmark": "runner_poll", "clients": args.clients, "seconds": args.seconds, "gunicorn_workers": args.workers,
        "notes_per_session": NOTES_PER_SESSION,
        "nothing_new_polls": len(quiet["latencies"]), "nothing_new_per_s": round(len(quiet["latencies"]) / quiet["loop_seconds"], 1),
        "nothing_new_p50_ms": round(percentile(quiet["latencies"], 0.5), 1), "nothing_new_p95_ms": round(quiet_p95, 1),
        "nothing_new_statuses": {str(k): v for k, v in quiet.get("statuses", {}).items()},
        "new_notes_polls": len(busy["latencies"]), "new_notes_p95_ms": round(busy_p95, 1),
        "new_notes_statuses": {str(k): v for k, v in busy.get("statuses", {}).items()},
        "notes_per_poll_with_new_notes": round(busy.get("notes_seen", 0) / max(1, len(busy["latencies"])), 2),
        "minimal_view_per_s": plain["per_s"], "minimal_view_p95_ms": plain["p95_ms"],
        "minimal_view_p95_ms_before_and_after": [plain["p95_ms_before"], plain["p95_ms_after"]],
        "nothing_new_p95_ratio": round(quiet_ratio, 2) if quiet_ratio else None,
        "new_notes_p95_ratio": round(busy_p95 / plain["p95_ms"], 2) if plain["p95_ms"] else None,
        "target_nothing_new_ratio_at_most_1_2": bool(quiet_ratio and quiet_ratio <= 1.2),
        "machine": machine(),
    }
    print(f"nothing new: {figures['nothing_new_per_s']} polls/s, p95 {figures['nothing_new_p95_ms']} ms "
          f"({figures['nothing_new_statuses']}); new notes: p95 {figures['new_notes_p95_ms']} ms, "
          f"{figures['notes_per_poll_with_new_notes']} notes a poll; /whoami p95 {plain['p95_ms']} ms; "
          f"ratio nothing new {figures['nothing_new_p95_ratio']} (at most 1.2)")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
