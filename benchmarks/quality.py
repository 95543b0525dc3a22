#!/usr/bin/env python3
"""Extraction quality: score a built graph against the hand-written expected facts of the corpus.

Usage::

    python benchmarks/quality.py [PROJECT_DIR] [--json] [--baseline tests/expected/quality_baseline.json]
                                 [--expected tests/expected/corpus_facts.toml]

For each category (entities, aliases, references, quotations, roles, events, findings,
recommendations, outcomes, counts) it prints how many items the expected-facts file lists, how
many of them the graph holds (recall), how many items of that category the graph holds and how
many of those match an expected item (precision), then the misses and the junk.

- recall    = expected items found / expected items
- precision = extracted items matching an expected item / extracted items of the category
  (entities: the named-entity classes only; an extracted entity that matches nothing, or a second
  entity for an already matched one, is junk).

Each document is scored in its own named graph (``GRAPH <https://kg.example/id/source/<doc>>``).
Matching ignores case, curly vs straight quotes, U+00A0 and runs of white space, a leading
article and a trailing possessive; the conventions of the expected facts are described at the top
of tests/expected/corpus_facts.toml.

With ``--baseline`` the script exits 1 when any recall or precision is below its floor.  With no
built dataset in PROJECT_DIR it says to run ``kg build`` and exits 2.

Importable: ``score(project) -> dict`` (a :class:`kg.project.Project`) and
``score_store(store, expected) -> dict`` (any pyoxigraph store and the parsed expected facts).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

REPO = Path(__file__).resolve().parent.parent
EXPECTED = REPO / "tests" / "expected" / "corpus_facts.toml"
BASELINE = REPO / "tests" / "expected" / "quality_baseline.json"

ID = "https://kg.example/id/"
SOURCE = ID + "source/"
PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "oa": "http://www.w3.org/ns/oa#",
    "schema": "https://schema.org/",
    "kg": "https://kg.example/ns#",
    "misconduct": "https://kg.example/ns/misconduct/",
    "outcome": "https://kg.example/ns/outcome/",
    "title": "https://kg.example/ns/title/",
    "etype": "https://kg.example/ns/event-type/",
}
SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

CATEGORIES = (
    "entities",
    "aliases",
    "references",
    "quotations",
    "roles",
    "events",
    "findings",
    "recommendations",
    "outcomes",
    "counts",
)
#: The classes of named entities (README, "The graph"): what entity precision is measured over.
NAMED_CLASSES = (
    "schema:Person",
    "schema:Organization",
    "schema:Place",
    "schema:SoftwareApplication",
    "kg:Investigation",
    "kg:Review",
    "kg:Movement",
    "kg:Initiative",
    "kg:Poll",
    "schema:CreativeWork",
    "schema:Report",
)
COUNT_PROPERTIES = ("kg:officersInvestigated", "kg:investigationCount", "kg:recommendationCount")


def expand(curie: str) -> str:
    if curie.startswith(("http://", "https://", "urn:")):
        return curie
    prefix, sep, local = curie.partition(":")
    if not sep or prefix not in PREFIXES:
        raise ValueError(f"unknown prefix in {curie!r}")
    return PREFIXES[prefix] + local


def compact(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns) :]}"
    if iri.startswith(ID):
        return iri[len(ID) :]
    return iri


# --- normalisation ------------------------------------------------------------------------------

_FOLD = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "`": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "«": '"',
        "»": '"',
        "\u00a0": " ",
        "\u202f": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u2002": " ",
        "\u2003": " ",
        "–": "-",
        "—": "-",
        "\u2011": "-",
        "\u2010": "-",
    }
)


def norm(text: str) -> str:
    """Case-folded, quotes straightened, odd spaces and runs of white space as one space."""
    return " ".join(unicodedata.normalize("NFC", text).translate(_FOLD).casefold().split())


def norm_name(text: str) -> str:
    """:func:`norm`, without surrounding quotes/punctuation, a leading article or a possessive."""
    t = norm(text).strip(" \"'.,;:!?()[]")
    t = re.sub(r"^(?:the|a|an) ", "", t)
    t = re.sub(r"(?:'s|')$", "", t)
    return t.strip()


_DETERMINER = re.compile(r"^(?:the|a|an|our|its|their|his|her|this|these|that|those|your|my) ")


def norm_ref(text: str) -> str:
    """A referring phrase for comparison: :func:`norm_name` without a leading determiner."""
    return _DETERMINER.sub("", norm_name(text))


def words_in(needle: str, haystack: str) -> bool:
    """``needle`` occurs in ``haystack`` as whole words (after :func:`norm`)."""
    return re.search(rf"(?<!\w){re.escape(norm(needle))}(?!\w)", norm(haystack)) is not None


def norm_quote(text: str) -> str:
    """A quotation's text for prefix matching: :func:`norm` without leading quote marks."""
    return norm(text).lstrip(" \"'")


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


