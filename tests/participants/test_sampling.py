from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from participants.sampling import (
    Minimum,
    SampleRequest,
    SamplingInfeasible,
    Unit,
    choose_sample,
    largest_gap,
    population_shares,
    representativeness,
)


def unit(uid, **features):
    return Unit(id=uid, features={k: frozenset(v if isinstance(v, (set, frozenset)) else {v}) for k, v in features.items()})


def roster(n=300, seed=3):
    rng = random.Random(seed)
    return [
        unit(i, school=rng.choice(["A", "A", "B"]), grade=rng.choice(["9", "10", "11", "12"]),
             el=rng.choices(["Yes", "No"], weights=[2, 8])[0], group=rng.choice(["AVID", "Robotics", "None", "None"]))
        for i in range(n)
    ]


def test_shares_count_each_category_once_per_unit():
    units = [unit(1, race={"Asian", "White"}), unit(2, race="White")]
    assert population_shares(units, ["race"]) == {"race": {"Asian": 0.5, "White": 1.0}}


def test_the_sample_has_the_requested_size_without_duplicates():
    result = choose_sample(roster(), SampleRequest(size=40, criteria=["school", "grade", "el"], seed=1))
    assert len(result.ids) == 40 == len(set(result.ids))


def test_the_same_seed_gives_the_same_sample_and_another_seed_may_not():
    request = SampleRequest(size=30, criteria=["school", "grade", "el"], seed=5)
    assert choose_sample(roster(), request).ids == choose_sample(roster(), request).ids
    other = SampleRequest(size=30, criteria=["school", "grade", "el"], seed=6)
    assert set(choose_sample(roster(), other).ids) != set(choose_sample(roster(), request).ids)


def test_the_sample_tracks_the_population_far_better_than_chance():
    population = roster(600)
    criteria = ["school", "grade", "el", "group"]
    result = choose_sample(population, SampleRequest(size=40, criteria=criteria, seed=2))
    rng = random.Random(0)
    chance = [largest_gap(representativeness(population=population, sample=rng.sample(population, 40), criteria=criteria))
              for _ in range(50)]
    assert result.largest_gap_points <= sum(chance) / len(chance) / 2


def test_locked_students_stay_and_excluded_students_never_appear():
    population = roster()
    locked, excluded = frozenset({0, 1, 2}), frozenset(range(3, 60))
    result = choose_sample(population, SampleRequest(size=25, criteria=["school"], locked=locked, excluded=excluded))
    assert locked <= set(result.ids)
    assert not excluded & set(result.ids)


def test_minimums_are_met_even_for_rare_groups():
    population = [unit(i, group="Common") for i in range(100)] + [unit(100 + i, group="Rare") for i in range(3)]
    result = choose_sample(population, SampleRequest(size=10, criteria=[], minimums=[Minimum("group", 2, "Rare")]))
    assert sum(1 for i in result.ids if i >= 100) >= 2


def test_every_category_minimum_covers_each_school():
    population = [unit(i, school="Big") for i in range(200)] + [unit(200, school="Tiny")]
    result = choose_sample(population, SampleRequest(size=5, criteria=["school"], minimums=[Minimum("school", 1)]))
    assert 200 in result.ids


def test_more_groups_than_seats_is_reported_clearly():
    population = [unit(i, school=f"S{i % 6}") for i in range(60)]
    with pytest.raises(SamplingInfeasible) as refusal:
        choose_sample(population, SampleRequest(size=4, criteria=["school"], minimums=[Minimum("school", 1)]))
    assert "need 6 seats (6 categories) but the sample has 4" in refusal.value.problems[0]


def test_a_minimum_larger_than_the_category_is_reported():
    population = [unit(i, group="A") for i in range(20)] + [unit(20, group="B")]
    with pytest.raises(SamplingInfeasible) as refusal:
        choose_sample(population, SampleRequest(size=10, criteria=["group"], minimums=[Minimum("group", 2, "B")]))
    assert "only 1 such student can be chosen" in str(refusal.value)


def test_too_many_locked_students_is_reported():
    with pytest.raises(SamplingInfeasible, match="more than the 2 seats"):
        choose_sample(roster(), SampleRequest(size=2, criteria=["school"], locked=frozenset({1, 2, 3})))


def test_community_targets_replace_the_roster_shares():
    population = [unit(i, el="Yes" if i < 10 else "No") for i in range(100)]
    result = choose_sample(population, SampleRequest(size=20, criteria=["el"], targets={"el": {"Yes": 0.5, "No": 0.5}}))
    yes = next(r for r in result.rows if r.category == "Yes")
    assert yes.sample_count == 10 and yes.population_share == 0.5 and yes.population_count is None


def test_gap_rows_give_points():
    population = [unit(i, el="Yes" if i < 20 else "No") for i in range(100)]
    rows = representativeness(population=population, sample=population[:10], criteria=["el"])
    yes = next(r for r in rows if r.category == "Yes")
    assert yes.gap_points == 80.0


@settings(max_examples=40, deadline=None)
@given(
    sizes=st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=5, max_size=60),
    size=st.integers(min_value=1, max_value=20),
    seed=st.integers(min_value=0, max_value=1000),
)
def test_any_population_gives_a_valid_sample_or_a_clear_refusal(sizes, size, seed):
    population = [unit(i, cat=c) for i, c in enumerate(sizes)]
    request = SampleRequest(size=size, criteria=["cat"], minimums=[Minimum("cat", 1)], seed=seed)
    try:
        result = choose_sample(population, request)
    except SamplingInfeasible as refusal:
        assert refusal.problems
        return
    assert len(result.ids) == size == len(set(result.ids))
    assert {population[i].features["cat"] for i in result.ids} == {frozenset({c}) for c in set(sizes)}
