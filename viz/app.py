"""The classroom app: a Solara page around one :class:`~socialabm.SocialCommerceModel` per session.

Run it with ``uv run socialabm viz`` or ``uv run solara run socialabm.viz.app``.

It keeps Mesa's SolaraViz idioms (the model is built from keyword parameters; Reset rebuilds
``type(model)(**params, rng=seed)``; changed parameters act on Reset; play / pause / step with a
speed control) but lays the page out with plain Solara components (Columns, Card, Row, Column,
Select, sliders, ToggleButtons, images) that work on both of Solara's front ends. Mesa's
``SolaraViz`` main panel stays blank with the Vue 3 front end that the installed ipyvue 3 selects,
because its ``GridDraggable`` loads a Vue 2 build of vue-grid-layout; ``solara.lab.Tabs``,
``solara.Info``/``Error`` and ``solara.Checkbox`` also break there; see ``docs/app.md``.
``solara.Markdown`` is not used either: it loads KaTeX, which ``solara-assets`` does not bundle,
so offline it logs 404s.

Every Solara hook here lives inside :func:`Page`, so each browser session has its own model.
"""

from __future__ import annotations

import functools
import html
import importlib
import json
import os
import threading
import time
import urllib.parse
from typing import Any, cast

import matplotlib

matplotlib.use("Agg")

import reacton.ipywidgets as rw  # noqa: E402
import solara  # noqa: E402
from socialabm.viz import panels  # noqa: E402
from socialabm.viz.cli import SCENARIO_ENV, SET_ENV  # noqa: E402
from socialabm.viz.controls import Control, controls_for, parse_seed  # noqa: E402
from socialabm.viz.network_view import NetworkView  # noqa: E402

from socialabm import CONSUMER_STATES  # noqa: E402
from socialabm.parameters import PARAMETERS, ParameterError, validate  # noqa: E402

DEFAULT_SEED = 42
DEFAULT_N_CONSUMERS = 500
"""Population the app starts with (a classroom laptop steps it well under a quarter second)."""

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


def from_query(search: str | None) -> tuple[str | None, int | None, dict[str, Any]]:
    """Scenario, seed and parameter values from a link's query string.

    ``/?scenario=platform_alliance&n_consumers=2000&seed=7`` opens that scenario with those
    values, so an educator can hand out a link to a prepared set-up. Unknown names, unknown
    scenarios and values outside a parameter's declared range are ignored, and so are agent
    classes (a link must not make the server import a module; use ``socialabm viz --set``).
    """
    if not search:
        return None, DEFAULT_SEED, {}
    query = {k: v[-1] for k, v in urllib.parse.parse_qs(search).items()}
    scenario = query.pop("scenario", None)
    if scenario not in scenario_names():
        scenario = None
    seed: int | None = DEFAULT_SEED
    if "seed" in query:
        try:
            seed = parse_seed(query.pop("seed"))
        except ValueError:
            seed = DEFAULT_SEED
    overrides = {}
    for name, text in query.items():
        if name in PARAMETERS:
            try:
                overrides[name] = PARAMETERS[name].coerce(text)
            except ParameterError:
                continue
    return scenario, seed, overrides


# -- small components ----------------------------------------------------------------------------


def legend_html(items: list[tuple[str, str]]) -> str:
    """Legend chips as HTML (one widget; cheaper and sharper than a matplotlib legend).

    A label may start with a symbol of its own ("━ strong tie"); otherwise it gets a dot.
    """
    chips = []
    for label, colour in items:
        symbol, text = "&#9679;", label
        if label[:1] in ("━", "┄", "■", "▲", "◆", "●"):
            symbol, text = html.escape(label[0]), label[1:].strip()
        chips.append(
            f'<span style="margin-right:12px;white-space:nowrap">'
            f'<span style="color:{html.escape(colour)};font-size:1.2em">{symbol}</span> '
            f"{html.escape(text)}</span>"
        )
    style = "font-size:0.85em;line-height:1.6;display:flex;flex-wrap:wrap;max-width:820px"
    return f'<div class="viz-legend" style="{style}">{"".join(chips)}</div>'


NOTICE_COLOURS = {"info": ("#e3f2fd", "#1565c0"), "error": ("#fdecea", "#b71c1c")}


@solara.component
def Notice(text: str, kind: str, css: str):
    """A coloured message box. (solara.Info / solara.Error pass ``text=True`` to v.Alert, which
    ipyvuetify 3 rejects, so they cannot be used with the installed front end.)"""
    background, colour = NOTICE_COLOURS[kind]
    solara.Text(
        text,
        classes=[css, "viz-notice"],
        style={
            "display": "block",
            "background": background,
            "color": colour,
            "padding": "6px 10px",
            "border-left": f"4px solid {colour}",
            "border-radius": "4px",
            "margin": "4px 0",
        },
    )


