"""The criteria a sample is balanced on, and how a student falls into their categories.

GPA and years in program are banded so that a sample of 40 can be compared with a roster.
District criteria (`extra_attributes`) become criteria named `extra:<name>`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from participants.models import Student, grade_label
from participants.sampling import Unit

NOT_RECORDED = "Not recorded"
NO_GROUP = "No group"
# A student may be in several of these at once, so their categories do not add up to the students counted.
MULTI_VALUED = frozenset({"race_ethnicity", "group"})
GPA_BANDS = ((Decimal("2.0"), "Below 2.0"), (Decimal("3.0"), "2.0–2.9"), (Decimal("3.5"), "3.0–3.4"), (None, "3.5 and above"))
YEARS_BANDS = ((1, "New this year"), (2, "1 year"), (3, "2 years"), (None, "3 or more years"))
EXTRA_PREFIX = "extra:"


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str


BUILT_IN_CRITERIA = (
    Criterion("school", "School"),
    Criterion("grade", "Grade"),
    Criterion("gender", "Gender"),
    Criterion("race_ethnicity", "Race/ethnicity"),
    Criterion("english_learner", "English learner"),
    Criterion("special_education", "Special education"),
    Criterion("gpa_band", "GPA"),
    Criterion("group", "Student group"),
    Criterion("years_band", "Years in program"),
)


def _band(value, bands) -> str:
    """The label of the first band whose upper bound (exclusive) is above `value`."""
    if value is None:
        return NOT_RECORDED
    return next(label for upper, label in bands if upper is None or value < upper)


def gpa_band(gpa: Decimal | None) -> str:
    return _band(gpa, GPA_BANDS)


def years_band(years: int | None) -> str:
    return _band(years, YEARS_BANDS)


def yes_no(value) -> str:
    if value is None or value == "":
        return NOT_RECORDED
    if isinstance(value, str):
        return "Yes" if value.strip().lower() in {"y", "yes", "true", "1"} else "No"
    return "Yes" if value else "No"


def extra_criteria(extra_attributes: Iterable[Mapping]) -> list[Criterion]:
    """District criteria named in any of the students' `extra_attributes` dictionaries."""
    names = sorted({name for attributes in extra_attributes for name in (attributes or {})})
    return [Criterion(f"{EXTRA_PREFIX}{name}", name.replace("_", " ").capitalize()) for name in names]


def student_features(student: Student) -> dict[str, frozenset[str]]:
    """Every criterion's categories for one student. Groups must be prefetched."""
    features = {
        "school": frozenset({student.school.name}),
        "grade": frozenset({f"Grade {grade_label(student.grade)}"}),
        "gender": frozenset({student.get_gender_display()}),
        "race_ethnicity": frozenset(student.race_ethnicity or [NOT_RECORDED]),
        "english_learner": frozenset({yes_no(student.english_learner)}),
        "special_education": frozenset({yes_no(student.special_education)}),
        "gpa_band": frozenset({gpa_band(student.gpa)}),
        "group": frozenset(group.name for group in student.groups.all()) or frozenset({NO_GROUP}),
        "years_band": frozenset({years_band(student.years_in_program)}),
    }
    for name, value in (student.extra_attributes or {}).items():
        features[f"{EXTRA_PREFIX}{name}"] = frozenset({yes_no(value) if isinstance(value, bool) else str(value)})
    return features


def student_units(students: Iterable[Student]) -> list[Unit]:
    return [Unit(id=student.pk, features=student_features(student)) for student in students]


def criterion_label(key: str) -> str:
    for criterion in BUILT_IN_CRITERIA:
        if criterion.key == key:
            return criterion.label
    if key.startswith(EXTRA_PREFIX):
        return key[len(EXTRA_PREFIX):].replace("_", " ").capitalize()
    return key
