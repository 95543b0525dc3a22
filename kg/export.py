"""Exports that outside tools read: one table of formats, each a function from the built dataset to bytes.

========================  ==========================================================================
``trig``                  the dataset: default graph + one named graph per source + conflicts
``nquads``                the same, one quad per line
``turtle``, ``ntriples``  the union of all graphs (formats without named graphs), each triple once
``jsonld``                the dataset as JSON-LD 1.1 (named graphs kept), compacted with kg's prefixes
``graphml``               a NetworkX projection (``entity``, ``comention`` or ``bipartite``) for
                          Gephi, yEd or Cytoscape
``annotations``           every citation as a W3C Web Annotation, in one ``AnnotationCollection``
                          (JSON-LD with the ``http://www.w3.org/ns/anno.jsonld`` context)
========================  ==========================================================================

RDF exports stream from the dataset's canonical TriG (the built ``kg.trig``, or a store read from an
endpoint written the same way), so the same dataset always gives the same bytes and memory stays
flat however large it is; Turtle, TriG and N-Quads re-parse to exactly the dataset.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, cast

import pyoxigraph as ox

from . import ids
from .errors import OutputError
from .project import Project, public_mode

if TYPE_CHECKING:
    import networkx as nx

#: The JSON-LD context of the Web Annotation Data Model.
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
XSD_STRING = ids.PREFIXES["xsd"] + "string"
OA = ids.PREFIXES["oa"]
#: The IRI of the exported collection of citations (and, with ``/page1``, of its one page).
COLLECTION_IRI = ids.ID + "annotations"


@dataclass(frozen=True)
class Options:
    #: The projection a GraphML export writes (see :data:`kg.analysis.GRAPHS`).
    graph: str = "entity"
    #: Export this store instead of the project's built one (a dataset read from an endpoint).
    store: ox.Store | None = None


@dataclass(frozen=True)
class Format:
    name: str
    suffix: str
    media_type: str
    description: str
    write: Callable[[Project, Options, BinaryIO], None]


def _store(project: Project, options: Options) -> ox.Store:
    if options.store is not None:
        return options.store
    from .dataset import open_store

    return open_store(project)


@contextlib.contextmanager
def _trig_of(project: Project, options: Options) -> Iterator[BinaryIO]:
    """The dataset as canonical TriG (what ``kg build`` writes): the built ``kg.trig`` itself, or,
    for a store read from an endpoint, that store written the same way to a temporary file."""
    if options.store is None:
        try:
            with open(project.trig_path, "rb") as fh:
                yield fh
        except FileNotFoundError:
            raise OutputError("there is no built dataset", f"at {project.trig_path}", "run `kg build` first") from None
        return
    from .dataset import store_trig

    with tempfile.TemporaryFile() as tmp:
        for chunk in store_trig(options.store):
            tmp.write(chunk)
        tmp.seek(0)
        yield cast(BinaryIO, tmp)


def _quads(trig: BinaryIO) -> Iterator[ox.Quad]:
    return ox.parse(trig, format=ox.RdfFormat.TRIG)  # type: ignore[return-value]


_MACHINERY = (ids.ID + "annotation/", ids.ID + "target/")


def in_union(q: ox.Quad) -> bool:
    """Whether a quad of the dataset is needed in the union of its graphs, each triple once: the
    default graph (the sources and the corpus view, which holds every other triple of the source
    graphs), the citations (annotations, targets, selectors) and the conflicts."""
    g = q.graph_name
    if isinstance(g, ox.DefaultGraph):
        return True
    return q.subject.value.startswith(_MACHINERY) or g.value == ids.CONFLICTS_GRAPH  # type: ignore[union-attr]


def trig_to_turtle(trig: Iterable[bytes], out: BinaryIO) -> None:
    """The union of a kg TriG dataset's graphs as Turtle, each triple once, line by line.

    kg's TriG (:func:`kg.dataset.trig_chunk`) writes the default graph at the top level and each
    named graph as ``NAME {``, one block per subject (its first line indented once, the rest
    twice, ending with ``.``) and ``}``; literals never span lines.  So the Turtle is the header
    and the default graph as they are, and from each named graph the subject blocks of
    :func:`in_union` (citations, conflicts) one indent less: no parsing, at the speed of copying.
    """
    machinery = _machinery_tokens()
    graph: str | None = None
    keep = True
    write = out.write
    for line in trig:
        if graph is None:
            if line.endswith((b" {\n", b" {\r\n", b" {")) and not line.startswith((b"\t", b"@", b"#")):
                graph = _iri_of(line.rstrip(b"\r\n")[:-2])
                keep_all = graph == ids.CONFLICTS_GRAPH
                continue
            write(line)
        elif line[:1] == b"}" and line.rstrip(b"\r\n") == b"}":
            graph = None
        else:
            if line[1:2] != b"\t":  # a subject's first line
                keep = keep_all or line.startswith(machinery) or (
                    b"\\" in line and _iri_of(line[1:].split(b" ", 1)[0]).startswith(_MACHINERY)
                )
            if keep:
                write(line[1:])


def _machinery_tokens() -> tuple[bytes, ...]:
    """How a citation's subject starts in kg's TriG, as its first line in a graph block: the tab,
    then ``annotation:…``, ``target:…``, the full IRI or another prefix of kg's with its local part."""
    from .dataset import PREFIXES

    out = {f"\t<{m}".encode() for m in _MACHINERY}
    for p, ns in PREFIXES.items():
        for m in _MACHINERY:
            if m.startswith(ns):
                out.add(f"\t{p}:{m[len(ns):]}".encode())
    return tuple(sorted(out))


