"""The dataset as NetworkX graphs, and what can be measured on them.

Three projections of the built dataset:

``entity``
    Entities linked by cited statements: one directed edge per ``rdf:Statement`` whose subject and
    object are both entities (subject → object), carrying the predicate, the statement, the number
    of citations (its weight) and sources, and the first quote.  Statements whose object is a literal or a
    vocabulary concept (``misconduct:bullying``) are facts about one entity, not links.
``comention``
    Entities linked when they are mentioned in the same sentence; the weight is the number of
    sentences they share (sentences are found in the texts kept by ``kg build``).
``bipartite``
    Sources and the entities they mention; the weight is the number of mentions.

Every node of the entity and co-mention graphs is an entity (something with a mention), so an
entity no statement links still appears, with degree 0.  The measures (degree, PageRank,
betweenness, Louvain communities, connected components) work on the undirected, simple form
of a graph, with parallel edges merged and their weights added.  Results are deterministic:
nodes and edges are added in sorted order, Louvain and sampled betweenness use a fixed seed,
and ties are broken by label and IRI.
"""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import networkx as nx
import pyoxigraph as ox

from . import formats, ids
from .errors import LookupFailed
from .formats import Cell
from .project import Project

#: The graphs ``kg analyze`` and ``kg export --format graphml`` offer.
GRAPHS = ("entity", "comention", "bipartite")
#: Seed of every random choice (Louvain, sampled betweenness).
SEED = 42
#: Above this many nodes, betweenness is estimated from this many sampled sources.
BETWEENNESS_SAMPLE = 500
#: Ways to rank nodes in ``kg analyze centrality``.
MEASURES = ("pagerank", "degree", "betweenness")

