"""Transcript import benchmark: a generated 90-minute meeting transcript (WebVTT, 1,500 cues, a facilitator asking
the protocol's six questions, eight students, a note-taker) received, previewed and imported into a session.

Bar: parse + import under 5 s. The transcript is written here (no real meeting). Uses DATABASE_URL when set (a
scratch database), otherwise a fresh SQLite file; uploads go to a temporary media folder.
Run: .venv/bin/python benchmarks/transcript_import.py
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CUES, MINUTES = 1_500, 90

scratch = tempfile.mkdtemp()
os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
os.environ.setdefault("DEBUG", "true")
os.environ["MEDIA_ROOT"] = f"{scratch}/media"
os.environ["DJANGO_SETTINGS_MODULE"] = "empathy.settings"

import django  # noqa: E402

django.setup()
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from interviews.models import Note, Protocol, Question, Session, SessionFormat, SessionStatus  # noqa: E402
from interviews.note_import.pending import parse_pending, receive_upload  # noqa: E402
from interviews.note_import.plan import FACILITATOR, NOTE_TAKER, STUDENT, guess_mapping, import_notes, plan_for  # noqa: E402
from participants.models import School, Student  # noqa: E402
from programs.models import Membership, Program, Role  # noqa: E402

QUESTIONS = ["Tell me about a day at school when you felt you belonged.", "What is lunch like for you?",
             "Who do you go to when something goes wrong?", "Describe a class where you feel heard.",
             "What makes it hard to get to school some days?", "If you could change one thing here, what would it be?"]
PHRASES = ["the line for lunch is really long", "I sit with my friends from band", "la cafetería es muy ruidosa",
           "my counselor helps me when I ask", "sometimes nobody listens", "the bus comes late so I miss first period",
           "in science we get to talk about our ideas", "I wish we had more time between classes", "yeah same",
           "it depends on the teacher honestly", "mi mamá trabaja temprano entonces camino", "I feel heard in art"]
STUDENTS = ["Avery Lin", "Bruno Díaz", "Chloé Martin", "Dev Patel", "Eun-ji Park", "Farah Haddad", "Gabriel Souza",
            "Hana Sato"]


def stamp(ms: int) -> str:
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def transcript() -> bytes:
    rng = random.Random(18)
    step = MINUTES * 60_000 // CUES
    lines = ["WEBVTT", ""]
    asked = 0
    speaker = "Facilitator Ruiz"
    for n in range(CUES):
        start = n * step
        if n % (CUES // len(QUESTIONS)) == 0 and asked < len(QUESTIONS):
            speaker, text = "Facilitator Ruiz", QUESTIONS[asked]
            asked += 1
        elif n % 97 == 0:
            speaker, text = "Notes Kim", "Several students nodded."
        else:
            if rng.random() < 0.35:  # a speaker keeps the floor over a few cues
                speaker = rng.choice(STUDENTS)
            if speaker in ("Facilitator Ruiz", "Notes Kim"):
                speaker = rng.choice(STUDENTS)
            text = " ".join(rng.sample(PHRASES, 2)) + "."
        lines += [str(n + 1), f"{stamp(start)} --> {stamp(start + step - 200)}", f"<v {speaker}>{text}</v>", ""]
    return "\n".join(lines).encode()


def world():
    User = get_user_model()
    facilitator = User.objects.create_user("bench-facilitator", first_name="Facilitator", last_name="Ruiz")
    note_taker = User.objects.create_user("bench-notes", first_name="Notes", last_name="Kim")
    program = Program.objects.create(name="Transcript bench", slug=f"transcript-bench-{time.time_ns()}",
                                     starts_on=dt.date.today(), ends_on=dt.date.today() + dt.timedelta(days=90))
    protocol = Protocol.objects.create(program=program, marked_ready=True)
    for position, text in enumerate(QUESTIONS, start=1):
        Question.objects.create(protocol=protocol, position=position, text=text)
    school, _ = School.objects.get_or_create(code="TBS", defaults={"name": "Transcript bench school"})
    students = []
    for n, name in enumerate(STUDENTS):
        first, last = name.split(" ")
        students.append(Student.objects.create(local_id=f"TB{time.time_ns()}{n}", first_name=first, last_name=last,
                                               school=school, grade=10))
    session = Session.objects.create(program=program, format=SessionFormat.FOCUS_GROUP, protocol=protocol,
                                     starts_at=timezone.now(), duration_minutes=MINUTES, facilitator=facilitator,
                                     note_taker=note_taker, status=SessionStatus.COMPLETED)
    session.participants.set(students)
    Membership.objects.create(program=program, user=facilitator, role=Role.FACILITATOR)
    return session, facilitator


def page_seconds(session, user, token: str) -> float:
    """The mapping and preview page for the whole transcript, as the facilitator gets it (the second of two views)."""
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    url = reverse("note_import_preview", kwargs={"slug": session.program.slug, "pk": session.pk, "token": token})
    assert client.get(url).status_code == 200
    started = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return time.perf_counter() - started


def main() -> None:
    call_command("migrate", verbosity=0)
    session, user = world()
    data = transcript()
    started = time.perf_counter()
    pending = receive_upload(session=session, upload=SimpleUploadedFile("meeting.vtt", data))
    received = time.perf_counter() - started
    started = time.perf_counter()
    parsed = parse_pending(pending)
    students = list(session.participants.all())
    mapping = guess_mapping(speakers=parsed.speakers(), students=students, session=session)
    preview = plan_for(session=session, pending=pending, mapping=mapping, hand={}, parsed=parsed)
    previewed = time.perf_counter() - started
    page = page_seconds(session, user, pending.token)
    started = time.perf_counter()
    record = import_notes(session=session, pending=pending, mapping=mapping, hand={}, user=user)
    imported = time.perf_counter() - started
    total = received + previewed + imported
    notes = Note.objects.filter(imported_from=record)
    mapped_right = (sum(v.startswith(STUDENT) for v in mapping.values()) == len(STUDENTS)
                    and list(mapping.values()).count(FACILITATOR) == 1 and list(mapping.values()).count(NOTE_TAKER) == 1)
    figures = {
        "benchmark": "transcript_import",
        "database": connection.vendor,
        "cues": CUES,
        "file_kilobytes": round(len(data) / 1024, 1),
        "blocks": len(parsed.blocks),
        "notes_created": notes.count(),
        "questions_found": notes.exclude(question=None).values("question").distinct().count(),
        "speakers_guessed": mapped_right,
        "problems": preview.problems,
        "receive_seconds": round(received, 3),
        "preview_seconds": round(previewed, 3),
        "import_seconds": round(imported, 3),
        "preview_page_seconds": round(page, 3),
        "total_seconds": round(total, 3),
        "bar_under_5_s": total < 5,
    }
    print(f"{CUES} cues ({figures['file_kilobytes']} KB) on {connection.vendor}: {len(parsed.blocks)} blocks, "
          f"{figures['notes_created']} notes over {figures['questions_found']} questions; receive {received:.2f} s, "
          f"preview {previewed:.2f} s (the page {page:.2f} s), import {imported:.2f} s, total {total:.2f} s")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
