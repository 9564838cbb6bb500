"""``python -m socialabm.sweeps {sweep,analyze} ...``: the sweep commands without the main CLI."""

from __future__ import annotations

import argparse
import sys

from socialabm.sweeps.cli import register


def main(argv: list[str] | None = None) -> int:
    """Parse ``argv`` and run the chosen subcommand; return its exit code."""
    parser = argparse.ArgumentParser(prog="python -m socialabm.sweeps")
    register(parser.add_subparsers(dest="command", required=True))
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    args.command_line = [*parser.prog.split(), *argv]
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
