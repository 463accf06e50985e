from __future__ import annotations

import os
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from analysis.codebook import add_code, seed_categories
from interviews.models import Note, NoteKind, NoteStep, Session, SessionFormat, SessionStatus
from programs.models import Program, Role
from recruitment.models import ConsentStatus, Invitation
from tests.factories import (
    MembershipFactory,
    ProgramFactory,
    SchoolFactory,
    StudentFactory,
    UserFactory,
    ready_protocol,
)

IN_CI = os.environ.get("CI", "").lower() == "true"
PROJECT_DIR = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# OneRoster bundles written for this project from the OneRoster 1.1 and 1.2 CSV tables.
ONEROSTER_V1P1 = PROJECT_DIR / "tests" / "data" / "oneroster_v1p1"
ONEROSTER_V1P2 = PROJECT_DIR / "tests" / "data" / "oneroster_v1p2"


def pytest_sessionstart(session):
    """The catalogues compiled as `make test` does, for a run started with pytest alone."""
    for catalogue in (PROJECT_DIR / "locale").glob("*/LC_MESSAGES/*.po"):
        compiled = catalogue.with_suffix(".mo")
        if not compiled.exists() or compiled.stat().st_mtime < catalogue.stat().st_mtime:
            subprocess.run(["msgfmt", "--check", "--output-file", str(compiled), str(catalogue)], check=True)


def _unavailable(reason: str) -> None:
    # On a laptop a missing service is a visible skip; in CI it is a failure, never a skip.
    if IN_CI:
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _require_services(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        _unavailable("this test needs PostgreSQL: set DATABASE_URL=postgres://...")
    if request.node.get_closest_marker("redis") and not os.environ.get("REDIS_URL"):
        _unavailable("this test needs Redis and a Celery worker: set REDIS_URL=redis://...")
    if request.node.get_closest_marker("browser") and not Path(CHROMIUM).exists():
        _unavailable(f"this test needs Chromium at {CHROMIUM}")


@pytest.fixture(autouse=True)
def _english_between_tests():
    # A request activates its page's language in this thread (district/language.py); the next test
    # starts from the default, as a new request would.
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache(db):
    # Rate limits count in the cache, which is Redis in the PostgreSQL pass and outlives a test.
    from django.core.cache import cache

    cache.clear()
    yield


@dataclass
class Team:
    program: Program
    lead: object
    facilitator: object
    analyst: object
    viewer: object
    outsider: object


@pytest.fixture
def team(db) -> Team:
    """A program with one person per role, and an outsider who leads another program."""
    program = ProgramFactory(name="Belonging pilot", slug="belonging-pilot")
    people = {}
    for role in Role:
        people[role.value] = UserFactory(username=f"{role.value}-person")
        MembershipFactory(program=program, user=people[role.value], role=role)
    outsider = UserFactory(username="outsider")
    MembershipFactory(program=ProgramFactory(slug="elsewhere"), user=outsider, role=Role.LEAD)
    return Team(program, people["lead"], people["facilitator"], people["analyst"], people["viewer"], outsider)


@pytest.fixture
def celery_worker_queue(transactional_db):
    """Start one real Celery worker process on a private queue; yield the queue name.

    The worker reads the test database, so tasks see what the test committed.
    """
    from empathy.celery import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    settings_dict = connection.settings_dict
    from django.conf import settings

    # Files go through the storage API; web and worker must share the same storage.
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="tests.settings", TEST_MEDIA_ROOT=str(settings.MEDIA_ROOT))
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = (
            f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD']}@{settings_dict['HOST']}:"
            f"{settings_dict['PORT']}/{settings_dict['NAME']}"
        )
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "empathy", "worker", "--pool=solo", "--concurrency=1",
         "-Q", queue, "--loglevel=WARNING", "--without-heartbeat", "--without-gossip", "--without-mingle"],
        cwd=PROJECT_DIR, env=env,
    )
    was_eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield queue
    finally:
        app.conf.task_always_eager = was_eager
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        _unavailable(f"Chromium is not installed at {CHROMIUM}")
    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
    # around it are still synchronous, so Django's async-safety guard does not apply.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        yield chromium
        chromium.close()


@dataclass
class Coded:
    team: object
    session: Session
    students: list
    notes: list
    codes: dict


@pytest.fixture
def coded(team):
    """A completed focus group of 24 students (grades 9 and 10, some English learners), one note each."""
    program = team.program
    program.suppression_threshold = 5
    program.save()
    protocol = ready_protocol(program)
    school = SchoolFactory(name="Lincoln High")
    session = Session.objects.create(program=program, format=SessionFormat.FOCUS_GROUP, protocol=protocol,
                                     starts_at=timezone.now(), facilitator=team.facilitator, status=SessionStatus.COMPLETED)
    students = [StudentFactory(school=school, grade=9 if i < 16 else 10, english_learner=i % 4 == 0) for i in range(24)]
    session.participants.set(students)
    question = protocol.questions.first()
    notes = []
    for i, student in enumerate(students):
        Invitation.objects.create(program=program, student=student, parent_consent=ConsentStatus.GRANTED,
                                  student_assent=ConsentStatus.GRANTED)
        notes.append(Note.objects.create(id=uuid.uuid4(), session=session, step=NoteStep.QUESTION, question=question,
                                         student=student, kind=NoteKind.STUDENT,
                                         text=f"Student {i}: the cafeteria is loud and lunch is short."))
    categories = seed_categories(program)
    codes = {name: add_code(program, category=categories[i % 3], name=name)
             for i, name in enumerate(["Noise", "Time", "Belonging", "Safety"])}
    return Coded(team, session, students, notes, codes)
