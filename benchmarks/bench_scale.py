"""Scale benchmark with every mechanism on (issue "scale").

Part 1 (``--size``, default 1M consumers; run in a fresh subprocess): the model with
presale_mode="experience", starvation=True, release_cap=50, disruption_prob=0.02,
multi_sourcing=True, presale_deadline=7, adaptation=True, alliances=True, integrate_social=True,
campaign_units=3 (over-consumption), group_purchase=True, weak_tie_reach=0.5 (local weak ties at
equal count, issue 18 §3). Reports

* build time (s; target <= 10 s) and peak RSS (MB, ``resource.getrusage(RUSAGE_SELF).ru_maxrss``
  of the child, read before the mat-vec below allocates its summed matrix; target <= 1.5 GB),
* median full ``step()`` time (ms) over ``--steps`` days after ``--skip``, and per campaign
  window (experience / presale / lead / selling: only presale and selling days shop),
* the time of one bare CSR mat-vec over the same network: ``A @ x`` with
  ``A = model.network.strong + model.network.weak`` summed once beforehand (the summing is
  timed separately), ``x`` float32 (the matrix dtype) and float64, median over ``--repeats``;
  the summed matrix's entries (nnz) and whether it is canonical (sorted indices without
  duplicates, int32 indices, float32 data: the fastest honest mat-vec scipy does over the
  model's own network, so the floor is not inflated) are printed beside it,
* the ratio step / mat-vec against the float32 mat-vec (headline; target: median step
  <= 5x, every campaign window <= 7x, issue 16 §7) and the float64 one.

Part 2 (``--agent-sizes``, default 10k and 100k): the per-agent vs array speed of the same
consumer rules. The model is built with a Consumer subclass that overrides only the per-agent
methods (``offer_utilities`` and ``sharing_probability``, each just calling ``super()``), so
:class:`socialabm.decisions.Decisions` runs them agent by agent, exactly as for a modeler's
subclass. The array path is a ``Decisions(model)`` over the same model state with the per-agent
dispatch switched off (the class-level array forms, which the subclass inherits unchanged).
Both are timed over the same consumers after ``--warmup`` days (array path warm-up only);
results are checked to agree. At sizes above ``--per-agent-max`` the per-agent path is timed
on a random subset of that many consumers and extrapolated linearly per agent (it is a plain
Python loop, so its cost is linear in the number of agents); the array path always runs over
all N consumers. Target ratio >= 50x.

Usage::

    uv run python benchmarks/bench_scale.py
    uv run python benchmarks/bench_scale.py --size 200000 --steps 40 --agent-sizes 10000
    uv run python benchmarks/bench_scale.py --no-scale          # part 2 only
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from functools import partial
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from measure import build_and_step, rss_mb  # benchmarks/measure.py  # noqa: E402

ALL_ON = {
    "presale_mode": "experience",
    "starvation": True,
    "release_cap": 50,
    "disruption_prob": 0.02,
    "multi_sourcing": True,
    "presale_deadline": 7,
    "adaptation": True,
    "alliances": True,
    "integrate_social": True,
    "campaign_units": 3,
    "group_purchase": True,
    "weak_tie_reach": 0.5,
}
TARGET_RATIO_MATVEC = 5.0
"""Median step / float32 mat-vec, at most (issue 16 §7)."""
TARGET_RATIO_WINDOW = 7.0
"""Median step of every campaign window / float32 mat-vec, at most (issue 16 §7)."""
TARGET_BUILD_S = 10.0
"""Build time at 1M, seconds, at most (issue 16 §7)."""
TARGET_RSS_MB = 1536.0
"""Peak RSS at 1M (before the mat-vec's summed matrix), MB, at most (issue 16 §7)."""
TARGET_RATIO_AGENT = 50.0


def timeit(fn, repeats: int, cpu: bool = False):
    """Median wall time of ``fn()`` over ``repeats`` calls, seconds (and median CPU time)."""
    out, out_cpu = [], []
    for _ in range(repeats):
        c = time.process_time()
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
        out_cpu.append(time.process_time() - c)
    return (median(out), median(out_cpu)) if cpu else median(out)


# -- part 1: all mechanisms at scale (child process) -----------------------------------------
def scale_child(n: int, steps: int, skip: int, repeats: int, seed: int, params: dict) -> dict:
    import numpy as np

    model, res = build_and_step(n, steps, skip, seed, params)

    net = model.network
    t = time.perf_counter()
    matrix = (net.strong + net.weak).tocsr()
    sum_s = time.perf_counter() - t
    rng = np.random.default_rng(0)
    x64 = rng.random(n)
    x32 = x64.astype(np.float32)
    matrix @ x32  # warm caches
    mv32, mv32_cpu = timeit(lambda: matrix @ x32, repeats, cpu=True)
    mv64, mv64_cpu = timeit(lambda: matrix @ x64, repeats, cpu=True)
    return res | {
        "nnz": int(matrix.nnz),
        "matrix_dtype": str(matrix.dtype),
        "index_dtype": str(matrix.indices.dtype),
        "indptr_dtype": str(matrix.indptr.dtype),
        "canonical": bool(matrix.has_canonical_format),
        "sum_ms": 1000 * sum_s,
        "matvec32_ms": 1000 * mv32,
        "matvec64_ms": 1000 * mv64,
        "matvec32_cpu_ms": 1000 * mv32_cpu,
        "matvec64_cpu_ms": 1000 * mv64_cpu,
        "rss_peak_with_matvec_mb": rss_mb(),
    }


def run_scale(args, params: dict) -> None:
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        str(args.size),
        "--steps",
        str(args.steps),
        "--skip",
        str(args.skip),
        "--repeats",
        str(args.repeats),
        "--seed",
        str(args.seed),
        "--params",
        json.dumps(params),
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        raise RuntimeError(f"scale child failed:\n{out.stderr}")
    res = json.loads(out.stdout.strip().splitlines()[-1])
    step = res["step_ms_median"]
    print(f"\n[1] all mechanisms on, N = {res['n']:,} consumers, {res['nnz']:,} tie entries")
    ok = "OK  " if res["build_s"] <= TARGET_BUILD_S else "MISS"
    print(f"  build               {res['build_s']:9.2f} s   target <= {TARGET_BUILD_S:g} s  [{ok}]")
    ok = "OK  " if res["rss_peak_mb"] <= TARGET_RSS_MB else "MISS"
    print(
        f"  peak RSS            {res['rss_peak_mb']:9.0f} MB  (after imports "
        f"{res['rss_imports_mb']:.0f} MB, after build {res['rss_after_build_mb']:.0f} MB; "
        f"{res['rss_peak_with_matvec_mb']:.0f} MB once the summed matrix exists)"
        f"   target <= {TARGET_RSS_MB:g} MB  [{ok}]"
    )
    print(
        f"  step median         {step:9.2f} ms  (max {res['step_ms_max']:.2f}; "
        f"{res['steps'] - res['skip']} of {res['steps']} steps, first {res['skip']} skipped; "
        f"CPU time median {res['step_cpu_ms_median']:.2f} ms)"
    )
    mv32 = res["matvec32_ms"]
    for w, (k, ms, cpu_ms) in res["by_window_ms"].items():
        ratio = ms / mv32
        ok = "OK  " if ratio <= TARGET_RATIO_WINDOW else "MISS"
        print(
            f"    window {w:<11} {ms:9.2f} ms median over {k} steps (CPU {cpu_ms:.2f} ms)"
            f"  = {ratio:4.1f} x mat-vec f32 (CPU {cpu_ms / res['matvec32_cpu_ms']:.1f} x)"
            f"  target <= {TARGET_RATIO_WINDOW:g} x  [{ok}]"
        )
    print(f"  strong + weak sum   {res['sum_ms']:9.2f} ms  (once, not in the mat-vec)")
    canonical = "canonical" if res["canonical"] else "NOT canonical (floor inflated)"
    print(
        f"  summed matrix       {res['nnz']:,} entries, {canonical}: indices "
        f"{res['index_dtype']}, indptr {res['indptr_dtype']}, data {res['matrix_dtype']}"
    )
    print(
        f"  mat-vec A @ x f32   {mv32:9.2f} ms  (median of {args.repeats}; "
        f"CPU {res['matvec32_cpu_ms']:.2f} ms)"
    )
    print(
        f"  mat-vec A @ x f64   {res['matvec64_ms']:9.2f} ms  (CPU {res['matvec64_cpu_ms']:.2f} ms;"
        " scipy upcasts A's float32 data every call)"
    )
    for label, mv in (("f32", res["matvec32_ms"]), ("f64", res["matvec64_ms"])):
        ratio = step / mv
        ok = "OK  " if ratio <= TARGET_RATIO_MATVEC else "MISS"
        print(
            f"  step / mat-vec {label}  {ratio:9.1f} x   "
            f"target <= {TARGET_RATIO_MATVEC:g} x  [{ok}]"
        )
    cpu_ratio = res["step_cpu_ms_median"] / res["matvec32_cpu_ms"]
    print(f"  CPU-time ratio step / mat-vec f32: {cpu_ratio:.1f} x (less sensitive to other load)")
    worst_w, (_, worst, _) = max(res["by_window_ms"].items(), key=lambda kv: kv[1][1])
    ok = "OK  " if worst / mv32 <= TARGET_RATIO_WINDOW else "MISS"
    print(
        f"  worst window ({worst_w}) / mat-vec f32: {worst / mv32:.1f} x   "
        f"target <= {TARGET_RATIO_WINDOW:g} x  [{ok}]"
    )
    res["ratio_step_matvec32"] = step / res["matvec32_ms"]
    res["ratio_step_matvec64"] = step / res["matvec64_ms"]
    return res


# -- part 2: per-agent vs array decisions ----------------------------------------------------
def make_per_agent_class():
    from socialabm.agents import Consumer

    class PerAgentConsumer(Consumer):
        """Overrides only the per-agent methods (same formulas): the model runs them per agent."""

        def offer_utilities(self, wtp, prices, path_cost, waiting_days):
            return super().offer_utilities(wtp, prices, path_cost, waiting_days)

        def sharing_probability(self, scarcity):
            return super().sharing_probability(scarcity)

    return PerAgentConsumer


def agent_ratio(
    n: int, warmup: int, per_agent_max: int, repeats: int, seed: int, params: dict
) -> dict:
    import numpy as np

    from socialabm.decisions import Decisions
    from socialabm.model import SocialCommerceModel

    cls = make_per_agent_class()
    model = SocialCommerceModel(n_consumers=n, rng=seed, consumer_class=cls, **params)
    slow = model.decisions
    assert slow.per_agent == {"offer_utilities", "sharing_probability"}, slow.per_agent
    fast = Decisions(model)
    fast.per_agent = set()  # the inherited array forms
    model.decisions = fast  # warm up on the fast path (the per-agent one would take minutes)
    for _ in range(warmup):
        model.step()
    model.decisions = slow
    slow.agent(0)  # build the index -> agent list once, outside the timing

    rng = np.random.default_rng(seed)
    idx = np.arange(n)
    k = min(n, per_agent_max)
    sub = np.sort(rng.choice(n, size=k, replace=False)) if k < n else idx
    scarcity = rng.random(n)
    a, n_r = model.consumers.arrays, len(model.retailers)
    loyalty = np.where(a["fan_of"][:, None] == np.arange(n_r), a["loyalty"][:, None], 0.0)
    wtp = fast.willingness_to_pay(idx, a["belief"], loyalty)
    prices = np.broadcast_to(model.market.prices, wtp.shape)
    no_cost, now = np.zeros(wtp.shape), np.zeros(n)

    out = {"n": n, "per_agent_n": int(k), "day": model.day}
    rows = {
        "offer_utilities": (
            lambda d, *args: d.offer_utilities(*args),
            lambda i: (i, wtp[i], prices[i], no_cost[i], now[i]),
        ),
        "sharing_probability": (
            lambda d, i, s: d.sharing_probability(i, s),
            lambda i: (i, scarcity[i]),
        ),
    }
    for name, (call, make_args) in rows.items():
        full_args, sub_args = make_args(idx), make_args(sub)
        array_full = timeit(partial(call, fast, *full_args), repeats)
        array_sub = timeit(partial(call, fast, *sub_args), repeats)
        t = time.perf_counter()
        per_agent_values = call(slow, *sub_args)
        per_agent_sub = time.perf_counter() - t
        agree = bool(np.allclose(per_agent_values, call(fast, *sub_args)))
        per_agent_full = per_agent_sub * n / k
        out[name] = {
            "array_full_ms": 1000 * array_full,
            "array_sub_ms": 1000 * array_sub,
            "per_agent_sub_ms": 1000 * per_agent_sub,
            "per_agent_full_ms": 1000 * per_agent_full,
            "per_agent_us_per_agent": 1e6 * per_agent_sub / k,
            "array_ns_per_agent": 1e9 * array_full / n,
            "ratio": per_agent_full / array_full,
            "ratio_same_subset": per_agent_sub / array_sub,
            "agree": agree,
        }
    return out


def run_agents(args, params: dict) -> list[dict]:
    results = []
    print("\n[2] per-agent vs array decisions (same rules, same state, all mechanisms on)")
    for n in args.agent_sizes:
        res = agent_ratio(n, args.warmup, args.per_agent_max, args.agent_repeats, args.seed, params)
        k = res["per_agent_n"]
        how = "all agents" if k == n else f"{k:,} random agents, extrapolated x{n / k:g} per agent"
        print(f"  N = {n:,} (after {res['day']} days; per-agent path over {how})")
        for name in ("offer_utilities", "sharing_probability"):
            r = res[name]
            ok = "OK  " if r["ratio"] >= TARGET_RATIO_AGENT else "MISS"
            print(
                f"    {name:<20} array {r['array_full_ms']:9.2f} ms "
                f"({r['array_ns_per_agent']:.0f} ns/agent)   per-agent "
                f"{r['per_agent_full_ms']:10.1f} ms ({r['per_agent_us_per_agent']:.1f} us/agent)"
                f"   ratio {r['ratio']:8.0f} x  target >= {TARGET_RATIO_AGENT:g} x  [{ok}]"
                f"{'' if r['agree'] else '  RESULTS DIFFER'}"
            )
            if k < n:
                print(
                    f"    {'':<20} (same {k:,}-agent subset both ways: "
                    f"ratio {r['ratio_same_subset']:.0f} x)"
                )
        results.append(res)
    return results


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--size", type=int, default=1_000_000, help="consumers for part 1 (1M)")
    ap.add_argument(
        "--steps",
        type=int,
        default=40,
        help="days to run in part 1 (default 40: experience, presale, lead and "
        "the first selling days)",
    )
    ap.add_argument("--skip", type=int, default=3, help="first steps left out of the median")
    ap.add_argument("--repeats", type=int, default=20, help="mat-vec repeats (median)")
    ap.add_argument("--agent-sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument(
        "--per-agent-max",
        type=int,
        default=20_000,
        help="largest number of agents timed on the per-agent path (default 20000)",
    )
    ap.add_argument("--agent-repeats", type=int, default=5, help="array-path repeats (median)")
    ap.add_argument(
        "--warmup",
        type=int,
        default=30,
        help="days run before timing part 2 (default 30: into the selling window)",
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--params", default="{}", help="JSON dict of extra parameter overrides")
    ap.add_argument("--no-scale", action="store_true", help="skip part 1")
    ap.add_argument("--no-agents", action="store_true", help="skip part 2")
    ap.add_argument("--json", metavar="FILE", help="also write the results to FILE")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    params = {**ALL_ON, **json.loads(args.params)}

    if args.child is not None:
        res = scale_child(args.child, args.steps, args.skip, args.repeats, args.seed, params)
        print(json.dumps(res))
        return
    print(
        f"socialabm scale benchmark: {params}, seed {args.seed}, python "
        f"{sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
        f"{os.getloadavg()[0]:.2f}"
    )
    results: dict = {}
    if not args.no_scale:
        results["scale"] = run_scale(args, params)
        sys.stdout.flush()
    if not args.no_agents:
        results["agents"] = run_agents(args, params)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
