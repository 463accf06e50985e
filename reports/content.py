"""What goes into a report, gathered as plain data. No names or local ids ever enter it: quotes carry
descriptors, counts below the threshold are withheld."""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actions.models import ActionItem, ActionStatus
from analysis.disclosure import Publication
from analysis.models import Theme
from analysis.patterns import Interviewed, interviewed_population, program_patterns, raised_by_theme
from analysis.suppression import Cell, Hidden
from analysis.themes import descriptors, show_quote, theme_facts
from interviews.models import Session, SessionStatus
from interviews.protocols import current_protocol
from participants.attributes import category_label, student_features
from participants.models import Student
from participants.sampling import natural_order
from programs.models import Program
from recruitment.selection import Representativeness, representativeness_of
from reports.charts import horizontal_bars, horizontal_bars_png
from toolkit.languages import supported

QUOTES_PER_THEME = 3
ITEMS_PER_STANCE = 3
CHART_CRITERIA = ("grade", "english_learner", "special_education", "school")
# The short table of the infographic and the slides: the first of these the plan balances.
HEARD_AT_A_GLANCE = ("school", "grade")


@dataclass(frozen=True)
class HeardRow:
    """One group: its share of the students heard, of those invited, and of the community."""

    category: str
    interviewed: str
    invited: str
    community: str
    gap_points: float | None  # interviewed share minus community share, only when both are shown


@dataclass(frozen=True)
class HeardTable:
    key: str
    label: str
    rows: list[HeardRow]


def _percent(value: float) -> str:
    return f"{round(value)}%"


def invited_population(program: Program) -> Interviewed:
    """The invited students, in the shape the publication takes, so that their counts are suppressed
    by the same rules (small groups, complements, a school against its grades) as the interviewed ones."""
    students = list(Student.objects.filter(invitations__program=program).select_related("school")
                    .prefetch_related("groups").distinct())
    return Interviewed(frozenset(s.pk for s in students), {s.pk: student_features(s) for s in students}, tuple(students))


def _share_of(cell: Cell | None, total: Cell) -> tuple[str, float | None]:
    if cell is None:
        return "—", None
    if cell.hidden != Hidden.SHOWN:
        return cell.display, None
    if total.hidden != Hidden.SHOWN or not total.value:
        return "—", None
    share = 100 * cell.value / total.value
    return _percent(share), share


def heard_from(representativeness: Representativeness, publication: Publication,
               invited: Publication) -> list[HeardTable]:
    """Who we heard from: the interviewed students (those with analysable notes) by each criterion of the
    sample plan, beside the invited students and the community.

    The interviewed shares are the program's published cells (`publication.interviewed_cells`), the same
    ones every page and report shows, so no second set of counts can be set against them; a hidden cell
    stays "fewer than N" or "withheld". The invited shares are suppressed the same way in their own
    publication (`invited`). Criteria the publication does not cover (a district's own attributes) are
    left out rather than counted a second way."""
    tables = []
    for table in representativeness.tables:
        cells = publication.interviewed_cells.get(table.key)
        if cells is None:
            continue
        invited_cells = invited.interviewed_cells.get(table.key, {})
        # The community rows carry the words shown for a category ("9.º grado" in Spanish), the cells the
        # category itself ("Grade 9"): both are matched by the words shown, or one group is two rows.
        community_rows = {row.category: row for row in table.rows}
        cells = {category_label(category): cell for category, cell in cells.items()}
        invited_cells = {category_label(category): cell for category, cell in invited_cells.items()}
        rows = []
        for category in sorted(set(community_rows) | set(cells), key=natural_order):
            interviewed, share = _share_of(cells.get(category), publication.interviewed)
            invited_shown, _invited_share = _share_of(invited_cells.get(category), invited.interviewed)
            gap = community_rows.get(category)
            if gap is None:
                community, community_share = "—", None
            else:
                community, community_share = f"{gap.population_percent:.1f}%", gap.population_percent
            rows.append(HeardRow(
                category, interviewed, invited_shown, community,
                round(share - community_share, 1) if share is not None and community_share is not None else None))
        tables.append(HeardTable(table.key, table.label, rows))
    return tables


