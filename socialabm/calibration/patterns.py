"""Observed patterns: figures from publications, each a small TOML file with its citation.

A pattern file names the publication, where in it the figures are, how they were checked, and
one or more targets. A target names a run output (a summary output of the model, a pattern
statistic of :mod:`socialabm.calibration.statistics`, or a reporter of the calibration spec) and
what was observed, either as a point with its uncertainty or, for a qualitative finding, as an
interval::

    name = "stockout_responses"
    title = "What shoppers do at an empty shelf"
    citation = "Gruen, T. W., Corsten, D. S., & Bharadwaj, S. (2002). ..."
    location = "worldwide averages of consumer responses to out-of-stocks"
    checked = "how the figures were verified (or that they could not be)"

    [[targets]]
    output = "stockout_share_elsewhere"
    value = 0.383          # a point ...
    sd = 0.05              # ... and its uncertainty (a standard deviation, > 0)
    uncertainty = "where the sd comes from"

    rows = [["a product", 0.1, 0.2]]   # optional: source data the targets were derived from

    [[targets]]
    output = "j_five_lead"
    low = 0.0              # an interval: observed somewhere in [low, high]
    high = 1.0
    scale = 0.05           # distance outside the interval is measured in units of scale

The built-in patterns live in ``socialabm/scenarios/patterns/`` (package data); a spec names
them by file stem or gives a path. :func:`load_pattern` checks every key and value and raises
:class:`PatternError` naming the file, the key and what is allowed.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

__all__ = ["Pattern", "PatternError", "Target", "builtin_patterns", "load_pattern"]

_PATTERN_KEYS = {"name", "title", "citation", "location", "checked", "notes", "rows", "targets"}
_TARGET_KEYS = {"output", "value", "sd", "low", "high", "scale", "uncertainty"}


class PatternError(ValueError):
    """A pattern file is missing, unreadable or invalid; the message names file and key."""


@dataclass(frozen=True)
class Target:
    """One observed figure a run output is compared with.

    Attributes:
        output: Name of the run output compared.
        value: Observed point value (``None`` for an interval target).
        sd: Uncertainty of ``value`` as a standard deviation (> 0), in the output's unit.
        low: Lower end of an observed interval (``None`` for a point target).
        high: Upper end of an observed interval.
        scale: Unit of the distance outside the interval (> 0), in the output's unit.
        uncertainty: Where ``sd`` or the interval comes from.
        pattern: Name of the pattern the target belongs to.
    """

    output: str
    value: float | None = None
    sd: float | None = None
    low: float | None = None
    high: float | None = None
    scale: float | None = None
    uncertainty: str = ""
    pattern: str = ""

    @property
    def is_interval(self) -> bool:
        """Whether the observation is an interval rather than a point."""
        return self.value is None

    @property
    def centre(self) -> float:
        """The point value, or the interval's midpoint (what is stored as "observed")."""
        return self.value if self.value is not None else (self.low + self.high) / 2

    def discrepancy(self, simulated: float) -> float:
        """Standardised distance of a simulated value from the observation (>= 0).

        A point: ``|x - value| / sd``. An interval: 0 inside, else the distance to the nearer end
        over ``scale``. A simulated ``nan`` (the run gives the output no meaning) is ``inf``.
        """
        x = float(simulated)
        if math.isnan(x):
            return math.inf
        if self.value is not None:
            return abs(x - self.value) / self.sd
        return max(self.low - x, x - self.high, 0.0) / self.scale

    def describe(self) -> str:
        """The observation as text: ``0.383 ± 0.05`` or ``in [0, 1]``."""
        if self.value is not None:
            return f"{self.value:g} ± {self.sd:g}"
        return f"in [{self.low:g}, {self.high:g}]"


@dataclass(frozen=True)
class Pattern:
    """An observed pattern: targets from one publication.

    Attributes:
        name: Short identifier (the file stem of a built-in pattern).
        title: One line saying what was observed.
        citation: Full reference of the publication.
        location: Where in the publication the figures are (table, figure, page).
        checked: How the figures were verified, or that they could not be.
        notes: Anything else a reader must know (how values were derived...).
        targets: The observed figures.
        rows: Source data the targets were derived from, if the file keeps them.
        source: Where the file was read from.
    """

    name: str
    title: str
    citation: str
    location: str
    checked: str
    targets: tuple[Target, ...]
    notes: str = ""
    rows: tuple[tuple[Any, ...], ...] = ()
    source: str = ""


def _folder() -> Any:
    return resources.files("socialabm.scenarios") / "patterns"


