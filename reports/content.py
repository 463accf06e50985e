"""What goes into a report, gathered as plain data. No names or local ids ever enter it: quotes carry
descriptors, counts below the threshold are withheld."""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from actions.models import ActionItem, ActionStatus
from analysis.models import Theme
from analysis.patterns import interviewed_population, program_patterns, raised_by_theme
from analysis.suppression import Cell, Hidden
from analysis.themes import descriptors, theme_facts
from interviews.models import Session, SessionStatus
from interviews.protocols import current_protocol
from programs.models import Program
from recruitment.selection import representativeness_of
from reports.charts import horizontal_bars

QUOTES_PER_THEME = 3
ITEMS_PER_STANCE = 3
CHART_CRITERIA = ("grade", "english_learner", "special_education", "school")


@dataclass
class ThemeSection:
    name: str
    insight: str
    root_causes: str
    raised: Cell
    share: str
    stances: dict[str, list[str]]
    quotes: list
    charts: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ReportData:
    program: Program
    threshold: int
    generated_on: object
    summary: str
    questions: list[str]
    formats: dict[str, int]
    sessions: int
    interviewed: Cell
    facilitators: int
    first_date: object
    last_date: object
    representativeness: object
    categories: list[tuple[str, list[ThemeSection]]]
    overview_chart: str
    protocol: object
    action_items: list = field(default_factory=list)

    def all_themes(self) -> list[ThemeSection]:
        return [theme for _, themes in self.categories for theme in themes]


def _share(raised: Cell, interviewed: Cell) -> tuple[str, float | None]:
    if raised.hidden != Hidden.SHOWN or interviewed.hidden != Hidden.SHOWN or not interviewed.value:
        return raised.display, None
    value = 100 * raised.value / interviewed.value
    return f"{round(value)}%", value


def report_data(program: Program, *, options: dict | None = None) -> ReportData:
    options = options or {}
    # A threshold below the program's is the lead's choice alone (checked where the report is asked for);
    # nothing goes below the district's minimum.
    threshold = max(int(options.get("threshold") or program.suppression_threshold), settings.SUPPRESSION_THRESHOLD_MIN)
    scoped = copy.copy(program)  # the threshold of this report only, never saved
    scoped.suppression_threshold = threshold
    wanted = set(options.get("themes") or [])
    themes = [t for t in Theme.objects.filter(program=program).select_related("category").prefetch_related("codes")
              if not wanted or t.pk in wanted]
    described = descriptors(scoped)
    population = interviewed_population(scoped)  # loaded once for every count and chart
    facts = theme_facts(scoped, themes, described, per_stance=ITEMS_PER_STANCE, per_theme_quotes=QUOTES_PER_THEME)
    # Every theme's counts are decided together, those of the themes this report leaves out too, so
    # that the report shows the same cells as the program's pages and no subtraction between them helps.
    every_theme = list(Theme.objects.filter(program=program).prefetch_related("codes"))
    raised = {theme.pk: facts[theme.pk].raising for theme in themes}
    raised.update(raised_by_theme(program, [t for t in every_theme if t.pk not in raised]))
    patterns = program_patterns(scoped, every_theme, threshold=threshold, population=population, raised=raised)
    interviewed_cell = patterns.interviewed
    sections: dict[str, list[ThemeSection]] = {}
    overview = []
    for theme in themes:
        raised_cell, _ = patterns.overall(theme.pk)
        share, value = _share(raised_cell, interviewed_cell)
        section = ThemeSection(
            name=theme.name, insight=theme.insight, root_causes=theme.root_causes, raised=raised_cell, share=share,
            stances=facts[theme.pk].stances, quotes=facts[theme.pk].quotes,
        )
        if options.get("patterns", True):
            for table in patterns.tables(theme.pk, CHART_CRITERIA):
                values = [None if c.share == "—" else float(c.share.rstrip("%")) for c in table.cells]
                # A chart whose every bar is withheld says nothing; the method section explains why.
                if len(table.cells) > 1 and any(v is not None for v in values):
                    labels = [c.category for c in table.cells]
                    section.charts.append((table.label, horizontal_bars(labels, values, hidden_label=f"fewer than {threshold} or withheld")))
        sections.setdefault(theme.category.name if theme.category else "Other findings", []).append(section)
        overview.append((theme.name, value))
    order = [c.name for c in program.categories.all()]
    categories = sorted(sections.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))
    sessions = Session.objects.filter(program=program, status=SessionStatus.COMPLETED)
    protocol = current_protocol(program)
    return ReportData(
        program=program, threshold=threshold, generated_on=timezone.localdate(), summary=options.get("summary", ""),
        questions=[q.text for q in protocol.questions.all()] if protocol else [],
        formats=dict(Counter(s.get_format_display() for s in sessions)), sessions=sessions.count(),
        interviewed=interviewed_cell,
        facilitators=len({s.facilitator_id for s in sessions}),
        first_date=min((s.starts_at for s in sessions), default=None), last_date=max((s.starts_at for s in sessions), default=None),
        representativeness=representativeness_of(program), categories=categories,
        overview_chart=horizontal_bars([name for name, _ in overview], [v for _, v in overview],
                                       hidden_label=f"fewer than {threshold}") if overview else "",
        protocol=protocol,
        action_items=list(ActionItem.objects.filter(program=program).exclude(status=ActionStatus.DROPPED)
                          .select_related("owner").prefetch_related("themes").order_by("due_on", "title")),
    )
