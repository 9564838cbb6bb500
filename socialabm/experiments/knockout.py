"""Knock-outs: run a model with a function of its code replaced by a neutral one.

A claim is evidence for its mechanism only if deleting the mechanism's code makes its effect
vanish. A **knock-out** names the function(s) a mechanism runs through and a **neutral**
replacement for each, as ``{"module:function": "neutral"}`` (``"module:Class.method"`` for a
method). The neutrals:

* ``"noop"`` -- the code does not run; the call returns ``None`` (a phase that changes state);
* ``"zero"`` -- the code runs and its result is replaced by its zero: ``0``, ``0.0`` or
  ``False``, an array of zeros (``False``) of the same shape and dtype, an empty list, tuple,
  set or dict (a probability 0, nobody chosen, nothing found);
* ``"zero(name, ...)"`` -- the code runs with the named arguments set to zero (same shape and
  dtype): the term they feed drops out of a formula;
* ``"identity"`` -- the code does not run; the call returns its first argument (after ``self``
  or ``cls`` for a method) unchanged; ``"identity(name)"`` returns the named argument (a state
  update that updates nothing);
* ``"module:function"`` -- a replacement of your own, called with the target's arguments.

Name the function **where the code looks it up**: ``socialabm.rules.consumer:share_probability``
is called as ``rules.share_probability(...)`` and so can be knocked out there, but a function that
a module imported by name (``from x import f``) must be named in that module (``"m:f"``). A
knock-out of a name nobody calls is caught: :func:`knocked_out` counts the calls that reached the
neutral, and the claims refuse a knock-out whose target arm B never called.

The replacement holds only in the thread that entered :func:`knocked_out` and only for the
``with`` block: the target is swapped for a dispatcher that sends the calls of that thread to the
neutral and every other call to the original, and the original is put back when the last user
leaves. So knocked-out and normal runs can share a process (a Dask worker with several threads)
without one leaking into the other. :func:`~socialabm.experiments.runner.run_model` applies a
knock-out around one run (``knockout=``), inside whatever process runs it.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from socialabm.references import import_callable, import_reference

__all__ = [
    "NEUTRALS",
    "Neutral",
    "Target",
    "build",
    "counting_calls",
    "knocked_out",
    "parse_neutral",
    "resolve",
    "zero_like",
]

NEUTRALS = ("noop", "zero", "zero(name, ...)", "identity", "identity(name)", "module:function")
"""The forms a neutral replacement may take (see the module docstring)."""

_ARGS = re.compile(r"^(zero|identity)\(\s*([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*\)$")

Hook = Callable[[Callable[..., Any], tuple, dict], Any]
"""What runs instead of a target: ``hook(original, args, kwargs)``."""


@dataclass(frozen=True)
class Target:
    """A function found by its ``"module:name"`` path, and how to swap it.

    Attributes:
        ref: The ``"module:name"`` path.
        owner: The module or class that holds the name.
        name: The attribute name.
        func: The plain function (unwrapped from ``classmethod``/``staticmethod``).
        kind: ``"function"``, ``"method"``, ``"classmethod"`` or ``"staticmethod"``.
    """

    ref: str
    owner: Any
    name: str
    func: Callable[..., Any]
    kind: str

    @property
    def skips(self) -> int:
        """Leading arguments that are not the call's data (``self`` or ``cls``)."""
        return 1 if self.kind in ("method", "classmethod") else 0


def resolve(ref: str) -> Target:
    """The function ``ref`` (``"module:function"`` or ``"module:Class.method"``) names.

    Raises:
        ValueError: not importable, not found, or not a function (one line naming ``ref``).
    """
    import_reference(ref, "knock-out target")  # one clear line if it cannot be found
    module_name, _, attr = ref.partition(":")
    *path, name = attr.split(".")
    owner = functools.reduce(getattr, path, importlib.import_module(module_name))
    try:
        raw = inspect.getattr_static(owner, name)
    except AttributeError:
        raise ValueError(f"knock-out target {ref!r}: {owner!r} has no {name!r}") from None
    if isinstance(raw, classmethod | staticmethod):
        kind, func = type(raw).__name__, raw.__func__
    elif inspect.isfunction(raw):
        kind, func = ("method" if inspect.isclass(owner) else "function"), raw
    else:
        raise ValueError(
            f"knock-out target {ref!r} is a {type(raw).__name__}, not a function or method"
        )
    return Target(ref, owner, name, func, kind)