def builtin_patterns() -> list[str]:
    """Names of the built-in patterns, sorted."""
    return sorted(p.name[:-5] for p in _folder().iterdir() if p.name.endswith(".toml"))


def _read(name_or_path: str | Path) -> tuple[str, str]:
    text = str(name_or_path)
    if text.endswith(".toml") or "/" in text or "\\" in text:
        path = Path(text)
        try:
            return path.read_text(encoding="utf-8"), str(path)
        except FileNotFoundError:
            raise PatternError(f"pattern file {path} does not exist") from None
        except (OSError, UnicodeDecodeError) as err:
            raise PatternError(f"pattern file {path} cannot be read: {err}") from None
    names = builtin_patterns()
    if text not in names:
        raise PatternError(
            f"unknown pattern {text!r}; built-in patterns: {', '.join(names)} "
            "(or give a path to a .toml file)"
        )
    return (_folder() / f"{text}.toml").read_text(encoding="utf-8"), f"built-in:{text}"


def _number(where: str, key: str, value: Any, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise PatternError(f"{where}: {key!r} = {value!r} must be a finite number")
    if positive and value <= 0:
        raise PatternError(f"{where}: {key!r} = {value!r} must be above 0")
    return float(value)


def _target(where: str, raw: Any, pattern: str) -> Target:
    if not isinstance(raw, dict):
        raise PatternError(f"{where}: each [[targets]] entry must be a table")
    unknown = sorted(set(raw) - _TARGET_KEYS)
    if unknown:
        raise PatternError(f"{where}: unknown key(s) {unknown}; allowed: {sorted(_TARGET_KEYS)}")
    output = raw.get("output")
    if not isinstance(output, str) or not output:
        raise PatternError(f"{where}: 'output' must name a run output")
    where = f"{where} (output {output!r})"
    note = str(raw.get("uncertainty", ""))
    if "value" in raw:
        if not {"low", "high", "scale"}.isdisjoint(raw):
            raise PatternError(f"{where}: give either value and sd, or low, high and scale")
        if "sd" not in raw:
            raise PatternError(f"{where}: a point 'value' needs its uncertainty 'sd' (> 0)")
        return Target(
            output, _number(where, "value", raw["value"]),
            _number(where, "sd", raw["sd"], positive=True), uncertainty=note, pattern=pattern,
        )  # fmt: skip
    if not {"low", "high", "scale"} <= set(raw):
        raise PatternError(
            f"{where}: give either value and sd (a point), or low, high and scale (an interval)"
        )
    low, high = _number(where, "low", raw["low"]), _number(where, "high", raw["high"])
    if low > high:
        raise PatternError(f"{where}: low = {low:g} must not be above high = {high:g}")
    scale = _number(where, "scale", raw["scale"], positive=True)
    return Target(output, low=low, high=high, scale=scale, uncertainty=note, pattern=pattern)


def load_pattern(name_or_path: str | Path) -> Pattern:
    """Load a built-in pattern by name or a pattern file by path, checked.

    Raises:
        PatternError: unknown name, unreadable or empty file, invalid TOML, unknown keys, a
            missing citation, no targets, or a target without a valid observation.
    """
    text, source = _read(name_or_path)
    if not text.strip():
        raise PatternError(f"pattern file {source} is empty; it needs a citation and [[targets]]")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise PatternError(f"pattern file {source}: not valid TOML ({err})") from None
    unknown = sorted(set(data) - _PATTERN_KEYS)
    if unknown:
        raise PatternError(
            f"pattern file {source}: unknown key(s) {unknown}; allowed: {sorted(_PATTERN_KEYS)}"
        )
    for key in ("citation", "location", "checked"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise PatternError(f"pattern file {source}: {key!r} is missing (a non-empty string)")
    name = str(data.get("name", Path(source.removeprefix("built-in:")).stem))
    raw = data.get("targets")
    if not isinstance(raw, list) or not raw:
        raise PatternError(f"pattern file {source}: no [[targets]]; give at least one")
    targets = tuple(_target(f"pattern file {source} target {i + 1}", t, name)
                    for i, t in enumerate(raw))  # fmt: skip
    outputs = [t.output for t in targets]
    if len(set(outputs)) != len(outputs):
        raise PatternError(f"pattern file {source}: an output appears twice in {outputs}")
    return Pattern(
        name=name, title=str(data.get("title", name)), citation=data["citation"].strip(),
        location=data["location"].strip(), checked=data["checked"].strip(), targets=targets,
        notes=str(data.get("notes", "")).strip(),
        rows=tuple(tuple(r) for r in data.get("rows", [])), source=source,
    )  # fmt: skip
