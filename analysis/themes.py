"""Themes: codes grouped under an insight, root causes, challenges/aspirations/suggestions, and quotes
attributed safely (see `analysis/attribution.py`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from analysis.attribution import A_STUDENT, Profile, describe
from analysis.corpus import analysable_notes
from analysis.models import Category, Code, CodeApplication, Stance, Theme, ThemeQuote
from analysis.patterns import interviewed_students
from programs.models import Program

NOT_A_CODED_SPAN = _("Choose a quote from the coded words of this theme.")
THEME_NEEDS_NAME = _("Give the theme a name.")
# The headings of a theme's coded words by stance, on its page and in reports.
STANCE_HEADINGS = {Stance.CHALLENGE: _("Challenges"), Stance.ASPIRATION: _("Aspirations"),
                   Stance.SUGGESTION: _("Suggestions")}


def stance_headings(grouped: dict[str, list[str]]) -> dict[str, list[str]]:
    """Heading (in the language active) -> the coded words of that stance, challenges first."""
    return {str(heading): grouped[stance.value] for stance, heading in STANCE_HEADINGS.items()}


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
    return [Quote(q.snippet, described.get(q.note.student_id) or str(A_STUDENT)) for q in quotes]


def stance_lists(theme: Theme) -> dict[str, list[str]]:
    """The coded words under the theme, grouped as challenges, aspirations and suggestions."""
    grouped: dict[str, list[str]] = defaultdict(list)
    rows = (CodeApplication.objects.filter(code__in=theme.codes.all(), note__in=analysable_notes(theme.program))
            .exclude(stance=Stance.NEITHER).order_by("created_at").values_list("stance", "snippet"))
    for stance, snippet in rows:
        if snippet not in grouped[stance]:
            grouped[stance].append(snippet)
    return stance_headings(grouped)


@transaction.atomic
def create_theme(*, program: Program, name: str, insight: str = "", category: Category | None = None,
                 codes: Iterable[Code] = ()) -> Theme:
    """A new theme of the program gathering `codes` (codes of other programs are left out)."""
    if not name.strip():
        raise ValueError(THEME_NEEDS_NAME)
    theme = Theme.objects.create(program=program, name=name.strip(), insight=insight,
                                 category=category if category is None or category.program_id == program.pk else None)
    theme.codes.set([code for code in codes if code.program_id == program.pk])
    return theme


@transaction.atomic
def update_theme(*, theme: Theme, name: str, insight: str, root_causes: str, codes: Iterable[Code]) -> Theme:
    """Rename the theme, rewrite its insight and root causes, and set its codes (of its own program only)."""
    theme.name, theme.insight, theme.root_causes = name.strip() or theme.name, insight, root_causes
    theme.save(update_fields=["name", "insight", "root_causes"])
    theme.codes.set([code for code in codes if code.program_id == theme.program_id])
    return theme


def remove_quote(*, theme: Theme, quote: ThemeQuote) -> None:
    """Take a quote off the theme; a quote of another theme is left alone."""
    theme.quotes.filter(pk=quote.pk).delete()


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


@dataclass(frozen=True)
class ThemeFacts:
    raising: set
    stances: dict[str, list[str]]
    quotes: list[Quote]


def theme_facts(program: Program, themes: list[Theme], described: dict[int, str], *, per_stance: int, per_theme_quotes: int) -> dict:
    """For many themes at once, in two queries: who raised each, its stance lists, and its quotes."""
    codes_of = {theme.pk: {c.pk for c in theme.codes.all()} for theme in themes}
    all_codes = set().union(*codes_of.values()) if codes_of else set()
    notes = analysable_notes(program)
    by_code: dict[int, list[tuple]] = defaultdict(list)
    for code_id, stance, snippet, student_id in (CodeApplication.objects.filter(code_id__in=all_codes, note__in=notes)
                                                  .order_by("created_at").values_list("code_id", "stance", "snippet", "note__student_id")):
        by_code[code_id].append((stance, snippet, student_id))
    quotes_of: dict[int, list[Quote]] = defaultdict(list)
    for theme_id, snippet, student_id in (ThemeQuote.objects.filter(theme__in=themes, note__in=notes)
                                          .order_by("position", "pk").values_list("theme_id", "snippet", "note__student_id")):
        quotes_of[theme_id].append(Quote(snippet, described.get(student_id) or str(A_STUDENT)))
    facts = {}
    for theme in themes:
        rows = [row for code_id in codes_of[theme.pk] for row in by_code[code_id]]
        grouped: dict[str, list[str]] = defaultdict(list)
        for stance, snippet, _student in rows:
            if stance != Stance.NEITHER and snippet not in grouped[stance] and len(grouped[stance]) < per_stance:
                grouped[stance].append(snippet)
        facts[theme.pk] = ThemeFacts(
            raising={student for _s, _t, student in rows if student is not None},
            stances=stance_headings(grouped),
            quotes=quotes_of[theme.pk][:per_theme_quotes],
        )
    return facts
