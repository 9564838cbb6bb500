"""The extension examples change behaviour, and per-agent and array decision forms agree."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # examples/ is a package at the repository root
    sys.path.insert(0, str(ROOT))

from socialabm.scenarios import load_scenario  # noqa: E402

from examples.debt_averse_consumer import DebtAverseConsumer, FastDebtAverseConsumer  # noqa: E402
from examples.dynamic_pricing_retailer import DynamicPricingRetailer  # noqa: E402
from examples.never_ally_platform import NeverAllyPlatform  # noqa: E402
from examples.strong_ties_sharer import StrongTiesSharer  # noqa: E402
from socialabm import Consumer, Platform, SocialCommerceModel  # noqa: E402
from socialabm.decisions import per_agent_overrides  # noqa: E402
from socialabm.parameters import ParameterError, validate  # noqa: E402
from socialabm.rules import consumer as rules  # noqa: E402

SMALL = {"n_consumers": 300, "campaign_days": 30, "n_campaigns": 2}


def run(seed: int = 1, **kwargs) -> SocialCommerceModel:
    model = SocialCommerceModel(**{**SMALL, **kwargs}, rng=seed)
    while model.running:
        model.step()
    return model


# -- debt-averse consumer -----------------------------------------------------------------------
def test_debt_averse_consumers_borrow_less():
    default, averse = run(), run(consumer_class=DebtAverseConsumer)
    assert averse.consumers.debt.sum() < default.consumers.debt.sum()
    assert averse.summary()["debt_per_consumer"] < default.summary()["debt_per_consumer"]


def test_per_agent_and_array_debt_aversion_give_identical_runs():
    slow = run(consumer_class=DebtAverseConsumer)
    fast = run(consumer_class=FastDebtAverseConsumer)
    assert slow.summary() == fast.summary()
    assert np.array_equal(slow.consumers.debt, fast.consumers.debt)


def test_class_given_as_module_string():
    model = SocialCommerceModel(
        n_consumers=50, consumer_class="examples.debt_averse_consumer:DebtAverseConsumer", rng=0
    )
    assert model.consumer_class is DebtAverseConsumer
    model = SocialCommerceModel(
        n_consumers=50,
        retailer_class="examples.dynamic_pricing_retailer:DynamicPricingRetailer",
        platform_class="examples.never_ally_platform:NeverAllyPlatform",
        rng=0,
    )
    assert all(isinstance(r, DynamicPricingRetailer) for r in model.retailers)
    assert all(isinstance(pl, NeverAllyPlatform) for pl in model.platforms)


def test_new_column_is_an_array_and_an_attribute():
    model = SocialCommerceModel(n_consumers=40, consumer_class=DebtAverseConsumer, rng=0)
    column = model.consumers.arrays["debt_aversion"]
    assert column.shape == (40,) and column.dtype == np.float64
    assert np.all(column == 0.8)
    assert model.consumers.debt_aversion is column
    agent = model.decisions.agent(3)
    assert isinstance(agent, DebtAverseConsumer)
    assert agent.debt_aversion == 0.8
    agent.debt_aversion = 0.25
    assert column[3] == 0.25 and agent.debt_aversion == 0.25
    assert "debt_aversion" in DebtAverseConsumer.columns and "cash" in DebtAverseConsumer.columns
    assert "debt_aversion" not in Consumer.columns  # the default class is untouched


def test_per_agent_override_is_detected():
    assert per_agent_overrides(Consumer) == set()
    assert per_agent_overrides(DebtAverseConsumer) == {"offer_utilities"}
    assert per_agent_overrides(FastDebtAverseConsumer) == set()

    class Shy(Consumer):
        def sharing_probability(self, scarcity: float) -> float:
            return 0.0

    assert per_agent_overrides(Shy) == {"sharing_probability"}
    model = SocialCommerceModel(n_consumers=30, consumer_class=Shy, rng=0)
    assert model.decisions.per_agent == {"sharing_probability"}
    probs = model.decisions.sharing_probability(np.arange(5), np.full(5, 0.5))
    assert np.array_equal(probs, np.zeros(5))


# -- dynamic pricing retailer -------------------------------------------------------------------
def test_dynamic_pricing_changes_later_prices_only():
    default, dynamic = run(), run(retailer_class=DynamicPricingRetailer)
    before = [r["price"] for r in default.market.campaign_records]
    after = [r["price"] for r in dynamic.market.campaign_records]
    n_r = len(default.retailers)
    assert before[:n_r] == after[:n_r]  # first campaign: nothing to learn from yet
    assert before[n_r:] != after[n_r:]


def test_dynamic_pricing_marks_up_after_sell_out():
    model = SocialCommerceModel(n_consumers=50, retailer_class=DynamicPricingRetailer, rng=0)
    retailer = model.retailers[0]
    wtp = np.linspace(20.0, 120.0, 50)
    base = retailer.choose_price(wtp)  # no record yet: the survey price
    record = {"retailer": retailer.name, "unfilled": 5, "order_quantity": 10, "leftover": 0}
    model.market.campaign_records.append({**record, "leftover_share": 0.0})
    assert retailer.choose_price(wtp) == pytest.approx(base * 1.15)
    model.market.campaign_records.append(
        {**record, "unfilled": 0, "leftover": 6, "leftover_share": 0.6}
    )
    assert retailer.choose_price(wtp) == pytest.approx(max(30.0, base * 0.85))


# -- never-ally platform ------------------------------------------------------------------------
def test_never_ally_platforms_form_no_alliance():
    params = {**load_scenario("platform_alliance").model_params(), "n_consumers": 300}
    default = SocialCommerceModel(**params, rng=1)
    never = SocialCommerceModel(**params, platform_class=NeverAllyPlatform, rng=1)
    for model in (default, never):
        while model.running:
            model.step()
    assert len(default.alliance_history) > 0
    assert never.alliance_history == [] and never.alliances == []
    assert never.summary()["alliances_formed"] == 0


# -- per-agent and array forms of the default decisions agree exactly -------------------------
_N = 12
_MODEL = SocialCommerceModel(n_consumers=_N, rng=0)
_N_R = len(_MODEL.retailers)
_unit = st.floats(0.0, 1.0, allow_nan=False)
_money = st.floats(0.0, 500.0, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(
    valuation=arrays(np.float64, _N, elements=_money),
    belief=arrays(np.float64, (_N, _N_R), elements=_unit),
    fan_of=arrays(np.int16, _N, elements=st.integers(-1, _N_R - 1)),
    loyalty=arrays(np.float64, _N, elements=_unit),
    restraint=arrays(np.float64, _N, elements=_unit),
    prices=arrays(np.float64, _N_R, elements=_money),
    path_cost=arrays(np.float64, (_N, _N_R), elements=st.floats(0.0, 10.0)),
    waiting_days=arrays(np.int64, _N, elements=st.integers(0, 30)),
    bonus=st.floats(0.0, 100.0),
    gain=st.floats(0.0, 100.0),
)
def test_willingness_to_pay_and_offer_utilities_forms_agree(
    valuation, belief, fan_of, loyalty, restraint, prices, path_cost, waiting_days, bonus, gain
):
    a, model = _MODEL.consumers.arrays, _MODEL
    a["valuation"][:], a["belief"][:], a["fan_of"][:] = valuation, belief, fan_of
    a["loyalty"][:], a["self_restraint"][:] = loyalty, restraint
    model.p["loyalty_bonus"], model.p["impulse_gain"] = bonus, gain
    idx = np.arange(_N)
    loyal = rules.fan_loyalty(fan_of[:, None], loyalty[:, None], np.arange(_N_R))
    wtp = Consumer.willingness_to_pay_array(model, idx, belief, loyal)
    agents = [model.decisions.agent(i) for i in idx]
    np.testing.assert_array_equal(
        np.array([c.willingness_to_pay(belief[i], loyal[i]) for i, c in enumerate(agents)]), wtp
    )
    asked = np.broadcast_to(prices, wtp.shape)
    array_form = Consumer.offer_utilities_array(model, idx, wtp, asked, path_cost, waiting_days)
    per_agent = np.array(
        [
            c.offer_utilities(wtp[i], prices, path_cost[i], waiting_days[i])
            for i, c in enumerate(agents)
        ]
    )
    np.testing.assert_array_equal(per_agent, array_form)


@settings(max_examples=60, deadline=None)
@given(
    dignity=arrays(np.float64, _N, elements=_unit),
    weak_share=arrays(np.float64, _N, elements=_unit),
    scarcity=arrays(np.float64, _N, elements=_unit),
    share_base=_unit,
    kappas=st.tuples(st.floats(0.0, 5.0), st.floats(0.0, 5.0), st.floats(0.0, 5.0)),
)
def test_sharing_probability_forms_agree(dignity, weak_share, scarcity, share_base, kappas):
    a, model = _MODEL.consumers.arrays, _MODEL
    a["dignity"][:], a["weak_share"][:] = dignity, weak_share
    model.p["share_base"] = share_base
    model.p["kappa_dignity"], model.p["kappa_weak"], model.p["kappa_scarcity"] = kappas
    idx = np.arange(_N)
    array_form = Consumer.sharing_probability_array(model, idx, scarcity)
    agents = [model.decisions.agent(i) for i in idx]
    per_agent = np.array(
        [c.sharing_probability(float(s)) for c, s in zip(agents, scarcity, strict=True)]
    )
    np.testing.assert_array_equal(per_agent, array_form)


# -- who sees a post: strong ties only ---------------------------------------------------------
def _post_links(model: SocialCommerceModel) -> tuple[int, int]:
    """Awareness made by a post (consumer, product, poster), split by the tie the post came
    through: (strong, weak)."""
    i, r = np.nonzero(model.consumers.aware_from >= 0)
    j = model.consumers.aware_from[i, r]
    strong = np.asarray(model.network.strong[i, j]).ravel() > 0
    return int(strong.sum()), int((~strong).sum())


def test_strong_ties_sharers_reach_no_weak_tie():
    params = {**load_scenario("social_commerce").model_params(), "n_consumers": 400}
    runs = {}
    for cls in (Consumer, StrongTiesSharer):
        model = SocialCommerceModel(**params, consumer_class=cls, rng=2)
        while model.running:
            model.step()
        runs[cls] = model
    strong, weak = _post_links(runs[Consumer])
    assert strong > 0 and weak > 0  # by default posts reach weak ties too
    strong, weak = _post_links(runs[StrongTiesSharer])
    assert strong > 0 and weak == 0
    assert runs[StrongTiesSharer].consumers.post_ties.max() == 1  # the decision was asked


def test_post_audience_forms_agree():
    class PerAgentStrongTies(StrongTiesSharer):
        def post_audience(self, retailer):
            return super().post_audience(retailer)

    assert per_agent_overrides(PerAgentStrongTies) == {"post_audience"}
    params = {**load_scenario("social_commerce").model_params(), "n_consumers": 200}
    fast = SocialCommerceModel(**params, consumer_class=StrongTiesSharer, rng=4)
    slow = SocialCommerceModel(**params, consumer_class=PerAgentStrongTies, rng=4)
    for model in (fast, slow):
        for _ in range(60):
            model.step()
    assert fast.summary() == pytest.approx(slow.summary(), nan_ok=True)


# -- the alliance decision, wholly overridable ---------------------------------------------------
class EagerAlly(Platform):
    """Accepts every proposed alliance, cooperative or not."""

    calls = 0

    def decides_to_ally(self, share, standalone):
        type(self).calls += 1
        return True


def test_a_platform_that_always_allies_does_so_even_when_not_cooperative():
    params = {**load_scenario("platform_alliance").model_params(), "n_consumers": 300}
    runs = {}
    for cls in (Platform, EagerAlly):
        model = SocialCommerceModel(**{**params, "adaptation": False}, platform_class=cls, rng=1)
        for pl in model.se_platforms:
            pl.cooperative = False  # the default decision refuses every alliance
        while model.running:
            model.step()
        runs[cls] = model
    assert runs[Platform].alliance_history == []
    assert EagerAlly.calls > 0 and len(runs[EagerAlly].alliance_history) > 0


# -- Mesa users' first overrides get a clear answer ----------------------------------------------
class SteppingConsumer(Consumer):
    def step(self):
        self.cash += 1.0


def test_a_consumer_class_defining_step_is_refused_with_the_way_out():
    with pytest.raises(ParameterError, match=r"consumer_class.*defines step\(\).*offer_utilities"):
        SocialCommerceModel(n_consumers=50, consumer_class=SteppingConsumer, rng=0)
    with pytest.raises(ParameterError, match="defines step"):
        validate({"consumer_class": f"{__name__}:SteppingConsumer"})


def test_stepping_a_consumer_says_how_a_day_runs():
    model = SocialCommerceModel(n_consumers=50, rng=0)
    with pytest.raises(NotImplementedError, match=r"model\.step\(\)"):
        model.agents_by_type[Consumer].shuffle_do("step")


def test_seed_points_to_rng():
    with pytest.raises(ParameterError, match=r"rng.*SocialCommerceModel\(rng=5\)"):
        SocialCommerceModel(seed=5)
