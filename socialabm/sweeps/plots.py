"""PNG plots of a sweep: each output against each varied parameter, and sensitivity bars.

Effects are marginal: at each value of a parameter (or each of eight quantile bins of a
sampled continuous parameter), the mean over every run there, with a 95% CI band (Student's t
across those runs). Drawn with matplotlib's Agg backend (no display needed).
"""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from socialabm.parameters import lookup

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from socialabm.sweeps.data import SweepData

__all__ = ["draw_effects", "plot_convergence", "plot_effects", "plot_sensitivity", "short_labels"]

BINS = 8


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)


def _effect(runs: pd.DataFrame, param: str, output: str, levels: bool) -> pd.DataFrame:
    from socialabm.sweeps.data import summarise

    frame = runs[[param, output]].copy()
    if not levels and frame[param].nunique() > BINS:
        frame["_bin"] = pd.qcut(frame[param], BINS, duplicates="drop")
        x = frame.groupby("_bin", observed=True)[param].mean()
        stats = summarise(frame.groupby("_bin", observed=True)[output])
        stats["x"] = x.to_numpy()
    else:
        stats = summarise(frame.groupby(param)[output]).rename(columns={param: "x"})
    return stats


def plot_effects(data: SweepData, outputs: list[str], folder: Path) -> dict[str, Path]:
    """One PNG per output, one panel per varied parameter; returns ``{output: path}``."""
    plt = _pyplot()
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for output in outputs:
        fig = draw_effects(data, output)
        path = folder / f"effects_{_safe(output)}.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        paths[output] = path
    return paths


def draw_effects(data: SweepData, output: str) -> Figure:
    """The figure of :func:`plot_effects` for one output (the caller saves and closes it)."""
    plt = _pyplot()
    varied = data.varied
    cols = min(3, len(varied))
    rows = math.ceil(len(varied) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.2 * rows), squeeze=False)
    categorical = []
    for ax, param in zip(axes.flat, varied, strict=False):
        levels = data.spec.vary[param].levels is not None
        stats = _effect(data.runs, param, output, levels)
        if pd.api.types.is_numeric_dtype(stats["x"]) and not pd.api.types.is_bool_dtype(stats["x"]):
            x = stats["x"].to_numpy(float)
            ax.plot(x, stats["mean"], marker="o", color="C0")
            ax.fill_between(
                x, stats["ci_low"], stats["ci_high"], color="C0", alpha=0.25, label="95% CI"
            )
        else:
            pos = np.arange(len(stats))
            err = (stats["mean"] - stats["ci_low"]).fillna(0).to_numpy()
            ax.errorbar(pos, stats["mean"], yerr=err, fmt="o", capsize=4, color="C0")
            ax.set_xticks(pos, short_labels([str(v) for v in stats["x"]]))
            ax.set_xlim(-0.5, len(pos) - 0.5)
            categorical.append(ax)
        unit = lookup(param).unit
        ax.set_xlabel(param if unit in ("1", "-") else f"{param} [{unit}]")
        ax.set_ylabel(output)
        ax.grid(alpha=0.3)
    for ax in list(axes.flat)[len(varied) :]:
        ax.set_visible(False)
    fig.suptitle(f"{output}: mean over runs with 95% CI")
    fig.tight_layout()
    if _turn_crowded_labels(fig, categorical):
        fig.tight_layout()
    return fig


def short_labels(values: list[str]) -> list[str]:
    """Category labels for a plot axis: ``"module:Class"`` paths shortened to ``Class`` when
    the class names alone are still distinct; other values unchanged."""
    short = [v.rpartition(":")[2].rpartition(".")[2] if ":" in v else v for v in values]
    return short if len(set(short)) == len(set(values)) else values


def _turn_crowded_labels(fig: Figure, axes: list) -> bool:
    """Turn upright the tick labels of each of ``axes`` whose labels overlap, and make the
    figure taller by the room they take; return whether any were turned."""
    if not axes:
        return False
    renderer = fig.canvas.get_renderer()
    turned = []
    for ax in axes:
        boxes = [t.get_window_extent(renderer) for t in ax.get_xticklabels() if t.get_text()]
        if any(a.x1 > b.x0 for a, b in itertools.pairwise(boxes)):
            ax.tick_params(axis="x", labelrotation=90)
            turned.append(ax)
    if turned:
        tallest = max(
            t.get_window_extent(renderer).height for ax in turned for t in ax.get_xticklabels()
        )
        rows = len({ax.get_subplotspec().rowspan.start for ax in turned})
        fig.set_figheight(fig.get_figheight() + rows * tallest / fig.dpi)
    return bool(turned)


def plot_sensitivity(indices: pd.DataFrame, folder: Path) -> Path:
    """Bar chart of the indices: one panel per output, bars per parameter and index type."""
    plt = _pyplot()
    folder.mkdir(parents=True, exist_ok=True)
    outputs = list(dict.fromkeys(indices["output"]))
    kinds = list(dict.fromkeys(indices["index"]))
    fig, axes = plt.subplots(len(outputs), 1, figsize=(7.5, 2.6 * len(outputs)), squeeze=False)
    for ax, output in zip(axes[:, 0], outputs, strict=True):
        sub = indices[indices["output"] == output]
        params = list(dict.fromkeys(sub["parameter"]))
        width = 0.8 / len(kinds)
        for k, kind in enumerate(kinds):
            part = sub[sub["index"] == kind].set_index("parameter").reindex(params)
            pos = np.arange(len(params)) + (k - (len(kinds) - 1) / 2) * width
            ax.bar(
                pos,
                part["value"],
                width,
                yerr=part["conf"].fillna(0),
                capsize=3,
                label=kind,
                color=f"C{k}",
            )
        ax.set_xticks(np.arange(len(params)), params)
        ax.set_title(f"{output} ({sub['method'].iloc[0]})", fontsize=10)
        ax.axhline(0, color="black", lw=0.6)
        ax.legend(fontsize=8)
        ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    path = folder / "sensitivity.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_convergence(convergence: pd.DataFrame, folder: Path) -> Path:
    """Sobol indices against the base sample size n: one panel per output, one colour per
    parameter, ``ST`` solid and ``S1`` dashed, each with its 95% band."""
    plt = _pyplot()
    folder.mkdir(parents=True, exist_ok=True)
    outputs = list(dict.fromkeys(convergence["output"]))
    fig, axes = plt.subplots(len(outputs), 1, figsize=(7.5, 2.8 * len(outputs)), squeeze=False)
    for ax, output in zip(axes[:, 0], outputs, strict=True):
        sub = convergence[convergence["output"] == output]
        for k, param in enumerate(dict.fromkeys(sub["parameter"])):
            for kind, style in (("ST", "-"), ("S1", "--")):
                part = sub[(sub["parameter"] == param) & (sub["index"] == kind)].sort_values("n")
                n, value, conf = part["n"], part["value"], part["conf"].fillna(0)
                label = f"{param} {kind}"
                ax.plot(n, value, style, marker="o", ms=3, color=f"C{k}", label=label)
                ax.fill_between(n, value - conf, value + conf, color=f"C{k}", alpha=0.08)
        ax.set_xscale("log", base=2)
        ax.set_xlabel("base sample size n")
        ax.set_ylabel("index")
        ax.set_title(f"{output}: Sobol indices as the sample grows (ST solid, S1 dashed)")
        ax.axhline(0, color="black", lw=0.6)
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    path = folder / "convergence.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
