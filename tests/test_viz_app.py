"""Component tests of the classroom page (solara.render, no browser), its session and its CLI."""

from __future__ import annotations

import argparse
import gc
import io
import socket
import threading
import time
import weakref

import ipyvuetify as v
import ipywidgets as widgets
import pandas as pd
import pytest
import solara
from socialabm.scenarios import builtin_names, load_scenario, worksheet
from socialabm.viz import app, cli, server
from socialabm.viz.controls import parameter_groups
from socialabm.viz.limits import Limits
from socialabm.viz.links import read_link
from socialabm.viz.session import Session, initial_scenario
from socialabm.viz.widgets import ClickImage, DownloadWidget

from socialabm.parameters import PARAMETERS, ParameterError


@pytest.fixture
def page():
    box, rc = solara.render(app.Page(), handle_error=False)
    yield rc
    rc.close()


def all_widgets(rc) -> list:
    """Every widget of the page, depth first in page order (the finder skips some)."""
    found: list = []

    def walk(widget):
        found.append(widget)
        for child in getattr(widget, "children", None) or []:
            if isinstance(child, widgets.Widget):
                walk(child)

    walk(rc.find().widget)
    return found


def all_html(rc) -> list:
    """Every v.Html widget of the page, in page order."""
    return [w for w in all_widgets(rc) if isinstance(w, v.Html)]


def inner_html(rc, css: str | None = None) -> list[str]:
    """The HTML of the ``solara.HTML`` widgets (with the CSS class ``css``, if given)."""
    return [
        w.unsafe_innerHTML
        for w in all_widgets(rc)
        if isinstance(w, solara.widgets.HTML)
        and (css is None or css in w.attributes.get("class", "").split())
    ]


def texts(rc, css: str) -> list[str]:
    """Text of the widgets carrying the CSS class ``css``."""
    return [
        "".join(str(c) for c in w.children) for w in all_html(rc) if css in (w.class_ or "").split()
    ]


def has(rc, css: str) -> bool:
    """Whether any widget of the page carries the CSS class ``css``."""
    return any(css in (getattr(w, "class_", None) or "").split() for w in all_widgets(rc))


def button(rc, label: str):
    return rc.find(v.Btn, children=[label]).widget


def with_class(rc, css: str) -> list:
    """The widgets of the page that carry the CSS class ``css``."""
    return [w for w in all_widgets(rc) if css in (getattr(w, "class_", None) or "").split()]


def slider(rc, name: str):
    """The slider of parameter ``name`` (inside the element with CSS class ``param-<name>``)."""
    boxes = with_class(rc, f"param-{name}")
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


def picker(rc):
    return rc.find(v.Select, label="socialabm classroom — scenario").widget


def network(rc) -> ClickImage:
    return rc.find(ClickImage).widget


def chart(rc) -> bytes:
    (image,) = rc.find(widgets.Image).widgets
    return bytes(image.value)


def test_page_renders_with_day_zero_explanation_and_generated_controls(page):
    assert texts(page, "viz-day") == ["Day 0 of 180"]
    scenario = load_scenario(initial_scenario())
    assert texts(page, "explanation-text") == [scenario.explanation]
    assert "Consumers: 500" in texts(page, "viz-param-label")
    assert "press Step" in texts(page, "viz-reading")[0]
    assert bytes(network(page).value)[:2] == b"\xff\xd8"  # JPEG
    assert chart(page)[:4] == b"\x89PNG"


def test_scenario_picker_shows_titles_and_switches_by_name(page):
    items = picker(page).items
    assert [item["value"] for item in items] == builtin_names()
    assert [item["title"] for item in items] == [load_scenario(n).title for n in builtin_names()]
    before = texts(page, "viz-param-label")
    picker(page).v_model = "starvation_marketing"
    assert texts(page, "explanation-text") == [load_scenario("starvation_marketing").explanation]
    after = texts(page, "viz-param-label")
    assert after != before and any(label.startswith("Units released per day") for label in after)
    assert texts(page, "viz-day") == ["Day 0 of 180"]