@dataclass(frozen=True)
class Neutral:
    """A parsed neutral replacement (see the module docstring).

    Attributes:
        spec: The text it was parsed from.
        kind: ``"noop"``, ``"zero"``, ``"identity"`` or ``"custom"``.
        args: Arguments named in ``zero(...)`` or ``identity(...)``.
    """

    spec: str
    kind: str
    args: tuple[str, ...] = ()

    def hook(self, target: Target) -> Hook:
        """What runs instead of ``target`` (checked against its signature).

        Raises:
            ValueError: an argument the target does not take, or a custom replacement that
                cannot be imported.
        """
        signature = inspect.signature(target.func)
        unknown = [a for a in self.args if a not in signature.parameters]
        if unknown:
            raise ValueError(
                f"knock-out {target.ref!r} = {self.spec!r}: {target.ref} takes no argument "
                f"{unknown[0]!r}; its arguments: {', '.join(signature.parameters)}"
            )
        if self.kind == "noop":
            return lambda original, args, kwargs: None
        if self.kind == "zero" and not self.args:
            return lambda original, args, kwargs: zero_like(original(*args, **kwargs))
        if self.kind == "zero":
            return functools.partial(_call_with_zeros, signature, self.args)
        if self.kind == "identity":
            names = list(signature.parameters)[target.skips :]
            if not (self.args or names):
                raise ValueError(f"knock-out {target.ref!r} = 'identity': it takes no argument")
            name = self.args[0] if self.args else names[0]
            return functools.partial(_argument, signature, name)
        replacement = import_callable(self.spec, "knock-out replacement")
        return lambda original, args, kwargs: replacement(*args, **kwargs)


def parse_neutral(spec: Any) -> Neutral:
    """Parse a neutral replacement (see :data:`NEUTRALS`).

    Raises:
        ValueError: not one of the allowed forms (the message lists them).
    """
    if isinstance(spec, str):
        text = spec.strip()
        if text in ("noop", "zero", "identity"):
            return Neutral(text, text)
        match = _ARGS.match(text)
        if match:
            args = tuple(a.strip() for a in match.group(2).split(","))
            if match.group(1) == "identity" and len(args) != 1:
                raise ValueError(f"neutral {spec!r}: identity(...) names exactly one argument")
            return Neutral(text, match.group(1), args)
        if re.fullmatch(r"[\w.]+:[\w.]+", text):
            return Neutral(text, "custom")
    raise ValueError(f"neutral {spec!r}: allowed: {', '.join(NEUTRALS)}")


def zero_like(value: Any) -> Any:
    """The zero of ``value``: 0 / 0.0 / False, zeros of an array's shape and dtype, an empty
    list, tuple, set or dict, ``None`` for ``None``.

    Raises:
        TypeError: a value with no obvious zero.
    """
    if value is None:
        return None
    if isinstance(value, np.ndarray | np.generic):
        return np.zeros_like(value)
    if isinstance(value, bool | int | float):
        return type(value)(0)
    if isinstance(value, list | tuple | set | dict):
        return type(value)()
    raise TypeError(f"no zero for a {type(value).__name__} result; use another neutral")


def _call_with_zeros(
    signature: inspect.Signature,
    names: tuple[str, ...],
    original: Callable,
    args: tuple,
    kwargs: dict,
) -> Any:
    bound = signature.bind(*args, **kwargs)
    bound.apply_defaults()
    for name in names:
        bound.arguments[name] = zero_like(bound.arguments[name])
    return original(*bound.args, **bound.kwargs)


def _argument(
    signature: inspect.Signature, name: str, original: Callable, args: tuple, kwargs: dict
) -> Any:
    bound = signature.bind(*args, **kwargs)
    bound.apply_defaults()
    return bound.arguments[name]


