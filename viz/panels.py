"""The app's panels as plain Python over a model and its daily frame: no Solara in here.

Each panel is an object made once per model and updated in place on every step (new data in the
existing lines, bars and collections), then encoded to PNG. Building a matplotlib figure from
scratch costs 50-100 ms; updating one costs a few milliseconds, which is what keeps a step's
round trip in the browser short. The ``fig_*`` functions build a fresh panel for one-off use
(tests, notebooks).

Columns of the daily frame are read generically: whatever exists is plotted and missing ones are
skipped, so new model outputs (a new channel's ``profit_<channel>``, a new ``sales_<scenario>``)
flow in without edits here.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from PIL import Image

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

STAR_COLOURS = ("#d73027", "#fc8d59", "#fee08b", "#91cf60", "#1a9850")

PLATFORM_MARKERS: dict[str, tuple[str, str]] = {
    "trading": ("s", "#1f77b4"),
    "social": ("D", "#ff7f0e"),
    "social_ecommerce": ("o", "#2ca02c"),
}


def platform_marker(platform: Any) -> tuple[str, str]:
    """(matplotlib marker, colour) of a platform, by its kind."""
    return PLATFORM_MARKERS.get(getattr(platform, "kind", ""), ("o", "#999"))


def outline(platform: Any) -> str:
    """Edge colour of a platform's marker: black while it is in an alliance, else white."""
    return "black" if getattr(platform, "alliance", None) is not None else "white"


FIG_DPI = 100
"""Resolution of the PNGs sent to the browser."""

EMPTY_TEXT = "no days run yet: press Step or Play"


def png_bytes(canvas: FigureCanvasAgg) -> bytes:
    """Encode what ``canvas`` holds now as PNG (fast zlib level; the images are small)."""
    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    out = io.BytesIO()
    image.save(out, format="png", compress_level=1)
    return out.getvalue()


def jpeg_bytes(canvas: FigureCanvasAgg, quality: int = 90) -> bytes:
    """Encode what ``canvas`` holds now as JPEG: for the network picture, whose thousands of
    anti-aliased edges make a 200 KB PNG that takes 10 ms to encode; the JPEG is about 45 KB
    and takes 1 ms."""
    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    out = io.BytesIO()
    image.convert("RGB").save(out, format="jpeg", quality=quality)
    return out.getvalue()


def nice_ceil(x: float) -> float:
    """Smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k that is >= x (x > 0)."""
    if not np.isfinite(x) or x <= 0:
        return 1.0
    exp = np.floor(np.log10(x))
    for m in (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0):
        if m * 10**exp >= x * (1 - 1e-12):
            return float(m * 10**exp)
    return float(10 ** (exp + 1))  # pragma: no cover


def grow_limits(
    current: tuple[float, float] | None, low: float, high: float, floor: float = 0.0
) -> tuple[float, float]:
    """Y limits that hold [low, high] with headroom and only ever widen (so the axes, and the
    cached background, change rarely while a run goes on)."""
    top = nice_ceil(max(high, floor + 1e-9) * 1.15) if high > 0 else 1.0
    bottom = -nice_ceil(-low * 1.15) if low < 0 else min(0.0, floor)
    if current is not None:
        bottom, top = min(bottom, current[0]), max(top, current[1])
    return bottom, top


class Panel:
    """A figure made once and updated in place.

    Subclasses put the artists that change every day in :attr:`animated` (made with
    ``animated=True``) and set :attr:`dirty` when anything else changed (axis limits, artists
    added). :meth:`png` then redraws the whole figure only when dirty; otherwise it restores the
    cached background and draws just the animated artists over it: a few milliseconds instead of
    the 50-100 ms of a full draw.
    """

    def __init__(self, width: float, height: float) -> None:
        self.figure = Figure(figsize=(width, height), dpi=FIG_DPI)
        self.canvas = FigureCanvasAgg(self.figure)
        self.animated: list[Any] = []
        self.dirty = True
        self.background: Any = None

    def update(self, model: Any, df: pd.DataFrame | None) -> None:  # pragma: no cover
        raise NotImplementedError

    def legend(self) -> list[tuple[str, str]]:
        """(label, colour) pairs to show beside the image (drawn in HTML: cheaper, sharper)."""
        return []

    def png(self, model: Any, df: pd.DataFrame | None) -> bytes:
        """Update from ``model``/``df``, draw and return the PNG."""
        self.update(model, df)
        if self.dirty or self.background is None:
            self.canvas.draw()  # draws everything but the animated artists
            self.background = self.canvas.copy_from_bbox(self.figure.bbox)
            self.dirty = False
        else:
            self.canvas.restore_region(self.background)
        for artist in self.animated:
            if artist.get_visible():
                artist.axes.draw_artist(artist)
        return png_bytes(self.canvas)

    def full_figure(self) -> Figure:
        """The figure with the animated artists drawn in as ordinary ones (for saving)."""
        for artist in self.animated:
            artist.set_animated(False)
        return self.figure