def test_worksheet_of_the_scenario_opens_from_its_card(page):
    assert inner_html(page, "viz-worksheet") == []
    button(page, "Worksheet for this scenario").click()
    (sheet,) = inner_html(page, "viz-worksheet")
    title = worksheet(initial_scenario()).splitlines()[0].lstrip("# ")
    assert f"<h1>{title}</h1>" in sheet and "<h2>What to set</h2>" in sheet
    button(page, "Hide the worksheet").click()
    assert inner_html(page, "viz-worksheet") == []


def controls_shown(rc) -> set[str]:
    """Names of the parameters with a control on the page (from their ``param-<name>`` class)."""
    return {
        css.removeprefix("param-")
        for w in all_widgets(rc)
        for css in (getattr(w, "class_", None) or "").split()
        if css.startswith("param-")
    }


def test_every_declared_parameter_is_a_control_through_its_group(page):
    select = page.find(v.Select, label="more parameters").widget
    named = controls_shown(page)
    for group in parameter_groups():
        select.v_model = group
        named |= controls_shown(page)
    assert set(PARAMETERS) - named == set()


def test_step_advances_the_day_and_changes_both_pictures(page):
    before = (bytes(network(page).value), chart(page))
    button(page, "Step").click()
    button(page, "Step").click()
    assert texts(page, "viz-day") == ["Day 2 of 180"]
    assert bytes(network(page).value) != before[0] and chart(page) != before[1]
    assert "press Step" not in texts(page, "viz-reading")[0]


def test_reset_restores_day_zero(page):
    for _ in range(3):
        button(page, "Step").click()
    button(page, "Reset").click()
    assert texts(page, "viz-day") == ["Day 0 of 180"]


def test_changed_slider_acts_on_reset(page):
    slider(page, "n_consumers").v_model = 200
    assert "press Reset" in texts(page, "viz-dirty")[0]
    assert texts(page, "viz-population") == ["500 consumers"]
    button(page, "Step").click()
    button(page, "Reset").click()
    assert texts(page, "viz-population") == ["200 consumers"]
    assert texts(page, "viz-day") == ["Day 0 of 180"]


def test_a_changed_seed_says_press_reset_and_reset_applies_it(page):
    assert texts(page, "viz-dirty") == []
    page.find(v.TextField, label="seed (empty: random)").widget.v_model = "7"
    assert texts(page, "viz-dirty") == ["The seed changed: press Reset to apply it."]
    button(page, "Reset").click()
    assert texts(page, "viz-dirty") == [] and texts(page, "viz-seed-used") == ["seed 7"]


def test_a_seed_that_is_not_a_number_is_said_before_reset(page):
    page.find(v.TextField, label="seed (empty: random)").widget.v_model = "4.5"
    (problem,) = texts(page, "viz-seed-error")
    assert "'4.5'" in problem and "Reset will refuse it" in problem


def test_a_huge_seed_runs_exactly_as_typed(page):
    page.find(v.TextField, label="seed (empty: random)").widget.v_model = "9007199254740993"
    button(page, "Reset").click()
    assert texts(page, "viz-seed-used") == ["seed 9007199254740993"]


def test_step_by_a_week_and_run_to_the_end(page):
    page.find(v.Select, label="days").widget.v_model = 7
    button(page, "Step 7").click()
    assert texts(page, "viz-day") == ["Day 7 of 180"]
    button(page, "To the end").click()
    assert texts(page, "viz-day") == ["Day 180 of 180 — finished"]
    assert button(page, "To the end").disabled and button(page, "Play").disabled


def test_the_speed_goes_below_a_day_per_second(page):
    (speed,) = with_class(page, "viz-speed")
    (bar,) = [w for w in walk_from(speed) if isinstance(w, v.Slider)]
    assert bar.label == "5 days/s"
    bar.v_model = 0
    (bar,) = [w for w in walk_from(speed) if isinstance(w, v.Slider)]
    assert bar.label == "0.25 days/s"


