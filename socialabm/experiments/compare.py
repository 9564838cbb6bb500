"""Paired experiments: two parameter sets run on the same seeds (common random numbers), with
the mean difference of every per-run output and its 95% confidence interval."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from socialabm.experiments.runner import run_model
from socialabm.experiments.stats import mean_interval


def paired_runs(
    params_a: Mapping[str, Any],
    params_b: Mapping[str, Any],
    seeds: Sequence[int],
    steps: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run both parameter sets once per seed; return the two per-run summary tables.

    Args:
        params_a: Model parameters of arm A (as for :func:`run_model`).
        params_b: Model parameters of arm B.
        seeds: One paired run per seed; both arms share it (common random numbers).
        steps: Days per run; default: the whole horizon.
        progress: Called as ``progress(done, total)`` after each pair of runs.

    Returns:
        Two DataFrames (A, B) indexed by seed, one column per summary output.
    """
    rows_a, rows_b = [], []
    for k, seed in enumerate(seeds):
        rows_a.append(run_model(params_a, seed=seed, steps=steps, collect_daily=False).summary)
        rows_b.append(run_model(params_b, seed=seed, steps=steps, collect_daily=False).summary)
        if progress is not None:
            progress(k + 1, len(seeds))
    return pd.DataFrame(rows_a, index=list(seeds)), pd.DataFrame(rows_b, index=list(seeds))


def paired_difference(a: pd.DataFrame, b: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Per output: means of A and B, mean paired difference B - A, its t-based CI and p-value.

    Rows are outputs; columns ``mean_a, mean_b, diff, ci_low, ci_high, p_value, n``. Outputs
    that are identical in every pair get a zero-width interval and p-value 1.

    Args:
        a: Per-run summaries of arm A, one row per seed (as from :func:`paired_runs`).
        b: Per-run summaries of arm B, rows paired with ``a``'s by index; non-finite
            differences are dropped.
        confidence: Level of the two-sided t interval, in (0, 1).
    """
    rows = []
    for column in a.columns.intersection(b.columns):
        d = mean_interval((b[column] - a[column]).to_numpy(dtype=float), confidence)
        if d.n == 0:
            continue
        rows.append(
            {
                "output": column,
                "mean_a": float(a[column].mean()),
                "mean_b": float(b[column].mean()),
                "diff": d.mean,
                "ci_low": d.low,
                "ci_high": d.high,
                "p_value": d.p_value,
                "n": d.n,
            }
        )
    return pd.DataFrame(rows).set_index("output")
