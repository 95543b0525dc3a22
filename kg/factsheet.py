"""Fact sheets: everything the sources say about one entity, every sentence footnoted.

A fact sheet is built from the read-only store and the texts kept by ``kg build``:

1. the entity is found by IRI, compact IRI (``person:jane-roe``), label or alias (:func:`resolve`);
2. its facts are gathered with SPARQL: the ``rdf:Statement`` nodes it is the subject or the object
   of, and the statements of the derived things linked to it (its roles, findings,
   recommendations, disciplinary outcomes, events and quotations), each with every citation from
   every source;
3. every citation is checked again against the built text (:meth:`kg.model.Citation.check`).  A
   fact is shown only when at least one of its citations verifies; a fact whose citations all fail
   is left out and reported in :attr:`Rendered.omitted` (fail closed);
4. facts become plain English sentences (:data:`TEMPLATES` for single statements, and one sentence
   per role, finding, recommendation, outcome, event date or quotation built from its statements,
   a clause only when its statement verifies); footnotes are numbered in order of first use, one per
   cited span, and give the verbatim quote, the source's title, publisher, date and URL (with a
   ``#:~:text=`` fragment where the URL allows) and the character offsets;
5. a Jinja2 template in ``kg/templates/`` writes Markdown or HTML (autoescaped).

Output is deterministic: everything is sorted, nothing depends on time.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, urlsplit

import jinja2
import pyoxigraph as ox
from markupsafe import Markup, escape

from . import formats, ids, prose
from .atomic import atomic_write_text, replace_folder
from .dataset import open_store
from .errors import KGError
from .kinds import kinds
from .lookup import Named, find, store_describer
from .model import Citation, PartialDate
from .project import Project
from .resources import templates_dir

Format = Literal["md", "html"]
FORMATS: tuple[Format, ...] = formats.FACTSHEET_FORMATS  # type: ignore[assignment]

KG = ids.KG
SCHEMA = ids.PREFIXES["schema"]
XSD = ids.PREFIXES["xsd"]

ROLE = KG + "Role"
FINDING = KG + "Finding"
RECOMMENDATION = KG + "Recommendation"
OUTCOME = KG + "DisciplinaryOutcome"
EVENT = SCHEMA + "Event"
QUOTATION = SCHEMA + "Quotation"
#: Derived things described on the fact sheets of the entities they are linked to.
KINDS = (ROLE, FINDING, RECOMMENDATION, OUTCOME, EVENT, QUOTATION)

#: Classes in index order: (class CURIE, singular, plural), from ``ontology/kinds.ttl``.
TYPES: tuple[tuple[str, str, str], ...] = tuple((k.curie, k.singular, k.plural) for k in kinds())
_TYPE_ORDER = {ids.expand(c): i for i, (c, _s, _p) in enumerate(TYPES)}
_TYPE_NAMES = {ids.expand(c): (s, p) for c, s, p in TYPES}

#: One sentence per statement: ``{s}`` the subject, ``{o}`` the object (a name with the article it
#: takes, a value or a vocabulary label), ``{ao}`` the object with "a"/"an", ``{q}`` the object
#: quoted, ``{n:word}`` a count with ``word`` in the right number ("two officers"), ``{d}`` a date
#: at its precision ("March 2018"), ``{dp}`` the same with its preposition ("in March 2018", "on 1
#: February 2022"), ``{at}`` the preposition of the object place ("at" a building, "in" an area),
#: and ``{was}``, ``{is}``, ``{v:verb}`` verbs agreeing with the subject ("offensive messages
#: were").  Unknown predicates fall back to ``{s} – <property>: {o}.``
TEMPLATES: dict[str, str] = {
    "kg:conductedBy": "{s} {was} conducted by {o}.",
    "kg:concerns": "{s} {v:concerns} {o}.",
    "schema:location": "{s} took place {at} {o}.",
    "kg:basedAt": "{s} {was} based {at} {o}.",
    "kg:officersInvestigated": "{s} investigated {n:officer}.",
    "kg:investigationCount": "{s} comprised {n:linked investigation}.",
    "kg:origin": "{s} began with {o}.",
    "kg:recommendationCount": "{s} made {n:recommendation}.",
    "schema:author": "{s} {was} written by {o}.",
    "schema:about": "{s} {is} about {o}.",
    "schema:creator": "{s} {was} created by {o}.",
    "schema:dateCreated": "{s} {v:dates} from {d}.",
    "schema:startDate": "{s} took place {dp}.",
    "schema:endDate": "{s} ended {dp}.",
    "kg:dueDate": "{s} {is} due by {d}.",
    "schema:datePublished": "{s} {was} published {dp}.",
    "schema:containedInPlace": "{s} {is} in {o}.",
    "kg:misconductType": "{s} {is} classed as {o}.",
    "kg:foundBy": "{o} found {s}.",
    "kg:inInvestigation": "{s} {is} part of {o}.",
    "kg:recommendedBy": "{s} {was} recommended by {o}.",
    "kg:addressedTo": "{s} {is} addressed to {o}.",
    "schema:text": "{s} reads {q}.",
    "kg:outcomeType": "{s} {is} classed as {o}.",
    "kg:officerCount": "{n:officer}: {s}.",
    "kg:inConnectionWith": "{s} {is} in connection with {ao}.",
    "kg:holder": "{o} holds the role {s}.",
    "kg:organization": "{s} is a role at {o}.",
    "kg:roleType": "{s} has the title {o}.",
    "schema:roleName": "{s} is worded {q}.",
    "kg:area": "{s} covers {o}.",
    "kg:eventType": "{s} is an event of the kind {q}.",
    "schema:agent": "{s} was done by {o}.",
    "schema:object": "{s} involved {o}.",
    "schema:recipient": "{s} was addressed to {o}.",
    "schema:eventStatus": "{s} is {o}.",
    "kg:speakerDescription": "{s} was said by {q}.",
}
_TEMPLATE_ORDER = {ids.expand(k): i for i, k in enumerate(TEMPLATES)}

#: How a property is named in prose ("sources disagree on the origin of …").
PROPERTY_NAMES: dict[str, str] = {
    "kg:officersInvestigated": "number of officers investigated",
    "kg:investigationCount": "number of linked investigations",
    "kg:recommendationCount": "number of recommendations",
    "kg:officerCount": "number of officers",
    "kg:origin": "origin",
    "kg:outcomeType": "outcome",
    "kg:dueDate": "due date",
    "schema:startDate": "date",
    "schema:endDate": "end date",
    "schema:dateCreated": "date",
    "schema:datePublished": "publication date",
    "kg:roleType": "title",
    "kg:organization": "organisation",
}

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)

_P = {k: v for k, v in ids.PREFIXES.items() if k in ("rdf", "rdfs", "skos", "oa", "kg", "schema", "xsd")}
PREFIX_LINES = "".join(f"PREFIX {k}: <{v}>\n" for k, v in sorted(_P.items()))


# --- small values ---------------------------------------------------------------------------------


def _p(curie: str) -> str:
    return ids.expand(curie)


def date_text(d: PartialDate) -> str:
    """A date at its precision: "1 February 2022", "March 2018", "2018"."""
    if d.day is not None and d.month is not None:
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    if d.month is not None:
        return f"{MONTHS[d.month - 1]} {d.year}"
    return str(d.year)


def date_phrase(d: PartialDate) -> str:
    """The date with its preposition: "on 1 February 2022", "in March 2018"."""
    return ("on " if d.precision == "day" else "in ") + date_text(d)


def plural(n: int, word: str) -> str:
    """A count of ``word`` in words: "one officer", "two officers", "14 officers" (:func:`kg.prose.count`)."""
    return prose.count(n, word)


_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "“": '"', "”": '"', "„": '"', "″": '"'})


def normalize_name(text: str) -> str:
    """A name as lookups compare it: NFKC, straight quotes, single spaces, case-folded."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_QUOTES).split()).casefold()


