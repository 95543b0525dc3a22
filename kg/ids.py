"""Namespaces and deterministic IRIs, as plain strings (no rdflib).

Every IRI kg mints is derived from content: a document id, a canonical name, character offsets
or a hash of the triple a statement supports.  Nothing depends on counters, time or order.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

from .kinds import kind, kinds

#: kg's own ontology terms.
KG = "https://kg.example/ns#"
#: IRIs of the things kg describes (sources, entities, statements, citations).
#: ``.example`` is a reserved top-level domain: these IRIs name things, they are not links.
ID = "https://kg.example/id/"

PREFIXES: dict[str, str] = {
    "kg": KG,
    "kgid": ID,
    "schema": "https://schema.org/",
    "oa": "http://www.w3.org/ns/oa#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "sh": "http://www.w3.org/ns/shacl#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    # kg's vocabularies (ontology/*.ttl)
    "misconduct": KG.rstrip("#") + "/misconduct/",
    "outcome": KG.rstrip("#") + "/outcome/",
    "title": KG.rstrip("#") + "/title/",
    "etype": KG.rstrip("#") + "/event-type/",
    "cue": KG.rstrip("#") + "/cue/",
}

RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"
SKOS_ALT = PREFIXES["skos"] + "altLabel"

#: The named graph that holds derived records: conflicts between sources.
CONFLICTS_GRAPH = ID + "graph/conflicts"
#: The named graph of what the curation file decided (user-contributed, not said by a source).
CURATION_GRAPH = ID + "graph/curation"
#: The named graphs that are not a source's: what kg derived, and what people decided.
RECORD_GRAPHS = (CONFLICTS_GRAPH, CURATION_GRAPH)


def expand(curie: str) -> str:
    """``schema:Person`` → ``https://schema.org/Person``; full IRIs pass through."""
    if curie.startswith(("http://", "https://", "urn:")):
        return curie
    prefix, _, local = curie.partition(":")
    try:
        return PREFIXES[prefix] + local
    except KeyError:
        raise ValueError(f"unknown prefix in {curie!r}") from None


_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
_NAMESPACE_PREFIX: dict[str, str] = {}  # filled below, once PREFIXES is complete


def compact(iri: str) -> str:
    """The shortest CURIE for ``iri`` under :data:`PREFIXES`, or the IRI itself.

    Every namespace ends in ``/`` or ``#`` and a local name holds neither, so the namespace is
    the IRI up to its last ``/`` or ``#``: one dictionary lookup (exports compact millions of IRIs).
    """
    cut = max(iri.rfind("/"), iri.rfind("#")) + 1
    prefix = _NAMESPACE_PREFIX.get(iri[:cut])
    local = iri[cut:]
    if prefix is None or not _LOCAL.fullmatch(local) or local.endswith("."):
        return iri
    return f"{prefix}:{local}"


@functools.lru_cache(maxsize=1 << 16)
def slug(text: str, limit: int = 60) -> str:
    """A lower-case ASCII slug of ``text`` ("Jane Roe" → "jane-roe")."""
    text = unicodedata.normalize("NFKD", text.replace("’", "").replace("'", ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).encode("ascii", "ignore").decode()
    out = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(out) > limit:
        out = out[:limit].rsplit("-", 1)[0]
    return out or "x"


def digest(*parts: str, size: int = 16) -> str:
    """A short hex digest of ``parts`` (joined unambiguously)."""
    h = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return h[:size]


def source_iri(doc_id: str) -> str:
    return f"{ID}source/{doc_id}"


def target_iri(doc_id: str, start: int, end: int) -> str:
    """The cited characters ``[start, end)`` of a source: an ``oa:SpecificResource``.

    Its selectors are this IRI plus ``.quote`` and ``.position``.
    """
    return f"{ID}target/{doc_id}.{start}-{end}"


#: Path segment of entity IRIs by class CURIE (``ontology/kinds.ttl``).
TYPE_SEGMENTS: dict[str, str] = {k.curie: k.segment for k in kinds()}
#: Classes of facts told about named things (a quotation, an event, a finding …) rather than of
#: named things: co-mentions are counted between entities of the other classes.
FACT_TYPES = frozenset(k.curie for k in kinds() if k.fact)


def segment(type_curie: str) -> str:
    """The IRI path segment of a class; a class with no kind is an error, never "thing"."""
    return kind(type_curie).segment


#: Prefixes for kg's own IRIs, one per path segment: ``person:jane-roe``, ``statement:0a1b…``.
DATA_SEGMENTS = ("source", "target", "statement", "annotation", "conflict", "comention")
for _segment in (*DATA_SEGMENTS, *sorted(set(TYPE_SEGMENTS.values()))):
    PREFIXES[_segment] = f"{ID}{_segment}/"
for _prefix, _ns in PREFIXES.items():
    assert _ns.endswith(("/", "#")), _ns
    if len(_prefix) < len(_NAMESPACE_PREFIX.get(_ns, _prefix + "?")):
        _NAMESPACE_PREFIX[_ns] = _prefix  # a namespace's shortest prefix, the first of equals


def entity_iri(type_curie: str, label: str, identity: tuple[str, ...] = ()) -> str:
    """IRI of an entity: its type and canonical name; derived entities add a hash of their identity."""
    seg = segment(type_curie)
    if identity:
        return f"{ID}{seg}/{slug(label, 40)}-{digest(type_curie, *identity, size=10)}"
    return f"{ID}{seg}/{slug(label)}"


def statement_iri(s: str, p: str, o: str) -> str:
    """The ``rdf:Statement`` for a triple: the same triple from any source is one statement."""
    return f"{ID}statement/{digest(s, p, o)}"


def annotation_iri(doc_id: str, start: int, end: int, body: str, motivation: str) -> str:
    return f"{ID}annotation/{digest(doc_id, str(start), str(end), body, motivation)}"


def conflict_iri(s: str, p: str) -> str:
    return f"{ID}conflict/{digest(s, p)}"


def comention_iri(a: str, b: str) -> str:
    """Two entities named in one sentence (``a`` < ``b``)."""
    return f"{ID}comention/{digest(a, b)}"