def _iri_of(token: bytes) -> str:
    """The IRI a TriG term written by kg stands for: ``<iri>`` or a prefixed name of kg's prefixes
    (whose local part may escape characters: ``kgid:graph\\/conflicts``)."""
    from .dataset import PREFIXES

    text = token.decode("utf-8")
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    prefix, _, local = text.partition(":")
    return PREFIXES.get(prefix, prefix + ":") + re.sub(r"\\(.)", r"\1", local)


def _trig(project: Project, o: Options, out: BinaryIO) -> None:
    with _trig_of(project, o) as trig:
        shutil.copyfileobj(trig, out, 1 << 20)


def _nquads(project: Project, o: Options, out: BinaryIO) -> None:
    with _trig_of(project, o) as trig:
        ox.serialize(_quads(trig), out, format=ox.RdfFormat.N_QUADS)


def _turtle(project: Project, o: Options, out: BinaryIO) -> None:
    with _trig_of(project, o) as trig:
        trig_to_turtle(trig, out)


def _ntriples(project: Project, o: Options, out: BinaryIO) -> None:
    with _trig_of(project, o) as trig:
        ox.serialize((q.triple for q in _quads(trig) if in_union(q)), out, format=ox.RdfFormat.N_TRIPLES)


# --- JSON-LD ----------------------------------------------------------------------------------


def _jsonld_value(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"@id": ids.compact(term.value)}
    if isinstance(term, ox.BlankNode):
        return {"@id": f"_:{term.value}"}
    if term.language:
        return {"@language": term.language, "@value": term.value}
    if term.datatype.value == XSD_STRING:
        return {"@value": term.value}
    return {"@type": _compact_term(term.datatype.value), "@value": term.value}


#: Compacts predicates and datatypes, which are few and repeat.
_compact_term = functools.lru_cache(maxsize=4096)(ids.compact)
#: JSON's string encoder (C), as ``json.dumps(text, ensure_ascii=False)``.
_enc: Callable[[str], str] = json.encoder.encode_basestring  # type: ignore[attr-defined]


def _jsonld_id(term: object) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    assert isinstance(term, ox.NamedNode)
    return ids.compact(term.value)


