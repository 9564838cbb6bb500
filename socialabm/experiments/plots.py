"""Static plots of a run's daily series (matplotlib, Agg backend)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

SCENE_COLUMNS = ("sales_trading_only", "sales_jump", "sales_in_scene", "sales_alliance")
"""Daily sales columns by trading scenario, stacked in the sales panel."""


def plot_key_series(daily: pd.DataFrame, path: Path, title: str = "") -> None:
    """Four panels: awareness, sales by trading scenario (stacked), stock and presale orders,
    self-restraint and debt. Writes a PNG to ``path``."""
    fig, axes = plt.subplots(2, 2, figsize=(11, 7), sharex=True)
    day = daily["day"]
    axes[0, 0].plot(day, daily["aware"], color="tab:blue")
    axes[0, 0].set_title("aware consumers")
    scenes = [c for c in SCENE_COLUMNS if c in daily]
    axes[0, 1].stackplot(
        day, *[daily[c] for c in scenes], labels=[c.removeprefix("sales_") for c in scenes]
    )
    axes[0, 1].set_title("sales by trading scenario (units/day)")
    axes[0, 1].legend(loc="upper left", fontsize=8)
    axes[1, 0].plot(day, daily["stock"], label="stock")
    axes[1, 0].plot(day, daily["presale_orders"], label="presale orders/day")
    axes[1, 0].set_title("stock and presale orders")
    axes[1, 0].legend(fontsize=8)
    ax = axes[1, 1]
    ax.plot(day, daily["mean_self_restraint"], color="tab:green", label="self-restraint")
    ax.set_ylabel("mean self-restraint")
    twin = ax.twinx()
    twin.plot(day, daily["total_debt"], color="tab:red", label="debt")
    twin.set_ylabel("total debt (CU)")
    ax.set_title("self-restraint and debt")
    for a in axes[1]:
        a.set_xlabel("day")
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
