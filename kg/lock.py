"""One build at a time: the build lock, ``output/.build.lock``.

``kg build`` holds an exclusive ``flock`` on the file while it runs and writes its holder into it
(process id, start time, command).  A second build on the same project fails at once, naming the
holder.  The kernel releases the lock when the holder dies, however it dies, so a killed build
never leaves a lock that blocks the next one; a build that ends removes the file.

Readers (``kg query``, ``kg export``, …) take no build lock: they read the last committed
generation (see :mod:`kg.generation`).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import sys
import time
from pathlib import Path

from .errors import OutputError

LOCK = ".build.lock"
#: Descriptors of locks this process holds, which a forked worker closes (see :mod:`kg.lifeline`).
_HELD: list[int] = []


class BuildLock:
    """The build lock of an output folder; a context manager."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.path = output / LOCK
        self.fd: int | None = None

    def acquire(self) -> None:
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            except OSError as exc:
                raise OutputError(
                    f"cannot write to the output folder ({exc.strerror or exc})",
                    f"at {self.output}",
                    "make it writable (chmod u+w) or choose another --output",
                ) from exc
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read(fd)
                os.close(fd)
                found = re.match(r"pid (\d+)", holder)
                pid = found.group(1) if found else None
                raise OutputError(
                    f"another kg build is running on this project ({holder or 'its holder is starting'})",
                    f"in {self.output}",
                    "wait for it to finish" + (f", or stop it (kill {pid})" if pid else ""),
                ) from None
            # the holder may have removed the file between our open and our lock: lock the file
            # that is there now
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if not same:
                os.close(fd)
                continue
            holder = f"pid {os.getpid()}, started {time.strftime('%Y-%m-%dT%H:%M:%S')}, {_command()}\n"
            os.ftruncate(fd, 0)
            os.pwrite(fd, holder.encode("utf-8", "replace"), 0)
            self.fd = fd
            _HELD.append(fd)
            return

    def release(self) -> None:
        if self.fd is None:
            return
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
        _HELD.remove(self.fd)
        os.close(self.fd)
        self.fd = None

    def __enter__(self) -> BuildLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _read(fd: int) -> str:
    try:
        return os.pread(fd, 4096, 0).decode("utf-8", "replace").strip()
    except OSError:
        return ""


def _command() -> str:
    name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"
    args = " ".join(sys.argv[1:])
    return (f"{name} {args}" if args else name)[:200]


def close_inherited() -> None:
    """In a forked child: close the lock descriptors inherited from the build (the lock is the
    build's; a worker that kept it would hold it after the build died)."""
    while _HELD:
        with contextlib.suppress(OSError):
            os.close(_HELD.pop())
