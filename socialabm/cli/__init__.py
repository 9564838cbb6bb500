"""The ``socialabm`` command line: :func:`main` (the console script ``socialabm``), the commands
(:mod:`~socialabm.cli.commands`), the options several commands share
(:mod:`~socialabm.cli.options`) and the lazy imports that keep its start fast
(:mod:`~socialabm.lazy`).
"""

from __future__ import annotations

from socialabm.lazy import lazy_attributes

__all__ = ["main"]

__getattr__, __dir__ = lazy_attributes(
    "socialabm.cli", {"main": "socialabm.cli.commands"}, globals()
)
