"""Fail closed on the sources on disk: `kg factsheet` and `kg site` check every source file against the build."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import factsheet as fs
from kg import freshness, site
from kg.cli import main
from kg.errors import SourceError
from kg.project import Project
from tests.conftest import snapshot

IOPC = "iopc-2022-02-02-met-culture-recommendations"
DAZED = "dazed-2022-02-met-police-iopc-report"


def _edit(project: Project, doc: str, old: str, new: str) -> Path:
    path = project.sources / f"{doc}.txt"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def _recorded(project: Project) -> dict[str, str]:
    ctx = fs.Context(project)
    return dict(ctx._recorded)


def test_unchanged_sources_pass(corpus_project: Project) -> None:
    recorded = _recorded(corpus_project)
    assert sorted(recorded) == [DAZED, IOPC]
    assert freshness.changes(corpus_project, recorded) == {}


def test_an_edited_source_is_named(built_copy: Project) -> None:
    recorded = _recorded(built_copy)
    path = _edit(built_copy, IOPC, "14 officers", "15 officers")
    found = freshness.changes(built_copy, recorded)
    assert list(found) == [IOPC]
    assert found[IOPC].file == str(path)
    assert found[IOPC].why.startswith("changed since the build (its text's SHA-256 is ")
    assert recorded[IOPC] in found[IOPC].why
    with pytest.raises(SourceError) as err:
        freshness.check(built_copy, recorded)
    assert str(err.value).startswith(f"1 source file has changed since the build: {path} changed since the build")
    assert "--omit-changed" in str(err.value)
    assert freshness.check(built_copy, recorded, omit=True) == found


def test_a_removed_source_is_named(built_copy: Project) -> None:
    recorded = _recorded(built_copy)
    (built_copy.sources / f"{DAZED}.txt").unlink()
    (built_copy.sources / f"{DAZED}.toml").unlink()
    found = freshness.changes(built_copy, recorded)
    assert list(found) == [DAZED]
    assert found[DAZED].why == f"is no longer in {built_copy.sources}"


def test_a_source_that_no_longer_reads_is_named(built_copy: Project) -> None:
    recorded = _recorded(built_copy)
    path = built_copy.sources / f"{DAZED}.txt"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())  # the build refuses a byte-order mark
    found = freshness.changes(built_copy, recorded)
    assert found[DAZED].why == "cannot be read (the document starts with a byte-order mark)"


# --- kg factsheet -------------------------------------------------------------------------------


def test_factsheet_refuses_a_changed_source(built_copy: Project) -> None:
    path = _edit(built_copy, IOPC, "14 officers", "15 officers")
    with pytest.raises(SourceError):
        fs.Context(built_copy)
    result = CliRunner().invoke(main, ["-C", str(built_copy.sources.parent), "factsheet", "Operation Hotton"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: 1 source file has changed since the build: {path} changed since the build")
    assert result.stderr.rstrip().endswith("--omit-changed leaves out, and names, every fact they support")


def test_factsheet_omit_changed_leaves_out_and_names_each_fact(built_copy: Project) -> None:
    path = _edit(built_copy, IOPC, "14 officers", "15 officers")
    result = CliRunner().invoke(
        main, ["-C", str(built_copy.sources.parent), "factsheet", "Operation Hotton", "--omit-changed"]
    )
    assert result.exit_code == 0, result.output
    text = result.stdout
    # nothing is cited from the changed source
    assert IOPC not in text
    # a fact only the changed source states is left out, and named on stderr
    assert "linked investigations" not in text
    assert f"omitted: the source file {path} changed since the build" in result.stderr
    assert "linked investigations.” (statement:" in result.stderr
    assert f"{path} changed since the build" in result.stderr
    # a fact the other source states too stays, with that source alone
    line = next(x for x in text.splitlines() if "investigated 14 officers" in x)
    assert "(2 sources)" not in line
    assert "kept without its citations into" in result.stderr


def test_factsheet_all_refuses_a_changed_source(built_copy: Project) -> None:
    _edit(built_copy, DAZED, "14 police officers", "15 police officers")
    before = snapshot(built_copy.output)
    result = CliRunner().invoke(main, ["-C", str(built_copy.sources.parent), "factsheet", "--all"])
    assert result.exit_code == 1
    assert "Error: 1 source file has changed since the build" in result.stderr
    assert snapshot(built_copy.output) == before


# --- kg site ------------------------------------------------------------------------------------


def test_site_refuses_a_changed_source_and_leaves_the_old_site(built_copy: Project, tmp_path: Path) -> None:
    out = tmp_path / "site"
    site.build_site(built_copy, out)
    before = snapshot(out)
    path = _edit(built_copy, IOPC, "14 officers", "15 officers")
    with pytest.raises(SourceError):
        site.build_site(built_copy, out)
    result = CliRunner().invoke(main, ["-C", str(built_copy.sources.parent), "site", "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: 1 source file has changed since the build: {path}")
    assert snapshot(out) == before


def test_site_omit_changed(built_copy: Project, tmp_path: Path) -> None:
    path = _edit(built_copy, IOPC, "14 officers", "15 officers")
    out = tmp_path / "site"
    result = CliRunner().invoke(
        main, ["-C", str(built_copy.sources.parent), "site", "-o", str(out), "--omit-changed"]
    )
    assert result.exit_code == 0, result.output
    assert f"omitted: source page of {IOPC} shows no cited span: the source file {path} changed" in result.stderr
    assert "omitted: left out “" in result.stderr
    page = (out / "source" / f"{IOPC}.html").read_text(encoding="utf-8")
    assert 'data-t="' not in page and "changed since the build" in page
    for sheet in (out / "entity").iterdir():
        assert f"source/{IOPC}.html#" not in sheet.read_text(encoding="utf-8"), sheet.name
