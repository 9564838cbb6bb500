"""The ``socialabm viz`` subcommand: serve the classroom app.

:func:`register` adds it to the main CLI's subparsers (``socialabm.cli.build_parser`` calls it)
and sets ``func``, which the main CLI's dispatch runs; ``python -m socialabm.viz`` goes through
that same entry.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import MutableMapping, Sequence

from socialabm.viz.server import DEFAULT_HOST, DEFAULT_PORT

from socialabm.cli import add_set_option

SCENARIO_ENV = "SOCIALABM_VIZ_SCENARIO"
"""Environment variable: the scenario the app opens with (``--scenario``)."""
SET_ENV = "SOCIALABM_VIZ_SET"
"""Environment variable: JSON of the ``--set`` values the app applies to every scenario."""


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
    parser.add_argument(
        "--scenario",
        metavar="NAME_OR_PATH",
        help="scenario to open with: a built-in name or a path to a .toml file (which joins the "
        "app's scenario list)",
    )
    add_set_option(
        parser,
        "override a parameter in every scenario the app builds (repeatable), e.g. "
        "consumer_class=examples.debt_averse_consumer:DebtAverseConsumer",
    )
    parser.set_defaults(func=run)
    return parser


def configure(
    scenario: str | None,
    sets: Sequence[str],
    env: MutableMapping[str, str] | None = None,
) -> None:
    """Check the app's start-up options and hand them to the app through ``env``.

    The server imports the app module itself, so the options travel in the environment
    (:data:`SCENARIO_ENV`, :data:`SET_ENV`). Agent classes (``consumer_class=module:Class``) are
    imported here, so a bad one fails at once with one clear line instead of in the browser.

    Raises:
        ParameterError: an unknown name or a value that is not allowed.
        ScenarioError: a scenario that cannot be found, read or used.
    """
    from socialabm.scenarios import load_scenario

    from socialabm.cli import parse_sets
    from socialabm.parameters import lookup

    env = os.environ if env is None else env
    values = {name: lookup(name).coerce(value) for name, value in parse_sets(sets).items()}
    if scenario is not None:
        load_scenario(scenario)
        env[SCENARIO_ENV] = scenario
    else:
        env.pop(SCENARIO_ENV, None)
    env[SET_ENV] = json.dumps(values)


def run(args: argparse.Namespace) -> int:
    from socialabm.viz.server import serve

    configure(args.scenario, args.sets)
    serve(args.host, args.port)
    return 0
