"""Giving a closed session's memory back to the operating system.

A session's model, network picture and charts are freed by Python once its browser session
closes (:meth:`socialabm.viz.session.Session.close`). That alone does not shrink the server:
glibc's allocator keeps freed memory in its arenas (one per thread that allocated, and Solara
serves every session from threads of its own), so the server's resident memory only grew over a
day of classes. :func:`reclaim_soon` runs a garbage collection and glibc's ``malloc_trim`` a
moment after a session closes (once for a burst of closes), which returns those pages.
Elsewhere than glibc (macOS, musl) only the collection runs.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import threading

DELAY = 2.0
"""Seconds from a session's close to the reclaim: the closing kernel drops its last references
to the session in the meantime, and closes within that time are reclaimed together."""


@functools.cache
def _malloc_trim():
    """glibc's ``malloc_trim``, or ``None`` where the C library has none."""
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


def reclaim() -> bool:
    """Collect garbage, then hand the allocator's free memory back to the operating system;
    whether there was an allocator to ask (glibc)."""
    gc.collect()
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


_lock = threading.Lock()
_pending: threading.Timer | None = None


def _run() -> None:
    global _pending
    with _lock:
        _pending = None  # a close from now on asks for another reclaim
    reclaim()


def reclaim_soon(delay: float = DELAY) -> bool:
    """:func:`reclaim` in ``delay`` seconds, in a thread of its own, unless one is due already
    (which then reclaims this close's memory too); whether a new one was scheduled."""
    global _pending
    with _lock:
        if _pending is not None:
            return False
        _pending = threading.Timer(delay, _run)
        _pending.daemon = True
        _pending.name = "socialabm-reclaim"
        _pending.start()
        return True
