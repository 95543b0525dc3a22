"""kg.atomic: every writer's one way to write, so that a failure leaves the old file or folder."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kg.atomic import atomic_file, atomic_write_text, replace_folder


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_file_is_replaced_whole_with_the_usual_permissions(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "out.txt"
    atomic_write_text(target, "first\n")
    atomic_write_text(target, "second\n")
    assert target.read_text(encoding="utf-8") == "second\n"
    assert _mode(target) == 0o666 & ~_umask()  # not tempfile's 0600
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.txt"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"good")
    with pytest.raises(RuntimeError), atomic_file(target) as fh:
        fh.write(b"half of the new")
        raise RuntimeError("the writer failed")
    assert target.read_bytes() == b"good"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]


def test_a_folder_is_swapped_in_whole_and_a_failed_one_leaves_the_old(tmp_path: Path) -> None:
    out = tmp_path / "sheets"

    def write(names: list[str]):  # type: ignore[no-untyped-def]
        def fill(folder: Path) -> None:
            for name in names:
                (folder / name).write_text(name, encoding="utf-8")
        return fill

    replace_folder(out, write(["a.md", "b.md"]))
    replace_folder(out, write(["c.md"]))
    assert sorted(p.name for p in out.iterdir()) == ["c.md"]  # nothing of the old folder stays

    def broken(folder: Path) -> None:
        (folder / "d.md").write_text("d", encoding="utf-8")
        raise OSError("disk full")

    with pytest.raises(OSError):
        replace_folder(out, broken)
    assert sorted(p.name for p in out.iterdir()) == ["c.md"]
    assert [p.name for p in tmp_path.iterdir()] == ["sheets"]  # no temporary folder left behind
