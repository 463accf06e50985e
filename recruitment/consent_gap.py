"""The consent gap: whether the students whose families said yes still look like the students invited.

The families who do not answer are not a random set, so a sample chosen to be representative can stop
being so one consent form at a time. For each criterion of the sample plan this reads three shares side
by side, with the same tables as the Students page (participants.sampling.representativeness): the
community (the roster of the program's schools, or the community percentages when the plan uses them),
the invited students, and the consented students. Groups whose consent lags are flagged, and the sampler
proposes students from those groups who would keep the sample representative, for the lead to invite.

"Consented" here means the parent or guardian granted consent: the family's answer is what this page
chases. The student's own assent is asked at the session, and sessions still refuse a student without
both (Invitation.can_be_scheduled).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from participants.attributes import category_label, criterion_label
from participants.models import Student
from participants.sampling import Minimum, SampleRequest, SamplingInfeasible, choose_sample, representativeness
from programs.models import Program
from recruitment.models import ConsentStatus, Invitation
from recruitment.selection import community_targets, plan_for, population_for, population_units

# A group lags when its share of the consented students falls short of its share of the invited students
# by more than the plan's tolerance (the points by which the Students page flags a sample that strays from
# the community, DEFAULT_TOLERANCE_POINTS = 5 unless the lead changed it): consent that loses more than that
# undoes what the sampler achieved. A small group can lose every student without losing that many points
# (4% of invited, none consented), and an absent group is the worst gap of all, so a group invited at least
# MIN_INVITED_FOR_ABSENCE times and absent from the consented students lags too. Nothing lags before the
# first family has said yes: with no consent there is nothing to compare.
MIN_INVITED_FOR_ABSENCE = 2


@dataclass(frozen=True)
class GapLine:
    """One category: its share of the community, of the invited and of the consented students."""

    criterion: str
    category: str  # as the sampler counts it (English); `label` is what a page shows
    label: str
    community_percent: float
    invited_percent: float
    invited_count: int
    consented_percent: float
    consented_count: int
    lags: bool
    threshold: int | None = None  # counts below it are shown as "fewer than N" (None: leads, who see names)

    @property
    def lost_points(self) -> float:
        return round(self.invited_percent - self.consented_percent, 1)

    def shown(self, count: int) -> str:
        if self.threshold and 0 < count < self.threshold:
            return _("fewer than %(threshold)s") % {"threshold": self.threshold}
        return str(count)

    @property
    def invited_shown(self) -> str:
        return self.shown(self.invited_count)

    @property
    def consented_shown(self) -> str:
        return self.shown(self.consented_count)


@dataclass(frozen=True)
class GapTable:
    key: str
    label: str
    lines: list[GapLine]


@dataclass(frozen=True)
class Lag:
    """A group whose consent lags: "English learner: 25% of invited, 8% of consented"."""

    line: GapLine
    criterion_label: str

    @property
    def group(self) -> str:
        # A yes/no criterion's "Yes" is the group the criterion names ("English learner").
        if self.line.category == "Yes":
            return self.criterion_label
        return f"{self.line.label} ({self.criterion_label})"

    @property
    def sentence(self) -> str:
        return _("%(group)s: %(invited)s%% of invited, %(consented)s%% of consented") % {
            "group": self.group, "invited": _percent(self.line.invited_percent),
            "consented": _percent(self.line.consented_percent)}


@dataclass(frozen=True)
class ConsentGap:
    tables: list[GapTable]
    lags: list[Lag]
    invited_size: int
    consented_size: int
    tolerance_points: float
    uses_community_shares: bool


def _percent(value: float) -> str:
    return f"{value:.0f}"


def _share(count: int, total: int) -> float:
    return round(count / total * 100, 1) if total else 0.0


def lags(*, invited_percent: float, consented_percent: float, invited_count: int, consented_count: int,
         consented_size: int, tolerance_points: float) -> bool:
    """The rule above, on one category's figures."""
    if consented_size == 0 or invited_count == 0:
        return False
    if invited_percent - consented_percent > tolerance_points:
        return True
    return consented_count == 0 and invited_count >= MIN_INVITED_FOR_ABSENCE


def consented_ids(program: Program) -> set[int]:
    return set(Invitation.objects.filter(program=program, parent_consent=ConsentStatus.GRANTED).order_by()
               .values_list("student_id", flat=True))


