"""The app's panels as plain functions of a model (or of its daily frame): no Solara in here.

Each ``fig_*`` function returns a :class:`matplotlib.figure.Figure` (built without pyplot, so it
is safe in the server's threads); the text functions return strings. The Solara page in
:mod:`socialabm.viz.app` wraps them; tests call them directly with a small model.

Columns of the daily frame are read generically: whatever exists is plotted, missing ones are
skipped, so new model outputs flow in without edits here.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

#: Colours of the consumer display states (``socialabm.CONSUMER_STATES`` order).
STATE_COLOURS: dict[str, str] = {
    "unaware": "#c8c8c8",
    "aware": "#6baed6",
    "ordered": "#fd8d3c",
    "owner": "#31a354",
    "sharer": "#d6219c",
    "churned_fan": "#3f3f3f",
}

#: Order and colour of the trading scenarios in the stacked sales plot.
SALES_COLOURS: dict[str, str] = {
    "trading_only": "#9ecae1",
    "jump": "#fdae6b",
    "in_scene": "#74c476",
    "alliance": "#9e9ac8",
}

CHANNEL_COLOURS: dict[str, str] = {
    "self_run": "#1f77b4",
    "trading_3p": "#17becf",
    "social_3p": "#ff7f0e",
    "self_built_social": "#d62728",
}

FIG_DPI = 72
"""Resolution of the PNGs sent to the browser (low keeps each step's round trip short)."""


def _figure(width: float = 5.2, height: float = 3.0, rows: int = 1, sharex: bool = True):
    fig = Figure(figsize=(width, height), dpi=FIG_DPI, layout=None)
    axes = fig.subplots(rows, 1, sharex=sharex, squeeze=False)[:, 0]
    return fig, axes


def _empty(ax, text: str = "no days run yet: press Step or Play") -> None:
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="#777")
    ax.set_xticks([])
    ax.set_yticks([])


def _columns(df: pd.DataFrame, prefix: str) -> list[str]:
    return [c for c in df.columns if c.startswith(prefix)]


def sales_columns(df: pd.DataFrame) -> list[str]:
    """The ``sales_*`` columns, known trading scenarios first in their classroom order."""
    cols = _columns(df, "sales_")
    known = [f"sales_{k}" for k in SALES_COLOURS if f"sales_{k}" in cols]
    return known + [c for c in cols if c not in known]


def fig_sales(df: pd.DataFrame, n_consumers: int | None = None) -> Figure:
    """Awareness (top) and daily sales stacked by trading scenario (bottom) over time."""
    fig, (ax_aware, ax_sales) = _figure(height=3.6, rows=2)
    if df is None or df.empty:
        _empty(ax_aware)
        _empty(ax_sales, "")
        return fig
    day = df["day"].to_numpy()
    if "aware" in df:
        aware = df["aware"].to_numpy(dtype=float)
        if n_consumers:
            aware = 100.0 * aware / n_consumers
            ax_aware.set_ylabel("aware (%)")
        else:
            ax_aware.set_ylabel("aware")
        ax_aware.plot(day, aware, color=STATE_COLOURS["aware"], lw=2)
        ax_aware.set_ylim(bottom=0)
    ax_aware.set_title("Awareness and sales by trading scenario", fontsize=10)
    cols = sales_columns(df)
    if cols:
        values = [df[c].to_numpy(dtype=float) for c in cols]
        labels = [c.removeprefix("sales_") for c in cols]
        colours = [SALES_COLOURS.get(lab) for lab in labels]
        ax_sales.stackplot(day, values, labels=labels, colors=colours, step="mid")
        ax_sales.legend(loc="upper left", fontsize=7, ncol=len(cols), frameon=False)
    ax_sales.set_ylabel("units/day")
    ax_sales.set_xlabel("day")
    return fig


def fig_presale(df: pd.DataFrame) -> Figure:
    """Presale orders, stock and unfilled demand over time."""
    fig, (ax,) = _figure()
    if df is None or df.empty:
        _empty(ax)
        return fig
    day = df["day"].to_numpy()
    for col, colour in (
        ("presale_orders", "#fd8d3c"),
        ("stock", "#31a354"),
        ("unfilled", "#d62728"),
    ):
        if col in df:
            ax.plot(day, df[col].to_numpy(dtype=float), label=col.replace("_", " "), color=colour)
    ax.set_title("Presale orders and stock", fontsize=10)
    ax.set_xlabel("day")
    ax.set_ylabel("units")
    ax.legend(fontsize=7, frameon=False)
    return fig


