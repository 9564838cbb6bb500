"""Batch experiments: parameter sweeps with seed-exact, crash-safe, parallel execution.

Python API::

    from socialabm.sweeps import load_spec, run_sweep, analyze_sweep

    spec = load_spec("examples/sweeps/small_grid.toml")   # or SweepSpec(vary={...}, ...)
    outcome = run_sweep(spec, "out/small_grid", workers=2)
    report = analyze_sweep("out/small_grid")

Command line: ``socialabm sweep SPEC.toml --out DIR`` and ``socialabm analyze DIR`` (see
``docs/sweeps.md``).
"""

from socialabm.sweeps.execute import SweepError, SweepOutcome, run_sweep
from socialabm.sweeps.spec import DESIGNS, SweepSpec, SweepSpecError, load_spec
from socialabm.sweeps.store import SweepStoreError

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


def analyze_sweep(*args, **kwargs):
    """Analyse a finished sweep directory; see :func:`socialabm.sweeps.analyze.analyze_sweep`."""
    from socialabm.sweeps.analyze import analyze_sweep as _analyze

    return _analyze(*args, **kwargs)


def read_runs(out):
    """The per-run table of a sweep directory (``runs.parquet``) as a DataFrame."""
    from pathlib import Path

    import pandas as pd

    return pd.read_parquet(Path(out) / "runs.parquet")