# --- the store ----------------------------------------------------------------------------------


def _py(term: Any) -> str | None:
    if term is None:
        return None
    return str(term.value)


def select(store: ox.Store, query: str) -> list[dict[str, str | None]]:
    """Rows of a SELECT query as dicts of plain strings (IRIs and lexical forms)."""
    solutions = store.query(SPARQL_PREFIXES + query, use_default_graph_as_union=False)
    names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
    return [{n: _py(sol[n]) for n in names} for sol in solutions]  # type: ignore[union-attr]


class DocGraph:
    """What one source's named graph holds, read once."""

    def __init__(self, store: ox.Store, doc: str, global_names: dict[str, set[str]]) -> None:
        self.store = store
        self.doc = doc
        self.iri = SOURCE + doc
        self.global_names = global_names
        self.labels: dict[str, str] = {}
        self.alts: dict[str, set[str]] = defaultdict(set)
        self.types: dict[str, set[str]] = defaultdict(set)
        for row in self.rows("?s a ?t ."):
            self.types[row["s"]].add(row["t"])  # type: ignore[index,arg-type]
        for row in self.rows("?s rdfs:label ?l ."):
            self.labels.setdefault(row["s"], row["l"])  # type: ignore[arg-type]
        for row in self.rows("?s skos:altLabel ?l ."):
            self.alts[row["s"]].add(row["l"])  # type: ignore[index,arg-type]

    @property
    def present(self) -> bool:
        return bool(self.types)

    def rows(self, body: str, extra: str = "") -> list[dict[str, str | None]]:
        return select(self.store, f"SELECT * WHERE {{ GRAPH <{self.iri}> {{ {body} }} {extra} }}")

    def names(self, iri: str) -> set[str]:
        """Normalised names of an entity: its label and aliases here, else anywhere in the dataset."""
        here = {norm_name(n) for n in [self.labels.get(iri, ""), *self.alts.get(iri, ())] if n}
        return here or self.global_names.get(iri, set())

    def describe(self, iri: str) -> str:
        label = self.labels.get(iri)
        if label is None:
            names = sorted(self.global_names.get(iri, ()))
            label = names[0] if names else compact(iri)
        return " ".join(label.split())

    def objects(self, subject_type: str, props: dict[str, str]) -> dict[str, dict[str, set[str]]]:
        """Every node of a type with the values of the given properties (name → set of values)."""
        out: dict[str, dict[str, set[str]]] = {}
        for s, types in self.types.items():
            if expand(subject_type) in types:
                out[s] = {name: set() for name in props}
        if not out:
            return out
        values = " ".join(f"<{expand(p)}>" for p in props.values())
        by_iri = {expand(p): name for name, p in props.items()}
        for row in self.rows(f"?s ?p ?o . VALUES ?p {{ {values} }}"):
            if row["s"] in out:
                out[row["s"]][by_iri[row["p"]]].add(row["o"])  # type: ignore[index,arg-type]
        return out


def global_names(store: ox.Store) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for row in select(store, "SELECT ?s ?l WHERE { GRAPH ?g { ?s rdfs:label|skos:altLabel ?l } }"):
        out[row["s"]].add(norm_name(row["l"]))  # type: ignore[index,arg-type]
    return out


# --- expected entities and name acceptance --------------------------------------------------------


