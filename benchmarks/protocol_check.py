"""Protocol wording check on labelled questions: English (tests/data/protocol_questions.csv) and
Spanish (tests/data/protocol_questions_es.csv, read by the Spanish check).

Each row is a question paraphrased from a published empathy-interview protocol or question guide,
labelled open, closed, leading, double or others. A labelled problem counts as caught when the check
reports that kind of finding; an open question counts as a false alarm when the check reports
anything. Bars (tests/interviews/test_protocol_check_labelled.py): recall of closed and of leading
questions at least 0.95, and at most one open question in 20 flagged, in each language
(tests/interviews/test_protocol_check_es.py for the Spanish set). The last line is one JSON object: the
English figures as before, and the Spanish ones under "es".

Run: DEBUG=true .venv/bin/python benchmarks/protocol_check.py
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "empathy.settings")

import django  # noqa: E402

django.setup()

from interviews.protocol_check import check_question  # noqa: E402

DATA = ROOT / "tests" / "data" / "protocol_questions.csv"
DATA_ES = ROOT / "tests" / "data" / "protocol_questions_es.csv"
PROBLEMS = ("closed", "leading", "double", "others")


def measure(rows: list[dict], language: str | None = None) -> dict:
    counts, caught, misses, false_alarms = Counter(), Counter(), [], []
    for row in rows:
        label = row["label"]
        kinds = {finding.kind.value for finding in check_question(row["question"], language=language)}
        counts[label] += 1
        if label == "open":
            if kinds:
                false_alarms.append((row["question"], sorted(kinds)))
        elif label in kinds:
            caught[label] += 1
        else:
            misses.append((row["question"], label, sorted(kinds)))
    figures = {"questions": len(rows), "publications": len({row["source"].split(",")[0] for row in rows})}
    for label in PROBLEMS:
        figures[f"{label}_recall"] = round(caught[label] / counts[label], 3) if counts[label] else None
        figures[f"{label}_n"] = counts[label]
    figures["open_n"] = counts["open"]
    figures["open_flagged_rate"] = round(len(false_alarms) / counts["open"], 3) if counts["open"] else None
    return {"figures": figures, "misses": misses, "false_alarms": false_alarms}


def _read(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def main() -> None:
    results = {"en": measure(_read(DATA), "en"), "es": measure(_read(DATA_ES), "es")}
    for language, result in results.items():
        for question, label, kinds in result["misses"]:
            print(f"[{language}] missed {label}: {question} (found: {', '.join(kinds) or 'nothing'})")
        for question, kinds in result["false_alarms"]:
            print(f"[{language}] open question flagged: {question} ({', '.join(kinds)})")
    print(f"[es] {json.dumps(results['es']['figures'])}")
    print(json.dumps({**results["en"]["figures"], "es": results["es"]["figures"]}))


if __name__ == "__main__":
    main()
