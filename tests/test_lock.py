"""The build lock: one build at a time, a clear error naming the holder, released on death."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import snapshot

from kg.build import build
from kg.cli import main
from kg.errors import OutputError
from kg.lock import LOCK, BuildLock
from kg.project import Project

HOLD = """
import sys
from pathlib import Path
from kg.lock import BuildLock
lock = BuildLock(Path(sys.argv[1]))
lock.acquire()
print("held", flush=True)
sys.stdin.read()
"""


def _holder(output: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(output)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline() == "held\n"
    return proc


def test_a_second_build_fails_at_once_naming_the_holder(built_copy: Project) -> None:
    holder = _holder(built_copy.output)
    try:
        before = snapshot(built_copy.output)
        result = CliRunner().invoke(main, ["-C", str(built_copy.sources.parent), "build"])
        assert result.exit_code == 1
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith(f"Error: another kg build is running on this project (pid {holder.pid}, started ")
        assert f"in {built_copy.output} — wait for it to finish, or stop it (kill {holder.pid})" in line
        assert snapshot(built_copy.output) == before  # nothing written, the holder's lock file untouched
    finally:
        holder.kill()
        holder.wait()


def test_the_lock_of_a_killed_holder_does_not_block_the_next_build(built_copy: Project) -> None:
    holder = _holder(built_copy.output)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert (built_copy.output / LOCK).exists()  # the file stays; its lock died with the holder
    build(built_copy, jobs=1)
    assert not (built_copy.output / LOCK).exists()  # a build that ends removes it


def test_the_lock_is_exclusive_within_one_process(tmp_path: Path) -> None:
    with BuildLock(tmp_path), pytest.raises(OutputError, match=r"another kg build is running on this project \(pid \d+"):
        BuildLock(tmp_path).acquire()
    with BuildLock(tmp_path):  # released: free again
        pass
    assert not (tmp_path / LOCK).exists()
