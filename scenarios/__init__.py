"""Built-in scenario files and their loader.

A scenario is a TOML parameter file, never code::

    name = "presale"
    title = "Presale: orders before production"
    explanation = "A short text for the classroom."

    [parameters]
    presale_mode = "presale"

:func:`load_scenario` takes a built-in name (``"social_commerce"``) or a path to a user's file and
returns a :class:`Scenario` whose parameters are validated against the model's declaration.

Each built-in scenario has a classroom worksheet (``worksheets/<name>.md``, package data):
:func:`worksheet` returns it as Markdown.

``[parameters]`` may also name agent classes as ``"module:Class"`` strings
(``consumer_class = "examples.debt_averse_consumer:DebtAverseConsumer"``; also ``retailer_class``,
``supplier_class``, ``platform_class``): they are imported and checked when the file is loaded
and passed to the model as given.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from socialabm.parameters import ParameterError, validate

__all__ = [
    "Scenario",
    "ScenarioError",
    "builtin_names",
    "list_scenarios",
    "load_scenario",
    "worksheet",
]


class ScenarioError(ValueError):
    """A scenario cannot be found, read or used; the message says which and why."""


@dataclass(frozen=True)
class Scenario:
    """A named set of parameter overrides with a classroom explanation.

    Attributes:
        name: Short identifier (``social_commerce``).
        title: One-line title.
        explanation: A few sentences for a classroom: what the scenario shows.
        parameters: Overrides of the model's defaults (validated names and values).
        compare_with: Name of the scenario this one is meant to be compared with, if any.
        source: Where it was read from.
    """

    name: str
    title: str
    explanation: str
    parameters: dict[str, Any] = field(default_factory=dict)
    compare_with: str | None = None
    source: str = ""

    def model_params(self, **overrides: Any) -> dict[str, Any]:
        """The scenario's parameters with ``overrides`` applied on top (not yet validated)."""
        return {**self.parameters, **overrides}


_ALLOWED_KEYS = {"name", "title", "explanation", "parameters", "compare_with"}


NOT_SCENARIOS = {"claims"}
"""TOML files of this folder that are not scenarios (``claims.toml`` is the claims registry)."""


def builtin_names() -> list[str]:
    """Names of the built-in scenarios, sorted."""
    folder = resources.files(__name__)
    names = (p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))
    return sorted(n for n in names if n not in NOT_SCENARIOS)


def list_scenarios() -> list[Scenario]:
    """Every built-in scenario, loaded."""
    return [load_scenario(name) for name in builtin_names()]


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load a built-in scenario by name or a user's scenario file by path.

    Raises:
        ScenarioError: unknown name (with close matches), unreadable file, invalid TOML, unknown
            keys, or parameters the model rejects.
    """
    text, source = _read(str(name_or_path))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError(f"scenario file {source}: not valid TOML ({err})") from None
    unknown = set(data) - _ALLOWED_KEYS
    if unknown:
        raise ScenarioError(
            f"scenario file {source}: unknown key(s) {sorted(unknown)}; allowed: "
            f"{sorted(_ALLOWED_KEYS)}"
        )
    params = data.get("parameters", {})
    if not isinstance(params, dict):
        raise ScenarioError(f"scenario file {source}: [parameters] must be a table")
    try:
        validate(params)
    except ParameterError as err:
        raise ScenarioError(f"scenario file {source}: {err}") from None
    stem = Path(source).stem
    return Scenario(
        name=str(data.get("name", stem)),
        title=str(data.get("title", stem)),
        explanation=str(data.get("explanation", "")).strip(),
        parameters=dict(params),
        compare_with=data.get("compare_with"),
        source=source,
    )


def worksheet(name: str) -> str:
    """The classroom worksheet of the built-in scenario ``name``, as Markdown.

    A worksheet says what to set, what to watch on the app's page, three questions with the
    observations a class should reach, and a comparison to run side by side. It is read from the
    package (``socialabm/scenarios/worksheets/<name>.md``), so it works offline.

    Raises:
        ScenarioError: ``name`` is not a built-in scenario (with close matches).
    """
    _check_builtin(name, f"no worksheet for {name!r}", "worksheets exist for the built-ins")
    resource = resources.files(__name__) / "worksheets" / f"{name}.md"
    return resource.read_text(encoding="utf-8")


def _check_builtin(name: str, problem: str, listed: str, alternative: str = "") -> None:
    """Raise ``ScenarioError`` (with close matches and the built-in names) unless ``name`` is a
    built-in scenario."""
    names = builtin_names()
    if name in names:
        return
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    tail = f"; {alternative}" if alternative else ""
    raise ScenarioError(f"{problem}{hint} ({listed}: {', '.join(names)}{tail})")


def _read(name_or_path: str) -> tuple[str, str]:
    looks_like_path = name_or_path.endswith(".toml") or "/" in name_or_path or "\\" in name_or_path
    if not looks_like_path:
        _check_builtin(
            name_or_path, f"unknown scenario {name_or_path!r}", "built-ins", "or a path to a .toml"
        )
        resource = resources.files(__name__) / f"{name_or_path}.toml"
        return resource.read_text(encoding="utf-8"), f"built-in:{name_or_path}"
    path = Path(name_or_path)
    try:
        return path.read_text(encoding="utf-8"), str(path)
    except FileNotFoundError:
        raise ScenarioError(f"scenario file {path} does not exist") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ScenarioError(f"scenario file {path} cannot be read: {err}") from None
