"""Merge per-document extractions into one corpus: entities, statements, citations, conflicts.

- Named entities link across documents when they share a strong name (a full name or a defined
  acronym) and a type; a cluster known only by a weak form (a surname, a clipped name) joins the
  one cluster that has that form, if exactly one does.
- Derived entities (findings, outcomes, events, quotations, roles, …) are identified by their
  parts once those are linked: the same parts from two documents are the same thing.
  Recommendations additionally match on their wording.
- Each claim becomes a statement about corpus-wide IRIs; the same triple from several sources is
  one statement with every source's citations (corroboration).
- Where sources give different values for a single-valued property, a conflict is recorded.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from . import ids
from .errors import CitationError
from .model import Citation, Claim, Concept, Document, EntityKey, Extraction, LocalEntity, Value
from .text import normalize_name
from .vocab import Vocabulary, vocabulary

Term = str | Value  # an IRI or a literal


@dataclass
class Entity:
    iri: str
    type: str
    label: str
    #: surface forms per source (names and aliases; not pronouns or descriptors)
    aliases: dict[str, set[str]] = field(default_factory=dict)


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


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(self, x: tuple[str, str]) -> tuple[str, str]:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: tuple[str, str], b: tuple[str, str]) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = sorted((ra, rb))
            self.parent[hi] = lo


@functools.lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """Comparison key of a name: normalised, without a leading article, a possessive, or a generic
    suffix that does not change which organisation it is ("… Police Service" = "… Police")."""
    key = normalize_name(name)
    key = re.sub(r"^the\s+", "", key)
    key = re.sub(r"'s$", "", key)
    key = re.sub(r"\b(police)\s+(?:service|force)$", r"\1", key)
    return key


def _label_rank(type_curie: str, name: str) -> tuple[int, int, int, str]:
    tokens = name.split()
    is_acronym = len(tokens) == 1 and name.isupper()
    # Prefer full names over acronyms, more words over fewer, then longer, then alphabetical.
    return (1 if is_acronym else 0, -len(tokens), -len(name), name)


_STOP = frozenset(
    ["a", "an", "the", "to", "of", "for", "and", "or", "in", "on", "with", "its", "it", "their", "that", "which", "be", "being", "been", "is", "are", "was", "were", "should", "would", "could", "must", "will", "by", "as", "at", "from", "this", "these", "those", "more", "all", "any", "how", "into", "over"]
)


def _content_words(text: str) -> frozenset[str]:
    words = re.findall(r"[a-z]+", normalize_name(text))
    return frozenset(w[:6] for w in words if w not in _STOP and len(w) > 2)


def _similar(a: str, b: str) -> bool:
    wa, wb = _content_words(a), _content_words(b)
    if not wa or not wb:
        return False
    return len(wa & wb) / min(len(wa), len(wb)) >= 0.6


@dataclass
class Linking:
    """Corpus-wide identities: which local entity of which document is which IRI."""

    global_of: dict[tuple[str, str], str]  # (document, local key) -> IRI
    entities: dict[str, Entity]  # IRI -> type and canonical label

    def iri(self, doc: str, key: str) -> str:
        try:
            return self.global_of[(doc, key)]
        except KeyError:
            raise ValueError(f"{doc}: a claim refers to unknown entity {key}") from None

    def signature(self, doc: str, keys: Iterable[str]) -> str:
        """What a document's graph takes from the corpus: the IRI, type and label of each entity."""
        parts = []
        for key in sorted(keys):
            iri = self.global_of[(doc, key)]
            ent = self.entities[iri]
            parts.append(f"{key}\x1f{iri}\x1f{ent.type}\x1f{ent.label}")
        return ids.digest(*parts, size=32)


@dataclass
class DocFacts:
    """What one document says, in corpus-wide IRIs: its mentions, aliases and cited statements."""

    document: str
    mentions: list[MentionRef]
    aliases: dict[str, set[str]]  # IRI -> surface forms seen in this document
    statements: list[Statement]  # citations from this document only
    entities: set[str]  # IRIs the document mentions


