"""Small-cell suppression for counts of students, so that no small group can be singled out.

A count below the threshold is shown as "fewer than N". When a hidden count could be worked out by
subtracting the shown cells from a shown total, further cells are withheld until no hidden cell is
exactly determined. The check is exact for one sum constraint: each hidden cell's possible values
form an interval, computed from the other hidden cells' bounds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _


class Hidden(StrEnum):
    SHOWN = ""
    SMALL = "small"  # below the threshold
    COMPLEMENTARY = "complementary"  # at or above it, withheld so a small one cannot be recovered
    OMITTED = "omitted"  # not published at all: any count could follow from the ones beside it


@dataclass(frozen=True)
class Cell:
    value: int | None  # None when hidden
    hidden: Hidden
    threshold: int

    @property
    def display(self) -> str:
        if self.hidden == Hidden.SMALL:
            return _("fewer than %(threshold)s") % {"threshold": self.threshold}
        if self.hidden in (Hidden.COMPLEMENTARY, Hidden.OMITTED):
            # Translators: in place of a count hidden to protect another (a table cell, a bar's label).
            return _("withheld")
        return str(self.value)


@dataclass(frozen=True)
class SuppressedRow:
    cells: list[Cell]
    total: Cell


def _bounds(hidden: Hidden, threshold: int, total: int) -> tuple[int, int]:
    # What a reader knows about a hidden cell from how it is shown.
    if hidden == Hidden.SMALL:
        return 0, threshold - 1
    return threshold, total


def exactly_determined(values: Sequence[int], hidden: Sequence[Hidden], *, total: int, threshold: int) -> list[int]:
    """Indexes of hidden cells whose value a reader can work out from the shown cells and total."""
    secret = [i for i, h in enumerate(hidden) if h != Hidden.SHOWN]
    if not secret:
        return []
    remaining = total - sum(v for v, h in zip(values, hidden, strict=True) if h == Hidden.SHOWN)
    bounds = {i: _bounds(hidden[i], threshold, total) for i in secret}
    determined = []
    for i in secret:
        others_low = sum(bounds[j][0] for j in secret if j != i)
        others_high = sum(bounds[j][1] for j in secret if j != i)
        low = max(bounds[i][0], remaining - others_high)
        high = min(bounds[i][1], remaining - others_low)
        if low >= high:
            determined.append(i)
    return determined


def suppress(values: Sequence[int], *, total: int, threshold: int, partition: bool = True) -> SuppressedRow:
    """Hide small counts, then enough others that none can be recovered from the total.

    `partition` says the cells add up to the total (each student in exactly one category); when
    they do not (a student in several groups), subtraction cannot recover a cell and only the
    small counts are hidden.
    """
    if total < threshold:
        hidden_cell = Cell(None, Hidden.SMALL, threshold)
        return SuppressedRow([Cell(None, Hidden.SMALL, threshold) for _ in values], hidden_cell)
    hidden = [Hidden.SMALL if v < threshold else Hidden.SHOWN for v in values]
    total_cell = Cell(total, Hidden.SHOWN, threshold)
    if partition:
        while exactly_determined(values, hidden, total=total, threshold=threshold):
            candidates = [i for i, h in enumerate(hidden) if h == Hidden.SHOWN]
            if not candidates:
                # Even with every cell hidden the total pins one down: withhold the total too.
                total_cell = Cell(None, Hidden.COMPLEMENTARY, threshold)
                break
            # Withhold the smallest shown cell: it protects the hidden ones at the least cost.
            hidden[min(candidates, key=lambda i: (values[i], i))] = Hidden.COMPLEMENTARY
    cells = [Cell(None if h != Hidden.SHOWN else v, h, threshold) for v, h in zip(values, hidden, strict=True)]
    return SuppressedRow(cells, total_cell)
