"""Deadlines counted from a report's publication, dated to the day by the source that dates it.

A magazine dated only to the month writes that the watchdog "will publish the force's response
within 56 days" of its report: alone, the deadline is only as precise as the month allows (often
just a year).  When another source of the corpus dates the report's publication to the day ("we
yesterday published our learning report", in a release of 2 February), the deadline is that day
plus the days the magazine states, and its citation says so: the words it was resolved from, the
day it counts from (``kg:anchorDate``), the days (``kg:offsetDays``) and what that day is
(``kg:anchoredOn``: "the publication of …").

Extraction records both halves as evidence of its entities (``published`` on a report, ``due-after``
on an event; see :data:`kg.model.EVIDENCE_KINDS`); this runs after linking, over every document's
summary, and changes only deadlines a document could not date to the day itself.  The sources
must agree on the day: when they give different days, the deadline stays as its source dates it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace

from .model import Claim, Extraction, LocalEntity, PartialDate, Value
from .resolve import Linking

#: per document: event key -> (the day it counts from, days, what that day is)
Anchored = dict[str, tuple[str, int, str]]


def deadlines(entities: Iterable[tuple[str, Iterable[LocalEntity]]], linking: Linking) -> dict[str, Anchored]:
    """Each document's deadlines that another source's publication date fixes to the day."""
    published: dict[str, set[str]] = defaultdict(set)
    due: list[tuple[str, str, int, str]] = []  # (document, event key, days, report IRI)
    for doc, ents in entities:
        for ent in ents:
            iri = linking.global_of.get((doc, ent.key))
            if iri is None:
                continue
            published[iri].update(ent.evidence_of("published"))
            for value in ent.evidence_of("due-after"):
                n, report = value.split(" ", 1)
                target = linking.global_of.get((doc, report))
                if target is not None:
                    due.append((doc, ent.key, int(n), target))
    out: dict[str, Anchored] = {}
    for doc, event, days, report in sorted(due):
        days_known = published.get(report, set())
        if len(days_known) != 1:
            continue
        (day,) = days_known
        label = linking.entities[report].label if report in linking.entities else "the report"
        out.setdefault(doc, {})[event] = (day, days, f"the publication of the {label}")
    return out


def apply(x: Extraction, anchored: Mapping[str, tuple[str, int, str]]) -> Extraction:
    """The extraction with each anchored deadline's ``kg:dueDate`` dated to the day."""
    if not anchored:
        return x
    claims = []
    for c in x.claims:
        if c.predicate == "kg:dueDate" and c.subject in anchored and isinstance(c.object, Value):
            day, days, what = anchored[c.subject]
            start = PartialDate.parse(day)
            kept = tuple(n for n in c.notes if n[0] == "kg:resolvedFrom")
            notes = (*kept, ("kg:anchorDate", Value.of_date(start)), ("kg:offsetDays", Value.integer(days)),
                     ("kg:anchoredOn", Value(what)))
            c = Claim(c.subject, c.predicate, Value.of_date(start.shift_days(days)), c.citations, notes)
        claims.append(c)
    return replace(x, claims=tuple(claims))