@dataclass(frozen=True)
class Bars:
    """What a chart shows, kept beside its SVG so the editable outputs draw the same chart as a picture."""

    labels: list[str]
    values: list[float | None]
    hidden_labels: list[str]

    def svg(self) -> str:
        return horizontal_bars(self.labels, self.values, hidden_label=self.hidden_labels)

    def png(self, *, width: float = 6.5, highlight: int | None = None) -> bytes:
        return horizontal_bars_png(self.labels, self.values, hidden_label=self.hidden_labels, width=width,
                                   highlight=highlight)


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
    bars: list[tuple[str, Bars]] = field(default_factory=list)  # the same charts, as data

    # How many raised the theme, in words a slide or a page can carry: a hidden count is said once, not put in
    # place of both the count and its share ("withheld students (withheld)", "fewer than 5 students (fewer than 5)").
    @property
    def raised_count(self) -> str:
        """'12 students', 'fewer than 5 students', or 'number of students withheld'."""
        if self.raised.hidden in (Hidden.SHOWN, Hidden.SMALL):
            return _("%(shown)s students") % {"shown": self.raised.display}
        return _("number of students withheld")

    @property
    def _share_shown(self) -> bool:
        return self.raised.hidden == Hidden.SHOWN and self.share.endswith("%")

    @property
    def raised_line(self) -> str:
        """A slide's line: '12 students (50%)', 'fewer than 5 students', 'Number of students withheld'."""
        if self._share_shown:
            return _("%(n)s students (%(share)s)") % {"n": self.raised.display, "share": self.share}
        return capfirst(self.raised_count)

    @property
    def raised_sentence(self) -> str:
        """A report's sentence under the theme's heading."""
        if self._share_shown:
            return _("%(n)s students raised this (%(share)s of those interviewed).") % {
                "n": self.raised.display, "share": self.share}
        if self.raised.hidden == Hidden.SMALL:
            return _("Fewer than %(threshold)s students raised this.") % {"threshold": self.raised.threshold}
        if self.raised.hidden == Hidden.SHOWN:
            return _("%(n)s students raised this.") % {"n": self.raised.display}
        return _("How many students raised this is withheld, so that a smaller group cannot be worked out from it.")


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
    heard: list[HeardTable] = field(default_factory=list)
    language: str = "en"
    scripts: dict[str, str] = field(default_factory=dict)
    protocol_questions: list[tuple[str, list[str]]] = field(default_factory=list)
    overview_bars: Bars | None = None  # the overview chart, as data

    @property
    def heard_at_a_glance(self) -> list[HeardTable]:
        """One short table for the infographic and the slides: by school, else by grade, else the first."""
        by_key = {t.key: t for t in self.heard}
        return next(([by_key[k]] for k in HEARD_AT_A_GLANCE if k in by_key), self.heard[:1])

    @property
    def heard_largest_gap(self) -> float | None:
        gaps = [abs(row.gap_points) for table in self.heard for row in table.rows if row.gap_points is not None]
        return max(gaps, default=None)

    def all_themes(self) -> list[ThemeSection]:
        return [theme for _name, themes in self.categories for theme in themes]

    @property
    def heard_criteria(self) -> str:
        """The criteria "Who we heard from" compares by, in a phrase: "school, grade"."""
        return ", ".join(str(table.label).lower() for table in self.heard)

    @property
    def method_line(self) -> str:
        """How we listened, in a sentence: the sessions of each format, when, and how many facilitators."""
        kinds = ", ".join(
            ngettext("%(count)d %(format)s", "%(count)d %(format)ss", count) % {"count": count, "format": str(name).lower()}
            for name, count in self.formats.items())
        facts = {
            "held": ngettext("We held %(count)d session", "We held %(count)d sessions", self.sessions) % {"count": self.sessions},
            "kinds": kinds,
            "facilitators": ngettext("%(count)d facilitator", "%(count)d facilitators", self.facilitators) % {
                "count": self.facilitators},
        }
        if self.first_date:
            facts |= {"first": date_format(timezone.localtime(self.first_date), "MONTH_DAY_FORMAT"),
                      "last": date_format(timezone.localtime(self.last_date), "DATE_FORMAT")}
            return _("%(held)s (%(kinds)s) between %(first)s and %(last)s, led by %(facilitators)s.") % facts
        return _("%(held)s (%(kinds)s), led by %(facilitators)s.") % facts


