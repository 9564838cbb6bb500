"""Consumer decisions: how one is declared, and how the market calls it.

A decision of :class:`~socialabm.agents.Consumer` exists twice: a per-agent method (one consumer,
plain numbers: readable, easy to override), marked with :func:`decision`, and its array form, the
classmethod ``<name>_array(model, idx, ...)`` over many consumers (fast). The market calls
``model.decisions.<name>(idx, *arguments)`` (:class:`Decisions`), where every argument is aligned
with the consumers ``idx`` (an entry, or a row over retailers, per consumer).

For each decision separately, the dispatcher looks up which class in the consumer class's method
resolution order defines each form. When the per-agent method is defined lower (in a more
derived class) than the array form, that override would be hidden by the inherited array form,
so the decision runs per agent; otherwise the array form runs. A modeler can thus override one
decision per agent, in any class of a hierarchy, and every other decision keeps its fast path.

Adding a decision takes the two forms in the consumer class and a call where the market acts on
it (docs/extending.md, "Adding a decision").
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

if TYPE_CHECKING:
    from socialabm.agents.consumer import Consumer
    from socialabm.model_view import ModelView

Method = TypeVar("Method", bound=Callable[..., Any])
"""A per-agent decision method (what :func:`decision` marks and returns)."""

ARRAY_SUFFIX = "_array"
"""The array form of decision ``name`` is the classmethod ``name + ARRAY_SUFFIX``."""


def decision(dtype: type = float) -> Callable[[Method], Method]:
    """Mark a per-agent method of a consumer class as an overridable decision.

    Its array form is the classmethod of the same name with :data:`ARRAY_SUFFIX`. An override
    of the per-agent method in a subclass needs no mark: the decision is the base's.

    Args:
        dtype: Type of the decision's value per consumer (``float``, ``bool``, ``np.int8``...),
            used to gather the per-agent answers into an array.
    """

    def mark(method: Method) -> Method:
        method.decision_dtype = dtype  # type: ignore[attr-defined]
        return method

    return mark


def decisions_of(cls: type) -> dict[str, type]:
    """Every decision of consumer class ``cls`` (per-agent method name -> value type), base
    classes' first, in the order they are defined."""
    found: dict[str, type] = {}
    for klass in reversed(cls.__mro__):
        for name, value in vars(klass).items():
            dtype = getattr(value, "decision_dtype", None)
            if dtype is not None:
                found[name] = dtype
    return found


def missing_array_forms(cls: type) -> list[str]:
    """Decisions of ``cls`` without an array form (the class cannot be used)."""
    return [name for name in decisions_of(cls) if not hasattr(cls, name + ARRAY_SUFFIX)]


def defining_class(cls: type, name: str) -> type:
    """The class in ``cls.__mro__`` whose own body defines ``name``."""
    for klass in cls.__mro__:
        if name in vars(klass):
            return klass
    raise AttributeError(f"{cls.__name__} has no attribute {name!r}")


def per_agent_overrides(cls: type[Consumer]) -> set[str]:
    """Decisions of ``cls`` that run per agent: those whose per-agent method is defined in a
    class below (more derived than) the class defining the array form."""
    mro = cls.__mro__

    def depth(name: str) -> int:
        return mro.index(defining_class(cls, name))

    return {name for name in decisions_of(cls) if depth(name) < depth(name + ARRAY_SUFFIX)}


class Decisions:
    """The consumer decisions of one model, as the market calls them.

    ``decisions.<name>(idx, *arguments)`` returns one value per consumer of ``idx`` (a row over
    retailers where the decision gives one per retailer); every argument is an array aligned
    with ``idx``. The array form gets them whole; the per-agent method gets, for each consumer,
    its entry as a plain number (or its row, for a 2-D argument).

    Attributes:
        model: The model.
        cls: The consumer class.
        dtypes: Every decision of the class, with the type of its value.
        per_agent: The decisions that run per agent (:func:`per_agent_overrides`).
    """

    def __init__(self, model: ModelView) -> None:
        self.model = model
        self.cls = model.consumer_class
        self.dtypes = decisions_of(self.cls)
        self.per_agent = per_agent_overrides(self.cls)

    def __getattr__(self, name: str) -> Callable[..., np.ndarray]:
        if name not in self.__dict__.get("dtypes", {}):
            raise AttributeError(f"{self.cls.__name__} has no decision {name!r}")
        if name in self.per_agent:
            call = functools.partial(self.decide, name)
        else:  # straight to the array form (a decision is called a few times a day)
            call = functools.partial(_array_form, self.cls, name + ARRAY_SUFFIX, self.model)
        setattr(self, name, call)  # looked up once
        return call

    def agent(self, index: int) -> Consumer:
        """The consumer agent at ``index`` (store position)."""
        return self.model.consumer_agents[index]

    def decide(self, name: str, idx: np.ndarray, *arguments: np.ndarray) -> np.ndarray:
        """Decision ``name`` of consumers ``idx``, in the form the class's hierarchy selects.

        Args:
            name: The decision (per-agent method name).
            idx: Consumers (store positions).
            *arguments: Arrays aligned with ``idx``.
        """
        if name not in self.per_agent or len(idx) == 0:
            return getattr(self.cls, name + ARRAY_SUFFIX)(self.model, idx, *arguments)
        columns = [np.asarray(c) for c in arguments]
        agents = self.model.consumer_agents
        rows = [
            getattr(agents[i], name)(*(c[k].item() if c.ndim == 1 else c[k] for c in columns))
            for k, i in enumerate(idx)
        ]
        return np.array(rows, dtype=self.dtypes[name])


def _array_form(cls: type, attribute: str, model: ModelView, *arguments: Any) -> np.ndarray:
    """Call the array form ``attribute`` of consumer class ``cls``, looked up at each call (a
    knock-out may replace it on the class while a model runs)."""
    return getattr(cls, attribute)(model, *arguments)
