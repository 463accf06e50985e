"""Roster import benchmark: 10,000 students from CSV, then the same file again (no changes).

Bar: under 10 s on SQLite and on PostgreSQL. Uses DATABASE_URL when set (a scratch database:
its students are replaced), otherwise a fresh SQLite file in a temporary folder.
Run: .venv/bin/python benchmarks/roster_import.py
"""

from __future__ import annotations

import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ROWS = 10_000

scratch = tempfile.mkdtemp()
os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch}/bench.sqlite3")
os.environ.setdefault("DEBUG", "true")
os.environ["DJANGO_SETTINGS_MODULE"] = "empathy.settings"

import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from participants.models import School, Student  # noqa: E402
from participants.roster import default_mapping, import_students  # noqa: E402
from toolkit.tables import read_table  # noqa: E402


def roster_csv() -> bytes:
    rng = random.Random(5)
    lines = ["Student ID,First Name,Last Name,School,Grade,Gender,Race/Ethnicity,EL,SpEd,GPA,Groups,Foster Youth"]
    for i in range(ROWS):
        lines.append(",".join([
            f"B{i:06d}", f"First{i}", f"Last{i}", rng.choice(["BHS", "BMS"]), str(rng.randint(6, 12)),
            rng.choice("FMX"), rng.choice(["Asian", "White", "Hispanic or Latino", "Black or African American"]),
            rng.choice("YN"), rng.choice("YN"), f"{rng.uniform(1, 4):.2f}", rng.choice(["AVID", "Band", "", "AVID;Band"]),
            rng.choice("YN"),
        ]))
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    call_command("migrate", verbosity=0)
    Student.objects.filter(local_id__startswith="B").delete()
    for code in ("BHS", "BMS"):
        School.objects.get_or_create(code=code, defaults={"name": f"Bench {code}"})
    content = roster_csv()
    started = time.perf_counter()
    table = read_table(content, "bench.csv")
    first = import_students(table, default_mapping(table.headers))
    first_seconds = time.perf_counter() - started
    started = time.perf_counter()
    table = read_table(content, "bench.csv")
    second = import_students(table, default_mapping(table.headers))
    second_seconds = time.perf_counter() - started
    figures = {
        "benchmark": "roster_import",
        "database": connection.vendor,
        "rows": ROWS,
        "first_import_seconds": round(first_seconds, 2),
        "created": first.created,
        "reimport_seconds": round(second_seconds, 2),
        "reimport_unchanged": second.unchanged,
        "bar_under_10_s": first_seconds < 10 and second_seconds < 10,
    }
    print(f"{ROWS} rows on {connection.vendor}: first import {first_seconds:.2f} s, re-import {second_seconds:.2f} s")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