def fig_stars(counts: Any) -> Figure:
    """Histogram of posted star ratings (1..5): the J-shape of online reviews."""
    fig, (ax,) = _figure(width=3.8)
    counts = np.asarray(counts if counts is not None else np.zeros(5), dtype=float).ravel()[:5]
    total = counts.sum()
    stars = np.arange(1, counts.size + 1)
    ax.bar(
        stars, counts, color=["#d73027", "#fc8d59", "#fee08b", "#91cf60", "#1a9850"][: counts.size]
    )
    ax.set_xticks(stars, [f"{s}★" for s in stars])
    ax.set_title(f"Star ratings ({int(total)} reviews)", fontsize=10)
    ax.set_ylabel("reviews")
    if total:
        mean = float((counts * stars).sum() / total)
        ax.text(0.02, 0.95, f"mean {mean:.2f}★", transform=ax.transAxes, va="top", fontsize=8)
    return fig


def fig_channels(df: pd.DataFrame) -> Figure:
    """Wholesale price (top) and cumulative-or-daily profit (bottom) by retail channel."""
    fig, (ax_w, ax_p) = _figure(height=3.6, rows=2)
    if df is None or df.empty:
        _empty(ax_w)
        _empty(ax_p, "")
        return fig
    day = df["day"].to_numpy()
    for ax, prefix, ylabel in (
        (ax_w, "wholesale_", "wholesale (CU)"),
        (ax_p, "profit_", "profit (CU)"),
    ):
        for col in _columns(df, prefix):
            channel = col.removeprefix(prefix)
            ax.plot(
                day,
                df[col].to_numpy(dtype=float),
                label=channel,
                color=CHANNEL_COLOURS.get(channel),
            )
        ax.set_ylabel(ylabel)
    ax_w.set_title("Wholesale price and profit by channel", fontsize=10)
    if ax_w.lines:
        ax_w.legend(fontsize=7, frameon=False, ncol=2)
    ax_p.set_xlabel("day")
    return fig


def fig_restraint(df: pd.DataFrame) -> Figure:
    """Mean self-restraint (left axis) and total consumer debt (right axis)."""
    fig, (ax,) = _figure()
    if df is None or df.empty:
        _empty(ax)
        return fig
    day = df["day"].to_numpy()
    if "mean_self_restraint" in df:
        ax.plot(
            day,
            df["mean_self_restraint"].to_numpy(dtype=float),
            color="#3182bd",
            label="mean self-restraint",
        )
    ax.set_ylabel("self-restraint", color="#3182bd")
    ax.set_xlabel("day")
    if "total_debt" in df:
        ax2 = ax.twinx()
        ax2.plot(day, df["total_debt"].to_numpy(dtype=float), color="#de2d26", label="total debt")
        ax2.set_ylabel("total debt (CU)", color="#de2d26")
    ax.set_title("Self-restraint and debt", fontsize=10)
    return fig


def _age(alliance: Any, day: int) -> int:
    age = getattr(alliance, "age", 0)
    return int(age(day) if callable(age) else age)


def alliance_lines(model: Any) -> list[str]:
    """One line per live alliance: members, size, age and pooled volume."""
    lines = []
    for k, a in enumerate(getattr(model, "alliances", []) or [], start=1):
        members = ", ".join(str(getattr(p, "name", p)) for p in a.members)
        label = getattr(a, "id", k) or k
        lines.append(
            f"Alliance {label}: {members} — {len(a.members)} platforms, "
            f"{_age(a, model.day)} days, pooled {getattr(a, 'pooled_volume', 0):,} units"
        )
    return lines