def walk_from(widget) -> list:
    found = [widget]
    for child in getattr(widget, "children", None) or []:
        if isinstance(child, widgets.Widget):
            found += walk_from(child)
    return found


def test_bad_seed_is_reported_and_the_model_kept(page):
    page.find(v.TextField, label="seed (empty: random)").widget.v_model = "twelve"
    button(page, "Step").click()
    button(page, "Reset").click()
    assert "seed" in texts(page, "viz-error")[0]
    assert texts(page, "viz-day") == ["Day 1 of 180"]


def test_every_tab_draws_its_own_chart(page):
    bar = page.find(v.BtnToggle).widget
    button(page, "Step").click()
    drawn = set()
    for k, name in enumerate(app.TAB_NAMES):
        bar.v_model = k
        assert has(page, "plot-" + name.lower()), name
        drawn.add(chart(page))  # only the chosen chart is drawn: chart() finds exactly one
    assert len(drawn) == len(app.TAB_NAMES)


def test_presenter_mode_hides_the_parameter_column(page):
    assert has(page, "viz-params")
    button(page, "Presenter mode").click()
    assert not has(page, "viz-params") and has(page, "viz-day")
    button(page, "Show parameters").click()
    assert has(page, "viz-params")


def test_compare_button_runs_the_compared_scenario_in_lockstep(page):
    title = load_scenario("traditional").title.split(":")[0]
    button(page, f"Compare: {title}").click()
    assert has(page, "viz-comparison") and has(page, "plot-compare")
    for _ in range(3):
        button(page, "Step").click()
    (text,) = [html for html in inner_html(page) if "viz-compare-table" in html]
    assert "aware" in text and "difference B − A" in text and "B: Traditional" in text
    button(page, "Close comparison").click()
    assert not has(page, "viz-comparison")


def test_typing_an_id_inspects_that_consumer(page):
    button(page, "Step").click()
    page.find(v.TextField, label="consumer id (0–499)").widget.v_model = "7"
    (text,) = inner_html(page, "viz-consumer")
    for label in ("Self-restraint", "Debt", "Belief (quality)", "strong ties", "weak ties"):
        assert label in text, label


def test_the_inspector_reads_labels_and_meanings_not_raw_names_and_placeholders(page):
    button(page, "Step").click()
    page.find(v.TextField, label="consumer id (0–499)").widget.v_model = "7"
    (text,) = inner_html(page, "viz-consumer")
    assert "Fan of" in text and "fan_of" not in text and "self_restraint" not in text
    assert ">-1<" not in text  # a -1 "none" is shown as what it means
    for retailer in ("self_run", "trading_3p", "social_3p", "self_built_social"):
        assert f"<td>{retailer.replace('_', '_<wbr>')}</td>" in text  # a row per retailer


def test_an_id_that_is_not_a_consumer_says_so_and_shows_nobody(page):
    field = page.find(v.TextField, label="consumer id (0–499)").widget
    field.v_model = "7"
    assert inner_html(page, "viz-consumer")
    field.v_model = "9999"
    (notice,) = texts(page, "viz-inspect-error")
    assert "consumer 9999 does not exist (ids 0 to 499)" in notice
    assert inner_html(page, "viz-consumer") == []  # not the previous consumer
    field.v_model = "seven"
    assert "'seven' is not a consumer id" in texts(page, "viz-inspect-error")[0]
    field.v_model = "12"
    assert texts(page, "viz-inspect-error") == [] and inner_html(page, "viz-consumer")


