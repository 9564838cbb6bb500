"""Consumer decisions: per-agent and array forms agree, and the dispatcher runs the form the
most derived class defines (issue: per-agent overrides under an array-form override)."""

from __future__ import annotations

import numpy as np
import pytest

from socialabm import Consumer, SocialCommerceModel
from socialabm.decisions import decision, decisions_of, per_agent_overrides

SMALL = {"n_consumers": 300, "campaign_days": 30, "n_campaigns": 2}
STRESS = {  # every decision has work to do: stock-outs, in-app ordering, credit, reviews,
    **SMALL,  # over-consumption
    "campaign_units": 3,
    "presale_mode": "presale",
    "starvation": True,
    "release_cap": 2,
    "integrate_social": True,
    "cash_mean": 20.0,
    "group_purchase": True,
    "group_start_rate": 0.2,
}


class EveryDecisionPerAgent(Consumer):
    """Overrides every per-agent method with the default formula (via super)."""

    def sharing_probability(self, scarcity):
        return super().sharing_probability(scarcity)

    def willingness_to_pay(self, belief, loyalty):
        return super().willingness_to_pay(belief, loyalty)

    def offer_utilities(self, wtp, prices, path_cost, waiting_days):
        return super().offer_utilities(wtp, prices, path_cost, waiting_days)

    def post_audience(self, retailer):
        return super().post_audience(retailer)

    def in_scene_probability(self, retailer):
        return super().in_scene_probability(retailer)

    def borrows(self, utility, price):
        return super().borrows(utility, price)

    def buys_again(self, utility, price):
        return super().buys_again(utility, price)

    def repayment(self, income):
        return super().repayment(income)

    def stockout_response(self, draw):
        return super().stockout_response(draw)

    def review(self, honest, draw):
        return super().review(honest, draw)

    def joins_group(self, utility, now):
        return super().joins_group(utility, now)


def run(consumer_class=Consumer, seed=3, **params):
    model = SocialCommerceModel(**{**STRESS, **params}, consumer_class=consumer_class, rng=seed)
    while model.running:
        model.step()
    return model


def test_every_decision_per_agent_gives_the_same_run_as_the_array_forms():
    assert per_agent_overrides(EveryDecisionPerAgent) == set(decisions_of(Consumer))
    fast, slow = run(), run(EveryDecisionPerAgent)
    summary = fast.summary()
    assert summary["stockout_delay"] > 0 and summary["credit_purchases"] > 0
    assert summary["sales_in_scene"] > 0 and summary["reviews"] > 0
    assert summary["overconsumption"] > 0 and summary["group_members"] > 0
    assert slow.summary() == summary
    for column in ("cash", "debt", "self_restraint", "fan_of", "shares"):
        np.testing.assert_array_equal(slow.consumers.arrays[column], fast.consumers.arrays[column])


class Bragger(Consumer):
    """Shares always, in array form (the fast path)."""

    @classmethod
    def sharing_probability_array(cls, model, idx, scarcity):
        return np.ones(len(idx))


class ShyBragger(Bragger):
    """Overrides only the per-agent form, below the array-form override: must run per agent."""

    def sharing_probability(self, scarcity):
        return 0.0


class FastShyBragger(ShyBragger):
    """Restores an array form below the per-agent one: the array form runs again."""

    @classmethod
    def sharing_probability_array(cls, model, idx, scarcity):
        return np.zeros(len(idx))


def test_dispatch_follows_the_class_hierarchy():
    assert per_agent_overrides(Bragger) == set()
    assert per_agent_overrides(ShyBragger) == {"sharing_probability"}
    assert per_agent_overrides(FastShyBragger) == set()
    params = {"presale_mode": "none", "starvation": False}
    assert run(Bragger, **params).summary()["shares"] > 100
    assert run(ShyBragger, **params).summary()["shares"] == 0
    assert run(FastShyBragger, **params).summary()["shares"] == 0


class NeverBorrows(Consumer):
    def borrows(self, utility, price):
        return False


class AlwaysDelays(Consumer):
    @classmethod
    def stockout_response_array(cls, model, idx, draw):
        return np.full(len(idx), 2, dtype=np.int8)  # delay


class SilentReviewer(Consumer):
    def review(self, honest, draw):
        return 0


class NeverInScene(Consumer):
    @classmethod
    def in_scene_probability_array(cls, model, idx, retailer):
        return np.zeros(len(idx))


@pytest.mark.parametrize(
    ("cls", "output", "expected"),
    [
        (NeverBorrows, "credit_purchases", 0),
        (AlwaysDelays, "stockout_give_up", 0),
        (AlwaysDelays, "stockout_switch", 0),
        (SilentReviewer, "reviews", 0),
    ],
)
def test_each_new_decision_can_be_overridden(cls, output, expected):
    assert run(cls).summary()[output] == expected
    assert run().summary()[output] != expected  # the default does use the decision


def test_in_scene_choice_override_sends_post_readers_to_jump():
    default, never = run(), run(NeverInScene)
    assert default.market.totals["sales_post_in_scene"] > 0
    assert never.market.totals["sales_post_in_scene"] == 0
    assert never.market.totals["attempts_jump"] > default.market.totals["attempts_jump"]


class Thrifty(Consumer):
    """A new decision, declared in two forms (docs/extending.md, "Adding a decision")."""

    @decision(float)
    def savings_share(self, cash):
        return 0.5 * self.self_restraint

    @classmethod
    def savings_share_array(cls, model, idx, cash):
        return 0.5 * model.consumers.arrays["self_restraint"][idx]


class SlowThrifty(Thrifty):
    def savings_share(self, cash):
        return 0.25


def test_a_new_decision_is_dispatched_like_the_built_in_ones():
    assert "savings_share" in decisions_of(Thrifty)
    model = SocialCommerceModel(n_consumers=50, consumer_class=Thrifty, rng=0)
    idx = np.arange(6)
    expected = 0.5 * model.consumers.self_restraint[idx]
    np.testing.assert_array_equal(model.decisions.savings_share(idx, np.zeros(6)), expected)
    slow = SocialCommerceModel(n_consumers=50, consumer_class=SlowThrifty, rng=0)
    assert slow.decisions.per_agent == {"savings_share"}
    np.testing.assert_array_equal(slow.decisions.savings_share(idx, np.zeros(6)), np.full(6, 0.25))


def test_a_decision_without_array_form_is_refused_at_definition():
    with pytest.raises(TypeError, match="savings_share_array"):

        class Incomplete(Consumer):
            @decision(float)
            def savings_share(self, cash):
                return 0.0


def test_an_unknown_decision_is_an_attribute_error():
    model = SocialCommerceModel(n_consumers=30, rng=0)
    with pytest.raises(AttributeError, match="no decision 'savings_share'"):
        model.decisions.savings_share(np.arange(3), np.zeros(3))
