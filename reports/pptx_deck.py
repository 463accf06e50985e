"""The slide deck as an editable PowerPoint file (python-pptx), made from the same report data as the PDF slides
(reports/content.py), so the same privacy rules hold: no name or local id ever enters it, counts below the
threshold read "fewer than N", quotes carry a descriptor only where the groups it names are large enough.

16:9, the PDF's fonts and colours (static/pdf/report.css). Text is fitted to its box here, from its length (a
long insight gets a smaller size, then is cut with "…" and given whole in the speaker notes), and every text
frame also wraps and asks PowerPoint to shrink it on overflow, so an edited slide stays inside its frame."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Inches, Pt

from reports.content import ReportData, ThemeSection

FONT = "Source Sans 3"  # the PDF's font; PowerPoint falls back to its own sans-serif where it is not installed
NAVY, TEAL, INK, MUTED, SOFT, RULE = (RGBColor.from_string(c) for c in ("1D4E89", "0F766E", "111827", "4B5563",
                                                                        "374151", "DBE3EE"))
WIDTH, HEIGHT = Inches(13.333), Inches(7.5)
MARGIN_X, MARGIN_TOP = Inches(0.8), Inches(0.55)
CONTENT_WIDTH = WIDTH - 2 * MARGIN_X
QUOTES_PER_SLIDE = 2
ACTIONS_PER_SLIDE = 6
HEARD_ROWS = 6
# Average glyph width of Source Sans 3 as a share of its size, and the line height: generous, so that an
# estimate errs on the side of a smaller size rather than an overflow.
GLYPH, LEADING = 0.52, 1.2
ELLIPSIS = "…"
TITLE_LAYOUT, TITLE_ONLY_LAYOUT = 0, 5


@dataclass(frozen=True)
class Line:
    """One paragraph of a text box: its words and how it is set (size relative to the box's, colour, style)."""

    text: str
    scale: float = 1.0
    color: RGBColor = INK
    bold: bool = False
    italic: bool = False
    space_before: float = 0.0  # in lines of the box's size


def lines_needed(text: str, *, size: float, width: int) -> int:
    """How many lines `text` takes at `size` points in a box `width` EMU wide (an estimate from its length)."""
    per_line = max(1, int(Emu(width).pt / (GLYPH * size)))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def height_needed(lines: list[Line], *, size: float, width: int) -> float:
    """The height in points of `lines` set at `size`, in a box `width` EMU wide."""
    return sum((lines_needed(line.text, size=size * line.scale, width=width) + line.space_before)
               * size * line.scale * LEADING for line in lines)


def fitting_size(lines: list[Line], *, width: int, height: int, largest: float, smallest: float) -> float:
    """The largest size, in steps of one point, at which `lines` fit the box; `smallest` when none does."""
    size = largest
    while size > smallest and height_needed(lines, size=size, width=width) > Emu(height).pt:
        size -= 1
    return size


def clipped(text: str, *, size: float, width: int, height: float) -> str:
    """`text` cut at a word, with "…", so that it takes no more than `height` points at `size`."""
    if lines_needed(text, size=size, width=width) * size * LEADING <= height:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits
        middle = (low + high + 1) // 2
        if lines_needed(text[:middle] + ELLIPSIS, size=size, width=width) * size * LEADING <= height:
            low = middle
        else:
            high = middle - 1
    cut = text[:low].rsplit(" ", 1)[0] if " " in text[:low] else text[:low]
    return cut.rstrip(" ,;:.") + ELLIPSIS


def _frame(text_frame, *, anchor=MSO_ANCHOR.TOP) -> None:
    text_frame.word_wrap = True
    text_frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE  # PowerPoint shrinks it if an edit overflows
    text_frame.vertical_anchor = anchor
    text_frame.margin_left = text_frame.margin_right = Inches(0.05)
    text_frame.margin_top = text_frame.margin_bottom = Inches(0.03)


def _set(text_frame, lines: list[Line], *, size: float, align=PP_ALIGN.LEFT) -> None:
    text_frame.clear()
    for index, line in enumerate(lines):
        paragraph = text_frame.paragraphs[0] if index == 0 else text_frame.add_paragraph()
        paragraph.alignment = align
        paragraph.line_spacing = LEADING - 0.05
        if line.space_before:
            paragraph.space_before = Pt(size * line.scale * line.space_before)
        run = paragraph.add_run()
        run.text = line.text
        font = run.font
        font.name, font.size, font.bold, font.italic = FONT, Pt(round(size * line.scale, 1)), line.bold, line.italic
        font.color.rgb = line.color


def text_box(slide, lines: list[Line], *, left: int, top: int, width: int, height: int, largest: float,
             smallest: float, align=PP_ALIGN.LEFT, anchor=MSO_ANCHOR.TOP, fit=True) -> tuple[object, list[str]]:
    """A text box holding `lines` at the largest size that fits; what had to be cut is returned, whole."""
    inner = width - Inches(0.1)
    size = fitting_size(lines, width=inner, height=height, largest=largest, smallest=smallest) if fit else largest
    cut = []
    if height_needed(lines, size=size, width=inner) > Emu(height).pt:
        # Still too long at the smallest size: the longest line gives way, and is kept whole in the notes.
        longest = max(range(len(lines)), key=lambda i: len(lines[i].text))
        others = height_needed([line for i, line in enumerate(lines) if i != longest], size=size, width=inner)
        line = lines[longest]
        room = Emu(height).pt - others - line.space_before * size * line.scale * LEADING
        cut.append(line.text)
        lines = [*lines[:longest], Line(clipped(line.text, size=size * line.scale, width=inner, height=room),
                                        line.scale, line.color, line.bold, line.italic, line.space_before),
                 *lines[longest + 1:]]
    shape = slide.shapes.add_textbox(left, top, width, height)
    _frame(shape.text_frame, anchor=anchor)
    _set(shape.text_frame, lines, size=size, align=align)
    return shape, cut


def _title(slide, text: str, *, top: int = MARGIN_TOP, height: int = Inches(1.0), largest: float = 36) -> list[str]:
    """The slide's title in its title placeholder (so the outline and screen readers find it), fitted."""
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = MARGIN_X, top, CONTENT_WIDTH, height
    lines = [Line(text, color=NAVY, bold=True)]
    size = fitting_size(lines, width=CONTENT_WIDTH - Inches(0.1), height=height, largest=largest, smallest=20)
    cut = []
    if height_needed(lines, size=size, width=CONTENT_WIDTH - Inches(0.1)) > Emu(height).pt:
        cut, lines = [text], [Line(clipped(text, size=size, width=CONTENT_WIDTH - Inches(0.1), height=Emu(height).pt),
                                   color=NAVY, bold=True)]
    _frame(shape.text_frame, anchor=MSO_ANCHOR.TOP)
    _set(shape.text_frame, lines, size=size)
    return cut


def _rule(slide, *, top: int) -> None:
    """The thin line under a title, as under the PDF's headings."""
    line = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, MARGIN_X, top, CONTENT_WIDTH, Pt(1.5))
    line.fill.solid()
    line.fill.fore_color.rgb = RULE
    line.line.fill.background()


