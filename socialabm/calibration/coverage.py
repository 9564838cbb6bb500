"""Recovery and simulation-based calibration: does the posterior cover the truth?

* :func:`synthetic_spec` -- the spec with its fitted targets replaced by one simulation at known
  parameter values ("truth"): each target becomes a point at the simulated value with the
  target's own ``sd`` (an interval target: its ``scale``).
* :func:`recover` -- calibrate to synthetic data at a given truth; return the posterior's 90%
  intervals and whether each covers the truth.
* :func:`coverage` -- simulation-based calibration (Talts et al. 2018, in its coverage form):
  draw many truths from the prior, calibrate to each one's synthetic data, and report the share
  of 90% credible intervals that contain the truth, per parameter and over all. Near 0.90 the
  posteriors are calibrated; well below, over-confident; above, conservative.

A truth whose synthetic data leave a target undefined (``nan``: e.g. no stock-out in the run)
gives data the distance cannot use; it is drawn again and counted (``redrawn``), which
conditions the check on informative data sets.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from socialabm.calibration.patterns import Pattern, Target
from socialabm.calibration.results import LEVEL, load_history, posterior, weighted_quantile
from socialabm.calibration.simulator import SEED_BOUND, run_outputs
from socialabm.calibration.spec import Budget, CalibrationSpec
from socialabm.references import reporter_names

__all__ = ["coverage", "recover", "synthetic_spec"]

SYNTHETIC_STREAM = 4_099
"""Salt of the synthetic data's seeds (kept apart from the fit's and the predictive check's)."""


def synthetic_spec(
    spec: CalibrationSpec, truth: Mapping[str, float], seed: int, budget: Budget | None = None
) -> tuple[CalibrationSpec, dict[str, float]]:
    """The spec fitted to one simulation at ``truth`` (run seed ``seed``), and that simulation's
    target values. Held-out patterns and the predictive check are dropped."""
    outputs = [t.output for t in spec.targets]
    params = {**spec.base_parameters, **truth}
    values = run_outputs(params, seed, outputs, spec.steps, reporter_names(spec.reporters))
    targets = tuple(
        Target(t.output, value=values[t.output], sd=t.sd if t.sd is not None else t.scale,
               uncertainty="synthetic", pattern="synthetic")
        for t in spec.targets
    )  # fmt: skip
    pattern = Pattern("synthetic", "synthetic data", "simulated", "truth", "n/a", targets)
    raw = {**spec.raw, "synthetic": {"truth": dict(truth), "seed": seed}}
    new = dataclasses.replace(
        spec, fit=(pattern,), held_out=(), predictive=0, budget=budget or spec.budget, raw=raw
    )
    return new, values


def _intervals(spec: CalibrationSpec, out: Path, truth: Mapping[str, float]) -> list[dict]:
    frame = posterior(load_history(out))
    tail = (1 - LEVEL) / 2
    rows = []
    for name in spec.priors:
        low, median, high = weighted_quantile(frame[name].to_numpy(), frame["weight"].to_numpy(),
                                              [tail, 0.5, 1 - tail])  # fmt: skip
        rows.append({"parameter": name, "truth": float(truth[name]), "median": float(median),
                     "ci_low": float(low), "ci_high": float(high),
                     "covered": bool(low <= truth[name] <= high)})  # fmt: skip
    return rows


def recover(
    spec: CalibrationSpec,
    truth: Mapping[str, float],
    data_seed: int = 0,
    budget: Budget | None = None,
    backend: Any = None,
    workers: int | None = 0,
) -> pd.DataFrame:
    """Calibrate to synthetic data simulated at ``truth``; one row per parameter with the truth,
    the posterior median, its 90% interval and ``covered``.

    Args:
        spec: The calibration whose targets define the synthetic data.
        truth: A value for every fitted parameter.
        data_seed: Seed of the synthetic data's run.
        budget: Budget of the fit (default: the spec's).
        backend: A backend to reuse (else one from ``workers``).
        workers: Worker processes when no backend is given (0: this process).
    """
    from socialabm.calibration.execute import calibrate

    missing = sorted(set(spec.priors) - set(truth))
    if missing:
        raise ValueError(f"truth needs a value for every fitted parameter; missing {missing}")
    synthetic, _ = synthetic_spec(spec, truth, data_seed, budget)
    with tempfile.TemporaryDirectory(prefix="socialabm-recover-") as tmp:
        calibrate(synthetic, Path(tmp) / "fit", workers=workers, progress=False,
                  write_results=False, backend=backend)  # fmt: skip
        return pd.DataFrame(_intervals(synthetic, Path(tmp) / "fit", truth))


def coverage(
    spec: CalibrationSpec,
    datasets: int,
    seed: int = 0,
    budget: Budget | None = None,
    workers: int | None = None,
    progress: Callable[[int, pd.DataFrame], None] | None = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Simulation-based calibration over ``datasets`` truths drawn from the prior.

    Returns:
        The per-data-set rows (``dataset``, ``parameter``, ``truth``, ``median``, ``ci_low``,
        ``ci_high``, ``covered``) and a summary: ``coverage`` (share of intervals containing
        the truth, all parameters), ``by_parameter``, ``datasets``, ``redrawn`` and the
        binomial standard error of the overall share.
    """
    from socialabm.sweeps.backends import make_backend

    rng = np.random.default_rng([seed, SYNTHETIC_STREAM])
    backend = make_backend(workers)
    rows: list[dict] = []
    redrawn = 0
    try:
        for k in range(datasets):
            while True:
                truth = {n: float(p.frozen().rvs(random_state=rng)) for n, p in spec.priors.items()}
                data_seed = int(rng.integers(SEED_BOUND))
                synthetic, values = synthetic_spec(spec, truth, data_seed, budget)
                if all(np.isfinite(list(values.values()))):
                    break
                redrawn += 1
            synthetic = dataclasses.replace(synthetic, seed=int(rng.integers(SEED_BOUND)))
            with tempfile.TemporaryDirectory(prefix="socialabm-sbc-") as tmp:
                from socialabm.calibration.execute import calibrate

                calibrate(synthetic, Path(tmp) / "fit", progress=False, write_results=False,
                          backend=backend)  # fmt: skip
                found = _intervals(synthetic, Path(tmp) / "fit", truth)
            rows += [{"dataset": k, **r} for r in found]
            if progress is not None:
                progress(k + 1, pd.DataFrame(rows))
    finally:
        backend.close()
    table = pd.DataFrame(rows)
    share = float(table["covered"].mean())
    summary = {
        "coverage": share,
        "standard_error": float(np.sqrt(share * (1 - share) / len(table))),
        "by_parameter": table.groupby("parameter", sort=False)["covered"].mean().to_dict(),
        "datasets": datasets,
        "redrawn": redrawn,
        "level": LEVEL,
    }
    return table, summary
