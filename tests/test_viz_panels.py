"""Component tests of the classroom app's charts, network picture, controls and snapshots,
without a browser or a server."""

from __future__ import annotations

import dataclasses

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from socialabm.viz import controls, network_view, palette, panels, snapshot
from socialabm.viz.runner import Published, Runner

from socialabm import CONSUMER_STATES, PARAMETERS, SocialCommerceModel

# its module fixture is built once: the module's tests share one test process (xdist)
pytestmark = pytest.mark.xdist_group("test_viz_panels")

PNG = b"\x89PNG\r\n\x1a\n"


def snapshot_like(**fields) -> snapshot.Snapshot:
    """A hand-made snapshot: an empty 180-day run of 200 consumers, with ``fields`` set."""
    base = {
        "generation": 1,
        "day": 0,
        "horizon": 180,
        "n_consumers": 200,
        "frame": pd.DataFrame({"day": []}),
        "states": np.zeros(200, dtype=np.int8),
        "stars": np.zeros(5),
        "events": (),
        "alliances": (),
        "alliances_formed": 0,
        "platforms": (),
        "retailers": (),
    }
    return snapshot.Snapshot(**{**base, **fields})


@pytest.fixture(scope="module")
def stepped() -> snapshot.Snapshot:
    """A 300-consumer alliance-scenario model after 25 days, as a snapshot."""
    runner = Runner()
    runner.load(SocialCommerceModel(n_consumers=300, alliances=True, adaptation=True, rng=3))
    return runner.step(25).main


def cut(snap: snapshot.Snapshot, days: int) -> snapshot.Snapshot:
    """``snap`` as if the run were at day ``days``."""
    return dataclasses.replace(snap, day=days, frame=snap.frame.iloc[:days])


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


def test_a_server_limit_caps_the_population_slider():
    (population,) = [
        c for c in controls.controls_for({}, caps={"n_consumers": 2000}) if c.name == "n_consumers"
    ]
    assert population.high == 2000
    assert controls.control_for(PARAMETERS["n_consumers"], cap=20_000).high == 20_000


def test_key_parameters_are_the_scenario_overrides_then_general_ones():
    keys = controls.key_parameters({"starvation": True, "presale_mode": "presale"})
    assert keys[:2] == ["presale_mode", "starvation"]  # declaration order
    assert "n_consumers" in keys and "jump_friction" in keys
    assert len(keys) == len(set(keys))
    assert controls.key_parameters({}) == [k for k in controls.GENERAL_KEYS if k in PARAMETERS]


@pytest.mark.parametrize(
    ("text", "seed"),
    [("42", 42), (" 7 ", 7), ("", None), (3, 3), ("9007199254740993", 9007199254740993)],
)
def test_parse_seed_is_exact(text, seed):
    assert controls.parse_seed(text) == seed  # 2**53 + 1: a float would make it ...992


@pytest.mark.parametrize("bad", ["abc", "1.5", "-2", "1e3", "4.0", "²", True])
def test_parse_seed_rejects_with_a_message(bad):
    with pytest.raises(ValueError, match="seed"):
        controls.parse_seed(bad)


# -- snapshots -------------------------------------------------------------------------------------


def test_a_snapshot_is_a_copy_the_run_does_not_change():
    runner = Runner()
    runner.load(SocialCommerceModel(n_consumers=200, rng=2))
    old = runner.step(5).main
    states, frame = old.states.copy(), old.frame.copy()
    runner.step(20)
    assert old.day == 5 and len(old.frame) == 5 and old.frame.equals(frame)
    assert np.array_equal(old.states, states)
    assert not old.states.flags.writeable and not old.stars.flags.writeable


def test_the_inspected_consumer_is_read_generically_from_the_consumer_arrays(stepped):
    model = SocialCommerceModel(n_consumers=200, rng=2)
    model.consumers.arrays["income"] = np.arange(200, dtype=float)  # a column added later
    view = snapshot.consumer_view(model, 17, model.consumer_states())
    assert view.values["income"] == 17.0
    assert set(view.values) >= {"self_restraint", "debt", "cash", "income"}
    assert len(view.per_retailer["belief"]) == len(model.retailers)
    assert set(view.strong) == set(model.network.strong[17].indices)
    assert set(view.weak) == set(model.network.weak[17].indices)
    with pytest.raises(IndexError, match="ids 0 to 199"):
        snapshot.consumer_view(model, 200, model.consumer_states())


