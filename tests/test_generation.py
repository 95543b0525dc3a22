"""Generations: a build killed at any moment leaves the last good one; readers see one generation.

The crash tests run real builds (``kg build -j 2`` in a new process group) that kill themselves
with SIGKILL at a named point (``KG_KILL_AT``, see :mod:`kg.lifeline`), then check the project.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import snapshot
from fixtures.projects import MINI

from kg import dataset, export, generation
from kg.build import build
from kg.cli import main
from kg.lifeline import POINTS
from kg.project import Project
from kg.verify import verify

KG = str(Path(sys.executable).with_name("kg"))
#: Documents a killed build adds to the mini corpus (three: the pool of -j 2 is busy with them).
NEW = {
    f"harbour-gazette-2021-06-0{i}-update": (
        f"Harbour Gazette update {i}\n\nThe Harbour Conduct Office (HCO) found bullying at Northgate police "
        f"station, its regional director Dana Reyes said on day {i}.\n\nTwelve officers were investigated.\n",
        f'title = "Harbour Gazette update {i}"\npublisher = "Harbour Gazette"\npublished = "2021-06-0{i}"\n',
    )
    for i in (1, 2, 3)
}


def add_new(project: Project, n: int = 3) -> None:
    for doc_id, (text, meta) in list(NEW.items())[:n]:
        (project.sources / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        (project.sources / f"{doc_id}.toml").write_text(meta, encoding="utf-8")


def remove_new(project: Project) -> None:
    for doc_id in NEW:
        for suffix in (".txt", ".toml"):
            (project.sources / f"{doc_id}{suffix}").unlink(missing_ok=True)


def built(project: Project) -> dict[str, str]:
    """Every file of the current generation, and what output/manifest.json and output/kg.trig
    read: what must survive a dead build (which may leave debris beside it, for the next build)."""
    name = generation.current(project.output)
    files = {f"current/{k}": v for k, v in snapshot(project.output / "data" / str(name)).items()}
    for link in ("manifest.json", "kg.trig"):
        files[link] = snapshot(project.output).get(link, "missing")
    return files


def living(pgid: int) -> list[str]:
    """The processes of a process group that still run (zombies, already dead, left out)."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            with contextlib.suppress(OSError):
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                out.append(f"{entry.name} {command[:80]}")
    return out


def debris(output: Path) -> list[str]:
    found = [p.name for p in output.iterdir() if p.name.startswith(".")]
    found += [str(p.relative_to(output)) for p in output.rglob("*.tmp")]
    gens = sorted(p.name for p in (output / "data").iterdir())
    if len(gens) != 1 or gens[0] != generation.current(output):
        found.append(f"generations {gens}, current {generation.current(output)}")
    return found


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Path]:
    """The mini corpus built (the last good build), and the cache of a build with the new documents
    (so a killed build past extraction need not load the model)."""
    root = tmp_path_factory.mktemp("base")
    shutil.copytree(MINI / "sources", root / "sources")
    base = Project.at(root)
    build(base, jobs=1)
    full_root = tmp_path_factory.mktemp("full")
    shutil.copytree(root, full_root, dirs_exist_ok=True, symlinks=True)
    full = Project.at(full_root)
    add_new(full)
    build(full, jobs=1)
    return base, full.cache_dir


def _copy(base: Project, dest: Path) -> Project:
    shutil.copytree(base.sources.parent, dest, symlinks=True)
    return Project.at(dest)


