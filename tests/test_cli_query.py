"""The CLI wiring of ``kg queries``, ``kg query``, ``kg export`` and ``kg analyze``.

Exit codes: 0 success, 1 a KGError (``Error: <what>, <where> — <how to fix>`` on stderr), 2 bad usage.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result
from fixtures.projects import mini_project

from kg.cli import main
from kg.project import Project

GAZETTE = "Watchdog finds bullying at Northgate police station"
RELEASE = "HCO publishes learning report on Operation Lantern"


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return mini_project(tmp_path_factory.mktemp("mini"))


def kg(mini: Project, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, ["-C", str(mini.sources.parent), *args], input=input)


def ok(result: Result) -> str:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.stdout


def error(result: Result, code: int = 1) -> str:
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert result.stdout == ""
    return result.stderr


# --- kg queries, kg query ---------------------------------------------------------------------


def test_queries_lists_every_named_query(mini: Project) -> None:
    out = ok(kg(mini, "queries"))
    lines = out.splitlines()
    assert lines[0].split() == ["name", "parameters", "description"]
    names = [line.split()[0] for line in lines[2:]]
    assert len(names) >= 12 and names == sorted(names)
    assert "entity               entity=ENTITY  Everything cited about one entity" in out
    assert "quotes                              Who said what" in out


def test_query_csv(mini: Project) -> None:
    result = kg(mini, "query", "sources", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout_bytes.decode() == (  # RFC 4180 line ends, as SPARQL 1.1 CSV says
        "source,publisher,published,entities,mentions,statements,citations,src\r\n"
        f"{GAZETTE},Harbour Gazette,2021-05,15,21,26,26,https://kg.example/id/source/harbour-gazette-2021-05-lantern\r\n"
        f"{RELEASE},Harbour Conduct Office (HCO),2021-05-04,11,15,20,20,https://kg.example/id/source/hco-2021-05-04-lantern-report\r\n"
    )


def test_query_tsv(mini: Project) -> None:
    assert ok(kg(mini, "query", "conflicts", "-f", "tsv")) == (
        "?subject\t?property\t?value1\t?sources1\t?quote1\t?source1\t?value2\t?sources2\t?quote2\t?source2\t?conflict\n"
        '"Operation Lantern"\t<https://kg.example/ns#officersInvestigated>\t12\t1\t"Twelve officers were investigated"\t'
        f'"{GAZETTE}"\t14\t1\t"Fourteen officers were investigated"\t"{RELEASE}"\t'
        "<https://kg.example/id/conflict/4e624c4feadb81e3>\n"
    )


def test_query_table(mini: Project) -> None:
    assert ok(kg(mini, "query", "outcomes")) == (
        "outcomeType                         officers  inConnectionWith  investigation  sources  quote                           source                                               outcome\n"
        "----------------------------------  --------  ----------------  -------------  -------  ------------------------------  ---------------------------------------------------  ------------------------------------------------------\n"
        "outcome:dismissal-gross-misconduct         2                                         2  dismissed for gross misconduct  Watchdog finds bullying at Northgate police station  disciplinary:2-officers-dismissal-for-gross-e5b2978ad1\n"
        "1 row\n"
    )


def test_query_json_is_sparql_results_json(mini: Project) -> None:
    doc = json.loads(ok(kg(mini, "query", "entity", "--param", "entity=Dana Reyes", "--format", "json")))
    assert doc["head"]["vars"] == ["source", "start", "end", "kind", "subject", "predicate", "object", "quote", "entity"]
    first = doc["results"]["bindings"][0]
    assert first["start"] == {"type": "literal", "value": "303", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    assert first["entity"] == {"type": "uri", "value": "https://kg.example/id/person/dana-reyes"}
    mention = doc["results"]["bindings"][1]
    assert "predicate" not in mention  # unbound: left out, as the format says
    assert ok(kg(mini, "query", "-e", "ASK { ?s ?p ?o }", "-f", "json")) == '{"head": {}, "boolean": true}\n'


def test_query_expression_file_and_stdin(mini: Project, tmp_path: Path) -> None:
    text = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nSELECT DISTINCT ?x ?label WHERE { ?x rdfs:label ?label }"
    expected = "x                  label\n-----------------  ----------\nperson:dana-reyes  Dana Reyes\n1 row\n"
    assert ok(kg(mini, "query", "-e", text, "-p", "label=Dana Reyes")) == expected
    path = tmp_path / "who.rq"
    path.write_text("# Who has a label\n# param: label literal — the label\n" + text, encoding="utf-8")
    assert ok(kg(mini, "query", str(path), "-p", "label=Dana Reyes")) == expected
    assert ok(kg(mini, "query", "-", "-p", "label=Dana Reyes", input=text)) == expected
    # a parameter is a variable of the SELECT clause
    assert error(kg(mini, "query", "-e", text.replace("?x ?label W", "?x W"), "-p", "label=Dana Reyes")) == (
        "Error: parameter label is not a variable the query selects, in the -e query — add ?label to the SELECT clause\n"
    )


def test_query_entity_by_alias(mini: Project) -> None:
    out = ok(kg(mini, "query", "entity", "-p", "entity=HCO", "-f", "csv"))
    assert ",mention,Harbour Conduct Office,,,HCO,https://kg.example/id/organization/harbour-conduct-office\n" in out


def test_query_errors(mini: Project) -> None:
    assert error(kg(mini, "query", "entity", "-p", "entity=Reyes")) == (
        "Error: 'Reyes' names 2 entities: Alex Reyes (person, commissioner, quoted: “We are deeply sorry”; person:alex-reyes); Dana Reyes (person, Regional Director, quoted: “What we found was a culture …”; person:dana-reyes), "
        "parameter entity of queries/entity.rq — give the IRI or compact IRI of the one you mean\n"
    )
    assert error(kg(mini, "query", "entity")) == (
        "Error: parameter entity is missing (the entity: its IRI, a CURIE such as person:jane-roe, or a name or "
        "alias), for queries/entity.rq — pass --param entity=VALUE\n"
    )
    assert error(kg(mini, "query", "-e", "PREFIX ex: <urn:ex:>\nINSERT DATA { ex:a ex:b ex:c }")) == (
        "Error: kg query is read-only and this is a SPARQL update (INSERT), line 2, column 1 of the -e query — "
        "use SELECT, CONSTRUCT, DESCRIBE or ASK; the dataset changes only through `kg build`\n"
    )
    assert error(kg(mini, "query", "-e", "SELECT * WHERE {\n  ?s ?p\n}")).startswith(
        "Error: SPARQL syntax error: "
    )
    assert re.search(r", line 3, column \d+ of the -e query — fix the query \(SPARQL 1.1\)\n$", error(
        kg(mini, "query", "-e", "SELECT * WHERE {\n  ?s ?p\n}")
    ))
    assert error(kg(mini, "query", "quote")).startswith("Error: no named query 'quote', in ")
    assert error(kg(mini, "query", "nothing/here.rq")) == (
        "Error: no such query file, at nothing/here.rq — give the path of a .rq file, or the name of a named "
        "query (`kg queries` lists them)\n"
    )


def test_query_usage_errors(mini: Project) -> None:
    for args in ([], ["quotes", "-e", "ASK {}"]):
        assert "Error: give one query: a NAME, a FILE.rq, - (standard input) or -e SPARQL\n" in error(kg(mini, "query", *args), 2)
    assert "Error: Invalid value for '-p' / '--param': 'entity' is not NAME=VALUE\n" in error(
        kg(mini, "query", "entity", "-p", "entity"), 2
    )
    assert "Invalid value for '-f' / '--format'" in error(kg(mini, "query", "quotes", "-f", "xml"), 2)


def test_query_without_a_build(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["-C", str(tmp_path), "query", "quotes"])
    assert result.exit_code == 1
    assert result.stderr == f"Error: no built dataset, in {tmp_path / 'output'} — run `kg build` first\n"


def test_query_never_changes_the_store(mini: Project) -> None:
    before = mini.store_path().stat().st_mtime_ns, sorted(p.name for p in mini.store_path().iterdir())
    error(kg(mini, "query", "-e", "DELETE WHERE { ?s ?p ?o }"))
    ok(kg(mini, "query", "-e", "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", "-p", "s=<urn:x>"))
    store = ox.Store.read_only(str(mini.store_path()))
    assert len(store) == 1795
    assert before[1] == sorted(p.name for p in mini.store_path().iterdir())


def test_the_cli_offers_exactly_what_the_library_implements() -> None:
    """The options' choices are kg.formats' names, and each name is implemented (an export
    format, a graph, a measure, a fact-sheet format, an executor)."""
    from kg import analysis, distributed, export, factsheet, formats, queries
    from kg.cli import main

    assert tuple(export.FORMATS) == formats.EXPORT_FORMATS
    assert queries.FORMATS == formats.QUERY_FORMATS and factsheet.FORMATS == formats.FACTSHEET_FORMATS
    assert analysis.GRAPHS == formats.GRAPHS and analysis.MEASURES == formats.MEASURES
    assert formats.EXECUTORS == ("process", "dask") and callable(distributed.extract_with_dask)
    choices = {}
    for name, command in main.commands.items():  # type: ignore[attr-defined]
        for sub in getattr(command, "commands", {}).values():
            for p in sub.params:
                if hasattr(p.type, "choices"):
                    choices[(name, sub.name, p.name)] = tuple(p.type.choices)
        for p in command.params:
            if hasattr(p.type, "choices"):
                choices[(name, p.name)] = tuple(p.type.choices)
    assert choices[("export", "fmt")] == formats.EXPORT_FORMATS and choices[("export", "graph")] == formats.GRAPHS
    assert choices[("query", "fmt")] == formats.QUERY_FORMATS and choices[("factsheet", "fmt")] == formats.FACTSHEET_FORMATS
    assert choices[("analyze", "centrality", "by")] == formats.MEASURES and choices[("build", "executor")] == formats.EXECUTORS


def test_query_starts_without_the_heavy_modules(mini: Project) -> None:
    """`kg query` imports neither spaCy, nor rdflib, nor networkx, nor the extraction or linking code
    (kg.dataset, whose readers it uses, keeps those imports out of its module level)."""
    code = (
        "import sys\n"
        "from kg.cli import main\n"
        f"sys.argv = ['kg', '-C', {str(mini.sources.parent)!r}, 'query', 'entity', '-p', 'entity=HCO', '-f', 'csv']\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    assert exc.code in (0, None), exc.code\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'rdflib', 'networkx', 'oxrdflib')"
        " or m.startswith(('kg.extract', 'kg.link', 'kg.build', 'kg.vocab')))\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1] == "HEAVY []"


# --- kg export --------------------------------------------------------------------------------


def test_export_to_stdout_and_files(mini: Project, tmp_path: Path) -> None:
    from kg import export

    result = kg(mini, "export", "--format", "nquads")
    assert result.exit_code == 0 and result.stdout_bytes == export.export(mini, "nquads")
    assert kg(mini, "export").stdout_bytes == mini.trig_path.read_bytes()  # trig by default
    target = tmp_path / "kg.ttl"
    result = kg(mini, "export", "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == f"Wrote turtle ({target.stat().st_size:,} bytes) to {target}.\n"
    assert target.read_bytes() == export.export(mini, "turtle")
    graphml = tmp_path / "co.graphml"
    ok(kg(mini, "export", "-o", str(graphml), "--graph", "comention"))
    assert graphml.read_bytes() == export.export(mini, "graphml", graph="comention")
    annotations = json.loads(ok(kg(mini, "export", "-f", "annotations")))
    assert annotations["type"] == "AnnotationCollection" and annotations["total"] == 82
    assert "Invalid value for '-f' / '--format'" in error(kg(mini, "export", "-f", "rdfxml"), 2)
    assert error(kg(mini, "export", "-f", "turtle", "-o", str(tmp_path))) == (
        f"Error: the export path is a folder, at {tmp_path} — give a file name\n"
    )


# --- kg analyze -------------------------------------------------------------------------------


def test_analyze_centrality(mini: Project) -> None:
    out = ok(kg(mini, "analyze", "centrality", "--top", "2"))
    assert out.splitlines()[0].split() == ["rank", "label", "type", "degree", "weight", "pagerank", "iri"]
    assert out.splitlines()[2].startswith("   1  Harbour Conduct Office  schema:Organization       6       7    0.1548")
    assert out.endswith("2 of 17 nodes, 16 edges, ranked by pagerank\n")
    rows = json.loads(ok(kg(mini, "analyze", "centrality", "-g", "bipartite", "--by", "degree", "--top", "1", "-f", "json")))
    assert rows == [{
        "rank": 1, "label": GAZETTE, "type": "kg:Source", "degree": 15, "weight": 21,
        "iri": "https://kg.example/id/source/harbour-gazette-2021-05-lantern",
    }]
    between = ok(kg(mini, "analyze", "centrality", "--by", "betweenness", "--top", "1"))
    assert between.splitlines()[0].split() == ["rank", "label", "type", "degree", "weight", "betweenness", "iri"]
    csv_out = ok(kg(mini, "analyze", "centrality", "-g", "comention", "-f", "csv", "--top", "0"))
    assert len(csv_out.splitlines()) == 18


def test_analyze_communities_and_components(mini: Project) -> None:
    out = ok(kg(mini, "analyze", "communities", "-g", "bipartite"))
    assert out.endswith("2 of 2 communities; modularity 0.1667 (Louvain, seed 42)\n")
    assert ok(kg(mini, "analyze", "communities", "-g", "bipartite")) == out
    components = json.loads(ok(kg(mini, "analyze", "components", "-f", "json")))
    assert [(c["component"], c["size"]) for c in components] == [(1, 16), (2, 1)]


def test_analyze_path(mini: Project) -> None:
    out = ok(kg(mini, "analyze", "path", "Alex Reyes", "HCO"))
    assert out.splitlines()[-1] == (
        "4 steps: Alex Reyes → Alex Reyes, commissioner → Coastal Police Service → adopt a zero-tolerance policy → "
        "Harbour Conduct Office"
    )
    assert "   4  adopt a zero-tolerance policy  kg:recommendedBy  Harbour Conduct Office  The HCO recommends" in out
    assert error(kg(mini, "analyze", "path", "Reyes", "HCO")) == (
        "Error: 'Reyes' names 2 entities: Alex Reyes (person, commissioner, quoted: “We are deeply sorry”; person:alex-reyes); Dana Reyes (person, Regional Director, quoted: “What we found was a culture …”; person:dana-reyes), for FROM "
        "— give the IRI or compact IRI of the one you mean\n"
    )
    assert error(kg(mini, "analyze", "path", "Dana Reyes", "disciplinary:2-officers-dismissal-for-gross-e5b2978ad1")) == (
        "Error: no chain of cited statements links Dana Reyes and 2 officers: dismissal for gross misconduct, in the "
        "entity graph — they are in different components; `kg analyze components` lists them\n"
    )
    assert "Missing argument 'TO'" in error(kg(mini, "analyze", "path", "HCO"), 2)


# --- no network, bounded time, Ctrl-C, bounded tables, safe CSV --------------------------------


class _Listener:
    """A local HTTP server that counts who connects, and answers as a SPARQL endpoint would."""

    def __init__(self) -> None:
        import http.server
        import threading

        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                hits.append(self.path)
                self.rfile.read(int(self.headers.get("content-length", 0)))
                body = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"from the service"}}]}}'
                self.send_response(200)
                self.send_header("content-type", "application/sparql-results+json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener() -> Iterator[_Listener]:
    server = _Listener()
    yield server
    server.close()


def test_a_local_query_never_reaches_the_network(mini: Project, listener: _Listener, tmp_path: Path) -> None:
    url = listener.url
    host, path = url.rsplit("/", 1)
    shared = tmp_path / "shared.rq"
    shared.write_text(f"# A shared query\nSELECT ?x WHERE {{ SERVICE <{url}> {{ ?x ?p ?o }} }}\n")
    ways = {
        "literal": ["-e", f"SELECT ?x WHERE {{ SERVICE <{url}> {{ ?x ?p ?o }} }}"],
        "silent": ["-e", f"SELECT ?x WHERE {{ SERVICE SILENT <{url}> {{ ?x ?p ?o }} }}"],
        "lower case": ["-e", f"select ?x where {{ service <{url}> {{ ?x ?p ?o }} }}"],
        "prefix": ["-e", f"PREFIX remote: <{host}/>\nSELECT ?x WHERE {{ SERVICE remote:{path} {{ ?x ?p ?o }} }}"],
        "base": ["-e", f"BASE <{host}/>\nSELECT ?x WHERE {{ SERVICE <{path}> {{ ?x ?p ?o }} }}"],
        "parameter": ["-e", "SELECT ?x ?svc WHERE { SERVICE ?svc { ?x ?p ?o } }", "-p", f"svc=<{url}>"],
        "variable": ["-e", f"SELECT ?x WHERE {{ BIND (<{url}> AS ?svc) SERVICE ?svc {{ ?x ?p ?o }} }}"],
        "nested": ["-e", f"SELECT ?x WHERE {{ OPTIONAL {{ {{ SELECT ?x WHERE {{ SERVICE <{url}> {{ ?x ?p ?o }} }} }} }} }}"],
        "a shared query file": [str(shared)],
    }
    for how, args in ways.items():
        message = error(kg(mini, "query", *args))
        (line,) = message.strip().splitlines()
        assert line.startswith("Error: the query calls a remote service ("), (how, line)
        assert "kg query does not reach the network from the built store, line " in line, (how, line)
        assert "--service URL" in line, how
    assert listener.hits == []  # nothing connected


def test_an_allowed_service_is_called_and_its_failure_reported_as_what_it_is(mini: Project, listener: _Listener) -> None:
    query = f"SELECT ?x WHERE {{ SERVICE <{listener.url}> {{ ?x ?p ?o }} }}"
    ok(result := kg(mini, "query", "-e", query, "--service", listener.url, "--format", "csv"))
    assert result.stdout_bytes == b"x\r\nfrom the service\r\n" and listener.hits == ["/sparql"]
    # another endpoint is still refused
    error(kg(mini, "query", "-e", query.replace("/sparql", "/other"), "--service", listener.url))
    # an allowed endpoint that is down: the request failed, the store is fine
    down = listener.url.replace("/sparql", "/down")
    listener.close()
    message = error(kg(mini, "query", "-e", query.replace("/sparql", "/down"), "--service", down))
    assert message.startswith("Error: a SERVICE request of the query failed (") and "built store" not in message


CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # about 6e9 rows of the mini store


def test_a_query_is_stopped_at_its_timeout(mini: Project) -> None:
    message = error(kg(mini, "query", "--timeout", "0.5", "-e", CARTESIAN))
    assert message == ("Error: the query ran longer than 0.5 s and was stopped, in the -e query — narrow it (a more "
                       "specific pattern, a LIMIT), or allow it longer with --timeout SECONDS (0: no limit)\n")
    ok(kg(mini, "query", "--timeout", "30", "sources"))  # a quick query is not disturbed


def test_ctrl_c_stops_a_running_query_at_once(mini: Project) -> None:
    import os
    import signal
    import time

    from test_generation import living

    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("kg")), "-C", str(mini.sources.parent), "query", "-e", CARTESIAN],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while len(living(proc.pid)) < 2 and time.monotonic() < deadline:  # the query runs (in its own process)
            time.sleep(0.05)
        time.sleep(0.3)
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's foreground group
        proc.wait(timeout=10)  # a query that ignores SIGINT runs for hours
        assert proc.stderr is not None and proc.stderr.read().decode().strip().endswith("Aborted!")
        assert proc.returncode != 0
        time.sleep(0.2)
        assert living(proc.pid) == []
    finally:
        if living(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_a_table_shows_at_most_a_bounded_number_of_rows(mini: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    from kg import queries

    monkeypatch.setattr(queries, "TABLE_ROWS", 5)
    out = ok(kg(mini, "query", "-e", "SELECT ?a ?b WHERE { ?a ?p ?o . ?b ?q ?r }"))  # 3 million rows
    lines = out.splitlines()
    assert len(lines) == 2 + 5 + 1
    assert lines[-1] == ("the first 5 rows: the query has more (a table shows at most 5; "
                         "--format csv, tsv or json give every row, or add LIMIT)")
    csv_out = ok(kg(mini, "query", "-e", "SELECT ?a WHERE { ?a ?p ?o } LIMIT 8", "--format", "csv"))
    assert len(csv_out.splitlines()) == 9  # the other formats give every row


def test_csv_cells_cannot_start_a_formula(mini: Project) -> None:
    values = ['"=HYPERLINK(\\"http://x\\")"', '"+44 20 7946 0000"', '"-2+3"', '"@SUM(A1)"', '"\\tx"', '"-5"', '"1e3"', '"plain"']
    query = f"SELECT ?v WHERE {{ VALUES ?v {{ {' '.join(values)} }} }}"
    ok(result := kg(mini, "query", "-e", query, "--format", "csv"))
    assert result.stdout_bytes.decode().split("\r\n")[1:-1] == [
        "\"'=HYPERLINK(\"\"http://x\"\")\"", "'+44 20 7946 0000", "'-2+3", "'@SUM(A1)", "'\tx", "-5", "1e3", "plain",
    ]