def test_key_figures_read_the_frame():
    frame = pd.DataFrame(
        {
            "day": [1, 2],
            "aware": [50, 100],
            "sales": [10, 30],
            "sales_in_scene": [5, 5],
            "sales_alliance": [0, 4],
            "mean_stars": [4.0, 4.5],
            "total_debt": [0.0, 50.0],
        }
    )
    figures = {f.label: f for f in snapshot.key_figures(snapshot_like(day=2, frame=frame))}
    assert figures["aware"].value == 50.0 and figures["aware"].text() == "50%"
    assert figures["units sold"].value == 40
    assert figures["in-scene share of sales"].value == 25.0
    assert figures["alliance share of sales"].value == 10.0
    assert figures["mean rating"].text() == "4.50★"
    assert figures["debt per consumer"].value == 0.25
    empty = {f.label: f for f in snapshot.key_figures(snapshot_like())}
    assert empty["in-scene share of sales"].text() == "–"


def test_rolling_share_is_each_columns_share_of_the_window():
    frame = pd.DataFrame({"a": [1, 0, 0, 3], "b": [1, 0, 0, 1]})
    shares = snapshot.rolling_share(frame, ["a", "b"], window=2)
    assert np.allclose(shares[:, 0], [0.5, 0.5])
    assert np.allclose(shares[:, 1], [0.5, 0.5])
    assert np.isnan(shares[:, 2]).all()  # no sales in days 2-3
    assert np.allclose(shares[:, 3], [0.75, 0.25])


# -- plot panels -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(panels.PLOTS))
def test_each_plot_panel_draws_a_png_and_updates_in_place(name, stepped):
    panel = panels.PLOTS[name]()
    first = panel.png(cut(stepped, 10))
    second = panel.png(stepped)
    assert first.startswith(PNG) and second.startswith(PNG)
    assert first != second or name == "Ratings"  # ratings read the star counts, not the frame
    for label, colour in panel.legend():
        assert label and colour.startswith("#")


def decoded(png: bytes) -> np.ndarray:
    """The pixels of ``png`` as Pillow reads them (rows x columns x channels)."""
    import io

    from PIL import Image

    picture = Image.open(io.BytesIO(png))
    picture.load()
    return np.asarray(picture)


@pytest.mark.parametrize("name", list(panels.PLOTS))
def test_each_chart_png_holds_exactly_the_pixels_drawn(name, stepped):
    panel = panels.PLOTS[name]()
    png = panel.png(stepped)
    drawn = np.asarray(panel.canvas.buffer_rgba())
    assert (drawn[..., 3] == 255).all()  # the charts are opaque: sent as RGB
    assert np.array_equal(decoded(png), drawn[..., :3])


def test_a_png_of_a_see_through_figure_keeps_its_transparency():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(1.2, 0.8), dpi=50)
    figure.patch.set_alpha(0.0)
    figure.add_subplot().plot([0, 1], [1, 0])
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    drawn = np.asarray(canvas.buffer_rgba())
    assert (drawn[..., 3] < 255).any()
    assert np.array_equal(decoded(panels.png_bytes(canvas)), drawn)


@pytest.mark.parametrize("name", list(panels.PLOTS))
def test_each_plot_panel_draws_before_the_first_day(name):
    runner = Runner()
    panel = panels.PLOTS[name]()
    assert panel.png(runner.load(SocialCommerceModel(n_consumers=100, rng=1)).main).startswith(PNG)


def test_sales_panel_stacks_every_trading_scenario_in_classroom_order(stepped):
    panel = panels.sales_panel()
    panel.png(stepped)
    labels = [label for label, _ in panel.legend()]
    assert labels == ["aware", "trading_only", "jump", "in_scene", "alliance"]


def test_sales_panel_shows_the_rolling_share_of_each_trading_scenario(stepped):
    panel = panels.sales_panel()
    panel.png(stepped)
    _, polys = panel.stacks[2]
    tops = [poly.get_paths()[0].vertices[:, 1].max() for poly in polys]
    assert max(tops) == pytest.approx(100.0)  # the stack of shares fills to 100 %
    assert panel.axes[2].get_ylim() == (0.0, 100.0)


