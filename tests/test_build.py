"""kg build: the dataset contract, determinism, atomic commits and bad input through the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from conftest import SOURCES, copy_sources, snapshot
from rdflib import Dataset, Namespace, URIRef
from rdflib.namespace import RDF

import kg.build
from kg import dataset, ids
from kg.build import build
from kg.cli import main
from kg.errors import OutputError
from kg.project import Project

OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
KG = Namespace(ids.KG)


def test_trig_parses_with_rdflib_and_pyoxigraph(corpus_project: Project) -> None:
    data = corpus_project.trig_path.read_bytes()
    ds = Dataset()
    ds.parse(data=data, format="trig")
    quads = list(ox.parse(data, format=ox.RdfFormat.TRIG))
    assert len(quads) == len(set(ds.quads((None, None, None, None))))
    store = dataset.open_store(corpus_project)
    assert set(quads) == set(store)  # the TriG is exactly what the store holds


def test_source_nodes_follow_the_contract(corpus_project: Project) -> None:
    ds = Dataset()
    ds.parse(corpus_project.trig_path, format="trig")
    default = ds.default_graph
    iopc = URIRef(ids.source_iri("iopc-2022-02-02-met-culture-recommendations"))
    dazed = URIRef(ids.source_iri("dazed-2022-02-met-police-iopc-report"))
    assert (iopc, RDF.type, KG.Source) in default
    assert str(default.value(iopc, SCHEMA.sha256)) == "bd008538a5b3a9a74268c36fffdb880d7818a4ec3ed6861e67f4b48f847ff72e"
    published = default.value(iopc, SCHEMA.datePublished)
    assert (str(published), str(published.datatype)) == ("2022-02-02", "http://www.w3.org/2001/XMLSchema#date")
    published = default.value(dazed, SCHEMA.datePublished)
    assert (str(published), str(published.datatype)) == ("2022-02", "http://www.w3.org/2001/XMLSchema#gYearMonth")
    for src in (iopc, dazed):
        for p in (SCHEMA.name, SCHEMA.url, SCHEMA.publisher):
            assert default.value(src, p) is not None
        assert len(ds.graph(src)) > 100  # what the source says lives in its own graph


def test_every_statement_is_cited_in_its_sources_graph(corpus_project: Project) -> None:
    store = dataset.open_store(corpus_project)
    uncited = list(store.query("""
        PREFIX oa: <http://www.w3.org/ns/oa#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?g ?st WHERE { GRAPH ?g { ?st a rdf:Statement FILTER NOT EXISTS { ?a oa:hasBody ?st ; oa:motivatedBy oa:describing } } }
    """))
    assert uncited == []
    counts = list(store.query("""
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT (COUNT(DISTINCT ?st) AS ?n) WHERE { GRAPH ?g { ?st a rdf:Statement } }
    """))
    assert int(counts[0]["n"].value) > 100


def test_furniture_never_reaches_the_graph(corpus_project: Project) -> None:
    store = dataset.open_store(corpus_project)
    exact = {str(r["e"].value) for r in store.query(
        "PREFIX oa: <http://www.w3.org/ns/oa#> SELECT DISTINCT ?e WHERE { GRAPH ?g { ?s oa:exact ?e } }")}
    text = " ".join(exact)
    for furniture in ("Pin It", "Photography Melissa Arras", "Printable version", "Schools Report", "Energy Savings", "Channel website"):
        assert furniture not in text
    labels = {str(r["l"].value) for r in store.query(
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT DISTINCT ?l WHERE { GRAPH ?g { ?s rdfs:label ?l } }")}
    assert not any("Melissa" in label or "Schools Report" in label for label in labels)


def test_same_sources_give_byte_identical_output(corpus_project: Project, tmp_path: Path) -> None:
    other = Project.at(tmp_path)
    copy_sources(other.sources, SOURCES)
    build(other, jobs=1, use_cache=False)
    assert other.trig_path.read_bytes() == corpus_project.trig_path.read_bytes()
    # and again in the same folder, over the previous output
    build(other, jobs=1)
    assert other.trig_path.read_bytes() == corpus_project.trig_path.read_bytes()


def _kg(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("kg")
    return subprocess.run([str(exe), "-C", str(root), *args], capture_output=True, text=True, env=env, check=False)


@pytest.mark.slow
def test_output_does_not_depend_on_hash_seeds_or_worker_count(corpus_project: Project, tmp_path: Path) -> None:
    runs = []
    for seed, jobs in (("1", "1"), ("4242", "2")):
        root = tmp_path / f"seed{seed}"
        copy_sources(root / "sources", SOURCES)
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = _kg(root, "build", "--jobs", jobs, "-q", env=env)
        assert result.returncode == 0, result.stderr
        runs.append((root / "output" / "kg.trig").read_bytes())
    assert runs[0] == runs[1] == corpus_project.trig_path.read_bytes()


BAD = {
    "not utf-8": ({"bad.txt": b"Caf\xe9.\n", "bad.toml": 'title="t"\npublisher="p"\npublished="2022"\n'}, "bad.txt", "not UTF-8 (byte 3, line 1"),
    "empty": ({"bad.txt": b"", "bad.toml": 'title="t"\npublisher="p"\npublished="2022"\n'}, "bad.txt", "the document is empty"),
    "binary": ({"bad.txt": b"GIF89a\x00\x01", "bad.toml": 'title="t"\npublisher="p"\npublished="2022"\n'}, "bad.txt", "binary (NUL byte at byte 6)"),
    "no metadata": ({"bad.txt": b"Words.\n"}, "bad.txt", "has no metadata"),
    "missing file": ({"bad.toml": 'file="nope.txt"\ntitle="t"\npublisher="p"\npublished="2022"\n'}, "bad.toml line 1", "names a missing file 'nope.txt'"),
    "duplicate id": (
        {"bad.txt": b"A.\n", "bad.toml": 'id="dazed-2022-02-met-police-iopc-report"\ntitle="t"\npublisher="p"\npublished="2022"\n'},
        "bad.toml", "two documents have the id 'dazed-2022-02-met-police-iopc-report'",
    ),
    "unparseable date": ({"bad.txt": b"A.\n", "bad.toml": 'title="t"\npublisher="p"\npublished="last week"\n'}, "bad.toml line 3", "is not a valid date"),
    "impossible date": ({"bad.txt": b"A.\n", "bad.toml": 'title="t"\npublisher="p"\npublished="2022-02-30"\n'}, "bad.toml line 3", "2022-02 has no day 30"),
    "unknown type": ({"bad.docx": b"PK\x03\x04", "bad.toml": 'title="t"\npublisher="p"\npublished="2022"\n'}, "bad.docx", "unknown file type .docx"),
    "url": ({"bad.txt": b"A.\n", "bad.toml": 'title="t"\npublisher="p"\nurl="www.example.org"\npublished="2022"\n'}, "bad.toml line 3",
            "metadata 'url' is not an absolute http(s) URL"),
    "future date": ({"bad.txt": b"A.\n", "bad.toml": 'title="t"\npublisher="p"\npublished="2999-12-31"\n'}, "bad.toml line 3",
                    "publication date 2999-12-31 is after today"),
    "nul in title": ({"bad.txt": b"A.\n", "bad.toml": 'title="t\\u0000"\npublisher="p"\npublished="2022"\n'}, "bad.toml line 1",
                     "metadata 'title' holds the control character U+0000"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_fails_with_one_line_and_leaves_output_untouched(built_copy: Project, case: str) -> None:
    files, where, what = BAD[case]
    for name, content in files.items():
        (built_copy.sources / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    before = snapshot(built_copy.output)
    result = CliRunner().invoke(main, ["-C", str(built_copy.sources.parent), "build"])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert what in lines[0] and where in lines[0] and " — " in lines[0]
    assert result.stdout == ""
    assert snapshot(built_copy.output) == before


def test_a_link_out_of_the_sources_folder_stops_the_build_and_leaves_output_untouched(built_copy: Project, tmp_path: Path) -> None:
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    (built_copy.sources / "leak.txt").symlink_to(secret)
    (built_copy.sources / "leak.toml").write_text('title="t"\npublisher="p"\npublished="2022"\n')
    before = snapshot(built_copy.output)
    result = CliRunner().invoke(main, ["-C", str(built_copy.sources.parent), "build"])
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("Error: the file resolves to ") and "outside the sources folder, in " in line and "leak.txt" in line
    assert "root:x" not in result.output
    assert snapshot(built_copy.output) == before


def test_unwritable_output_fails_and_leaves_it_untouched(built_copy: Project, immutable) -> None:  # type: ignore[no-untyped-def]
    (built_copy.sources / "new.txt").write_text("The watchdog published a report.\n")
    (built_copy.sources / "new.toml").write_text('title="t"\npublisher="p"\npublished="2022"\n')
    before = snapshot(built_copy.output)
    immutable(built_copy.output)
    result = CliRunner().invoke(main, ["-C", str(built_copy.sources.parent), "build"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot write to the output folder")
    assert str(built_copy.output) in result.stderr and "chmod" in result.stderr
    assert snapshot(built_copy.output) == before


def test_a_read_only_cache_fails_with_one_line_and_leaves_output_untouched(built_copy: Project, immutable) -> None:  # type: ignore[no-untyped-def]
    (built_copy.sources / "new.txt").write_text("The watchdog published a report.\n")
    (built_copy.sources / "new.toml").write_text('title="t"\npublisher="p"\npublished="2022"\n')
    before = snapshot(built_copy.output)
    for folder in [built_copy.cache_dir, *built_copy.cache_dir.iterdir()]:
        immutable(folder)
    result = CliRunner().invoke(main, ["-C", str(built_copy.sources.parent), "build"])
    assert result.exit_code == 1, result.output
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("Error: cannot write the build (") and f"at {built_copy.cache_dir}" in line
    assert "make the output folder and its cache writable" in line
    assert snapshot(built_copy.output) == before


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 16 MB file system of its own (tmpfs), to fill; skip where it cannot be mounted."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(disk)],
                                           capture_output=True, check=False).returncode != 0:
        pytest.skip("cannot mount a small file system here (needs root)")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def _fill(disk: Path, leave_kb: int) -> None:
    filler = disk / "filler"
    filler.unlink(missing_ok=True)
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    with open(filler, "wb") as fh:
        fh.write(b"\0" * max(0, free - leave_kb * 1024))


def test_a_full_disk_fails_with_one_line_and_leaves_output_untouched(make_project, small_disk: Path) -> None:  # type: ignore[no-untyped-def]
    from fixtures.projects import MINI

    project = make_project()
    shutil.rmtree(project.sources)
    shutil.copytree(MINI / "sources", project.sources)
    root, out = str(project.sources.parent), str(small_disk / "output")
    assert CliRunner().invoke(main, ["-C", root, "--output", out, "build", "-q"]).exit_code == 0
    for i in (1, 2):
        (project.sources / f"n{i}.txt").write_text(f"The Harbour Conduct Office found bullying at Northgate, day {i}.\n")
        (project.sources / f"n{i}.toml").write_text(f'title="N{i}"\npublisher="P"\npublished="2022"\n')
    full = 0
    for leave in (40, 300, 700):  # the disk fills at different moments of the build
        _fill(small_disk, leave)
        before = snapshot(small_disk / "output")
        result = CliRunner().invoke(main, ["-C", root, "--output", out, "build", "-q"])
        if result.exit_code == 0:
            continue
        full += 1
        assert result.exit_code == 1
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith("Error: the disk is full (No space left on device), ") and "free some space" in line
        assert snapshot(small_disk / "output") == before  # the last good build, and nothing else
    assert full
    (small_disk / "filler").unlink()
    assert CliRunner().invoke(main, ["-C", root, "--output", out, "build", "-q"]).exit_code == 0


def test_a_first_build_that_fails_leaves_no_output_folder(make_project) -> None:  # type: ignore[no-untyped-def]
    project = make_project({"a.txt": "Text.\n", "a.toml": 'title="t"\npublisher="p"\npublished="2999"\n'})
    result = CliRunner().invoke(main, ["-C", str(project.sources.parent), "build"])
    assert result.exit_code == 1 and "is after today" in result.stderr
    assert not project.output.exists()


def test_output_path_that_is_a_file(make_project) -> None:  # type: ignore[no-untyped-def]
    project = make_project({"a.txt": "Text.\n", "a.toml": 'title="t"\npublisher="p"\npublished="2022"\n'})
    project.output.write_text("not a folder")
    with pytest.raises(OutputError, match="output path is not a folder"):
        build(project, jobs=1)
    assert project.output.read_text() == "not a folder"


@pytest.mark.parametrize("where", ["the store updated", "the store loaded anew"])
def test_a_failure_while_writing_leaves_the_last_good_output(built_copy: Project, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    (built_copy.sources / "extra.txt").write_text("The watchdog found bullying in the team.\n")
    (built_copy.sources / "extra.toml").write_text('title="t"\npublisher="p"\npublished="2022"\n')
    before = snapshot(built_copy.output)

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    # the disk fills up while the store is written, after kg.trig was staged: one new document is
    # a graph to add to a copy of the store; without a plan for that, the store is loaded anew
    if where == "the store updated":
        monkeypatch.setattr(kg.build, "_update_store", boom)
    else:
        monkeypatch.setattr(kg.build, "_incremental_plan", lambda *args: None)
        monkeypatch.setattr(kg.build._StoreLoader, "finish", boom)
    with pytest.raises(OutputError, match=r"the disk is full \(No space left on device\)"):
        build(built_copy, jobs=1)
    # The built dataset (manifest, kg.trig, data/) is exactly as it was, and nothing the failed
    # build wrote outlives it: no staging folder, no temporary file, not the new document's
    # extraction in cache/ (a failure on a full disk must not leave it fuller).
    assert snapshot(built_copy.output) == before
    assert not [p for p in built_copy.output.iterdir() if p.name.startswith(".")]


def _store_is_the_trig(project: Project) -> bool:
    """The store holds exactly what kg.trig says (an incremental build updates a copy of the last store)."""
    trig = set(ox.parse(path=str(project.trig_path), format=ox.RdfFormat.TRIG))
    return set(dataset.open_store(project).quads_for_pattern(None, None, None)) == trig


def test_rebuild_reextracts_only_what_changed_and_reports_the_diff(built_copy: Project) -> None:
    report = build(built_copy, jobs=1)
    assert report.extracted == [] and report.diff is not None and report.diff.empty
    (built_copy.sources / "wire.txt").write_text(
        "LONDON - Two officers were dismissed for gross misconduct after an investigation by the "
        "Independent Office for Police Conduct (IOPC), the watchdog said.\n"
    )
    (built_copy.sources / "wire.toml").write_text('title="Officers dismissed"\npublisher="Wire"\npublished="2022-02-03"\n')
    report = build(built_copy, jobs=1)
    assert report.extracted == ["wire"]
    assert report.diff is not None and report.diff.added
    assert _store_is_the_trig(built_copy)
    (built_copy.sources / "wire.txt").write_text(
        "LONDON - Three officers were dismissed for gross misconduct after an investigation by the "
        "Independent Office for Police Conduct (IOPC), the watchdog said.\n"
    )
    report = build(built_copy, jobs=1)
    assert report.extracted == ["wire"] and report.diff is not None and not report.diff.empty
    assert _store_is_the_trig(built_copy)
    (built_copy.sources / "wire.txt").unlink()
    (built_copy.sources / "wire.toml").unlink()
    report = build(built_copy, jobs=1)
    assert report.extracted == []
    assert report.diff is not None and report.diff.removed and not report.diff.added
    assert _store_is_the_trig(built_copy)


def test_build_cli_prints_the_summary(built_copy: Project) -> None:
    result = CliRunner().invoke(main, ["-C", str(built_copy.sources.parent), "build"])
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("Built 2 sources")
    for line in ("Entities by type:", "schema:Person", "Corroborated statements", "Conflicts:", "No statements changed"):
        assert line in out


def test_sources_are_never_written(built_copy: Project) -> None:
    before = snapshot(built_copy.sources)
    build(built_copy, jobs=1, use_cache=False)
    assert snapshot(built_copy.sources) == before


def test_shutil_copy_of_output_is_self_contained(built_copy: Project) -> None:
    # the built output can be moved with the project: nothing in it points outside
    moved = built_copy.sources.parent.parent / "moved"
    shutil.move(str(built_copy.sources.parent), str(moved))
    project = Project.at(moved)
    assert len(list(dataset.open_store(project).quads_for_pattern(None, None, None))) > 1000


def test_build_progress_on_stderr(built_copy: Project) -> None:
    result = CliRunner().invoke(main, ["-C", str(built_copy.sources.parent), "build", "--no-cache", "--progress", "-q"])
    assert result.exit_code == 0, result.stderr
    assert "extracting: 2/2 documents" in result.stderr and "left" in result.stderr
    assert result.stdout.startswith("Built 2 sources")
