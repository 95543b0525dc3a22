"""Generations of the built dataset: one commit point, readers that see one generation, no debris.

A build writes everything it makes — the store, ``kg.trig``, the manifest, the snapshot, the text
copies — into a staging folder, renames it to ``output/data/<digest>/`` (a *generation*), and then
makes it current with one atomic rename of a symbolic link::

    output/
      current -> data/<digest>          the commit point: os.replace of a new link
      manifest.json -> current/manifest.json
      kg.trig -> current/kg.trig
      data/<digest>/                    store/, kg.trig, manifest.json, snapshot.json, texts/, …

So whoever opens ``output/kg.trig`` or ``output/manifest.json`` gets the old generation or the new
one, never a mix; a build killed at any moment leaves the last committed generation current and
whole.

Readers pin a generation (:func:`pin`): they read the manifest once, hold a shared ``flock`` on
the generation's ``.lock`` for as long as they run, and read every file from that folder, so a
build that commits meanwhile does not change what they read.  After its commit a build removes
the generations no reader holds; one that a reader holds is removed by a later build.

What a dead build leaves (a staging folder, a half-made link, a generation it never made current,
temporary files in the cache) is removed by the next build, under the build lock
(:func:`clean_debris`); a build that fails leaves nothing behind (:class:`Journal`).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import shutil
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .atomic import atomic_write_text, public_mode
from .errors import OutputError
from .lifeline import kill_point

if TYPE_CHECKING:
    from .project import Project

CURRENT = "current"
DATA = "data"
#: In each generation: the file readers lock (shared) and a build locks (exclusive) to remove it.
GENERATION_LOCK = ".lock"
#: Names in output/ (besides generations) that only a build in progress makes.
_DEBRIS_PREFIXES = (".build-", ".current-", ".trash-", ".probe-", ".kg.trig.", ".manifest.json.", ".link-")
#: Descriptors of the generations this process has pinned (held until it exits).
_PINNED: dict[str, int] = {}


# --- committing -----------------------------------------------------------------------------------


def commit(output: Path, staging: Path, name: str, manifest: dict[str, Any]) -> None:
    """Make the finished build in ``staging`` the current generation ``data/<name>``."""
    from .project import MANIFEST, TRIG

    data = output / DATA
    data.mkdir(parents=True, exist_ok=True)
    target = data / name
    text = json.dumps({**manifest, "data": f"{DATA}/{name}"}, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if target.is_dir():  # the same content is already there (it may be current): keep it
        shutil.rmtree(staging)
        atomic_write_text(target / MANIFEST, text)
    else:
        (staging / MANIFEST).write_text(text, encoding="utf-8")
        (staging / GENERATION_LOCK).touch()
        for path in (staging / MANIFEST, staging / GENERATION_LOCK):
            public_mode(path)
        public_mode(staging, directory=True)
        os.replace(staging, target)
    kill_point("renamed")
    _point(output / CURRENT, f"{DATA}/{name}")  # the commit point
    _fsync_dir(output)
    kill_point("committed")
    for fixed in (MANIFEST, TRIG):
        _point(output / fixed, f"{CURRENT}/{fixed}")
    prune(output, keep={name})
    kill_point("pruned")


def _point(link: Path, target: str) -> None:
    """Make ``link`` a symbolic link to ``target``, atomically (a new link renamed over it)."""
    if link.is_symlink() and os.readlink(link) == target:
        return
    if link.is_dir() and not link.is_symlink():
        # a copy of an output folder made without its links (cp -rL): the copied generation goes
        trash = link.with_name(f".trash-{link.name}-{uuid.uuid4().hex[:8]}")
        os.replace(link, trash)
        shutil.rmtree(trash, ignore_errors=True)
    tmp = link.with_name(f".link-{link.name}-{uuid.uuid4().hex[:8]}")
    os.symlink(target, tmp)
    try:
        os.replace(tmp, link)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def current(output: Path) -> str | None:
    """The name of the current generation (its folder under ``data/``), or ``None``."""
    link = output / CURRENT
    try:
        target = os.readlink(link)
    except OSError:
        return None
    return Path(target).name


def prune(output: Path, keep: set[str]) -> list[str]:
    """Remove the generations other than ``keep`` that no reader holds (a held one is left for a
    later build); the names removed."""
    data = output / DATA
    removed: list[str] = []
    if not data.is_dir():
        return removed
    for folder in sorted(data.iterdir()):
        if folder.name in keep or not folder.is_dir():
            continue
        fd = None
        with contextlib.suppress(OSError):
            fd = os.open(folder / GENERATION_LOCK, os.O_RDONLY | os.O_CLOEXEC)
        trash = output / f".trash-{folder.name}-{uuid.uuid4().hex[:8]}"
        try:
            if fd is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # a reader still reads it
            os.replace(folder, trash)
        finally:
            if fd is not None:
                os.close(fd)
        shutil.rmtree(trash, ignore_errors=True)
        removed.append(folder.name)
    return removed


# --- reading --------------------------------------------------------------------------------------


def pin(project: Project) -> Project:
    """``project`` bound to its current generation, held (a shared lock) until this process ends."""
    from dataclasses import replace

    for _attempt in range(20):
        name = project.manifest()["data"]
        key = str((project.output / name).resolve())
        if key in _PINNED:
            return replace(project, generation=name)
        lock = project.output / name / GENERATION_LOCK
        try:
            fd = os.open(lock, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            if not (project.output / name).is_dir():
                continue  # removed since the manifest was read: read it again
            return replace(project, generation=name)  # a generation without a lock file (hand-made)
        fcntl.flock(fd, fcntl.LOCK_SH)
        try:
            same = os.stat(lock).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            _PINNED[key] = fd
            return replace(project, generation=name)
        os.close(fd)  # a build removed it while we waited: read the manifest again
    raise OutputError("the built dataset keeps changing under this command", f"in {project.output}", "run it again")


def unpin_all() -> None:
    """Let go of every generation this process pinned (a long-lived process, a test)."""
    while _PINNED:
        _key, fd = _PINNED.popitem()
        os.close(fd)


# --- what a build leaves ------------------------------------------------------------------------------


def clean_debris(output: Path) -> list[str]:
    """Remove what a dead build left in ``output`` (call with the build lock held); what was removed."""
    removed: list[str] = []
    if not output.is_dir():
        return removed
    for path in sorted(output.iterdir()):
        if path.name.startswith(_DEBRIS_PREFIXES):
            _remove(path)
            removed.append(path.name)
    keep = current(output)
    if keep is not None:
        removed.extend(f"{DATA}/{n}" for n in prune(output, keep={keep}))
        for tmp in (output / DATA / keep).glob(".*.tmp"):
            tmp.unlink(missing_ok=True)
            removed.append(str(tmp.relative_to(output)))
    cache = output / "cache"
    if cache.is_dir():
        for tmp in cache.rglob("*.tmp"):
            tmp.unlink(missing_ok=True)
            removed.append(str(tmp.relative_to(output)))
    return removed


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


class Journal:
    """What a build adds to ``output/``, so that a build that fails can take it all back: the
    files and folders under ``cache/`` that were not there when it started, and the staging
    folder."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.cache = output / "cache"
        self.before: set[str] = set()
        if self.cache.is_dir():
            for root, dirs, files in os.walk(self.cache):
                rel = os.path.relpath(root, self.cache)
                self.before.update(os.path.normpath(os.path.join(rel, n)) for n in (*dirs, *files))

    def undo(self) -> None:
        """Remove everything the build added (it failed)."""
        if self.cache.is_dir():
            for root, dirs, files in os.walk(self.cache, topdown=False):
                rel = os.path.relpath(root, self.cache)
                for n in files:
                    if os.path.normpath(os.path.join(rel, n)) not in self.before:
                        with contextlib.suppress(FileNotFoundError):
                            os.unlink(os.path.join(root, n))
                for n in dirs:
                    if os.path.normpath(os.path.join(rel, n)) not in self.before:
                        with contextlib.suppress(OSError):
                            os.rmdir(os.path.join(root, n))
            if not self.before:
                with contextlib.suppress(OSError):
                    self.cache.rmdir()
        for path in self.output.glob(".build-*") if self.output.is_dir() else ():
            _remove(path)


