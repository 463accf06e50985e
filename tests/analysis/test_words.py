"""Notes in Spanish and English are read as words of their own language: accents and ñ kept, stop words and
stems of that language, and the words shown as students wrote them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from analysis.topic_model import suggest_themes
from analysis.words import guess_language, language_of, terms, words

CAFETERIA_ES = [
    "En la cafetería hay mucho ruido y no escucho a mis compañeros.",
    "La cafetería es muy ruidosa, a veces como sola en el pasillo.",
    "Me gustaría que la cafetería fuera más tranquila para platicar con mis compañeros.",
]
TUTORIA_ES = [
    "Cuando no entiendo la tarea, pido tutoría después de clases.",
    "La tutoría me ayuda, pero me da pena pedirle ayuda al maestro.",
    "Mi mamá no puede ayudarme con la tarea de matemáticas, por eso voy a tutoría.",
]
LUNCH_EN = ["The cafeteria is so loud at lunch", "Lunch line is long and the cafeteria is loud",
            "Loud cafeteria, short lunch"]


def test_words_keep_accents_and_enye():
    assert words("¿Por qué el niño comió solo en la cafetería? Compañeros, café.") == [
        "por", "qué", "el", "niño", "comió", "solo", "en", "la", "cafetería", "compañeros", "café"]
    assert words("I don’t eat") == ["i", "don't", "eat"]


def test_the_language_of_a_note_is_the_recorded_one_or_guessed_from_its_words():
    assert guess_language(CAFETERIA_ES[0]) == "es"
    assert guess_language(LUNCH_EN[1]) == "en"
    assert language_of(LUNCH_EN[1], "es-MX") == "es"
    assert language_of(CAFETERIA_ES[0], "") == "es"


def test_spanish_stop_words_go_and_stems_join_the_forms_of_a_word():
    spanish = terms("Mis compañeros y mi compañera", language="es", bigrams=False)
    assert spanish[0] == spanish[1] and "y" not in spanish and "mis" not in spanish
    assert terms("friends and a friend", language="en", bigrams=False) == ["friend", "friend"]


def test_spanish_suggestions_keep_accented_words_and_separate_topics():
    texts = CAFETERIA_ES * 3 + TUTORIA_ES * 3
    found = suggest_themes(texts, list(range(len(texts))), topics=2, seed=1)
    shown = {word for suggestion in found for term in suggestion.top_words for word in term.split()}
    assert {"cafetería", "tutoría"} <= shown
    assert not {"cafeter", "tutor", "caf"} & shown  # a stem is never shown
    groups = [set(suggestion.note_ids) for suggestion in found]
    assert {i for i, text in enumerate(texts) if text in CAFETERIA_ES} in groups


def test_english_and_spanish_notes_about_the_cafeteria_meet_in_one_topic():
    texts = CAFETERIA_ES * 2 + LUNCH_EN * 2 + TUTORIA_ES * 2
    languages = ["es"] * 6 + ["en"] * 6 + ["es"] * 6
    found = suggest_themes(texts, list(range(len(texts))), languages=languages, topics=2, seed=1)
    tutoring = {i for i, text in enumerate(texts) if text in TUTORIA_ES}
    assert any(set(s.note_ids) == tutoring for s in found)


@given(st.text(alphabet=st.characters(categories=("L", "N", "P", "Z")), max_size=200))
def test_every_shown_word_is_a_word_of_the_text(text):
    from analysis.words import SurfaceForms

    forms = SurfaceForms()
    for term in terms(text, language=guess_language(text), forms=forms):
        for word in forms.show(term).split(" "):
            assert word in words(text)
