"""Every extension example changes the decision it claims to change, and runs from the command
line and in a sweep by its ``"module:Class"`` path (docs/extending.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # examples/ is a package at the repository root
    sys.path.insert(0, str(ROOT))

from socialabm.scenarios import load_scenario  # noqa: E402

from socialabm import SocialCommerceModel  # noqa: E402
from socialabm.cli import main  # noqa: E402
from socialabm.sweeps import SweepSpec, run_sweep  # noqa: E402

SMALL = {"n_consumers": 300, "campaign_days": 40, "n_campaigns": 2}
STOCKOUTS = {"presale_mode": "presale", "starvation": True, "release_cap": 2}


def _model(**params) -> SocialCommerceModel:
    merged = {**load_scenario("social_commerce").parameters, **SMALL, **params}
    model = SocialCommerceModel(**merged, rng=4)
    while model.running:
        model.step()
    return model


def _presale_prices(model) -> list[float]:
    return [r["presale_price"] for r in model.market.campaign_records]


def _integration_events(model) -> list[str]:
    return [text for _, text in model.events if "in-app ordering" in text]


def _weak_post_links(model) -> int:
    """Awareness made by a post that came through a weak tie."""
    i, r = np.nonzero(model.consumers.aware_from >= 0)
    j = model.consumers.aware_from[i, r]
    return int((np.asarray(model.network.strong[i, j]).ravel() == 0).sum())


# (keyword, "module:Class", extra parameters, check(custom summary, default summary, custom
# model, default model))
EXAMPLES = [
    (
        "consumer_class", "examples.consumer_decisions:HonestReviewer", {},
        lambda c, d: c["review_gap_inflation"] == 0 and c["reviews"] > d["reviews"],
    ),
    (
        "consumer_class", "examples.consumer_decisions:PatientShopper", STOCKOUTS,
        lambda c, d: c["stockout_give_up"] == 0 < d["stockout_give_up"],
    ),
    (
        "consumer_class", "examples.consumer_decisions:InAppShopper", {"integrate_social": True},
        lambda c, d: c["sales_jump"] < d["sales_jump"],
    ),
    (
        "consumer_class", "examples.consumer_decisions:ContentedConsumer", {"campaign_units": 3},
        lambda c, d: c["overconsumption"] == 0 < d["overconsumption"],
    ),
    (
        "consumer_class", "examples.consumer_decisions:CashOnlyConsumer", {},
        lambda c, d: c["credit_purchases"] == 0 < d["credit_purchases"],
    ),
    (
        "consumer_class", "examples.consumer_decisions:FastCashOnlyConsumer", {},
        lambda c, d: c["credit_purchases"] == 0 < d["credit_purchases"],
    ),
    (
        "consumer_class", "examples.consumer_decisions:EagerRepayer", {"cash_mean": 10.0},
        lambda c, d: c["debt_per_consumer"] < d["debt_per_consumer"],
    ),
    (
        "consumer_class", "examples.strong_ties_sharer:StrongTiesSharer", {},
        lambda c, d, cm, dm: _weak_post_links(cm) == 0 < _weak_post_links(dm),
    ),
    (
        "retailer_class", "examples.retailer_decisions:LeanRetailer", {},
        lambda c, d: c["leftover_share"] < d["leftover_share"],
    ),
    (
        "retailer_class", "examples.retailer_decisions:BrandPresaleRetailer",
        {"presale_mode": "presale"},
        lambda c, d, cm, dm: 0.0 in _presale_prices(cm) and 0.0 not in _presale_prices(dm),
    ),
    (
        "retailer_class", "examples.dynamic_pricing_retailer:DynamicPricingRetailer", {},
        lambda c, d: c["price"] != d["price"],
    ),
    (
        "supplier_class", "examples.cost_plus_supplier:CostPlusSupplier", {},
        lambda c, d: c["wholesale_self_run"] == pytest.approx(39.0) != d["wholesale_self_run"],
    ),
    (
        "platform_class", "examples.stubborn_platform:StubbornPlatform",
        {"adaptation": True, "epsilon": 1.0},
        lambda c, d, cm, dm: not _integration_events(cm) and _integration_events(dm),
    ),
    (
        "platform_class", "examples.never_ally_platform:NeverAllyPlatform",
        {"adaptation": True, "alliances": True},
        lambda c, d: c["alliances_formed"] == 0 < d["alliances_formed"],
    ),
]  # fmt: skip
IDS = [path.split(":")[1] for _, path, _, _ in EXAMPLES]


@pytest.mark.parametrize(("keyword", "path", "params", "check"), EXAMPLES, ids=IDS)
def test_example_changes_its_decision(keyword, path, params, check):
    custom_model, default_model = _model(**params, **{keyword: path}), _model(**params)
    custom, default = custom_model.summary(), default_model.summary()
    argc = check.__code__.co_argcount
    args = (custom, default, custom_model, default_model)[:argc]
    assert check(*args), {k: (custom[k], default[k]) for k in custom}


@pytest.mark.parametrize(("keyword", "path", "params", "check"), EXAMPLES, ids=IDS)
def test_example_runs_from_the_command_line_and_in_a_sweep(keyword, path, params, check, tmp_path):
    sets = [f"{k}={v}" for k, v in {**SMALL, **params, keyword: path}.items()]
    argv = ["run", "social_commerce", "--steps", "15", *(x for s in sets for x in ("--set", s))]
    assert main(argv) == 0
    spec = SweepSpec(
        vary={"jump_friction": [0.2, 0.5]}, fixed={**SMALL, **params, keyword: path},
        replicates=1, steps=15, seed=1,
    )  # fmt: skip
    outcome = run_sweep(spec, tmp_path / "sweep", workers=0, progress=False)
    assert outcome.n_ok == 2 and outcome.n_failed == 0
    runs = pd.read_parquet(tmp_path / "sweep" / "runs.parquet")
    assert (runs[keyword] == path).all()
