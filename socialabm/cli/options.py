"""Options shared by the subcommands of the ``socialabm`` command: ``--set NAME=VALUE`` and where
runs execute (``--workers``, ``--scheduler``, ``--dask-local``)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from socialabm.parameters import ParameterError


def add_set_option(parser: argparse.ArgumentParser, help: str) -> None:
    """Add the repeatable ``--set NAME=VALUE`` option (collected in ``args.sets``)."""
    parser.add_argument(
        "--set", dest="sets", action="append", default=[], metavar="NAME=VALUE", help=help
    )


def add_backend_options(parser: argparse.ArgumentParser, what: str) -> None:
    """Add the mutually exclusive ``--workers`` / ``--scheduler`` / ``--dask-local`` options
    (:func:`socialabm.sweeps.backends.make_backend`); ``what`` names what runs ("runs")."""
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--workers",
        type=int,
        default=None,
        help=f"local worker processes for the {what} (default: all cores; 0: in this process)",
    )
    where.add_argument(
        "--scheduler", metavar="tcp://HOST:PORT", help="run on the Dask cluster of this scheduler"
    )
    where.add_argument(
        "--dask-local",
        type=int,
        metavar="N",
        help="run on a new local Dask cluster of N worker processes",
    )


def parse_sets(items: Sequence[str]) -> dict[str, str]:
    """``["name=value", ...]`` -> dict (values stay strings; the model converts them).

    Raises:
        ParameterError: an item without ``=`` or without a name.
    """
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ParameterError(f"--set {item!r}: expected name=value")
        out[name.strip()] = value.strip()
    return out
