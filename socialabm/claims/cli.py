"""``socialabm claims``: run the claims registry and print, save or publish its table."""

from __future__ import annotations

import argparse
from pathlib import Path

DOCS = Path("docs")
CSV_NAME = "claims.csv"
ODD_NAME = "ODD.md"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``claims`` subcommand (imports nothing heavy)."""
    from socialabm.cli.options import add_backend_options, add_set_option

    parser = subparsers.add_parser(
        "claims",
        help="run the model's claims with their ablations (paired, common random numbers)",
        description="Run claims of the registry: arms A and B differ in one mechanism; the "
        "ablation cuts its causal pathway in both arms. A claim holds when its effect is "
        "significant in the expected direction and the ablation removes it.",
    )
    parser.add_argument("ids", nargs="*", metavar="ID", help="claims to run (default: all)")
    parser.add_argument("--seeds", type=int, help="paired seeds per arm (default: registry's)")
    parser.add_argument("--first-seed", type=int, default=0, help="first seed (default 0)")
    add_set_option(parser, "set a parameter in every arm (not a mechanism or ablation one)")
    parser.add_argument("--registry", type=Path, help="claims TOML file (default: built-in)")
    add_backend_options(parser, "claims' runs")
    parser.add_argument(
        "--out", type=Path, help=f"CSV to write (default {CSV_NAME}; with --update-docs: none)"
    )
    parser.add_argument(
        "--update-docs",
        action="store_true",
        help=f"also write {DOCS / CSV_NAME} and regenerate the claims table of {DOCS / ODD_NAME} "
        "(needs the full registry, the default seeds and no --set)",
    )
    parser.set_defaults(func=cmd_claims)


def cmd_claims(args: argparse.Namespace) -> int:
    """Run the claims; print the table, write the CSV (and the docs with ``--update-docs``)."""
    from socialabm.claims import load_registry, run_claims
    from socialabm.claims.report import format_table, render_section, update_document
    from socialabm.cli.options import parse_sets

    sets = parse_sets(args.sets)
    registry = load_registry(args.registry, sets)
    if args.update_docs and (
        args.ids
        or sets
        or args.registry
        or args.seeds not in (None, registry.seeds)
        or args.first_seed
    ):
        raise ValueError(
            "--update-docs publishes the full built-in registry at its default seeds: "
            "drop the claim ids, --set, --registry, --seeds and --first-seed"
        )
    if args.seeds is not None and args.seeds < 2:
        raise ValueError(f"--seeds {args.seeds}: allowed: at least 2 (for an interval)")
    count = registry.seeds if args.seeds is None else args.seeds
    seeds = range(args.first_seed, args.first_seed + count)
    table = run_claims(
        args.ids, seeds, overrides=sets, registry=args.registry, workers=args.workers,
        scheduler=args.scheduler, dask_local=args.dask_local, progress=True,
    )  # fmt: skip
    print(format_table(table))
    out = args.out if args.out is not None or args.update_docs else Path(CSV_NAME)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(out, index=False)
        print(f"wrote {out}")
    if args.update_docs:
        odd = DOCS / ODD_NAME
        if not odd.exists():
            raise OSError(f"{odd} not found: run --update-docs from the repository's top folder")
        table.to_csv(DOCS / CSV_NAME, index=False)
        changed = update_document(odd, render_section(table, registry.claims, count))
        print(f"wrote {DOCS / CSV_NAME}; {odd} {'updated' if changed else 'unchanged'}")
    return 0