def link_entities(entity_lists: Iterable[tuple[str, Sequence[LocalEntity]]]) -> Linking:
    """Give every local entity of every document its corpus-wide IRI.

    ``entity_lists`` is ``(document id, local entities)`` per document, in any order.
    """
    local: dict[tuple[str, str], LocalEntity] = {}
    for doc_id, ents in entity_lists:
        for ent in ents:
            local[(doc_id, ent.key)] = ent

    # --- named entities --------------------------------------------------------------------------
    uf = _UnionFind()
    named = sorted(k for k, e in local.items() if not e.identity)
    strong: dict[tuple[str, str], tuple[str, str]] = {}
    for k in named:
        ent = local[k]
        uf.find(k)
        for name in ent.names:
            nk = (ent.type, name_key(name))
            if nk in strong:
                uf.union(strong[nk], k)
            else:
                strong[nk] = k
    # weak links: a cluster without a strong name shared elsewhere joins the unique cluster that
    # knows its form (a surname, a clipped name, an alias)
    clusters: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for k in named:
        clusters[uf.find(k)].append(k)
    forms_index: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for root, members in clusters.items():
        for m in members:
            ent = local[m]
            for form in (*ent.names, *ent.aliases):
                forms_index[(ent.type, name_key(form))].add(root)
                if ent.type == "schema:Person":
                    parts = name_key(form).split()
                    if len(parts) > 1:
                        forms_index[(ent.type, parts[-1])].add(root)
    docs_of = {root: {m[0] for m in members} for root, members in clusters.items()}
    for root, members in sorted(clusters.items()):
        if len(docs_of[root]) > 1:
            continue  # already linked across documents
        candidates: set[tuple[str, str]] = set()
        for m in members:
            ent = local[m]
            for form in (*ent.names, *ent.aliases):
                for other in forms_index.get((ent.type, name_key(form)), ()):
                    # only clusters from other documents: within a document the extractor decided
                    if m[0] not in docs_of.get(other, {other[0]}):
                        candidates.add(uf.find(other))
        candidates.discard(uf.find(root))
        if len(candidates) == 1:
            uf.union(root, candidates.pop())

    global_of: dict[tuple[str, str], str] = {}
    entities: dict[str, Entity] = {}
    final: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for k in named:
        final[uf.find(k)].append(k)
    used_iris: dict[str, tuple[str, str]] = {}
    for root in sorted(final):
        members = final[root]
        etype = local[members[0]].type
        names = sorted({n for m in members for n in (local[m].names or (local[m].label,))},
                       key=lambda n: _label_rank(etype, n))
        label = names[0]
        iri = ids.entity_iri(etype, label)
        if iri in used_iris and used_iris[iri] != root:
            iri = ids.entity_iri(etype, label, (root[0], root[1]))
        used_iris[iri] = root
        entities[iri] = Entity(iri, etype, label)
        for m in members:
            global_of[m] = iri

    # --- derived entities: identified by their parts ----------------------------------------------
    derived = sorted(k for k, e in local.items() if e.identity)
    resolving: set[tuple[str, str]] = set()
    identity_of: dict[tuple[str, str], tuple[str, ...]] = {}

    def resolve(k: tuple[str, str]) -> tuple[str, ...]:
        if k in identity_of:
            return identity_of[k]
        if k in resolving:
            raise ValueError(f"{k[0]}: entity {k[1]} is defined in terms of itself")
        resolving.add(k)
        parts: list[str] = []
        for part in local[k].identity:
            if isinstance(part, EntityKey):
                ref = (k[0], part.key)
                if ref not in local:
                    raise ValueError(f"{k[0]}: entity {k[1]} refers to unknown entity {part.key}")
                if ref in global_of:
                    parts.append(global_of[ref])
                else:
                    parts.append(ids.entity_iri(local[ref].type, local[ref].label, resolve(ref)))
            else:
                parts.append(part)
        resolving.discard(k)
        identity_of[k] = tuple(parts)
        return identity_of[k]

    for k in derived:
        resolve(k)
    _merge_similar_wordings(local, derived, identity_of)
    derived_label: dict[tuple[str, tuple[str, ...]], str] = {}
    for k in derived:
        ent = local[k]
        gid = (ent.type, identity_of[k])
        old = derived_label.get(gid)
        # the most informative wording any source gives (longest, then alphabetical)
        if old is None or (len(ent.label), ent.label) > (len(old), old):
            derived_label[gid] = ent.label
    for k in derived:
        ent = local[k]
        gid = (ent.type, identity_of[k])
        iri = ids.entity_iri(ent.type, derived_label[gid], identity_of[k])
        global_of[k] = iri
        entities.setdefault(iri, Entity(iri, ent.type, derived_label[gid]))
    return Linking(global_of, dict(sorted(entities.items())))


