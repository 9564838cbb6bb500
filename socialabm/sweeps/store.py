"""The crash-safe sweep directory.

Layout of ``DIR``::

    manifest.json          the spec (canonical form), its hash, the runner, package and library
                           versions, a hash of the model code; written when the sweep starts
    spec.toml              the sweep file as given (when it came from a file)
    design.json            the design points (exact values), the SALib problem and sample
    parts/00000/000000042.ok.json        one record per finished run (summary, seed, ...)
    parts/00000/000000043.err.json       one record per failed run (error, traceback, params)
    parts/00000/000000042.daily.arrow    the run's daily series (when kept)
    runs.parquet           consolidated: one row per successful run          } written at the end,
    failures.parquet       consolidated: one row per failed run               } rebuilt from parts/
    daily.parquet          consolidated: one row per run and collected day    } on every resume,
                                                                              } and by readers
                                                                              } when stale
    status.json            counts and timings of the last execution
    .writer.lock           while a process writes here: who (socialabm.sweeps.lock)

Every file is written to a temporary name in the same directory and renamed over its final name
(``os.replace``, atomic on POSIX), so a reader or a restarted sweep never sees half a file. A
run is done if and only if its record file exists; the daily file is written before the record,
so a record never points to a missing series. A process killed at any moment (``SIGKILL``) thus
leaves every finished run on disk exactly once; by default files are not ``fsync``-ed (set
``fsync=True`` to survive power loss too, at some cost per run).
"""

from __future__ import annotations

import json
import os
import sys
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.feather as feather
import pyarrow.parquet as pq

from socialabm.provenance import changed_modules, code_hash, package_version
from socialabm.sweeps.lock import LOCK_NAME
from socialabm.sweeps.spec import LABELS

__all__ = [
    "MANIFEST",
    "SweepStoreError",
    "consolidate",
    "is_stale",
    "open_sweep_dir",
    "scan_parts",
    "write_json",
    "write_run",
]

MANIFEST = "manifest.json"
"""File of a sweep directory with the spec, its hash and the versions it ran with."""
DESIGN = "design.json"
PARTS = "parts"
FORMAT = 1
KEYS = ("run_id", "point", "replicate", "seed")
"""The key columns of ``runs.parquet`` and ``failures.parquet``."""
TIMING = "seconds"
"""Column of ``runs.parquet`` after the keys: the run's wall time (s)."""
_SHARD = 1000  # records per sub-directory of parts/


class SweepStoreError(ValueError):
    """A sweep directory cannot be created, resumed or read; the message says why and what to do."""


