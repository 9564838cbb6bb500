"""Drawing the consumer network: a fixed set of nodes with a layout computed once per model.

Up to :data:`FULL_LIMIT` consumers the whole network is drawn with an O(n) community layout
(each strong-tie community a small ring, communities on a sunflower spiral), so weak ties show as
the long lines bridging communities. Above that only a connected neighbourhood of
:data:`SAMPLE_SIZE` consumers (``network.sample_nodes``) is drawn, with a spring layout of that
small subgraph. A spring layout of the full network is never computed.

Retailers and platforms are drawn in a strip to the right: platforms as squares (trading),
diamonds (social) and circles (social e-commerce), hollow, filled in the alliance colour while in
an alliance; retailers as triangles linked to their platform. An inspected consumer is ringed and
their ties drawn in black. :meth:`NetworkView.node_at` maps a click on the picture to a consumer.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from socialabm.viz import palette
from socialabm.viz.lru import LRUCache
from socialabm.viz.panels import FIG_DPI, draw_platform, jpeg_bytes, platform_style
from socialabm.viz.snapshot import ConsumerView, PlatformView

FULL_LIMIT = 1000
"""Largest population drawn whole; above it a sampled neighbourhood is drawn."""

SAMPLE_SIZE = 300
"""Consumers in the sampled neighbourhood drawn for large populations."""

PICK_RADIUS = 0.04
"""A click picks the nearest drawn consumer within this distance (layout units; the network
spans [-1, 1])."""

MAX_BACKGROUNDS = 8
"""Static network pictures kept for reuse across sessions (each 660x460 RGBA, 1.2 MB)."""

BACKGROUNDS: LRUCache[Any] = LRUCache(MAX_BACKGROUNDS)
"""The static part of recently drawn networks (ties, firms, title) as bitmaps, by
:meth:`NetworkView.fingerprint`, shared by every session of the server: every student who opens
the same scenario at the same seed gets the identical network, drawn once (about 0.1-0.25 s)."""

WEAK_TIE_WIDTH = 0.35
WEAK_TIE_ALPHA = 0.18
"""Weak ties are drawn thin and faint: at 500 consumers there are about 1,500 of them, and
drawn darker they hide the consumers' colours under a grey tangle."""


def dot_size(drawn: int) -> float:
    """Marker area (points²) of a consumer when ``drawn`` consumers are drawn: about 8 points
    across up to 300, 7 up to 1,000 (in the app's 1280x800 layout about 8 and 7 pixels, readable
    from the back of a classroom)."""
    return 64.0 if drawn <= SAMPLE_SIZE else 48.0


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
    ring = 0.68
    return centres[inverse] + ring * np.column_stack([np.cos(theta), np.sin(theta)])


def _normalise(xy: np.ndarray) -> np.ndarray:
    if xy.size == 0:
        return xy
    xy = xy - xy.mean(axis=0)
    scale = np.abs(xy).max() or 1.0
    return xy / scale


