"""Server-side capacity of the classroom app: N sessions playing at once in one process, no browser.

Each session is a real :class:`socialabm.viz.session.Session` whose published pictures are
rendered by the page's own ``Live`` component (network, chart, day line, cards); the browser's
confirmation of each picture is given at once. So this measures what one server process can do
when the students' browsers run elsewhere: the days per second each run keeps, the pictures per
second each session gets, and the server's CPU. Not part of CI.

    uv run python benchmarks/bench_viz_capacity.py                  # 1, 10 and 30 sessions
    uv run python benchmarks/bench_viz_capacity.py --sessions 10 --speed 20 --consumers 5000
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time

import solara
from socialabm.viz import app
from socialabm.viz.limits import Limits
from socialabm.viz.links import read_link
from socialabm.viz.session import Session, scenario_names


def measure(sessions: int, speed: int, consumers: int, seconds: float) -> dict:
    solara.render(solara.Text("x"), handle_error=False)  # a kernel context for the sessions
    link = f"speed={speed}&n_consumers={consumers}&n_campaigns=12"
    limits = Limits(max_consumers=max(consumers, 5000))
    pictures = [0] * sessions
    played, renders = [], []
    for k in range(sessions):
        session = Session(read_link(link, scenario_names(), limits), limits)
        renders.append(solara.render(app.Live(session), handle_error=False)[1])

        def confirm(published, session=session, k=k):  # what the browser does when drawn
            pictures[k] += 1
            session.mark_drawn(published.seq)

        session.published.subscribe(confirm)
        played.append(session)
    cancel = threading.Event()
    threads = [threading.Thread(target=s.play_loop, args=(cancel,)) for s in played]
    start_days = [s.runner.day for s in played]
    for s in played:
        s.playing.set(True)
    cpu, wall = time.process_time(), time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    days = [s.runner.day - d for s, d in zip(played, start_days, strict=True)]
    cpu, wall = time.process_time() - cpu, time.monotonic() - wall
    cancel.set()
    for s in played:
        s.playing.set(False)
    for thread in threads:
        thread.join()
    for rc in renders:
        rc.close()
    return {
        "sessions": sessions,
        "requested_days_per_s": speed,
        "consumers": consumers,
        "run_days_per_s_min": round(min(days) / wall, 2),
        "run_days_per_s_median": round(statistics.median(days) / wall, 2),
        "pictures_per_s_per_session_median": round(statistics.median(pictures) / wall, 2),
        "pictures_per_s_total": round(sum(pictures) / wall, 1),
        "server_cpu_cores": round(cpu / wall, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 10, 30])
    parser.add_argument("--speed", type=int, default=5, help="days per second")
    parser.add_argument("--consumers", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=10.0, help="play time")
    args = parser.parse_args(argv)
    rows = [measure(n, args.speed, args.consumers, args.seconds) for n in args.sessions]
    print(json.dumps({"cores": os.cpu_count(), "load_average": os.getloadavg(), "rows": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
