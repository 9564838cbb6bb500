"""Market-side behaviour that is a calibration or a property rather than a mechanism claim (the
claims, with their ablations, are in the registry: tests/test_claims.py)."""

import numpy as np
import pandas as pd
import pytest
from socialabm.scenarios import load_scenario

from socialabm import SocialCommerceModel
from socialabm.experiments.runner import run_model
from socialabm.market.alliances import update_alliances

CHANNELS = ["self_built_social", "self_run", "trading_3p", "social_3p"]


def runs(scenario, seeds, **extra):
    params = {**load_scenario(scenario).parameters, "n_consumers": 300, **extra}
    rows = [run_model(params, seed=s, collect_daily=False).summary for s in seeds]
    return pd.DataFrame(rows)


@pytest.mark.slow
def test_bargaining_power_orders_wholesale_prices_by_channel_as_calibrated():
    """The scenario's certainty weight (3.5) is calibrated so that the self-built social
    retailer with presale pays least (docs/ODD.md 7.15); at the default weight it does not."""
    table = runs("bargaining_power", range(8))
    means = [table[f"wholesale_{c}"].mean() for c in CHANNELS]
    assert means == sorted(means), dict(zip(CHANNELS, means, strict=True))
    default = runs("bargaining_power", range(8), power_certainty=1.5)
    assert default["wholesale_self_built_social"].mean() > default["wholesale_self_run"].mean()


@pytest.mark.slow
def test_low_profit_social_ecommerce_margins_are_thin_against_the_giant():
    table = runs("low_profit", range(6))
    assert (table["margin_social_3p"] < table["margin_self_run"]).all()
    per_platform = table["payoff_social_ecommerce"] / 3  # three social e-commerce platforms
    assert (per_platform < table["payoff_giant"]).all()


def test_experience_units_are_shared_fairly_between_retailers():
    params = {**load_scenario("experience_presale").parameters, "n_consumers": 500}
    model = SocialCommerceModel(**params | {"experience_units": 60}, rng=1)  # candidates run short
    model.step()
    units = [r.units.experience for r in model.retailers]
    assert units == [60, 60, 60, 60]
    owners = model.consumers.owns >= 0  # day 0: only experience units have been received
    assert owners.sum() == 240  # one unit per consumer
    assert np.bincount(model.consumers.owns[owners], minlength=4).tolist() == units


@pytest.mark.slow
def test_platform_alliance_forms_in_most_seeds_and_at_the_app_default():
    params = {**load_scenario("platform_alliance").parameters, "n_consumers": 500}
    formed = {}
    for seed in [*range(10), 42]:
        model = SocialCommerceModel(**params, rng=seed)
        while model.running:
            model.step()
        formed[seed] = len(model.alliance_history) > 0
        left, joined = set(), set()
        for day, text in model.events:  # no platform leaves and rejoins on the same day
            if " left alliance" in text:
                left.add((day, text.split()[0]))
            if "(+" in text:
                names = text.split("(+")[1].rstrip(")").split(", ")
                joined |= {(day, name) for name in names}
        assert not left & joined
    assert formed[42]
    assert sum(formed.values()) >= 0.8 * len(formed)


def test_a_platform_joining_an_alliance_grows_it_instead_of_forming_another():
    params = {**load_scenario("platform_alliance").parameters, "n_consumers": 300}
    model = SocialCommerceModel(**{**params, "coordination_cost": 0.0}, rng=1)
    for _ in range(9):
        model.step()
    se1, se2, se3 = model.se_platforms
    for pl in (se1, se2, se3):
        pl.cooperative = False
    se1.cooperative = se2.cooperative = True
    update_alliances(model.market)
    assert len(model.alliance_history) == 1 and model.alliances[0].size == 2
    se3.cooperative = True
    update_alliances(model.market)
    if se3.alliance is not None:  # it joins only if it gains; then the same alliance grows
        assert len(model.alliance_history) == 1 and model.alliances[0].size == 3
        assert "grew" in model.events[-1][1]


def test_memoised_membership_rows_and_pay_days_follow_edits():
    """``member_rows`` and ``paid_on`` are kept in ``market.memo``; an edit of the memberships
    or the pay phases (as tests and scenarios make) is seen on the next call."""
    from socialabm.market.browsing import member_rows
    from socialabm.market.payments import paid_on

    model = SocialCommerceModel(n_consumers=50, rng=3)
    market = model.market
    assert (member_rows(market) == model.membership.T).all()
    assert member_rows(market).flags.c_contiguous
    model.membership[7, 2] = not model.membership[7, 2]
    assert (member_rows(market) == model.membership.T).all()
    phases = market.arrays["pay_phase"]
    for k in range(model.p["income_every"] + 1):  # the last phase is nobody's
        assert paid_on(market, k).tolist() == (phases == k).nonzero()[0].tolist()
    last = model.p["income_every"] - 1
    phases[[0, 9]] = last
    assert {0, 9} <= set(paid_on(market, last).tolist())
    assert paid_on(market, last).tolist() == (phases == last).nonzero()[0].tolist()
    assert not paid_on(market, 0).flags.writeable


def test_mean_stars_is_numpys_weighted_mean_to_the_bit():
    from socialabm.outputs import mean_stars

    rng = np.random.default_rng(6)
    for _ in range(200):
        counts = rng.integers(0, rng.choice([3, 1000, 10**9]), 5)
        want = float(counts @ np.arange(1, 6) / counts.sum()) if counts.sum() else float("nan")
        assert np.float64(mean_stars(counts)).tobytes() == np.float64(want).tobytes()
    assert np.isnan(mean_stars(np.zeros(5, dtype=np.int64)))


def test_a_derived_value_is_computed_once_until_its_source_changes():
    """``Market.derived`` recomputes only when the source's bytes change; ``review_means``
    follows an edit of the star counts through it."""
    from socialabm.market.reviews import review_means

    market = SocialCommerceModel(n_consumers=50, rng=3).market
    calls = []
    source = np.zeros(3)
    for _ in range(3):
        assert market.derived("probe", source, lambda: calls.append(1) or len(calls)) == 1
    source[1] = 2.0
    assert market.derived("probe", source, lambda: calls.append(1) or len(calls)) == 2
    assert len(calls) == 2
    has, mean_q, praise = review_means(market)
    assert not has.any()
    market.stars[0, 4] = 3  # three 5-star reviews of retailer 0
    has, mean_q, praise = review_means(market)
    assert has.tolist() == [True] + [False] * (has.size - 1)
    assert praise[0] == 1.0 and mean_q[0] > mean_q[1]
