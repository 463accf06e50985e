"""Comparing two programs that share a codebook (e.g. fall and spring): which themes grew or shrank.

Themes are matched by name; each side is the share of its interviewed students who raised the
theme, and a side with a small count is withheld, so no change is computed from it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from analysis.patterns import ProgramPatterns, program_patterns
from analysis.suppression import Hidden
from programs.models import Program


@dataclass(frozen=True)
class ThemeChange:
    name: str
    before: str
    after: str
    change_points: float | None


def _share(patterns: ProgramPatterns, theme) -> tuple[str, float | None]:
    raised, interviewed = patterns.overall(theme.pk)
    if raised.hidden != Hidden.SHOWN or interviewed.hidden != Hidden.SHOWN or not interviewed.value:
        return raised.display, None
    share = 100 * raised.value / interviewed.value
    return f"{round(share)}%", share


def compare_programs(before: Program, after: Program) -> list[ThemeChange]:
    earlier = {t.name: t for t in before.themes.prefetch_related("codes")}
    later = {t.name: t for t in after.themes.prefetch_related("codes")}
    # Each side shows what that program's own pages show: the counts decided with all its themes.
    before_patterns, after_patterns = program_patterns(before, earlier.values()), program_patterns(after, later.values())
    changes = []
    for name in sorted(set(earlier) | set(later)):
        first, first_value = _share(before_patterns, earlier[name]) if name in earlier else (_("not a theme"), None)
        second, second_value = _share(after_patterns, later[name]) if name in later else (_("not a theme"), None)
        delta = round(second_value - first_value, 1) if first_value is not None and second_value is not None else None
        changes.append(ThemeChange(name, first, second, delta))
    return sorted(changes, key=lambda c: (c.change_points is None, -(c.change_points or 0)))
