"""Theme suggestions from uncoded notes: TF-IDF and non-negative matrix factorisation (scikit-learn),
deterministic for a given seed. Pure: texts in, candidate themes out. Notes in English and Spanish are
read in their own language (analysis/words.py): stop words and stems of each, accented words kept."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from analysis.words import analyse

MIN_NOTES = 6
DEFAULT_TOPICS = 6
TOP_WORDS = 6
EXAMPLES = 3
MIN_WEIGHT = 0.02  # a note belongs to a topic only if the topic explains part of it


@dataclass(frozen=True)
class Suggestion:
    top_words: tuple[str, ...]
    note_ids: tuple  # every note the topic explains best, strongest first
    example_ids: tuple

    @property
    def label(self) -> str:
        return ", ".join(self.top_words[:3])


def _itself(document: list[str]) -> list[str]:
    return document


def suggest_themes(texts: Sequence[str], ids: Sequence, *, languages: Sequence[str | None] | None = None,
                   topics: int = DEFAULT_TOPICS, seed: int = 0) -> list[Suggestion]:
    """Up to `topics` candidate themes, each with its top words (as students wrote them) and its notes.

    `languages` is each note's recorded language ("en", "es"; None to guess from its words)."""
    if len(texts) < MIN_NOTES:
        return []
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    documents, forms = analyse(texts, languages if languages is not None else [None] * len(texts))
    vectorizer = TfidfVectorizer(analyzer=_itself, max_df=0.6, min_df=2 if len(texts) >= 20 else 1, sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(documents)
    except ValueError:  # nothing left after stop words
        return []
    topics = max(1, min(topics, matrix.shape[0] - 1, matrix.shape[1]))
    model = NMF(n_components=topics, init="nndsvda", random_state=seed, max_iter=400)
    weights = model.fit_transform(matrix)
    words = vectorizer.get_feature_names_out()
    best = weights.argmax(axis=1)
    suggestions = []
    for topic, component in enumerate(model.components_):
        members = [i for i in range(len(texts)) if best[i] == topic and weights[i, topic] >= MIN_WEIGHT]
        if not members:
            continue
        members.sort(key=lambda i: -weights[i, topic])
        top = tuple(forms.show(words[j]) for j in component.argsort()[::-1][:TOP_WORDS])
        suggestions.append(Suggestion(top, tuple(ids[i] for i in members), tuple(ids[i] for i in members[:EXAMPLES])))
    suggestions.sort(key=lambda s: -len(s.note_ids))
    return suggestions