SCRIPTS = ("purpose", "guidelines", "icebreaker", "wrap_up")


def protocol_in(protocol, language: str) -> tuple[dict[str, str], list[tuple[str, list[str]]]]:
    """The protocol's scripts and questions in the report's language where the team wrote them in it,
    else as written."""
    if protocol is None:
        return {}, []
    scripts = (protocol.translations or {}).get(language) or {}
    written = {name: scripts.get(name) or getattr(protocol, name) for name in SCRIPTS}
    questions = []
    for question in protocol.questions.all():
        other = (question.translations or {}).get(language) or {}
        questions.append((other.get("text") or question.text, other.get("follow_ups") or question.follow_ups or []))
    return written, questions


def report_language(options: dict) -> str:
    """The language a report's words are in: the one chosen for it, else the one active."""
    return supported(options.get("language")) or supported(translation.get_language()) or settings.LANGUAGE_CODE


def _share(raised: Cell, interviewed: Cell) -> tuple[str, float | None]:
    if raised.hidden != Hidden.SHOWN or interviewed.hidden != Hidden.SHOWN or not interviewed.value:
        return raised.display, None
    value = 100 * raised.value / interviewed.value
    return f"{round(value)}%", value


def report_data(program: Program, *, options: dict | None = None) -> ReportData:
    options = options or {}
    language = report_language(options)
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
        raised_cell, _breakdown = patterns.overall(theme.pk)
        share, value = _share(raised_cell, interviewed_cell)
        section = ThemeSection(
            name=theme.name, insight=theme.insight, root_causes=theme.root_causes, raised=raised_cell, share=share,
            # Headed in the report's language already ("Challenges", "Desafíos"), challenges first.
            stances=dict(facts[theme.pk].stances),
            quotes=[show_quote(quote, language=language) for quote in facts[theme.pk].quotes],
        )
        if options.get("patterns", True):
            for table in patterns.tables(theme.pk, CHART_CRITERIA):
                values = [None if c.share == "—" else float(c.share.rstrip("%")) for c in table.cells]
                # A chart whose every bar is withheld says nothing; the method section explains why.
                if len(table.cells) > 1 and any(v is not None for v in values):
                    bars = Bars([c.category for c in table.cells], values,
                                [c.raised.display if c.raised.hidden != Hidden.SHOWN else _("withheld") for c in table.cells])
                    section.charts.append((table.label, bars.svg()))
                    section.bars.append((table.label, bars))
        sections.setdefault(theme.category.name if theme.category else _("Other findings"), []).append(section)
        overview.append((theme.name, value, raised_cell.display))
    order = [c.name for c in program.categories.all()]
    categories = sorted(sections.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order))
    sessions = Session.objects.filter(program=program, status=SessionStatus.COMPLETED)
    protocol = current_protocol(program)
    scripts, questions = protocol_in(protocol, language)
    representativeness = representativeness_of(program)
    overview_bars = Bars([name for name, _v, _s in overview], [v for _n, v, _s in overview],
                         [shown for _n, _v, shown in overview]) if overview else None
    return ReportData(
        program=program, threshold=threshold, generated_on=timezone.localdate(), summary=options.get("summary", ""),
        questions=[text for text, _follow_ups in questions], scripts=scripts, protocol_questions=questions,
        language=language,
        formats=dict(Counter(s.get_format_display() for s in sessions)), sessions=sessions.count(),
        interviewed=interviewed_cell,
        facilitators=len({s.facilitator_id for s in sessions}),
        first_date=min((s.starts_at for s in sessions), default=None), last_date=max((s.starts_at for s in sessions), default=None),
        representativeness=representativeness, categories=categories,
        # Each withheld bar says why: "fewer than 5" only of a small count, "withheld" of one hidden to
        # protect another (7 of 10 said "fewer than 5" before, which was false).
        overview_chart=overview_bars.svg() if overview_bars else "", overview_bars=overview_bars,
        protocol=protocol,
        action_items=list(ActionItem.objects.filter(program=program).exclude(status=ActionStatus.DROPPED)
                          .select_related("owner").prefetch_related("themes").order_by("due_on", "title")),
        heard=heard_from(representativeness, patterns.publication,
                         program_patterns(scoped, [], threshold=threshold, population=invited_population(program),
                                          raised={}).publication),
    )