# -- time series ---------------------------------------------------------------------------------


@dataclass
class AxisSpec:
    """What one axes of a :class:`SeriesPanel` shows.

    Attributes:
        ylabel: Label of the y axis.
        columns: Fixed columns (plotted when present), or ``None`` to use ``prefix``.
        prefix: Plot every column starting with this (label: the rest of the name).
        stacked: Stack the columns as areas (else lines).
        colours: Colour per label.
        scale: Function of the model giving a factor applied to the values (e.g. to percent).
        twin: Draw on a right-hand twin of the previous axes.
        order: Labels to put first (stacked order).
    """

    ylabel: str
    columns: Sequence[str] | None = None
    prefix: str | None = None
    stacked: bool = False
    colours: dict[str, str] = field(default_factory=dict)
    scale: Callable[[Any], float] | None = None
    twin: bool = False
    order: Sequence[str] = ()

    def pick(self, df: pd.DataFrame) -> list[tuple[str, str]]:
        """(column, label) pairs present in ``df``."""
        if self.columns is not None:
            return [(c, c.replace("_", " ")) for c in self.columns if c in df.columns]
        cols = [c for c in df.columns if self.prefix and c.startswith(self.prefix)]
        labels = {c: c.removeprefix(self.prefix or "") for c in cols}
        first = [c for lab in self.order for c in cols if labels[c] == lab]
        cols = first + [c for c in cols if c not in first]
        return [(c, labels[c]) for c in cols]


class SeriesPanel(Panel):
    """Lines or stacked areas of daily-frame columns against ``day``; one or more axes.

    The x axis spans the model's whole horizon from the start, so the timeline fills in as the
    run goes on; the y axes only widen.
    """

    def __init__(
        self, title: str, specs: Sequence[AxisSpec], width: float = 5.6, height: float = 3.2
    ) -> None:
        super().__init__(width, height)
        self.specs = list(specs)
        rows = sum(1 for s in self.specs if not s.twin)
        grid = self.figure.subplots(rows, 1, sharex=True, squeeze=False)[:, 0]
        self.axes = []
        k = 0
        for spec in self.specs:
            if spec.twin:
                self.axes.append(self.axes[-1].twinx())
            else:
                self.axes.append(grid[k])
                k += 1
        for ax, spec in zip(self.axes, self.specs, strict=True):
            ax.set_ylabel(spec.ylabel, fontsize=8)
            ax.tick_params(labelsize=7)
        grid[0].set_title(title, fontsize=10)
        grid[-1].set_xlabel("day", fontsize=8)
        twin = any(s.twin for s in self.specs)
        self.figure.subplots_adjust(
            left=0.12, right=0.87 if twin else 0.97, top=0.91, bottom=0.13, hspace=0.12
        )
        self.lines: dict[tuple[int, str], Any] = {}
        self.stacks: dict[int, tuple[tuple[str, ...], list[Any]]] = {}
        self.items: dict[int, list[tuple[str, str]]] = {}
        self.ylims: dict[int, tuple[float, float]] = {}
        self.xmax: float | None = None
        self.empty = grid[0].text(
            0.5,
            0.5,
            EMPTY_TEXT,
            ha="center",
            va="center",
            color="#777",
            transform=grid[0].transAxes,
        )

    def legend(self) -> list[tuple[str, str]]:
        """(label, colour) of what is drawn, for a legend outside the image."""
        seen: dict[str, str] = {}
        for k in sorted(self.items):
            for label, colour in self.items[k]:
                seen.setdefault(label, colour)
        return list(seen.items())

    def _stack(
        self,
        k: int,
        ax: Any,
        spec: AxisSpec,
        day: np.ndarray,
        picked: list[tuple[str, str]],
        values: np.ndarray,
    ) -> None:
        labels = tuple(lab for _, lab in picked)
        old = self.stacks.get(k)
        if old is None or old[0] != labels:
            if old is not None:
                for poly in old[1]:
                    poly.remove()
                    self.animated.remove(poly)
            colours = [spec.colours.get(lab) or f"C{i}" for i, lab in enumerate(labels)]
            polys = ax.stackplot(day, values, colors=colours)
            for poly in polys:
                poly.set_animated(True)
            self.animated.extend(polys)
            self.stacks[k] = (labels, list(polys))
            self.items[k] = [
                (lab, to_hex(poly.get_facecolor()[0]))
                for lab, poly in zip(labels, polys, strict=True)
            ]
            self.dirty = True
            return
        upper = np.cumsum(values, axis=0)
        lower = np.vstack([np.zeros_like(day, dtype=float), upper[:-1]])
        for poly, lo, hi in zip(old[1], lower, upper, strict=True):
            verts = np.concatenate(
                [np.column_stack([day, hi]), np.column_stack([day[::-1], lo[::-1]])]
            )
            poly.set_verts([verts])

    def _ylim(self, k: int, ax: Any, low: float, high: float) -> None:
        limits = grow_limits(self.ylims.get(k), low, high)
        if limits != self.ylims.get(k):
            self.ylims[k] = limits
            ax.set_ylim(*limits)
            self.dirty = True

    def update(self, model: Any, df: pd.DataFrame | None) -> None:
        horizon = float(getattr(model, "horizon", 0) or 0)
        empty = df is None or df.empty
        if self.empty.get_visible() != empty:
            self.empty.set_visible(empty)
            self.dirty = True
        xmax = max(horizon, 1.0) if empty else max(horizon, float(df["day"].iloc[-1]), 1.0)
        if xmax != self.xmax:
            self.xmax = xmax
            self.axes[0].set_xlim(0, xmax)
            self.dirty = True
        if empty:
            for line in self.lines.values():
                line.set_data([], [])
            for _, polys in self.stacks.values():
                for poly in polys:
                    poly.set_verts([])
            return
        day = df["day"].to_numpy(dtype=float)
        for k, (ax, spec) in enumerate(zip(self.axes, self.specs, strict=True)):
            factor = spec.scale(model) if spec.scale is not None else 1.0
            picked = spec.pick(df)
            if not picked:
                continue
            values = np.array([df[c].to_numpy(dtype=float) * factor for c, _ in picked])
            values = np.nan_to_num(values, nan=0.0, posinf=0.0, neginf=0.0)
            if spec.stacked:
                self._stack(k, ax, spec, day, picked, values)
                self._ylim(k, ax, 0.0, float(values.sum(axis=0).max()))
                continue
            items = []
            for (col, label), row in zip(picked, values, strict=True):
                line = self.lines.get((k, col))
                if line is None:
                    (line,) = ax.plot([], [], color=spec.colours.get(label), lw=1.6, animated=True)
                    self.lines[(k, col)] = line
                    self.animated.append(line)
                    self.dirty = True
                line.set_data(day, row)
                items.append((label, to_hex(line.get_color())))
            self.items[k] = items
            self._ylim(k, ax, float(values.min()), float(values.max()))


