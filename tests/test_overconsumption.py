"""Over-consumption (docs/ODD.md 7.4): a consumer who bought this campaign may buy another
retailer's product, if its utility clears ``satiation * self_restraint * price``."""

import numpy as np
import pytest
from socialabm.scenarios import load_scenario

from socialabm import SocialCommerceModel
from socialabm.rules import consumer as consumer_rules

SMALL = {"n_consumers": 300, "campaign_days": 40, "n_campaigns": 2, "campaign_units": 3}


def run(seed=4, **overrides):
    params = load_scenario("social_commerce").model_params(**{**SMALL, **overrides})
    model = SocialCommerceModel(**params, rng=seed)
    while model.running:
        model.step()
    return model


def test_the_satiation_hurdle_rises_with_self_restraint_and_the_price():
    utility = np.array([10.0, 10.0, 10.0, 10.0])
    price = np.array([40.0, 40.0, 10.0, 40.0])
    restraint = np.array([0.2, 0.3, 0.9, 0.0])
    # hurdles: 8, 12, 9, 0 CU
    got = consumer_rules.clears_restraint_hurdle(utility, price, restraint, weight=1.0)
    assert got.tolist() == [True, False, True, True]


def test_consumers_buy_more_than_one_product_only_through_over_consumption():
    on = run()
    off = run(campaign_units=1)  # the default
    assert on.summary()["overconsumption"] > 0
    assert off.summary()["overconsumption"] == 0
    assert (off.consumers.arrays["bought_campaign"].sum(axis=1) <= 1).all()
    # the extra units are real purchases, not relabelled ones
    assert on.consumers.purchases.sum() > off.consumers.purchases.sum()


def test_a_lower_satiation_hurdle_gives_more_over_consumption_and_more_debt():
    sated, hungry = run(satiation=5.0).summary(), run(satiation=0.0).summary()
    assert hungry["overconsumption"] > 2 * max(sated["overconsumption"], 1)
    assert hungry["debt_per_consumer"] > sated["debt_per_consumer"]


def test_over_consumption_needs_low_self_restraint():
    """Restraint held fixed (no erosion): highly restrained consumers face a satiation hurdle
    near the whole price and rarely buy a second product; loosely restrained ones often do."""
    fixed = {"rho_use": 0.0, "rho_share": 0.0}
    restrained = run(self_restraint_mean=0.95, **fixed).summary()
    loose = run(self_restraint_mean=0.2, **fixed).summary()
    assert loose["overconsumption_share"] > 3 * restrained["overconsumption_share"]


@pytest.mark.parametrize("units", [2, 3])
def test_no_consumer_buys_one_retailer_twice_in_a_campaign(units):
    params = load_scenario("social_commerce").model_params(
        **{**SMALL, "satiation": 0.0, "campaign_units": units}
    )
    model = SocialCommerceModel(**params, rng=2)
    a = model.consumers.arrays
    days = model.p["campaign_days"]
    while model.running:
        if model.day % days == 0:
            received_before, counted = a["purchases"].copy(), 0
        model.step()
        counted += model.market.today["overconsumption"]
        bought = a["bought_campaign"].sum(axis=1)  # retailers bought from this campaign
        assert bought.max() <= units
        assert (a["purchases"] - received_before <= bought).all()
        # every unit beyond a consumer's first is counted once, each at another retailer
        assert counted == np.maximum(bought - 1, 0).sum()
    assert model.summary()["overconsumption"] > 0
