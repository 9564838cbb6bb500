"""Claims that survive ablation: the model's claims as data, run as paired experiments.

Each claim of the registry (``scenarios/claims.toml``) compares two arms that differ only in one
mechanism, over paired seeds, and repeats the comparison with the mechanism's causal pathway
switched off by parameters (the ablation) and, on request, with the code it runs through replaced
by a neutral one (the knock-out). A claim holds when its effect is significant in the expected
direction and the ablation removes at least half of it, significantly
(:mod:`socialabm.claims.evaluate`); a row that holds while its effect survives its knock-out is
flagged.

Python API::

    from socialabm.claims import load_registry, run_claims

    table = run_claims(["dignity_sharing"], seeds=range(20))   # one row per claim and output
    table = run_claims(knockout=True)                          # every claim at its own seeds

Command line: ``socialabm claims [ID ...] [--knockout] [--seeds N] [--set NAME=VALUE]
[--workers N]``; ``socialabm claims --list`` lists the claims.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from socialabm.claims.registry import Claim, ClaimError, Registry, load_registry

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Claim", "ClaimError", "Registry", "claim_seeds", "load_registry", "run_claims"]


def run_claims(
    ids: Sequence[str] | None = None,
    seeds: Sequence[int] | None = None,
    *,
    knockout: bool = False,
    first_seed: int = 0,
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
        seeds: Paired seeds of every claim (default: each claim's own number of seeds,
            ``claim.seeds``, from ``first_seed`` on).
        knockout: Also run each claim's knock-out (its code replaced by a neutral one).
        first_seed: First seed when each claim runs at its own number of seeds.
        overrides: Parameters set in every arm (may not touch a claim's mechanism or ablation).
        registry: A claims TOML file (default: the built-in registry).
        workers: Worker processes, as for sweeps (0: in this process; None: one per core).
        scheduler: A Dask scheduler address, as for sweeps (instead of a process pool).
        dask_local: Workers of a local Dask cluster started for the run, as for sweeps.
        progress: Show a progress bar on stderr.

    Raises:
        ClaimError: a malformed registry or claim, an unknown claim id, or a knock-out whose
            target arm B never calls.
    """
    from socialabm.claims.evaluate import evaluate
    from socialabm.claims.execute import run_arms

    reg = load_registry(registry, overrides, only=list(ids) if ids else None)
    claims = reg.select(list(ids or []))
    runs = run_arms(
        claims, claim_seeds(claims, seeds, first_seed), knockout=knockout, workers=workers,
        scheduler=scheduler, dask_local=dask_local, progress=progress,
    )  # fmt: skip
    return evaluate(claims, runs)


def claim_seeds(
    claims: Sequence[Claim], seeds: Sequence[int] | None = None, first_seed: int = 0
) -> dict[str, list[int]]:
    """The paired seeds of each claim: ``seeds`` for all, or each claim's own number of seeds
    from ``first_seed`` on."""
    if seeds is not None:
        return {c.id: list(seeds) for c in claims}
    return {c.id: list(range(first_seed, first_seed + c.seeds)) for c in claims}
