"""Load test of the classroom app: N concurrent browser sessions against one local server.

Starts ``python -m socialabm.viz`` on a free 127.0.0.1 port (own process group, stopped by its
process id), opens N sessions in one headless Debian chromium (one browser context each, so each
has its own Solara kernel and model), and has every session click Step S times, waiting each time
until the day counter and the sales plot have changed. Reports the server's peak RSS (server and
its children, sampled every 0.2 s), the first-render time, the step round-trip median / p95 / max
and every failure. Not part of CI (it takes a minute or two and wants the machine to itself).

Only loopback traffic; bounded in count (sessions x steps) and in time (--deadline seconds).

    uv run python benchmarks/bench_viz_load.py                       # 30 sessions x 20 steps
    uv run python benchmarks/bench_viz_load.py --sessions 1 --steps 40 --consumers 2000
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

import psutil
from socialabm.viz.harness import (
    CHROMIUM,
    READY,
    AppServer,
    ServerNotServing,
    chromium_options,
    watch_page,
)

STEP_IN_PAGE = """async () => {
    // click Step and resolve when the day counter and the sales plot have both changed:
    // the round trip as the page sees it (click -> server -> DOM), timed with performance.now()
    const day = document.querySelector('.viz-day').innerText;
    const plot = document.querySelector('.plot-sales img').getAttribute('src');
    const t0 = performance.now();
    return await new Promise((resolve, reject) => {
        const timer = setTimeout(() => { obs.disconnect(); reject(new Error('step timeout')); },
                                 60000);
        const obs = new MutationObserver(() => {
            const d = document.querySelector('.viz-day');
            const img = document.querySelector('.plot-sales img');
            if (d && img && d.innerText !== day && img.getAttribute('src') !== plot) {
                obs.disconnect(); clearTimeout(timer); resolve(performance.now() - t0);
            }
        });
        obs.observe(document.body, {subtree: true, childList: true, attributes: true,
                                    characterData: true});
        document.querySelector('.viz-step').click();
    });
}"""


class RssSampler(threading.Thread):
    """Peak resident memory of a process and its children."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.proc = psutil.Process(pid)
        self.every = every
        self.peak = 0
        self.cpu = 0.0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                procs = [self.proc, *self.proc.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_info().rss for p in procs))
                self.cpu = sum(sum(p.cpu_times()[:2]) for p in procs)
            except psutil.Error:
                pass
            self.stop.wait(self.every)


class BrowserCpu(threading.Thread):
    """CPU seconds of this process's descendants other than the server (the browser, its
    renderers and Playwright's driver), summed over the last reading of each process."""

    def __init__(self, server_pid: int, every: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.server_pid = server_pid
        self.every = every
        self.seen: dict[int, float] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        me = psutil.Process()
        while not self.stop.is_set():
            server = {self.server_pid}
            with contextlib.suppress(psutil.Error):
                kids = psutil.Process(self.server_pid).children(recursive=True)
                server |= {p.pid for p in kids}
            for child in me.children(recursive=True):
                if child.pid not in server:
                    with contextlib.suppress(psutil.Error):
                        self.seen[child.pid] = sum(child.cpu_times()[:2])
            self.stop.wait(self.every)

    @property
    def total(self) -> float:
        return sum(self.seen.values())


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def one_session(browser, url: str, steps: int, k: int, out: dict) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    problems = watch_page(page, url)
    try:
        started = time.perf_counter()
        await page.goto(url, timeout=300_000)
        for css in READY:
            await page.locator(css).wait_for(timeout=300_000)
        out["first_render"].append(time.perf_counter() - started)
        for _ in range(steps):
            out["steps"].append(await page.evaluate(STEP_IN_PAGE) / 1000.0)
        final = await page.inner_text(".viz-day")
        if not final.startswith(f"Day {steps} of"):
            problems.append(f"ended at {final!r}, expected day {steps}")
    except Exception as err:  # noqa: BLE001 - every failure is counted and reported
        problems.append(f"{type(err).__name__}: {str(err).splitlines()[0]}")
    finally:
        await context.close()
    if problems:
        out["failures"].append({"session": k, "problems": problems[:5]})


async def drive(url: str, sessions: int, steps: int, stagger: float) -> dict:
    from playwright.async_api import async_playwright

    out: dict = {"first_render": [], "steps": [], "failures": []}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(**chromium_options())

        async def later(k: int) -> None:
            await asyncio.sleep(k * stagger)
            await one_session(browser, url, steps, k, out)

        await asyncio.gather(*(later(k) for k in range(sessions)))
        await browser.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument(
        "--consumers",
        type=int,
        default=None,
        help="population (passed as ?n_consumers=); default: the app's 500",
    )
    parser.add_argument("--scenario", default=None)
    parser.add_argument("--stagger", type=float, default=0.2, help="seconds between session starts")
    parser.add_argument("--deadline", type=float, default=900.0, help="give up after (s)")
    parser.add_argument("--out", type=Path, default=None, help="write the figures as JSON")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"needs {CHROMIUM} (apt-get install -y chromium)", file=sys.stderr)
        return 2

    with AppServer() as server:
        sampler = RssSampler(server.pid)
        sampler.start()
        query = "&".join(
            f"{k}={v}"
            for k, v in (("scenario", args.scenario), ("n_consumers", args.consumers))
            if v
        )
        url = server.url + (f"?{query}" if query else "")
        try:
            server.wait()
            idle_rss = sampler.peak
            time.sleep(0.5)
            idle_cpu = sampler.cpu
            wall = time.monotonic()
            browser_cpu = BrowserCpu(server.pid)
            browser_cpu.start()
            out = asyncio.run(
                asyncio.wait_for(
                    drive(url, args.sessions, args.steps, args.stagger), timeout=args.deadline
                )
            )
            wall = time.monotonic() - wall
            browser_cpu.stop.set()
            client = browser_cpu.total
        except ServerNotServing as err:
            print(err, file=sys.stderr)
            return 1
        finally:
            sampler.stop.set()
    steps = out["steps"]
    result = {
        "sessions": args.sessions,
        "steps_per_session": args.steps,
        "consumers": args.consumers or 500,
        "steps_done": len(steps),
        "failed_sessions": len(out["failures"]),
        "failures": out["failures"],
        "server_peak_rss_mb": round(sampler.peak / 2**20, 1),
        "server_rss_after_start_mb": round(idle_rss / 2**20, 1),
        "first_render_median_s": round(statistics.median(out["first_render"]), 3)
        if out["first_render"]
        else None,
        "first_render_max_s": round(max(out["first_render"]), 3) if out["first_render"] else None,
        "step_round_trip": "in the page: click -> day counter and plot changed (performance.now)",
        "step_median_s": round(statistics.median(steps), 3) if steps else None,
        "step_p95_s": round(pct(steps, 0.95), 3) if steps else None,
        "step_max_s": round(max(steps), 3) if steps else None,
        "server_cpu_s": round(sampler.cpu - idle_cpu, 1),
        "browser_cpu_s": round(client, 1),
        "wall_s": round(wall, 1),
        "cores": os.cpu_count(),
        "load_average_after": os.getloadavg(),
    }
    print(json.dumps(result, indent=2))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2))
    return 0 if not out["failures"] and len(steps) == args.sessions * args.steps else 1


if __name__ == "__main__":
    sys.exit(main())
