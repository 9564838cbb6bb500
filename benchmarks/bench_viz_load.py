"""Load test of the classroom app: N concurrent browser sessions against one local server.

Starts ``python -m socialabm.viz`` on a free 127.0.0.1 port (own process group, stopped by its
process id) and opens N sessions in one headless Debian chromium (one browser context each, so
each has its own Solara kernel and model). Then either

* every session clicks Step S times, waiting each time until the day counter and the sales plot
  have changed (the step round trip), or
* with ``--loads N``, the page is opened N times one after another (a fresh browser context
  each, like N students arriving), each time stepped ``--steps`` times and closed, and the
  server's CPU seconds are read around each load (navigation until the page is ready and has
  settled for a second) and its steps: the server CPU per page load, the first and the later
  ones, and per step; or
* with ``--play SECONDS``, every session plays at each of ``--speeds`` for that long, all at
  once: in each page a MutationObserver records (time, day) at every change of the day counter,
  and after a one-second warm-up the achieved days per second as seen on screen (against the
  requested speed), the screen updates per second and the longest gap between two updates are
  reported; and the run's own days per second (the day reached at Pause over the play time),
  whatever the screen managed to show.

Reports the server's peak RSS (server and its children, sampled every 0.2 s), the first-render
time, tracebacks in the server's log and every failure (a request leaving the server, a failed
request, a script error, a traceback shown in a page). Not part of CI (it takes minutes and wants
the machine to itself). Only loopback traffic; bounded in time (--deadline seconds).

    uv run python benchmarks/bench_viz_load.py                       # 30 sessions x 20 steps
    uv run python benchmarks/bench_viz_load.py --sessions 1 --steps 40 --consumers 2000
    uv run python benchmarks/bench_viz_load.py --sessions 1 --play 8 --speeds 1 5 10 20
    uv run python benchmarks/bench_viz_load.py --play 20                # 30 sessions playing
    uv run python benchmarks/bench_viz_load.py --loads 6 --steps 20      # server CPU per load
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import re
import statistics
import sys
import threading
import time
from pathlib import Path

import psutil
from measure import ProcessSampler
from socialabm.viz.links import SPEEDS, speed_text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the app harness lives with the tests (tests/app_harness.py)

from tests.app_harness import (  # noqa: E402
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


PLAY_IN_PAGE = """async ([seconds]) => {
    // press Play; record (time, day) at every change of the day counter for `seconds`; pause
    const dayOf = () => {
        const m = document.querySelector('.viz-day').innerText.match(/Day (\\d+)/);
        return m ? parseInt(m[1]) : -1;
    };
    const samples = [[performance.now(), dayOf()]];
    const obs = new MutationObserver(() => {
        const d = dayOf();
        if (d !== samples[samples.length - 1][1]) { samples.push([performance.now(), d]); }
    });
    obs.observe(document.body, {subtree: true, childList: true, characterData: true});
    document.querySelector('.viz-play').click();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    obs.disconnect();
    document.querySelector('.viz-pause')?.click();
    return samples;
}"""


def play_figures(samples: list[list[float]], warmup: float = 1.0) -> dict:
    """Achieved days/s, screen updates/s and the longest gap between updates (s), from
    ``(ms, day)`` samples, after ``warmup`` seconds from the first update."""
    if len(samples) < 3:
        return {"days_per_s": 0.0, "updates_per_s": 0.0, "max_gap_s": None}
    start = samples[1][0] + warmup * 1000
    kept = [s for s in samples if s[0] >= start] or samples[-2:]
    (t0, d0), (t1, d1) = kept[0], kept[-1]
    span = max((t1 - t0) / 1000, 1e-9)
    gaps = [(b[0] - a[0]) / 1000 for a, b in zip(kept, kept[1:], strict=False)]
    return {
        "days_per_s": (d1 - d0) / span,
        "updates_per_s": (len(kept) - 1) / span,
        "max_gap_s": max(gaps) if gaps else None,
    }


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


async def set_speed(page, speed: float, attempts: int = 40) -> None:
    """Move the speed slider to ``speed`` days per second (one of the app's ``SPEEDS``) with the
    keyboard, one step at a time (the server echoes every value, so a burst of keys can be
    undone by a late echo)."""
    thumb = page.locator(".viz-speed [role=slider]")
    await thumb.focus()
    for _ in range(attempts):
        now = SPEEDS.index(float((await page.inner_text(".viz-speed")).split()[0]))
        target = SPEEDS.index(speed)
        if now == target:
            return
        await thumb.press("ArrowRight" if now < target else "ArrowLeft")
        step = speed_text(SPEEDS[now + (1 if now < target else -1)])
        await page.locator(".viz-speed", has_text=re.compile(rf"^{re.escape(step)}")).wait_for(
            timeout=60_000
        )
    raise TimeoutError(f"the speed slider did not reach {speed_text(speed)}")


async def one_session(browser, url: str, args, k: int, out: dict, barrier) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    problems = watch_page(page, url)
    try:
        started = time.perf_counter()
        await page.goto(url, timeout=300_000)
        for css in READY:
            await page.locator(css).wait_for(timeout=300_000)
        out["first_render"].append(time.perf_counter() - started)
        if args.play:
            for speed in args.speeds:
                await set_speed(page, speed)
                await barrier.wait()  # every session plays at this speed at the same time
                samples = await page.evaluate(PLAY_IN_PAGE, [args.play])
                figures = play_figures(samples)
                await page.locator(".viz-play").wait_for(timeout=300_000)
                # the day the run had reached when paused (its last picture), whatever the
                # screen managed to show on the way
                paused = int(re.match(r"Day (\d+)", await page.inner_text(".viz-day")).group(1))
                figures["run_days_per_s"] = (paused - samples[0][1]) / args.play
                out["play"].setdefault(speed, []).append(figures)
        else:
            for _ in range(args.steps):
                out["steps"].append(await page.evaluate(STEP_IN_PAGE) / 1000.0)
            final = await page.inner_text(".viz-day")
            if not final.startswith(f"Day {args.steps} of"):
                problems.append(f"ended at {final!r}, expected day {args.steps}")
        if "Traceback" in await page.inner_text("body"):
            problems.append("a traceback is shown in the page")
    except Exception as err:  # noqa: BLE001 - every failure is counted and reported
        problems.append(f"{type(err).__name__}: {str(err).splitlines()[0]}")
        if barrier is not None:
            await barrier.abort()
    finally:
        await context.close()
    if problems:
        out["failures"].append({"session": k, "problems": problems[:5]})


SETTLE = 1.0
"""Seconds a page is left alone before the server's CPU is read (what a render set off is done)."""


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) the server and its children have used so far."""
    proc = psutil.Process(pid)
    return sum(sum(p.cpu_times()[:2]) for p in (proc, *proc.children(recursive=True)))


async def measured_loads(browser, url: str, args, pid: int, out: dict) -> None:
    """Open the page ``args.loads`` times one after another, step each ``args.steps`` times and
    close it; the server's CPU per load and per step of each, in ``out["loads"]``."""
    for k in range(args.loads):
        context = await browser.new_context(viewport={"width": 1280, "height": 800})
        page = await context.new_page()
        problems = watch_page(page, url)
        before = server_cpu(pid)
        await page.goto(url, timeout=300_000)
        for css in READY:
            await page.locator(css).wait_for(timeout=300_000)
        await page.evaluate("document.fonts.ready")
        await asyncio.sleep(SETTLE)
        loaded = server_cpu(pid)
        for _ in range(args.steps):
            out["steps"].append(await page.evaluate(STEP_IN_PAGE) / 1000.0)
        await asyncio.sleep(SETTLE)
        stepped = server_cpu(pid)
        out["loads"].append(
            {"load_cpu_s": loaded - before, "step_cpu_s": (stepped - loaded) / max(args.steps, 1)}
        )
        await context.close()
        await asyncio.sleep(SETTLE + 2.5)  # the closed session's memory reclaim (viz/memory.py)
        if problems:
            out["failures"].append({"session": k, "problems": problems[:5]})