def _notes(slide, paragraphs: list[str]) -> None:
    text = "\n\n".join(p for p in paragraphs if p)
    if text:
        slide.notes_slide.notes_text_frame.text = text


def picture(slide, png: bytes, *, left: int, top: int, width: int, height: int, description: str, middle: bool = True):
    """A picture scaled to fit the box (its proportions kept), centred in it (or at its top), with its
    alternative text."""
    shape = slide.shapes.add_picture(io.BytesIO(png), left, top)
    scale = min(width / shape.width, height / shape.height)
    shape.width, shape.height = int(shape.width * scale), int(shape.height * scale)
    shape.left, shape.top = left + (width - shape.width) // 2, top + ((height - shape.height) // 2 if middle else 0)
    shape._element.nvPicPr.cNvPr.set("descr", description)
    return shape


def _method_notes(data: ReportData) -> list[str]:
    return [
        data.method_line,
        _("Counts are of distinct students. To protect students, any group smaller than %(threshold)s is shown as "
          "“fewer than %(threshold)s”, and a figure that would reveal one is withheld. Quotes are attributed by a "
          "description only when the groups it names are large enough.") % {"threshold": data.threshold},
    ]


def _title_slide(deck, data: ReportData) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_LAYOUT])
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, MARGIN_X, Inches(2.2), Pt(10), Inches(3.1))
    band.fill.solid()
    band.fill.fore_color.rgb = NAVY
    band.line.fill.background()
    left, width = MARGIN_X + Inches(0.45), CONTENT_WIDTH - Inches(0.45)
    title, subtitle = slide.shapes.title, slide.placeholders[1]
    title.left, title.top, title.width, title.height = left, Inches(2.2), width, Inches(1.9)
    lines = [Line(data.program.name, color=NAVY, bold=True)]
    _frame(title.text_frame, anchor=MSO_ANCHOR.BOTTOM)
    _set(title.text_frame, lines, size=fitting_size(lines, width=width, height=Inches(1.9), largest=48, smallest=28))
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = left, Inches(4.2), width, Inches(1.1)
    lines = [Line(data.program.theme or "", color=SOFT),
             Line(date_format(data.generated_on, "YEAR_MONTH_FORMAT"), scale=0.7, color=MUTED, space_before=0.3)]
    _frame(subtitle.text_frame)
    _set(subtitle.text_frame, lines, size=fitting_size(lines, width=width, height=Inches(1.1), largest=24, smallest=12))
    _notes(slide, _method_notes(data))


