"""kg against a SPARQL 1.1 server: the Oxigraph server, started on 127.0.0.1 for these tests."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import export, queries
from kg.cli import main
from kg.endpoint import Endpoint
from kg.errors import EndpointError
from kg.project import Project


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    exe = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(exe).exists():
        pytest.skip("the Oxigraph server (pip install oxigraph) is not installed")
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    proc = subprocess.Popen(
        [exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/query"
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=1).read()
            break
        except OSError:
            time.sleep(0.05)
    else:
        proc.kill()
        pytest.fail(f"the Oxigraph server did not start: {proc.stderr.read().decode() if proc.stderr else ''}")
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_push_query_and_export_round_trip(server: str, built_copy: Project) -> None:
    root = str(built_copy.sources.parent)
    result = CliRunner().invoke(main, ["-C", root, "build", "-q", "--endpoint", server])
    assert result.exit_code == 0, result.stderr
    assert "Pushed" in result.stdout and "quads to " + server in result.stdout
    remote = Endpoint.at(server)
    # every named query gives the same rows remotely as on the built store
    for q in queries.named():
        params = {"entity": "Sal Naseem"} if q.param("entity") else {}
        local = queries.run_project(built_copy, q, params)
        there = queries.run(remote, q, params)
        assert queries.render(there, "json") == queries.render(local, "json"), q.name
    # what the server holds is exactly the dataset: the export from it is byte-identical
    fetched = remote.fetch()
    for fmt in ("nquads", "trig"):
        assert export.export(built_copy, fmt, store=fetched) == export.export(built_copy, fmt)
    cli = CliRunner().invoke(main, ["-C", root, "export", "--endpoint", server, "--format", "nquads"])
    assert cli.exit_code == 0 and cli.stdout_bytes == export.export(built_copy, "nquads")
    cli = CliRunner().invoke(main, ["-C", root, "query", "sources", "--endpoint", server, "--format", "json"])
    rows = json.loads(cli.stdout)["results"]["bindings"]
    assert len(rows) == 2


def test_a_second_push_replaces_and_drops_stale_graphs(server: str, built_copy: Project) -> None:
    remote = Endpoint.at(server)
    remote.push(built_copy.trig_path)
    before = remote.named_graphs()
    (built_copy.sources / "dazed-2022-02-met-police-iopc-report.txt").unlink()
    (built_copy.sources / "dazed-2022-02-met-police-iopc-report.toml").unlink()
    CliRunner().invoke(main, ["-C", str(built_copy.sources.parent), "build", "-q"])
    n = remote.push(built_copy.trig_path)
    after = remote.named_graphs()
    assert "https://kg.example/id/source/dazed-2022-02-met-police-iopc-report" in before
    assert "https://kg.example/id/source/dazed-2022-02-met-police-iopc-report" not in after
    assert export.export(built_copy, "nquads", store=remote.fetch()) == export.export(built_copy, "nquads")
    assert n == export.export(built_copy, "nquads").count(b"\n")


def test_parameters_are_bound_as_terms_remotely(server: str, built_copy: Project) -> None:
    remote = Endpoint.at(server)
    remote.push(built_copy.trig_path)
    q = queries.parse('SELECT ?name WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?name }', "q", "test")
    hostile = 'x" } ; DROP ALL ; SELECT * { "'
    result = queries.run(remote, q, {"name": hostile})
    assert result.rows == []  # the value is one literal, not query text
    assert remote.named_graphs()  # and nothing was dropped


def test_unreachable_endpoint_is_a_clear_error(built_copy: Project) -> None:
    port = _free_port()
    result = CliRunner().invoke(main, ["-C", str(built_copy.sources.parent), "query", "sources", "--endpoint",
                                       f"http://127.0.0.1:{port}/query"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot reach the server") and f"127.0.0.1:{port}" in result.stderr
    with pytest.raises(EndpointError, match="not an HTTP"):
        Endpoint.at("ftp://example.org/sparql")
