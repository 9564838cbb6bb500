"""Memory of the classroom app's server over a term: sessions opened, played and closed.

Starts ``python -m socialabm.viz`` on a free 127.0.0.1 port (own process group, stopped by its
process id) and drives one headless Debian chromium. Every session opens the page in a browser
context of its own, plays at 20 days per second for ``--play`` seconds and is closed while still
playing, alternately as a tab is closed (the page unloads: Solara's close beacon) and as a
browser vanishes (a laptop shut, a network gone: the connection drops and the server waits its
reconnect window). ``--parallel`` sessions run at a time.

Figures (the server's resident memory, its process and children, sampled every 0.5 s):

* the warmed-up baseline: after ``--warmup`` sessions opened, played and closed, once the
  server has settled;
* the peak while the ``--sessions`` sessions ran, and the memory at the last close;
* the memory every 5 s for ``--settle`` seconds after it, how long it took to come back within
  ``--tolerance`` MB of the baseline (issue 20's target: 150 MB within a minute) and to settle
  (within 5 MB of where it ends);
* with ``--rounds R``, the same again R times on the same server: the settled memory after each
  round, which stays flat on a server that gives back what closed sessions held.

Not part of CI (it takes minutes). Only loopback traffic; bounded in time (``--deadline``).

    uv run python benchmarks/bench_viz_memory.py                     # 100 sessions, 1 round
    uv run python benchmarks/bench_viz_memory.py --rounds 3          # a term in miniature
    uv run python benchmarks/bench_viz_memory.py --sessions 20 --consumers 5000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path

from measure import ProcessSampler
from socialabm.viz.harness import (
    CHROMIUM,
    READY,
    AppServer,
    ServerNotServing,
    chromium_options,
    watch_page,
)

MB = 2**20


async def one_session(browser, url: str, k: int, play: float, failures: list) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await context.new_page()
    problems = watch_page(page, url)
    try:
        await page.goto(url, timeout=300_000)
        for css in READY:
            await page.locator(css).wait_for(timeout=300_000)
        await page.click(".viz-play")
        await page.wait_for_timeout(play * 1000)
        if "Traceback" in await page.inner_text("body"):
            problems.append("a traceback is shown in the page")
        if k % 2 == 0:  # a tab closed: the page unloads and tells the server
            await page.close(run_before_unload=True)
            await asyncio.sleep(0.3)
    except Exception as err:  # noqa: BLE001 - every failure is counted and reported
        problems.append(f"{type(err).__name__}: {str(err).splitlines()[0]}")
    finally:
        await context.close()  # odd sessions: the browser vanishes, the connection drops
    if problems:
        failures.append({"session": k, "problems": problems[:5]})


async def run_sessions(url: str, count: int, first: int, args, failures: list) -> None:
    from playwright.async_api import async_playwright

    gate = asyncio.Semaphore(args.parallel)

    async def limited(browser, k: int) -> None:
        async with gate:
            await one_session(browser, url, k, args.play, failures)

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(**chromium_options())
        await asyncio.gather(*(limited(browser, first + k) for k in range(count)))
        await browser.close()


def settle(rss: ProcessSampler, seconds: float, baseline: float | None, tolerance: float) -> dict:
    """Watch the memory for ``seconds``: samples every 5 s and when it came back within
    ``tolerance`` MB of ``baseline``."""
    start = time.monotonic()
    samples, back = [], None
    while (elapsed := time.monotonic() - start) < seconds:
        mb = rss.read() / MB
        if not samples or elapsed - samples[-1][0] >= 5:
            samples.append((round(elapsed, 1), round(mb, 1)))
        if back is None and baseline is not None and mb <= baseline + tolerance:
            back = round(elapsed, 1)
        time.sleep(0.5)
    final = samples[-1][1]
    settled = next(t for t, mb in samples if mb <= final + 5)
    return {
        "samples_s_mb": samples,
        "back_within_tolerance_after_s": back,
        "settled_after_s": settled,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=100, help="sessions per round")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=4, help="sessions before the baseline")
    parser.add_argument("--parallel", type=int, default=4, help="sessions open at once")
    parser.add_argument("--play", type=float, default=2.0, help="seconds each session plays")
    parser.add_argument("--consumers", type=int, default=None, help="?n_consumers= (500)")
    parser.add_argument("--settle", type=float, default=75.0, help="seconds watched after")
    parser.add_argument("--tolerance", type=float, default=150.0, help="MB over the baseline")
    parser.add_argument("--deadline", type=float, default=3600.0, help="give up after (s)")
    parser.add_argument("--out", type=Path, default=None, help="write the figures as JSON")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"needs {CHROMIUM} (apt-get install -y chromium)", file=sys.stderr)
        return 2
    started = time.monotonic()
    server_args = ["--max-consumers", str(max(args.consumers or 0, 5000))]
    failures: list = []
    result: dict = {"sessions_per_round": args.sessions, "consumers": args.consumers or 500}
    with AppServer(args=server_args) as server:
        try:
            server.wait()
        except ServerNotServing as err:
            print(err, file=sys.stderr)
            return 1
        rss = ProcessSampler(server.pid, every=0.5)
        rss.start()
        url = server.url + (f"?n_consumers={args.consumers}" if args.consumers else "")
        result["rss_after_start_mb"] = round(rss.read() / MB, 1)
        asyncio.run(run_sessions(url, args.warmup, 0, args, failures))
        warm = settle(rss, args.settle, None, args.tolerance)
        baseline = rss.read() / MB
        result["baseline_after_warmup_mb"] = round(baseline, 1)
        result["warmup_settle"] = warm["samples_s_mb"]
        rounds = []
        for r in range(args.rounds):
            rss.peak = rss.read()
            t = time.monotonic()
            first = args.warmup + r * args.sessions
            asyncio.run(
                asyncio.wait_for(
                    run_sessions(url, args.sessions, first, args, failures),
                    timeout=max(args.deadline - (time.monotonic() - started), 1),
                )
            )
            at_close = rss.read() / MB
            watched = settle(rss, args.settle, baseline, args.tolerance)
            rounds.append(
                {
                    "round": r + 1,
                    "sessions_s": round(time.monotonic() - t, 1),
                    "peak_mb": round(rss.peak / MB, 1),
                    "at_last_close_mb": round(at_close, 1),
                    "settled_mb": watched["samples_s_mb"][-1][1],
                    "over_baseline_settled_mb": round(watched["samples_s_mb"][-1][1] - baseline, 1),
                    "back_within_tolerance_after_s": watched["back_within_tolerance_after_s"],
                    "settled_after_s": watched["settled_after_s"],
                    "samples_s_mb": watched["samples_s_mb"],
                }
            )
            print(json.dumps(rounds[-1]), flush=True)
        rss.stop.set()
        log = server.log_tail(size=10_000_000)
    result |= {
        "rounds": rounds,
        "failed_sessions": len(failures),
        "failures": failures[:10],
        "tracebacks_in_server_log": log.count("Traceback"),
        "reconnect_window": os.environ.get("SOLARA_KERNEL_CULL_TIMEOUT", "the app's (30s)"),
        "wall_s": round(time.monotonic() - started, 1),
        "load_average_after": os.getloadavg(),
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text)
    ok = not failures and all(
        r["back_within_tolerance_after_s"] is not None and r["back_within_tolerance_after_s"] <= 60
        for r in rounds
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
