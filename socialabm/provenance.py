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

__all__ = ["changed_modules", "code_hash", "module_hashes", "package_version", "user_modules"]

OWN_PACKAGES = ("socialabm",)
"""Modules under these packages are covered by :func:`code_hash`, not by :func:`module_hashes`."""


def package_version(package: str = "socialabm") -> str | None:
    """Installed version of ``package`` (``None`` if it is not installed)."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def code_hash() -> str:
    """SHA-256 over the model's source files (``socialabm/*.py`` and ``socialabm.agents``)."""
    digest = hashlib.sha256()
    folders = []
    for package in ("socialabm", "socialabm.agents"):  # located, not imported
        found = importlib.util.find_spec(package)
        if found is not None and found.submodule_search_locations:
            folders.extend(Path(p) for p in found.submodule_search_locations)
    for folder in folders:
        for path in sorted(folder.glob("*.py")):
            digest.update(path.name.encode())
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