def _jsonld(project: Project, o: Options, out: BinaryIO) -> None:
    """The dataset as JSON-LD 1.1, written as it is read: a node object per subject (its IRIs as
    CURIEs of the context's prefixes), the default graph's nodes first, then a ``@graph`` object
    per named graph.  The canonical TriG lists each subject of a graph together, so no more than
    one node is held at a time."""
    from .dataset import PREFIXES

    def node_text(node: dict[str, Any], indent: str) -> str:
        """``json.dumps(node, ensure_ascii=False, indent=2)`` indented by ``indent``, but with the
        C string encoder (with ``indent`` the json module encodes in Python, 3× slower)."""
        i1, i2, i3 = indent + "  ", indent + "    ", indent + "      "
        lines = [f"{indent}{{"]
        items = list(node.items())
        for n, (k, v) in enumerate(items):
            end = "," if n < len(items) - 1 else ""
            if isinstance(v, str):
                lines.append(f"{i1}{_enc(k)}: {_enc(v)}{end}")
                continue
            lines.append(f"{i1}{_enc(k)}: [")
            for m, value in enumerate(v):
                fields = ",\n".join(f"{i3}{_enc(a)}: {_enc(b)}" for a, b in value.items())
                lines.append(f"{i2}{{\n{fields}\n{i2}}}{',' if m < len(v) - 1 else ''}")
            lines.append(f"{i1}]{end}")
        lines.append(f"{indent}}}")
        return "\n".join(lines)

    context = json.dumps({"@context": dict(sorted(PREFIXES.items()))}, ensure_ascii=False, indent=2)
    out.write((context[:-2] + ',\n  "@graph": [').encode("utf-8"))
    first_item = True  # of the top-level @graph
    first_node = True  # of the open named graph's @graph
    graph: str | None = None  # the open named graph
    node: dict[str, Any] | None = None
    key: tuple[object, object] | None = None  # (graph, subject) of the open node

    def flush() -> None:
        nonlocal first_item, first_node
        if node is None:
            return
        if graph is None:
            out.write(((",\n" if not first_item else "\n") + node_text(node, "    ")).encode("utf-8"))
            first_item = False
        else:
            out.write(((",\n" if not first_node else "\n") + node_text(node, "        ")).encode("utf-8"))
            first_node = False

    with _trig_of(project, o) as trig:
        for q in _quads(trig):
            if (q.graph_name, q.subject) != key:
                flush()
                g = None if isinstance(q.graph_name, ox.DefaultGraph) else _jsonld_id(q.graph_name)
                if g != graph:
                    if graph is not None:
                        out.write(b"\n      ]\n    }")
                    graph = g
                    if graph is not None:
                        head = "" if first_item else ","
                        out.write(f'{head}\n    {{\n      "@id": {json.dumps(graph, ensure_ascii=False)},\n      "@graph": ['.encode())
                        first_item, first_node = False, True
                key = (q.graph_name, q.subject)
                node = {"@id": _jsonld_id(q.subject)}
            assert node is not None
            node.setdefault(_compact_term(q.predicate.value), []).append(_jsonld_value(q.object))  # type: ignore[arg-type]
        flush()
    if graph is not None:
        out.write(b"\n      ]\n    }")
    out.write(b"\n  ]\n}\n")


# --- GraphML ----------------------------------------------------------------------------------


_NMTOKEN = re.compile(r"[\w.:-]+")


