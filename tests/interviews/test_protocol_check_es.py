"""The wording check reads Spanish questions: closed, tag, leading, double and other-people questions
are caught, each with Spanish rewrites that are whole open sentences; open prompts and a question with
its probe pass. The labelled set tests/data/protocol_questions_es.csv gives the figures that
benchmarks/protocol_check.py prints."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from interviews.protocol_check import FindingKind, check_question, flagged_questions, question_language
from interviews.protocol_check_es import main_question

DATA = Path(__file__).resolve().parent.parent / "data" / "protocol_questions_es.csv"
LABELS = {"open", "closed", "leading", "double", "others"}
ROWS = list(csv.DictReader(DATA.open(newline="", encoding="utf-8")))
FLAGGED_ROWS = [row for row in ROWS if row["label"] != "open"]


def kinds(question: str, language: str | None = None) -> set[str]:
    return {finding.kind.value for finding in check_question(question, language=language)}


def recall(label: str) -> float:
    rows = [row for row in ROWS if row["label"] == label]
    return sum(label in kinds(row["question"]) for row in rows) / len(rows)


def rewrites(question: str, kind: FindingKind) -> tuple[str, ...]:
    return next(finding.rewrites for finding in check_question(question) if finding.kind == kind)


def test_the_spanish_set_is_large_labelled_and_sourced():
    assert len(ROWS) >= 40
    assert {row["label"] for row in ROWS} == LABELS
    assert all(row["question"].strip() and row["source"].strip() for row in ROWS)
    assert len({row["question"] for row in ROWS}) == len(ROWS)
    assert min(Counter(row["label"] for row in ROWS).values()) >= 7


def test_every_row_of_the_spanish_set_is_read_as_spanish():
    assert [row["question"] for row in ROWS if question_language(row["question"]) != "es"] == []


@pytest.mark.parametrize("label", ["closed", "leading"])
def test_recall_of_spanish_closed_and_leading_questions_is_at_least_095(label):
    assert recall(label) >= 0.95


def test_at_most_one_spanish_open_question_in_20_is_flagged():
    opens = [row["question"] for row in ROWS if row["label"] == "open"]
    flagged = [question for question in opens if kinds(question)]
    assert len(flagged) / len(opens) <= 1 / 20, flagged


def test_spanish_double_and_other_people_questions_are_mostly_caught():
    assert recall("double") >= 0.85
    assert recall("others") >= 0.85


@pytest.mark.parametrize("question", [
    "¿Te gusta la clase de matemáticas?", "¿Alguna vez te has sentido excluido?", "¿Estás contento aquí?",
    "¿Es difícil hacer amigos aquí?", "¿Hay un adulto en quien confíes?", "¿Puedes concentrarte en clase?",
    "¿Tienes amigos en tu salón?", "¿Te sientes seguro en la escuela?", "Te gusta leer?",
])
def test_spanish_yes_no_questions_are_closed(question):
    assert "closed" in kinds(question)


@pytest.mark.parametrize("question", [
    "La escuela es un lugar seguro, ¿verdad?", "Te gusta el recreo, ¿no?", "Tu maestra te ayuda, ¿cierto?",
])
def test_a_tag_ending_makes_a_statement_closed(question):
    found = next(f for f in check_question(question) if f.kind == FindingKind.CLOSED)
    assert "¿verdad?" in found.explanation


@pytest.mark.parametrize("question", [
    "¿No crees que la escuela debería tener más clubes?", "¿No te parece que las clases son muy largas?",
    "¿Verdad que el nuevo horario es mejor?", "¿Qué tan genial fue la asamblea?",
])
def test_spanish_leading_questions_are_leading(question):
    assert "leading" in kinds(question)


@pytest.mark.parametrize("question", [
    "¿Dónde te sientas en el almuerzo? ¿Por qué?",
    "¿A quién acudes cuando necesitas ayuda, y por qué?",
    "Cuéntame de una vez en que te sentiste orgulloso. ¿Qué pasó después?",
    "¿Qué cambiarías de la escuela? ¿Por qué sí o por qué no?",
    "¿En qué clase te sientes más tú mismo? ¿Qué la hace así?",
    "¿Me puedes dar un ejemplo?", "¿Me puedes contar más sobre eso?", "¿Podrías describir tu día?",
    "Cuando tienes un problema, ¿a quién acudes?", "¿Como te sientes en clase?",
])
def test_a_spanish_question_with_its_probe_or_a_story_prompt_passes(question):
    assert kinds(question) == set()


@pytest.mark.parametrize("question", [
    "¿Qué te gusta de la escuela y qué cambiarías?",
    "¿Cómo llegas a la escuela? ¿Qué haces en el recreo?",
    "¿Qué haces después de clases, y te gustaría unirte a un club?",
])
def test_two_different_asks_are_two_questions(question):
    assert "double" in kinds(question)


def test_the_main_question_drops_its_spanish_probes():
    assert main_question("¿Dónde te sientas en el almuerzo? ¿Por qué?") == "¿Dónde te sientas en el almuerzo?"
    assert main_question("¿Dónde te sientas en el almuerzo, y por qué?") == "¿Dónde te sientas en el almuerzo?"


@pytest.mark.parametrize(("question", "first"), [
    ("¿Alguna vez te has sentido excluido en la escuela?", "Cuéntame de una vez en que te sentiste excluido en la escuela."),
    ("¿Alguna vez pediste ayuda a un maestro?", "Cuéntame de una vez en que pediste ayuda a un maestro."),
    ("¿Te sientes seguro en la escuela?", "Cuéntame de los momentos en que te sientes seguro en la escuela."),
    ("¿Te gusta la escuela?", "¿Cómo es para ti la escuela?"),
    ("¿Te gustan tus clases?", "¿Cómo son para ti tus clases?"),
    ("¿Es difícil hacer amigos aquí?", "¿Cómo es para ti hacer amigos aquí?"),
    ("¿Hay suficientes actividades después de clases?", "Cuéntame de las actividades después de clases."),
    ("¿Tienes que trabajar después de la escuela?", "Cuéntame de las veces en que tienes que trabajar después de la escuela."),
    ("¿Prefieres estudiar solo o en grupo?", "Cuéntame cómo eliges entre estudiar solo y en grupo."),
    ("¿Crees que las reglas son justas?", "¿Qué piensas de las reglas?"),
    ("¿Verdad que el nuevo horario es mejor?", "¿Qué piensas del nuevo horario?"),
    ("En la cafetería, ¿te sientes cómodo?", "Cuéntame de los momentos en que te sientes cómodo en la cafetería."),
])
def test_spanish_rewrites_are_whole_sentences(question, first):
    finding = next(f for f in check_question(question) if f.kind in {FindingKind.CLOSED, FindingKind.LEADING})
    assert finding.rewrites[0] == first


def test_a_hard_feeling_is_not_helped_along():
    second = rewrites("¿Te sientes solo en el recreo?", FindingKind.CLOSED)[1]
    assert second == "¿Qué pasa cuando te sientes solo en el recreo?"


def test_questions_about_other_people_get_a_story_about_the_students_own():
    assert rewrites("¿Por qué los estudiantes se portan mal en la cafetería?", FindingKind.OTHERS) == (
        "Cuéntame de un momento en la cafetería que se te haya quedado grabado.", "¿Cómo es para ti la cafetería?")


@pytest.mark.parametrize("row", FLAGGED_ROWS, ids=lambda row: row["question"][:40])
def test_every_spanish_rewrite_is_a_whole_open_spanish_sentence(row):
    for finding in check_question(row["question"]):
        for rewrite in finding.rewrites:
            assert rewrite[0].isupper() or rewrite.startswith("¿"), rewrite
            assert rewrite.endswith((".", "?")) and "  " not in rewrite and "{" not in rewrite, rewrite
            if rewrite.endswith("?"):
                assert rewrite.startswith("¿") and rewrite.count("¿") == rewrite.count("?") == 1, rewrite
            assert question_language(rewrite) == "es", rewrite
            assert kinds(rewrite, "es") == set(), (rewrite, kinds(rewrite, "es"))


def test_the_language_is_the_texts_or_the_one_asked_for():
    assert question_language("¿Te gusta la escuela?") == "es"
    assert question_language("Do you like school?") == "en"
    assert question_language("Cuéntame de tu escuela.") == "es"
    # asked explicitly, a Spanish question without its marks is read as Spanish, and English as English
    assert "closed" in kinds("Te gusta la escuela", "es") | kinds("Te gusta la escuela?", "es")
    assert kinds("Do you like school?", "en") == {"closed"}
    assert rewrites("Do you like math?", FindingKind.CLOSED)[0].startswith("What do you like, or not like, about math?")


def test_a_long_spanish_question_gets_a_spanish_prompt():
    question = "¿Qué " + " ".join(["pasa"] * 31) + "?"
    found = next(f for f in check_question(question) if f.kind == FindingKind.LONG)
    assert found.rewrites[0].startswith("Cuéntame")


def test_flagged_questions_reads_each_in_its_language():
    flagged = flagged_questions(["¿Te gusta la escuela?", "Cuéntame de tu día.", "Do you like math?"])
    assert [number for number, _text, _found in flagged] == [1, 3]