def fig_alliances(model: Any, df: pd.DataFrame) -> Figure:
    """Platforms as a small graph (allied ones linked) and alliance share against the giant."""
    fig = Figure(figsize=(5.2, 3.0), dpi=FIG_DPI, layout=None)
    ax_g, ax_t = fig.subplots(1, 2, width_ratios=[1, 1.4])
    platforms = list(getattr(model, "platforms", []) or [])
    n = len(platforms)
    angle = np.linspace(0, 2 * np.pi, n, endpoint=False) + np.pi / 2
    xy = np.column_stack([np.cos(angle), np.sin(angle)]) if n else np.zeros((0, 2))
    index = {id(p): i for i, p in enumerate(platforms)}
    palette = ["#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628"]
    for k, a in enumerate(getattr(model, "alliances", []) or []):
        members = [index[id(p)] for p in a.members if id(p) in index]
        for i in members:
            for j in members:
                if i < j:
                    ax_g.plot(
                        xy[[i, j], 0],
                        xy[[i, j], 1],
                        color=palette[k % len(palette)],
                        lw=3,
                        zorder=1,
                    )
    kinds = {
        "trading": ("s", "#1f77b4"),
        "social": ("D", "#ff7f0e"),
        "social_ecommerce": ("o", "#2ca02c"),
    }
    for i, p in enumerate(platforms):
        marker, colour = kinds.get(getattr(p, "kind", ""), ("o", "#999"))
        ax_g.scatter(
            *xy[i],
            s=160,
            marker=marker,
            color=colour,
            zorder=2,
            edgecolor="black" if getattr(p, "alliance", None) is not None else "white",
        )
        ax_g.annotate(
            str(getattr(p, "name", i)),
            xy[i],
            xytext=(0, -14),
            textcoords="offset points",
            ha="center",
            fontsize=7,
        )
    ax_g.set_xlim(-1.5, 1.5)
    ax_g.set_ylim(-1.6, 1.4)
    ax_g.set_axis_off()
    ax_g.set_title("Platforms (lines: allied)", fontsize=9)
    if df is None or df.empty:
        _empty(ax_t, "")
    else:
        day = df["day"].to_numpy()
        for col, colour, label in (
            ("alliance_share", "#984ea3", "alliances"),
            ("giant_share", "#1f77b4", "giant"),
        ):
            if col in df:
                ax_t.plot(day, 100 * df[col].to_numpy(dtype=float), color=colour, label=label)
        ax_t.set_ylim(0, 100)
        ax_t.set_ylabel("share of sales (%)")
        ax_t.set_xlabel("day")
        if ax_t.lines:
            ax_t.legend(fontsize=7, frameon=False)
    ax_t.set_title("Share against the giant", fontsize=9)
    return fig


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def live_reading(model: Any, df: pd.DataFrame | None = None) -> str:
    """A one-line reading of what is happening now, for the classroom.

    The latest notable event of the last few days first, then awareness, the share of in-scene
    (and alliance) sales among the day's sales, and the mean star rating.
    """
    day = int(getattr(model, "day", 0))
    if day == 0:
        return "Day 0: nothing has happened yet — press Step or Play."
    parts = []
    events = list(getattr(model, "events", []) or [])
    recent = [(d, text) for d, text in events if day - int(d) <= 14]
    if recent:
        d, text = recent[-1]
        parts.append(f"{text} on day {d}")
    if df is not None and not df.empty:
        last = df.iloc[-1]
        n = getattr(getattr(model, "network", None), "n", None)
        if "aware" in df and n:
            parts.append(f"{_pct(float(last['aware']) / n)} aware")
        cols = sales_columns(df)
        window = df.iloc[-7:]
        total = float(window[cols].to_numpy().sum()) if cols else 0.0
        if total > 0:
            for key in ("in_scene", "alliance"):
                col = f"sales_{key}"
                if col in window:
                    share = float(window[col].sum()) / total
                    if key == "in_scene" or share > 0:
                        parts.append(f"{key.replace('_', '-')} sales now {_pct(share)}")
        if "mean_stars" in df and float(last.get("reviews", 1) or 0) > 0:
            stars = float(last["mean_stars"])
            if np.isfinite(stars) and stars > 0:
                parts.append(f"mean rating {stars:.1f}★")
    horizon = getattr(model, "horizon", None)
    head = f"Day {day}" + (f" of {horizon}" if horizon else "")
    return head + (": " + "; ".join(parts) if parts else "")
