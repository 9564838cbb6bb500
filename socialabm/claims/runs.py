"""The per-seed values behind a claims table (``docs/claims_runs.csv``).

A claims table is a function of its runs: for every claim, arm and seed, the summary outputs the
claim expects something of. Publishing them beside the table lets a test recompute the table
from them exactly (no model run) and rerun any few seeds of any arm to check that the code still
reproduces them, instead of rerunning every row at every seed.

Long format, one row per value: ``claim, arm, seed, output, value`` (floats written at full
precision, so a value read back is the value written).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from socialabm.claims.execute import ArmRuns
from socialabm.claims.registry import Claim

__all__ = ["RUNS_COLUMNS", "read_runs", "runs_frame"]

RUNS_COLUMNS = ("claim", "arm", "seed", "output", "value")
"""Columns of the per-seed values file."""


def runs_frame(claims: Sequence[Claim], runs: ArmRuns) -> pd.DataFrame:
    """The values of ``runs`` the claims' verdicts read, one row per claim, arm, seed and
    output (:data:`RUNS_COLUMNS`)."""
    parts = []
    for claim in claims:
        for arm, frame in runs[claim.id].items():
            values = frame[list(claim.expect)].rename_axis("seed").reset_index()
            long = values.melt(id_vars="seed", var_name="output", value_name="value")
            parts.append(long.assign(claim=claim.id, arm=arm))
    return pd.concat(parts, ignore_index=True)[list(RUNS_COLUMNS)]


def read_runs(path: str | Path) -> ArmRuns:
    """Per-seed values written by :func:`runs_frame` (as CSV) back as :data:`ArmRuns`."""
    table = pd.read_csv(path, keep_default_na=False, na_values=[""])
    out: ArmRuns = {}
    for (claim, arm), rows in table.groupby(["claim", "arm"], sort=False):
        wide = rows.pivot(index="seed", columns="output", values="value")
        out.setdefault(str(claim), {})[str(arm)] = wide.rename_axis(None).rename_axis(None, axis=1)
    return out