def graphml_ids(graph: nx.Graph) -> nx.Graph:
    """A copy of ``graph`` whose node and edge ids are valid GraphML ids (``xs:NMTOKEN``).

    IRIs are not NMTOKENs (they contain ``/``), so a node's id is its CURIE (``person:jane-roe``)
    when that is one, else ``n<number>``; the full IRI stays in the ``iri`` attribute.  Edges of a
    multigraph are keyed by their statement's CURIE the same way.
    """
    names: dict[str, str] = {}
    for i, node in enumerate(graph.nodes):
        curie = ids.compact(str(node))
        names[node] = curie if _NMTOKEN.fullmatch(curie) and curie not in names.values() else f"n{i}"
    out = graph.__class__()
    out.graph.update(graph.graph)
    for node, data in graph.nodes(data=True):
        out.add_node(names[node], iri=str(node), **data)
    if graph.is_multigraph():
        used: set[str] = set()
        for j, (a, b, key, data) in enumerate(graph.edges(keys=True, data=True)):
            curie = ids.compact(str(key))
            edge_id = curie if _NMTOKEN.fullmatch(curie) and curie not in used else f"e{j}"
            used.add(edge_id)
            out.add_edge(names[a], names[b], key=edge_id, **data)
    else:
        for a, b, data in graph.edges(data=True):
            out.add_edge(names[a], names[b], **data)
    return out


def _graphml(project: Project, options: Options, out: BinaryIO) -> None:
    import networkx as nx

    from . import analysis

    if options.graph not in analysis.GRAPHS:
        raise ValueError(f"unknown graph {options.graph!r}")
    snap = analysis.read(_store(project, options))
    graph = graphml_ids(analysis.project_graph(snap, options.graph, analysis.texts(project)))
    nx.write_graphml_xml(graph, out, encoding="utf-8", prettyprint=True)


# --- Web Annotations --------------------------------------------------------------------------

