"""The wording check measured on questions from published empathy-interview protocols and question
guides (tests/data/protocol_questions.csv): it catches closed and leading questions and leaves open
ones alone. benchmarks/protocol_check.py prints the same figures."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from interviews.protocol_check import check_question

DATA = Path(__file__).resolve().parent.parent / "data" / "protocol_questions.csv"
LABELS = {"open", "closed", "leading", "double", "others"}
ROWS = list(csv.DictReader(DATA.open(newline="", encoding="utf-8")))


def kinds(question: str) -> set[str]:
    return {finding.kind.value for finding in check_question(question)}


def recall(label: str) -> float:
    rows = [row for row in ROWS if row["label"] == label]
    return sum(label in kinds(row["question"]) for row in rows) / len(rows)


def test_the_labelled_set_is_large_labelled_and_sourced():
    assert len(ROWS) >= 80
    assert {row["label"] for row in ROWS} == LABELS
    assert all(row["question"].strip() and row["source"].strip() for row in ROWS)
    assert len({row["question"] for row in ROWS}) == len(ROWS)
    assert min(Counter(row["label"] for row in ROWS).values()) >= 10


@pytest.mark.parametrize("label", ["closed", "leading"])
def test_recall_of_closed_and_leading_questions_is_at_least_095(label):
    assert recall(label) >= 0.95


def test_at_most_one_open_question_in_20_is_flagged():
    opens = [row["question"] for row in ROWS if row["label"] == "open"]
    flagged = [question for question in opens if kinds(question)]
    assert len(flagged) / len(opens) <= 1 / 20, flagged


def test_questions_about_other_people_are_mostly_caught():
    assert recall("others") >= 0.9
