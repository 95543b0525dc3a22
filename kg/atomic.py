"""Writing files and folders so that a reader sees the old or the new, never half of either.

Every writer of kg goes through here.  A file is written to a temporary file beside it, given the
usual permissions under the umask (``tempfile`` makes 0600/0700), then renamed over the target;
a folder is filled as a temporary folder beside it and swapped in.  On any failure the temporary
is removed and the target is exactly as it was.  (The build's commit point, a symbolic link
renamed over ``output/current``, is :mod:`kg.generation`'s.)
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def public_mode(path: Path, directory: bool = False) -> None:
    """Give a file made by ``tempfile`` (mode 0600/0700) the usual permissions under the umask."""
    os.chmod(path, (0o777 if directory else 0o666) & ~_umask())


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A binary file to write ``path`` through: it replaces ``path`` when the block ends, and is
    removed (``path`` untouched) when the block raises."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        public_mode(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    with atomic_file(path) as fh:
        fh.write(data)


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def replace_folder(outdir: Path, write: Callable[[Path], None]) -> None:
    """Write a folder atomically: ``write`` fills a temporary folder beside ``outdir``, which is
    then swapped in (the old folder removed after the swap)."""
    outdir = Path(outdir)
    outdir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=outdir.parent, prefix=f".{outdir.name}.", suffix=".tmp"))
    try:
        write(tmp)
        public_mode(tmp, directory=True)
        old: Path | None = None
        if outdir.exists():
            old = Path(tempfile.mkdtemp(dir=outdir.parent, prefix=f".{outdir.name}.", suffix=".old"))
            os.rmdir(old)
            os.replace(outdir, old)
        os.replace(tmp, outdir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
