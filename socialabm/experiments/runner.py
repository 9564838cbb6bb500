"""Run one model to completion and return its outputs: the unit of work of CLI runs and sweeps."""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from socialabm.references import import_callable

Reporter = Callable[[Any], float]
"""A custom output: called with the finished model, returns a number."""


@dataclass
class RunResult:
    """Outputs of one run.

    Attributes:
        summary: The per-run summary (docs/ODD.md §8): one flat dict of numbers, one sweep row.
        daily: The daily model-level series (one row per collected day, column ``day``), or
            ``None`` when daily collection was not asked for.
        knockout_calls: With a knock-out: how many calls reached each replaced function.
    """

    summary: dict[str, float]
    daily: pd.DataFrame | None
    knockout_calls: dict[str, int] | None = None


def run_model(
    params: Mapping[str, Any] | None = None,
    seed: int | None = None,
    steps: int | None = None,
    collect_daily: bool = True,
    collect_every: int = 1,
    progress: Callable[[int, int], None] | None = None,
    reporters: Mapping[str, Reporter | str] | None = None,
    knockout: Mapping[str, str] | None = None,
    reporters_read_daily: bool = True,
) -> RunResult:
    """Build a :class:`~socialabm.SocialCommerceModel`, run it and collect its outputs.

    Args:
        params: Model parameters (names of :data:`socialabm.parameters.PARAMETERS`, plus the
            class keywords ``consumer_class`` etc.); missing ones take defaults.
        seed: Seed of every random draw of the run.
        steps: Days to run; default: the whole horizon, ``campaign_days * n_campaigns``.
        collect_daily: Whether to return the daily series. Without it, and without reporters
            that read it, the model does not collect it at all (about 15% faster at 500
            consumers).
        collect_every: Keep every k-th day of the daily series (k >= 1), counted back from the
            last day, which is always kept.
        progress: Called as ``progress(done, total)`` after each day.
        reporters: Extra summary outputs: output name -> a function (or its
            ``"module:function"`` path) called with the finished model, returning a number.
        knockout: Functions of the code replaced by neutral ones for this run only,
            ``{"module:function": "neutral"}`` (:mod:`socialabm.experiments.knockout`).
        reporters_read_daily: Whether a reporter reads the daily series
            (``model.daily_frame()``); say ``False`` for reporters that read only the finished
            model's state, so that ``collect_daily=False`` collects nothing.

    Returns:
        The run's summary (with one entry per reporter), when ``collect_daily`` its daily
        series, and with a knock-out the calls that reached each neutral replacement.

    Raises:
        ValueError: a reporter that cannot be imported, returns something other than a number,
            or is named like one of the model's own summary outputs; a knock-out that cannot be
            applied.
    """
    if knockout:
        from socialabm.experiments.knockout import knocked_out

        with knocked_out(knockout) as calls:
            result = run_model(
                params, seed, steps, collect_daily, collect_every, progress, reporters,
                reporters_read_daily=reporters_read_daily,
            )  # fmt: skip
        result.knockout_calls = calls
        return result
    from socialabm.model import SocialCommerceModel

    extra = {name: import_callable(fn, "reporter") for name, fn in (reporters or {}).items()}
    model = SocialCommerceModel(**dict(params or {}), rng=seed)
    if not collect_daily and not (extra and reporters_read_daily):
        model.datacollector.stop()
    total = model.horizon if steps is None else int(steps)
    for day in range(total):
        model.step()
        if progress is not None:
            progress(day + 1, total)
    daily = model.daily_frame() if collect_daily else None
    summary = model.summary()
    for name, fn in extra.items():
        if name in summary:
            raise ValueError(
                f"reporter {name!r} has the name of one of the model's summary outputs; "
                "rename its function"
            )
        summary[name] = _number(name, fn(model))
    return RunResult(summary=summary, daily=every_kth_row(daily, collect_every))


def every_kth_row(frame: pd.DataFrame | None, k: int) -> pd.DataFrame | None:
    """Every ``k``-th row of ``frame`` counted back from its last row, which is always kept
    (40 days, k = 10: days 10, 20, 30, 40)."""
    if frame is None or k <= 1:
        return frame
    return frame.iloc[len(frame) - 1 :: -k].iloc[::-1].reset_index(drop=True)


def _number(name: str, value: Any) -> float:
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return float(value)
    raise ValueError(
        f"reporter {name!r} returned {value!r} ({type(value).__name__}); a reporter must "
        "return a number"
    )


def summary_names() -> list[str]:
    """Names of the per-run summary outputs, in summary order (from a tiny unstepped model)."""
    from socialabm.model import SocialCommerceModel

    return list(SocialCommerceModel(n_consumers=10, rng=0).summary())
