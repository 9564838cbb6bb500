"""The classroom app: a Solara page around one :class:`~socialabm.SocialCommerceModel` per session.

Run it with ``uv run socialabm viz`` or ``uv run solara run socialabm.viz.app``.

It keeps Mesa's SolaraViz idioms (the model is built from keyword parameters; Reset rebuilds
``type(model)(**params, rng=seed)``; changed parameters act on Reset; play / pause / step with a
speed control) but lays the page out with plain Solara components (Columns, Card, Row, Column,
Select, sliders, ToggleButtons, images) that work on Solara's Vue 3 front end. Mesa's
``SolaraViz`` main panel stays blank there, because its ``GridDraggable`` loads a Vue 2 build of
vue-grid-layout; ``solara.lab.Tabs``, ``solara.Info``/``Error`` and ``solara.Checkbox`` also
break there; see ``docs/app.md``. ``solara.Markdown`` is not used either: it loads KaTeX, which
``solara-assets`` does not bundle, so offline it logs 404s.

The page is laid out for a projector: the run controls in one bar on top, the day line under it,
then the network beside the main chart, all on screen without scrolling at 1280x800; presenter
mode hides the parameter column. Renders read only published snapshots (:mod:`.runner`), never
a model. Every Solara hook lives inside :func:`Page`, so each browser session has its own model.
"""

from __future__ import annotations

import html
import re
from typing import Any

import markdown
import matplotlib

matplotlib.use("Agg")

import reacton.ipyvuetify as rv  # noqa: E402
import reacton.ipywidgets as rw  # noqa: E402
import solara  # noqa: E402
from socialabm.scenarios import ScenarioError, worksheet  # noqa: E402
from socialabm.viz import fonts, labels, panels  # noqa: E402
from socialabm.viz.controls import (  # noqa: E402
    Control,
    controls_for,
    group_controls,
    key_parameters,
    parameter_groups,
)
from socialabm.viz.limits import Limits, SessionGate  # noqa: E402
from socialabm.viz.links import SPEEDS, nearest_speed, read_link, speed_text  # noqa: E402
from socialabm.viz.runner import Published  # noqa: E402
from socialabm.viz.session import (  # noqa: E402
    DEFAULT_SEED,
    TAB_NAMES,
    Session,
    comparison_for,
    get_scenario,
    scenario_names,
)
from socialabm.viz.snapshot import AllianceView, ConsumerView, Snapshot, key_figures  # noqa: E402
from socialabm.viz.widgets import ClickImage, Download, ScrollHere  # noqa: E402

from socialabm import CONSUMER_STATES  # noqa: E402
from socialabm.parameters import PARAMETERS  # noqa: E402

GATE = SessionGate()
"""The server's open sessions, against ``Limits.max_sessions``."""

IMAGE_LAYOUT = {
    "max_width": "100%",
    "max_height": "calc(100vh - 270px)",
    "width": "auto",
    "height": "auto",
}
"""Pictures keep their shape and shrink to fit the column and the screen's height (so the
network and the chart stay on screen with the controls above them)."""
IMAGE_STYLE = "; ".join(f"{k.replace('_', '-')}: {v}" for k, v in IMAGE_LAYOUT.items())

