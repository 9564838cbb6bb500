"""The social-commerce model: one Mesa model class built from keyword parameters.

``SocialCommerceModel(**params, rng=seed)`` builds the weak-tie network, the consumers (columnar
arrays behind Mesa agents), four retailers (one per channel), two suppliers and the platforms
(trading giant, social platform, social e-commerce platforms). Each ``step()`` is one day: the
named phases of :data:`socialabm.schedule.SCHEDULE`, in order (docs/ODD.md §3).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping
from typing import Any

import mesa
import networkx as nx
import numpy as np
import pandas as pd

from socialabm.agents import (
    CHANNELS,
    Alliance,
    Consumer,
    ConsumerStore,
    Platform,
    Retailer,
    Supplier,
)
from socialabm.arrays import rows_any
from socialabm.campaign import CampaignCalendar
from socialabm.decisions import Decisions
from socialabm.ledger import Ledger
from socialabm.market import Market
from socialabm.network import SocialNetwork, from_networkx, generate_weak_tie_network
from socialabm.outputs import DailyCollector, run_summary
from socialabm.parameters import PARAMETERS, ParameterError, validate
from socialabm.parameters import resolve_class as _resolve_class
from socialabm.population import initialise
from socialabm.schedule import SCHEDULE


class SocialCommerceModel(mesa.Model):
    """Consumers, retailers, suppliers and platforms of social e-commerce (docs/ODD.md).

    Every parameter of :data:`socialabm.parameters.PARAMETERS` is a keyword argument (run
    ``socialabm params`` for the table); values are validated at construction and an invalid one
    raises :class:`~socialabm.parameters.ParameterError` naming it, the value and what is allowed.

    Args:
        network: A user's ``networkx.Graph`` (edge attribute ``strength`` in (0, 1]) used instead
            of the generated weak-tie network; ``n_consumers`` is then its number of nodes.
        consumer_class: Class of the consumers (a subclass of :class:`~socialabm.Consumer`), or
            a ``"module:Class"`` string.
        retailer_class: Class of the retailers (a subclass of :class:`~socialabm.Retailer`), or
            a ``"module:Class"`` string.
        supplier_class: Class of the suppliers (a subclass of :class:`~socialabm.Supplier`), or
            a ``"module:Class"`` string.
        platform_class: Class of the platforms (a subclass of :class:`~socialabm.Platform`), or
            a ``"module:Class"`` string.
        rng: Seed (int) or ``numpy.random.Generator``; fixes every random draw of the run.
        model_reporters: Extra daily outputs ``{name: function(model) -> value}``, one column
            each in :meth:`daily_frame` (Mesa ``DataCollector`` model reporters); see also
            :meth:`add_reporter`.
        summary_columns: Also collect the run summary every day, as ``run_<name>`` columns
            (totals so far): what ``mesa.batch_run`` users read as the run's outputs (its
            ``sales`` column is the day's sales; ``run_sales`` is the run's).
        **params: Model parameters by name.

    Attributes:
        p: The validated parameters.
        network: The :class:`~socialabm.network.SocialNetwork`.
        consumers: The :class:`~socialabm.agents.ConsumerStore` (columnar consumer state).
        consumer_agents: The Mesa agent of each consumer, in store order (also in
            ``agents_by_type[Consumer]``, which holds subclasses too).
        retailers, suppliers, platforms: The agents, in index order.
        alliances: Live alliances; ``alliance_history`` holds every alliance ever formed.
        ledger: Money ledger; ``events``: list of ``(day, text)`` notable events.
        day: Days completed.
    """

    def __init__(
        self,
        *,
        network: nx.Graph | None = None,
        consumer_class: type[Consumer] | str = Consumer,
        retailer_class: type[Retailer] | str = Retailer,
        supplier_class: type[Supplier] | str = Supplier,
        platform_class: type[Platform] | str = Platform,
        rng: Any = None,
        model_reporters: Mapping[str, Callable[[Any], Any]] | None = None,
        summary_columns: bool = False,
        **params: Any,
    ) -> None:
        if "seed" in params and "seed" not in PARAMETERS:
            raise ParameterError(
                f"unknown parameter 'seed' (value {params['seed']!r}): the seed is the keyword "
                f"rng, as in Mesa: SocialCommerceModel(rng={params['seed']!r}) (an int or a "
                "numpy Generator)"
            )
        p = validate(params)
        classes = {
            "consumer_class": (consumer_class, Consumer),
            "retailer_class": (retailer_class, Retailer),
            "supplier_class": (supplier_class, Supplier),
            "platform_class": (platform_class, Platform),
        }
        resolved = {k: resolve_class(k, v, base) for k, (v, base) in classes.items()}
        super().__init__(rng=rng)
        self.p = p
        self.consumer_class = resolved["consumer_class"]
        self.calendar = CampaignCalendar.from_params(p)
        self.horizon = p["campaign_days"] * p["n_campaigns"]
        self.day = 0
        self.ledger = Ledger()
        self.events: list[tuple[int, str]] = []
        self.alliances: list[Alliance] = []
        self.alliance_history: list[Alliance] = []

        if network is not None:
            self.network: SocialNetwork = from_networkx(network, p["weak_threshold"])
            p["n_consumers"] = self.network.n
        else:
            self.network = generate_weak_tie_network(
                p["n_consumers"], p["community_size"], p["weak_ties"], self.rng,
                p["weak_tie_reach"],
            )  # fmt: skip
        self._build_platforms(resolved["platform_class"])
        self._build_suppliers(resolved["supplier_class"])
        self._build_retailers(resolved["retailer_class"])
        n = self.network.n
        self.consumers = ConsumerStore(self.consumer_class, n, len(self.retailers))
        qualities = np.array([r.quality for r in self.retailers])
        brands = np.array([r.brand for r in self.retailers])
        initialise(self.consumers, self.network, p, qualities, brands, self.rng)
        self.membership = self._draw_memberships(n)
        self.ledger.transfer("outside", "consumers", float(self.consumers.cash.sum()), "endowment")
        # one Mesa agent per consumer, in store order (a plain loop: Agent.create_agents would
        # also build a throwaway AgentSet, a quarter of the build time at 1M consumers)
        self.consumer_agents: list[Consumer] = [self.consumer_class(self, i) for i in range(n)]
        self.market = Market(self)
        self.decisions = Decisions(self)
        self.datacollector = DailyCollector(self)
        for name, reporter in (model_reporters or {}).items():
            self.add_reporter(name, reporter)
        if summary_columns:
            self.add_reporter("run", lambda model: model.summary(), expand=True)
        self.running = True

    # -- construction ---------------------------------------------------------------------------
    def _build_platforms(self, cls: type[Platform]) -> None:
        specs = [("giant", "trading"), ("social", "social")]
        specs += [(f"se_{k + 1}", "social_ecommerce") for k in range(self.p["n_social_ecommerce"])]
        self.platforms: list[Platform] = [
            cls(self, i, name, kind) for i, (name, kind) in enumerate(specs)
        ]
        self.platforms[1].integrated = self.p["integrate_social"]
        for platform in self.se_platforms:
            platform.cooperative = self.p["alliances"]

    def _build_suppliers(self, cls: type[Supplier]) -> None:
        capacity = self.p["capacity"] or max(
            1, int(np.ceil(self.p["capacity_share"] * self.p["n_consumers"]))
        )
        self.suppliers: list[Supplier] = [
            cls(self, i, self.p["unit_cost"], capacity) for i in range(2)
        ]

    def _build_retailers(self, cls: type[Retailer]) -> None:
        se = self.se_platforms
        hosts = {
            "self_run": self.platforms[0],
            "trading_3p": self.platforms[0],
            "social_3p": se[0],
            "self_built_social": se[1 % len(se)],
        }
        short = {
            "self_run": "self_run",
            "trading_3p": "trading_3p",
            "social_3p": "social_3p",
            "self_built_social": "self_built",
        }
        self.retailers: list[Retailer] = [
            cls(
                self,
                i,
                channel,
                hosts[channel],
                self.p[f"quality_{short[channel]}"],
                self.p[f"brand_{short[channel]}"],
                self.suppliers[i // 2],
            )
            for i, channel in enumerate(CHANNELS)
        ]

    def _draw_memberships(self, n: int) -> np.ndarray:
        """``n x n_platforms`` bool: giant and social for all, social e-commerce at random."""
        member = np.ones((n, len(self.platforms)), dtype=bool)
        k = len(self.se_platforms)
        member[:, 2:] = self.rng.random((n, k)) < self.p["membership_social_ecommerce"]
        return member

    @property
    def se_platforms(self) -> list[Platform]:
        """The social e-commerce platforms."""
        return [pl for pl in self.platforms if pl.kind == "social_ecommerce"]

    # -- the schedule ---------------------------------------------------------------------------
    def step(self) -> None:
        """Advance one day: the phases of :data:`socialabm.schedule.SCHEDULE` in order
        (docs/ODD.md §3), then :meth:`close_day`."""
        market = self.market
        for phase in SCHEDULE:
            if phase.acts_today(market):
                phase.run(market)
        self.close_day()

    def close_day(self) -> None:
        """Count the day, collect the daily outputs (Mesa ``DataCollector``) and stop at the
        horizon."""
        self.day += 1
        self.datacollector.collect(self)
        if self.day >= self.horizon:
            self.running = False

    # -- views used by rules, outputs and the app ----------------------------------------------
    def current_prices(self) -> np.ndarray:
        """Price each retailer asks today (presale price in presale, else regular), CU."""
        return self.market.prices

    def consumer_states(self) -> np.ndarray:
        """Display state of every consumer as int8 codes into
        :data:`socialabm.agents.consumer.CONSUMER_STATES`."""
        a = self.consumers.arrays
        state = rows_any(a["aware"]).astype(np.int8)
        state[a["ordered_from"] >= 0] = 2
        state[a["owns"] >= 0] = 3
        state[a["post_until"] >= self.day] = 4
        state[a["churned"]] = 5
        return state

    def star_counts(self) -> np.ndarray:
        """Posted reviews by stars 1..5 over all retailers (int array of length 5)."""
        return self.market.stars.sum(axis=0)

    def honest_star_counts(self) -> np.ndarray:
        """Honest ratings by stars 1..5 of every owner whose review fell due, posted or not:
        the histogram if everyone rated honestly (int array of length 5)."""
        return self.market.honest_stars.sum(axis=0)

    def daily_frame(self) -> pd.DataFrame:
        """The daily model-level outputs, one row per completed day (column ``day`` first).

        Raises:
            RuntimeError: the daily collection was stopped (``run_model(collect_daily=False)``).
        """
        if self.datacollector.stopped:
            raise RuntimeError(
                "the daily outputs of this run were not collected (run_model(collect_daily=False) "
                "stops the collection); run it with collect_daily=True to read them"
            )
        frame = self.datacollector.get_model_vars_dataframe().reset_index(drop=True)
        return frame

    def summary(self) -> dict[str, float]:
        """Per-run summary (docs/ODD.md §8): one flat dict of numbers, one row of a sweep table."""
        return run_summary(self)

    def log_event(self, text: str) -> None:
        """Record a notable event for the app's running text."""
        self.events.append((self.day, text))

    # -- Mesa idioms ---------------------------------------------------------------------------
    @property
    def agents_by_type(self) -> AgentsByType:
        """Mesa's agents by class, where a base class also finds its subclasses:
        ``model.agents_by_type[Consumer]`` holds the consumers whatever consumer class is used
        (exact classes work as in Mesa)."""
        return AgentsByType(self._agents_by_type, self.agents)

    def add_reporter(self, name: str, reporter: Callable[[Any], Any], expand: bool = False) -> None:
        """Add a daily output column (a Mesa model reporter), also after the run has started
        (earlier days get NaN). The supported way to extend the daily frame: assigning to
        ``datacollector.model_reporters`` directly fails on the next step.

        Args:
            name: Column name; must not be taken.
            reporter: ``function(model)`` returning the day's value.
            expand: The reporter returns a dict; each key becomes a column ``name_key``.

        Raises:
            ParameterError: the name is taken, or ``reporter`` is not callable.
        """
        if not callable(reporter):
            raise ParameterError(f"reporter {name!r}: {reporter!r} is not callable")
        collector = self.datacollector
        names = [f"{name}_{key}" for key in reporter(self)] if expand else [name]
        taken = [n for n in names if n in collector.model_reporters]
        if taken:
            raise ParameterError(f"reporter {name!r}: the daily frame has column(s) {taken}")
        for column in names:
            key = column[len(name) + 1 :] if expand else None
            # a partial is called with the model by Mesa (a plain callable object would not be)
            collector.model_reporters[column] = functools.partial(_report, reporter, key)
            collector.model_vars[column] = [float("nan")] * len(collector.model_vars["day"])