def _listened_slide(deck, data: ReportData) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY_LAYOUT])
    _title(slide, _("How we listened"))
    _rule(slide, top=MARGIN_TOP + Inches(1.0))
    facts = [(data.interviewed.display, _("students")), (str(data.sessions), _("sessions")),
             (str(len(data.questions)), _("questions"))]
    gap = Inches(0.3)
    width = (CONTENT_WIDTH - gap * (len(facts) - 1)) // len(facts)
    for index, (number, label) in enumerate(facts):
        left = MARGIN_X + index * (width + gap)
        card = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, left, Inches(2.0), width, Inches(2.6))
        card.adjustments[0] = 0.05
        card.fill.background()
        card.line.color.rgb = RULE
        # "fewer than 5" is longer than "24": the number's size is fitted to the card.
        lines = [Line(number, color=NAVY, bold=True), Line(label, scale=0.35, color=SOFT)]
        _frame(card.text_frame, anchor=MSO_ANCHOR.MIDDLE)
        _set(card.text_frame, lines, size=fitting_size(lines, width=width - Inches(0.3), height=Inches(2.4),
                                                       largest=60, smallest=24), align=PP_ALIGN.CENTER)
    text_box(slide, [Line(_("Groups smaller than %(threshold)s are never shown as numbers.") % {
        "threshold": data.threshold}, color=MUTED)], left=MARGIN_X, top=Inches(5.0), width=CONTENT_WIDTH,
        height=Inches(1.6), largest=20, smallest=12)
    questions = [_("We asked:"), *(f"{number}. {question}" for number, question in enumerate(data.questions, 1))]
    _notes(slide, [*_method_notes(data), "\n".join(questions) if data.questions else ""])