@dataclass
class ExpectedEntity:
    doc: str
    type: str
    label: str
    aliases: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    match: str | None = None

    @property
    def names(self) -> set[str]:
        return {norm_name(self.label), *(norm_name(a) for a in self.aliases)}

    def accepts(self, names: Iterable[str]) -> bool:
        names = set(names)
        if names & self.names:
            return True
        return bool(self.match) and any(norm(self.match) in n for n in names)  # type: ignore[arg-type]

    def accepts_label(self, label: str) -> bool:
        """The extracted canonical label is this entity's canonical label (first-choice match)."""
        if norm_name(label) == norm_name(self.label):
            return True
        return bool(self.match) and norm(self.match) in norm_name(label)  # type: ignore[arg-type]


class Names:
    """Who an expected label stands for: its expected entity (label + aliases), else the label."""

    def __init__(self, entities: list[ExpectedEntity]) -> None:
        self.by_doc: dict[tuple[str, str], ExpectedEntity] = {}
        self.any_doc: dict[str, ExpectedEntity] = {}
        for e in entities:
            self.by_doc.setdefault((e.doc, norm_name(e.label)), e)
            self.any_doc.setdefault(norm_name(e.label), e)

    def entity(self, doc: str, label: str) -> ExpectedEntity:
        key = norm_name(label)
        found = self.by_doc.get((doc, key)) or self.any_doc.get(key)
        return found or ExpectedEntity(doc, "", label)

    def accepts(self, g: DocGraph, label: str, iris: Iterable[str | None]) -> bool:
        """Does any of ``iris`` name the entity expected as ``label``?"""
        want = self.entity(g.doc, label)
        return any(iri and want.accepts(g.names(iri)) for iri in iris)


# --- results ------------------------------------------------------------------------------------


@dataclass
class Tally:
    expected: int = 0
    found: int = 0
    extracted: int = 0
    correct: int = 0
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def hit(self, ok: bool, what: str) -> None:
        self.expected += 1
        if ok:
            self.found += 1
        else:
            self.misses.append(what)

    def item(self, ok: bool, what: str) -> None:
        self.extracted += 1
        if ok:
            self.correct += 1
        else:
            self.wrong.append(what)

    def add(self, other: Tally) -> None:
        self.expected += other.expected
        self.found += other.found
        self.extracted += other.extracted
        self.correct += other.correct
        self.misses += other.misses
        self.wrong += other.wrong

    def figures(self) -> dict[str, Any]:
        return {
            "expected": self.expected,
            "found": self.found,
            "recall": round(self.found / self.expected, 4) if self.expected else None,
            "extracted": self.extracted,
            "correct": self.correct,
            "precision": round(self.correct / self.extracted, 4) if self.extracted else None,
        }


def _short(doc: str) -> str:
    return doc.split("-")[0]


# --- scoring per category -------------------------------------------------------------------------


