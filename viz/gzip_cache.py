"""Gzip each static front-end file once per server, not once per page load.

Solara's Starlette app compresses every response with Starlette's ``GZipMiddleware`` at level 9.
Its static front end is the same ~6 MB on every page load (``solara-vuetify-app8.min.js`` alone
is 3.5 MB), so a class of 30 opening the page paid about 0.24 s of server CPU each, 30 times,
for identical bytes. :class:`CachedGZipMiddleware` takes that middleware's place in Solara's app
(:func:`install`, called by :func:`socialabm.viz.server.serve`): a static file's response is
compressed by Starlette's own middleware the first time, with Solara's settings, and the
compressed response is then served from a bounded cache for as long as the file is unchanged
(Starlette's file responses carry an ``etag`` made from the file's modification time and size,
which is part of the cache key). Everything else (the page itself, the API, a ``Range`` request,
a client that does not accept gzip) goes through the original middleware untouched.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from socialabm.viz.lru import LRUCache
from starlette.middleware.gzip import GZipMiddleware

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

STATIC_PREFIXES = ("/_solara/cdn/", "/static/", "/jupyter/nbextensions/")
"""Where Solara mounts its static files (assets, the offline CDN copy, widget extensions)."""

MAX_BYTES = 32 * 2**20
"""Compressed bytes the cache holds at most (least recently served dropped first). The page
loads about 1.3 MB of compressed static files; the rest is headroom for other front ends."""


def gzip_cache(max_bytes: int = MAX_BYTES) -> LRUCache[tuple[list, bytes]]:
    """A cache of compressed responses, ``(headers, body)`` by (path, query, etag), holding at
    most ``max_bytes`` of bodies."""
    return LRUCache(max_bytes, size_of=lambda response: len(response[1]))


def _header(headers: list, name: bytes) -> bytes | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


class CachedGZipMiddleware:
    """Starlette's ``GZipMiddleware`` (same arguments) with static files compressed once.

    A GET of a path under :data:`STATIC_PREFIXES` from a client accepting gzip, without a
    ``Range`` header, is answered by the app into a buffer. A 200 with an ``etag`` and no
    encoding of its own is looked up by (path, query, etag): a hit sends the kept compressed
    response; a miss has Starlette's middleware compress the buffered body as one response and
    keeps what it sent. Anything else is replayed through Starlette's middleware as it came.
    """

    def __init__(
        self,
        app: ASGIApp,
        *args: Any,
        cache: LRUCache[tuple[list, bytes]] | None = None,
        **kwargs: Any,
    ) -> None:
        self.app = app
        self.gzip_args = (args, kwargs)
        self.gzip = GZipMiddleware(app, *args, **kwargs)
        self.cache = cache if cache is not None else gzip_cache()

    @staticmethod
    def cacheable(scope: Scope) -> bool:
        """Whether ``scope`` asks for a static file in gzip, whole."""
        if scope["type"] != "http" or scope.get("method") != "GET":
            return False
        if not scope.get("path", "").startswith(STATIC_PREFIXES):
            return False
        headers = dict(scope.get("headers", []))
        return b"gzip" in headers.get(b"accept-encoding", b"") and b"range" not in headers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.cacheable(scope):
            await self.gzip(scope, receive, send)
            return
        messages: list[Message] = []

        async def buffer(message: Message) -> None:
            messages.append(message)

        await self.app(scope, receive, buffer)
        start, bodies = messages[0], messages[1:]
        headers = list(start.get("headers", []))
        etag = _header(headers, b"etag")
        if start["status"] != 200 or etag is None or _header(headers, b"content-encoding"):
            await self._replay(messages, scope, receive, send)
            return
        key = (scope["path"], scope.get("query_string", b""), etag)
        kept = self.cache.get(key)
        if kept is not None:
            await send({"type": "http.response.start", "status": 200, "headers": list(kept[0])})
            await send({"type": "http.response.body", "body": kept[1]})
            return
        if not all(m["type"] == "http.response.body" for m in bodies):
            await self._replay(messages, scope, receive, send)
            return
        body = {"type": "http.response.body", "body": b"".join(m.get("body", b"") for m in bodies)}
        sent = await self._replay([start, body], scope, receive, send)
        out_headers = list(sent[0].get("headers", []))
        if _header(out_headers, b"content-encoding") == b"gzip" and len(sent) == 2:
            self.cache.put(key, (out_headers, sent[1].get("body", b"")))

    async def _replay(
        self, messages: list[Message], scope: Scope, receive: Receive, send: Send
    ) -> list[Message]:
        """Send ``messages`` (a response) through Starlette's gzip middleware; what it sent."""

        async def respond(_scope: Scope, _receive: Receive, inner_send: Send) -> None:
            for message in messages:
                await inner_send(message)

        sent: list[Message] = []

        async def forward(message: Message) -> None:
            sent.append(message)
            await send(message)

        args, kwargs = self.gzip_args
        await GZipMiddleware(respond, *args, **kwargs)(scope, receive, forward)
        return sent


def install(app: Any) -> int:
    """Put :class:`CachedGZipMiddleware` in place of every ``GZipMiddleware`` of the Starlette
    ``app`` (same arguments), before it serves its first request; how many were replaced.

    Raises:
        RuntimeError: ``app`` has served already (its middleware is built and fixed).
    """
    from starlette.middleware import Middleware

    if app.middleware_stack is not None:
        raise RuntimeError("install the gzip cache before the app serves its first request")
    replaced = 0
    for i, middleware in enumerate(app.user_middleware):
        if middleware.cls is GZipMiddleware:
            app.user_middleware[i] = Middleware(
                CachedGZipMiddleware, *middleware.args, **middleware.kwargs
            )
            replaced += 1
    return replaced
