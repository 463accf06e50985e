"""The thematic report as an editable Word document (python-docx), made from the same report data as the PDF
(reports/content.py), so the same privacy rules hold: no name or local id ever enters it, counts below the
threshold read "fewer than N", quotes carry a descriptor only where the groups it names are large enough.

The sections are the PDF's. Chapters and themes are real Heading 1 / Heading 2 paragraphs (Word's navigation
pane and Google Docs' outline are built from them), who we heard from and the action plan are Word tables, the
students' words are in the "Quote" style, and the fonts and colours are the PDF's (static/pdf/report.css)."""

from __future__ import annotations

import io

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor

from reports.content import ReportData, ThemeSection

FONT = "Source Sans 3"
NAVY, TEAL, INK, MUTED, SOFT = (RGBColor.from_string(c) for c in ("1D4E89", "0F766E", "111827", "4B5563", "374151"))
TABLE_STYLE = "Light List Accent 1"
CHART_WIDTH = Inches(6.0)
# What may follow a paragraph's border in its properties (CT_PPr's sequence in the OOXML schema).
PPR_AFTER_BORDER = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
                    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                    "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
                    "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
# The language of the words for Word's spelling and hyphenation: a region where the code alone names none.
WORD_LANGUAGES = {"en": "en-US", "es": "es-ES"}


def _language_tag(code: str) -> str:
    return WORD_LANGUAGES.get(code, code)


def _set_language(run_properties, code: str) -> None:
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_properties.append(lang)
    lang.set(qn("w:val"), _language_tag(code))


def _styles(document, language: str) -> None:
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size, normal.font.color.rgb = FONT, Pt(11), INK
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(6)
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None and defaults.find(qn("w:rPrDefault")) is not None:
        run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        if run_defaults is not None:
            _set_language(run_defaults, language)
    for name, size, color in (("Title", 32, NAVY), ("Subtitle", 16, SOFT), ("Heading 1", 22, NAVY),
                              ("Heading 2", 14, TEAL), ("Heading 3", 12, NAVY), ("TOC Heading", 22, NAVY)):
        style = styles[name]
        style.font.name, style.font.size, style.font.color.rgb = FONT, Pt(size), color
        style.font.italic = False
        rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rfonts.attrib.pop(qn(attribute), None)  # the theme's font gives way to the PDF's
    quote = styles["Quote"]  # the students' words: indented, a teal rule on the left, as in the PDF
    quote.font.name, quote.font.italic, quote.font.color.rgb, quote.font.size = FONT, True, INK, Pt(11)
    quote.paragraph_format.left_indent = Inches(0.35)
    quote.paragraph_format.right_indent = Inches(0.2)
    quote.paragraph_format.space_before, quote.paragraph_format.space_after = Pt(4), Pt(6)
    borders = OxmlElement("w:pBdr")
    left = OxmlElement("w:left")
    for attribute, value in (("w:val", "single"), ("w:sz", "18"), ("w:space", "8"), ("w:color", "0F766E")):
        left.set(qn(attribute), value)
    borders.append(left)
    # In the place the schema gives it (Word refuses a file whose paragraph properties are out of order).
    properties = quote.element.get_or_add_pPr()
    properties.insert_element_before(borders, *PPR_AFTER_BORDER)
    for name in ("Caption",):
        styles[name].font.name, styles[name].font.color.rgb, styles[name].font.size = FONT, MUTED, Pt(9)


def _small(document, text: str):
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.font.size, run.font.color.rgb = Pt(9), MUTED
    return paragraph


def _chapter(document, text: str, *, first: bool = False):
    heading = document.add_heading(text, level=1)
    heading.paragraph_format.page_break_before = not first
    return heading


def _page_numbers(document) -> None:
    """"Page 2 of 5" in the footer, in the report's language, from Word's PAGE and NUMPAGES fields."""
    marker_page, marker_pages = "\x01", "\x02"
    words = _("Page %(page)s of %(pages)s") % {"page": marker_page, "pages": marker_pages}
    footer = document.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for piece in words.replace(marker_pages, "\x00" + marker_pages + "\x00").replace(
            marker_page, "\x00" + marker_page + "\x00").split("\x00"):
        if piece in (marker_page, marker_pages):
            field = OxmlElement("w:fldSimple")
            field.set(qn("w:instr"), "PAGE" if piece == marker_page else "NUMPAGES")
            run = OxmlElement("w:r")
            text = OxmlElement("w:t")
            text.text = "1"
            run.append(text)
            field.append(run)
            footer._p.append(field)
        elif piece:
            run = footer.add_run(piece)
            run.font.size, run.font.color.rgb = Pt(9), MUTED


