"""The criteria a sample is balanced on, and how a student falls into their categories.

GPA and years in program are banded so that a sample of 40 can be compared with a roster.
District criteria (`extra_attributes`) become criteria named `extra:<name>`.

A student's categories ("Grade 9", "Yes", "Below 2.0", "Not recorded") are the same words whatever the
page's language: the sampler sorts and matches them (community percentages, a draw's seed) and analysis
counts by them. `category_label` gives the words a page shows for them; criteria's labels are translated.
Gender and home language are counted under their English names too (`gender_category`,
`home_language_category`), which analysis/patterns.py uses as well, and shown translated.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from participants.models import Gender, Student, grade_label
from participants.sampling import Unit
from toolkit.languages import HOME_LANGUAGES, home_language_category

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
    Criterion("school", _("School")),
    Criterion("grade", _("Grade")),
    Criterion("gender", _("Gender")),
    Criterion("race_ethnicity", _("Race/ethnicity")),
    Criterion("english_learner", _("English learner")),
    Criterion("home_language", _("Home language")),
    Criterion("special_education", _("Special education")),
    Criterion("gpa_band", _("GPA")),
    Criterion("group", _("Student group")),
    Criterion("years_band", _("Years in program")),
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


@cache
def gender_categories() -> dict[str, str]:
    """Gender categories are the English choice labels (models.Gender), whatever the page's language."""
    with translation.override("en"):
        return {value: str(label) for value, label in Gender.choices}


def gender_category(value: str) -> str:
    return gender_categories().get(value, value)


def extra_criteria(extra_attributes: Iterable[Mapping]) -> list[Criterion]:
    """District criteria named in any of the students' `extra_attributes` dictionaries."""
    names = sorted({name for attributes in extra_attributes for name in (attributes or {})})
    return [Criterion(f"{EXTRA_PREFIX}{name}", name.replace("_", " ").capitalize()) for name in names]


def student_features(student: Student) -> dict[str, frozenset[str]]:
    """Every criterion's categories for one student. Groups must be prefetched."""
    return features_of(
        school=student.school.name, grade=student.grade, gender=student.gender,
        race_ethnicity=student.race_ethnicity, english_learner=student.english_learner,
        home_language=student.home_language, special_education=student.special_education, gpa=student.gpa,
        groups=[group.name for group in _groups(student)], years_in_program=student.years_in_program,
        extra_attributes=student.extra_attributes,
    )


def features_of(
    *, school: str, grade: int, gender: str, race_ethnicity, english_learner, home_language: str, special_education,
    gpa: Decimal | None, groups: Iterable[str], years_in_program: int | None, extra_attributes: Mapping | None,
) -> dict[str, frozenset[str]]:
    """Every criterion's categories from a student's fields (their school's name, their groups' names)."""
    features = {
        "school": frozenset({school}),
        "grade": frozenset({f"Grade {grade_label(grade)}"}),
        "gender": frozenset({gender_category(gender)}),
        "race_ethnicity": frozenset(race_ethnicity or [NOT_RECORDED]),
        "english_learner": frozenset({yes_no(english_learner)}),
        "home_language": frozenset({home_language_category(home_language)}),
        "special_education": frozenset({yes_no(special_education)}),
        "gpa_band": frozenset({gpa_band(gpa)}),
        "group": frozenset(groups) or frozenset({NO_GROUP}),
        "years_band": frozenset({years_band(years_in_program)}),
    }
    for name, value in (extra_attributes or {}).items():
        features[f"{EXTRA_PREFIX}{name}"] = frozenset({yes_no(value) if isinstance(value, bool) else str(value)})
    return features


def _groups(student: Student):
    # The prefetched list itself: `student.groups` builds a related manager on every access (about 0.2 ms,
    # most of the time of a sample or a roster page of thousands of students).
    prefetched = getattr(student, "_prefetched_objects_cache", {}).get("groups")
    return prefetched if prefetched is not None else student.groups.all()