_P = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX kg: <https://kg.example/ns#>
"""
# One source's citations (?src is bound).  Oxigraph evaluates an OPTIONAL as a join with all of
# its right side, so the prefixes and suffixes, which a quote at the start or end of a text lacks,
# are read by queries of their own.
_CITATIONS = _P + """
SELECT ?a ?motivation ?body ?t ?q ?exact ?start ?end WHERE { GRAPH ?g {
  ?t oa:hasSource ?src ; oa:hasSelector ?q, ?p .
  ?a oa:hasTarget ?t ; a oa:Annotation ; oa:motivatedBy ?motivation ; oa:hasBody ?body .
  ?q a oa:TextQuoteSelector ; oa:exact ?exact .
  ?p a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
} }"""
_CONTEXTS = _P + """
SELECT ?q ?context WHERE { GRAPH ?g { ?t oa:hasSource ?src ; oa:hasSelector ?q . ?q ?side ?context } }"""
_CITED_SOURCES = _P + "SELECT DISTINCT ?src WHERE { GRAPH ?g { ?t oa:hasSource ?src } }"
_SOURCES = _P + """
SELECT ?src ?title ?media WHERE { ?src a kg:Source . OPTIONAL { ?src schema:name ?title } OPTIONAL { ?src kg:mediaType ?media } }"""
_LABELS = _P + "SELECT DISTINCT ?x ?label WHERE { GRAPH ?g { ?x rdfs:label ?label } }"
_TYPES = _P + "SELECT DISTINCT ?x ?type WHERE { GRAPH ?g { ?x a ?type } }"
_STATEMENTS = _P + """
SELECT DISTINCT ?st ?s ?p ?o WHERE { GRAPH ?g { ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o } }"""


def _value(term: object) -> str:
    assert isinstance(term, ox.NamedNode | ox.Literal)
    return term.value


def _annotation_rows(store: ox.Store, src: str) -> list[tuple[Any, ...]]:
    """The citations of one source, in order: position, then motivation and IRI."""
    from .binding import inline

    bound = {"src": ox.NamedNode(src)}
    contexts: dict[str, dict[str, str]] = {"prefix": {}, "suffix": {}}
    for side, found in contexts.items():
        query = inline(_CONTEXTS, {**bound, "side": ox.NamedNode(OA + side)})
        assert query is not None
        for r in store.query(query):  # type: ignore[union-attr]
            found[_value(r["q"])] = _value(r["context"])
    query = inline(_CITATIONS, bound)
    assert query is not None
    rows = []
    for r in store.query(query):  # type: ignore[union-attr]
        q = _value(r["q"])
        rows.append(
            (
                int(_value(r["start"])), int(_value(r["end"])), _value(r["motivation"]).rsplit("#", 1)[-1],
                _value(r["a"]), _value(r["body"]), _value(r["t"]), _value(r["exact"]),
                contexts["prefix"].get(q), contexts["suffix"].get(q),
            )
        )
    rows.sort()
    return rows


def write_annotations(store: ox.Store, out: BinaryIO) -> int:
    """Every citation of the dataset as a W3C Web Annotation, in one ``AnnotationCollection``;
    returns how many.

    Each annotation keeps its IRI, motivation (``identifying`` a mention, ``describing`` a
    statement) and body (the entity or statement IRI), adds a ``TextualBody`` that says in words
    what it supports, and targets a ``SpecificResource`` on the source with a
    ``TextQuoteSelector`` and a ``TextPositionSelector`` (Python string offsets).  Annotations are
    ordered by source, then position; they are written one source at a time (to a temporary file,
    as the collection's ``total`` comes first), one annotation a line, so memory holds one source's
    citations.
    """
    sources = {
        _value(r["src"]): (_value(r["title"]) if r["title"] is not None else "", _value(r["media"]) if r["media"] else None)
        for r in store.query(_SOURCES)  # type: ignore[union-attr]
    }
    labels: dict[str, str] = {}
    for r in store.query(_LABELS):  # type: ignore[union-attr]
        labels.setdefault(_value(r["x"]), _value(r["label"]))
    types: dict[str, list[str]] = {}
    for r in store.query(_TYPES):  # type: ignore[union-attr]
        types.setdefault(_value(r["x"]), []).append(ids.compact(_value(r["type"])))
    statements: dict[str, tuple[str, str, ox.NamedNode | ox.Literal]] = {}
    for r in store.query(_STATEMENTS):  # type: ignore[union-attr]
        o = r["o"]
        assert isinstance(o, ox.NamedNode | ox.Literal)
        statements[_value(r["st"])] = (_value(r["s"]), _value(r["p"]), o)
    cited = sorted({_value(r["src"]) for r in store.query(_CITED_SOURCES)} | set(sources))  # type: ignore[union-attr]

    def name(term: ox.NamedNode | ox.Literal) -> str:
        if isinstance(term, ox.Literal):
            return term.value
        return labels.get(term.value, ids.compact(term.value))

    def body_text(body: str, motivation: str) -> str:
        if motivation == "describing" and body in statements:
            s, p, o = statements[body]
            return f"{name(ox.NamedNode(s))} — {ids.compact(p)} — {name(o)}"
        kinds = ", ".join(sorted(t for t in types.get(body, []) if t != "rdf:Statement"))
        return f"{name(ox.NamedNode(body))} ({kinds})" if kinds else name(ox.NamedNode(body))

    def dumps(item: dict[str, Any]) -> str:  # one annotation a line (and the json module's C encoder)
        return "      " + json.dumps(item, ensure_ascii=False)

    total = 0
    with tempfile.TemporaryFile() as items:
        for src in cited:
            title, media = sources.get(src, ("", None))
            source: dict[str, Any] = {"id": src, "type": "Text"}
            if media:
                source["format"] = media
            if title:
                source["label"] = title
            for start, end, motivation, iri, body, target, exact, prefix, suffix in _annotation_rows(store, src):
                quote: dict[str, Any] = {"type": "TextQuoteSelector", "exact": exact}
                if prefix is not None:
                    quote["prefix"] = prefix
                if suffix is not None:
                    quote["suffix"] = suffix
                item = {
                    "@context": ANNO_CONTEXT,
                    "id": iri,
                    "type": "Annotation",
                    "motivation": motivation,
                    "body": [
                        body,
                        {"type": "TextualBody", "purpose": motivation, "format": "text/plain",
                         "value": body_text(body, motivation)},
                    ],
                    "target": {
                        "id": target,
                        "type": "SpecificResource",
                        "source": source,
                        "selector": [quote, {"type": "TextPositionSelector", "start": start, "end": end}],
                    },
                }
                items.write(((",\n" if total else "\n") + dumps(item)).encode("utf-8"))
                total += 1
        page = COLLECTION_IRI + "/page1"
        head = {
            "@context": ANNO_CONTEXT,
            "id": COLLECTION_IRI,
            "type": "AnnotationCollection",
            "label": f"Citations of {len(sources)} sources: every mention and every cited statement",
            "total": total,
            "first": {"id": page, "type": "AnnotationPage", "partOf": COLLECTION_IRI, "startIndex": 0, "items": []},
            "last": page,
        }
        text = json.dumps(head, ensure_ascii=False, indent=2)
        cut = text.index('"items": []') + len('"items": [')
        out.write(text[:cut].encode("utf-8"))
        items.seek(0)
        shutil.copyfileobj(items, out)
        out.write((("\n    " if total else "") + text[cut:] + "\n").encode("utf-8"))
    return total


def _annotations(project: Project, o: Options, out: BinaryIO) -> None:
    write_annotations(_store(project, o), out)


# --- the table --------------------------------------------------------------------------------

FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("turtle", ".ttl", "text/turtle", "Turtle: the union of all graphs", _turtle),
        Format("trig", ".trig", "application/trig", "TriG: the dataset with its named graphs", _trig),
        Format("nquads", ".nq", "application/n-quads", "N-Quads: the dataset, one quad per line", _nquads),
        Format("ntriples", ".nt", "application/n-triples", "N-Triples: the union of all graphs", _ntriples),
        Format("jsonld", ".jsonld", "application/ld+json", "JSON-LD: the dataset with its named graphs", _jsonld),
        Format("graphml", ".graphml", "application/graphml+xml", "GraphML: a NetworkX projection", _graphml),
        Format(
            "annotations", ".annotations.jsonld", "application/ld+json; profile=\"http://www.w3.org/ns/anno.jsonld\"",
            "W3C Web Annotations: every citation, as an AnnotationCollection", _annotations,
        ),
    )
}


def format_for(path: Path) -> str | None:
    """The export format a file name asks for (``.ttl`` → turtle), or ``None``."""
    name = path.name.lower()
    for f in sorted(FORMATS.values(), key=lambda f: -len(f.suffix)):
        if name.endswith(f.suffix):
            return f.name
    return {".turtle": "turtle", ".json": "jsonld", ".xml": "graphml"}.get(path.suffix.lower())


def _exporter(fmt: str) -> Format:
    try:
        return FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown export format {fmt!r}") from None


def export(project: Project, fmt: str, *, graph: str = "entity", store: ox.Store | None = None) -> bytes:
    """The built dataset (or ``store``) in the export format ``fmt``, in memory (for small
    datasets and tests; :func:`write` and :func:`export_to` stream)."""
    buf = io.BytesIO()
    write(project, fmt, buf, graph=graph, store=store)
    return buf.getvalue()


def write(project: Project, fmt: str, out: BinaryIO, *, graph: str = "entity", store: ox.Store | None = None) -> None:
    """Write the built dataset (or ``store``) in the export format ``fmt`` to ``out``."""
    _exporter(fmt).write(project, Options(graph=graph, store=store), out)


def export_to(project: Project, fmt: str, path: Path, *, graph: str = "entity", store: ox.Store | None = None) -> int:
    """Write an export to ``path`` atomically (a temporary file beside it, then renamed); the
    number of bytes written."""
    exporter = _exporter(fmt)
    if path.is_dir():
        raise OutputError("the export path is a folder", f"at {path}", "give a file name")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write the export ({exc.strerror or exc})", f"at {path}", "choose another path") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            exporter.write(project, Options(graph=graph, store=store), fh)
            size = fh.tell()
        public_mode(Path(tmp))
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"cannot write the export ({exc.strerror or exc})", f"at {path}", "choose another path") from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return size
