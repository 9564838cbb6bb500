"""Core performance benchmark of the default scenario (issue "core").

For each size N (default 10k, 100k and 1M consumers) a fresh subprocess builds
``SocialCommerceModel(n_consumers=N, rng=seed)`` with the default parameters, runs ``--steps``
days and reports:

* build time (s),
* median step time (ms) over the steps after the first ``--skip`` ones, plus the median per
  campaign window (the default campaign has a 7-day "lead" window without shopping, then
  "selling"), so a short run does not hide the cost of the shopping days,
* peak RSS (MB) of the child, from ``resource.getrusage(RUSAGE_SELF).ru_maxrss``; the RSS
  right after the imports is printed too (the model's own share is roughly the difference).

Targets are printed next to the figures: 1M build <= 15 s and <= 2 GB peak RSS; step <= 2 ms
at 10k (issue 16 §7) and <= 500 ms at 1M.

``--profile N`` instead builds one model of N consumers in this process (the build is profiled
separately: top 20 by cumulative time), runs ``--steps`` days under cProfile (the first ``--skip``
steps are not profiled) and prints the top 25 functions by cumulative and by own time, then a
per-phase breakdown of ``step()`` over as many further steps (no profiler) and, with ``--lines``,
the most expensive source lines of the model's own code (inclusive wall time per line, measured
with a ``sys.settrace`` line tracer restricted to the socialabm/ and agents/ files).

``--phases N`` builds one model of N consumers, runs ``--skip`` days, then times each phase of the
declared schedule (``socialabm.schedule.SCHEDULE``, the phases ``step()`` runs) over ``--steps``
days, with ``--params`` on top of the defaults.

Usage::

    uv run python benchmarks/bench_model.py                       # 10k, 100k, 1M
    uv run python benchmarks/bench_model.py --sizes 10000 100000 --steps 60
    uv run python benchmarks/bench_model.py --profile 10000 --steps 40
    uv run python benchmarks/bench_model.py --profile 1000000 --steps 15 --lines
    uv run python benchmarks/bench_model.py --phases 1000000 --steps 20
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from measure import build_and_step, rss_mb  # benchmarks/measure.py

ROOT = Path(__file__).resolve().parents[1]

# targets of issue "core"
TARGET_BUILD_1M_S = 15.0
TARGET_RSS_1M_MB = 2048.0
TARGET_STEP_MS = {10_000: 2.0, 1_000_000: 500.0}


def current_rss_mb() -> float:
    """Current resident set size, MB (Linux /proc; NaN elsewhere)."""
    try:
        with open("/proc/self/statm") as fh:
            pages = int(fh.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return float("nan")


def steps_for(n: int, steps: int, steps_1m: int) -> int:
    return steps_1m if n >= 1_000_000 else steps


def _window(model) -> str:
    cal = model.calendar
    return cal.window(model.day % cal.campaign_days)


# -- child: one size, fresh process ---------------------------------------------------------
def run_child(n: int, steps: int, skip: int, seed: int, params: dict) -> dict:
    import numpy as np  # noqa: F401  (imports counted in the baseline RSS)

    model, res = build_and_step(n, steps, skip, seed, params)
    res["rss_current_mb"] = current_rss_mb()
    res["edges"] = int(model.network.strong.nnz + model.network.weak.nnz)
    return res


def spawn(n: int, steps: int, skip: int, seed: int, params: dict) -> dict:
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        str(n),
        "--steps",
        str(steps),
        "--skip",
        str(skip),
        "--seed",
        str(seed),
        "--params",
        json.dumps(params),
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        raise RuntimeError(f"child for N={n} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def verdict(value: float, target: float) -> str:
    return "OK  " if value <= target else "MISS"


def report(res: dict) -> None:
    n = res["n"]
    print(f"\nN = {n:,} consumers ({res['edges']:,} directed tie entries)")
    build = f"  build          {res['build_s']:8.2f} s"
    if n >= 1_000_000:
        build += (
            f"    target <= {TARGET_BUILD_1M_S:g} s  [{verdict(res['build_s'], TARGET_BUILD_1M_S)}]"
        )
    print(build)
    step = (
        f"  step median    {res['step_ms_median']:8.2f} ms   "
        f"(min {res['step_ms_min']:.2f}, max {res['step_ms_max']:.2f}; "
        f"{res['steps'] - res['skip']} of {res['steps']} steps, first {res['skip']} skipped; "
        f"CPU time median {res['step_cpu_ms_median']:.2f} ms)"
    )
    if n in TARGET_STEP_MS:
        target = TARGET_STEP_MS[n]
        ok = verdict(res["step_ms_median"], target)
        step += f"\n                 target <= {target:g} ms  [{ok}]"
    print(step)
    for w, (k, ms, cpu_ms) in res["by_window_ms"].items():
        print(f"    window {w:<10} {ms:8.2f} ms median over {k} steps (CPU {cpu_ms:.2f} ms)")
    rss = (
        f"  peak RSS       {res['rss_peak_mb']:8.0f} MB   "
        f"(after imports {res['rss_imports_mb']:.0f} MB, "
        f"after build {res['rss_after_build_mb']:.0f} MB)"
    )
    if n >= 1_000_000:
        rss += (
            f"\n                 target <= {TARGET_RSS_1M_MB:g} MB  "
            f"[{verdict(res['rss_peak_mb'], TARGET_RSS_1M_MB)}]"
        )
    print(rss)


# -- profiling -------------------------------------------------------------------------------
class LineTimer:
    """Inclusive wall time per source line of files under the given directories."""

    def __init__(self, roots: list[str]) -> None:
        self.roots = tuple(roots)
        self.totals: dict[tuple[str, int], float] = defaultdict(float)
        self.hits: dict[tuple[str, int], int] = defaultdict(int)
        self.last: dict[int, tuple[tuple[str, int], float]] = {}

    def _global(self, frame, event, arg):
        if event == "call" and frame.f_code.co_filename.startswith(self.roots):
            return self._local
        return None

    def _local(self, frame, event, arg):
        now = time.perf_counter()
        fid = id(frame)
        prev = self.last.get(fid)
        if prev is not None:
            self.totals[prev[0]] += now - prev[1]
        if event == "line":
            key = (frame.f_code.co_filename, frame.f_lineno)
            self.hits[key] += 1
            self.last[fid] = (key, time.perf_counter())
        elif event == "return":
            self.last.pop(fid, None)
        return self._local

    def __enter__(self):
        sys.settrace(self._global)
        return self

    def __exit__(self, *exc):
        sys.settrace(None)

    def print_top(self, k: int, per: int) -> None:
        import linecache

        print(
            f"\nTop {k} source lines (inclusive wall time incl. callees, per step, "
            "sys.settrace overhead included)"
        )
        print(f"{'ms/step':>9} {'hits':>7}  location / code")
        for (fname, line), total in sorted(self.totals.items(), key=lambda kv: -kv[1])[:k]:
            rel = os.path.relpath(fname, ROOT)
            code = linecache.getline(fname, line).strip()[:90]
            print(
                f"{1000 * total / per:9.2f} {self.hits[(fname, line)] / per:7.1f}  "
                f"{rel}:{line}  {code}"
            )


def phase_breakdown(model, steps: int) -> None:
    """Time each phase of the declared schedule (``socialabm.schedule.SCHEDULE``) and the end of
    the day (the DataCollector), running the day as ``step()`` does (no profiler overhead)."""
    from socialabm.schedule import SCHEDULE

    totals: dict[str, float] = defaultdict(float)
    cpu: dict[str, float] = defaultdict(float)
    market = model.market
    t0 = time.perf_counter()

    def timed(label: str, run) -> None:
        c, t = time.process_time(), time.perf_counter()
        run()
        totals[label] += time.perf_counter() - t
        cpu[label] += time.process_time() - c

    for _ in range(steps):
        for phase in SCHEDULE:
            if phase.acts_today(market):
                timed(phase.name, lambda phase=phase: phase.run(market))
        timed("close_day (DataCollector)", model.close_day)
    wall = time.perf_counter() - t0
    print(
        f"\nPhase breakdown over {steps} steps (mean ms/step, wall and CPU time; "
        f"wall {1000 * wall / steps:.2f})"
    )
    for label, total in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(
            f"  {label:<36} {1000 * total / steps:9.2f} ms  {100 * total / wall:5.1f} %"
            f"   CPU {1000 * cpu[label] / steps:9.2f} ms"
        )


def run_profile(n: int, steps: int, skip: int, seed: int, params: dict, lines: bool) -> None:
    import cProfile
    import pstats

    from socialabm.model import SocialCommerceModel

    build_profiler = cProfile.Profile()
    t0 = time.perf_counter()
    build_profiler.enable()
    model = SocialCommerceModel(n_consumers=n, rng=seed, **params)
    build_profiler.disable()
    print(
        f"N = {n:,}: built in {time.perf_counter() - t0:.2f} s under cProfile "
        f"(peak RSS {rss_mb():.0f} MB)"
    )
    print("\n=== build: top 20 by cumulative ===")
    build_stats = pstats.Stats(build_profiler)
    build_stats.strip_dirs().sort_stats("cumulative").print_stats(20)
    print(f"warming up {skip} steps")
    for _ in range(skip):
        model.step()
    windows = []
    profiler = cProfile.Profile()
    t0 = time.perf_counter()
    for _ in range(steps):
        windows.append(_window(model))
        profiler.enable()
        model.step()
        profiler.disable()
    wall = time.perf_counter() - t0
    counts = {w: windows.count(w) for w in dict.fromkeys(windows)}
    print(
        f"profiled {steps} steps (days {model.day - steps}..{model.day - 1}, windows {counts}): "
        f"{1000 * wall / steps:.2f} ms/step under cProfile"
    )
    stats = pstats.Stats(profiler)
    stats.strip_dirs()
    for key in ("cumulative", "tottime"):
        print(f"\n=== top 25 by {key} (times are totals over {steps} steps) ===")
        stats.sort_stats(key).print_stats(25)
    # same number of further steps without the profiler, phase by phase
    phase_breakdown(model, steps)
    if lines:
        roots = [str(ROOT / "socialabm"), str(ROOT / "agents")]
        with LineTimer(roots) as timer:
            for _ in range(steps):
                model.step()
        timer.print_top(25, steps)


# -- entry point -------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[10_000, 100_000, 1_000_000],
        help="numbers of consumers (default 10000 100000 1000000)",
    )
    ap.add_argument(
        "--steps", type=int, default=40, help="days to run below 1M consumers (default 40)"
    )
    ap.add_argument(
        "--steps-1m", type=int, default=20, help="days to run at >= 1M consumers (default 20)"
    )
    ap.add_argument(
        "--skip", type=int, default=3, help="first steps left out of the median (default 3)"
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--params",
        default="{}",
        help="JSON dict of model parameters over the defaults (default: none)",
    )
    ap.add_argument(
        "--profile",
        type=int,
        metavar="N",
        help="profile --steps steps at N consumers instead of benchmarking",
    )
    ap.add_argument(
        "--phases",
        type=int,
        metavar="N",
        help="time each phase of the schedule at N consumers instead of benchmarking",
    )
    ap.add_argument(
        "--lines",
        action="store_true",
        help="with --profile: also time source lines of the model (slow)",
    )
    ap.add_argument("--json", metavar="FILE", help="also write the results to FILE")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    params = json.loads(args.params)
    sys.path.insert(0, str(ROOT))

    if args.child is not None:
        print(json.dumps(run_child(args.child, args.steps, args.skip, args.seed, params)))
        return
    if args.phases is not None:
        from socialabm.model import SocialCommerceModel

        model = SocialCommerceModel(n_consumers=args.phases, rng=args.seed, **params)
        for _ in range(args.skip):
            model.step()
        print(f"N = {args.phases:,}, days {args.skip}..{args.skip + args.steps - 1}")
        phase_breakdown(model, args.steps)
        return
    if args.profile is not None:
        run_profile(args.profile, args.steps, args.skip, args.seed, params, args.lines)
        return

    print(
        f"socialabm core benchmark: default scenario{' + ' + args.params if params else ''}, "
        f"seed {args.seed}, python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    results = []
    for n in args.sizes:
        steps = steps_for(n, args.steps, args.steps_1m)
        res = spawn(n, steps, min(args.skip, steps - 1), args.seed, params)
        report(res)
        results.append(res)
        sys.stdout.flush()
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
