"""Component tests of the classroom page (solara.render, no browser), its session and its CLI."""

from __future__ import annotations

import argparse
import threading

import ipyvuetify as v
import ipywidgets as widgets
import pytest
import solara
from socialabm.scenarios import builtin_names, load_scenario
from socialabm.viz import app, cli, server


@pytest.fixture
def page():
    box, rc = solara.render(app.Page(), handle_error=False)
    yield rc
    rc.close()


def all_html(rc) -> list:
    """Every v.Html widget of the page, nested ones included (the finder skips some)."""
    seen: dict[int, object] = {}

    def walk(widget):
        if id(widget) in seen:
            return
        if isinstance(widget, v.Html):
            seen[id(widget)] = widget
        for child in getattr(widget, "children", None) or []:
            if hasattr(child, "children"):
                walk(child)

    for widget in rc.find(v.Html).widgets:
        walk(widget)
    return list(seen.values())


def texts(rc, css: str) -> list[str]:
    """Text of the widgets carrying the CSS class ``css``."""
    return [
        "".join(str(c) for c in w.children) for w in all_html(rc) if css in (w.class_ or "").split()
    ]


def button(rc, label: str):
    return rc.find(v.Btn, children=[label]).widget


def slider(rc, name: str):
    """The slider of parameter ``name`` (inside the element with CSS class ``param-<name>``)."""
    boxes = [w for w in rc.find(v.Html).widgets if f"param-{name}" in (w.class_ or "").split()]
    assert len(boxes) == 1
    found = []

    def walk(widget):
        if isinstance(widget, v.Slider):
            found.append(widget)
        for child in getattr(widget, "children", []) or []:
            if hasattr(child, "children"):
                walk(child)

    walk(boxes[0])
    assert len(found) == 1
    return found[0]


def select(rc, label: str):
    return rc.find(v.Select, label=label).widget


def images(rc) -> list[bytes]:
    return [bytes(w.value) for w in rc.find(widgets.Image).widgets]


def test_page_renders_with_day_zero_explanation_and_generated_controls(page):
    assert texts(page, "viz-day") == ["Day 0 of 180"]
    scenario = load_scenario(app.initial_scenario())
    assert texts(page, "explanation-text") == [scenario.explanation]
    assert "n_consumers (agents): 500" in texts(page, "viz-param-label")
    assert "press Step" in texts(page, "viz-reading")[0]
    assert len(images(page)) == 2  # the network and the chosen plot
    kinds = sorted(image[:2] for image in images(page))
    assert kinds == [b"\x89P", b"\xff\xd8"]  # the plot (PNG) and the network (JPEG)


def test_step_advances_the_day_and_changes_the_plots(page):
    before = images(page)
    button(page, "Step").click()
    button(page, "Step").click()
    assert texts(page, "viz-day") == ["Day 2 of 180"]
    after = images(page)
    assert len(after) == 2
    assert before[0] != after[0] and before[1] != after[1]
    assert "press Step" not in texts(page, "viz-reading")[0]


def test_reset_restores_day_zero(page):
    for _ in range(3):
        button(page, "Step").click()
    button(page, "Reset").click()
    assert texts(page, "viz-day") == ["Day 0 of 180"]


def test_switching_scenario_changes_explanation_and_sliders(page):
    names = builtin_names()
    target = "starvation_marketing" if "starvation_marketing" in names else names[-1]
    before = texts(page, "viz-param-label")
    select(page, "scenario").v_model = target
    scenario = load_scenario(target)
    assert texts(page, "explanation-text") == [scenario.explanation]
    after = texts(page, "viz-param-label")
    assert after != before
    assert any(label.startswith("release_cap") for label in after)
    assert texts(page, "viz-day") == ["Day 0 of 180"]


def test_changed_slider_acts_on_reset(page):
    slider(page, "n_consumers").v_model = 200
    assert "press Reset" in texts(page, "viz-dirty")[0]
    assert texts(page, "viz-population") == ["500 consumers"]
    button(page, "Step").click()
    button(page, "Reset").click()
    assert texts(page, "viz-population") == ["200 consumers"]
    assert texts(page, "viz-day") == ["Day 0 of 180"]


def test_bad_seed_is_reported_and_the_model_kept(page):
    page.find(v.TextField, label="seed (empty: random)").widget.v_model = "twelve"
    button(page, "Step").click()
    button(page, "Reset").click()
    assert "seed" in texts(page, "viz-error")[0]
    assert texts(page, "viz-day") == ["Day 1 of 180"]