def _score_entities(g: DocGraph, expected: list[ExpectedEntity], t: dict[str, Tally]) -> dict[str, str]:
    """Entities, aliases and references of one document; returns expected label → extracted IRI."""
    named = {expand(c): c for c in NAMED_CLASSES}
    extracted: dict[str, str] = {}  # iri → class curie
    for iri, types in sorted(g.types.items()):
        for tp in sorted(types):
            if tp in named:
                extracted[iri] = named[tp]
                break
    assigned: dict[str, str] = {}  # expected label → iri
    taken: set[str] = set()
    # First choice: same type and the same canonical label; then: same type and a known alias.
    for first in (True, False):
        for e in expected:
            if e.label in assigned:
                continue
            for iri, tp in extracted.items():
                if iri in taken or tp != e.type:
                    continue
                label = g.labels.get(iri, "")
                ok = e.accepts_label(label) if first else e.accepts(g.names(iri))
                if ok:
                    assigned[e.label] = iri
                    taken.add(iri)
                    break
    ents, aliases, refs = t["entities"], t["aliases"], t["references"]
    by_label = {e.label: e for e in expected}
    tag = _short(g.doc)
    for e in expected:
        iri = assigned.get(e.label)
        if iri is None:
            near = [f"{g.describe(i)} ({tp})" for i, tp in extracted.items() if e.accepts(g.names(i))]
            why = f"; found only as {', '.join(near)}" if near else ""
            ents.hit(False, f"{tag}: {e.type} {e.label!r}{why}")
        else:
            ents.hit(True, "")
        have = g.names(iri) if iri else set()
        for alias in e.aliases:
            aliases.hit(norm_name(alias) in have, f"{tag}: {e.label!r} alias {alias!r}")
    for iri, tp in extracted.items():
        owner = next((lab for lab, i in assigned.items() if i == iri), None)
        if owner is not None:
            ents.item(True, "")
            continue
        dup = next((e.label for e in expected if e.type == tp and e.accepts(g.names(iri))), None)
        other = next((e for e in expected if e.type != tp and e.accepts(g.names(iri))), None)
        label = norm_name(g.labels.get(iri, ""))
        near = next(
            (
                e.label
                for e in expected
                if e.type == tp and label and (words_in(e.label, label) or words_in(label, e.label))
            ),
            None,
        )
        if dup:
            why = f"duplicate of {dup!r}"
        elif other:
            why = f"typed {tp}, expected {other.type} {other.label!r}"
        elif near:
            why = f"not the name of {near!r}"
        else:
            why = "junk"
        ents.item(False, f"{tag}: {tp} {g.describe(iri)!r} ({why})")
    # Aliases: every skos:altLabel of an extracted named entity.
    for iri in extracted:
        owner = next((lab for lab, i in assigned.items() if i == iri), None)
        e = by_label.get(owner) if owner else None
        seen: set[str] = set()
        for alt in sorted(g.alts.get(iri, ())):
            key = norm_name(alt)
            if key in seen:
                continue
            seen.add(key)
            ok = e is not None and (key in e.names or (bool(e.match) and norm(e.match or "") in key))
            aliases.item(ok, f"{tag}: {alt!r} as an alias of {g.describe(iri)!r}")
    # References: mentions of a matched entity whose words are not one of its names.
    mentions: dict[str, set[str]] = defaultdict(set)
    raw: dict[tuple[str, str], str] = {}
    for row in g.rows(
        "?a oa:motivatedBy oa:identifying ; oa:hasBody ?e ; oa:hasTarget ?t . "
        "?t oa:hasSelector ?sel . ?sel oa:exact ?x ."
    ):
        key = norm_ref(row["x"] or "")
        mentions[row["e"]].add(key)  # type: ignore[index]
        raw.setdefault((row["e"], key), row["x"])  # type: ignore[arg-type]
    for e in expected:
        iri = assigned.get(e.label)
        forms = mentions.get(iri, set()) if iri else set()
        for ref in e.references:
            refs.hit(norm_ref(ref) in forms, f"{tag}: {e.label!r} referred to as {ref!r}")
        if iri is None:
            continue
        wanted = {norm_ref(r) for r in e.references}
        own = {norm_ref(n) for n in [g.labels.get(iri, ""), *g.alts.get(iri, ()), e.label, *e.aliases]}
        for form in sorted(forms - own):
            refs.item(form in wanted, f"{tag}: {raw[(iri, form)]!r} as a reference to {e.label!r}")
    return assigned


def _speaker_ok(g: DocGraph, names: Names, q: dict[str, set[str]], exp: dict[str, Any]) -> bool:
    if "speaker_description" in exp:
        want = norm_name(exp["speaker_description"])
        return any(words_in(want, norm_name(d)) or words_in(norm_name(d), want) for d in q["description"] if d)
    for option in as_list(exp.get("speaker")):
        if option == "":
            if not q["creator"] and not q["description"]:
                return True
        elif names.accepts(g, option, q["creator"]):
            return True
    return False