def sales_panel() -> SeriesPanel:
    """Awareness (top) and daily sales stacked by trading scenario (bottom)."""
    return SeriesPanel(
        "Awareness and sales by trading scenario",
        [
            AxisSpec(
                "aware (%)",
                columns=["aware"],
                colours={"aware": STATE_COLOURS["aware"]},
                scale=lambda m: 100.0 / max(int(getattr(m.network, "n", 1)), 1),
            ),
            AxisSpec(
                "units/day",
                prefix="sales_",
                stacked=True,
                colours=SALES_COLOURS,
                order=tuple(SALES_COLOURS),
            ),
        ],
        height=3.6,
    )


def presale_panel() -> SeriesPanel:
    colours = {"presale orders": "#fd8d3c", "stock": "#31a354", "unfilled": "#d62728"}
    return SeriesPanel(
        "Presale orders and stock",
        [AxisSpec("units", columns=["presale_orders", "stock", "unfilled"], colours=colours)],
    )


def channels_panel() -> SeriesPanel:
    return SeriesPanel(
        "Wholesale price and profit by channel",
        [
            AxisSpec(
                "wholesale (CU)",
                prefix="wholesale_",
                colours=CHANNEL_COLOURS,
                order=tuple(CHANNEL_COLOURS),
            ),
            AxisSpec(
                "profit (CU)",
                prefix="profit_",
                colours=CHANNEL_COLOURS,
                order=tuple(CHANNEL_COLOURS),
            ),
        ],
        height=3.6,
    )


def restraint_panel() -> SeriesPanel:
    return SeriesPanel(
        "Self-restraint and debt",
        [
            AxisSpec(
                "mean self-restraint",
                columns=["mean_self_restraint"],
                colours={"mean self restraint": "#3182bd"},
            ),
            AxisSpec(
                "total debt (CU)",
                columns=["total_debt"],
                colours={"total debt": "#de2d26"},
                twin=True,
            ),
        ],
    )


