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
* Paired contrasts (:mod:`socialabm.sweeps.contrasts`), when the sweep ran with
  ``seeds = "common"``: every point against a base point, paired by replicate, with 95% CIs and
  Holm-adjusted p-values.

:func:`analyze_sweep` writes ``analysis/`` (tables, ``plots/``, ``report.md``) into the sweep
directory.
"""

from __future__ import annotations

from pathlib import Path

from socialabm.extras import require
from socialabm.sweeps.contrasts import paired_contrasts
from socialabm.sweeps.data import (
    AnalysisError,
    SweepData,
    choose_outputs,
    load_sweep,
    point_stats,
    refresh,
)
from socialabm.sweeps.sensitivity import Sensitivity, sensitivity

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


def analyze_sweep(
    directory: str | Path,
    outputs: list[str] | None = None,
    plots: bool = True,
    prim: list[str] | None = None,
    prim_boxes: list[int] | None = None,
    contrast_base: int | None = None,
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
        prim_boxes: The box of the peeling trajectory to show for each condition of ``prim``,
            in order (default: the densest covering at least half of the cases).
        contrast_base: The design point the paired contrasts compare every point with
            (default 0); the contrasts are made when the sweep ran with ``seeds = "common"``.

    Raises:
        AnalysisError: not a sweep directory, no successful run, unknown output names, more
            PRIM boxes than conditions, or a contrast base without common seeds or runs.
        DiscoveryError: a PRIM condition that is malformed, names no output, or that no run
            (or every run) meets, or a box not on its trajectory.
        MissingExtraError: plots, sensitivity indices or PRIM without the ``analysis`` extra
            (checked before any work; ``plots=False`` needs no matplotlib).
    """
    from socialabm.sweeps import discovery
    from socialabm.sweeps.report import write_report

    data = load_sweep(directory)
    if data.runs.empty:
        raise AnalysisError(f"{data.out} has no successful run to analyse")
    _require_extras(data, plots, bool(prim))
    chosen = choose_outputs(data, outputs)
    conditions = [discovery.parse_condition(c, data.outputs) for c in prim or []]
    boxes = list(prim_boxes or [])
    if len(boxes) > len(conditions):
        raise AnalysisError(
            f"--prim-box given {len(boxes)} times for {len(conditions)} --prim condition(s): "
            "one box per condition, in the same order"
        )
    for condition in conditions:  # a condition no run meets fails before any work
        discovery.cases(data, condition)
    contrasts = None
    if contrast_base is not None or data.spec.seeds == "common":
        contrasts = paired_contrasts(data, chosen, 0 if contrast_base is None else contrast_base)
    target = data.out / "analysis"
    target.mkdir(exist_ok=True)
    table = point_stats(data, chosen)
    table.to_parquet(target / "point_stats.parquet", index=False)
    table.to_csv(target / "point_stats.csv", index=False)
    if contrasts is not None:
        contrasts.to_csv(target / "contrasts.csv", index=False)
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
    for i, condition in enumerate(conditions):
        box = discovery.discover(data, condition, boxes[i] if i < len(boxes) else None)
        shown = discovery.write_discovery(box, target, plots)
        discovered.append(discovery.report_lines(box, shown, target))
    return write_report(
        data, chosen, table, found, figures, target / "report.md", discovered, contrasts
    )


def _require_extras(data: SweepData, plots: bool, prim: bool) -> None:
    """Stop before any work if the analysis asked for needs a module of the ``analysis`` extra
    that is missing."""
    if plots:
        require("analysis", "plotting (--no-plots skips it)", ("matplotlib",))
    if data.spec.design != "grid":
        require("analysis", f"sensitivity analysis of a {data.spec.design} design", ("SALib",))
    if prim:
        require("analysis", "--prim (scenario discovery)", ("ema_workbench",))
