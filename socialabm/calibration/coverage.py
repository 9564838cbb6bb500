"""Recovery and simulation-based calibration: does the posterior cover the truth?

* :func:`synthetic_spec` -- the spec with its fitted targets replaced by one simulation at known
  parameter values ("truth"): each target becomes a point at the simulated value with the
  target's own ``sd`` (an interval target: its ``scale``).
* :func:`recover` -- calibrate to synthetic data at a given truth; return the posterior's 90%
  intervals and whether each covers the truth.
* :func:`coverage` -- simulation-based calibration (Talts et al. 2018, in its coverage form):
  draw many truths from the prior, calibrate to each one's synthetic data, and report the share
  of 90% credible intervals that contain the truth, per parameter and over all. Near 0.90 the
  posteriors are calibrated; well below, over-confident; above, conservative. The intervals of
  every generation of every fit are kept, not only the last one's.
* :func:`coverage_by_generations` and :func:`coverage_by_tolerance` -- from those same fits,
  the coverage a smaller ``generations`` budget or a larger final tolerance (``min_epsilon``)
  would have given. Each is exact, not an estimate: the deterministic sampler makes a shorter
  run's generations the first generations of the longer one, and pyabc stops after the first
  generation whose tolerance is at or below ``min_epsilon``. An earlier stop leaves a larger
  tolerance and wider intervals: this is how over-confident intervals are widened honestly.

A truth whose synthetic data leave a target undefined (``nan``: e.g. no stock-out in the run)
gives data the distance cannot use; it is drawn again and counted (``redrawn``), which
conditions the check on informative data sets.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from socialabm.calibration.patterns import Pattern, Target
from socialabm.calibration.results import LEVEL, load_history, posterior, weighted_quantile
from socialabm.calibration.simulator import SEED_BOUND, run_outputs
from socialabm.calibration.spec import Budget, CalibrationSpec
from socialabm.references import reporter_names

__all__ = [
    "coverage",
    "coverage_by_generations",
    "coverage_by_tolerance",
    "recover",
    "synthetic_spec",
]

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


def _intervals(spec: CalibrationSpec, history: Any, truth: Mapping[str, float],
               t: int | None = None) -> list[dict]:  # fmt: skip
    """One row per fitted parameter: the truth and generation ``t``'s median and 90% interval
    (default: the last generation)."""
    frame = posterior(history, t)
    tail = (1 - LEVEL) / 2
    rows = []
    for name in spec.priors:
        low, median, high = weighted_quantile(frame[name].to_numpy(), frame["weight"].to_numpy(),
                                              [tail, 0.5, 1 - tail])  # fmt: skip
        rows.append({"parameter": name, "truth": float(truth[name]), "median": float(median),
                     "ci_low": float(low), "ci_high": float(high),
                     "covered": bool(low <= truth[name] <= high)})  # fmt: skip
    return rows


def _every_generation(spec: CalibrationSpec, history: Any, truth: Mapping[str, float]) -> list:
    """The rows of :func:`_intervals` for every finished generation, with ``generation`` (0,
    1, ...) and its tolerance ``epsilon``."""
    pops = history.get_all_populations()
    epsilons = dict(zip(pops["t"], pops["epsilon"], strict=True))
    return [
        {"generation": t, "epsilon": float(epsilons[t]), **row}
        for t in range(history.max_t + 1)
        for row in _intervals(spec, history, truth, t)
    ]


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
        return pd.DataFrame(_intervals(synthetic, load_history(Path(tmp) / "fit"), truth))


def _share(covered: pd.Series) -> tuple[float, float]:
    """Share of ``True`` and its binomial standard error."""
    share = float(covered.mean())
    return share, float(np.sqrt(share * (1 - share) / len(covered)))


def _summarise(chosen: pd.DataFrame, parameters: list[str]) -> dict[str, Any]:
    share, error = _share(chosen["covered"])
    by_parameter = chosen.groupby("parameter")["covered"].mean()
    return {"coverage": share, "standard_error": error, "intervals": len(chosen),
            **{name: float(by_parameter[name]) for name in parameters}}  # fmt: skip


def _parameters(table: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(table["parameter"]))


def coverage_by_generations(table: pd.DataFrame) -> pd.DataFrame:
    """The coverage each ``generations`` budget would have given, from :func:`coverage`'s rows.

    With ``generations = g`` a fit ends at generation ``g - 1``, or earlier where it stopped
    earlier (another stopping rule).

    Returns:
        One row per ``generations`` (1 to the most any fit ran): ``coverage``,
        ``standard_error``, ``intervals``, the median final tolerance over the data sets
        (``epsilon``) and the coverage of each parameter (one column each).
    """
    last = table.groupby("dataset")["generation"].transform("max")
    rows = []
    for g in range(1, int(table["generation"].max()) + 2):
        chosen = table[table["generation"] == np.minimum(last, g - 1)]
        eps = chosen.groupby("dataset")["epsilon"].first().median()
        rows.append({"generations": g, "epsilon": float(eps),
                     **_summarise(chosen, _parameters(table))})  # fmt: skip
    return pd.DataFrame(rows)


def coverage_by_tolerance(table: pd.DataFrame, tolerances: Sequence[float]) -> pd.DataFrame:
    """The coverage each final tolerance ``min_epsilon`` would have given, from
    :func:`coverage`'s rows.

    With ``min_epsilon = e`` a fit ends at its first generation whose tolerance is ``<= e`` (as
    pyabc stops), or at its last generation if none is.

    Returns:
        One row per tolerance: ``min_epsilon``, ``coverage``, ``standard_error``,
        ``intervals``, ``reached`` (share of data sets whose fit reached the tolerance), the mean
        number of ``generations`` run and each parameter's coverage.
    """
    per_fit = table.groupby(["dataset", "generation"])["epsilon"].first().reset_index()
    last = per_fit.groupby("dataset")["generation"].max()
    rows = []
    for e in tolerances:
        reached = per_fit[per_fit["epsilon"] <= e].groupby("dataset")["generation"].min()
        final = last.copy()
        final[reached.index] = reached
        chosen = table[table["generation"] == table["dataset"].map(final)]
        rows.append({"min_epsilon": float(e), **_summarise(chosen, _parameters(table)),
                     "reached": len(reached) / len(last),
                     "generations": float((final + 1).mean())})  # fmt: skip
    return pd.DataFrame(rows)


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
        The rows of every generation of every fit (``dataset``, ``generation``, ``epsilon``
        (its tolerance), ``parameter``, ``truth``, ``median``, ``ci_low``, ``ci_high``,
        ``covered``, ``final``: the fit's last generation) and a summary of the final
        generations: ``coverage`` (share of intervals containing the truth, all parameters),
        its binomial ``standard_error``, ``by_parameter``, ``datasets``, ``redrawn`` and
        ``level``. :func:`coverage_by_generations` and :func:`coverage_by_tolerance` read the
        earlier generations.
    """
    from socialabm.calibration.execute import calibrate
    from socialabm.calibration.sampler import WORKER_MODULES
    from socialabm.sweeps.backends import make_backend

    rng = np.random.default_rng([seed, SYNTHETIC_STREAM])
    backend = make_backend(workers, preload=WORKER_MODULES)
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
                calibrate(synthetic, Path(tmp) / "fit", progress=False, write_results=False,
                          backend=backend)  # fmt: skip
                found = _every_generation(synthetic, load_history(Path(tmp) / "fit"), truth)
            last = max(r["generation"] for r in found)
            rows += [{"dataset": k, **r, "final": r["generation"] == last} for r in found]
            if progress is not None:
                progress(k + 1, pd.DataFrame(rows))
    finally:
        backend.close()
    table = pd.DataFrame(rows)
    final = table[table["final"]]
    share, error = _share(final["covered"])
    summary = {
        "coverage": share,
        "standard_error": error,
        "by_parameter": final.groupby("parameter", sort=False)["covered"].mean().to_dict(),
        "datasets": datasets,
        "redrawn": redrawn,
        "level": LEVEL,
    }
    return table, summary
