from __future__ import annotations

import pytest

from analysis.agreement import Agreement, agreement
from analysis.attribution import A_STUDENT, Profile, describe, grade_words


def people(count, **attributes):
    base = {"grade": 10, "school": "Lincoln High", "english_learner": False, "special_education": False}
    return [Profile(**{**base, **attributes}) for _ in range(count)]


@pytest.mark.parametrize(("grade", "words"), [(0, "kindergarten"), (1, "1st-grade"), (2, "2nd-grade"), (3, "3rd-grade"),
                                              (9, "9th-grade"), (11, "11th-grade"), (12, "12th-grade")])
def test_grade_words(grade, words):
    assert grade_words(grade) == words


def test_the_most_specific_safe_descriptor_is_used():
    interviewed = people(10, english_learner=True) + people(10)
    assert describe(interviewed[0], interviewed=interviewed, threshold=10) == "a 10th-grade English learner"


def test_a_small_intersection_falls_back_to_a_coarser_descriptor():
    interviewed = people(3, english_learner=True) + people(12) + people(10, grade=9, english_learner=True)
    assert describe(interviewed[0], interviewed=interviewed, threshold=10) == "a 10th-grade student"


def test_a_small_grade_falls_back_to_english_learner_then_school():
    interviewed = people(4, grade=12, english_learner=True) + people(10, grade=9, english_learner=True)
    assert describe(interviewed[0], interviewed=interviewed, threshold=10) == "an English learner"
    interviewed = people(4, grade=12) + people(10, grade=9)
    assert describe(interviewed[0], interviewed=interviewed, threshold=10) == "a student at Lincoln High"


def test_when_every_group_is_small_the_quote_is_from_a_student():
    interviewed = people(4, grade=12)
    assert describe(interviewed[0], interviewed=interviewed, threshold=10) == A_STUDENT


def test_an_11th_grader_takes_an():
    interviewed = people(10, grade=11)
    assert describe(interviewed[0], interviewed=interviewed, threshold=10) == "an 11th-grade student"


def test_kappa_matches_a_hand_computed_value():
    # 50 notes: both 20, only first 5, only second 10, neither 15.
    # po = 35/50 = .70; first yes .50, second yes .60; pe = .30 + .20 = .50; kappa = .20/.50 = .40
    assert Agreement("x", 50, 20, 5, 10, 15).kappa == 0.4
    assert Agreement("x", 50, 20, 5, 10, 15).percent == 70.0


def test_perfect_agreement_is_one_and_total_chance_agreement_is_undefined():
    assert Agreement("x", 10, 4, 0, 0, 6).kappa == 1.0
    assert Agreement("x", 10, 0, 0, 0, 10).kappa is None


def test_agreement_per_code_pooled_and_disagreements():
    units = ["n1", "n2", "n3", "n4"]
    first = {"n1": {"safety"}, "n2": {"safety", "peers"}, "n3": set(), "n4": {"peers"}}
    second = {"n1": {"safety"}, "n2": {"peers"}, "n3": {"safety"}, "n4": {"peers"}}
    per_code, pooled, disagreements = agreement(units, ["safety", "peers"], first, second)
    safety, peers = per_code
    assert (safety.both, safety.only_first, safety.only_second, safety.neither) == (1, 1, 1, 1)
    assert safety.kappa == 0.0 and peers.kappa == 1.0
    assert pooled.units == 8 and pooled.percent == 75.0 and pooled.kappa == 0.5
    assert {(d.unit, d.code, d.first_applied) for d in disagreements} == {("n2", "safety", True), ("n3", "safety", False)}
