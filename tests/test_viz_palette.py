"""The app's colours: one meaning per colour on every screen, and distinguishable with colour
vision deficiencies.

A screen is the network (always shown) beside one chart. Colour-blindness is simulated with the
matrices of Machado, Oliveira & Fernandes (2009, severity 1) in linear RGB, and colours compared
as CIELAB distance (Delta E 1976).
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from socialabm.viz import network_view, panels
from socialabm.viz.runner import Runner

from socialabm import CONSUMER_STATES, SocialCommerceModel

# its module fixture is built once: the module's tests share one test process (xdist)
pytestmark = pytest.mark.xdist_group("test_viz_palette")

SIMULATIONS = {
    "normal vision": np.eye(3),
    "protanopia": np.array([
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ]),
    "deuteranopia": np.array([
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ]),
    "tritanopia": np.array([
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ]),
}  # fmt: skip

MIN_DISTANCE = 15.0
"""Smallest CIELAB distance between two colours of a screen, under every simulation."""

SAME_MEANING = [
    {"ordered", "presale orders"},
    {"in an alliance", "alliance", "alliances' share (7-day mean)"},
]
"""Labels that name one meaning, so may share a colour."""


def lab(colour: str, simulation: np.ndarray) -> np.ndarray:
    rgb = np.asarray(to_rgb(colour))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz_matrix = [[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]
    xyz = np.asarray(xyz_matrix) @ np.clip(simulation @ linear, 0, 1)
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def meaning(label: str) -> str:
    """A legend label without its symbol and its share ("aware 12%" -> "aware")."""
    return re.sub(r"\s+\d+%$", "", label.lstrip("━┄■▲◆● ")).replace("_", " ")


def chromatic(colour: str) -> bool:
    """Greys and black draw structure (told apart by shape and line style), not meaning."""
    r, g, b = to_rgb(colour)
    return not (r == g == b)


@pytest.fixture(scope="module")
def network_legend() -> list[tuple[str, str]]:
    runner = Runner()
    model = SocialCommerceModel(n_consumers=200, rng=1)
    view = network_view.NetworkView(model.network)
    view.image(runner.load(model).main, CONSUMER_STATES)
    return view.legend()


def chart_legend(name: str) -> list[tuple[str, str]]:
    runner = Runner()
    runner.load(
        SocialCommerceModel(n_consumers=200, alliances=True, rng=1),
        SocialCommerceModel(n_consumers=200, rng=1),
    )
    published = runner.step(20)
    if name == "comparison":
        panel = panels.ComparePanel()
        panel.png(published)
    else:
        panel = panels.PLOTS[name]()
        panel.png(published.main)
    return panel.legend()


SCREENS = [*panels.PLOTS, "comparison"]


@pytest.mark.parametrize("chart", SCREENS)
def test_each_colour_means_one_thing_on_a_screen(chart, network_legend):
    by_colour: dict[str, set[str]] = {}
    for label, colour in network_legend + chart_legend(chart):
        if chromatic(colour):
            by_colour.setdefault(colour.lower(), set()).add(meaning(label))
    for colour, meanings in by_colour.items():
        assert len(meanings) == 1 or any(meanings <= same for same in SAME_MEANING), (
            f"{colour} means {sorted(meanings)} on the {chart} screen"
        )


@pytest.mark.parametrize("chart", SCREENS)
def test_colours_of_a_screen_stay_apart_for_colour_blind_viewers(chart, network_legend):
    colours = sorted(
        {c.lower() for _, c in network_legend + chart_legend(chart) if chromatic(c)}
        | {"#ffffff"}  # the background
    )
    for (a, b), (name, simulation) in itertools.product(
        itertools.combinations(colours, 2), SIMULATIONS.items()
    ):
        distance = float(np.linalg.norm(lab(a, simulation) - lab(b, simulation)))
        assert distance >= MIN_DISTANCE, f"{a} and {b} under {name}: {distance:.1f}"


def test_a_meaning_keeps_its_colour_across_the_app(network_legend):
    network = {meaning(label): colour.lower() for label, colour in network_legend}
    sales = {meaning(label): colour.lower() for label, colour in chart_legend("Sales")}
    assert sales["aware"] == network["aware"]
    assert sales["alliance"] == network["in an alliance"]
    presale = {meaning(label): colour.lower() for label, colour in chart_legend("Presale")}
    assert presale["presale orders"] == network["ordered"]


def test_the_page_ships_its_symbols_in_a_font_of_its_own():
    """Roboto (in the front end's bundle) has Latin glyphs only; every other character the page
    shows is in the shipped "socialabm symbols" font, embedded in the page's style sheet."""
    import io
    import pathlib

    from fontTools.ttLib import TTFont
    from socialabm.viz import fonts

    font = TTFont(io.BytesIO(fonts.symbols_woff()))
    assert set(map(ord, fonts.SYMBOLS)) <= set(font.getBestCmap())
    assert len(fonts.symbols_woff()) < 10_000
    css = fonts.font_css()
    assert "data:font/woff;base64," in css and fonts.FONT_STACK in css
    viz = pathlib.Path(fonts.__file__).parent
    shown = set()
    for path in viz.glob("*.py"):
        shown |= {c for c in path.read_text(encoding="utf-8") if ord(c) > 0x2000}
    latin = {"–", "—", "“", "”", "…", "−", "‘", "’", "²"}  # in Roboto's Latin set
    assert shown - latin - set(fonts.SYMBOLS) == set()
