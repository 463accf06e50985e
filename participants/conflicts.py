"""Which students does a facilitator currently teach? The scheduler refuses on this."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q

from participants.models import TeachingAssignment


def current_assignments(on: dt.date):
    return TeachingAssignment.objects.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))


def students_taught_by(*, staff_ids: Iterable[int], student_ids: Iterable[int], on: dt.date | None = None) -> dict[int, set[int]]:
    """For each staff member, the given students they teach on `on` (today by default)."""
    on = on or dt.date.today()
    taught: dict[int, set[int]] = defaultdict(set)
    pairs = current_assignments(on).filter(staff_id__in=list(staff_ids), student_id__in=list(student_ids))
    for staff_id, student_id in pairs.values_list("staff_id", "student_id"):
        taught[staff_id].add(student_id)
    return dict(taught)
