"""The kinds of entity kg makes, read from ``ontology/kinds.ttl``: one table for ids, the fact
sheets, the site and the CLI.

Each kind has its class (a CURIE), the path segment of its IRIs, its singular and plural names,
its colour in the network, its place in indexes, and whether it is a fact told about named things
(a quotation, an event, a finding …) rather than a named thing.  A class with no entry has no
segment: :func:`segment` raises, so a new class cannot fall back silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from .resources import ontology_dir

_NAMESPACES = {"https://schema.org/": "schema:", "https://kg.example/ns#": "kg:"}


@dataclass(frozen=True)
class Kind:
    curie: str  # "schema:Person"
    segment: str  # "person": the IRI path segment
    singular: str  # "person", as fact sheets and the site name one
    plural: str  # "People", an index heading
    colour: str  # "#1f77b4", in the network and its legend
    order: int  # place in indexes
    fact: bool  # a fact about named things (co-mentions are counted between the others)


def _curie(iri: str) -> str:
    for ns, prefix in _NAMESPACES.items():
        if iri.startswith(ns):
            return prefix + iri[len(ns) :]
    raise ValueError(f"ontology/kinds.ttl: a kind's class {iri} is in no namespace kg knows")


@cache
def kinds() -> tuple[Kind, ...]:
    """Every kind, in index order (parsed with pyoxigraph: rdflib stays out of ``kg query``)."""
    import pyoxigraph as ox

    kg, skos = "https://kg.example/ns#", "http://www.w3.org/2004/02/skos/core#"
    path = ontology_dir() / "kinds.ttl"
    props: dict[str, dict[str, Any]] = {}
    typed: set[str] = set()  # the nodes that are a kg:Kind
    for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        s, p, o = triple.subject, triple.predicate.value, triple.object
        if p == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" and o.value == kg + "Kind":
            typed.add(s.value)
        elif isinstance(o, (ox.Literal, ox.NamedNode)):
            props.setdefault(s.value, {})[p] = o
    out = []
    for node in sorted(typed):
        values = props.get(node, {})

        def one(p: str, node: str = node, values: dict[str, Any] = values) -> str:
            if p not in values:
                raise ValueError(f"{path}: the kind {node} has no {p}")
            return str(values[p].value)

        out.append(Kind(
            curie=_curie(one(kg + "kindClass")), segment=one(kg + "segment"), singular=one(skos + "prefLabel"),
            plural=one(kg + "plural"), colour=one(kg + "colour"), order=int(one(kg + "order")),
            fact=one(kg + "fact") == "true",
        ))
    return tuple(sorted(out, key=lambda k: (k.order, k.curie)))


@cache
def by_curie() -> dict[str, Kind]:
    return {k.curie: k for k in kinds()}


def kind(curie: str) -> Kind:
    """The kind of a class CURIE; a class with no entry in ``ontology/kinds.ttl`` is an error."""
    try:
        return by_curie()[curie]
    except KeyError:
        raise KeyError(f"{curie} has no entry in ontology/kinds.ttl") from None
