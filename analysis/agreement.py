"""Agreement between two coders on the same notes: Cohen's kappa per code and overall, and
percent agreement, on note units (a note has a code or not), so stretches of uncoded text do not
inflate agreement."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Agreement:
    code: str
    units: int
    both: int
    only_first: int
    only_second: int
    neither: int

    @property
    def percent(self) -> float:
        return round(100 * (self.both + self.neither) / self.units, 1) if self.units else 0.0

    @property
    def kappa(self) -> float | None:
        """Cohen's kappa; None when chance agreement is total and kappa is undefined."""
        n = self.units
        if not n:
            return None
        observed = (self.both + self.neither) / n
        first_yes, second_yes = (self.both + self.only_first) / n, (self.both + self.only_second) / n
        expected = first_yes * second_yes + (1 - first_yes) * (1 - second_yes)
        if expected == 1:
            return None
        return round((observed - expected) / (1 - expected), 3)


@dataclass(frozen=True)
class Disagreement:
    unit: object
    code: str
    first_applied: bool


def agreement(units: Sequence, codes: Iterable[str], first: Mapping[object, set[str]],
              second: Mapping[object, set[str]]) -> tuple[list[Agreement], Agreement, list[Disagreement]]:
    """Per code and pooled over all codes, with every disagreement to reconcile."""
    per_code, disagreements = [], []
    for code in codes:
        cells = {"both": 0, "only_first": 0, "only_second": 0, "neither": 0}
        for unit in units:
            a, b = code in first.get(unit, set()), code in second.get(unit, set())
            key = "both" if a and b else "only_first" if a else "only_second" if b else "neither"
            cells[key] += 1
            if a != b:
                disagreements.append(Disagreement(unit, code, a))
        per_code.append(Agreement(code, len(units), **cells))
    pooled = Agreement(_("All codes"), sum(a.units for a in per_code), sum(a.both for a in per_code),
                       sum(a.only_first for a in per_code), sum(a.only_second for a in per_code),
                       sum(a.neither for a in per_code))
    return per_code, pooled, disagreements
