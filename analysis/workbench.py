"""The coding workbench's lists: notes to code with filters, a page at a time, and progress."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet

from analysis.corpus import analysable_notes
from analysis.models import CodeApplication
from analysis.search import MAX_QUERY_LENGTH, search_notes
from interviews.models import Note, Session
from participants.attributes import EXTRA_PREFIX, Criterion, criterion_label, extra_criteria, roster_units
from participants.models import Student
from participants.sampling import Unit
from programs.models import Program

# The sampler's criteria the form does not already filter by with its own field, by their sampler key;
# district criteria (`extra:<name>`) are added per program.
ROSTER_CRITERIA = ("race_ethnicity", "gpa_band", "group", "years_band")


@dataclass(frozen=True)
class WorkbenchFilters:
    question: int | None = None
    session: int | None = None
    code: int | None = None
    uncoded: bool = False
    grade: int | None = None
    school: int | None = None
    english_learner: bool | None = None
    special_education: bool | None = None
    gender: str = ""
    attributes: tuple[tuple[str, str], ...] = ()  # (sampler criterion, category): race/ethnicity, GPA band, …
    query: str = ""  # words to search for (analysis/search.py); check it with parse_query before listing

    def category(self, key: str) -> str:
        return dict(self.attributes).get(key, "")

    @classmethod
    def from_query(cls, query) -> WorkbenchFilters:
        def number(name):
            value = query.get(name, "")
            return int(value) if value.isdigit() else None

        yes_no = {"yes": True, "no": False}
        return cls(question=number("question"), session=number("session"), code=number("code"),
                   uncoded=query.get("uncoded") == "1", grade=number("grade"), school=number("school"),
                   english_learner=yes_no.get(query.get("english_learner", "")),
                   special_education=yes_no.get(query.get("special_education", "")), gender=query.get("gender", "")[:20],
                   attributes=tuple(sorted((key, query.get(key)[:100]) for key in query
                                           if (key in ROSTER_CRITERIA or key.startswith(EXTRA_PREFIX)) and query.get(key))),
                   # Kept a little past the limit, so that parse_query can say the query is too long.
                   query=query.get("q", "").strip()[:MAX_QUERY_LENGTH + 1])

    def as_query(self) -> dict[str, str]:
        """The filters as the workbench's GET parameters (what `from_query` reads back)."""
        params = {"question": self.question, "session": self.session, "code": self.code,
                  "uncoded": "1" if self.uncoded else None, "grade": self.grade, "school": self.school,
                  "english_learner": {True: "yes", False: "no"}.get(self.english_learner),
                  "special_education": {True: "yes", False: "no"}.get(self.special_education),
                  "gender": self.gender, "q": self.query, **dict(self.attributes)}
        return {key: str(value) for key, value in params.items() if value not in (None, "")}


def _interviewed_units(program: Program) -> list[Unit]:
    """The interviewed students' categories, read as plain values (no model per student)."""
    return roster_units(Student.objects.filter(pk__in=analysable_notes(program).exclude(student=None).values("student_id")))


def attribute_choices(program: Program) -> list[tuple[Criterion, list[str]]]:
    """Each roster criterion the sampler balances on, with the categories among the interviewed students."""
    units = _interviewed_units(program)
    criteria = [Criterion(key, criterion_label(key)) for key in ROSTER_CRITERIA]
    criteria += extra_criteria({key[len(EXTRA_PREFIX):]: True for key in unit.features if key.startswith(EXTRA_PREFIX)}
                               for unit in units)
    values: dict[str, set[str]] = {criterion.key: set() for criterion in criteria}
    for unit in units:
        for key, categories in unit.features.items():
            if key in values:
                values[key] |= categories
    return [(criterion, sorted(values[criterion.key])) for criterion in criteria if values[criterion.key]]


def _matching_students(program: Program, attributes: tuple[tuple[str, str], ...]) -> list[int]:
    return [unit.id for unit in _interviewed_units(program)
            if all(value in unit.features.get(key, ()) for key, value in attributes)]


def workbench_notes(program: Program, filters: WorkbenchFilters) -> QuerySet[Note]:
    notes = analysable_notes(program)
    if filters.question:
        notes = notes.filter(question_id=filters.question)
    if filters.session:
        notes = notes.filter(session_id=filters.session)
    if filters.code:
        notes = notes.filter(codings__code_id=filters.code).distinct()
    if filters.uncoded:
        notes = notes.exclude(Exists(CodeApplication.objects.filter(note=OuterRef("pk"))))
    if filters.grade is not None:
        notes = notes.filter(student__grade=filters.grade)
    if filters.school:
        notes = notes.filter(student__school_id=filters.school)
    if filters.english_learner is not None:
        notes = notes.filter(student__english_learner=filters.english_learner)
    if filters.special_education is not None:
        notes = notes.filter(student__special_education=filters.special_education)
    if filters.gender:
        notes = notes.filter(student__gender=filters.gender)
    if filters.attributes:  # banded and multi-valued criteria: the sampler's own categories, worked out per student
        notes = notes.filter(student_id__in=_matching_students(program, filters.attributes))
    if filters.query:  # raises SearchQueryError for a query that cannot be searched
        notes = search_notes(notes=notes, query=filters.query)
    return (notes.select_related("student__school", "question", "session")
            .prefetch_related(Prefetch("codings", queryset=CodeApplication.objects.select_related("code")))
            .order_by("session__starts_at", "question__position", "created_at", "id"))


@dataclass(frozen=True)
class Progress:
    coded: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.coded / self.total) if self.total else 0


def progress(program: Program) -> tuple[Progress, list[tuple[object, Progress]]]:
    """Share of notes with at least one code: overall and per session."""
    # Counted in the database, a row per session (3,000 notes were read one by one to count them).
    notes = analysable_notes(program).order_by().annotate(coded=Exists(CodeApplication.objects.filter(note=OuterRef("pk"))))
    per_session: dict[int, list[int]] = {}
    for row in notes.values("session_id", "coded").annotate(n=Count("pk")):
        counts = per_session.setdefault(row["session_id"], [0, 0])
        counts[1] += row["n"]
        counts[0] += row["n"] if row["coded"] else 0
    sessions = Session.objects.in_bulk(list(per_session))
    rows = [(sessions[s], Progress(*c)) for s, c in sorted(per_session.items(), key=lambda item: sessions[item[0]].starts_at)]
    return Progress(sum(c for c, _ in per_session.values()), sum(t for _, t in per_session.values())), rows
