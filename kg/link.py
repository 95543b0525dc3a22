"""Statements of the corpus: each document's claims in corpus-wide IRIs, corroboration, conflicts.

Which local entity is which corpus-wide entity is decided by :mod:`kg.resolve`.  Here:

- each claim becomes a statement about corpus-wide IRIs; the same triple from several sources is
  one statement with every source's citations (corroboration);
- where sources give values that disagree for a single-valued property, a conflict is recorded,
  with what kind of disagreement it is (a count, a date, an attribution, a description).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from . import ids
from .errors import CitationError
from .model import Citation, Claim, Concept, Document, EntityKey, Extraction, Value
from .resolve import Entity, Linking, resolve
from .vocab import Vocabulary, vocabulary

Term = str | Value  # an IRI or a literal


@dataclass
class Statement:
    iri: str
    subject: str
    predicate: str
    object: Term
    citations: list[Citation] = field(default_factory=list)
    #: what a citation says about how the value was read ("yesterday", resolved against …)
    notes: dict[Citation, set[tuple[str, Value]]] = field(default_factory=dict)

    @property
    def sources(self) -> list[str]:
        return sorted({c.source for c in self.citations})


@dataclass(frozen=True)
class Conflict:
    iri: str
    subject: str
    predicate: str
    statements: tuple[str, ...]
    kind: str = "value"  # count | date | attribution | description (see :func:`conflict_kind`)


@dataclass(frozen=True)
class MentionRef:
    entity: str
    citation: Citation
    form: str


@dataclass
class Corpus:
    documents: list[Document]
    entities: dict[str, Entity]
    mentions: list[MentionRef]
    statements: dict[str, Statement]
    conflicts: list[Conflict]
    warnings: list[str]

    def corroborated(self) -> list[Statement]:
        return [s for s in self.statements.values() if len(s.sources) > 1]


@dataclass
class DocFacts:
    """What one document says, in corpus-wide IRIs: its mentions, aliases and cited statements."""

    document: str
    mentions: list[MentionRef]
    aliases: dict[str, set[str]]  # IRI -> surface forms seen in this document
    statements: list[Statement]  # citations from this document only
    entities: set[str]  # IRIs the document mentions


def document_facts(x: Extraction, linking: Linking) -> DocFacts:
    """One document's mentions and statements in corpus-wide IRIs (citations from it only)."""
    doc = x.document
    mentions: list[MentionRef] = []
    aliases: dict[str, set[str]] = defaultdict(set)
    mentioned: set[str] = set()
    # what the curation file rejects: entities, and words that mention nothing
    rejected = {key for d, key in linking.rejected if d == doc}
    words = linking.rejected_mentions.get(doc, set())
    curated: set[str] = set()  # local keys that lost a mention to the curation file
    for m in x.mentions:
        if m.entity in rejected or (words and " ".join(m.citation.exact.split()) in words):
            curated.add(m.entity)
            continue
        iri = linking.iri(doc, m.entity)
        mentions.append(MentionRef(iri, m.citation, m.form))
        mentioned.add(iri)
        if m.form in ("name", "alias", "acronym"):
            form = " ".join(m.citation.exact.split())
            if form != linking.entities[iri].label:
                aliases[iri].add(form)
    statements: dict[str, Statement] = {}
    for claim in x.claims:
        keys = (claim.subject, claim.object.key if isinstance(claim.object, EntityKey) else None)
        if any(k in rejected for k in keys if k):
            continue
        s = linking.iri(doc, claim.subject)
        o = _object(doc, claim, linking)
        if curated and any(isinstance(r, str) and r in linking.entities and r not in mentioned for r in (s, o)):
            continue  # the curation file took the entity's last mention here: its statements go with it
        for ref in (s, o):
            if isinstance(ref, str) and ref in linking.entities and ref not in mentioned:
                raise CitationError(
                    f"a claim refers to {linking.entities[ref].label!r}, which the document never mentions",
                    f"in {doc}",
                    "this is a bug in an extractor: every entity a claim uses needs a mention",
                )
        p = ids.expand(claim.predicate)
        key = ids.statement_iri(s, p, _term_key(o))
        st = statements.get(key)
        if st is None:
            st = statements[key] = Statement(key, s, p, o)
        for c in claim.citations:
            if c not in st.citations:
                st.citations.append(c)
            if claim.notes:
                st.notes.setdefault(c, set()).update(claim.notes)
    for st in statements.values():
        st.citations.sort()
    return DocFacts(
        doc,
        sorted(mentions, key=lambda m: (m.citation, m.entity)),
        dict(aliases),
        [statements[k] for k in sorted(statements)],
        mentioned,
    )