def consent_gap(*, program: Program, threshold: int | None = None) -> ConsentGap:
    """The three shares per criterion and category, and the groups whose consent lags.

    `threshold`: counts below it are shown as "fewer than N" (pass the program's suppression threshold for
    anyone but a lead; leads see the students' names on this page anyway, as on the Students page)."""
    plan = plan_for(program)
    population = population_units(program)
    invited = set(Invitation.objects.filter(program=program).order_by().values_list("student_id", flat=True))
    consented = consented_ids(program)
    invited_units = [u for u in population if u.id in invited]
    consented_units = [u for u in population if u.id in consented]
    targets = community_targets(program) if plan.use_community_shares else None
    criteria = list(plan.criteria)
    against_invited = representativeness(population=population, sample=invited_units, criteria=criteria, targets=targets)
    against_consented = {(r.criterion, r.category): r for r in representativeness(
        population=population, sample=consented_units, criteria=criteria, targets=targets)}
    tables, found = [], []
    for key in criteria:
        lines = []
        for row in (r for r in against_invited if r.criterion == key):
            other = against_consented.get((row.criterion, row.category))
            consented_count = other.sample_count if other else 0
            invited_percent = _share(row.sample_count, len(invited_units))
            consented_percent = _share(consented_count, len(consented_units))
            line = GapLine(
                criterion=key, category=row.category, label=category_label(row.category),
                community_percent=round(row.population_share * 100, 1),
                invited_percent=invited_percent, invited_count=row.sample_count,
                consented_percent=consented_percent, consented_count=consented_count,
                lags=lags(invited_percent=invited_percent, consented_percent=consented_percent,
                          invited_count=row.sample_count, consented_count=consented_count,
                          consented_size=len(consented_units), tolerance_points=plan.tolerance_points),
                threshold=threshold,
            )
            lines.append(line)
            if line.lags:
                found.append(Lag(line, criterion_label(key)))
        tables.append(GapTable(key, criterion_label(key), lines))
    found.sort(key=lambda lag: -lag.line.lost_points)
    return ConsentGap(tables, found, len(invited_units), len(consented_units), plan.tolerance_points,
                      bool(targets))


@dataclass(frozen=True)
class Proposal:
    """A student the sampler would invite to fill a lagging group, and the lagging groups they are in."""

    student: Student
    groups: list[str] = field(default_factory=list)


def shortfall(line: GapLine, consented_size: int) -> int:
    """How many more consented students of this group would bring its consented share back to its invited
    share (at least one: the group lags)."""
    wanted = math.ceil(line.invited_percent / 100 * consented_size - 1e-9)
    return max(1, wanted - line.consented_count)


def propose_replacements(*, program: Program, gap: ConsentGap | None = None) -> list[Proposal]:
    """Students not yet invited, from the groups whose consent lags, chosen by the sampler.

    The sampler keeps every consented student, may choose only students from a lagging group who have not
    been invited, must reach each lagging group's shortfall (as far as the schools hold such students),
    and otherwise balances every criterion of the plan against the community, as when it built the sample.
    Deterministic for the plan's seed, so the page proposes the same students until something changes."""
    gap = gap or consent_gap(program=program)
    if not gap.lags:
        return []
    plan = plan_for(program)
    population = population_units(program)
    invited = set(Invitation.objects.filter(program=program).order_by().values_list("student_id", flat=True))
    consented = consented_ids(program) & {u.id for u in population}
    lagging = [(lag.line.criterion, lag.line.category) for lag in gap.lags]
    eligible = {u.id for u in population if u.id not in invited
                and any(category in u.features.get(criterion, ()) for criterion, category in lagging)}
    if not eligible:
        return []
    minimums, seats = [], 0
    for lag in gap.lags:
        criterion, category = lag.line.criterion, lag.line.category
        available = sum(1 for u in population if u.id in eligible and category in u.features.get(criterion, ()))
        more = min(shortfall(lag.line, gap.consented_size), available)
        if more:
            minimums.append(Minimum(criterion, lag.line.consented_count + more, category))
            seats += more
    seats = min(seats, len(eligible))
    excluded = frozenset(u.id for u in population if u.id not in eligible and u.id not in consented)
    targets = community_targets(program) if plan.use_community_shares else None
    request = SampleRequest(size=len(consented) + seats, criteria=list(plan.criteria), minimums=minimums,
                            locked=frozenset(consented), excluded=excluded, seed=plan.seed, targets=targets)
    try:
        chosen = choose_sample(population, request).ids
    except SamplingInfeasible:
        # The minimums together need more seats than one student each (a student in two lagging groups
        # counts once); without them the sampler still chooses from the lagging groups only.
        chosen = choose_sample(population, SampleRequest(
            size=request.size, criteria=request.criteria, locked=request.locked, excluded=excluded,
            seed=plan.seed, targets=targets)).ids
    by_id = population_for(program).in_bulk([pk for pk in chosen if pk not in consented])
    features = {u.id: u.features for u in population}
    labels = {(lag.line.criterion, lag.line.category): lag.group for lag in gap.lags}
    proposals = []
    for student_id in chosen:
        if student_id in consented:
            continue
        groups = [label for (criterion, category), label in labels.items()
                  if category in features[student_id].get(criterion, ())]
        proposals.append(Proposal(by_id[student_id], groups))
    proposals.sort(key=lambda p: (p.student.school.name, p.student.last_name, p.student.first_name))
    return proposals


class NotAReplacement(ValueError):
    pass


@transaction.atomic
def invite_replacement(*, program: Program, student_id: int) -> Invitation:
    """Invite one student, as the Students page invites the sample: a new invitation, consent pending.

    Refused for a student outside the program's schools or already invited (whatever their answer)."""
    if not population_for(program).filter(pk=student_id).exists():
        raise NotAReplacement(_("This student is not in the program's schools."))
    invitation, created = Invitation.objects.get_or_create(program=program, student_id=student_id)
    if not created:
        raise NotAReplacement(_("This student is already invited."))
    return invitation