def test_percent_axes_are_fixed_at_0_to_100(stepped):
    saturated = dataclasses.replace(
        stepped, frame=stepped.frame.assign(aware=stepped.n_consumers)
    )  # everyone aware: the axis must not run to 150
    panel = panels.sales_panel()
    panel.png(cut(stepped, 0))
    assert panel.axes[0].get_ylim() == (0.0, 100.0)  # before any step too (not 0-1)
    panel.png(saturated)
    assert panel.axes[0].get_ylim() == (0.0, 100.0)
    assert panels.restraint_panel().axes[0].get_ylim() == (0.0, 1.0)


def test_new_columns_flow_into_the_plots(stepped):
    frame = stepped.frame.assign(sales_livestream=1, profit_livestream=2.0)
    wider = dataclasses.replace(stepped, frame=frame)
    sales, channels = panels.sales_panel(), panels.channels_panel()
    sales.png(wider)
    channels.png(wider)
    assert "livestream" in [label for label, _ in sales.legend()]
    assert "livestream" in [label for label, _ in channels.legend()]


def test_growing_axes_only_widen_so_the_background_is_reused(stepped):
    panel = panels.presale_panel()
    panel.png(cut(stepped, 20))
    limits = dict(panel.ylims)
    panel.png(cut(stepped, 21))
    assert all(panel.ylims[k][1] >= limits[k][1] for k in limits)
    assert panel.axes[0].get_xlim() == (0.0, float(stepped.horizon))
    background = panel.background
    panel.png(cut(stepped, 21))  # nothing but the lines changed: the cached background is kept
    assert panel.background is background and not panel.dirty


def test_star_histogram_shows_the_snapshot_counts(stepped):
    panel = panels.StarsPanel()
    panel.png(stepped)
    assert [bar.get_height() for bar in panel.bars] == list(stepped.stars)


def test_restraint_and_debt_are_on_twin_axes(stepped):
    panel = panels.restraint_panel()
    panel.png(stepped)
    figure = panel.full_figure()
    assert len(figure.axes) == 2
    assert np.allclose(figure.axes[0].lines[0].get_ydata(), stepped.frame["mean_self_restraint"])


def test_alliance_panel_links_allied_platforms():
    names = ("a", "b", "c")
    allied = tuple(snapshot.PlatformView(x, "social_ecommerce", x != "c") for x in names)
    frame = pd.DataFrame({"day": [9, 10], "alliance_share": [0.1, 0.2], "giant_share": [0.5, 0.4]})
    snap = snapshot_like(
        day=10,
        frame=frame,
        platforms=allied,
        alliances=(snapshot.AllianceView(1, ("a", "b"), 7, 1200),),
        alliances_formed=1,
    )
    panel = panels.AlliancePanel()
    assert panel.png(snap).startswith(PNG)
    assert len(panel.links) == 1
    fills = [tuple(np.round(m.get_facecolor()[0], 3)) for m in panel.markers]
    assert fills[0] == fills[1] != fills[2]  # allied ones filled in the alliance colour
    assert panels.alliance_lines(snap.alliances) == [
        "Alliance 1: a, b — 2 platforms, 7 days, pooled 1,200 units"
    ]
    panel.png(dataclasses.replace(snap, alliances=()))
    assert panel.links == []


def test_events_are_grouped_by_day_latest_first_in_the_order_they_happened():
    events = [(3, "first"), (3, "second"), (5, "later"), (3, "third")]
    assert panels.events_by_day(events, 5) == [(5, ["later"]), (3, ["first", "second", "third"])]
    assert panels.events_by_day(events, 1) == [(5, ["later"])]


