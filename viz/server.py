"""Serve the classroom app with Solara's own server, offline.

:func:`serve` runs ``solara run socialabm.viz.app`` in this process with what a classroom needs:
loopback by default, production mode, no version check against the package index and no usage
telemetry (both would reach out to the internet), and assets from the ``solara-assets`` package
(never a CDN). It prints the app's URL once the server accepts connections, not before.
Static front-end files are gzipped once and then served from a cache (:mod:`.gzip_cache`).
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
import warnings
from typing import Any

APP_MODULE = "socialabm.viz.app"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765

RECONNECT_WINDOW = "30s"
"""How long a session whose browser vanished without closing the page waits for it to reconnect
(``SOLARA_KERNEL_CULL_TIMEOUT``; set it in the environment to change it)."""

#: Settings that keep Solara off the internet (set before ``solara.server`` is imported).
#: The assets "proxy" must stay on: it is what serves ``/_solara/cdn/...`` from the files that
#: ``solara-assets`` installs under ``<prefix>/share/solara/cdn``; turned off, the page would
#: point the browser at the public CDN instead.
OFFLINE_ENV = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "SOLARA_ASSETS_PROXY": "True",
    # A tab that closed is freed at once. One that vanished without closing (a laptop shut, a
    # network dropped) keeps its session this long to reconnect, then it is freed: Solara's
    # 24 h default kept every such session's model (about 11 MB at 500 consumers) all day.
    "SOLARA_KERNEL_CULL_TIMEOUT": RECONNECT_WINDOW,
}


def offline_environment(env: dict[str, str] | None = None) -> dict[str, str]:
    """``env`` (default: this process's) with :data:`OFFLINE_ENV` added where not set."""
    env = dict(os.environ if env is None else env)
    for key, value in OFFLINE_ENV.items():
        env.setdefault(key, value)
    return env


def url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def solara_args(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> list[str]:
    """Arguments of ``solara`` that serve the app (what :func:`serve` runs)."""
    return [
        "run",
        APP_MODULE,
        "--host",
        host,
        "--port",
        str(port),
        "--production",
        "--no-check-version",
        "--no-open",
    ]


def probe_address(host: str) -> str:
    """Where to knock to see whether a server bound to ``host`` listens (a wildcard address
    listens on loopback too)."""
    return {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)


def listening(host: str, port: int, timeout: float = 0.5) -> bool:
    """Whether something accepts connections on ``host:port`` now."""
    try:
        with socket.create_connection((probe_address(host), port), timeout=timeout):
            return True
    except OSError:
        return False


def announce_when_listening(
    host: str, port: int, every: float = 0.05, out: Any = None
) -> threading.Thread:
    """Print the app's URL as soon as ``host:port`` accepts connections (a daemon thread)."""

    def wait_and_print() -> None:
        while not listening(host, port):
            time.sleep(every)
        print(
            f"socialabm classroom app: {url(host, port)}  (Ctrl+C to stop)",
            file=out or sys.stdout,
            flush=True,
        )

    thread = threading.Thread(target=wait_and_print, name="announce-url", daemon=True)
    thread.start()
    return thread


class _WithoutEarlyUrl:
    """Solara's ``rich`` module minus its "Solara server is starting at <url>" line, printed
    before the server listens (opening that URL at once was refused)."""

    def __init__(self, rich: Any) -> None:
        self._rich = rich

    def print(self, *objects: Any, **kwargs: Any) -> None:
        if not (objects and str(objects[0]).startswith("Solara server is starting at")):
            self._rich.print(*objects, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._rich, name)


class _GzipOnce:
    """Solara's ``uvicorn`` module whose ``Config`` first puts the gzip cache
    (:func:`socialabm.viz.gzip_cache.install`) into Solara's Starlette app: at the moment
    uvicorn would import that app, once Solara has set up its environment (``SOLARA_APP``)."""

    def __init__(self, uvicorn: Any) -> None:
        self._uvicorn = uvicorn

    def Config(self, *args: Any, **kwargs: Any) -> Any:  # noqa: N802 - uvicorn's name
        import solara.server.starlette as solara_app
        from socialabm.viz.gzip_cache import install

        install(solara_app.app)
        return self._uvicorn.Config(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._uvicorn, name)


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Serve the app on ``host:port`` until interrupted; prints the URL once it listens."""
    os.environ.update(offline_environment())
    # plain http on a classroom network is expected; Solara warns about its cookie flag
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")
    print("socialabm classroom app: starting...", flush=True)
    import solara.__main__ as solara_main

    solara_main.rich = _WithoutEarlyUrl(solara_main.rich)
    solara_main.uvicorn = _GzipOnce(solara_main.uvicorn)
    announce_when_listening(host, port)
    sys.argv = ["solara", *solara_args(host, port)]
    solara_main.main()
