"""The program's sample: build it from the plan, swap a student, read how representative it is."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q

from participants.attributes import BUILT_IN_CRITERIA, category_label, criterion_label, extra_criteria, roster_units
from participants.models import Student
from participants.sampling import GapRow, Minimum, SampleRequest, Unit, choose_sample, largest_gap, representativeness
from programs.models import Program
from recruitment.models import CommunityShare, ConsentStatus, Invitation, InvitationStatus, SamplePlan

DEFAULT_CRITERIA = ["school", "grade", "gender", "race_ethnicity", "english_learner", "special_education", "gpa_band"]


@dataclass(frozen=True)
class ShownGap:
    category: str
    population_percent: float
    sample_percent: float
    sample_count: int
    gap_points: float
    flagged: bool


@dataclass(frozen=True)
class CriterionTable:
    key: str
    label: str
    rows: list[ShownGap]


def _shown(row: GapRow, tolerance: float) -> ShownGap:
    return ShownGap(
        category=category_label(row.category),
        population_percent=round(row.population_share * 100, 1),
        sample_percent=round(row.sample_share * 100, 1),
        sample_count=row.sample_count,
        gap_points=row.gap_points,
        flagged=abs(row.gap_points) > tolerance,
    )


@dataclass(frozen=True)
class MissingCategory:
    criterion: str
    category: str
    population_percent: float
    sample_count: int

    @property
    def absent(self) -> bool:
        return self.sample_count == 0


@dataclass(frozen=True)
class Representativeness:
    tables: list[CriterionTable]
    largest_gap_points: float
    tolerance_points: float
    missing: list[MissingCategory]
    sample_size: int


def population_for(program: Program):
    return (Student.objects.filter(school__in=program.schools.all())
            .select_related("school").prefetch_related("groups").order_by("pk"))


def population_units(program: Program) -> list[Unit]:
    """The students of the program's schools as the sampler sees them, in `population_for`'s order."""
    return roster_units(Student.objects.filter(school__in=program.schools.all()).order_by("pk"))


def invitation_list(*, program: Program, search: str = ""):
    """The invited students in the roster's order (school, last name), those whose name or id has `search`."""
    invitations = Invitation.objects.filter(program=program).select_related("student", "student__school")
    if search:
        invitations = invitations.filter(Q(student__first_name__icontains=search) | Q(student__last_name__icontains=search)
                                         | Q(student__local_id__icontains=search) | Q(student__pseudonym__icontains=search))
    return invitations.order_by("student__school__name", "student__last_name", "student__first_name", "pk")


def invitation_totals(*, program: Program) -> dict[str, int]:
    """How many students are invited, and how many of them have both consent and assent (one query)."""
    granted = Q(parent_consent=ConsentStatus.GRANTED, student_assent=ConsentStatus.GRANTED)
    return Invitation.objects.filter(program=program).order_by().aggregate(
        invited=Count("pk"), consented=Count("pk", filter=granted))


def plan_for(program: Program) -> SamplePlan:
    """The saved plan, or an unsaved default one (saved when the lead first builds a sample)."""
    return SamplePlan.objects.filter(program=program).first() or SamplePlan(program=program, criteria=DEFAULT_CRITERIA)


def available_criteria(program: Program) -> list[tuple[str, str]]:
    """(key, label) of every criterion, labels in the language now active."""
    built_in = [(c.key, str(c.label)) for c in BUILT_IN_CRITERIA]
    # Each distinct dictionary once: the roster has thousands of students and a handful of shapes.
    attributes = (Student.objects.filter(school__in=program.schools.all()).order_by()
                  .values_list("extra_attributes", flat=True).distinct())
    return built_in + [(c.key, c.label) for c in extra_criteria(attributes)]


def community_targets(program: Program) -> dict[str, dict[str, float]]:
    targets: dict[str, dict[str, float]] = defaultdict(dict)
    for share in CommunityShare.objects.filter(program=program):
        targets[share.criterion][share.category] = float(share.percent) / 100
    return dict(targets)


def _request(plan: SamplePlan, program: Program, *, locked: frozenset, excluded: frozenset) -> SampleRequest:
    minimums = []
    if plan.min_per_school:
        minimums.append(Minimum("school", plan.min_per_school))
    if plan.min_per_group:
        minimums.append(Minimum("group", plan.min_per_group))
    return SampleRequest(
        size=plan.size, criteria=list(plan.criteria), minimums=minimums, locked=locked, excluded=excluded,
        seed=plan.seed, targets=community_targets(program) if plan.use_community_shares else None,
    )


@transaction.atomic
def build_sample(*, program: Program, excluded: frozenset = frozenset()) -> list[int]:
    """Choose the sample and invite it. Students who are locked or whose consent has moved on stay.

    Raises participants.sampling.SamplingInfeasible when the plan cannot be met.
    """
    plan = plan_for(program)
    invitations = list(Invitation.objects.filter(program=program))
    kept = {i.student_id for i in invitations
            if i.locked or i.parent_consent != ConsentStatus.PENDING or i.student_assent != ConsentStatus.PENDING
            or i.status != InvitationStatus.INVITED} - excluded
    population = population_units(program)
    result = choose_sample(population, _request(plan, program, locked=frozenset(kept), excluded=excluded))
    chosen = set(result.ids)
    Invitation.objects.filter(program=program).exclude(student_id__in=chosen).delete()
    existing = {i.student_id for i in invitations}
    Invitation.objects.bulk_create([Invitation(program=program, student_id=s) for s in chosen - existing])
    return sorted(chosen)


def swap_out(*, program: Program, student_id: int) -> list[int]:
    """Take one student out of the sample and let the sampler fill the seat and re-balance."""
    Invitation.objects.filter(program=program, student_id=student_id).update(locked=False)
    return build_sample(program=program, excluded=frozenset({student_id}))


def representativeness_of(program: Program) -> Representativeness:
    plan = plan_for(program)
    population = population_units(program)
    invited = set(Invitation.objects.filter(program=program).order_by().values_list("student_id", flat=True))
    sample = [u for u in population if u.id in invited]
    targets = community_targets(program) if plan.use_community_shares else None
    rows = representativeness(population=population, sample=sample, criteria=list(plan.criteria), targets=targets)
    tolerance = plan.tolerance_points
    tables = [
        CriterionTable(key, criterion_label(key), [_shown(r, tolerance) for r in rows if r.criterion == key])
        for key in plan.criteria
    ]
    missing = [
        MissingCategory(r.criterion, category_label(r.category), round(r.population_share * 100, 1), r.sample_count)
        for r in rows
        if r.population_share > 0 and (r.sample_count == 0 or r.gap_points < -tolerance)
    ]
    return Representativeness(tables, largest_gap(rows), tolerance, missing, len(sample))
