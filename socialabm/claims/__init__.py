"""Claims that survive ablation: the model's claims as data, run as paired experiments.

Each claim of the registry (``scenarios/claims.toml``) compares two arms that differ only in one
mechanism, over paired seeds, and repeats the comparison with the mechanism's causal pathway
switched off (the ablation). A claim holds when its effect is significant in the expected
direction and the ablation removes it (:mod:`socialabm.claims.evaluate`).

Python API::

    from socialabm.claims import load_registry, run_claims

    table = run_claims(["dignity_sharing"], seeds=range(20))   # one row per claim and output

Command line: ``socialabm claims [ID ...] [--seeds 20] [--set NAME=VALUE] [--workers N]``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from socialabm.claims.registry import Claim, ClaimError, Registry, load_registry

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Claim", "ClaimError", "Registry", "load_registry", "run_claims"]


def run_claims(
    ids: Sequence[str] | None = None,
    seeds: Sequence[int] | None = None,
    *,
    overrides: Mapping[str, Any] | None = None,
    registry: str | Path | None = None,
    workers: int | None = 0,
    scheduler: str | None = None,
    dask_local: int | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """Run claims and return their table (one row per claim and output, with verdicts).

    Args:
        ids: Claim ids to run (default: every claim of the registry).
        seeds: Paired seeds (default: ``range(registry seeds)``, 20 for the built-in claims).
        overrides: Parameters set in every arm (may not touch a claim's mechanism or ablation).
        registry: A claims TOML file (default: the built-in registry).
        workers: Worker processes, as for sweeps (0: in this process; None: one per core).
        scheduler: A Dask scheduler address, as for sweeps (instead of a process pool).
        dask_local: Workers of a local Dask cluster started for the run, as for sweeps.
        progress: Show a progress bar on stderr.

    Raises:
        ClaimError: a malformed registry or claim, or an unknown claim id.
    """
    from socialabm.claims.evaluate import evaluate
    from socialabm.claims.execute import run_arms

    reg = load_registry(registry, overrides)
    claims = reg.select(list(ids or []))
    seeds = list(range(reg.seeds)) if seeds is None else list(seeds)
    runs = run_arms(
        claims, seeds, workers=workers, scheduler=scheduler, dask_local=dask_local,
        progress=progress,
    )  # fmt: skip
    return evaluate(claims, runs)
