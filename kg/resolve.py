"""Entity resolution: one entity per real thing across documents, merged only on evidence.

Extraction leaves every document with its own local entities (a document has already resolved
its own surnames, clipped names, acronyms and pronouns to the full names it gives).  This stage
decides which local entities of different documents are one thing, and keeps the evidence of every
merge, so that the build can explain any entity (``kg explain``).  The rules, in order:

``same-name``
    Two documents name it with the same full name (compared without case, accents, a leading
    article or a generic suffix: "the Northshire Police Service" = "Northshire Police") and a
    compatible type (an organisation and a news outlet are compatible; a person and a place are
    not).  A name that extends another ("Riverton" and "Riverton police station", "Northshire" and
    "Northshire Police Foundation") is a different name: names are never matched by containment.
``former-name``
    An organisation whose acronym another document gives as the former name of another ("the
    IOPC - formerly IPCC") is that organisation, renamed.
``acronym`` / ``clip``
    A document that knows a thing only by an acronym or a clipped name ("IOPC", "the Met") links
    to the entity that another document defines it for ("Independent Office for Police Conduct
    (IOPC)", "the Metropolitan Police Service … the Met").  Where several entities have that form,
    the one whose documents share the most with this document's is taken, and none on a tie.
``surname``
    A person known in a document only by a surname ("Mr Roe", "Roe", "PC Roe") links to a person
    of that surname named in full elsewhere only when the document corroborates it: the same job
    title, the same organisation, the same quoted words, or the same case; and never where given
    names differ.  Two full names whose given names differ only as a short form ("Sam" and
    "Samuel Roe") link on the same corroboration.
``case``
    An investigation a document describes without naming it ("the watchdog's investigation")
    belongs to the case the document is about: documents are the same case when they share its
    distinctive entities (the people involved, specific places and organisations; the
    investigating body, forces, cities and news outlets count for little).  The case takes the
    name of the one named investigation among its documents, or else is one unnamed investigation
    of all of them.
``identity``
    Derived entities (findings, outcomes, events, roles, reports, …) are one thing when the parts
    that define them are, once those are resolved; quotations are one when their words are the
    same up to the small edits reporting makes (see :func:`kg.quotes_match.similar`).
``curation``
    What ``sources/curation.toml`` says (see :mod:`kg.curation`): merges, splits, rejections,
    pinned labels and IRIs.

Growth is monotone by construction: what a document adds can join an existing entity only through
one of these rules, so an unrelated document (a different person with the same surname, a longer
name containing an existing one, a place name used as an adjective) changes nothing that exists.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from . import ids
from .curation import Applied, Curation, Decision
from .errors import KGError
from .model import EntityKey, LocalEntity
from .text import normalize_name

Member = tuple[str, str]  # (document id, local key)


@dataclass
class Entity:
    """One corpus-wide entity: its IRI, type and canonical label."""

    iri: str
    type: str
    label: str
    #: surface forms per source (names and aliases; not pronouns or descriptors)
    aliases: dict[str, set[str]] = field(default_factory=dict)
    #: no source names it (an investigation described, not named): its label is kg's own
    unnamed: bool = False

    @property
    def types(self) -> tuple[str, ...]:
        """Its classes: its type, and ``kg:UnnamedEntity`` when no source names it."""
        return (self.type, UNNAMED) if self.unnamed else (self.type,)


#: Derived entities that a document without an investigation of its own tells of its case's (an
#: outcome in a charging decision; an event such as "the force admitted the offence", which two
#: texts of the case may date differently).  A document joined to no case keeps them its own.
CASE_SCOPED = frozenset({"kg:DisciplinaryOutcome", "kg:Finding", "schema:Report", "schema:Event"})
#: The class of entities no source names (``ontology/kg.ttl``).
UNNAMED = "kg:UnnamedEntity"
#: How an explanation names each kind of weak form (:data:`kg.model.LINK_KINDS`).
_LINK_WORDS = {
    "acronym": "an acronym", "former": "a former name", "clip": "a clipped name", "surname": "a surname",
    "honorific": "a surname with an honorific", "title": "a surname with a title",
    "office": "the office alone",
}


@dataclass(frozen=True)
class Merge:
    """Why two local entities are one: the rule, the two members, the form or evidence it used."""

    rule: str
    member: Member
    into: Member
    evidence: str

    def describe(self) -> str:
        return f"{self.rule}: {self.member[0]} {self.member[1]!r} → {self.into[0]} {self.into[1]!r} ({self.evidence})"


@dataclass
class Linking:
    """Corpus-wide identities: which local entity of which document is which IRI, and why."""

    global_of: dict[Member, str]  # (document, local key) -> IRI
    entities: dict[str, Entity]  # IRI -> type and canonical label
    #: IRI -> the merges that made it one entity (for ``kg explain`` and the build's diff)
    merges: dict[str, list[Merge]] = field(default_factory=dict)
    #: IRI -> the local entities it is made of, as (document, local key, label)
    members: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    #: local entities the curation file rejects, and the words it rejects as mentions, per document
    rejected: set[Member] = field(default_factory=set)
    rejected_mentions: dict[str, set[str]] = field(default_factory=dict)
    #: what the curation file decided, for its graph
    curation: Applied = field(default_factory=Applied)

    def iri(self, doc: str, key: str) -> str:
        try:
            return self.global_of[(doc, key)]
        except KeyError:
            raise ValueError(f"{doc}: a claim refers to unknown entity {key}") from None

    def signature(self, doc: str, keys: Iterable[str]) -> str:
        """What a document's graph takes from the corpus: the IRI, type and label of each entity."""
        parts = []
        for key in sorted(keys):
            iri = self.global_of.get((doc, key))
            if iri is None:  # rejected by the curation file
                parts.append(f"{key}\x1frejected")
                continue
            ent = self.entities[iri]
            parts.append(f"{key}\x1f{iri}\x1f{ent.type}\x1f{ent.label}")
        return ids.digest(*parts, sorted(self.rejected_mentions.get(doc, ())).__repr__(), size=32)

    def explanation(self) -> dict[str, dict[str, object]]:
        """Per entity made of more than one document's entity, or by a merge: its members and the
        merges that joined them (written beside the store, for ``kg explain`` and the build's diff)."""
        out: dict[str, dict[str, object]] = {}
        for iri in sorted(self.members):
            ent = self.entities[iri]
            if ent.type not in NAMED_TYPES and len({d for d, _k, _l in self.members[iri]}) < 2 and not self.merges.get(iri):
                continue  # a fact of one document (a quotation, an outcome …): nothing to explain
            out[iri] = {
                "type": ent.type,
                "label": ent.label,
                "members": [list(m) for m in self.members[iri]],
                "merges": [[m.rule, list(m.member), list(m.into), m.evidence] for m in self.merges.get(iri, [])],
            }
        return out


