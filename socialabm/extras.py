"""Optional parts of socialabm and the message when one is missing.

``pip install socialabm`` installs the core: the model, its scenarios, the command line (``run``,
``compare``, ``params``, ``outputs``, ``scenarios``, ``validate``, ``claims``) and sweeps on a
local process pool. The extras (``[project.optional-dependencies]`` in ``pyproject.toml``) add
the rest, as Mesa and the scientific Python stack split theirs:

* ``app``: the classroom app, ``socialabm viz`` (Solara, its front end, matplotlib);
* ``distributed``: sweeps and claims on a Dask cluster (``--scheduler``, ``--dask-local``);
* ``analysis``: sampled sweep designs (``lhs``, ``sobol``, ``morris``) and their sensitivity
  indices (SALib), scenario discovery (``analyze --prim``, EMA Workbench), plots (matplotlib:
  ``analyze`` without ``--no-plots``, ``run --out``'s PNG).

``pip install "socialabm[app,distributed,analysis]"`` installs everything; in a checkout of the
repository, ``uv run`` does (the development group asks for every extra).

A command that needs an extra checks for it first (:func:`require`) and stops with one line
naming the extra and how to install it; the command line turns any other missing module of an
extra into the same line (:func:`explain`).
"""

from __future__ import annotations

import importlib.util

__all__ = ["EXTRAS", "MissingExtraError", "explain", "install_hint", "missing", "require"]

EXTRAS: dict[str, tuple[str, ...]] = {
    "app": ("solara", "solara_assets", "ipyvue", "ipyvuetify", "markdown", "matplotlib"),
    "distributed": ("dask", "distributed"),
    "analysis": ("SALib", "ema_workbench", "matplotlib"),
    "calibration": ("pyabc", "matplotlib"),
}
"""Each extra and the modules it brings (import names)."""


class MissingExtraError(ImportError):
    """A command needs an extra that is not installed; the message names it and how to get it."""


def install_hint(extra: str) -> str:
    """How to install ``extra``: ``pip install "socialabm[app]"``."""
    return f'pip install "socialabm[{extra}]"'


def missing(extra: str, modules: tuple[str, ...] | None = None) -> list[str]:
    """The modules of ``extra`` (or only ``modules`` of it) that cannot be imported."""
    wanted = EXTRAS[extra] if modules is None else modules
    return [m for m in wanted if importlib.util.find_spec(m) is None]


def require(extra: str, what: str, modules: tuple[str, ...] | None = None) -> None:
    """Stop ``what`` at once if ``extra`` (or only its ``modules``) is not installed.

    Args:
        extra: One of :data:`EXTRAS`.
        what: What needs it, for the message (``"socialabm viz"``, ``"--prim"``).
        modules: The modules of the extra that ``what`` uses (default: all of them).

    Raises:
        MissingExtraError: a module is missing (one line naming the extra).
    """
    absent = missing(extra, modules)
    if absent:
        raise MissingExtraError(
            f"{what} needs {', '.join(absent)}, from socialabm's {extra!r} extra: "
            f"{install_hint(extra)}",
            name=absent[0],
        )


def explain(err: ImportError, what: str) -> str | None:
    """The one-line message for a module of an extra that ``what`` could not import (``None``
    when the module belongs to no extra: then it is a bug, not an installation choice)."""
    name = (getattr(err, "name", None) or "").split(".")[0]
    extras = [e for e, modules in EXTRAS.items() if name in modules]
    if not extras:
        return None
    which = " or ".join(repr(e) for e in extras)
    return f"{what} needs {name}, from socialabm's {which} extra: {install_hint(extras[0])}"