def page_name(iri: str) -> str:
    """A file name for an entity's page, from the last segments of its IRI (``person-jane-roe``)."""
    rest = iri[len(ids.ID) :] if iri.startswith(ids.ID) else f"{ids.slug(iri, 40)}-{ids.digest(iri, size=8)}"
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", rest).strip("-.")
    return name or ids.digest(iri, size=12)


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) URL (so never ``javascript:``), else None."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return quote(url, safe=":/?#[]@!$&'()*+,;=%~-._")


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:] if text[:1].islower() else text


# --- text fragments (https://wicg.github.io/scroll-to-text-fragment/) ---------------------------------


def _fragment_term(term: str) -> str:
    """Percent-encode a text-fragment term: everything but unreserved characters, and ``-`` too."""
    return quote(term, safe="").replace("-", "%2D")


def _occurrences(text: str, pattern: str) -> int:
    return len(re.findall(pattern, text, flags=re.IGNORECASE))


def _flex(term: str) -> str:
    return r"\s+".join(re.escape(w) for w in term.split())


def _context_words(context: str, side: Literal["prefix", "suffix"], whole: bool) -> list[str]:
    """Whole words of a citation's 32-character context, nearest the quote first."""
    words = context.split()
    if side == "prefix":
        if words and not whole and not context[:1].isspace():
            words = words[1:]  # cut mid-word at the start of the context
        return list(reversed(words))
    if words and not whole and not context[-1:].isspace():
        words = words[:-1]
    return words


def text_fragment(text: str, exact: str, prefix: str, suffix: str, start: int, end: int) -> str:
    """The ``:~:text=`` directive for a quote.

    A quote of more than :data:`FRAGMENT_WORDS` words is given by its first and last words
    (``textStart,textEnd``); ``prefix-,`` and ``,-suffix`` are added, a word at a time from the
    citation's context, only while the quote alone matches more than once in ``text``.
    """
    words = exact.split()
    if len(words) > FRAGMENT_WORDS:
        head, tail = " ".join(words[:EDGE_WORDS]), " ".join(words[-EDGE_WORDS:])
        terms = [head, tail]
        pattern = _flex(head) + r"[\s\S]*?" + _flex(tail)
    else:
        terms = [" ".join(words)]
        pattern = _flex(terms[0])
    p = s = ""
    if _occurrences(text, pattern) > 1:
        before = _context_words(prefix, "prefix", whole=start - len(prefix) <= 0)
        after = _context_words(suffix, "suffix", whole=end + len(suffix) >= len(text))
        for k in range(1, max(len(before), len(after)) + 1):
            p = " ".join(reversed(before[:k]))
            s = " ".join(after[:k])
            full = (_flex(p) + r"\s*" if p else "") + pattern + (r"\s*" + _flex(s) if s else "")
            if _occurrences(text, full) <= 1:
                break
    parts = ([f"{_fragment_term(p)}-"] if p else []) + [_fragment_term(t) for t in terms]
    parts += [f"-{_fragment_term(s)}"] if s else []
    return ":~:text=" + ",".join(parts)


#: Quotes longer than this many words are given by their first and last :data:`EDGE_WORDS` words.
FRAGMENT_WORDS = 12
EDGE_WORDS = 4


# --- what the store holds ---------------------------------------------------------------------


@dataclass(frozen=True)
class Entity:
    iri: str
    type: str
    label: str
    aliases: tuple[str, ...] = ()

    @property
    def curie(self) -> str:
        return ids.compact(self.iri)

    @property
    def type_name(self) -> str:
        return _TYPE_NAMES.get(self.type, (ids.compact(self.type).split(":")[-1], ""))[0]

    @property
    def page(self) -> str:
        return page_name(self.iri)


@dataclass(frozen=True)
class SourceInfo:
    id: str
    iri: str
    title: str
    publisher: str
    date: str  # at its precision, for reading
    url: str | None

    @property
    def page(self) -> str:
        return re.sub(r"[^A-Za-z0-9._-]+", "-", self.id).strip("-.") or ids.digest(self.id, size=12)

    @property
    def link(self) -> str | None:
        """The URL when it is safe to link to (http or https)."""
        return safe_url(self.url)


@dataclass(frozen=True)
class Obj:
    """The object of a statement: an IRI or a literal with its datatype."""

    value: str
    is_iri: bool
    datatype: str = ""

    def as_int(self) -> int | None:
        if self.datatype == XSD + "integer" and re.fullmatch(r"[+-]?\d+", self.value):
            return int(self.value)
        return None

    def as_date(self) -> PartialDate | None:
        if self.datatype in (XSD + "date", XSD + "gYearMonth", XSD + "gYear"):
            try:
                return PartialDate.parse(self.value)
            except ValueError:
                return None
        return None


@dataclass(frozen=True)
class Cite:
    """A citation as stored, with the notes its annotation carries."""

    citation: Citation
    resolved_from: str | None = None
    anchor_date: str | None = None
    #: what the anchor date is when it is not the source's own ("the publication of …")
    anchored_on: str | None = None

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.citation.source, self.citation.start, self.citation.end)


