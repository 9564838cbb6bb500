"""Presale orders past their delivery deadline (socialabm.market.cancellation, docs/ODD.md 7.10):
cancelled, refunded once, the customer free to shop again, fans and reviews reacting."""

from functools import cache

import numpy as np
import pytest
from socialabm.scenarios import load_scenario

from socialabm import SocialCommerceModel
from socialabm.market.cancellation import cancel

SOCIAL_3P, SELF_BUILT = 2, 3
"""The retailers of supplier_1, the only supplier disrupted here."""


@cache
def first_campaign(deadline: int) -> SocialCommerceModel:
    """supplier_disruption at 200 consumers with supplier_1 disrupted all the time, run through
    its first campaign's close (day 60): supplier_1's retailers never make a unit."""
    params = load_scenario("supplier_disruption").model_params(
        n_consumers=200,
        disrupted_supplier="supplier_1",
        disruption_prob=1.0,
        disruption_days=365,
        presale_deadline=deadline,
    )
    model = SocialCommerceModel(**params, rng=3)
    for _ in range(model.calendar.campaign_days):
        model.step()
    return model


def test_orders_a_disruption_leaves_unfilled_are_cancelled_on_the_deadline_day_only():
    model = first_campaign(7)
    record = {r["retailer"]: r for r in model.market.campaign_records}
    for r in model.retailers:
        orders = record[r.name]["presale_orders"]
        cancelled = record[r.name]["presale_cancelled"]
        if r.index in (SOCIAL_3P, SELF_BUILT):  # nothing made: every order is cancelled
            assert orders > 0 and cancelled == orders
        else:
            assert cancelled == 0
    summary = model.summary()
    assert summary["presale_cancelled"] == sum(r["presale_cancelled"] for r in record.values())
    assert first_campaign(0).summary()["presale_cancelled"] == 0  # no deadline: none


@pytest.mark.parametrize("deadline", [7, 0])
def test_a_refunded_deposit_is_counted_once_and_no_balance_is_paid(deadline):
    model = first_campaign(deadline)
    ledger = model.ledger
    for r in (model.retailers[SOCIAL_3P], model.retailers[SELF_BUILT]):
        deposits = ledger.total("deposit", payee=r.account)
        assert deposits > 0
        assert ledger.total("refund", payer=r.account) == pytest.approx(deposits)
        assert ledger.total("presale_balance", payee=r.account) == 0
    assert abs(ledger.imbalance()) < 1e-6  # money is conserved
    assert all(r.units.balanced() for r in model.retailers)


def test_cancelled_customers_are_free_to_shop_and_rate_the_cancellation_one_star():
    model = first_campaign(7)
    stars = model.market.stars[[SOCIAL_3P, SELF_BUILT]]
    assert stars[:, 0].sum() > 0 and stars[:, 1:].sum() == 0  # never delivered: only cancellations
    assert (first_campaign(0).market.stars[[SOCIAL_3P, SELF_BUILT]] == 0).all()


def test_cancelled_fans_lose_loyalty():
    model = SocialCommerceModel(
        **load_scenario("supplier_disruption").model_params(n_consumers=200, presale_deadline=7),
        rng=0,
    )
    for _ in range(model.calendar.selling_start):
        model.step()
    r = model.retailers[SELF_BUILT]
    customers = np.flatnonzero(model.consumers.arrays["ordered_from"] == r.index)
    assert customers.size > 0
    a = model.consumers.arrays
    a["fan_of"][customers] = r.index
    a["loyalty"][customers] = 1.0
    cancel(model.market, r, customers)
    assert np.allclose(a["loyalty"][customers], 1.0 - model.p["loyalty_loss"])
    assert (a["ordered_from"][customers] == -1).all() and not a["bought"][customers].any()
    k = customers.size
    assert r.presale_cancelled == k and r.owed_presale == r.presale_orders - r.presale_delivered - k
    assert model.market.today["presale_cancelled"] == k
