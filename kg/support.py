"""Whether a statement's citations contain the words that state it (a check of ``kg verify``).

A citation anchors when its quote is the source text at its offsets; it *supports* its statement
only when those words state the fact.  This module reads each source graph of the store and
names every statement whose citations, taken together, fail one of these tests:

* **More than a pointer.** A pronoun ("we", "it") or a bare definite description ("the report",
  "this force") may be cited as a mention, never as the only support of a statement: it names
  what the fact is about, not the fact.  A possessive ("our investigation") is not bare: "our"
  states whose.
* **The value is in the words.** A count's number is cited (in figures or words, or as the parts
  it adds up: "eight … and six"), or, stated with no number, it is how many people the cited words
  name ("PC A and PC B"); a date's year is cited, or the words it was resolved from ("within 56
  days", recorded as ``kg:resolvedFrom``), or its day and month ("9 January"); a text (a quotation,
  a role's name) is in the cited words.
* **The object is in the words.** When the statement's object is an entity the source mentions,
  a citation covers one of its mentions, or stands in a sentence that names it (a possessive or
  pronoun in the cited words refers to it: "its investigation"), or names it by its kind ("our
  investigation", "the inquiry") or, for a report, by its parts ("the 15 recommendations").

The tests read the store only; they encode English, not any extractor, so a statement made by a
future rule is held to them too.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import pyoxigraph as ox

from . import ids
from .extract.dates import MONTHS
from .extract.numbers import parse_count
from .text import fold

STATEMENT_CITATIONS = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX kg: <https://kg.example/ns#>
SELECT ?g ?st ?s ?p ?o ?start ?end ?from WHERE { GRAPH ?g {
  ?a oa:hasBody ?st ; oa:motivatedBy oa:describing ; oa:hasTarget/oa:hasSelector ?sel .
  ?sel a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
  ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  OPTIONAL { ?a kg:resolvedFrom ?from }
} }"""

MENTIONS = """
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?g ?e ?start ?end ?type ?label WHERE { GRAPH ?g {
  ?a oa:hasBody ?e ; oa:motivatedBy oa:identifying ; oa:hasTarget/oa:hasSelector ?sel .
  ?sel a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
  OPTIONAL { ?e a ?type } OPTIONAL { ?e rdfs:label ?label }
} }"""

#: Words that point at something without saying anything of it.
POINTERS = frozenset(
    ["i", "me", "we", "us", "it", "they", "them", "he", "him", "she", "her", "you", "this", "that", "these", "those", "who", "which", "what", "one"]
)
#: Determiners that make a noun a bare reference ("the report"); possessives are not among them.
BARE_DETERMINERS = frozenset(["the", "this", "that", "these", "those", "such"])
#: What a work is named by besides its kind: its parts ("accepted the 15 recommendations" of a report).
PARTS = {"report": ("recommendation", "finding", "conclusion"), "creativework": ("recommendation", "finding", "conclusion")}
_WORD = re.compile(r"[\w’']+")
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+|\d+|[a-z]+-[a-z]+|[a-z]+", re.I)
_XSD = ids.PREFIXES["xsd"]
_SCHEMA = ids.PREFIXES["schema"]
_DATES = {_XSD + "date", _XSD + "gYearMonth", _XSD + "gYear"}


def bare(words: str) -> bool:
    """ "we", "it", "the report", "this force": words that only point at something."""
    ws = _WORD.findall(fold(words))
    if not ws:
        return True
    lower = [w.lower() for w in ws]
    if all(w in POINTERS for w in lower):
        return True
    return len(ws) == 2 and lower[0] in BARE_DETERMINERS and ws[1].islower()


def numbers_in(words: str, *, articles: bool = False) -> list[int]:
    """The counts the words state, in figures or in words ("14", "fourteen", "twenty-one"); with
    ``articles``, "a", "an" and "another" count one each ("a sergeant and two constables")."""
    out = []
    for m in _NUMBER.finditer(fold(words)):
        word = m.group().lower()
        if word in ("a", "an", "another"):
            if articles:
                out.append(1)
            continue
        n = parse_count(word)
        if n is not None and word not in ("no", "none", "single"):
            out.append(n)
    return out


@dataclass
class _Statement:
    graph: str
    iri: str
    subject: str
    predicate: str
    object: ox.NamedNode | ox.Literal | ox.BlankNode
    spans: set[tuple[int, int]] = field(default_factory=set)
    resolved_from: set[str] = field(default_factory=set)


@dataclass
class _Mentions:
    of: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))
    people: list[tuple[int, int, str]] = field(default_factory=list)
    #: the nouns that name each entity by its kind: its type ("investigation", "report") and the
    #: head of its label ("inquiry" of "… public inquiry")
    kinds: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _sentence_of(sentences: list[tuple[int, int]], span: tuple[int, int]) -> tuple[int, int]:
    for s in sentences:
        if s[0] <= span[0] < s[1]:
            return s[0], max(s[1], span[1])
    return span


