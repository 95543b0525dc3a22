"""The only writer of triples: linked facts → quads → TriG and the Oxigraph store.

Layout of the dataset (the graph contract of DESIGN.md):

- the default graph holds one node per source (``kg:Source``) with its hash, title, URL,
  publisher and publication date, and the **corpus view**: what the source graphs say, each
  triple once — every entity's type, label and aliases, every fact and its ``rdf:Statement`` —
  without the citations (so a query over the default graph sees each fact once, however many
  sources state it);
- each source's named graph (named by the source's IRI) holds what that source says: entity
  types and labels, ``oa:identifying`` annotations for every mention, and for every fact the
  triple itself, an ``rdf:Statement`` describing it and an ``oa:describing`` annotation per
  citation;
- ``kgid:graph/conflicts`` holds the recorded conflicts between statements.

Quads are produced in a canonical order — the default graph, then the named graphs by IRI, and
within a graph by subject, predicate and object — so the same corpus always serialises to the same
bytes.  A graph serialises on its own (a *chunk*), so a build can reuse the chunk of every document
whose graph did not change and the TriG is those chunks in order under one prefix header.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from . import ids
from .errors import OutputError
from .model import Citation, Document, Value
from .project import Project

if TYPE_CHECKING:  # kg.link (and rdflib through it) is not imported by readers of the dataset
    from rdflib import Dataset

    from .link import Conflict, DocFacts, Entity

Term = str | Value  # an IRI or a literal

XSD = ids.PREFIXES["xsd"]
RDF = ids.PREFIXES["rdf"]
OA = ids.PREFIXES["oa"]
SCHEMA = ids.PREFIXES["schema"]
KG = ids.KG


def N(iri: str) -> ox.NamedNode:  # noqa: N802 - reads like the RDF term it makes
    return ox.NamedNode(iri)


A = N(RDF + "type")
LABEL = N(ids.RDFS_LABEL)
ALT = N(ids.SKOS_ALT)


def literal(value: Value | str | int) -> ox.Literal:
    if isinstance(value, Value):
        return ox.Literal(value.lexical, datatype=N(ids.expand(value.datatype)))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=N(XSD + "integer"))
    return ox.Literal(value)


def term(t: Term) -> ox.NamedNode | ox.Literal:
    return literal(t) if isinstance(t, Value) else N(t)


def source_quads(doc: Document) -> list[ox.Quad]:
    """The source node, in the default graph."""
    s = N(ids.source_iri(doc.id))
    g = ox.DefaultGraph()
    meta = doc.meta
    out = [
        ox.Quad(s, A, N(KG + "Source"), g),
        ox.Quad(s, A, N(SCHEMA + "CreativeWork"), g),
        ox.Quad(s, N(SCHEMA + "name"), literal(meta.title), g),
        ox.Quad(s, N(SCHEMA + "publisher"), literal(meta.publisher), g),
        ox.Quad(s, N(SCHEMA + "datePublished"), literal(Value.of_date(meta.published)), g),
        ox.Quad(s, N(SCHEMA + "sha256"), literal(doc.sha256), g),
        ox.Quad(s, N(KG + "mediaType"), literal(doc.media_type), g),
        ox.Quad(s, N(KG + "path"), literal(Path(doc.path).name), g),
        ox.Quad(s, N(SCHEMA + "wordCount"), literal(doc.word_count), g),
        ox.Quad(s, LABEL, literal(meta.title), g),
    ]
    if meta.url:
        out.append(ox.Quad(s, N(SCHEMA + "url"), ox.Literal(meta.url, datatype=N(XSD + "anyURI")), g))
    if meta.genre:
        out.append(ox.Quad(s, N(SCHEMA + "genre"), literal(meta.genre), g))
    if meta.via:
        out.append(ox.Quad(s, N(KG + "republishedBy"), literal(meta.via), g))
    for f in doc.furniture:
        out.append(ox.Quad(s, N(KG + "furniture"), literal(f"{f.span.start}-{f.span.end} {f.kind}"), g))
    return out


def _citation_quads(c: Citation, g: ox.NamedNode) -> list[ox.Quad]:
    target = ids.target_iri(c.source, c.start, c.end)
    t, q, p = N(target), N(target + ".quote"), N(target + ".position")
    # xsd:integer, not the nonNegativeInteger of the Web Annotation vocabulary: Oxigraph stores
    # every integer type as xsd:integer, and the TriG must say what the store holds.
    nn = N(XSD + "integer")
    return [
        ox.Quad(t, A, N(OA + "SpecificResource"), g),
        ox.Quad(t, N(OA + "hasSource"), N(ids.source_iri(c.source)), g),
        ox.Quad(t, N(OA + "hasSelector"), q, g),
        ox.Quad(t, N(OA + "hasSelector"), p, g),
        ox.Quad(q, A, N(OA + "TextQuoteSelector"), g),
        ox.Quad(q, N(OA + "exact"), ox.Literal(c.exact), g),
        ox.Quad(q, N(OA + "prefix"), ox.Literal(c.prefix), g),
        ox.Quad(q, N(OA + "suffix"), ox.Literal(c.suffix), g),
        ox.Quad(p, A, N(OA + "TextPositionSelector"), g),
        ox.Quad(p, N(OA + "start"), ox.Literal(str(c.start), datatype=nn), g),
        ox.Quad(p, N(OA + "end"), ox.Literal(str(c.end), datatype=nn), g),
    ]


def _annotation_quads(
    c: Citation, body: str, motivation: str, g: ox.NamedNode, notes: Iterable[tuple[str, Value]] = ()
) -> list[ox.Quad]:
    a = N(ids.annotation_iri(c.source, c.start, c.end, body, motivation))
    out = [
        ox.Quad(a, A, N(OA + "Annotation"), g),
        ox.Quad(a, N(OA + "motivatedBy"), N(OA + motivation), g),
        ox.Quad(a, N(OA + "hasBody"), N(body), g),
        ox.Quad(a, N(OA + "hasTarget"), N(ids.target_iri(c.source, c.start, c.end)), g),
    ]
    for pred, value in sorted(notes):
        out.append(ox.Quad(a, N(ids.expand(pred)), literal(value), g))
    return out


def _statement_quads(iri: str, s: str, p: str, o: Term, g: ox.NamedNode | ox.DefaultGraph) -> list[ox.Quad]:
    """A fact's triple and the ``rdf:Statement`` node that stands for it."""
    node, obj = N(iri), term(o)
    return [
        ox.Quad(N(s), N(p), obj, g),
        ox.Quad(node, A, N(RDF + "Statement"), g),
        ox.Quad(node, N(RDF + "subject"), N(s), g),
        ox.Quad(node, N(RDF + "predicate"), N(p), g),
        ox.Quad(node, N(RDF + "object"), obj, g),
    ]


