"""The model runs the scenario-level checks judge: built-in scenarios run to their horizon, and
models right after their production orders."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any


def order_days(fast: bool) -> Iterator[Any]:
    """Models right after their production orders: the ``presale`` and ``bargaining_power``
    scenarios (1,000 consumers; seeds 1-2, seed 1 when ``fast``), the first three campaigns
    (each model is yielded three times, as it runs on).

    On the day after an order the retailers' order inputs (price, wholesale price, spot forecast,
    presale orders) are still those the order was made with: presale has closed and nothing is
    sold before the selling window."""
    from socialabm.model import SocialCommerceModel
    from socialabm.scenarios import load_scenario

    for scenario in ("presale", "bargaining_power"):
        params = {**load_scenario(scenario).model_params(), "n_consumers": 1000}
        for seed in (1,) if fast else (1, 2):
            model = SocialCommerceModel(**params, rng=seed)
            cal = model.calendar
            for campaign in range(3):
                while model.day <= campaign * cal.campaign_days + cal.lead_start:
                    model.step()
                yield model


def scenario_models(
    scenario: str, n: int, seeds: tuple[int, ...], model_params: Mapping[str, Any] | None = None
) -> Iterator[Any]:
    """Fresh models (not yet run) of a built-in scenario with ``n`` consumers, one per seed, with
    ``model_params`` (model parameters or agent classes) on top."""
    from socialabm.model import SocialCommerceModel
    from socialabm.scenarios import load_scenario

    params = {**load_scenario(scenario).model_params(), "n_consumers": n}
    for s in seeds:
        yield SocialCommerceModel(**{**params, **dict(model_params or {})}, rng=s)


def run_to_end(model: Any) -> Any:
    """Run ``model`` to its horizon and return it."""
    while model.running:
        model.step()
    return model