def _value_problem(st: _Statement, words: list[str], people: int) -> str | None:
    o = st.object
    assert isinstance(o, ox.Literal)
    joined = " ".join(words)
    if o.datatype.value == _XSD + "integer":
        n = int(o.value)
        stated = [numbers_in(w) for w in words]
        if any(n in ns for ns in stated) or n == people:
            return None
        if any(len(ns) > 1 and sum(ns) == n for w in words for ns in (numbers_in(w), numbers_in(w, articles=True))):
            return None  # "eight … and six", "a sergeant, two detention officers and three staff"
        if not any(stated) and n == 1 and people == 0:
            return None  # "another officer received …": one, said without a number
        return f"its number {n} is not in the cited words"
    if o.datatype.value in _DATES:
        if o.value[:4] in joined:
            return None
        said = " ".join(fold(joined).split())
        if any(" ".join(fold(w).split()) in said for w in st.resolved_from):
            return None
        parts = o.value.split("-")
        if len(parts) == 3:
            month, day = int(parts[1]), int(parts[2])
            names = {name for name, i in MONTHS.items() if i == month}
            lower = fold(joined).lower()
            if re.search(rf"\b0?{day}(?:st|nd|rd|th)?\b", lower) and any(re.search(rf"\b{n}\b", lower) for n in names):
                return None
        return f"its date {o.value} is not in the cited words"
    value = " ".join(fold(o.value).split()).lower()
    if value and value not in " ".join(fold(joined).split()).lower():
        return f"its text «{o.value[:40]}» is not in the cited words"
    return None


def problems(
    store: ox.Store, text_of: Callable[[str], str | None], sentences_of: Callable[[str], list[tuple[int, int]]]
) -> list[str]:
    """Each statement whose citations do not state it, as a line naming the source, the statement,
    the cited words and what they lack."""
    statements: dict[tuple[str, str], _Statement] = {}
    for row in store.query(STATEMENT_CITATIONS, use_default_graph_as_union=False):  # type: ignore[union-attr]
        g, iri = row["g"].value, row["st"].value  # type: ignore[union-attr]
        st = statements.get((g, iri))
        if st is None:
            st = statements[(g, iri)] = _Statement(g, iri, row["s"].value, row["p"].value, row["o"])  # type: ignore[union-attr,arg-type]
        st.spans.add((int(row["start"].value), int(row["end"].value)))  # type: ignore[union-attr]
        if row["from"] is not None:  # type: ignore[index]
            st.resolved_from.add(str(row["from"].value))  # type: ignore[index]
    mentions: dict[str, _Mentions] = defaultdict(_Mentions)
    for row in store.query(MENTIONS, use_default_graph_as_union=False):  # type: ignore[union-attr]
        g, e = row["g"].value, row["e"].value  # type: ignore[union-attr]
        span = (int(row["start"].value), int(row["end"].value))  # type: ignore[union-attr]
        ms = mentions[g]
        if span not in ms.of[e]:
            ms.of[e].append(span)
        etype = row["type"].value if row["type"] is not None else ""  # type: ignore[index]
        if etype == _SCHEMA + "Person" and (*span, e) not in ms.people:
            ms.people.append((*span, e))
        if etype:
            kind = re.split(r"[/#]", etype)[-1].lower()
            ms.kinds[e].add(kind)
            ms.kinds[e].update(PARTS.get(kind, ()))
        if row["label"] is not None:  # type: ignore[index]
            head = _WORD.findall(str(row["label"].value))  # type: ignore[index]
            if head and len(head[-1]) > 3:
                ms.kinds[e].add(head[-1].lower())
    out = []
    for (g, _iri), st in sorted(statements.items()):
        text = text_of(g)
        if text is None:
            continue
        why = _problem(st, text, mentions[g], sentences_of(g))
        if why:
            words = " | ".join(f"«{text[a:b][:60]}»" for a, b in sorted(st.spans))
            out.append(f"{ids.compact(g)}: {ids.compact(st.iri)} ({ids.compact(st.subject)} "
                       f"{ids.compact(st.predicate)} {_term(st.object)}) is cited by {words}: {why}")
    return out


def _term(o: object) -> str:
    if isinstance(o, ox.NamedNode):
        return ids.compact(o.value)
    if isinstance(o, ox.Literal):
        return f'"{o.value[:40]}"'
    return str(o)


def _problem(st: _Statement, text: str, mentions: _Mentions, sentences: list[tuple[int, int]]) -> str | None:
    spans = sorted(st.spans)
    words = [text[a:b] for a, b in spans]
    resolved = {" ".join(fold(r).split()).lower() for r in st.resolved_from}
    if all(bare(w) and " ".join(fold(w).split()).lower() not in resolved for w in words):
        return "they only point at what it is about, and do not state it"
    o = st.object
    if isinstance(o, ox.Literal):
        people = {e for a, b, e in mentions.people if any(s[0] <= a and b <= s[1] for s in spans)}
        return _value_problem(st, words, len(people))
    if isinstance(o, ox.NamedNode) and o.value in mentions.of:
        where = mentions.of[o.value]
        if any(_overlaps(s, m) for s in spans for m in where):
            return None
        if any(_overlaps(_sentence_of(sentences, s), m) for s in spans for m in where):
            return None
        kinds = mentions.kinds.get(o.value, set())
        if any(re.search(rf"\b{k}s?\b", w.lower()) for w in words for k in kinds):
            return None  # "our investigation", "the inquiry": named by its kind
        return f"none of them names its object {ids.compact(o.value)}, nor stands in a sentence that does"
    return None