# -- atomic files ----------------------------------------------------------------------------
def _atomic(path: Path, write: Any, fsync: bool) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        write(tmp)
        if fsync:
            fd = os.open(tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_bytes(path: Path, data: bytes, fsync: bool = False) -> None:
    """Write ``data`` to ``path`` atomically."""
    _atomic(path, lambda tmp: tmp.write_bytes(data), fsync)


def write_json(path: Path, data: Any, fsync: bool = False) -> None:
    """Write ``data`` as JSON to ``path`` atomically."""
    write_bytes(path, json.dumps(data, indent=1, default=str).encode(), fsync)


def _write_parquet(path: Path, frame: pd.DataFrame) -> None:
    _atomic(path, lambda tmp: frame.to_parquet(tmp, index=False), fsync=False)


# -- per-run records -------------------------------------------------------------------------
def _part(out: Path, run_id: int, suffix: str) -> Path:
    return out / PARTS / f"{run_id // _SHARD:05d}" / f"{run_id:09d}.{suffix}"


def write_run(
    out: Path, record: Mapping[str, Any], daily: pd.DataFrame | None, fsync: bool = False
) -> None:
    """Commit one run: its daily series first (if any), then its record (the "done" marker)."""
    run_id = int(record["run_id"])
    ok = record["status"] == "ok"
    target = _part(out, run_id, "ok.json" if ok else "err.json")
    target.parent.mkdir(parents=True, exist_ok=True)
    if ok and daily is not None:
        table = pa.Table.from_pandas(daily, preserve_index=False)
        _atomic(
            _part(out, run_id, "daily.arrow"),
            lambda tmp: feather.write_feather(table, tmp, compression="uncompressed"),
            fsync,
        )
    write_json(target, record, fsync)
    if ok:  # a retried run that now succeeded supersedes its failure record
        _part(out, run_id, "err.json").unlink(missing_ok=True)


def scan_parts(out: Path, clean: bool = False) -> dict[int, str]:
    """Status (``"ok"`` or ``"failed"``) of every committed run, by run id.

    Args:
        out: Sweep directory.
        clean: Also delete leftover temporary files and unreadable records (from a crash or a
            power loss), so those runs are done again.
    """
    status: dict[int, str] = {}
    parts = out / PARTS
    if not parts.exists():
        return status
    for shard in sorted(parts.iterdir()):
        for path in shard.iterdir():
            name = path.name
            if name.startswith("."):
                if clean and name.endswith(".tmp"):
                    path.unlink(missing_ok=True)
                continue
            if not name.endswith(".json"):
                continue
            if clean:
                try:
                    json.loads(path.read_bytes())
                except ValueError:
                    path.unlink(missing_ok=True)
                    continue
            run_id = int(name.split(".", 1)[0])
            if name.endswith(".ok.json"):
                status[run_id] = "ok"
            else:
                status.setdefault(run_id, "failed")
    return status


def _newest_part(out: Path) -> int:
    """Modification time (ns) of the newest run record in ``parts/`` (0 if none)."""
    newest = 0
    parts = out / PARTS
    if parts.exists():
        for shard in os.scandir(parts):
            for entry in os.scandir(shard.path):
                if entry.name.endswith(".json") and not entry.name.startswith("."):
                    newest = max(newest, entry.stat().st_mtime_ns)
    return newest


def is_stale(out: Path) -> bool:
    """Whether the consolidated tables miss runs committed in ``parts/``: one is missing, it is
    older than the newest run record, or its row count differs from the records' count."""
    tables = [out / "runs.parquet", out / "failures.parquet"]
    if not all(t.exists() for t in tables):
        return True
    if min(t.stat().st_mtime_ns for t in tables) < _newest_part(out):
        return True
    status = list(scan_parts(out).values())
    rows = [pq.read_metadata(t).num_rows for t in tables]
    return rows != [status.count("ok"), status.count("failed")]


def _records(out: Path, run_ids: Iterable[int], suffix: str) -> list[dict[str, Any]]:
    return [json.loads(_part(out, i, suffix).read_bytes()) for i in run_ids]


# -- manifest --------------------------------------------------------------------------------
def _describe_changes(old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    """The keys whose values differ, but for labels (not hashed) and keys the old spec lacks
    (options added since it was written)."""
    changed = []
    for key in sorted(set(old) - set(LABELS)):
        if old.get(key) != new.get(key):
            if isinstance(old.get(key), dict) and isinstance(new.get(key), dict):
                sub = [
                    k
                    for k in sorted(set(old[key]) | set(new[key]))
                    if old[key].get(k) != new[key].get(k)
                ]
                changed.extend(f"{key}.{k}" for k in sub)
            else:
                changed.append(key)
    if not changed:
        return "options added since it started"
    return ", ".join(changed[:8]) + (" ..." if len(changed) > 8 else "")


def open_sweep_dir(
    out: Path,
    spec_dict: Mapping[str, Any],
    spec_hash: str,
    design: Mapping[str, Any],
    runner: str,
    resume: bool,
    spec_text: str | None = None,
    user_modules: Mapping[str, str] | None = None,
    accept_changed_code: bool = False,
    rehash: Callable[[Mapping[str, Any]], str] | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """Create the sweep directory, or open it to resume.

    Args:
        out: Sweep directory.
        spec_dict: The spec's canonical form.
        spec_hash: Its hash.
        design: The design (points, SALib problem and sample).
        runner: ``"module:function"`` of the runner.
        resume: Continue a sweep already in ``out``.
        spec_text: The sweep file's text, copied into the directory.
        user_modules: SHA-256 of each user module the sweep names (agent classes, reporters,
            runner), by module name; stored in the manifest and compared on resume.
        accept_changed_code: On resume, accept changed socialabm code or user modules with a
            warning (the new hashes and the change are recorded in the manifest) instead of
            refusing.
        rehash: The spec hash of a stored spec as this version computes it: a sweep whose
            stored hash was computed otherwise (an older version: the name was hashed, newer
            keys were missing) resumes if its spec still makes the same runs.

    Returns:
        The design (as stored: on resume the stored one is used, so a resumed sweep runs
        exactly the points it started with) and warnings to show the user.

    Raises:
        SweepStoreError: the directory holds another sweep (changed spec or runner), holds a
            sweep but ``resume`` is false, holds files that are not a sweep's, or socialabm's
            code or a user module changed (unless ``accept_changed_code``).
    """
    user_modules = dict(user_modules or {})
    manifest_path = out / MANIFEST
    if manifest_path.exists():
        try:
            manifest = json.loads(manifest_path.read_text())
        except ValueError:
            raise SweepStoreError(
                f"{manifest_path} is damaged; use a new --out directory"
            ) from None
        if not resume:
            raise SweepStoreError(
                f"{out} already holds a sweep ({manifest['spec'].get('name')!r}); add --resume "
                "to continue it, or choose another --out directory"
            )
        if manifest["spec_hash"] != spec_hash and rehash is not None:
            try:  # a sweep started by an older socialabm: its spec, hashed as today
                if rehash(manifest["spec"]) == spec_hash:
                    manifest["spec_hash"] = spec_hash  # workers compare it with theirs
                    write_json(manifest_path, manifest)
            except ValueError:
                pass
        if manifest["spec_hash"] != spec_hash:
            raise SweepStoreError(
                f"cannot resume {out}: the sweep spec changed since it started (spec hash "
                f"{manifest['spec_hash'][:12]} there, {spec_hash[:12]} now; changed: "
                f"{_describe_changes(manifest['spec'], spec_dict)}); resume with the original "
                "spec or start the changed sweep in a new --out directory"
            )
        if manifest["runner"] != runner:
            raise SweepStoreError(
                f"cannot resume {out}: it was run with {manifest['runner']!r}, not {runner!r}"
            )
        warnings = _check_user_modules(
            out, manifest, user_modules, accept_changed_code, manifest_path
        )
        warnings += _check_model_code(out, manifest, accept_changed_code, manifest_path)
        if manifest.get("package_version") != package_version():
            warnings.append(
                "socialabm version changed since the sweep started ("
                f"{manifest.get('package_version')} -> {package_version()}); new runs may "
                "differ from earlier ones"
            )
        design_path = out / DESIGN
        if design_path.exists():
            design = load_design(out)
        else:
            write_json(design_path, design)
        return dict(design), warnings
    if out.exists():
        ours = {DESIGN, "spec.toml", LOCK_NAME}
        foreign = [
            p.name for p in out.iterdir() if p.name not in ours and not p.name.endswith(".tmp")
        ]
        if foreign:
            raise SweepStoreError(
                f"{out} exists and is not a sweep directory (no {MANIFEST}; holds "
                f"{', '.join(sorted(foreign)[:3])}); choose a new or empty --out directory"
            )
    out.mkdir(parents=True, exist_ok=True)
    manifest = {
        "format": FORMAT,
        "spec": dict(spec_dict),
        "spec_hash": spec_hash,
        "runner": runner,
        "package_version": package_version(),
        "code_hash": code_hash(),
        "user_modules": user_modules,
        "versions": {
            "python": sys.version.split()[0],
            **{p: package_version(p) for p in ("numpy", "mesa", "salib", "pandas", "pyarrow")},
        },
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "n_points": len(design["points"]),
        "n_runs": len(design["points"]) * int(spec_dict["replicates"]),
    }
    if spec_text is not None:
        write_bytes(out / "spec.toml", spec_text.encode())
    write_json(out / DESIGN, design)
    write_json(manifest_path, manifest)  # last: its presence marks a complete sweep directory
    return dict(design), []


def _check_user_modules(
    out: Path,
    manifest: dict[str, Any],
    hashes: dict[str, str],
    accept: bool,
    manifest_path: Path,
) -> list[str]:
    """Refuse (or, with ``accept``, warn about and record) user modules changed since the
    sweep started; return the warnings."""
    changed = changed_modules(manifest.get("user_modules", {}), hashes)
    if not changed:
        return []
    what = f"user module {', '.join(changed)}"
    return _changed_code(
        out, manifest, manifest_path, accept, what, changed, "user_modules", hashes
    )


def _check_model_code(
    out: Path, manifest: dict[str, Any], accept: bool, manifest_path: Path
) -> list[str]:
    """Refuse (or, with ``accept``, warn about and record) a change of socialabm's own code
    (:func:`~socialabm.provenance.code_hash`) since the sweep started; return the warnings."""
    now = code_hash()
    if manifest.get("code_hash") == now:
        return []
    what = "the socialabm code"
    return _changed_code(
        out, manifest, manifest_path, accept, what, ["socialabm"], "code_hash", now
    )


def _changed_code(
    out: Path,
    manifest: dict[str, Any],
    manifest_path: Path,
    accept: bool,
    what: str,
    modules: list[str],
    key: str,
    now: Any,
) -> list[str]:
    """Code (``what``) changed since the sweep started: refuse the resume, or with ``accept``
    record the change and the new hash (``manifest[key] = now``) and return the warning."""
    done = sum(1 for s in scan_parts(out).values() if s == "ok")
    if not accept:
        raise SweepStoreError(
            f"cannot resume {out}: {what} changed since the sweep started, so new runs may not "
            f"match the {done} finished ones; restore it, start a new --out directory, or "
            "resume with --accept-changed-code"
        )
    manifest.setdefault("code_changes", []).append(
        {"accepted": datetime.now(UTC).isoformat(timespec="seconds"), "modules": modules}
    )
    manifest[key] = now
    write_json(manifest_path, manifest)
    return [
        f"{what} changed since the sweep started; accepted (--accept-changed-code): the {done} "
        "finished runs used the old code"
    ]


def load_manifest(out: Path) -> dict[str, Any]:
    """Read a sweep directory's manifest (raising :class:`SweepStoreError` if there is none)."""
    try:
        return json.loads((out / MANIFEST).read_text())
    except FileNotFoundError:
        raise SweepStoreError(f"{out} is not a sweep directory (no {MANIFEST})") from None


def load_design(out: Path) -> dict[str, Any]:
    """Read a sweep directory's design."""
    return json.loads((out / DESIGN).read_text())


# -- consolidation ---------------------------------------------------------------------------
def output_columns(outputs: Iterable[str], parameters: Iterable[str]) -> dict[str, str]:
    """Renames of the per-run outputs whose name is a parameter's, a key's or ``seconds``: each
    gets the prefix ``out_`` in ``runs.parquet`` (``experience_units`` -> ``out_experience_units``).
    """
    taken = {*parameters, *KEYS, TIMING}
    return {name: f"out_{name}" for name in outputs if name in taken}


def _key_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.array([r[c] for r in records], dtype="int64") for c in KEYS})


def consolidate(
    out: Path, point_params: list[dict[str, Any]], varied: list[str], batch: int = 500
) -> dict[str, int]:
    """Rebuild ``runs.parquet``, ``failures.parquet`` and ``daily.parquet`` from ``parts/``.

    Args:
        out: Sweep directory.
        point_params: Every parameter's value (validated, complete) at each design point.
        varied: Names of the varied parameters (copied into the daily and failure tables).
        batch: Runs per row group of ``daily.parquet`` (bounds memory).

    Returns:
        Counts: ``ok``, ``failed``.
    """
    status = scan_parts(out)
    ok_ids = sorted(i for i, s in status.items() if s == "ok")
    failed_ids = sorted(i for i, s in status.items() if s == "failed")

    records = _records(out, ok_ids, "ok.json")
    runs = _key_frame(records)
    runs[TIMING] = pd.array([r.get("seconds") for r in records], dtype="float64")
    if records:
        params = pd.DataFrame([point_params[p] for p in runs["point"]])
        outputs = pd.DataFrame([r["summary"] for r in records])
        outputs = outputs.rename(columns=output_columns(outputs.columns, params.columns))
        runs = pd.concat([runs, params, outputs], axis=1)
    _write_parquet(out / "runs.parquet", runs)

    fails = _records(out, failed_ids, "err.json")
    failures = _key_frame(fails)
    for name in varied:
        failures[name] = [point_params[p][name] for p in failures["point"]]
    failures["error"] = pd.array([f["error"] for f in fails], dtype="string")
    failures["traceback"] = pd.array([f["traceback"] for f in fails], dtype="string")
    failures["params"] = pd.array(
        [json.dumps(f["params"], sort_keys=True) for f in fails], dtype="string"
    )
    _write_parquet(out / "failures.parquet", failures)

    _consolidate_daily(out, records, point_params, varied, batch)
    return {"ok": len(ok_ids), "failed": len(failed_ids)}


def _consolidate_daily(
    out: Path,
    records: list[dict[str, Any]],
    point_params: list[dict[str, Any]],
    varied: list[str],
    batch: int,
) -> None:
    with_daily = [r for r in records if _part(out, r["run_id"], "daily.arrow").exists()]
    target = out / "daily.parquet"
    if not with_daily:
        target.unlink(missing_ok=True)
        return

    def write(tmp: Path) -> None:
        writer = None
        try:
            for start in range(0, len(with_daily), batch):
                tables = []
                for r in with_daily[start : start + batch]:
                    table = feather.read_table(_part(out, r["run_id"], "daily.arrow"))
                    n = table.num_rows
                    head = {
                        "run_id": pa.array([r["run_id"]] * n, pa.int64()),
                        "point": pa.array([r["point"]] * n, pa.int64()),
                        "replicate": pa.array([r["replicate"]] * n, pa.int64()),
                    }
                    for name in varied:
                        head[name] = pa.array([point_params[r["point"]][name]] * n)
                    tables.append(pa.table({**head, **{c: table[c] for c in table.column_names}}))
                chunk = pa.concat_tables(tables, promote_options="permissive")
                if writer is None:
                    writer = pq.ParquetWriter(tmp, chunk.schema)
                chunk = chunk.select(writer.schema.names).cast(writer.schema)
                writer.write_table(chunk)
        finally:
            if writer is not None:
                writer.close()

    _atomic(target, write, fsync=False)
