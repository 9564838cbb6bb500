"""Analysis of a sweep directory: per-point means with 95% CIs and sensitivity indices.

* Means: for every design point and output, the mean over replicates with a 95% confidence
  interval from Student's t (``mean +- t(0.975, n-1) * sd / sqrt(n)``; no interval with n = 1).
* Sensitivity (on the per-point mean over replicates, so replicate noise is averaged first):
  Sobol first and total order indices for ``sobol`` designs, Morris ``mu*`` and ``sigma`` for
  ``morris`` designs, RBD-FAST first-order indices for ``lhs`` designs (all through SALib, with
  bootstrap 95% confidence half-widths). Grids get none: their plots show the effects.
* Reliability (:mod:`socialabm.sweeps.reliability`): Sobol and RBD-FAST indices that fail a
  consistency check or have wide intervals get a warning with the sample size that would fix
  them; Sobol indices are also recomputed on growing prefixes of the sample (convergence).

:func:`analyze_sweep` writes ``analysis/`` (tables, ``plots/``, ``report.md``) into the sweep
directory.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from socialabm.parameters import CLASS_PARAMETERS, PARAMETERS
from socialabm.sweeps import store
from socialabm.sweeps.design import point_parameters
from socialabm.sweeps.reliability import index_warnings, sobol_convergence
from socialabm.sweeps.spec import SweepSpec, _suggest

__all__ = [
    "AnalysisError",
    "Sensitivity",
    "SweepData",
    "analyze_sweep",
    "load_sweep",
    "point_stats",
    "refresh",
    "sensitivity",
]

DEFAULT_MAX_OUTPUTS = 8


class AnalysisError(ValueError):
    """A sweep directory cannot be analysed as asked (message says why)."""


@dataclass
class SweepData:
    """A sweep directory loaded for analysis.

    Attributes:
        out: The directory.
        spec: Its spec (from the manifest).
        manifest: The manifest.
        design: Design points, SALib problem and sample.
        runs: ``runs.parquet``.
        failures: ``failures.parquet``.
        outputs: Names of the numeric per-run outputs in ``runs``.
    """

    out: Path
    spec: SweepSpec
    manifest: dict[str, Any]
    design: dict[str, Any]
    runs: pd.DataFrame
    failures: pd.DataFrame
    outputs: list[str] = field(default_factory=list)

    @property
    def varied(self) -> list[str]:
        """Names of the parameters the sweep varies, in the spec's order."""
        return list(self.spec.vary)


def refresh(directory: str | Path) -> bool:
    """Rebuild the consolidated tables of a sweep directory from ``parts/`` if they are stale
    (:func:`socialabm.sweeps.store.is_stale`: an interrupted or resumed sweep committed runs
    after them); return whether they were rebuilt.

    Raises:
        AnalysisError: not a sweep directory.
    """
    out = Path(directory)
    try:
        manifest = store.load_manifest(out)
    except store.SweepStoreError as err:
        raise AnalysisError(str(err)) from None
    if not store.is_stale(out):
        return False
    spec = SweepSpec.from_dict(manifest["spec"])
    points = store.load_design(out)["points"]
    store.consolidate(out, point_parameters(spec, points), list(spec.vary))
    return True


def load_sweep(directory: str | Path) -> SweepData:
    """Load a sweep directory, consolidating its results first if they are stale (the sweep
    was interrupted, or resumed after the tables were last written)."""
    out = Path(directory)
    refresh(out)
    manifest = store.load_manifest(out)
    spec = SweepSpec.from_dict(manifest["spec"])
    design = store.load_design(out)
    runs = pd.read_parquet(out / "runs.parquet")
    failures = pd.read_parquet(out / "failures.parquet")
    inputs = {*store.KEYS, store.TIMING, *PARAMETERS, *CLASS_PARAMETERS}
    outputs = [
        c
        for c in runs.columns
        if c not in inputs
        and pd.api.types.is_numeric_dtype(runs[c])
        and not pd.api.types.is_bool_dtype(runs[c])
    ]
    return SweepData(out, spec, manifest, design, runs, failures, outputs)


