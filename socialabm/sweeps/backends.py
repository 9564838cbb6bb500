"""Where chunks of runs execute: in this process, a local process pool, or a Dask cluster.

Every backend offers the same three operations (submit a chunk, wait for at least one to
finish, close), so the sweep loop in :mod:`socialabm.sweeps.execute` is the same for all of them.
Which backend runs a run never changes its result: seeds come from the design, not the worker.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from multiprocessing import resource_tracker
from typing import Any

from socialabm.extras import require
from socialabm.sweeps.worker import ChunkContext, RunOutcome, RunTask, run_chunk

__all__ = [
    "Backend",
    "DaskBackend",
    "PoolBackend",
    "SerialBackend",
    "default_workers",
    "make_backend",
]

DASK = "a Dask cluster (--scheduler, --dask-local)"
"""What needs the ``distributed`` extra, for its message."""
_PRELOAD = ["socialabm.sweeps.worker", "socialabm.experiments.runner", "socialabm.model"]
"""Modules every worker imports before its first chunk (see ``preload`` of :func:`make_backend`
for more)."""


def default_workers() -> int:
    """Cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _parent_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - exists, owned by someone else
        return True
    try:  # a killed parent not yet reaped is a zombie: as good as dead
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:  # pragma: no cover - no /proc
        return True


@contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Hold Ctrl-C (``SIGINT``) back while worker processes start: they and the ``forkserver``
    they fork from inherit the blocked signal, so a Ctrl-C, which a terminal sends to every
    process of the sweep, reaches only the sweep process, which decides how its workers stop
    (:meth:`Backend.close`); one pressed meanwhile reaches it when they have started."""
    resource_tracker.ensure_running()  # starting it later would unblock SIGINT on its way
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _watch_parent(pid: int, interval: float = 0.5) -> None:
    """Pool initializer: end this worker soon after the sweep process that started it dies
    (e.g. SIGKILL), instead of waiting forever for tasks that will never come; ignore Ctrl-C
    (in case its ``forkserver`` was started elsewhere, without :func:`_ctrl_c_held`)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while _parent_alive(pid):
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="sweep-parent-watch").start()


class Backend:
    """Interface: ``slots`` parallel workers; submit chunks, wait, close."""

    slots: int = 1
    description: str = ""

    @property
    def window(self) -> int:
        """Chunks to keep in flight (two per worker, so no worker waits for the parent)."""
        return 2 * self.slots

    def submit(
        self, ctx: ChunkContext, tasks: list[RunTask], run: Callable[..., Any] = run_chunk
    ) -> Any:  # pragma: no cover
        """Start ``run(ctx, tasks)`` (default: the chunk of sweep runs ``tasks``); return a
        future of its result. ``run`` must be importable by the workers (a module-level
        function); calibrations hand their own."""
        raise NotImplementedError

    def wait(self, pending: Iterable[Any]) -> list[Any]:  # pragma: no cover
        """Block until at least one of ``pending`` finished; return the finished ones."""
        raise NotImplementedError

    def result(self, future: Any) -> list[RunOutcome]:
        """The run outcomes of a finished chunk (raises what the chunk raised)."""
        return future.result()

    def close(self, cancel: bool = False) -> None:
        """Release the workers (``cancel``: the caller stops early; drop the chunks not started
        and stop the runs in progress, whose results it would not take)."""


class SerialBackend(Backend):
    """Runs each chunk in this process at submission (``--workers 0``; handy for debugging)."""

    slots = 1
    window = 1
    description = "in-process"

    def submit(
        self, ctx: ChunkContext, tasks: list[RunTask], run: Callable[..., Any] = run_chunk
    ) -> cf.Future:
        future: cf.Future = cf.Future()
        try:
            future.set_result(run(ctx, tasks))
        except BaseException as err:  # noqa: BLE001 - handed to the caller via the future
            future.set_exception(err)
        return future

    def wait(self, pending: Iterable[Any]) -> list[Any]:
        return list(pending)


class PoolBackend(Backend):
    """A local process pool (``forkserver`` start: fast, safe with threads, preloaded imports).

    Args:
        workers: Worker processes.
        preload: Modules to import in the ``forkserver`` besides the model's, once for all
            workers instead of once in each (only if this process starts its ``forkserver``
            now: one already running keeps the modules it was started with).
    """

    def __init__(self, workers: int, preload: Sequence[str] = ()) -> None:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload([*_PRELOAD, *preload])
        self.slots = workers
        self.description = f"local pool, {workers} worker{'s' * (workers != 1)}"
        with _ctrl_c_held():
            self._pool = cf.ProcessPoolExecutor(
                max_workers=workers,
                mp_context=ctx,
                initializer=_watch_parent,
                initargs=(os.getpid(),),
            )
            # the pool starts its workers at the first submission: start them now, while
            # Ctrl-C is held, and so that whoever makes the backend can shield their start
            # from a stop (socialabm.sweeps.stopping)
            self._pool.submit(int).result()

    def submit(
        self, ctx: ChunkContext, tasks: list[RunTask], run: Callable[..., Any] = run_chunk
    ) -> cf.Future:
        return self._pool.submit(run, ctx, tasks)

    def wait(self, pending: Iterable[Any]) -> list[Any]:
        done, _ = cf.wait(list(pending), return_when=cf.FIRST_COMPLETED)
        return list(done)

    def close(self, cancel: bool = False) -> None:
        if cancel:  # Python 3.14 has ProcessPoolExecutor.terminate_workers() for this
            for process in list((self._pool._processes or {}).values()):
                process.terminate()
        self._pool.shutdown(wait=True, cancel_futures=cancel)


