"""The coding assistant's classifier, pure: texts and, per code, which of them are examples and which are
counter-examples in; a fitted model and each example's held-out confidence out. No database here, so the
benchmark (benchmarks/assistant.py) and the app run the very same code.

Features: TF-IDF of word 1-2-grams and of character 3-5-grams inside word boundaries (the characters carry
misspellings, plurals and Spanish endings). Per code a linear SVM (classes balanced), calibrated by Platt
scaling on its cross-validated decision values, so a confidence of 0.8 means about 8 in 10 such proposals
are right on the team's own coding; the same cross-validated values are the held-out confidences the
agreement page compares with each person. Deterministic: fixed folds, fixed `random_state`."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import expit
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC

RANDOM_STATE = 0
# Proposals below this calibrated confidence are not made: about half of them would be wrong.
CONFIDENCE_FLOOR = 0.5
WORD_FEATURES = 20_000  # the most frequent n-grams kept: bounds the stored model whatever the corpus
CHAR_FEATURES = 40_000
CALIBRATION_FOLDS = 3
MIN_COUNTER_EXAMPLES = 2  # a code every coded note has teaches nothing to tell it apart


@dataclass
class CodeClassifier:
    vectorizer: FeatureUnion
    codes: tuple[Hashable, ...]
    weights: np.ndarray  # (features, codes), float32
    bias: np.ndarray  # (codes,)
    platt: np.ndarray  # (codes, 2): slope and intercept mapping a decision value to a probability

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """(texts, codes): the calibrated confidence that each code applies to each text."""
        if not self.codes or not len(texts):
            return np.zeros((len(texts), len(self.codes)))
        decisions = np.asarray(self.vectorizer.transform(texts) @ self.weights) + self.bias
        return expit(decisions * self.platt[:, 0] + self.platt[:, 1])


def _vectorizer() -> FeatureUnion:
    common = {"lowercase": True, "strip_accents": "unicode", "sublinear_tf": True, "dtype": np.float32}
    return FeatureUnion([
        ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), max_features=WORD_FEATURES, **common)),
        ("characters", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), max_features=CHAR_FEATURES, **common)),
    ])


def _svm() -> LinearSVC:
    # tol: a looser stop than the default costs nothing measurable in the benchmark and halves the time.
    return LinearSVC(C=1.0, tol=1e-2, class_weight="balanced", random_state=RANDOM_STATE)


def _platt(decisions: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    scaler = LogisticRegression(C=1e3, random_state=RANDOM_STATE).fit(decisions.reshape(-1, 1), truth)
    return float(scaler.coef_[0, 0]), float(scaler.intercept_[0])


def fit(texts: Sequence[str], examples: Mapping[Hashable, tuple[set[int], set[int]]]
        ) -> tuple[CodeClassifier, dict[Hashable, dict[int, float]]]:
    """Fit one calibrated classifier per code. `examples[code]` is (indexes of texts that have the code,
    indexes of texts that do not); codes with fewer than two of either are left out. Returns the model and,
    per code, the held-out confidence of each of its examples and counter-examples (cross-validated: the
    fold that scored a text never saw it)."""
    vectorizer = _vectorizer()
    matrix = vectorizer.fit_transform(list(texts)).tocsr()
    codes, weights, biases, platts, held_out = [], [], [], [], {}
    for code, (positives, negatives) in examples.items():
        negatives = negatives - positives
        if len(positives) < MIN_COUNTER_EXAMPLES or len(negatives) < MIN_COUNTER_EXAMPLES:
            continue
        rows = np.array(sorted(positives | negatives))
        truth = np.isin(rows, list(positives)).astype(int)
        x = matrix[rows]
        folds = StratifiedKFold(n_splits=min(CALIBRATION_FOLDS, len(positives), len(negatives)))
        decisions = np.zeros(len(rows))
        for train, test in folds.split(rows, truth):
            decisions[test] = _svm().fit(x[train], truth[train]).decision_function(x[test])
        slope, intercept = _platt(decisions, truth)
        svm = _svm().fit(x, truth)
        codes.append(code)
        weights.append(svm.coef_[0].astype(np.float32))
        biases.append(float(svm.intercept_[0]))
        platts.append((slope, intercept))
        held_out[code] = dict(zip(rows.tolist(), expit(decisions * slope + intercept).tolist(), strict=True))
    n_features = matrix.shape[1]
    classifier = CodeClassifier(
        vectorizer=vectorizer, codes=tuple(codes),
        weights=np.column_stack(weights) if weights else np.zeros((n_features, 0), dtype=np.float32),
        bias=np.array(biases), platt=np.array(platts).reshape(-1, 2))
    return classifier, held_out