CSS = """
.viz-topbar .v-btn, .viz-tabs .v-btn, .viz-explanation .v-btn {
  text-transform: none; letter-spacing: normal; }
.viz-worksheet h1 { font-size: 1.3em; line-height: 1.3; margin: 8px 0 4px 0; }
.viz-worksheet h2 { font-size: 1.1em; line-height: 1.3; margin: 8px 0 2px 0; }
.viz-worksheet li { margin-bottom: 4px; }
.viz-topbar .v-btn { padding: 0 10px; }
.viz-compare { max-width: 270px; }
.viz-compare .v-btn__content { display: block; overflow: hidden; text-overflow: ellipsis;
  white-space: nowrap; }
.viz-tabs .v-btn { padding: 0 9px; min-width: 0; }
.viz-tabs { flex-wrap: wrap; height: auto; }
.viz-topbar { position: sticky; top: 0; z-index: 5; background: white; padding: 2px 0; }
.viz-scroll-here { scroll-margin-top: 76px; }
.viz-consumer table { border-collapse: collapse; width: 100%; }
.viz-consumer td, .viz-consumer th { padding: 0 6px 0 0; vertical-align: top;
  text-align: left; font-weight: normal; }
.viz-consumer th { color: #555; }
.viz-retailers td:not(:first-child), .viz-retailers th:not(:first-child) { text-align: right; }
.viz-columns td:first-child { color: #444; width: 58%; }
"""
"""Buttons in sentence case (shorter than Vuetify's capitals, so the bar and the chart buttons
fit a 1280-pixel screen); the bar stays on top when the page scrolls (to the comparison, to a
worksheet); the inspector's tables wrap within their card."""

STEP_DAYS = (1, 7, 30)
"""Days one press of Step can advance (a day, a week, a month)."""

EVENT_DAYS = 6
"""Days with events listed in the alliances card."""


def admit(limits: Limits) -> bool:
    """Whether this browser session may open (fewer than ``limits.max_sessions`` others)."""
    from solara.server import kernel_context

    if not kernel_context.has_current_context():
        return True
    context = kernel_context.get_current_context()

    def connected() -> bool:
        statuses = tuple(context.page_status.values())
        return not context.closed_event.is_set() and kernel_context.PageStatus.CONNECTED in statuses

    if not GATE.enter(context.id, connected, limits.max_sessions):
        return False
    context.on_close(lambda: GATE.leave(context.id))
    return True


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
            f'<span style="margin-right:10px;white-space:nowrap">'
            f'<span style="color:{html.escape(colour)};font-size:1.2em">{symbol}</span> '
            f"{html.escape(text)}</span>"
        )
    style = "font-size:0.8em;line-height:1.5;display:flex;flex-wrap:wrap"
    return f'<div class="viz-legend" style="{style}">{"".join(chips)}</div>'


NOTICE_COLOURS = {"info": ("#e3f2fd", "#0d47a1"), "error": ("#fdecea", "#b71c1c")}


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
            "padding": "4px 10px",
            "border-left": f"4px solid {colour}",
            "border-radius": "4px",
            "margin": "2px 0",
        },
    )


@solara.component
def Plot(make, dependencies: list, css: str, format: str = "png"):
    """The picture and legend made by ``make() -> (image, legend items)``, remade only when
    ``dependencies`` change."""
    image, items = solara.use_memo(make, dependencies)
    with solara.Div(classes=[css, "viz-plot"]):
        rw.Image(value=image, format=format, layout=IMAGE_LAYOUT)
        if items:
            solara.HTML(unsafe_innerHTML=legend_html(items))


LABEL_STYLE = {"display": "block", "color": "#444", "font-size": "0.9em", "margin-bottom": "-12px"}


@solara.component
def ParameterControl(control: Control, value: Any, on_value):
    """One generated control; sliders show their value in the label (readable from the back).
    Hovering shows the parameter's name and meaning."""
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
def ParameterPanel(scenario: Any, values: dict, on_change, caps: dict):
    """Sliders and inputs for the scenario's key parameters, then any group of the others, all
    generated from the declaration."""
    group = solara.use_reactive("")
    Controls(controls_for(scenario.parameters, values, caps), values, on_change)
    rv.Select(
        label="more parameters",
        items=[{"title": "(none)", "value": ""}]
        + [{"title": g, "value": g} for g in parameter_groups()],
        v_model=group.value,
        on_v_model=group.set,
        dense=True,
        hide_details=True,
        class_="viz-more-params",
    )
    if group.value:
        shown = key_parameters(scenario.parameters)
        Controls(group_controls(group.value, shown, values, caps), values, on_change)