@dataclass
class Fact:
    """An ``rdf:Statement`` with its verified citations and the ones that failed (and why)."""

    iri: str
    s: str
    p: str
    o: Obj
    cites: list[Cite] = field(default_factory=list)
    failed: list[tuple[Cite, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.cites)

    @property
    def sources(self) -> set[str]:
        return {c.citation.source for c in self.cites}

    def sort_key(self) -> tuple[Any, ...]:
        first = min((c.key for c in self.cites), default=("~", 0, 0))
        return (first, self.o.value, self.iri)


def _term_value(term: Any) -> str:
    return str(term.value)


def _values(iris: Iterable[str]) -> str:
    return " ".join(str(ox.NamedNode(i)) for i in iris)


def _chunks(items: Sequence[str], size: int = 400) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


_ENTITIES = PREFIX_LINES + """
SELECT DISTINCT ?e ?t ?l WHERE {
  GRAPH ?g { ?e a ?t ; rdfs:label ?l }
  ?g a kg:Source .
  FILTER(isIRI(?e) && ?t != kg:Source)
}"""

_ALIASES = PREFIX_LINES + """
SELECT DISTINCT ?e ?a WHERE { GRAPH ?g { ?e skos:altLabel ?a } ?g a kg:Source . }"""

_SOURCES = PREFIX_LINES + """
SELECT ?s ?name ?publisher ?date ?url ?sha WHERE {
  ?s a kg:Source .
  OPTIONAL { ?s schema:name ?name } OPTIONAL { ?s schema:publisher ?publisher }
  OPTIONAL { ?s schema:datePublished ?date } OPTIONAL { ?s schema:url ?url } OPTIONAL { ?s schema:sha256 ?sha }
}"""

_STATEMENTS = PREFIX_LINES + """
SELECT DISTINCT ?st ?s ?p ?o WHERE {
  VALUES ?x { %s }
  GRAPH ?g { ?st a rdf:Statement ; rdf:%s ?x ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o . }
}"""

_STATEMENTS_BY_PREDICATE = PREFIX_LINES + """
SELECT DISTINCT ?st ?s ?p ?o WHERE {
  VALUES ?p { %s }
  GRAPH ?g { ?st a rdf:Statement ; rdf:predicate ?p ; rdf:subject ?s ; rdf:object ?o . }
}"""

_LINKING = PREFIX_LINES + """
SELECT DISTINCT ?st ?s ?p ?o WHERE {
  GRAPH ?g { ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o . FILTER(isIRI(?o)) }
}"""

_CITATIONS = PREFIX_LINES + """
SELECT DISTINCT ?body ?src ?start ?end ?exact ?prefix ?suffix ?rf ?ad ?on WHERE {
  VALUES ?body { %s }
  GRAPH ?g {
    ?a oa:hasBody ?body .
    ?a oa:motivatedBy oa:%s .
    ?a oa:hasTarget ?t .
    ?t oa:hasSource ?src ; oa:hasSelector ?qs , ?ps .
    ?qs oa:exact ?exact .
    ?ps oa:start ?start ; oa:end ?end .
    OPTIONAL { ?qs oa:prefix ?prefix } OPTIONAL { ?qs oa:suffix ?suffix }
    OPTIONAL { ?a kg:resolvedFrom ?rf } OPTIONAL { ?a kg:anchorDate ?ad } OPTIONAL { ?a kg:anchoredOn ?on }
  }
}"""

_CONFLICTS = PREFIX_LINES + """
SELECT ?c ?s ?p ?st WHERE {
  VALUES ?s { %s }
  GRAPH <""" + ids.CONFLICTS_GRAPH + """> { ?c a kg:Conflict ; kg:conflictSubject ?s ; kg:conflictProperty ?p ; kg:statement ?st }
}"""

_SOURCE_TARGETS = PREFIX_LINES + """
SELECT DISTINCT ?start ?end ?exact ?prefix ?suffix WHERE {
  GRAPH ?g {
    ?t oa:hasSource %s ; oa:hasSelector ?qs , ?ps .
    ?qs a oa:TextQuoteSelector ; oa:exact ?exact .
    OPTIONAL { ?qs oa:prefix ?prefix } OPTIONAL { ?qs oa:suffix ?suffix }
    ?ps a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
  }
}"""


class Context:
    """The built dataset opened once for many fact sheets: entities, sources, texts, concept labels.

    Opening it checks every source file on disk against the build (:mod:`kg.freshness`): a changed
    or missing file is refused (:class:`~kg.errors.SourceError`), or, with ``omit_changed``, every
    citation into it fails, so that the facts only it supports are left out and named in what a
    sheet reports as omitted.
    """

    def __init__(self, project: Project, *, omit_changed: bool = False) -> None:
        from . import freshness
        from .vocab import vocabulary

        self.project = project
        self.store = open_store(project)
        self._recorded: dict[str, str] = {}
        self.sources = self._sources()
        self.changed = freshness.check(project, self._recorded, omit=omit_changed)
        self.entities = self._entities()
        self.concepts = {ids.expand(k): v for k, v in vocabulary().labels.items()}
        self._texts: dict[str, str | KGError] = {}
        self._facts: dict[str, Fact] = {}
        self._mentions: dict[str, list[Cite]] = {}
        self._rejected_mentions: dict[str, list[tuple[Cite, str]]] = {}

    # -- reading ---------------------------------------------------------------------------

    def _query(self, sparql: str) -> Iterator[Any]:
        result = self.store.query(sparql)
        assert isinstance(result, ox.QuerySolutions)
        yield from result

    def _entities(self) -> dict[str, Entity]:
        types: dict[str, set[str]] = defaultdict(set)
        labels: dict[str, set[str]] = defaultdict(set)
        for row in self._query(_ENTITIES):
            e = _term_value(row["e"])
            types[e].add(_term_value(row["t"]))
            labels[e].add(_term_value(row["l"]))
        aliases: dict[str, set[str]] = defaultdict(set)
        for row in self._query(_ALIASES):
            aliases[_term_value(row["e"])].add(_term_value(row["a"]))
        out: dict[str, Entity] = {}
        for e in sorted(types):
            t = min(types[e], key=lambda x: (_TYPE_ORDER.get(x, len(_TYPE_ORDER)), x))
            label = min(labels[e])
            out[e] = Entity(e, t, label, tuple(sorted(aliases.get(e, set()) - {label})))
        return out

    def _sources(self) -> dict[str, SourceInfo]:
        out: dict[str, SourceInfo] = {}
        for row in self._query(_SOURCES):
            iri = _term_value(row["s"])
            doc_id = iri.removeprefix(ids.source_iri(""))
            date = ""
            if row["date"] is not None:
                try:
                    date = date_text(PartialDate.parse(_term_value(row["date"])))
                except ValueError:
                    date = _term_value(row["date"])

            def text(var: str, _row: Any = row) -> str:
                return _term_value(_row[var]) if _row[var] is not None else ""

            out[doc_id] = SourceInfo(doc_id, iri, text("name") or doc_id, text("publisher"), date, text("url") or None)
            if row["sha"] is not None:
                self._recorded[doc_id] = _term_value(row["sha"])
        return dict(sorted(out.items()))

    def text(self, source_id: str) -> str | KGError:
        """The built text of a source, or the error that stops it from being read."""
        if source_id not in self._texts:
            try:
                self._texts[source_id] = self.project.text_of(source_id)
            except KGError as exc:  # a missing text fails every citation into it, closed
                self._texts[source_id] = exc
        return self._texts[source_id]

    def _check(self, c: Citation) -> str | None:
        changed = self.changed.get(c.source)
        if changed is not None:
            return f"{changed.file} {changed.why.split(' (')[0]}"
        text = self.text(c.source)
        if isinstance(text, KGError):
            return f"the text of {c.source} cannot be read ({text.what})"
        return c.check(text)

    def _citations(self, bodies: Sequence[str], motivation: str) -> dict[str, list[Cite]]:
        out: dict[str, list[Cite]] = defaultdict(list)
        for chunk in _chunks(sorted(set(bodies))):
            for row in self._query(_CITATIONS % (_values(chunk), motivation)):
                src = _term_value(row["src"]).removeprefix(ids.source_iri(""))
                c = Citation(
                    src,
                    int(_term_value(row["start"])),
                    int(_term_value(row["end"])),
                    _term_value(row["exact"]),
                    _term_value(row["prefix"]) if row["prefix"] is not None else "",
                    _term_value(row["suffix"]) if row["suffix"] is not None else "",
                )
                rf = _term_value(row["rf"]) if row["rf"] is not None else None
                ad = _term_value(row["ad"]) if row["ad"] is not None else None
                on = _term_value(row["on"]) if row["on"] is not None else None
                out[_term_value(row["body"])].append(Cite(c, rf, ad, on))
        return out

    def _load(self, rows: Iterable[Any]) -> list[Fact]:
        new: dict[str, Fact] = {}
        found: list[str] = []
        for row in rows:
            st = _term_value(row["st"])
            found.append(st)
            if st in self._facts or st in new:
                continue
            o = row["o"]
            obj = (
                Obj(o.value, True)
                if isinstance(o, ox.NamedNode)
                else Obj(str(o.value), False, o.datatype.value if isinstance(o, ox.Literal) else "")
            )
            new[st] = Fact(st, _term_value(row["s"]), _term_value(row["p"]), obj)
        if new:
            cites = self._citations(list(new), "describing")
            for st, fact in new.items():
                for cite in sorted(set(cites.get(st, ())), key=lambda c: (c.key, c.resolved_from or "")):
                    why = self._check(cite.citation)
                    if why is None:
                        fact.cites.append(cite)
                    else:
                        fact.failed.append((cite, why))
                self._facts[st] = fact
        return sorted({self._facts[st].iri: self._facts[st] for st in found}.values(), key=lambda f: f.iri)

    def statements(self, *, subjects: Sequence[str] = (), objects: Sequence[str] = ()) -> list[Fact]:
        """The statements about ``subjects`` / pointing at ``objects``, with checked citations."""
        rows: list[Any] = []
        for role, items in (("subject", subjects), ("object", objects)):
            for chunk in _chunks(sorted(set(items))):
                rows.extend(self._query(_STATEMENTS % (_values(chunk), role)))
        return self._load(rows)

    def statements_with(self, predicates: Sequence[str]) -> list[Fact]:
        return self._load(list(self._query(_STATEMENTS_BY_PREDICATE % _values(sorted(set(predicates))))))

    def linking_statements(self) -> list[Fact]:
        """Every statement whose object is an IRI (the edges of the entity network)."""
        return self._load(list(self._query(_LINKING)))

    def fact(self, iri: str) -> Fact | None:
        if iri not in self._facts:
            q = PREFIX_LINES + f"SELECT DISTINCT ?st ?s ?p ?o WHERE {{ VALUES ?st {{ {_values([iri])} }} " \
                "GRAPH ?g { ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o } }"
            self._load(list(self._query(q)))
        return self._facts.get(iri)

    def mentions(self, iri: str) -> tuple[list[Cite], list[tuple[Cite, str]]]:
        """The verified mentions of an entity, and the ones that failed (with why)."""
        if iri not in self._mentions:
            ok: list[Cite] = []
            bad: list[tuple[Cite, str]] = []
            for cite in sorted(set(self._citations([iri], "identifying").get(iri, ())), key=lambda c: c.key):
                why = self._check(cite.citation)
                if why is None:
                    ok.append(cite)
                elif cite.citation.source not in self.changed:  # a changed source is named once, not per mention
                    bad.append((cite, why))
            self._mentions[iri] = ok
            self._rejected_mentions[iri] = bad
        return self._mentions[iri], self._rejected_mentions[iri]

    def conflicts(self, subjects: Sequence[str]) -> list[tuple[str, str, str, list[str]]]:
        """Recorded conflicts about ``subjects``: (conflict, subject, property, statements)."""
        by: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        for chunk in _chunks(sorted(set(subjects))):
            for row in self._query(_CONFLICTS % _values(chunk)):
                key = (_term_value(row["c"]), _term_value(row["s"]), _term_value(row["p"]))
                by[key].append(_term_value(row["st"]))
        return [(c, s, p, sorted(sts)) for (c, s, p), sts in sorted(by.items())]

    def source_targets(self, source_id: str) -> tuple[list[Citation], list[tuple[Citation, str]]]:
        """Every cited span of a source (verified), and the spans that fail (with why)."""
        ok: list[Citation] = []
        bad: list[tuple[Citation, str]] = []
        node = str(ox.NamedNode(ids.source_iri(source_id)))
        for row in self._query(_SOURCE_TARGETS % node):
            c = Citation(
                source_id,
                int(_term_value(row["start"])),
                int(_term_value(row["end"])),
                _term_value(row["exact"]),
                _term_value(row["prefix"]) if row["prefix"] is not None else "",
                _term_value(row["suffix"]) if row["suffix"] is not None else "",
            )
            why = self._check(c)
            if why is None:
                ok.append(c)
            else:
                bad.append((c, why))
        return sorted(set(ok)), sorted(set(bad))

    # -- naming ----------------------------------------------------------------------------

    def label(self, iri: str) -> str:
        ent = self.entities.get(iri)
        if ent is not None:
            return ent.label
        if iri in self.concepts:
            return self.concepts[iri]
        if iri.startswith(ids.source_iri("")):
            src = self.sources.get(iri.removeprefix(ids.source_iri("")))
            if src is not None:
                return src.title
        return ids.compact(iri)

    def property_name(self, predicate: str) -> str:
        curie = ids.compact(predicate)
        if curie in PROPERTY_NAMES:
            return PROPERTY_NAMES[curie]
        local = re.split(r"[#/:]", predicate)[-1]
        return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).lower()