def _merge_similar_wordings(
    local: dict[tuple[str, str], LocalEntity],
    derived: list[tuple[str, str]],
    identity_of: dict[tuple[str, str], tuple[str, ...]],
) -> None:
    """Recommendations that say the same thing (same maker and addressee, similar wording) in
    different documents are one recommendation.  Candidates are found through shared words, so
    this stays near-linear in the number of recommendations."""
    groups: dict[tuple[str, ...], list[tuple[str, str]]] = defaultdict(list)
    for k in derived:
        ident = identity_of[k]
        if local[k].type == "kg:Recommendation" and ident:
            groups[ident[:-1]].append(k)
    for members in groups.values():
        members.sort()
        by_word: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for a in members:
            words_a = _content_words(identity_of[a][-1])
            seen: set[tuple[str, str]] = set()
            for w in sorted(words_a):
                for b in by_word[w]:
                    if b in seen or b[0] == a[0]:
                        continue
                    seen.add(b)
                    if _similar(identity_of[a][-1], identity_of[b][-1]):
                        identity_of[a] = identity_of[b]  # b came first: a takes its identity
                        break
                else:
                    continue
                break
            for w in words_a:
                by_word[w].append(a)


def document_facts(x: Extraction, linking: Linking) -> DocFacts:
    """One document's mentions and statements in corpus-wide IRIs (citations from it only)."""
    doc = x.document
    mentions: list[MentionRef] = []
    aliases: dict[str, set[str]] = defaultdict(set)
    mentioned: set[str] = set()
    for m in x.mentions:
        iri = linking.iri(doc, m.entity)
        mentions.append(MentionRef(iri, m.citation, m.form))
        mentioned.add(iri)
        if m.form in ("name", "alias", "acronym"):
            form = " ".join(m.citation.exact.split())
            if form != linking.entities[iri].label:
                aliases[iri].add(form)
    statements: dict[str, Statement] = {}
    for claim in x.claims:
        s = linking.iri(doc, claim.subject)
        o = _object(doc, claim, linking)
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
    linking = link_entities((x.document, x.entities) for x in ordered)
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


def _descriptions_agree(a: str, b: str) -> bool:
    """Two descriptions of one thing agree when one says what the other does, in other words at
    most: three quarters of the content words of the shorter are in the longer ("a referral
    alleged that …" and "a conduct referral alleging that …")."""
    wa, wb = _content(a), _content(b)
    if not wa or not wb:
        return a.strip().lower() == b.strip().lower()
    return len(wa & wb) >= 0.75 * min(len(wa), len(wb))


def _values_disagree(values: list[Term]) -> bool:
    dates = [v.as_date() for v in values if isinstance(v, Value)]
    if dates and all(d is not None for d in dates) and len(dates) == len(values):
        return any(not a.compatible(b) for i, a in enumerate(dates) for b in dates[:i] if a and b)
    texts = [v.lexical for v in values if isinstance(v, Value) and v.datatype == "xsd:string"]
    if texts and len(texts) == len(values):
        return any(not _descriptions_agree(a, b) for i, a in enumerate(texts) for b in texts[:i])
    return len({_term_key(v) for v in values}) > 1


def find_conflicts(statements: Iterable[Statement], vocab: Vocabulary | None = None) -> list[Conflict]:
    """Statements that give a single-valued property of one thing values that disagree."""
    vocab = vocab or vocabulary()
    by_sp: dict[tuple[str, str], dict[str, Statement]] = defaultdict(dict)
    for st in statements:
        if st.predicate in vocab.single_valued:
            by_sp[(st.subject, st.predicate)][st.iri] = st
    out = []
    for (s, p), group in sorted(by_sp.items()):
        if len(group) > 1 and _values_disagree([g.object for g in group.values()]):
            out.append(Conflict(ids.conflict_iri(s, p), s, p, tuple(sorted(group))))
    return out
