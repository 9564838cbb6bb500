"""The validation suite: every check by name, running them, and the pass/fail table."""

from __future__ import annotations

from collections.abc import Callable

from socialabm.validation.awareness import (
    check_awareness_glm_one_step,
    check_bass_curve,
    check_glm_takeoff,
    check_takeoff_time,
)
from socialabm.validation.cascades import check_cascades
from socialabm.validation.network import check_weak_tie_bridges
from socialabm.validation.result import CheckResult
from socialabm.validation.reviews import check_j_shaped_reviews
from socialabm.validation.stockouts import (
    check_stockout_realised,
    check_stockout_shares,
    shared_runs,
)
from socialabm.validation.supply_chain import check_nash_bargaining, check_newsvendor

CHECKS: list[tuple[str, Callable[..., CheckResult]]] = [
    ("awareness_glm_one_step", check_awareness_glm_one_step),
    ("bass_adoption_curve", check_bass_curve),
    ("bass_takeoff_time", check_takeoff_time),
    ("glm_takeoff_weak_vs_strong", check_glm_takeoff),
    ("weak_tie_bridges", check_weak_tie_bridges),
    ("newsvendor_optimal_order", check_newsvendor),
    ("nash_bargaining_split", check_nash_bargaining),
    ("j_shaped_reviews", check_j_shaped_reviews),
    ("stockout_response_shares", check_stockout_shares),
    ("stockout_realised_shares", check_stockout_realised),
    ("cascade_sizes", check_cascades),
]
"""Every check by name, in the order they run."""


def run_all(fast: bool = False, only: list[str] | None = None) -> list[CheckResult]:
    """Run every check (or those named in ``only``) and return their results in order. Checks
    judged on the same runs share them (the two stock-out checks: one set of runs).

    Args:
        fast: Smaller networks and fewer runs (a few seconds in all; docs/validation.md has the
            sizes).
        only: Names of :data:`CHECKS` to run; ``None`` runs them all.

    Raises:
        ValueError: an unknown check name.
    """
    known = [name for name, _ in CHECKS]
    for name in only or []:
        if name not in known:
            raise ValueError(f"unknown check {name!r}; allowed: {', '.join(known)}")
    with shared_runs():
        return [fn(fast=fast) for name, fn in CHECKS if not only or name in only]


def format_table(results: list[CheckResult], details: bool = True) -> str:
    """The results as a fixed-width pass/fail table (with detail lines when asked)."""
    width = max(len(r.name) for r in results) if results else 10
    head = f"{'check':<{width}}  {'measured':>11}  {'expected (tolerance)':<22}  result"
    lines = [head, "-" * len(head)]
    for r in results:
        verdict = "PASS" if r.passed else "FAIL"
        lines.append(f"{r.name:<{width}}  {r.measured:>11.4g}  {r.expected_text:<22}  {verdict}")
        if details:
            lines.append(f"{'':<{width}}    {r.what}")
            if r.detail:
                lines.append(f"{'':<{width}}    {r.detail}")
            lines.append(f"{'':<{width}}    source: {r.source.split(';')[0]}")
    failed = sum(not r.passed for r in results)
    lines.append(f"{len(results) - failed} passed, {failed} failed")
    return "\n".join(lines)
