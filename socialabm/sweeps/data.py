"""A sweep directory loaded for analysis, and its per-point summary statistics.

* :func:`load_sweep` reads the directory (rebuilding its consolidated tables first when an
  interrupted or resumed sweep left them stale, :func:`refresh`).
* :func:`point_stats`: for every design point and output, the mean over replicates with a 95%
  confidence interval from Student's t (``mean +- t(0.975, n-1) * sd / sqrt(n)``; no interval
  with n = 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from socialabm.output_catalog import unknown_output
from socialabm.parameters import CLASS_PARAMETERS, PARAMETERS
from socialabm.sweeps import store
from socialabm.sweeps.design import point_parameters
from socialabm.sweeps.spec import SweepSpec

__all__ = [
    "AnalysisError",
    "SweepData",
    "choose_outputs",
    "load_sweep",
    "point_stats",
    "refresh",
    "summarise",
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
            where = "--outputs" if outputs else f"{data.spec.source} [analysis] outputs"
            raise AnalysisError(
                unknown_output(where, name, data.outputs, f"a numeric output of {data.out}")
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
