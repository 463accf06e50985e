#!/usr/bin/env bash
# Serve the app for `make run`. With REDIS_URL set, a Celery worker runs beside the web server.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
worker_pid=""
if [ -n "${REDIS_URL:-}" ]; then
  .venv/bin/celery -A empathy worker --loglevel=INFO --concurrency=2 &
  worker_pid=$!
  trap '[ -n "$worker_pid" ] && kill "$worker_pid" 2>/dev/null || true' EXIT
fi
echo
PORT="${PORT:-8000}"
echo "Empathy Interviews is at http://127.0.0.1:${PORT}  (Ctrl+C stops it)"
$PY manage.py seed_demo --logins-only
$PY manage.py runserver "127.0.0.1:${PORT}"
