"""Component tests of the classroom app's panels, without a browser or a server."""

from __future__ import annotations

from types import SimpleNamespace

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from socialabm.viz import controls, network_view, panels

from socialabm import CONSUMER_STATES, PARAMETERS, SocialCommerceModel

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def stepped():
    """A 300-consumer alliance-scenario model after 25 days, and its daily frame."""
    model = SocialCommerceModel(n_consumers=300, alliances=True, adaptation=True, rng=3)
    for _ in range(25):
        model.step()
    return model, model.daily_frame()


# -- controls --------------------------------------------------------------------------------------


def test_controls_follow_the_declaration():
    kinds = {name: controls.control_for(p).kind for name, p in PARAMETERS.items()}
    assert kinds["n_consumers"] == "int"
    assert kinds["beta_weak"] == "float"
    assert kinds["alliances"] == "bool"
    assert kinds["presale_mode"] == "select"
    assert (
        controls.control_for(PARAMETERS["presale_mode"]).choices
        == PARAMETERS["presale_mode"].choices
    )
    for name, p in PARAMETERS.items():
        c = controls.control_for(p)
        if c.kind in ("int", "float"):
            assert c.low <= p.default <= c.high, name
            assert p.low is None or c.low >= p.low, name
            assert p.high is None or c.high <= p.high, name


def test_huge_ranges_are_capped_for_a_slider_but_widen_to_hold_the_value():
    c = controls.control_for(PARAMETERS["n_consumers"])
    assert (c.low, c.high) == (100, 5000)
    assert controls.control_for(PARAMETERS["n_consumers"], 20_000).high == 20_000
    assert controls.control_for(PARAMETERS["valuation_mean"]).high <= 1100


def test_key_parameters_are_the_scenario_overrides_then_general_ones():
    keys = controls.key_parameters({"starvation": True, "presale_mode": "presale"})
    assert keys[:2] == ["presale_mode", "starvation"]  # declaration order
    assert "n_consumers" in keys and "jump_friction" in keys
    assert len(keys) == len(set(keys))
    assert controls.key_parameters({}) == [k for k in controls.GENERAL_KEYS if k in PARAMETERS]


@pytest.mark.parametrize(
    ("text", "seed"), [("42", 42), (" 7 ", 7), ("", None), (3, 3), ("1e3", 1000)]
)
def test_parse_seed(text, seed):
    assert controls.parse_seed(text) == seed


@pytest.mark.parametrize("bad", ["abc", "1.5", "-2", True])
def test_parse_seed_rejects_with_a_message(bad):
    with pytest.raises(ValueError, match="seed"):
        controls.parse_seed(bad)


# -- plot panels -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(panels.PLOTS))
def test_each_plot_panel_draws_a_png_and_updates_in_place(name, stepped):
    model, df = stepped
    panel = panels.PLOTS[name]()
    first = panel.png(model, df.iloc[:10])
    second = panel.png(model, df)
    assert first.startswith(PNG) and second.startswith(PNG)
    assert first != second or name == "Ratings"  # ratings read the model, not the frame
    for label, colour in panel.legend():
        assert label and colour.startswith("#")


@pytest.mark.parametrize("name", list(panels.PLOTS))
def test_each_plot_panel_draws_before_the_first_day(name):
    model = SocialCommerceModel(n_consumers=100, rng=1)
    panel = panels.PLOTS[name]()
    assert panel.png(model, model.daily_frame()).startswith(PNG)


def test_sales_panel_stacks_every_trading_scenario_in_classroom_order(stepped):
    model, df = stepped
    panel = panels.sales_panel()
    panel.png(model, df)
    labels = [label for label, _ in panel.legend()]
    assert labels == ["aware", "trading_only", "jump", "in_scene", "alliance"]


def test_new_columns_flow_into_the_plots(stepped):
    model, df = stepped
    df = df.assign(sales_livestream=1, profit_livestream=2.0)
    sales, channels = panels.sales_panel(), panels.channels_panel()
    sales.png(model, df)
    channels.png(model, df)
    assert "livestream" in [label for label, _ in sales.legend()]
    assert "livestream" in [label for label, _ in channels.legend()]


def test_y_axes_only_widen_so_the_background_is_reused(stepped):
    model, df = stepped
    panel = panels.presale_panel()
    panel.png(model, df.iloc[:20])
    limits = dict(panel.ylims)
    panel.png(model, df.iloc[:21])
    assert all(panel.ylims[k][1] >= limits[k][1] for k in limits)
    assert panel.axes[0].get_xlim() == (0.0, float(model.horizon))
    background = panel.background
    panel.png(model, df.iloc[:21])  # nothing but the lines changed: the cached background is kept
    assert panel.background is background and not panel.dirty


def test_star_histogram_shows_the_model_counts(stepped):
    model, _ = stepped
    fig = panels.fig_stars(model)
    heights = [bar.get_height() for bar in fig.axes[0].patches]
    assert heights == list(model.star_counts().astype(float))


