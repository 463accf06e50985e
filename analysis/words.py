"""Words of students' notes for text statistics, in English and Spanish.

Words are Unicode letters (so "café", "compañeros" and "niño" stay whole), folded to lower case, stop
words of the note's language left out, and reduced to their Snowball stem so "amigos" and "amiga" or
"friends" and "friend" count as one word. A stem is shown to people as the form students used most
(`SurfaceForms`), never as the bare stem ("compañer").

A note's language is the one recorded on it; when none is, `guess_language` picks English or Spanish by
their commonest words, which is enough to choose stop words and a stemmer.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import cache

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
LANGUAGES = ("en", "es")
SNOWBALL_NAMES = {"en": "english", "es": "spanish"}

ENGLISH_EXTRA = {"like", "just", "really", "kind", "thing", "things", "know", "think", "yeah", "lot", "don", "didn",
                 "im", "it", "s", "t", "ve", "ll", "got", "get", "gets", "going", "say", "said", "want", "i'm",
                 "don't", "didn't", "it's", "can't", "doesn't", "that's", "they're", "we're", "you're"}

# Spanish function words and the fillers of speech ("pues", "o sea", "bueno"), written for this app.
SPANISH_STOP_WORDS = frozenset("""
a al algo alguien algun alguna algunas alguno algunos allí ante antes aquel aquella aquellas aquello aquellos
aquí así aun aún bien bueno cada casi como cómo con contra cual cuál cuales cuando cuándo cuanto cuánto de del
desde donde dónde dos e el él ella ellas ello ellos en entonces entre era eran es esa esas ese eso esos esta
está están estaba estaban estar este esto estos estoy estás fue fueron fui había habían han has hay he hemos
hice hizo hoy la las le les lo los más me mi mí mis mismo mucho muchos muy nada ni no nos nosotros nosotras
nuestra nuestro nuestros nuestras o os otra otras otro otros para pero poco por porque pues que qué quien
quién quienes se sea ser si sí siempre sin sino sobre solo sólo son soy su sus también tan tanto te tenemos
tener tengo tiene tienen ti toda todas todo todos tu tú tus un una unas uno unos usted ustedes va vamos van
vez y ya yo eh este ah oh osea sea tipo cosa cosas digo dice dijo creo like ok okay
""".split())


@cache
def _english_stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) | frozenset(ENGLISH_EXTRA)


def stop_words(language: str) -> frozenset[str]:
    return SPANISH_STOP_WORDS if language == "es" else _english_stop_words()


@cache
def _stemmer(language: str):
    import snowballstemmer

    return snowballstemmer.stemmer(SNOWBALL_NAMES.get(language, "english"))


def words(text: str) -> list[str]:
    return [match.group(0).casefold().replace("’", "'") for match in WORD.finditer(text)]


def guess_language(text: str) -> str:
    """"es" when more of the words are common Spanish words than common English ones, else "en"."""
    found = words(text)
    spanish = sum(word in SPANISH_STOP_WORDS for word in found)
    english = sum(word in _english_stop_words() for word in found)
    return "es" if spanish > english else "en"


def language_of(text: str, recorded: str | None) -> str:
    base = (recorded or "").split("-")[0].lower()
    return base if base in LANGUAGES else guess_language(text)


class SurfaceForms:
    """Which written form stands for each stem: the one students used most (ties: the first seen)."""

    def __init__(self) -> None:
        self._seen: dict[str, Counter] = {}

    def add(self, stem: str, surface: str) -> None:
        self._seen.setdefault(stem, Counter())[surface] += 1

    def show(self, term: str) -> str:
        return " ".join(self._seen[stem].most_common(1)[0][0] if stem in self._seen else stem
                        for stem in term.split(" "))


def terms(text: str, *, language: str, forms: SurfaceForms | None = None, bigrams: bool = True) -> list[str]:
    """The note's stems without stop words, then its pairs of neighbouring stems ("lunch short")."""
    stop = stop_words(language)
    kept = [word for word in words(text) if word not in stop and len(word) > 1]
    stems = _stemmer(language).stemWords(kept)
    if forms is not None:
        for stem, surface in zip(stems, kept, strict=True):
            forms.add(stem, surface)
    if not bigrams:
        return stems
    return stems + [f"{first} {second}" for first, second in zip(stems, stems[1:], strict=False)]


def analyse(texts: Iterable[str], languages: Iterable[str | None]) -> tuple[list[list[str]], SurfaceForms]:
    forms = SurfaceForms()
    documents = [terms(text, language=language_of(text, language), forms=forms)
                 for text, language in zip(texts, languages, strict=True)]
    return documents, forms
