"""Claims as a spreadsheet: one row per cited statement and citation (``kg export -f csv|xlsx``).

Journalists work in spreadsheets, so this export is for reading and filtering, not for RDF tools:
names instead of IRIs, a readable predicate, dates as ISO text at their precision, and the quote
with its source, position and a link to the words.  The columns (:data:`COLUMNS`):

=============  =====================================================================================
``subject``    the name of what the statement is about
``predicate``  the property in words ("conducted by", "number of officers")
``object``     the name, value or date the statement gives
``speaker``    who said it, for a statement about a quotation (its ``schema:creator``, or how the
               source describes an unnamed speaker)
``date``       when the subject happened or was said, ISO at its precision (``2018-03``): an event's
               start or due date, a quotation's date, as precise as the sources agree on
``status``     ``done``, ``planned`` (an event with ``schema:eventStatus schema:EventScheduled``) or
               ``recommended`` (``kg:EventRecommended``, or a recommendation)
``source``     the title of the cited source, then ``publisher``, and ``url`` with a ``#:~:text=``
               fragment that opens the page at the quoted words where the URL allows one
``quote``      the cited words, verbatim, then ``start`` and ``end``: their character offsets
``sources``    how many sources state the statement
``conflict``   ``yes`` when the statement is a side of a recorded conflict between sources
``statement``  the statement's compact IRI, to find it again with ``kg query``
=============  =====================================================================================

Rows are ordered by source, position and statement.  In the CSV (UTF-8 with a byte-order mark,
so that spreadsheet programs detect it; RFC 4180 quoting) a cell that a spreadsheet would read as
a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is neutralised by
a leading apostrophe; in the XLSX every text cell is a string cell, never a formula.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

import pyoxigraph as ox

from . import ids
from .errors import OutputError
from .model import PartialDate
from .project import Project

COLUMNS = (
    "subject", "predicate", "object", "speaker", "date", "status", "source", "publisher", "url",
    "quote", "start", "end", "sources", "conflict", "statement",
)
SCHEMA = ids.PREFIXES["schema"]
KG = ids.KG
#: What an event's ``schema:eventStatus`` makes it; anything else, or none, is ``done``.
STATUS = {SCHEMA + "EventScheduled": "planned", KG + "EventRecommended": "recommended"}
#: How a property is named when neither kg's ontology nor schema.org's name reads well.
PREDICATE_NAMES = {
    "schema:startDate": "date",
    "schema:dateCreated": "date",
    "schema:datePublished": "publication date",
    "schema:text": "text",
    "schema:creator": "creator",
    "schema:agent": "done by",
    "schema:object": "object",
    "schema:recipient": "recipient",
    "schema:location": "location",
    "schema:containedInPlace": "in",
    "schema:author": "author",
    "schema:about": "about",
    "schema:roleName": "role as worded",
    "schema:eventStatus": "status",
    "kg:foundBy": "found by",
    "kg:conductedBy": "conducted by",
}
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
_DATES = (SCHEMA + "startDate", KG + "dueDate", SCHEMA + "dateCreated")
_P = "".join(f"PREFIX {k}: <{v}>\n" for k, v in sorted(ids.PREFIXES.items()) if k in ("rdf", "rdfs", "oa", "kg", "schema"))

_STATEMENTS = _P + """
SELECT ?st ?s ?p ?o ?n WHERE {
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL { ?st kg:sourceCount ?n }
}"""
_NAMES = _P + "SELECT ?e ?l WHERE { ?e rdfs:label ?l }"
_TYPES = _P + "SELECT ?e ?t WHERE { ?e a ?t }"
_SOURCES = _P + """
SELECT ?s ?name ?publisher ?url WHERE {
  ?s a kg:Source .
  OPTIONAL { ?s schema:name ?name } OPTIONAL { ?s schema:publisher ?publisher } OPTIONAL { ?s schema:url ?url }
}"""
_CONFLICTING = _P + f"SELECT DISTINCT ?st WHERE {{ GRAPH <{ids.CONFLICTS_GRAPH}> {{ ?c kg:statement ?st }} }}"
_CITATIONS = _P + """
SELECT ?g ?st ?start ?end ?exact ?prefix ?suffix WHERE {
  GRAPH ?g {
    ?a oa:hasBody ?st ; oa:motivatedBy oa:describing ; oa:hasTarget ?t .
    ?t oa:hasSelector ?qs , ?ps .
    ?qs oa:exact ?exact . OPTIONAL { ?qs oa:prefix ?prefix } OPTIONAL { ?qs oa:suffix ?suffix }
    ?ps oa:start ?start ; oa:end ?end .
  }
}"""


@dataclass(frozen=True)
class Claim:
    """One row: a statement and one of its citations."""

    subject: str
    predicate: str
    object: str
    speaker: str
    date: str
    status: str
    source: str
    publisher: str
    url: str
    quote: str
    start: int
    end: int
    sources: int
    conflict: bool
    statement: str

    def cells(self) -> list[Any]:
        return [getattr(self, c) if c != "conflict" else ("yes" if self.conflict else "no") for c in COLUMNS]


def _v(term: Any) -> str:
    return str(term.value)


def _query(store: ox.Store, sparql: str) -> Iterator[Any]:
    result = store.query(sparql)
    assert isinstance(result, ox.QuerySolutions)
    yield from result


def predicate_name(predicate: str, labels: dict[str, str]) -> str:
    """A property in words: kg's own name for it in ``ontology/``, else from its local name."""
    curie = ids.compact(predicate)
    if curie in PREDICATE_NAMES:
        return PREDICATE_NAMES[curie]
    if predicate in labels:
        return labels[predicate]
    local = re.split(r"[#/:]", predicate)[-1]
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).lower()


