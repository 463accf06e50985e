"""Choosing a sample of students that looks like the community it speaks for.

Pure functions: the caller turns students into `Unit`s (see `participants/attributes.py`);
nothing here touches the database. The search minimises the squared gaps between the
sample's and the population's share of every category of every criterion, subject to hard
minimums, locked-in and excluded students, and is reproducible for a given seed.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

Feature = tuple[str, str]  # (criterion, category)

DEFAULT_TOLERANCE_POINTS = 5.0
CANDIDATES_PER_STEP = 400
SWAP_CANDIDATES = 60
MAX_SWAP_ROUNDS = 4000
STALE_ROUNDS_TO_STOP = 600


@dataclass(frozen=True)
class Unit:
    """One student as the sampler sees them: an id and, per criterion, their categories."""

    id: Hashable
    features: Mapping[str, frozenset[str]]


@dataclass(frozen=True)
class Minimum:
    """At least `count` students from `category` of `criterion` (every category when None)."""

    criterion: str
    count: int
    category: str | None = None

    def describe(self) -> str:
        which = f"“{self.category}”" if self.category else "every category of"
        return f"at least {self.count} from {which} {self.criterion}"


@dataclass(frozen=True)
class SampleRequest:
    size: int
    criteria: Sequence[str]
    minimums: Sequence[Minimum] = ()
    locked: frozenset = frozenset()
    excluded: frozenset = frozenset()
    seed: int = 0
    # Community shares per criterion and category (0-1), replacing the roster's own shares.
    targets: Mapping[str, Mapping[str, float]] | None = None


@dataclass(frozen=True)
class GapRow:
    criterion: str
    category: str
    population_share: float
    sample_share: float
    population_count: int | None
    sample_count: int

    @property
    def gap_points(self) -> float:
        return round((self.sample_share - self.population_share) * 100, 1)


@dataclass
class SampleResult:
    ids: list
    largest_gap_points: float
    rows: list[GapRow] = field(default_factory=list)


class SamplingInfeasible(ValueError):
    """The request cannot be met; `problems` says why, one sentence each."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def natural_order(text: str) -> list:
    """"Grade 9" before "Grade 10", kindergarten first."""
    text = text.replace("Grade K", "Grade 0")
    return [(0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text)]


def _category_counts(units: Sequence[Unit], criterion: str) -> Counter:
    return Counter(category for unit in units for category in unit.features.get(criterion, ()))


def _shares(counts: Counter, total: int) -> dict[str, float]:
    return {category: count / total for category, count in sorted(counts.items())} if total else {}


def population_shares(units: Sequence[Unit], criteria: Iterable[str]) -> dict[str, dict[str, float]]:
    """Share of units in each category of each criterion (a unit may be in several)."""
    return {criterion: _shares(_category_counts(units, criterion), len(units)) for criterion in criteria}


def representativeness(
    *, population: Sequence[Unit], sample: Sequence[Unit], criteria: Sequence[str],
    targets: Mapping[str, Mapping[str, float]] | None = None,
) -> list[GapRow]:
    """Per criterion and category: population share, sample share and their counts."""
    counted = {criterion: _category_counts(population, criterion) for criterion in criteria}  # once: a roster is long
    shares = {criterion: _shares(counts, len(population)) for criterion, counts in counted.items()}
    if targets:
        shares.update({criterion: dict(values) for criterion, values in targets.items() if criterion in criteria})
    rows = []
    size = len(sample)
    for criterion in criteria:
        population_counts = counted[criterion]
        sample_counts = _category_counts(sample, criterion)
        categories = sorted(set(shares.get(criterion, {})) | set(sample_counts), key=natural_order)
        for category in categories:
            rows.append(GapRow(
                criterion=criterion,
                category=category,
                population_share=shares.get(criterion, {}).get(category, 0.0),
                sample_share=sample_counts[category] / size if size else 0.0,
                population_count=None if targets and criterion in targets else population_counts[category],
                sample_count=sample_counts[category],
            ))
    return rows


def largest_gap(rows: Iterable[GapRow]) -> float:
    return max((abs(row.gap_points) for row in rows), default=0.0)


def _expand_minimums(minimums: Sequence[Minimum], shares: Mapping[str, Mapping[str, float]]) -> dict[Feature, int]:
    needed: dict[Feature, int] = {}
    for minimum in minimums:
        categories = [minimum.category] if minimum.category else list(shares.get(minimum.criterion, {}))
        for category in categories:
            key = (minimum.criterion, category)
            needed[key] = max(needed.get(key, 0), minimum.count)
    return needed


