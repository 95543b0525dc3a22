"""Shared fixtures: the corpus built once per test session, and small throw-away projects."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kg.build import BuildReport, build
from kg.project import Project

REPO = Path(__file__).resolve().parent.parent
SOURCES = REPO / "sources"
ARTICLES = REPO / "tests" / "articles"
#: Offline copies of the GraphML XSD and the W3C Web Annotation test-suite schemas (see its README).
SCHEMAS = REPO / "tests" / "schemas"


def copy_sources(target: Path, *folders: Path) -> Path:
    """Copy every document and sidecar of ``folders`` into ``target`` (a sources folder)."""
    target.mkdir(parents=True, exist_ok=True)
    for folder in folders:
        for path in sorted(folder.iterdir()):
            if path.is_file() and path.suffix in (".txt", ".html", ".toml"):
                shutil.copy2(path, target / path.name)
    return target


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, BuildReport]:
    """The two corpus documents, built once (read-only for tests: do not modify)."""
    root = tmp_path_factory.mktemp("corpus")
    copy_sources(root / "sources", SOURCES)
    project = Project.at(root)
    report = build(project, jobs=1)
    return project, report


@pytest.fixture(scope="session")
def corpus_project(corpus: tuple[Project, BuildReport]) -> Project:
    return corpus[0]


@pytest.fixture(scope="session")
def extended(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, BuildReport]:
    """The corpus plus the test articles of tests/articles/, built once."""
    root = tmp_path_factory.mktemp("extended")
    copy_sources(root / "sources", SOURCES, ARTICLES)
    project = Project.at(root)
    return project, build(project, jobs=1)


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Project]:
    """A project in a temporary folder holding the given files: ``{"name.txt": "text" | bytes}``."""

    def make(files: dict[str, str | bytes] | None = None, *, corpus: bool = False) -> Project:
        sources = tmp_path / "sources"
        sources.mkdir(exist_ok=True)
        if corpus:
            copy_sources(sources, SOURCES)
        for name, content in (files or {}).items():
            path = sources / name
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return Project.at(tmp_path)

    return make


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the SHA-256 of its bytes: to prove a folder is untouched."""
    import hashlib

    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def built_copy(corpus: tuple[Project, BuildReport], tmp_path: Path) -> Project:
    """A writable copy of the built corpus project (sources and output)."""
    project = corpus[0]
    root = tmp_path / "project"
    shutil.copytree(project.sources, root / "sources")
    shutil.copytree(project.output, root / "output", symlinks=True)
    return Project.at(root)


@pytest.fixture
def immutable() -> Iterator[Callable[[Path], None]]:
    """Make a folder unwritable, even for root (chattr +i); skip where that is impossible."""
    made: list[Path] = []

    def make(folder: Path) -> None:
        if os.geteuid() != 0:
            folder.chmod(0o555)
        elif subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False).returncode != 0:
            pytest.skip("cannot make a folder unwritable here (no chattr as root)")
        made.append(folder)

    yield make
    for folder in made:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)], check=False)
        else:
            folder.chmod(0o755)
