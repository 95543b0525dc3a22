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
import functools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from . import curation, ids
from .curation import Applied
from .errors import OutputError
from .model import Citation, Document, Value
from .project import Project
from .resolve import UNNAMED

if TYPE_CHECKING:  # kg.link (and rdflib through it) is not imported by readers of the dataset

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


class Triples:
    """The triples of one graph, kept as strings until the end: deduplicated, then sorted as
    :func:`canonical` sorts quads (subject, predicate and object as N-Triples) and made into quads
    with one node object per IRI.  Much cheaper than making a quad per triple and sorting those."""

    def __init__(self) -> None:
        #: (subject, predicate, object) in N-Triples form -> the object, when it is a literal
        self.items: dict[tuple[str, str, str], ox.Literal | None] = {}
        self._names: dict[str, str] = {}  # IRI -> "<IRI>", one string for all its triples

    def _name(self, iri: str) -> str:
        name = self._names.get(iri)
        if name is None:
            name = self._names[iri] = f"<{iri}>"
        return name

    def iri(self, s: str, p: str, o: str) -> None:
        self.items.setdefault((self._name(s), self._name(p), self._name(o)), None)

    def lit(self, s: str, p: str, o: ox.Literal) -> None:
        self.items.setdefault((self._name(s), self._name(p), str(o)), o)

    def integer(self, s: str, p: str, n: int) -> None:
        key, lit = _integer(n)
        self.items.setdefault((self._name(s), self._name(p), key), lit)

    def add(self, s: str, p: str, o: Term) -> None:
        if isinstance(o, Value):
            self.lit(s, p, literal(o))
        else:
            self.iri(s, p, o)

    def __len__(self) -> int:
        return len(self.items)

    def trig(self, graph: str | None) -> bytes:
        """The triples as a TriG chunk of the graph ``graph`` (``None``: the default graph)."""
        return _write_trig(sorted(self.items), graph)

    def quads(self, graph: ox.NamedNode | ox.DefaultGraph) -> list[ox.Quad]:
        nodes: dict[str, ox.NamedNode] = {}

        def node(iri: str) -> ox.NamedNode:
            n = nodes.get(iri)
            if n is None:
                n = nodes[iri] = ox.NamedNode(iri)
            return n

        out = []
        for key in sorted(self.items):
            o = self.items[key]
            out.append(ox.Quad(node(key[0][1:-1]), node(key[1][1:-1]), node(key[2][1:-1]) if o is None else o, graph))
        return out


_INTEGER = N(XSD + "integer")


@functools.lru_cache(maxsize=4096)
def _integer(n: int) -> tuple[str, ox.Literal]:
    """An ``xsd:integer`` literal and its N-Triples form (counts repeat: made once)."""
    lit = literal(n)
    return str(lit), lit


def add_source(t: Triples, doc: Document) -> None:
    """The source node (in the default graph)."""
    s = ids.source_iri(doc.id)
    meta = doc.meta
    t.iri(s, A.value, KG + "Source")
    t.iri(s, A.value, SCHEMA + "CreativeWork")
    t.lit(s, SCHEMA + "name", literal(meta.title))
    t.lit(s, SCHEMA + "publisher", literal(meta.publisher))
    t.lit(s, SCHEMA + "datePublished", literal(Value.of_date(meta.published)))
    t.lit(s, SCHEMA + "sha256", literal(doc.sha256))
    t.lit(s, KG + "mediaType", literal(doc.media_type))
    t.lit(s, KG + "path", literal(Path(doc.path).name))
    t.lit(s, SCHEMA + "wordCount", literal(doc.word_count))
    t.lit(s, LABEL.value, literal(meta.title))
    if meta.url:
        t.lit(s, SCHEMA + "url", ox.Literal(meta.url, datatype=N(XSD + "anyURI")))
    if meta.genre:
        t.lit(s, SCHEMA + "genre", literal(meta.genre))
    if meta.via:
        t.lit(s, KG + "republishedBy", literal(meta.via))
    if meta.licence:
        t.lit(s, SCHEMA + "license", literal(meta.licence))
    for f in doc.furniture:
        t.lit(s, KG + "furniture", literal(f"{f.span.start}-{f.span.end} {f.kind}"))


def _add_citation(t: Triples, c: Citation) -> None:
    target = ids.target_iri(c.source, c.start, c.end)
    q, p = target + ".quote", target + ".position"
    if (f"<{target}>", f"<{OA}hasSource>", f"<{ids.source_iri(c.source)}>") in t.items:
        return  # the same words cited again: one target
    t.iri(target, A.value, OA + "SpecificResource")
    t.iri(target, OA + "hasSource", ids.source_iri(c.source))
    t.iri(target, OA + "hasSelector", q)
    t.iri(target, OA + "hasSelector", p)
    t.iri(q, A.value, OA + "TextQuoteSelector")
    t.lit(q, OA + "exact", ox.Literal(c.exact))
    t.lit(q, OA + "prefix", ox.Literal(c.prefix))
    t.lit(q, OA + "suffix", ox.Literal(c.suffix))
    t.iri(p, A.value, OA + "TextPositionSelector")
    # xsd:integer, not the nonNegativeInteger of the Web Annotation vocabulary: Oxigraph stores
    # every integer type as xsd:integer, and the TriG must say what the store holds.
    t.lit(p, OA + "start", ox.Literal(str(c.start), datatype=_INTEGER))
    t.lit(p, OA + "end", ox.Literal(str(c.end), datatype=_INTEGER))