# -- star ratings ----------------------------------------------------------------------------------


class StarsPanel(Panel):
    """Histogram of posted star ratings (1..5): the J-shape of online reviews."""

    def __init__(self) -> None:
        super().__init__(4.6, 3.0)
        self.ax = self.figure.subplots()
        stars = np.arange(1, 6)
        self.bars = self.ax.bar(stars, np.zeros(5), color=STAR_COLOURS, animated=True)
        self.ax.set_xticks(stars, [f"{s}★" for s in stars])
        self.ax.set_ylabel("reviews", fontsize=8)
        self.ax.tick_params(labelsize=7)
        self.ax.set_title("Star ratings", fontsize=10)
        self.mean = self.ax.text(
            0.02, 0.95, "", transform=self.ax.transAxes, va="top", fontsize=9, animated=True
        )
        self.figure.subplots_adjust(left=0.15, right=0.97, top=0.9, bottom=0.12)
        self.animated = [*self.bars, self.mean]
        self.ylim: tuple[float, float] | None = None

    def update(self, model: Any, df: pd.DataFrame | None) -> None:
        counts = np.zeros(5)
        if model is not None:
            raw = np.asarray(model.star_counts(), dtype=float).ravel()[:5]
            counts[: raw.size] = raw
        for bar, value in zip(self.bars, counts, strict=True):
            bar.set_height(value)
        limits = grow_limits(self.ylim, 0.0, float(counts.max()))
        if limits != self.ylim:
            self.ylim = limits
            self.ax.set_ylim(*limits)
            self.dirty = True
        total = counts.sum()
        if total:
            mean = float((counts * np.arange(1, 6)).sum() / total)
            self.mean.set_text(f"{int(total):,} reviews, mean {mean:.2f}★")
        else:
            self.mean.set_text("no reviews yet")


# -- alliances -------------------------------------------------------------------------------------


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
            f"{_age(a, model.day)} days, pooled {int(getattr(a, 'pooled_volume', 0)):,} units"
        )
    return lines


class AlliancePanel(Panel):
    """Platforms as a small graph (allied ones linked) and alliance share against the giant."""

    PALETTE = ("#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628")

    def __init__(self) -> None:
        super().__init__(5.8, 3.0)
        self.ax_g, self.ax_t = self.figure.subplots(1, 2, width_ratios=[1, 1.4])
        self.figure.subplots_adjust(left=0.02, right=0.97, top=0.88, bottom=0.15, wspace=0.3)
        self.ax_g.set_xlim(-1.5, 1.5)
        self.ax_g.set_ylim(-1.6, 1.4)
        self.ax_g.set_axis_off()
        self.ax_g.set_title("Platforms (lines: allied)", fontsize=9)
        self.ax_t.set_title("Share of sales: alliances vs giant", fontsize=9)
        self.ax_t.set_ylabel("%", fontsize=8)
        self.ax_t.set_xlabel("day", fontsize=8)
        self.ax_t.tick_params(labelsize=7)
        self.ax_t.set_ylim(0, 100)
        (self.line_alliance,) = self.ax_t.plot([], [], color="#984ea3", animated=True)
        (self.line_giant,) = self.ax_t.plot([], [], color="#1f77b4", animated=True)
        self.animated = [self.line_alliance, self.line_giant]
        self.platform_artists: list[Any] = []
        self.links: list[Any] = []
        self.platform_ids: tuple[int, ...] = ()
        self.signature: Any = None
        self.xmax: float | None = None

    def legend(self) -> list[tuple[str, str]]:
        return [
            ("alliances' share (7-day mean)", "#984ea3"),
            ("giant's share (7-day mean)", "#1f77b4"),
        ]

    def _layout_platforms(self, platforms: list[Any]) -> None:
        for artist in self.platform_artists:
            artist.remove()
        self.platform_artists = []
        n = len(platforms)
        angle = np.linspace(0, 2 * np.pi, n, endpoint=False) + np.pi / 2
        self.xy = np.column_stack([np.cos(angle), np.sin(angle)]) if n else np.zeros((0, 2))
        self.markers = []
        for i, p in enumerate(platforms):
            marker, colour = platform_marker(p)
            sc = self.ax_g.scatter(*self.xy[i], s=160, marker=marker, color=colour, zorder=3)
            label = self.ax_g.annotate(
                str(getattr(p, "name", i)),
                self.xy[i],
                xytext=(0, -15),
                textcoords="offset points",
                ha="center",
                fontsize=7,
            )
            self.platform_artists += [sc, label]
            self.markers.append(sc)
        self.platform_ids = tuple(id(p) for p in platforms)

    def update(self, model: Any, df: pd.DataFrame | None) -> None:
        platforms = list(getattr(model, "platforms", []) or [])
        alliances = list(getattr(model, "alliances", []) or [])
        index = {id(p): i for i, p in enumerate(platforms)}
        signature = (
            tuple(id(p) for p in platforms),
            tuple(tuple(index.get(id(p), -1) for p in a.members) for a in alliances),
        )
        if signature != self.signature:
            self.signature = signature
            self.dirty = True
            if signature[0] != self.platform_ids:
                self._layout_platforms(platforms)
            for line in self.links:
                line.remove()
            self.links = []
            for k, members in enumerate(signature[1]):
                members = [i for i in members if i >= 0]
                colour = self.PALETTE[k % len(self.PALETTE)]
                for x, i in enumerate(members):
                    for j in members[x + 1 :]:
                        (line,) = self.ax_g.plot(
                            self.xy[[i, j], 0], self.xy[[i, j], 1], color=colour, lw=3, zorder=1
                        )
                        self.links.append(line)
            for p, sc in zip(platforms, self.markers, strict=False):
                edge = outline(p)
                sc.set_edgecolor(edge)
                sc.set_linewidth(2.0 if edge == "black" else 0.5)
        horizon = float(getattr(model, "horizon", 0) or 0)
        if df is None or df.empty:
            self.line_alliance.set_data([], [])
            self.line_giant.set_data([], [])
            xmax = max(horizon, 1.0)
        else:
            day = df["day"].to_numpy(dtype=float)
            xmax = max(horizon, float(day[-1]), 1.0)
            for line, col in (
                (self.line_alliance, "alliance_share"),
                (self.line_giant, "giant_share"),
            ):
                if col in df:
                    # daily shares of a few sales jump between 0 and 100 %: show a weekly mean
                    share = df[col].astype(float).rolling(7, min_periods=1).mean()
                    line.set_data(day, 100 * share.to_numpy())
        if xmax != self.xmax:
            self.xmax = xmax
            self.ax_t.set_xlim(0, xmax)
            self.dirty = True