# --- names -------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """Comparison key of a name: normalised, without a leading article, a possessive, or a generic
    suffix that does not change which organisation it is ("… Police Service" = "… Police");
    "Op" is "Operation"."""
    key = normalize_name(name)
    key = re.sub(r"^the\s+", "", key)
    key = re.sub(r"'s$", "", key)
    key = key.replace("'", "")  # "Chiefs' Council" = "Chiefs Council"
    key = re.sub(r"\b(police)\s+(?:service|force)$", r"\1", key)
    key = re.sub(r"\bconstabulary$", "police", key)  # "X Constabulary" is the force "X Police"
    key = re.sub(r"^op\.?\s+", "operation ", key)
    return key


#: Words that do not change which inquiry a name names ("the X Public Inquiry" = "the X Inquiry").
_INQUIRY_QUALIFIERS = re.compile(r"\b(?:public|independent|statutory|full|official)\s+(?=(?:inquiry|investigation|review)\b)")


def typed_key(etype: str, name: str) -> str:
    """:func:`name_key`, and for an investigation without the qualifiers that do not tell one from another."""
    key = name_key(name)
    if etype in ("kg:Investigation", "kg:Review"):
        key = _INQUIRY_QUALIFIERS.sub("", key)
    return key


def _label_rank(name: str, honorifics: frozenset[str] = frozenset()) -> tuple[int, int, int, int, str]:
    # Prefer full names over acronyms, a name without an honorific or rank in front ("Jane
    # Roe" over "PC Jane Roe"), more words over fewer, then longer, then alphabetical.
    tokens = name.split()
    styled = 1 if len(tokens) > 1 and tokens[0].rstrip(".") in honorifics else 0
    return (1 if len(tokens) == 1 and name.isupper() else 0, styled, -len(tokens), -len(name), name)


#: Types that may be one entity although two documents type them differently.
_TYPE_GROUP = {"schema:NewsMediaOrganization": "schema:Organization"}
#: Types whose entities are named (not derived from other entities).
NAMED_TYPES = frozenset({
    "schema:Person", "schema:Organization", "schema:NewsMediaOrganization", "schema:Place",
    "schema:SoftwareApplication", "kg:Investigation", "kg:Movement", "kg:Initiative", "schema:CreativeWork",
})


def _group(etype: str) -> str:
    return _TYPE_GROUP.get(etype, etype)


def _entity_group(ent: LocalEntity) -> str:
    """The group an entity links within: its type's, and for a document named a review ("the
    Henriques review", a work in one text) the investigations' ("the Henriques Review", an inquiry in
    another): a review is both the inquiry and its report (ontology/kg.ttl, kg:Review)."""
    if ent.type == "schema:CreativeWork" and ent.label.split()[-1].lower() == "review":
        return "kg:Investigation"
    return _group(ent.type)


@functools.lru_cache(maxsize=1 << 14)
def skeleton(word: str) -> str:
    """A name's consonants, doubled letters once: "procter" and "proctor" are "prctr", "moyied" and
    "mouayed" are "myd" (spellings and transliterations that differ in their vowels)."""
    return re.sub(r"(.)\1+", r"\1", re.sub(r"[aeiou]", "", word.lower()))


def _given_compatible(a: str, b: str, *, variant: bool = False) -> bool:
    """Given names that may be the same person's ("mary ellen" and "ellen", "sam" and "samuel",
    "j" and "jane"): every given name of the shorter list is one of the longer's, or its short
    form or initial; with ``variant``, or spelt with other vowels ("moyied", "mouayed")."""
    wa, wb = a.replace(".", " ").split(), b.replace(".", " ").split()
    if not wa or not wb:
        return True
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)

    def same(x: str, y: str) -> bool:
        if variant and len(x) > 2 and len(y) > 2 and skeleton(x) == skeleton(y) and x[0] == y[0]:
            return True
        return x == y or (len(x) < len(y) and y.startswith(x)) or (len(y) < len(x) and x.startswith(y))

    return all(any(same(x, y) for y in long_) for x in short)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Member, Member] = {}

    def find(self, x: Member) -> Member:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: Member, b: Member) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        lo, hi = sorted((ra, rb))
        self.parent[hi] = lo
        return True


# --- the case a document is about ------------------------------------------------------------------------

#: Ranks: a person named with one is usually a party to the case (an officer), not an official.
RANKS = frozenset({
    "title:constable", "title:sergeant", "title:inspector", "title:chief-inspector", "title:superintendent",
    "title:chief-superintendent",
})
#: Places that are whole countries: they tell no case from another.
COUNTRIES = frozenset({
    "uk", "u.k.", "united kingdom", "britain", "great britain", "england", "wales", "scotland", "northern ireland",
    "ireland", "england and wales", "us", "usa", "united states",
})
#: How much sharing an entity says that two documents are about the same case, by what it is.
#: The investigating body, forces, cities and outlets appear in many cases; the people involved
#: and specific places in one.
WEIGHT_PERSON, WEIGHT_OFFICIAL = 1.0, 0.5
WEIGHT_PLACE, WEIGHT_BROAD_PLACE = 1.0, 0.3
WEIGHT_ORG, WEIGHT_PUBLIC_BODY = 0.6, 0.2
WEIGHT_INVESTIGATION = 2.0
WEIGHT_OTHER = 0.5
#: Two documents are the same case when what they share weighs at least this.
CASE_THRESHOLD = 1.0
#: An entity named by more documents than this is not used to find candidate pairs (it still counts).
POSTING_LIMIT = 200


@dataclass
class _Cluster:
    """What the documents of one tier-1 cluster say of it, for the rules that follow."""

    root: Member
    group: str
    members: list[Member]
    names: set[str]  # name keys of strong names
    links: dict[str, set[str]]  # name key of a weak form -> its kinds
    evidence: dict[str, set[str]]  # kind -> values (role-org values are member keys in their documents)
    docs: set[str]


def _weight(c: _Cluster, local: dict[Member, LocalEntity]) -> float:
    ev = c.evidence
    if "outlet" in ev or "publisher" in ev:
        return 0.0
    group = c.group
    if group == "schema:Person":
        roles = ev.get("role", set())
        official = bool(roles - RANKS) or ("quote" in ev and bool(roles))
        return WEIGHT_OFFICIAL if official else WEIGHT_PERSON
    if group == "schema:Place":
        if "contains" in ev or c.names & COUNTRIES or not c.names:
            return WEIGHT_BROAD_PLACE
        return WEIGHT_PLACE
    if group == "schema:Organization":
        return WEIGHT_PUBLIC_BODY if ("police" in ev or "oversight" in ev) else WEIGHT_ORG
    if group == "kg:Investigation":
        return WEIGHT_INVESTIGATION
    if group == "schema:SoftwareApplication":
        return 0.0
    return WEIGHT_OTHER


# --- resolution --------------------------------------------------------------------------------------------


class Resolver:
    """Resolve the local entities of every document (see the module docstring for the rules)."""

    def __init__(
        self, entity_lists: Iterable[tuple[str, Sequence[LocalEntity]]], curation: Curation | None = None,
        order: dict[str, str] | None = None,
    ) -> None:
        #: document -> its place in time ("YYYY-MM-DD id"): the earliest source's spelling names an entity
        self.order = order or {}
        self.local: dict[Member, LocalEntity] = {}
        for doc_id, ents in entity_lists:
            for ent in ents:
                self.local[(doc_id, ent.key)] = ent
        self.curation = curation
        self.applied = Applied()
        self.rejected: set[Member] = set()
        self.rejected_mentions: dict[str, set[str]] = {}
        from .vocab import vocabulary

        # ranks and everyday styles, which a canonical name goes without ("Jane Roe", not "PC Jane
        # Roe"); peerages and knighthoods stay ("Baroness Roe of Riverton", "Sir Sam Roe")
        self.honorifics = frozenset(vocabulary().honorifics) - {"Sir", "Dame", "Lord", "Lady", "Baroness", "Baron", "Professor", "Reverend", "Rev", "Revd", "Prof"}
        self.uf = _UnionFind()
        self.merges: list[Merge] = []

    # -- named entities --

    def _union(self, rule: str, a: Member, b: Member, evidence: str) -> None:
        if self.uf.union(a, b):
            self.merges.append(Merge(rule, a, b, evidence))

    def _same_name(self, named: list[Member]) -> None:
        first: dict[tuple[str, str], Member] = {}
        for k in named:
            ent = self.local[k]
            self.uf.find(k)
            for name in ent.names:
                group = _entity_group(ent)
                nk = (group, typed_key(group, name))
                if nk in first:
                    self._union("same-name", k, first[nk], f"the name {name!r}")
                else:
                    first[nk] = k

    def _clusters(self, named: list[Member]) -> dict[Member, _Cluster]:
        out: dict[Member, _Cluster] = {}
        for k in named:
            root = self.uf.find(k)
            ent = self.local[k]
            c = out.get(root)
            if c is None:
                c = out[root] = _Cluster(root, _entity_group(ent), [], set(), defaultdict(set), defaultdict(set), set())
            c.members.append(k)
            c.docs.add(k[0])
            c.names.update(name_key(n) for n in ent.names)
            for form, kind in ent.links:
                c.links[name_key(form)].add(kind)
            for kind, value in ent.evidence:
                c.evidence[kind].add(f"{k[0]}\x1f{value}" if kind == "role-org" else value)
        return out

    def _contexts(self, named: list[Member], clusters: dict[Member, _Cluster]) -> dict[str, dict[Member, float]]:
        """Per document: the clusters it names, each with its weight for telling cases apart."""
        out: dict[str, dict[Member, float]] = defaultdict(dict)
        for k in named:
            root = self.uf.find(k)
            out[k[0]][root] = _weight(clusters[root], self.local)
        return out

    def _alias_links(self, clusters: dict[Member, _Cluster], contexts: dict[str, dict[Member, float]]) -> None:
        """Clusters known only by weak forms join the cluster those forms belong to, on evidence."""
        by_link: dict[tuple[str, str], set[Member]] = defaultdict(set)  # (group, form key) -> clusters
        by_surname: dict[str, set[Member]] = defaultdict(set)  # surname key -> person clusters named in full
        for root, c in clusters.items():
            for form in c.links:
                by_link[(c.group, form)].add(root)
            for n in c.names:
                by_link[(c.group, n)].add(root)
                if c.group == "schema:Person" and len(n.split()) > 1:
                    by_surname[n.split()[-1]].add(root)
            if c.group == "schema:Person" and not c.names:
                for form in c.links:  # known only as "Lord Roe" or "Mr Roe": another document's may be the same
                    by_surname[form.split()[-1]].add(root)
        decisions: list[tuple[Member, Member, str, str]] = []
        former: dict[tuple[str, str], set[Member]] = defaultdict(set)  # (group, acronym) -> clusters it was the name of
        for root, c in clusters.items():
            for form, kinds in c.links.items():
                if "former" in kinds:
                    former[(c.group, form)].add(root)
        by_variant: dict[str, set[Member]] = defaultdict(set)  # the surname's spelling skeleton -> clusters
        for surname, roots in by_surname.items():
            if len(skeleton(surname)) >= 3:
                by_variant[skeleton(surname)].update(roots)
        for root in sorted(clusters):
            c = clusters[root]
            if c.group == "schema:Person":
                decision = self._person_link(c, clusters, by_surname, contexts) or \
                    self._person_link(c, clusters, by_variant, contexts, variant=True)
            else:
                decision = self._weak_org_link(c, clusters, by_link, contexts) or self._former_name(c, former)
            if decision is not None:
                decisions.append((root, *decision))
        for root, target, rule, evidence in decisions:
            self._union(rule, root, target, evidence)

    def _former_name(self, c: _Cluster, former: dict[tuple[str, str], set[Member]]) -> tuple[Member, str, str] | None:
        """An organisation named by what another document says is that one's former name ("the
        Independent Police Complaints Commission (IPCC)" and "IOPC - formerly IPCC"): one body, renamed."""
        for form, kinds in sorted(c.links.items()):
            if "acronym" not in kinds:
                continue
            targets = sorted(former.get((c.group, form), set()) - {c.root})
            if len(targets) == 1:
                return targets[0], "former-name", f"{form!r} is its former name in another document"
        return None

    def _weakly_named(self, c: _Cluster) -> list[str]:
        """The forms a cluster is known by when it has no full name of its own: its acronyms,
        clipped names or surnames (its strong names when each is one of those), else nothing."""
        if not c.names:
            return sorted(c.links)
        if c.group == "schema:Person":
            return sorted(c.names) if all(len(n.split()) == 1 for n in c.names) else []
        return sorted(c.names)

    def _weak_org_link(
        self, c: _Cluster, clusters: dict[Member, _Cluster], by_link: dict[tuple[str, str], set[Member]],
        contexts: dict[str, dict[Member, float]],
    ) -> tuple[Member, str, str] | None:
        forms = self._weakly_named(c)
        if not forms:
            return None
        candidates: set[Member] | None = None
        for form in forms:
            found = {r for r in by_link.get((c.group, form), set()) if r != c.root and form in clusters[r].links}
            candidates = found if candidates is None else candidates & found
        if not candidates:
            return None
        # "the Office of the Chief Constable" is every force's: it is the one named in full elsewhere
        # only where the two documents share their case
        office = any("office" in clusters[r].links[f] for r in candidates for f in forms)
        best = self._best_by_context(c, sorted(candidates), clusters, contexts, need_context=office)
        if best is None:
            return None
        target, score = best
        kinds = sorted(clusters[target].links[forms[0]])
        rule = "former-name" if kinds == ["former"] else "acronym" if "acronym" in kinds else "clip"
        words = " or ".join(_LINK_WORDS.get(k, k) for k in kinds)
        return target, rule, f"{', '.join(repr(f) for f in forms)} is {words} of it elsewhere" + (
            f"; shared context {score:.2f}" if len(candidates) > 1 else "")

    def _person_link(
        self, c: _Cluster, clusters: dict[Member, _Cluster], by_surname: dict[str, set[Member]],
        contexts: dict[str, dict[Member, float]], *, variant: bool = False,
    ) -> tuple[Member, str, str] | None:
        """A person known here by a surname (or a short form of a given name) is a person of that
        surname named elsewhere, when the documents corroborate it and given names do not differ.
        With ``variant``, ``by_surname`` is keyed by spelling skeletons (:func:`skeleton`): a surname
        spelt another way ("Proctor" for "Procter"), and a given name transliterated another way
        ("Moyied" for "Mouayed"), of a person of the same case."""
        weak = self._weakly_named(c)
        given = c.evidence.get("given", set())
        knight = [w for w in weak if len(w.split()) == 2 and w.split()[0] in ("sir", "dame")]
        if knight:
            # "Sir Richard" is a knight by his given name: a "Sir Richard …" named in full elsewhere
            return self._knight_link(c, knight[0].split()[1], clusters, contexts)
        if weak:
            surnames = {form.split()[-1] for form in weak}
        elif given:
            surnames = {n.split()[-1] for n in c.names if len(n.split()) > 1}
        else:
            return None
        candidates = []
        for surname in sorted(surnames):
            for r in sorted(by_surname.get(skeleton(surname) if variant else surname, ())):
                if r == c.root:
                    continue
                other = clusters[r]
                other_given = other.evidence.get("given", set())
                if given and other_given and not any(_given_compatible(a, b, variant=variant) for a in given for b in other_given):
                    continue  # "Amir Okoro" is not "Dana Okoro"
                if not weak and not other_given:
                    continue  # two full names: only a short form of a given name links them
                if variant and not weak and not any(_given_compatible(a, b) for a in given for b in other_given) and \
                        surname not in {n.split()[-1] for n in other.names if len(n.split()) > 1}:
                    continue  # two full names spelt differently in both parts: too little to go on
                if not weak and c.names & other.names:
                    continue  # the same full name linked them already
                if _styles(c) and _styles(other) and not _styles(c) & _styles(other):
                    continue  # "Mr Roe" is not "Mrs Roe"
                candidates.append(r)
        scored: list[tuple[float, Member, str]] = []
        for r in candidates:
            found = self._corroboration(c, clusters[r], contexts)
            if found:
                scored.append((found[0], r, found[1]))
        if not scored:
            return None
        scored.sort(key=lambda x: (-x[0], x[1]))
        if len(scored) > 1 and scored[0][0] == scored[1][0]:
            return None  # two people of that name fit as well: neither
        _score, target, reason = scored[0]
        forms = ", ".join(repr(w) for w in (weak or sorted(c.names)))
        if variant:
            reason = f"a spelling of the surname of {sorted(clusters[target].names)[:1]}; {reason}"
        return target, "surname", f"{forms}: {reason}"

    def _knight_link(self, c: _Cluster, given: str, clusters: dict[Member, _Cluster],
                     contexts: dict[str, dict[Member, float]]) -> tuple[Member, str, str] | None:
        scored = []
        for r, other in sorted(clusters.items()):
            if r == c.root or other.group != "schema:Person":
                continue
            if not any(n.split()[0] == given for g in other.evidence.get("given", set()) for n in [g]):
                continue
            found = self._corroboration(c, other, contexts)
            if found:
                scored.append((found[0], r, found[1]))
        scored.sort(key=lambda x: (-x[0], x[1]))
        if not scored or (len(scored) > 1 and scored[0][0] == scored[1][0]):
            return None
        return scored[0][1], "surname", f"'sir {given}' (a knight by his given name): {scored[0][2]}"

    def _corroboration(self, c: _Cluster, other: _Cluster, contexts: dict[str, dict[Member, float]]) -> tuple[float, str] | None:
        """What the two clusters' documents agree on about the person, and how strongly."""
        reasons: list[tuple[float, str]] = []
        roles = (c.evidence.get("role", set()) & other.evidence.get("role", set())) - RANKS
        if roles:
            reasons.append((2.0, f"the same title {sorted(roles)[0]}"))
        orgs_a = {self.uf.find(_member(v)) for v in c.evidence.get("role-org", set())}
        orgs_b = {self.uf.find(_member(v)) for v in other.evidence.get("role-org", set())}
        if orgs_a & orgs_b:
            reasons.append((2.0, "a role in the same organisation"))
        for qa in c.evidence.get("quote", set()):
            for qb in other.evidence.get("quote", set()):
                if _quote_overlap(qa, qb) >= 0.5:
                    reasons.append((3.0, "the same quoted words"))
                    break
        shared = self._shared_context(c, other, contexts)
        if shared >= CASE_THRESHOLD:
            reasons.append((shared, f"the same case (shared entities weigh {shared:.2f})"))
        if not reasons:
            return None
        return sum(r[0] for r in reasons), "; ".join(r[1] for r in reasons)

    def _shared_context(self, c: _Cluster, other: _Cluster, contexts: dict[str, dict[Member, float]]) -> float:
        mine: dict[Member, float] = {}
        for d in c.docs:
            mine.update(contexts.get(d, {}))
        theirs: dict[Member, float] = {}
        for d in other.docs:
            theirs.update(contexts.get(d, {}))
        return sum(w for r, w in mine.items() if r in theirs and r not in (c.root, other.root))

    def _best_by_context(
        self, c: _Cluster, candidates: list[Member], clusters: dict[Member, _Cluster],
        contexts: dict[str, dict[Member, float]], *, need_context: bool,
    ) -> tuple[Member, float] | None:
        if len(candidates) == 1 and not need_context:
            return candidates[0], 0.0
        scored = sorted(((self._shared_context(c, clusters[r], contexts), r) for r in candidates), key=lambda x: (-x[0], x[1]))
        if scored[0][0] <= 0 or (len(scored) > 1 and scored[0][0] == scored[1][0]):
            return None
        return scored[0][1], scored[0][0]

    # -- the case of each document --

    def _cases(self, anonymous: list[Member], named: list[Member], clusters: dict[Member, _Cluster]) -> dict[Member, Member | None]:
        """Which named investigation each anonymous investigation is (``None``: none; it is then
        one unnamed investigation with the others of its case).

        Documents are the same case when the entities they share weigh :data:`CASE_THRESHOLD` or
        more (see :func:`_weight`); the pairs are found through the entities that can tell cases
        apart, the heaviest pairs first, and two documents whose main investigations are named
        differently are never one case."""
        contexts: dict[str, dict[Member, float]] = defaultdict(dict)
        main: dict[str, tuple[int, Member, bool]] = {}  # document -> (mentions, its most mentioned named investigation, a force's own)
        for k in named:
            root = self.uf.find(k)
            c = clusters[root]
            contexts[k[0]][root] = _weight(c, self.local)
            if c.group == "kg:Investigation" and self.local[k].type == "kg:Investigation":  # not a review's report
                n = _mentions(self.local[k])
                if k[0] not in main or (n, root) > main[k[0]][:2]:
                    main[k[0]] = (n, root, bool(self.local[k].evidence_of("police-own")))
        docs = sorted({k[0] for k in anonymous} | set(contexts))
        parent = {d: d for d in docs}
        # a document whose most named investigation is a police force's own is about the one it
        # describes, which looks into it: it has no named investigation of its own
        named_of: dict[str, Member | None] = {d: main[d][1] if d in main and not main[d][2] else None for d in docs}
        self.case_links: dict[str, tuple[str, float]] = {}

        def find(d: str) -> str:
            while parent[d] != d:
                parent[d] = parent[parent[d]]
                d = parent[d]
            return d

        def join(weights: dict[Member, float]) -> None:
            """Join the documents whose shared entities weigh enough, the heaviest pairs first."""
            postings: dict[Member, list[str]] = defaultdict(list)
            for d in docs:
                for r in contexts.get(d, {}):
                    if weights.get(r, 0.0) >= WEIGHT_OFFICIAL:
                        postings[r].append(d)
            pairs: set[tuple[str, str]] = set()
            for ds in postings.values():
                if len(ds) <= POSTING_LIMIT:
                    pairs.update((a, b) for i, a in enumerate(ds) for b in ds[i + 1 :])
            edges = []
            for a, b in pairs:
                ca, cb = contexts[a], contexts[b]
                score = sum(weights.get(r, 0.0) for r in ca if r in cb)
                if score >= CASE_THRESHOLD:
                    edges.append((-score, a, b))
            for neg, a, b in sorted(edges):
                ra, rb = find(a), find(b)
                if ra == rb:
                    continue
                na, nb = named_of[ra], named_of[rb]
                if na is not None and nb is not None and na != nb:
                    continue  # two named investigations are two cases
                lo, hi = sorted((ra, rb))
                parent[hi] = lo
                named_of[lo] = na if na is not None else nb
                self.case_links.setdefault(b, (a, -neg))
                self.case_links.setdefault(a, (b, -neg))

        weight = {r: w for ctx_ in contexts.values() for r, w in ctx_.items()}
        # first the entities that belong to one case (the people involved, specific places, named
        # investigations); then every other, counted for less the more of those cases it is in
        # (a prosecutor's office, a national body, a city), so that it cannot chain cases together
        join({r: w for r, w in weight.items() if w >= WEIGHT_PERSON})
        cases_of: dict[Member, set[str]] = defaultdict(set)
        sizes: dict[str, int] = defaultdict(int)
        for d in docs:
            sizes[find(d)] += 1
        for d in docs:
            if sizes[find(d)] > 1:
                for r in contexts.get(d, {}):
                    cases_of[r].add(find(d))
        join({r: w / max(1, len(cases_of.get(r, ()))) for r, w in weight.items()})
        self.case_root = {d: find(d) for d in docs}
        self.case_named = {d: named_of[find(d)] for d in docs}
        return {k: named_of[find(k[0])] for k in anonymous}

    # -- everything --

    def _link_named(self, named: list[Member], detached: set[Member]) -> dict[Member, _Cluster]:
        """The rules on named entities (same name, then weak forms on evidence); a detached member
        (split off by the curation file) is linked to nothing."""
        self.uf = _UnionFind()
        self.merges = [m for m in self.merges if m.rule in ("quotation",)]
        linkable = [k for k in named if k not in detached]
        self._same_name(linkable)
        clusters = self._clusters(linkable)
        contexts = self._contexts(linkable, clusters)
        self._alias_links(clusters, contexts)
        for k in detached:
            self.uf.find(k)
        return self._clusters(named)

    def _named_iris(self, named: list[Member]) -> tuple[dict[Member, list[Member]], dict[Member, str], dict[Member, tuple[str, str]]]:
        """Each cluster's members, IRI and (type, label): the fullest name, its IRI from it."""
        local = self.local
        final: dict[Member, list[Member]] = defaultdict(list)
        for k in named:
            final[self.uf.find(k)].append(k)
        used_iris: dict[str, Member] = {}
        root_iri: dict[Member, str] = {}
        kinds: dict[Member, tuple[str, str]] = {}
        for root in sorted(final):
            ms = final[root]
            etype = _cluster_type([local[m] for m in ms])
            label = self._label(ms)
            iri = ids.entity_iri(etype, label)
            if iri in used_iris and used_iris[iri] != root:
                iri = ids.entity_iri(etype, label, (root[0], root[1]))
            used_iris[iri] = root
            root_iri[root] = iri
            kinds[root] = (etype, label)
        return final, root_iri, kinds

    def _label(self, ms: list[Member]) -> str:
        """A cluster's canonical name: its fullest name (no acronym, no rank in front, most words,
        longest); of the ways of writing that name that differ only in case and punctuation
        ("Chiefs Council", "Chiefs' Council"), the earliest source's, so that a newer source never
        renames what an older one established by writing it otherwise."""
        local = self.local
        names: dict[str, str] = {}  # name -> the first member document, by the order of the documents
        for m in sorted(ms, key=lambda m: (self.order.get(m[0], ""), m)):
            for n in local[m].names or (local[m].label,):
                names.setdefault(n, m[0])
        best = min(names, key=lambda n: _label_rank(n, self.honorifics))
        spelling = re.sub(r"[^\w]+", "", best.casefold())
        variants = [n for n in names if re.sub(r"[^\w]+", "", n.casefold()) == spelling]
        return min(variants, key=lambda n: (self.order.get(names[n], ""), names[n], n))

    def _refer(self, name: str, etype: str | None, named: list[Member], root_iri: dict[Member, str]) -> set[Member]:
        """The clusters a curation entry's name stands for: by IRI (or compact IRI), else by a name
        or alias any of its members has; only of ``etype`` when it is given."""
        full = ids.expand(name) if re.match(r"^[a-z][\w-]*:[^/]", name) and not name.startswith("urn:") else name
        by_iri = {r for r, iri in root_iri.items() if iri == full}
        if by_iri:
            return by_iri
        key = name_key(name)
        out = set()
        for k in named:
            ent = self.local[k]
            if etype and ids.compact(ids.expand(ent.type)) != ids.compact(ids.expand(etype)):
                continue
            if key in {name_key(n) for n in (ent.label, *ent.names, *ent.aliases)}:
                out.add(self.uf.find(k))
        return out

    def _curate(self, named: list[Member]) -> tuple[dict[Member, list[Member]], dict[Member, str], dict[Member, tuple[str, str]]]:
        """Apply the curation file: splits (then link again), rejections, merges, pins."""
        cur = self.curation
        final, root_iri, kinds = self._named_iris(named)
        if cur is None or not cur.decisions:
            return final, root_iri, kinds

        def refer(decision: Decision, name: str) -> set[Member] | None:
            found = self._refer(name, decision.type, named, root_iri)
            if not found:
                self.applied.unapplied.append((decision, f"{name!r} names no entity"))
                return None
            if len(found) > 1:
                labels = ", ".join(sorted(f"{kinds[r][1]} ({ids.compact(root_iri[r])})" for r in found))
                raise KGError(f"curation {decision.number}: {name!r} names {len(found)} entities: {labels}",
                              f"in {cur.path}", "name the entity by its IRI, or add type = \"…\"")
            return found

        detached: set[Member] = set()
        for d in cur.of("split"):
            found = refer(d, d.entities[0])
            if found:
                ms = [m for m in final[next(iter(found))] if m[0] == d.source]
                if not ms:
                    self.applied.unapplied.append((d, f"{d.entities[0]!r} is not in {d.source}"))
                detached.update(ms)
        if detached:
            self._link_named(named, detached)
            final, root_iri, kinds = self._named_iris(named)
        for d in cur.of("reject"):
            if d.mention:
                self.rejected_mentions.setdefault(d.source or "", set()).add(" ".join(d.mention.split()))
                continue
            found = refer(d, d.entities[0])
            if found:
                ms = [m for m in final[next(iter(found))] if d.source is None or m[0] == d.source]
                self.rejected.update(ms)
                self.applied.records.append((d, (root_iri[next(iter(found))],)))
        kept = [k for k in named if k not in self.rejected]
        keep: list[tuple[Member, str, tuple[str, str]]] = []  # a merge keeps its first entity's IRI and label
        for d in cur.of("merge"):
            roots = []
            for name in d.entities:
                found = refer(d, name)
                if found:
                    roots.append(next(iter(found)))
            if roots:
                keep.append((roots[0], root_iri[roots[0]], kinds[roots[0]]))
            for r in roots[1:]:
                self._union("curation", r, roots[0], f"merged by the curation file, line {d.line}")
        final, root_iri, kinds = self._named_iris(kept)
        for first, iri, kind in keep:
            root = self.uf.find(first)
            root_iri[root], kinds[root] = iri, (kinds[root][0], kind[1])
        for d in cur.of("same_as"):
            refer(d, d.entities[0])  # says so when it names nothing
        # pins: a label or an IRI the curation file gives
        for d in cur.of("pin"):
            found = refer(d, d.entities[0])
            if found:
                root = self.uf.find(next(iter(found)))
                etype, label = kinds[root]
                kinds[root] = (etype, d.label or label)
                root_iri[root] = d.iri or root_iri[root]
                pinned = " and ".join(x for x in (f"label {d.label!r}" if d.label else "", f"IRI <{d.iri}>" if d.iri else "") if x)
                self.merges.append(Merge("curation", root, root, f"{pinned} pinned by the curation file, line {d.line}"))
        return final, root_iri, kinds

    def resolve(self) -> Linking:
        local = self.local
        named = sorted(k for k, e in local.items() if not e.identity and not e.anonymous)
        anonymous = sorted(k for k, e in local.items() if e.anonymous)
        clusters = self._link_named(named, set())
        final, root_iri, kinds = self._curate(named)
        named = [k for k in named if k not in self.rejected]
        clusters = self._clusters(named)

        global_of: dict[Member, str] = {}
        entities: dict[str, Entity] = {}
        members: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for root in sorted(final):
            iri = root_iri[root]
            etype, label = kinds[root]
            entities[iri] = Entity(iri, etype, label)
            for m in final[root]:
                global_of[m] = iri
                members[iri].append((m[0], m[1], local[m].label))
        self._curation_records(root_iri)

        # unnamed investigations: the named one of their case, or one unnamed investigation per case
        case_of = self._cases(anonymous, named, clusters)
        by_case: dict[str, list[Member]] = defaultdict(list)
        for k in anonymous:
            target = case_of[k]
            if target is not None and local[k].evidence_of("oversight") and _is_inquiry(final.get(target, [target]), local):
                target = None  # an oversight body's investigation of a case that also had a public inquiry
            if target is not None:
                iri = root_iri[target]
                global_of[k] = iri
                members[iri].append((k[0], k[1], local[k].label))
                via = self.case_links.get(k[0])
                self.merges.append(Merge("case", k, target, f"its case names {entities[iri].label!r}"
                                         + (f" (linked through {via[0]}, shared entities weigh {via[1]:.2f})" if via else "")))
            else:
                by_case[self.case_root.get(k[0], k[0])].append(k)
        case_iri: dict[str, str] = {}  # case root document -> the case's investigation
        for d, target in self.case_named.items():
            if target is not None:
                case_iri[self.case_root[d]] = root_iri[target]
        for case_root in sorted(by_case):
            ks = by_case[case_root]
            docs = {k[0] for k in ks}
            anchor = self._anchor(docs, named, clusters, root_iri, entities)
            base = sorted((local[k].label for k in ks), key=lambda x: (-len(x), x))[0]
            label = f"{base} ({anchor})" if anchor else base
            iri = ids.entity_iri("kg:Investigation", label, (anchor,) if anchor else (min(docs),))
            if iri in entities:
                iri = ids.entity_iri("kg:Investigation", label, (anchor, min(docs)))
            entities[iri] = Entity(iri, "kg:Investigation", label, unnamed=True)
            case_iri[case_root] = iri
            for k in ks:
                global_of[k] = iri
                members[iri].append((k[0], k[1], local[k].label))
            for k in ks[1:]:
                via = self.case_links.get(k[0])
                self.merges.append(Merge("case", k, ks[0], "the same case" + (
                    f" (linked through {via[0]}, shared entities weigh {via[1]:.2f})" if via else "")))

        # what a document without an investigation of its own says (a charging decision, a
        # hearing's outcome) belongs to its case's investigation
        doc_case = {d: case_iri[r] for d, r in self.case_root.items() if r in case_iri}
        self._derived(global_of, entities, members, doc_case)
        merges: dict[str, list[Merge]] = defaultdict(list)
        for merge in self.merges:
            if merge.member in global_of:
                merges[global_of[merge.member]].append(merge)
        return Linking(global_of, dict(sorted(entities.items())), dict(merges), dict(members),
                       rejected=set(self.rejected), rejected_mentions=dict(self.rejected_mentions), curation=self.applied)

    def _curation_records(self, root_iri: dict[Member, str]) -> None:
        """The IRIs the curation file's merges, splits, pins and links came to (rejections are
        recorded where they are made)."""
        cur = self.curation
        if cur is None:
            return
        named = [k for k in self.local if k not in self.rejected and not self.local[k].identity and not self.local[k].anonymous]
        for d in cur.decisions:
            if d.kind == "reject":
                if d.mention:
                    self.applied.records.append((d, ()))
                continue
            iris = []
            for name in d.entities:
                for r in self._refer(name, d.type, named, root_iri):
                    iris.append(root_iri[self.uf.find(r)])
            if iris:
                self.applied.records.append((d, tuple(dict.fromkeys(iris))))

    def _anchor(self, docs: set[str], named: list[Member], clusters: dict[Member, _Cluster],
                root_iri: dict[Member, str], entities: dict[str, Entity]) -> str:
        """The label of the entity that best says which case it is: the weightiest entity most of
        the case's documents name (most documents, then weight, then label)."""
        seen: dict[Member, set[str]] = defaultdict(set)
        for k in named:
            if k[0] in docs:
                seen[self.uf.find(k)].add(k[0])
        best: tuple[tuple[int, float, str], str] | None = None
        for root, ds in seen.items():
            w = _weight(clusters[root], self.local)
            if w < WEIGHT_OFFICIAL:
                continue
            label = entities[root_iri[root]].label
            key = (-len(ds), -w, label)
            if best is None or key < best[0]:
                best = (key, label)
        return best[1] if best else ""

    def _derived(
        self, global_of: dict[Member, str], entities: dict[str, Entity], members: dict[str, list[tuple[str, str, str]]],
        doc_case: dict[str, str],
    ) -> None:
        """Derived entities: identified by their parts once those are resolved."""
        local = self.local
        derived = sorted(k for k, e in local.items() if e.identity)
        resolving: set[Member] = set()
        identity_of: dict[Member, tuple[str, ...]] = {}

        def resolve(k: Member) -> tuple[str, ...]:
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
                elif part == f"document:{k[0]}" and k[0] in doc_case and local[k].type in CASE_SCOPED:
                    parts.append(doc_case[k[0]])  # the document's matter is its case's investigation
                else:
                    parts.append(part)
            resolving.discard(k)
            identity_of[k] = tuple(parts)
            return identity_of[k]

        for k in derived:
            resolve(k)
        _merge_similar_wordings(local, derived, identity_of)
        _merge_broader_outcomes(local, derived, identity_of)
        from .quotes_match import merge_quotations

        speaks_for: dict[str, set[str]] = defaultdict(set)  # a person -> the organisations they hold a role in
        for (doc, key), ent in local.items():
            if ent.type == "schema:Person" and (doc, key) in global_of:
                for org_key in ent.evidence_of("role-org"):
                    if (doc, org_key) in global_of:
                        speaks_for[global_of[(doc, key)]].add(global_of[(doc, org_key)])

        def related(a: str, b: str) -> bool:
            return b in speaks_for.get(a, ()) or a in speaks_for.get(b, ())

        merge_quotations(local, derived, identity_of, self.merges, related)
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
            members[iri].append((k[0], k[1], ent.label))