def loads_table(loads: list[dict]) -> dict:
    """Server CPU seconds of the first page load, the later ones, and per step."""
    later = [r["load_cpu_s"] for r in loads[1:]]
    steps = [r["step_cpu_s"] for r in loads]
    return {
        "page_loads": len(loads),
        "server_cpu_first_load_s": round(loads[0]["load_cpu_s"], 3),
        "server_cpu_later_load_median_s": round(statistics.median(later), 3) if later else None,
        "server_cpu_later_loads_s": [round(v, 3) for v in later],
        "server_cpu_per_step_median_s": round(statistics.median(steps), 4),
        "server_cpu_per_step_s": [round(v, 4) for v in steps],
    }


async def drive(url: str, args, pid: int) -> dict:
    from playwright.async_api import async_playwright

    out: dict = {"first_render": [], "steps": [], "play": {}, "loads": [], "failures": []}
    barrier = asyncio.Barrier(args.sessions) if args.play else None
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(**chromium_options())
        if args.loads:
            await measured_loads(browser, url, args, pid, out)
            await browser.close()
            return out

        async def later(k: int) -> None:
            await asyncio.sleep(k * args.stagger)
            await one_session(browser, url, args, k, out, barrier)

        await asyncio.gather(*(later(k) for k in range(args.sessions)))
        await browser.close()
    return out