def document_quads(doc: Document, facts: DocFacts, entities: dict[str, Entity]) -> list[ox.Quad]:
    """Every quad of one source's named graph, in canonical order."""
    g = N(ids.source_iri(doc.id))
    out: list[ox.Quad] = [ox.Quad(g, A, N(KG + "Source"), g)]
    typed: set[str] = set()
    for m in facts.mentions:
        if m.entity not in typed:
            typed.add(m.entity)
            ent = entities[m.entity]
            out.append(ox.Quad(N(m.entity), A, N(ids.expand(ent.type)), g))
            out.append(ox.Quad(N(m.entity), LABEL, ox.Literal(ent.label), g))
            for alias in sorted(facts.aliases.get(m.entity, ())):
                out.append(ox.Quad(N(m.entity), ALT, ox.Literal(alias), g))
        out.extend(_citation_quads(m.citation, g))
        out.extend(_annotation_quads(m.citation, m.entity, "identifying", g))
    for st in facts.statements:
        out.extend(_statement_quads(st.iri, st.subject, st.predicate, st.object, g))
        for c in st.citations:
            out.extend(_citation_quads(c, g))
            out.extend(_annotation_quads(c, st.iri, "describing", g, st.notes.get(c, ())))
    return canonical(out)


def view_quads(
    types: dict[str, str],
    entities: dict[str, Entity],
    aliases: dict[str, set[str]],
    statements: dict[str, tuple[str, str, str]],
) -> list[ox.Quad]:
    """The corpus view in the default graph: each entity's type, label and aliases, and each
    statement's triple and ``rdf:Statement`` node, once.  ``statements`` maps a statement IRI to
    its subject, predicate and object key (an IRI, or ``"lexical"^^xsd:type``)."""
    g = ox.DefaultGraph()
    out: list[ox.Quad] = []
    for iri, etype in types.items():
        s = N(iri)
        out.append(ox.Quad(s, A, N(ids.expand(etype)), g))
        out.append(ox.Quad(s, LABEL, ox.Literal(entities[iri].label), g))
        out.extend(ox.Quad(s, ALT, ox.Literal(alias), g) for alias in sorted(aliases.get(iri, ())))
    for st_iri, (subj, pred, okey) in statements.items():
        out.extend(_statement_quads(st_iri, subj, pred, object_of(okey), g))
    return out