@solara.component
def Plot(make, dependencies: list, css: str, format: str = "png"):
    """The PNG and legend made by ``make() -> (png, legend items)``, remade only when
    ``dependencies`` change."""
    image, items = solara.use_memo(make, dependencies)
    with solara.Div(classes=[css, "viz-plot"]):
        rw.Image(value=image, format=format, layout={"width": "100%", "max_width": "820px"})
        if items:
            solara.HTML(unsafe_innerHTML=legend_html(items))


LABEL_STYLE = {"display": "block", "color": "#444", "font-size": "0.9em", "margin-bottom": "-12px"}


@solara.component
def ParameterControl(control: Control, value: Any, on_value):
    """One generated control; sliders show their value in the label (readable from the back)."""
    with solara.Div(attributes={"title": control.help}):
        if control.kind == "bool":
            # on/off buttons: solara.Checkbox's label is garbled by the Vuetify 3 front end
            with solara.Row(style={"align-items": "center", "justify-content": "space-between"}):
                solara.Text(control.label, style={"color": "#555"})
                solara.ToggleButtonsSingle(
                    value="on" if value else "off",
                    values=["off", "on"],
                    on_value=lambda v: on_value(v == "on"),
                    dense=True,
                    classes=["viz-bool"],
                )
        elif control.kind == "select":
            solara.Select(
                control.label,
                values=list(control.choices),
                value=value,
                on_value=on_value,
                dense=True,
            )
        elif control.kind == "int":
            # the label above the slider (Vuetify's inline label squeezes the track)
            solara.Text(
                f"{control.label}: {int(value):,}", classes=["viz-param-label"], style=LABEL_STYLE
            )
            solara.SliderInt(
                "",
                value=int(value),
                min=int(control.low),
                max=int(control.high),
                step=1,
                on_value=on_value,
                thumb_label=False,
            )
        else:
            solara.Text(
                f"{control.label}: {float(value):g}", classes=["viz-param-label"], style=LABEL_STYLE
            )
            solara.SliderFloat(
                "",
                value=float(value),
                min=control.low,
                max=control.high,
                step=control.step,
                on_value=on_value,
                thumb_label=False,
            )


@solara.component
def ParameterPanel(scenario: Any, values: dict, on_change):
    """Sliders and inputs for the scenario's key parameters, generated from the declaration."""
    for control in controls_for(scenario.parameters, values):
        value = values.get(control.name, PARAMETERS[control.name].default)

        def set_value(v, name=control.name):
            on_change({**values, name: v})

        with solara.Div(classes=["viz-param", f"param-{control.name}"]):
            ParameterControl(control, value, set_value)


@solara.component
def ExplanationCard(scenario: Any):
    """The scenario's classroom explanation, shown beside the model."""
    with solara.Card(margin=0, classes=["viz-explanation"]):
        solara.Text(
            scenario.title,
            classes=["explanation-title"],
            style={"font-size": "1.15em", "font-weight": "bold", "display": "block"},
        )
        solara.Text(
            scenario.explanation or "",
            classes=["explanation-text"],
            style={"display": "block", "margin-top": "4px"},
        )
        if getattr(scenario, "compare_with", None):
            solara.Text(
                f"Compare with the scenario '{scenario.compare_with}'.",
                style={"color": "#666", "display": "block", "margin-top": "4px"},
            )


@solara.component
def AllianceText(model: Any, tick: int):
    """Live alliances (members, size, age, pooled volume) and the latest notable events."""
    lines = panels.alliance_lines(model)
    with solara.Div(classes=["viz-alliances"]):
        if lines:
            for line in lines:
                solara.Text(line, style={"display": "block"})
        else:
            solara.Text("No alliance at the moment.", style={"color": "#666", "display": "block"})
        events = list(getattr(model, "events", []) or [])[-3:]
        for day, text in reversed(events):
            solara.Text(
                f"day {day}: {text}",
                classes=["viz-event"],
                style={"color": "#444", "display": "block", "font-size": "0.9em"},
            )


# -- the session ---------------------------------------------------------------------------------