@solara.component
def Controls(controls: list[Control], values: dict, on_change):
    """One labelled control per parameter."""
    for control in controls:
        value = values.get(control.name, PARAMETERS[control.name].default)

        def set_value(v, name=control.name):
            on_change({**values, name: v})

        with solara.Div(classes=["viz-param", f"param-{control.name}"]):
            ParameterControl(control, value, set_value)


# -- the bar on top --------------------------------------------------------------------------------


@solara.component
def ScenarioPicker(session: Session):
    """The scenarios by title (the value behind each is its name)."""
    items = [{"title": get_scenario(name).title, "value": name} for name in scenario_names()]
    rv.Select(
        label="socialabm classroom — scenario",
        items=items,
        v_model=session.scenario_name.value,
        on_v_model=session.choose_scenario,
        dense=True,
        hide_details=True,
        class_="viz-scenario",
        style_="width: 250px; flex: 0 0 250px",
    )


@solara.component
def RunControls(session: Session):
    """Play / Pause, Step (by the chosen number of days), To the end, Reset and the speed."""
    playing = session.playing.value
    finished = session.finished.value
    days = session.step_days.value
    with solara.Row(gap="6px", style={"align-items": "center"}):
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
                disabled=finished,
                classes=["viz-play"],
            )
        solara.Button(
            "Step" if days == 1 else f"Step {days}",
            on_click=lambda: session.step(),
            disabled=finished or playing,
            classes=["viz-step"],
        )
        rv.Select(
            label="days",
            items=[{"title": str(n), "value": n} for n in STEP_DAYS],
            v_model=days,
            on_v_model=lambda n: session.step_days.set(int(n)),
            dense=True,
            hide_details=True,
            class_="viz-step-days",
            style_="width: 72px; flex: 0 0 72px",
        )
        solara.Button(
            "To the end",
            on_click=session.run_to_end,
            disabled=finished or playing,
            classes=["viz-end"],
        )
        solara.Button("Reset", on_click=session.reset, classes=["viz-reset"])
        with solara.Div(style={"width": "160px"}, classes=["viz-speed"]):
            solara.SliderInt(
                speed_text(session.speed.value),
                value=nearest_speed(session.speed.value),
                min=0,
                max=len(SPEEDS) - 1,
                on_value=lambda k: session.speed.set(SPEEDS[k]),
            )


@solara.component
def CompareButton(session: Session):
    """Opens (or closes) the comparison below the main view."""
    comparing = session.comparing.value
    if comparing is None:
        other = get_scenario(comparison_for(session.scenario_name.value)).title
        solara.Button(
            f"Compare: {other.split(':')[0]}",
            on_click=lambda: session.open_comparison(),
            outlined=True,
            classes=["viz-compare"],
        )
    else:
        solara.Button(
            "Close comparison",
            on_click=session.close_comparison,
            outlined=True,
            classes=["viz-compare-close"],
        )


@solara.component
def TopBar(session: Session):
    """Scenario, run controls, comparison and presenter mode: one bar, always on screen."""
    presenter = session.presenter.value
    with solara.Row(
        gap="10px", style={"align-items": "center", "flex-wrap": "wrap"}, classes=["viz-topbar"]
    ):
        ScenarioPicker(session)
        RunControls(session)
        CompareButton(session)
        solara.Button(
            "Show parameters" if presenter else "Presenter mode",
            on_click=lambda: session.presenter.set(not presenter),
            text=True,
            classes=["viz-presenter"],
        )


# -- the live part ---------------------------------------------------------------------------------


@solara.component
def DayLine(session: Session, snap: Snapshot):
    """Day counter, population, seed and the live reading."""
    day_text = f"Day {snap.day} of {snap.horizon}" + (" — finished" if snap.finished else "")
    with solara.Row(style={"align-items": "baseline", "flex-wrap": "wrap"}, gap="12px"):
        solara.Text(
            day_text, classes=["viz-day"], style={"font-size": "1.5em", "font-weight": "bold"}
        )
        solara.Text(
            f"{snap.n_consumers:,} consumers", classes=["viz-population"], style={"color": "#555"}
        )
        solara.Text(f"seed {session.seed_used}", classes=["viz-seed-used"], style={"color": "#555"})
        if session.classes:
            solara.Text(
                "custom agents: " + "; ".join(session.classes),
                classes=["viz-classes"],
                style={"color": "#555", "font-size": "0.9em"},
            )
    solara.Text(
        panels.live_reading(snap),
        classes=["viz-reading"],
        style={"font-size": "1.1em", "display": "block", "margin": "0 0 4px 0"},
    )


