"""kg against SPARQL 1.1 servers started on 127.0.0.1 for these tests: the Oxigraph server and Virtuoso."""

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


# --- Virtuoso (Debian's virtuoso-opensource), started on 127.0.0.1 for these tests ---------------

VIRTUOSO_INI = """[Database]
DatabaseFile       = {db}/virtuoso.db
ErrorLogFile       = {db}/virtuoso.log
LockFile           = {db}/virtuoso.lck
TransactionFile    = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
[TempDatabase]
DatabaseFile       = {db}/virtuoso-temp.db
TransactionFile    = {db}/virtuoso-temp.trx
[Parameters]
ServerPort         = {sql_port}
DisableUnixSocket  = 1
DirsAllowed        = ., {db}
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000
[HTTPServer]
ServerPort         = {http_port}
ServerRoot         = /var/lib/virtuoso-opensource-7/vsp
ServerThreads      = 10
MaxClientConnections = 10
[SPARQL]
ResultSetMaxRows   = 1000000
MaxQueryExecutionTime = 120
"""
#: Where kg's default graph lives on Virtuoso, whose queries see every graph when they name none.
VIRTUOSO_DEFAULT = "https://kg.example/id/graph/default"


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """The kg options that reach a Virtuoso started here: the endpoints and the default graph."""
    import os

    exe, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if exe is None or isql is None:
        reason = "Virtuoso is not installed (apt-get install virtuoso-opensource; .ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(f"the Virtuoso round trip cannot run in CI: {reason}")
        pytest.skip(reason)
    db = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = _free_port(), _free_port()
    ini = db / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(db=db, sql_port=sql_port, http_port=http_port))
    proc = subprocess.Popen([exe, "+foreground", "+configfile", str(ini)], cwd=db, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{http_port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{base}/sparql?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.1)
        else:
            pytest.fail("Virtuoso did not start")
        if proc.poll() is not None:
            pytest.fail(f"Virtuoso stopped at start: {(db / 'virtuoso.log').read_text(errors='replace')[-2000:]}")
        # anonymous SPARQL may write (this server listens on 127.0.0.1 for this test only)
        subprocess.run([isql, str(sql_port), "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
                       check=True, capture_output=True, timeout=60)
        yield ["--endpoint", f"{base}/sparql", "--update-endpoint", f"{base}/sparql",
               "--store-endpoint", f"{base}/sparql-graph-crud", "--default-graph", VIRTUOSO_DEFAULT]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


#: Named queries whose rows Virtuoso returns in another order (the same rows).
VIRTUOSO_ORDER = {"entities", "entities-per-source"}


@pytest.mark.slow
def test_virtuoso_round_trip(virtuoso: list[str], built_copy: Project) -> None:
    root = str(built_copy.sources.parent)
    options = dict(zip(virtuoso[::2], virtuoso[1::2], strict=True))
    result = CliRunner().invoke(main, ["-C", root, "build", "-q", *virtuoso])
    assert result.exit_code == 0, result.output
    assert f"quads to {options['--endpoint']}" in result.stdout
    remote = Endpoint.at(options["--endpoint"], options["--update-endpoint"], options["--store-endpoint"], VIRTUOSO_DEFAULT)
    # kg query --endpoint: every named query gives the rows it gives on the built store
    for q in queries.named():
        params = {"entity": "Sal Naseem"} if q.param("entity") else {}
        local = queries.run_project(built_copy, q, params)
        there = queries.run(remote, q, params)
        assert there.variables == local.variables, q.name
        if q.name in VIRTUOSO_ORDER:
            assert sorted(map(str, there.rows)) == sorted(map(str, local.rows)), q.name
        else:
            assert queries.render(there, "json") == queries.render(local, "json"), q.name
    cli = CliRunner().invoke(main, ["-C", root, "query", "sources", "--format", "json", "--endpoint", options["--endpoint"],
                                    "--default-graph", VIRTUOSO_DEFAULT])
    assert cli.exit_code == 0, cli.output
    assert len(json.loads(cli.stdout)["results"]["bindings"]) == 2
    # kg export --endpoint: what the server holds is exactly the dataset, byte for byte
    for fmt in ("nquads", "trig"):
        cli = CliRunner().invoke(main, ["-C", root, "export", "--format", fmt, *virtuoso])
        assert cli.exit_code == 0, cli.output
        assert cli.stdout_bytes == export.export(built_copy, fmt), fmt
    # a second push drops kg's stale graphs, and only kg's: Virtuoso's own graphs stay
    (built_copy.sources / "dazed-2022-02-met-police-iopc-report.txt").unlink()
    (built_copy.sources / "dazed-2022-02-met-police-iopc-report.toml").unlink()
    result = CliRunner().invoke(main, ["-C", root, "build", "-q", *virtuoso])
    assert result.exit_code == 0, result.output
    assert "https://kg.example/id/source/dazed-2022-02-met-police-iopc-report" not in remote.named_graphs()
    assert export.export(built_copy, "nquads", store=remote.fetch()) == export.export(built_copy, "nquads")
    system = remote._query("ASK { GRAPH <http://www.openlinksw.com/schemas/virtrdf#> { ?s ?p ?o } }")
    assert bool(system)
