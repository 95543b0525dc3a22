"""kg's general vocabularies (``ontology/*.ttl``) as plain Python values for the extractors.

The SKOS files hold the vocabulary of police-conduct reporting: kinds of misconduct,
disciplinary outcomes, job titles and honorifics, kinds of event, and the cue words that tell
what kind of thing a name is.  They are read once per process.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

from .ids import KG as KG_NS
from .ids import compact
from .resources import ontology_dir

KG = Namespace(KG_NS)


@dataclass(frozen=True)
class Concept:
    curie: str
    label: str
    #: every word form that signals the concept (lower case), longest first
    forms: tuple[str, ...]
    broader: tuple[str, ...]


@dataclass(frozen=True)
class Vocabulary:
    misconduct: tuple[Concept, ...]
    outcomes: tuple[Concept, ...]
    roles: tuple[Concept, ...]
    honorifics: tuple[str, ...]
    events: dict[str, tuple[str, ...]]  # event concept CURIE -> verb lemmas that signal it
    event_nouns: dict[str, str]  # noun that names an occurrence -> event concept CURIE
    heads: dict[str, tuple[str, ...]]  # class CURIE -> head words
    prefixes: dict[str, tuple[str, ...]]  # class CURIE -> prefix words
    short_forms: tuple[str, ...]  # "force", "service": "the force" names the organisation
    generic: frozenset[str]  # phrases that are not entities
    known_names: dict[str, str]  # a name that is of one class wherever it stands (a platform, an outlet) -> class
    not_names: frozenset[str]  # abbreviations that name no entity (ranks, offences, techniques)
    single_valued: frozenset[str]  # property IRIs whose differing values are conflicts
    labels: dict[str, str]  # concept CURIE -> display label
    fingerprint: str  # hash of the ontology files, for caches

    def ancestors(self, curie: str) -> frozenset[str]:
        """The concepts broader than ``curie``, transitively ("outcome:dismissal" of
        "outcome:dismissal-gross-misconduct")."""
        table = _ANCESTORS.get(self.fingerprint)
        if table is None:
            table = _ANCESTORS[self.fingerprint] = _ancestors(self.misconduct + self.outcomes + self.roles)
        return table.get(curie, frozenset())

    def concept(self, curie: str) -> Concept:
        for c in self.misconduct + self.outcomes + self.roles:
            if c.curie == curie:
                return c
        raise KeyError(curie)


#: Each vocabulary's table of broader concepts, by the vocabulary's fingerprint.
_ANCESTORS: dict[str, dict[str, frozenset[str]]] = {}


def _ancestors(concepts: tuple[Concept, ...]) -> dict[str, frozenset[str]]:
    broader = {c.curie: c.broader for c in concepts}
    out: dict[str, frozenset[str]] = {}
    for curie in broader:
        seen: set[str] = set()
        todo = list(broader[curie])
        while todo:
            b = todo.pop()
            if b not in seen:
                seen.add(b)
                todo.extend(broader.get(b, ()))
        out[curie] = frozenset(seen)
    return out


def _concepts(g: Graph, scheme: URIRef) -> tuple[Concept, ...]:
    out = []
    for c in sorted(set(g.subjects(SKOS.inScheme, scheme)), key=str):
        assert isinstance(c, URIRef)
        label = str(g.value(c, SKOS.prefLabel))
        forms = {label.lower()}
        for p in (SKOS.altLabel, SKOS.hiddenLabel):
            forms.update(str(o).lower() for o in g.objects(c, p))
        broader = tuple(sorted(compact(str(b)) for b in g.objects(c, SKOS.broader)))
        out.append(
            Concept(compact(str(c)), label, tuple(sorted(forms, key=lambda f: (-len(f), f))), broader)
        )
    return tuple(out)


def _strings(g: Graph, s: URIRef, p: URIRef) -> tuple[str, ...]:
    return tuple(sorted(str(o) for o in g.objects(s, p) if isinstance(o, Literal)))


def load(directory: Path | None = None) -> Vocabulary:
    directory = directory or ontology_dir()
    files = sorted(directory.glob("*.ttl"))
    g = Graph()
    digest = hashlib.sha256()
    for path in files:
        data = path.read_bytes()
        digest.update(path.name.encode() + b"\0" + data)
        g.parse(data=data, format="turtle")
    ns = {p: Namespace(KG_NS.rstrip("#") + f"/{p}/") for p in ("misconduct", "outcome", "title", "event-type", "cue")}
    heads: dict[str, tuple[str, ...]] = {}
    prefixes: dict[str, tuple[str, ...]] = {}
    generic: set[str] = set()
    known_names: dict[str, str] = {}
    not_names: set[str] = set()
    short_forms: tuple[str, ...] = ()
    for cue in sorted(set(g.subjects(SKOS.inScheme, ns["cue"]["scheme"])), key=str):
        assert isinstance(cue, URIRef)
        etype = g.value(cue, KG.entityType)
        if etype is not None:  # cues of one class add up
            heads[str(etype)] = tuple(sorted({*heads.get(str(etype), ()), *_strings(g, cue, KG.head)}))
            prefixes[str(etype)] = tuple(sorted({*prefixes.get(str(etype), ()), *_strings(g, cue, KG.prefix)}))
        generic.update(s.lower() for s in _strings(g, cue, KG.generic))
        short_forms += _strings(g, cue, KG.shortForm)
        if etype is not None:
            for name in _strings(g, cue, KG.name):
                known_names[name] = str(etype)
        not_names.update(_strings(g, cue, KG.acronym))
    event_concepts = [c for c in sorted(set(g.subjects(SKOS.inScheme, ns["event-type"]["scheme"])), key=str) if isinstance(c, URIRef)]
    events = {compact(str(c)): _strings(g, c, KG.trigger) for c in event_concepts}
    event_nouns = {noun: compact(str(c)) for c in event_concepts for noun in _strings(g, c, KG.nounTrigger)}
    honorifics: list[str] = []
    for c in sorted(set(g.subjects(SKOS.inScheme, ns["title"]["honorifics"])), key=str):
        assert isinstance(c, URIRef)
        honorifics.append(str(g.value(c, SKOS.prefLabel)))
        honorifics.extend(_strings(g, c, SKOS.hiddenLabel))
    single = frozenset(str(s) for s in g.subjects(RDF.type, KG.SingleValuedProperty))
    labels = {
        compact(str(c)): str(lbl)
        for c, lbl in g.subject_objects(SKOS.prefLabel)
        if isinstance(c, URIRef)
    }
    return Vocabulary(
        misconduct=_concepts(g, ns["misconduct"]["scheme"]),
        outcomes=_concepts(g, ns["outcome"]["scheme"]),
        roles=_concepts(g, ns["title"]["scheme"]),
        honorifics=tuple(sorted(set(h.rstrip(".") for h in honorifics))),
        events=events,
        event_nouns=event_nouns,
        heads=heads,
        prefixes=prefixes,
        short_forms=tuple(sorted(set(short_forms))),
        generic=frozenset(generic),
        known_names=dict(sorted(known_names.items())),
        not_names=frozenset(not_names),
        single_valued=single,
        labels=labels,
        fingerprint=digest.hexdigest(),
    )


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The vocabulary of the installed ontology, read once per process."""
    return load()