def link(
    documents: Sequence[Document],
    extractions: Sequence[Extraction],
    vocab: Vocabulary | None = None,
) -> Corpus:
    """The whole corpus in memory: for small corpora, tests and tools (``kg build`` streams)."""
    vocab = vocab or vocabulary()
    by_doc = {x.document: x for x in extractions}
    docs = sorted(documents, key=lambda d: d.id)
    ordered = sorted(extractions, key=lambda e: e.document)
    linking = resolve(((x.document, x.entities) for x in ordered), None,
                      {d.id: f"{d.meta.published.first_day().isoformat()} {d.id}" for d in docs})
    entities = {iri: Entity(e.iri, e.type, e.label) for iri, e in linking.entities.items()}
    mentions: list[MentionRef] = []
    statements: dict[str, Statement] = {}
    for x in ordered:
        facts = document_facts(x, linking)
        mentions.extend(facts.mentions)
        for iri, forms in facts.aliases.items():
            entities[iri].aliases.setdefault(x.document, set()).update(forms)
        for st in facts.statements:
            merged = statements.setdefault(st.iri, Statement(st.iri, st.subject, st.predicate, st.object))
            merged.citations.extend(st.citations)
            for c, notes in st.notes.items():
                merged.notes.setdefault(c, set()).update(notes)
    for st in statements.values():
        st.citations.sort()
    warnings = [f"{x.document}: {w}" for x in ordered for w in x.warnings]
    return Corpus(
        documents=list(docs),
        entities=entities,
        mentions=sorted(mentions, key=lambda m: (m.citation, m.entity)),
        statements=dict(sorted(statements.items())),
        conflicts=find_conflicts(statements.values(), vocab),
        warnings=warnings + _missing(by_doc, docs),
    )


def _missing(by_doc: dict[str, Extraction], docs: Iterable[Document]) -> list[str]:
    return [f"{d.id}: no extraction" for d in docs if d.id not in by_doc]


def _object(doc: str, claim: Claim, linking: Linking) -> Term:
    o = claim.object
    if isinstance(o, EntityKey):
        return linking.iri(doc, o.key)
    if isinstance(o, Concept):
        return ids.expand(o.curie)
    return o


def _term_key(o: Term) -> str:
    if isinstance(o, Value):
        return f'"{o.lexical}"^^{o.datatype}'
    return o


#: Words that carry no content when two descriptions are compared.
_FUNCTION_WORDS = frozenset({
    "a", "an", "the", "that", "this", "these", "those", "had", "has", "have", "was", "were", "is", "are", "be",
    "been", "of", "in", "on", "at", "to", "by", "for", "with", "and", "or", "while", "who", "whom", "which", "it",
    "its", "their", "his", "her", "they", "he", "she", "as", "from", "after", "before",
})


def _content(text: str) -> set[str]:
    """The content words of a description, cut to five letters ("alleging", "allegation" → "alleg")."""
    return {w[:5] for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _FUNCTION_WORDS}


#: Words for who and where that two accounts of one allegation describe differently without
#: disagreeing ("a drunk person at a police station", "a member of the public while on duty"):
#: what the allegation is about is in the other words.
_SETTING_WORDS = frozenset(w[:5] for w in (
    "officer", "officers", "police", "policeman", "policewoman", "constable", "sergeant", "person", "people",
    "member", "members", "public", "man", "woman", "someone", "individual", "colleague", "colleagues", "station",
    "duty", "custody", "work", "conduct", "referral", "allegation", "alleging", "alleged", "complaint", "claim",
    "report", "reported", "serving", "while", "during", "when", "after",
))