def test_compare_panel_draws_both_runs_solid_and_dashed():
    runner = Runner()
    runner.load(
        SocialCommerceModel(n_consumers=200, rng=4),
        SocialCommerceModel(n_consumers=200, jump_friction=0.9, rng=4),
    )
    published = runner.step(15)
    panel = panels.ComparePanel()
    assert panel.png(published).startswith(PNG)
    for pair in panel.lines:
        assert [line.get_linestyle() for line in pair] == ["-", "--"]
        assert all(len(line.get_xdata()) == 15 for line in pair)
    aware = panel.lines[0][0].get_ydata()
    assert np.allclose(aware, 100 * published.main.frame["aware"] / 200)


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
    snap = snapshot_like(
        day=42,
        frame=frame,
        events=((12, "Presale opened"), (42, "Alliance of 3 platforms formed")),
    )
    text = panels.live_reading(snap)
    assert text.startswith("Alliance of 3 platforms formed on day 42")
    assert "60% aware" in text and "in-scene sales now 40%" in text and "4.4★" in text
    assert "press Step" in panels.live_reading(snapshot_like())


# -- network ---------------------------------------------------------------------------------------


def test_small_network_is_drawn_whole_with_a_linear_layout(stepped, monkeypatch):
    model = SocialCommerceModel(n_consumers=300, rng=3)
    monkeypatch.setattr(nx, "spring_layout", lambda *a, **k: pytest.fail("spring layout"))
    view = network_view.NetworkView(model.network)
    assert not view.sampled and view.nodes.size == model.network.n
    assert np.abs(view.pos).max() <= 1.0 + 1e-9
    image = view.image(stepped, CONSUMER_STATES)
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
    runner = Runner()
    view.image(runner.load(model).main, CONSUMER_STATES)
    assert "Sampled neighbourhood" in view.figure.texts[0].get_text()


def test_network_colours_follow_the_states(stepped):
    view = network_view.NetworkView(SocialCommerceModel(n_consumers=300, rng=3).network)
    states = np.zeros(300, dtype=np.int8)
    states[:150] = 3  # owners
    view.image(dataclasses.replace(stepped, states=states), CONSUMER_STATES)
    colours = view.dots.get_facecolors()
    owner = np.array(matplotlib_rgba(palette.STATE_COLOURS["owner"]))
    is_owner = np.isin(view.nodes, np.arange(150))
    assert np.allclose(colours[is_owner], owner)
    assert dict(view.legend())["owner 50%"] == palette.STATE_COLOURS["owner"]


def test_the_inspected_consumers_ties_are_highlighted_and_clicks_find_consumers():
    runner = Runner()
    model = SocialCommerceModel(n_consumers=300, rng=3)
    runner.load(model)
    view = network_view.NetworkView(model.network)
    view.image(runner.published.main, CONSUMER_STATES)
    assert len(view.ties.get_segments()) == 0
    snap = runner.inspect(42).main
    view.image(snap, CONSUMER_STATES)
    ties = len(snap.consumer.strong) + len(snap.consumer.weak)
    assert ties > 0 and len(view.ties.get_segments()) == ties
    for consumer in (0, 42, 299):
        assert view.node_at(*view.fraction_of(consumer)) == consumer
    assert view.node_at(0.99, 0.01) is None


@pytest.fixture
def no_kept_backgrounds():
    """An empty :data:`network_view.BACKGROUNDS` (the cache every session shares)."""
    network_view.BACKGROUNDS.clear()
    yield network_view.BACKGROUNDS
    network_view.BACKGROUNDS.clear()


