"""Themes: codes grouped under an insight, root causes, challenges/aspirations/suggestions, and quotes
attributed safely (see `analysis/attribution.py`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from analysis.attribution import Profile, describe
from analysis.corpus import analysable_notes
from analysis.models import CodeApplication, Stance, Theme, ThemeQuote
from analysis.patterns import interviewed_students
from interviews.models import Program

NOT_A_CODED_SPAN = "Choose a quote from the coded words of this theme."


@dataclass(frozen=True)
class Quote:
    snippet: str
    descriptor: str


def profile_of(student) -> Profile:
    return Profile(grade=student.grade, school=student.school.name, english_learner=student.english_learner,
                   special_education=student.special_education)


def descriptors(program: Program) -> dict[int, str]:
    """A safe descriptor for every interviewed student, by student id."""
    interviewed = interviewed_students(program)
    profiles = [profile_of(s) for s in interviewed]
    return {s.pk: describe(profile_of(s), interviewed=profiles, threshold=program.suppression_threshold) for s in interviewed}


def theme_quotes(theme: Theme, described: dict[int, str]) -> list[Quote]:
    quotes = theme.quotes.select_related("note").filter(note__in=analysable_notes(theme.program))
    return [Quote(q.snippet, described.get(q.note.student_id, "a student")) for q in quotes]


def stance_lists(theme: Theme) -> dict[str, list[str]]:
    """The coded words under the theme, grouped as challenges, aspirations and suggestions."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for application in CodeApplication.objects.filter(code__in=theme.codes.all(), note__in=analysable_notes(theme.program)) \
            .exclude(stance=Stance.NEITHER).order_by("created_at"):
        if application.snippet not in grouped[application.stance]:
            grouped[application.stance].append(application.snippet)
    return {stance.label: grouped[stance.value] for stance in Stance if stance != Stance.NEITHER}


def add_quote(theme: Theme, *, application: CodeApplication) -> ThemeQuote:
    if not theme.codes.filter(pk=application.code_id).exists():
        raise ValueError(NOT_A_CODED_SPAN)
    return ThemeQuote.objects.get_or_create(
        theme=theme, note=application.note, start=application.start, end=application.end,
        defaults={"snippet": application.snippet, "position": theme.quotes.count()},
    )[0]


def candidate_quotes(theme: Theme) -> list[CodeApplication]:
    return list(CodeApplication.objects.filter(code__in=theme.codes.all(), note__in=analysable_notes(theme.program))
                .select_related("note", "code").order_by("-note__quote_worthy", "created_at")[:50])