def _score_quotations(g: DocGraph, names: Names, facts: dict[str, list], tally: Tally) -> None:
    tag = _short(g.doc)
    quotes = g.objects(
        "schema:Quotation",
        {"text": "schema:text", "creator": "schema:creator", "description": "kg:speakerDescription"},
    )
    expected = [x for x in facts.get("quotation", []) if x["doc"] == g.doc]
    terms = {norm_name(x["text"]) for x in facts.get("term", []) if x["doc"] == g.doc}

    def text_ok(q: dict[str, set[str]], exp: dict[str, Any]) -> bool:
        return any(norm_quote(t).startswith(norm_quote(exp["starts"])) for t in q["text"])

    for exp in expected:
        same_text = [q for q in quotes.values() if text_ok(q, exp)]
        ok = any(_speaker_ok(g, names, q, exp) for q in same_text)
        why = "not found"
        if same_text and not ok:
            who = sorted(
                {g.describe(c) for q in same_text for c in q["creator"]}
                | {d for q in same_text for d in q["description"]}
            )
            why = f"wrong speaker ({', '.join(who) or 'none'})"
        want = exp.get("speaker_description") or exp.get("speaker")
        tally.hit(ok, f"{tag}: “{exp['starts']}…” by {want!r}: {why}")
    for _iri, q in sorted(quotes.items()):
        text = next(iter(sorted(q["text"])), "")
        ok = any(text_ok(q, exp) and _speaker_ok(g, names, q, exp) for exp in expected)
        if ok:
            tally.item(True, "")
            continue
        if norm_name(text) in terms:
            why = "a scare quote / term, not a quotation"
        elif any(text_ok(q, exp) for exp in expected):
            who = sorted({g.describe(c) for c in q["creator"]} | q["description"])
            why = f"wrong speaker ({', '.join(who) or 'none'})"
        else:
            why = "not an expected quotation"
        tally.item(False, f"{tag}: “{text[:60]}{'…' if len(text) > 60 else ''}” ({why})")


def _score_roles(g: DocGraph, names: Names, facts: dict[str, list], tally: Tally) -> None:
    tag = _short(g.doc)
    roles = g.objects(
        "kg:Role",
        {"holder": "kg:holder", "type": "kg:roleType", "org": "kg:organization", "area": "kg:area"},
    )
    expected = [x for x in facts.get("role", []) if x["doc"] == g.doc]

    def ok(r: dict[str, set[str]], exp: dict[str, Any]) -> bool:
        return (
            expand(exp["title"]) in r["type"]
            and names.accepts(g, exp["person"], r["holder"])
            and names.accepts(g, exp["organization"], r["org"])
            and ("area" not in exp or names.accepts(g, exp["area"], r["area"]))
        )

    for exp in expected:
        where = f" for {exp['area']}" if "area" in exp else ""
        tally.hit(
            any(ok(r, exp) for r in roles.values()),
            f"{tag}: {exp['person']} — {exp['title']} of {exp['organization']}{where}",
        )
    for _iri, r in sorted(roles.items()):
        desc = ", ".join(
            [
                "/".join(sorted(g.describe(h) for h in r["holder"])) or "?",
                "/".join(sorted(compact(x) for x in r["type"])) or "?",
                "/".join(sorted(g.describe(o) for o in r["org"])) or "?",
            ]
        )
        tally.item(any(ok(r, exp) for exp in expected), f"{tag}: role {desc}")


