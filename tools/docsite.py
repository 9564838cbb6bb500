"""MkDocs hooks of the documentation site: the pages generated at build time, and the API check.

``mkdocs.yml`` names this file under ``hooks:``. At each build it

* adds the **API reference**: one page per public module (:data:`API_SECTIONS`), rendered by
  mkdocstrings from the docstrings and type hints, and an overview page;
* adds the **parameter table** (``parameters.md``) and fills ODD §9 in the same way, from the
  single declaration ``socialabm.parameters.PARAMETERS`` (no copy is kept on disk);
* adds the **claims table** (``claims.md``) from the registry's last run, ``docs/claims.csv``;
* adds the **classroom worksheets** (``scenarios/worksheets/*.md``, package data of
  ``socialabm.scenarios``) and the **tutorials** (``docs/tutorials/*.ipynb`` as Markdown with
  their stored outputs; the notebooks themselves are copied next to them for download);
* adds ``benchmarks/README.md`` as the benchmarks page;
* logs a warning for every public object without a docstring or type hints
  (:func:`missing_docs`), so that ``mkdocs build --strict`` fails on it.

The same functions serve the tests (``tests/test_api_docs.py``, ``tests/test_docs_site.py``).
"""

from __future__ import annotations

import ast
import base64
import importlib
import inspect
import json
import logging
import pkgutil
import types
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
TUTORIALS = DOCS / "tutorials"

logger = logging.getLogger("mkdocs.plugins.socialabm")

API_SECTIONS: list[tuple[str, list[str]]] = [
    ("Package", ["socialabm"]),
    ("Model, parameters and runs", [
        "socialabm.model", "socialabm.parameters", "socialabm.scenarios", "socialabm.runner",
        "socialabm.outputs", "socialabm.compare", "socialabm.stats", "socialabm.plots",
        "socialabm.provenance", "socialabm.ledger"]),
    ("Agents", [
        "socialabm.agents", "socialabm.agents.consumer", "socialabm.agents.retailer",
        "socialabm.agents.supplier", "socialabm.agents.platform", "socialabm.agents.alliance"]),
    ("Consumers: rules, decisions, population, network", [
        "socialabm.consumer_rules", "socialabm.decisions", "socialabm.model_view",
        "socialabm.population", "socialabm.network", "socialabm.arrays"]),
    ("Market phases", [
        "socialabm.market", "socialabm.market.campaigns", "socialabm.market.experience",
        "socialabm.market.supply", "socialabm.market.browsing", "socialabm.market.word_of_mouth",
        "socialabm.market.reviews", "socialabm.market.shopping", "socialabm.market.sharing",
        "socialabm.market.payments", "socialabm.market.restraint", "socialabm.market.fees"]),
    ("Retailers, suppliers and platforms", [
        "socialabm.campaign", "socialabm.pricing", "socialabm.bargaining",
        "socialabm.adaptation", "socialabm.alliances"]),
    ("Claims", [
        "socialabm.claims", "socialabm.claims.registry", "socialabm.claims.execute",
        "socialabm.claims.evaluate", "socialabm.claims.report"]),
    ("Sweeps", [
        "socialabm.sweeps", "socialabm.sweeps.spec", "socialabm.sweeps.design",
        "socialabm.sweeps.execute", "socialabm.sweeps.backends", "socialabm.sweeps.worker",
        "socialabm.sweeps.store", "socialabm.sweeps.preflight", "socialabm.sweeps.analyze",
        "socialabm.sweeps.data", "socialabm.sweeps.sensitivity", "socialabm.sweeps.reliability",
        "socialabm.sweeps.discovery", "socialabm.sweeps.report",
        "socialabm.sweeps.plots", "socialabm.sweeps.dask_plugin", "socialabm.sweeps.testing"]),
    ("Calibration", [
        "socialabm.calibration", "socialabm.calibration.spec", "socialabm.calibration.patterns",
        "socialabm.calibration.statistics", "socialabm.calibration.distance",
        "socialabm.calibration.simulator", "socialabm.calibration.sampler",
        "socialabm.calibration.adapter", "socialabm.calibration.execute",
        "socialabm.calibration.results", "socialabm.calibration.predictive",
        "socialabm.calibration.plots", "socialabm.calibration.report",
        "socialabm.calibration.coverage", "socialabm.calibration.publish"]),
    ("Validation", ["socialabm.validation", "socialabm.expectations", "socialabm.references"]),
]  # fmt: skip
"""The API reference: nav sections and the modules on them, one page per module."""