def _run(project: Project, env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    """``kg build -j 2`` in a new process group (its id is the build's pid); its output goes to
    files beside the project (a pipe would stay open as long as any process of the build lives)."""
    log = project.sources.parent / "build.log"
    with open(log, "wb") as fh:
        return subprocess.Popen(
            [KG, "-C", str(project.sources.parent), "build", "-j", "2", *args],
            env={**os.environ, **env}, stdout=fh, stderr=fh, start_new_session=True,
        )


def _log(project: Project) -> str:
    return (project.sources.parent / "build.log").read_text(errors="replace")


def _no_survivors(pgid: int) -> None:
    deadline = time.monotonic() + 15
    while living(pgid) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = living(pgid)
    if left:
        os.killpg(pgid, signal.SIGKILL)  # ours: the test's own build
    assert not left, f"processes of the killed build still run: {left}"


# (point, documents the killed build adds, whether it finds their extractions in the cache)
KILLS = [
    ("loaded", 3, True),
    ("extracting", 3, False),  # the pool of -j 2 is busy
    ("extracting", 1, False),  # one document: the warm worker extracts it
    ("linked", 3, True),
    ("graphs", 3, True),
    ("staged", 3, True),
    ("renamed", 3, True),
    ("committed", 3, True),
    ("pruned", 3, True),
]


def test_every_point_is_tested() -> None:
    assert {k[0] for k in KILLS} == set(POINTS)


@pytest.mark.slow
@pytest.mark.parametrize(("point", "n_new", "cached"), KILLS, ids=[f"{p}-{n}" for p, n, _c in KILLS])
def test_a_build_killed_at_any_point_leaves_a_whole_generation(
    states: tuple[Project, Path], tmp_path: Path, point: str, n_new: int, cached: bool
) -> None:
    base, full_cache = states
    project = _copy(base, tmp_path / "p")
    before = built(project)
    old = generation.current(project.output)
    add_new(project, n_new)
    if cached:
        shutil.rmtree(project.cache_dir)
        shutil.copytree(full_cache, project.cache_dir)
    proc = _run(project, {"KG_KILL_AT": point})
    assert proc.wait(timeout=120) == -signal.SIGKILL, _log(project)
    # no process of the build survives it (its workers die with it)
    _no_survivors(proc.pid)

    committed = point in ("committed", "pruned")
    now = generation.current(project.output)
    if committed:
        assert now != old  # the new generation is current, whole
    else:
        assert now == old and built(project) == before  # the old generation, byte for byte
        remove_new(project)  # and it verifies against the sources it was built from
    # one dataset, whatever reads it: kg.trig (through its link), the store, the export
    trig = project.trig_path.read_bytes()
    assert b"".join(dataset.store_trig(dataset.open_store(project))) == trig
    assert export.export(project, "trig") == trig
    assert (project.output / "manifest.json").resolve().parent == project.data_dir().resolve()
    report = verify(project, shacl=False)
    assert report.ok, report.problems

    # the next build succeeds and leaves no debris
    add_new(project, n_new)
    build(project, jobs=1)
    assert debris(project.output) == []
    assert verify(project, shacl=False).ok


@pytest.mark.slow
def test_readers_during_a_build_read_the_last_committed_generation(states: tuple[Project, Path], tmp_path: Path) -> None:
    base, full_cache = states
    project = _copy(base, tmp_path / "p")
    old_trig = project.trig_path.read_bytes()
    add_new(project)
    shutil.rmtree(project.cache_dir)
    shutil.copytree(full_cache, project.cache_dir)
    root = str(project.sources.parent)
    proc = _run(project, {"KG_STOP_AT": "renamed"})  # stopped with the new generation in data/, not current
    try:
        _wait_stopped(proc.pid)
        assert len(list((project.output / "data").iterdir())) == 2
        runner = CliRunner()
        assert runner.invoke(main, ["-C", root, "export"]).stdout_bytes == old_trig
        rows = runner.invoke(main, ["-C", root, "query", "sources", "--format", "csv"]).stdout.splitlines()
        assert len(rows) == 3  # the header and the two sources of the last good build
        sheet = runner.invoke(main, ["-C", root, "factsheet", "Dana Reyes"])
        assert sheet.exit_code == 0 and "Harbour Gazette update" not in sheet.stdout
        # a second build fails at once, naming the one that runs
        second = runner.invoke(main, ["-C", root, "build"])
        assert second.exit_code == 1
        assert second.stderr.startswith(f"Error: another kg build is running on this project (pid {proc.pid}, started ")
        assert f"kill {proc.pid}" in second.stderr
        # a reader that pinned the old generation keeps it, whatever the build commits
        reader = project.pinned()
    finally:
        os.kill(proc.pid, signal.SIGCONT)
    assert proc.wait(timeout=120) == 0, _log(project)
    assert export.export(reader, "trig") == old_trig  # still the old one, still there
    assert (project.output / reader.generation).is_dir()  # type: ignore[operator]
    assert project.trig_path.read_bytes() != old_trig  # the project has moved on
    rows = CliRunner().invoke(main, ["-C", root, "query", "sources", "--format", "csv"]).stdout.splitlines()
    assert len(rows) == 6
    generation.unpin_all()
    build(project, jobs=1)  # the next build removes the generation no one reads any more
    assert debris(project.output) == []


def _wait_stopped(pid: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat[stat.rindex(")") + 2] == "T":
            return
        time.sleep(0.05)
    raise AssertionError("the build did not reach its stop point")


def test_debris_of_a_dead_build_is_removed_by_the_next(states: tuple[Project, Path], tmp_path: Path) -> None:
    base, _cache = states
    project = _copy(base, tmp_path / "p")
    out = project.output
    (out / ".build-1234abcd" / "store").mkdir(parents=True)
    (out / ".build-1234abcd" / "kg.trig").write_bytes(b"half")
    (out / ".kg.trig.0123456789abcdef.tmp").write_bytes(b"half")
    os.symlink("data/nowhere", out / ".link-current-1234")
    (out / "data" / "0000000000000000" / "store").mkdir(parents=True)  # renamed, never made current
    (out / ".build.lock").write_text("pid 1, started 2022-01-01T00:00:00, kg build\n")  # its holder is dead
    some_cache = next(out.glob("cache/*/"))
    (some_cache / "tmpab12.tmp").write_bytes(b"half")
    build(project, jobs=1)
    assert debris(out) == []


def test_an_output_copied_without_its_links_still_reads_and_builds(states: tuple[Project, Path], tmp_path: Path) -> None:
    base, _cache = states
    dest = tmp_path / "copy"
    shutil.copytree(base.sources, dest / "sources")
    shutil.copytree(base.output, dest / "output")  # cp -rL: links become files and folders
    project = Project.at(dest)
    assert not (project.output / "current").is_symlink()
    assert export.export(project, "trig") == base.trig_path.read_bytes()
    add_new(project, 1)
    build(project, jobs=1)
    assert (project.output / "current").is_symlink() and project.trig_path.is_symlink()
    assert debris(project.output) == []
    assert verify(project, shacl=False).ok


def test_the_store_and_the_trig_of_a_generation_agree(states: tuple[Project, Path]) -> None:
    base, _cache = states
    pinned = base.pinned()
    trig = set(ox.parse(path=str(pinned.dataset_trig()), format=ox.RdfFormat.TRIG))
    assert set(dataset.open_store(pinned).quads_for_pattern(None, None, None)) == trig
    generation.unpin_all()


@pytest.fixture(autouse=True)
def _no_pins() -> Iterator[None]:
    yield
    generation.unpin_all()
