"""Suppression benchmark: how long deciding every count published together takes.

A program's pages, CSV and reports take their counts from one decision (`analysis/disclosure.py`):
every theme by every attribute. This times that decision for a small program (the demo's size), a
large one (500 interviewed students, 10 themes, 8 attributes, grades nested in 5 schools) and the
ten-times-the-demo program of the speed issue (2,000 students on the roster, 200 interviewed),
and counts what is withheld. Bar: the large program under 150 ms, so a page can afford it.
Run: .venv/bin/python benchmarks/suppression.py
"""

from __future__ import annotations

import json
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.disclosure import Structure, nesting, suppress_publication  # noqa: E402
from analysis.suppression import Hidden  # noqa: E402

CRITERIA = ("grade", "school", "gender", "race_ethnicity", "english_learner", "special_education", "gpa_band", "group")
MULTI = frozenset({"race_ethnicity", "group"})
SCHOOLS = {"North HS": range(9, 13), "South HS": range(9, 13), "East MS": range(6, 9), "West MS": range(6, 9),
           "Central K-8": range(3, 6)}
RACES = ["Hispanic or Latino", "White", "Asian", "Black", "Filipino", "Pacific Islander", "Native American"]


def student(rng: random.Random) -> dict:
    school = rng.choice(list(SCHOOLS))
    races = rng.sample(RACES, 2) if rng.random() < 0.08 else [rng.choices(RACES, [40, 25, 12, 10, 6, 3, 2])[0]]
    groups = [g for g in ("Newcomers", "Robotics", "Choir", "Athletes") if rng.random() < 0.15] or ["No group"]
    return {"school": (school,), "grade": (f"Grade {rng.choice(list(SCHOOLS[school]))}",),
            "gender": (rng.choices(["Female", "Male", "Nonbinary"], [48, 48, 4])[0],), "race_ethnicity": tuple(races),
            "english_learner": (rng.choices(["Yes", "No"], [22, 78])[0],),
            "special_education": (rng.choices(["Yes", "No"], [13, 87])[0],),
            "gpa_band": (rng.choice(["Below 2.0", "2.0–2.9", "3.0–3.4", "3.5 and above"]),), "group": tuple(groups)}


def program(interviewed: int, themes: int, roster: int, seed: int) -> dict:
    rng = random.Random(seed)
    population = [student(rng) for _ in range(roster)]
    chosen = rng.sample(range(roster), interviewed)
    students = {i: population[i] for i in chosen}
    raised = {f"theme {k}": {i for i in chosen if rng.random() < rng.uniform(0.15, 0.85)} for k in range(themes)}
    categories = {c: {v for features in population for v in features[c]} for c in CRITERIA}
    structure = Structure(CRITERIA, MULTI, nesting(population, criteria=CRITERIA, multi_valued=MULTI))
    return {"students": students, "raised": raised, "structure": structure, "categories": categories}


def measure(name: str, interviewed: int, themes: int, roster: int, runs: int = 7) -> dict:
    data = program(interviewed, themes, roster, seed=interviewed + themes)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        publication = suppress_publication(threshold=5, **data)
        times.append(time.perf_counter() - started)
    cells = [cell for by_criterion in publication.raised_cells.values() for cells in by_criterion.values()
             for cell in cells.values()]
    shown = sum(cell.hidden == Hidden.SHOWN for cell in cells)
    result = {"program": name, "interviewed": interviewed, "themes": themes, "roster": roster,
              "median_ms": round(1000 * statistics.median(times), 1), "max_ms": round(1000 * max(times), 1),
              "raised_cells": len(cells), "shown": shown,
              "linked": [data["structure"].linked.first, data["structure"].linked.second,
                         len(set(data["structure"].linked.component.values()))] if data["structure"].linked else None}
    print(f"{name:<28} {interviewed:>4} interviewed, {themes:>2} themes: median {result['median_ms']} ms, "
          f"max {result['max_ms']} ms; {shown} of {len(cells)} raised-counts shown; linked: {result['linked']}")
    return result


def main() -> None:
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")
    results = [measure("demo-sized", 10, 3, 200), measure("ten times the demo", 200, 10, 2000),
               measure("large", 500, 10, 5000)]
    passed = results[-1]["median_ms"] < 150
    print(json.dumps({"benchmark": "suppression", "results": results, "bar_ms": 150, "passed": passed}))
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