NOT_IN_API: dict[str, str] = {
    "socialabm.cli": "the command line (documented by `socialabm --help`)",
    "socialabm.cli_options": "the `--set` option of the commands",
    "socialabm.validation_cli": "the `socialabm validate` command",
    "socialabm.claims.cli": "the `socialabm claims` command",
    "socialabm.sweeps.cli": "the `socialabm sweep` and `analyze` commands",
    "socialabm.calibration.cli": "the `socialabm calibrate` and `calibration-publish` commands",
    "socialabm.sweeps.__main__": "`python -m socialabm.sweeps`",
    "socialabm.lazy": "the lazy-import mechanics of the packages",
    "socialabm.viz": "the classroom app (docs/app.md)",
}
"""Modules (and their submodules) that have no API page, with the reason."""

GROUP_TITLES: dict[str, str] = {
    "network": "Network",
    "population": "Population",
    "awareness": "Awareness and beliefs",
    "choice": "Choice, impulse and scenes",
    "credit": "Income, credit and debt",
    "restraint": "Self-restraint",
    "sharing": "Sharing",
    "reviews": "Reviews",
    "campaign": "Campaign, presale, experience presale and starvation",
    "stockouts": "Stock-outs",
    "retailers": "Retailers",
    "suppliers": "Suppliers and bargaining",
    "platforms": "Platforms and alliances",
}
"""Headings of the parameter groups (``Parameter.group``) in the parameter tables."""

PARAMETER_MARKER = "<!-- parameter table: inserted at build time from socialabm.parameters -->"
"""The line of docs/ODD.md §9 that the site replaces with the parameter tables."""

TUTORIAL_PAGES = ["first_run", "researcher_study", "modeler_extension", "seed_paper", "calibration"]
"""The tutorial notebooks (``docs/tutorials/<name>.ipynb``), in reading order."""


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
    sig = _code_signature(func)
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


# --- generated pages --------------------------------------------------------------------------


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


def _default(p: Any) -> str:
    if p.type is bool:
        return str(p.default).lower()
    return repr(p.default)


def parameter_tables(heading: str = "###") -> str:
    """Every parameter of ``PARAMETERS``, one table per group under a ``heading`` (``"##"``...),
    in declaration order."""
    from socialabm.parameters import PARAMETERS

    groups: dict[str, list[Any]] = {}
    for p in PARAMETERS.values():
        groups.setdefault(p.group, []).append(p)
    unknown = sorted(set(groups) - set(GROUP_TITLES))
    if unknown:
        raise KeyError(f"parameter group(s) {unknown} have no title in tools/docsite.py")
    out: list[str] = []
    for group, params in groups.items():
        out += [f"{heading} {GROUP_TITLES[group]} (`{group}`)", ""]
        out += ["| name | default | allowed | unit | meaning |", "|---|---|---|---|---|"]
        for p in params:
            cells = (f"`{p.name}`", _default(p), p.allowed(), p.unit, p.meaning)
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def class_parameter_table() -> str:
    """The agent-class keywords (``consumer_class`` ...) as a Markdown table."""
    from socialabm.parameters import CLASS_PARAMETERS

    out = ["| name | default | meaning |", "|---|---|---|"]
    out += [f"| `{c.name}` | `{c.base}` | {c.meaning} |" for c in CLASS_PARAMETERS.values()]
    return "\n".join(out) + "\n"


def parameters_page() -> str:
    """The parameter page: how parameters are set and validated, then the tables."""
    from socialabm.parameters import PARAMETERS

    return f"""# Parameters

Generated at build time from the single declaration,
[`socialabm.parameters.PARAMETERS`][socialabm.parameters.PARAMETERS]: the command line
(`uv run socialabm params` prints the same table), scenario files, sweep files and the app's
controls all read it. {len(PARAMETERS)} parameters.

Every parameter is a keyword argument of
[`SocialCommerceModel`][socialabm.model.SocialCommerceModel], a `--set NAME=VALUE` of the
command line and a key of a scenario's `[parameters]`. Values are validated at construction: a
bad value raises [`ParameterError`][socialabm.parameters.ParameterError] naming the parameter, the
value and what is allowed. Units: CU is currency units, 1 is dimensionless, time is in days.

Besides these, the model accepts `network` (a `networkx.Graph`), `rng` (the seed),
`model_reporters`, `summary_columns` and the agent classes:

{class_parameter_table()}
{parameter_tables("##")}"""


