"""Group purchase (docs/ODD.md 7.21): a failed group charges nobody, a succeeded one is paid
once through escrow, money and units are conserved, and the join decision is the consumer's."""

from __future__ import annotations

import numpy as np
import pytest

from socialabm import Consumer, SocialCommerceModel
from socialabm.market import group_purchase
from socialabm.market.group_purchase import ESCROW, NO_GROUP
from socialabm.schedule import SCHEDULE

from .test_model import check_invariants

GROUPS = {"n_consumers": 300, "group_purchase": True, "group_start_rate": 0.3, "n_campaigns": 1}


def selling_model(seed: int = 2, **params) -> SocialCommerceModel:
    """A model on the first day of its selling window, run up to (not including) its
    ``form_groups`` phase: no group has been started yet."""
    model = SocialCommerceModel(**{**GROUPS, **params}, rng=seed)
    while model.day < model.calendar.selling_start:
        model.step()
    for phase in SCHEDULE:
        if phase.name == "group_purchase.form_groups":
            return model
        if phase.acts_today(model.market):
            phase.run(model.market)
    raise AssertionError("no form_groups phase")


def run(seed: int = 1, **params) -> SocialCommerceModel:
    model = SocialCommerceModel(**{**GROUPS, **params}, rng=seed)
    bought_before = model.consumers.purchases.copy()
    while model.running:
        model.step()
        check_invariants(model, bought_before)
        bought_before = model.consumers.purchases.copy()
    return model


def test_off_by_default_nothing_happens():
    model = SocialCommerceModel(n_consumers=150, n_campaigns=1, rng=1)
    while model.running:
        model.step()
    s = model.summary()
    assert s["groups_started"] == s["group_invitations"] == s["group_members"] == 0
    assert model.ledger.balances[ESCROW] == 0
    assert (model.consumers.group_of == NO_GROUP).all()


def test_a_failed_group_charges_nobody_and_hands_over_nothing():
    model = selling_model(debt_interest=0.0)
    market, a = model.market, model.consumers.arrays
    assert market.window == "selling" and market.groups.id.size == 0
    worth = a["cash"] - a["debt"]
    balances = dict(model.ledger.balances)
    sold = [r.units.sold for r in model.retailers]
    group_purchase.form_groups(market)
    members = np.flatnonzero(a["group_of"] != NO_GROUP)
    assert members.size > 0 and market.groups.id.size > 0
    paid = worth[members] - (a["cash"] - a["debt"])[members]
    assert (paid > 0).all()  # each member paid its group price into escrow
    assert model.ledger.balances[ESCROW] == pytest.approx(paid.sum())
    market.groups.members[:] = 1  # nobody filled up ...
    market.groups.deadline[:] = model.day  # ... by the deadline: every group fails
    group_purchase.settle_groups(market)
    np.testing.assert_allclose(a["cash"] - a["debt"], worth, rtol=0, atol=1e-9)
    assert model.ledger.balances[ESCROW] == pytest.approx(0.0, abs=1e-9)
    for account, before in balances.items():
        if account != "consumers" and account != "lender":
            assert model.ledger.balances[account] == pytest.approx(before), account
    assert [r.units.sold for r in model.retailers] == sold
    assert (a["group_of"] == NO_GROUP).all() and market.groups.id.size == 0
    assert not a["bought"][members].any()  # free to shop again
    assert market.today["group_refunds"] == members.size
    # refunded once: the refunds equal the payments
    assert model.ledger.total("refund", payer=ESCROW) == pytest.approx(
        model.ledger.total("group_payment", payee=ESCROW)
    )


def test_money_and_units_are_conserved_and_escrow_settles_every_group():
    model = run(group_size=2)
    s, ledger = model.summary(), model.ledger
    assert s["groups_succeeded"] > 0 and s["groups_failed"] > 0
    assert s["groups_started"] == s["groups_succeeded"] + s["groups_failed"]
    assert ledger.balances[ESCROW] == pytest.approx(0.0, abs=1e-6)
    paid = ledger.total("group_payment", payer="consumers", payee=ESCROW)
    delivered = ledger.total("group_sale", payer=ESCROW, payee="retailer:")
    refunded = ledger.total("refund", payer=ESCROW)
    assert paid == pytest.approx(delivered + refunded)
    assert s["group_refunded"] == pytest.approx(refunded)
    assert s["group_sales"] == 2 * s["groups_succeeded"]  # full groups only
    assert s["group_members"] == s["group_sales"] + s["group_refunds"]
    assert (model.consumers.group_of == NO_GROUP).all()


def test_group_price_is_the_regular_price_less_the_discount_and_no_giant_groups():
    model = selling_model(group_discount=0.25)
    market = model.market
    prices = group_purchase.group_prices(market)
    on_giant = market.platform_of == 0
    assert np.isnan(prices[on_giant]).all()
    np.testing.assert_allclose(prices[~on_giant], 0.75 * market.regular_prices[~on_giant])


def test_invitations_go_to_the_starters_ties_who_read_the_feed():
    model = selling_model()
    market = model.market
    group_purchase.form_groups(market)
    book = market.groups
    assert book.id.size > 0
    invitee, group = group_purchase.invitations(market)
    ties = (model.network.strong + model.network.weak).tocsr()
    for k in range(min(book.id.size, 5)):
        starter = book.starter[k]
        expected = ties.indices[ties.indptr[starter] : ties.indptr[starter + 1]]
        expected = expected[market.reads_feed[expected]]
        assert sorted(invitee[group == k]) == sorted(expected)


class NeverJoins(Consumer):
    def joins_group(self, utility, now):  # per-agent override
        return False


class SameAsDefault(Consumer):
    def joins_group(self, utility, now):
        return super().joins_group(utility, now)


def test_the_join_decision_is_the_consumers_and_runs_per_agent_when_overridden():
    never = run(consumer_class=NeverJoins, n_consumers=150)
    assert never.summary()["groups_started"] == 0
    assert never.summary()["group_invitations"] == 0
    per_agent = SocialCommerceModel(**{**GROUPS, "n_consumers": 150}, consumer_class=SameAsDefault,
                                    rng=4)  # fmt: skip
    array = SocialCommerceModel(**{**GROUPS, "n_consumers": 150}, rng=4)
    assert "joins_group" in per_agent.decisions.per_agent
    for model in (per_agent, array):
        while model.running:
            model.step()
    assert per_agent.summary() == pytest.approx(array.summary(), nan_ok=True)
    assert array.summary()["group_members"] > 0