@solara.component
def NetworkPlot(session: Session, snap: Snapshot, seq: int):
    """The consumer network coloured by state; a click inspects the nearest consumer. The
    browser confirms each picture ``seq`` it has drawn (what paces Play)."""
    view = session.view

    def make():
        return view.image(snap, CONSUMER_STATES), view.legend()

    image, items = solara.use_memo(make, [snap])
    with solara.Div(classes=["plot-network", "viz-plot"]):
        ClickImage.element(
            value=image,
            format="jpeg",
            img_style=IMAGE_STYLE,
            alt="the consumer network",
            seq=seq,
            on_drawn=session.mark_drawn,
            on_clicked=lambda c: c and session.pick(float(c["x"]), float(c["y"])),
        )
        solara.HTML(unsafe_innerHTML=legend_html(items))


@solara.component
def ChartArea(session: Session, snap: Snapshot):
    """One chart at a time, chosen with a button bar; only the visible one is drawn. The
    downloads are under it."""
    tab = session.tab.value
    charts: dict[str, panels.Panel] = solara.use_memo(dict, [snap.generation])

    def make():
        if tab not in charts:
            charts[tab] = panels.PLOTS[tab]()
        session.last_chart = charts[tab].png(snap)
        return session.last_chart, charts[tab].legend()

    with solara.Column(gap="2px", classes=["viz-chart"]):
        # A ToggleButtons bar rather than solara.lab.Tabs, which needs ipyvuetify 1.x's
        # TabsSlider (missing from ipyvuetify 3).
        solara.ToggleButtonsSingle(
            value=session.tab, values=list(TAB_NAMES), dense=True, classes=["viz-tabs"]
        )
        Plot(make, [snap, tab], "plot-" + tab.lower())
        name = session.scenario_name.value.replace("/", "_")
        stem = f"socialabm-{name}-seed{session.seed_used}"
        with solara.Row(gap="6px"):
            with solara.Div(classes=["viz-download-csv"]):
                Download("Daily series (CSV)", f"{stem}-daily.csv", session.csv_bytes, "text/csv")
            with solara.Div(classes=["viz-download-png"]):
                Download(
                    "This chart (PNG)", f"{stem}-{tab.lower()}.png", session.chart_png, "image/png"
                )


@solara.component
def ExplanationCard(scenario: Any):
    """The scenario's classroom explanation, and its worksheet (built-in scenarios), opened in
    view; what the class should see stays hidden until the teacher reveals it."""
    open_sheet = solara.use_reactive(False)
    revealed = solara.use_reactive(False)
    sheet = solara.use_memo(
        lambda: worksheet_text(scenario.name, revealed.value), [scenario.name, revealed.value]
    )
    with solara.Card(margin=0, classes=["viz-explanation"]):
        solara.Text(
            scenario.title,
            classes=["explanation-title"],
            style={"font-size": "1.1em", "font-weight": "bold", "display": "block"},
        )
        solara.Text(
            scenario.explanation or "",
            classes=["explanation-text"],
            style={"display": "block", "margin-top": "4px"},
        )
        if sheet:
            solara.Button(
                "Hide the worksheet" if open_sheet.value else "Worksheet for this scenario",
                on_click=lambda: open_sheet.set(not open_sheet.value),
                text=True,
                classes=["viz-worksheet-button"],
            )
            if open_sheet.value:
                ScrollHere.element()  # the worksheet opens below the fold: bring it into view
                solara.Button(
                    "Hide what the class should see"
                    if revealed.value
                    else "Reveal what the class should see (teacher)",
                    on_click=lambda: revealed.set(not revealed.value),
                    outlined=True,
                    small=True,
                    classes=["viz-reveal"],
                )
                # rendered here: solara.Markdown would fetch KaTeX online
                solara.HTML(tag="div", unsafe_innerHTML=sheet, classes=["viz-worksheet"])