_P = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX kg: <https://kg.example/ns#>
"""
_SOURCES = _P + "SELECT ?src ?title WHERE { ?src a kg:Source . OPTIONAL { ?src schema:name ?title } }"
_MENTIONS = _P + """
SELECT ?entity ?src ?start ?end ?exact WHERE { GRAPH ?g {
  ?m oa:motivatedBy oa:identifying ; oa:hasBody ?entity ; oa:hasTarget ?t .
  ?t oa:hasSource ?src ; oa:hasSelector ?q, ?p .
  ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end .
} }"""
_NAMES = _P + """
SELECT DISTINCT ?entity ?type ?label WHERE { GRAPH ?g {
  ?m oa:motivatedBy oa:identifying ; oa:hasBody ?entity .
  ?entity a ?type . OPTIONAL { ?entity rdfs:label ?label }
} }"""
_ALIASES = _P + "SELECT DISTINCT ?entity ?alias WHERE { GRAPH ?g { ?entity skos:altLabel ?alias } }"
_FACTS = _P + """
SELECT ?st ?s ?p ?o ?src ?start ?end ?exact WHERE { GRAPH ?g {
  ?c oa:motivatedBy oa:describing ; oa:hasBody ?st ; oa:hasTarget ?t .
  ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  ?t oa:hasSource ?src ; oa:hasSelector ?q, ?pos .
  ?q oa:exact ?exact . ?pos oa:start ?start ; oa:end ?end .
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
    mentions: list[Cite] = field(default_factory=list)

    @property
    def type(self) -> str:
        return " ".join(ids.compact(t) for t in self.types)

    @property
    def sources(self) -> list[str]:
        return sorted({c.source for c in self.mentions})


@dataclass
class Fact:
    """A cited statement: subject, predicate, object (an IRI or a literal) and its citations."""

    iri: str
    subject: str
    predicate: str
    object: ox.NamedNode | ox.Literal
    citations: list[Cite] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        return sorted({c.source for c in self.citations})


@dataclass
class Snapshot:
    """Sources, entities and cited statements of a dataset: what every projection is built from."""

    sources: dict[str, str]
    entities: dict[str, Entity]
    facts: list[Fact]

    def label(self, iri: str) -> str:
        if iri in self.entities:
            return self.entities[iri].label
        return self.sources.get(iri) or ids.compact(iri)


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
    for row in store.query(_NAMES):  # type: ignore[union-attr]
        iri = _str(row["entity"])
        types[iri].add(_str(row["type"]))
        if row["label"] is not None:
            labels[iri] = min(labels.get(iri, _str(row["label"])), _str(row["label"]))
    aliases: dict[str, set[str]] = defaultdict(set)
    for row in store.query(_ALIASES):  # type: ignore[union-attr]
        aliases[_str(row["entity"])].add(_str(row["alias"]))
    entities = {
        iri: Entity(iri, tuple(sorted(types[iri])), labels.get(iri, ids.compact(iri)), tuple(sorted(aliases[iri])))
        for iri in sorted(types)
    }
    for row in store.query(_MENTIONS):  # type: ignore[union-attr]
        ent = entities.get(_str(row["entity"]))
        if ent is not None:
            ent.mentions.append(Cite(_str(row["src"]), _int(row["start"]), _int(row["end"]), _str(row["exact"])))
    facts: dict[str, Fact] = {}
    for row in store.query(_FACTS):  # type: ignore[union-attr]
        st = _str(row["st"])
        if st not in facts:
            obj = row["o"]
            assert isinstance(obj, ox.NamedNode | ox.Literal)
            facts[st] = Fact(st, _str(row["s"]), _str(row["p"]), obj)
        facts[st].citations.append(Cite(_str(row["src"]), _int(row["start"]), _int(row["end"]), _str(row["exact"])))
    for ent in entities.values():
        ent.mentions = sorted(set(ent.mentions))
    for fact in facts.values():
        fact.citations = sorted(set(fact.citations))
    return Snapshot(dict(sorted(sources.items())), entities, [facts[k] for k in sorted(facts)])


def open_snapshot(project: Project) -> Snapshot:
    from .dataset import open_store

    return read(open_store(project))


# --- the projections ------------------------------------------------------------------------


def _entity_nodes(graph: nx.Graph, snap: Snapshot) -> None:
    for ent in snap.entities.values():
        graph.add_node(
            ent.iri,
            kind="entity",
            type=ent.type,
            label=ent.label,
            aliases="; ".join(ent.aliases),
            sources=len(ent.sources),
            mentions=len(ent.mentions),
        )


def entity_graph(snap: Snapshot) -> nx.MultiDiGraph:
    """Entities linked by cited statements: one edge (subject → object) per statement, keyed by its IRI."""
    graph = nx.MultiDiGraph(name="entity graph: entities linked by cited statements")
    _entity_nodes(graph, snap)
    for fact in snap.facts:
        obj = fact.object
        if not isinstance(obj, ox.NamedNode) or fact.subject == obj.value:
            continue
        if fact.subject not in snap.entities or obj.value not in snap.entities:
            continue
        first = fact.citations[0]
        graph.add_edge(
            fact.subject,
            obj.value,
            key=fact.iri,
            label=ids.compact(fact.predicate),
            predicate=fact.predicate,
            statement=fact.iri,
            citations=len(fact.citations),
            sources=len(fact.sources),
            weight=len(fact.citations),
            quote=first.exact,
            source=first.source,
            start=first.start,
            end=first.end,
        )
    return graph


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of a text as ``(start, end)`` offsets (kg's own sentence rules)."""
    from .text import paragraphs, sentences

    return [(s.start, s.end) for s in sentences(text, paragraphs(text))]


def comention_graph(snap: Snapshot, text_of: Callable[[str], str]) -> nx.Graph:
    """Entities weighted by the sentences they share; ``text_of(source IRI)`` gives a source's text."""
    graph = nx.Graph(name="co-mention graph: entities weighted by the sentences they share")
    _entity_nodes(graph, snap)
    by_source: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for ent in snap.entities.values():
        for c in ent.mentions:
            by_source[c.source].append((c.start, ent.iri))
    shared: dict[tuple[str, str], list[Cite]] = defaultdict(list)
    for src in sorted(by_source):
        text = text_of(src)
        spans = sentence_spans(text)
        starts = [s for s, _e in spans]
        in_sentence: dict[int, set[str]] = defaultdict(set)
        for start, iri in by_source[src]:
            i = bisect.bisect_right(starts, start) - 1
            if i >= 0 and start < spans[i][1]:
                in_sentence[i].add(iri)
        for i in sorted(in_sentence):
            members = sorted(in_sentence[i])
            s, e = spans[i]
            for a_i, a in enumerate(members):
                for b in members[a_i + 1 :]:
                    shared[(a, b)].append(Cite(src, s, e, text[s:e]))
    for (a, b), cites in sorted(shared.items()):
        first = cites[0]
        graph.add_edge(
            a,
            b,
            label="co-mention",
            weight=len(cites),
            sentences=len(cites),
            sources=len({c.source for c in cites}),
            quote=first.exact,
            source=first.source,
            start=first.start,
            end=first.end,
        )
    return graph


def bipartite_graph(snap: Snapshot) -> nx.Graph:
    """Sources and the entities they mention, weighted by the number of mentions."""
    graph = nx.Graph(name="source–entity graph: sources and the entities they mention")
    for src, title in snap.sources.items():
        graph.add_node(src, kind="source", type="kg:Source", label=title, aliases="", sources=1, mentions=0, bipartite=0)
    for ent in snap.entities.values():
        graph.add_node(
            ent.iri, kind="entity", type=ent.type, label=ent.label, aliases="; ".join(ent.aliases),
            sources=len(ent.sources), mentions=len(ent.mentions), bipartite=1,
        )
    by_pair: dict[tuple[str, str], list[Cite]] = defaultdict(list)
    for ent in snap.entities.values():
        for c in ent.mentions:
            by_pair[(c.source, ent.iri)].append(c)
    for (src, iri), cites in sorted(by_pair.items()):
        if src not in graph:
            continue
        graph.nodes[src]["mentions"] += len(cites)
        first = cites[0]
        graph.add_edge(
            src, iri, label="mentions", weight=len(cites), mentions=len(cites),
            quote=first.exact, source=src, start=first.start, end=first.end,
        )
    return graph


def project_graph(snap: Snapshot, kind: str, text_of: Callable[[str], str] | None = None) -> nx.Graph:
    """The projection ``kind`` (one of :data:`GRAPHS`)."""
    if kind == "entity":
        return entity_graph(snap)
    if kind == "comention":
        if text_of is None:
            raise ValueError("the co-mention graph needs the source texts")
        return comention_graph(snap, text_of)
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


def scores(graph: nx.Graph) -> Scores:
    """Degree (neighbours), strength (summed weight), PageRank and betweenness of every node."""
    g = simple(graph)
    degree = {n: int(d) for n, d in g.degree()}
    strength = {n: d for n, d in g.degree(weight="weight")}
    pagerank = nx.pagerank(g, weight="weight") if g.number_of_nodes() else {}
    k = BETWEENNESS_SAMPLE if g.number_of_nodes() > 2 * BETWEENNESS_SAMPLE else None
    betweenness = nx.betweenness_centrality(g, k=k, normalized=True, seed=SEED)
    return Scores(degree, strength, pagerank, betweenness)


def _sort_key(graph: nx.Graph, n: str) -> tuple[str, str]:
    return (str(graph.nodes[n].get("label", "")).casefold(), n)


def centrality(graph: nx.Graph, *, by: str = "pagerank", top: int | None = None) -> Table:
    """Nodes ranked by ``by`` (pagerank, degree or betweenness), ties broken by label."""
    if by not in MEASURES:
        raise ValueError(f"unknown measure {by!r}")
    s = scores(graph)
    measures: dict[str, dict[str, float]] = {"pagerank": s.pagerank, "degree": dict(s.degree), "betweenness": s.betweenness}
    primary = measures[by]
    order = sorted(graph.nodes, key=lambda n: (-round(primary.get(n, 0), 12), *_sort_key(graph, n)))
    shown = order[:top] if top else order
    rows: list[list[Cell]] = [
        [
            i,
            graph.nodes[n].get("label", ""),
            graph.nodes[n].get("type", ""),
            s.degree.get(n, 0),
            s.strength.get(n, 0),
            round(s.pagerank.get(n, 0.0), 6),
            round(s.betweenness.get(n, 0.0), 6),
            n,
        ]
        for i, n in enumerate(shown, 1)
    ]
    footer = f"{len(shown)} of {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges, ranked by {by}"
    return Table(("rank", "label", "type", "degree", "weight", "pagerank", "betweenness", "iri"), rows, footer)


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
    graph = entity_graph(snap)
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
    steps = []
    for a, b in itertools.pairwise(nodes):
        candidates = [(a, b, k, d) for k, d in graph.get_edge_data(a, b, default={}).items()]
        candidates += [(b, a, k, d) for k, d in graph.get_edge_data(b, a, default={}).items()]
        s, o, key, data = min(candidates, key=lambda c: (-c[3]["citations"], c[3]["predicate"], c[2]))
        steps.append(
            Step(
                s, data["predicate"], o, key, data["citations"], data["quote"], data["source"], data["start"],
                data["end"],
            )
        )
    return steps


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