def claims_page() -> str:
    """The claims page: the registry's last run (``docs/claims.csv``), rendered as in ODD §11."""
    from socialabm.claims import load_registry
    from socialabm.claims.report import read_table, render_section

    registry = load_registry()
    table = read_table(DOCS / "claims.csv")
    counts = table["verdict"].value_counts()
    tally = ", ".join(f"{counts.get(v, 0)} {v}" for v in ("holds", "fails", "null"))
    return f"""# Claims and their ablations

Each claim of the model is a paired experiment of the claims registry
(`scenarios/claims.toml`): two arms that differ only in the mechanism claimed, and an ablation
that cuts the mechanism's causal pathway in both arms. How a verdict is reached is in
[ODD §11](ODD.md#11-claims-as-measured-with-their-ablations-model-10); what each row means for
the seed paper's argument is the subject of the tutorial
[Reproducing the seed paper](tutorials/seed_paper.md).

This page is generated at build time from the registry's last published run,
`docs/claims.csv` ({len(table)} rows: {tally}). Rerun it with `uv run socialabm claims` (about
ten minutes on two cores); `uv run socialabm claims --update-docs` publishes a new run.

{render_section(table, registry.claims, registry.seeds)}
"""


def citation() -> dict[str, Any]:
    """The project's ``CITATION.cff`` as a dict."""
    import yaml

    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def _names(authors: list[dict[str, str]]) -> str:
    """``Goldenberg, J., Libai, B., & Muller, E.`` from CFF authors."""
    names = [f"{a['family-names']}, {a['given-names'][0]}." for a in authors]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1]


def cite_page() -> str:
    """The "How to cite" page, from ``CITATION.cff``: a reference, BibTeX and the mechanisms."""
    cff = citation()
    authors = " and ".join(a.get("name") or f"{a['family-names']}, {a['given-names']}"
                           for a in cff["authors"])  # fmt: skip
    year = str(cff.get("date-released", ""))[:4]
    when = f" ({year})" if year else ""
    sources = "\n".join(
        f"* {_names(r['authors'])} ({r['year']}). {r['title']}. "
        f"*{r['journal']}*, {r['volume']}({r['issue']}), {r['start']}–{r['end']}."
        for r in cff.get("references", [])
    )
    return f"""# How to cite

Cite the software (this page is generated from `CITATION.cff` at the root of the repository,
which GitHub's "Cite this repository" also reads):

> {authors}{when}. *{cff["title"]}*. Version {cff["version"]}. Software, {cff["license"]} licence.

```bibtex
@software{{socialabm,
  author  = {{{{{authors}}}}},
  title   = {{{{{cff["title"]}}}}},
  version = {{{cff["version"]}}},
  license = {{{cff["license"]}}},{f"{chr(10)}  year    = {{{year}}}," if year else ""}
}}
```

Then cite the sources of the mechanisms your work relies on. The model is described in the ODD
protocol ([the ODD](ODD.md): purpose, entities, schedule, design concepts, submodels with their
equations), whose references section lists every source; the main ones are

{sources}

and, for a claim of the model, its row in the [claims table](claims.md) with the run it comes
from (`docs/claims.csv`: seeds, population and the ablation).
"""


def worksheets_index() -> str:
    """The worksheets overview: one line per built-in scenario."""
    from socialabm.scenarios import builtin_names, load_scenario

    out = [
        "# Classroom worksheets",
        "",
        "One worksheet per built-in scenario, for a class working with the app",
        "(`uv run socialabm viz`, [the app guide](../app.md)). Each says what to set, what to",
        "watch on the page, three questions with the observations a class should reach (checked",
        "against the current model), and a comparison to run side by side with the same seed.",
        "",
        "The worksheets are package data (`socialabm/scenarios/worksheets/<name>.md`), so the",
        "app can show them offline: `socialabm.scenarios.worksheet(name)` returns one.",
        "",
        "| scenario | title |",
        "|---|---|",
    ]
    for name in builtin_names():
        out.append(f"| [`{name}`]({name}.md) | {load_scenario(name).title} |")
    return "\n".join(out) + "\n"