_MALE, _FEMALE = frozenset({"mr", "sir", "lord", "baron"}), frozenset({"mrs", "ms", "miss", "dame", "lady", "baroness"})


def _is_inquiry(members: list[Member], local: dict[Member, LocalEntity]) -> bool:
    """Whether every document names the investigation as an inquiry ("the X Inquiry", "X Public
    Inquiry"): a public or statutory inquiry, which no oversight body's investigation is."""
    names = [n for m in members for n in local[m].names] or [local[m].label for m in members]
    return bool(names) and all(n.split()[-1] == "Inquiry" for n in names)


def _styles(c: _Cluster) -> set[str]:
    """The genders a person's honorifics give ("Mr Roe": male), for telling two Roes apart."""
    out = set()
    for form in c.links:
        first = form.split()[0].rstrip(".")
        if first in _MALE:
            out.add("m")
        elif first in _FEMALE:
            out.add("f")
    return out


def _member(value: str) -> Member:
    doc, _, key = value.partition("\x1f")
    return (doc, key)


def _mentions(ent: LocalEntity) -> int:
    for v in ent.evidence_of("mentions"):
        return int(v)
    return 0


def _cluster_type(ents: Sequence[LocalEntity]) -> str:
    """The type of a cluster: its members' (a news outlet when any document says so)."""
    types = {e.type for e in ents}
    if len(types) == 1:
        return types.pop()
    if "schema:NewsMediaOrganization" in types:
        return "schema:NewsMediaOrganization"
    return sorted(types)[0]