# -- one-off figures (tests, notebooks) ------------------------------------------------------------


def _fresh(panel: Panel, model: Any, df: pd.DataFrame | None) -> Figure:
    panel.png(model, df)
    return panel.full_figure()


def fig_sales(model: Any, df: pd.DataFrame | None) -> Figure:
    return _fresh(sales_panel(), model, df)


def fig_presale(model: Any, df: pd.DataFrame | None) -> Figure:
    return _fresh(presale_panel(), model, df)


def fig_stars(model: Any, df: pd.DataFrame | None = None) -> Figure:
    return _fresh(StarsPanel(), model, df)


def fig_channels(model: Any, df: pd.DataFrame | None) -> Figure:
    return _fresh(channels_panel(), model, df)


def fig_restraint(model: Any, df: pd.DataFrame | None) -> Figure:
    return _fresh(restraint_panel(), model, df)


def fig_alliances(model: Any, df: pd.DataFrame | None) -> Figure:
    return _fresh(AlliancePanel(), model, df)


#: The plot panels under the network, by the name on their button (factories).
PLOTS: dict[str, Callable[[], Panel]] = {
    "Sales": sales_panel,
    "Presale & stock": presale_panel,
    "Ratings": StarsPanel,
    "Prices & profit": channels_panel,
    "Restraint & debt": restraint_panel,
    "Alliances": AlliancePanel,
}


# -- the live reading ------------------------------------------------------------------------------


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def sales_columns(df: pd.DataFrame) -> list[str]:
    """The ``sales_*`` columns, known trading scenarios first in their classroom order."""
    return [c for c, _ in AxisSpec("", prefix="sales_", order=tuple(SALES_COLOURS)).pick(df)]


def live_reading(model: Any, df: pd.DataFrame | None = None) -> str:
    """A one-line reading of what is happening now, for the classroom.

    The latest notable event of the last two weeks first, then awareness, the share of in-scene
    (and alliance) sales over the last week, and the mean star rating.
    """
    day = int(getattr(model, "day", 0))
    if day == 0:
        return "Nothing has happened yet — press Step or Play."
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
        elif cols:
            parts.append("no sales this week")
        if "mean_stars" in df and float(last.get("reviews", 1) or 0) > 0:
            stars = float(last["mean_stars"])
            if np.isfinite(stars) and stars > 0:
                parts.append(f"mean rating {stars:.1f}★")
    if not parts:
        return "A quiet day."
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."
