"""Any SPARQL 1.1 server as the store: push the dataset, query it, read it back.

``URL`` is the server's SPARQL query endpoint.  Writing and reading whole graphs use the SPARQL 1.1
Graph Store Protocol (``PUT``/``GET`` ``?graph=IRI`` and ``?default``) where the server has it,
and SPARQL 1.1 Update (``DROP``, ``INSERT DATA``) otherwise.  For an Oxigraph server the three
endpoints are ``/query``, ``/update`` and ``/store``; kg derives the other two from a query URL
ending in ``/query`` and takes them from ``--update-endpoint``/``--store-endpoint`` otherwise.

kg's queries read the default graph as the corpus view that ``kg build`` writes there, and the
citations from the named graphs: the server's default graph must be its real default graph
(Oxigraph's default; not ``--union-default-graph``).  A server without one (Virtuoso, whose
queries see every graph when they name none) keeps kg's default graph in a named graph
(``default_graph``, ``--default-graph IRI``): it is pushed there and fetched from there, and every
query names the dataset with the SPARQL 1.1 Protocol's ``default-graph-uri`` (that graph) and
``named-graph-uri`` (kg's graphs) parameters.

kg touches only its own graphs on a server (those named under ``https://kg.example/id/``, and the
default graph): a push replaces them and drops the ones no longer in the dataset, never another
application's graphs or the server's own.

Only the standard library talks HTTP; only :mod:`kg.errors` errors come out.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from . import ids
from .errors import EndpointError

TIMEOUT = 600
#: Triples per INSERT DATA request when the server has no Graph Store Protocol.
INSERT_CHUNK = 20_000
_PROLOGUE = re.compile(r"^(?:\s+|#[^\n]*\n|(?i:BASE)\s*<[^>]*>|(?i:PREFIX)\s+[\w.\-]*:\s*<[^>]*>)*")


@dataclass(frozen=True)
class Endpoint:
    query_url: str
    update_url: str | None = None
    store_url: str | None = None
    #: the named graph that holds kg's default graph, on a server whose default graph is not its own
    default_graph: str | None = None

    @classmethod
    def at(cls, url: str, update: str | None = None, store: str | None = None, default_graph: str | None = None) -> Endpoint:
        """The endpoints of a server from its query URL (``…/query`` gives ``…/update``, ``…/store``)."""
        if not re.match(r"^https?://", url):
            raise EndpointError(f"not an HTTP(S) URL: {url!r}", None, "give the SPARQL endpoint, e.g. http://127.0.0.1:7878/query")
        if default_graph is not None and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]+$", default_graph):
            raise EndpointError(f"not an IRI: {default_graph!r}", "for --default-graph", "give an absolute IRI, e.g. urn:kg:default")
        base = url[: -len("/query")] if url.rstrip("/").endswith("/query") else None
        if update is None and base is not None:
            update = base + "/update"
        if store is None and base is not None:
            store = base + "/store"
        return cls(url, update, store, default_graph)

    # --- HTTP -----------------------------------------------------------------------------------

    def _send(self, method: str, url: str, body: bytes | None, headers: Mapping[str, str]) -> bytes:
        request = urllib.request.Request(url, data=body, method=method, headers=dict(headers))
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                data: bytes = response.read()
                return data
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip().splitlines()
            raise EndpointError(
                f"the server answered {exc.code} {exc.reason}" + (f": {detail[0][:200]}" if detail else ""),
                f"for {method} {url}",
                "check the endpoint URL and that the server accepts this request",
            ) from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise EndpointError(
                f"cannot reach the server ({reason})", f"at {url}", "check that it is running and the URL is right"
            ) from None

    # --- queries ---------------------------------------------------------------------------------

    def query(
        self,
        text: str,
        use_default_graph_as_union: bool = False,
        substitutions: Mapping[ox.Variable, ox.NamedNode | ox.Literal | ox.BlankNode] | None = None,
    ) -> ox.QuerySolutions | ox.QueryBoolean | Iterator[ox.Triple]:
        """Run a query remotely; the answer has the shape of :meth:`pyoxigraph.Store.query`'s.

        ``substitutions`` are bound as RDF terms with a trailing ``VALUES`` clause (the terms are
        written in N-Triples syntax, so a value cannot change the query).  The default graph is
        whatever the server makes it (see the module documentation).
        """
        del use_default_graph_as_union  # the server's own default graph is used
        if substitutions:
            names = " ".join(f"?{v.value}" for v in substitutions)
            values = " ".join(str(t) for t in substitutions.values())
            text = f"{text}\nVALUES ({names}) {{ ({values}) }}"
        dataset: list[tuple[str, str]] = []
        if self.default_graph is not None:  # name kg's dataset: this graph as the default, kg's graphs as the named
            dataset = [("default-graph-uri", self.default_graph), *(("named-graph-uri", g) for g in self.named_graphs())]
        return self._query(text, dataset)

    def _query(self, text: str, dataset: list[tuple[str, str]] | None = None) -> ox.QuerySolutions | ox.QueryBoolean | Iterator[ox.Triple]:
        body = _PROLOGUE.sub("", text, count=1).lstrip().upper()
        graph_result = body.startswith(("CONSTRUCT", "DESCRIBE"))
        accept = "application/n-triples" if graph_result else "application/sparql-results+json"
        data = self._send(
            "POST", self.query_url, urllib.parse.urlencode([("query", text), *(dataset or [])]).encode(),
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )
        if graph_result:
            return iter(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
        try:
            return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise EndpointError(f"the server's answer is not SPARQL JSON results ({exc})", f"from {self.query_url}") from None

    def update(self, text: str) -> None:
        if self.update_url is None:
            raise EndpointError(
                "no SPARQL Update endpoint", f"for {self.query_url}", "give --update-endpoint URL (or --store-endpoint)"
            )
        self._send("POST", self.update_url, text.encode("utf-8"), {"Content-Type": "application/sparql-update"})

    def named_graphs(self) -> list[str]:
        """kg's named graphs on the server (not the one holding its default graph, nor any other)."""
        rows = self._query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (STRSTARTS(STR(?g), \"{ids.ID}\")) }}")
        assert isinstance(rows, ox.QuerySolutions)
        return sorted(str(r["g"].value) for r in rows if str(r["g"].value) != self.default_graph)  # type: ignore[union-attr]

    # --- whole graphs -----------------------------------------------------------------------------

    def _graph_url(self, graph: str | None) -> str:
        assert self.store_url is not None
        graph = graph if graph is not None else self.default_graph
        param = "default" if graph is None else "graph=" + urllib.parse.quote(graph, safe="")
        return f"{self.store_url}{'&' if '?' in self.store_url else '?'}{param}"

    def push(self, trig: Path) -> int:
        """Replace everything on the server with the dataset in ``trig``; returns the quads sent."""
        by_graph: dict[str | None, list[ox.Triple]] = {}
        for q in ox.parse(path=str(trig), format=ox.RdfFormat.TRIG):
            g = None if isinstance(q.graph_name, ox.DefaultGraph) else str(q.graph_name.value)  # type: ignore[union-attr]
            by_graph.setdefault(g, []).append(ox.Triple(q.subject, q.predicate, q.object))
        stale = [g for g in self.named_graphs() if g not in by_graph]
        if self.store_url is not None:
            for g in stale:
                self._send("DELETE", self._graph_url(g), None, {})
            if None not in by_graph:
                by_graph[None] = []
            for g, triples in sorted(by_graph.items(), key=lambda kv: (kv[0] is not None, kv[0] or "")):
                body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
                self._send("PUT", self._graph_url(g), body, {"Content-Type": "application/n-triples"})
        else:
            default = f"GRAPH <{self.default_graph}>" if self.default_graph else "DEFAULT"
            self.update(";\n".join([f"DROP SILENT {default}", *(f"DROP SILENT GRAPH <{g}>" for g in stale)]))
            for g, triples in sorted(by_graph.items(), key=lambda kv: (kv[0] is not None, kv[0] or "")):
                target = g if g is not None else self.default_graph
                if g is not None:
                    self.update(f"DROP SILENT GRAPH <{g}>")
                for i in range(0, len(triples), INSERT_CHUNK):
                    data = (ox.serialize(triples[i : i + INSERT_CHUNK], format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
                    inner = data if target is None else f"GRAPH <{target}> {{\n{data}}}"
                    self.update(f"INSERT DATA {{\n{inner}\n}}")
        return sum(len(t) for t in by_graph.values())

    def fetch(self) -> ox.Store:
        """The server's dataset in an in-memory store (to export or analyse it with kg)."""
        store = ox.Store()
        graphs = self.named_graphs()
        if self.store_url is not None:
            for g in [None, *graphs]:
                data = self._send("GET", self._graph_url(g), None, {"Accept": "application/n-triples"})
                gn: ox.NamedNode | ox.DefaultGraph = ox.DefaultGraph() if g is None else ox.NamedNode(g)
                store.extend(ox.Quad(t.subject, t.predicate, t.object, gn) for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
            return store
        # without the Graph Store Protocol: every graph by SPARQL (kg's dataset only, when it is named)
        rows = self.query("SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } "
                          f"FILTER (STRSTARTS(STR(?g), \"{ids.ID}\")) }} }}")
        assert isinstance(rows, ox.QuerySolutions)
        store.extend(
            ox.Quad(r["s"], r["p"], r["o"], r["g"] if r["g"] is not None else ox.DefaultGraph())  # type: ignore[arg-type]
            for r in rows
        )
        return store


def push(project_trig: Path, url: str, update: str | None = None, store: str | None = None, default_graph: str | None = None) -> int:
    """Push ``kg.trig`` to the server at ``url``; returns the number of quads."""
    return Endpoint.at(url, update, store, default_graph).push(project_trig)
