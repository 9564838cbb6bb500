import mesa
import numpy as np
import pandas as pd
import pytest
from socialabm.scenarios import load_scenario

from socialabm import Consumer, SocialCommerceModel

from .conftest import SMALL

SALE_KINDS = ("sale", "deposit", "presale_balance", "experience")


def run_days(model, days):
    for _ in range(days):
        model.step()
    return model


def test_same_seed_same_daily_frame_different_seed_differs():
    a = run_days(SocialCommerceModel(**SMALL, rng=7), 40).daily_frame()
    b = run_days(SocialCommerceModel(**SMALL, rng=7), 40).daily_frame()
    c = run_days(SocialCommerceModel(**SMALL, rng=8), 40).daily_frame()
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


def test_consumer_agents_are_views_of_the_arrays(small_model):
    consumers = small_model.agents_by_type[Consumer]
    assert len(consumers) == SMALL["n_consumers"]
    agent = next(iter(consumers))
    agent.cash = 123.5
    assert small_model.consumers.cash[agent.index] == 123.5
    small_model.consumers.dignity[agent.index] = 0.25
    assert agent.dignity == 0.25
    assert agent.belief.shape == (len(small_model.retailers),)


def check_invariants(model, bought_before):
    ledger, a = model.ledger, model.consumers.arrays
    scale = max(ledger.volume(), 1.0)
    assert abs(ledger.imbalance()) <= 1e-9 * scale
    assert ledger.balances["consumers"] == pytest.approx(a["cash"].sum(), rel=1e-9, abs=1e-6)
    lent, repaid = a["borrowed"].sum(), a["repaid"].sum()
    assert a["debt"].sum() == pytest.approx(lent + a["interest"].sum() - repaid, abs=1e-6)
    # per consumer: debt = borrowing + interest - repayments; never above what was borrowed
    np.testing.assert_allclose(a["debt"], a["borrowed"] + a["interest"] - a["repaid"], atol=1e-9)
    assert (a["debt"] >= -1e-9).all()
    assert ledger.balances["lender"] == pytest.approx(repaid - lent, rel=1e-9, abs=1e-6)
    assert (a["cash"] >= -1e-9).all()
    for kind in SALE_KINDS:  # consumer payments = retailer revenue
        assert ledger.total(kind, payer="consumers") == pytest.approx(
            ledger.total(kind, payee="retailer:"), rel=1e-12
        )
    assert ledger.total("wholesale", payer="retailer:") == pytest.approx(
        ledger.total("wholesale", payee="supplier:"), rel=1e-12
    )
    for r in model.retailers:
        assert r.units.balanced(), r.name
        assert r.presale_delivered <= r.presale_orders
    # per campaign: at most one unit of each retailer, at most campaign_units in all
    units = a["bought_campaign"].sum(axis=1)  # retailers bought from (or ordered) this campaign
    assert (units <= model.p["campaign_units"]).all()
    assert (a["purchases"] - bought_before <= units).all()
    for key in ("self_restraint", "vigilance", "loyalty", "social_use", "trading_use"):
        assert ((a[key] >= 0) & (a[key] <= 1)).all(), key
    assert ((a["belief"] >= 0) & (a["belief"] <= 1)).all()


@pytest.mark.parametrize(
    "scenario",
    [
        "social_commerce",
        "experience_presale",
        "starvation_marketing",
        "supplier_disruption",
        "platform_alliance",
    ],
)
@pytest.mark.parametrize("seed", [1, 2])
def test_invariants_hold_on_every_step(scenario, seed):
    params = {
        **load_scenario(scenario).parameters,
        "n_consumers": 300,
        "campaign_days": 40,
        "n_campaigns": 2,
        "debt_interest": 0.001,
    }
    model = SocialCommerceModel(**params, rng=seed)
    bought_before = model.consumers.purchases.copy()
    for _ in range(model.horizon):
        if model.day % model.p["campaign_days"] == 0:
            bought_before = model.consumers.purchases.copy()
        model.step()
        check_invariants(model, bought_before)
    assert model.summary()["sales"] > 0


def test_batch_run_drives_the_model():
    results = mesa.batch_run(
        SocialCommerceModel,
        parameters={
            "n_consumers": [150],
            "jump_friction": [0.1, 0.9],
            "campaign_days": 20,
            "n_campaigns": 1,
        },
        rng=[1],
        max_steps=20,
        number_processes=1,
        data_collection_period=-1,
        display_progress=False,
    )
    frame = pd.DataFrame(results)
    assert len(frame) == 2
    assert set(frame["jump_friction"]) == {0.1, 0.9}
    assert (frame["day"] == 20).all()


def test_batch_run_rows_of_every_day_are_that_days_outputs():
    """``mesa.batch_run`` finds each step's row through the collector's ``_collection_steps``,
    which :class:`socialabm.outputs.DailyCollector` keeps as Mesa's ``collect`` does."""
    results = mesa.batch_run(
        SocialCommerceModel,
        parameters={"n_consumers": [150], "campaign_days": 20, "n_campaigns": 1},
        rng=[1],
        max_steps=20,
        number_processes=1,
        data_collection_period=1,
        display_progress=False,
    )
    frame = pd.DataFrame(results)
    assert list(frame["Step"]) == list(range(1, 21))
    assert list(frame["day"]) == list(range(1, 21))
    model = SocialCommerceModel(n_consumers=150, campaign_days=20, n_campaigns=1, rng=1)
    for _ in range(20):
        model.step()
    assert list(frame["aware"]) == list(model.daily_frame()["aware"])


def test_a_run_without_its_daily_series_collects_none_and_sums_up_the_same(collected_days):
    from socialabm.experiments.runner import run_model

    days = collected_days
    kept = run_model(SMALL, seed=2, steps=20)
    assert days == list(range(21)) and len(kept.daily) == 20
    days.clear()
    dropped = run_model(SMALL, seed=2, steps=20, collect_daily=False)
    assert days == [0] and dropped.daily is None
    np.testing.assert_equal(dropped.summary, kept.summary)  # NaN where both are


def test_reporters_keep_the_daily_series_collected(collected_days):
    from socialabm.experiments.runner import run_model

    days = collected_days
    result = run_model(
        SMALL,
        seed=2,
        steps=20,
        collect_daily=False,
        reporters={"peak_aware": lambda model: model.daily_frame()["aware"].max()},
    )
    assert days == list(range(21)) and result.summary["peak_aware"] > 0


def test_a_stopped_collection_refuses_to_give_its_incomplete_series(small_model):
    small_model.step()
    small_model.datacollector.stop()
    small_model.step()
    assert len(small_model.datacollector.model_vars["day"]) == 1
    with pytest.raises(RuntimeError, match="not collected.*collect_daily=True"):
        small_model.daily_frame()


def test_summary_is_one_flat_row_of_numbers(small_model):
    run_days(small_model, 60)
    summary = small_model.summary()
    assert all(isinstance(v, float) for v in summary.values())
    row = pd.DataFrame([summary])
    assert len(row) == 1 and row.notna().all().all()


def test_consumer_states_cover_the_display_codes(small_model):
    run_days(small_model, 45)
    states = small_model.consumer_states()
    assert states.shape == (SMALL["n_consumers"],)
    assert set(np.unique(states)) <= set(range(6))
    assert {0, 1, 3} <= set(np.unique(states))
