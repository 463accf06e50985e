"""The district repository: every program's students' words in one search (issue 18).

**Who.** A person holding `district.search_repository` (the district administrator's group,
participants/roles.py) searches every program; a lead searches the programs they lead, and no other; nobody
else opens it (`repository_programs` is the one place that says so).

**Which words.** Exactly those analysis may use (`analysis.corpus.analysable_notes_in`): students' words and
follow-ups from completed sessions; never a student's whose consent or assent was withdrawn in that program,
never erased words. Filters: the search box (`analysis.search.search_notes`), program, school (the student's;
for the group's words, a school the program listens to), year (of the session), code name and theme name
(a note coded with a code of that name, or with a code of a theme of that name, or quoted in such a theme).

**What is shown.** A student is their pseudonym only, even to a lead (the names are never read: they are
deferred, so a template reaching for one would cost a query the tests count); the program, the question,
the words with the matches highlighted.

**Counts.** Matching notes and students per program, each program against its own suppression threshold: a
program with fewer matching students than its threshold shows "fewer than N" for both. A total across
programs is shown only when every program's count is, since subtracting the shown ones from it would give a
hidden one away; the pages of results carry no count either (Previous / Next only).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from analysis.corpus import analysable_notes_in
from analysis.models import CodeApplication, ThemeQuote
from analysis.search import ParsedQuery, highlight, search_notes
from analysis.suppression import Cell, Hidden
from interviews.models import Note
from participants.models import School
from participants.roles import SEARCH_REPOSITORY
from programs.models import Program, Role

PAGE_SIZE = 20
# Offsets past this many results cost the database more than anyone reads: narrow the search instead.
MAX_PAGE = 250
# The names offered in the code and theme boxes' lists (any name may still be typed).
MAX_NAME_SUGGESTIONS = 300
NEVER_READ = ("student__first_name", "student__last_name", "student__local_id", "student__guardian_email")


def searches_every_program(user) -> bool:
    return user.is_authenticated and user.has_perm(SEARCH_REPOSITORY)


def repository_programs(*, user) -> QuerySet[Program]:
    """The programs whose notes `user` may search here: every one with the district permission, else the
    ones they lead (none: they may not open the repository)."""
    if searches_every_program(user):
        return Program.objects.all()
    if not user.is_authenticated:
        return Program.objects.none()
    return Program.objects.filter(memberships__user=user, memberships__role=Role.LEAD)


def may_open_repository(*, user) -> bool:
    return searches_every_program(user) or repository_programs(user=user).exists()


@dataclass(frozen=True)
class RepositoryFilters:
    query: ParsedQuery | str | None = None  # the search box's words (analysis/search.py), parsed or as typed
    program: Program | None = None
    school: School | None = None
    year: int | None = None
    code: str = ""
    theme: str = ""

    @property
    def any(self) -> bool:
        return bool(self.query or self.program or self.school or self.year or self.code or self.theme)


def repository_notes(*, programs: QuerySet[Program], filters: RepositoryFilters) -> QuerySet[Note]:
    """The notes of `programs` that the filters find, newest session first (lazy; a bad query raises
    analysis.search.SearchQueryError, which the form reports before this is called)."""
    notes = analysable_notes_in(programs)
    if filters.program is not None:
        notes = notes.filter(session__program=filters.program)
    if filters.school is not None:
        listens_to_school = Exists(Program.schools.through.objects.filter(
            program_id=OuterRef("session__program_id"), school=filters.school))
        notes = notes.filter(Q(student__school=filters.school) | (Q(student__isnull=True) & listens_to_school))
    if filters.year is not None:
        notes = notes.filter(session__starts_at__year=filters.year)
    if filters.code:
        notes = notes.filter(Exists(CodeApplication.objects.filter(note=OuterRef("pk"),
                                                                   code__name__iexact=filters.code)))
    if filters.theme:
        notes = notes.filter(
            Exists(CodeApplication.objects.filter(note=OuterRef("pk"), code__themes__name__iexact=filters.theme))
            | Exists(ThemeQuote.objects.filter(note=OuterRef("pk"), theme__name__iexact=filters.theme)))
    if filters.query:
        notes = search_notes(notes=notes, query=filters.query)
    # Sessions newest first, by id (the order they were scheduled in), each in the order its words were written:
    # the note table's (session, updated_at) index walked backwards gives the sessions' order and only a
    # session's notes are sorted, so the first page reads about a page of rows, not every note of the district.
    return notes.order_by("-session_id", "created_at", "id")


@dataclass(frozen=True)
class Result:
    note: Note
    # The words cut into (segment, is the match) pieces, for the template to mark (and escape).
    segments: list[tuple[str, bool]]


@dataclass(frozen=True)
class ResultsPage:
    results: list[Result]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def next_number(self) -> int:
        return self.number + 1

    @property
    def previous_number(self) -> int:
        return self.number - 1


def results_page(*, notes: QuerySet[Note], number: int = 1, size: int = PAGE_SIZE,
                 query: ParsedQuery | str | None = None) -> ResultsPage:
    """One page of results in one query, with no count of them all (one row more than the page says
    whether there is a next one); the query's words highlighted in each."""
    number = max(1, min(number, MAX_PAGE))
    start = (number - 1) * size
    rows = list(notes.select_related("student", "question", "session__program").defer(*NEVER_READ)
                [start:start + size + 1])
    return ResultsPage(results=[Result(note, highlight(note.text, query)) for note in rows[:size]], number=number,
                       has_next=len(rows) > size)


@dataclass(frozen=True)
class ProgramCount:
    program: Program
    notes: Cell
    students: Cell


@dataclass(frozen=True)
class RepositoryCounts:
    rows: list[ProgramCount]
    # Matching notes in all the programs, or None when any program's count is hidden.
    total_notes: int | None

    @property
    def any_hidden(self) -> bool:
        return any(row.students.hidden != Hidden.SHOWN for row in self.rows)


def counts_by_program(*, notes: QuerySet[Note], programs: list[Program]) -> RepositoryCounts:
    """Matching notes and students for each program with a match, in one query, each program's counts
    suppressed below its own threshold; the total only when nothing is hidden."""
    by_program = {program.pk: program for program in programs}
    grouped = (notes.order_by().values("session__program_id")
               .annotate(note_count=Count("pk"), student_count=Count("student_id", distinct=True)))
    rows = []
    for row in grouped:
        program = by_program.get(row["session__program_id"])
        if program is None:
            continue
        threshold = program.suppression_threshold
        if row["student_count"] < threshold:
            hidden = Cell(None, Hidden.SMALL, threshold)
            rows.append(ProgramCount(program, hidden, hidden))
        else:
            rows.append(ProgramCount(program, Cell(row["note_count"], Hidden.SHOWN, threshold),
                                     Cell(row["student_count"], Hidden.SHOWN, threshold)))
    rows.sort(key=lambda count: (count.program.name.lower(), count.program.pk))
    shown = all(row.students.hidden == Hidden.SHOWN for row in rows)
    total = sum(row.notes.value for row in rows) if shown else None
    return RepositoryCounts(rows=rows, total_notes=total)