@dataclass
class Statistics:
    """What the build counts over the source graphs (see ``ontology/kg.ttl``, "statistics")."""

    #: statement IRI -> (sources, citations, IRI of its first citation)
    statements: dict[str, tuple[int, int, str]] = field(default_factory=dict)
    #: entity IRI -> (sources, mentions)
    entities: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: source IRI -> (entities, mentions, statements, citations)
    sources: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)
    #: (entity, entity) in IRI order -> (sentences, sources)
    comentions: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)


STATISTICS_PREDICATES = tuple(
    KG + p for p in ("sourceCount", "citationCount", "mentionCount", "entityCount", "statementCount", "firstCitation",
                     "coMentioned", "sentenceCount")
)


def statistics_quads(stats: Statistics) -> list[ox.Quad]:
    """The statistics, in the default graph beside the corpus view."""
    g = ox.DefaultGraph()
    sources, cites, mentions = N(KG + "sourceCount"), N(KG + "citationCount"), N(KG + "mentionCount")
    out: list[ox.Quad] = []
    for iri, (n_sources, n_cites, first) in stats.statements.items():
        s = N(iri)
        out += [ox.Quad(s, sources, literal(n_sources), g), ox.Quad(s, cites, literal(n_cites), g),
                ox.Quad(s, N(KG + "firstCitation"), N(first), g)]
    for iri, (n_sources, n_mentions) in stats.entities.items():
        s = N(iri)
        out += [ox.Quad(s, sources, literal(n_sources), g), ox.Quad(s, mentions, literal(n_mentions), g)]
    for iri, (n_entities, n_mentions, n_statements, n_cites) in stats.sources.items():
        s = N(iri)
        out += [ox.Quad(s, N(KG + "entityCount"), literal(n_entities), g), ox.Quad(s, mentions, literal(n_mentions), g),
                ox.Quad(s, N(KG + "statementCount"), literal(n_statements), g), ox.Quad(s, cites, literal(n_cites), g)]
    for (a, b), (n_sentences, n_sources) in stats.comentions.items():
        s = N(ids.comention_iri(a, b))
        out += [ox.Quad(s, A, N(KG + "CoMention"), g), ox.Quad(s, N(KG + "coMentioned"), N(a), g),
                ox.Quad(s, N(KG + "coMentioned"), N(b), g), ox.Quad(s, N(KG + "sentenceCount"), literal(n_sentences), g),
                ox.Quad(s, sources, literal(n_sources), g)]
    return out


def comentions_in(
    sentences: Sequence[tuple[int, int]], mentions: Iterable[tuple[str, int]], types: Mapping[str, str]
) -> dict[tuple[str, str], int]:
    """Pairs of named entities (not of :data:`kg.ids.FACT_TYPES`) mentioned in one sentence, and
    in how many sentences; ``mentions`` are ``(entity IRI, start offset)``, ``types`` their classes."""
    starts = [s for s, _e in sentences]
    in_sentence: dict[int, set[str]] = defaultdict(set)
    for iri, start in mentions:
        if types.get(iri, "") in ids.FACT_TYPES:
            continue
        i = bisect.bisect_right(starts, start) - 1
        if i >= 0 and start < sentences[i][1]:
            in_sentence[i].add(iri)
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    for members in in_sentence.values():
        ordered = sorted(members)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                pairs[(a, b)] += 1
    return dict(pairs)


