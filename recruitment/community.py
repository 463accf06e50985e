"""Community percentages (e.g. district census figures) that a sample is compared with instead of the roster."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from participants.attributes import MULTI_VALUED, criterion_label
from participants.roster import MISSING_VALUE, plain_labels
from programs.models import Program
from recruitment.models import CommunityShare
from recruitment.selection import available_criteria, population_units
from toolkit.tables import ImportRefused, RowError, Table, guess_mapping, mapping_problems

FIELD_LABELS = {"criterion": _("Criterion"), "category": _("Category"), "percent": _("Percent")}
REQUIRED = ("criterion", "category", "percent")
ALIASES = {"criterion": ("attribute", "measure", "dimension"), "category": ("group", "value"),
           "percent": ("%", "share", "percentage")}
# A student can be in several of these, so their percentages may add up to more than 100.
MAX_TOTAL = Decimal("100.5")  # rounding in published figures can add up to a little over 100
UNKNOWN_CRITERION = _("“{value}” is not a criterion. Use one of: {known}.")
BAD_PERCENT = _("“{value}” is not a percentage from 0 to 100.")
OVER_100 = _("The percentages for {criterion} add up to {total}%, more than 100.")
UNSEEN_CATEGORY = _("“{category}” ({criterion}) matches no student in the roster; check the spelling if that is a "
                    "surprise.")


@dataclass
class CommunityImport:
    saved: int = 0
    warnings: list[str] = field(default_factory=list)


def import_community_shares(*, program: Program, table: Table) -> CommunityImport:
    """Replace the shares of every criterion in the file; all rows or none."""
    mapping = guess_mapping(table.headers, ALIASES)
    labels = plain_labels(FIELD_LABELS)
    errors = mapping_problems(mapping, REQUIRED, labels)
    if errors:
        raise ImportRefused(errors)
    column = {f: table.headers.index(h) for h, f in mapping.items() if f}
    header_of = {f: h for h, f in mapping.items() if f}
    criteria = available_criteria(program)
    with translation.override("en"):  # a file may name criteria in English whatever the page's language
        english = available_criteria(program)
    by_name = ({key.lower(): key for key, _label in criteria} | {label.lower(): key for key, label in english}
               | {label.lower(): key for key, label in criteria})
    known = ", ".join(label for _, label in criteria)
    shares: dict[str, dict[str, Decimal]] = defaultdict(dict)
    first_row: dict[str, int] = {}
    for index, cells in enumerate(table.rows):
        number = index + table.first_row_number()
        values = {f: cells[i] for f, i in column.items()}
        problems = [RowError(number, header_of[f], MISSING_VALUE.format(label=labels[f])) for f in REQUIRED if not values[f]]
        criterion = by_name.get(values["criterion"].lower()) if values["criterion"] else None
        if values["criterion"] and criterion is None:
            problems.append(RowError(number, header_of["criterion"], UNKNOWN_CRITERION.format(value=values["criterion"], known=known)))
        try:
            percent = Decimal(values["percent"].rstrip("%").strip()) if values["percent"] else None
            if percent is not None and not (0 <= percent <= 100):
                raise InvalidOperation
        except InvalidOperation:
            problems.append(RowError(number, header_of["percent"], BAD_PERCENT.format(value=values["percent"])))
            percent = None
        if problems:
            errors.extend(problems)
            continue
        shares[criterion][values["category"]] = percent
        first_row.setdefault(criterion, number)
    for criterion, categories in shares.items():
        problem = total_problem(criterion, categories.values(), criteria)
        if problem:
            errors.append(RowError(first_row[criterion], header_of["percent"], problem))
    if errors:
        raise ImportRefused(errors)
    return _save(program, shares)


def total_problem(criterion: str, percents, criteria: list[tuple[str, str]]) -> str | None:
    """Why these percentages of one criterion cannot all be true, or None."""
    total = sum(percents, Decimal(0))
    if criterion not in MULTI_VALUED and total > MAX_TOTAL:
        return OVER_100.format(criterion=dict(criteria).get(criterion, criterion), total=f"{total.normalize():f}")
    return None


def set_community_share(*, program: Program, criterion: str, category: str, percent: Decimal) -> CommunityShare:
    """Enter or change one percentage; refused (ValueError) when its criterion would pass 100%."""
    others = CommunityShare.objects.filter(program=program, criterion=criterion).exclude(category=category)
    problem = total_problem(criterion, [*others.values_list("percent", flat=True), percent], available_criteria(program))
    if problem:
        raise ValueError(problem)
    share, _ = CommunityShare.objects.update_or_create(
        program=program, criterion=criterion, category=category, defaults={"percent": percent},
    )
    return share


@transaction.atomic
def _save(program: Program, shares: dict[str, dict[str, Decimal]]) -> CommunityImport:
    CommunityShare.objects.filter(program=program, criterion__in=list(shares)).delete()
    CommunityShare.objects.bulk_create([
        CommunityShare(program=program, criterion=criterion, category=category, percent=percent)
        for criterion, categories in shares.items() for category, percent in categories.items()
    ])
    seen: dict[str, set[str]] = defaultdict(set)
    for unit in population_units(program):
        for criterion, categories in unit.features.items():
            seen[criterion] |= categories
    warnings = [UNSEEN_CATEGORY.format(category=category, criterion=criterion_label(criterion))
                for criterion, categories in shares.items() for category in categories if category not in seen[criterion]]
    return CommunityImport(saved=sum(len(c) for c in shares.values()), warnings=warnings)


def community_shares_by_criterion(program: Program) -> list[tuple[str, list[CommunityShare]]]:
    grouped: dict[str, list[CommunityShare]] = defaultdict(list)
    for share in CommunityShare.objects.filter(program=program):
        grouped[share.criterion].append(share)
    return [(criterion_label(criterion), shares) for criterion, shares in grouped.items()]


def clear_community_shares(*, program: Program) -> None:
    CommunityShare.objects.filter(program=program).delete()