def test_the_teacher_reveals_what_the_class_should_see(page):
    button(page, "Worksheet for this scenario").click()
    (hidden,) = inner_html(page, "viz-worksheet")
    assert hidden.count("hidden until the teacher reveals it") == 3
    answer = worksheet(initial_scenario()).split("*What the class should see:*")[1].split()[:4]
    assert " ".join(answer) not in hidden
    button(page, "Reveal what the class should see (teacher)").click()
    (shown,) = inner_html(page, "viz-worksheet")
    assert "hidden until" not in shown and " ".join(answer) in " ".join(shown.split())
    button(page, "Hide what the class should see").click()
    assert inner_html(page, "viz-worksheet") == [hidden]


def download(rc, label: str) -> bytes:
    (button_,) = [w for w in rc.find(DownloadWidget).widgets if w.label == label]
    button_.request = button_.request + 1  # what a click does
    return bytes(button_.payload)


def test_downloads_give_the_daily_series_and_the_chart(page):
    for _ in range(4):
        button(page, "Step").click()
    frame = pd.read_csv(io.BytesIO(download(page, "Daily series (CSV)")))
    assert list(frame["day"]) == [1, 2, 3, 4] and "sales_in_scene" in frame
    assert download(page, "This chart (PNG)") == chart(page)


def test_a_link_with_mistakes_shows_notices():
    search = "scenario=platform_aliance&n_consumer=300&seed=x&n_consumers=900000"
    box, rc = solara.render(app.Classroom(search, Limits()), handle_error=False)
    try:
        notices = " ".join(texts(rc, "viz-link-notice"))
        assert "did you mean 'platform_alliance'" in notices
        assert "did you mean 'n_consumers'" in notices
        assert "seed 'x'" in notices
        assert "limit of 5,000 consumers" in notices
        assert texts(rc, "viz-population") == ["5,000 consumers"]
    finally:
        rc.close()


def test_the_server_full_page_says_why():
    box, rc = solara.render(app.ServerFull(3), handle_error=False)
    try:
        assert "server is full" in " ".join(str(w.children) for w in rc.find(v.Html).widgets)
    finally:
        rc.close()


# -- the session without a page --------------------------------------------------------------------


def session(**link) -> Session:
    solara.render(solara.Text("x"), handle_error=False)  # a kernel context
    return Session(read_link(None, builtin_names(), Limits()) if not link else link["link"])


def test_reset_rebuilds_the_same_class_with_the_parameters_and_seed():
    s = session()
    first = s.runner.model
    s.set_value("n_consumers", 150)
    assert s.reset()
    assert type(s.runner.model) is type(first) and s.runner.model is not first
    assert s.published.value.main.n_consumers == 150
    s.step()
    a = s.published.value.main.frame
    s.reset()
    s.step()
    assert a.equals(s.published.value.main.frame)  # same seed, same parameters: same run


def test_invalid_parameters_keep_the_model_and_say_why():
    s = session()
    first = s.runner.model
    s.set_value("n_consumers", -3)
    assert not s.reset()
    assert s.runner.model is first
    assert "n_consumers = -3" in s.error.value
    assert "from 10 to 5,000 (this server's limit" in s.error.value  # not the model's range


def test_the_server_limits_population_and_horizon():
    s = session()
    first = s.runner.model
    s.set_value("n_consumers", 6000)
    assert not s.reset() and "limit of 5,000 consumers" in s.error.value
    s.set_value("n_consumers", 200)
    s.set_value("n_campaigns", 20)  # 20 x 60 days
    assert not s.reset() and "1,200 days" in s.error.value and "--max-days" in s.error.value
    assert s.runner.model is first


def test_a_link_beyond_the_horizon_limit_opens_the_scenario_as_it_is():
    s = session(link=read_link("n_campaigns=50", builtin_names(), Limits()))
    assert s.published.value.main.horizon == 180
    assert any("days" in notice and "not applied" in notice for notice in s.notices.value)


def test_a_random_seed_is_drawn_shown_and_shared_with_the_comparison():
    s = session(link=read_link("seed=", builtin_names(), Limits()))
    assert s.seed_text.value == "" and s.seed_used >= 0
    assert s.open_comparison("social_commerce")  # the same scenario: identical runs
    for _ in range(5):
        s.step()
    published = s.published.value
    assert published.main.frame.equals(published.other.frame)


