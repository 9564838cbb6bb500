"""Scenario discovery: which region of the varied parameters makes an output cross a threshold.

``socialabm analyze DIR --prim "sales>100"`` marks every run whose output meets the condition
as a *case* and runs PRIM (the Patient Rule Induction Method, Friedman & Fisher 1999, as
implemented by the EMA Workbench, ``ema_workbench.analysis.prim``) over the runs' varied
parameters. PRIM peels the parameter space down to a box that holds many cases (*coverage*:
share of all cases inside the box) and few non-cases (*density*: share of the runs inside the
box that are cases). Each peeling step is one box on the *peeling trajectory*; the report shows
the box with the highest density among those covering at least :data:`MIN_COVERAGE` of the
cases, and writes the whole trajectory so another box can be chosen.

Each run is one row (replicates of a point are separate rows: the model's noise is part of the
question). Numeric parameters are treated as continuous, the others (modes, agent classes) as
categories.
"""

from __future__ import annotations

import json
import math
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from socialabm.sweeps.data import SweepData

__all__ = [
    "MIN_COVERAGE",
    "Condition",
    "DiscoveryError",
    "PrimBox",
    "cases",
    "clear_discovery",
    "discover",
    "parse_condition",
    "report_lines",
    "trajectory_lines",
    "write_discovery",
]

MIN_COVERAGE = 0.5
"""The chosen box is the densest on the peeling trajectory that covers at least this share of
the cases."""

_CONDITION = re.compile(r"^\s*([A-Za-z_][\w.]*)\s*(>=|<=|>|<)\s*(\S+)\s*$")
_OPS = {
    ">": np.greater,
    "<": np.less,
    ">=": np.greater_equal,
    "<=": np.less_equal,
}


class DiscoveryError(ValueError):
    """A PRIM condition cannot be used (message says why and what is allowed)."""


@dataclass(frozen=True)
class Condition:
    """``OUTPUT > VALUE`` (or ``<``, ``>=``, ``<=``): what makes a run a case."""

    output: str
    op: str
    value: float

    def __str__(self) -> str:
        return f"{self.output}{self.op}{self.value:g}"

    @property
    def slug(self) -> str:
        """The condition as a file name part (``sales_gt_100``)."""
        word = {">": "gt", "<": "lt", ">=": "ge", "<=": "le"}[self.op]
        return re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{self.output}_{word}_{self.value:g}")

    def holds(self, values: pd.Series) -> np.ndarray:
        """Boolean array: which values meet the condition."""
        return _OPS[self.op](values.to_numpy(float), self.value)


def parse_condition(text: str, outputs: list[str]) -> Condition:
    """Read ``"OUTPUT>VALUE"`` (``>``, ``<``, ``>=``, ``<=``) naming one of ``outputs``.

    Raises:
        DiscoveryError: not of that form, or an unknown output (with close matches).
    """
    from socialabm.output_catalog import unknown_output

    match = _CONDITION.match(text)
    try:
        value = float(match.group(3)) if match else math.nan
    except ValueError:
        value = math.nan
    if match is None or not math.isfinite(value):
        raise DiscoveryError(
            f"--prim {text!r}: expected OUTPUT>VALUE, OUTPUT<VALUE, OUTPUT>=VALUE or "
            "OUTPUT<=VALUE with a number, e.g. 'sales>100'"
        )
    output = match.group(1)
    if output not in outputs:
        raise DiscoveryError(
            unknown_output(f"--prim {text!r}", output, outputs, "a numeric output of this sweep")
        )
    return Condition(output, match.group(2), value)


