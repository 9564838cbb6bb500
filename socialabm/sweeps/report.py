"""The short Markdown report of an analysed sweep (``analysis/report.md``)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from socialabm.sweeps.data import SweepData
    from socialabm.sweeps.sensitivity import Sensitivity

__all__ = ["write_report"]

MAX_POINT_ROWS = 40


def _fmt(x: float) -> str:
    return "nan" if pd.isna(x) else f"{x:.4g}"


def _cell(x: object) -> str:
    return _fmt(x) if isinstance(x, float) else str(x)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return lines


def _varied_lines(data: SweepData) -> list[str]:
    rows = []
    for name, v in data.spec.vary.items():
        what = (
            ", ".join(repr(x) for x in v.levels)
            if v.levels is not None
            else f"[{v.low:g}, {v.high:g}]"
        )
        rows.append([f"`{name}`", what])
    return _table(["varied parameter", "levels / range"], rows)


def _points_lines(data: SweepData, outputs: list[str], table: pd.DataFrame) -> list[str]:
    wide = {}
    for name in outputs:
        sub = table[table["output"] == name].set_index("point")
        wide[name] = sub.apply(
            lambda r: f"{_fmt(r['mean'])} [{_fmt(r['ci_low'])}, {_fmt(r['ci_high'])}]", axis=1
        )
    frame = pd.DataFrame(wide)
    points = pd.DataFrame(data.design["points"]).loc[frame.index]
    rows = []
    for p in frame.index[:MAX_POINT_ROWS]:
        rows.append(
            [str(p)]
            + [_cell(points.loc[p, v]) for v in data.varied]
            + [frame.loc[p, o] for o in outputs]
        )
    lines = _table(["point", *data.varied, *outputs], rows)
    if len(frame) > MAX_POINT_ROWS:
        lines.append(f"\n({len(frame) - MAX_POINT_ROWS} more points in `point_stats.csv`.)")
    return lines


def _sensitivity_lines(found: Sensitivity) -> list[str]:
    indices = found.indices
    lines: list[str] = []
    if not indices.empty:
        method = indices["method"].iloc[0]
        lines.append(
            f"Method: **{method}** (SALib) on the per-point mean over replicates; "
            "± is the bootstrap 95% half-width (a value without one has no interval: it could "
            "not be computed).\n"
        )
        if found.warnings:
            lines += ["**Warning: some indices are not trustworthy.**", ""]
            lines += [f"- {w}" for w in found.warnings]
            lines.append("")
        for output, sub in _cells(indices).groupby("output", sort=False):
            piv = sub.pivot(index="parameter", columns="index", values="cell")
            lines.append(f"**{output}**\n")
            lines += _table(
                ["parameter", *piv.columns], [[f"`{p}`", *piv.loc[p].tolist()] for p in piv.index]
            )
            lines.append("")
    lines += [f"- {n}" for n in found.notes]
    return lines


def _cells(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with a ``cell`` column: ``value ± conf`` (just the value without a conf)."""
    return frame.assign(
        cell=[
            f"{_fmt(v)} ± {_fmt(c)}" if not pd.isna(c) else _fmt(v)
            for v, c in zip(frame["value"], frame["conf"], strict=True)
        ]
    )


def _convergence_lines(convergence: pd.DataFrame) -> list[str]:
    """Per output: each index at each base sample size n (columns), from the sweep's prefixes."""
    if convergence.empty:
        return []
    lines = [
        "### Convergence",
        "",
        "The indices recomputed from the first n base samples of the design: values that still "
        "move between the last columns, or intervals that do not shrink, need a larger sample.",
        "",
    ]
    sizes = sorted(convergence["n"].unique())
    for output, sub in _cells(convergence).groupby("output", sort=False):
        piv = sub.pivot(index=["parameter", "index"], columns="n", values="cell")
        lines.append(f"**{output}**\n")
        lines += _table(
            ["parameter", "index", *[f"n = {n}" for n in sizes]],
            [[f"`{p}`", k, *piv.loc[(p, k)].tolist()] for p, k in piv.index],
        )
        lines.append("")
    return lines