def _score_events(g: DocGraph, names: Names, facts: dict[str, list], tally: Tally) -> None:
    tag = _short(g.doc)
    events = g.objects(
        "schema:Event",
        {
            "type": "kg:eventType",
            "agent": "schema:agent",
            "object": "schema:object",
            "recipient": "schema:recipient",
            "start": "schema:startDate",
            "due": "kg:dueDate",
        },
    )
    for ev in events.values():
        ev["who"] = ev["agent"] | ev["object"] | ev["recipient"]
    # A poll is dated by schema:dateCreated and conducted by kg:conductedBy (README): the same
    # fact as an etype:conducted event.
    for iri, poll in g.objects("kg:Poll", {"start": "schema:dateCreated", "who": "kg:conductedBy"}).items():
        if poll["start"]:
            events[iri] = {**poll, "type": {expand("etype:conducted")}, "due": set()}
    # The words a date was resolved from: kg:resolvedFrom on this document's citation of the date
    # statement (README, "The graph") or on the rdf:Statement itself (the earlier contract).
    # Only this document's graph counts: another source's resolution is not this one's.
    resolved: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for row in g.rows(
        "?st a rdf:Statement ; rdf:subject ?e ; rdf:predicate ?p ; rdf:object ?d . "
        "OPTIONAL { { ?st kg:resolvedFrom ?rf } UNION "
        "{ ?a oa:motivatedBy oa:describing ; oa:hasBody ?st ; kg:resolvedFrom ?rf } } "
        "VALUES ?p { schema:startDate kg:dueDate schema:dateCreated }"
    ):
        key = (row["e"], row["p"], row["d"])
        resolved.setdefault(key, set())  # type: ignore[arg-type]
        if row["rf"]:
            resolved[key].add(row["rf"])  # type: ignore[index]
    start_props = {expand("schema:startDate"), expand("schema:dateCreated")}

    def rfs(iri: str, date: str, due: bool) -> set[str]:
        props = {expand("kg:dueDate")} if due else start_props
        out: set[str] = set()
        for (e, p, d), words in resolved.items():
            if e == iri and p in props and d == date:
                out |= words
        return out

    def ok(iri: str, ev: dict[str, set[str]], exp: dict[str, Any]) -> bool:
        due = bool(exp.get("due"))
        if not {expand(t) for t in as_list(exp["type"])} & ev["type"]:
            return False
        if str(exp["date"]) not in (ev["due"] if due else ev["start"]):
            return False
        words = rfs(iri, str(exp["date"]), due)
        if "resolved_from" in exp:
            # The recorded words may hold more than the expected ones (a gloss: "… (2021)").
            if not any(words_in(exp["resolved_from"], w) for w in words):
                return False
        elif words:
            return False
        return all(names.accepts(g, p, ev["who"]) for p in exp.get("participants", []))

    expected = [x for x in facts.get("event", []) if x["doc"] == g.doc]
    for exp in expected:
        how = f" (from {exp['resolved_from']!r})" if "resolved_from" in exp else ""
        kind = "due " if exp.get("due") else ""
        tally.hit(
            any(ok(i, ev, exp) for i, ev in events.items()),
            f"{tag}: {'/'.join(as_list(exp['type']))} {kind}{exp['date']}{how} {exp.get('participants', [])}",
        )
    for iri, ev in sorted(events.items()):
        if not (ev["start"] or ev["due"]):
            continue  # only dated events are scored
        dates = [*(f"{d}" for d in sorted(ev["start"])), *(f"due {d}" for d in sorted(ev["due"]))]
        words = sorted(set().union(*(rfs(iri, d, False) for d in ev["start"]), *(rfs(iri, d, True) for d in ev["due"])))
        desc = (
            f"{'/'.join(sorted(compact(x) for x in ev['type'])) or '?'} {', '.join(dates)}"
            f"{' from ' + repr(words) if words else ''} [{', '.join(sorted(g.describe(w) for w in ev['who']))}]"
        )
        tally.item(any(ok(iri, ev, exp) for exp in expected), f"{tag}: {desc}")


def _score_findings(g: DocGraph, names: Names, facts: dict[str, list], tally: Tally) -> None:
    tag = _short(g.doc)
    found = g.objects("kg:Finding", {"type": "kg:misconductType", "by": "kg:foundBy"})
    expected = [x for x in facts.get("finding", []) if x["doc"] == g.doc]

    def ok(f: dict[str, set[str]], exp: dict[str, Any]) -> bool:
        return expand(exp["misconduct"]) in f["type"] and any(
            names.accepts(g, who, f["by"]) for who in as_list(exp["found_by"])
        )

    for exp in expected:
        tally.hit(
            any(ok(f, exp) for f in found.values()),
            f"{tag}: {exp['misconduct']} found by {as_list(exp['found_by'])[0]}",
        )
    for _iri, f in sorted(found.items()):
        desc = f"{'/'.join(sorted(compact(x) for x in f['type'])) or '?'} found by {'/'.join(sorted(g.describe(b) for b in f['by'])) or '?'}"
        tally.item(any(ok(f, exp) for exp in expected), f"{tag}: {desc}")


def _score_recommendations(g: DocGraph, names: Names, facts: dict[str, list], tally: Tally) -> None:
    tag = _short(g.doc)
    recs = g.objects("kg:Recommendation", {"text": "schema:text", "by": "kg:recommendedBy", "to": "kg:addressedTo"})
    expected = [x for x in facts.get("recommendation", []) if x["doc"] == g.doc]

    def ok(r: dict[str, set[str]], exp: dict[str, Any]) -> bool:
        return (
            any(norm(exp["words"]) in norm(t) for t in r["text"])
            and names.accepts(g, exp["by"], r["by"])
            and names.accepts(g, exp["to"], r["to"])
        )

    for exp in expected:
        tally.hit(any(ok(r, exp) for r in recs.values()), f"{tag}: “{exp['words']}” by {exp['by']} to {exp['to']}")
    for _iri, r in sorted(recs.items()):
        text = next(iter(sorted(r["text"])), "?")
        tally.item(any(ok(r, exp) for exp in expected), f"{tag}: “{text[:70]}”")


