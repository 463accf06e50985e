"""Attributing a quote to a descriptor such as "a 10th-grade English learner", never a name.

A descriptor is used only when every group it names, and the group of students who are all of
those things at once, has at least `threshold` interviewed students; otherwise a coarser one is
tried, down to "a student".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

A_STUDENT = "a student"


@dataclass(frozen=True)
class Profile:
    """What a descriptor may mention about one student."""

    grade: int
    school: str
    english_learner: bool
    special_education: bool


def grade_words(grade: int) -> str:
    if grade == 0:
        return "kindergarten"
    suffix = "th" if 10 <= grade % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(grade % 10, "th")
    return f"{grade}{suffix}-grade"


def _candidates(profile: Profile) -> list[tuple[str, dict]]:
    grade = grade_words(profile.grade)
    article = "an" if grade[0] in "8aeiou" or grade.startswith(("11th", "18th")) else "a"
    options = []
    if profile.english_learner:
        options.append((f"{article} {grade} English learner", {"grade": profile.grade, "english_learner": True}))
    if profile.special_education:
        options.append((f"{article} {grade} student in special education",
                        {"grade": profile.grade, "special_education": True}))
    student = "kindergartner" if profile.grade == 0 else "student"
    options.append((f"{article} {grade} {student}" if profile.grade else "a kindergartner", {"grade": profile.grade}))
    if profile.english_learner:
        options.append(("an English learner", {"english_learner": True}))
    options.append((f"a student at {profile.school}", {"school": profile.school}))
    return options


def _count(interviewed: Sequence[Profile], criteria: Mapping) -> int:
    return sum(1 for p in interviewed if all(getattr(p, name) == value for name, value in criteria.items()))


def describe(profile: Profile, *, interviewed: Sequence[Profile], threshold: int) -> str:
    """The most specific safe descriptor of this student among the interviewed students."""
    for words, criteria in _candidates(profile):
        groups = [{name: value} for name, value in criteria.items()] + [criteria]
        if all(_count(interviewed, group) >= threshold for group in groups):
            return words
    return A_STUDENT