def load(project: Project, *, omit_changed: bool = False) -> Context:
    """Open the built dataset for fact sheets (see :class:`Context` for ``omit_changed``)."""
    return Context(project, omit_changed=omit_changed)


# --- finding an entity --------------------------------------------------------------------------

def resolve(ctx: Context | dict[str, Entity], text: str) -> str:
    """The IRI of the one entity ``text`` names (:func:`kg.lookup.find`, the resolver of every
    command); raises :class:`LookupFailed` naming close or every candidate."""
    entities = ctx.entities if isinstance(ctx, Context) else ctx
    named = [Named(e.iri, e.label, e.aliases, e.type_name) for e in entities.values()]
    describe = store_describer(ctx.store, kind=False) if isinstance(ctx, Context) else None
    return find(named, text, describe=describe)


def resolve_entity(project: Project, text: str) -> str:
    """:func:`resolve` on a project's built dataset."""
    return resolve(Context(project), text)


# --- sentences ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seg:
    """A piece of a sentence: plain words, a reference to an entity, or words quoted from a source."""

    text: str
    iri: str | None = None
    quote: bool = False


@dataclass
class Footnote:
    n: int
    source: SourceInfo
    citation: Citation
    url: str | None  # the source URL with a text fragment where it allows one
    resolved: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"fn-{self.n}"

    @property
    def anchor(self) -> str:
        """The id of the cited span on the source page of a site."""
        return f"t{self.citation.start}-{self.citation.end}"

    @property
    def exact(self) -> str:
        return self.citation.exact

    @property
    def tooltip(self) -> str:
        """The quote, shortened to what a tooltip can show."""
        words = " ".join(self.exact.split())
        return words if len(words) <= 160 else words[:159].rstrip() + "…"


@dataclass
class Sentence:
    segs: list[Seg]
    facts: list[Fact]  # every statement it states, the main ones first
    head: int = 1  # how many of ``facts`` are its main statements
    date: PartialDate | None = None
    notes: list[Footnote] = field(default_factory=list)
    mentions: list[Cite] = field(default_factory=list)  # words that tie it to the sheet's entity
    blocks: list[str] = field(default_factory=list)  # a long quotation's paragraphs, after the words

    @property
    def plain(self) -> str:
        text = "".join(f"“{s.text}”" if s.quote else s.text for s in self.segs)
        return text + (" “" + " ".join(self.blocks) + "”" if self.blocks else "")

    @property
    def sources(self) -> int:
        """How many sources state its main statement (the best corroborated, when it has several)."""
        return max((len(f.sources) for f in self.facts[: max(self.head, 1)]), default=0)

    def cites(self) -> list[Cite]:
        out: list[Cite] = []
        for f in self.facts:
            out.extend(f.cites)
        out.extend(self.mentions)
        return out


class _Words:
    """Builds the segments of a sentence."""

    def __init__(self) -> None:
        self.segs: list[Seg] = []

    def t(self, text: str) -> _Words:
        if text:
            if self.segs and self.segs[-1].iri is None and not self.segs[-1].quote:
                self.segs[-1] = Seg(self.segs[-1].text + text)
            else:
                self.segs.append(Seg(text))
        return self

    def ref(self, iri: str, label: str) -> _Words:
        self.segs.append(Seg(label, iri))
        return self

    def q(self, text: str) -> _Words:
        self.segs.append(Seg(text, None, True))
        return self

    def join(self, items: Sequence[tuple[str, str]]) -> _Words:
        """Entity references joined "A, B and C"."""
        for sep, (iri, label) in zip(prose.separators(len(items)), items, strict=True):
            self.t(sep).ref(iri, label)
        return self

    def name(self, iri: str, builder: _Builder) -> _Words:
        """A reference to ``iri`` with the article its name takes in running text ("the IOPC learning report")."""
        label = builder.ctx.label(iri)
        ent = builder.ctx.entities.get(iri)
        if ent is None:
            return self.t(label)
        return self.t(prose.article(label, ent.type)).ref(iri, label)

    def names(self, iris: Sequence[str], builder: _Builder) -> _Words:
        """References joined "the A, B and the C", each with its article."""
        for sep, iri in zip(prose.separators(len(iris)), iris, strict=True):
            self.t(sep).name(iri, builder)
        return self

    def quotes(self, items: Sequence[str]) -> _Words:
        """Quoted words joined "“a”, “b” and “c”"."""
        for sep, text in zip(prose.separators(len(items)), items, strict=True):
            self.t(sep).q(text)
        return self

    def done(self) -> list[Seg]:
        segs = list(self.segs)
        if segs and not segs[0].quote:
            segs[0] = Seg(_capitalize(segs[0].text), segs[0].iri)
        return segs


@dataclass
class Section:
    key: str
    title: str
    sentences: list[Sentence]


@dataclass
class ConflictSide:
    value: list[Seg]
    fact: Fact
    notes: list[Footnote] = field(default_factory=list)


@dataclass
class ConflictView:
    intro: list[Seg]
    sides: list[ConflictSide]


@dataclass
class SourceUse:
    source: SourceInfo
    footnotes: int


@dataclass
class Sheet:
    entity: Entity
    aliases: list[tuple[str, list[Footnote]]]
    sections: list[Section]
    conflicts: list[ConflictView]
    footnotes: list[Footnote]
    sources: list[SourceUse]
    omitted: list[str]

    @property
    def sentences(self) -> list[Sentence]:
        return [s for sec in self.sections for s in sec.sentences]

    @property
    def corroboration(self) -> list[tuple[int, int]]:
        """(number of sources, number of facts stated by that many), most sources first."""
        counts: dict[int, int] = defaultdict(int)
        for s in self.sentences:
            counts[s.sources] += 1
        return sorted(counts.items(), reverse=True)


