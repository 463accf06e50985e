# The two commands a new user types: `make run` and `make test`.
# Defaults: SQLite in the project folder and Celery tasks run in-process.
# Set DATABASE_URL and REDIS_URL to use PostgreSQL and a real Celery worker.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# `make run` is for a laptop: debug pages on unless the caller says otherwise.
RUN_ENV := DEBUG=$${DEBUG:-true}

.PHONY: run test install system-deps messages lint clean-db

$(STAMP): requirements.txt requirements-test.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-test.txt
	@touch $(STAMP)

install: $(STAMP)

system-deps:
	@bash scripts/system-deps.sh

# The Spanish catalogues are kept as text (locale/es/LC_MESSAGES/*.po); the binary .mo files are made here.
messages: install
	@DEBUG=true $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules --verbosity=0

run: system-deps install messages
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py createcachetable
	$(RUN_ENV) $(PY) manage.py seed_demo --if-empty
	$(RUN_ENV) $(PY) manage.py purge_expired
	@$(RUN_ENV) bash scripts/serve.sh

test: system-deps install messages
	$(VENV)/bin/ruff check --quiet .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .

clean-db:
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm
