"""``socialabm claims``: run the claims registry and print, save or publish its table."""

from __future__ import annotations

import argparse
from pathlib import Path

DOCS = Path("docs")
CSV_NAME = "claims.csv"
RUNS_NAME = "claims_runs.csv"
ODD_NAME = "ODD.md"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``claims`` subcommand (imports nothing heavy)."""
    from socialabm.cli.options import add_backend_options, add_set_option

    parser = subparsers.add_parser(
        "claims",
        help="run the model's claims with their ablations and knock-outs (paired seeds)",
        description="Run claims of the registry: arms A and B differ in one mechanism; the "
        "ablation cuts its causal pathway by parameters in both arms, the knock-out replaces the "
        "code it runs through by a neutral one. A row holds when its effect is significant in "
        "the expected direction and the ablation removes at least half of it, significantly; a "
        "holding row whose effect survives its knock-out is flagged (docs/ODD.md §11).",
    )
    parser.add_argument("ids", nargs="*", metavar="ID", help="claims to run (default: all)")
    parser.add_argument(
        "--list", action="store_true", help="list the claims (id, section, what each says) and stop"
    )
    parser.add_argument(
        "--knockout",
        action="store_true",
        help="also run each claim with its knock-out (the code of its mechanism replaced)",
    )
    parser.add_argument(
        "--seeds", type=int, help="paired seeds per arm of every claim (default: each claim's own)"
    )
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
        help=f"run every claim with its knock-out and write {DOCS / CSV_NAME}, the per-seed "
        f"values {DOCS / RUNS_NAME} and the claims table of {DOCS / ODD_NAME} (needs the full "
        "registry, each claim's own seeds and no --set)",
    )
    parser.set_defaults(func=cmd_claims)


def cmd_claims(args: argparse.Namespace) -> int:
    """Run the claims; print the table, write the CSV (and the docs with ``--update-docs``)."""
    from socialabm.claims import claim_seeds, load_registry
    from socialabm.claims.evaluate import evaluate
    from socialabm.claims.execute import run_arms
    from socialabm.claims.report import format_table, list_claims, render_section, update_document
    from socialabm.claims.runs import runs_frame
    from socialabm.cli.options import parse_sets

    sets = parse_sets(args.sets)
    registry = load_registry(args.registry, sets, only=args.ids or None)
    claims = registry.select(args.ids)
    if args.list:
        print(list_claims(claims))
        return 0
    if args.update_docs and (
        args.ids or sets or args.registry or args.seeds is not None or args.first_seed
    ):
        raise ValueError(
            "--update-docs publishes the full built-in registry at each claim's own seeds: "
            "drop the claim ids, --set, --registry, --seeds and --first-seed"
        )
    if args.seeds is not None and args.seeds < 2:
        raise ValueError(f"--seeds {args.seeds}: allowed: at least 2 (for an interval)")
    odd = DOCS / ODD_NAME
    if args.update_docs and not odd.exists():
        raise OSError(f"{odd} not found: run --update-docs from the repository's top folder")
    seeds = None if args.seeds is None else range(args.first_seed, args.first_seed + args.seeds)
    runs = run_arms(
        claims, claim_seeds(claims, seeds, args.first_seed),
        knockout=args.knockout or args.update_docs, workers=args.workers,
        scheduler=args.scheduler, dask_local=args.dask_local, progress=True,
    )  # fmt: skip
    table = evaluate(claims, runs)
    print(format_table(table, claims))
    out = args.out if args.out is not None or args.update_docs else Path(CSV_NAME)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(out, index=False)
        print(f"wrote {out}")
    if args.update_docs:
        table.to_csv(DOCS / CSV_NAME, index=False)
        runs_frame(claims, runs).to_csv(DOCS / RUNS_NAME, index=False)
        changed = update_document(odd, render_section(table, claims))
        print(
            f"wrote {DOCS / CSV_NAME} and {DOCS / RUNS_NAME}; "
            f"{odd} {'updated' if changed else 'unchanged'}"
        )
    return 0