def _add_annotation(t: Triples, c: Citation, body: str, motivation: str, notes: Iterable[tuple[str, Value]] = ()) -> None:
    a = ids.annotation_iri(c.source, c.start, c.end, body, motivation)
    t.iri(a, A.value, OA + "Annotation")
    t.iri(a, OA + "motivatedBy", OA + motivation)
    t.iri(a, OA + "hasBody", body)
    t.iri(a, OA + "hasTarget", ids.target_iri(c.source, c.start, c.end))
    for pred, value in sorted(notes):
        t.add(a, ids.expand(pred), value)


def _add_statement(t: Triples, iri: str, s: str, p: str, o: Term) -> None:
    """A fact's triple and the ``rdf:Statement`` node that stands for it."""
    t.add(s, p, o)
    t.iri(iri, A.value, RDF + "Statement")
    t.iri(iri, RDF + "subject", s)
    t.iri(iri, RDF + "predicate", p)
    t.add(iri, RDF + "object", o)


def document_triples(doc: Document, facts: DocFacts, entities: dict[str, Entity]) -> Triples:
    """Every triple of one source's named graph (named by :func:`kg.ids.source_iri`)."""
    g = ids.source_iri(doc.id)
    t = Triples()
    t.iri(g, A.value, KG + "Source")
    typed: set[str] = set()
    for m in facts.mentions:
        if m.entity not in typed:
            typed.add(m.entity)
            ent = entities[m.entity]
            for etype in ent.types:
                t.iri(m.entity, A.value, ids.expand(etype))
            t.lit(m.entity, LABEL.value, ox.Literal(ent.label))
            for alias in sorted(facts.aliases.get(m.entity, ())):
                t.lit(m.entity, ALT.value, ox.Literal(alias))
        _add_citation(t, m.citation)
        _add_annotation(t, m.citation, m.entity, "identifying")
    for st in facts.statements:
        _add_statement(t, st.iri, st.subject, st.predicate, st.object)
        for c in st.citations:
            _add_citation(t, c)
            _add_annotation(t, c, st.iri, "describing", st.notes.get(c, ()))
    return t


def add_view(
    t: Triples,
    types: dict[str, str],
    entities: dict[str, Entity],
    aliases: dict[str, set[str]],
    statements: dict[str, tuple[str, str, str]],
) -> None:
    """The corpus view in the default graph: each entity's type, label and aliases, and each
    statement's triple and ``rdf:Statement`` node, once.  ``statements`` maps a statement IRI to
    its subject, predicate and object key (an IRI, or ``"lexical"^^xsd:type``)."""
    for iri, etype in types.items():
        t.iri(iri, A.value, ids.expand(etype))
        if entities[iri].unnamed:
            t.iri(iri, A.value, ids.expand(UNNAMED))
        t.lit(iri, LABEL.value, ox.Literal(entities[iri].label))
        for alias in sorted(aliases.get(iri, ())):
            t.lit(iri, ALT.value, ox.Literal(alias))
    for st_iri, (subj, pred, okey) in statements.items():
        _add_statement(t, st_iri, subj, pred, object_of(okey))


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


def add_statistics(t: Triples, stats: Statistics) -> None:
    """The statistics, in the default graph beside the corpus view."""
    sources, cites, mentions = KG + "sourceCount", KG + "citationCount", KG + "mentionCount"
    for iri, (n_sources, n_cites, first) in stats.statements.items():
        t.integer(iri, sources, n_sources)
        t.integer(iri, cites, n_cites)
        t.iri(iri, KG + "firstCitation", first)
    for iri, (n_sources, n_mentions) in stats.entities.items():
        t.integer(iri, sources, n_sources)
        t.integer(iri, mentions, n_mentions)
    for iri, (n_entities, n_mentions, n_statements, n_cites) in stats.sources.items():
        t.integer(iri, KG + "entityCount", n_entities)
        t.integer(iri, mentions, n_mentions)
        t.integer(iri, KG + "statementCount", n_statements)
        t.integer(iri, cites, n_cites)
    for (a, b), (n_sentences, n_sources) in stats.comentions.items():
        s = ids.comention_iri(a, b)
        t.iri(s, A.value, KG + "CoMention")
        t.iri(s, KG + "coMentioned", a)
        t.iri(s, KG + "coMentioned", b)
        t.integer(s, KG + "sentenceCount", n_sentences)
        t.integer(s, sources, n_sources)


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
        out.append(ox.Quad(node, N(KG + "conflictKind"), ox.Literal(conflict.kind), cg))
        subject = entities.get(conflict.subject)
        label = f"{subject.label if subject else conflict.subject}: {ids.compact(conflict.predicate)}"
        out.append(ox.Quad(node, LABEL, ox.Literal(label), cg))
        for st in conflict.statements:
            out.append(ox.Quad(node, N(KG + "statement"), N(st), cg))
    return canonical(out)


