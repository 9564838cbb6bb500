"""The API reference: which modules have a page (:data:`API_SECTIONS`), the check that every public
object has a docstring and type hints (:func:`missing_docs`), and the pages themselves."""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import pkgutil
import types
from collections.abc import Iterator
from functools import cache
from typing import Any

API_SECTIONS: list[tuple[str, list[str]]] = [
    ("Package", ["socialabm"]),
    ("Model and parameters", [
        "socialabm.model", "socialabm.schedule", "socialabm.state_trace",
        "socialabm.parameters", "socialabm.scenarios", "socialabm.campaign",
        "socialabm.outputs", "socialabm.output_catalog", "socialabm.suggest", "socialabm.extras",
        "socialabm.ledger", "socialabm.provenance", "socialabm.references"]),
    ("Agents", [
        "socialabm.agents", "socialabm.agents.consumer", "socialabm.agents.retailer",
        "socialabm.agents.supplier", "socialabm.agents.platform", "socialabm.agents.alliance"]),
    ("Consumers: decisions, population, network", [
        "socialabm.decisions", "socialabm.model_view", "socialabm.population",
        "socialabm.network", "socialabm.arrays"]),
    ("Rules", [
        "socialabm.rules", "socialabm.rules.consumer", "socialabm.rules.pricing",
        "socialabm.rules.bargaining"]),
    ("Market phases", [
        "socialabm.market", "socialabm.market.campaigns", "socialabm.market.experience",
        "socialabm.market.supply", "socialabm.market.cancellation",
        "socialabm.market.browsing", "socialabm.market.word_of_mouth",
        "socialabm.market.reviews", "socialabm.market.shopping", "socialabm.market.sharing",
        "socialabm.market.payments", "socialabm.market.restraint", "socialabm.market.fees",
        "socialabm.market.adaptation", "socialabm.market.alliances",
        "socialabm.market.group_purchase"]),
    ("Experiments", [
        "socialabm.experiments", "socialabm.experiments.runner", "socialabm.experiments.compare",
        "socialabm.experiments.stats", "socialabm.experiments.adjust",
        "socialabm.experiments.plots", "socialabm.experiments.knockout"]),
    ("Claims", [
        "socialabm.claims", "socialabm.claims.registry", "socialabm.claims.execute",
        "socialabm.claims.evaluate", "socialabm.claims.report", "socialabm.claims.runs"]),
    ("Sweeps", [
        "socialabm.sweeps", "socialabm.sweeps.spec", "socialabm.sweeps.design",
        "socialabm.sweeps.execute", "socialabm.sweeps.lock", "socialabm.sweeps.stopping",
        "socialabm.sweeps.backends", "socialabm.sweeps.worker",
        "socialabm.sweeps.store", "socialabm.sweeps.preflight", "socialabm.sweeps.analyze",
        "socialabm.sweeps.data", "socialabm.sweeps.sensitivity", "socialabm.sweeps.reliability",
        "socialabm.sweeps.contrasts", "socialabm.sweeps.discovery", "socialabm.sweeps.report",
        "socialabm.sweeps.plots", "socialabm.sweeps.dask_plugin", "socialabm.sweeps.testing"]),
    ("Calibration", [
        "socialabm.calibration", "socialabm.calibration.spec", "socialabm.calibration.patterns",
        "socialabm.calibration.statistics", "socialabm.calibration.distance",
        "socialabm.calibration.simulator", "socialabm.calibration.sampler",
        "socialabm.calibration.adapter", "socialabm.calibration.execute",
        "socialabm.calibration.results", "socialabm.calibration.predictive",
        "socialabm.calibration.plots", "socialabm.calibration.report",
        "socialabm.calibration.coverage", "socialabm.calibration.publish"]),
    ("Validation", [
        "socialabm.validation", "socialabm.validation.suite", "socialabm.validation.result",
        "socialabm.validation.awareness", "socialabm.validation.network",
        "socialabm.validation.supply_chain", "socialabm.validation.reviews",
        "socialabm.validation.stockouts", "socialabm.validation.cascades",
        "socialabm.validation.runs", "socialabm.validation.expectations"]),
]  # fmt: skip
"""The API reference: nav sections and the modules on them, one page per module."""

