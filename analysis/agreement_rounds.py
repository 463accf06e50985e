"""Agreement rounds: a shared sample, independent coding, then kappa and the disagreements."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from analysis.agreement import Agreement, Disagreement, agreement
from analysis.corpus import analysable_notes
from analysis.models import AgreementCoding, AgreementRound, Code
from programs.models import Program, Role

SAME_CODER = _("Choose two different analysts.")
NOT_A_CODER = _("Only the two coders of this round code its notes.")
TOO_FEW = _("There are not enough notes yet for a sample of {size}.")
NOT_FINISHED = _("Results appear once both coders have finished.")


class RoundRefused(ValueError):
    pass


@dataclass(frozen=True)
class RoundResults:
    per_code: list[Agreement]
    overall: Agreement
    disagreements: list[Disagreement]


def round_coders(program: Program) -> list:
    """The people who may code a round: the program's analysts and leads."""
    return [m.user for m in program.memberships.filter(role__in=[Role.ANALYST, Role.LEAD]).select_related("user")]


def create_round(program: Program, *, coder_a, coder_b, size: int, seed: int = 0) -> AgreementRound:
    if coder_a == coder_b:
        raise RoundRefused(SAME_CODER)
    pool = list(analysable_notes(program).order_by("created_at", "id").values_list("pk", flat=True))
    if len(pool) < size or size < 1:
        raise RoundRefused(TOO_FEW.format(size=size))
    sample = random.Random(seed).sample(pool, size)
    round_ = AgreementRound.objects.create(program=program, coder_a=coder_a, coder_b=coder_b)
    round_.notes.set(sample)
    return round_


def is_coder(round_: AgreementRound, user) -> bool:
    return user.pk in (round_.coder_a_id, round_.coder_b_id)


@transaction.atomic
def record_codes(round_: AgreementRound, *, coder, note_codes: dict, finished: bool = False) -> None:
    """Save one coder's codes for the round's notes (note id -> codes); optionally mark them done."""
    if not is_coder(round_, coder):
        raise RoundRefused(NOT_A_CODER)
    allowed = set(round_.notes.values_list("pk", flat=True))
    for note_id, codes in note_codes.items():
        if note_id not in allowed:
            continue
        coding, _created = AgreementCoding.objects.get_or_create(round=round_, coder=coder, note_id=note_id)
        coding.codes.set(Code.objects.filter(program=round_.program, pk__in=[c.pk if hasattr(c, "pk") else c for c in codes]))
    if finished:
        field = "a_done_at" if coder.pk == round_.coder_a_id else "b_done_at"
        setattr(round_, field, timezone.now())
        round_.save(update_fields=[field])


def codes_of(round_: AgreementRound, coder) -> dict:
    given = defaultdict(set)
    for coding in AgreementCoding.objects.filter(round=round_, coder=coder).prefetch_related("codes"):
        given[coding.note_id] = {code.name for code in coding.codes.all()}
    return given


def results(round_: AgreementRound, codes: Iterable[Code] | None = None) -> RoundResults:
    if not round_.both_done:
        raise RoundRefused(NOT_FINISHED)
    first, second = codes_of(round_, round_.coder_a), codes_of(round_, round_.coder_b)
    used = sorted({name for given in (first, second) for names in given.values() for name in names}
                  | {c.name for c in (codes or [])})
    units = sorted(round_.notes.values_list("pk", flat=True), key=str)
    per_code, overall, disagreements = agreement(units, used, first, second)
    return RoundResults(per_code, overall, disagreements)