ANSWER = re.compile(r"<p><em>What the class should see:</em>.*?</p>", re.DOTALL)
"""A worksheet's answer paragraph, as Markdown renders it."""

HIDDEN_ANSWER = (
    '<p class="viz-hidden-answer" style="color:#777"><em>What the class should see:</em> '
    "hidden until the teacher reveals it.</p>"
)


def worksheet_text(name: str, reveal: bool = True) -> str:
    """The worksheet of a built-in scenario as HTML, or "" (a scenario file of one's own has
    none); without ``reveal``, what the class should see is replaced by a line saying it is
    hidden."""
    try:
        text = worksheet(name)
    except ScenarioError:
        return ""
    html_text = markdown.markdown(text, extensions=["tables", "fenced_code"])
    return html_text if reveal else ANSWER.sub(HIDDEN_ANSWER, html_text)


@solara.component
def AllianceText(
    alliances: tuple[AllianceView, ...], formed: int, events: tuple[tuple[int, str], ...]
):
    """Live alliances (members, size, age, pooled volume), how many formed so far, and the
    events of the last days that had any: latest day first, each day's in the order they
    happened. (Plain tuples as arguments: unchanged ones skip the render.)"""
    lines = panels.alliance_lines(alliances)
    with solara.Div(classes=["viz-alliances"]):
        solara.Text(
            f"Alliances formed so far: {formed}",
            classes=["viz-alliances-formed"],
            style={"display": "block", "font-weight": "bold"},
        )
        for line in lines:
            solara.Text(line, classes=["viz-alliance"], style={"display": "block"})
        if not lines:
            solara.Text("No alliance at the moment.", style={"color": "#666", "display": "block"})
        for day, texts in panels.events_by_day(events, EVENT_DAYS):
            with solara.Div(classes=["viz-event-day"], style={"font-size": "0.9em"}):
                solara.Text(f"day {day}: ", style={"color": "#666"})
                for k, text in enumerate(texts):
                    solara.Text(("; " if k else "") + text, classes=["viz-event"])


FIRST_COLUMNS = ("self_restraint", "debt", "cash")
"""Consumer columns listed first in the inspector (the rest follow in the store's order)."""


def consumer_html(view: ConsumerView, retailers: tuple[tuple[str, str], ...], drawn: bool) -> str:
    """The inspected consumer as HTML: state and ties, a table with a row per retailer (beliefs,
    awareness, ...) and every other consumer column (generically: new columns appear without
    changes here), each under its readable label with its value read as it means
    (:mod:`socialabm.viz.labels`: a -1 "none" shows as what it means, a retailer index as the
    retailer's name)."""
    names = tuple(name for name, _ in retailers)

    def text(column: str, value: Any) -> str:
        return html.escape(labels.column_text(column, value, names))

    state = html.escape(view.state.replace("_", " "))
    ties = (
        f"<b>{state}</b> · <b>{len(view.strong)}</b> strong ties: "
        f"{', '.join(map(str, view.strong)) or '–'} · "
        f"<b>{len(view.weak)}</b> weak ties: {', '.join(map(str, view.weak)) or '–'}"
    )
    where = "" if drawn else "<br><i>(not in the drawn neighbourhood)</i>"
    columns = list(view.per_retailer)
    heads = "".join(f"<th>{html.escape(labels.column_label(c))}</th>" for c in columns)
    per = "".join(
        f"<tr><td>{html.escape(name).replace('_', '_<wbr>')}</td>"
        + "".join(f"<td>{text(c, view.per_retailer[c][k])}</td>" for c in columns)
        + "</tr>"
        for k, name in enumerate(names)
    )
    order = [c for c in FIRST_COLUMNS if c in view.values]
    order += [c for c in view.values if c not in order]
    rows = "".join(
        f"<tr><td>{html.escape(labels.column_label(c))}</td><td>{text(c, view.values[c])}</td></tr>"
        for c in order
    )
    return (
        f'<div style="font-size:0.85em">{ties}{where}'
        f'<table class="viz-retailers" style="margin-top:4px"><tr><th>retailer</th>{heads}</tr>'
        f"{per}</table>"
        f'<table class="viz-columns" style="margin-top:4px">{rows}</table></div>'
    )