def test_the_compared_scenario_keeps_its_own_settings_and_takes_the_users_changes():
    s = session(link=read_link("n_campaigns=4&n_consumers=300", builtin_names(), Limits()))
    s.set_value("weak_ties", 3)
    s.set_value("coordination_cost", 0.5)  # platform_alliance sets it itself, to 0.2
    assert s.reset()
    values = s.comparison_values("platform_alliance")
    own = load_scenario("platform_alliance").parameters
    assert values["n_campaigns"] == 4 and values["n_consumers"] == 300 and values["weak_ties"] == 3
    assert values["coordination_cost"] == own["coordination_cost"] == 0.2
    assert values["power_pooled"] == own["power_pooled"]
    assert s.open_comparison("platform_alliance")
    assert s.published.value.other.horizon == s.published.value.main.horizon == 240


def test_the_comparison_states_its_direction_and_the_giants_share_of_sales():
    """The platform_alliance worksheet: the giant's share is about 47% here against 67% in
    social_commerce (seed 42, 500 consumers); the table says B − A is +20%."""
    s = session(link=read_link("scenario=platform_alliance&compare=1", builtin_names(), Limits()))
    assert s.comparing.value == "social_commerce"
    s.run_to_end()
    published = s.published.value
    assert published.main.finished and published.other.finished
    table = app.compare_html(published.main, published.other, "Alliance", "Social")
    assert "A: Alliance" in table and "B: Social" in table and "difference B − A" in table
    (row,) = [r for r in table.split("<tr>") if "giant&#x27;s share of sales" in r]
    cells = [c.split(">")[-1] for c in row.split("</td>")[1:4]]
    assert cells == ["47%", "67%", "+20%"]


def test_an_older_picture_never_replaces_a_newer_one():
    s = session()
    older = s.runner.step(1)
    newer = s.runner.inspect(3)  # a click publishes while Play still holds the older picture
    s.show(newer)
    s.show(older)
    assert s.published.value is newer


def test_a_picture_checked_before_a_reset_never_replaces_the_reset(monkeypatch):
    """Play's thread checks its last picture of a finished run against the one shown; a Reset
    publishes a newer picture at that moment (made to happen here by pausing Play's thread
    right after its check). The page must end on the Reset's picture, not finished."""
    s = session()
    s.set_value("n_consumers", 100)
    s.reset()
    last_of_run = s.runner.step(s.runner.horizon)  # Play's picture of the finished run
    assert last_of_run.finished
    checked, reset_started = threading.Event(), threading.Event()
    reactive = type(s.published)
    read = reactive.value.fget

    def value(self):  # Play's thread waits, after reading what is shown, for the Reset
        shown = read(self)
        if self is s.published and threading.current_thread().name == "play":
            checked.set()
            reset_started.wait(timeout=2)
            time.sleep(0.2)  # an unlocked Reset would run to its end meanwhile
        return shown

    monkeypatch.setattr(reactive, "value", property(value, reactive.value.fset))
    play = threading.Thread(target=s.show, args=(last_of_run,), name="play")
    play.start()
    assert checked.wait(timeout=5)

    def reset():
        reset_started.set()
        s.reset()

    clicked = threading.Thread(target=reset, name="click")
    clicked.start()
    play.join(timeout=10)
    clicked.join(timeout=10)
    assert s.published.value.main.day == 0 and not s.finished.value


def test_play_loop_steps_until_paused():
    s = session()
    s.speed.set(20)
    s.playing.set(True)
    cancel = threading.Event()

    def pause_after_three_days():  # the play loop's pace depends on the machine's load
        deadline = time.monotonic() + 60
        while s.published.value.main.day < 3 and time.monotonic() < deadline:
            s.mark_drawn(s.published.value.seq)  # as the page confirms each picture it draws
            time.sleep(0.01)
        s.playing.set(False)

    threading.Thread(target=pause_after_three_days, daemon=True).start()
    s.play_loop(cancel)
    assert s.published.value.main.day >= 3 and not s.playing.value