def _contrast_lines(data: SweepData, contrasts: pd.DataFrame) -> list[str]:
    """The paired contrasts: each point against the base, per output, with the gain in width."""
    base = int(contrasts["base"].iloc[0]) if len(contrasts) else 0
    values = pd.DataFrame(data.design["points"])
    at_base = ", ".join(f"{v} = {_cell(values.loc[base, v])}" for v in data.varied)
    lines = [
        f"Each point against point {base} ({at_base}), on the same seeds: replicate k of every "
        "point ran on one seed, so the difference is the mean of the per-replicate differences, "
        f"with its 95% CI. p Holm adjusts the p-value for the {len(contrasts)} contrasts of the "
        "table (Benjamini-Hochberg's in `contrasts.csv`). The last column compares the half-width "
        "of the paired interval with that of the unpaired (Welch) interval of the same "
        "difference: what the common seeds gain.",
        "",
    ]
    rows = []
    for r in contrasts.head(MAX_POINT_ROWS * 4).itertuples():
        at = ", ".join(f"{v} = {_cell(values.loc[r.point, v])}" for v in data.varied)
        rows.append([
            f"{r.point} ({at})", f"`{r.output}`",
            f"{_fmt(r.diff)} [{_fmt(r.ci_low)}, {_fmt(r.ci_high)}]",
            f"{r.p_value:.2g}", f"{r.p_holm:.2g}",
            f"±{_fmt(r.paired_half)} vs ±{_fmt(r.unpaired_half)}",
        ])  # fmt: skip
    lines += _table(
        ["point", "output", f"minus point {base} [95% CI]", "p", "p Holm", "paired vs unpaired"],
        rows,
    )
    if len(contrasts) > len(rows):
        lines.append(f"\n({len(contrasts) - len(rows)} more contrasts in `contrasts.csv`.)")
    return lines


def write_report(
    data: SweepData,
    outputs: list[str],
    table: pd.DataFrame,
    found: Sensitivity,
    figures: dict[str, Path],
    path: Path,
    discovered: list[list[str]] | None = None,
    contrasts: pd.DataFrame | None = None,
) -> Path:
    """Write ``report.md`` next to the tables and plots; return its path.

    ``discovered``: the report lines of each PRIM search (scenario discovery), if any;
    ``contrasts``: the paired contrasts (:func:`socialabm.sweeps.contrasts.paired_contrasts`),
    if the sweep ran with common seeds."""
    spec, m = data.spec, data.manifest
    n_runs = m["n_runs"]
    ok, failed = len(data.runs), len(data.failures)
    lines = [f"# Sweep report: {spec.name}", ""]
    if spec.description:
        lines += [spec.description, ""]
    lines += [
        f"- design: **{spec.design}**, {m['n_points']} points x {spec.replicates} replicates ="
        f" {n_runs} runs: **{ok} ok, {failed} failed, {n_runs - ok - failed} not run**",
        f"- steps per run: {spec.steps or 'full horizon'}; root seed: {spec.seed}; base "
        f"scenario: {spec.scenario or 'model defaults'}",
        f"- fixed: {', '.join(f'`{k}` = {v!r}' for k, v in spec.fixed.items()) or 'none'}",
        f"- socialabm {m.get('package_version')}, spec hash `{m['spec_hash'][:12]}`, started "
        f"{m.get('created')}",
        "",
        *_varied_lines(data),
        "",
        "## Means per design point (95% CI across replicates)",
        "",
        *_points_lines(data, outputs, table),
        "",
    ]
    if contrasts is not None:
        lines += [
            "## Paired contrasts (common random numbers)",
            "",
            *_contrast_lines(data, contrasts),
            "",
        ]
    lines += [
        "## Sensitivity",
        "",
        *_sensitivity_lines(found),
    ]
    if "sensitivity" in figures:
        lines += ["", f"![sensitivity]({os.path.relpath(figures['sensitivity'], path.parent)})"]
    lines += ["", *_convergence_lines(found.convergence)] if not found.convergence.empty else []
    if "convergence" in figures:
        lines += [f"![convergence]({os.path.relpath(figures['convergence'], path.parent)})"]
    if discovered:
        lines += ["", "## Scenario discovery (PRIM)", ""]
        for paragraph in discovered:
            lines += [*paragraph, ""]
    effects = [o for o in outputs if o in figures]
    if effects:
        lines += ["", "## Outputs against each varied parameter", ""]
        lines += [f"![{o}]({os.path.relpath(figures[o], path.parent)})" for o in effects]
    if failed:
        lines += [
            "",
            "## Failed runs",
            "",
            f"{failed} run(s) failed; all details in `failures.parquet`. First ones:",
            "",
        ]
        rows = [
            [str(r.run_id), str(r.point), str(r.seed), str(r.error).replace("|", "/")[:120]]
            for r in data.failures.head(10).itertuples()
        ]
        lines += _table(["run_id", "point", "seed", "error"], rows)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
