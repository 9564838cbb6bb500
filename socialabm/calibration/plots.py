"""Figures of a calibration: the posterior's pair plot and the posterior predictive check."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from socialabm.calibration.spec import CalibrationSpec

__all__ = ["plot_pairs", "plot_predictive"]


def plot_pairs(spec: CalibrationSpec, frame: pd.DataFrame, path: Path) -> Path:
    """Pair plot of the posterior: weighted histograms on the diagonal (prior range as the
    x-axis), weighted scatter below it; the base scenario's value as a dashed line."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from socialabm.parameters import PARAMETERS

    names = list(spec.priors)
    k = len(names)
    fig, axes = plt.subplots(k, k, figsize=(2.3 * k + 0.6, 2.3 * k + 0.6), squeeze=False)
    w = frame["weight"].to_numpy()
    size = 4 + 60 * w / w.max()
    for i, yi in enumerate(names):
        for j, xj in enumerate(names):
            ax = axes[i][j]
            prior = spec.priors[xj]
            log = prior.kind == "loguniform"
            if j > i:
                ax.axis("off")
                continue
            if i == j:
                bins = (np.geomspace(prior.low, prior.high, 21) if log
                        else np.linspace(prior.low, prior.high, 21))  # fmt: skip
                ax.hist(frame[xj], bins=bins, weights=w, color="#4c72b0")
                ax.set_yticks([])
            else:
                ax.scatter(frame[xj], frame[yi], s=size, alpha=0.5, color="#4c72b0", lw=0)
                ylog = spec.priors[yi].kind == "loguniform"
                ax.set_ylim(spec.priors[yi].low, spec.priors[yi].high)
                if ylog:
                    ax.set_yscale("log")
                default_y = spec.base_parameters.get(yi, PARAMETERS[yi].default)
                ax.axhline(default_y, color="0.3", ls="--", lw=0.8)
            ax.set_xlim(prior.low, prior.high)
            if log:
                ax.set_xscale("log")
            ax.axvline(spec.base_parameters.get(xj, PARAMETERS[xj].default), color="0.3",
                       ls="--", lw=0.8)  # fmt: skip
            if i == k - 1:
                ax.set_xlabel(xj, fontsize=8)
            if j == 0 and i > 0:
                ax.set_ylabel(yi, fontsize=8)
            ax.tick_params(labelsize=7)
    fig.suptitle(f"{spec.name}: posterior (dashed: base scenario value)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_predictive(spec: CalibrationSpec, runs: pd.DataFrame, path: Path) -> Path:
    """Per target: simulated values under the posterior and the defaults (strips with their
    5-95% range) against the observation (a point with ±1 sd, or an interval, shaded)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    targets = [*spec.targets, *spec.held_out_targets]
    fig, axes = plt.subplots(len(targets), 1, figsize=(7, 1.1 * len(targets) + 0.8),
                             squeeze=False)  # fmt: skip
    held = {t.output for t in spec.held_out_targets}
    for ax, target in zip(axes[:, 0], targets, strict=True):
        if target.is_interval:
            ax.axvspan(target.low, target.high, color="#55a868", alpha=0.25, lw=0)
        else:
            ax.axvspan(target.value - target.sd, target.value + target.sd, color="#55a868",
                       alpha=0.25, lw=0)  # fmt: skip
            ax.axvline(target.value, color="#55a868", lw=1.5)
        for y, (arm, colour) in enumerate((("default", "0.55"), ("posterior", "#4c72b0"))):
            values = runs.loc[runs["arm"] == arm, target.output].to_numpy(dtype=float)
            values = values[np.isfinite(values)]
            if values.size:
                jitter = np.random.default_rng(y).uniform(-0.15, 0.15, values.size)
                ax.scatter(values, y + jitter, s=6, color=colour, alpha=0.6, lw=0)
                lo, hi = np.quantile(values, [0.05, 0.95])
                ax.plot([lo, hi], [y, y], color=colour, lw=2.5)
        ax.set_yticks([0, 1], ["default", "posterior"], fontsize=7)
        ax.set_ylim(-0.5, 1.5)
        label = f"{target.output}{' (held out)' if target.output in held else ''}"
        ax.set_title(label, fontsize=8, loc="left")
        ax.tick_params(axis="x", labelsize=7)
    fig.suptitle(f"{spec.name}: simulated patterns (5-95%) vs observed (green)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