def test_one_off_figures_have_their_data(stepped):
    model, df = stepped
    fig = panels.fig_restraint(model, df)
    assert len(fig.axes) == 2  # self-restraint and debt on a twin axis
    line = fig.axes[0].lines[0]
    assert np.allclose(line.get_ydata(), df["mean_self_restraint"])


def test_alliance_panel_links_allied_platforms():
    a, b, c = (SimpleNamespace(name=x, kind="social_ecommerce", alliance=None) for x in "abc")
    alliance = SimpleNamespace(
        members=[a, b], formed_day=3, pooled_volume=1200, id=1, age=lambda day: day - 3
    )
    a.alliance = b.alliance = alliance
    model = SimpleNamespace(day=10, horizon=60, platforms=[a, b, c], alliances=[alliance])
    frame = pd.DataFrame({"day": [9, 10], "alliance_share": [0.1, 0.2], "giant_share": [0.5, 0.4]})
    panel = panels.AlliancePanel()
    assert panel.png(model, frame).startswith(PNG)
    assert len(panel.links) == 1
    assert panels.alliance_lines(model) == [
        "Alliance 1: a, b — 2 platforms, 7 days, pooled 1,200 units"
    ]
    model.alliances = []
    panel.png(model, frame)
    assert panel.links == []


def test_live_reading_names_the_latest_event_and_shares():
    frame = pd.DataFrame(
        {
            "day": [41, 42],
            "aware": [100, 120],
            "sales_trading_only": [6, 6],
            "sales_in_scene": [4, 4],
            "reviews": [3, 5],
            "mean_stars": [4.0, 4.4],
        }
    )
    model = SimpleNamespace(
        day=42,
        horizon=180,
        network=SimpleNamespace(n=200),
        events=[(12, "Presale opened"), (42, "Alliance of 3 platforms formed")],
    )
    text = panels.live_reading(model, frame)
    assert text.startswith("Alliance of 3 platforms formed on day 42")
    assert "60% aware" in text and "in-scene sales now 40%" in text and "4.4★" in text
    model.day = 0
    assert "press Step" in panels.live_reading(model, frame.iloc[:0])


# -- network ---------------------------------------------------------------------------------------


def test_small_network_is_drawn_whole_with_a_linear_layout(stepped, monkeypatch):
    model, _ = stepped
    monkeypatch.setattr(nx, "spring_layout", lambda *a, **k: pytest.fail("spring layout"))
    view = network_view.NetworkView(model.network)
    assert not view.sampled and view.nodes.size == model.network.n
    assert np.abs(view.pos).max() <= 1.0 + 1e-9
    image = view.image(model.consumer_states(), CONSUMER_STATES, model.platforms, model.retailers)
    assert image.startswith(b"\xff\xd8")  # JPEG
    legend = dict(view.legend())
    shares = [label for label in legend if label.endswith("%")]
    assert len(shares) == len(CONSUMER_STATES)
    assert any("weak tie" in label for label in legend)
    assert any("strong tie" in label for label in legend)


def test_large_network_draws_a_sample_and_lays_out_only_the_sample(monkeypatch):
    model = SocialCommerceModel(n_consumers=3000, rng=2)
    sizes = []
    real = nx.spring_layout

    def spy(graph, *args, **kwargs):
        sizes.append(graph.number_of_nodes())
        return real(graph, *args, **kwargs)

    monkeypatch.setattr(nx, "spring_layout", spy)
    view = network_view.NetworkView(model.network)
    assert view.sampled and view.nodes.size <= network_view.SAMPLE_SIZE
    assert sizes and max(sizes) <= network_view.SAMPLE_SIZE
    view.image(model.consumer_states(), CONSUMER_STATES, model.platforms, model.retailers)
    assert "Sampled neighbourhood" in view.figure.texts[0].get_text()


def test_network_colours_follow_the_states(stepped):
    model, _ = stepped
    view = network_view.NetworkView(model.network)
    states = np.zeros(model.network.n, dtype=np.int8)
    states[: model.network.n // 2] = 3  # owners
    view.image(states, CONSUMER_STATES)
    colours = view.dots.get_facecolors()
    owner = np.array(matplotlib_rgba(panels.STATE_COLOURS["owner"]))
    is_owner = np.isin(view.nodes, np.arange(model.network.n // 2))
    assert np.allclose(colours[is_owner], owner)
    assert dict(view.legend())["owner 50%"] == panels.STATE_COLOURS["owner"]


def matplotlib_rgba(colour):
    from matplotlib.colors import to_rgba

    return to_rgba(colour)


def test_community_layout_puts_communities_apart():
    community = np.repeat(np.arange(10), 8)
    pos = network_view.community_layout(community)
    centres = np.array([pos[community == k].mean(axis=0) for k in range(10)])
    spread = np.linalg.norm(pos - centres[community], axis=1).max()
    gaps = np.linalg.norm(centres[:, None] - centres[None], axis=2)
    assert spread < gaps[gaps > 0].min()
