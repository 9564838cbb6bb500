"""A griffe extension that lets mkdocstrings read socialabm as Python imports it.

Two things griffe cannot know from the files alone:

* **Mapped subpackages.** ``pyproject.toml`` maps ``socialabm.agents`` to ``agents/`` and
  ``socialabm.scenarios`` to ``scenarios/`` (``[tool.setuptools.package-dir]``); griffe finds
  only ``socialabm/``. When it has loaded ``socialabm``, the mapped folders are loaded as its
  subpackages.
* **Sphinx roles in docstrings.** The docstrings cross-reference with ``:func:`name```,
  ``:class:`~socialabm.Retailer``` etc.; each becomes a Markdown cross-reference
  ``[`label`][canonical.path]`` that autorefs turns into a link. Relative names are resolved in
  the docstring's scope; re-exported and lazily imported names (``socialabm.Retailer``) point to
  where the object is defined, which is where the API reference renders it. A role that resolves
  to nothing is logged as a warning, so ``mkdocs build --strict`` fails on it; one that names an
  existing object the reference does not render (a private constant) stays plain code.
* **One-line summaries.** The summary tables show a docstring's first line; a first paragraph
  wrapped over several lines is joined into one, so the summary is the whole sentence.
* **Inherited docstrings.** A method that overrides a documented one without a docstring of its
  own shows its base's, as ``inspect.getdoc`` reads it.

Modules without an API page (``tools.docsite.api.NOT_IN_API``) are left alone.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

import griffe

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # mkdocstrings loads this file by path, not as tools.griffe_...
    sys.path.insert(0, str(ROOT))

from tools.docsite.api import NOT_IN_API, rendered_paths  # noqa: E402

PACKAGE = "socialabm"
ROLE = re.compile(r":(?:py:)?(?:class|func|data|meth|mod|attr|exc|obj|const):`(~?)([^`<>]+)`")
LITERAL_BLOCK = re.compile(r"(?<=\S)::$", re.MULTILINE)

logger = logging.getLogger("mkdocs.plugins.socialabm.griffe")


def mapped_subpackages(root: Path = ROOT) -> dict[str, Path]:
    """``socialabm.x`` -> folder, from ``[tool.setuptools.package-dir]`` of ``pyproject.toml``."""
    with (root / "pyproject.toml").open("rb") as f:
        table = tomllib.load(f)["tool"]["setuptools"]["package-dir"]
    return {name: root / folder for name, folder in table.items() if name.startswith(PACKAGE + ".")}


def runtime_path(path: str) -> str | None:
    """Where the object named ``path`` is defined (``socialabm.Retailer`` ->
    ``socialabm.agents.retailer.Retailer``), found by importing it; None if it does not import."""
    parts = path.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        break
    else:
        return None
    where = obj.__name__
    for name in parts[i:]:
        if not hasattr(obj, name):
            return None
        owner, obj = obj, getattr(obj, name)
        if inspect.ismodule(obj):
            where = obj.__name__
        elif inspect.isclass(obj) or inspect.isfunction(obj):
            where = f"{obj.__module__}.{obj.__qualname__}"
        else:  # data, a property: named in its owner
            where = f"{where}.{name}" if not inspect.ismodule(owner) else f"{owner.__name__}.{name}"
    return where


def canonical(target: str, scope: griffe.Object, collection: griffe.ModulesCollection) -> str:
    """The path at which the API reference renders ``target`` named in ``scope``'s docstring.

    Raises:
        LookupError: ``target`` names nothing that can be found.
    """
    head, _, rest = target.partition(".")
    if head != PACKAGE:
        try:
            head = scope.resolve(head)
        except griffe.NameResolutionError:
            raise LookupError(f"{head!r} is not defined in the scope of {scope.path}") from None
        target = f"{head}.{rest}" if rest else head
    try:
        member = collection.get_member(target)
        found = member.final_target.path if member.is_alias else member.path
    except (KeyError, griffe.AliasResolutionError, griffe.CyclicAliasError):
        found = None
    if found is None or not found.startswith(PACKAGE):
        found = runtime_path(target)
    if found is None:
        raise LookupError(f"{target!r} does not exist")
    return found


def convert_roles(text: str, scope: griffe.Object, collection: griffe.ModulesCollection) -> str:
    """``text`` with its Sphinx roles as autorefs cross-references and ``::`` blocks as ``:``."""

    def replace(match: re.Match[str]) -> str:
        tilde, target = match[1], match[2].strip()
        label = target.rsplit(".", 1)[-1] if tilde else target
        try:
            path = canonical(target, scope, collection)
        except LookupError as err:
            logger.warning("%s: docstring role %s names nothing: %s", scope.path, match[0], err)
            return f"`{label}`"
        if path not in rendered_paths():
            return f"`{label}`"
        return f"[`{label}`][{path}]"

    return LITERAL_BLOCK.sub(":", ROLE.sub(replace, text))


def join_summary(text: str) -> str:
    """``text`` with its first paragraph on one line (unless it holds a list or indented block)."""
    first, sep, rest = text.partition("\n\n")
    lines = first.split("\n")
    if any(re.match(r"\s|[*-] |\d+\. ", line) for line in lines[1:]):
        return text
    return " ".join(line.strip() for line in lines) + sep + rest


def _walk(obj: griffe.Object) -> list[griffe.Object]:
    if any(obj.path == m or obj.path.startswith(m + ".") for m in NOT_IN_API):
        return []
    out = [obj]
    for member in obj.members.values():
        if not member.is_alias:
            out += _walk(member)  # type: ignore[arg-type]
    return out


def inherit_docstring(obj: griffe.Object) -> None:
    """Give a method without a docstring the docstring of the method it overrides, if any."""
    if obj.docstring is not None or not obj.is_function or not obj.parent.is_class:
        return
    for base in obj.parent.mro():  # type: ignore[union-attr]
        inherited = base.members.get(obj.name)
        if inherited is not None and inherited.docstring is not None:
            obj.docstring = griffe.Docstring(inherited.docstring.value, parent=obj)
            return


class SocialabmExtension(griffe.Extension):
    """Loads the mapped subpackages into ``socialabm`` and converts the docstrings' roles."""

    def on_package(self, *, pkg: griffe.Module, loader: griffe.GriffeLoader, **kwargs: Any) -> None:
        """Attach the mapped subpackages, then rewrite every docstring of the package."""
        if pkg.name != PACKAGE:
            return
        for name, folder in mapped_subpackages().items():
            child = name.rpartition(".")[2]
            if child in pkg.members and pkg.members[child].is_module:
                continue
            module = loader._load_module(child, folder, parent=pkg)  # noqa: SLF001
            pkg.set_member(child, module)
            loader.expand_exports(module)
            loader.expand_wildcards(module, external=False)
        for obj in _walk(pkg):
            inherit_docstring(obj)
            if obj.docstring is not None:
                text = convert_roles(obj.docstring.value, obj, loader.modules_collection)
                obj.docstring.value = join_summary(text)