def choose_outputs(data: SweepData, outputs: list[str] | None) -> list[str]:
    """The outputs to analyse: as asked, else the spec's, else the first eight."""
    wanted = outputs or data.spec.analysis_outputs
    if not wanted:
        return data.outputs[:DEFAULT_MAX_OUTPUTS]
    for name in wanted:
        if name not in data.outputs:
            hint = _suggest(name, data.outputs, cutoff=0.5)
            raise AnalysisError(
                f"output {name!r} is not in {data.out / 'runs.parquet'}{hint} "
                f"(numeric outputs: {', '.join(data.outputs[:20])}"
                f"{' ...' if len(data.outputs) > 20 else ''})"
            )
    return list(wanted)


def _ci(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``ci_low``/``ci_high`` (95%, Student's t) to a frame with ``n``, ``mean``, ``sd``."""
    n = frame["n"].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):  # n <= 1: t.ppf gives nan, no interval
        half = stats.t.ppf(0.975, n - 1) * frame["sd"].to_numpy(float) / np.sqrt(n)
    frame["ci_low"] = frame["mean"] - half
    frame["ci_high"] = frame["mean"] + half
    return frame


def summarise(groups: Any) -> pd.DataFrame:
    """n, mean, sd and 95% CI of each group of a ``groupby(...)[output]``."""
    frame = groups.agg(n="count", mean="mean", sd="std").reset_index()
    return _ci(frame)


def point_stats(data: SweepData, outputs: list[str]) -> pd.DataFrame:
    """Long table: point, varied parameters, output, n, mean, sd, ci_low, ci_high."""
    rows = []
    for name in outputs:
        frame = summarise(data.runs.groupby("point")[name])
        frame.insert(1, "output", name)
        rows.append(frame)
    table = pd.concat(rows, ignore_index=True)
    points = pd.DataFrame(data.design["points"])
    points.insert(0, "point", range(len(points)))
    return points.merge(table, on="point", how="right")


def _point_means(data: SweepData, name: str) -> np.ndarray | None:
    """Mean of ``name`` per design point in point order; ``None`` if a point has no run."""
    means = data.runs.groupby("point")[name].mean()
    n_points = len(data.design["points"])
    if len(means) != n_points or means.isna().any():
        return None
    return means.reindex(range(n_points)).to_numpy(float)


@dataclass
class Sensitivity:
    """Sensitivity indices of a sweep and how far they can be trusted.

    Attributes:
        indices: Long table: output, parameter, method, index (``S1``, ``ST``, ``mu_star``,
            ``sigma``), value, conf (95% half-width; NaN when none could be computed).
        notes: What could not be done (grid design, constant outputs, ...).
        warnings: Outputs whose indices fail a consistency check or have wide intervals, with
            the sample size that would fix them (see :mod:`socialabm.sweeps.reliability`).
        convergence: Sobol designs: the indices from the first n base samples as n grows
            (output, n, parameter, index, value, conf); empty otherwise.
    """

    indices: pd.DataFrame
    notes: list[str]
    warnings: list[str] = field(default_factory=list)
    convergence: pd.DataFrame = field(default_factory=pd.DataFrame)


def sensitivity(data: SweepData, outputs: list[str]) -> Sensitivity:
    """Sensitivity indices of each output, their checks and (Sobol) their convergence."""
    design = data.spec.design
    notes: list[str] = []
    if design == "grid":
        return Sensitivity(pd.DataFrame(), ["grid design: no sensitivity indices (see the plots)"])
    problem = data.design["problem"]
    matrix = np.asarray(data.design["matrix"], dtype=float)
    rows = []
    steps = []
    for name in outputs:
        y = _point_means(data, name)
        if y is None:
            notes.append(f"{name}: some design points have no successful run; no indices")
            continue
        if np.nanstd(y) == 0:
            notes.append(f"{name}: constant across the design; no indices")
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                rows.extend(_indices(design, problem, matrix, y, data.spec, name))
        except Exception as err:  # noqa: BLE001 - SALib's errors become a note in the report
            notes.append(f"{name}: {design} analysis failed ({type(err).__name__}: {err})")
            continue
        if design == "sobol":
            spec = data.spec
            steps.append(
                sobol_convergence(problem, y, spec.samples, spec.second_order, spec.seed).assign(
                    output=name
                )
            )
    indices = pd.DataFrame(rows)
    convergence = pd.concat(steps, ignore_index=True) if steps else pd.DataFrame()
    return Sensitivity(indices, notes, index_warnings(indices, data.spec), convergence)


def _indices(
    design: str, problem: dict[str, Any], x: np.ndarray, y: np.ndarray, spec: SweepSpec, name: str
) -> list[dict[str, Any]]:
    seed = spec.seed
    names = problem["names"]
    if design == "sobol":
        from SALib.analyze import sobol

        res = sobol.analyze(problem, y, calc_second_order=spec.second_order, seed=seed)
        pairs = [("S1", "S1_conf"), ("ST", "ST_conf")]
        method = "sobol"
    elif design == "morris":
        from SALib.analyze import morris

        res = morris.analyze(problem, x, y, num_levels=spec.levels, seed=seed)
        pairs = [("mu_star", "mu_star_conf"), ("sigma", None)]
        method = "morris"
    else:
        from SALib.analyze import rbd_fast

        # the bootstrap resamples half the points; with M harmonics of such a resample of
        # N/2 points, 2M must stay well below N/2 or every index comes out 1 with conf 0
        harmonics = max(1, min(10, len(y) // 8))
        res = rbd_fast.analyze(problem, x, y, M=harmonics, seed=seed)
        pairs = [("S1", "S1_conf")]
        method = "rbd_fast"
    rows = []
    for i, param in enumerate(names):
        for key, conf in pairs:
            half = float(np.asarray(res[conf])[i]) if conf else float("nan")
            rows.append({
                "output": name, "parameter": param, "method": method, "index": key,
                "value": float(np.asarray(res[key])[i]),
                "conf": half if half > 0 else float("nan"),  # 0: degenerate, no interval
            })  # fmt: skip
    return rows


def analyze_sweep(
    directory: str | Path,
    outputs: list[str] | None = None,
    plots: bool = True,
    prim: list[str] | None = None,
) -> Path:
    """Analyse a sweep directory; write ``analysis/`` and return the path of ``report.md``.

    Args:
        directory: A sweep directory (``socialabm sweep ... --out DIR``).
        outputs: Outputs to analyse (default: the spec's ``[analysis] outputs``, else the first
            eight numeric outputs).
        plots: Draw the PNG plots.
        prim: Scenario discovery conditions such as ``"sales>100"`` (``>``, ``<``, ``>=``,
            ``<=``): for each, a PRIM box over the varied parameters (see
            :mod:`socialabm.sweeps.discovery`), written to ``analysis/prim_*`` and the report.

    Raises:
        AnalysisError: not a sweep directory, no successful run, unknown output names.
        DiscoveryError: a PRIM condition that is malformed, names no output, or that no run
            (or every run) meets.
    """
    from socialabm.sweeps import discovery
    from socialabm.sweeps.report import write_report

    data = load_sweep(directory)
    if data.runs.empty:
        raise AnalysisError(f"{data.out} has no successful run to analyse")
    chosen = choose_outputs(data, outputs)
    conditions = [discovery.parse_condition(c, data.outputs) for c in prim or []]
    for condition in conditions:  # a condition no run meets fails before any work
        discovery.cases(data, condition)
    target = data.out / "analysis"
    target.mkdir(exist_ok=True)
    table = point_stats(data, chosen)
    table.to_parquet(target / "point_stats.parquet", index=False)
    table.to_csv(target / "point_stats.csv", index=False)
    found = sensitivity(data, chosen)
    if not found.indices.empty:
        found.indices.to_csv(target / "sensitivity.csv", index=False)
    if not found.convergence.empty:
        found.convergence.to_csv(target / "convergence.csv", index=False)
    figures: dict[str, Path] = {}
    if plots:
        from socialabm.sweeps.plots import plot_convergence, plot_effects, plot_sensitivity

        figures = plot_effects(data, chosen, target / "plots")
        if not found.indices.empty:
            figures["sensitivity"] = plot_sensitivity(found.indices, target / "plots")
        if not found.convergence.empty:
            figures["convergence"] = plot_convergence(found.convergence, target / "plots")
    discovery.clear_discovery(target)
    discovered = []
    for condition in conditions:
        box = discovery.discover(data, condition)
        shown = discovery.write_discovery(box, target, plots)
        discovered.append(discovery.report_lines(box, shown, target))
    return write_report(data, chosen, table, found, figures, target / "report.md", discovered)