def _quote_overlap(a: str, b: str) -> float:
    wa, wb = set(a.split()), set(b.split())
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


_STOP = frozenset(
    ["a", "an", "the", "to", "of", "for", "and", "or", "in", "on", "with", "its", "it", "their", "that", "which", "be", "being", "been", "is", "are", "was", "were", "should", "would", "could", "must", "will", "by", "as", "at", "from", "this", "these", "those", "more", "all", "any", "how", "into", "over"]
)


def content_words(text: str) -> frozenset[str]:
    words = re.findall(r"[a-z]+", normalize_name(text))
    return frozenset(w[:6] for w in words if w not in _STOP and len(w) > 2)


def similar_wording(a: str, b: str) -> bool:
    wa, wb = content_words(a), content_words(b)
    if not wa or not wb:
        return False
    return len(wa & wb) / min(len(wa), len(wb)) >= 0.6


def _merge_similar_wordings(
    local: dict[Member, LocalEntity],
    derived: list[Member],
    identity_of: dict[Member, tuple[str, ...]],
) -> None:
    """Recommendations that say the same thing (same maker and addressee, similar wording) in
    different documents are one recommendation.  Candidates are found through shared words, so
    this stays near-linear in the number of recommendations."""
    groups: dict[tuple[str, ...], list[Member]] = defaultdict(list)
    for k in derived:
        ident = identity_of[k]
        if local[k].type == "kg:Recommendation" and ident:
            groups[ident[:-1]].append(k)
    for ms in groups.values():
        ms.sort()
        by_word: dict[str, list[Member]] = defaultdict(list)
        for a in ms:
            words_a = content_words(identity_of[a][-1])
            seen: set[Member] = set()
            for w in sorted(words_a):
                for b in by_word[w]:
                    if b in seen or b[0] == a[0]:
                        continue
                    seen.add(b)
                    if similar_wording(identity_of[a][-1], identity_of[b][-1]):
                        identity_of[a] = identity_of[b]  # b came first: a takes its identity
                        break
                else:
                    continue
                break
            for w in words_a:
                by_word[w].append(a)


