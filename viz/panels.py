"""The app's charts as plain Python over snapshots (:mod:`.snapshot`): no Solara in here.

Each panel is an object made once per model and updated in place from each snapshot (new data in
the existing lines, bars and collections), then encoded to PNG. Building a matplotlib figure from
scratch costs 50-100 ms; updating one costs a few milliseconds, which is what keeps the screen
in step with Play. :meth:`Panel.full_figure` gives the figure for saving.

Columns of the daily frame are read generically: whatever exists is plotted and missing ones are
skipped, so new model outputs (a new channel's ``profit_<channel>``, a new ``sales_<scenario>``)
flow in without edits here.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from PIL import Image
from socialabm.viz import palette
from socialabm.viz.snapshot import AllianceView, PlatformView, Snapshot, rolling_share

#: Marker of each platform kind (the colour says whether it is in an alliance).
PLATFORM_MARKERS: dict[str, str] = {"trading": "s", "social": "D", "social_ecommerce": "o"}


def platform_style(platform: PlatformView) -> tuple[str, str]:
    """(matplotlib marker, fill colour) of a platform: its kind's shape, hollow (white) or
    filled in the alliance colour while it is in an alliance."""
    fill = palette.ALLIANCE if platform.allied else "white"
    return PLATFORM_MARKERS.get(platform.kind, "o"), fill


def draw_platform(ax: Any, platform: PlatformView, x: float, y: float, size: float, **kw: Any):
    """A platform's marker at ``(x, y)`` on ``ax`` (its fill follows :func:`platform_style`;
    update it with ``set_facecolor``); ``kw`` go to ``scatter`` (zorder, animated)."""
    marker, fill = platform_style(platform)
    return ax.scatter(
        [x],
        [y],
        s=size,
        marker=marker,
        facecolors=fill,
        edgecolors=palette.FIRM,
        linewidths=1.5,
        **kw,
    )


FIG_DPI = 100
"""Resolution of the PNGs sent to the browser."""

EMPTY_TEXT = "no days run yet: press Step or Play"


PNG_LEVEL = 1
"""zlib level of the PNGs (fast; the charts' flat colours compress well at any level)."""


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(canvas: FigureCanvasAgg) -> bytes:
    """Encode what ``canvas`` holds now as PNG: the same pixels as the canvas (lossless), RGB
    when every pixel is opaque (the charts are), else RGBA.

    Written here with no row filter and zlib at :data:`PNG_LEVEL`: for the charts' flat
    colours that is half the CPU of Pillow's PNG encoder (whose per-row filter search costs
    more than the compression: 2.5 ms instead of 5.2 ms for the sales chart) and about 12%
    fewer bytes (no alpha channel). Every step of every session encodes one."""
    width, height = canvas.get_width_height()
    rgba = np.asarray(canvas.buffer_rgba()).reshape(height, width, 4)
    opaque = bool((rgba[..., 3] == 255).all())
    pixels = rgba[..., :3] if opaque else rgba
    rows = np.zeros((height, 1 + width * pixels.shape[2]), dtype=np.uint8)  # filter byte 0
    rows[:, 1:] = pixels.reshape(height, -1)
    header = struct.pack(">IIBBBBB", width, height, 8, 2 if opaque else 6, 0, 0, 0)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _png_chunk(b"IHDR", header),
            _png_chunk(b"IDAT", zlib.compress(rows.tobytes(), PNG_LEVEL)),
            _png_chunk(b"IEND", b""),
        )
    )


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
    current: tuple[float, float] | None, low: float, high: float, floor: float = 1.0
) -> tuple[float, float]:
    """Y limits that hold [low, high] with headroom, at least [0, floor], and only ever widen (so
    the axes, and the cached background, change rarely while a run goes on)."""
    top = max(nice_ceil(high * 1.15) if high > 0 else floor, floor)
    bottom = -nice_ceil(-low * 1.15) if low < 0 else 0.0
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

    def update(self, shown: Any) -> None:  # pragma: no cover
        raise NotImplementedError

    def legend(self) -> list[tuple[str, str]]:
        """(label, colour) pairs to show beside the image (drawn in HTML: cheaper, sharper)."""
        return []

    def png(self, shown: Any) -> bytes:
        """Update from ``shown`` (a snapshot; the comparison panel takes a published pair),
        draw and return the PNG."""
        self.update(shown)
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