@dataclass
class PrimBox:
    """The result of one PRIM search.

    Attributes:
        condition: What makes a run a case.
        n_runs: Runs searched (successful runs with a value of the output).
        n_cases: Runs that meet the condition.
        trajectory: One row per box on the peeling trajectory: ``box``, ``coverage``,
            ``density``, ``mass`` (share of runs inside), ``n`` (runs inside), ``res_dim``
            (restricted parameters), ``chosen``.
        chosen: Row of ``trajectory`` shown as the result.
        limits: The chosen box's restrictions, one row per restricted parameter: ``low`` and
            ``high`` (numeric; NaN when not restricted on that side) or ``levels`` (categories
            kept), and the quasi-p-value of each restriction (``qp_low``, ``qp_high``).
        ema_box: The EMA Workbench ``PrimBox`` (for further inspection; not saved).
        picked: The box was chosen by the user (``--prim-box``), not by :data:`MIN_COVERAGE`.
    """

    condition: Condition
    n_runs: int
    n_cases: int
    trajectory: pd.DataFrame
    chosen: int
    limits: pd.DataFrame
    ema_box: Any = field(default=None, repr=False)
    picked: bool = False

    @property
    def how_chosen(self) -> str:
        """Why this box is shown: chosen with ``--prim-box``, or the automatic rule."""
        if self.picked:
            return "chosen with --prim-box"
        return f"the densest covering at least {MIN_COVERAGE:.0%} of the cases"

    def trajectory_lines(self) -> list[str]:
        """The peeling trajectory as a small table, the shown box marked (to pick another)."""
        return trajectory_lines(self.trajectory)

    @property
    def stats(self) -> pd.Series:
        """Coverage, density, mass, n and res_dim of the chosen box."""
        return self.trajectory.iloc[self.chosen]

    def restrictions(self) -> list[str]:
        """The chosen box as readable restrictions (``jump_friction <= 0.31``, ...)."""
        parts = []
        for param, row in self.limits.iterrows():
            if isinstance(row["levels"], list):
                parts.append(f"{param} in {{{', '.join(map(str, row['levels']))}}}")
            elif pd.isna(row["low"]):
                parts.append(f"{param} <= {row['high']:.4g}")
            elif pd.isna(row["high"]):
                parts.append(f"{param} >= {row['low']:.4g}")
            else:
                parts.append(f"{row['low']:.4g} <= {param} <= {row['high']:.4g}")
        return parts

    def line(self) -> str:
        """One line: the box, its coverage and density."""
        s = self.stats
        where = " and ".join(self.restrictions()) or "(no restriction)"
        return (
            f"PRIM {self.condition}: {self.n_cases} of {self.n_runs} runs are cases; box "
            f"{int(s['box'])} ({self.how_chosen}): {where}; coverage {s['coverage']:.0%}, "
            f"density {s['density']:.0%}, {int(s['n'])} runs inside"
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (``prim_<condition>.json``)."""
        return {
            "condition": str(self.condition),
            "n_runs": self.n_runs,
            "n_cases": self.n_cases,
            "box": int(self.stats["box"]),
            **{k: float(self.stats[k]) for k in ("coverage", "density", "mass")},
            "restrictions": self.restrictions(),
            "picked": self.picked,
            "summary": self.line(),
        }


def trajectory_lines(trajectory: pd.DataFrame) -> list[str]:
    """A peeling trajectory (:attr:`PrimBox.trajectory`, or ``prim_*.csv`` read back) as a
    small table, the shown box marked."""
    lines = ["  box  coverage  density  runs  restricted"]
    for row in trajectory.itertuples():
        mark = "  <- shown" if row.chosen else ""
        lines.append(
            f"  {row.box:>3}  {row.coverage:>8.0%}  {row.density:>7.0%}  {row.n:>4}  "
            f"{row.res_dim:>10}{mark}"
        )
    return lines


def _inputs(runs: pd.DataFrame, varied: list[str]) -> pd.DataFrame:
    """The varied parameters of each run as PRIM wants them: numbers as floats, the rest as
    categories of strings."""
    x = pd.DataFrame(index=range(len(runs)))
    for name in varied:
        column = runs[name].reset_index(drop=True)
        numeric = pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)
        x[name] = column.astype(float) if numeric else column.astype(str).astype("category")
    return x


def _limits(box: Any, i: int) -> pd.DataFrame:
    """The restrictions of box ``i`` relative to the initial box (numeric sides that moved,
    categories dropped), with their quasi-p-values."""
    initial, lims = box.box_lims[0], box.box_lims[i]
    rows = []
    for name in lims.columns:
        low, high = lims[name].iloc[0], lims[name].iloc[1]
        qp = box.p_values[i].get(name, [-1.0, -1.0])
        qp = [q if q >= 0 else math.nan for q in qp]
        if isinstance(low, set):
            if low != initial[name].iloc[0]:
                rows.append({"parameter": name, "levels": sorted(map(str, low)),
                             "low": math.nan, "high": math.nan,
                             "qp_low": qp[0], "qp_high": qp[1]})  # fmt: skip
            continue
        moved_low, moved_high = low > initial[name].iloc[0], high < initial[name].iloc[1]
        if moved_low or moved_high:
            rows.append({"parameter": name, "levels": None,
                         "low": float(low) if moved_low else math.nan,
                         "high": float(high) if moved_high else math.nan,
                         "qp_low": qp[0], "qp_high": qp[1]})  # fmt: skip
    columns = ["parameter", "low", "high", "levels", "qp_low", "qp_high"]
    return pd.DataFrame(rows, columns=columns).set_index("parameter")


def cases(data: SweepData, condition: Condition) -> tuple[pd.DataFrame, np.ndarray]:
    """The runs with a value of the condition's output, and which of them are cases.

    Raises:
        DiscoveryError: no run, or every run, meets the condition (PRIM needs both).
    """
    runs = data.runs[data.runs[condition.output].notna()].reset_index(drop=True)
    y = condition.holds(runs[condition.output])
    if not y.any() or y.all():
        values = runs[condition.output]
        which = "no run" if not y.any() else "every run"
        raise DiscoveryError(
            f"--prim {condition}: {which} of the {len(runs)} meets it ({condition.output} "
            f"ranges from {values.min():.4g} to {values.max():.4g}); choose a threshold inside"
        )
    return runs, y


def discover(data: SweepData, condition: Condition, box: int | None = None) -> PrimBox:
    """Run PRIM over the sweep's runs for ``condition``.

    Args:
        data: The sweep.
        condition: What makes a run a case.
        box: The box of the peeling trajectory to show (``--prim-box``); default: the densest
            covering at least :data:`MIN_COVERAGE` of the cases.

    Raises:
        DiscoveryError: no run, or every run, meets the condition (PRIM needs both), or ``box``
            is not on the trajectory.
    """
    runs, y = cases(data, condition)
    with warnings.catch_warnings():  # ema_workbench warns about optional parallel back ends
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim

        prim_box = prim.Prim(_inputs(runs, data.varied), y).find_box()
    traj = prim_box.peeling_trajectory.reset_index(drop=True)
    trajectory = pd.DataFrame({
        "box": range(len(traj)), "coverage": traj["coverage"].astype(float),
        "density": traj["density"].astype(float), "mass": traj["mass"].astype(float),
        "n": traj["n"].astype(int), "res_dim": traj["res_dim"].astype(int),
    })  # fmt: skip
    if box is None:
        eligible = trajectory[trajectory["coverage"] >= MIN_COVERAGE]
        chosen = int(eligible.sort_values(["density", "box"], ascending=[False, True]).index[0])
    elif 0 <= box < len(trajectory):
        chosen = box
    else:
        raise DiscoveryError(
            f"--prim-box {box}: the peeling trajectory of {condition} has boxes 0 to "
            f"{len(trajectory) - 1} (prim_{condition.slug}.csv lists them)"
        )
    trajectory["chosen"] = trajectory["box"] == chosen
    return PrimBox(condition, len(runs), int(y.sum()), trajectory, chosen,
                   _limits(prim_box, chosen), prim_box, picked=box is not None)  # fmt: skip


def clear_discovery(folder: Path) -> None:
    """Delete the PRIM files an earlier analysis wrote into ``folder`` (``analysis/``)."""
    for path in [*folder.glob("prim_*"), *folder.glob("plots/prim_*")]:
        path.unlink()


def write_discovery(result: PrimBox, folder: Path, plots: bool) -> dict[str, Path]:
    """Write ``prim_<condition>.csv`` (the trajectory), ``.json`` (the chosen box) and, with
    ``plots``, ``plots/prim_<condition>_tradeoff.png`` and ``_box.png``; return the plots."""
    stem = f"prim_{result.condition.slug}"
    result.trajectory.to_csv(folder / f"{stem}.csv", index=False)
    (folder / f"{stem}.json").write_text(json.dumps(result.to_dict(), indent=1) + "\n")
    if not plots:
        return {}
    from socialabm.sweeps.plots import _pyplot

    plt = _pyplot()
    (folder / "plots").mkdir(exist_ok=True)
    paths = {}
    fig = result.ema_box.show_tradeoff()
    s = result.stats
    ax = fig.axes[0]
    ax.scatter([s["coverage"]], [s["density"]], s=160, facecolors="none", edgecolors="red")
    ax.annotate(f"box {int(s['box'])}", (s["coverage"], s["density"]), xytext=(8, -12),
                textcoords="offset points", color="red")  # fmt: skip
    ax.set_title(f"PRIM peeling trajectory: {result.condition}")
    paths["tradeoff"] = folder / "plots" / f"{stem}_tradeoff.png"
    fig.savefig(paths["tradeoff"], dpi=110, bbox_inches="tight")
    plt.close(fig)
    if len(result.limits):
        fig = result.ema_box.inspect(result.chosen, style="graph")[0]
        fig.suptitle(f"PRIM box {result.chosen} for {result.condition}")
        paths["box"] = folder / "plots" / f"{stem}_box.png"
        fig.savefig(paths["box"], dpi=110, bbox_inches="tight")
        plt.close(fig)
    return paths


def report_lines(result: PrimBox, figures: dict[str, Path], folder: Path) -> list[str]:
    """The report's paragraph on one PRIM search (figure paths relative to ``folder``)."""
    import os

    s = result.stats
    lines = [
        f"**{result.condition}**: {result.n_cases} of {result.n_runs} runs are cases. Box "
        f"{int(s['box'])} ({result.how_chosen}): coverage **{s['coverage']:.0%}**, density "
        f"**{s['density']:.0%}**, {int(s['n'])} runs inside (mass {s['mass']:.0%}). Whole "
        f"trajectory: `prim_{result.condition.slug}.csv` and below; "
        "`socialabm analyze DIR --prim ... --prim-box N` shows box N instead.",
        "",
    ]
    if len(result.limits):
        lines += ["| parameter | restriction | quasi-p (low, high side) |", "|---|---|---|"]
        for (param, row), text in zip(result.limits.iterrows(), result.restrictions(), strict=True):
            qp = [f"{q:.2g}" for q in (row["qp_low"], row["qp_high"]) if not pd.isna(q)]
            lines.append(f"| `{param}` | {text} | {', '.join(qp) or '-'} |")
    else:
        lines.append("The box restricts no parameter: the cases are spread over the whole design.")
    lines.append("")
    lines += [f"![{k}]({os.path.relpath(p, folder)})" for k, p in figures.items()]
    lines += ["", "Peeling trajectory:", "", "```", *result.trajectory_lines(), "```"]
    return lines