def _property_labels() -> dict[str, str]:
    from rdflib import Graph
    from rdflib.namespace import RDFS

    from .resources import ontology_dir

    g = Graph().parse(ontology_dir() / "kg.ttl", format="turtle")
    return {str(s): str(o) for s, o in g.subject_objects(RDFS.label)}


def _most_precise(values: list[str]) -> str:
    """The most precise of dates that agree (the first in date order when they do not)."""
    dates = []
    for v in values:
        try:
            dates.append(PartialDate.parse(v))
        except ValueError:
            continue
    if not dates:
        return ""
    rank = {"day": 0, "month": 1, "year": 2}
    dates.sort(key=lambda d: (d.first_day(), rank[d.precision]))
    best = dates[0]
    for d in dates[1:]:
        if best.contains(d) and d != best:
            best = d
    return best.iso()


def claims(project: Project, store: ox.Store | None = None) -> Iterator[Claim]:
    """Every citation of every statement, as a :class:`Claim`, by source, position and statement."""
    from .dataset import open_store
    from .factsheet import safe_url, text_fragment
    from .vocab import vocabulary

    store = store if store is not None else open_store(project)
    names: dict[str, str] = {}
    for row in _query(store, _NAMES):
        names.setdefault(_v(row["e"]), _v(row["l"]))
    names.update({ids.expand(k): v for k, v in vocabulary().labels.items()})
    types: dict[str, set[str]] = defaultdict(set)
    for row in _query(store, _TYPES):
        types[_v(row["e"])].add(_v(row["t"]))
    labels = _property_labels()

    statements: dict[str, tuple[str, str, Any, int]] = {}
    about: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))  # subject -> predicate -> values
    for row in _query(store, _STATEMENTS):
        st, s, p, o = _v(row["st"]), _v(row["s"]), _v(row["p"]), row["o"]
        statements[st] = (s, p, o, int(_v(row["n"])) if row["n"] is not None else 0)
        about[s][p].append(_v(o))
    conflicting = {_v(row["st"]) for row in _query(store, _CONFLICTING)}

    def name(term: Any) -> str:
        if isinstance(term, ox.NamedNode):
            return names.get(term.value, ids.compact(term.value))
        return _v(term)

    def speaker(s: str) -> str:
        said = about.get(s, {})
        creators = [names.get(c, ids.compact(c)) for c in said.get(SCHEMA + "creator", ())]
        if SCHEMA + "Quotation" not in types.get(s, ()):
            return ""
        return "; ".join(sorted(creators or said.get(KG + "speakerDescription", [])))

    def date(s: str) -> str:
        said = about.get(s, {})
        for d in _DATES:
            if d in said:
                return _most_precise(said[d])
        return ""

    def status(s: str) -> str:
        for v in about.get(s, {}).get(SCHEMA + "eventStatus", ()):
            if v in STATUS:
                return STATUS[v]
        if KG + "Recommendation" in types.get(s, ()):
            return "recommended"
        return "done"

    sources = {}
    for row in _query(store, _SOURCES):
        iri = _v(row["s"])
        sources[iri] = tuple(_v(row[k]) if row[k] is not None else "" for k in ("name", "publisher", "url"))
    # every citation in one pass over the source graphs: a query per graph would scan the store
    # once per source, which grows with the square of the corpus
    cited: dict[str, list[tuple[int, int, str, str, str, str]]] = defaultdict(list)
    for row in _query(store, _CITATIONS):
        st = _v(row["st"])
        if st in statements:
            cited[_v(row["g"])].append((int(_v(row["start"])), int(_v(row["end"])), st, _v(row["exact"]),
                                        _v(row["prefix"]) if row["prefix"] is not None else "",
                                        _v(row["suffix"]) if row["suffix"] is not None else ""))
    for src in sorted(sources, key=lambda i: i.removeprefix(ids.source_iri(""))):
        doc_id = src.removeprefix(ids.source_iri(""))
        title, publisher, url = sources[src]
        link = safe_url(url) or ""
        try:
            text: str | None = project.text_of(doc_id) if link and "#" not in link else None
        except OutputError:
            text = None
        for start, end, st, exact, prefix, suffix in sorted(set(cited.get(src, ()))):
            s, p, o, n = statements[st]
            where = link
            if text is not None and text[start:end] == exact:
                where = link + "#" + text_fragment(text, exact, prefix, suffix, start, end)
            yield Claim(
                names.get(s, ids.compact(s)), predicate_name(p, labels), name(o), speaker(s), date(s),
                status(s), title or doc_id, publisher, where, exact, start, end, n, st in conflicting,
                ids.compact(st),
            )