def _heard_slide(deck, data: ReportData) -> None:
    tables = data.heard_at_a_glance
    if not tables:
        return
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY_LAYOUT])
    _title(slide, _("Who we heard from"))
    _rule(slide, top=MARGIN_TOP + Inches(1.0))
    rows = [row for table in tables for row in table.rows][:HEARD_ROWS]
    heading = [str(tables[0].label), _("Heard"), pgettext("column of students invited", "Invited"), _("All students")]
    row_height, header_height = Inches(0.62), Inches(0.8)
    shape = slide.shapes.add_table(len(rows) + 1, len(heading), MARGIN_X, Inches(1.9), CONTENT_WIDTH,
                                   header_height + row_height * len(rows))
    table = shape.table
    widths = [0.4, 0.2, 0.2, 0.2]
    for index, share in enumerate(widths):
        table.columns[index].width = int(CONTENT_WIDTH * share)
    for number, cells in enumerate([heading, *([row.category, row.interviewed, row.invited, row.community]
                                               for row in rows)]):
        table.rows[number].height = header_height if number == 0 else row_height
        for column, text in enumerate(cells):
            cell = table.cell(number, column)
            cell.vertical_anchor = MSO_ANCHOR.MIDDLE
            cell.fill.solid()
            cell.fill.fore_color.rgb = NAVY if number == 0 else (RGBColor(0xF3, 0xF6, 0xFA) if number % 2 else
                                                                 RGBColor(0xFF, 0xFF, 0xFF))
            color = RGBColor(0xFF, 0xFF, 0xFF) if number == 0 else INK
            cell.text_frame.word_wrap = True
            _set(cell.text_frame, [Line(str(text), color=color, bold=number == 0)], size=16 if number == 0 else 18,
                 align=PP_ALIGN.LEFT if column == 0 else PP_ALIGN.RIGHT)
    _notes(slide, [_("A share of the students heard is left out (“fewer than %(threshold)s” or “withheld”) when its "
                     "group is small or could be worked out from the others.") % {"threshold": data.threshold}])


def _overview_slide(deck, data: ReportData) -> None:
    if not data.overview_bars:
        return
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY_LAYOUT])
    _title(slide, _("What students raised"))
    _rule(slide, top=MARGIN_TOP + Inches(1.0))
    picture(slide, data.overview_bars.png(width=6), left=MARGIN_X, top=Inches(1.8), width=CONTENT_WIDTH,
            height=Inches(5.2), description=_("Bar chart: how many students raised each theme. %(themes)s") % {
                "themes": "; ".join(f"{name}: {shown}" for name, shown in _bar_texts(data.overview_bars))})
    _notes(slide, _method_notes(data)[1:])


def _bar_texts(bars) -> list[tuple[str, str]]:
    return [(label, f"{value:.0f}%" if value is not None else hidden)
            for label, value, hidden in zip(bars.labels, bars.values, bars.hidden_labels, strict=True)]


def quote_lines(theme: ThemeSection) -> list[Line]:
    lines: list[Line] = []
    for number, quote in enumerate(theme.quotes[:QUOTES_PER_SLIDE]):
        lines.append(Line(f"“{quote.snippet}”", italic=True, space_before=0.6 if number else 0))
        if quote.translation:
            lines.append(Line(f"“{quote.translation}” ({quote.translation_mark})", scale=0.85, color=SOFT))
        attribution = f"— {quote.descriptor}" + (f" · {quote.language_name}" if quote.language_name else "")
        lines.append(Line(attribution, scale=0.75, color=TEAL, bold=True))
    return lines


def _chart_of(data: ReportData, theme: ThemeSection):
    """The theme's chart: its first pattern across groups, else every theme's share with this one picked out
    (a theme whose groups are all withheld still has its place among the others). (caption, bars, highlight)."""
    if theme.bars:
        label, bars = theme.bars[0]
        return _("By %(criterion)s (share of each group's interviewed students)") % {
            "criterion": str(label).lower()}, bars, None
    if data.overview_bars and len(data.overview_bars.labels) > 1:
        themes = data.all_themes()
        return _("How many students raised each theme"), data.overview_bars, themes.index(theme)
    return None


