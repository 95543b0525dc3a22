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
``csv``, ``xlsx``         claims as a spreadsheet: one row per statement and citation, with names,
                          a readable predicate, speaker, date, status, source, quote and position
                          (:mod:`kg.claims`)
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
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, cast

import pyoxigraph as ox

from . import ids
from .atomic import atomic_file
from .errors import OutputError
from .project import Project

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
        path = project.dataset_trig()  # the generation's own: the one the store beside it holds
        try:
            with open(path, "rb") as fh:
                yield fh
        except FileNotFoundError:
            raise OutputError("there is no built dataset", f"at {path}", "run `kg build` first") from None
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
    return q.subject.value.startswith(_MACHINERY) or g.value in ids.RECORD_GRAPHS  # type: ignore[union-attr]


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
                keep_all = graph in ids.RECORD_GRAPHS
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
    if not isinstance(term, ox.Literal):
        return {"@id": _jsonld_id(term)}
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

_RDF = ids.PREFIXES["rdf"]
SCHEMA_NAME = ids.PREFIXES["schema"] + "name"
_KINDS = {OA + "TextQuoteSelector", OA + "TextPositionSelector"}


class _Corpus:
    """What an annotation's words need from the default graph: names, types, statements, sources."""

    def __init__(self) -> None:
        self.labels: dict[str, str] = {}
        self.types: dict[str, list[str]] = {}
        self.statements: dict[str, dict[str, ox.NamedNode | ox.Literal]] = {}
        self.sources: dict[str, dict[str, str]] = {}

    def add(self, q: ox.Quad) -> None:
        subject, o = q.subject, q.object
        if isinstance(subject, ox.Triple) or isinstance(o, ox.Triple):
            return  # kg writes no RDF-star
        s, p = subject.value, q.predicate.value
        if p == ids.RDFS_LABEL:
            self.labels.setdefault(s, o.value)
        elif p == ids.RDF_TYPE:
            self.types.setdefault(s, []).append(ids.compact(o.value))
            if o.value == ids.KG + "Source":
                self.sources.setdefault(s, {})
        elif p in (_RDF + "subject", _RDF + "predicate", _RDF + "object"):
            self.statements.setdefault(s, {})[p] = o  # type: ignore[assignment]
        elif p in (SCHEMA_NAME, ids.KG + "mediaType"):
            self.sources.setdefault(s, {}).setdefault(p, o.value)

    def name(self, term: ox.NamedNode | ox.Literal) -> str:
        if isinstance(term, ox.Literal):
            return term.value
        return self.labels.get(term.value, ids.compact(term.value))

    def body_text(self, body: str, motivation: str) -> str:
        st = self.statements.get(body) if motivation == "describing" else None
        if st is not None and len(st) == 3:
            s, p, o = st[_RDF + "subject"], st[_RDF + "predicate"], st[_RDF + "object"]
            return f"{self.name(s)} — {ids.compact(p.value)} — {self.name(o)}"
        kinds = ", ".join(sorted(t for t in self.types.get(body, []) if t != "rdf:Statement"))
        return f"{self.name(ox.NamedNode(body))} ({kinds})" if kinds else self.name(ox.NamedNode(body))



def _graph_annotations(nodes: dict[str, dict[str, list[Any]]], corpus: _Corpus) -> list[dict[str, Any]]:
    """The annotations among one graph's nodes, ordered by source, position, motivation and IRI."""

    def one(node: dict[str, list[Any]], p: str) -> Any:
        values = node.get(p)
        return values[0] if values else None

    rows = []
    for iri, node in nodes.items():
        if OA + "Annotation" not in {o.value for o in node.get(_RDF + "type", ())}:
            continue
        motivation, body, target = one(node, OA + "motivatedBy"), one(node, OA + "hasBody"), one(node, OA + "hasTarget")
        t = nodes.get(target.value) if target is not None else None
        if motivation is None or body is None or t is None or one(t, OA + "hasSource") is None:
            continue
        quote = position = None
        for sel in t.get(OA + "hasSelector", ()):
            sel_node = nodes.get(sel.value, {})
            kinds = {o.value for o in sel_node.get(_RDF + "type", ())} & _KINDS
            if OA + "TextQuoteSelector" in kinds and one(sel_node, OA + "exact") is not None:
                quote = sel_node
            if OA + "TextPositionSelector" in kinds and one(sel_node, OA + "start") is not None:
                position = sel_node
        if quote is None or position is None:
            continue
        prefix, suffix = one(quote, OA + "prefix"), one(quote, OA + "suffix")
        rows.append((
            one(t, OA + "hasSource").value, int(one(position, OA + "start").value), int(one(position, OA + "end").value),
            motivation.value.rsplit("#", 1)[-1], iri, body.value, target.value, one(quote, OA + "exact").value,
            prefix.value if prefix is not None else None, suffix.value if suffix is not None else None,
        ))
    rows.sort(key=lambda r: r[:5])
    items = []
    for src, start, end, motivation, iri, body, target, exact, prefix, suffix in rows:
        quote_selector: dict[str, Any] = {"type": "TextQuoteSelector", "exact": exact}
        if prefix is not None:
            quote_selector["prefix"] = prefix
        if suffix is not None:
            quote_selector["suffix"] = suffix
        meta = corpus.sources.get(src, {})
        source: dict[str, Any] = {"id": src, "type": "Text"}
        if meta.get(ids.KG + "mediaType"):
            source["format"] = meta[ids.KG + "mediaType"]
        if meta.get(SCHEMA_NAME):
            source["label"] = meta[SCHEMA_NAME]
        items.append({
            "@context": ANNO_CONTEXT,
            "id": iri,
            "type": "Annotation",
            "motivation": motivation,
            "body": [
                body,
                {"type": "TextualBody", "purpose": motivation, "format": "text/plain",
                 "value": corpus.body_text(body, motivation)},
            ],
            "target": {
                "id": target,
                "type": "SpecificResource",
                "source": source,
                "selector": [quote_selector, {"type": "TextPositionSelector", "start": start, "end": end}],
            },
        })
    return items