def _descriptions_agree(a: str, b: str) -> bool:
    """Two descriptions of one thing agree unless what they say happened differs: paraphrases
    ("alleging an officer had sex …", "an allegation that a police officer had sex …") and accounts
    that tell the same act with other details of who and where agree; "an allegation that an
    officer stole evidence" and "a complaint that an officer assaulted a prisoner" do not.  What
    happened is the content words that are not words of the setting (:data:`_SETTING_WORDS`); two
    descriptions agree when half of the shorter's are in the longer, or when one of them has none
    ("a conduct referral" says nothing of what happened)."""
    wa, wb = _content(a), _content(b)
    if not wa or not wb:
        return a.strip().lower() == b.strip().lower()
    ca, cb = wa - _SETTING_WORDS, wb - _SETTING_WORDS
    if ca and cb:
        return len(ca & cb) >= 0.5 * min(len(ca), len(cb))
    return True  # one of them ("a conduct referral") says nothing of what happened: no disagreement


def _values_disagree(values: list[Term], vocab: Vocabulary | None = None) -> bool:
    concepts = [ids.compact(v) for v in values if isinstance(v, str)]
    # "dismissed" and "dismissed for gross misconduct": one says more than the other, not otherwise
    if vocab is not None and len(concepts) == len(values) > 1 and all(
            a == b or a in vocab.ancestors(b) or b in vocab.ancestors(a) for i, a in enumerate(concepts) for b in concepts[:i]):
        return False
    dates = [v.as_date() for v in values if isinstance(v, Value)]
    if dates and all(d is not None for d in dates) and len(dates) == len(values):
        return any(not a.compatible(b) for i, a in enumerate(dates) for b in dates[:i] if a and b)
    texts = [v.lexical for v in values if isinstance(v, Value) and v.datatype == "xsd:string"]
    if texts and len(texts) == len(values):
        return any(not _descriptions_agree(a, b) for i, a in enumerate(texts) for b in texts[:i])
    return len({_term_key(v) for v in values}) > 1


#: Who said a quotation: one quotation attributed to two speakers is an attribution conflict.
CREATOR = ids.expand("schema:creator")
QUOTATION_NS = ids.PREFIXES["quotation"]


def conflict_kind(predicate: str, values: Sequence[Term]) -> str:
    """What a disagreement is about: a ``count``, a ``date``, an ``attribution`` (who said or did
    it) or a ``description``."""
    if all(isinstance(v, Value) and v.datatype == "xsd:integer" for v in values):
        return "count"
    if all(isinstance(v, Value) and v.as_date() is not None for v in values):
        return "date"
    if all(isinstance(v, Value) for v in values):
        return "description"
    return "attribution" if predicate in ATTRIBUTIONS else "value"


#: Properties that say who did or said something.
ATTRIBUTIONS = frozenset(ids.expand(p) for p in (
    "schema:creator", "schema:agent", "kg:conductedBy", "kg:foundBy", "kg:recommendedBy", "schema:author",
))


def find_conflicts(statements: Iterable[Statement], vocab: Vocabulary | None = None) -> list[Conflict]:
    """Statements that give a single-valued property of one thing values that disagree, and
    quotations attributed to different speakers."""
    vocab = vocab or vocabulary()
    by_sp: dict[tuple[str, str], dict[str, Statement]] = defaultdict(dict)
    for st in statements:
        if st.predicate in vocab.single_valued or (st.predicate == CREATOR and st.subject.startswith(QUOTATION_NS)):
            by_sp[(st.subject, st.predicate)][st.iri] = st
    out = []
    for (s, p), group in sorted(by_sp.items()):
        values = [g.object for g in group.values()]
        if len(group) > 1 and _values_disagree(values, vocab):
            out.append(Conflict(ids.conflict_iri(s, p), s, p, tuple(sorted(group)), conflict_kind(p, values)))
    return out
