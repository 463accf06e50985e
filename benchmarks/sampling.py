"""Sampling benchmark: 5,000 synthetic students, 7 criteria, a 40-student sample.

Bars: under 2 s, and a largest gap at most half the mean largest gap of 200 simple random
samples of the same size. Also shows that an impossible minimum is reported, not dropped.
Run: .venv/bin/python benchmarks/sampling.py
"""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The sampler's messages are translatable, so Django's apps and settings are set up first (no database is used).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "empathy.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-" + "k" * 50)
import django  # noqa: E402

django.setup()

from participants.sampling import (  # noqa: E402
    Minimum,
    SampleRequest,
    SamplingInfeasible,
    Unit,
    choose_sample,
    largest_gap,
    representativeness,
)

POPULATION = 5000
SAMPLE = 40
RANDOM_SAMPLES = 200
CRITERIA = ["school", "grade", "gender", "race_ethnicity", "english_learner", "special_education", "gpa_band"]


def synthetic_population(seed: int = 7) -> list[Unit]:
    rng = random.Random(seed)
    schools = ["North HS", "South HS", "East MS", "West MS", "Central K-8"]
    races = (["Hispanic or Latino"] * 40 + ["White"] * 25 + ["Asian"] * 12 + ["Black"] * 10 + ["Filipino"] * 6
             + ["Pacific Islander"] * 3 + ["Native American"] * 2 + ["Two or more"] * 2)
    units = []
    for i in range(POPULATION):
        units.append(Unit(id=i, features={
            "school": frozenset({rng.choices(schools, weights=[30, 25, 20, 15, 10])[0]}),
            "grade": frozenset({f"Grade {rng.randint(6, 12)}"}),
            "gender": frozenset({rng.choices(["Female", "Male", "Nonbinary"], weights=[49, 49, 2])[0]}),
            "race_ethnicity": frozenset({rng.choice(races)}),
            "english_learner": frozenset({"Yes" if rng.random() < 0.2 else "No"}),
            "special_education": frozenset({"Yes" if rng.random() < 0.12 else "No"}),
            "gpa_band": frozenset({rng.choices(["Below 2.0", "2.0–2.9", "3.0–3.4", "3.5 and above"], weights=[15, 35, 25, 25])[0]}),
            "group": frozenset({rng.choice(["AVID", "Robotics", "Newcomer", "Band", "None"])}),
        }))
    return units


def main() -> None:
    population = synthetic_population()
    request = SampleRequest(
        size=SAMPLE, criteria=CRITERIA, seed=1,
        minimums=[Minimum("school", 1), Minimum("group", 2)],
    )
    started = time.perf_counter()
    result = choose_sample(population, request)
    seconds = time.perf_counter() - started

    rng = random.Random(99)
    random_gaps = []
    for _ in range(RANDOM_SAMPLES):
        sample = rng.sample(population, SAMPLE)
        random_gaps.append(largest_gap(representativeness(population=population, sample=sample, criteria=CRITERIA)))
    mean_random = statistics.mean(random_gaps)

    try:
        choose_sample(population, SampleRequest(size=3, criteria=CRITERIA, minimums=[Minimum("school", 1)]))
        impossible_reported = False
    except SamplingInfeasible as refusal:
        impossible_reported = True
        print("impossible minimum reported as:", refusal.problems[0])

    figures = {
        "benchmark": "sampling",
        "population": POPULATION,
        "criteria": len(CRITERIA),
        "sample_size": SAMPLE,
        "seconds": round(seconds, 3),
        "largest_gap_points": result.largest_gap_points,
        "mean_random_largest_gap_points": round(mean_random, 2),
        "ratio_to_random": round(result.largest_gap_points / mean_random, 3),
        "bar_seconds_under_2": seconds < 2,
        "bar_gap_at_most_half_of_random": result.largest_gap_points <= mean_random / 2,
        "impossible_minimum_reported": impossible_reported,
        "machine": f"{platform.machine()} {platform.processor() or ''} python {platform.python_version()}".strip(),
    }
    print(f"sample of {SAMPLE} from {POPULATION} in {seconds:.2f} s; largest gap {result.largest_gap_points} points "
          f"vs {mean_random:.1f} for simple random samples")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
