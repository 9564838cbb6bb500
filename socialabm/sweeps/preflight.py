"""Checks of a sweep before its first run: the runner, the reporters and every output name.

The output names a sweep file may use (``[outputs] daily_columns``, ``[analysis] outputs``)
are what the runner produces, so they are read from one short test run of the first design
point, with the runner the sweep will use, its reporters and at most :data:`PROBE_CONSUMERS`
consumers (about 0.2 s for the model's whole default horizon). The test run is made only when
the spec names outputs or reporters.
"""

from __future__ import annotations

import inspect
import numbers
from collections.abc import Callable, Mapping
from typing import Any

from socialabm.output_catalog import unknown_output
from socialabm.parameters import ParameterError, validate
from socialabm.references import reporter_names
from socialabm.sweeps import store
from socialabm.sweeps.spec import SweepSpec, SweepSpecError
from socialabm.sweeps.worker import resolve_runner

__all__ = ["PROBE_CONSUMERS", "check_runner", "preflight", "probe_outputs"]

PROBE_CONSUMERS = 50
"""Consumers in the test run (fewer if the spec asks for fewer)."""


def check_runner(spec: SweepSpec, runner: str) -> Callable[..., Any]:
    """Import the runner; it must take ``reporters=`` if the spec names reporters.

    Raises:
        SweepSpecError: the runner cannot be imported, or cannot be given the reporters.
    """
    try:
        fn = resolve_runner(runner)
    except ValueError as err:
        raise SweepSpecError(str(err)) from None
    if spec.reporters:
        params = inspect.signature(fn).parameters.values()
        if not any(p.name == "reporters" or p.kind is p.VAR_KEYWORD for p in params):
            raise SweepSpecError(
                f"{spec.source} [outputs] reporters: the runner {runner!r} takes no "
                "'reporters' argument; use the default runner or add one (see "
                "socialabm.experiments.runner.run_model)"
            )
    return fn


def _probe_params(spec: SweepSpec, point: Mapping[str, Any]) -> dict[str, Any]:
    params = {**spec.overrides, **point}
    small = {**params, "n_consumers": PROBE_CONSUMERS}
    if validate(params)["n_consumers"] <= PROBE_CONSUMERS:
        return params
    try:
        validate(small)
    except ParameterError:  # e.g. more experience units than consumers: keep the real size
        return params
    return small


def probe_outputs(
    spec: SweepSpec, point: Mapping[str, Any], seed: int, runner: str
) -> tuple[list[str], list[str]]:
    """The daily columns and the numeric per-run outputs (named as in ``runs.parquet``) of one
    short test run of ``point``.

    Raises:
        SweepSpecError: the test run failed (its error is in the message).
    """
    fn = check_runner(spec, runner)
    params = _probe_params(spec, point)
    extra = {"reporters": reporter_names(spec.reporters)} if spec.reporters else {}
    try:
        result = fn(
            params, seed=seed, steps=spec.steps, collect_daily=spec.daily_columns is not None,
            collect_every=1, **extra,
        )  # fmt: skip
    except Exception as err:  # noqa: BLE001 - any failure of the test run is the user's to see
        raise SweepSpecError(
            f"{spec.source}: cannot check the output names: a test run of design point 0 "
            f"({params.get('n_consumers', 'default')} consumers, "
            f"{spec.steps or 'full horizon of'} days) failed: {type(err).__name__}: {err}"
        ) from None
    daily = [] if result.daily is None else [str(c) for c in result.daily.columns]
    numeric = [
        str(k)
        for k, v in result.summary.items()
        if isinstance(v, numbers.Real) and not isinstance(v, bool)
    ]
    renamed = store.output_columns(numeric, validate(params))
    return daily, [renamed.get(k, k) for k in numeric]


def _check_names(where: str, wanted: tuple[str, ...], known: list[str], what: str) -> None:
    for name in wanted:
        if name not in known:
            raise SweepSpecError(unknown_output(where, name, known, what))


def preflight(spec: SweepSpec, point: Mapping[str, Any], seed: int, runner: str) -> None:
    """Check the runner, the reporters and every output name the spec uses, before any run.

    Args:
        spec: The sweep.
        point: Its first design point (varied values).
        seed: The seed of that point's first run.
        runner: ``"module:function"`` the sweep runs.

    Raises:
        SweepSpecError: one clear line naming the key, the value and what is available.
    """
    check_runner(spec, runner)
    if not (spec.daily_columns or spec.analysis_outputs or spec.reporters):
        return
    daily, outputs = probe_outputs(spec, point, seed, runner)
    if spec.daily_columns:
        _check_names(
            f"{spec.source} [outputs] daily_columns",
            tuple(c for c in spec.daily_columns if c != "day"),
            [c for c in daily if c != "day"],
            "a daily column of the model",
        )
    if spec.analysis_outputs:
        _check_names(
            f"{spec.source} [analysis] outputs",
            spec.analysis_outputs,
            outputs,
            "a numeric per-run output of this sweep",
        )
