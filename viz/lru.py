"""A small thread-safe cache that drops its least recently used entries beyond a size budget.

The app server keeps two such caches shared by every session (each session renders in a thread
of Solara's): the gzipped static files (:mod:`.gzip_cache`) and the network pictures' static
backgrounds (:mod:`.network_view`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class LRUCache[V]:
    """Values by key, at most ``max_size`` in all, the least recently used dropped first.

    Args:
        max_size: Budget, in the units of ``size_of`` (> 0).
        size_of: Size of a value (default: 1 each, so ``max_size`` counts entries). A value
            larger than the whole budget is not kept.
    """

    def __init__(self, max_size: int, size_of: Callable[[V], int] = lambda _: 1) -> None:
        self.max_size = max_size
        self.size_of = size_of
        self.size = 0
        self._entries: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> V | None:
        """The value kept for ``key`` (now the most recently used), or ``None``."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key: Hashable, value: V) -> None:
        """Keep ``value`` under ``key``, dropping the least recently used to stay in budget."""
        size = self.size_of(value)
        if size > self.max_size:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.size -= old[1]
            while self._entries and self.size + size > self.max_size:
                _, (_, dropped) = self._entries.popitem(last=False)
                self.size -= dropped
            self._entries[key] = (value, size)
            self.size += size

    def clear(self) -> None:
        """Drop every entry."""
        with self._lock:
            self._entries.clear()
            self.size = 0
