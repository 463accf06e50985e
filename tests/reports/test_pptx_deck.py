"""The slide deck as PowerPoint: rendered through the reports pipeline and opened back with python-pptx."""

from __future__ import annotations

import io

from django.urls import reverse
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.util import Emu, Inches

from analysis.models import Theme
from audit.models import AuditAction, AuditEvent
from reports.charts import horizontal_bars_png
from reports.models import Report, ReportKind, ReportStatus
from reports.pptx_deck import Line, height_needed
from reports.render import render_report, storage_name
from tests.reports.editable import LONG_INSIGHT, leaked, read
from tests.test_helpers import login


def deck_of(program, **options) -> tuple[Report, Presentation, bytes]:
    report = Report.objects.create(program=program, kind=ReportKind.SLIDES_PPTX, options=options)
    render_report(report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.READY, report.error
    content = read(report)
    return report, Presentation(io.BytesIO(content)), content


def slide_text(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return " ".join(" ".join(parts).split())


def theme_slide(deck, name: str):
    return next(slide for slide in deck.slides if slide.shapes.title is not None and slide.shapes.title.text == name)


def test_the_deck_has_a_title_slide_a_slide_per_theme_and_the_action_plan(editable):
    report, deck, _content = deck_of(editable.team.program, summary="Leaders, read this.")
    assert (deck.slide_width, deck.slide_height) == (Inches(13.333), Inches(7.5))  # 16:9
    assert report.pages == len(deck.slides) and storage_name(report).endswith(".pptx")
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert titles[0] == editable.team.program.name
    assert "The cafeteria is loud" in titles and "Buses come late" in titles
    loud = theme_slide(deck, "The cafeteria is loud")
    text = slide_text(loud)
    assert "Lunch is too loud to talk." in text and "12 students (50%)" in text
    # Two quotes of the three, each with its descriptor.
    assert text.count("the cafeteria is loud and lunch is short") == 2
    assert text.count("— a 9th-grade student") + text.count("— a student") == 2
    assert any(shape.shape_type == MSO_SHAPE_TYPE.PICTURE for shape in loud.shapes)  # the chart, as an image
    picture = next(shape for shape in loud.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE)
    assert picture.image.content_type == "image/png" and picture._element.nvPicPr.cNvPr.get("descr")
    notes = loud.notes_slide.notes_text_frame.text
    assert "We held 1 session" in notes and "One lunch period for everyone." in notes and "fewer than 5" in notes
    plan = deck.slides[len(deck.slides) - 1]
    assert plan.shapes.title.text == "What we will do" and "Open a quiet lunch room" in slide_text(plan)


def test_a_theme_raised_by_few_students_reads_fewer_than_n_never_a_number(editable):
    _report, deck, _content = deck_of(editable.team.program)
    text = slide_text(theme_slide(deck, "Buses come late"))
    assert "Fewer than 5 students" in text and "(fewer than 5)" not in text
    assert "3 students" not in text and "13%" not in text


def test_no_roster_name_or_local_id_is_in_any_part_of_the_file(editable):
    _report, _deck, content = deck_of(editable.team.program, summary="Leaders, read this.")
    assert leaked(content, editable.students) == []
    # The search would see one: a student's name put where a theme's is shows up at once.
    theme = Theme.objects.get(name="Buses come late")
    theme.name = editable.students[3].last_name
    theme.save(update_fields=["name"])
    _report, _deck, content = deck_of(editable.team.program)
    assert {secret for _part, secret in leaked(content, editable.students)} == {editable.students[3].last_name}


def test_every_shape_stays_inside_the_slide_and_text_wraps_and_shrinks(editable):
    _report, deck, _content = deck_of(editable.team.program)
    for number, slide in enumerate(deck.slides, 1):
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, (number, shape.name)
            assert shape.left + shape.width <= deck.slide_width, (number, shape.name)
            assert shape.top + shape.height <= deck.slide_height, (number, shape.name)
            if shape.has_text_frame and shape.text_frame.text:
                assert shape.text_frame.word_wrap is True, (number, shape.name)
                assert shape.text_frame.auto_size == MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE, (number, shape.name)


def _box_text_height(shape) -> float:
    """The height the box's text needs (points), by the deck's own estimate, from the sizes written in it."""
    lines = []
    sizes = []
    for paragraph in shape.text_frame.paragraphs:
        run = paragraph.runs[0]
        sizes.append(run.font.size.pt)
        lines.append(Line(paragraph.text, scale=run.font.size.pt / sizes[0]))
    return height_needed(lines, size=sizes[0], width=shape.width - Inches(0.1))


def test_a_long_insight_gets_a_smaller_size_fits_its_box_and_is_whole_in_the_notes(editable):
    _report, deck, _content = deck_of(editable.team.program)
    short = next(s for s in theme_slide(deck, "The cafeteria is loud").shapes
                 if s.has_text_frame and s.text_frame.text == "Lunch is too loud to talk.")
    Theme.objects.filter(name="The cafeteria is loud").update(insight=LONG_INSIGHT.strip())
    _report, deck, _content = deck_of(editable.team.program)
    slide = theme_slide(deck, "The cafeteria is loud")
    long = next(s for s in slide.shapes if s.has_text_frame and s.text_frame.text.startswith("Students describe lunch"))
    assert long.text_frame.paragraphs[0].runs[0].font.size < short.text_frame.paragraphs[0].runs[0].font.size
    assert _box_text_height(long) <= Emu(long.height).pt
    assert long.text_frame.text.endswith("…")  # cut at its smallest size, and given whole to the speaker
    assert LONG_INSIGHT.strip() in slide.notes_slide.notes_text_frame.text
    # The quotes below it still fit their box too.
    for shape in slide.shapes:
        if shape.has_text_frame and "“" in shape.text_frame.text:
            assert _box_text_height(shape) <= Emu(shape.height).pt


def test_a_spanish_deck_is_in_spanish(editable):
    _report, deck, _content = deck_of(editable.team.program, language="es")
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert "Cómo escuchamos" in titles and "A quiénes escuchamos" in titles and "Lo que haremos" in titles
    assert "How we listened" not in titles and "What we will do" not in titles
    text = slide_text(theme_slide(deck, "Buses come late"))
    assert "Menos de 5 estudiantes" in text and "(menos de 5)" not in text and "fewer than" not in text
    assert deck.core_properties.language == "es"


def test_a_viewer_asks_for_the_deck_and_downloads_it_audited(client, editable, django_capture_on_commit_callbacks):
    login(client, editable.team.viewer)
    url = reverse("report_list", kwargs={"slug": editable.team.program.slug})
    assert "Slides (PowerPoint)" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"kind": "slides_pptx", "threshold": 5, "patterns": "on", "language": "en"})
    report = Report.objects.get()
    assert report.status == ReportStatus.READY
    assert "Download PowerPoint" in client.get(url).content.decode()
    response = client.get(reverse("report_download", kwargs={"slug": editable.team.program.slug, "pk": report.pk}))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    assert response["Content-Disposition"].endswith(f'filename="{editable.team.program.slug}-slides-en-{report.created_at:%Y-%m-%d}.pptx"')
    deck = Presentation(io.BytesIO(b"".join(response.streaming_content)))
    assert "The cafeteria is loud" in [slide.shapes.title.text for slide in deck.slides]
    assert AuditEvent.objects.filter(action=AuditAction.DOWNLOAD_REPORT, actor=editable.team.viewer,
                                     detail__kind="slides_pptx").exists()


def test_a_theme_without_a_chart_of_its_own_is_picked_out_among_the_others():
    from PIL import Image

    def navy_pixels(png: bytes) -> int:
        image = Image.open(io.BytesIO(png)).convert("RGB")
        return sum(count for count, pixel in image.getcolors(maxcolors=1 << 24) if pixel == (0x1D, 0x4E, 0x89))

    plain = horizontal_bars_png(["Lunch", "Buses"], [50.0, 20.0])
    picked = horizontal_bars_png(["Lunch", "Buses"], [50.0, 20.0], highlight=1)
    assert navy_pixels(plain) == 0 and navy_pixels(picked) > 100


def test_a_long_label_wraps_instead_of_squeezing_the_bars():
    from PIL import Image

    short = Image.open(io.BytesIO(horizontal_bars_png(["Lunch", "Buses"], [50.0, 20.0])))
    long = Image.open(io.BytesIO(horizontal_bars_png(["Lunch", "Help that fits students' lives, their afternoons, their "
                                                      "buses, their jobs and their families' languages"], [50.0, 20.0])))
    assert long.height > short.height  # more lines of label, a taller chart
    assert long.width < short.width * 1.6  # not a label as wide as the page beside the bars