def _local_cluster(workers: int, preload: Sequence[str] = ()) -> Any:
    """A ``LocalCluster`` whose worker processes fork from a server that imported Dask and the
    model once (``forkserver`` start with preloaded modules), instead of each worker starting
    a fresh interpreter and importing them itself (Dask's default ``spawn``)."""
    import dask
    from distributed import LocalCluster
    from distributed.utils import get_mp_context

    with dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"}):
        get_mp_context()  # Dask sets its own preload list once; ours replaces it
        multiprocessing.get_context("forkserver").set_forkserver_preload(
            ["distributed", "distributed.nanny", *_PRELOAD, *preload]
        )
        return LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
            dashboard_address=None, silence_logs=logging.ERROR,
        )  # fmt: skip


class DaskBackend(Backend):
    """A Dask cluster: an existing scheduler (``tcp://HOST:PORT``) or a new local cluster.

    Every worker imports the model once when the sweep starts (a worker plugin), not inside the
    first run it is given; a local cluster's workers fork from a process that has imported it
    already.

    Args:
        address: Scheduler address; ``None`` to start a ``LocalCluster`` on 127.0.0.1.
        local_workers: Worker processes of the local cluster (one thread each).
        timeout: Seconds to wait for the scheduler to answer.
        preload: Modules every worker imports besides the model's.
    """

    def __init__(
        self,
        address: str | None = None,
        local_workers: int = 1,
        timeout: float = 30.0,
        preload: Sequence[str] = (),
    ) -> None:
        from distributed import Client

        self._cluster = None
        if address is None:
            with _ctrl_c_held():
                self._cluster = _local_cluster(local_workers, preload)
            self._client = Client(self._cluster)
            self.description = f"local Dask cluster, {local_workers} workers"
        else:
            try:
                self._client = Client(address, timeout=timeout)
            except OSError as err:
                raise OSError(f"cannot reach the Dask scheduler at {address}: {err}") from None
            self.description = f"Dask scheduler {address}"
        from socialabm.sweeps.dask_plugin import PreloadPlugin

        self._client.register_plugin(PreloadPlugin([*_PRELOAD, *preload]), name=PreloadPlugin.name)
        threads = sum(self._client.nthreads().values())
        self.slots = max(1, threads)
        self._scattered: dict[int, Any] = {}
        self._waited: list[Any] = []

    def submit(
        self, ctx: ChunkContext, tasks: list[RunTask], run: Callable[..., Any] = run_chunk
    ) -> Any:
        key = id(ctx)
        if key not in self._scattered:  # ship the shared context once, not with every chunk
            self._scattered = {key: self._client.scatter(ctx, broadcast=True)}
        return self._client.submit(run, self._scattered[key], tasks, pure=False)

    def wait(self, pending: Iterable[Any]) -> list[Any]:
        from distributed import wait

        self._waited = list(pending)
        done, _ = wait(self._waited, return_when="FIRST_COMPLETED")
        return list(done)

    def close(self, cancel: bool = False) -> None:
        if cancel and self._waited:  # a chunk already running on a worker still finishes
            self._client.cancel(self._waited)
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_backend(
    workers: int | None = None,
    scheduler: str | None = None,
    dask_local: int | None = None,
    preload: Sequence[str] = (),
) -> Backend:
    """The backend the options name: a Dask scheduler, a local Dask cluster, a process pool of
    ``workers`` (default: every core) or, with ``workers=0``, this process.

    ``preload`` names modules the workers' tasks need besides the model's (a calibration's:
    pyabc, whose import costs a second or more of CPU): a pool or a local Dask cluster imports
    them once, in the process its workers fork from; every Dask worker has them before its
    first task.

    Raises:
        ValueError: both Dask options, or a negative worker count.
        MissingExtraError: a Dask option without Dask (the ``distributed`` extra).
    """
    if scheduler is not None and dask_local is not None:
        raise ValueError("give either --scheduler or --dask-local, not both")
    if scheduler is not None or dask_local is not None:
        require("distributed", DASK)
    if scheduler is not None:
        return DaskBackend(address=scheduler, preload=preload)
    if dask_local is not None:
        if dask_local < 1:
            raise ValueError(f"--dask-local {dask_local}: need at least 1 worker")
        return DaskBackend(local_workers=dask_local, preload=preload)
    workers = default_workers() if workers is None else workers
    if workers < 0:
        raise ValueError(f"--workers {workers}: need 0 (in-process) or more")
    return SerialBackend() if workers == 0 else PoolBackend(workers, preload)
