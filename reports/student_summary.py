"""Publishing the summary for students, and what it says: in plain language, no names, small groups withheld.

The summary exists in every language its families need: English, and each home language of the
interviewed students' families that the app speaks. Publishing records those languages on the link;
each has its own address (the link with `?lang=es`), which opens the page in that language unless the
visitor chose another with the switcher, and, when asked, a printable copy in each."""

from __future__ import annotations

import secrets

from django.conf import settings

from analysis.patterns import interviewed_students
from programs.models import Program
from reports.content import ReportData, report_data
from reports.models import Report, ReportKind, StudentSummaryLink
from reports.tasks import enqueue
from toolkit.languages import offered, supported


def summary_languages(program: Program) -> list[str]:
    """English (the app's own language) and every language the app speaks among the interviewed students'
    families, in the order the app offers them."""
    needed = {settings.LANGUAGE_CODE} | {supported(s.home_language) for s in interviewed_students(program)}
    return [code for code in offered() if code in needed]


def families_by_language(program: Program) -> dict[str, int]:
    """How many interviewed students' families read each summary language (English for those whose home
    language the app does not speak or is not recorded)."""
    counts = dict.fromkeys(summary_languages(program), 0)
    for student in interviewed_students(program):
        code = supported(student.home_language) or settings.LANGUAGE_CODE
        counts[code] = counts.get(code, 0) + 1
    return counts


def publish(program: Program, *, user, printable: bool = False) -> StudentSummaryLink:
    """Put the summary online in each language its families need; with `printable`, ask for a PDF in each."""
    languages = summary_languages(program)
    link, created = StudentSummaryLink.objects.get_or_create(
        program=program, defaults={"token": secrets.token_urlsafe(24), "published_by": user, "languages": languages})
    if not created and link.languages != languages:
        link.languages = languages
        link.save(update_fields=["languages"])
    if printable:
        for language in languages:
            report = Report.objects.create(program=program, kind=ReportKind.STUDENT_SUMMARY, requested_by=user,
                                           options={"patterns": False, "language": language})
            enqueue(report.pk)
    return link


def unpublish(program: Program) -> None:
    StudentSummaryLink.objects.filter(program=program).delete()


def published_link(token: str) -> StudentSummaryLink | None:
    return StudentSummaryLink.objects.select_related("program").filter(token=token).first()


def published_program(token: str) -> Program | None:
    link = published_link(token)
    return link.program if link else None


def page_language(link: StudentSummaryLink, asked: str | None) -> str | None:
    """The language a family's address names (`?lang=es`), if the summary was published in it."""
    code = supported(asked)
    return code if code and code in (link.languages or [settings.LANGUAGE_CODE]) else None


def summary_data(program: Program, *, language: str | None = None) -> ReportData:
    options = {"patterns": False}
    if language:
        options["language"] = language
    return report_data(program, options=options)