# -- swapping a target for a dispatcher, per thread ----------------------------------------------
_LOCK = threading.Lock()
_LOCAL = threading.local()


@dataclass
class _Installed:
    target: Target
    raw: Any  # what the owner held (put back at the end)
    own: bool  # whether the owner held it itself (else it was inherited)
    users: int = 0


_INSTALLED: dict[str, _Installed] = {}


def _hooks() -> dict[str, tuple[Hook, list[int]]]:
    """This thread's active hooks: target path -> (hook, [calls])."""
    if not hasattr(_LOCAL, "hooks"):
        _LOCAL.hooks = {}
    return _LOCAL.hooks


def _dispatcher(target: Target) -> Any:
    original = target.func

    @functools.wraps(original)
    def dispatch(*args: Any, **kwargs: Any) -> Any:
        active = _hooks().get(target.ref)
        if active is None:
            return original(*args, **kwargs)
        hook, calls = active
        calls[0] += 1
        return hook(original, args, kwargs)

    if target.kind == "classmethod":
        return classmethod(dispatch)
    if target.kind == "staticmethod":
        return staticmethod(dispatch)
    return dispatch


def _install(target: Target) -> None:
    with _LOCK:
        entry = _INSTALLED.get(target.ref)
        if entry is None:
            own = target.name in vars(target.owner)
            raw = inspect.getattr_static(target.owner, target.name)
            entry = _INSTALLED[target.ref] = _Installed(target, raw, own)
            setattr(target.owner, target.name, _dispatcher(target))
        entry.users += 1


def _uninstall(ref: str) -> None:
    with _LOCK:
        entry = _INSTALLED[ref]
        entry.users -= 1
        if entry.users == 0:
            del _INSTALLED[ref]
            target = entry.target
            if entry.own:
                setattr(target.owner, target.name, entry.raw)
            else:
                delattr(target.owner, target.name)


@contextmanager
def _hooked(hooks: Mapping[Target, Hook]) -> Iterator[dict[str, int]]:
    """Within the block and in this thread, each target runs its hook; yields the calls that
    reached each hook (filled in when the block ends)."""
    mine = _hooks()
    busy = [t.ref for t in hooks if t.ref in mine]
    if busy:
        raise RuntimeError(f"knock-out {busy[0]!r} is already active in this thread")
    counters = {t.ref: [0] for t in hooks}
    done: list[Target] = []
    calls: dict[str, int] = {}
    try:
        for target, hook in hooks.items():
            _install(target)
            done.append(target)
            mine[target.ref] = (hook, counters[target.ref])
        yield calls
    finally:
        for target in done:
            mine.pop(target.ref, None)
            _uninstall(target.ref)
        calls.update({ref: c[0] for ref, c in counters.items()})


def build(knockout: Mapping[str, str]) -> dict[Target, Hook]:
    """Resolve and check a knock-out ``{"module:function": "neutral"}``.

    Raises:
        ValueError: a target or neutral that cannot be used (one line naming it).
    """
    if not knockout:
        raise ValueError("the knock-out names no function")
    return {(t := resolve(ref)): parse_neutral(spec).hook(t) for ref, spec in knockout.items()}


def knocked_out(knockout: Mapping[str, str]) -> AbstractContextManager[dict[str, int]]:
    """A context manager: within its ``with`` block, in this thread only, each function of
    ``knockout`` is replaced by its neutral (see the module docstring). It gives a dict, filled
    when the block ends: target path -> calls that reached its neutral.

    Raises:
        ValueError: a target or neutral that cannot be used (before anything is replaced).
    """
    return _hooked(build(knockout))


def counting_calls(refs: list[str]) -> AbstractContextManager[dict[str, int]]:
    """A context manager: within its ``with`` block, in this thread only, the calls of each
    function of ``refs`` are counted (they run unchanged); it gives a dict filled when the block
    ends."""
    passthrough: Hook = lambda original, args, kwargs: original(*args, **kwargs)  # noqa: E731
    return _hooked({resolve(ref): passthrough for ref in refs})
