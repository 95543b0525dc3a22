"""The values that flow through kg, from documents to claims.  No rdflib here.

``sources`` makes :class:`Document` values; ``extract`` turns one document into an
:class:`Extraction` (local entities, mentions and claims, every one carrying :class:`Citation`
values that were checked against the text when they were made); ``link`` merges extractions
into corpus-wide entities; ``dataset`` is the only place where these become triples.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from .errors import CitationError

#: How many characters of context a citation keeps on each side (the graph contract).
CONTEXT_CHARS = 32

Precision = Literal["day", "month", "year"]


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open range ``[start, end)`` of Python string offsets."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")

    def of(self, text: str) -> str:
        return text[self.start : self.end]

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def __len__(self) -> int:
        return self.end - self.start


_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A calendar date known to the day, the month or only the year."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year {self.year} is out of range")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month {self.month} does not exist")
        if self.day is not None:
            assert self.month is not None
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                raise ValueError(
                    f"{self.year:04d}-{self.month:02d} has no day {self.day} (it has {last} days)"
                )

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ``ValueError`` with the reason."""
        m = _DATE_RE.match(text.strip())
        if not m:
            raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = m.groups()
        return cls(int(year), int(month) if month else None, int(day) if day else None)

    @classmethod
    def from_date(cls, value: date) -> PartialDate:
        return cls(value.year, value.month, value.day)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    @property
    def xsd(self) -> str:
        """The XML Schema datatype that keeps this precision."""
        return {"day": "xsd:date", "month": "xsd:gYearMonth", "year": "xsd:gYear"}[self.precision]

    def iso(self) -> str:
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        if self.day is not None:
            assert self.month is not None
            return date(self.year, self.month, self.day)
        month = self.month or 12
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def contains(self, other: PartialDate) -> bool:
        """True when every day of ``other`` lies within this date's range."""
        return self.first_day() <= other.first_day() and other.last_day() <= self.last_day()

    def compatible(self, other: PartialDate) -> bool:
        """Two dates agree when one contains the other (2018 and March 2018 agree)."""
        return self.contains(other) or other.contains(self)

    @classmethod
    def spanning(cls, first: date, last: date) -> PartialDate:
        """The most precise date that is certain for any day in ``first..last``."""
        if first == last:
            return cls.from_date(first)
        if (first.year, first.month) == (last.year, last.month):
            return cls(first.year, first.month)
        if first.year == last.year:
            return cls(first.year)
        raise ValueError(f"{first} .. {last} spans years")

    def shift_days(self, days: int) -> PartialDate:
        """This date moved by ``days``, keeping only what stays certain."""
        delta = timedelta(days=days)
        return PartialDate.spanning(self.first_day() + delta, self.last_day() + delta)

    def __str__(self) -> str:
        return self.iso()


@dataclass(frozen=True, slots=True)
class SourceMeta:
    """What ``sources/<id>.toml`` says about a document."""

    title: str
    publisher: str
    url: str
    published: PartialDate
    genre: str
    via: str | None = None
    licence: str | None = None  # the licence the publisher gives the text under ("OGL-UK-3.0")


@dataclass(frozen=True, slots=True)
class Furniture:
    """A region of page furniture: kept in the text so offsets never move, but not article text.

    ``kind`` is one of :data:`FURNITURE_KINDS`.  ``masthead`` regions name the publisher; they may
    identify the publisher entity but carry no claims.  Everything else yields nothing at all.
    """

    span: Span
    kind: str
    reason: str


FURNITURE_KINDS = (
    "share",  # share / print / social buttons
    "caption",  # image caption
    "credit",  # photo credit
    "masthead",  # the republisher's label naming the publisher
    "trailer",  # a republisher's trailing links, footers and sidebar headlines
    "navigation",  # menus, breadcrumbs, skip links, accessibility and language switches
    "banner",  # cookie, consent and "this site is a beta" notices
    "dateline",  # "Published: 7 Oct 2019", "Updated 10 May 2021": the page's own dates
    "label",  # a page's type or section above or below the headline ("News", "Policy paper")
    "byline",  # "By Jane Roe", "4 years ago 2 min read"
    "warning",  # "[Trigger warning: …]", "Content warning: …"
    "tags",  # the topic tags that close a page
    "cut",  # the cut-off last word of a page that was cut short
)


