"""Attributing a quote to a descriptor such as "a 10th-grade English learner", never a name.

A descriptor is used only when every group it names, and the group of students who are all of
those things at once, has at least `threshold` interviewed students; otherwise a coarser one is
tried, down to "a student".

The descriptors are in the language active when they are made. The English article ("a 10th-grade",
"an 11th-grade") is chosen here, so each phrase has an "a" and an "an" form for translators; a
language without that difference translates both the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

A_STUDENT = gettext_lazy("a student")


@dataclass(frozen=True)
class Profile:
    """What a descriptor may mention about one student."""

    grade: int
    school: str
    english_learner: bool
    special_education: bool


def grade_words(grade: int) -> str:
    if grade == 0:
        # Translators: the grade in a descriptor such as "a kindergarten English learner".
        return _("kindergarten")
    if 10 <= grade % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(grade % 10, "th")
    # Translators: a grade in a descriptor such as "a 10th-grade English learner"; one form per English
    # ordinal ending (1st, 2nd, 3rd, 4th), which a language without them translates alike.
    words = {"st": _("%(grade)sst-grade"), "nd": _("%(grade)snd-grade"), "rd": _("%(grade)srd-grade"),
             "th": _("%(grade)sth-grade")}[suffix]
    return words % {"grade": grade}


def _an(grade: int) -> bool:
    """Whether English says "an" before the grade's words: an 8th-grade, an 11th-grade, an 18th-grade."""
    return grade != 0 and (str(grade).startswith("8") or grade in (11, 18))


def _candidates(profile: Profile) -> list[tuple[str, dict]]:
    grade = {"grade": grade_words(profile.grade)}
    an = _an(profile.grade)
    options = []
    if profile.english_learner:
        # Translators: %(grade)s is a grade as "10th-grade" or "kindergarten" is translated.
        words = _("an %(grade)s English learner") if an else _("a %(grade)s English learner")
        options.append((words % grade, {"grade": profile.grade, "english_learner": True}))
    if profile.special_education:
        words = _("an %(grade)s student in special education") if an else _("a %(grade)s student in special education")
        options.append((words % grade, {"grade": profile.grade, "special_education": True}))
    if profile.grade:
        words = (_("an %(grade)s student") if an else _("a %(grade)s student")) % grade
    else:
        words = _("a kindergartner")
    options.append((words, {"grade": profile.grade}))
    if profile.english_learner:
        options.append((_("an English learner"), {"english_learner": True}))
    options.append((_("a student at %(school)s") % {"school": profile.school}, {"school": profile.school}))
    return options


def _count(interviewed: Sequence[Profile], criteria: Mapping, counts: dict | None = None) -> int:
    key = tuple(sorted(criteria.items()))
    if counts is not None and key in counts:
        return counts[key]
    found = sum(1 for p in interviewed if all(getattr(p, name) == value for name, value in criteria.items()))
    if counts is not None:
        counts[key] = found
    return found


def describe(profile: Profile, *, interviewed: Sequence[Profile], threshold: int, counts: dict | None = None) -> str:
    """The most specific safe descriptor of this student among the interviewed students. `counts` keeps the
    group sizes already counted, for a caller describing every interviewed student (one pass per group,
    not one per student and group)."""
    for words, criteria in _candidates(profile):
        groups = [{name: value} for name, value in criteria.items()] + [criteria]
        if all(_count(interviewed, group, counts) >= threshold for group in groups):
            return words
    return str(A_STUDENT)
