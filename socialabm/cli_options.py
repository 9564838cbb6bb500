"""The ``--set NAME=VALUE`` option shared by the subcommands of the ``socialabm`` command."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from socialabm.parameters import ParameterError


def add_set_option(parser: argparse.ArgumentParser, help: str) -> None:
    """Add the repeatable ``--set NAME=VALUE`` option (collected in ``args.sets``)."""
    parser.add_argument(
        "--set", dest="sets", action="append", default=[], metavar="NAME=VALUE", help=help
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
