"""The dataset as NetworkX graphs, and what can be measured on them.

Three projections of the built dataset:

``entity``
    Entities linked by cited statements: one directed edge per ``rdf:Statement`` whose subject and
    object are both entities (subject → object), carrying the predicate, the statement, the number
    of citations (its weight) and sources, and the first quote.  Statements whose object is a literal or a
    vocabulary concept (``misconduct:bullying``) are facts about one entity, not links.
``comention``
    Named entities (not quotations, events, findings, recommendations, outcomes or roles) linked
    when they are mentioned in the same sentence; the weight is the number of sentences they
    share (the ``kg:CoMention`` statistics ``kg build`` counted).
``bipartite``
    Sources and the entities they mention; the weight is the number of mentions.

Every node of the entity and co-mention graphs is an entity (something with a mention), so an
entity no statement links still appears, with degree 0.  The measures (degree, PageRank,
betweenness, Louvain communities, connected components) work on the undirected, simple form
of a graph, with parallel edges merged and their weights added.  Everything is read from the
corpus view and its statistics; the words of the citations (the quotes on edges) and the
mentions are read only when an export asks for them.  Results are deterministic:
nodes and edges are added in sorted order, Louvain and sampled betweenness use a fixed seed,
and ties are broken by label and IRI.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import networkx as nx
import pyoxigraph as ox

from . import formats, ids
from .errors import LookupFailed
from .formats import Cell
from .project import SNAPSHOT, SNAPSHOT_FORMAT, Project

#: The graphs ``kg analyze`` and ``kg export --format graphml`` offer.
GRAPHS = formats.GRAPHS
#: Seed of every random choice (Louvain, sampled betweenness).
SEED = 42
#: Above this many nodes, betweenness is estimated from this many sampled sources.
BETWEENNESS_SAMPLE = 500
#: Ways to rank nodes in ``kg analyze centrality``.
MEASURES = formats.MEASURES

_P = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX kg: <https://kg.example/ns#>
"""
_SOURCES = _P + "SELECT ?src ?title WHERE { ?src a kg:Source . OPTIONAL { ?src schema:name ?title } }"
# the corpus view and its statistics: each entity once, with its counts
_ENTITIES = _P + """
SELECT ?entity ?type ?label ?sources ?mentions WHERE {
  ?entity kg:mentionCount ?mentions ; kg:sourceCount ?sources ; a ?type .
  OPTIONAL { ?entity rdfs:label ?label }
}"""
_ALIASES = _P + "SELECT ?entity ?alias WHERE { ?entity skos:altLabel ?alias }"
# statements whose subject and object are both entities (something mentioned)
_LINKS = _P + """
SELECT ?st ?s ?p ?o ?citations ?sources ?first WHERE {
  ?o kg:mentionCount ?om .
  ?st rdf:object ?o ; rdf:subject ?s .
  ?s kg:mentionCount ?sm .
  ?st rdf:predicate ?p ; kg:firstCitation ?first ; kg:citationCount ?citations ; kg:sourceCount ?sources .
}"""
_FIRST_QUOTES = _P + """
SELECT ?first ?src ?start ?end ?exact WHERE {
  ?o kg:mentionCount ?om .
  ?st rdf:object ?o ; rdf:subject ?s .
  ?s kg:mentionCount ?sm .
  ?st kg:firstCitation ?first .
  GRAPH ?g {
    ?first oa:hasTarget ?t .
    ?t oa:hasSource ?src ; oa:hasSelector ?q, ?pos .
    ?q oa:exact ?exact . ?pos oa:start ?start ; oa:end ?end .
  }
}"""
_COMENTIONS = _P + """
SELECT ?a ?b ?sentences ?sources WHERE {
  ?pair a kg:CoMention ; kg:coMentioned ?a, ?b ; kg:sentenceCount ?sentences ; kg:sourceCount ?sources .
  FILTER (STR(?a) < STR(?b))
}"""
# every mention (the slow part: only the co-mention quotes and the source–entity graph need it)
_MENTIONS = _P + """
SELECT ?entity ?src ?start ?end ?exact WHERE { GRAPH ?g {
  ?m oa:motivatedBy oa:identifying ; oa:hasBody ?entity ; oa:hasTarget ?t .
  ?t oa:hasSource ?src ; oa:hasSelector ?q, ?p .
  ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end .
} }"""


