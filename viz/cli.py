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

from socialabm.viz.limits import MAX_CONSUMERS, MAX_DAYS, MAX_SESSIONS, Limits
from socialabm.viz.server import DEFAULT_HOST, DEFAULT_PORT

from socialabm.cli.options import add_set_option

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
    for option, default, what in (
        ("--max-consumers", MAX_CONSUMERS, "largest population a page may build"),
        ("--max-days", MAX_DAYS, "longest run a page may build, in days"),
        ("--max-sessions", MAX_SESSIONS, "browser sessions open at once (the next is turned away)"),
    ):
        parser.add_argument(
            option, type=_positive, default=default, help=f"{what} (default {default:,})"
        )
    parser.set_defaults(func=run)
    return parser


def _positive(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed; allowed: a whole number >= 1")
    return int(text)


def configure(
    scenario: str | None,
    sets: Sequence[str],
    env: MutableMapping[str, str] | None = None,
    limits: Limits | None = None,
) -> None:
    """Check the app's start-up options and hand them to the app through ``env``.

    The server imports the app module itself, so the options travel in the environment
    (:data:`SCENARIO_ENV`, :data:`SET_ENV` and the limits' variables). Agent classes
    (``consumer_class=module:Class``) are imported here, so a bad one fails at once with one
    clear line instead of in the browser.

    Raises:
        ParameterError: an unknown name, a value that is not allowed, or a population above
            ``limits.max_consumers``.
        ScenarioError: a scenario that cannot be found, read or used.
    """
    from socialabm.scenarios import load_scenario

    from socialabm.cli.options import parse_sets
    from socialabm.parameters import ParameterError, lookup

    env = os.environ if env is None else env
    limits = limits or Limits()
    values = {name: lookup(name).coerce(value) for name, value in parse_sets(sets).items()}
    if "n_consumers" in values and (why := limits.population_error(values["n_consumers"])):
        raise ParameterError(f"--set: {why}")
    if scenario is not None:
        load_scenario(scenario)
        env[SCENARIO_ENV] = scenario
    else:
        env.pop(SCENARIO_ENV, None)
    env[SET_ENV] = json.dumps(values)
    env.update(limits.to_env())


def run(args: argparse.Namespace) -> int:
    from socialabm.viz.server import listening, serve

    limits = Limits(args.max_consumers, args.max_days, args.max_sessions)
    configure(args.scenario, args.sets, limits=limits)
    if listening(args.host, args.port):
        raise OSError(f"--port {args.port}: something already listens there; choose another port")
    serve(args.host, args.port)
    return 0