class _Search:
    """Counts of each feature in the current sample and the squared-gap objective."""

    def __init__(
        self, size: int, target: dict[Feature, float], unit_features: dict[Hashable, tuple[Feature, ...]],
        balanced: frozenset[str],
    ):
        self.size = size
        self.target = target
        self.unit_features = unit_features
        self.balanced = balanced
        self.counts: Counter[Feature] = Counter()

    def cost_of(self, feature: Feature, count: int) -> float:
        # Criteria that only carry a minimum are counted but not balanced.
        if feature[0] not in self.balanced:
            return 0.0
        return (count / self.size - self.target.get(feature, 0.0)) ** 2

    def add(self, unit_id) -> None:
        for feature in self.unit_features[unit_id]:
            self.counts[feature] += 1

    def remove(self, unit_id) -> None:
        for feature in self.unit_features[unit_id]:
            self.counts[feature] -= 1

    def delta_add(self, unit_id) -> float:
        return sum(self.cost_of(f, self.counts[f] + 1) - self.cost_of(f, self.counts[f]) for f in self.unit_features[unit_id])

    def delta_swap(self, out_id, in_id) -> float:
        change: Counter[Feature] = Counter()
        for feature in self.unit_features[out_id]:
            change[feature] -= 1
        for feature in self.unit_features[in_id]:
            change[feature] += 1
        return sum(
            self.cost_of(f, self.counts[f] + d) - self.cost_of(f, self.counts[f]) for f, d in change.items() if d
        )


def choose_sample(population: Sequence[Unit], request: SampleRequest) -> SampleResult:
    """Choose `request.size` units whose category shares track the population's.

    Raises SamplingInfeasible, naming every problem, when a minimum cannot be met.
    """
    rng = random.Random(request.seed)
    by_id = {unit.id: unit for unit in population}
    minimum_criteria = [m.criterion for m in request.minimums]
    shares = population_shares(population, list(dict.fromkeys([*request.criteria, *minimum_criteria])))
    if request.targets:
        shares.update({c: dict(v) for c, v in request.targets.items() if c in request.criteria})
    target = {(criterion, category): share for criterion, values in shares.items() for category, share in values.items()}
    needed = _expand_minimums(request.minimums, shares)
    tracked = list(dict.fromkeys([*request.criteria, *(criterion for criterion, _ in needed)]))
    unit_features = {
        unit.id: tuple((criterion, category) for criterion in tracked for category in unit.features.get(criterion, ()))
        for unit in population
    }

    problems = _check_feasible(request, by_id, needed, population)
    if problems:
        raise SamplingInfeasible(problems)

    search = _Search(request.size, target, unit_features, frozenset(request.criteria))
    chosen: list = []
    for unit_id in sorted(request.locked, key=str):
        chosen.append(unit_id)
        search.add(unit_id)
    pool = [unit.id for unit in population if unit.id not in request.locked and unit.id not in request.excluded]
    rng.shuffle(pool)
    available = set(pool)

    def take(unit_id) -> None:
        chosen.append(unit_id)
        available.discard(unit_id)
        search.add(unit_id)

    # 1. Meet the hard minimums, rarest category first.
    for feature in sorted(needed, key=lambda f: (sum(1 for u in pool if f in unit_features[u]), f)):
        while search.counts[feature] < needed[feature] and len(chosen) < request.size:
            holders = [u for u in pool if u in available and feature in unit_features[u]]
            if not holders:
                break
            take(min(holders[:CANDIDATES_PER_STEP], key=search.delta_add))
    unmet = [f for f, n in needed.items() if search.counts[f] < n]
    if unmet:
        needs = ", ".join(_("%(count)s from “%(category)s” (%(criterion)s)") % {"count": n, "category": c, "criterion": k}
                          for (k, c), n in sorted((f, needed[f]) for f in unmet))
        raise SamplingInfeasible([
            _("Not enough seats for every minimum: %(seats)s seats cannot hold %(needs)s together with the others. "
              "Raise the sample size or lower the minimums.") % {"seats": request.size, "needs": needs}
        ])

    # 2. Fill the remaining seats greedily.
    while len(chosen) < request.size:
        candidates = rng.sample(sorted(available, key=str), min(CANDIDATES_PER_STEP, len(available)))
        take(min(candidates, key=search.delta_add))

    # 3. Improve by swaps that keep every minimum.
    swappable = [u for u in chosen if u not in request.locked]
    stale = 0
    outside = [u for u in pool if u in available]
    for _round in range(MAX_SWAP_ROUNDS):
        if not swappable or not outside or stale >= STALE_ROUNDS_TO_STOP:
            break
        out_index = rng.randrange(len(swappable))
        out_id = swappable[out_index]
        best_in, best_delta, best_index = None, -1e-12, -1
        for _candidate in range(min(SWAP_CANDIDATES, len(outside))):
            in_index = rng.randrange(len(outside))
            in_id = outside[in_index]
            delta = search.delta_swap(out_id, in_id)
            if delta < best_delta and _keeps_minimums(search, needed, out_id, in_id, unit_features):
                best_in, best_delta, best_index = in_id, delta, in_index
        if best_in is None:
            stale += 1
            continue
        stale = 0
        search.remove(out_id)
        search.add(best_in)
        swappable[out_index] = best_in
        outside[best_index] = out_id

    final_ids = [u for u in chosen if u in request.locked] + swappable
    sample_units = [by_id[u] for u in final_ids]
    rows = representativeness(population=population, sample=sample_units, criteria=request.criteria, targets=request.targets)
    return SampleResult(ids=final_ids, largest_gap_points=largest_gap(rows), rows=rows)


