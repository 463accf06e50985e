"""Patterns across subgroups: how many distinct students raised a theme or code, overall and by
each student attribute, as counts and shares of that subgroup's interviewed students, with small
counts suppressed over everything published together (see `analysis/disclosure.py`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from analysis.corpus import analysable_notes
from analysis.disclosure import Linking, Publication, Structure, nesting, suppress_publication
from analysis.models import CodeApplication, Theme
from analysis.suppression import Cell, Hidden
from participants.attributes import (
    MULTI_VALUED,
    NO_GROUP,
    NOT_RECORDED,
    category_label,
    criterion_label,
    gender_category,
    gpa_band,
    grade_label,
    roster_units,
    years_band,
    yes_no,
)
from participants.models import Student, StudentGroup
from participants.sampling import natural_order
from programs.models import Program
from toolkit.languages import home_language_category

PATTERN_CRITERIA = ("grade", "school", "gender", "race_ethnicity", "english_learner", "special_education", "gpa_band",
                    "group")
HEATMAP_CRITERIA = ("grade", "school", "english_learner", "special_education", "gender")


@dataclass(frozen=True)
class PatternCell:
    category: str
    raised: Cell
    interviewed: Cell

    @property
    def label(self) -> str:
        """The category as a page shows it, in the language active."""
        return category_label(self.category)

    @property
    def share(self) -> str:
        if self.raised.hidden != Hidden.SHOWN or self.interviewed.hidden != Hidden.SHOWN or not self.interviewed.value:
            return "—"
        return f"{round(100 * self.raised.value / self.interviewed.value)}%"


@dataclass(frozen=True)
class PatternTable:
    criterion: str
    label: str
    cells: list[PatternCell]
    raised_total: Cell
    interviewed_total: Cell


def interviewed_students(program: Program) -> list[Student]:
    student_ids = analysable_notes(program).exclude(student=None).values("student_id")
    return list(Student.objects.filter(pk__in=student_ids).select_related("school").prefetch_related("groups"))


@dataclass(frozen=True)
class Interviewed:
    """The interviewed students and their attributes, loaded once for many tables."""

    ids: frozenset
    features: dict
    students: tuple = ()  # with their schools and the fields analysis/themes.profile_of reads


def interviewed_population(program: Program) -> Interviewed:
    """The interviewed students with their schools, and their features read as plain values (roster_units)
    instead of from models with their groups prefetched (a related manager built per student): a theme's page
    and the patterns read this."""
    # The ids once, as a list: the analysable notes' query is the dear part, and three reads use them.
    student_ids = sorted(analysable_notes(program).exclude(student=None).order_by()
                         .values_list("student_id", flat=True).distinct())
    # With what their descriptors (analysis/themes.profile_of) and the roster's schools read, nothing else.
    students = tuple(Student.objects.filter(pk__in=student_ids).select_related("school")
                     .only("grade", "english_learner", "special_education", "school__name"))
    features = {unit.id: unit.features for unit in roster_units(Student.objects.filter(pk__in=student_ids))}
    return Interviewed(frozenset(features), features, students)


def students_raising(program: Program, *, code_ids: Iterable[int]) -> set[int]:
    notes = analysable_notes(program).values("pk")
    return set(CodeApplication.objects.filter(code_id__in=list(code_ids), note_id__in=notes, note__student__isnull=False)
               .values_list("note__student_id", flat=True))


def roster_categories(program: Program, criteria: Iterable[str], students: Iterable[Student] = ()) -> tuple[
        dict[str, set[str]], Linking | None]:
    """Every category of the roster the program listens to (interviewed or not), and which single-valued
    attribute nests in which there (each grade in one school): what a reader who knows the schools knows."""
    criteria = tuple(criteria)
    schools = program.schools.all() if program.schools.exists() else {s.school_id for s in students}
    roster = Student.objects.filter(school__in=schools)
    # Thousands of students fall into a few hundred combinations of categories: each is kept once, where
    # it first comes (the nesting found is the same), and each value is put in its category once.
    named = (_same, _grade_category, gender_category, yes_no, yes_no, gpa_band, years_band, home_language_category)
    memo: tuple[dict, ...] = tuple({} for _ in named)
    combinations: dict[tuple, None] = {}
    for row in (roster.values_list("school__name", "grade", "gender", "english_learner", "special_education", "gpa",
                                   "years_in_program", "home_language").distinct()):
        combinations[tuple(seen[v] if v in seen else seen.setdefault(v, name(v))
                           for v, name, seen in zip(row, named, memo, strict=True))] = None
    singles = [{"school": (school,), "grade": (grade,), "gender": (gender,), "english_learner": (english,),
                "home_language": (home_language,), "special_education": (special,), "gpa_band": (gpa,),
                "years_band": (years,)}
               for school, grade, gender, english, special, gpa, years, home_language in combinations]
    categories: dict[str, set[str]] = defaultdict(set)
    for features in singles:
        for criterion, values in features.items():
            categories[criterion].update(values)
    if "race_ethnicity" in criteria:
        for races in roster.order_by().values_list("race_ethnicity", flat=True).distinct():
            categories["race_ethnicity"].update(races or [NOT_RECORDED])
    if "group" in criteria:
        categories["group"] = set(StudentGroup.objects.filter(students__in=roster).values_list("name", flat=True).distinct())
        categories["group"].add(NO_GROUP)
    linked = nesting(singles, criteria=[c for c in criteria if c in singles[0]] if singles else [],
                     multi_valued=MULTI_VALUED)
    return {c: categories.get(c, set()) for c in criteria}, linked


def _same(value):
    return value


def _grade_category(grade: int) -> str:
    return f"Grade {grade_label(grade)}"


@dataclass(frozen=True)
class ProgramPatterns:
    """Every count about a program's themes that its pages, CSV and reports publish, decided together
    (see `analysis/disclosure.py`): each page shows some of them, so no two pages can be subtracted."""

    publication: Publication
    criteria: tuple[str, ...]

    @property
    def threshold(self) -> int:
        return self.publication.threshold

    @property
    def interviewed(self) -> Cell:
        return self.publication.interviewed

    def overall(self, key) -> tuple[Cell, Cell]:
        """Students who raised it, and students interviewed."""
        return self.publication.raised_totals[key], self.publication.interviewed

    def tables(self, key, criteria: Iterable[str] | None = None) -> list[PatternTable]:
        tables = []
        for criterion in criteria or self.criteria:
            categories = sorted(self.publication.categories[criterion], key=natural_order)
            cells = [PatternCell(c, self.publication.raised_cells[key][criterion][c],
                                 self.publication.interviewed_cells[criterion][c]) for c in categories]
            tables.append(PatternTable(criterion, criterion_label(criterion), cells, self.publication.raised_totals[key],
                                       self.publication.interviewed))
        return tables


def program_patterns(program: Program, themes: Iterable[Theme] | None = None, *, threshold: int | None = None,
                     population: Interviewed | None = None, raised: dict | None = None) -> ProgramPatterns:
    """The counts of every theme of the program (keyed by theme id) by every attribute, decided together.

    `raised` (theme id -> student ids) saves the queries when the caller has them already."""
    themes = list(program.themes.prefetch_related("codes") if themes is None else themes)
    population = population or interviewed_population(program)
    if raised is None:
        raised = raised_by_theme(program, themes)
    categories, linked = roster_categories(program, PATTERN_CRITERIA, students=population.students)
    structure = Structure(PATTERN_CRITERIA, MULTI_VALUED, linked)
    publication = suppress_publication(
        students=population.features, raised={key: set(ids) & population.ids for key, ids in raised.items()},
        structure=structure, threshold=threshold or program.suppression_threshold, categories=categories)
    return ProgramPatterns(publication, PATTERN_CRITERIA)


def raised_by_theme(program: Program, themes: Iterable[Theme]) -> dict[int, set[int]]:
    """For each theme, the students who raised one of its codes, in one query."""
    codes_of = {theme.pk: {code.pk for code in theme.codes.all()} for theme in themes}
    wanted = set().union(*codes_of.values()) if codes_of else set()
    by_code: dict[int, set[int]] = defaultdict(set)
    notes = analysable_notes(program).values("pk")
    for code_id, student_id in (CodeApplication.objects.filter(code_id__in=wanted, note_id__in=notes,
                                                               note__student__isnull=False)
                                .values_list("code_id", "note__student_id")):
        by_code[code_id].add(student_id)
    return {key: set().union(*(by_code[c] for c in codes)) if codes else set() for key, codes in codes_of.items()}


def heatmap(patterns: ProgramPatterns, themes: Iterable[Theme], *, criteria: Iterable[str] = HEATMAP_CRITERIA,
            ) -> tuple[list[tuple[str, str]], list[tuple[Theme, list[PatternCell | None]]]]:
    """Themes by subgroup: the columns (attribute, group) and, for each theme, its cell in each column."""
    columns: list[tuple[str, str]] = []
    rows = []
    for theme in themes:
        tables = patterns.tables(theme.pk, criteria)
        if not columns:
            keys = [(t.criterion, c.category) for t in tables for c in t.cells]
            # "Grade 9" already says what it is; other categories ("Yes") need their attribute above them.
            headings = {t.criterion: "" if t.criterion == "grade" else t.label for t in tables}
            columns = [(headings[t.criterion], c.label) for t in tables for c in t.cells]
        cells = {(t.criterion, c.category): c for t in tables for c in t.cells}
        rows.append((theme, [cells.get(key) for key in keys]))
    return columns, rows