class Session:
    """One browser session's state: its scenario, parameter values, seed and model.

    Made of ``solara.reactive`` values created inside the session's own render, so sessions never
    share a model. The methods are what the buttons do; they also work without a browser.
    """

    def __init__(
        self,
        scenario_name: str | None = None,
        seed: int | None = DEFAULT_SEED,
        overrides: dict[str, Any] | None = None,
    ) -> None:
        name = scenario_name or initial_scenario()
        values = {**scenario_values(get_scenario(name)), **(overrides or {})}
        self.scenario_name = solara.reactive(name)
        self.values = solara.reactive(values)
        self.applied = solara.reactive(dict(values))
        self.seed_text = solara.reactive("" if seed is None else str(seed))
        self.error = solara.reactive(cast(str | None, None))
        self.tick = solara.reactive(0)
        self.playing = solara.reactive(False)
        self.finished = solara.reactive(False)
        self.speed = solara.reactive(5)  # days per second while playing
        self.tab = solara.reactive(TAB_NAMES[0])
        self.model = solara.reactive(cast(Any, None))
        self.lock = threading.RLock()
        self._frame_key: tuple[int, int] | None = None
        self._frame: Any = None
        self.rebuild(values)

    def frame(self) -> Any:
        """The model's daily frame, computed once per model and day."""
        model = self.model.value
        if model is None:
            return None
        key = (id(model), model.day)
        if self._frame_key != key:
            self._frame = model.daily_frame()
            self._frame_key = key
        return self._frame

    @property
    def scenario(self) -> Any:
        return get_scenario(self.scenario_name.value)

    def rebuild(self, values: dict[str, Any], previous: Any = None) -> bool:
        """Build a new model from ``values`` and the seed; on error keep the old one, say why."""
        self.playing.set(False)
        try:
            seed = parse_seed(self.seed_text.value)
            with self.lock:
                fresh = build_model(values, seed, previous)
        except (ParameterError, ValueError, TypeError) as err:
            self.error.set(str(err))
            return False
        self.error.set(None)
        self.applied.set(dict(values))
        self.model.set(fresh)
        self.finished.set(fresh.day >= fresh.horizon)
        self.tick.set(0)
        return True

    def reset(self) -> bool:
        """Mesa's Reset: ``type(model)(**params, rng=seed)`` with the current parameter values."""
        return self.rebuild(self.values.value, self.model.value)

    def choose_scenario(self, name: str) -> None:
        """Switch scenario: its explanation, its key parameters and a fresh model."""
        if name == self.scenario_name.value:
            return
        self.scenario_name.set(name)
        values = scenario_values(get_scenario(name))
        self.values.set(values)
        self.rebuild(values)

    def set_value(self, name: str, value: Any) -> None:
        """Change one parameter value (it acts on the next Reset)."""
        self.values.set({**self.values.value, name: value})

    def step(self) -> bool:
        """Advance the model one day; False when it has reached its horizon (or has no model)."""
        with self.lock:
            model = self.model.value
            if model is None or model.day >= model.horizon:
                self.finished.set(model is not None)
                self.playing.set(False)
                return False
            model.step()
            done = model.day >= model.horizon
        self.tick.set(self.tick.value + 1)
        if done:
            self.finished.set(True)
            self.playing.set(False)
        return True

    def play_loop(self, cancel: threading.Event) -> None:
        """Step at the chosen speed until paused, reset or finished (runs in a thread)."""
        if not self.playing.value:
            return
        model = self.model.value
        while not cancel.is_set() and self.playing.value and self.model.value is model:
            started = time.perf_counter()
            if not self.step():
                break
            pause = 1.0 / max(int(self.speed.value), 1) - (time.perf_counter() - started)
            cancel.wait(max(0.0, pause))


# -- the page ------------------------------------------------------------------------------------


@solara.component
def Controls(session: Session):
    """Scenario picker, run buttons with speed, seed and the scenario's key parameters."""
    playing = session.playing.value
    finished = session.finished.value
    no_model = session.model.value is None
    with solara.Card("Scenario", margin=0, classes=["viz-card"]):
        solara.Select(
            "scenario",
            values=scenario_names(),
            value=session.scenario_name.value,
            on_value=session.choose_scenario,
            classes=["viz-scenario"],
        )
    with solara.Card("Run", margin=0, classes=["viz-card"]):
        with solara.Row(gap="6px"):
            if playing:
                solara.Button(
                    "Pause",
                    on_click=lambda: session.playing.set(False),
                    color="warning",
                    classes=["viz-pause"],
                )
            else:
                solara.Button(
                    "Play",
                    on_click=lambda: session.playing.set(True),
                    color="primary",
                    disabled=no_model or finished,
                    classes=["viz-play"],
                )
            solara.Button(
                "Step",
                on_click=session.step,
                disabled=no_model or finished or playing,
                classes=["viz-step"],
            )
            solara.Button("Reset", on_click=session.reset, classes=["viz-reset"])
        solara.SliderInt(f"speed: {session.speed.value} days/s", value=session.speed, min=1, max=20)
    with solara.Card("Parameters", margin=0, classes=["viz-card"]):
        solara.InputText(
            "seed (empty: random)",
            value=session.seed_text,
            continuous_update=True,
            classes=["viz-seed"],
        )
        ParameterPanel(session.scenario, session.values.value, session.values.set)
        if dict(session.values.value) != session.applied.value:
            Notice("Parameters changed: press Reset to apply them.", "info", "viz-dirty")