def neutralise(cell: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula, made inert with a leading apostrophe."""
    if isinstance(cell, str) and cell.startswith(_FORMULA):
        return "'" + cell
    return cell


def write_csv(project: Project, out: BinaryIO, store: ox.Store | None = None) -> int:
    """The claims as CSV (UTF-8 with a byte-order mark, CRLF rows); the number of rows."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    try:
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        n = 0
        for claim in claims(project, store):
            writer.writerow([neutralise(c) for c in claim.cells()])
            n += 1
        text.flush()
    finally:
        text.detach()
    return n


def write_xlsx(project: Project, out: BinaryIO, store: ox.Store | None = None) -> int:
    """The claims as an Excel workbook (one sheet, ``claims``, its header row frozen); the number of rows."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("claims")
    ws.freeze_panes = "A2"
    widths = {"subject": 30, "predicate": 18, "object": 30, "quote": 60, "source": 30, "url": 30}
    for i, col in enumerate(COLUMNS):
        ws.column_dimensions[chr(ord("A") + i)].width = widths.get(col, 12)
    bold = Font(bold=True)
    header = []
    for col in COLUMNS:
        cell = WriteOnlyCell(ws, value=col)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    n = 0
    for claim in claims(project, store):
        row = []
        for value in claim.cells():
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)  # control characters XML cannot hold
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever it starts with
            row.append(cell)
        ws.append(row)
        n += 1
    buf = io.BytesIO()
    wb.save(buf)
    out.write(_deterministic_zip(buf.getvalue()))
    return n


#: The time written into the workbook's metadata and zip entries, so the same dataset gives the same bytes.
_EPOCH = (1980, 1, 1, 0, 0, 0)
_W3CDTF = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _deterministic_zip(data: bytes) -> bytes:
    """``data`` (an XLSX, a zip) with every entry's time and the document's created and modified
    times set to :data:`_EPOCH`, entries in the same order."""
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _W3CDTF.sub(rb"\g<1>1980-01-01T00:00:00Z\g<2>", body)
            entry = zipfile.ZipInfo(info.filename, date_time=_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, body)
    return out.getvalue()