def _table(document, heading: list[str], rows: list[list[str]], *, numeric: set[int], caption: str = ""):
    if caption:
        document.add_paragraph(caption, style="Caption")
    table = document.add_table(rows=1, cols=len(heading))
    table.style = document.styles[TABLE_STYLE]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    header = table.rows[0]
    header_properties = header._tr.get_or_add_trPr()  # the header row repeats on every page
    repeat = OxmlElement("w:tblHeader")
    header_properties.append(repeat)
    for column, text in enumerate(heading):
        header.cells[column].text = text
    for values in rows:
        cells = table.add_row().cells
        for column, text in enumerate(values):
            cells[column].text = text
    for row in table.rows:
        for column, cell in enumerate(row.cells):
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(0)
                if column in numeric:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                for run in paragraph.runs:
                    run.font.size = Pt(9.5)
    document.add_paragraph()
    return table


def _picture(document, png: bytes, *, description: str) -> None:
    document.add_picture(io.BytesIO(png), width=CHART_WIDTH)
    shape = document.inline_shapes[-1]
    shape._inline.docPr.set("descr", description)


def _bar_description(bars) -> str:
    return "; ".join(f"{label}: {value:.0f}%" if value is not None else f"{label}: {hidden}"
                     for label, value, hidden in zip(bars.labels, bars.values, bars.hidden_labels, strict=True))


def add_quote(document, quote, *, report_language: str) -> None:
    """A quote as a block quote: the student's words first, the team's translation after them, then who said it."""
    paragraph = document.add_paragraph(style="Quote")
    words = paragraph.add_run(f"“{quote.snippet}”")
    if quote.language and quote.language != report_language:
        _set_language(words._r.get_or_add_rPr(), quote.language)
    if quote.translation:
        translation = document.add_paragraph(style="Quote")
        run = translation.add_run(f"“{quote.translation}”")
        run.italic = False
        mark = translation.add_run(f" ({quote.translation_mark})")
        mark.italic, mark.font.size, mark.font.color.rgb = False, Pt(9), MUTED
        paragraph = translation
    attribution = f"— {quote.descriptor}" + (f" · {quote.language_name}" if quote.language_name else "")
    paragraph.add_run().add_break()
    run = paragraph.add_run(attribution)
    run.italic, run.font.size, run.font.color.rgb = False, Pt(9), MUTED


def _cover(document, data: ReportData) -> None:
    program = data.program
    _small(document, f"{_('Student empathy interviews')} · {date_format(data.generated_on, 'YEAR_MONTH_FORMAT')}")
    document.add_paragraph(program.name, style="Title")
    if program.theme:
        document.add_paragraph(program.theme, style="Subtitle")
    schools = " · ".join(school.name for school in program.schools.all())
    dates = " – ".join(date_format(day, "DATE_FORMAT") for day in (program.starts_on, program.ends_on) if day)
    for line in (schools, dates):
        if line:
            _small(document, line)


def _contents(document, data: ReportData) -> None:
    heading = document.add_paragraph(_("Contents"), style="TOC Heading")
    heading.paragraph_format.page_break_before = True
    sections = [_("Executive summary"), _("Purpose and method"), _("Who we heard from"),
                *(_("Findings: %(category)s") % {"category": category} for category, _themes in data.categories)]
    if data.action_items:
        sections.append(_("What we will do: the action plan"))
    sections.append(_("Appendix: the interview protocol"))
    for section in sections:
        document.add_paragraph(section, style="List Bullet")


def _summary(document, data: ReportData) -> None:
    _chapter(document, _("Executive summary"))
    if data.summary:
        document.add_paragraph(data.summary)
    themes = len(data.all_themes())
    facts = [f"{data.interviewed.display} {_('students heard')}",
             ngettext("%(count)d session", "%(count)d sessions", data.sessions) % {"count": data.sessions},
             # Not the PDF's "theme"/"themes": that catalogue entry is shared with a field's name and has no plural.
             ngettext("%(count)d theme", "%(count)d themes", themes) % {"count": themes}]
    paragraph = document.add_paragraph()
    for index, fact in enumerate(facts):
        run = paragraph.add_run(fact + ("" if index == len(facts) - 1 else "  ·  "))
        run.bold, run.font.color.rgb, run.font.size = True, NAVY, Pt(13)
    for theme in data.all_themes():
        item = document.add_paragraph(style="List Bullet")
        item.add_run(theme.name).bold = True
        if theme.insight:
            item.add_run(f": {theme.insight}")
        count = item.add_run(f" ({theme.raised_count})")
        count.font.color.rgb, count.font.size = SOFT, Pt(9.5)
    if data.overview_bars:
        document.add_heading(_("How many students raised each theme"), level=2)
        _picture(document, data.overview_bars.png(), description=_bar_description(data.overview_bars))


def _method(document, data: ReportData) -> None:
    _chapter(document, _("Purpose and method"))
    if data.program.purpose:
        document.add_paragraph(data.program.purpose)
    document.add_paragraph(f"{data.method_line} {_('We asked:')}")
    for number, question in enumerate(data.questions, 1):
        paragraph = document.add_paragraph(f"{number}. {question}")
        paragraph.paragraph_format.left_indent = Inches(0.3)
    _small(document, _("Counts are of distinct students. To protect students, any group smaller than %(threshold)s "
                       "is shown as “fewer than %(threshold)s”, and a figure that would reveal one is withheld. "
                       "Quotes are attributed by a description only when the groups it names are large enough.")
           % {"threshold": data.threshold})