_FULL = ("No space left on device", "Disk quota exceeded")
_DENIED = ("Permission denied", "Operation not permitted", "Read-only file system")


def environment_error(exc: OSError, output: Path) -> OutputError:
    """An error of the file system while building, as one line that says what to do.  The
    store's own errors (RocksDB's) carry no ``errno``: their message says what happened."""
    message = str(exc)
    path = exc.filename
    if not path:
        found = re.search(r"(?:file|directory|lock file)[: ]+(/?[^\s:]+)", message)
        path = found.group(1) if found else None
    where = f"at {path}" if path else f"in {output}"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT) or any(m in message for m in _FULL):
        reason = exc.strerror if exc.errno in (errno.ENOSPC, errno.EDQUOT) else next(m for m in _FULL if m in message)
        return OutputError(f"the disk is full ({reason})", where,
                           "free some space (df -h shows where) and run `kg build` again; the last good build is untouched")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS) or any(m in message for m in _DENIED):
        reason = exc.strerror if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS) else next(m for m in _DENIED if m in message)
        return OutputError(f"cannot write the build ({reason})", where,
                           "make the output folder and its cache writable (chmod -R u+w) or choose another --output")
    return OutputError(f"cannot write the build ({exc.strerror or message[:200]})", where, "check the disk and run `kg build` again")