def _percent_of_consumers(snap: Snapshot) -> float:
    return 100.0 / max(snap.n_consumers, 1)


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
        scale: Function of the snapshot giving a factor applied to the values (e.g. to percent).
        twin: Draw on a right-hand twin of the previous axes.
        order: Labels to put first (stacked order).
        limits: Fixed y limits (a percentage is always 0-100); ``None``: limits that grow with
            the data, from ``[0, floor]``.
        floor: Smallest top of growing limits.
        share_window: Plot each column's share (%) of the columns' total over this many days
            instead of the values.
    """

    ylabel: str
    columns: Sequence[str] | None = None
    prefix: str | None = None
    stacked: bool = False
    colours: dict[str, str] = field(default_factory=dict)
    scale: Callable[[Snapshot], float] | None = None
    twin: bool = False
    order: Sequence[str] = ()
    limits: tuple[float, float] | None = None
    floor: float = 1.0
    share_window: int | None = None

    def pick(self, df: pd.DataFrame) -> list[tuple[str, str]]:
        """(column, label) pairs present in ``df``."""
        if self.columns is not None:
            return [(c, c.replace("_", " ")) for c in self.columns if c in df.columns]
        cols = [c for c in df.columns if self.prefix and c.startswith(self.prefix)]
        labels = {c: c.removeprefix(self.prefix or "") for c in cols}
        first = [c for lab in self.order for c in cols if labels[c] == lab]
        cols = first + [c for c in cols if c not in first]
        return [(c, labels[c]) for c in cols]

    def values(self, snap: Snapshot, picked: list[tuple[str, str]]) -> np.ndarray:
        """The plotted values, one row per picked column (NaN and infinities as 0)."""
        df = snap.frame
        columns = [c for c, _ in picked]
        if self.share_window:
            values = 100 * rolling_share(df, columns, self.share_window)
        else:
            factor = self.scale(snap) if self.scale is not None else 1.0
            values = np.array([df[c].to_numpy(dtype=float) * factor for c in columns])
        return np.nan_to_num(values, nan=0.0, posinf=0.0, neginf=0.0)


class SeriesPanel(Panel):
    """Lines or stacked areas of daily-frame columns against ``day``; one or more axes.

    The x axis spans the run's whole horizon from the start, so the timeline fills in as the run
    goes on; y axes are fixed where the quantity has a natural range and otherwise only widen.
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
        self.ylims: dict[int, tuple[float, float]] = {}
        for i, (ax, spec) in enumerate(zip(self.axes, self.specs, strict=True)):
            ax.set_ylabel(spec.ylabel, fontsize=8)
            ax.tick_params(labelsize=7)
            self.ylims[i] = spec.limits or (0.0, spec.floor)
            ax.set_ylim(*self.ylims[i])
        grid[0].set_title(title, fontsize=10)
        grid[-1].set_xlabel("day", fontsize=8)
        twin = any(s.twin for s in self.specs)
        self.figure.subplots_adjust(
            left=0.12, right=0.87 if twin else 0.97, top=0.92, bottom=0.11, hspace=0.14
        )
        self.lines: dict[tuple[int, str], Any] = {}
        self.stacks: dict[int, tuple[tuple[str, ...], list[Any]]] = {}
        self.items: dict[int, list[tuple[str, str]]] = {}
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

    def _ylim(self, k: int, ax: Any, spec: AxisSpec, low: float, high: float) -> None:
        if spec.limits is not None:
            return
        limits = grow_limits(self.ylims.get(k), low, high, spec.floor)
        if limits != self.ylims.get(k):
            self.ylims[k] = limits
            ax.set_ylim(*limits)
            self.dirty = True

    def update(self, shown: Snapshot) -> None:
        df = shown.frame
        empty = df.empty
        if self.empty.get_visible() != empty:
            self.empty.set_visible(empty)
            self.dirty = True
        last = 0.0 if empty else float(df["day"].iloc[-1])
        xmax = max(float(shown.horizon), last, 1.0)
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
            picked = spec.pick(df)
            if not picked:
                continue
            values = spec.values(shown, picked)
            if spec.stacked:
                self._stack(k, ax, spec, day, picked, values)
                self._ylim(k, ax, spec, 0.0, float(values.sum(axis=0).max()))
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
            self._ylim(k, ax, spec, float(values.min()), float(values.max()))


