"""Labelled questions written for this project: what the wording check must and must not flag."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interviews.protocol_check import QUESTION_MAX_WORDS, FindingKind, check_question

CLOSED, LEADING, DOUBLE, LONG = FindingKind.CLOSED, FindingKind.LEADING, FindingKind.DOUBLE, FindingKind.LONG

OPEN = [
    "Tell me about a time you felt you belonged at school.",
    "Tell me about your favorite class this year.",
    "What advice would you give a new student at this school?",
    "How do you feel about math class?",
    "Describe a time when a teacher made a difference for you.",
    "Can you tell me about a time when you felt left out?",
    "Could you describe what a good day at school looks like for you?",
    "Can you give me an example of when that happened?",
    "What is lunch like for you?",
    "How would you describe the adults in this building?",
    "What was it like when you first arrived here?",
    "Walk me through a typical morning before school.",
    "What makes a class feel safe to speak up in?",
    "Why do you think you stopped coming to tutoring?",
    "When do you feel most proud of your work?",
    "Where in the school do you feel most comfortable?",
    "Who do you go to when something is wrong?",
    "What would you change about this school if you could?",
    "Share a moment when you felt respected by a teacher.",
    "In what ways does your family support your learning?",
    "How do students decide where to sit at lunch?",
    "What do you wish teachers knew about you?",
    "Would you tell me more about that?",
    "Can you think of a time when you needed help and got it?",
    "What helps you learn best?",
    "How did you decide to join robotics?",
    "What is hard about asking for help in class?",
    "Talk about a time you disagreed with a rule.",
    "What do you hope to be doing after high school?",
    "How does it feel to be new to this country and this school?",
]
FLAGGED = [
    ("Do you like math?", {CLOSED}),
    ("Is it hard to make friends here?", {CLOSED}),
    ("Have you ever felt unsafe at school?", {CLOSED}),
    ("Can you ask your teachers for help?", {CLOSED}),
    ("Would you join a club if there were more?", {CLOSED}),
    ("Are there adults you trust here?", {CLOSED}),
    ("Did you enjoy the field trip?", {CLOSED}),
    ("Does your counselor help you?", {CLOSED}),
    ("Was the first week scary?", {CLOSED}),
    ("Were your classes too easy last year?", {CLOSED}),
    ("Should the school start later?", {CLOSED}),
    ("Will you take AP classes next year?", {CLOSED}),
    ("Do you think the rules are fair?", {CLOSED}),
    ("Is there anything else you want to share?", {CLOSED}),
    ("Have you been bullied?", {CLOSED}),
    ("Could you get help after school?", {CLOSED}),
    ("Math is stressful, right?", {CLOSED}),
    ("You like your advisory, don't you?", {CLOSED}),
    ("The cafeteria is loud, isn't it?", {CLOSED}),
    ("Do you prefer group work or working alone?", {CLOSED}),
    ("Is school fun or boring?", {CLOSED}),
    ("Which is better, online or in person?", {CLOSED}),
    ("Don't you think homework is too long?", {LEADING}),
    ("Wouldn't you agree that the new schedule is better?", {LEADING}),
    ("Isn't it true that students feel safer now?", {LEADING}),
    ("Surely the teachers here are helpful?", {LEADING}),
    ("How much do you love the new library?", {LEADING}),
    ("How do you feel about math and what would you change about it?", {DOUBLE}),
    ("What do you like about school? What do you dislike?", {DOUBLE}),
    ("How do you get to school and how long does it take?", {DOUBLE}),
    ("Do you feel safe and do you feel welcome?", {CLOSED, DOUBLE}),
    ("Tell me about your teachers and what do they expect from you?", {DOUBLE}),
    ("Why do you think some students stop coming to tutoring?", {FindingKind.OTHERS}),
    ("Thinking back over everything that has happened this year in all of your classes, clubs, sports and time "
     "with friends, what has been the single most important thing you learned about yourself?", {LONG}),
    ("When you think about all of the different adults you see every day in this building, from the front office "
     "to the cafeteria to your classes, who feels like someone you could go to?", {LONG}),
]


def kinds(question: str) -> set[FindingKind]:
    return {finding.kind for finding in check_question(question)}


def test_there_are_at_least_60_labelled_questions():
    assert len(OPEN) + len(FLAGGED) >= 60


@pytest.mark.parametrize("question", OPEN)
def test_open_questions_pass(question):
    assert check_question(question) == []


@pytest.mark.parametrize(("question", "expected"), FLAGGED)
def test_problem_questions_are_flagged(question, expected):
    assert kinds(question) == expected


@pytest.mark.parametrize(("question", "_"), FLAGGED)
def test_every_finding_explains_itself_and_offers_an_open_rewrite(question, _):
    for finding in check_question(question):
        assert finding.explanation.endswith(".") and len(finding.explanation) > 30
        assert finding.rewrites
        if finding.kind == CLOSED:
            assert all(not kinds(rewrite.replace("…", "school")) & {CLOSED} for rewrite in finding.rewrites)


def test_do_you_like_math_gets_a_concrete_rewrite():
    (finding,) = check_question("Do you like math?")
    assert finding.rewrites[0] == "What do you like, or not like, about math? Tell me about a time that shows it."


def test_have_you_ever_becomes_a_story_prompt():
    assert check_question("Have you ever been bullied?")[0].rewrites[0] == "Tell me about a time when you were bullied."


def test_a_double_question_is_split_in_two():
    finding = next(f for f in check_question("How do you get to school and how long does it take?") if f.kind == DOUBLE)
    assert finding.rewrites == ("How do you get to school?", "How long does it take?")


def test_the_length_limit_is_the_named_constant():
    at_limit = "What " + " ".join(["word"] * (QUESTION_MAX_WORDS - 1)) + "?"
    assert LONG not in kinds(at_limit)
    assert LONG in kinds(at_limit.replace("What ", "What more "))


def test_curly_quotes_and_spacing_do_not_matter():
    assert kinds("  Don’t   you think lunch is too short? ") == {LEADING}


@given(st.text(max_size=400))
def test_any_text_gives_findings_not_a_crash(text):
    for finding in check_question(text):
        assert finding.kind in FindingKind and finding.rewrites
