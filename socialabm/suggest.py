"""Suggestions for a mistyped name ("did you mean ...?"), one helper for every check of names.

Names are compared without regard to case. First come the names of which what was typed is a
whole part between underscores (``stars`` -> ``mean_stars``, ``cascade_single`` ->
``cascade_single_share``), then close spellings (:func:`difflib.get_close_matches`), then other
names that contain it, so a fragment of a long name finds it too.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["close_names", "did_you_mean", "unknown_key"]

MAX_SUGGESTIONS = 3
"""At most this many names are suggested."""
MIN_FRAGMENT = 3
"""A typed name this long or longer also finds the names that contain it."""


def close_names(name: str, known: Iterable[str], cutoff: float = 0.6) -> list[str]:
    """Up to :data:`MAX_SUGGESTIONS` names of ``known`` close to ``name``, closest first.

    Args:
        name: What was typed.
        known: The names it should have been one of.
        cutoff: Similarity (0-1, :class:`difflib.SequenceMatcher` ratio) a close spelling needs.
    """
    by_lower: dict[str, str] = {}
    for k in known:
        by_lower.setdefault(k.lower(), k)
    typed = name.strip().lower()
    fragment = len(typed) >= MIN_FRAGMENT
    parts = [k for k in by_lower if fragment and f"_{typed}_" in f"_{k}_"]
    close = difflib.get_close_matches(typed, list(by_lower), n=MAX_SUGGESTIONS, cutoff=cutoff)
    inside = sorted((k for k in by_lower if fragment and typed in k), key=len)
    found = list(dict.fromkeys([*sorted(parts, key=len), *close, *inside]))
    return [by_lower[k] for k in found[:MAX_SUGGESTIONS]]


def did_you_mean(name: str, known: Iterable[str], cutoff: float = 0.6) -> str:
    """``"; did you mean 'x' or 'y'?"`` naming the :func:`close_names` of ``name``, or ``""``."""
    close = close_names(name, known, cutoff)
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def unknown_key(data: Iterable[str], allowed: Iterable[str]) -> str:
    """``"unknown key 'x'; did you mean 'y'? (allowed: ...)"`` for the first key of ``data``
    that is not ``allowed``, or ``""`` when every key is allowed (the checks of spec files)."""
    names = sorted(allowed)
    for key in data:
        if key not in names:
            return f"unknown key {key!r}{did_you_mean(key, names)} (allowed: {', '.join(names)})"
    return ""
