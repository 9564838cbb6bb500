"""One browser session of the classroom app: its scenario, parameters, seed, runs and what the
page shows.

:class:`Session` is made of ``solara.reactive`` values created inside the session's own render,
so sessions never share a model. Its models live in a :class:`~socialabm.viz.runner.Runner`, the
one writer; the page reads only the :class:`~socialabm.viz.runner.Published` snapshots in
:attr:`Session.published`. The methods are what the buttons do; they also work without a browser.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import random
import threading
from typing import Any, cast

import solara
from socialabm.viz import panels
from socialabm.viz.cli import SCENARIO_ENV, SET_ENV
from socialabm.viz.controls import parse_seed
from socialabm.viz.limits import Limits
from socialabm.viz.links import Link
from socialabm.viz.memory import reclaim_soon
from socialabm.viz.network_view import NetworkView
from socialabm.viz.runner import Handover, Published, Runner, play

from socialabm.parameters import PARAMETERS, ParameterError, validate

DEFAULT_SEED = 42
DEFAULT_N_CONSUMERS = 500
"""Population the app starts with (a classroom laptop steps it in about a millisecond)."""

MODEL_ENV = "SOCIALABM_VIZ_MODEL"
"""Environment variable naming another model class as ``module:Class`` (for experiments)."""

TAB_NAMES = tuple(panels.PLOTS)


def model_class() -> type:
    """The model class the app drives: ``socialabm.SocialCommerceModel`` unless overridden."""
    spec = os.environ.get(MODEL_ENV, "socialabm:SocialCommerceModel")
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


# -- scenarios ---------------------------------------------------------------------------------


class _Default:
    name = "defaults"
    title = "Model defaults"
    explanation = "Every parameter at its declared default."
    parameters: dict[str, Any] = {}
    compare_with = None


def startup_scenario() -> str | None:
    """The scenario given to ``socialabm viz --scenario`` (a name or a path), if any."""
    return os.environ.get(SCENARIO_ENV) or None


def startup_values() -> dict[str, Any]:
    """Values given to ``socialabm viz --set``, applied on top of every scenario (checked by
    the command line; ``consumer_class`` etc. as ``"module:Class"`` strings)."""
    return json.loads(os.environ.get(SET_ENV) or "{}")


def scenario_names() -> list[str]:
    """Built-in scenario names (``["defaults"]`` when none are installed), after the scenario
    given to ``socialabm viz --scenario`` (first) when that is a file."""
    try:
        from socialabm.scenarios import builtin_names

        names = builtin_names()
    except Exception:  # noqa: BLE001 - the app must come up even with a broken scenario folder
        names = []
    extra = startup_scenario()
    if extra and extra not in names:
        names = [extra, *names]
    return names or ["defaults"]


@functools.lru_cache(maxsize=64)
def get_scenario(name: str) -> Any:
    """The scenario called ``name`` (a stand-in with the defaults for ``"defaults"``); read once."""
    if name == "defaults":
        return _Default()
    from socialabm.scenarios import load_scenario

    return load_scenario(name)


def initial_scenario() -> str:
    """The scenario a new page opens: ``--scenario``, else social_commerce, else the first."""
    if chosen := startup_scenario():
        return chosen
    names = scenario_names()
    for preferred in ("social_commerce", "platform_alliance"):
        if preferred in names:
            return preferred
    return names[0]


def scenario_values(scenario: Any) -> dict[str, Any]:
    """The values the app starts a scenario with: its overrides and the command line's
    ``--set`` values, at a classroom-sized population."""
    values = {**scenario.parameters, **startup_values()}
    values.setdefault("n_consumers", DEFAULT_N_CONSUMERS)
    return values


def comparison_for(name: str) -> str:
    """The scenario to compare ``name`` with: its ``compare_with``, else another one."""
    wanted = getattr(get_scenario(name), "compare_with", None)
    names = scenario_names()
    if wanted in names and wanted != name:
        return wanted
    return next((other for other in names if other != name), name)


def build_model(values: dict[str, Any], seed: int | None, previous: Any = None) -> Any:
    """Build a model from keyword parameters, validated first for a clear message.

    With ``previous`` it is Mesa's Reset: ``type(previous)(**params, rng=seed)``.

    Raises:
        ParameterError: the parameters are not allowed (the message says which and why).
    """
    validate(values)
    cls = type(previous) if previous is not None else model_class()
    return cls(**values, rng=seed)


def custom_classes(model: Any) -> list[str]:
    """``"consumers: module:Class"`` for each kind of agent not of the default class."""
    from socialabm.agents import Consumer, Platform, Retailer, Supplier

    found = [("consumers", getattr(model, "consumer_class", Consumer), Consumer)]
    for kind, base in (("retailers", Retailer), ("suppliers", Supplier), ("platforms", Platform)):
        agents = list(getattr(model, kind, None) or [])
        if agents:
            found.append((kind, type(agents[0]), base))
    return [f"{kind}: {c.__module__}:{c.__qualname__}" for kind, c, base in found if c is not base]


# -- the session ---------------------------------------------------------------------------------


class Session:
    """One browser session's state: scenario, parameter values, seed, runs and what is shown.

    Attributes:
        runner: The one writer of the session's models.
        published: The snapshots the page shows (the only model data renders read).
        view: The network's drawable geometry, made once per model.
        classes: The non-default agent classes of the main model (``custom_classes``).
    """

    def __init__(self, link: Link | None = None, limits: Limits | None = None) -> None:
        link = link or Link(seed=DEFAULT_SEED)
        self.limits = limits or Limits.from_env()
        name = link.scenario or initial_scenario()
        values = {**scenario_values(get_scenario(name)), **link.overrides}
        self.scenario_name = solara.reactive(name)
        self.values = solara.reactive(values)
        self.applied = solara.reactive(dict(values))
        self.seed_text = solara.reactive("" if link.seed is None else str(link.seed))
        self.applied_seed = solara.reactive(self.seed_text.value)  # the seed text of the build
        self.seed_used: int = 0
        self.error = solara.reactive(cast(str | None, None))
        self.notices = solara.reactive(list(link.notices))
        self.playing = solara.reactive(False)
        self.finished = solara.reactive(False)
        self.speed = solara.reactive(link.speed)  # days per second while playing
        self.step_days = solara.reactive(1)  # days one press of Step advances
        self.tab = solara.reactive(TAB_NAMES[0])
        self.presenter = solara.reactive(link.presenter)
        self.comparing = solara.reactive(cast(str | None, None))
        self.inspect_text = solara.reactive("")  # what the inspector's id field shows
        self.inspect_error = solara.reactive(cast(str | None, None))
        self.published = solara.reactive(cast(Published | None, None))
        self._showing = threading.RLock()  # one picture handed to the page at a time
        self.runner = Runner()
        self.view: NetworkView | None = None
        self.classes: list[str] = []
        self.drawn_seq = 0
        self.last_chart = b""
        if not self.rebuild(values) and link.overrides:
            self.notices.set([*self.notices.value, f"Link: {self.error.value}; not applied."])
            self.values.set(scenario_values(get_scenario(name)))
            self.rebuild(self.values.value)
        if link.compare:
            self.open_comparison()

    @property
    def scenario(self) -> Any:
        return get_scenario(self.scenario_name.value)

    # -- what the page shows -----------------------------------------------------------------

    def show(self, published: Published) -> None:
        """Hand ``published`` to the page (from the writer's side: buttons and Play); an older
        picture than the one shown (Play's, after a click published a newer one) is dropped.

        Play's pictures come from a thread of their own, so the check and the hand-over are one
        step under a lock: else Play's last picture of a finished run could pass the check,
        then replace the picture of a Reset made in between and leave the page on the old,
        finished run with Play disabled."""
        with self._showing:
            shown = self.published.value
            if shown is not None and published.seq < shown.seq:
                return
            self.published.set(published)
            if published.finished != self.finished.value:
                self.finished.set(published.finished)
            if published.finished and self.playing.value:
                self.playing.set(False)

    def mark_drawn(self, seq: int) -> None:
        """The browser has drawn picture ``seq`` (it says so once the new network picture is
        decoded)."""
        self.drawn_seq = max(self.drawn_seq, seq)

    # -- building ----------------------------------------------------------------------------

    def pending_changes(self) -> str | None:
        """What the next Reset would apply that the running model does not have, as the page
        says it ("The seed changed: press Reset to apply it."), or ``None``."""
        values = dict(self.values.value) != self.applied.value
        seed = self.seed_text.value != self.applied_seed.value
        if values and seed:
            return "Parameters and the seed changed: press Reset to apply them."
        if values:
            return "Parameters changed: press Reset to apply them."
        if seed:
            return "The seed changed: press Reset to apply it."
        return None

    def seed_problem(self) -> str | None:
        """Why the seed field's text is not a seed, or ``None``."""
        try:
            parse_seed(self.seed_text.value)
        except ValueError as err:
            return str(err)
        return None

    def _seed(self) -> int:
        """The seed for the next build: the typed one, or a fresh random one that is then
        shown, so the comparison can use the same."""
        seed = parse_seed(self.seed_text.value)
        return random.SystemRandom().randrange(2**31) if seed is None else seed

    def _build(self, values: dict[str, Any], seed: int, previous: Any = None) -> Any:
        if why := self.limits.population_error(
            int(values.get("n_consumers", PARAMETERS["n_consumers"].default))
        ):
            raise ParameterError(why)
        model = build_model(values, seed, previous)
        if why := self.limits.horizon_error(int(model.horizon)):
            raise ParameterError(why)
        return model

    def comparison_values(self, name: str) -> dict[str, Any]:
        """The values scenario ``name`` runs with beside the main run: its own, plus every change
        made to the main run (by sliders or the link) that it does not set itself, at the main
        run's population."""
        own = get_scenario(name).parameters
        start = scenario_values(self.scenario)
        applied = self.applied.value
        changes = {k: v for k, v in applied.items() if k not in own and start.get(k) != v}
        population = applied.get("n_consumers", DEFAULT_N_CONSUMERS)
        return {**scenario_values(get_scenario(name)), **changes, "n_consumers": population}

    def rebuild(self, values: dict[str, Any], previous: Any = None) -> bool:
        """Build new model(s) from ``values`` and the seed; on error keep the old, say why."""
        self.playing.set(False)
        other_name = self.comparing.value
        applied = self.applied.value
        try:
            seed = self._seed()
            fresh = self._build(values, seed, previous)
            self.applied.set(dict(values))  # what the comparison takes the changes from
            other = None
            if other_name is not None:
                other = self._build(self.comparison_values(other_name), seed)
        except (ParameterError, ValueError, TypeError) as err:
            self.error.set(str(err))
            self.applied.set(applied)
            return False
        self.seed_used = seed
        self.applied_seed.set(self.seed_text.value)
        self.error.set(None)
        self.classes = custom_classes(fresh)
        self.view = NetworkView(fresh.network)
        self.inspect_text.set("")  # a new model: nobody inspected
        self.inspect_error.set(None)
        self.show(self.runner.load(fresh, other))
        return True

    def reset(self) -> bool:
        """Mesa's Reset: ``type(model)(**params, rng=seed)`` with the current parameter values."""
        return self.rebuild(self.values.value, self.runner.model)

    def choose_scenario(self, name: str) -> None:
        """Switch scenario: its explanation, its key parameters and a fresh model (the
        comparison closes)."""
        if name == self.scenario_name.value:
            return
        self.comparing.set(None)
        self.scenario_name.set(name)
        values = scenario_values(get_scenario(name))
        self.values.set(values)
        self.rebuild(values)

    def set_value(self, name: str, value: Any) -> None:
        """Change one parameter value (it acts on the next Reset)."""
        self.values.set({**self.values.value, name: value})

    # -- the comparison ----------------------------------------------------------------------

    def open_comparison(self, name: str | None = None) -> bool:
        """Run scenario ``name`` (default: the scenario's ``compare_with``) beside the main run,
        with the same seed (see :meth:`comparison_values`), in lockstep from the main run's
        day."""
        name = name or comparison_for(self.scenario_name.value)
        try:
            other = self._build(self.comparison_values(name), self.seed_used)
        except (ParameterError, ValueError, TypeError) as err:
            self.error.set(f"comparison with {name!r}: {err}")
            return False
        self.comparing.set(name)
        self.show(self.runner.compare(other))
        return True

    def close_comparison(self) -> None:
        """Stop running the compared scenario."""
        self.comparing.set(None)
        self.show(self.runner.compare(None))

    # -- running -----------------------------------------------------------------------------

    def step(self, days: int | None = None) -> bool:
        """Advance ``days`` days (default: :attr:`step_days`), stopping at the horizon; False
        when the run(s) had reached their horizon already."""
        days = self.step_days.value if days is None else days
        published = self.runner.step(max(int(days), 1))
        if published is None:
            self.finished.set(True)
            self.playing.set(False)
            return False
        self.show(published)
        return True

    def run_to_end(self) -> bool:
        """Run to the horizon at once (no pictures on the way) and show the last day; False when
        the run(s) had reached it already."""
        self.playing.set(False)
        return self.step(self.runner.horizon)

    def play_loop(self, cancel: threading.Event) -> None:
        """Play at the chosen speed until paused, reset or finished (runs in a thread)."""
        if not self.playing.value:
            return
        generation = self.runner.generation
        with Handover(self.show) as handover:  # renders in its own thread: stepping never waits
            play(
                self.runner,
                speed=lambda: self.speed.value,
                show=handover.offer,
                drawn=lambda seq: self.drawn_seq >= seq,
                keep_going=lambda: self.playing.value and self.runner.generation == generation,
                cancel=cancel,
            )

    # -- inspecting a consumer ---------------------------------------------------------------

    def inspect(self, consumer: int | None) -> None:
        """Show consumer ``consumer`` in the inspector, ties highlighted (``None``: nobody); an
        id that is not a consumer shows nobody and says why in the inspector."""
        try:
            published = self.runner.inspect(consumer)
        except IndexError as err:
            self.inspect_error.set(f"{err}: nobody is shown.")
            published = self.runner.inspect(None)
        else:
            self.inspect_error.set(None)
        self.show(published)

    def inspect_typed(self, text: str) -> None:
        """What typing ``text`` in the inspector's id field does: inspect that consumer, or say
        why nobody is shown (not a whole number, or no such consumer)."""
        self.inspect_text.set(text)
        text = text.strip()
        if not text:
            self.inspect(None)
        elif text.isascii() and text.isdigit():
            self.inspect(int(text))
        else:
            self.inspect(None)
            self.inspect_error.set(
                f"{text!r} is not a consumer id (a whole number from 0): nobody is shown."
            )

    def clear_inspector(self) -> None:
        """Inspect nobody, with an empty id field."""
        self.inspect_text.set("")
        self.inspect(None)

    def pick(self, x: float, y: float) -> None:
        """Inspect the consumer drawn nearest a click at ``(x, y)`` on the network picture
        (fractions of its width and height); a click on empty space changes nothing."""
        consumer = self.view.node_at(x, y) if self.view is not None else None
        if consumer is not None:
            self.inspect_text.set(str(consumer))
            self.inspect(consumer)

    # -- downloads ---------------------------------------------------------------------------

    def csv_bytes(self) -> bytes:
        """The shown run's daily series so far, as CSV."""
        published = self.published.value
        if published is None:
            return b""
        return published.main.frame.to_csv(index=False).encode()

    def chart_png(self) -> bytes:
        """The chart shown now, as PNG."""
        return self.last_chart

    # -- closing -------------------------------------------------------------------------------

    def close(self) -> None:
        """Let go of the session's models and pictures (its browser session has closed).

        Whatever still refers to this session afterwards (a closed kernel's leftovers, a thread
        that has not noticed yet) keeps a few small objects, not a model; the memory is given
        back to the operating system soon after (:func:`socialabm.viz.memory.reclaim_soon`).
        """
        self.runner.close()
        self.view = None
        self.last_chart = b""
        reclaim_soon()
