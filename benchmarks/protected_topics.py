"""Protected-topics check (interviews/protected_topics.py) on labelled questions: tests/data/protected_topics.csv.

Each row is a question in English or Spanish labelled with the PPRA area it touches (political, mental, sex,
illegal, family, privileged, religion, income) or "none". A labelled question counts as caught when the check
reports its area; an ordinary ("none") question counts as a false alarm when the check reports any area. As a
second, independent set of ordinary questions, the wording check's labelled sets (tests/data/protocol_questions.csv
and protocol_questions_es.csv, paraphrased from published empathy-interview guides and not written for this check)
are read too: every row there is an ordinary question for this check. Bars
(tests/interviews/test_protected_topics.py): recall at least 0.9, at most one ordinary question in ten flagged.
The last line is one JSON object with the figures.

Run: DEBUG=true .venv/bin/python benchmarks/protected_topics.py
"""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "empathy.settings")

import django  # noqa: E402

django.setup()

from interviews.protected_topics import protected_areas  # noqa: E402

DATA = ROOT / "tests" / "data" / "protected_topics.csv"
ORDINARY = ((ROOT / "tests" / "data" / "protocol_questions.csv", "en"),
            (ROOT / "tests" / "data" / "protocol_questions_es.csv", "es"))


def _read(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def measure(rows: list[dict]) -> dict:
    counts, caught, misses, false_alarms = Counter(), Counter(), [], []
    for row in rows:
        area, found = row["area"], {a.value for a in protected_areas(row["question"], language=row["language"])}
        counts[area] += 1
        if area == "none":
            if found:
                false_alarms.append((row["question"], sorted(found)))
        elif area in found:
            caught[area] += 1
        else:
            misses.append((row["question"], area, sorted(found)))
    protected = sum(n for area, n in counts.items() if area != "none")
    figures = {
        "questions": len(rows), "english": sum(r["language"] == "en" for r in rows),
        "spanish": sum(r["language"] == "es" for r in rows),
        "protected_n": protected, "recall": round(sum(caught.values()) / protected, 3) if protected else None,
        "none_n": counts["none"],
        "none_flagged_rate": round(len(false_alarms) / counts["none"], 3) if counts["none"] else None,
    }
    for area in sorted(a for a in counts if a != "none"):
        figures[f"{area}_recall"] = round(caught[area] / counts[area], 3)
    return {"figures": figures, "misses": misses, "false_alarms": false_alarms}


def independent_ordinary() -> dict:
    rows = [(row["question"], language) for path, language in ORDINARY for row in _read(path)]
    flagged = [(q, sorted(a.value for a in protected_areas(q, language=lang))) for q, lang in rows
               if protected_areas(q, language=lang)]
    return {"n": len(rows), "flagged": flagged, "rate": round(len(flagged) / len(rows), 3) if rows else None}


def main() -> None:
    started = time.perf_counter()
    result = measure(_read(DATA))
    independent = independent_ordinary()
    elapsed = time.perf_counter() - started
    for question, area, found in result["misses"]:
        print(f"missed {area}: {question} (found: {', '.join(found) or 'nothing'})")
    for question, found in result["false_alarms"] + independent["flagged"]:
        print(f"false alarm ({', '.join(found)}): {question}")
    figures = dict(result["figures"])
    figures["independent_ordinary_n"] = independent["n"]
    figures["independent_ordinary_flagged_rate"] = independent["rate"]
    figures["seconds"] = round(elapsed, 3)
    for name, value in figures.items():
        print(f"{name}: {value}")
    print(json.dumps(figures, sort_keys=True))


if __name__ == "__main__":
    main()