def statistics_of(
    graphs: Iterable[tuple[str, Iterable[ox.Quad]]], sentences_of: Callable[[str], Sequence[tuple[int, int]]]
) -> Statistics:
    """The statistics that source graphs give (what ``kg build`` counts as it writes them; ``kg
    verify`` counts again with this).  ``graphs`` is ``(source IRI, the quads of its graph)``, one
    graph in memory at a time; ``sentences_of(source IRI)`` gives a source's sentences."""
    cited: dict[str, list[tuple[str, int, int, str]]] = defaultdict(list)  # statement -> citations
    entity_sources: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    pairs: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    stats = Statistics()
    for src, quads in graphs:
        body: dict[str, str] = {}
        motivation: dict[str, str] = {}
        target_of: dict[str, str] = {}
        selectors: dict[str, list[str]] = defaultdict(list)
        position: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        types: dict[str, str] = {}
        for q in quads:
            s, p, o = q.subject.value, q.predicate.value, q.object.value  # type: ignore[union-attr]
            if p == OA + "hasBody":
                body[s] = o
            elif p == OA + "motivatedBy":
                motivation[s] = o
            elif p == OA + "hasTarget":
                target_of[s] = o
            elif p == OA + "hasSelector":
                selectors[s].append(o)
            elif p == OA + "start":
                position[s][0] = int(o)
            elif p == OA + "end":
                position[s][1] = int(o)
            elif p == A.value and not s.startswith((ids.ID + "annotation/", ids.ID + "target/")) and s != src:
                types[s] = ids.compact(o)
        mentions: list[tuple[str, int]] = []
        statements: set[str] = set()
        citations = 0
        for a in sorted(body):
            spans = [position[sel] for sel in selectors.get(target_of.get(a, ""), ()) if sel in position]
            start, end = spans[0] if spans else (0, 0)
            if motivation.get(a) == OA + "describing":
                cited[body[a]].append((src, start, end, a))
                statements.add(body[a])
                citations += 1
            else:
                mentions.append((body[a], start))
        per_entity: dict[str, int] = defaultdict(int)
        for iri, _start in mentions:
            per_entity[iri] += 1
        for iri, n in per_entity.items():
            entity_sources[iri][0] += 1
            entity_sources[iri][1] += n
        stats.sources[src] = (len(per_entity), len(mentions), len(statements), citations)
        for pair, n in comentions_in(sentences_of(src), mentions, types).items():
            pairs[pair][0] += n
            pairs[pair][1] += 1
    for st in sorted(cited):
        rows = sorted(cited[st])
        stats.statements[st] = (len({r[0] for r in rows}), len(rows), rows[0][3])
    stats.entities = {iri: (n[0], n[1]) for iri, n in sorted(entity_sources.items())}
    stats.sources = dict(sorted(stats.sources.items()))
    stats.comentions = {pair: (n[0], n[1]) for pair, n in sorted(pairs.items())}
    return stats


def view_of(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The corpus view that source graphs' quads give (what :func:`view_quads` writes, derived
    from the graphs themselves): each of their triples once, in the default graph, except the
    citations (annotations, targets, selectors) and the graph's own ``kg:Source`` typing."""
    machinery = (ids.ID + "annotation/", ids.ID + "target/")
    seen: dict[tuple[str, str, str], ox.Quad] = {}
    for q in quads:
        g = q.graph_name
        if not isinstance(g, ox.NamedNode) or not g.value.startswith(ids.ID + "source/"):
            continue  # the default graph, the conflicts: not what a source says
        if q.subject.value.startswith(machinery):  # type: ignore[union-attr]
            continue
        if q.subject == q.graph_name:
            continue  # <source> a kg:Source, which the default graph has already
        seen.setdefault(_quad_key(q), ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()))
    return list(seen.values())


def object_key(o: Term) -> str:
    """A statement's object as one string: the IRI, or ``"lexical"^^xsd:type``."""
    return f'"{o.lexical}"^^{o.datatype}' if isinstance(o, Value) else o


def object_of(key: str) -> Term:
    """The inverse of :func:`object_key`."""
    if key.startswith('"'):
        cut = key.rindex('"^^')
        return Value(key[1:cut], key[cut + 3 :])
    return key


def conflict_quads(conflicts: Iterable[Conflict], entities: dict[str, Entity]) -> list[ox.Quad]:
    """The conflicts graph, in canonical order."""
    cg = N(ids.CONFLICTS_GRAPH)
    out = []
    for conflict in conflicts:
        node = N(conflict.iri)
        out.append(ox.Quad(node, A, N(KG + "Conflict"), cg))
        out.append(ox.Quad(node, N(KG + "conflictSubject"), N(conflict.subject), cg))
        out.append(ox.Quad(node, N(KG + "conflictProperty"), N(conflict.predicate), cg))
        subject = entities.get(conflict.subject)
        label = f"{subject.label if subject else conflict.subject}: {ids.compact(conflict.predicate)}"
        out.append(ox.Quad(node, LABEL, ox.Literal(label), cg))
        for st in conflict.statements:
            out.append(ox.Quad(node, N(KG + "statement"), N(st), cg))
    return canonical(out)


