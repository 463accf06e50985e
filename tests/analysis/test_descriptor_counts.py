"""Describing every interviewed student counts each group once (analysis/themes.py `descriptors`), and says
the same as describing each student on their own."""

from __future__ import annotations

from analysis.attribution import describe
from analysis.patterns import interviewed_students
from analysis.themes import descriptors, profile_of


def test_descriptors_with_shared_counts_match_each_student_described_alone(coded):
    program = coded.team.program
    found = descriptors(program)
    interviewed = interviewed_students(program)
    profiles = [profile_of(s) for s in interviewed]
    alone = {s.pk: describe(profile_of(s), interviewed=profiles, threshold=program.suppression_threshold)
             for s in interviewed}
    assert found == alone and len(found) == 24
    assert len(set(found.values())) > 1  # the grades and the English learners make different descriptors


def test_shared_counts_count_each_group_once():
    from analysis.attribution import Profile

    interviewed = [Profile(grade=9, school="Lincoln", english_learner=i % 2 == 0, special_education=False)
                   for i in range(12)]
    counts: dict = {}
    first = describe(interviewed[0], interviewed=interviewed, threshold=5, counts=counts)
    kept = dict(counts)
    assert describe(interviewed[2], interviewed=interviewed, threshold=5, counts=counts) == first
    assert counts == kept and kept  # the second student's groups were all counted already