def write_annotations(quads: Iterable[ox.Quad], out: BinaryIO) -> int:
    """Every citation of the dataset as a W3C Web Annotation, in one ``AnnotationCollection``;
    returns how many.  ``quads`` are the canonical TriG's: the default graph first, then each
    graph whole.

    Each annotation keeps its IRI, motivation (``identifying`` a mention, ``describing`` a
    statement) and body (the entity or statement IRI), adds a ``TextualBody`` that says in words
    what it supports (the names and statements come from the corpus view in the default graph),
    and targets a ``SpecificResource`` on the source with a ``TextQuoteSelector`` and a
    ``TextPositionSelector`` (Python string offsets).  The annotations are written a graph at a
    time, in the order of the graphs (by source), each graph's by position; one annotation a line,
    to a temporary file first, as the collection's ``total`` comes before them.
    """
    corpus = _Corpus()
    total = 0
    with tempfile.TemporaryFile() as items_file:

        def flush(nodes: dict[str, dict[str, list[Any]]]) -> None:
            nonlocal total
            for item in _graph_annotations(nodes, corpus):
                items_file.write(((",\n" if total else "\n") + "      " + json.dumps(item, ensure_ascii=False)).encode("utf-8"))
                total += 1

        graph: object = None
        nodes: dict[str, dict[str, list[Any]]] = {}
        for q in quads:
            if isinstance(q.graph_name, ox.DefaultGraph):
                corpus.add(q)
                continue
            if q.graph_name != graph:
                flush(nodes)
                graph, nodes = q.graph_name, {}
            subject = q.subject
            if not isinstance(subject, ox.Triple) and subject.value.startswith(_MACHINERY):
                nodes.setdefault(subject.value, {}).setdefault(q.predicate.value, []).append(q.object)
        flush(nodes)
        page = COLLECTION_IRI + "/page1"
        head = {
            "@context": ANNO_CONTEXT,
            "id": COLLECTION_IRI,
            "type": "AnnotationCollection",
            "label": f"Citations of {len(corpus.sources)} sources: every mention and every cited statement",
            "total": total,
            "first": {"id": page, "type": "AnnotationPage", "partOf": COLLECTION_IRI, "startIndex": 0, "items": []},
            "last": page,
        }
        text = json.dumps(head, ensure_ascii=False, indent=2)
        cut = text.index('"items": []') + len('"items": [')
        out.write(text[:cut].encode("utf-8"))
        items_file.seek(0)
        shutil.copyfileobj(items_file, out)
        out.write((("\n    " if total else "") + text[cut:] + "\n").encode("utf-8"))
    return total


def _annotations(project: Project, o: Options, out: BinaryIO) -> None:
    with _trig_of(project, o) as trig:
        write_annotations(_quads(trig), out)


# --- claims as a spreadsheet ------------------------------------------------------------------


def _csv(project: Project, o: Options, out: BinaryIO) -> None:
    from .claims import write_csv

    write_csv(project, out, o.store)


def _xlsx(project: Project, o: Options, out: BinaryIO) -> None:
    from .claims import write_xlsx

    write_xlsx(project, out, o.store)


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
        Format("csv", ".csv", "text/csv; charset=utf-8", "CSV: one row per statement and citation, for spreadsheets", _csv),
        Format(
            "xlsx", ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Excel workbook: one row per statement and citation", _xlsx,
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
        with atomic_file(path) as fh:
            exporter.write(project, Options(graph=graph, store=store), fh)
            size = fh.tell()
    except OSError as exc:
        raise OutputError(f"cannot write the export ({exc.strerror or exc})", f"at {path}", "choose another path") from exc
    return size
