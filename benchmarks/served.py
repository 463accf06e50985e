"""What the HTTP benchmarks share: a throwaway PostgreSQL, the app served by gunicorn on 127.0.0.1,
and a logged-in client with a session cookie and a CSRF token."""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "benchmark-password-2026"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, seconds: float = 10) -> None:
    """Return once something listens on 127.0.0.1:port; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def start_postgres(folder: Path) -> tuple[str, callable]:
    port = free_port()
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_user:
        shutil.chown(folder, "postgres")
    subprocess.run([*as_user, "initdb", "-D", str(folder / "data"), "-U", "bench", "--auth=trust"], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run([*as_user, "pg_ctl", "-D", str(folder / "data"), "-l", str(folder / "log"), "-w", "-o",
                    f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c max_connections=200", "start"], check=True,
                   stdout=subprocess.DEVNULL)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "bench", "bench"], check=True)

    def stop() -> None:
        subprocess.run([*as_user, "pg_ctl", "-D", str(folder / "data"), "-m", "fast", "stop"], stdout=subprocess.DEVNULL)

    return f"postgres://bench@127.0.0.1:{port}/bench", stop


# How the HTTP benchmarks serve the app unless told otherwise: gunicorn's sync workers, 2 x cores + 1 of
# them (gunicorn's own advice). A request here is CPU-bound Python plus a few short queries on a local
# database, so a sync worker per core-and-a-half keeps both cores busy while one waits on PostgreSQL; threads
# (gthread) add the GIL and no core. See benchmarks/README.md for the measured comparison.
WORKER_CLASS = os.environ.get("BENCH_WORKER_CLASS", "sync")
WORKERS = int(os.environ.get("BENCH_WORKERS", 2 * (os.cpu_count() or 2) + 1))
THREADS = int(os.environ.get("BENCH_THREADS", 1))


@contextmanager
def served(prefix: str, workers: int, prepare: Callable[[dict], Any]) -> Iterator[tuple[int, dict, Any]]:
    """Serve the app with gunicorn on a free port of 127.0.0.1, on DATABASE_URL or a throwaway PostgreSQL.

    `prepare(env)` fills the database before the server starts; yields (port, env, what prepare returned)
    and stops gunicorn and PostgreSQL and removes the scratch folder however the block ends. The worker
    class and threads come from BENCH_WORKER_CLASS and BENCH_THREADS (sync, 1 by default)."""
    scratch = Path(tempfile.mkdtemp(prefix=prefix))
    stop_postgres = None
    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        database_url, stop_postgres = start_postgres(scratch)
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "false", "SECRET_KEY": "benchmark-" + "k" * 50,
           "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "false", "SECURE_COOKIES": "false",
           "BEHIND_HTTPS_PROXY": "false", "SECURE_HSTS_SECONDS": "0", "DJANGO_SETTINGS_MODULE": "empathy.settings",
           "STATIC_ROOT": str(scratch / "static")}
    env.pop("REDIS_URL", None)
    if os.environ.get("BENCH_REDIS_URL"):
        # Celery sends its tasks to this Redis (nobody consumes them here), as a deployment with a worker does:
        # without it tasks run eagerly inside the request that queues them (the coding assistant's retraining).
        env["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    gunicorn = None
    try:
        prepared = prepare(env)
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        gunicorn = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "empathy.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--worker-class", WORKER_CLASS, "--threads", str(THREADS),
             "--log-level", "warning", "--keep-alive", "30"],
            cwd=ROOT, env=env)
        wait_for_port(port)
        yield port, env, prepared
    finally:
        if gunicorn:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        if stop_postgres:
            stop_postgres()
        shutil.rmtree(scratch, ignore_errors=True)


class Client:
    """One user: a keep-alive connection, a session cookie and a CSRF token."""

    def __init__(self, port: int, user: str):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.user = user

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        for value in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        return response.status, data

    def login(self) -> None:
        self.request("GET", "/accounts/login/")
        body = urlencode({"username": self.user, "password": PASSWORD, "csrfmiddlewaretoken": self.cookies["csrftoken"]})
        status, _ = self.request("POST", "/accounts/login/", body.encode(), {
            "Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": self.cookies["csrftoken"],
            "Referer": "http://127.0.0.1/accounts/login/"})
        assert status == 302, f"login failed for {self.user}: {status}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else 0.0


def load(worker: Callable, port: int, setups: list, seconds: float) -> dict:
    """Run `worker(port, setup, seconds, results, lock)` in one thread per setup; results gathers
    "latencies" (seconds) and whatever else the worker adds, with "elapsed" the wall time."""
    import threading

    results: dict = {"latencies": [], "sent": 0, "errors": 0, "expected": {}}
    lock = threading.Lock()
    threads = [threading.Thread(target=worker, args=(port, setup, seconds, results, lock)) for setup in setups]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    results["elapsed"] = time.perf_counter() - started
    return results


def minimal_viewer(port: int, setup: dict, seconds: float, results: dict, lock) -> None:
    """One signed-in person asking the minimal view (/whoami: the session and the user, nothing else)."""
    client = Client(port, setup["user"])
    client.login()
    latencies = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        status, _ = client.request("GET", "/whoami")
        latencies.append(time.perf_counter() - started)
        assert status == 200, status
    with lock:
        results["latencies"] += latencies


def minimal_view(port: int, users: list[str], seconds: float) -> dict:
    """The floor every ratio is taken against, measured in the same run with the same number of clients."""
    found = load(minimal_viewer, port, [{"user": user} for user in users], seconds)
    return {"p95_ms": percentile(found["latencies"], 0.95), "p50_ms": percentile(found["latencies"], 0.5),
            "per_s": len(found["latencies"]) / found["elapsed"], "requests": len(found["latencies"]),
            "latencies": found["latencies"]}


def floor(before: dict, after: dict) -> dict:
    """The minimal view measured before and after the load being compared, pooled (the machine drifts)."""
    latencies = before["latencies"] + after["latencies"]
    return {"p95_ms": round(percentile(latencies, 0.95), 1), "p50_ms": round(percentile(latencies, 0.5), 1),
            "per_s": round((before["per_s"] + after["per_s"]) / 2, 1), "requests": len(latencies),
            "p95_ms_before": round(before["p95_ms"], 1), "p95_ms_after": round(after["p95_ms"], 1)}


def machine() -> str:
    import platform

    load1 = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return (f"{os.cpu_count()} cores {platform.machine()}, python {platform.python_version()}, "
            f"gunicorn {WORKER_CLASS} x{WORKERS} threads {THREADS}, "
            f"celery {'to Redis, no worker' if os.environ.get('BENCH_REDIS_URL') else 'eager'}, "
            f"load average at the end {load1:.1f}")