# --- what the graphs are made of ----------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Cite:
    """A cited span: ``text[start:end] == exact`` in the source ``source`` (an IRI)."""

    source: str
    start: int
    end: int
    exact: str


@dataclass
class Entity:
    iri: str
    types: tuple[str, ...]
    label: str
    aliases: tuple[str, ...] = ()
    #: how many sources mention it, and how many times (the statistics of the corpus view)
    sources: int = 0
    mentions: int = 0

    @property
    def type(self) -> str:
        return " ".join(ids.compact(t) for t in self.types)


@dataclass(frozen=True, order=True)
class Link:
    """A cited statement between two entities: subject, predicate, object, how many citations and
    sources it has, and (the IRI of) its first citation."""

    iri: str
    subject: str
    predicate: str
    object: str
    citations: int
    sources: int
    first: str


@dataclass
class Snapshot:
    """Sources, entities and the statements linking them: what every projection is built from,
    read from the corpus view and its statistics.  The citations' words and the mentions are
    read when a projection asks for them (quotes on edges, the source–entity graph)."""

    store: ox.Store
    sources: dict[str, str]
    entities: dict[str, Entity]
    links: list[Link]
    _quotes: dict[str, Cite] | None = field(default=None, repr=False)
    _mentions: dict[str, list[tuple[str, Cite]]] | None = field(default=None, repr=False)
    _comentions: list[tuple[str, str, int, int]] | None = field(default=None, repr=False)

    def label(self, iri: str) -> str:
        if iri in self.entities:
            return self.entities[iri].label
        return self.sources.get(iri) or ids.compact(iri)

    def first_citations(self) -> dict[str, Cite]:
        """The words of every link's first citation, by the citation's IRI."""
        if self._quotes is None:
            self._quotes = {
                _str(r["first"]): Cite(_str(r["src"]), _int(r["start"]), _int(r["end"]), _str(r["exact"]))
                for r in self.store.query(_FIRST_QUOTES)  # type: ignore[union-attr]
            }
        return self._quotes

    def mentions(self) -> dict[str, list[tuple[str, Cite]]]:
        """Every mention, by source: ``(entity IRI, cited span)`` in the order of the text."""
        if self._mentions is None:
            by_source: dict[str, set[tuple[Cite, str]]] = defaultdict(set)
            for r in self.store.query(_MENTIONS):  # type: ignore[union-attr]
                iri = _str(r["entity"])
                if iri in self.entities:
                    c = Cite(_str(r["src"]), _int(r["start"]), _int(r["end"]), _str(r["exact"]))
                    by_source[c.source].add((c, iri))
            self._mentions = {src: [(iri, c) for c, iri in sorted(ms)] for src, ms in sorted(by_source.items())}
        return self._mentions

    def comentions(self) -> list[tuple[str, str, int, int]]:
        """``(entity, entity, sentences, sources)`` for every co-mention of the statistics."""
        if self._comentions is None:
            self._comentions = sorted(
                (_str(r["a"]), _str(r["b"]), _int(r["sentences"]), _int(r["sources"]))
                for r in self.store.query(_COMENTIONS)  # type: ignore[union-attr]
            )
        return self._comentions


def _int(term: object) -> int:
    assert isinstance(term, ox.Literal)
    return int(term.value)


def _str(term: object) -> str:
    assert isinstance(term, ox.NamedNode | ox.Literal)
    return term.value