def _graph_key(g: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> tuple[int, str]:
    return (0, "") if isinstance(g, ox.DefaultGraph) else (1, str(g))


def _quad_key(q: ox.Quad) -> tuple[str, str, str]:
    return (str(q.subject), str(q.predicate), str(q.object))


def canonical(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Quads without repeats, ordered by graph (default first), subject, predicate, object."""
    by_graph: dict[tuple[int, str], dict[tuple[str, str, str], ox.Quad]] = defaultdict(dict)
    for q in quads:
        by_graph[_graph_key(q.graph_name)].setdefault(_quad_key(q), q)
    out: list[ox.Quad] = []
    for gk in sorted(by_graph):
        quads_of = by_graph[gk]
        out.extend(quads_of[k] for k in sorted(quads_of))
    return out


def store_graphs(store: ox.Store) -> Iterator[list[ox.Quad]]:
    """Each graph of a store as a list of quads in canonical order: the default graph, then the
    named graphs by IRI; one graph in memory at a time."""
    graphs: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = [ox.DefaultGraph()]
    graphs += sorted(store.named_graphs(), key=str)
    for g in graphs:
        quads = list(store.quads_for_pattern(None, None, None, g))
        quads.sort(key=_quad_key)
        yield quads


def ordered_store_quads(store: ox.Store) -> Iterator[ox.Quad]:
    """Every quad of a store in canonical order, one graph in memory at a time."""
    for quads in store_graphs(store):
        yield from quads


def store_trig(store: ox.Store) -> Iterator[bytes]:
    """The store as TriG, exactly as ``kg build`` writes ``kg.trig``: header, then a chunk per graph."""
    yield trig_header()
    for quads in store_graphs(store):
        yield trig_chunk(quads)


PREFIXES = {k: v for k, v in ids.PREFIXES.items() if k not in ("sh", "owl", "prov", "dcterms")}


def serialize(quads: Iterable[ox.Quad], fmt: ox.RdfFormat, out: Path | None = None) -> bytes | None:
    """Serialise quads (already in canonical order) with kg's prefixes where the format has them."""
    kwargs: dict[str, object] = {}
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.N3):
        kwargs["prefixes"] = PREFIXES
    if out is None:
        return ox.serialize(quads, format=fmt, **kwargs)  # type: ignore[arg-type]
    with open(out, "wb") as fh:
        ox.serialize(quads, fh, format=fmt, **kwargs)  # type: ignore[arg-type]
    return None


def trig_header() -> bytes:
    """The prefix lines every kg TriG file starts with."""
    return b"".join(f"@prefix {p}: <{ns}> .\n".encode() for p, ns in PREFIXES.items())


def trig_chunk(quads: list[ox.Quad]) -> bytes:
    """One graph's quads as TriG without the prefix lines (see :func:`trig_header`)."""
    if not quads:
        return b""
    data = serialize(quads, ox.RdfFormat.TRIG)
    assert data is not None
    lines = data.split(b"\n")
    i = 0
    while i < len(lines) and lines[i].startswith(b"@prefix "):
        i += 1
    return b"\n".join(lines[i:])


def load_chunk(store: ox.Store, chunk: bytes) -> None:
    """Add a TriG chunk (from :func:`trig_chunk`) to a store."""
    if chunk:
        store.load(trig_header() + chunk, format=ox.RdfFormat.TRIG)


# --- reading the built dataset -------------------------------------------------------------------


def open_store(project: Project) -> ox.Store:
    """The built store, opened read-only (so a query can never change it)."""
    path = project.store_path()
    try:
        return ox.Store.read_only(str(path))
    except OSError as exc:
        raise OutputError(f"cannot open the built store ({exc})", f"at {path}", "run `kg build` again") from exc


def open_dataset(project: Project) -> Dataset:
    """The built dataset through rdflib's API, over the Oxigraph store (read-only)."""
    from oxrdflib import OxigraphStore
    from rdflib import Dataset as RdfDataset

    ds = RdfDataset(store=OxigraphStore(store=open_store(project)), default_union=True)
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    return ds