def test_step_stops_at_the_horizon():
    s = session()
    s.set_value("campaign_days", 30)
    s.set_value("n_campaigns", 1)
    s.set_value("n_consumers", 100)
    s.reset()
    while s.step():
        pass
    assert s.published.value.main.day == s.published.value.main.horizon == 30
    assert s.finished.value and not s.playing.value


def test_a_click_on_the_network_inspects_the_consumer_drawn_there():
    s = session()
    s.view.image(s.published.value.main, ("unaware",) * 6)  # draws, so positions are known
    x, y = s.view.fraction_of(123)
    s.pick(x, y)
    assert s.published.value.main.consumer.index == 123
    s.pick(0.999, 0.001)  # the top right corner: nobody there
    assert s.published.value.main.consumer.index == 123


# -- command line and server -----------------------------------------------------------------------


def test_register_adds_viz_with_loopback_default_and_limits():
    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["viz"])
    assert (args.host, args.port) == ("127.0.0.1", server.DEFAULT_PORT)
    assert (args.max_consumers, args.max_days, args.max_sessions) == (5000, 1000, 40)
    args = parser.parse_args(["viz", "--host", "0.0.0.0", "--port", "9000", "--max-sessions", "3"])
    assert (args.host, args.port, args.max_sessions, args.func) == ("0.0.0.0", 9000, 3, cli.run)
    with pytest.raises(SystemExit):
        parser.parse_args(["viz", "--max-consumers", "0"])


def test_configure_hands_the_limits_to_the_app_and_checks_set_against_them():
    env: dict[str, str] = {}
    cli.configure(None, ["n_consumers=800"], env, Limits(max_consumers=1000, max_sessions=7))
    assert Limits.from_env(env) == Limits(max_consumers=1000, max_sessions=7)
    with pytest.raises(ParameterError, match="limit of 1,000 consumers"):
        cli.configure(None, ["n_consumers=2000"], {}, Limits(max_consumers=1000))


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


def test_the_url_is_printed_only_once_the_port_listens():
    from tests.app_harness import free_port

    port = free_port()
    out = io.StringIO()
    announcer = server.announce_when_listening("127.0.0.1", port, out=out)
    time.sleep(0.3)
    assert out.getvalue() == ""  # nothing listens yet
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", port))
        listener.listen()
        announcer.join(timeout=5)
    assert out.getvalue().strip().startswith(f"socialabm classroom app: http://127.0.0.1:{port}/")


def test_solaras_early_url_line_is_dropped_and_other_lines_kept():
    printed = []
    rich = type("Rich", (), {"print": staticmethod(printed.append), "pretty": "x"})
    quiet = server._WithoutEarlyUrl(rich)
    quiet.print("Solara server is starting at http://127.0.0.1:1/")
    quiet.print("something else")
    assert printed == ["something else"] and quiet.pretty == "x"


def test_solara_assets_hold_what_the_page_loads():
    """The front-end files the page asks for are installed locally (no CDN)."""
    import sys
    from pathlib import Path

    cdn = Path(sys.prefix) / "share" / "solara" / "cdn"
    assert (cdn / "requirejs@2.3.6").is_dir()
    assert any(cdn.glob("@widgetti/solara-vuetify*-app@*"))