def curation_quads(applied: Applied) -> list[ox.Quad]:
    """The curation graph: every decision of the curation file, as contributed by it (not by a
    source), with the entities it came to; pinned labels and ``owl:sameAs`` links."""
    g = N(curation.GRAPH)
    out = []
    for s, p, o, is_iri in curation.quads_of(applied, {}):
        out.append(ox.Quad(N(s), N(p), N(str(o)) if is_iri else ox.Literal(str(o)), g))
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


def store_trig(store: ox.Store) -> Iterator[bytes]:
    """The store as TriG, exactly as ``kg build`` writes ``kg.trig``: header, then a chunk per graph."""
    yield trig_header()
    for quads in store_graphs(store):
        yield trig_chunk(quads)


PREFIXES = {k: v for k, v in ids.PREFIXES.items() if k not in ("sh", "owl", "prov", "dcterms")}


def trig_header() -> bytes:
    """The prefix lines every kg TriG file starts with."""
    return b"".join(f"@prefix {p}: <{ns}> .\n".encode() for p, ns in PREFIXES.items())


def trig_chunk(quads: list[ox.Quad]) -> bytes:
    """One graph's quads (of one graph, in canonical order) as TriG without the prefix lines (see
    :func:`trig_header`)."""
    if not quads:
        return b""
    g = quads[0].graph_name
    name = None if isinstance(g, ox.DefaultGraph) else str(g)[1:-1]
    return _write_trig([(str(q.subject), str(q.predicate), str(q.object)) for q in quads], name)


_NAMESPACES = {ns: p for p, ns in PREFIXES.items()}
_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?")
_RDF_TYPE = f"<{RDF}type>"
_INTEGER_SUFFIX = f'"^^<{XSD}integer>'


def _write_trig(keys: Sequence[tuple[str, str, str]], graph: str | None) -> bytes:
    """kg's TriG for one graph, from its triples in N-Triples form (sorted): the default graph's
    subjects at the top level, a named graph as ``NAME {`` … ``}``; one block per subject (its
    first line indented once in a named graph, the rest once more), objects of one predicate
    joined with ``,``; IRIs as prefixed names of :data:`PREFIXES` where the local name needs no
    escape, ``a`` for ``rdf:type``, integers bare.  Literals never span lines, which
    :func:`kg.export.trig_to_turtle` relies on."""
    names: dict[str, str] = {}

    def term(key: str) -> str:
        """Predicates and IRIs repeat: abbreviated once.  Literals and subjects mostly do not."""
        if key[0] != "<":
            return _abbreviate(key)
        out = names.get(key)
        if out is None:
            out = names[key] = _abbreviate(key)
        return out

    parts: list[bytes] = []  # encoded a batch at a time: the default graph of a large corpus is big
    out: list[str] = []
    first, rest = ("\t", "\t\t") if graph is not None else ("", "\t")
    if graph is not None:
        out.append(f"{_abbreviate('<' + graph + '>')} {{\n")
    prev_s = prev_p = None
    for s, p, o in keys:
        if s != prev_s:
            if prev_s is not None:
                out.append(" .\n")
                if len(out) >= 1 << 16:
                    parts.append("".join(out).encode("utf-8"))
                    out.clear()
            out.append(f"{first}{_abbreviate(s)} {'a' if p == _RDF_TYPE else term(p)} {term(o)}")
        elif p != prev_p:
            out.append(f" ;\n{rest}{'a' if p == _RDF_TYPE else term(p)} {term(o)}")
        else:
            out.append(f" , {term(o)}")
        prev_s, prev_p = s, p
    if prev_s is not None:
        out.append(" .\n")
    if graph is not None:
        out.append("}\n")
    parts.append("".join(out).encode("utf-8"))
    return b"".join(parts)


def _abbreviate(key: str) -> str:
    """A term in N-Triples form as kg's TriG writes it."""
    if key.startswith("<"):
        iri = key[1:-1]
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        prefix = _NAMESPACES.get(iri[:cut])
        if prefix is not None and _LOCAL.fullmatch(iri[cut:]):
            return f"{prefix}:{iri[cut:]}"
        return key
    if key.startswith('"') and key.endswith(">"):
        cut = key.rfind('"^^<')
        if key[cut:] == _INTEGER_SUFFIX and re.fullmatch(r"[+-]?[0-9]+", key[1:cut]):
            return key[1:cut]
        return key[: cut + 3] + _abbreviate(key[cut + 3 :])
    return key


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
