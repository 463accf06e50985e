"""Theme-suggestion benchmark: 10,000 synthetic notes through TF-IDF and NMF. Bar: under 15 s.

Run: .venv/bin/python benchmarks/suggest.py
"""

from __future__ import annotations

import json
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.topic_model import suggest_themes  # noqa: E402

NOTES = 10_000
TOPICS = {
    "lunch": ["cafeteria", "loud", "line", "lunch", "table", "friends", "noise", "short"],
    "help": ["tutoring", "ask", "help", "stuck", "teacher", "explain", "homework", "after school"],
    "stress": ["stress", "finals", "sleep", "tired", "worried", "grades", "pressure", "week"],
    "belong": ["club", "team", "robotics", "belong", "welcome", "art room", "library", "new"],
    "adults": ["counselor", "coach", "trust", "noticed", "listen", "adult", "private", "cares"],
    "future": ["college", "job", "future", "career", "plan", "dream", "goal", "years"],
}
FILLER = "i think honestly sometimes when we because and so but the it is was like really".split()


def synthetic_notes(seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    names = list(TOPICS)
    notes = []
    for _ in range(NOTES):
        words = rng.sample(TOPICS[rng.choice(names)], 4) + rng.sample(FILLER, 6)
        rng.shuffle(words)
        notes.append(" ".join(words))
    return notes


def main() -> None:
    notes = synthetic_notes()
    started = time.perf_counter()
    suggestions = suggest_themes(notes, list(range(NOTES)), seed=7)
    seconds = time.perf_counter() - started
    again = suggest_themes(notes, list(range(NOTES)), seed=7)
    figures = {
        "benchmark": "suggest", "notes": NOTES, "seconds": round(seconds, 2), "suggestions": len(suggestions),
        "largest": len(suggestions[0].note_ids) if suggestions else 0,
        "top_words": [list(s.top_words[:4]) for s in suggestions],
        "deterministic": [s.note_ids for s in suggestions] == [s.note_ids for s in again],
        "bar_under_15_s": seconds < 15, "machine": f"{platform.machine()} python {platform.python_version()}",
    }
    print(f"{NOTES} notes in {seconds:.2f} s: {len(suggestions)} suggestions")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
