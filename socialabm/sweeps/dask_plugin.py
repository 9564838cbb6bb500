"""The Dask worker plugin of sweeps (a module of its own: it needs ``distributed`` at import)."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin

__all__ = ["PreloadPlugin"]


class PreloadPlugin(WorkerPlugin):
    """Import the model's modules in each worker when it joins the sweep.

    :class:`~socialabm.sweeps.backends.DaskBackend` registers it on every worker of the cluster
    (and Dask runs it on workers that join later), so no run pays for the imports and the first
    run times, which size the chunks, are the runs' own.

    Args:
        modules: Module names to import.
    """

    name = "socialabm-preload"

    def __init__(self, modules: Iterable[str]) -> None:
        self.modules = tuple(modules)

    def setup(self, worker: Any) -> None:
        """Import :attr:`modules` in the worker process."""
        for module in self.modules:
            importlib.import_module(module)