NOT_IN_API: dict[str, str] = {
    "socialabm.cli": "the command line (documented by `socialabm --help`) and its shared options",
    "socialabm.lazy": "the lazy-import mechanics of the packages",
    "socialabm.validation.cli": "the `socialabm validate` command",
    "socialabm.claims.cli": "the `socialabm claims` command",
    "socialabm.sweeps.cli": "the `socialabm sweep` and `analyze` commands",
    "socialabm.calibration.cli": "the `socialabm calibrate` and `calibration-publish` commands",
    "socialabm.sweeps.__main__": "`python -m socialabm.sweeps`",
    "socialabm.viz": "the classroom app (docs/app.md)",
}
"""Modules (and their submodules) that have no API page, with the reason."""


# --- the public API ---------------------------------------------------------------------------


def api_modules() -> list[str]:
    """The modules of the API reference, in page order."""
    return [m for _, modules in API_SECTIONS for m in modules]


def package_modules() -> list[str]:
    """Every module of socialabm and its mapped subpackages that is not private."""
    import socialabm

    names = ["socialabm"]
    for info in pkgutil.walk_packages(socialabm.__path__, "socialabm."):
        names.append(info.name)
    for sub in ("socialabm.agents", "socialabm.scenarios", "socialabm.viz"):
        package = importlib.import_module(sub)
        names.append(sub)
        names += [i.name for i in pkgutil.walk_packages(package.__path__, sub + ".")]
    return sorted(n for n in set(names) if not any(p.startswith("_") for p in n.split(".")[1:]))


def undocumented_modules() -> list[str]:
    """Public modules with neither an API page nor a reason in :data:`NOT_IN_API`."""
    listed = set(api_modules())
    return [
        m
        for m in package_modules()
        if m not in listed and not any(m == x or m.startswith(x + ".") for x in NOT_IN_API)
    ]


@cache
def _assignments(module: str) -> dict[str, str]:
    """Names assigned at the top level of ``module``'s source -> their docstring ("" if none)."""
    source = inspect.getsource(importlib.import_module(module))
    body = ast.parse(source).body
    out: dict[str, str] = {}
    for node, after in zip(body, [*body[1:], None], strict=True):
        if isinstance(node, ast.Assign):
            flat = [e for t in node.targets for e in (t.elts if isinstance(t, ast.Tuple) else [t])]
            targets = [t.id for t in flat if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            targets = [node.target.id]
        else:
            continue
        doc = ""
        if isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant):
            doc = str(after.value.value)
        out.update(dict.fromkeys(targets, doc))
    return out


def _defined_in(obj: Any, name: str, module: str) -> bool:
    if inspect.ismodule(obj):
        return False
    if inspect.isclass(obj) or inspect.isfunction(obj):
        return obj.__module__ == module
    return name in _assignments(module)


def _candidates(module: str) -> list[str]:
    mod = importlib.import_module(module)
    names = getattr(mod, "__all__", None)
    if names is None:
        names = [n for n in vars(mod) if not n.startswith("_")]
    return list(names)


def public_names(module: str) -> list[str]:
    """The public objects defined in ``module``: the ones its API page renders.

    Public: in ``__all__`` if the module has one, else not starting with ``_``. Defined here:
    a function or class whose ``__module__`` is ``module``, or a constant assigned in its source.
    Names that are only imported (re-exported) are listed on the page as links instead.
    """
    mod = importlib.import_module(module)
    return [n for n in _candidates(module) if _defined_in(getattr(mod, n), n, module)]


def exported_names(module: str) -> dict[str, str]:
    """Names of ``module``'s ``__all__`` defined elsewhere -> where they are defined."""
    mod = importlib.import_module(module)
    if not hasattr(mod, "__all__"):
        return {}
    out = {}
    for name in mod.__all__:
        obj = getattr(mod, name)
        if _defined_in(obj, name, module):
            continue
        if inspect.isclass(obj) or inspect.isfunction(obj):
            out[name] = f"{obj.__module__}.{obj.__qualname__}"
        else:
            home = next(
                m for m in api_modules() if name in _assignments(m) and m != module
            )  # a re-exported constant is rendered in the module that assigns it
            out[name] = f"{home}.{name}"
    return out


@cache
def rendered_paths() -> frozenset[str]:
    """Paths of everything the API reference renders: modules, their public objects, and the
    public methods, properties and attributes of those classes."""
    out: set[str] = set()
    for module in api_modules():
        out.add(module)
        mod = importlib.import_module(module)
        for name in public_names(module):
            out.add(f"{module}.{name}")
            obj = getattr(mod, name)
            if inspect.isclass(obj):
                attrs = set(vars(obj)) | set(getattr(obj, "__annotations__", {}))
                out.update(f"{module}.{name}.{a}" for a in attrs if not a.startswith("_"))
    return frozenset(out)