def test_alliance_card_lists_alliances_formed_and_events_in_order():
    from socialabm.viz.snapshot import AllianceView

    from tests.test_viz_panels import snapshot_like

    snap = snapshot_like(
        day=125,
        alliances=(AllianceView(2, ("se_1", "se_3"), 6, 40),),
        alliances_formed=2,
        events=(
            (109, "se_1 left the alliance"),
            (109, "An alliance dissolved"),
            (119, "Alliance of 2 platforms formed (se_1, se_3)"),
        ),
    )
    box, rc = solara.render(
        app.AllianceText(snap.alliances, snap.alliances_formed, snap.events), handle_error=False
    )
    try:
        assert texts(rc, "viz-alliances-formed") == ["Alliances formed so far: 2"]
        assert texts(rc, "viz-alliance") == [
            "Alliance 2: se_1, se_3 — 2 platforms, 6 days, pooled 40 units"
        ]
        # latest day first; within a day, in the order they happened
        assert texts(rc, "viz-event") == [
            "Alliance of 2 platforms formed (se_1, se_3)",
            "se_1 left the alliance",
            "; An alliance dissolved",
        ]
    finally:
        rc.close()


# -- a closed session lets go of its model -------------------------------------------------------


def collected(*refs: weakref.ref, within: float = 10.0) -> list:
    """What ``refs`` still point to after garbage collection, retried for up to ``within``
    seconds: a collection already running in another thread (a closed session's reclaim,
    :mod:`socialabm.viz.memory`) makes ``gc.collect()`` return at once without collecting."""
    deadline = time.monotonic() + within
    while True:
        gc.collect()
        alive = [r() for r in refs]
        if all(a is None for a in alive) or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


def test_a_closed_page_lets_go_of_its_model_even_while_its_session_is_still_referenced(
    monkeypatch,
):
    """Closing a browser session unmounts the page, which closes its Session: the models go
    although something (a closed kernel's leftovers, a thread) still holds the Session."""
    made: list[Session] = []

    class Recorded(Session):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)  # a strong reference, as a lingering kernel would keep

    monkeypatch.setattr(app, "Session", Recorded)
    box, rc = solara.render(app.Page(), handle_error=False)
    (held,) = made
    button(rc, "Step").click()
    model = weakref.ref(held.runner.model)
    view = weakref.ref(held.view)
    rc.close()
    assert collected(model, view) == [None, None]
    assert held.runner.step(1) is None and held.runner.publish() is None  # Play would stop


def test_closing_a_session_stops_play_and_releases_both_runs():
    s = session()
    assert s.open_comparison()
    models = [weakref.ref(s.runner.model), weakref.ref(s.runner._other)]
    s.speed.set(20)
    s.playing.set(True)
    cancel = threading.Event()
    player = threading.Thread(target=s.play_loop, args=(cancel,))
    player.start()
    time.sleep(0.3)
    s.close()
    player.join(timeout=10)
    assert not player.is_alive()  # the run's generation moved on: Play ended by itself
    assert collected(*models) == [None, None]


def test_the_reclaim_collects_and_trims_after_closes_in_one_go(monkeypatch):
    from socialabm.viz import memory

    calls = []
    monkeypatch.setattr(memory, "reclaim", lambda: calls.append(time.monotonic()))
    deadline = time.monotonic() + 10
    while not memory.reclaim_soon(delay=0.2):  # one still due from an earlier test
        assert time.monotonic() < deadline
        time.sleep(0.05)
    calls.clear()
    assert not any(memory.reclaim_soon(delay=0.2) for _ in range(4))  # a burst of closes
    time.sleep(0.6)
    assert len(calls) == 1  # ... is reclaimed once
    assert memory.reclaim_soon(delay=0.05)
    time.sleep(0.3)
    assert len(calls) == 2


def test_a_vanished_browser_waits_under_a_minute_to_reconnect():
    from solara.util import parse_timedelta

    window = parse_timedelta(server.offline_environment({})["SOLARA_KERNEL_CULL_TIMEOUT"])
    assert 5 <= window <= 60
    kept = server.offline_environment({"SOLARA_KERNEL_CULL_TIMEOUT": "5m"})
    assert kept["SOLARA_KERNEL_CULL_TIMEOUT"] == "5m"  # a server's own setting wins
