"""Code every result of a search: one code and stance on every note a workbench search finds, confirmed with
the count the person saw, and undone in one action.

apply_code's rules hold (analysis/coding.py): the code is the program's own and not retired, the span
is the whole note (0 to its length, in code points) with its words as the snippet. A note that already
has the code (on any span) is skipped and counted as skipped. One BulkCoding row records the action;
each CodeApplication it makes carries `provenance=BULK` and `bulk=` that row, so an undo deletes
exactly those applications, and nothing a person coded by hand before or after.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analysis.coding import OTHER_PROGRAM, RETIRED, CodingRefused
from analysis.models import BulkCoding, Code, CodeApplication, Provenance, Stance
from analysis.retraining import schedule_retraining
from interviews.models import Note
from programs.models import Program

COUNT_CHANGED = _("The search now finds %(now)s notes to code, not the %(seen)s you saw: notes changed meanwhile. "
                  "Look at the results again, then confirm; nothing was coded.")
NOTHING_TO_CODE = _("Every note this search finds already has this code; nothing was coded.")
ALREADY_UNDONE = _("This was already undone.")
BATCH_SIZE = 500


@dataclass(frozen=True)
class BulkPreview:
    found: int  # notes the search finds
    to_code: int  # of which this many do not have the code yet
    skipped: int  # and this many already have it


def _uncoded_with(notes: QuerySet[Note], code: Code) -> QuerySet[Note]:
    return notes.exclude(text="").exclude(Exists(CodeApplication.objects.filter(note=OuterRef("pk"), code=code)))


def _check_code(program: Program, code: Code) -> None:
    if code.program_id != program.pk:
        raise CodingRefused(OTHER_PROGRAM)
    if code.retired:
        raise CodingRefused(RETIRED.format(code=code.name))


def preview_bulk_coding(*, program: Program, notes: QuerySet[Note], code: Code) -> BulkPreview:
    """How many of the found notes "code every result" would code and skip (two COUNT queries)."""
    _check_code(program, code)
    notes = notes.order_by().distinct()
    found = notes.count()
    to_code = _uncoded_with(notes, code).count()
    return BulkPreview(found=found, to_code=to_code, skipped=found - to_code)


@dataclass(frozen=True)
class BulkResult:
    bulk: BulkCoding
    coded: int
    skipped: int  # found notes that already had the code


def code_every_result(*, program: Program, notes: QuerySet[Note], code: Code, stance: str, coder, query: str,
                      filters: dict, expected: int) -> BulkResult:
    """Code every note of `notes` (a program's searched workbench notes) that lacks `code`, if there are still
    exactly `expected` of them (what the person confirmed); raises CodingRefused otherwise."""
    _check_code(program, code)
    if stance not in Stance.values:
        stance = Stance.NEITHER
    with transaction.atomic():
        notes = notes.order_by().distinct()
        targets = list(_uncoded_with(notes, code).values_list("pk", "text"))
        if len(targets) != expected:
            raise CodingRefused(COUNT_CHANGED % {"now": len(targets), "seen": expected})
        if not targets:
            raise CodingRefused(NOTHING_TO_CODE)
        bulk = BulkCoding.objects.create(program=program, code=code, stance=stance, query=query[:500], filters=filters,
                                         notes_coded=len(targets), created_by=coder)
        CodeApplication.objects.bulk_create(
            (CodeApplication(note_id=pk, code=code, start=0, end=len(text), snippet=text, stance=stance, coder=coder,
                             provenance=Provenance.BULK, bulk=bulk) for pk, text in targets),
            batch_size=BATCH_SIZE)
        schedule_retraining(program_id=program.pk)
        skipped = notes.count() - len(targets)
    return BulkResult(bulk=bulk, coded=len(targets), skipped=skipped)


def undo_bulk_coding(*, bulk: BulkCoding, user) -> int:
    """Delete the applications this bulk coding made and mark it undone; returns how many were deleted.
    A second undo (even one racing this one) is refused."""
    with transaction.atomic():
        claimed = BulkCoding.objects.filter(pk=bulk.pk, undone_at__isnull=True).update(undone_at=timezone.now(),
                                                                                        undone_by=user)
        if not claimed:
            raise CodingRefused(ALREADY_UNDONE)
        deleted, _by_model = CodeApplication.objects.filter(bulk=bulk, provenance=Provenance.BULK).delete()
        schedule_retraining(program_id=bulk.program_id)
    bulk.refresh_from_db(fields=["undone_at", "undone_by"])
    return deleted
