"""kg build on a Dask cluster gives the same output as a local build."""

from __future__ import annotations

import pytest
from conftest import SOURCES, copy_sources

from kg.build import build
from kg.project import Project


@pytest.mark.slow
def test_dask_build_equals_local_build(corpus_project: Project, tmp_path) -> None:  # type: ignore[no-untyped-def]
    distributed = pytest.importorskip("dask.distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                       dashboard_address=None)
    try:
        project = Project.at(tmp_path)
        copy_sources(project.sources, SOURCES)
        report = build(project, executor="dask", scheduler=cluster.scheduler_address, use_cache=False)
        assert sorted(report.extracted) == sorted(p.stem for p in SOURCES.glob("*.txt"))
        assert project.trig_path.read_bytes() == corpus_project.trig_path.read_bytes()
    finally:
        cluster.close()
