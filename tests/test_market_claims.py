"""MODEL §10 scenario claims, each a paired experiment over 20 seeds with common random numbers:
the 95% interval of the mean paired difference must exclude 0 in the claimed direction."""

import pytest
from socialabm.scenarios import load_scenario

from socialabm.compare import paired_difference, paired_runs

N = 300
SEEDS = range(20)


def scenario(name, **extra):
    return {**load_scenario(name).parameters, "n_consumers": N, **extra}


def paired(a, b):
    return paired_difference(*paired_runs(a, b, SEEDS))


def assert_up(table, output):
    assert table.loc[output].ci_low > 0, table.loc[output]


def assert_down(table, output):
    assert table.loc[output].ci_high < 0, table.loc[output]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("a", "b", "up", "down"),
    [
        ("social_commerce", "presale", (), ("forecast_error", "leftover_share")),
        ("presale", "starvation_marketing", ("shares_per_buyer", "unfilled", "fan_loss"), ()),
        ("social_commerce", "integrated_scenes", ("sales_in_scene",), ("sales_jump",)),
    ],
    ids=["presale", "starvation", "integrated_scenes"],
)
def test_scenario_moves_outputs_in_the_claimed_direction(a, b, up, down):
    table = paired(scenario(a), scenario(b))
    for output in up:
        assert_up(table, output)
    for output in down:
        assert_down(table, output)


@pytest.mark.slow
def test_supplier_disruption_costs_fans():
    disrupted = scenario("supplier_disruption")
    table = paired({**disrupted, "disruption_prob": 0.0}, disrupted)
    assert_up(table, "fan_loss")


@pytest.mark.slow
def test_multi_sourcing_lowers_fan_loss_under_disruption():
    disrupted = scenario("supplier_disruption")
    table = paired(disrupted, {**disrupted, "multi_sourcing": True})
    assert table.loc["fan_loss", "diff"] < 0  # direction only: significant on some seeds (ODD §11)


@pytest.mark.slow
def test_experience_presale_more_orders_higher_presale_price():
    # experience units are a count: 60 of 500 consumers, as in the scenario's intent
    table = paired(
        scenario("presale", n_consumers=500), scenario("experience_presale", n_consumers=500)
    )
    assert_up(table, "presale_orders")
    assert_up(table, "presale_price")
    assert_down(table, "forecast_error")


@pytest.mark.slow
def test_bargaining_power_orders_wholesale_prices_by_channel():
    a, _ = paired_runs(scenario("bargaining_power"), scenario("bargaining_power"), range(8))
    order = ["self_built_social", "self_run", "trading_3p", "social_3p"]
    for low, high in zip(order, order[1:], strict=False):
        gap = a[f"wholesale_{high}"] - a[f"wholesale_{low}"]
        assert gap.mean() - 2 * gap.std(ddof=1) / len(gap) ** 0.5 > 0, (low, high)


@pytest.mark.slow
def test_platform_alliances_form_lower_wholesale_and_gain_share_against_giant():
    table = paired(scenario("social_commerce"), scenario("platform_alliance"))
    assert_up(table, "alliances_formed")
    assert table.loc["wholesale_self_built_social", "diff"] < 0  # lower, not significant (ODD §11)
    assert_up(table, "alliance_share_last_campaign")
    assert table.loc["giant_share_last_campaign", "diff"] < 0  # not significant (ODD §11)
