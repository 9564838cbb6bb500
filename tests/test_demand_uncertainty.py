"""Demand uncertainty (docs/ODD.md 7.12): a campaign demand shock per retailer, drawn when
selling opens, which the retailer's forecast cannot see."""

import numpy as np

from socialabm import SocialCommerceModel

PARAMS = {"n_consumers": 200, "presale_mode": "presale", "n_campaigns": 2}


def to_day(model: SocialCommerceModel, day: int) -> SocialCommerceModel:
    while model.day < day:
        model.step()
    return model


def test_the_shock_is_drawn_when_selling_opens_and_the_forecast_cannot_see_it():
    cal = SocialCommerceModel(**PARAMS, rng=5).calendar
    certain = to_day(SocialCommerceModel(**PARAMS, rng=5), cal.selling_start + 1)
    shocked = SocialCommerceModel(**PARAMS, demand_uncertainty=0.5, rng=5)
    to_day(shocked, cal.selling_start)
    assert (shocked.market.demand_shock == 1.0).all()  # not drawn before selling opens
    shocked.step()
    shock = shocked.market.demand_shock
    assert (shock != 1.0).all() and (shock > 0).all()
    assert (certain.market.demand_shock == 1.0).all()  # none without uncertainty
    # the production order was placed before the draw, from the same survey
    orders = [[r.order_quantity for r in m.retailers] for m in (certain, shocked)]
    assert orders[0] == orders[1]
    to_day(shocked, cal.campaign_days + 1)  # the next campaign: back to 1 until selling opens
    assert (shocked.market.demand_shock == 1.0).all()


def test_the_shock_scales_willingness_to_pay_in_the_selling_window():
    from socialabm.market.shopping import offer_utilities

    cal = SocialCommerceModel(**PARAMS, rng=5).calendar
    model = to_day(
        SocialCommerceModel(**PARAMS, demand_uncertainty=0.5, rng=5), cal.selling_start + 1
    )
    market, idx = model.market, np.arange(20)
    shocked = offer_utilities(market, idx)
    shock = market.demand_shock.copy()
    market.demand_shock[:] = 1.0
    plain = offer_utilities(market, idx)
    a = model.consumers.arrays
    loyalty = np.where(a["fan_of"][idx, None] == np.arange(4), a["loyalty"][idx, None], 0.0)
    wtp = a["valuation"][idx, None] * a["belief"][idx] + model.p["loyalty_bonus"] * loyalty
    np.testing.assert_allclose(shocked - plain, wtp * (shock - 1.0)[None, :], atol=1e-9)
