"""The app server's gzip cache (``viz/gzip_cache.py``): static files compressed once, the same
bytes served after, a changed file never served stale, bounded, and Solara's app wired to it."""

from __future__ import annotations

import asyncio
import gzip
import os

import pytest
from socialabm.viz.gzip_cache import CachedGZipMiddleware, install
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware, GZipResponder
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

SCRIPT = b"function f(x) { return x + 1; }\n" * 4000  # 132 KB, compresses well


def request(app, path: str, accept: str = "gzip, deflate", method: str = "GET", **headers):
    """(status, headers as a dict, body) of one request through the ASGI ``app``."""
    raw = [(b"accept-encoding", accept.encode())] if accept else []
    raw += [(k.encode(), v.encode()) for k, v in headers.items()]
    path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": raw,
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 1234),
    }
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body


def page(_request):
    from starlette.responses import HTMLResponse

    return HTMLResponse("<html>" + "x" * 5000 + "</html>")


@pytest.fixture
def served(tmp_path):
    """A Starlette app like Solara's (static files under /static, gzip at level 9 above 1000
    bytes) with the cache installed; the file ``app.js`` in it."""
    (tmp_path / "app.js").write_bytes(SCRIPT)
    app = Starlette(
        routes=[Route("/", page), Mount("/static", app=StaticFiles(directory=tmp_path))],
        middleware=[Middleware(GZipMiddleware, minimum_size=1000)],
    )
    assert install(app) == 1
    return app, tmp_path


@pytest.fixture
def compressions(monkeypatch):
    """How many bodies Starlette's gzip middleware has compressed."""
    calls = []
    original = GZipResponder._compress_body

    def counted(self, body, more_body):
        calls.append(len(body))
        return original(self, body, more_body)

    monkeypatch.setattr(GZipResponder, "_compress_body", counted)
    return calls


def test_a_static_file_is_compressed_once_and_the_same_bytes_served_again(served, compressions):
    app, _ = served
    status, headers, first = request(app, "/static/app.js")
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert gzip.decompress(first) == SCRIPT
    assert len(compressions) == 1
    for _ in range(3):
        status, again_headers, again = request(app, "/static/app.js")
        assert status == 200 and again == first and again_headers == headers
    assert len(compressions) == 1  # served from the cache, not compressed again


def test_a_changed_file_is_never_served_stale(served, compressions):
    app, folder = served
    request(app, "/static/app.js")
    changed = SCRIPT.replace(b"x + 1", b"x + 2") + b"// changed\n"
    (folder / "app.js").write_bytes(changed)
    stat = (folder / "app.js").stat()
    os.utime(folder / "app.js", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    _, _, body = request(app, "/static/app.js")
    assert gzip.decompress(body) == changed
    assert len(compressions) == 2


def test_what_is_not_a_whole_static_file_in_gzip_passes_through(served, compressions):
    app, _ = served
    status, headers, body = request(app, "/static/app.js", accept="")
    assert status == 200 and "content-encoding" not in headers and body == SCRIPT
    status, _, body = request(app, "/static/app.js", range="bytes=0-9")
    assert status == 206 and body == SCRIPT[:10]
    _, headers, body = request(app, "/")  # the page itself: gzipped anew every time
    _, _, again = request(app, "/")
    assert headers["content-encoding"] == "gzip" and gzip.decompress(body).startswith(b"<html>")
    assert len(compressions) == 2
    status, _, _ = request(app, "/static/missing.js")
    assert status == 404


# Solara's server module imports uvicorn's websockets support, which warns about itself
@pytest.mark.filterwarnings("ignore:websockets.legacy is deprecated:DeprecationWarning")
def test_solaras_app_gets_the_cache_in_place_of_its_gzip_with_its_settings():
    import solara.server.starlette as solara_app

    gzips = [m for m in solara_app.app.user_middleware if m.cls is GZipMiddleware]
    assert len(gzips) == 1, "Solara's app no longer has one GZipMiddleware: check install()"
    app = Starlette(middleware=list(solara_app.app.user_middleware))
    assert install(app) == 1
    cached = [m for m in app.user_middleware if m.cls is CachedGZipMiddleware]
    assert cached[0].kwargs == gzips[0].kwargs
    assert not any(m.cls is GZipMiddleware for m in app.user_middleware)


def test_installing_after_the_app_has_served_is_refused(served):
    app, _ = served
    request(app, "/static/app.js")
    with pytest.raises(RuntimeError, match="before the app serves"):
        install(app)


def test_serve_installs_the_cache_when_solara_hands_its_app_to_uvicorn(monkeypatch):
    import solara.server.starlette as solara_app
    from socialabm.viz import gzip_cache, server

    installed = []
    monkeypatch.setattr(gzip_cache, "install", installed.append)

    class FakeUvicorn:
        @staticmethod
        def Config(**kwargs):  # noqa: N802 - uvicorn's name
            return ("config", kwargs)

        version = "x"

    wrapped = server._GzipOnce(FakeUvicorn)
    assert wrapped.Config(app="solara.server.starlette:app") == (
        "config",
        {"app": "solara.server.starlette:app"},
    )
    assert installed == [solara_app.app] and wrapped.version == "x"