def _members(cls: type) -> Iterator[tuple[str, types.FunctionType]]:
    """A class's own public methods and properties (and ``__init__``), as functions.

    An override without a docstring inherits its base's (as ``inspect.getdoc`` reads it).
    """
    for name, value in vars(cls).items():
        if name.startswith("_") and name != "__init__":
            continue
        func = getattr(value, "fget", None) or getattr(value, "__func__", value)
        if isinstance(func, types.FunctionType) and func.__qualname__.startswith(cls.__qualname__):
            yield name, func


def _code_signature(func: types.FunctionType) -> inspect.Signature:
    """The signature of ``func``'s own code, ignoring a ``__signature__`` set on it."""
    plain = types.FunctionType(
        func.__code__, func.__globals__, func.__name__, func.__defaults__, func.__closure__
    )
    plain.__kwdefaults__, plain.__annotations__ = func.__kwdefaults__, func.__annotations__
    return inspect.signature(plain)


def _missing_hints(name: str, func: types.FunctionType) -> list[str]:
    sig = _code_signature(inspect.unwrap(func))  # a decorated one (@contextmanager): its own
    params = list(sig.parameters.values())
    if params and params[0].name in ("self", "cls"):
        params = params[1:]
    out = [f"{name}: type hint of parameter {p.name!r}" for p in params if p.annotation is p.empty]
    if sig.return_annotation is sig.empty and not name.endswith(".__init__"):
        out.append(f"{name}: return type hint")
    return out


def missing_docs(modules: list[str] | None = None) -> list[str]:
    """Every public object of the API reference without a docstring or full type hints.

    Covers the modules (their docstring), the public functions, classes and constants they
    define (:func:`public_names`), and the classes' own public methods and properties. A
    function's parameters (but ``self``/``cls``) and return need type hints (``__init__``: the
    parameters only). Returns one line per problem, empty when all is well.
    """
    out: list[str] = []
    for module in modules if modules is not None else api_modules():
        mod = importlib.import_module(module)
        if not (mod.__doc__ or "").strip():
            out.append(f"{module}: module docstring")
        for name in public_names(module):
            obj, path = getattr(mod, name), f"{module}.{name}"
            if not (inspect.isclass(obj) or inspect.isfunction(obj)):
                if not _assignments(module)[name].strip():
                    out.append(f"{path}: docstring (a string literal after the assignment)")
                continue
            if not (obj.__doc__ or "").strip():
                out.append(f"{path}: docstring")
            if inspect.isfunction(obj):
                out += _missing_hints(path, obj)
                continue
            for member, func in _members(obj):
                if member != "__init__" and not inspect.getdoc(getattr(obj, member)):
                    out.append(f"{path}.{member}: docstring")
                out += _missing_hints(f"{path}.{member}", func)
    return out


def _summary_line(module: str) -> str:
    doc = inspect.cleandoc(importlib.import_module(module).__doc__ or "")
    first = doc.split("\n\n")[0].replace("\n", " ")
    return first.replace("|", "\\|")


def api_page(module: str) -> str:
    """The Markdown of ``module``'s API page: its docstring, members and re-exported names."""
    names = public_names(module)
    options = {"members": names or False}
    lines = [f"::: {module}", "    options:", f"      members: {json.dumps(options['members'])}"]
    exported = exported_names(module)
    if exported:
        lines += ["", "## Re-exported names", "", "| name | defined in |", "|---|---|"]
        for name, path in exported.items():
            home = f"[`{path}`][{path}]" if path in rendered_paths() else f"`{path}`"
            lines.append(f"| `{module}.{name}` | {home} |")
    return "\n".join(lines) + "\n"


def api_index() -> str:
    """The overview page of the API reference: every module with its first docstring line."""
    out = [
        "# API reference",
        "",
        "Generated at each build from the docstrings and type hints of the code (mkdocstrings).",
        "Units: money in currency units (CU), time in days (one step is one day); quality, shares",
        "and probabilities lie in [0, 1]. Every model parameter is a keyword argument of",
        "[`SocialCommerceModel`][socialabm.model.SocialCommerceModel]; the",
        "[parameter table](../parameters.md) lists them.",
        "",
    ]
    for title, modules in API_SECTIONS:
        out += [f"## {title}", "", "| module | what it holds |", "|---|---|"]
        out += [f"| [`{m}`]({m}.md) | {_summary_line(m)} |" for m in modules]
        out.append("")
    return "\n".join(out)