def full_draws(monkeypatch) -> list:
    """Every full draw of a figure (``FigureCanvasAgg.draw``) from now on."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    draws = []
    real = FigureCanvasAgg.draw

    def counted(canvas, *args, **kwargs):
        draws.append(canvas)
        return real(canvas, *args, **kwargs)

    monkeypatch.setattr(FigureCanvasAgg, "draw", counted)
    return draws


def test_an_identical_network_reuses_the_drawn_background_and_looks_the_same(
    no_kept_backgrounds, monkeypatch
):
    runner = Runner()
    first = SocialCommerceModel(n_consumers=300, rng=3)
    runner.load(first)
    snap = runner.inspect(42).main  # ties of an inspected consumer drawn too
    drawn = network_view.NetworkView(first.network)
    picture = drawn.image(snap, CONSUMER_STATES)
    assert len(no_kept_backgrounds) == 1
    draws = full_draws(monkeypatch)
    # another student's session: the same scenario and seed, a model of its own
    again = network_view.NetworkView(SocialCommerceModel(n_consumers=300, rng=3).network)
    assert again.image(snap, CONSUMER_STATES) == picture  # the same JPEG, byte for byte
    assert draws == []  # nothing drawn but the consumers over the kept background
    for consumer in (0, 42, 299):
        assert again.fraction_of(consumer) == drawn.fraction_of(consumer)
        assert again.node_at(*drawn.fraction_of(consumer)) == consumer


def test_a_changed_network_is_never_drawn_over_a_stale_background(no_kept_backgrounds, monkeypatch):
    model = SocialCommerceModel(n_consumers=300, rng=3)
    snap = Runner().load(model).main
    before = network_view.NetworkView(model.network).image(snap, CONSUMER_STATES)
    # the same consumers in the same places, one weak tie fewer
    weak = model.network.weak.tolil()
    i, j = (int(v) for v in np.argwhere(weak.toarray())[0])
    weak[i, j] = weak[j, i] = 0
    changed = dataclasses.replace(model.network, weak=weak.tocsr())
    view = network_view.NetworkView(changed)
    assert len(view.weak_segments) == len(network_view.NetworkView(model.network).weak_segments) - 1
    draws = full_draws(monkeypatch)
    picture = view.image(snap, CONSUMER_STATES)
    assert len(draws) == 1 and picture != before  # drawn anew
    network_view.BACKGROUNDS.clear()
    assert network_view.NetworkView(changed).image(snap, CONSUMER_STATES) == picture
    other_seed = SocialCommerceModel(n_consumers=300, rng=4)
    network_view.NetworkView(other_seed.network).image(snap, CONSUMER_STATES)
    assert len(draws) == 3
    assert network_view.BACKGROUNDS.max_size == network_view.MAX_BACKGROUNDS  # bounded (LRU)


def test_sessions_drawing_the_same_network_at_once_get_the_same_picture(no_kept_backgrounds):
    import threading

    model = SocialCommerceModel(n_consumers=300, rng=3)
    snap = Runner().load(model).main
    pictures = []

    def draw() -> None:
        pictures.append(network_view.NetworkView(model.network).image(snap, CONSUMER_STATES))

    threads = [threading.Thread(target=draw) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    network_view.BACKGROUNDS.clear()
    alone = network_view.NetworkView(model.network).image(snap, CONSUMER_STATES)
    assert len(pictures) == 4 and all(p == alone for p in pictures)


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


def test_published_pairs_are_finished_only_when_both_runs_are():
    short = snapshot_like(day=30, horizon=30)
    long = snapshot_like(day=30, horizon=60)
    assert Published(1, short).finished
    assert not Published(2, short, long).finished


def test_the_network_at_500_consumers_reads_from_the_back_of_the_room():
    """Issue 20: at the app's 500 consumers the network was a grey tangle (dots of 4 pixels
    under 1,500 darker weak ties). With every consumer aware, the aware colour must cover at
    least 6% of the picture and at least 0.4 times what the ties' greys cover (it was 1.9% and
    0.08), and a dot must be at least 9 pixels across in the picture (7 on a 1280x800 screen)."""
    import io

    from PIL import Image

    model = SocialCommerceModel(n_consumers=500, rng=42)
    view = network_view.NetworkView(model.network)
    snap = Runner().load(model).main
    aware = CONSUMER_STATES.index("aware")
    snap = dataclasses.replace(snap, states=np.full(500, aware, dtype=snap.states.dtype))
    picture = Image.open(io.BytesIO(view.image(snap, CONSUMER_STATES))).convert("RGB")
    pixels = np.asarray(picture).astype(int)
    strip = int(view.ax.transData.transform((1.05, 0))[0])  # platforms and retailers to the right
    network = pixels[:, :strip]
    colour = np.array(
        [int(palette.STATE_COLOURS["aware"][i : i + 2], 16) for i in (1, 3, 5)], dtype=int
    )
    aware_share = (np.abs(network - colour).sum(axis=2) < 40).mean()
    white = (network > 245).all(axis=2)
    grey_share = (~white & (np.ptp(network, axis=2) < 12)).mean()
    assert aware_share >= 0.06 and aware_share >= 0.4 * grey_share, (aware_share, grey_share)
    across = np.sqrt(network_view.dot_size(view.nodes.size)) * panels.FIG_DPI / 72
    assert across >= 9
