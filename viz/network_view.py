"""Drawing the consumer network: a fixed set of nodes with a layout computed once per model.

Up to :data:`FULL_LIMIT` consumers the whole network is drawn with an O(n) community layout
(each strong-tie community a small ring, communities on a sunflower spiral), so weak ties show as
the long lines bridging communities. Above that only a connected neighbourhood of
:data:`SAMPLE_SIZE` consumers (``network.sample_nodes``) is drawn, with a spring layout of that
small subgraph. A spring layout of the full network is never computed.

Retailers and platforms are drawn in a strip to the right: platforms as squares (trading),
diamonds (social) and circles (social e-commerce), retailers as triangles linked to their platform.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from socialabm.viz.panels import (
    FIG_DPI,
    PLATFORM_MARKERS,
    STATE_COLOURS,
    jpeg_bytes,
    outline,
    platform_marker,
)

FULL_LIMIT = 1000
"""Largest population drawn whole; above it a sampled neighbourhood is drawn."""

SAMPLE_SIZE = 300
"""Consumers in the sampled neighbourhood drawn for large populations."""

_GOLDEN = np.pi * (3.0 - np.sqrt(5.0))


def community_layout(community: np.ndarray) -> np.ndarray:
    """Positions (n, 2) placing each community as a small ring on a sunflower spiral. O(n)."""
    community = np.asarray(community)
    labels, inverse, sizes = np.unique(community, return_inverse=True, return_counts=True)
    k = labels.size
    idx = np.arange(k)
    radius = np.sqrt(idx + 0.5)
    centres = np.column_stack([radius * np.cos(idx * _GOLDEN), radius * np.sin(idx * _GOLDEN)])
    # rank of each node within its community
    order = np.argsort(inverse, kind="stable")
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    rank = np.empty(community.size, dtype=np.int64)
    rank[order] = np.arange(community.size) - np.repeat(starts, sizes)
    theta = 2 * np.pi * rank / sizes[inverse]
    ring = 0.55
    return centres[inverse] + ring * np.column_stack([np.cos(theta), np.sin(theta)])


def _normalise(xy: np.ndarray) -> np.ndarray:
    if xy.size == 0:
        return xy
    xy = xy - xy.mean(axis=0)
    scale = np.abs(xy).max() or 1.0
    return xy / scale


class NetworkView:
    """The drawable part of one model's network: chosen nodes, positions and edge segments.

    Build it once per model (it is cached by the app); :meth:`image` then only recolours, and
    leaves the drawn picture in :attr:`figure`.

    Attributes:
        nodes: Consumer indices drawn.
        sampled: Whether ``nodes`` is a sample (True above :data:`FULL_LIMIT`).
        pos: Positions of ``nodes``, shape (len(nodes), 2), in [-1, 1].
        strong_segments: Line segments of strong ties among the drawn nodes.
        weak_segments: Line segments of weak ties among the drawn nodes.
    """

    def __init__(
        self,
        network: Any,
        seed: int = 0,
        full_limit: int = FULL_LIMIT,
        sample_size: int = SAMPLE_SIZE,
    ) -> None:
        self.n_total = int(network.n)
        community = getattr(network, "community", None)
        if self.n_total <= full_limit and community is not None:
            self.nodes = np.arange(self.n_total)
            self.sampled = False
            self.pos = _normalise(community_layout(community))
        else:
            import networkx as nx

            self.nodes = np.asarray(network.sample_nodes(min(sample_size, self.n_total), seed))
            self.sampled = self.nodes.size < self.n_total
            graph = network.to_networkx(self.nodes)  # small: at most sample_size nodes
            layout = nx.spring_layout(graph, seed=seed, iterations=40)
            self.pos = _normalise(np.array([layout[int(v)] for v in self.nodes], dtype=float))
        self.strong_segments = self._segments(network.strong)
        self.weak_segments = self._segments(network.weak)
        self.figure: Figure | None = None
        self.state_names: tuple[str, ...] = ()
        self.present: np.ndarray | None = None  # consumers per state at the last image()

    def _segments(self, matrix: Any) -> np.ndarray:
        sub = matrix[self.nodes][:, self.nodes].tocoo()
        keep = sub.row < sub.col
        rows, cols = sub.row[keep], sub.col[keep]
        return np.stack([self.pos[rows], self.pos[cols]], axis=1)

    def _build(
        self, state_names: tuple[str, ...], platforms: list[Any], retailers: list[Any]
    ) -> None:
        """Draw the static part once and keep it as a bitmap; nodes are drawn over it per step."""
        self.state_names = tuple(state_names)
        self.figure = Figure(figsize=(6.6, 4.6), dpi=FIG_DPI)
        self.canvas = FigureCanvasAgg(self.figure)
        ax = self.ax = self.figure.add_axes((0.0, 0.0, 1.0, 0.93))
        ax.add_collection(
            LineCollection(
                self.weak_segments,
                colors="#9e9ac8",
                linewidths=0.5,
                linestyles=(0, (2, 2)),
                alpha=0.35,
                zorder=1,
            )
        )
        ax.add_collection(
            LineCollection(
                self.strong_segments, colors="#666666", linewidths=0.7, alpha=0.45, zorder=2
            )
        )
        self.palette = np.array([STATE_COLOURS.get(s, "#999999") for s in self.state_names])
        size = 26 if self.nodes.size <= 400 else 16
        self.dots = ax.scatter(
            self.pos[:, 0],
            self.pos[:, 1],
            s=size,
            c=self.palette[0],
            edgecolors="none",
            zorder=3,
            animated=True,
        )
        self.platform_dots = self._draw_firms(ax, platforms, retailers)
        ax.set_xlim(-1.08, 1.75)
        ax.set_ylim(-1.08, 1.08)
        ax.set_aspect("equal")
        ax.set_axis_off()
        if self.sampled:
            title = f"Sampled neighbourhood: {self.nodes.size} of {self.n_total:,} consumers"
        else:
            title = f"All {self.n_total:,} consumers"
        self.figure.suptitle(title, fontsize=10, y=0.985)
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(self.figure.bbox)

    def image(
        self,
        states: np.ndarray | None,
        state_names: tuple[str, ...],
        platforms: list[Any] | None = None,
        retailers: list[Any] | None = None,
    ) -> bytes:
        """The network with consumers coloured by ``states`` (codes into ``state_names``), as JPEG.

        Only the nodes, the platforms' alliance outlines and the legend are drawn per call, over
        the edges rendered once (a few milliseconds at 1,000 nodes).
        """
        platforms = list(platforms or [])
        if self.figure is None or tuple(state_names) != self.state_names:
            self._build(tuple(state_names), platforms, list(retailers or []))
        k = len(self.palette)
        if states is not None and len(states):
            states = np.asarray(states, dtype=np.int64)
            codes = np.clip(states[self.nodes], 0, k - 1)
            present = np.bincount(np.clip(states, 0, k - 1), minlength=k)
        else:
            codes = np.zeros(self.nodes.size, dtype=np.int64)
            present = np.zeros(k, dtype=np.int64)
        self.dots.set_facecolors(self.palette[codes])
        self.present = present
        self.canvas.restore_region(self.background)
        self.ax.draw_artist(self.dots)
        for p, dot in zip(platforms, self.platform_dots, strict=False):
            dot.set_edgecolor(outline(p))
            self.ax.draw_artist(dot)
        return jpeg_bytes(self.canvas)

    def legend(self) -> list[tuple[str, str]]:
        """(label, colour) of the states, with each state's share of all consumers after the last
        :meth:`image`, then the tie styles."""
        present = self.present
        total = max(int(present.sum()), 1) if present is not None else 1
        items = []
        for i, name in enumerate(self.state_names):
            share = f" {100 * present[i] / total:.0f}%" if present is not None else ""
            items.append((name.replace("_", " ") + share, str(self.palette[i])))
        items += [
            ("━ strong tie", "#555555"),
            ("┄ weak tie", "#9e9ac8"),
            ("■ trading platform", PLATFORM_MARKERS["trading"][1]),
            ("◆ social platform", PLATFORM_MARKERS["social"][1]),
            ("● social e-commerce platform", PLATFORM_MARKERS["social_ecommerce"][1]),
            ("▲ retailer", "#8c564b"),
        ]
        return items

    @staticmethod
    def _draw_firms(ax, platforms: list[Any], retailers: list[Any]) -> list[Any]:
        ys = np.linspace(0.95, 0.05, max(len(platforms), 1))
        where = {}
        dots = []
        for p, y in zip(platforms, ys, strict=False):
            marker, colour = platform_marker(p)
            dots.append(
                ax.scatter(
                    [1.3],
                    [y],
                    s=120,
                    marker=marker,
                    color=colour,
                    edgecolors="white",
                    linewidths=2.0,
                    zorder=4,
                    animated=True,
                )
            )
            ax.annotate(
                str(getattr(p, "name", "")),
                (1.3, y),
                xytext=(9, -3),
                textcoords="offset points",
                fontsize=7,
            )
            where[id(p)] = y
        ax.annotate("platforms", (1.3, 1.03), ha="center", fontsize=7, color="#555")
        rys = np.linspace(-0.25, -0.95, max(len(retailers), 1))
        for r, y in zip(retailers, rys, strict=False):
            ax.scatter([1.12], [y], s=70, marker="^", color="#8c564b", zorder=4)
            ax.annotate(
                str(getattr(r, "name", "")),
                (1.12, y),
                xytext=(7, -3),
                textcoords="offset points",
                fontsize=7,
            )
            py = where.get(id(getattr(r, "platform", None)))
            if py is not None:
                ax.plot([1.12, 1.3], [y, py], color="#8c564b", lw=0.6, alpha=0.6, zorder=3)
        ax.annotate("retailers", (1.12, -0.12), ha="center", fontsize=7, color="#555")
        return dots