class _Builder:
    """Turns the facts about one entity (or a set of derived things) into sentences and footnotes."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.footnotes: dict[tuple[str, int, int], Footnote] = {}
        self.omitted: dict[str, None] = {
            f"the source file {c.message}: every citation into it is left out": None for c in ctx.changed.values()
        }
        self.reported: set[str] = set()

    # -- facts and failures ------------------------------------------------------------------

    def ok(self, facts: Iterable[Fact]) -> list[Fact]:
        """The facts with a verified citation; the others are reported."""
        out = []
        for f in facts:
            self.report(f)
            if f.ok:
                out.append(f)
        return sorted(out, key=Fact.sort_key)

    def report(self, fact: Fact) -> None:
        if fact.iri in self.reported or not fact.failed:
            return
        self.reported.add(fact.iri)
        said = "".join(s.text for s in self.simple(fact, quiet=True).segs) if fact.failed else ""
        stale = sorted({self.ctx.changed[c.citation.source].file for c, _ in fact.failed if c.citation.source in self.ctx.changed})
        if stale:
            files = " and ".join(stale)
            if fact.ok:
                self.omitted[f"“{said}” ({ids.compact(fact.iri)}) kept without its citations into {files}: changed since the build"] = None
            else:
                self.omitted[f"left out “{said}” ({ids.compact(fact.iri)}): {files} changed since the build"] = None
        for cite, why in fact.failed:
            if cite.citation.source in self.ctx.changed:
                continue
            c = cite.citation
            where = f"{c.source} {c.start}-{c.end}"
            if fact.ok:
                self.omitted[f"citation {where} not used for “{said}” ({ids.compact(fact.iri)}): {why}"] = None
            else:
                self.omitted[f"left out “{said}” ({ids.compact(fact.iri)}): citation {where}: {why}"] = None

    def report_mention(self, iri: str, cite: Cite, why: str) -> None:
        c = cite.citation
        self.omitted[
            f"mention of {self.ctx.label(iri)} ({ids.compact(iri)}) at {c.source} {c.start}-{c.end} not used: {why}"
        ] = None

    def note(self, cite: Cite) -> Footnote:
        fn = self.footnotes.get(cite.key)
        if fn is None:
            c = cite.citation
            src = self.ctx.sources.get(c.source) or SourceInfo(c.source, ids.source_iri(c.source), c.source, "", "", None)
            url = safe_url(src.url)
            if url is not None and "#" not in url:
                text = self.ctx.text(c.source)
                if isinstance(text, str):
                    url += "#" + text_fragment(text, c.exact, c.prefix, c.suffix, c.start, c.end)
            fn = Footnote(len(self.footnotes) + 1, src, c, url)
            self.footnotes[cite.key] = fn
        if cite.resolved_from:
            note = f"“{cite.resolved_from}” resolved"
            if cite.anchor_date:
                try:
                    note += f" against {date_text(PartialDate.parse(cite.anchor_date))}"
                except ValueError:
                    note += f" against {cite.anchor_date}"
                if cite.anchored_on:
                    note += f", {cite.anchored_on}"
            if note not in fn.resolved:
                fn.resolved.append(note)
        return fn

    def number(self, sentence: Sentence) -> Sentence:
        seen: dict[int, Footnote] = {}
        for cite in sentence.cites():
            fn = self.note(cite)
            seen.setdefault(fn.n, fn)
        sentence.notes = list(seen.values())
        return sentence

    # -- values ----------------------------------------------------------------------------

    def name(self, iri: str) -> tuple[str, str]:
        return (iri, self.ctx.label(iri))

    def value(self, w: _Words, o: Obj, *, indefinite: bool = False) -> None:
        if o.is_iri:
            if o.value in self.ctx.entities and not indefinite:
                w.name(o.value, self)
            elif o.value in self.ctx.entities:  # "a" or "an", as the name needs
                label = self.ctx.label(o.value)
                w.t(prose.a(label).split(" ", 1)[0] + " ").ref(o.value, label)
            else:
                label = self.ctx.label(o.value)
                w.t(prose.a(label) if indefinite else label)
            return
        d = o.as_date()
        if d is not None:
            w.t(date_text(d))
            return
        w.t(o.value)

    @staticmethod
    def resolved(facts: Iterable[Fact]) -> str:
        words = sorted({c.resolved_from for f in facts for c in f.cites if c.resolved_from})
        if not words:
            return ""
        return " (resolved from " + " and ".join(f"“{x}”" for x in words) + ")"

    def simple(self, fact: Fact, *, quiet: bool = False) -> Sentence:
        """One statement as a sentence, from :data:`TEMPLATES`."""
        curie = ids.compact(fact.p)
        template = TEMPLATES.get(curie, "{s} – " + self.ctx.property_name(fact.p) + ": {o}.")
        w = _Words()
        pos = 0
        subject = self.ctx.label(fact.s)
        for m in re.finditer(r"\{(\w+)(?::([^}]+))?\}", template):
            w.t(template[pos : m.start()])
            pos = m.end()
            slot, word = m.group(1), m.group(2)
            o = fact.o
            if slot == "s":
                w.name(fact.s, self)
            elif slot in ("o", "ao"):
                self.value(w, o, indefinite=slot == "ao")
            elif slot == "q":
                w.q(self.ctx.label(o.value) if o.is_iri else o.value)
            elif slot == "n":
                n = o.as_int()
                w.t(prose.count(n, word) if n is not None and word else o.value)
            elif slot in ("d", "dp"):
                d = o.as_date()
                w.t((date_text(d) if slot == "d" else date_phrase(d)) if d is not None else o.value)
            elif slot == "at":
                w.t(prose.place_preposition(self.ctx.label(o.value)) if o.is_iri else "at")
            elif slot in ("was", "is"):
                w.t(prose.be(subject, "past" if slot == "was" else "present"))
            elif slot == "v":
                w.t(prose.verb(subject, word or ""))
        w.t(template[pos:])
        segs = w.done()
        if fact.o.as_date() is not None and not quiet:
            extra = self.resolved([fact])
            if extra and segs:
                last = segs[-1]
                if last.iri is None and not last.quote and last.text.endswith("."):
                    segs[-1] = Seg(last.text[:-1] + extra + ".")
        return Sentence(segs, [fact], date=fact.o.as_date())


class Composer(_Builder):
    """One sentence per role, finding, recommendation, outcome, event or quotation.

    A sentence's main statements (which say how many sources state it) are the same on every sheet
    that shows it: they are chosen by the kind of thing, never by the sheet's entity.
    """

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.consumed: set[str] = set()
        self.sections: dict[str, list[Sentence]] = defaultdict(list)

    def facts_of(self, facts: list[Fact], subject: str, predicate: str) -> list[Fact]:
        p = _p(predicate)
        return [f for f in facts if f.s == subject and f.p == p]

    def kind_of(self, iri: str) -> str:
        ent = self.ctx.entities.get(iri)
        return ent.type if ent is not None else ""

    # -- derived things --------------------------------------------------------------------

    def _linked(self, links: list[Fact]) -> list[Fact] | None:
        """The verified links to the sheet's entity; None when there are links and none verifies."""
        ok = self.ok(links)
        if links and not ok:
            return None
        return ok

    def role(self, r: str, facts: list[Fact], links: list[Fact]) -> None:
        linked = self._linked(links)
        holders = self.ok(self.facts_of(facts, r, "kg:holder"))
        if linked is None or not holders:
            return
        types = self.ok(self.facts_of(facts, r, "kg:roleType"))
        orgs = self.ok(self.facts_of(facts, r, "kg:organization"))
        areas = self.ok(self.facts_of(facts, r, "kg:area"))
        names = self.ok(self.facts_of(facts, r, "schema:roleName"))
        w = _Words().names(self.objects(holders), self)
        verb = " is " if len(holders) == 1 else " are "
        if types:
            w.t(verb + prose.join(_distinct(self.ctx.label(f.o.value) for f in types)))
        else:
            w.t(" holds the role " if len(holders) == 1 else " hold the role ").ref(*self.name(r))
        if areas:
            w.t(" for ").names(self.objects(areas), self)
        if orgs:
            w.t(" at ").names(self.objects(orgs), self)
        if names:
            w.t(" (described as ").quotes(_distinct(f.o.value for f in names)).t(")")
        w.t(".")
        used = holders + types + orgs + areas + names
        self.add("roles", _sentence(w.done(), holders, used + linked), used + linked)

    def finding(self, r: str, facts: list[Fact], links: list[Fact]) -> None:
        linked = self._linked(links)
        if linked is None:
            return
        by = self.ok(self.facts_of(facts, r, "kg:foundBy"))
        inv = self.ok(self.facts_of(facts, r, "kg:inInvestigation"))
        about = self.ok(self.facts_of(facts, r, "kg:concerns"))
        kinds = self.ok(self.facts_of(facts, r, "kg:misconductType"))
        used = by + inv + about
        if not used and not kinds:
            return
        label = self.ctx.label(r)
        w = _Words().ref(*self.name(r))
        if not used:
            w.t(f" {prose.be(label, 'present')} a finding")
        else:
            w.t(f" {prose.be(label)} found")
        agents = [f for f in by if self.kind_of(f.o.value) not in _WHERE_FOUND]
        where = [f for f in inv + by if self.kind_of(f.o.value) in _WHERE_FOUND or f in inv]
        where.sort(key=lambda f: _WHERE_ORDER.get(self.kind_of(f.o.value), 0))
        if agents:
            w.t(" by ").names(self.objects(agents), self)
        places = self.objects(where)
        for sep, iri in zip(prose.separators(len(places)), places, strict=True):
            w.t((sep or " ") + "in ").name(iri, self)
        if about:
            w.t(", concerning ").names(self.objects(about), self)
        shown = [f for f in kinds if normalize_name(self.ctx.label(f.o.value)) != normalize_name(label)]
        if shown:
            w.t(" (classed as " + prose.join(_distinct(self.ctx.label(f.o.value) for f in shown)) + ")")
        w.t(".")
        self.add("findings", _sentence(w.done(), used or kinds, used + kinds + linked), used + kinds + linked)

    def recommendation(self, r: str, facts: list[Fact], links: list[Fact]) -> None:
        linked = self._linked(links)
        if linked is None:
            return
        texts = sorted(
            self.ok(self.facts_of(facts, r, "schema:text")), key=lambda f: (-len(f.sources), -len(f.o.value), f.o.value)
        )
        by = self.ok(self.facts_of(facts, r, "kg:recommendedBy"))
        to = self.ok(self.facts_of(facts, r, "kg:addressedTo"))
        used = texts + by + to
        if not used:
            return
        w = _Words()
        if by:
            w.names(self.objects(by), self).t(" recommended")
        else:
            w.t("It was recommended")
        if to:
            w.t(" to ").names(self.objects(to), self)
        w.t(": ")
        if texts:
            w.q(texts[0].o.value)
            if len(texts) > 1:
                w.t(" (also worded ").quotes([f.o.value for f in texts[1:]]).t(")")
        else:
            w.ref(*self.name(r))
        w.t(".")
        self.add("recommendations", _sentence(w.done(), texts[:1] or used[:1], used + linked), used + linked)

    def outcome(self, r: str, facts: list[Fact], links: list[Fact]) -> None:
        linked = self._linked(links)
        if linked is None:
            return
        counts = self.ok(self.facts_of(facts, r, "kg:officerCount"))
        inv = self.ok(self.facts_of(facts, r, "kg:inInvestigation"))
        kinds = self.ok(self.facts_of(facts, r, "kg:outcomeType") + self.facts_of(facts, r, "kg:inConnectionWith"))
        if not counts and not inv and not linked:
            return
        options: list[Fact | None] = list(counts) or [None]
        for count in options:
            w = _Words().ref(*self.name(r))
            n = count.o.as_int() if count is not None else None
            if count is not None:
                w.t(": " + (prose.count(n, "officer") if n is not None else count.o.value))
            if inv:
                w.t(", in ").names(self.objects(inv), self)
            w.t(".")
            head = [count] if count is not None else []
            used = head + inv + kinds
            self.add("outcomes", _sentence(w.done(), head or inv or linked, used + linked), used + linked)

    def status(self, facts: list[Fact], r: str) -> tuple[str, list[Fact]]:
        """What an event's verified ``schema:eventStatus`` says: ``done`` (none), ``planned`` or ``recommended``."""
        said = self.ok(self.facts_of(facts, r, "schema:eventStatus"))
        for f in said:
            if f.o.value in STATUS:
                return STATUS[f.o.value], [f]
        return "done", []

    def clause(self, r: str, facts: list[Fact], status: str) -> tuple[_Words, list[Fact], bool]:
        """An event as words, from its cited agent, kind, object and recipient where it has them (the
        tense from its status), else its name (and, for an event not done, an open "(planned");
        the statements the words state; whether it is that name."""
        agents = self.ok(self.facts_of(facts, r, "schema:agent"))
        types = self.ok(self.facts_of(facts, r, "kg:eventType"))
        objects = self.ok(self.facts_of(facts, r, "schema:object"))
        recipients = self.ok(self.facts_of(facts, r, "schema:recipient"))
        w = _Words()
        kind = types[0].o.value if types else None
        past = self.ctx.concepts.get(kind, "") if kind else ""
        base = prose.base_verb(kind, past) if kind else None
        agent_iris = self.objects(agents)
        rest = (
            self._rest_of_name(r, agent_iris, past, base if status != "done" else None)
            if agents and not objects and not recipients else None
        )
        if not agents or not types or not past or (status != "done" and not base) or not (objects or recipients or rest):
            w.ref(*self.name(r))
            return (w.t(f" ({status}") if status != "done" else w), [], True
        if status == "recommended":
            w.t("It was recommended that ").names(agent_iris, self).t(f" {base}")
        elif status == "planned":
            subject = prose.join([self.ctx.label(i) for i in agent_iris])
            plural_ = len(agent_iris) > 1 or prose.is_plural(subject)
            w.names(agent_iris, self).t(f" {'are' if plural_ else 'is'} due to {base}")
        else:
            w.names(agent_iris, self).t(f" {past}")
        if objects:
            w.t(" ").names(self.objects(objects), self)
        elif rest:
            w.t(" " + rest)
        if recipients:
            said_to = (past if status == "done" else base or "").endswith(" to")
            w.t(" " if said_to else " to ").names(self.objects(recipients), self)
        return w, agents + types[:1] + objects + recipients, False

    def _rest_of_name(self, r: str, agents: list[str], past: str, base: str | None) -> str | None:
        """What an event's name says after its agent and verb ("the Met’s response" of "IOPC published
        the Met’s response"; with ``base``, for an event not done, also "the response" of "HCO to
        publish the response"), when it is made that way."""
        label = self.ctx.label(r)
        verbs = [past] + ([f"to {base}", f"will {base}"] if base else [])
        for a in agents:
            ent = self.ctx.entities.get(a)
            for name in (ent.label, *ent.aliases) if ent is not None else ():
                for verb in verbs:
                    lead = f"{name} {verb} "
                    if label.startswith(lead) and len(label) > len(lead):
                        return label[len(lead) :]
        return None

    def event(self, r: str, facts: list[Fact], links: list[Fact], section: str = "events") -> None:
        """One sentence per event and date: dates that agree (2018 and March 2018) are one, at the most
        precise, with every citation of each."""
        linked = self._linked(links)
        if linked is None:
            return
        status, said = self.status(facts, r)
        starts = _date_groups(self.ok(self.facts_of(facts, r, "schema:startDate")))
        dues = _date_groups(self.ok(self.facts_of(facts, r, "kg:dueDate")))
        wrote = False
        for group, is_due in [(g, False) for g in starts] + [(g, True) for g in dues]:
            w, parts, named = self.clause(r, facts, status)
            d = group[0].o.as_date()
            when = date_text(d) if d is not None else group[0].o.value
            resolved = self.resolved(group)
            if named and status != "done":  # "Name (planned, due by 29 March 2022, resolved from “…”)."
                w.t(", due by " + when if is_due else ", " + (date_phrase(d) if d else when))
                w.t((", " + resolved.strip()[1:-1] if resolved else "") + ").")
            else:
                if is_due:
                    w.t((" by " if status != "done" else ", due by ") + when)
                else:
                    w.t(" " + date_phrase(d) if d is not None else f" ({when})")
                w.t(resolved + ".")
            used = group + parts + said
            self.add(section, _sentence(w.done(), group, used + linked, date=d), used + linked)
            wrote = True
        if not wrote and (linked or said):
            w, parts, named = self.clause(r, facts, status)
            w.t((")" if named and status != "done" else "") + ".")
            used = parts + said
            self.add(section, _sentence(w.done(), used or linked, used + linked), used + linked)

    def quotation(
        self, r: str, facts: list[Fact], links: list[Fact], about: list[Cite] | None = None, section: str = "quotations"
    ) -> None:
        linked = self._linked(links)
        if linked is None:
            return
        texts = self.ok(self.facts_of(facts, r, "schema:text"))
        creators = self.ok(self.facts_of(facts, r, "schema:creator"))
        speakers = self.ok(self.facts_of(facts, r, "kg:speakerDescription"))
        dates = _date_groups(self.ok(self.facts_of(facts, r, "schema:dateCreated")))
        if not texts and not creators:
            return
        w = _Words()
        when = dates[0] if dates else []
        date = when[0].o.as_date() if when else None
        if when and date is not None:
            w.t(date_phrase(date) + self.resolved(when) + ", ")
        if creators:
            w.names(self.objects(creators), self)
        elif speakers:
            w.t(prose.join(_distinct(f.o.value for f in speakers)))
        else:
            w.t("someone")
        words = texts[0].o.value if texts else self.ctx.label(r)
        blocks = _paragraphs(texts[0]) if texts else []
        if len(blocks) > 1:
            w.t(" said:")
        else:
            w.t(" said: ").q(words)
            if not re.search(r"[.!?…]$", words):
                w.t(".")
            blocks = []
        used = texts[:1] + creators + (speakers if not creators else []) + when
        sentence = _sentence(
            w.done(), texts[:1] or creators, used + linked, date=date, mentions=list(about or []), blocks=blocks
        )
        self.add(section, sentence, used + linked)

    def objects(self, facts: Iterable[Fact]) -> list[str]:
        """The distinct objects of ``facts``, in order."""
        return list(dict.fromkeys(f.o.value for f in facts))

    def add(self, section: str, sentence: Sentence, used: Iterable[Fact]) -> None:
        for f in used:
            self.consumed.add(f.iri)
        self.sections[section].append(sentence)