def _keeps_minimums(search: _Search, needed: dict[Feature, int], out_id, in_id, unit_features) -> bool:
    incoming = set(unit_features[in_id])
    for feature in unit_features[out_id]:
        if feature in needed and feature not in incoming and search.counts[feature] - 1 < needed[feature]:
            return False
    return True


def _check_feasible(request: SampleRequest, by_id: Mapping, needed: dict[Feature, int], population: Sequence[Unit]) -> list[str]:
    problems = []
    if request.size <= 0:
        problems.append(_("The sample size must be at least 1."))
    unknown = sorted(str(u) for u in (request.locked | request.excluded) if u not in by_id)
    if unknown:
        problems.append(ngettext("%(count)s locked or excluded student is not in the population.",
                                 "%(count)s locked or excluded students are not in the population.",
                                 len(unknown)) % {"count": len(unknown)})
    both = request.locked & request.excluded
    if both:
        problems.append(ngettext("%(count)s student is both locked in and excluded.",
                                 "%(count)s students are both locked in and excluded.", len(both)) % {"count": len(both)})
    if len(request.locked) > request.size:
        problems.append(ngettext("%(count)s student is locked in, more than the %(seats)s seats.",
                                 "%(count)s students are locked in, more than the %(seats)s seats.",
                                 len(request.locked)) % {"count": len(request.locked), "seats": request.size})
    eligible = [u for u in population if u.id not in request.excluded]
    if len(eligible) < request.size:
        problems.append(ngettext("Only %(count)s student can be chosen, fewer than the %(seats)s seats.",
                                 "Only %(count)s students can be chosen, fewer than the %(seats)s seats.",
                                 len(eligible)) % {"count": len(eligible), "seats": request.size})
    for (criterion, category), count in sorted(needed.items()):
        have = sum(1 for u in eligible if category in u.features.get(criterion, ()))
        if have < count:
            problems.append(ngettext(
                "The minimum of %(count)s from “%(category)s” (%(criterion)s) cannot be met: "
                "only %(have)s such student can be chosen.",
                "The minimum of %(count)s from “%(category)s” (%(criterion)s) cannot be met: "
                "only %(have)s such students can be chosen.", have,
            ) % {"count": count, "category": category, "criterion": criterion, "have": have})
    # A single-valued criterion needs one seat per required student; say so before searching.
    for criterion in sorted({c for c, _category in needed}):
        seats_needed = sum(n for (c, _category), n in needed.items() if c == criterion)
        multi = any(len(u.features.get(criterion, ())) > 1 for u in eligible)
        if not multi and seats_needed > request.size:
            categories = sum(1 for c, _ in needed if c == criterion)
            problems.append(_(
                "The minimums for %(criterion)s need %(seats_needed)s seats (%(categories)s categories) "
                "but the sample has %(seats)s. Raise the sample size or lower the minimums."
            ) % {"criterion": criterion, "seats_needed": seats_needed, "categories": categories, "seats": request.size})
    return problems