def notebook_markdown(path: Path, image_prefix: str) -> tuple[str, dict[str, bytes]]:
    """A notebook as Markdown with its stored outputs, and the images it shows (name -> PNG).

    Markdown cells are kept; code cells become ``python`` blocks; text outputs ``text`` blocks;
    HTML outputs (tables) stay HTML; PNG images become files named ``image_prefix<n>.png``. A
    stored error output raises ``ValueError``: the notebook must be executed cleanly first.
    """
    nb = json.loads(path.read_text(encoding="utf-8"))
    parts: list[str] = []
    images: dict[str, bytes] = {}
    for cell in nb["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            parts.append(source)
            if len(parts) == 1:  # after the title: where to get the notebook
                parts.append(
                    f'!!! note "Run it yourself"\n    This page is the notebook '
                    f"[`docs/tutorials/{path.name}`]({path.name}) with its stored outputs. "
                    f"`uv run python -m tools.notebooks {path.stem}` runs it again and stores "
                    "the new outputs; `uv run --with jupyterlab jupyter lab docs/tutorials` "
                    "opens it in JupyterLab."
                )
            continue
        if cell["cell_type"] != "code" or not source.strip():
            continue
        parts.append(f"```python\n{source}\n```")
        for output in cell.get("outputs", []):
            kind = output["output_type"]
            if kind == "error":
                raise ValueError(f"{path.name}: a cell stored an error ({output['ename']})")
            if kind == "stream":
                text = "".join(output["text"]).rstrip("\n")
                parts.append(f"```text\n{text}\n```")
                continue
            data = output.get("data", {})
            if "image/png" in data:
                name = f"{image_prefix}{len(images) + 1}.png"
                images[name] = base64.b64decode(data["image/png"])
                parts.append(f"![output {len(images)}]({name})")
            elif "text/html" in data:
                parts.append('<div class="nb-output" markdown="0">\n')
                parts[-1] += "".join(data["text/html"]).strip() + "\n</div>"
            elif "text/plain" in data:
                parts.append(f"```text\n{''.join(data['text/plain']).rstrip()}\n```")
    return "\n\n".join(parts) + "\n", images


# --- mkdocs hooks -----------------------------------------------------------------------------

_GENERATED_SECTIONS = {"api/index.md", "worksheets/index.md"}


def on_config(config: Any) -> Any:
    """Expand the nav entries ``api/index.md`` and ``worksheets/index.md`` into sections."""
    from socialabm.scenarios import builtin_names

    def expand(item: Any) -> Any:
        if isinstance(item, dict):
            return {k: expand(v) for k, v in item.items()}
        if isinstance(item, list):
            return [expand(v) for v in item]
        if item == "api/index.md":
            return [{"Overview": item}] + [
                {title: [{m: f"api/{m}.md"} for m in modules]} for title, modules in API_SECTIONS
            ]
        if item == "worksheets/index.md":
            return [{"Overview": item}] + [{n: f"worksheets/{n}.md"} for n in builtin_names()]
        return item

    config["nav"] = expand(config["nav"])
    return config


def on_pre_build(config: Any) -> None:
    """Warn about public objects without docstrings or type hints, and unlisted modules."""
    for problem in missing_docs():
        logger.warning("API reference: missing %s", problem)
    for module in undocumented_modules():
        logger.warning("API reference: no page for module %s (add it to API_SECTIONS)", module)


def generated_pages() -> dict[str, str | bytes]:
    """Every page and image the hooks add to the site: path in the site -> content."""
    from socialabm.scenarios import builtin_names, worksheet

    pages: dict[str, str | bytes] = {"api/index.md": api_index()}
    pages.update({f"api/{m}.md": api_page(m) for m in api_modules()})
    pages["parameters.md"] = parameters_page()
    pages["claims.md"] = claims_page()
    pages["worksheets/index.md"] = worksheets_index()
    pages.update({f"worksheets/{n}.md": worksheet(n) for n in builtin_names()})
    for name in TUTORIAL_PAGES:
        text, images = notebook_markdown(TUTORIALS / f"{name}.ipynb", f"{name}_files/output_")
        pages[f"tutorials/{name}.md"] = text
        pages.update({f"tutorials/{k}": v for k, v in images.items()})
    pages["benchmarks.md"] = (ROOT / "benchmarks" / "README.md").read_text(encoding="utf-8")
    pages["changelog.md"] = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    pages["cite.md"] = cite_page()
    return pages


def on_files(files: Any, config: Any) -> Any:
    """Add the generated pages to the site's files."""
    from mkdocs.structure.files import File

    for path, content in generated_pages().items():
        files.append(File.generated(config, path, content=content))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Fill ODD §9's parameter marker with the parameter tables."""
    if page.file.src_uri == "ODD.md":
        if PARAMETER_MARKER not in markdown:
            logger.warning("docs/ODD.md has lost its parameter-table marker line")
        return markdown.replace(PARAMETER_MARKER, parameter_tables())
    return markdown
