"""Serve the classroom app with Solara's own server, offline.

:func:`serve` runs ``solara run socialabm.viz.app`` in this process with what a classroom needs:
loopback by default, production mode, no version check against the package index and no usage
telemetry (both would reach out to the internet), and assets from the ``solara-assets`` package
(never a CDN).
"""

from __future__ import annotations

import os
import sys
import warnings

APP_MODULE = "socialabm.viz.app"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765

#: Settings that keep Solara off the internet (set before ``solara.server`` is imported).
#: The assets "proxy" must stay on: it is what serves ``/_solara/cdn/...`` from the files that
#: ``solara-assets`` installs under ``<prefix>/share/solara/cdn``; turned off, the page would
#: point the browser at the public CDN instead.
OFFLINE_ENV = {
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    "SOLARA_ASSETS_PROXY": "True",
    # a closed tab's session (its model, about 12 MB at 500 consumers) is freed after an hour
    # instead of Solara's 24 h, so a server left running through a day of classes stays small
    "SOLARA_KERNEL_CULL_TIMEOUT": "1h",
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


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Serve the app on ``host:port`` until interrupted; prints the URL first."""
    os.environ.update(offline_environment())
    # plain http on a classroom network is expected; Solara warns about its cookie flag
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")
    print(f"socialabm classroom app: {url(host, port)}  (Ctrl+C to stop)", flush=True)
    from solara.__main__ import main

    sys.argv = ["solara", *solara_args(host, port)]
    main()
