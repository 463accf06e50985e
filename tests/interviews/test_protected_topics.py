"""The protected-topics check (interviews/protected_topics.py): areas the PPRA names, flagged in English and
Spanish with the area and why, and a protocol that asks about them kept from "ready" until the consent letter
names each and offers the opt-out."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.urls import reverse

from interviews.protected_topics import (
    Area,
    letter_gaps,
    protected_areas,
    protected_findings,
    protocol_topics,
)
from interviews.protocols import ProtocolNotReady, mark_ready, readiness_problems
from recruitment.models import ConsentLetter
from tests.factories import ready_protocol
from tests.test_helpers import login

DATA = Path(__file__).resolve().parent.parent / "data"


def rows(name: str) -> list[dict]:
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


LABELLED = rows("protected_topics.csv")


def test_the_labelled_set_is_large_enough_in_both_languages_and_names_its_sources():
    assert len(LABELLED) >= 60
    assert {r["language"] for r in LABELLED} == {"en", "es"}
    assert {r["area"] for r in LABELLED} == {*(a.value for a in Area), "none"}
    assert all(r["source"].strip() for r in LABELLED)
    assert sum(r["area"] == "none" for r in LABELLED) >= 30


def test_recall_is_at_least_nine_in_ten():
    protected = [r for r in LABELLED if r["area"] != "none"]
    caught = [r for r in protected if r["area"] in protected_areas(r["question"], language=r["language"])]
    assert len(caught) / len(protected) >= 0.9, [r["question"] for r in protected if r not in caught]
    for language in ("en", "es"):
        mine = [r for r in protected if r["language"] == language]
        assert sum(r in caught for r in mine) / len(mine) >= 0.9


def test_at_most_one_ordinary_question_in_ten_is_flagged():
    ordinary = [r for r in LABELLED if r["area"] == "none"]
    flagged = [r["question"] for r in ordinary if protected_areas(r["question"], language=r["language"])]
    assert len(flagged) / len(ordinary) <= 0.1, flagged


def test_the_wording_checks_published_questions_are_ordinary_here_too():
    # Not written for this check: every row is an ordinary empathy-interview question.
    independent = [(r["question"], "en") for r in rows("protocol_questions.csv")]
    independent += [(r["question"], "es") for r in rows("protocol_questions_es.csv")]
    flagged = [q for q, language in independent if protected_areas(q, language=language)]
    assert len(flagged) / len(independent) <= 0.1, flagged


@pytest.mark.parametrize("question, area", [
    ("What makes you feel anxious at school?", Area.MENTAL),
    ("¿Qué te hace sentir ansiosa en la escuela?", Area.MENTAL),
    ("How much money does your family make?", Area.INCOME),
    ("¿Con qué frecuencia va tu familia a la iglesia?", Area.RELIGION),
])
def test_a_protected_question_says_which_area_and_why(question, area):
    (finding,) = protected_findings(question)
    assert finding.area == area
    assert str(finding.label).startswith("Protected topic") and "opt-out" in finding.explanation
    assert finding.words.lower() in question.lower()


@pytest.mark.parametrize("question", [
    "What do you enjoy about math class?", "How do you feel when a teacher calls on you?",
    "¿Qué te gusta de la clase de matemáticas?", "Tell me about the last time you felt stressed about school."])
def test_feelings_alone_are_not_a_protected_topic(question):
    assert protected_findings(question) == []


class Letter:
    def __init__(self, text="", translations=None):
        self.protected_topics, self.translations = text, translations or {}


def test_the_letter_must_name_every_flagged_area_and_offer_the_opt_out():
    areas = {Area.MENTAL, Area.INCOME}
    (missing,) = letter_gaps(areas=areas, letter=None)
    assert "mental or psychological problems" in missing and "income" in missing and "opts out" in missing
    (gap,) = letter_gaps(areas=areas, letter=Letter("Some questions ask about anxiety."))
    assert "income" in gap and "mental" not in gap
    (opt_out,) = letter_gaps(areas=areas, letter=Letter("Some questions ask about anxiety and income."))
    assert "does not say how a family opts out" in opt_out
    assert letter_gaps(areas=areas, letter=Letter(
        "Questions touch anxiety and family income. You may opt your child out of them.")) == []
    spanish = Letter("", {"es": {"protected_topics": "Algunas preguntas tratan de la ansiedad y los ingresos de la "
                                                   "familia. Puede excluir a su hijo de esas preguntas."}})
    assert letter_gaps(areas=areas, letter=spanish) == []
    assert letter_gaps(areas=set(), letter=None) == []
    # Every letter speaks of families: the family area is named only by what the questions ask about them.
    assert letter_gaps(areas={Area.FAMILY}, letter=Letter("Families may opt their child out.")) != []
    assert letter_gaps(areas={Area.FAMILY}, letter=Letter(
        "Some questions ask what students would change about family members; families may opt out.")) == []


@pytest.fixture
def protocol(team):
    protocol = ready_protocol(team.program)
    question = protocol.questions.get(position=2)
    question.text = "Tell me about a time you felt at ease in class."
    question.follow_ups = ["What makes you feel anxious at school?"]
    question.translations = {"es": {"text": "¿Cuánto dinero gana tu familia?", "follow_ups": []}}
    question.save()
    protocol.marked_ready = False
    protocol.save()
    return protocol


def test_follow_ups_and_translations_are_read(protocol):
    assert {(hit.number, hit.finding.area) for hit in protocol_topics(protocol)} == {(2, Area.MENTAL), (2, Area.INCOME)}


def test_a_protocol_with_protected_questions_is_not_ready_until_the_letter_covers_them(protocol, team):
    with pytest.raises(ProtocolNotReady) as refused:
        mark_ready(protocol, user=team.lead)
    assert any("mental or psychological problems" in p and "income" in p for p in refused.value.problems)
    letter = ConsentLetter.objects.create(program=team.program, protected_topics="Questions about anxiety.")
    assert any("income" in p for p in readiness_problems(protocol))
    letter.protected_topics = "Questions about anxiety and family income; you may opt your child out of them."
    letter.save()
    assert readiness_problems(protocol) == []
    assert mark_ready(protocol, user=team.lead).marked_ready


def test_the_protocol_page_shows_the_area_and_the_live_check_too(client, protocol, team):
    login(client, team.lead)
    page = client.get(reverse("protocol", kwargs={"slug": team.program.slug}))
    text = page.content.decode()
    assert "Protected topic: mental or psychological problems" in text
    assert "The consent letter does not name these protected topics" in text
    live = client.post(reverse("question_check", kwargs={"slug": team.program.slug}),
                       {"text": "Tell me about the role religion plays in your life."})
    assert "Protected topic: religious practices" in live.content.decode()
