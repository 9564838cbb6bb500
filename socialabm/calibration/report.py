"""The results of a calibration directory: tables, figures and ``report.md``.

:func:`write_all` writes, next to ``history.db``:

* ``posterior.parquet`` -- the last generation's particles (parameters, ``weight``);
* ``summary.csv`` -- per parameter: default, mean, median, 90% credible interval, prior interval,
  ``narrowing`` (posterior width over prior width) and ``identified``;
* ``generations.csv`` -- per generation: tolerance, simulations, acceptance, ESS;
* ``predictive.parquet`` and ``predictive.csv`` -- the posterior predictive runs and, per target
  (fitted and held out), observed against simulated under the posterior and the defaults;
* ``plots/pairs.png``, ``plots/predictive.png``;
* ``report.md`` -- all of it in the style of ``socialabm analyze``'s report.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from socialabm.calibration.results import (
    IDENTIFIED_BELOW,
    LEVEL,
    generations,
    posterior,
    summaries,
)
from socialabm.calibration.spec import CalibrationSpec
from socialabm.sweeps.report import _fmt, _table

__all__ = ["write_all", "write_report"]


def write_all(
    spec: CalibrationSpec, out: Path, history: Any, backend: Any, progress: bool = True
) -> dict[str, Path]:
    """Write every result file of a finished calibration (see the module doc); return their
    paths by what they hold."""
    from socialabm.calibration.plots import plot_pairs, plot_predictive
    from socialabm.calibration.predictive import predictive_runs, predictive_table

    frame = posterior(history)
    files = {"posterior": out / "posterior.parquet", "summary": out / "summary.csv",
             "generations": out / "generations.csv"}  # fmt: skip
    frame.to_parquet(files["posterior"], index=False)
    summary = summaries(spec, frame)
    summary.to_csv(files["summary"], index=False)
    gens = generations(history)
    gens.to_csv(files["generations"], index=False)
    plots = out / "plots"
    plots.mkdir(exist_ok=True)
    files["pairs"] = plot_pairs(spec, frame, plots / "pairs.png")
    table = None
    if spec.predictive > 0:
        if progress:
            print(f"posterior predictive check: {2 * spec.predictive} runs", flush=True)
        runs = predictive_runs(spec, frame, backend)
        files["predictive_runs"] = out / "predictive.parquet"
        runs.to_parquet(files["predictive_runs"], index=False)
        table = predictive_table(spec, runs)
        files["predictive"] = out / "predictive.csv"
        table.to_csv(files["predictive"], index=False)
        files["predictive_plot"] = plot_predictive(spec, runs, plots / "predictive.png")
    files["report"] = write_report(spec, out, summary, gens, table)
    return files


def _parameter_lines(summary: pd.DataFrame) -> list[str]:
    rows = []
    for r in summary.itertuples():
        verdict = "identified" if r.identified else "**not identified**"
        rows.append([
            f"`{r.parameter}`", _fmt(float(r.default)), _fmt(r.median),
            f"[{_fmt(r.ci_low)}, {_fmt(r.ci_high)}]",
            f"{r.prior} [{_fmt(r.prior_low)}, {_fmt(r.prior_high)}]", _fmt(r.narrowing), verdict,
        ])  # fmt: skip
    return _table(
        ["parameter", "default", "median", f"{LEVEL:.0%} credible interval", "prior",
         "narrowing", "verdict"], rows,
    )  # fmt: skip


def _predictive_lines(table: pd.DataFrame) -> list[str]:
    rows = []
    for r in table.itertuples():
        rows.append([
            f"`{r.output}`", r.role, r.observed,
            f"{_fmt(r.posterior_mean)} [{_fmt(r.posterior_p05)}, {_fmt(r.posterior_p95)}]",
            _fmt(r.posterior_meets), _fmt(r.posterior_discrepancy),
            f"{_fmt(r.default_mean)} [{_fmt(r.default_p05)}, {_fmt(r.default_p95)}]",
            _fmt(r.default_meets), _fmt(r.default_discrepancy),
        ])  # fmt: skip
    return _table(
        ["target", "role", "observed", "posterior: mean [5%, 95%]", "meets", "discrepancy",
         "defaults: mean [5%, 95%]", "meets", "discrepancy"], rows,
    )  # fmt: skip


def write_report(
    spec: CalibrationSpec,
    out: Path,
    summary: pd.DataFrame,
    gens: pd.DataFrame,
    table: pd.DataFrame | None,
) -> Path:
    """Write ``report.md`` into ``out``; return its path."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    b = spec.budget
    last = gens.iloc[-1] if len(gens) else None
    lines = [f"# Calibration report: {spec.name}", ""]
    if spec.description:
        lines += [spec.description, ""]
    lines += [
        f"- base scenario: {spec.scenario or 'model defaults'}; fixed: "
        + (", ".join(f"`{k}` = {v!r}" for k, v in spec.fixed.items()) or "none"),
        f"- steps per run: {spec.steps or 'full horizon'}; root seed: {spec.seed}",
        f"- ABC-SMC (pyabc): {b.population} particles per generation, at most {b.generations} "
        f"generations and {b.max_simulations} simulations; tolerance = the {b.quantile:g} "
        f"quantile of the last generation's distances; distance: p-norm (p = "
        f"{spec.distance_p:g}) of the targets' standardised discrepancies",
        f"- socialabm {manifest.get('package_version')}, spec hash "
        f"`{manifest['spec_hash'][:12]}`, started {manifest.get('created')}",
    ]
    if last is not None:
        lines.append(
            f"- **{len(gens)} generations, {int(gens['simulations'].sum())} simulations; final "
            f"tolerance {_fmt(last['epsilon'])}, acceptance {_fmt(last['acceptance'])}, "
            f"effective sample size {_fmt(last['ess'])}**"
        )
    lines += ["", "## Observed patterns", ""]
    for role, patterns in (("fitted", spec.fit), ("held out", spec.held_out)):
        for p in patterns:
            text = " ".join(f"{p.citation} {p.location}".split())
            lines += [f"- **{p.title}** ({role}; `{p.name}`): {text}"]
            lines += [f"  - `{t.output}`: {t.describe()} ({t.uncertainty})" for t in p.targets]
    lines += [
        "",
        "## Parameters",
        "",
        f"Posterior median and {LEVEL:.0%} credible interval (weighted quantiles of the last "
        "generation). *Narrowing* is the credible interval's width over the prior's "
        f"{LEVEL:.0%} interval: below {IDENTIFIED_BELOW:g} the patterns identify the parameter; "
        "near 1 they leave it free.",
        "",
        *_parameter_lines(summary),
        "",
        "![pairs](plots/pairs.png)",
        "",
        "## Generations",
        "",
        *_table(
            ["t", "tolerance", "simulations", "acceptance", "ESS"],
            [
                [
                    str(int(r.t)),
                    _fmt(r.epsilon),
                    str(int(r.simulations)),
                    _fmt(r.acceptance),
                    _fmt(r.ess),
                ]
                for r in gens.itertuples()
            ],
        ),  # fmt: skip
    ]
    if table is not None:
        lines += [
            "",
            "## Posterior predictive check",
            "",
            f"{spec.predictive} runs at parameter sets drawn from the posterior and as many at "
            "the base scenario's values, with the same seeds. *Meets*: share of runs inside an "
            "observed interval, or within one sd of an observed point. *Discrepancy*: mean "
            "standardised distance from the observation (0 inside an interval). Held-out "
            "patterns were not fitted.",
            "",
            *_predictive_lines(table),
            "",
            "![predictive](plots/predictive.png)",
        ]
    path = out / "report.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