SHARE_WINDOW = 30
"""Days over which the sales mix is measured: sales come in campaign spikes, so a short window
would show the mix only inside them."""


def sales_panel() -> SeriesPanel:
    """Awareness (top), daily sales stacked by trading scenario, and each scenario's rolling
    share of sales (bottom)."""
    scenarios = {"colours": palette.SALES_COLOURS, "order": tuple(palette.SALES_COLOURS)}
    return SeriesPanel(
        "Awareness and sales by trading scenario",
        [
            AxisSpec(
                "aware (%)",
                columns=["aware"],
                colours={"aware": palette.STATE_COLOURS["aware"]},
                scale=_percent_of_consumers,
                limits=(0.0, 100.0),
            ),
            AxisSpec("units/day", prefix="sales_", stacked=True, floor=10.0, **scenarios),
            AxisSpec(
                f"share of sales,\nlast {SHARE_WINDOW} days (%)",
                prefix="sales_",
                stacked=True,
                limits=(0.0, 100.0),
                share_window=SHARE_WINDOW,
                **scenarios,
            ),
        ],
        height=4.4,
    )


def presale_panel() -> SeriesPanel:
    """Presale orders, stock and unfilled demand (units)."""
    return SeriesPanel(
        "Presale orders and stock",
        [
            AxisSpec(
                "units",
                columns=["presale_orders", "stock", "unfilled"],
                colours=palette.PRESALE_COLOURS,
                floor=10.0,
            )
        ],
    )


def channels_panel() -> SeriesPanel:
    """Wholesale price and profit of each retailer channel (CU)."""
    channels = {"colours": palette.CHANNEL_COLOURS, "order": tuple(palette.CHANNEL_COLOURS)}
    return SeriesPanel(
        "Wholesale price and profit by channel",
        [
            AxisSpec("wholesale (CU)", prefix="wholesale_", **channels),
            AxisSpec("profit (CU)", prefix="profit_", **channels),
        ],
        height=3.6,
    )