def _merge_broader_outcomes(
    local: dict[Member, LocalEntity],
    derived: list[Member],
    identity_of: dict[Member, tuple[str, ...]],
) -> None:
    """An outcome one text states broadly ("two officers were sacked") and another narrowly ("two
    were dismissed for gross misconduct") in the same investigation, of the same officers and as
    many, is one outcome: the broad one takes the narrow one's identity, when exactly one narrower
    outcome of that number fits.  A top concept ("disciplinary proceedings") is too broad to say
    which outcome it is."""
    from .vocab import vocabulary

    vocab = vocabulary()
    outcomes = [k for k in derived if local[k].type == "kg:DisciplinaryOutcome" and len(identity_of[k]) >= 3]
    ancestors = {c: vocab.ancestors(c) for c in {identity_of[k][1] for k in outcomes}}
    # (scope, tied to, people…) -> (kind, counts) -> the identities of that kind and number
    by_rest: dict[tuple[str, ...], dict[tuple[str, frozenset[str]], set[tuple[str, ...]]]] = defaultdict(lambda: defaultdict(set))
    for k in outcomes:
        ident = identity_of[k]
        by_rest[(ident[0], *ident[2:])][(ident[1], frozenset(local[k].evidence_of("count")))].add(ident)
    for k in sorted(outcomes):
        ident = identity_of[k]
        curie, counts = ident[1], frozenset(local[k].evidence_of("count"))
        if not counts or not ancestors[curie]:
            continue
        kinds = by_rest[(ident[0], *ident[2:])]
        narrower = {n for (kind, c), idents in kinds.items() if c == counts and curie in ancestors[kind] for n in idents}
        if len(narrower) == 1:
            identity_of[k] = narrower.pop()


def resolve(
    entity_lists: Iterable[tuple[str, Sequence[LocalEntity]]], curation: Curation | None = None,
    order: dict[str, str] | None = None,
) -> Linking:
    """Give every local entity of every document its corpus-wide IRI (see the module docstring).

    ``entity_lists`` is ``(document id, local entities)`` per document, in any order; ``order``
    puts the documents in time (a sort key per document: its publication date, then its id).
    """
    return Resolver(entity_lists, curation, order).resolve()