#: What an event's ``schema:eventStatus`` makes it (anything else, or none, is ``done``).
STATUS: dict[str, str] = {SCHEMA + "EventScheduled": "planned", KG + "EventRecommended": "recommended"}
#: Where a finding was found (in an investigation, a review or a report), not who found it.
_WHERE_FOUND = frozenset(_p(c) for c in ("kg:Investigation", "kg:Review", "schema:Report", "schema:CreativeWork"))
_WHERE_ORDER = {_p("kg:Investigation"): 0, _p("kg:Review"): 1, _p("schema:Report"): 2, _p("schema:CreativeWork"): 3}
_PARAGRAPH = re.compile(r"\s*\n\s*\n\s*")
_OPENING = "“‘\"'"
_CLOSING = {"“": "”", "‘": "’", '"': '"', "'": "'"}


def _distinct(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _date_groups(facts: list[Fact]) -> list[list[Fact]]:
    """Dated facts in groups of dates that agree (one contains the other), the most precise first in
    each; groups in date order.  A fact whose value is not a date is a group of its own."""
    rank = {"day": 0, "month": 1, "year": 2}
    dated = [(f, f.o.as_date()) for f in facts]
    ordered = sorted(dated, key=lambda fd: (fd[1] is None, rank[fd[1].precision] if fd[1] else 3, fd[0].sort_key()))
    groups: list[tuple[PartialDate | None, list[Fact]]] = []
    for f, d in ordered:
        for rep, members in groups:
            if d is not None and rep is not None and rep.compatible(d):
                members.append(f)
                break
        else:
            groups.append((d, [f]))
    groups.sort(key=lambda g: (g[0] is None, g[0].first_day() if g[0] else None, g[1][0].iri))
    return [members for _d, members in groups]


def _paragraphs(fact: Fact) -> list[str]:
    """A quotation's words by paragraph, from the source's own text: the first verified citation that
    quotes exactly its words (white space aside), cut at its blank lines, with the opening quote mark
    that starts each further paragraph of a long quotation (and has no closing mark) taken off."""
    words = " ".join(fact.o.value.split())
    for cite in fact.cites:
        exact = cite.citation.exact
        if " ".join(exact.split()) != words:
            continue
        out = []
        for i, para in enumerate(p for p in _PARAGRAPH.split(exact.strip()) if p):
            if i and para[:1] in _OPENING and para.count(para[0]) > para.count(_CLOSING[para[0]]):
                para = para[1:]
            out.append(" ".join(para.split()))
        return out
    return [words]



class SheetBuilder(Composer):
    """The fact sheet of one entity."""

    def __init__(self, ctx: Context, iri: str) -> None:
        super().__init__(ctx)
        self.entity = ctx.entities[iri]
        self.iri = iri

    def build(self) -> Sheet:
        ctx, e = self.ctx, self.iri
        direct = ctx.statements(subjects=[e], objects=[e])
        kind = {i: ctx.entities[i].type for i in ctx.entities}
        related: set[str] = set()
        for f in direct:
            for end in (f.s, f.o.value if f.o.is_iri else ""):
                if end != e and kind.get(end) in KINDS:
                    related.add(end)
        if kind.get(e) in KINDS:
            related.add(e)

        # quotations about the entity: a verified mention inside the words of a quotation
        mentions, bad_mentions = ctx.mentions(e)
        for cite, why in bad_mentions:
            self.report_mention(e, cite, why)
        about: dict[str, list[Cite]] = {}
        if kind.get(e) != QUOTATION and mentions:
            for qf in ctx.statements_with([_p("schema:text")]):
                if kind.get(qf.s) != QUOTATION or qf.s in related:
                    continue
                inside = [
                    m for m in mentions for c in qf.cites
                    if m.citation.source == c.citation.source
                    and c.citation.start <= m.citation.start and m.citation.end <= c.citation.end
                ]
                if inside:
                    about[qf.s] = sorted(set(inside), key=lambda c: c.key)[:1]
        facts = ctx.statements(subjects=sorted(related | set(about)))
        by_subject: dict[str, list[Fact]] = defaultdict(list)
        for f in facts:
            by_subject[f.s].append(f)

        builders = {
            ROLE: self.role, FINDING: self.finding, RECOMMENDATION: self.recommendation,
            OUTCOME: self.outcome, EVENT: self.event,
        }
        for r in sorted(related):
            links = [f for f in direct if r != e and {f.s, f.o.value} == {r, e}]
            t = kind[r]
            if t == QUOTATION:
                self.quotation(r, by_subject[r], links)
            else:
                builders[t](r, by_subject[r], links)
        for r in sorted(about):
            self.quotation(r, by_subject[r], [], about=about[r])

        for f in self.ok(direct):
            if f.iri not in self.consumed:
                self.add("facts", self.simple(f), [f])
        for f in direct:
            self.report(f)

        aliases = self.aliases(mentions)
        sections = self.ordered_sections()
        conflicts = self.conflicts(sorted({e} | related))
        footnotes = sorted(self.footnotes.values(), key=lambda fn: fn.n)
        uses: dict[str, int] = defaultdict(int)
        for fn in footnotes:
            uses[fn.source.id] += 1
        sources = [SourceUse(self.ctx.sources[s], n) for s, n in sorted(uses.items()) if s in self.ctx.sources]
        return Sheet(self.entity, aliases, sections, conflicts, footnotes, sources, list(self.omitted))

    def aliases(self, mentions: list[Cite]) -> list[tuple[str, list[Footnote]]]:
        out: list[tuple[str, list[Footnote]]] = []
        for alias in self.entity.aliases:
            key = normalize_name(alias)
            backing = [m for m in mentions if normalize_name(m.citation.exact) == key]
            if backing:
                out.append((alias, [self.note(backing[0])]))
            else:
                self.omitted[f"alias “{alias}” of {self.entity.label} left out: no verified mention quotes it"] = None
        return out

    SECTIONS = (
        ("roles", "Roles"),
        ("facts", "What the sources say"),
        ("findings", "Findings"),
        ("recommendations", "Recommendations"),
        ("outcomes", "Disciplinary outcomes"),
        ("events", "Events"),
        ("quotations", "Quotations"),
    )

    def ordered_sections(self) -> list[Section]:
        out = []
        for key, title in self.SECTIONS:
            sentences = self.sections.get(key, [])
            if key == "outcomes":
                sentences.sort(key=lambda s: (-(s.facts[0].o.as_int() or 0), s.plain.casefold(), s.facts[0].iri))
            elif key == "facts":
                sentences.sort(key=lambda s: (_TEMPLATE_ORDER.get(s.facts[0].p, 999), s.plain, s.facts[0].iri))
            elif key in ("events", "quotations"):
                sentences.sort(key=_date_key)
            else:
                sentences.sort(key=lambda s: (s.plain.casefold(), s.facts[0].iri if s.facts else ""))
            if sentences:
                out.append(Section(key, title, [self.number(s) for s in sentences]))
        return out

    def conflicts(self, subjects: list[str]) -> list[ConflictView]:
        out = []
        for _c, s, p, statements in self.ctx.conflicts(subjects):
            sides = []
            for st in statements:
                fact = self.ctx.fact(st)
                if fact is None:
                    continue
                self.report(fact)
                if not fact.ok:
                    continue
                w = _Words()
                self.value(w, fact.o)
                side = ConflictSide(w.segs, fact)
                side.notes = [self.note(c) for c in fact.cites]
                sides.append(side)
            if len(sides) < 2:
                self.omitted[
                    f"conflict about {self.ctx.label(s)} ({self.ctx.property_name(p)}) left out: "
                    f"{len(sides)} of {len(statements)} sides verify"
                ] = None
                continue
            sides.sort(key=lambda x: x.fact.sort_key())
            intro = _Words().t("Sources disagree about ").ref(*self.name(s)).t(f" ({self.ctx.property_name(p)}):")
            out.append(ConflictView(intro.segs, sides))
        return out


def _unique(facts: Iterable[Fact]) -> list[Fact]:
    return list({f.iri: f for f in facts}.values())


def _sentence(segs: list[Seg], heads: list[Fact], others: list[Fact], **kw: Any) -> Sentence:
    """A sentence stating ``heads`` (its main statements) and ``others``."""
    return Sentence(segs, _unique(heads + others), head=len(_unique(heads)), **kw)


def _date_key(s: Sentence) -> tuple[Any, ...]:
    d = s.date
    first = min((c.key for c in s.cites()), default=("~", 0, 0))
    if d is None:
        return (1, "", 0, first, s.plain)
    return (0, d.first_day().isoformat(), {"year": 0, "month": 1, "day": 2}[d.precision], first, s.plain)


def build_sheet(ctx: Context, iri: str) -> Sheet:
    """The fact sheet of the entity ``iri`` (an IRI the dataset has)."""
    if iri not in ctx.entities:
        iri = resolve(ctx, iri)
    return SheetBuilder(ctx, iri).build()


# --- rendering ------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")


def md_escape(text: object) -> str:
    """Text from a source made inert in Markdown: no emphasis, links, HTML or entities."""
    out = _MD_SPECIAL.sub(r"\\\1", str(text))
    out = _MD_ENTITY.sub(r"\\&", out)
    return " ".join(out.split()) if "\n" in out or "\r" in out else out


def _html_text(text: object) -> Markup:
    """Escaped text that keeps carriage returns (the HTML parser would turn a raw one into a newline)."""
    return Markup(str(escape(str(text))).replace("\r", "&#13;"))


@dataclass(frozen=True)
class Links:
    """Where a page's links point.

    ``mode`` is ``standalone`` (one file: footnote markers go to the notes, no entity links),
    ``sheets`` (``write_all``: entity names link to sibling files) or ``site`` (entity names link to
    entity pages, footnote markers open the source page at the cited words).
    """

    mode: Literal["standalone", "sheets", "site"] = "standalone"
    suffix: str = ".html"
    root: str = ""  # path from the page to the site's root, e.g. "../"
    pages: frozenset[str] = frozenset()  # entities that have a page

    def entity(self, iri: str | None) -> str | None:
        if iri is None or self.mode == "standalone" or iri not in self.pages:
            return None
        name = page_name(iri) + self.suffix
        return f"{self.root}entity/{name}" if self.mode == "site" else name

    def marker(self, fn: Footnote) -> str:
        return self.source(fn) if self.mode == "site" else f"#{fn.id}"

    def source(self, fn: Footnote) -> str:
        return f"{self.root}source/{fn.source.page}.html#{fn.anchor}"


@cache
def environment(fmt: Format) -> jinja2.Environment:
    """The Jinja2 environment of a format (HTML autoescapes everything), loaded once per process."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=fmt == "html",
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = md_escape
    env.filters["text"] = _html_text
    env.globals["date_text"] = date_text
    return env


@dataclass(frozen=True)
class Rendered:
    text: str
    omitted: tuple[str, ...]


def render_sheet(sheet: Sheet, fmt: Format, links: Links | None = None, **extra: Any) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    env = environment(fmt)
    template = env.get_template(f"factsheet.{fmt}.j2")
    return template.render(sheet=sheet, links=links or Links(suffix=f".{fmt}"), **extra)


def render(project: Project, iri: str, fmt: Format = "md", *, ctx: Context | None = None) -> Rendered:
    """The fact sheet of ``iri`` as Markdown or HTML, and what was left out (and why)."""
    ctx = ctx or Context(project)
    sheet = build_sheet(ctx, iri)
    return Rendered(render_sheet(sheet, fmt), tuple(sheet.omitted))


def groups(entities: Iterable[Entity]) -> list[tuple[str, list[Entity]]]:
    """Entities by type in index order (plural type name, entities sorted by label)."""
    by: dict[str, list[Entity]] = defaultdict(list)
    for ent in entities:
        by[ent.type].append(ent)
    out = []
    for t in sorted(by, key=lambda t: (_TYPE_ORDER.get(t, len(_TYPE_ORDER)), t)):
        plural_name = _TYPE_NAMES.get(t, ("", ids.compact(t)))[1]
        out.append((plural_name, sorted(by[t], key=lambda x: (x.label.casefold(), x.iri))))
    return out


@dataclass(frozen=True)
class WriteReport:
    folder: Path
    sheets: int  # fact sheets written (the index comes on top)
    omitted: tuple[str, ...]



def write_all(project: Project, fmt: Format, outdir: Path, *, ctx: Context | None = None) -> WriteReport:
    """One fact sheet per entity (``<type>-<name>.<fmt>``) and an index, written atomically into ``outdir``."""
    ctx = ctx or Context(project)
    links = Links("sheets", f".{fmt}", pages=frozenset(ctx.entities))
    omitted: dict[str, None] = {}
    count = 0

    def write(folder: Path) -> None:
        nonlocal count
        for iri in sorted(ctx.entities):
            sheet = build_sheet(ctx, iri)
            atomic_write_text(folder / f"{page_name(iri)}.{fmt}", render_sheet(sheet, fmt, links))
            omitted.update(dict.fromkeys(sheet.omitted))
            count += 1
        env = environment(fmt)
        index = env.get_template(f"index.{fmt}.j2").render(
            groups=groups(ctx.entities.values()), links=links, sources=list(ctx.sources.values()), site=False
        )
        atomic_write_text(folder / f"index.{fmt}", index)

    replace_folder(outdir, write)
    return WriteReport(Path(outdir), count, tuple(omitted))
