"""The bounded cache behind the app server's shared caches (``viz/lru.py``)."""

from __future__ import annotations

from socialabm.viz.lru import LRUCache


def test_the_cache_stays_in_budget_and_drops_the_least_recently_used():
    cache = LRUCache(250, size_of=len)
    for name in "abc":
        cache.put(name, bytes(100))
    assert len(cache) == 2 and cache.size == 200
    assert cache.get("a") is None  # the oldest went first
    cache.get("b")  # b used: c is now the least recent
    cache.put("d", bytes(100))
    assert cache.get("b") is not None and cache.get("c") is None
    cache.put("huge", bytes(251))
    assert cache.get("huge") is None and cache.size <= 250
    cache.put("b", bytes(50))  # replacing a value counts its new size only
    assert cache.size == 150
    cache.clear()
    assert len(cache) == 0 and cache.size == 0


def test_the_cache_counts_entries_by_default():
    cache = LRUCache(3)
    for i in range(5):
        cache.put(i, object())
    assert len(cache) == cache.size == 3
    assert [cache.get(i) is not None for i in range(5)] == [False, False, True, True, True]