def _theme_slide(deck, data: ReportData, theme: ThemeSection) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY_LAYOUT])
    cut = _title(slide, theme.name, height=Inches(0.95))
    chart = _chart_of(data, theme)
    text_width = int(CONTENT_WIDTH * 0.56) if chart else CONTENT_WIDTH
    raised = theme.raised_line
    text_box(slide, [Line(raised, color=TEAL, bold=True)], left=MARGIN_X, top=Inches(1.5), width=text_width,
             height=Inches(0.5), largest=20, smallest=14)
    _rule(slide, top=Inches(2.05))
    top, bottom = Inches(2.2), Inches(7.0)
    if theme.insight:
        # A long insight takes more of the slide (up to half of it beside quotes, all of it without), then shrinks.
        needed = Pt(height_needed([Line(theme.insight)], size=20, width=text_width - Inches(0.1)) + 8)
        room = int(min(max(needed, Inches(1.75)), Inches(2.6) if theme.quotes else bottom - top))
        _shape, clipped_insight = text_box(slide, [Line(theme.insight)], left=MARGIN_X, top=top, width=text_width,
                                           height=room, largest=28, smallest=14)
        cut += clipped_insight
        top += room + Inches(0.15)
    if theme.quotes:
        _shape, clipped_quotes = text_box(slide, quote_lines(theme), left=MARGIN_X, top=top, width=text_width,
                                          height=bottom - top, largest=22, smallest=11)
        cut += clipped_quotes
    if chart:
        caption, bars, highlight = chart
        left = MARGIN_X + text_width + Inches(0.4)
        width = CONTENT_WIDTH - text_width - Inches(0.4)
        text_box(slide, [Line(caption, color=MUTED)], left=left, top=Inches(2.2), width=width, height=Inches(0.6),
                 largest=14, smallest=10)
        picture(slide, bars.png(width=3.4, highlight=highlight), left=left, top=Inches(2.9), width=width,
                height=Inches(4.1), middle=False,
                description=f"{caption}: " + "; ".join(f"{name}: {shown}" for name, shown in _bar_texts(bars)))
    stances = [f"{heading}: " + "; ".join(items) for heading, items in theme.stances.items() if items]
    _notes(slide, [
        *cut,
        _("Root causes the team sees:") + " " + theme.root_causes if theme.root_causes else "",
        *stances,
        *_method_notes(data),
    ])


def _action_slide(deck, data: ReportData) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY_LAYOUT])
    _title(slide, _("What we will do"))
    _rule(slide, top=MARGIN_TOP + Inches(1.0))
    lines = []
    for item in data.action_items[:ACTIONS_PER_SLIDE]:
        owner = (item.owner.get_full_name() or item.owner.username) if item.owner else ""
        due = _("by %(due)s") % {"due": date_format(item.due_on, "MONTH_DAY_FORMAT")} if item.due_on else ""
        lines.append(Line(f"• {item.title}", space_before=0.5 if lines else 0))
        if owner or due:
            lines.append(Line("— " + ", ".join(part for part in (owner, due) if part), scale=0.7, color=MUTED))
    if not lines:
        lines = [Line(_("The team is writing its action plan."), color=MUTED)]
    text_box(slide, lines, left=MARGIN_X, top=Inches(1.9), width=CONTENT_WIDTH, height=Inches(5.1),
             largest=26, smallest=12)
    more = data.action_items[ACTIONS_PER_SLIDE:]
    _notes(slide, [item.title for item in more])


def build_deck(*, report, data: ReportData) -> tuple[bytes, int]:
    """The deck as the bytes of a .pptx file, and its number of slides."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    properties = deck.core_properties
    properties.title = _("%(name)s: findings") % {"name": data.program.name}
    properties.author = properties.last_modified_by = ""
    properties.language = data.language
    properties.subject = data.program.theme or ""
    _title_slide(deck, data)
    _listened_slide(deck, data)
    _heard_slide(deck, data)
    _overview_slide(deck, data)
    for theme in data.all_themes():
        _theme_slide(deck, data, theme)
    _action_slide(deck, data)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue(), len(deck.slides)
