"""The wording check helps rather than nags: a probe after a question is a follow-up, not a second
question; rewrites are whole sentences a person would ask; questions about other people get a story
prompt about the student's own experience."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from interviews.protocol_check import FindingKind, check_question, flagged_questions, main_question

DATA = Path(__file__).resolve().parent.parent / "data" / "protocol_questions.csv"
FLAGGED_ROWS = [row for row in csv.DictReader(DATA.open(newline="", encoding="utf-8")) if row["label"] != "open"]


def kinds(question: str) -> set[FindingKind]:
    return {finding.kind for finding in check_question(question)}


def rewrites(question: str, kind: FindingKind) -> tuple[str, ...]:
    return next(finding.rewrites for finding in check_question(question) if finding.kind == kind)


@pytest.mark.parametrize("question", [
    "Where do you sit at lunch? Why?",
    "Where do you sit at lunch, and why?",
    "What would you change about this school? Why or why not?",
    "Who do you go to when you need help, and why?",
    "Tell me about a time you felt left out. What happened?",
    "Tell me about your favorite class. What makes it your favorite?",
    "Tell me about a rule that affects you. How does it feel?",
])
def test_a_question_with_its_probe_is_one_question(question):
    assert kinds(question) == set()


@pytest.mark.parametrize("question", [
    "What is your favorite class? What is your least favorite?",
    "How do you get to school, and how long does it take?",
    "What do you like about school, and what would you change?",
])
def test_two_different_things_are_still_two_questions(question):
    assert FindingKind.DOUBLE in kinds(question)


def test_the_main_question_drops_its_probes():
    assert main_question("Where do you sit at lunch? Why?") == "Where do you sit at lunch?"
    assert main_question("Where do you sit at lunch, and why?") == "Where do you sit at lunch?"


@pytest.mark.parametrize(("question", "first"), [
    ("Do you feel like you belong?", "Tell me about the times when you feel like you belong."),
    ("Do you feel safe at school?", "Tell me about the times when you feel safe at school."),
    ("Does your counselor help you?", "Tell me about a time when your counselor helped you."),
    ("Was the first week scary?", "What was the first week like for you?"),
    ("Is it hard to make friends here?", "What is it like to make friends here?"),
    ("Should the school start later?", "What would change for you if the school started later?"),
    ("Is school fun or boring?", "What is school like for you?"),
    ("Will you take AP classes next year?", "How are you deciding whether to take AP classes next year?"),
    ("Do you think the rules are fair?", "What do you think of the rules?"),
    ("The cafeteria is loud, isn't it?", "What is the cafeteria like for you?"),
    ("Don't you think homework is too long?", "What do you think of homework?"),
])
def test_rewrites_are_sentences_a_person_would_ask(question, first):
    assert check_question(question)[0].rewrites[0] == first


def test_the_belonging_rewrite_no_longer_reads_about_like():
    for rewrite in rewrites("Do you feel like you belong?", FindingKind.CLOSED):
        assert "about like" not in rewrite and "or not feel" not in rewrite


@pytest.mark.parametrize("row", FLAGGED_ROWS, ids=lambda row: row["question"][:40])
def test_every_rewrite_of_a_real_question_is_whole_and_open(row):
    for finding in check_question(row["question"]):
        for rewrite in finding.rewrites:
            assert "…" not in rewrite and " about to " not in rewrite and "  " not in rewrite
            assert rewrite[0].isupper() and rewrite[-1] in ".?"
            assert not kinds(rewrite) & {FindingKind.CLOSED, FindingKind.LEADING, FindingKind.OTHERS, FindingKind.DOUBLE}


def test_a_question_about_other_people_gets_a_story_prompt():
    assert kinds("Why do students misbehave in the cafeteria?") == {FindingKind.OTHERS}
    assert rewrites("Why do students misbehave in the cafeteria?", FindingKind.OTHERS)[0] == (
        "Tell me about a time in the cafeteria that stuck with you.")


@pytest.mark.parametrize("question", [
    "How do students decide where to sit at lunch?",
    "What worries students here that adults might not notice?",
    "Tell me about a time you helped another student.",
    "What makes you feel welcome here?",
])
def test_asking_about_the_students_own_world_is_not_about_others(question):
    assert FindingKind.OTHERS not in kinds(question)


def test_flagged_questions_name_their_position():
    flagged = flagged_questions(["Tell me about lunch.", "Do you like math?", "What helps you learn?"])
    assert [(number, text) for number, text, _ in flagged] == [(2, "Do you like math?")]
