"""Sweep specification: what to run, read from a TOML file or built in Python, validated.

A sweep file looks like this (every key but ``[vary]`` is optional)::

    name = "small_grid"
    description = "Jump friction against presale mode."
    scenario = "social_commerce"     # base scenario: built-in name or path to a .toml file
    design = "grid"                  # grid | lhs | sobol | morris
    replicates = 3                   # runs per design point, each with its own seed
    steps = 40                       # days per run (default: the model's whole horizon)
    seed = 20240501                  # root seed of the whole sweep
    seeds = "independent"            # or "common": replicate k of every point gets one seed
    samples = 16                     # lhs: points; sobol: base sample N (2^k); morris: trajectories
    levels = 4                       # morris only: grid levels per parameter
    second_order = false             # sobol only: also sample second-order indices

    [fixed]                          # overrides applied to every run
    n_consumers = 200

    [vary]                           # the varied parameters
    jump_friction = [0.1, 0.35, 0.6]                # a list: levels (grid), or discrete levels
    beta_weak = { low = 0.02, high = 0.12, num = 3 } # grid: num evenly spaced values
    deposit = { low = 0.1, high = 0.5 }             # sampled designs: a continuous range

    [outputs]
    daily = true                     # keep the daily series (the per-run summary is always kept)
    every = 5                        # keep every 5th day of it
    daily_columns = ["aware"]        # optional subset of the daily columns
    reporters = ["mymodule:cash_gini"]   # extra summary outputs: f(model) -> number

    [analysis]
    outputs = ["sales"]              # outputs for sensitivity indices, plots and the report

The Python API takes the same keys: ``SweepSpec(vary={...}, design="grid", replicates=3, ...)``.
Every name and value is checked against :data:`socialabm.parameters.PARAMETERS`; problems raise
:class:`SweepSpecError` (a ``ValueError``) with one clear line naming the key and the fix. Output
names (``daily_columns``, ``[analysis] outputs``) depend on the runner and are checked against a
short test run by :func:`socialabm.sweeps.preflight.preflight` before a sweep starts.

The agent-class keywords (``consumer_class`` ...) go in ``[fixed]`` or, as a list, in ``[vary]``
as ``"module:Class"`` strings; they are imported and checked when the spec is built, travel to
the workers as strings (each worker imports the module: it must be importable there too) and
appear in the per-run table as string columns::

    [vary]
    consumer_class = ["socialabm:Consumer", "examples.debt_averse_consumer:DebtAverseConsumer"]
"""

from __future__ import annotations

import hashlib
import json
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from socialabm.parameters import ClassParameter, Parameter, ParameterError, lookup
from socialabm.references import import_callable, reporter_names
from socialabm.suggest import did_you_mean, unknown_key

__all__ = ["DESIGNS", "SEEDS", "SweepSpec", "SweepSpecError", "Varied", "load_spec"]

DESIGNS = ("grid", "lhs", "sobol", "morris")
"""Supported experimental designs."""

SEEDS = ("independent", "common")
"""Seed schemes: every run its own seed, or replicate k of every point the same seed."""
LABELS = ("name", "description")
"""Keys of :meth:`SweepSpec.to_dict` that do not change any run (left out of the spec hash)."""

_TOP_KEYS = {
    "name", "description", "scenario", "design", "replicates", "steps", "seed", "seeds",
    "samples", "levels", "second_order", "fixed", "vary", "outputs", "analysis",
}  # fmt: skip
_OUTPUT_KEYS = {"daily", "every", "daily_columns", "reporters"}
_ANALYSIS_KEYS = {"outputs"}
_RANGE_KEYS = {"low", "high", "num"}


class SweepSpecError(ValueError):
    """A sweep specification is invalid; the message names the key, the value and the fix."""


