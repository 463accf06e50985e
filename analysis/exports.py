"""Exports for analysts and leaders: pseudonyms only, streamed, every one audited by the caller."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from analysis.corpus import analysable_notes
from analysis.models import CodeApplication, Stance
from analysis.patterns import program_patterns
from participants.models import grade_label
from programs.models import Program
from toolkit.tables import SafeCsvWriter, spreadsheet_safe


class _Echo:
    def write(self, value: str) -> str:
        return value


EXCERPT_HEADER = ["code", "category", "stance", "excerpt", "student", "grade", "school", "question", "session date"]


def coded_excerpts_rows(program: Program) -> Iterator[str]:
    writer = SafeCsvWriter(_Echo())
    yield writer.writerow(EXCERPT_HEADER)
    for record in coded_excerpt_records(program):
        yield writer.writerow(record)


def coded_excerpt_records(program: Program) -> Iterator[list[str]]:
    """One row per coded excerpt, pseudonyms only. Plain values, not model objects: exports are large."""
    stances = {value: str(label) for value, label in Stance.choices}
    group = _("Group")
    rows = (CodeApplication.objects.filter(code__program=program, note__in=analysable_notes(program))
            .order_by("code__name", "note__created_at")
            .values_list("code__name", "code__category__name", "stance", "snippet", "note__student__pseudonym",
                         "note__student__grade", "note__student__school__name", "note__question__text",
                         "note__session__starts_at")
            .iterator(chunk_size=2000))
    for code, category, stance, snippet, pseudonym, grade, school, question, starts_at in rows:
        yield [code, category, stances.get(stance, stance), snippet, pseudonym or group,
               "" if grade is None else grade_label(grade), school or "", question or "", starts_at.date().isoformat()]


def pattern_rows(program: Program, themes) -> Iterator[str]:
    writer = SafeCsvWriter(_Echo())
    yield writer.writerow(["theme", "attribute", "group", "students who raised it", "students interviewed", "share"])
    themes = list(themes)
    patterns = program_patterns(program, themes)
    for theme in themes:
        for table in patterns.tables(theme.pk):
            for cell in table.cells:
                yield writer.writerow([theme.name, table.label, cell.label, cell.raised.display,
                                       cell.interviewed.display, cell.share])


def coded_excerpts_xlsx(program: Program) -> bytes:
    """The same rows as the CSV, as an Excel workbook."""
    import io

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Coded excerpts")[:31])  # Excel's longest sheet name
    sheet.append(EXCERPT_HEADER)
    for record in coded_excerpt_records(program):
        sheet.append(spreadsheet_safe(record))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