def play_table(play: dict[int, list[dict]]) -> dict:
    """Per requested speed: achieved days/s and screen updates/s over the sessions."""
    table = {}
    for speed, rows in play.items():
        achieved = [r["days_per_s"] for r in rows]
        run = [r["run_days_per_s"] for r in rows]
        updates = [r["updates_per_s"] for r in rows]
        gaps = [r["max_gap_s"] for r in rows if r["max_gap_s"] is not None]
        table[speed] = {
            "sessions": len(rows),
            "run_days_per_s_median": round(statistics.median(run), 2),
            "run_days_per_s_min": round(min(run), 2),
            "achieved_days_per_s_median": round(statistics.median(achieved), 2),
            "achieved_days_per_s_min": round(min(achieved), 2),
            "achieved_share_of_requested_min": round(min(achieved) / speed, 3),
            "screen_updates_per_s_median": round(statistics.median(updates), 2),
            "screen_updates_per_s_min": round(min(updates), 2),
            "longest_gap_between_updates_s": round(max(gaps), 3) if gaps else None,
        }
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument(
        "--play", type=float, default=0.0, metavar="SECONDS", help="play this long per speed"
    )
    parser.add_argument(
        "--speeds", type=float, nargs="+", default=[5], help=f"with --play; of {SPEEDS}"
    )
    parser.add_argument(
        "--consumers",
        type=int,
        default=None,
        help="population (passed as ?n_consumers=); default: the app's 500",
    )
    parser.add_argument(
        "--loads",
        type=int,
        default=0,
        metavar="N",
        help="open the page N times in turn; server CPU per load and per step",
    )
    parser.add_argument("--scenario", default=None)
    parser.add_argument("--stagger", type=float, default=0.2, help="seconds between session starts")
    parser.add_argument("--deadline", type=float, default=1800.0, help="give up after (s)")
    parser.add_argument("--out", type=Path, default=None, help="write the figures as JSON")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"needs {CHROMIUM} (apt-get install -y chromium)", file=sys.stderr)
        return 2
    consumers = args.consumers or 500
    # a run long enough for every speed, within the server's limits
    days = sum(speed * (args.play + 3) for speed in args.speeds) if args.play else 0
    campaigns = max(3, math.ceil(days / 60) + 1) if args.play else None
    server_args = ["--max-consumers", str(max(consumers, 5000))]
    if campaigns:
        server_args += ["--max-days", str(campaigns * 60)]
    with AppServer(args=server_args) as server:
        sampler = ProcessSampler(server.pid)
        sampler.start()
        query = "&".join(
            f"{k}={v}"
            for k, v in (
                ("scenario", args.scenario),
                ("n_consumers", args.consumers),
                ("n_campaigns", campaigns),
            )
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
            out = asyncio.run(asyncio.wait_for(drive(url, args, server.pid), timeout=args.deadline))
            wall = time.monotonic() - wall
            browser_cpu.stop.set()
            client = browser_cpu.total
        except ServerNotServing as err:
            print(err, file=sys.stderr)
            return 1
        finally:
            sampler.stop.set()
        log = server.log_tail(size=10_000_000)
    steps = out["steps"]
    result = {
        "sessions": args.loads or args.sessions,
        "mode": f"play {args.play:g} s per speed"
        if args.play
        else (f"{args.loads} page loads in turn" if args.loads else "step"),
        "consumers": consumers,
        "failed_sessions": len(out["failures"]),
        "failures": out["failures"],
        "tracebacks_in_server_log": log.count("Traceback"),
        "server_peak_rss_mb": round(sampler.peak / 2**20, 1),
        "server_rss_after_start_mb": round(idle_rss / 2**20, 1),
        "first_render_median_s": round(statistics.median(out["first_render"]), 3)
        if out["first_render"]
        else None,
        "first_render_max_s": round(max(out["first_render"]), 3) if out["first_render"] else None,
        "server_cpu_s": round(sampler.cpu - idle_cpu, 1),
        "browser_cpu_s": round(client, 1),
        "wall_s": round(wall, 1),
        "cores": os.cpu_count(),
        "load_average_after": os.getloadavg(),
    }
    if args.play:
        result["by_requested_speed"] = play_table(out["play"])
    elif args.loads:
        result |= loads_table(out["loads"])
    else:
        result |= {
            "steps_per_session": args.steps,
            "steps_done": len(steps),
            "step_round_trip": "in the page: click -> day counter and plot changed",
            "step_median_s": round(statistics.median(steps), 3) if steps else None,
            "step_p95_s": round(pct(steps, 0.95), 3) if steps else None,
            "step_max_s": round(max(steps), 3) if steps else None,
        }
    print(json.dumps(result, indent=2))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2))
    sessions = args.loads or args.sessions
    complete = args.play or len(steps) == sessions * args.steps
    return 0 if not out["failures"] and not result["tracebacks_in_server_log"] and complete else 1


if __name__ == "__main__":
    sys.exit(main())
