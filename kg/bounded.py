"""Work that can be stopped: a query runs in a child process, bounded in time, killed at Ctrl-C.

Oxigraph evaluates a query in Rust without returning to Python, so neither a timer nor Ctrl-C
(``SIGINT``, whose Python handler runs only between bytecodes) can stop it from inside the
process: a cartesian ``COUNT(*)`` ran for as long as it liked.  :func:`run` therefore forks: the
child does the work and writes its output into a pipe, the parent copies the pipe to its own
output as it comes (the output still streams) and waits on it with a deadline.  At the deadline,
or at Ctrl-C, the parent kills the child (``SIGKILL``, which Rust cannot ignore) and reports it.
The child dies with its parent whatever happens to the parent (:func:`kg.lifeline.die_with_parent`).

A :class:`~kg.errors.KGError` raised in the child is raised again in the parent, so the command
reports it as it would have without the child.  The child must open what it reads (the store)
itself: nothing is opened before the fork.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import sys
import time
import traceback
from collections.abc import Callable
from typing import BinaryIO

from . import errors
from .errors import KGError, QueryError

#: ``kg query``'s default time limit, in seconds (``--timeout``; 0 for none).
_CHUNK = 1 << 16


def run(work: Callable[[BinaryIO], None], out: BinaryIO, *, timeout: float | None, what: str, where: str) -> None:
    """Run ``work(output)`` in a child process, copying what it writes to ``out``; stop it after
    ``timeout`` seconds (``None`` or 0: no limit) or at Ctrl-C."""
    if not hasattr(os, "fork"):  # no fork: run here, without a limit
        work(out)
        return
    data_r, data_w = os.pipe()
    ctl_r, ctl_w = os.pipe()
    parent = os.getpid()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(data_r)
        os.close(ctl_r)
        _child(work, data_w, ctl_w, parent)
    os.close(data_w)
    os.close(ctl_w)
    deadline = time.monotonic() + timeout if timeout else None
    finished = False
    try:
        while True:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _w, _x = select.select([data_r], [], [], wait)
            if not ready:
                raise QueryError(
                    f"{what} ran longer than {timeout:g} s and was stopped", where,
                    "narrow it (a more specific pattern, a LIMIT), or allow it longer with --timeout SECONDS (0: no limit)",
                )
            chunk = os.read(data_r, _CHUNK)
            if not chunk:
                break
            out.write(chunk)
        finished = True
    finally:
        if not finished:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        os.close(data_r)
        _pid, status = os.waitpid(pid, 0)
        report = _read_all(ctl_r)
        os.close(ctl_r)
    out.flush()
    if report:
        kind, payload = pickle.loads(report)
        if kind == "kg":
            cls, what_, where_, fix = payload
            raise getattr(errors, cls, KGError)(what_, where_, fix)
        if kind == "pipe":
            raise BrokenPipeError(payload)
        raise RuntimeError(f"{what} failed in its process:\n{payload}")
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        raise QueryError(f"{what} stopped unexpectedly ({_describe(status)})", where, "run it again; if it recurs, report it")


def _child(work: Callable[[BinaryIO], None], data_w: int, ctl_w: int, parent: int) -> None:
    from .lifeline import die_with_parent

    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to act on
        die_with_parent(parent)
        with os.fdopen(data_w, "wb", buffering=_CHUNK) as fh:
            work(fh)
    except KGError as exc:
        _send(ctl_w, ("kg", (type(exc).__name__, exc.what, exc.where, exc.fix)))
        code = 1
    except BrokenPipeError as exc:
        _send(ctl_w, ("pipe", str(exc)))
        code = 1
    except BaseException:  # noqa: BLE001 - handed to the parent, which raises it
        _send(ctl_w, ("crash", traceback.format_exc()[-16000:]))  # a pipe's buffer holds it whole
        code = 1
    finally:
        os._exit(code)


def _send(fd: int, message: object) -> None:
    with contextlib.suppress(OSError):
        os.write(fd, pickle.dumps(message))


def _read_all(fd: int) -> bytes:
    parts = []
    while chunk := os.read(fd, _CHUNK):
        parts.append(chunk)
    return b"".join(parts)


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {signal.Signals(os.WTERMSIG(status)).name}"
    return f"exit code {os.WEXITSTATUS(status)}"
