"""The app in a subprocess and a headless chromium to look at it: for the browser tests and the
load benchmark (``tests/test_viz_browser.py``, ``benchmarks/bench_viz_load.py``).

:class:`AppServer` runs ``python -m socialabm.viz`` on a free 127.0.0.1 port in its own process
group and stops it by its process id (the whole group: SIGTERM, then SIGKILL). Only loopback.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from socialabm.viz.server import DEFAULT_HOST, url

CHROMIUM = Path(os.environ.get("SOCIALABM_CHROMIUM", "/usr/bin/chromium"))
"""Debian's chromium (``apt-get install -y chromium``); never ``playwright install``."""

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""Headless chromium in a container, with nothing of its own going to the network."""


def chromium_options() -> dict[str, Any]:
    """Keyword arguments of Playwright's ``chromium.launch`` (sync and async alike)."""
    return {"executable_path": str(CHROMIUM), "headless": True, "args": CHROMIUM_ARGS}


def free_port(host: str = DEFAULT_HOST) -> int:
    """A port nobody listens on at ``host`` right now."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class ServerNotServing(RuntimeError):
    """The app server exited or did not answer in time; the message ends with its log's tail."""


class AppServer:
    """``python -m socialabm.viz`` on a free 127.0.0.1 port, in its own process group.

    Its output goes to ``log`` (a path), else to an anonymous temporary file; either way the
    tail is in the :class:`ServerNotServing` raised by :meth:`wait`. As a context manager it is
    started on entry and stopped on exit; :meth:`wait` is separate, so a caller can watch the
    process while it comes up. ``args`` are more options of ``socialabm viz``::

        with AppServer(ARTIFACTS / "viz-server.log") as server:
            server.wait()
            ... server.url ...
    """

    def __init__(
        self, log: Path | None = None, host: str = DEFAULT_HOST, args: Sequence[str] = ()
    ) -> None:
        self.host = host
        self.args = list(args)
        self.port = free_port(host)
        self.url = url(host, self.port)
        self.log_path = log
        self.log: IO[bytes] | None = None
        self.proc: subprocess.Popen | None = None

    @property
    def pid(self) -> int:
        assert self.proc is not None, "not started"
        return self.proc.pid

    def start(self) -> AppServer:
        # closed by stop()
        self.log = open(self.log_path, "w+b") if self.log_path else tempfile.TemporaryFile()  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "socialabm.viz",
                "--host",
                self.host,
                "--port",
                str(self.port),
                *self.args,
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def log_tail(self, size: int = 2000) -> str:
        """The last ``size`` bytes the server wrote (read without moving the shared offset)."""
        if self.log is None:
            return ""
        fd = self.log.fileno()
        end = os.fstat(fd).st_size
        start = max(0, end - size)
        return os.pread(fd, end - start, start).decode(errors="replace")

    def wait(self, timeout: float = 90.0) -> str:
        """Poll until the page answers 200; return its URL.

        Raises:
            ServerNotServing: the process exited, or ``timeout`` seconds passed.
        """
        assert self.proc is not None, "not started"
        started = time.monotonic()
        while True:
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(self.url, timeout=2) as response,
            ):
                if response.status == 200:
                    return self.url
            if self.proc.poll() is not None:
                why = f"exited with code {self.proc.returncode}"
            elif time.monotonic() - started > timeout:
                why = f"did not answer within {timeout:g} s"
            else:
                time.sleep(0.05)  # a refused connection costs next to nothing
                continue
            raise ServerNotServing(f"the app server on {self.url} {why}:\n{self.log_tail()}")

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the whole process group: SIGTERM, then SIGKILL after ``timeout`` seconds."""
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=timeout)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=timeout)
        if self.log is not None:
            self.log.close()
            self.log = None

    def __enter__(self) -> AppServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


READY = (".viz-day", ".plot-network img", ".plot-sales img")
"""CSS selectors that are all present once the page has rendered its model."""


def watch_page(page: Any, url: str) -> list[str]:
    """Record what a Playwright page (sync or async API) does wrong, in the list returned.

    A request that leaves the server at ``url`` (no CDN), a failed request, a response with a
    status of 400 or more, and an uncaught script error each add a line.
    """
    problems: list[str] = []
    origin = url.split("?")[0].rstrip("/") + "/"  # the slash: port 8765 is not port 87650
    local = (origin, origin.replace("http://", "ws://", 1), "data:", "blob:")

    def on_request(request: Any) -> None:
        if not request.url.startswith(local):
            problems.append(f"request leaves the local server: {request.url}")

    def on_response(response: Any) -> None:
        if response.status >= 400:
            problems.append(f"HTTP {response.status}: {response.url}")

    page.on("request", on_request)
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url} {r.failure}"))
    page.on("response", on_response)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    return problems
