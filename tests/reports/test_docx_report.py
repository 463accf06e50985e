"""The thematic report as Word: rendered through the reports pipeline and opened back with python-docx."""

from __future__ import annotations

import io

from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from audit.models import AuditAction, AuditEvent
from reports.content import report_data
from reports.models import Report, ReportKind, ReportStatus
from reports.render import render_report, storage_name
from tests.reports.editable import leaked, read
from tests.test_helpers import login

SECTIONS = ("Executive summary", "Purpose and method", "Who we heard from", "What we will do: the action plan",
            "Appendix: the interview protocol")


def document_of(program, **options):
    report = Report.objects.create(program=program, kind=ReportKind.THEMATIC_DOCX, options=options)
    render_report(report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.READY, report.error
    content = read(report)
    return report, Document(io.BytesIO(content)), content


def headings(document, level: int) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def outline_level(style) -> int | None:
    """The outline level Word's navigation pane and Google Docs' outline read, from the style (or its base)."""
    while style is not None:
        properties = style.element.pPr
        level = properties.find(qn("w:outlineLvl")) if properties is not None else None
        if level is not None:
            return int(level.get(qn("w:val")))
        style = style.base_style
    return None


def test_chapters_and_themes_are_real_headings(editable):
    report, document, _content = document_of(editable.team.program, summary="Leaders, read this.")
    assert storage_name(report).endswith(".docx") and report.pages is None
    chapters = headings(document, 1)
    for section in SECTIONS:
        assert section in chapters, section
    assert [c for c in chapters if c.startswith("Findings: ")]
    assert {"The cafeteria is loud", "Buses come late"} <= set(headings(document, 2))
    assert outline_level(document.styles["Heading 1"]) == 0 and outline_level(document.styles["Heading 2"]) == 1
    assert [p.text for p in document.paragraphs if p.style.name == "Title"] == [editable.team.program.name]
    assert "Leaders, read this." in [p.text for p in document.paragraphs]
    footer = document.sections[0].footer.paragraphs[0]._p
    assert [field.get(qn("w:instr")) for field in footer.findall(qn("w:fldSimple"))] == ["PAGE", "NUMPAGES"]


def test_who_we_heard_from_and_the_action_plan_are_word_tables(editable):
    _report, document, _content = document_of(editable.team.program)
    heading = ("Group", "Heard", "Invited", "Community", "Heard − community (points)")
    heard = [table for table in document.tables if tuple(cell.text for cell in table.rows[0].cells) == heading]
    expected = report_data(editable.team.program).heard
    assert expected and len(heard) == len(expected)  # one table per criterion, as in the PDF
    for table, shown in zip(heard, expected, strict=True):
        assert [[cell.text for cell in row.cells[:4]] for row in table.rows[1:]] == [
            [row.category, row.interviewed, row.invited, row.community] for row in shown.rows]
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # the header repeats on each page
    tables = {tuple(cell.text for cell in table.rows[0].cells): table for table in document.tables}
    plan = tables[("Action", "Answers", "Owner", "Due", "Status")]
    assert "Open a quiet lunch room" in plan.rows[1].cells[0].text and plan.rows[1].cells[1].text == "The cafeteria is loud"


def test_quotes_are_block_quotes_with_their_descriptor(editable):
    _report, document, _content = document_of(editable.team.program)
    quotes = [p for p in document.paragraphs if p.style.name == "Quote"]
    assert len(quotes) == 3  # the theme's three
    for quote in quotes:
        assert "the cafeteria is loud and lunch is short" in quote.text
        assert "— a 9th-grade student" in quote.text or "— a student" in quote.text
    style = document.styles["Quote"]
    assert style.paragraph_format.left_indent > 0 and style.element.pPr.find(qn("w:pBdr")) is not None


def test_a_theme_raised_by_few_students_reads_fewer_than_n(editable):
    _report, document, _content = document_of(editable.team.program)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Fewer than 5 students raised this." in text and "(fewer than 5 of those interviewed)" not in text
    assert "12 students raised this (50% of those interviewed)." in text
    assert "3 students raised this" not in text
    assert document.inline_shapes and all(shape._inline.docPr.get("descr") for shape in document.inline_shapes)


def test_no_roster_name_or_local_id_is_in_any_part_of_the_file(editable):
    _report, _document, content = document_of(editable.team.program, summary="Leaders, read this.")
    assert leaked(content, editable.students) == []
    # The search would find one: a student's local id typed into the summary is found in document.xml.
    _report, _document, content = document_of(editable.team.program, summary=f"See {editable.students[0].local_id}.")
    assert leaked(content, editable.students) == [("word/document.xml", editable.students[0].local_id)]


def test_a_spanish_report_is_in_spanish(editable):
    _report, document, _content = document_of(editable.team.program, language="es")
    chapters = headings(document, 1)
    assert "Resumen ejecutivo" in chapters and "A quiénes escuchamos" in chapters
    assert [c for c in chapters if c.startswith("Hallazgos: ")]
    assert not set(SECTIONS) & set(chapters)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "menos de 5" in text and "fewer than" not in text and "Causas de fondo que ve el equipo:" in text
    assert "24 estudiantes escuchados" in text and "1 sesión" in text and "2 temas" in text
    assert document.core_properties.language == "es-ES"
    footer = document.sections[0].footer.paragraphs[0]
    assert footer.text.startswith("Página") and " de" in footer.text  # "Página 2 de 9", from Word's fields


def test_a_lead_asks_for_the_report_and_downloads_it_audited(client, editable, django_capture_on_commit_callbacks):
    login(client, editable.team.lead)
    url = reverse("report_list", kwargs={"slug": editable.team.program.slug})
    assert "Report (Word)" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"kind": "thematic_docx", "threshold": 5, "patterns": "on", "language": "en"})
    report = Report.objects.get()
    assert report.status == ReportStatus.READY
    assert "Download Word" in client.get(url).content.decode()
    response = client.get(reverse("report_download", kwargs={"slug": editable.team.program.slug, "pk": report.pk}))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"].endswith(
        f'filename="{editable.team.program.slug}-thematic-en-{report.created_at:%Y-%m-%d}.docx"')
    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    assert "The cafeteria is loud" in headings(document, 2)
    assert AuditEvent.objects.filter(action=AuditAction.DOWNLOAD_REPORT, actor=editable.team.lead,
                                     detail__kind="thematic_docx").exists()
