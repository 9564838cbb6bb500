"""The classroom app in a real browser: Debian's chromium driven by Playwright, offline.

A module fixture starts ``python -m socialabm.viz`` on a free loopback port in its own process
group and stops it by its process id. Every request the page makes must go to that server and
succeed (no CDN, no 404). Screenshots and the measured timings go to ``test-artifacts/``.

Without /usr/bin/chromium (or the playwright package) these tests skip, except with CI=true,
where a missing browser is a failure: ``.ci/run`` installs it with ``apt-get install -y chromium``.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path

import pytest
from socialabm.viz.harness import (
    CHROMIUM,
    READY,
    AppServer,
    ServerNotServing,
    chromium_options,
    watch_page,
)

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; CI=true, so this is a failure (.ci/run must install it)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def sync_playwright():
    if not CHROMIUM.exists():
        _missing(
            f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install -y chromium)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("browser tests need the playwright package (uv sync --group dev)")
    return sync_playwright


@pytest.fixture(scope="module")
def server_url(sync_playwright):
    """The app served on a free 127.0.0.1 port; stopped by process id (its whole group)."""
    ARTIFACTS.mkdir(exist_ok=True)
    with AppServer(ARTIFACTS / "viz-server.log") as server:
        try:
            url = server.wait()
        except ServerNotServing as err:
            pytest.fail(str(err))
        yield url


@pytest.fixture(scope="module")
def browser(sync_playwright, server_url):
    with sync_playwright() as pw:
        browser = pw.chromium.launch(**chromium_options())
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def figures():
    """Timings collected by the tests, written to test-artifacts/viz-browser-timings.json."""
    found: dict[str, object] = {}
    yield found
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "viz-browser-timings.json").write_text(json.dumps(found, indent=2))


class Page:
    """A fresh browser session (own Solara kernel, own model) that records bad requests."""

    def __init__(self, browser, url: str) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000})
        self.page = self.context.new_page()
        self.url = url
        self.problems = watch_page(self.page, url)

    def open(self) -> float:
        started = time.perf_counter()
        self.page.goto(self.url)
        for css in READY:
            self.page.locator(css).wait_for(timeout=60_000)
        return time.perf_counter() - started

    def text(self, css: str) -> str:
        return self.page.inner_text(css)

    def src(self, css: str) -> str:
        return self.page.get_attribute(f"{css} img", "src") or ""

    def step(self) -> float:
        """Click Step; wait until the day counter and the sales plot have both changed."""
        day, plot = self.text(".viz-day"), self.src(".plot-sales")
        started = time.perf_counter()
        self.page.click(".viz-step")
        self.page.wait_for_function(
            """([day, plot]) => {
                const d = document.querySelector('.viz-day');
                const img = document.querySelector('.plot-sales img');
                return d && img && d.innerText !== day && img.getAttribute('src') !== plot;
            }""",
            arg=[day, plot],
            timeout=30_000,
            polling="raf",
        )
        return time.perf_counter() - started

    def choose(self, css: str, option: str, attempts: int = 4) -> None:
        """Pick ``option`` in the select ``css`` and wait until the select shows it.

        On a busy machine the menu can still be moving into place when Playwright clicks an
        item (it waits for two still animation frames, the menu's placement can come later),
        and the click is lost: the menu stays open on the old value. Such a click is repeated.
        """
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        item = self.page.locator(".v-overlay--active .v-list-item", has_text=option).first
        for attempt in range(attempts):
            if not item.is_visible():
                self.page.click(css)
            item.click()
            try:
                self.wait_text(css, option, timeout=5_000)
                return
            except PlaywrightTimeout:
                if attempt == attempts - 1:
                    raise

    def wait_text(self, css: str, expected: str, timeout: float = 30_000) -> None:
        self.page.wait_for_function(
            "([css, text]) => { const e = document.querySelector(css);"
            " return e && e.innerText.includes(text); }",
            arg=[css, expected],
            timeout=timeout,
        )

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"viz-{name}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def page(browser, server_url, request):
    p = Page(browser, server_url)
    yield p
    p.shot(f"last-{request.node.name}")  # what the page showed at the end, pass or fail
    p.close()
    assert not p.problems, "\n".join(p.problems)


def test_page_renders_offline_and_steps(page, figures):
    first = page.open()
    assert page.text(".viz-day").startswith("Day 0 of ")
    assert "press Step" in page.text(".viz-reading")
    assert page.text(".explanation-text")
    page.shot("day0")
    times = [page.step() for _ in range(12)]
    assert page.text(".viz-day").startswith("Day 12 of ")
    assert "press Step" not in page.text(".viz-reading")
    page.shot("day12")
    times.sort()
    figures["first_render_s"] = round(first, 3)
    figures["population"] = page.text(".viz-population")
    figures["step_round_trip_median_s"] = round(statistics.median(times), 3)
    figures["step_round_trip_max_s"] = round(times[-1], 3)
    page.page.click(".viz-reset")
    page.wait_text(".viz-day", "Day 0 of ")
    assert "press Step" in page.text(".viz-reading")
    # play runs on by itself at the chosen speed; pause stops it
    page.page.click(".viz-play")
    page.wait_text(".viz-day", "Day 3 of ")
    page.page.click(".viz-pause")
    page.page.locator(".viz-play").wait_for(timeout=30_000)
    paused = page.text(".viz-day")
    page.page.wait_for_timeout(800)
    assert page.text(".viz-day") == paused


def test_switching_scenario_changes_explanation_and_sliders(page):
    page.open()
    explanation = page.text(".explanation-text")
    sliders = page.page.locator(".viz-param").all_inner_texts()
    page.choose(".viz-scenario", "starvation_marketing")
    page.page.wait_for_function(
        "(old) => document.querySelector('.explanation-text').innerText !== old",
        arg=explanation,
        timeout=30_000,
    )
    assert "starvation" in page.text(".viz-title").lower()
    after = page.page.locator(".viz-param").all_inner_texts()
    assert after != sliders
    assert any("release_cap" in text for text in after)
    page.shot("scenario")


def test_changing_a_slider_and_resetting_changes_the_model(page):
    page.open()
    assert page.text(".viz-population") == "500 consumers"
    thumb = page.page.locator(".param-n_consumers [role=slider]")
    thumb.focus()
    thumb.press("Home")  # the slider's minimum
    page.wait_text(".viz-dirty", "press Reset")
    page.page.click(".viz-reset")
    page.wait_text(".viz-population", "100 consumers")
    assert page.text(".viz-day").startswith("Day 0 of ")
    page.step()
    page.shot("slider-reset")