class AgentsByType(dict):
    """``model.agents_by_type``: Mesa's mapping of agent sets by exact class, where a class that
    is not a key (``Consumer`` when a subclass is in use) gives the agents of it and its
    subclasses (``model.agents.select(agent_type=...)``)."""

    def __init__(self, exact: dict, agents: mesa.agent.AgentSet) -> None:
        super().__init__(exact)
        self._agents = agents

    def __missing__(self, key: type) -> mesa.agent.AgentSet:
        if isinstance(key, type) and any(issubclass(k, key) for k in self):
            return self._agents.select(agent_type=key)
        raise KeyError(key)


def _report(reporter: Callable[[Any], Any], key: str | None, model: Any) -> Any:
    """Value of ``reporter`` today (of its ``key`` when it returns a dict, computed once a day)."""
    if key is None:
        return reporter(model)
    cache = model.__dict__.setdefault("_expanded_reports", {})
    if cache.get(id(reporter), (None,))[0] != model.day:
        cache[id(reporter)] = (model.day, reporter(model))
    return cache[id(reporter)][1][key]


def resolve_class(name: str, value: type | str, base: type) -> type:
    """Return the class given directly or as ``"module:Class"``; it must subclass ``base``.

    The one implementation is :func:`socialabm.parameters.resolve_class`, which scenario and sweep
    files are checked with too, so every path gives the same error message.
    """
    return _resolve_class(name, value, base)


def _signature() -> inspect.Signature:
    """Keyword-only signature listing every declared parameter, for batch_run and SolaraViz."""
    kw = inspect.Parameter.KEYWORD_ONLY
    params = [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
    params += [inspect.Parameter(n, kw, default=d.default) for n, d in PARAMETERS.items()]
    params += [
        inspect.Parameter("network", kw, default=None),
        inspect.Parameter("consumer_class", kw, default=Consumer),
        inspect.Parameter("retailer_class", kw, default=Retailer),
        inspect.Parameter("supplier_class", kw, default=Supplier),
        inspect.Parameter("platform_class", kw, default=Platform),
        inspect.Parameter("rng", kw, default=None),
        inspect.Parameter("model_reporters", kw, default=None),
        inspect.Parameter("summary_columns", kw, default=False),
    ]
    return inspect.Signature(params)


SocialCommerceModel.__init__.__signature__ = _signature()  # type: ignore[attr-defined]


def build_model(params: Mapping[str, Any], seed: Any = None) -> SocialCommerceModel:
    """Build a model from a parameter mapping (as read from a scenario or sweep file)."""
    return SocialCommerceModel(**dict(params), rng=seed)
