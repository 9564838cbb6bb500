"""Objects named by ``"module:name"`` strings (runners, reporters), imported with clear errors."""

from __future__ import annotations

import functools
import importlib
from typing import Any

__all__ = ["import_reference"]


def import_reference(ref: Any, what: str = "reference") -> Any:
    """Import the object that ``"module:name"`` names (``name`` may be dotted: ``"m:A.f"``).

    Args:
        ref: The ``"module:name"`` string.
        what: What the object is for, to start the error message (``"reporter"``).

    Raises:
        ValueError: not of the form ``module:name``, the module cannot be imported, or it has
            no such attribute; one line naming ``what``, the value and the problem.
    """
    if not isinstance(ref, str):
        raise ValueError(f"{what} {ref!r} is not a 'module:name' string")
    module_name, sep, attr = ref.partition(":")
    if not (sep and module_name and attr):
        raise ValueError(f"{what} {ref!r} is not of the form 'module:name'")
    try:
        module = importlib.import_module(module_name)
    except (ImportError, TypeError, ValueError) as err:  # TypeError: a relative name
        raise ValueError(
            f"{what} {ref!r}: module {module_name!r} cannot be imported ({err}); put its "
            "folder on PYTHONPATH"
        ) from None
    try:
        return functools.reduce(getattr, attr.split("."), module)
    except AttributeError:
        raise ValueError(f"{what} {ref!r}: module {module_name!r} has no {attr!r}") from None


def import_callable(ref: Any, what: str = "reference") -> Any:
    """:func:`import_reference` for a callable: a callable is returned as it is; a string is
    imported and must name a callable.

    Raises:
        ValueError: as :func:`import_reference`, or the object is not callable.
    """
    if callable(ref):
        return ref
    obj = import_reference(ref, what)
    if not callable(obj):
        raise ValueError(f"{what} {ref!r} names a {type(obj).__name__}, not a function")
    return obj


def reporter_names(refs: Any) -> dict[str, str]:
    """``["module:function", ...]`` -> ``{"function": "module:function", ...}``.

    The output name of a reporter is its function's name (the last part after ``:`` and ``.``).

    Raises:
        ValueError: not a list of strings, or two reporters with the same function name.
    """
    if isinstance(refs, str) or not all(isinstance(r, str) for r in refs):
        raise ValueError(f"reporters {refs!r} must be a list of 'module:function' strings")
    names: dict[str, str] = {}
    for ref in refs:
        name = ref.rpartition(":")[2].rpartition(".")[2].strip()
        if name in names:
            raise ValueError(
                f"reporters {names[name]!r} and {ref!r} both give an output named {name!r}; "
                "rename one of the functions"
            )
        names[name] = ref
    return names