def read(store: ox.Store) -> Snapshot:
    """Read what the projections need from a dataset (the built store, or any store under the contract)."""
    sources = {}
    for row in store.query(_SOURCES):  # type: ignore[union-attr]
        sources[_str(row["src"])] = _str(row["title"]) if row["title"] is not None else ""
    types: dict[str, set[str]] = defaultdict(set)
    labels: dict[str, str] = {}
    counts: dict[str, tuple[int, int]] = {}
    for row in store.query(_ENTITIES):  # type: ignore[union-attr]
        iri = _str(row["entity"])
        types[iri].add(_str(row["type"]))
        counts[iri] = (_int(row["sources"]), _int(row["mentions"]))
        if row["label"] is not None:
            labels[iri] = min(labels.get(iri, _str(row["label"])), _str(row["label"]))
    aliases: dict[str, set[str]] = defaultdict(set)
    for row in store.query(_ALIASES):  # type: ignore[union-attr]
        aliases[_str(row["entity"])].add(_str(row["alias"]))
    entities = {
        iri: Entity(iri, tuple(sorted(types[iri])), labels.get(iri, ids.compact(iri)), tuple(sorted(aliases[iri])), *counts[iri])
        for iri in sorted(types)
    }
    links = sorted(
        Link(_str(r["st"]), _str(r["s"]), _str(r["p"]), _str(r["o"]), _int(r["citations"]), _int(r["sources"]), _str(r["first"]))
        for r in store.query(_LINKS)  # type: ignore[union-attr]
    )
    return Snapshot(store, dict(sorted(sources.items())), entities, [x for x in links if x.subject != x.object])


def open_snapshot(project: Project) -> Snapshot:
    """The project's snapshot: the one ``kg build`` kept beside the store (what :func:`read`
    would read from it, without the scan), or else read from the store."""
    import json

    from .dataset import open_store

    store = open_store(project)
    try:
        doc = json.loads((project.data_dir() / SNAPSHOT).read_bytes())
    except (FileNotFoundError, ValueError):
        return read(store)
    if doc.get("format") != SNAPSHOT_FORMAT:
        return read(store)
    entities = {
        iri: Entity(iri, tuple(sorted(types)), label, tuple(aliases), n_sources, n_mentions)
        for iri, types, label, aliases, n_sources, n_mentions in doc["entities"]
    }
    links = [Link(*row) for row in doc["links"]]
    comentions = [(a, b, sentences, sources) for a, b, sentences, sources in doc["comentions"]]
    return Snapshot(store, dict(doc["sources"]), entities, links, _comentions=comentions)


# --- the projections ------------------------------------------------------------------------


def _entity_nodes(graph: nx.Graph, snap: Snapshot) -> None:
    for ent in snap.entities.values():
        graph.add_node(
            ent.iri,
            kind="entity",
            type=ent.type,
            label=ent.label,
            aliases="; ".join(ent.aliases),
            sources=ent.sources,
            mentions=ent.mentions,
        )


def _quote(cite: Cite) -> dict[str, object]:
    return {"quote": cite.exact, "source": cite.source, "start": cite.start, "end": cite.end}


