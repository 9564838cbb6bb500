"""Deterministic stand-ins for :func:`socialabm.experiments.runner.run_model`, for tests.

They have ``run_model``'s signature and return a :class:`~socialabm.experiments.runner.RunResult`,
so the sweep machinery can be exercised without the model (``runner=
"socialabm.sweeps.testing:fake_run"``). Their outputs depend only on the parameters and the seed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from socialabm.experiments.runner import RunResult, every_kth_row

__all__ = ["FAIL_VALUE", "failing_run", "fake_run"]

FAIL_VALUE = 0.999
"""``failing_run`` raises for runs whose ``jump_friction`` equals this value."""


def fake_run(
    params: Mapping[str, Any] | None = None,
    seed: int | None = None,
    steps: int | None = None,
    collect_daily: bool = True,
    collect_every: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> RunResult:
    """A seeded toy "model": a noisy response to a few parameters, with a daily series."""
    p = dict(params or {})
    rng = np.random.default_rng(seed)
    days = int(steps or 30)
    jf = float(p.get("jump_friction", 0.35))
    bw = float(p.get("beta_weak", 0.06))
    dep = float(p.get("deposit", 0.3))
    mode = {"none": 0.0, "presale": 1.0, "experience": 2.0}[p.get("presale_mode", "none")]
    n = int(p.get("n_consumers", 2000))
    aware = 1.0 - np.exp(-np.arange(1, days + 1) * bw * (1.0 + mode) / 3.0)
    aware = np.clip(aware + rng.normal(0.0, 0.01, days), 0.0, 1.0)
    sales = rng.poisson(n * 0.01 * (1.0 - jf) * aware)
    summary = {
        "sales_total": float(sales.sum()),
        "aware_final": float(aware[-1]),
        "revenue_total": float(sales.sum() * (50.0 + 20.0 * dep) + rng.normal(0.0, 5.0)),
        "noise": float(rng.random()),
    }
    daily = None
    if collect_daily:
        daily = pd.DataFrame(
            {"day": np.arange(1, days + 1), "aware_share": aware, "sales": sales.astype(float)}
        )
    return RunResult(summary=summary, daily=every_kth_row(daily, collect_every))


def failing_run(
    params: Mapping[str, Any] | None = None, seed: int | None = None, **kwargs: Any
) -> RunResult:
    """Like :func:`fake_run`, but raises when ``jump_friction == FAIL_VALUE``."""
    if params and float(params.get("jump_friction", 0.0)) == FAIL_VALUE:
        raise RuntimeError(f"deliberate failure for seed {seed}")
    return fake_run(params, seed, **kwargs)