@dataclass(frozen=True)
class Document:
    """One source document: its text (the exact string citations index into) and its layout."""

    id: str
    path: str
    media_type: str
    text: str
    sha256: str
    meta: SourceMeta
    paragraphs: tuple[Span, ...]
    sentences: tuple[Span, ...]
    furniture: tuple[Furniture, ...]
    title: Span | None = None

    def furniture_at(self, start: int, end: int) -> Furniture | None:
        """The furniture region that overlaps ``[start, end)``, if any."""
        span = Span(start, end)
        for region in self.furniture:
            if region.span.overlaps(span) or (start == end and region.span.start <= start < region.span.end):
                return region
        return None

    def is_body(self, start: int, end: int) -> bool:
        return self.furniture_at(start, end) is None

    def cite(self, start: int, end: int) -> Citation:
        return Citation.make(self, start, end)

    @property
    def word_count(self) -> int:
        return len(self.text.split())


def _context_prefix(text: str, start: int) -> str:
    return text[max(0, start - CONTEXT_CHARS) : start]


def _context_suffix(text: str, end: int) -> str:
    return text[end : end + CONTEXT_CHARS]


@dataclass(frozen=True, slots=True, order=True)
class Citation:
    """An exact quote of a source: ``text[start:end] == exact``, checked when made."""

    source: str
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str

    @classmethod
    def make(cls, doc: Document, start: int, end: int) -> Citation:
        text = doc.text
        if not 0 <= start < end <= len(text):
            raise CitationError(
                f"citation offsets {start}..{end} fall outside the text ({len(text)} characters)",
                f"in {doc.path}",
                "this is a bug in an extractor; please report it with the source",
            )
        exact = text[start:end]
        if exact != exact.strip():
            raise CitationError(
                f"citation {start}..{end} starts or ends with white space ({exact!r})",
                f"in {doc.path}",
                "this is a bug in an extractor; please report it with the source",
            )
        return cls(doc.id, start, end, exact, _context_prefix(text, start), _context_suffix(text, end))

    def check(self, text: str) -> str | None:
        """Why this citation does not anchor in ``text``, or ``None`` when it does."""
        if not 0 <= self.start <= self.end <= len(text):
            return f"offsets {self.start}..{self.end} outside the text ({len(text)} characters)"
        found = text[self.start : self.end]
        if found != self.exact:
            return f"text at {self.start}..{self.end} is {found!r}, the citation quotes {self.exact!r}"
        if _context_prefix(text, self.start) != self.prefix:
            return f"the 32 characters before {self.start} changed"
        if _context_suffix(text, self.end) != self.suffix:
            return f"the 32 characters after {self.end} changed"
        return None

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass(frozen=True, slots=True, order=True)
class Value:
    """A literal value: its lexical form and an ``xsd:`` datatype CURIE."""

    lexical: str
    datatype: str = "xsd:string"

    @classmethod
    def integer(cls, n: int) -> Value:
        return cls(str(n), "xsd:integer")

    @classmethod
    def of_date(cls, d: PartialDate) -> Value:
        return cls(d.iso(), d.xsd)

    def as_date(self) -> PartialDate | None:
        if self.datatype in ("xsd:date", "xsd:gYearMonth", "xsd:gYear"):
            return PartialDate.parse(self.lexical)
        return None


@dataclass(frozen=True, slots=True, order=True)
class Concept:
    """A SKOS concept of one of kg's vocabularies (``ontology/*.ttl``), by its CURIE."""

    curie: str


@dataclass(frozen=True, slots=True, order=True)
class EntityKey:
    """A reference to an entity of the same extraction, by its document-local key."""

    key: str


