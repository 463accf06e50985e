"""Patterns across subgroups: how many distinct students raised a theme or code, overall and by
each student attribute, as counts and shares of that subgroup's interviewed students, with small
counts suppressed (see `analysis/suppression.py`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from analysis.corpus import analysable_notes
from analysis.models import CodeApplication, Theme
from analysis.suppression import Cell, Hidden, suppress
from participants.attributes import criterion_label, student_features
from participants.models import Student
from participants.sampling import natural_order
from programs.models import Program

MULTI_VALUED = frozenset({"race_ethnicity", "group"})
PATTERN_CRITERIA = ("grade", "school", "gender", "race_ethnicity", "english_learner", "special_education", "gpa_band",
                    "group")
HEATMAP_CRITERIA = ("grade", "school", "english_learner", "special_education", "gender")


@dataclass(frozen=True)
class PatternCell:
    category: str
    raised: Cell
    interviewed: Cell

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


def interviewed_population(program: Program) -> Interviewed:
    students = interviewed_students(program)
    return Interviewed(frozenset(s.pk for s in students), {s.pk: student_features(s) for s in students})


def students_raising(program: Program, *, code_ids: Iterable[int]) -> set[int]:
    notes = analysable_notes(program).values("pk")
    return set(CodeApplication.objects.filter(code_id__in=list(code_ids), note_id__in=notes, note__student__isnull=False)
               .values_list("note__student_id", flat=True))


def pattern_tables(program: Program, *, code_ids: Iterable[int], criteria: Iterable[str] = PATTERN_CRITERIA,
                   population: Interviewed | None = None, raised: set | None = None) -> list[PatternTable]:
    threshold = program.suppression_threshold
    population = population or interviewed_population(program)
    if raised is None:
        raised = students_raising(program, code_ids=code_ids)
    raised = set(raised) & population.ids
    features = population.features
    interviewed = population.ids
    tables = []
    for criterion in criteria:
        interviewed_by, raised_by = defaultdict(int), defaultdict(int)
        for student_id, values in features.items():
            for category in values.get(criterion, ()):
                interviewed_by[category] += 1
                raised_by[category] += student_id in raised
        categories = sorted(interviewed_by, key=natural_order)
        partition = criterion not in MULTI_VALUED
        raised_row = suppress([raised_by[c] for c in categories], total=len(raised), threshold=threshold, partition=partition)
        interviewed_row = suppress([interviewed_by[c] for c in categories], total=len(interviewed), threshold=threshold,
                                   partition=partition)
        cells = [PatternCell(c, r, i) for c, r, i in zip(categories, raised_row.cells, interviewed_row.cells, strict=True)]
        tables.append(PatternTable(criterion, criterion_label(criterion), cells, raised_row.total, interviewed_row.total))
    return tables


def overall(program: Program, *, code_ids: Iterable[int], population: Interviewed | None = None,
            raised_ids: set | None = None) -> tuple[Cell, Cell]:
    """Students who raised it, and students interviewed, each suppressed when small."""
    threshold = program.suppression_threshold
    interviewed = (population or interviewed_population(program)).ids
    if raised_ids is None:
        raised_ids = students_raising(program, code_ids=code_ids)
    raised = len(set(raised_ids) & interviewed)

    def cell(value: int) -> Cell:
        return Cell(value, Hidden.SHOWN, threshold) if value >= threshold else Cell(None, Hidden.SMALL, threshold)

    return cell(raised), cell(len(interviewed))




def heatmap(program: Program, themes: Iterable[Theme], *, criteria: Iterable[str] = HEATMAP_CRITERIA,
            ) -> tuple[list[tuple[str, str]], list[tuple[Theme, list[PatternCell | None]]]]:
    """Themes by subgroup: the columns (attribute, group) and, for each theme, its cell in each column."""
    columns: list[tuple[str, str]] = []
    rows = []
    for theme in themes:
        tables = pattern_tables(program, code_ids=[c.pk for c in theme.codes.all()], criteria=criteria)
        if not columns:
            # "Grade 9" already says what it is; other categories ("Yes") need their attribute above them.
            columns = [("" if c.category.startswith(t.label) else t.label, c.category) for t in tables for c in t.cells]
        cells = {("" if c.category.startswith(t.label) else t.label, c.category): c for t in tables for c in t.cells}
        rows.append((theme, [cells.get(column) for column in columns]))
    return columns, rows