def student_units(students: Iterable[Student]) -> list[Unit]:
    return [Unit(id=student.pk, features=student_features(student)) for student in students]


UNIT_FIELDS = ("pk", "school__name", "grade", "gender", "race_text", "english_learner", "home_language",
               "special_education", "gpa", "years_in_program", "extra_text")


def roster_units(students: QuerySet[Student]) -> list[Unit]:
    """`student_units` of a queryset of students, in its order, read in two queries of plain values (the
    students' fields, their groups' names) instead of building a model and a related manager per student:
    the same units, about ten times sooner for a roster of thousands (the Students and Consent pages). The
    two JSON columns come as text and each distinct text is decoded once (a roster has thousands of students
    and a handful of shapes; decoding every row's was most of the read), and students alike in every
    criterion share their features. tests/participants/test_roster_units.py shows these are student_units'."""
    groups: dict[int, list[str]] = {}
    memberships = Student.groups.through.objects.filter(student__in=students.order_by().values("pk"))
    for student_id, name in memberships.values_list("student_id", "studentgroup__name"):
        groups.setdefault(student_id, []).append(name)
    decoded: dict[str | None, object] = {None: None}

    def value(text: str | None):
        if text not in decoded:
            decoded[text] = json.loads(text)
        return decoded[text]

    rows = students.annotate(race_text=Cast("race_ethnicity", TextField()),
                             extra_text=Cast("extra_attributes", TextField())).values_list(*UNIT_FIELDS)
    # Students alike in every criterion share one (read-only) features dictionary, made once: a roster of
    # thousands holds a few hundred such kinds.
    kinds: dict[tuple, dict[str, frozenset[str]]] = {}
    units = []
    for pk, school, grade, gender, race, english, language, special, gpa, years, extra in rows:
        kind = (school, grade, gender, race, english, language, special, gpa_band(gpa), tuple(groups.get(pk, ())),
                years_band(years), extra)
        if kind not in kinds:
            kinds[kind] = features_of(
                school=school, grade=grade, gender=gender, race_ethnicity=value(race), english_learner=english,
                home_language=language, special_education=special, gpa=gpa, groups=groups.get(pk, ()),
                years_in_program=years, extra_attributes=value(extra))
        units.append(Unit(id=pk, features=kinds[kind]))
    return units


# What a page shows for the categories this module makes (the keys stay in English, see above).
CATEGORY_LABELS = {
    NOT_RECORDED: _("Not recorded"),
    NO_GROUP: _("No group"),
    "Yes": _("Yes"),
    "No": _("No"),
    "Below 2.0": _("Below 2.0"),
    "3.5 and above": _("3.5 and above"),
    "New this year": _("New this year"),
    "1 year": _("1 year"),
    "2 years": _("2 years"),
    "3 or more years": _("3 or more years"),
    "Grade K": _("Grade K"),
}
GRADE_CATEGORY = re.compile(r"Grade (\d{1,2})")


LANGUAGE_CATEGORIES = frozenset(HOME_LANGUAGES.values())


def category_label(category: str) -> str:
    """The words a page shows for a category: translated when this module made it, else as it is (a
    school's or a group's name, a race the roster file gave)."""
    if category in CATEGORY_LABELS:
        return str(CATEGORY_LABELS[category])
    genders = {english: value for value, english in gender_categories().items()}
    if category in genders:
        return str(Gender(genders[category]).label)
    if category in LANGUAGE_CATEGORIES:
        return gettext(category)
    grade = GRADE_CATEGORY.fullmatch(category)
    if grade:
        return gettext("Grade %(grade)s") % {"grade": grade.group(1)}
    return category


def criterion_label(key: str) -> str:
    """The criterion's label in the language now active."""
    for criterion in BUILT_IN_CRITERIA:
        if criterion.key == key:
            return str(criterion.label)
    if key.startswith(EXTRA_PREFIX):
        return key[len(EXTRA_PREFIX):].replace("_", " ").capitalize()
    return key
