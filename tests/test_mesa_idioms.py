"""What Mesa users do with a model works here: agents_by_type with subclasses, extra reporters,
agent reporters on every agent type, batch_run with the run summary, removing an agent."""

from __future__ import annotations

import math

import mesa
import pandas as pd
import pytest

from socialabm import Consumer, Platform, Retailer, SocialCommerceModel, Supplier
from socialabm.parameters import ParameterError

TINY = {"n_consumers": 60, "campaign_days": 20, "n_campaigns": 1}


class MyConsumer(Consumer):
    pass


def test_agents_by_type_finds_subclasses_and_exact_classes():
    model = SocialCommerceModel(**TINY, consumer_class=MyConsumer, rng=1)
    assert len(model.agents_by_type[Consumer]) == 60
    assert len(model.agents_by_type[MyConsumer]) == 60
    assert len(model.agents_by_type[Retailer]) == 4
    assert MyConsumer in model.agents_by_type and Consumer not in model.agents_by_type
    with pytest.raises(KeyError):
        model.agents_by_type[SocialCommerceModel]


def test_reporters_given_at_construction_and_added_later():
    model = SocialCommerceModel(
        **TINY, model_reporters={"cash": lambda m: float(m.consumers.cash.sum())}, rng=1
    )
    for _ in range(3):
        model.step()
    model.add_reporter("debtors", lambda m: int((m.consumers.debt > 0).sum()))
    model.step()
    frame = model.daily_frame()
    assert frame["cash"].iloc[-1] == pytest.approx(model.consumers.cash.sum())
    assert frame["debtors"].isna().tolist() == [True, True, True, False]
    with pytest.raises(ParameterError, match="has column"):
        model.add_reporter("sales", lambda m: 0)
    with pytest.raises(ParameterError, match="not callable"):
        model.add_reporter("x", 3)


def test_the_models_collector_gives_what_plain_mesa_collects_from_its_reporters():
    """The built-in columns are appended from one call a day (DailyCollector): a plain Mesa
    DataCollector calling the model's reporters one by one, every day, collects the same."""
    model = SocialCommerceModel(**TINY, model_reporters={"debt": lambda m: m.consumers.debt.sum()},
                                rng=2)  # fmt: skip
    plain = mesa.DataCollector(model_reporters=dict(model.datacollector.model_reporters))
    for _ in range(TINY["campaign_days"]):
        model.step()
        plain.collect(model)
    ours = model.datacollector.get_model_vars_dataframe()
    pd.testing.assert_frame_equal(ours, plain.get_model_vars_dataframe())
    assert ours["sales"].sum() > 0 and ours["fans"].iloc[-1] > 0  # the columns carry the run
    assert ours["day"].tolist() == list(range(1, TINY["campaign_days"] + 1))


def test_agent_reporter_cash_works_on_every_agent_type():
    model = SocialCommerceModel(**TINY, rng=1)
    model.step()
    collector = mesa.DataCollector(agent_reporters={"cash": "cash"})
    collector.collect(model)
    frame = collector.get_agent_vars_dataframe()
    assert len(frame) == 60 + 4 + 2 + len(model.platforms)
    retailer = model.retailers[0]
    assert retailer.cash == model.ledger.balances[retailer.account]
    assert isinstance(model.suppliers[0], Supplier) and isinstance(model.platforms[0], Platform)


def test_batch_run_gets_the_run_summary_under_its_own_names():
    results = mesa.batch_run(
        SocialCommerceModel,
        parameters={**TINY, "summary_columns": True},
        rng=[1, 2],
        max_steps=TINY["campaign_days"],
        number_processes=1,
        data_collection_period=-1,
        display_progress=False,
    )
    frame = pd.DataFrame(results)
    assert len(frame) == 2
    for seed, row in zip((1, 2), frame.itertuples(), strict=True):
        model = SocialCommerceModel(**TINY, rng=seed)
        while model.running:
            model.step()
        summary = model.summary()
        assert row.run_sales == summary["sales"]  # the run's total
        assert row.sales == model.daily_frame()["sales"].iloc[-1]  # the last day's sales
        assert math.isclose(row.run_debt_per_consumer, summary["debt_per_consumer"])


def test_removing_a_consumer_is_a_clear_error():
    model = SocialCommerceModel(**TINY, rng=1)
    with pytest.raises(NotImplementedError, match="cannot be removed"):
        model.consumer_agents[5].remove()
    assert len(model.agents_by_type[Consumer]) == 60