def _heard(document, data: ReportData) -> None:
    _chapter(document, _("Who we heard from"))
    text = _("The students we heard from are those whose words are in the notes analysed: %(heard)s students. "
             "Beside them are the students invited (%(invited)s) and the students of the program's schools, or the "
             "community shares the team entered.") % {"heard": data.interviewed.display,
                                                      "invited": data.representativeness.sample_size}
    if data.heard_largest_gap is not None:
        text += " " + _("The largest gap between the students heard and the community is %(gap)s points.") % {
            "gap": f"{data.heard_largest_gap:.1f}"}
    document.add_paragraph(text)
    heading = [_("Group"), _("Heard"), pgettext("column of students invited", "Invited"), _("Community"),
               _("Heard − community (points)")]
    for table in data.heard:
        rows = [[row.category, row.interviewed, row.invited, row.community,
                 f"{row.gap_points:.1f}" if row.gap_points is not None else "—"] for row in table.rows]
        _table(document, heading, rows, numeric={1, 2, 3, 4}, caption=str(table.label))
    if not data.heard:
        document.add_paragraph(_("No students have been heard yet."))
    _small(document, _("A share of the students heard is left out (“fewer than %(threshold)s” or “withheld”) when "
                       "its group is small or could be worked out from the others.") % {"threshold": data.threshold})


def _theme(document, data: ReportData, theme: ThemeSection) -> None:
    document.add_heading(theme.name, level=2)
    count = document.add_paragraph()
    run = count.add_run(theme.raised_sentence)
    run.font.color.rgb, run.font.size = SOFT, Pt(9.5)
    if theme.insight:
        document.add_paragraph(theme.insight)
    for quote in theme.quotes:
        add_quote(document, quote, report_language=data.language)
    for label, items in theme.stances.items():
        if items:
            document.add_paragraph().add_run(f"{label}:").bold = True
            for item in items:
                document.add_paragraph(item, style="List Bullet")
    if theme.root_causes:
        paragraph = document.add_paragraph()
        paragraph.add_run(_("Root causes the team sees:")).bold = True
        paragraph.add_run(f" {theme.root_causes}")
    for label, bars in theme.bars:
        caption = _("By %(criterion)s (share of each group's interviewed students)") % {"criterion": str(label).lower()}
        document.add_paragraph(caption, style="Caption")
        _picture(document, bars.png(), description=f"{caption}: {_bar_description(bars)}")


def _actions(document, data: ReportData) -> None:
    if not data.action_items:
        return
    _chapter(document, _("What we will do: the action plan"))
    rows = []
    for item in data.action_items:
        action = f"{item.title} ({item.get_kind_display().lower()})"
        if item.measure:
            action += "\n" + _("Success: %(measure)s") % {"measure": item.measure}
        owner = (item.owner.get_full_name() or item.owner.username) if item.owner else ""
        rows.append([action, "; ".join(t.name for t in item.themes.all()), owner,
                     date_format(item.due_on, "SHORT_DATE_FORMAT") if item.due_on else "—", item.get_status_display()])
    _table(document, [_("Action"), _("Answers"), _("Owner"), _("Due"), _("Status")], rows, numeric=set())


def _appendix(document, data: ReportData) -> None:
    _chapter(document, _("Appendix: the interview protocol"))
    if not data.protocol:
        return
    scripts = data.scripts
    for heading, text in ((_("Purpose"), scripts.get("purpose")), (_("Ground rules"), scripts.get("guidelines")),
                          (_("Icebreaker"), scripts.get("icebreaker"))):
        if text or heading != _("Icebreaker"):
            document.add_heading(heading, level=2)
            document.add_paragraph(text or "")
    document.add_heading(_("Questions"), level=2)
    for number, (text, follow_ups) in enumerate(data.protocol_questions, 1):
        paragraph = document.add_paragraph(f"{number}. {text}")
        paragraph.paragraph_format.left_indent = Inches(0.3)
        if follow_ups:
            prompts = _small(document, _("Follow-ups: %(prompts)s") % {"prompts": " · ".join(follow_ups)})
            prompts.paragraph_format.left_indent = Inches(0.5)
    document.add_heading(_("Wrap-up"), level=2)
    document.add_paragraph(scripts.get("wrap_up") or "")


def build_document(*, report, data: ReportData) -> bytes:
    """The thematic report as the bytes of a .docx file."""
    document = Document()
    _styles(document, data.language)
    properties = document.core_properties
    properties.title = _("%(name)s: what students told us") % {"name": data.program.name}
    properties.author = properties.last_modified_by = ""
    properties.comments = ""
    properties.language = _language_tag(data.language)
    properties.subject = data.program.theme or ""
    _page_numbers(document)
    _cover(document, data)
    _contents(document, data)
    _summary(document, data)
    _method(document, data)
    _heard(document, data)
    for category, themes in data.categories:
        _chapter(document, _("Findings: %(category)s") % {"category": category})
        for theme in themes:
            _theme(document, data, theme)
    _actions(document, data)
    _appendix(document, data)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
