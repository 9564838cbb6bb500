"""Run one model to completion and return its outputs: the unit of work of CLI runs and sweeps."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd


@dataclass
class RunResult:
    """Outputs of one run.

    Attributes:
        summary: The per-run summary (MODEL §9): one flat dict of numbers, one sweep row.
        daily: The daily model-level series (one row per collected day, column ``day``), or
            ``None`` when daily collection was not asked for.
    """

    summary: dict[str, float]
    daily: pd.DataFrame | None


def run_model(
    params: Mapping[str, Any] | None = None,
    seed: int | None = None,
    steps: int | None = None,
    collect_daily: bool = True,
    collect_every: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> RunResult:
    """Build a :class:`~socialabm.SocialCommerceModel`, run it and collect its outputs.

    Args:
        params: Model parameters (names of :data:`socialabm.parameters.PARAMETERS`, plus the
            class keywords ``consumer_class`` etc.); missing ones take defaults.
        seed: Seed of every random draw of the run.
        steps: Days to run; default: the whole horizon, ``campaign_days * n_campaigns``.
        collect_daily: Whether to return the daily series.
        collect_every: Keep every k-th day of the daily series (k >= 1).
        progress: Called as ``progress(done, total)`` after each day.

    Returns:
        The run's summary and, when ``collect_daily``, its daily series.
    """
    from socialabm.model import SocialCommerceModel

    model = SocialCommerceModel(**dict(params or {}), rng=seed)
    total = model.horizon if steps is None else int(steps)
    for day in range(total):
        model.step()
        if progress is not None:
            progress(day + 1, total)
    daily = None
    if collect_daily:
        daily = model.daily_frame()
        if collect_every > 1:
            daily = daily.iloc[::collect_every].reset_index(drop=True)
    return RunResult(summary=model.summary(), daily=daily)


def summary_names() -> list[str]:
    """Names of the per-run summary outputs, in summary order (from a tiny unstepped model)."""
    from socialabm.model import SocialCommerceModel

    return list(SocialCommerceModel(n_consumers=10, rng=0).summary())
