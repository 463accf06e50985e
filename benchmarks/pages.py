"""Every page at ten times the demo's data: server time and queries, as each role.

The demo (`seed_demo`) is seeded, then grown to 2,000 students, 50 sessions, 3,000 notes, 20 codes and
10 themes (ten times the demo's 200 students and 5 sessions, and more than ten times its notes and codes).
Then each role of the demo program (lead, facilitator, analyst, viewer) signs in and opens every page of
the one table of pages (programs/pages.py) that answers a GET with an HTML page, and the home page; each
page is opened once to warm templates and caches, then timed three times: the median is kept, with the
fastest beside it. Server time is
the time Django takes to answer in this process (no network). Prints the slowest ten with their query
counts, and the JSON last. Target: every page under 150 ms.

Run: .venv/bin/python benchmarks/pages.py   (a scratch SQLite file in a temporary folder)
     DATABASE_URL=postgres://... .venv/bin/python benchmarks/pages.py   (a scratch database: it is filled)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STUDENTS, SESSIONS, NOTES, CODES, THEMES = 2000, 50, 3000, 20, 10
TARGET_MS = 150
TIMES = 3  # each page timed three times after a first visit: the median is kept (the machine may be shared)
ROLES = ("lead", "facilitator", "analyst", "viewer")


def configure(database_url: str | None) -> str:
    folder = tempfile.mkdtemp(prefix="pages-bench-")
    os.environ.update({
        "DATABASE_URL": database_url or f"sqlite:///{folder}/db.sqlite3", "DEBUG": "false",
        "SECRET_KEY": "benchmark-" + "k" * 50, "ALLOWED_HOSTS": "testserver", "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false", "BEHIND_HTTPS_PROXY": "false", "SECURE_HSTS_SECONDS": "0",
        "DJANGO_SETTINGS_MODULE": "empathy.settings", "MEDIA_ROOT": f"{folder}/media", "STATIC_ROOT": f"{folder}/static",
    })
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    return folder


def grow() -> dict:
    """The demo, then ten times its data, through bulk inserts where the domain has no rule to keep."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from analysis.models import Category, Code, CodeApplication, Theme
    from empathy.demo import DEMO_PROGRAM_SLUG, seed_demo
    from empathy.demo_words import DEMO_WORDS
    from interviews.models import Note, NoteKind, NoteStep, Session, SessionFormat, SessionStatus
    from interviews.protocols import current_protocol
    from participants.models import School, Student
    from programs.models import Membership, Program, Role
    from recruitment.models import ConsentStatus, Invitation

    seed_demo()
    rng = random.Random(21)
    program = Program.objects.get(slug=DEMO_PROGRAM_SLUG)
    schools = list(School.objects.all())
    have = Student.objects.count()
    for number in range(have, STUDENTS):
        school = schools[number % len(schools)]
        Student.objects.create(local_id=f"BENCH-{number:05d}", first_name=f"Student{number}", last_name="Bench",
                               school=school, grade=rng.randint(max(school.lowest_grade, 6), min(school.highest_grade, 12)),
                               english_learner=rng.random() < 0.2, years_in_program=rng.randint(0, 3))
    invited = set(Invitation.objects.filter(program=program).values_list("student_id", flat=True))
    new_students = list(Student.objects.exclude(pk__in=invited).order_by("pk")[: 10 * max(1, len(invited)) - len(invited)])
    Invitation.objects.bulk_create([Invitation(program=program, student=s, parent_consent=ConsentStatus.GRANTED,
                                               student_assent=ConsentStatus.GRANTED) for s in new_students])
    protocol = current_protocol(program)
    questions = list(protocol.questions.order_by("position"))
    facilitators = [m.user for m in Membership.objects.filter(program=program, role=Role.FACILITATOR).select_related("user")]
    words = [text for texts in DEMO_WORDS.values() for text in texts]
    sessions_now = Session.objects.filter(program=program).count()
    notes_now = Note.objects.filter(session__program=program).count()
    per_session = max(1, (NOTES - notes_now) // max(1, SESSIONS - sessions_now))
    start = timezone.now() - dt.timedelta(days=90)
    for index in range(sessions_now, SESSIONS):
        session = Session.objects.create(program=program, format=SessionFormat.FOCUS_GROUP, protocol=protocol,
                                         starts_at=start + dt.timedelta(days=index, hours=index % 6),
                                         facilitator=facilitators[index % len(facilitators)],
                                         status=SessionStatus.COMPLETED)
        people = rng.sample(new_students, 6)
        session.participants.set(people)
        Note.objects.bulk_create([
            Note(id=uuid.UUID(int=rng.getrandbits(128)), session=session, step=NoteStep.QUESTION,
                 question=questions[n % len(questions)], student=people[n % len(people)], kind=NoteKind.STUDENT,
                 text=rng.choice(words), author=session.facilitator, quote_worthy=rng.random() < 0.1)
            for n in range(per_session)])
    category = Category.objects.filter(program=program).first()
    for number in range(Code.objects.filter(program=program).count(), CODES):
        Code.objects.create(program=program, category=category, name=f"Bench code {number:02d}")
    codes = list(Code.objects.filter(program=program))
    analyst = get_user_model().objects.get(username="analyst")
    coded = set(CodeApplication.objects.filter(code__program=program).values_list("note_id", flat=True))
    CodeApplication.objects.bulk_create([
        CodeApplication(note=note, code=codes[i % len(codes)], start=0, end=len(note.text), snippet=note.text,
                        coder=analyst) for i, note in enumerate(Note.objects.filter(session__program=program).exclude(
                            pk__in=coded).exclude(text="")) if i % 3 != 2], batch_size=500)
    for number in range(Theme.objects.filter(program=program).count(), THEMES):
        theme = Theme.objects.create(program=program, name=f"Bench theme {number:02d}", category=category,
                                     insight="What students told us, in a sentence.")
        theme.codes.set(codes[number % len(codes):number % len(codes) + 2])
    return {"students": Student.objects.count(), "sessions": Session.objects.filter(program=program).count(),
            "notes": Note.objects.filter(session__program=program).count(),
            "codes": Code.objects.filter(program=program).count(), "themes": Theme.objects.filter(program=program).count(),
            "codings": CodeApplication.objects.filter(code__program=program).count(),
            "invitations": Invitation.objects.filter(program=program).count()}


def addresses(program) -> list[tuple[str, str]]:
    """(page, address) for every page of the table that a GET can open, with a sample object for those
    that need one; and the home page."""
    from django.urls import NoReverseMatch, reverse

    from actions.models import ActionItem
    from analysis.models import AgreementRound, Theme
    from interviews.models import Question, Session, SessionStatus
    from programs.pages import PAGES
    from recruitment.models import Invitation

    session = Session.objects.filter(program=program, status=SessionStatus.COMPLETED).order_by("-starts_at").first()
    samples = {
        "session": session, "runner": session, "notes_review": session, "followup_slips": session,
        "note_import": session, "theme": Theme.objects.filter(program=program).first(),
        "action": ActionItem.objects.filter(program=program).first(),
        "agreement": AgreementRound.objects.filter(program=program).first(),
        "question": Question.objects.filter(protocol__program=program).first(),
        "invitation": Invitation.objects.filter(program=program).first(),
    }
    found = [("home", reverse("home"))]
    for name in sorted(PAGES):
        try:
            found.append((name, reverse(name, kwargs={"slug": program.slug})))
            continue
        except NoReverseMatch:
            pass
        sample = next((obj for prefix, obj in samples.items() if name.startswith(prefix)), None)
        if sample is None:
            continue
        try:
            found.append((name, reverse(name, kwargs={"slug": program.slug, "pk": sample.pk})))
        except NoReverseMatch:
            continue
    return found


def visit(pages: list[tuple[str, str]]) -> list[dict]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    rows = []
    for role in ROLES:
        client = Client()
        client.force_login(get_user_model().objects.get(username=role))
        for name, address in pages:
            first = client.get(address)
            if first.status_code != 200 or "text/html" not in first.get("Content-Type", ""):
                continue  # not open to this role, a download, or POST only
            times = []
            for _ in range(TIMES):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(address)
                    times.append((time.perf_counter() - started) * 1000)
            rows.append({"role": role, "page": name, "address": address, "status": response.status_code,
                         "ms": round(statistics.median(times), 1), "min_ms": round(min(times), 1),
                         "queries": len(queries.captured_queries)})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", type=int, default=10)
    args = parser.parse_args()
    folder = configure(os.environ.get("DATABASE_URL"))
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("createcachetable")
    call_command("collectstatic", "--noinput", verbosity=0)
    started = time.perf_counter()
    sizes = grow()
    seeded_s = time.perf_counter() - started
    with connection.cursor() as cursor:
        # The planner's statistics, as a database that has lived with its data has them (autovacuum would
        # take them a minute later): without them the first PostgreSQL pages were timed on guessed plans.
        cursor.execute("ANALYZE")
    from empathy.demo import DEMO_PROGRAM_SLUG
    from programs.models import Program

    program = Program.objects.get(slug=DEMO_PROGRAM_SLUG)
    rows = visit(addresses(program))
    slowest = sorted(rows, key=lambda row: -row["ms"])
    print(f"{connection.vendor}: {sizes}; seeded in {seeded_s:.0f} s; {len(rows)} page views by {len(ROLES)} roles")
    for row in slowest[: args.show]:
        print(f"  {row['ms']:7.1f} ms (fastest {row['min_ms']:7.1f}) {row['queries']:4d} queries  {row['role']:<11} {row['page']:<24} {row['address']}")
    over = [row for row in rows if row["ms"] >= TARGET_MS]
    figures = {"benchmark": "pages", "database": connection.vendor, **sizes, "page_views": len(rows),
               "pages": len({row["page"] for row in rows}), "slowest": slowest[: args.show],
               "over_target": [f"{row['role']} {row['page']} {row['ms']} ms" for row in over],
               "target_every_page_under_150ms": not over, "scratch": folder}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
