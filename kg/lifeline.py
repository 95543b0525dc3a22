"""What ties a build's processes to it, and the named points where a test may kill it.

A worker process (an extraction process of the pool, the warm worker) calls :func:`die_with_parent`
first: on Linux the kernel then sends it ``SIGKILL`` when the build's process dies, however it
dies (``kill -9`` included), so no orphan keeps extracting; elsewhere a thread watches the parent.
It also closes the inherited descriptor of the build lock (see :mod:`kg.lock`), which is the
build's alone.

:func:`kill_point` is how the crash tests stop a real build at a named moment: with
``KG_KILL_AT=<name>`` in its environment, the build kills itself with ``SIGKILL`` when it reaches
that point (nothing runs after it: no ``finally``, no clean-up), exactly as a crash or ``kill -9``
would.  With ``KG_STOP_AT=<name>`` it stops itself there (``SIGSTOP``) until it is sent
``SIGCONT``, so a test can look at the project while a build is at that point.  The points, in the
order a build passes them:

``loaded``
    the sources are read, nothing is written yet;
``extracting``
    the first extraction of this build is in the cache, the workers are busy;
``linked``
    every extraction is in the cache and the entities are linked;
``graphs``
    the first graph is written and the store is being filled in the staging folder;
``staged``
    the new generation is complete in its staging folder;
``renamed``
    the staging folder is in ``data/`` under its digest, not yet current;
``committed``
    ``current`` names the new generation (the commit point is behind), the old one is not yet removed;
``pruned``
    the old generation is removed, the caches are not yet pruned.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

#: The environment variables that name the point where a build kills or stops itself.
KILL_AT = "KG_KILL_AT"
STOP_AT = "KG_STOP_AT"
POINTS = ("loaded", "extracting", "linked", "graphs", "staged", "renamed", "committed", "pruned")
_PR_SET_PDEATHSIG = 1


def kill_point(name: str) -> None:
    """Kill this process with ``SIGKILL`` here when ``KG_KILL_AT`` names this point; stop it
    (``SIGSTOP``) when ``KG_STOP_AT`` does."""
    assert name in POINTS, name
    if os.environ.get(KILL_AT) == name:
        os.kill(os.getpid(), signal.SIGKILL)
    if os.environ.get(STOP_AT) == name:
        os.kill(os.getpid(), signal.SIGSTOP)


def die_with_parent(parent: int) -> None:
    """In a worker process started by the process ``parent``: die with it."""
    from .lock import close_inherited

    close_inherited()
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            _watch(parent)
    else:
        _watch(parent)
    if os.getppid() != parent:  # the parent died before the kernel was told to watch it
        os._exit(1)


def _watch(parent: int) -> None:
    def run() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=run, name="kg-parent-watch", daemon=True).start()