def restraint_panel() -> SeriesPanel:
    """Mean self-restraint (0-1) and total debt (CU, right axis)."""
    return SeriesPanel(
        "Self-restraint and debt",
        [
            AxisSpec(
                "mean self-restraint",
                columns=["mean_self_restraint"],
                colours={"mean self restraint": palette.RESTRAINT},
                limits=(0.0, 1.0),
            ),
            AxisSpec(
                "total debt (CU)",
                columns=["total_debt"],
                colours={"total debt": palette.DEBT},
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
        self.bars = self.ax.bar(stars, np.zeros(5), color=palette.STARS, animated=True)
        self.ax.set_xticks(stars, [f"{s}★" for s in stars])
        self.ax.set_ylabel("reviews", fontsize=8)
        self.ax.tick_params(labelsize=7)
        self.ax.set_title("Star ratings", fontsize=10)
        self.mean = self.ax.text(
            0.02, 0.95, "", transform=self.ax.transAxes, va="top", fontsize=9, animated=True
        )
        self.figure.subplots_adjust(left=0.15, right=0.97, top=0.9, bottom=0.12)
        self.animated = [*self.bars, self.mean]
        self.ylim = grow_limits(None, 0.0, 0.0, 10.0)
        self.ax.set_ylim(*self.ylim)

    def update(self, shown: Snapshot) -> None:
        counts = np.zeros(5)
        counts[: shown.stars.size] = shown.stars[:5]
        for bar, value in zip(self.bars, counts, strict=True):
            bar.set_height(value)
        limits = grow_limits(self.ylim, 0.0, float(counts.max()), 10.0)
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


def alliance_lines(alliances: Sequence[AllianceView]) -> list[str]:
    """One line per live alliance: members, size, age and pooled volume."""
    return [
        f"Alliance {a.id}: {', '.join(a.members)} — {len(a.members)} platforms, "
        f"{a.age} days, pooled {a.pooled_volume:,} units"
        for a in alliances
    ]


def events_by_day(events: Sequence[tuple[int, str]], days: int) -> list[tuple[int, list[str]]]:
    """The events of the last ``days`` days that had any, latest day first; each day's events in
    the order they happened."""
    by_day: dict[int, list[str]] = {}
    for day, text in events:
        by_day.setdefault(day, []).append(text)
    return sorted(by_day.items(), reverse=True)[:days]


class AlliancePanel(Panel):
    """Platforms as a small graph (allied ones linked) and alliance share against the giant."""

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
        (self.line_alliance,) = self.ax_t.plot([], [], color=palette.ALLIANCE, animated=True)
        (self.line_giant,) = self.ax_t.plot([], [], color=palette.GIANT, animated=True)
        self.animated = [self.line_alliance, self.line_giant]
        self.platform_artists: list[Any] = []
        self.markers: list[Any] = []
        self.links: list[Any] = []
        self.platform_names: tuple[str, ...] = ()
        self.signature: Any = None
        self.xmax: float | None = None

    def legend(self) -> list[tuple[str, str]]:
        return [
            ("alliances' share (7-day mean)", palette.ALLIANCE),
            ("giant's share (7-day mean)", palette.GIANT),
        ]

    def _layout_platforms(self, platforms: tuple[PlatformView, ...]) -> None:
        for artist in self.platform_artists:
            artist.remove()
        self.platform_artists = []
        n = len(platforms)
        angle = np.linspace(0, 2 * np.pi, n, endpoint=False) + np.pi / 2
        self.xy = np.column_stack([np.cos(angle), np.sin(angle)]) if n else np.zeros((0, 2))
        self.markers = []
        for i, p in enumerate(platforms):
            sc = draw_platform(self.ax_g, p, *self.xy[i], size=160, zorder=3)
            label = self.ax_g.annotate(
                p.name,
                self.xy[i],
                xytext=(0, -15),
                textcoords="offset points",
                ha="center",
                fontsize=7,
            )
            self.platform_artists += [sc, label]
            self.markers.append(sc)
        self.platform_names = tuple(p.name for p in platforms)

    def update(self, shown: Snapshot) -> None:
        index = {p.name: i for i, p in enumerate(shown.platforms)}
        signature = (
            tuple(p.name for p in shown.platforms),
            tuple(tuple(index.get(name, -1) for name in a.members) for a in shown.alliances),
        )
        if signature != self.signature:
            self.signature = signature
            self.dirty = True
            if signature[0] != self.platform_names:
                self._layout_platforms(shown.platforms)
            for line in self.links:
                line.remove()
            self.links = []
            for members in signature[1]:
                members = tuple(i for i in members if i >= 0)
                for x, i in enumerate(members):
                    for j in members[x + 1 :]:
                        (line,) = self.ax_g.plot(
                            self.xy[[i, j], 0],
                            self.xy[[i, j], 1],
                            color=palette.ALLIANCE,
                            lw=3,
                            zorder=1,
                        )
                        self.links.append(line)
            for p, sc in zip(shown.platforms, self.markers, strict=False):
                sc.set_facecolor(platform_style(p)[1])
        df = shown.frame
        xmax = max(float(shown.horizon), float(df["day"].iloc[-1]) if not df.empty else 0, 1.0)
        day = df["day"].to_numpy(dtype=float)
        for line, col in ((self.line_alliance, "alliance_share"), (self.line_giant, "giant_share")):
            if col in df:
                # daily shares of a few sales jump between 0 and 100 %: show a weekly mean
                share = df[col].astype(float).rolling(7, min_periods=1).mean()
                line.set_data(day, 100 * share.to_numpy())
        if xmax != self.xmax:
            self.xmax = xmax
            self.ax_t.set_xlim(0, xmax)
            self.dirty = True


#: The plot panels beside the network, by the name on their button (factories).
PLOTS: dict[str, Callable[[], Panel]] = {
    "Sales": sales_panel,
    "Presale": presale_panel,
    "Ratings": StarsPanel,
    "Prices": channels_panel,
    "Restraint": restraint_panel,
    "Alliances": AlliancePanel,
}


# -- the comparison ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompareRow:
    """One axes of the comparison: a quantity of each run against ``day``."""

    ylabel: str
    label: str
    colour: str
    values: Callable[[Snapshot], np.ndarray]
    limits: tuple[float, float] | None = None


def _aware_percent(snap: Snapshot) -> np.ndarray:
    return snap.frame["aware"].to_numpy(dtype=float) * _percent_of_consumers(snap)


def _units_sold(snap: Snapshot) -> np.ndarray:
    return snap.frame["sales"].to_numpy(dtype=float).cumsum()


def _in_scene_share(snap: Snapshot) -> np.ndarray:
    """In-scene share of the last days' sales (%); NaN (a gap in the line) without sales."""
    columns = [c for c, _ in AxisSpec("", prefix="sales_").pick(snap.frame)]
    shares = rolling_share(snap.frame, columns, SHARE_WINDOW)
    return 100 * shares[columns.index("sales_in_scene")]


COMPARE_ROWS = (
    CompareRow("aware (%)", "aware", palette.STATE_COLOURS["aware"], _aware_percent, (0, 100)),
    CompareRow("units sold", "units sold so far", palette.SALES_TOTAL, _units_sold),
    CompareRow(
        f"in-scene share,\nlast {SHARE_WINDOW} days (%)",
        "in-scene share of sales",
        palette.SALES_COLOURS["in_scene"],
        _in_scene_share,
        (0, 100),
    ),
)

ARM_STYLES = ("-", "--")
"""Line style of the main run and of the run it is compared with."""


class ComparePanel(Panel):
    """Two runs on the same axes: the main run solid, the compared run dashed; a colour per
    quantity, as everywhere in the app."""

    def __init__(self) -> None:
        super().__init__(5.6, 4.4)
        self.axes = self.figure.subplots(len(COMPARE_ROWS), 1, sharex=True)
        self.lines: list[list[Any]] = []
        self.ylims: list[tuple[float, float]] = []
        for ax, row in zip(self.axes, COMPARE_ROWS, strict=True):
            ax.set_ylabel(row.ylabel, fontsize=8)
            ax.tick_params(labelsize=7)
            self.ylims.append(row.limits or (0.0, 10.0))
            ax.set_ylim(*self.ylims[-1])
            pair = [
                ax.plot([], [], color=row.colour, ls=style, lw=1.8, animated=True)[0]
                for style in ARM_STYLES
            ]
            self.lines.append(pair)
            self.animated.extend(pair)
        self.axes[0].set_title("Solid: this scenario — dashed: the compared one", fontsize=10)
        self.axes[-1].set_xlabel("day", fontsize=8)
        self.figure.subplots_adjust(left=0.12, right=0.97, top=0.92, bottom=0.11, hspace=0.14)
        self.xmax: float | None = None

    def legend(self) -> list[tuple[str, str]]:
        return [(row.label, row.colour) for row in COMPARE_ROWS]

    def update(self, shown: Any) -> None:
        runs = [shown.main, shown.other]
        xmax = max([1.0] + [float(s.horizon) for s in runs if s is not None])
        if xmax != self.xmax:
            self.xmax = xmax
            self.axes[0].set_xlim(0, xmax)
            self.dirty = True
        for k, (ax, row) in enumerate(zip(self.axes, COMPARE_ROWS, strict=True)):
            high = 0.0
            for line, snap in zip(self.lines[k], runs, strict=True):
                if snap is None or snap.frame.empty:
                    line.set_data([], [])
                    continue
                values = row.values(snap)
                line.set_data(snap.frame["day"].to_numpy(dtype=float), values)
                if np.isfinite(values).any():
                    high = max(high, float(np.nanmax(values)))
            if row.limits is None:
                limits = grow_limits(self.ylims[k], 0.0, high, 10.0)
                if limits != self.ylims[k]:
                    self.ylims[k] = limits
                    ax.set_ylim(*limits)
                    self.dirty = True


# -- the live reading ------------------------------------------------------------------------------


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def sales_columns(df: pd.DataFrame) -> list[str]:
    """The ``sales_*`` columns, known trading scenarios first in their classroom order."""
    spec = AxisSpec("", prefix="sales_", order=tuple(palette.SALES_COLOURS))
    return [c for c, _ in spec.pick(df)]


def live_reading(snap: Snapshot) -> str:
    """A one-line reading of what is happening now, for the classroom.

    The latest notable event of the last two weeks first, then awareness, the share of in-scene
    (and alliance) sales over the last week, and the mean star rating.
    """
    if snap.day == 0:
        return "Nothing has happened yet — press Step or Play."
    parts = []
    recent = [(d, text) for d, text in snap.events if snap.day - d <= 14]
    if recent:
        d, text = recent[-1]
        parts.append(f"{text} on day {d}")
    df = snap.frame
    if not df.empty:
        last = df.iloc[-1]
        if "aware" in df and snap.n_consumers:
            parts.append(f"{_pct(float(last['aware']) / snap.n_consumers)} aware")
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
