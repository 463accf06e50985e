"""Themes: codes grouped under an insight, root causes, challenges/aspirations/suggestions, and quotes
attributed safely (see `analysis/attribution.py`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analysis.attribution import A_STUDENT, Profile, describe
from analysis.corpus import analysable_notes
from analysis.models import Category, Code, CodeApplication, Stance, Theme, ThemeQuote
from analysis.patterns import interviewed_students
from participants.models import Student
from programs.models import Program, Role
from toolkit.languages import home_language_name, supported

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
    """A quote as readers see it: the student's words, a safe descriptor, the language the words are in,
    and a team member's translation if one was written (`translator_role`: their role when they wrote it)."""

    snippet: str
    descriptor: str
    language: str = ""
    translation: str = ""
    translation_language: str = ""
    translator_role: str = ""
    pk: int | None = None


# How a quote's language is named beside it, and how a translation is marked, in the reader's language.
IN_LANGUAGE = {"en": _("in English"), "es": _("in Spanish")}
IN_OTHER_LANGUAGE = _("in %(language)s")
TRANSLATED_BY = {Role.LEAD: _("Translation by a team lead"), Role.ANALYST: _("Translation by a team analyst")}
TRANSLATED_BY_TEAM = _("Translation by a team member")
TRANSLATION_EMPTY = _("Write the translation, or remove it.")
TRANSLATION_TOO_LONG = _("A translation can be at most %(limit)d characters; this one has %(length)d.")
TRANSLATION_LANGUAGE_UNKNOWN = _("Choose the language of the translation.")
TRANSLATION_SAME_LANGUAGE = _("The student said this %(language)s; choose the other language for the translation.")
TRANSLATION_LIMIT = 5000


def spoken_language(note_language: str | None, session_language: str | None) -> str:
    """The language of a note's words, by code: the note's own, else its session's."""
    return ((note_language or session_language or "").strip().lower().replace("_", "-").split("-")[0])


def in_language(code: str) -> str:
    """ "in Spanish", "en inglés": a quote's language named beside it."""
    if code in IN_LANGUAGE:
        return str(IN_LANGUAGE[code])
    return IN_OTHER_LANGUAGE % {"language": home_language_name(code)}


def translated_by(role: str) -> str:
    return str(TRANSLATED_BY.get(role, TRANSLATED_BY_TEAM))


@dataclass(frozen=True)
class ShownQuote:
    """What a reader of one language sees of a quote: always the original first; the translation only
    beside it, when it is in the reader's language; the original's language named when it is another."""

    snippet: str
    descriptor: str
    language: str
    language_name: str
    translation: str
    translation_language: str
    translation_mark: str


def show_quote(quote: Quote, *, language: str) -> ShownQuote:
    other = bool(quote.language) and quote.language != language
    translated = other and bool(quote.translation) and quote.translation_language == language
    return ShownQuote(
        snippet=quote.snippet, descriptor=quote.descriptor, language=quote.language,
        language_name=in_language(quote.language) if other else "",
        translation=quote.translation if translated else "",
        translation_language=quote.translation_language if translated else "",
        translation_mark=translated_by(quote.translator_role) if translated else "",
    )


def profile_of(student) -> Profile:
    return Profile(grade=student.grade, school=student.school.name, english_learner=student.english_learner,
                   special_education=student.special_education)


def descriptors(program: Program, *, students: Iterable[Student] | None = None) -> dict[int, str]:
    """A safe descriptor for every interviewed student, by student id. `students`: the interviewed students
    (`interviewed_students`, with their schools), when the caller has them already."""
    interviewed = interviewed_students(program) if students is None else list(students)
    profiles = [profile_of(s) for s in interviewed]
    counts: dict = {}  # each group counted once, not once per student described
    described: dict[Profile, str] = {}  # and each profile described once: many students share one
    for profile in profiles:
        if profile not in described:
            described[profile] = describe(profile, interviewed=profiles, threshold=program.suppression_threshold,
                                          counts=counts)
    return {s.pk: described[profile] for s, profile in zip(interviewed, profiles, strict=True)}


def _quote(row: ThemeQuote, note_language: str, session_language: str, student_id, described: dict[int, str]) -> Quote:
    return Quote(row.snippet, described.get(student_id) or str(A_STUDENT), spoken_language(note_language, session_language),
                 row.translation, row.translation_language if row.translation else "", row.translator_role, row.pk)


def theme_quotes(theme: Theme, described: dict[int, str]) -> list[Quote]:
    quotes = theme.quotes.select_related("note__session").filter(note__in=analysable_notes(theme.program))
    return [_quote(q, q.note.language, q.note.session.language, q.note.student_id, described) for q in quotes]


def quote_language(quote: ThemeQuote) -> str:
    return spoken_language(quote.note.language, quote.note.session.language)


def translate_quote(*, quote: ThemeQuote, text: str, language: str, user, role: str) -> ThemeQuote:
    """Write a team member's translation beside a quote (the student's words are left as they are)."""
    text = (text or "").strip()
    if not text:
        raise ValueError(TRANSLATION_EMPTY)
    if len(text) > TRANSLATION_LIMIT:
        raise ValueError(TRANSLATION_TOO_LONG % {"limit": TRANSLATION_LIMIT, "length": len(text)})
    code = supported(language)
    if code is None:
        raise ValueError(TRANSLATION_LANGUAGE_UNKNOWN)
    spoken = quote_language(quote)
    if code == spoken:
        raise ValueError(TRANSLATION_SAME_LANGUAGE % {"language": in_language(spoken)})
    quote.translation, quote.translation_language = text, code
    quote.translated_by, quote.translator_role, quote.translated_at = user, str(role), timezone.now()
    quote.save(update_fields=["translation", "translation_language", "translated_by", "translator_role", "translated_at"])
    return quote


def remove_translation(*, quote: ThemeQuote) -> ThemeQuote:
    quote.translation, quote.translation_language, quote.translated_by = "", "", None
    quote.translator_role, quote.translated_at = "", None
    quote.save(update_fields=["translation", "translation_language", "translated_by", "translator_role", "translated_at"])
    return quote


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
    for row in (ThemeQuote.objects.filter(theme__in=themes, note__in=notes).order_by("position", "pk")
                .annotate(note_language=F("note__language"), session_language=F("note__session__language"),
                          student_id=F("note__student_id"))
                .only("theme_id", "snippet", "translation", "translation_language", "translator_role")):
        quotes_of[row.theme_id].append(_quote(row, row.note_language, row.session_language, row.student_id, described))
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