def _score_outcomes(g: DocGraph, names: Names, facts: dict[str, list], tally: Tally) -> None:
    tag = _short(g.doc)
    outs = g.objects(
        "kg:DisciplinaryOutcome",
        {"type": "kg:outcomeType", "count": "kg:officerCount", "with": "kg:inConnectionWith"},
    )
    expected = [x for x in facts.get("outcome", []) if x["doc"] == g.doc]

    def ok(o: dict[str, set[str]], exp: dict[str, Any]) -> bool:
        counts = {int(c) for c in o["count"] if re.fullmatch(r"[+-]?\d+", c)}
        connected = {expand(exp["in_connection_with"])} if "in_connection_with" in exp else set()
        return expand(exp["outcome"]) in o["type"] and exp["count"] in counts and o["with"] == connected

    for exp in expected:
        extra = f" (with {exp['in_connection_with']})" if "in_connection_with" in exp else ""
        tally.hit(any(ok(o, exp) for o in outs.values()), f"{tag}: {exp['count']} × {exp['outcome']}{extra}")
    for _iri, o in sorted(outs.items()):
        extra = f" (with {'/'.join(sorted(compact(w) for w in o['with']))})" if o["with"] else ""
        desc = (
            f"{'/'.join(sorted(o['count'])) or '?'} × {'/'.join(sorted(compact(x) for x in o['type'])) or '?'}{extra}"
        )
        tally.item(any(ok(o, exp) for exp in expected), f"{tag}: {desc}")


def _score_counts(g: DocGraph, names: Names, facts: dict[str, list], tally: Tally) -> None:
    tag = _short(g.doc)
    values = " ".join(f"<{expand(p)}>" for p in COUNT_PROPERTIES)
    triples = [(r["s"], r["p"], r["v"]) for r in g.rows(f"?s ?p ?v . VALUES ?p {{ {values} }}")]
    expected = [x for x in facts.get("count", []) if x["doc"] == g.doc]

    def ok(t: tuple[str | None, str | None, str | None], exp: dict[str, Any]) -> bool:
        s, p, v = t
        return (
            p == expand(exp["property"])
            and v is not None
            and re.fullmatch(r"[+-]?\d+", v) is not None
            and int(v) == exp["value"]
            and names.accepts(g, exp["subject"], [s])
        )

    for exp in expected:
        tally.hit(any(ok(t, exp) for t in triples), f"{tag}: {exp['subject']} {exp['property']} {exp['value']}")
    for t in sorted(triples, key=str):
        tally.item(any(ok(t, exp) for exp in expected), f"{tag}: {g.describe(t[0] or '')} {compact(t[1] or '')} {t[2]}")


# --- entry points -------------------------------------------------------------------------------


def load_expected(path: Path | str = EXPECTED) -> dict[str, Any]:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def expected_entities(facts: dict[str, Any]) -> list[ExpectedEntity]:
    return [
        ExpectedEntity(
            doc=x["doc"],
            type=x["type"],
            label=x["label"],
            aliases=list(x.get("aliases", [])),
            references=list(x.get("references", [])),
            match=x.get("match"),
        )
        for x in facts.get("entity", [])
    ]


def documents(facts: dict[str, Any]) -> list[str]:
    docs: list[str] = []
    for section in facts.values():
        if isinstance(section, list):
            for item in section:
                if isinstance(item, dict) and item.get("doc") and item["doc"] not in docs:
                    docs.append(item["doc"])
    return docs


