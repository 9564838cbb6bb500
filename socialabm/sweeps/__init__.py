"""Batch experiments: parameter sweeps with seed-exact, crash-safe, parallel execution.

Python API::

    from socialabm.sweeps import load_spec, run_sweep, analyze_sweep

    spec = load_spec("examples/sweeps/small_grid.toml")   # or SweepSpec(vary={...}, ...)
    outcome = run_sweep(spec, "out/small_grid", workers=2)
    report = analyze_sweep("out/small_grid")

Command line: ``socialabm sweep SPEC.toml --out DIR`` and ``socialabm analyze DIR`` (see
``docs/sweeps.md``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from socialabm.lazy import lazy_attributes

if TYPE_CHECKING:
    import pandas as pd

_LAZY = {
    "DESIGNS": "socialabm.sweeps.spec",
    "SweepError": "socialabm.sweeps.execute",
    "SweepOutcome": "socialabm.sweeps.execute",
    "SweepSpec": "socialabm.sweeps.spec",
    "SweepSpecError": "socialabm.sweeps.spec",
    "SweepStoreError": "socialabm.sweeps.store",
    "load_spec": "socialabm.sweeps.spec",
    "run_sweep": "socialabm.sweeps.execute",
}
"""Public names imported from their module on first access, so that importing
``socialabm.sweeps.cli`` (to register the subcommands) loads neither numpy nor pandas."""

__all__ = [
    "DESIGNS",
    "SweepError",
    "SweepOutcome",
    "SweepSpec",
    "SweepSpecError",
    "SweepStoreError",
    "analyze_sweep",
    "load_spec",
    "read_runs",
    "run_sweep",
]


def analyze_sweep(
    directory: str | Path,
    outputs: list[str] | None = None,
    plots: bool = True,
    prim: list[str] | None = None,
    prim_boxes: list[int] | None = None,
    contrast_base: int | None = None,
) -> Path:
    """Analyse a finished sweep directory; write ``analysis/`` and return the path of ``report.md``.

    The same as :func:`socialabm.sweeps.analyze.analyze_sweep` (a test keeps the two signatures
    equal), imported on first call so that ``import socialabm.sweeps`` stays light.

    Args:
        directory: A sweep directory (``socialabm sweep ... --out DIR``).
        outputs: Summary outputs to analyse (default: the spec's ``[analysis] outputs``, else the
            first eight numeric outputs).
        plots: Draw the PNG plots into ``analysis/plots/``.
        prim: Scenario discovery conditions such as ``"sales>100"`` (``>``, ``<``, ``>=``,
            ``<=``): for each, a PRIM box over the varied parameters with its coverage and
            density (``analysis/prim_*``, a report section and plots).
        prim_boxes: The box of the peeling trajectory to show for each condition of ``prim``,
            in order (default: the densest covering at least half of the cases).
        contrast_base: The design point the paired contrasts compare every point with
            (default 0); the contrasts (``analysis/contrasts.csv`` and a report section) are
            made when the sweep ran with ``seeds = "common"``.

    Raises:
        AnalysisError: not a sweep directory, no successful run, unknown output names, more
            PRIM boxes than conditions, or a contrast base without common seeds or runs.
        DiscoveryError: a PRIM condition that is malformed, names no output, or that no run
            (or every run) meets, or a box not on its trajectory.
    """
    from socialabm.sweeps.analyze import analyze_sweep as _analyze

    return _analyze(
        directory, outputs=outputs, plots=plots, prim=prim, prim_boxes=prim_boxes,
        contrast_base=contrast_base,
    )  # fmt: skip


def read_runs(out: str | Path) -> pd.DataFrame:
    """The per-run table of a sweep directory (``runs.parquet``) as a pandas DataFrame.

    One row per successful run: its keys (``run_id``, ``point``, ``replicate``, ``seed``), its
    wall time ``seconds``, every parameter value and every summary output (units as in the
    model summary; an output whose name clashes with a parameter, a key or ``seconds`` is
    prefixed ``out_``). The table is rebuilt from the run records first if it is stale (an
    interrupted or resumed sweep committed runs after it was written).

    Raises:
        AnalysisError: not a sweep directory.
    """
    import pandas as pd

    from socialabm.sweeps.analyze import refresh

    refresh(out)
    return pd.read_parquet(Path(out) / "runs.parquet")


__getattr__, __dir__ = lazy_attributes("socialabm.sweeps", _LAZY, globals())