@solara.component
def Inspector(
    session: Session,
    view: ConsumerView | None,
    n_consumers: int,
    retailers: tuple[tuple[str, str], ...],
):
    """Pick a consumer (click the network or type an id): their state, beliefs, self-restraint,
    debt and every other column, and their ties, highlighted on the network. An id that is not
    a consumer is said so in the card."""
    with solara.Card("Inspect a consumer", margin=0, classes=["viz-inspector"]):
        with solara.Row(gap="6px", style={"align-items": "center"}):
            solara.InputText(
                f"consumer id (0–{n_consumers - 1:,})",
                value=session.inspect_text.value,
                on_value=session.inspect_typed,
                continuous_update=True,
                classes=["viz-consumer-id"],
            )
            if view is not None or session.inspect_text.value:
                solara.Button("Clear", on_click=session.clear_inspector, text=True, small=True)
        if session.inspect_error.value:
            Notice(session.inspect_error.value, "error", "viz-inspect-error")
        if view is None:
            solara.Text(
                "Click a consumer on the network, or type an id.",
                style={"color": "#666", "display": "block"},
            )
        else:
            drawn = session.view is not None and session.view.drawn(view.index)
            solara.HTML(
                tag="div",
                unsafe_innerHTML=consumer_html(view, retailers, drawn),
                classes=["viz-consumer"],
            )


def compare_html(main: Snapshot, other: Snapshot, main_title: str, other_title: str) -> str:
    """Each run's key figures and their difference, B − A (the compared run, B, minus this one,
    A), as an HTML table."""
    cell = 'style="padding:1px 10px 1px 0;text-align:right"'
    left = 'style="padding:1px 10px 1px 0"'
    rows = []
    for a, b in zip(key_figures(main), key_figures(other), strict=True):
        diff = b.value - a.value
        sign = "+" if diff > 0 else "−" if diff < 0 else ""
        rows.append(
            f"<tr><td {left}>{html.escape(a.label)}</td><td {cell}>{a.text()}</td>"
            f"<td {cell}>{b.text()}</td><td {cell}>{sign}{a.text(abs(diff))}</td></tr>"
        )
    return (
        '<table class="viz-compare-table" style="font-size:0.9em">'
        f"<tr><th {left}></th><th {cell}>A: {html.escape(main_title)} (solid)</th>"
        f"<th {cell}>B: {html.escape(other_title)} (dashed)</th>"
        '<th style="padding:1px 0;text-align:right;white-space:nowrap" '
        'title="the compared run minus this one">difference B − A</th></tr>'
        f"{''.join(rows)}</table>"
    )


@solara.component
def Comparison(session: Session, published: Published):
    """The two runs side by side: overlaid charts and key figures with their difference; the
    page scrolls to it when it opens."""
    other_name = session.comparing.value
    main_title = session.scenario.title.split(":")[0]
    other_title = get_scenario(other_name).title.split(":")[0] if other_name else ""
    chart = solara.use_memo(panels.ComparePanel, [published.main.generation, other_name])

    def make():
        return chart.png(published), chart.legend()

    with solara.Card(
        f"Comparison: {main_title} (A) against {other_title} (B)",
        subtitle=f"Same seed ({session.seed_used}), same population and your changes, "
        "run in lockstep",
        margin=0,
        classes=["viz-comparison"],
    ):
        ScrollHere.element()
        with solara.Columns([1, 1], gutters_dense=True):
            Plot(make, [published], "plot-compare")
            solara.HTML(
                tag="div",
                unsafe_innerHTML=compare_html(
                    published.main, published.other, main_title, other_title
                ),
            )