def score_store(store: ox.Store, facts: dict[str, Any]) -> dict[str, Any]:
    """Score the dataset in ``store`` against parsed expected facts (see :func:`load_expected`)."""
    entities = expected_entities(facts)
    names = Names(entities)
    everywhere = global_names(store)
    totals = {c: Tally() for c in CATEGORIES}
    per_doc: dict[str, dict[str, Any]] = {}
    missing: list[str] = []
    for doc in documents(facts):
        g = DocGraph(store, doc, everywhere)
        if not g.present:
            missing.append(doc)
        t = {c: Tally() for c in CATEGORIES}
        _score_entities(g, [e for e in entities if e.doc == doc], t)
        _score_quotations(g, names, facts, t["quotations"])
        _score_roles(g, names, facts, t["roles"])
        _score_events(g, names, facts, t["events"])
        _score_findings(g, names, facts, t["findings"])
        _score_recommendations(g, names, facts, t["recommendations"])
        _score_outcomes(g, names, facts, t["outcomes"])
        _score_counts(g, names, facts, t["counts"])
        per_doc[doc] = {c: t[c].figures() for c in CATEGORIES}
        for c in CATEGORIES:
            totals[c].add(t[c])
    return {
        "categories": {c: totals[c].figures() for c in CATEGORIES},
        "documents": per_doc,
        "misses": {c: totals[c].misses for c in CATEGORIES if totals[c].misses},
        "wrong": {c: totals[c].wrong for c in CATEGORIES if totals[c].wrong},
        "missing_documents": missing,
    }


def score(project: Any, expected: Path | str = EXPECTED) -> dict[str, Any]:
    """Score a built :class:`kg.project.Project` against ``expected`` (default: the corpus facts)."""
    from kg.dataset import open_store

    store = open_store(project)
    result = score_store(store, load_expected(expected))
    result["project"] = str(project.output)
    return result


def check_baseline(result: dict[str, Any], baseline: dict[str, Any]) -> list[str]:
    """The figures below their floors, as messages (empty when every floor holds).

    A precision of None (nothing extracted) holds any precision floor; recall catches that case.
    """
    failures = []
    for cat, floors in sorted(baseline.items()):
        if cat.startswith("_"):
            continue
        got = result["categories"].get(cat)
        if got is None:
            failures.append(f"{cat}: not scored")
            continue
        for measure in ("recall", "precision"):
            floor = floors.get(measure)
            value = got.get(measure)
            if floor is None:
                continue
            if value is None:
                if measure == "recall" and floor > 0:
                    failures.append(f"{cat} recall: nothing expected, floor {floor}")
                continue
            if value + 1e-9 < floor:
                failures.append(f"{cat} {measure} {value:.4f} is below the floor {floor:.4f}")
    return failures


def format_table(result: dict[str, Any]) -> str:
    head = f"{'category':<16} {'expected':>8} {'found':>6} {'recall':>7} {'extracted':>9} {'precision':>9}"
    lines = [head, "-" * len(head)]
    for cat in CATEGORIES:
        f = result["categories"][cat]
        lines.append(
            f"{cat:<16} {f['expected']:>8} {f['found']:>6} {pct(f['recall']):>7} "
            f"{f['extracted']:>9} {pct(f['precision']):>9}"
        )
    if result.get("missing_documents"):
        lines += ["", "Documents with no graph: " + ", ".join(result["missing_documents"])]
    if result["misses"]:
        lines += ["", "Misses (expected, not in the graph):"]
        for cat, items in result["misses"].items():
            lines.append(f"  {cat} ({len(items)}):")
            lines += [f"    - {m}" for m in items]
    if result["wrong"]:
        lines += ["", "Junk and wrong extractions (in the graph, matching nothing expected):"]
        for cat, items in result["wrong"].items():
            lines.append(f"  {cat} ({len(items)}):")
            lines += [f"    - {w}" for w in items]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", nargs="?", default=".", help="the kg project folder (default: .)")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--baseline", type=Path, help="exit 1 when a figure is below this file's floors")
    parser.add_argument("--expected", type=Path, default=EXPECTED, help="the expected facts (TOML)")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(REPO))
    from kg.errors import KGError
    from kg.project import Project

    project = Project.at(args.project)
    try:
        project.manifest()
        result = score(project, args.expected)
    except KGError as exc:
        hint = "" if "kg build" in str(exc) else f" — run `kg -C {args.project} build` first"
        print(f"Error: {exc}{hint}", file=sys.stderr)
        return 2
    failures: list[str] = []
    if args.baseline:
        with open(args.baseline, encoding="utf-8") as fh:
            failures = check_baseline(result, json.load(fh))
        result["baseline_failures"] = failures
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print(format_table(result))
        if args.baseline:
            print()
            print("Below the baseline:" if failures else f"Every figure is at or above the baseline ({args.baseline}).")
            for f in failures:
                print(f"  - {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
