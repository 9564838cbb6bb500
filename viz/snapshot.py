"""Immutable pictures of a model after a completed day: what the page draws from.

The stepping code (:class:`socialabm.viz.runner.Runner`, the one writer) takes a
:class:`Snapshot` under its lock after a day is complete; renders read only snapshots, never the
model, so a render can never see a day half done (a daily frame one row short of the network
states, say). A snapshot holds copies: the daily frame so far, the consumer states, the star
counts, the events, the live alliances and platforms, and the inspected consumer's row.

Only the model's public surface is read: ``day``, ``horizon``, ``network``, ``daily_frame()``,
``consumer_states()``, ``star_counts()``, ``events``, ``alliances``, ``alliance_history``,
``platforms``, ``retailers`` and ``consumers.arrays`` (every consumer column, generically).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from socialabm import CONSUMER_STATES


@dataclass(frozen=True)
class PlatformView:
    """A platform as drawn: its name, kind and whether it is in an alliance now."""

    name: str
    kind: str
    allied: bool


@dataclass(frozen=True)
class AllianceView:
    """A live alliance: its number, members, age (days) and pooled volume (units)."""

    id: int
    members: tuple[str, ...]
    age: int
    pooled_volume: int


@dataclass(frozen=True)
class ConsumerView:
    """One consumer's state for the inspector.

    Attributes:
        index: The consumer's id (row in the consumer arrays, node in the network).
        state: Display state (one of ``socialabm.CONSUMER_STATES``).
        values: Every one-value-per-consumer column of ``model.consumers.arrays``, by name.
        per_retailer: Every consumer x retailer column (beliefs, awareness), by name: one value
            per retailer, in ``Snapshot.retailers`` order.
        strong: Ids of the consumer's strong ties.
        weak: Ids of the consumer's weak ties.
    """

    index: int
    state: str
    values: dict[str, Any]
    per_retailer: dict[str, tuple[Any, ...]]
    strong: tuple[int, ...]
    weak: tuple[int, ...]


@dataclass(frozen=True, eq=False)
class Snapshot:
    """The model after day :attr:`day`, copied (treat every field as read-only). Compared by
    identity: a new snapshot is a new picture.

    Attributes:
        generation: Which model of the session this is (grows on every build): a key for
            anything drawn once per model.
        day: Days completed.
        horizon: Days the run lasts.
        n_consumers: Population.
        frame: ``model.daily_frame()``: one row per completed day.
        states: Display state codes of every consumer (into ``CONSUMER_STATES``), read-only.
        stars: Posted reviews by stars 1..5.
        events: ``(day, text)`` notable events, in the order they happened.
        alliances: Live alliances.
        alliances_formed: Alliances formed since day 0 (live or dissolved).
        platforms: Every platform, in index order.
        retailers: ``(name, platform name)`` of every retailer, in index order.
        consumer: The inspected consumer, if one is chosen.
    """

    generation: int
    day: int
    horizon: int
    n_consumers: int
    frame: pd.DataFrame
    states: np.ndarray
    stars: np.ndarray
    events: tuple[tuple[int, str], ...]
    alliances: tuple[AllianceView, ...]
    alliances_formed: int
    platforms: tuple[PlatformView, ...]
    retailers: tuple[tuple[str, str], ...]
    consumer: ConsumerView | None = None

    @property
    def finished(self) -> bool:
        """Whether the run has reached its horizon."""
        return self.day >= self.horizon


def _frozen(array: np.ndarray) -> np.ndarray:
    out = np.array(array, copy=True)
    out.setflags(write=False)
    return out


def consumer_view(model: Any, index: int, states: np.ndarray) -> ConsumerView:
    """Consumer ``index`` of ``model`` read generically from ``model.consumers.arrays``: a new
    column appears without changes here.

    Raises:
        IndexError: no such consumer.
    """
    n = int(model.network.n)
    if not 0 <= index < n:
        raise IndexError(f"consumer {index} does not exist (ids 0 to {n - 1:,})")
    values: dict[str, Any] = {}
    per_retailer: dict[str, tuple[Any, ...]] = {}
    for name, column in model.consumers.arrays.items():
        entry = np.asarray(column)[index]
        if np.ndim(entry) == 0:
            values[name] = entry.item()
        else:
            per_retailer[name] = tuple(np.ravel(entry).tolist())
    return ConsumerView(
        index=index,
        state=CONSUMER_STATES[int(states[index])],
        values=values,
        per_retailer=per_retailer,
        strong=tuple(int(j) for j in model.network.strong[index].indices),
        weak=tuple(int(j) for j in model.network.weak[index].indices),
    )


def take(model: Any, generation: int, inspected: int | None = None) -> Snapshot:
    """A snapshot of ``model`` now (the caller holds the lock that the stepping code holds)."""
    states = _frozen(model.consumer_states())
    day = int(model.day)
    alliances = tuple(
        AllianceView(
            id=int(a.id),
            members=tuple(str(p.name) for p in a.members),
            age=int(a.age(day)),
            pooled_volume=int(a.pooled_volume),
        )
        for a in model.alliances
    )
    return Snapshot(
        generation=generation,
        day=day,
        horizon=int(model.horizon),
        n_consumers=int(model.network.n),
        frame=model.daily_frame(),
        states=states,
        stars=_frozen(np.asarray(model.star_counts(), dtype=float).ravel()[:5]),
        events=tuple((int(d), str(text)) for d, text in model.events),
        alliances=alliances,
        alliances_formed=len(model.alliance_history),
        platforms=tuple(
            PlatformView(str(p.name), str(p.kind), p.alliance is not None) for p in model.platforms
        ),
        retailers=tuple((str(r.name), str(r.platform.name)) for r in model.retailers),
        consumer=None if inspected is None else consumer_view(model, inspected, states),
    )


# -- figures read off a snapshot -------------------------------------------------------------------


@dataclass(frozen=True)
class KeyFigure:
    """A key figure of a run: its label, value (NaN when not defined yet) and format."""

    label: str
    value: float
    unit: str = ""
    digits: int = 0

    def text(self, value: float | None = None) -> str:
        """``value`` (default: the figure's own) formatted with its unit; "–" when undefined."""
        v = self.value if value is None else value
        if not np.isfinite(v):
            return "–"
        return f"{v:,.{self.digits}f}{self.unit}"


def _ratio(num: float, den: float) -> float:
    return num / den if den else float("nan")


def _total(frame: pd.DataFrame, column: str) -> float:
    return float(frame[column].sum()) if column in frame else float("nan")


def _last(frame: pd.DataFrame, column: str) -> float:
    if column not in frame or frame.empty:
        return float("nan")
    return float(frame[column].iloc[-1])


def _weighted_share(frame: pd.DataFrame, share: str, sales: float) -> float:
    """A daily share column (of that day's sales) over the run so far: the share of all units."""
    if share not in frame or "sales" not in frame:
        return float("nan")
    return _ratio(float((frame[share] * frame["sales"]).sum()), sales)


def key_figures(snap: Snapshot) -> list[KeyFigure]:
    """What a teacher compares between two runs, read from the snapshot's daily frame."""
    frame, n = snap.frame, max(snap.n_consumers, 1)
    sales = _total(frame, "sales")
    return [
        KeyFigure("aware", 100 * _last(frame, "aware") / n, "%"),
        KeyFigure("units sold", sales),
        KeyFigure(
            "in-scene share of sales", 100 * _ratio(_total(frame, "sales_in_scene"), sales), "%"
        ),
        KeyFigure(
            "alliance share of sales", 100 * _ratio(_total(frame, "sales_alliance"), sales), "%"
        ),
        KeyFigure(
            "giant's share of sales", 100 * _weighted_share(frame, "giant_share", sales), "%"
        ),
        KeyFigure("mean rating", _last(frame, "mean_stars"), "★", 2),
        KeyFigure("debt per consumer", _last(frame, "total_debt") / n, " CU", 1),
        KeyFigure("alliances formed", float(snap.alliances_formed)),
    ]


def rolling_share(frame: pd.DataFrame, columns: list[str], window: int) -> np.ndarray:
    """Each column's share (0..1) of the columns' total over the last ``window`` days, per day.

    Shape ``(len(columns), len(frame))``; days whose window holds no sales are NaN.
    """
    if not columns or frame.empty:
        return np.zeros((len(columns), len(frame)))
    values = frame[columns].astype(float).rolling(window, min_periods=1).sum().to_numpy().T
    total = values.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, values / total, np.nan)