@solara.component
def Live(session: Session):
    """Everything drawn from the published snapshots.

    Only this component reads :attr:`Session.published`: Solara re-renders the page from its
    root once for every component subscribed to a changed value, so one subscriber means one
    render pass per picture.
    """
    published = session.published.value
    if published is None:
        solara.Text("No model: fix the parameters and press Reset.")
        return
    snap = published.main
    DayLine(session, snap)
    with solara.Columns([1, 1], gutters_dense=True):
        NetworkPlot(session, snap, published.seq)
        ChartArea(session, snap)
    with solara.Columns([1, 1, 1], gutters_dense=True):
        ExplanationCard(session.scenario)
        with solara.Card("Alliances and events", margin=0):
            AllianceText(snap.alliances, snap.alliances_formed, snap.events)
        Inspector(session, snap.consumer, snap.n_consumers, snap.retailers)
    if published.other is not None:
        Comparison(session, published)


@solara.component
def ParameterColumn(session: Session):
    """The seed and the scenario's key parameters (hidden in presenter mode)."""
    with solara.Card("Parameters", margin=0, classes=["viz-params"]):
        solara.InputText(
            "seed (empty: random)",
            value=session.seed_text,
            continuous_update=True,
            classes=["viz-seed"],
        )
        ParameterPanel(
            session.scenario,
            session.values.value,
            session.values.set,
            {"n_consumers": session.limits.max_consumers},
        )
        if problem := session.seed_problem():
            Notice(f"{problem}: Reset will refuse it.", "error", "viz-seed-error")
        if pending := session.pending_changes():
            Notice(pending, "info", "viz-dirty")


@solara.component
def ServerFull(limit: int):
    """What a session beyond the server's limit sees."""
    with solara.Column(style={"padding": "40px", "max-width": "720px"}, classes=["viz-full"]):
        solara.Text(
            "This classroom server is full",
            style={"font-size": "1.6em", "font-weight": "bold", "display": "block"},
        )
        solara.Text(
            f"{limit} sessions are open, the most this server allows (socialabm viz "
            "--max-sessions). Close a tab you no longer use, or reload this page in a minute.",
            style={"display": "block", "margin-top": "8px", "font-size": "1.1em"},
        )


@solara.component
def Classroom(search: str, limits: Limits):
    """The page of an admitted session."""
    session = solara.use_memo(
        lambda: Session(read_link(search, scenario_names(), limits, DEFAULT_SEED), limits), []
    )
    solara.use_effect(lambda: session.close, [])  # on close: let go of the models at once
    playing = session.playing.value
    solara.use_thread(
        session.play_loop, dependencies=[playing, session.runner.generation], intrusive_cancel=False
    )
    presenter = session.presenter.value
    with solara.Column(gap="4px", style={"padding": "0 12px 6px 12px"}):
        TopBar(session)
        for text in session.notices.value:
            Notice(text, "info", "viz-link-notice")
        if session.error.value:
            Notice(session.error.value, "error", "viz-error")
        if presenter:
            Live(session)
        else:
            with solara.Columns([1, 4], gutters_dense=True):
                ParameterColumn(session)
                with solara.Column(gap="4px", classes=["viz-main"]):
                    Live(session)


@solara.component
def Page():
    search = solara.use_router().search
    limits = solara.use_memo(Limits.from_env, [])
    admitted = solara.use_memo(lambda: admit(limits), [])
    solara.Title("socialabm classroom")
    solara.Style(CSS + fonts.font_css())
    with solara.Div(classes=["viz-page"]):
        if admitted:
            Classroom(search or "", limits)
        else:
            ServerFull(limits.max_sessions)


@solara.component
def Layout(children=[]):  # noqa: B006 - Solara's layout signature
    """A bare layout: the page draws its own header, so Solara's AppLayout is not used."""
    return solara.Column(children=children, style={"padding": "0"})


page = Page
