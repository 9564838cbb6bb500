"""What produced a result: package version, a hash of the model's code and of the user modules
a run names (agent classes, reporters, runners given as ``"module:name"``).

Only files are read and hashed, nothing is imported, so this stays cheap enough for the CLI.
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Iterable, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = [
    "changed_modules",
    "code_hash",
    "module_hashes",
    "package_version",
    "source_files",
    "user_modules",
]

OWN_PACKAGES = ("socialabm",)
"""Modules under these packages are covered by :func:`code_hash`, not by :func:`module_hashes`."""

PACKAGE_ROOTS = ("socialabm", "socialabm.agents", "socialabm.scenarios", "socialabm.viz")
"""The package and the subpackages ``pyproject.toml`` maps from folders of their own
(``[tool.setuptools.package-dir]``; a test keeps the two equal): the folders
:func:`code_hash` reads."""

SOURCE_SUFFIXES = (".py", ".toml")
"""Files :func:`code_hash` reads: the code and the scenario files (claims registry included)."""


def package_version(package: str = "socialabm") -> str | None:
    """Installed version of ``package`` (``None`` if it is not installed)."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def source_files() -> dict[str, Path]:
    """Every source file of the package, subpackages included, by its path inside the package
    (``socialabm/market/shopping.py``): the same names whether the package is installed from a
    wheel or in editable mode, where mapped subpackages live in folders of their own."""
    files: dict[str, Path] = {}
    for package in PACKAGE_ROOTS:  # located, not imported
        found = importlib.util.find_spec(package)
        if found is None or not found.submodule_search_locations:
            continue
        prefix = package.replace(".", "/")
        for folder in map(Path, found.submodule_search_locations):
            for path in folder.rglob("*"):
                if path.suffix in SOURCE_SUFFIXES and "__pycache__" not in path.parts:
                    files.setdefault(f"{prefix}/{path.relative_to(folder).as_posix()}", path)
    return files


def code_hash() -> str:
    """SHA-256 over every source file of the package (:func:`source_files`, in name order):
    any edit to the model, its subpackages or its scenario files changes it."""
    digest = hashlib.sha256()
    for name, path in sorted(source_files().items()):
        digest.update(name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def user_modules(values: Iterable[Any]) -> list[str]:
    """The modules outside socialabm named by ``"module:name"`` strings among ``values``.

    Non-strings and strings without ``:`` are ignored; the result is sorted and unique.
    """
    found = set()
    for value in values:
        if isinstance(value, str) and ":" in value:
            module = value.partition(":")[0].strip()
            if module and module.split(".")[0] not in OWN_PACKAGES:
                found.add(module)
    return sorted(found)


def _module_file(module: str) -> Path | None:
    try:
        found = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if found is None or not found.has_location or found.origin is None:
        return None
    return Path(found.origin)


def module_hashes(modules: Iterable[str]) -> dict[str, str]:
    """SHA-256 of each module's source file, by module name (``"missing"`` if not found)."""
    hashes = {}
    for module in modules:
        path = _module_file(module)
        hashes[module] = (
            hashlib.sha256(path.read_bytes()).hexdigest()
            if path is not None and path.is_file()
            else "missing"
        )
    return hashes


def changed_modules(old: Mapping[str, str], new: Mapping[str, str]) -> list[str]:
    """Modules of ``old`` whose hash in ``new`` differs, with their file paths for the user."""
    changed = []
    for module in sorted(old):
        if new.get(module) != old[module]:
            path = _module_file(module)
            changed.append(f"{module} ({path})" if path else module)
    return changed