def entity_graph(snap: Snapshot, *, quotes: bool = True) -> nx.MultiDiGraph:
    """Entities linked by cited statements: one edge (subject → object) per statement, keyed by
    its IRI; with ``quotes``, each edge carries the words of the statement's first citation."""
    graph = nx.MultiDiGraph(name="entity graph: entities linked by cited statements")
    _entity_nodes(graph, snap)
    first = snap.first_citations() if quotes else {}
    for link in snap.links:
        graph.add_edge(
            link.subject,
            link.object,
            key=link.iri,
            label=ids.compact(link.predicate),
            predicate=link.predicate,
            statement=link.iri,
            citations=link.citations,
            sources=link.sources,
            weight=link.citations,
            **(_quote(first[link.first]) if quotes else {}),
        )
    return graph


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of a text as ``(start, end)`` offsets (kg's own sentence rules)."""
    from .text import paragraphs, sentences

    return [(s.start, s.end) for s in sentences(text, paragraphs(text))]


def comention_graph(snap: Snapshot, text_of: Callable[[str], str] | None = None) -> nx.Graph:
    """Named entities weighted by the sentences they share (the co-mentions of the statistics);
    with ``text_of(source IRI)``, each edge carries its first shared sentence."""
    from .dataset import comentions_in

    graph = nx.Graph(name="co-mention graph: entities weighted by the sentences they share")
    _entity_nodes(graph, snap)
    first: dict[tuple[str, str], Cite] = {}
    if text_of is not None:
        types = {iri: ids.compact(e.types[0]) for iri, e in snap.entities.items() if e.types}
        for src, mentions in snap.mentions().items():
            text = text_of(src)
            spans = sentence_spans(text)
            for s, e in spans:
                inside = [(iri, c.start) for iri, c in mentions if s <= c.start < e]
                for pair in comentions_in([(s, e)], inside, types):
                    first.setdefault(pair, Cite(src, s, e, text[s:e]))
    for a, b, sentences, sources in snap.comentions():
        extra = _quote(first[(a, b)]) if text_of is not None else {}
        graph.add_edge(a, b, label="co-mention", weight=sentences, sentences=sentences, sources=sources, **extra)
    return graph


def bipartite_graph(snap: Snapshot) -> nx.Graph:
    """Sources and the entities they mention, weighted by the number of mentions."""
    graph = nx.Graph(name="source–entity graph: sources and the entities they mention")
    for src, title in snap.sources.items():
        graph.add_node(src, kind="source", type="kg:Source", label=title, aliases="", sources=1, mentions=0, bipartite=0)
    for ent in snap.entities.values():
        graph.add_node(
            ent.iri, kind="entity", type=ent.type, label=ent.label, aliases="; ".join(ent.aliases),
            sources=ent.sources, mentions=ent.mentions, bipartite=1,
        )
    for src, mentions in snap.mentions().items():
        if src not in graph:
            continue
        by_entity: dict[str, list[Cite]] = defaultdict(list)
        for iri, c in mentions:
            by_entity[iri].append(c)
        for iri, cites in sorted(by_entity.items()):
            graph.nodes[src]["mentions"] += len(cites)
            graph.add_edge(src, iri, label="mentions", weight=len(cites), mentions=len(cites), **_quote(cites[0]))
    return graph


def project_graph(snap: Snapshot, kind: str, text_of: Callable[[str], str] | None = None, *, quotes: bool = True) -> nx.Graph:
    """The projection ``kind`` (one of :data:`GRAPHS`); without ``quotes``, edges carry no words
    (the measures need none, and reading them is the slow part of a large dataset)."""
    if kind == "entity":
        return entity_graph(snap, quotes=quotes)
    if kind == "comention":
        return comention_graph(snap, text_of if quotes else None)
    if kind == "bipartite":
        return bipartite_graph(snap)
    raise ValueError(f"unknown graph {kind!r}")


def texts(project: Project) -> Callable[[str], str]:
    """``text_of(source IRI)`` over the texts ``kg build`` kept."""
    prefix = ids.source_iri("")

    def text_of(src: str) -> str:
        return project.text_of(src[len(prefix) :] if src.startswith(prefix) else src)

    return text_of


def simple(graph: nx.Graph) -> nx.Graph:
    """The undirected simple graph the measures use: parallel edges merged, weights added."""
    out = nx.Graph()
    out.add_nodes_from(graph.nodes(data=True))
    for a, b, data in graph.edges(data=True):
        if a == b:
            continue
        w = data.get("weight", 1)
        if out.has_edge(a, b):
            out[a][b]["weight"] += w
            out[a][b]["edges"] += 1
        else:
            out.add_edge(a, b, weight=w, edges=1)
    return out


# --- measures ---------------------------------------------------------------------------------


#: Columns that hold IRIs: a terminal table shows them as CURIEs.
IRI_COLUMNS = frozenset({"iri", "iris", "statement"})


@dataclass
class Table:
    """Rows for :func:`kg.formats.render`, with a line to print under the table."""

    headers: tuple[str, ...]
    rows: list[list[Cell]]
    footer: str | None = None

    def render(self, fmt: str) -> str:
        """The rows as ``table`` (IRIs as CURIEs), ``csv`` or ``json`` (full IRIs)."""
        rows = self.rows
        if fmt == "table":
            cols = [i for i, h in enumerate(self.headers) if h in IRI_COLUMNS]
            rows = [list(r) for r in self.rows]
            for r in rows:
                for i in cols:
                    v = r[i]
                    r[i] = [ids.compact(x) for x in v] if isinstance(v, list) else ids.compact(str(v))
        return formats.render(self.headers, rows, fmt, footer=self.footer)


@dataclass(frozen=True)
class Scores:
    degree: dict[str, int]
    strength: dict[str, int | float]
    pagerank: dict[str, float]
    betweenness: dict[str, float]


def scores(graph: nx.Graph, measures: Iterable[str] = MEASURES) -> Scores:
    """Degree (neighbours) and strength (summed weight) of every node, and those of PageRank and
    betweenness that ``measures`` asks for (the others are left empty: betweenness is costly)."""
    g = simple(graph)
    wanted = set(measures)
    degree = {n: int(d) for n, d in g.degree()}
    strength = {n: d for n, d in g.degree(weight="weight")}
    pagerank = nx.pagerank(g, weight="weight") if "pagerank" in wanted and g.number_of_nodes() else {}
    betweenness: dict[str, float] = {}
    if "betweenness" in wanted:
        k = BETWEENNESS_SAMPLE if g.number_of_nodes() > 2 * BETWEENNESS_SAMPLE else None
        betweenness = nx.betweenness_centrality(g, k=k, normalized=True, seed=SEED)
    return Scores(degree, strength, pagerank, betweenness)


def _sort_key(graph: nx.Graph, n: str) -> tuple[str, str]:
    return (str(graph.nodes[n].get("label", "")).casefold(), n)


def centrality(graph: nx.Graph, *, by: str = "pagerank", top: int | None = None) -> Table:
    """Nodes ranked by ``by`` (pagerank, degree or betweenness), ties broken by label; the table
    shows each node's degree and weight, and the measure it is ranked by."""
    if by not in MEASURES:
        raise ValueError(f"unknown measure {by!r}")
    s = scores(graph, (by,))
    measures: dict[str, dict[str, float]] = {"pagerank": s.pagerank, "degree": dict(s.degree), "betweenness": s.betweenness}
    primary = measures[by]
    order = sorted(graph.nodes, key=lambda n: (-round(primary.get(n, 0), 12), *_sort_key(graph, n)))
    shown = order[:top] if top else order
    extra = () if by == "degree" else (by,)
    rows: list[list[Cell]] = [
        [
            i,
            graph.nodes[n].get("label", ""),
            graph.nodes[n].get("type", ""),
            s.degree.get(n, 0),
            s.strength.get(n, 0),
            *(round(primary.get(n, 0.0), 6) for _ in extra),
            n,
        ]
        for i, n in enumerate(shown, 1)
    ]
    footer = f"{len(shown)} of {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges, ranked by {by}"
    return Table(("rank", "label", "type", "degree", "weight", *extra, "iri"), rows, footer)


def _groups(graph: nx.Graph, groups: Iterable[set[str]]) -> list[list[str]]:
    """Node groups, each sorted by degree then label, the groups by size then first member."""
    g = simple(graph)
    out = [sorted(group, key=lambda n: (-g.degree(n), *_sort_key(graph, n))) for group in groups]
    return sorted(out, key=lambda members: (-len(members), *_sort_key(graph, members[0])))


def _group_table(graph: nx.Graph, groups: list[list[str]], name: str, top: int | None, footer: str) -> Table:
    shown = groups[:top] if top else groups
    rows: list[list[Cell]] = [
        [i, len(members), [str(graph.nodes[n].get("label", n)) for n in members], list(members)]
        for i, members in enumerate(shown, 1)
    ]
    plural = {"community": "communities", "component": "components"}[name]
    return Table((name, "size", "members", "iris"), rows, f"{len(shown)} of {len(groups)} {plural}; {footer}")


def communities(graph: nx.Graph, *, top: int | None = None, seed: int = SEED) -> Table:
    """Louvain communities (fixed seed), largest first, members by degree."""
    g = simple(graph)
    if g.number_of_nodes() == 0:
        return Table(("community", "size", "members", "iris"), [], "no nodes")
    found = nx.community.louvain_communities(g, weight="weight", seed=seed)
    modularity = nx.community.modularity(g, found, weight="weight") if g.number_of_edges() else 0.0
    groups = _groups(graph, found)
    return _group_table(graph, groups, "community", top, f"modularity {modularity:.4f} (Louvain, seed {seed})")


def components(graph: nx.Graph, *, top: int | None = None) -> Table:
    """Connected components (of the undirected graph), largest first."""
    g = simple(graph)
    groups = _groups(graph, nx.connected_components(g))
    isolated = sum(1 for members in groups if len(members) == 1)
    return _group_table(graph, groups, "component", top, f"{isolated} single nodes")


# --- paths ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One step of a path: the cited statement that links two entities, read subject → object."""

    subject: str
    predicate: str
    object: str
    statement: str
    citations: int
    quote: str
    source: str
    start: int
    end: int


def shortest_path(snap: Snapshot, start: str, goal: str) -> list[Step]:
    """The fewest statements that link ``start`` to ``goal`` (IRIs), each with its first citation.

    Direction does not matter (a role links its holder and its organisation).  Between two
    entities linked by several statements, the most cited one is shown.
    """
    graph = entity_graph(snap, quotes=False)
    for iri in (start, goal):
        if iri not in graph:
            raise LookupFailed(f"{ids.compact(iri)} is not an entity of the dataset", None, "`kg query entities` lists them")
    g = simple(graph)
    try:
        nodes = nx.shortest_path(g, start, goal)
    except nx.NetworkXNoPath:
        raise LookupFailed(
            f"no chain of cited statements links {snap.label(start)} and {snap.label(goal)}",
            "in the entity graph",
            "they are in different components; `kg analyze components` lists them",
        ) from None
    firsts = {link.iri: link.first for link in snap.links}
    steps = []
    for a, b in itertools.pairwise(nodes):
        candidates = [(a, b, k, d) for k, d in graph.get_edge_data(a, b, default={}).items()]
        candidates += [(b, a, k, d) for k, d in graph.get_edge_data(b, a, default={}).items()]
        s, o, key, data = min(candidates, key=lambda c: (-c[3]["citations"], c[3]["predicate"], c[2]))
        cite = _citation(snap.store, firsts[key])
        steps.append(Step(s, data["predicate"], o, key, data["citations"], cite.exact, cite.source, cite.start, cite.end))
    return steps


_CITATION = _P + """
SELECT ?src ?start ?end ?exact WHERE { GRAPH ?g {
  ?citation oa:hasTarget ?t . ?t oa:hasSource ?src ; oa:hasSelector ?q, ?pos .
  ?q oa:exact ?exact . ?pos oa:start ?start ; oa:end ?end .
} }"""


def _citation(store: ox.Store, iri: str) -> Cite:
    """The words of one citation, read through the indexes (its IRI stands in the query)."""
    from .binding import inline

    query = inline(_CITATION, {"citation": ox.NamedNode(iri)})
    assert query is not None
    (row,) = list(store.query(query))  # type: ignore[arg-type]
    return Cite(_str(row["src"]), _int(row["start"]), _int(row["end"]), _str(row["exact"]))


def path_table(snap: Snapshot, start: str, goal: str) -> Table:
    steps = shortest_path(snap, start, goal)
    rows: list[list[Cell]] = [
        [
            i,
            snap.label(st.subject),
            ids.compact(st.predicate),
            snap.label(st.object),
            st.quote,
            snap.sources.get(st.source, st.source),
            st.start,
            st.end,
            st.statement,
        ]
        for i, st in enumerate(steps, 1)
    ]
    names = " → ".join(snap.label(n) for n in _path_nodes(start, steps))
    footer = f"{len(steps)} steps: {names}" if steps else f"{snap.label(start)} is {snap.label(goal)}"
    return Table(("step", "subject", "predicate", "object", "quote", "source", "start", "end", "statement"), rows, footer)


def _path_nodes(start: str, steps: Sequence[Step]) -> list[str]:
    nodes = [start]
    for st in steps:
        nodes.append(st.object if st.subject == nodes[-1] else st.subject)
    return nodes