@solara.component
def DayLine(session: Session, tick: int):
    """Day counter and the live reading (redrawn each step)."""
    model = session.model.value
    finished = model.day >= model.horizon
    day_text = f"Day {model.day} of {model.horizon}" + (" — finished" if finished else "")
    n = getattr(model.network, "n", None)
    with solara.Row(style={"align-items": "baseline"}):
        solara.Text(
            day_text, classes=["viz-day"], style={"font-size": "1.5em", "font-weight": "bold"}
        )
        if n is not None:
            solara.Text(f"{n:,} consumers", classes=["viz-population"], style={"color": "#555"})
        classes = custom_classes(model)
        if classes:
            solara.Text(
                "custom agents: " + "; ".join(classes),
                classes=["viz-classes"],
                style={"color": "#555", "font-size": "0.9em"},
            )
    solara.Text(
        panels.live_reading(model, session.frame()),
        classes=["viz-reading"],
        style={"font-size": "1.15em", "display": "block", "margin": "2px 0 6px 0"},
    )


@solara.component
def NetworkPlot(session: Session, tick: int):
    """The consumer network coloured by state (layout made once per model)."""
    model = session.model.value
    view = solara.use_memo(lambda: NetworkView(model.network), [model])

    def make():
        image = view.image(
            model.consumer_states(),
            CONSUMER_STATES,
            list(getattr(model, "platforms", [])),
            list(getattr(model, "retailers", [])),
        )
        return image, view.legend()

    Plot(make, [model, tick], "plot-network", format="jpeg")


@solara.component
def PlotTabs(session: Session, tick: int):
    """One plot at a time, chosen with a button bar; only the visible one is drawn per step."""
    tab = session.tab.value
    model = session.model.value
    plots: dict[str, panels.Panel] = solara.use_memo(dict, [model])

    def make():
        if tab not in plots:
            plots[tab] = panels.PLOTS[tab]()
        return plots[tab].png(model, session.frame()), plots[tab].legend()

    # A ToggleButtons bar rather than solara.lab.Tabs, which needs ipyvuetify 1.x's TabsSlider
    # (missing from ipyvuetify 3).
    solara.ToggleButtonsSingle(value=session.tab, values=list(TAB_NAMES), classes=["viz-tabs"])
    Plot(make, [model, tick, tab], "plot-" + tab.split()[0].lower())


@solara.component
def LivePanel(session: Session):
    """Everything that follows the model.

    Only this component reads the step counter and hands it down: Solara re-renders the page
    from its root once for every component subscribed to a changed value, so one subscriber
    means one render pass per step.
    """
    tick = session.tick.value
    if session.model.value is None:
        solara.Text("No model: fix the parameters and press Reset.")
        return
    DayLine(session, tick)
    with solara.Columns([3, 2], gutters_dense=True):
        NetworkPlot(session, tick)
        with solara.Column():
            ExplanationCard(session.scenario)
            with solara.Card("Alliances and events", margin=0):
                AllianceText(session.model.value, tick)
    PlotTabs(session, tick)


@solara.component
def Page():
    search = solara.use_router().search
    session = solara.use_memo(lambda: Session(*from_query(search)), [])
    playing = session.playing.value
    model = session.model.value
    solara.use_thread(session.play_loop, dependencies=[playing, model], intrusive_cancel=False)
    solara.Title("socialabm classroom")
    with solara.Column(gap="4px", style={"padding": "8px 12px", "max-width": "1600px"}):
        with solara.Row(style={"align-items": "baseline"}):
            solara.Text(
                "socialabm — social e-commerce classroom",
                style={"font-size": "1.3em", "font-weight": "bold"},
            )
            solara.Text(session.scenario.title, classes=["viz-title"], style={"color": "#555"})
        if session.error.value:
            Notice(session.error.value, "error", "viz-error")
        with solara.Columns([1, 3], gutters_dense=True):
            with solara.Column(gap="8px", classes=["viz-controls"]):
                Controls(session)
            with solara.Column(gap="4px", classes=["viz-main"]):
                LivePanel(session)


@solara.component
def Layout(children=[]):  # noqa: B006 - Solara's layout signature
    """A bare layout: the page draws its own header, so Solara's AppLayout is not used."""
    return solara.Column(children=children, style={"padding": "0"})


page = Page
