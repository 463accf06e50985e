"""Report rendering benchmark: a synthetic program of 60 students, 100 sessions, 3,000 notes,
5,000 coded spans and 20 themes. Prints the thematic report's render time, page count, peak memory,
the time WeasyPrint alone takes on the same HTML and the ratio; and the render time at 1,000 and
3,000 notes to show it grows about linearly. Bars: under 30 s, under 800 MB, ratio at most 1.3.

Run: .venv/bin/python benchmarks/report_render.py   (a fresh SQLite file in a temporary folder)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import random
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
scratch = tempfile.mkdtemp(prefix="report-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
os.environ.setdefault("DEBUG", "true")
os.environ["MEDIA_ROOT"] = f"{scratch}/media"
os.environ["DJANGO_SETTINGS_MODULE"] = "empathy.settings"

import django  # noqa: E402

django.setup()
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from analysis.models import Category, Code, CodeApplication, Theme, ThemeQuote  # noqa: E402
from interviews.models import Note, Protocol, Question, Session, SessionFormat, SessionStatus  # noqa: E402
from participants.models import School, Student  # noqa: E402
from programs.models import Program  # noqa: E402
from recruitment.models import ConsentStatus, Invitation  # noqa: E402
from reports.models import Report, ReportKind  # noqa: E402
from reports.render import html_to_pdf, report_html  # noqa: E402

WORDS = ("lunch loud teacher help stress friends club tutoring bus homework counselor quiet line safe belong "
         "library coach math future worried proud team welcome rules").split()


def build(slug: str, notes_total: int, rng: random.Random) -> Program:
    lead, _ = get_user_model().objects.get_or_create(username="bench-lead")
    program = Program.objects.create(slug=slug, name=f"Benchmark {slug}", theme="Belonging", purpose="A benchmark.",
                                     starts_on=dt.date(2026, 9, 1), ends_on=dt.date(2027, 6, 1), suppression_threshold=5)
    school, _ = School.objects.get_or_create(code="BN", defaults={"name": "Bench High"})
    program.schools.add(school)
    students = [Student.objects.create(local_id=f"{slug}-{i}", first_name="First", last_name=f"Last{i}", school=school,
                                       grade=9 + i % 4, english_learner=i % 5 == 0) for i in range(60)]
    Invitation.objects.bulk_create([Invitation(program=program, student=s, parent_consent=ConsentStatus.GRANTED,
                                               student_assent=ConsentStatus.GRANTED) for s in students])
    protocol = Protocol.objects.create(program=program, version=1, marked_ready=True, purpose="p", guidelines="g", wrap_up="w")
    questions = [Question.objects.create(protocol=protocol, position=n, text=f"Tell me about topic {n}.") for n in range(1, 7)]
    sessions = []
    for i in range(100):
        session = Session.objects.create(program=program, format=SessionFormat.FOCUS_GROUP, protocol=protocol, facilitator=lead,
                                         starts_at=timezone.now() - dt.timedelta(days=i), status=SessionStatus.COMPLETED)
        session.participants.set(rng.sample(students, 6))
        sessions.append(session)
    notes = Note.objects.bulk_create([
        Note(id=uuid.uuid4(), session=sessions[i % 100], step="question", question=questions[i % 6],
             student=students[i % 60], kind="student", text=" ".join(rng.choices(WORDS, k=22)))
        for i in range(notes_total)
    ])
    category = Category.objects.create(program=program, name="Findings")
    codes = [Code.objects.create(program=program, category=category, name=f"Code {i}") for i in range(20)]
    spans = notes_total * 5 // 3  # 5,000 spans for 3,000 notes
    CodeApplication.objects.bulk_create([
        CodeApplication(note=notes[i % notes_total], code=codes[i % 20], start=0, end=10 + i % 7,
                        snippet=notes[i % notes_total].text[:10 + i % 7], stance=("challenge", "suggestion", "aspiration")[i % 3])
        for i in range(spans)
    ], batch_size=2000)
    for i, code in enumerate(codes):
        theme = Theme.objects.create(program=program, category=category, name=f"Theme {i}", insight="Insight " * 8,
                                     root_causes="Causes " * 6)
        theme.codes.add(code)
        for application in CodeApplication.objects.filter(code=code)[:3]:
            ThemeQuote.objects.create(theme=theme, note=application.note, start=application.start, end=application.end,
                                      snippet=application.snippet)
    return program


def measure(program: Program) -> dict:
    report = Report.objects.create(program=program, kind=ReportKind.THEMATIC, options={"summary": "Benchmark.", "patterns": True})
    started = time.perf_counter()
    html = report_html(report)
    html_seconds = time.perf_counter() - started
    pdf, pages = html_to_pdf(html)
    total = time.perf_counter() - started
    started = time.perf_counter()
    html_to_pdf(html)  # WeasyPrint alone, on the same HTML
    weasyprint_alone = time.perf_counter() - started
    return {"seconds": round(total, 2), "html_seconds": round(html_seconds, 2), "pages": pages,
            "weasyprint_alone_seconds": round(weasyprint_alone, 2), "ratio": round(total / weasyprint_alone, 2),
            "bytes": len(pdf)}


def main() -> None:
    call_command("migrate", verbosity=0)
    rng = random.Random(11)
    measure(build("warmup", 300, rng))  # imports, fonts and caches load here, not in the figures
    small = measure(build("small", 1000, rng))
    large = measure(build("large", 3000, rng))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "benchmark": "report_render", "students": 60, "sessions": 100, "notes": 3000, "coded_spans": 5000, "themes": 20,
        "render_seconds": large["seconds"], "pages": large["pages"], "peak_memory_mb": round(peak_mb),
        "weasyprint_alone_seconds": large["weasyprint_alone_seconds"], "ratio": large["ratio"],
        "render_seconds_at_1000_notes": small["seconds"], "render_seconds_at_3000_notes": large["seconds"],
        "bar_under_30_s": large["seconds"] < 30, "bar_under_800_mb": peak_mb < 800, "bar_ratio_at_most_1_3": large["ratio"] <= 1.3,
        "machine": f"{os.cpu_count()} cores {platform.machine()}, python {platform.python_version()}",
    }
    print(f"3,000 notes: {large['seconds']} s, {large['pages']} pages, peak {peak_mb:.0f} MB, WeasyPrint alone "
          f"{large['weasyprint_alone_seconds']} s (ratio {large['ratio']}); 1,000 notes: {small['seconds']} s")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