@dataclass(frozen=True)
class Varied:
    """One varied parameter, normalised.

    Attributes:
        name: Parameter name (a key of :data:`~socialabm.parameters.PARAMETERS`, or an agent-class
            keyword of :data:`~socialabm.parameters.CLASS_PARAMETERS`).
        levels: Explicit values (grid levels, or discrete levels drawn uniformly by sampled
            designs); ``None`` for a continuous range.
        low: Lower end of a continuous range, in the parameter's unit; ``None`` with levels.
        high: Upper end of a continuous range, in the parameter's unit; ``None`` with levels.
    """

    name: str
    levels: tuple[Any, ...] | None = None
    low: float | None = None
    high: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (for the manifest)."""
        if self.levels is not None:
            return {"levels": list(self.levels)}
        return {"low": self.low, "high": self.high}


def _err(where: str, message: str) -> SweepSpecError:
    return SweepSpecError(f"{where}: {message}")


def _check_keys(where: str, data: Mapping[str, Any], allowed: set[str]) -> None:
    message = unknown_key(data, allowed)
    if message:
        raise _err(where, message)


def _param(name: str, where: str) -> Parameter | ClassParameter:
    try:
        return lookup(name)
    except ParameterError as err:
        raise _err(where, str(err)) from None


def _coerce(name: str, value: Any, where: str) -> Any:
    try:
        return _param(name, where).coerce(value)
    except ParameterError as err:
        raise _err(where, str(err)) from None


def _int(value: Any, key: str, low: int, where: str, allow_none: bool = False) -> int | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
        raise _err(where, f"{key!r} = {value!r} must be an integer >= {low}")
    return int(value)


def _normalise_varied(name: str, raw: Any, design: str, where: str) -> Varied:
    """Turn one ``[vary]`` entry into a :class:`Varied`, checking names, types and ranges."""
    here = f"{where} [vary] {name}"
    p = _param(name, here)
    if isinstance(raw, Varied):
        raw = raw.to_dict()
        raw = raw.get("levels", raw)
    if isinstance(raw, list | tuple):
        if not raw:
            raise _err(here, "an empty list; give at least one value")
        levels = tuple(_coerce(name, v, here) for v in raw)
        if len(set(levels)) != len(levels):
            raise _err(here, f"duplicate values in {list(raw)!r}")
        return Varied(name, levels=levels)
    if not isinstance(raw, Mapping):
        raise _err(
            here,
            f"{raw!r} is neither a list of values nor a range {{ low = ..., high = ... }}",
        )
    _check_keys(here, raw, _RANGE_KEYS)
    if p.type not in (int, float):
        raise _err(here, f"a range needs a numeric parameter; give a list ({p.allowed()})")
    if "low" not in raw or "high" not in raw:
        raise _err(here, "a range needs both 'low' and 'high'")
    low, high = _coerce(name, raw["low"], here), _coerce(name, raw["high"], here)
    if not low < high:
        raise _err(here, f"low = {low!r} must be below high = {high!r}")
    if "num" in raw:
        if design != "grid":
            raise _err(here, f"'num' is for grid designs; a {design} design samples the range")
        num = _int(raw["num"], "num", 2, here)
        values = np.linspace(low, high, num)
        if p.type is int:
            values = np.unique(np.round(values).astype(int))
        return Varied(name, levels=tuple(_coerce(name, v.item(), here) for v in values))
    if design == "grid":
        raise _err(
            here,
            "a grid needs values: give a list, or { low = ..., high = ..., num = ... }",
        )
    return Varied(name, low=low, high=high)


@dataclass(frozen=True)
class SweepSpec:
    """A validated sweep: base scenario, fixed overrides, varied parameters, design, outputs.

    Construct it with keyword arguments (the keys of a sweep file; ``[outputs]`` keys become
    ``daily``, ``collect_every``, ``daily_columns``, ``reporters`` and ``[analysis] outputs``
    becomes ``analysis_outputs``) or read a file with :func:`load_spec`. Invalid input raises
    :class:`SweepSpecError`.

    Attributes:
        vary: Varied parameters by name (normalised to :class:`Varied`).
        design: One of :data:`DESIGNS`.
        replicates: Runs per design point (>= 1), each with its own seed.
        steps: Days per run; ``None`` for the model's whole horizon.
        seed: Root seed (>= 0); run seeds derive from it, the point and the replicate.
        seeds: ``"independent"`` (every run its own seed) or ``"common"`` (common random
            numbers: replicate k of every point gets the same seed, so points differ only by
            their parameters).
        scenario: Base scenario (built-in name or path); ``None`` for the model defaults.
        fixed: Overrides applied to every run (validated, converted to the declared types).
        samples: lhs: design points; sobol: base sample size N (a power of 2, N * (D + 2)
            points); morris: trajectories (D + 1 points each). Unused by grids.
        levels: Morris grid levels per parameter (even, >= 2).
        second_order: Sobol: sample for second-order indices too (N * (2D + 2) points).
        daily: Keep each run's daily series.
        collect_every: Keep every k-th day of the daily series (days).
        daily_columns: Daily columns to keep (``None``: all).
        reporters: Extra summary outputs as ``"module:function"`` paths; each function takes
            the finished model and returns a number; its output is named after the function.
        analysis_outputs: Summary outputs for indices, plots and the report (``None``: chosen
            at analysis time).
        name: Short name of the sweep.
        description: Free text.
        base_parameters: The base scenario's parameters, resolved when the spec is built (so the
            spec hash changes when the scenario file does).
    """

    vary: Mapping[str, Any]
    design: str = "grid"
    replicates: int = 1
    steps: int | None = None
    seed: int = 0
    seeds: str = "independent"
    scenario: str | None = None
    fixed: Mapping[str, Any] = field(default_factory=dict)
    samples: int | None = None
    levels: int = 4
    second_order: bool = False
    daily: bool = False
    collect_every: int = 1
    daily_columns: tuple[str, ...] | None = None
    reporters: tuple[str, ...] = ()
    analysis_outputs: tuple[str, ...] | None = None
    name: str = "sweep"
    description: str = ""
    base_parameters: Mapping[str, Any] | None = None
    source: str = field(default="python", compare=False)

    def __post_init__(self) -> None:
        where = self.source
        set_ = object.__setattr__
        if self.design not in DESIGNS:
            raise _err(
                where,
                f"design {self.design!r} is not known{did_you_mean(str(self.design), DESIGNS)} "
                f"(allowed: {', '.join(DESIGNS)})",
            )
        set_(self, "replicates", _int(self.replicates, "replicates", 1, where))
        set_(self, "steps", _int(self.steps, "steps", 1, where, allow_none=True))
        set_(self, "seed", _int(self.seed, "seed", 0, where))
        set_(self, "levels", _int(self.levels, "levels", 2, where))
        set_(self, "collect_every", _int(self.collect_every, "every", 1, where))
        if not isinstance(self.daily, bool) or not isinstance(self.second_order, bool):
            raise _err(where, "'daily' and 'second_order' must be true or false")
        if not isinstance(self.name, str) or not isinstance(self.description, str):
            raise _err(where, "'name' and 'description' must be strings")
        if self.seeds not in SEEDS:
            raise _err(
                where,
                f"seeds = {self.seeds!r} is not known{did_you_mean(str(self.seeds), SEEDS)} "
                f"(allowed: {', '.join(map(repr, SEEDS))})",
            )
        set_(self, "reporters", self._check_reporters(where))
        for key in ("daily_columns", "analysis_outputs"):
            value = getattr(self, key)
            if value is not None:
                if isinstance(value, str) or not all(isinstance(v, str) for v in value):
                    raise _err(where, f"{key!r} must be a list of output names")
                set_(self, key, tuple(value))
        self._check_samples(where)
        set_(self, "base_parameters", self._resolve_base(where))
        if not isinstance(self.fixed, Mapping):
            raise _err(where, "[fixed] must be a table of parameter = value")
        set_(
            self, "fixed", {k: _coerce(k, v, f"{where} [fixed] {k}") for k, v in self.fixed.items()}
        )
        if not isinstance(self.vary, Mapping) or not self.vary:
            raise _err(where, "[vary] must name at least one parameter to vary")
        both = sorted(set(self.vary) & set(self.fixed))
        if both:
            raise _err(where, f"{both} appear in both [fixed] and [vary]; keep one")
        set_(
            self,
            "vary",
            {k: _normalise_varied(k, v, self.design, where) for k, v in self.vary.items()},
        )

    def _check_reporters(self, where: str) -> tuple[str, ...]:
        """Every reporter is a ``"module:function"`` path to a function, with distinct names."""
        here = f"{where} [outputs] reporters"
        try:
            names = reporter_names(self.reporters)
            for ref in names.values() if where != "manifest" else ():  # checked at the start
                import_callable(ref, "reporter")
        except ValueError as err:
            raise _err(here, str(err)) from None
        return tuple(names.values())

    def _check_samples(self, where: str) -> None:
        if self.design == "grid":
            if self.samples is not None:
                raise _err(where, "'samples' is for lhs, sobol and morris designs, not grid")
            return
        n = _int(self.samples, "samples", 1, where, allow_none=True)
        if n is None:
            raise _err(where, f"a {self.design} design needs 'samples' (see the sweep guide)")
        if self.design == "sobol" and n & (n - 1):
            below = 2 ** int(math.log2(n))
            raise _err(
                where,
                f"'samples' = {n}: a sobol design needs a power of 2 (e.g. {below} or {2 * below})",
            )
        if self.design == "morris" and self.levels % 2:
            raise _err(where, f"'levels' = {self.levels}: morris needs an even number")
        object.__setattr__(self, "samples", n)

    def _resolve_base(self, where: str) -> dict[str, Any]:
        if self.base_parameters is not None:
            return dict(self.base_parameters)
        if self.scenario is None:
            return {}
        from socialabm.scenarios import ScenarioError, load_scenario

        name = str(self.scenario)
        if self.source not in ("python", "manifest") and name.endswith(".toml"):
            candidate = Path(self.source).parent / name  # relative to the sweep file
            if not Path(name).is_absolute() and candidate.exists():
                name = str(candidate)
        try:
            return dict(load_scenario(name).parameters)
        except ScenarioError as err:
            raise _err(where, str(err)) from None

    # -- derived ---------------------------------------------------------------------------
    @property
    def overrides(self) -> dict[str, Any]:
        """Scenario parameters with the fixed overrides on top (common to every run)."""
        return {**self.base_parameters, **self.fixed}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready canonical form; the manifest stores it and the spec hash covers it."""
        return {
            "name": self.name,
            "description": self.description,
            "scenario": self.scenario,
            "base_parameters": dict(self.base_parameters),
            "design": self.design,
            "replicates": self.replicates,
            "steps": self.steps,
            "seed": self.seed,
            "seeds": self.seeds,
            "samples": self.samples,
            "levels": self.levels,
            "second_order": self.second_order,
            "fixed": dict(self.fixed),
            "vary": {k: v.to_dict() for k, v in self.vary.items()},
            "daily": self.daily,
            "collect_every": self.collect_every,
            "daily_columns": None if self.daily_columns is None else list(self.daily_columns),
            "reporters": list(self.reporters),
            "analysis_outputs": (
                None if self.analysis_outputs is None else list(self.analysis_outputs)
            ),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "manifest") -> SweepSpec:
        """Rebuild a spec from :meth:`to_dict` output."""
        data = dict(data)
        vary = {k: v.get("levels", v) for k, v in data.pop("vary").items()}
        return cls(vary=vary, source=source, **data)

    def spec_hash(self) -> str:
        """SHA-256 of the canonical form without the labels (:data:`LABELS`): equal iff the
        sweep would produce the same runs, whatever its name (by default its file's name)."""
        canonical = {k: v for k, v in self.to_dict().items() if k not in LABELS}
        text = json.dumps(canonical, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()


def spec_from_mapping(data: Mapping[str, Any], source: str = "python") -> SweepSpec:
    """Build a spec from the nested mapping of a sweep file (sections as sub-tables)."""
    _check_keys(source, data, _TOP_KEYS)
    data = dict(data)
    outputs = data.pop("outputs", {}) or {}
    analysis = data.pop("analysis", {}) or {}
    if not isinstance(outputs, Mapping) or not isinstance(analysis, Mapping):
        raise _err(source, "[outputs] and [analysis] must be tables")
    _check_keys(f"{source} [outputs]", outputs, _OUTPUT_KEYS)
    _check_keys(f"{source} [analysis]", analysis, _ANALYSIS_KEYS)
    if "vary" not in data:
        raise _err(source, "missing [vary]: name at least one parameter to vary")
    return SweepSpec(
        **data,
        daily=outputs.get("daily", False),
        collect_every=outputs.get("every", 1),
        daily_columns=outputs.get("daily_columns"),
        reporters=outputs.get("reporters", ()),
        analysis_outputs=analysis.get("outputs"),
        source=source,
    )


def load_spec(path: str | Path) -> SweepSpec:
    """Read and validate a TOML sweep file.

    Raises:
        SweepSpecError: missing or unreadable file, invalid TOML, unknown keys or parameter
            names (with suggestions), values of the wrong type or out of the declared range.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SweepSpecError(f"sweep file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as err:
        raise SweepSpecError(f"sweep file {path} cannot be read: {err}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise SweepSpecError(f"{path}: not valid TOML ({err})") from None
    data.setdefault("name", path.stem)
    return spec_from_mapping(data, source=str(path))
