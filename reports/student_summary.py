"""Publishing the summary for students, and what it says: in plain language, no names, small groups withheld."""

from __future__ import annotations

import secrets

from programs.models import Program
from reports.content import ReportData, report_data
from reports.models import StudentSummaryLink


def publish(program: Program, *, user) -> StudentSummaryLink:
    link, created = StudentSummaryLink.objects.get_or_create(
        program=program, defaults={"token": secrets.token_urlsafe(24), "published_by": user})
    return link


def unpublish(program: Program) -> None:
    StudentSummaryLink.objects.filter(program=program).delete()


def published_program(token: str) -> Program | None:
    link = StudentSummaryLink.objects.select_related("program").filter(token=token).first()
    return link.program if link else None


def summary_data(program: Program) -> ReportData:
    return report_data(program, options={"patterns": False})
