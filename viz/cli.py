"""The ``socialabm viz`` subcommand: serve the classroom app.

Wire it into the main CLI with::

    from socialabm.viz.cli import register
    register(subparsers)   # subparsers = parser.add_subparsers(dest="command")

``register`` sets ``func`` on the subparser (``args.func(args)`` runs it), so a CLI dispatching on
``args.func`` needs nothing else.
"""

from __future__ import annotations

import argparse

from socialabm.viz.server import DEFAULT_HOST, DEFAULT_PORT


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``viz`` subcommand to ``subparsers`` and return its parser."""
    parser = subparsers.add_parser(
        "viz",
        help="serve the classroom app (Solara) in a browser",
        description="Serve the classroom app. Every asset is served locally (works offline). "
        "Each browser tab gets its own model.",
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default {DEFAULT_HOST}: this machine only; "
        "0.0.0.0 lets a classroom network in)",
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port to listen on (default {DEFAULT_PORT})"
    )
    parser.set_defaults(func=run)
    return parser


def run(args: argparse.Namespace) -> int:
    from socialabm.viz.server import serve

    serve(args.host, args.port)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry (``python -m socialabm.viz``) until the main CLI carries ``viz``."""
    parser = argparse.ArgumentParser(prog="socialabm")
    sub = parser.add_subparsers(dest="command", required=True)
    register(sub)
    args = parser.parse_args(argv)
    return args.func(args)