class NetworkView:
    """The drawable part of one model's network: chosen nodes, positions and edge segments.

    Build it once per model (the network does not change during a run); :meth:`image` then only
    recolours from a snapshot, and leaves the drawn picture in :attr:`canvas`.

    Attributes:
        nodes: Consumer ids drawn, sorted.
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
        self.row = np.full(self.n_total, -1, dtype=np.int64)  # consumer id -> row in nodes
        self.row[self.nodes] = np.arange(self.nodes.size)
        self.strong_segments = self._segments(network.strong)
        self.weak_segments = self._segments(network.weak)
        self.figure: Figure | None = None
        self.present: np.ndarray | None = None  # consumers per state at the last image()

    def _segments(self, matrix: Any) -> np.ndarray:
        sub = matrix[self.nodes][:, self.nodes].tocoo()
        keep = sub.row < sub.col
        rows, cols = sub.row[keep], sub.col[keep]
        return np.stack([self.pos[rows], self.pos[cols]], axis=1)

    def drawn(self, consumer: int) -> bool:
        """Whether consumer ``consumer`` is among the drawn nodes."""
        return 0 <= consumer < self.n_total and self.row[consumer] >= 0

    def fingerprint(
        self, platforms: tuple[PlatformView, ...], retailers: tuple[tuple[str, str], ...]
    ) -> bytes:
        """A digest of everything the static picture shows: the drawn nodes' positions, both
        kinds of ties, how many consumers there are and whether sampled (the title), the
        platforms' names and kinds, the retailers and their platforms."""
        digest = hashlib.blake2b(digest_size=20)
        for array in (self.pos, self.strong_segments, self.weak_segments):
            digest.update(repr((array.dtype.str, array.shape)).encode())
            digest.update(np.ascontiguousarray(array).tobytes())
        shown = (
            self.n_total,
            self.nodes.size,
            self.sampled,
            [(p.name, p.kind) for p in platforms],
            list(retailers),
        )
        digest.update(repr(shown).encode())
        return digest.digest()

    def _build(
        self,
        state_names: tuple[str, ...],
        platforms: tuple[PlatformView, ...],
        retailers: tuple[tuple[str, str], ...],
    ) -> None:
        """Draw the static part once and keep it as a bitmap; nodes are drawn over it per step.

        The bitmap of an identical static picture drawn before (another session's, the same
        scenario at the same seed) is reused from :data:`BACKGROUNDS`: then the ties are not
        added to the figure and nothing is drawn here."""
        self.state_names = tuple(state_names)
        self.figure = Figure(figsize=(6.6, 4.6), dpi=FIG_DPI)
        self.canvas = FigureCanvasAgg(self.figure)
        ax = self.ax = self.figure.add_axes((0.0, 0.0, 1.0, 0.93))
        key = self.fingerprint(platforms, retailers)
        background = BACKGROUNDS.get(key)
        if background is None:
            self._draw_ties(ax)
        self.palette = np.array(
            [palette.STATE_COLOURS.get(s, palette.FIRM) for s in self.state_names]
        )
        self.dots = ax.scatter(
            self.pos[:, 0],
            self.pos[:, 1],
            s=dot_size(self.nodes.size),
            c=self.palette[0],
            edgecolors=palette.DOT_EDGE,
            linewidths=0.5,
            zorder=3,
            animated=True,
        )
        self.ties = LineCollection(
            [], colors=palette.HIGHLIGHT, linewidths=1.6, zorder=4, animated=True
        )
        ax.add_collection(self.ties)
        self.ring = ax.scatter(
            [],
            [],
            s=120,
            facecolors="none",
            edgecolors=palette.HIGHLIGHT,
            linewidths=2.0,
            zorder=5,
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
        self.figure.suptitle(title + " (click one to inspect)", fontsize=12, y=0.985)
        if background is None:
            self.canvas.draw()
            background = self.canvas.copy_from_bbox(self.figure.bbox)
            BACKGROUNDS.put(key, background)
        else:
            # what a draw would have done for the nodes drawn over the kept bitmap: a renderer
            # of the figure's size and the axes shrunk to equal aspect
            self.canvas.get_renderer()
            ax.apply_aspect()
        self.background = background

    def _draw_ties(self, ax: Any) -> None:
        """The ties (weak under strong) on ``ax``: the costly part of the static picture."""
        # faint ties under large, outlined dots: the consumers' colours carry the picture
        ax.add_collection(
            LineCollection(
                self.weak_segments,
                colors=palette.WEAK_TIE,
                linewidths=WEAK_TIE_WIDTH,
                linestyles=(0, (2, 2)),
                alpha=WEAK_TIE_ALPHA,
                zorder=1,
            )
        )
        ax.add_collection(
            LineCollection(
                self.strong_segments, colors=palette.STRONG_TIE, linewidths=0.6, alpha=0.4, zorder=2
            )
        )

    def image(self, snap: Any, state_names: tuple[str, ...]) -> bytes:
        """The network with consumers coloured by the snapshot's states (codes into
        ``state_names``), platforms filled while allied and the inspected consumer's ties
        drawn, as JPEG.

        Only those are drawn per call, over the edges rendered once (a few milliseconds at
        1,000 nodes).
        """
        if self.figure is None or tuple(state_names) != self.state_names:
            self._build(tuple(state_names), snap.platforms, snap.retailers)
        k = len(self.palette)
        states = np.asarray(snap.states, dtype=np.int64)
        if states.size:
            codes = np.clip(states[self.nodes], 0, k - 1)
            present = np.bincount(np.clip(states, 0, k - 1), minlength=k)
        else:
            codes = np.zeros(self.nodes.size, dtype=np.int64)
            present = np.zeros(k, dtype=np.int64)
        self.dots.set_facecolors(self.palette[codes])
        self.present = present
        self._highlight(snap.consumer)
        self.canvas.restore_region(self.background)
        for artist in (self.dots, self.ties, self.ring):
            self.ax.draw_artist(artist)
        for p, dot in zip(snap.platforms, self.platform_dots, strict=False):
            dot.set_facecolor(platform_style(p)[1])
            self.ax.draw_artist(dot)
        return jpeg_bytes(self.canvas)

    def _highlight(self, consumer: ConsumerView | None) -> None:
        if consumer is None or not self.drawn(consumer.index):
            self.ties.set_segments([])
            self.ring.set_offsets(np.zeros((0, 2)))
            return
        centre = self.pos[self.row[consumer.index]]
        ties = [j for j in (*consumer.strong, *consumer.weak) if self.drawn(j)]
        self.ties.set_segments([np.array([centre, self.pos[self.row[j]]]) for j in ties])
        self.ring.set_offsets(centre[None, :])

    def node_at(self, x: float, y: float) -> int | None:
        """The consumer drawn nearest to a click at ``(x, y)`` (fractions of the picture's width
        and height from its top left), or ``None`` when no consumer is that close."""
        if self.figure is None:
            return None
        width, height = self.canvas.get_width_height()
        data = self.ax.transData.inverted().transform((x * width, (1 - y) * height))
        distance = np.hypot(*(self.pos - data).T)
        nearest = int(np.argmin(distance)) if distance.size else -1
        if nearest < 0 or distance[nearest] > PICK_RADIUS:
            return None
        return int(self.nodes[nearest])

    def fraction_of(self, consumer: int) -> tuple[float, float] | None:
        """Where consumer ``consumer`` is drawn, as fractions of the picture's width and height
        from its top left (the inverse of :meth:`node_at`); ``None`` when it is not drawn or
        nothing has been drawn yet."""
        if self.figure is None or not self.drawn(consumer):
            return None
        width, height = self.canvas.get_width_height()
        x, y = self.ax.transData.transform(self.pos[self.row[consumer]])
        return float(x / width), float(1 - y / height)

    def legend(self) -> list[tuple[str, str]]:
        """(label, colour) of the states, with each state's share of all consumers after the last
        :meth:`image`, then the structure (ties, platforms, retailers, the inspected consumer)."""
        present = self.present
        total = max(int(present.sum()), 1) if present is not None else 1
        items = []
        for i, name in enumerate(self.state_names):
            share = f" {100 * present[i] / total:.0f}%" if present is not None else ""
            items.append((name.replace("_", " ") + share, str(self.palette[i])))
        items += [
            ("━ strong tie", palette.STRONG_TIE),
            ("┄ weak tie", palette.WEAK_TIE),
            ("■ trading platform", palette.FIRM),
            ("◆ social platform", palette.FIRM),
            ("● social e-commerce platform", palette.FIRM),
            ("● in an alliance", palette.ALLIANCE),
            ("▲ retailer", palette.FIRM),
        ]
        return items

    @staticmethod
    def _draw_firms(
        ax: Any, platforms: tuple[PlatformView, ...], retailers: tuple[tuple[str, str], ...]
    ) -> list[Any]:
        ys = np.linspace(0.95, 0.05, max(len(platforms), 1))
        where = {}
        dots = []
        for p, y in zip(platforms, ys, strict=False):
            dots.append(draw_platform(ax, p, 1.3, y, size=120, zorder=4, animated=True))
            ax.annotate(p.name, (1.3, y), xytext=(9, -3), textcoords="offset points", fontsize=9)
            where[p.name] = y
        ax.annotate("platforms", (1.3, 1.03), ha="center", fontsize=9, color="#555")
        rys = np.linspace(-0.25, -0.95, max(len(retailers), 1))
        for (name, host), y in zip(retailers, rys, strict=False):
            ax.scatter([1.12], [y], s=70, marker="^", color=palette.FIRM, zorder=4)
            ax.annotate(name, (1.12, y), xytext=(7, -3), textcoords="offset points", fontsize=9)
            py = where.get(host)
            if py is not None:
                ax.plot([1.12, 1.3], [y, py], color=palette.FIRM, lw=0.6, alpha=0.6, zorder=3)
        ax.annotate("retailers", (1.12, -0.12), ha="center", fontsize=9, color="#555")
        return dots