def test_every_tab_draws(page):
    bar = page.find(v.BtnToggle).widget
    drawn = set()
    for k, name in enumerate(app.TAB_NAMES):
        bar.v_model = k
        css = "plot-" + name.split()[0].lower()
        assert [w for w in page.find(v.Html).widgets if css in (w.class_ or "").split()], name
        plots = [image for image in images(page) if image.startswith(b"\x89PNG")]
        assert len(plots) == 1, name  # only the chosen plot is drawn
        drawn.add(plots[0])
    assert len(drawn) == len(app.TAB_NAMES)  # each tab shows its own picture


# -- the session without a page --------------------------------------------------------------------


def session() -> app.Session:
    box, rc = solara.render(solara.Text("x"), handle_error=False)  # a kernel context
    return app.Session(seed=5)


def test_reset_rebuilds_the_same_class_with_the_parameters_and_seed():
    s = session()
    first = s.model.value
    s.set_value("n_consumers", 150)
    assert s.reset()
    assert type(s.model.value) is type(first) and s.model.value is not first
    assert s.model.value.network.n == 150
    # same seed, same parameters: same run
    s.step()
    a = s.model.value.daily_frame()
    s.reset()
    s.step()
    assert a.equals(s.model.value.daily_frame())


def test_invalid_parameters_keep_the_model_and_say_why():
    s = session()
    first = s.model.value
    s.set_value("n_consumers", -3)
    assert not s.reset()
    assert s.model.value is first
    assert "n_consumers" in s.error.value


def test_play_loop_steps_until_paused():
    s = session()
    s.speed.set(50)
    s.playing.set(True)
    cancel = threading.Event()
    timer = threading.Timer(0.5, cancel.set)
    timer.start()
    s.play_loop(cancel)
    timer.join()
    assert s.model.value.day >= 3


def test_step_stops_at_the_horizon():
    s = session()
    s.set_value("campaign_days", 30)
    s.set_value("n_campaigns", 1)
    s.set_value("n_consumers", 100)
    s.reset()
    while s.step():
        pass
    assert s.model.value.day == s.model.value.horizon == 30
    assert s.finished.value and not s.playing.value


# -- command line and server -----------------------------------------------------------------------


def test_register_adds_viz_with_loopback_default():
    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["viz"])
    assert (args.host, args.port) == ("127.0.0.1", server.DEFAULT_PORT)
    args = parser.parse_args(["viz", "--host", "0.0.0.0", "--port", "9000"])
    assert (args.host, args.port, args.func) == ("0.0.0.0", 9000, cli.run)


def test_server_arguments_and_url():
    args = server.solara_args("127.0.0.1", 8123)
    assert args[:2] == ["run", "socialabm.viz.app"]
    assert "--production" in args and "--no-check-version" in args
    assert server.url("127.0.0.1", 8123) == "http://127.0.0.1:8123/"
    assert server.url("::1", 8123) == "http://[::1]:8123/"
    env = server.offline_environment({})
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"
    assert env["SOLARA_ASSETS_PROXY"] == "True"  # serves /_solara/cdn from solara-assets
    assert (
        server.offline_environment({"SOLARA_KERNEL_CULL_TIMEOUT": "5m"})[
            "SOLARA_KERNEL_CULL_TIMEOUT"
        ]
        == "5m"
    )  # the user's setting wins


def test_solara_assets_hold_what_the_page_loads():
    """The front-end files the page asks for are installed locally (no CDN)."""
    import sys
    from pathlib import Path

    cdn = Path(sys.prefix) / "share" / "solara" / "cdn"
    assert (cdn / "requirejs@2.3.6").is_dir()
    assert any(cdn.glob("@widgetti/solara-vuetify*-app@*"))


def test_a_link_can_preset_scenario_seed_and_values():
    scenario, seed, values = app.from_query("scenario=presale&seed=7&n_consumers=800&bogus=1")
    assert (scenario, seed, values) == ("presale", 7, {"n_consumers": 800})
    assert app.from_query("scenario=nope&n_consumers=-5&seed=x") == (None, app.DEFAULT_SEED, {})
    assert app.from_query(None) == (None, app.DEFAULT_SEED, {})


def test_alliance_card_lists_alliances_and_recent_events():
    from types import SimpleNamespace

    a, b = SimpleNamespace(name="se_1"), SimpleNamespace(name="se_3")
    alliance = SimpleNamespace(
        members=[a, b], formed_day=119, pooled_volume=40, id=1, age=lambda day: day - 119
    )
    model = SimpleNamespace(
        day=125, alliances=[alliance], events=[(119, "Alliance of 2 platforms formed (se_1, se_3)")]
    )
    box, rc = solara.render(app.AllianceText(model, 0), handle_error=False)
    shown = [str(w.children) for w in rc.find(v.Html).widgets]
    assert any("se_1, se_3 — 2 platforms, 6 days, pooled 40 units" in t for t in shown)
    assert any("day 119: Alliance of 2 platforms formed" in t for t in shown)
