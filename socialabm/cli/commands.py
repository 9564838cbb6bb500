"""The ``socialabm`` command: run scenarios, compare them, list scenarios, parameters and outputs.

Errors (bad parameter, unknown scenario, unreadable file) print one clear line, no traceback,
and exit with status 2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from socialabm.cli.options import add_set_option, parse_sets
from socialabm.extras import MissingExtraError, explain, install_hint, missing, require
from socialabm.parameters import CLASS_PARAMETERS, PARAMETERS, ParameterError, validate
from socialabm.scenarios import Scenario, ScenarioError, list_scenarios, load_scenario

COMMAND_EXTRAS = {"viz": "app"}
"""Commands that need an extra as a whole (socialabm.extras), checked before they start."""


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(
        prog="socialabm", description="Agent-based models of social e-commerce (Mesa)."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run a scenario and write its outputs")
    run.add_argument("scenario", help="built-in scenario name or path to a .toml file")
    run.add_argument("--steps", type=int, help="days to run (default: whole horizon)")
    run.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    add_set_option(run, "override a parameter (repeatable)")
    run.add_argument("--out", type=Path, help="folder for daily series (Parquet, CSV) and plot")
    run.add_argument(
        "--all", action="store_true", help="print every summary output, not only the main ones"
    )
    run.set_defaults(func=cmd_run)

    compare = sub.add_parser("compare", help="paired experiment of two scenarios")
    compare.add_argument("scenario_a")
    compare.add_argument("scenario_b")
    compare.add_argument("--seeds", type=int, default=20, help="number of paired seeds")
    compare.add_argument("--first-seed", type=int, default=0)
    compare.add_argument("--steps", type=int)
    add_set_option(compare, "override a parameter in both arms (repeatable)")
    compare.add_argument(
        "--set-a", dest="sets_a", action="append", default=[], metavar="NAME=VALUE",
        help="override a parameter in arm A only (after --set; repeatable)",
    )  # fmt: skip
    compare.add_argument(
        "--set-b", dest="sets_b", action="append", default=[], metavar="NAME=VALUE",
        help="override a parameter in arm B only (after --set; repeatable)",
    )  # fmt: skip
    compare.add_argument(
        "--outputs",
        metavar="A,B,...",
        help="compare only these summary outputs (default: all); the adjustment for multiple "
        "comparisons counts only them",
    )
    compare.add_argument("--out", type=Path, help="write the table as CSV here")
    compare.set_defaults(func=cmd_compare)

    scen = sub.add_parser("scenarios", help="list built-in scenarios")
    scen.set_defaults(func=cmd_scenarios)
    params = sub.add_parser("params", help="list every parameter")
    params.set_defaults(func=cmd_params)
    outputs = sub.add_parser("outputs", help="list every output: name, unit and meaning, by group")
    outputs.add_argument("names", nargs="*", metavar="NAME", help="only these outputs")
    kind = outputs.add_mutually_exclusive_group()
    kind.add_argument("--summary", action="store_true", help="only the per-run summary")
    kind.add_argument("--daily", action="store_true", help="only the daily series")
    outputs.set_defaults(func=cmd_outputs)
    from socialabm.calibration import cli as calibration_cli
    from socialabm.claims import cli as claims_cli
    from socialabm.sweeps import cli as sweeps_cli
    from socialabm.validation import cli as validation_cli
    from socialabm.viz import cli as viz_cli

    for register in (
        claims_cli.register,
        sweeps_cli.register,
        viz_cli.register,
        validation_cli.register,
        calibration_cli.register,
    ):
        register(sub)
    return parser


def _progress_bar(total: int, desc: str, unit: str = "day"):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, mininterval=1.0, delay=1.0, leave=False)


def _check_steps(steps: int | None) -> None:
    if steps is not None and steps < 1:
        raise ParameterError(f"--steps {steps}: allowed: a positive number of days")


def cmd_run(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    sets = parse_sets(args.sets)
    params = scenario.model_params(**sets)
    _check_steps(args.steps)
    values = validate(params)  # a bad --set fails here, before the model is imported
    overrides = {name: values[name] for name in sets}
    classes = {name: values[name] for name in CLASS_PARAMETERS if name in values}
    from socialabm.experiments.runner import run_model

    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:  # the model (built and validated by run_model) knows its horizon
            bar = _progress_bar(total, scenario.name)
        bar.update(1)

    try:
        result = run_model(params, seed=args.seed, steps=args.steps, progress=progress)
    finally:
        if bar is not None:
            bar.close()
    days = len(result.daily)
    print(f"{scenario.title}  (scenario {scenario.name}, seed {args.seed}, {days} days)")
    for label, chosen in (("overrides", overrides), ("classes", classes)):
        if chosen:
            print(f"  {label}: " + ", ".join(f"{k}={v}" for k, v in chosen.items()))
    from socialabm.cli.printing import summary_lines

    print("\n".join(summary_lines(result.summary, every=args.all)))
    if args.out:
        written = write_outputs(result.daily, args.out, scenario.name)
        import pandas as pd

        pd.DataFrame([result.summary]).to_csv(args.out / "summary.csv", index=False)
        write_run_manifest(
            args.out / "manifest.json", scenario, args.seed, days, overrides, classes
        )
        print(f"wrote {args.out}/{', '.join([*written, 'summary.csv', 'manifest.json'])}")
        if f"{scenario.name}.png" not in written:
            print(
                f"no plot: it needs matplotlib, from socialabm's 'analysis' extra: "
                f"{install_hint('analysis')}"
            )
    return 0


def write_run_manifest(
    path: Path,
    scenario: Scenario,
    seed: int,
    steps: int,
    overrides: dict[str, Any],
    classes: dict[str, str],
) -> None:
    """Write what a ``socialabm run`` did as JSON: enough to run it again and to tell its code.

    Keys: ``scenario`` (name), ``scenario_source``, ``seed``, ``steps`` (days run), ``overrides``
    (the ``--set`` values, converted), ``classes`` (agent-class keywords in effect, from the
    scenario or ``--set``), ``package_version``, ``code_hash`` (socialabm's sources),
    ``user_modules`` (SHA-256 of each class module outside socialabm) and ``created``.
    """
    from socialabm import provenance

    manifest = {
        "scenario": scenario.name,
        "scenario_source": scenario.source,
        "seed": seed,
        "steps": steps,
        "overrides": overrides,
        "classes": classes,
        "package_version": provenance.package_version(),
        "code_hash": provenance.code_hash(),
        "user_modules": provenance.module_hashes(provenance.user_modules(classes.values())),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    path.write_text(json.dumps(manifest, indent=1, default=str) + "\n", encoding="utf-8")


def write_outputs(daily, out: Path, name: str) -> list[str]:
    """Write the daily series (Parquet and CSV) and, when matplotlib is installed (the
    ``analysis`` or ``app`` extra), a PNG plot of the key series; return the names written."""
    out.mkdir(parents=True, exist_ok=True)
    daily.to_parquet(out / "daily.parquet", index=False)
    daily.to_csv(out / "daily.csv", index=False)
    if missing("analysis", ("matplotlib",)):
        return ["daily.parquet", "daily.csv"]
    from socialabm.experiments.plots import plot_key_series

    plot_key_series(daily, out / f"{name}.png", title=name)
    return ["daily.parquet", "daily.csv", f"{name}.png"]


def cmd_compare(args: argparse.Namespace) -> int:
    if args.seeds < 2:
        raise ParameterError(f"--seeds {args.seeds}: allowed: at least 2 (for an interval)")
    _check_steps(args.steps)
    a, b = load_scenario(args.scenario_a), load_scenario(args.scenario_b)
    sets = parse_sets(args.sets)
    params_a = a.model_params(**sets, **parse_sets(args.sets_a))
    params_b = b.model_params(**sets, **parse_sets(args.sets_b))
    for params in (params_a, params_b):  # bad input fails before the model is imported
        validate(params)
    chosen = _chosen_outputs(args.outputs)
    from socialabm.cli.printing import comparison_lines
    from socialabm.experiments.adjust import with_adjusted_p
    from socialabm.experiments.compare import paired_difference, paired_runs

    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    bar = _progress_bar(len(seeds), "paired seeds", unit="pair")
    try:
        runs_a, runs_b = paired_runs(
            params_a,
            params_b,
            seeds,
            args.steps,
            progress=lambda *_: bar.update(1),
        )
    finally:
        bar.close()
    if chosen:
        runs_a, runs_b = runs_a[chosen], runs_b[chosen]
    table = with_adjusted_p(paired_difference(runs_a, runs_b))
    label_a = a.name + "".join(f" {s}" for s in args.sets_a)
    label_b = b.name + "".join(f" {s}" for s in args.sets_b)
    title = f"{label_b} minus {label_a}: mean paired difference over {len(seeds)} seeds, 95% CI"
    print("\n".join(comparison_lines(table, title)))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        table.to_csv(args.out)
    return 0


def _chosen_outputs(text: str | None) -> list[str]:
    """The summary outputs named by ``--outputs A,B`` (empty: all).

    Raises:
        ParameterError: a name that is not a summary output (with a "did you mean").
    """
    from socialabm.output_catalog import summary_names, unknown_output

    chosen = [name.strip() for name in (text or "").split(",") if name.strip()]
    known = summary_names()
    for name in chosen:
        if name not in known:
            raise ParameterError(unknown_output("--outputs", name, known, "a summary output"))
    return chosen


def cmd_scenarios(args: argparse.Namespace) -> int:
    for scenario in list_scenarios():
        print(f"{scenario.name:<22} {scenario.title}")
    return 0


def cmd_params(args: argparse.Namespace) -> int:
    print(f"{'name':<28} {'default':>10}  {'allowed':<34} {'unit':<14} meaning")
    for p in PARAMETERS.values():
        default = str(p.default).lower() if p.type is bool else p.default
        print(f"{p.name:<28} {default!s:>10}  {p.allowed():<34} {p.unit:<14} {p.meaning}")
    print("\nagent classes (a 'module:Class' string naming a subclass of the default):")
    for c in CLASS_PARAMETERS.values():
        print(f"{c.name:<28} {c.default:<36} {c.meaning}")
    return 0


def cmd_outputs(args: argparse.Namespace) -> int:
    from socialabm.cli.printing import catalog_lines
    from socialabm.output_catalog import DAILY_OUTPUTS, SUMMARY_OUTPUTS, declared, unknown_output

    tables = [
        ("per-run summary (socialabm run and compare, model.summary(), a sweep's runs.parquet)",
         SUMMARY_OUTPUTS),
        ("daily series (socialabm run --out daily.parquet, model.daily_frame(), a sweep's "
         "daily.parquet)", DAILY_OUTPUTS),
    ]  # fmt: skip
    if args.summary or args.daily:
        tables = [tables[0] if args.summary else tables[1]]
    wanted: list[str] = []
    for name in args.names:
        found = [d.name for _, t in tables if (d := declared(name, t)) is not None]
        if not found:
            known = [o for _, t in tables for o in t]
            raise ParameterError(unknown_output("socialabm outputs", name, known))
        wanted += found
    blocks = [catalog_lines(title, table, wanted) for title, table in tables]
    print("\n\n".join("\n".join(b) for b in blocks if b))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``socialabm`` console command.

    As with ``python -m``, the current folder is importable, so ``--set
    consumer_class=mymodule:MyConsumer`` works from the folder holding ``mymodule.py`` (and so do
    local pool workers; a Dask cluster's workers need it on their ``PYTHONPATH``).
    """
    if os.getcwd() not in sys.path and "" not in sys.path:
        sys.path.append(os.getcwd())
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    args.command_line = [parser.prog, *argv]  # for messages that show how to go on
    try:
        if args.command in COMMAND_EXTRAS:
            require(COMMAND_EXTRAS[args.command], f"socialabm {args.command}")
        return int(args.func(args) or 0)
    except (ParameterError, ScenarioError, ValueError, OSError) as err:
        print(f"socialabm: error: {err}", file=sys.stderr)
        return 2
    except ImportError as err:  # a module of an extra that is not installed: one line
        message = (
            str(err)
            if isinstance(err, MissingExtraError)
            else explain(err, f"socialabm {args.command}")
        )
        if message is None:
            raise
        print(f"socialabm: error: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("socialabm: interrupted", file=sys.stderr)
        return 130
