"""The state of one document's extraction: its text, its parse, and what has been found so far.

Extractors add entities, mentions and claims only through :class:`Context`, which makes every
citation with :meth:`Context.cite` (checked against the text when made) and refuses to cite
page furniture.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .. import ids
from ..model import (
    Citation,
    Claim,
    Concept,
    Document,
    EntityKey,
    Extraction,
    LocalEntity,
    Mention,
    Obj,
    PartialDate,
    Span,
    Value,
    unique,
)
from ..text import fold, normalize_name, publisher_names
from ..vocab import Vocabulary

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token


@dataclass
class Draft:
    """A local entity while it is being built."""

    key: str
    type: str
    label: str
    names: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    identity: tuple[str | EntityKey, ...] = ()
    #: strong names link across documents; weak ones (surnames, clipped forms) only on evidence
    weak: set[str] = field(default_factory=set)
    #: weak forms that may link across documents, with their kind (see ``model.LINK_KINDS``)
    links: dict[str, str] = field(default_factory=dict)
    #: the document refers to it without naming it (see ``model.LocalEntity.anonymous``)
    anonymous: bool = False


@dataclass(frozen=True)
class Quote:
    """A quoted passage: ``span`` is the quoted words, ``outer`` includes the quotation marks."""

    span: Span
    outer: Span
    kind: str  # "quote" (a quotation) or "term" (scare quotes around a word or two)
    paragraphs: int  # how many paragraphs it runs over
    nested_in: Span | None = None


@dataclass
class Speech:
    """A quotation with its speaker once attributed."""

    quote: Quote
    speaker: str | None  # entity key
    description: str | None  # how an unnamed speaker is described
    attribution: Span | None  # the words that attribute it
    said: PartialDate | None = None  # when it was said, when the text says
    ref: Span | None = None  # a pronoun or role phrase that stands for the speaker
    ref_form: str = "pronoun"


class Context:
    def __init__(
        self, doc: Document, sdoc: SpacyDoc | None, vocab: Vocabulary, *, ner: SpacyDoc | None = None,
        parsed: Iterable[Span] | None = None,
    ) -> None:
        self.doc = doc
        self.text = doc.text
        self.folded = fold(doc.text)
        self.lower = self.folded.lower()
        #: tokens with tags, lemmas and dependencies — for the ``parsed`` sentences only
        self.sdoc = sdoc
        #: named entities over the whole text
        self.ner: SpacyDoc = ner if ner is not None else sdoc  # type: ignore[assignment]
        self.parsed: frozenset[Span] = frozenset(parsed) if parsed is not None else frozenset(doc.sentences)
        self.vocab = vocab
        self.drafts: dict[str, Draft] = {}
        self.mentions: list[Mention] = []
        self._mentioned: set[tuple[str, int, int]] = set()
        self.claims: list[Claim] = []
        self.warnings: list[str] = []
        self.quotes: list[Quote] = []
        self.speeches: list[Speech] = []
        #: (start, end, key) of every named mention, sorted by start
        self.name_spans: list[tuple[int, int, str]] = []
        #: role holders: (organisation key or "", role concept CURIE) -> person key
        self.role_holders: dict[tuple[str, str], str] = {}
        #: deadlines counted from a report's publication ("… its report, and will publish the response
        #: within 56 days"): (event key, report key, days), dated to the day where a source dates it
        self.deadlines: list[tuple[str, str, int]] = []
        #: named investigations the text says are a police force's own (see ``refs.police_own``)
        self.police_investigations: dict[str, tuple[int, int, str]] | None = None
        #: the investigation the document describes without naming it (see ``refs.describe_investigation``)
        self.anonymous_investigation: str | None = None
        #: the oversight body that conducts it, where the document says so
        self.anonymous_conductor: str | None = None
        self._sent_starts = [s.start for s in doc.sentences]
        self._para_starts = [p.start for p in doc.paragraphs]
        self.publisher_names = [n for n in publisher_names(doc.meta.publisher)]

    # --- layout -------------------------------------------------------------------------------

    def is_body(self, start: int, end: int) -> bool:
        return self.doc.furniture_at(start, end) is None

    def is_masthead(self, start: int, end: int) -> bool:
        f = self.doc.furniture_at(start, end)
        return f is not None and f.kind == "masthead"

    def sentence_at(self, pos: int) -> Span:
        i = bisect.bisect_right(self._sent_starts, pos) - 1
        return self.doc.sentences[max(i, 0)]

    def paragraph_at(self, pos: int) -> Span:
        i = bisect.bisect_right(self._para_starts, pos) - 1
        return self.doc.paragraphs[max(i, 0)]

    def paragraph_index(self, pos: int) -> int:
        return max(bisect.bisect_right(self._para_starts, pos) - 1, 0)

    def body_sentences(self) -> Iterator[Span]:
        for s in self.doc.sentences:
            if self.is_body(s.start, s.end):
                yield s

    def set_parse(self, sdoc: SpacyDoc, sentences: Iterable[Span]) -> None:
        """The parse of the sentences that need one (see :func:`kg.nlp.parse`)."""
        self.sdoc = sdoc
        self.parsed = frozenset(sentences)

    def is_parsed(self, sentence: Span) -> bool:
        """Whether ``sentence`` has tags and dependencies (see :func:`kg.nlp.analyse`)."""
        return sentence in self.parsed

    def tokens(self, start: int, end: int) -> SpacySpan:
        assert self.sdoc is not None, "the parse is not there yet"
        span = self.sdoc.char_span(start, end, alignment_mode="expand")
        assert span is not None
        return span

    def token_at(self, pos: int) -> Token | None:
        if self.sdoc is None:
            return None
        for tok in self.sdoc.char_span(pos, pos + 1, alignment_mode="expand") or ():
            return tok
        return None

    def quote_at(self, start: int, end: int | None = None) -> Quote | None:
        """The innermost quotation (not a scare-quoted term) that contains ``[start, end)``."""
        end = start + 1 if end is None else end
        best = None
        for q in self.quotes:
            inside = q.kind == "quote" and q.outer.start <= start and end <= q.outer.end
            if inside and (best is None or len(q.outer) < len(best.outer)):
                best = q
        return best

    def speech_of(self, quote: Quote) -> Speech | None:
        for sp in self.speeches:
            if sp.quote == quote:
                return sp
        return None

    # --- citations --------------------------------------------------------------------------------

    def cite(self, start: int, end: int, *, allow_masthead: bool = False) -> Citation:
        """A checked citation of ``[start, end)``, trimmed of white space and stray punctuation."""
        text = self.text
        while start < end and (text[start].isspace() or text[start] in ",;:–—-"):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:–—-("):
            end -= 1
        f = self.doc.furniture_at(start, end)
        if f is not None and not (allow_masthead and f.kind == "masthead"):
            raise ValueError(f"refusing to cite page furniture ({f.kind}) at {start}-{end}")
        return Citation.make(self.doc, start, end)

    # --- entities -------------------------------------------------------------------------------

    def entity(
        self,
        etype: str,
        label: str,
        *,
        key: str | None = None,
        names: Iterable[str] = (),
        weak: Iterable[str] = (),
        links: dict[str, str] | None = None,
        anonymous: bool = False,
    ) -> str:
        key = key or f"{ids.segment(etype)}:{normalize_name(label)}"
        d = self.drafts.get(key)
        if d is None:
            d = self.drafts[key] = Draft(key, etype, label, anonymous=anonymous)
        for n in names:
            if n not in d.names:
                d.names.append(n)
        d.weak.update(weak)
        for form, kind in (links or {}).items():
            d.links.setdefault(form, kind)
        return key

    def scope(self, anchor: str | None) -> str | EntityKey:
        """What ties a derived entity (an event, a finding, an outcome) to one matter: the named
        entity it belongs to (an investigation, a report), or else this document alone.  Without an
        anchor, "the investigation concluded" in two articles may be about two different cases, so
        each stays the document's own rather than being merged across the corpus."""
        return EntityKey(anchor) if anchor else f"document:{self.doc.id}"

    def derived(self, etype: str, label: str, identity: tuple[str | EntityKey, ...]) -> str:
        parts = "|".join(p.key if isinstance(p, EntityKey) else p for p in identity)
        key = f"{ids.segment(etype)}#{ids.digest(etype, parts, size=12)}"
        d = self.drafts.get(key)
        if d is None:
            self.drafts[key] = Draft(key, etype, label, identity=identity)
        elif len(label) > len(d.label):
            d.label = label
        return key

    def mention(self, key: str, start: int, end: int, form: str = "name", *, allow_masthead: bool = False) -> Citation:
        c = self.cite(start, end, allow_masthead=allow_masthead)
        marker = (key, c.start, c.end)
        if marker not in self._mentioned:
            self._mentioned.add(marker)
            self.mentions.append(Mention(key, c, form))
            if form in ("name", "alias", "acronym"):
                d = self.drafts[key]
                surface = " ".join(c.exact.split())
                if surface not in d.aliases:
                    d.aliases.append(surface)
        return c

    def claim(
        self,
        subject: str,
        predicate: str,
        obj: Obj | str,
        spans: Iterable[tuple[int, int]],
        notes: Iterable[tuple[str, Value]] = (),
    ) -> None:
        if isinstance(obj, str):
            obj = EntityKey(obj)
        cits = tuple(unique_citations(self.cite(s, e) for s, e in spans))
        self.claims.append(Claim(subject, predicate, obj, cits, tuple(notes)))

    # --- lookups ------------------------------------------------------------------------------------

    def entities_of(self, *types: str) -> list[Draft]:
        return [d for d in self.drafts.values() if d.type in types]

    def names_in(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """Named mentions inside ``[start, end)``, in text order."""
        i = bisect.bisect_left(self.name_spans, (start, -1, ""))
        out = []
        while i < len(self.name_spans) and self.name_spans[i][0] < end:
            s, e, k = self.name_spans[i]
            if e <= end:
                out.append((s, e, k))
            i += 1
        return out

    def last_name_before(self, pos: int, types: tuple[str, ...], limit: int | None = None) -> tuple[int, int, str] | None:
        i = bisect.bisect_left(self.name_spans, (pos, -1, ""))
        while i > 0:
            i -= 1
            s, e, k = self.name_spans[i]
            if limit is not None and s < limit:
                return None
            if e <= pos and self.drafts[k].type in types:
                return (s, e, k)
        return None

    def salient(self, *types: str, police: bool = False, oversight: bool = False) -> str | None:
        """The most mentioned entity of ``types`` (the first mentioned on a tie)."""
        counts: Counter[str] = Counter()
        first: dict[str, int] = {}
        for s, _e, k in self.name_spans:
            d = self.drafts[k]
            if d.type not in types or d.anonymous:
                continue
            if police and not is_police_name(d):
                continue
            if oversight and not is_oversight_name(d):
                continue
            counts[k] += 1
            first.setdefault(k, s)
        if not counts:
            return None
        return min(counts, key=lambda k: (-counts[k], first[k]))

    def publisher(self) -> str | None:
        """The publisher's entity, when the text names it."""
        keys = {normalize_name(n) for n in self.publisher_names}
        for d in self.drafts.values():
            if d.type == "schema:Organization" and keys & {normalize_name(n) for n in (*d.names, *d.aliases)}:
                return d.key
        return None

    def anchor(self, pos: int) -> tuple[PartialDate, str]:
        """The date relative expressions at ``pos`` resolve against, and what it is."""
        q = self.quote_at(pos)
        if q is not None:
            sp = self.speech_of(q)
            if sp is not None and sp.said is not None:
                return sp.said, "the date the quoted words were said"
        return self.doc.meta.published, "the publication date"

    # --- result -------------------------------------------------------------------------------------

    def evidence(self) -> dict[str, list[tuple[str, str]]]:
        """What the document says about each named entity that another document can corroborate
        (see ``model.EVIDENCE_KINDS``): roles held and where, quoted words, how often it is named,
        and what kind of organisation or place it is."""
        out: dict[str, set[tuple[str, str]]] = {}

        def add(key: str, kind: str, value: str) -> None:
            if key in self.drafts and not self.drafts[key].identity:
                out.setdefault(key, set()).add((kind, value))

        for (org, concept), person in self.role_holders.items():
            if person:
                add(person, "role", concept)
                if org:
                    add(person, "role-org", org)
        for sp in self.speeches:
            if sp.speaker and sp.quote.kind == "quote":
                quoted = " ".join(normalize_name(self.text[sp.quote.span.start : sp.quote.span.end]).split()[:12])
                add(sp.speaker, "quote", quoted)
        counts = Counter(m.entity for m in self.mentions)
        for key, n in counts.items():
            add(key, "mentions", str(n))
        publisher = self.publisher()
        if publisher:
            add(publisher, "publisher", "1")
        for d in self.drafts.values():
            if d.identity:
                continue
            if d.type == "schema:NewsMediaOrganization":
                add(d.key, "outlet", "1")
            if is_police_name(d):
                add(d.key, "police", "1")
            if is_oversight_name(d):
                add(d.key, "oversight", "1")
            if d.type == "schema:Person":
                honorifics = {h.lower() for h in self.vocab.honorifics}
                for name in d.names:
                    words = name.split()
                    if name in d.weak or len(words) < 2 or words[0].lower().rstrip(".") in honorifics:
                        continue
                    add(d.key, "given", normalize_name(" ".join(words[:-1])))
        for c in self.claims:
            if c.predicate == "schema:containedInPlace" and isinstance(c.object, EntityKey):
                add(c.object.key, "contains", "1")
        for key in self.police_investigations or {}:
            add(key, "police-own", "1")
        if self.anonymous_investigation and self.anonymous_conductor:
            add(self.anonymous_investigation, "oversight", "1")  # an oversight body's investigation
        # derived entities too: when a report was published, what deadline counts from it, and how
        # many officers an outcome concerns (to tell it from another of its kind)
        scheduled = {c.subject for c in self.claims if c.predicate == "schema:eventStatus"}
        for c in self.claims:
            if not isinstance(c.object, Value):
                continue
            if c.predicate == "kg:officerCount":
                out.setdefault(c.subject, set()).add(("count", c.object.lexical))
                continue
            happened = self.drafts.get(c.subject)
            if (c.predicate == "schema:startDate" and c.object.datatype == "xsd:date"
                    and happened is not None and c.subject not in scheduled and len(happened.identity) == 2
                    and happened.identity[0] == "etype:published" and isinstance(happened.identity[1], EntityKey)):
                out.setdefault(happened.identity[1].key, set()).add(("published", c.object.lexical))
        for event, report, days in self.deadlines:
            out.setdefault(event, set()).add(("due-after", f"{days} {report}"))
        return {k: sorted(v) for k, v in out.items()}

    def result(self) -> Extraction:
        used = {m.entity for m in self.mentions}
        evidence = self.evidence()
        entities = []
        for d in sorted(self.drafts.values(), key=lambda d: d.key):
            if d.key not in used:
                continue
            strong = [n for n in unique(d.names) if n not in d.weak]
            entities.append(
                LocalEntity(
                    key=d.key,
                    type=d.type,
                    label=d.label,
                    names=tuple(strong),
                    aliases=tuple(unique([*d.names, *d.aliases])),
                    identity=d.identity,
                    links=tuple(sorted((f, k) for f, k in d.links.items() if f not in strong)),
                    evidence=tuple(evidence.get(d.key, ())),
                    anonymous=d.anonymous,
                )
            )
        keys = {e.key for e in entities}
        claims = [c for c in self.claims if c.subject in keys and (not isinstance(c.object, EntityKey) or c.object.key in keys)]
        dropped = len(self.claims) - len(claims)
        if dropped:
            self.warnings.append(f"{dropped} claims about entities without a mention were left out")
        return Extraction(
            document=self.doc.id,
            sha256=self.doc.sha256,
            entities=tuple(entities),
            mentions=tuple(sorted(self.mentions, key=lambda m: (m.citation.start, m.citation.end, m.entity))),
            claims=tuple(dedupe_claims(claims)),
            warnings=tuple(self.warnings),
        )


#: A police force's name ends with one of these ("… Police", "… Police Service", "… Constabulary")
#: or opens with "Police" ("Police Scotland"); "Office for Police Conduct" is not a police force.
POLICE_NAME = re.compile(r"(?:\b(?:police|constabulary|force)(?:\s+service)?$|^police\b)", re.I)


def is_police_name(d: Draft) -> bool:
    return d.type == "schema:Organization" and any(POLICE_NAME.search(n) for n in (d.label, *d.names))


#: An oversight body's name: "… Office for Police Conduct", "… Police Complaints Commission",
#: "… Inspectorate of Constabulary", "… Ombudsman": what "the watchdog" refers to.
OVERSIGHT_NAME = re.compile(
    r"\b(?:conduct|complaints?|inspectorate|ombudsman|standards\s+(?:authority|board)|watchdog|scrutiny)\b", re.I
)


def is_oversight_name(d: Draft) -> bool:
    return (d.type == "schema:Organization" and not is_police_name(d)
            and any(OVERSIGHT_NAME.search(n) for n in (d.label, *d.names)))


def unique_citations(cits: Iterable[Citation]) -> list[Citation]:
    out: list[Citation] = []
    for c in cits:
        if c not in out:
            out.append(c)
    return sorted(out)


def dedupe_claims(claims: Iterable[Claim]) -> list[Claim]:
    """One claim per (subject, predicate, object, notes), with the union of citations.

    Claims with different notes stay apart: a note describes the citation it came with
    ("yesterday" resolved against one date, "today" against another).
    """
    merged: dict[tuple[str, str, Obj, tuple[tuple[str, Value], ...]], Claim] = {}
    for c in claims:
        notes = tuple(sorted(set(c.notes)))
        k = (c.subject, c.predicate, c.object, notes)
        if k in merged:
            old = merged[k]
            merged[k] = Claim(c.subject, c.predicate, c.object, tuple(unique_citations([*old.citations, *c.citations])), notes)
        else:
            merged[k] = Claim(c.subject, c.predicate, c.object, c.citations, notes)
    return sorted(merged.values(), key=lambda c: (c.subject, c.predicate, repr(c.object), repr(c.notes)))


def concept(curie: str) -> Concept:
    return Concept(curie)
