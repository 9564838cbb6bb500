"""What a phase of the day touches: the state it reads and the state it changes, observed.

:func:`trace` runs one phase on a model's market while recording every read of market state,
consumer columns, agent state, the ledger, the alliances and the event log, and compares all of
it (and the random generator) before and after to find what the phase changed. A test holds the
observations against the declarations of :data:`socialabm.schedule.SCHEDULE`, so a phase that
touches state it does not declare fails it. Tracing swaps the objects' classes and copies the
state around each phase: it is for tests on small models, never for production runs (the model's
``step`` runs the phases directly).

State is named as in the declarations: ``market.<attribute>``, ``consumers.<column>``,
``retailers.<attribute>``, ``suppliers.<attribute>``, ``platforms.<attribute>``, ``alliances``
(the live alliances, the history and each alliance's members and sales), ``ledger``, ``events``
(the app's running text) and ``rng`` (the model's random generator, changed by every draw).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from socialabm.market import Market
    from socialabm.model import SocialCommerceModel
    from socialabm.schedule import Phase

STRUCTURE = frozenset(
    {"model", "unique_id", "index", "name", "channel", "kind", "platform", "supplier",
     "quality", "brand", "unit_cost", "capacity", "pos", "platform_of", "scratch",
     "memo"}
)  # fmt: skip
"""Attributes fixed at construction (an agent's identity, host, supplier and product; each
retailer's host platform in the market; the market's work buffer, whose contents mean nothing
between uses, and its memo of values derived from state): not state."""

MODEL_STATE = {"alliances": "alliances", "alliance_history": "alliances", "events": "events"}
"""Model attributes that are state, by the name they are declared under."""


@dataclass
class Touched:
    """The state one phase read and changed.

    Attributes:
        reads: Names of the state read (a write reads the column or attribute it writes into,
            so a name may be in both).
        writes: Names of the state whose value changed.
    """

    reads: set[str] = field(default_factory=set)
    writes: set[str] = field(default_factory=set)


def trace(run: Callable[[Market], None], market: Market) -> Touched:
    """Run ``run(market)`` once and return what it touched."""
    model = market.model
    touched = Touched()
    before = _snapshot(model)
    with _recording(model, touched.reads):
        run(market)
    after = _snapshot(model)
    touched.writes = {name for name, value in before.items() if not _same(value, after[name])}
    touched.writes |= set(after) - set(before)
    return touched


# -- reads -----------------------------------------------------------------------------------
class _RecordingColumns(dict):
    """The consumer columns, recording each column read."""

    def __init__(self, columns: dict[str, np.ndarray], reads: set[str]) -> None:
        super().__init__(columns)
        self.reads = reads

    def __getitem__(self, name: str) -> np.ndarray:
        self.reads.add(f"consumers.{name}")
        return super().__getitem__(name)


def _recording_class(cls: type, record: Callable[[str], None]) -> type:
    """A subclass of ``cls`` whose instances record each read of an instance attribute."""

    class Recording(cls):  # type: ignore[valid-type, misc]
        def __getattribute__(self, name: str) -> Any:
            if name in object.__getattribute__(self, "__dict__"):
                record(name)
            return super().__getattribute__(name)

    Recording.__name__ = Recording.__qualname__ = cls.__name__
    return Recording


def _watched(model: SocialCommerceModel, reads: set[str]) -> Iterator[tuple[Any, Callable]]:
    """Each object whose attribute reads are recorded, with its recorder."""

    def market(name: str) -> None:
        if name not in STRUCTURE:
            reads.add(f"market.{name}")

    def agents(kind: str) -> Callable[[str], None]:
        def record(name: str) -> None:
            if name not in STRUCTURE:
                reads.add(f"{kind}.{name}")

        return record

    def of_model(name: str) -> None:
        if name in MODEL_STATE:
            reads.add(MODEL_STATE[name])

    yield model, of_model
    yield model.market, market
    yield model.ledger, lambda name: reads.add("ledger")
    for kind in ("retailers", "suppliers", "platforms"):
        for agent in getattr(model, kind):
            yield agent, agents(kind)
    for alliance in model.alliance_history:
        yield alliance, lambda name: reads.add("alliances")


@contextmanager
def _recording(model: SocialCommerceModel, reads: set[str]) -> Iterator[None]:
    watched = list(_watched(model, reads))
    classes = [obj.__class__ for obj, _ in watched]
    store = model.consumers
    columns = store.arrays
    store.arrays = _RecordingColumns(columns, reads)
    for obj, record in watched:
        obj.__class__ = _recording_class(obj.__class__, record)
    try:
        yield
    finally:
        for (obj, _), cls in zip(watched, classes, strict=True):
            obj.__class__ = cls
        store.arrays = columns


# -- writes ----------------------------------------------------------------------------------
def _snapshot(model: SocialCommerceModel) -> dict[str, Any]:
    """A copy of every piece of state, by name."""
    state: dict[str, Any] = {}
    for name, value in vars(model.market).items():
        if name not in STRUCTURE:
            state[f"market.{name}"] = _copy(value)
    for name, column in model.consumers.arrays.items():
        state[f"consumers.{name}"] = column.copy()
    for kind in ("retailers", "suppliers", "platforms"):
        for agent in getattr(model, kind):
            for name, value in vars(agent).items():
                if name not in STRUCTURE:
                    state.setdefault(f"{kind}.{name}", []).append(_copy(value))
    state["ledger"] = (dict(model.ledger.balances), dict(model.ledger.flows))
    state["alliances"] = [
        [(id(a), [id(pl) for pl in a.members], a.sales, a.dissolved_day) for a in alliances]
        for alliances in (model.alliances, model.alliance_history)
    ]
    state["events"] = len(model.events)
    state["rng"] = copy.deepcopy(model.rng.bit_generator.state)
    return state


def _copy(value: Any) -> Any:
    """A copy to compare with later: objects of the model (agents, alliances) by identity."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if hasattr(value, "model") or type(value).__name__ == "Alliance":
        return ("object", id(value))
    return copy.deepcopy(value)


def _same(a: Any, b: Any) -> bool:
    """Equal values, NaN equal to NaN, arrays and containers compared element by element."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        return (
            a.shape == b.shape
            and a.dtype == b.dtype
            and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
        )
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, np.random.Generator) and isinstance(b, np.random.Generator):
        return _same(a.bit_generator.state, b.bit_generator.state)
    if hasattr(a, "__dataclass_fields__") and type(a) is type(b):
        return _same(vars(a), vars(b))
    return a == b


def traced_step(model: SocialCommerceModel) -> dict[str, Touched]:
    """Run one day as ``model.step()`` does, tracing each phase that acts; returns what each
    touched, by phase name."""
    from socialabm.schedule import SCHEDULE

    touched = {}
    for phase in SCHEDULE:
        if phase.acts_today(model.market):
            touched[phase.name] = trace(phase.run, model.market)
    model.close_day()
    return touched


def undeclared(phase: Phase, touched: Touched) -> list[str]:
    """What ``phase`` touched without declaring it: ``"reads x"`` / ``"writes x"`` lines."""
    declared = phase.reads | phase.writes
    out = [f"reads {name}" for name in sorted(touched.reads - declared)]
    return out + [f"writes {name}" for name in sorted(touched.writes - phase.writes)]


def state_of(model: SocialCommerceModel) -> frozenset[str]:
    """Every name of state the model has (what a declaration may name)."""
    return frozenset(_snapshot(model))