Obj = EntityKey | Value | Concept

#: Kinds of weak form (:attr:`LocalEntity.links`): an acronym the document uses without defining,
#: or defines; the acronym of a former name ("IOPC - formerly IPCC"); a clipped name ("Met" for "Metropolitan Police Service"); a person's surname alone,
#: with an honorific ("Mr Roe") or with a rank or title ("PC Roe").
LINK_KINDS = ("acronym", "former", "clip", "surname", "honorific", "title", "office")
#: Kinds of evidence (:attr:`LocalEntity.evidence`): a job title held (a ``title:`` concept), the
#: organisation it is held in (a local key), the words of a quotation the person is quoted saying
#: (normalised), how many mentions the entity has, and flags: the organisation is a news outlet,
#: a police force, an oversight body (of an investigation the document describes: an oversight
#: body conducts it); the place contains another place; the organisation is the
#: document's publisher; the investigation is a police force's own, not the one the document is
#: about; of a report, the day it was published (ISO); of an event, a deadline counted in days from
#: a report's publication ("56 <report key>"); of an outcome, how many officers it concerns.
EVIDENCE_KINDS = ("role", "role-org", "quote", "mentions", "outlet", "police", "oversight", "contains", "publisher", "given",
                  "police-own", "published", "due-after", "count")


@dataclass(frozen=True, slots=True)
class Mention:
    """Words in a document that name or refer to an entity."""

    entity: str
    citation: Citation
    form: str = "name"  # name | alias | acronym | pronoun | descriptor | quote


@dataclass(frozen=True, slots=True)
class Claim:
    """One fact a document states, with the words that state it.

    ``notes`` qualify the statement itself (for a date resolved from "yesterday": the
    expression and the anchor date), as ``(predicate CURIE, Value)`` pairs.
    """

    subject: str
    predicate: str
    object: Obj
    citations: tuple[Citation, ...]
    notes: tuple[tuple[str, Value], ...] = ()

    def __post_init__(self) -> None:
        if not self.citations:
            raise CitationError(
                f"claim {self.subject} {self.predicate} {self.object} has no citation",
                None,
                "every claim must cite the words that state it; this is a bug in an extractor",
            )


@dataclass(frozen=True, slots=True)
class LocalEntity:
    """An entity as one document knows it.

    ``names`` are the forms strong enough to link across documents (full names and defined
    acronyms); ``aliases`` are every surface form seen.  A derived entity (finding, outcome,
    event, quotation, …) has no name of its own: ``identity`` holds the parts that define it, as
    strings and ``EntityKey`` references resolved after linking.
    """

    key: str
    type: str
    label: str
    names: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    identity: tuple[str | EntityKey, ...] = ()
    #: weak forms that may link across documents on evidence, each with its kind
    #: (:data:`LINK_KINDS`): "Met" a clipped form, "Naseem" a surname, "IOPC" an acronym
    links: tuple[tuple[str, str], ...] = ()
    #: what the document says about the entity that other documents can corroborate, as
    #: ``(kind, value)`` pairs (:data:`EVIDENCE_KINDS`)
    evidence: tuple[tuple[str, str], ...] = ()
    #: an entity the document refers to without naming it ("the investigation"), resolved across
    #: documents by what the documents share rather than by a name
    anonymous: bool = False

    def evidence_of(self, kind: str) -> tuple[str, ...]:
        return tuple(v for k, v in self.evidence if k == kind)


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one document."""

    document: str
    sha256: str
    entities: tuple[LocalEntity, ...]
    mentions: tuple[Mention, ...]
    claims: tuple[Claim, ...]
    warnings: tuple[str, ...] = field(default=())

    def entity(self, key: str) -> LocalEntity:
        for ent in self.entities:
            if ent.key == key:
                return ent
        raise KeyError(key)


def unique(items: Iterable[str]) -> tuple[str, ...]:
    """Items in first-seen order without repeats."""
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return tuple(seen)
