"""Measurements shared by the benchmark scripts: peak memory, a model built and stepped with
every step timed (wall and CPU time, grouped by campaign window), and a server process's memory
and CPU sampled from outside."""

from __future__ import annotations

import resource
import sys
import threading
import time
from collections import defaultdict
from statistics import median


def rss_mb() -> float:
    """Peak resident set size of this process so far, MB (ru_maxrss is KiB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024.0 if sys.platform != "darwin" else peak / 2**20


def build_and_step(n: int, steps: int, skip: int, seed: int, params: dict):
    """Build a model of ``n`` consumers, run ``steps`` days; return it and the figures.

    Step figures leave out the first ``skip`` days. ``by_window_ms`` maps each campaign window
    to ``[days, median wall ms, median CPU ms]``; memory figures are peak RSS in MB after the
    imports, after the build and after the steps.
    """
    from socialabm.model import SocialCommerceModel

    rss_imports = rss_mb()
    t0 = time.perf_counter()
    model = SocialCommerceModel(n_consumers=n, rng=seed, **params)
    build_s = time.perf_counter() - t0
    rss_build = rss_mb()
    cal = model.calendar
    times, cpu, windows = [], [], []
    for _ in range(steps):
        windows.append(cal.window(model.day % cal.campaign_days))
        c = time.process_time()
        t = time.perf_counter()
        model.step()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    by_window: dict[str, list[float]] = defaultdict(list)
    cpu_by_window: dict[str, list[float]] = defaultdict(list)
    for t, c, w in zip(times[skip:], cpu[skip:], windows[skip:], strict=True):
        by_window[w].append(t)
        cpu_by_window[w].append(c)
    timed = times[skip:]
    nan = float("nan")
    return model, {
        "n": n,
        "steps": steps,
        "skip": skip,
        "build_s": build_s,
        "step_ms_median": 1000 * median(timed) if timed else nan,
        "step_cpu_ms_median": 1000 * median(cpu[skip:]) if timed else nan,
        "step_ms_min": 1000 * min(timed) if timed else nan,
        "step_ms_max": 1000 * max(timed) if timed else nan,
        "by_window_ms": {
            w: [len(v), 1000 * median(v), 1000 * median(cpu_by_window[w])]
            for w, v in by_window.items()
        },
        "rss_imports_mb": rss_imports,
        "rss_after_build_mb": rss_build,
        "rss_peak_mb": rss_mb(),
    }


class ProcessSampler(threading.Thread):
    """Resident memory (now and peak, bytes) and CPU seconds of a process and its children,
    sampled every ``every`` seconds in a daemon thread until :attr:`stop` is set."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        import psutil

        super().__init__(daemon=True)
        self.proc = psutil.Process(pid)
        self.every = every
        self.now = 0
        self.peak = 0
        self.cpu = 0.0
        self.stop = threading.Event()

    def read(self) -> int:
        """The resident memory now (the last reading if the process cannot be read)."""
        import psutil

        try:
            procs = [self.proc, *self.proc.children(recursive=True)]
            self.now = sum(p.memory_info().rss for p in procs)
            self.cpu = sum(sum(p.cpu_times()[:2]) for p in procs)
        except psutil.Error:
            pass
        return self.now

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, self.read())
            self.stop.wait(self.every)
