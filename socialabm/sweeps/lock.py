"""One writer per output folder: a lock a process holds for as long as it writes there.

A sweep (and any runner that writes into a folder of its own: a calibration, ...) takes the lock
of its folder before writing anything::

    with FolderLock(out) as lock:
        for message in lock.warnings:      # e.g. a lock cleared from a killed process
            print("warning:", message)
        ...                                 # write into out

A second process asking for the same folder (another sweep, a ``--resume`` while the first
runs) gets :class:`FolderLockedError`, whose message names the process that holds it: pid,
host, start time and command line.

The lock is the file :data:`LOCK_NAME` in the folder, holding a JSON description of its holder,
and an exclusive ``flock`` on that file. The operating system drops the ``flock`` when the
holding process ends in any way, ``SIGKILL`` included, so a lock left by a killed process is
recognised (the file is there, nobody holds it), reported and taken over; the file is deleted
when the holder releases the lock normally. On a file system without ``flock`` the holder's
pid, host and process start time decide instead: a holder on this host that no longer runs is
cleared, one on another host cannot be checked and keeps the folder.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shlex
import socket
import sys
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType

__all__ = ["LOCK_NAME", "FolderLock", "FolderLockedError", "Holder"]

LOCK_NAME = ".writer.lock"
"""The lock file inside a locked folder."""

_NO_FLOCK = (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL)
"""``flock`` errors meaning the file system does not support it (not: someone holds it)."""


class FolderLockedError(OSError):
    """Another process writes into the folder; the message names it and what to do."""


def _start_ticks(pid: int) -> int | None:
    """When process ``pid`` started (clock ticks since boot), or ``None`` if it does not run
    (or there is no ``/proc``). With the pid it identifies a process: pids are reused."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    return None if fields[0] == b"Z" else int(fields[19])  # a zombie has ended


@dataclass(frozen=True)
class Holder:
    """The process holding a folder's lock.

    Attributes:
        pid: Its process id.
        host: The machine it runs on.
        started: When it took the lock (local time, ISO 8601).
        command: Its command line.
        ticks: Its process start time (clock ticks since boot; ``None`` unknown).
    """

    pid: int
    host: str
    started: str
    command: str
    ticks: int | None = None

    @classmethod
    def this_process(cls, command: str | None = None) -> Holder:
        """This process as a holder (``command`` defaults to its command line)."""
        return cls(
            pid=os.getpid(),
            host=socket.gethostname(),
            started=datetime.now().astimezone().isoformat(timespec="seconds"),
            command=command if command is not None else shlex.join(sys.argv),
            ticks=_start_ticks(os.getpid()),
        )

    def describe(self) -> str:
        """``pid 123 on host, started 2026-01-01T10:00:00+01:00: socialabm sweep ...``."""
        return f"pid {self.pid} on {self.host}, started {self.started}: {self.command}"

    def still_runs(self) -> bool | None:
        """Whether the holder still runs: ``None`` when that cannot be told (another host)."""
        if self.host != socket.gethostname():
            return None
        ticks = _start_ticks(self.pid)
        return ticks is not None and (self.ticks is None or ticks == self.ticks)


def _read(fd: int) -> Holder | None:
    """The holder recorded in the open lock file (``None``: empty or unreadable)."""
    data = os.pread(fd, 1 << 16, 0)
    try:
        return Holder(**json.loads(data))
    except (ValueError, TypeError):
        return None


class FolderLock:
    """The exclusive writer's lock of a folder (a context manager; see the module doc).

    Args:
        folder: The folder; created (with its parents) if missing, and removed again on release
            if it was created here and is still empty.
        command: The command line to show to a process that is refused (default: this
            process's ``sys.argv``).

    Attributes:
        warnings: Messages for the user from taking the lock (a lock cleared from a process
            that no longer runs).
    """

    def __init__(self, folder: str | Path, command: str | None = None) -> None:
        self.folder = Path(folder)
        self.path = self.folder / LOCK_NAME
        self.command = command
        self.warnings: list[str] = []
        self._fd: int | None = None
        self._created = False

    def acquire(self) -> FolderLock:
        """Take the lock.

        Raises:
            FolderLockedError: another process that still runs (or, without ``flock``, one on
                another host) holds it.
        """
        if self._fd is not None:
            raise RuntimeError(f"{self.path}: this process holds the lock already")
        self._created = not self.folder.exists()
        self.folder.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read(fd)
                os.close(fd)
                raise self._refusal(holder) from None
            except OSError as err:
                if err.errno not in _NO_FLOCK:
                    os.close(fd)
                    raise
                self._check_without_flock(fd)
            if self._is_current(fd):  # not a file its holder deleted meanwhile: retry then
                break
            os.close(fd)
        left = _read(fd)
        if left is not None:  # the file outlived its holder: it was killed
            self.warnings.append(
                f"cleared the lock of {self.folder} left by a process that no longer runs "
                f"({left.describe()})"
            )
        me = json.dumps(asdict(Holder.this_process(self.command))).encode()
        os.ftruncate(fd, 0)
        os.pwrite(fd, me, 0)
        self._fd = fd
        return self

    def check(self) -> None:
        """Raise :class:`FolderLockedError` now if another process holds the lock; take nothing
        (a quick answer before a long start; :meth:`acquire` decides)."""
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            raise self._refusal(_read(fd)) from None
        except OSError as err:
            if err.errno not in _NO_FLOCK:
                raise
            holder = _read(fd)
            if holder is not None and holder.still_runs() is not False:
                raise self._refusal(holder, flock=False) from None
        finally:
            os.close(fd)

    def _is_current(self, fd: int) -> bool:
        try:
            return os.fstat(fd).st_ino == os.stat(self.path).st_ino
        except FileNotFoundError:
            return False

    def _check_without_flock(self, fd: int) -> None:
        holder = _read(fd)
        if holder is not None and holder.still_runs() is not False:
            os.close(fd)
            raise self._refusal(holder, flock=False)

    def _refusal(self, holder: Holder | None, flock: bool = True) -> FolderLockedError:
        who = holder.describe() if holder is not None else "a process that has not said which"
        hint = (
            f"wait for it to end, or stop it (kill {holder.pid}: finished runs are kept), then "
            "run your command again"
            if holder is not None
            else "wait for it to end"
        )
        if not flock:
            hint += (
                f"; this file system cannot lock files, so if that process has ended, delete "
                f"{self.path}"
            )
        return FolderLockedError(
            f"{self.folder} is being written by another process ({who}); {hint}"
        )

    def release(self) -> None:
        """Give the lock up: delete the lock file, then let go of it (no-op if not held)."""
        if self._fd is None:
            return
        self.path.unlink(missing_ok=True)
        os.close(self._fd)
        self._fd = None
        if self._created:
            with contextlib.suppress(OSError):  # only if nothing was written after all
                self.folder.rmdir()

    @property
    def held(self) -> bool:
        """Whether this object holds the lock now."""
        return self._fd is not None

    def __enter__(self) -> FolderLock:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
