"""Facts about the investigation a document reports on.

- who conducted it: "our investigation(s)" (the first-person voice), "the ORG’s investigation",
  "an investigation by ORG";
- how many officers were investigated: "14 officers were put under notice that they were being
  investigated", "of the 14 police officers that were investigated";
- how many linked investigations: "nine linked investigations";
- what started it: "sparked by an allegation that …", "following a conduct referral alleging …";
- where: "officers (predominantly) based at PLACE", "teams … in the PLACE area".
"""

from __future__ import annotations

import itertools
import re

from ..model import Concept, EntityKey, Value
from . import dates, refs
from .context import Context
from .numbers import COUNT_RE, parse_count

_OFFICERS = r"(?:police\s+)?officers"
#: Words between a count and "officers": "three MPS officers", "five Bedfordshire Police officers",
#: "two former senior officers".
_QUALIFIED = (
    r"(?:(?:(?-i:[A-Z])[\w&'’-]*|and|former|serving|senior|junior|other|more|further|police|detention|custody|armed|"
    r"firearms|male|female|uniformed|response|neighbourhood|specialist|individual|separate|different)\s+){0,4}"
    r"(?:police\s+)?(?:officers|constables|employees|members\s+of\s+(?:police\s+)?staff)(?:\s+and\s+(?:police\s+)?staff)?"
)
OFFICERS_INVESTIGATED = [
    re.compile(rf"\b(?P<n>{COUNT_RE})\s+{_QUALIFIED}\s+(?:that|who)\s+(?:were|had\s+been|have\s+been)\s+(?:investigated|under\s+investigation)", re.I),
    re.compile(
        rf"\b(?P<n>{COUNT_RE})\s+{_QUALIFIED}\s+(?:were|have\s+been|had\s+been)\s+"
        rf"(?:put\s+under\s+notice|investigated|under\s+investigation|served\s+with\s+(?:gross\s+)?misconduct\s+notices)",
        re.I,
    ),
    # "Fourteen officers were told that they were under investigation"
    re.compile(
        rf"\b(?P<n>{COUNT_RE})\s+{_OFFICERS}\s+(?:were|had\s+been)\s+(?:told|informed|notified|advised|warned)\s+"
        rf"(?:that\s+)?they\s+(?:were|had\s+been)\s+(?:being\s+)?(?:investigated|under\s+investigation)",
        re.I,
    ),
    re.compile(rf"\b(?P<n>{COUNT_RE})\s+{_QUALIFIED}\s+(?:faced|came\s+under)\s+investigation", re.I),
    # "we investigated the conduct of 47 officers", "an investigation into the three MPS officers",
    # "looked into the actions of three officers", "a probe into 13 officers"
    re.compile(
        rf"\b(?:(?:investigat(?:ed|ing|es?)|probed|looked\s+into|examined)\s+|looked\s+at\s+(?=(?:the\s+)?(?:conduct|actions|role|behaviour)\s+of\b)|"
        rf"(?:investigations?|inquiry|inquiries|probes?)\s+into\s+)"
        rf"(?:(?:the\s+)?(?:conduct|actions|role|behaviour)\s+of\s+)?(?:the\s+)?(?P<n>{COUNT_RE})\s+{_QUALIFIED}",
        re.I,
    ),
    # "Of the 14 officers investigated", "of the 14 police officers that were investigated"
    re.compile(rf"\bof\s+the\s+(?P<n>{COUNT_RE})\s+{_QUALIFIED}\s+(?:(?:that|who)\s+(?:were|had\s+been)\s+|we\s+)?investigated\b", re.I),
    # "the three officers subject to misconduct notices", "served notices on five officers"
    re.compile(rf"\b(?P<n>{COUNT_RE})\s+{_QUALIFIED}\s+(?:who\s+were\s+)?subject\s+to\s+(?:gross\s+)?misconduct\s+notices", re.I),
    re.compile(rf"\bserved\s+(?:\w+\s+){{0,3}}notices\s+on\s+(?P<n>{COUNT_RE})\s+{_QUALIFIED}", re.I),
    re.compile(
        rf"\b(?P<n>{COUNT_RE})\s+{_QUALIFIED}\s+(?:were|have\s+been|had\s+been)\s+"
        rf"(?:served\s+with\s+(?:\w+\s+){{0,3}}notices|served\s+(?:\w+\s+){{0,3}}notices|issued\s+with\s+(?:\w+\s+){{0,3}}notices|"
        rf"given\s+(?:\w+\s+){{0,3}}notices|interviewed\s+under\s+(?:criminal\s+)?caution)",
        re.I,
    ),
    # "recorded a conduct matter in relation to 11 police officers"
    re.compile(rf"\bconduct\s+matter\s+(?:in\s+relation\s+to|against)\s+(?P<n>{COUNT_RE})\s+{_QUALIFIED}", re.I),
]
#: In a sentence about the investigation: "charges over the actions of five Bedfordshire Police
#: officers following its investigation".
ACTIONS_OF = re.compile(rf"\b(?:conduct|actions|behaviour)\s+of\s+(?:the\s+|all\s+)?(?P<n>{COUNT_RE})\s+{_QUALIFIED}", re.I)
INVESTIGATION_COUNT = re.compile(
    rf"\b(?P<n>{COUNT_RE})\s+(?:(?:linked|separate|individual|related|connected|independent|further)\s+)?investigations\b"
    r"(?!\s+(?:a|each|every|per)\s+year)",
    re.I,
)
ORIGIN = re.compile(
    r"\b(?:(?:sparked|prompted|triggered|started|launched)\s+by|following|after)\s+"
    r"(?P<o>(?:an?|the)\s+(?:(?:conduct|misconduct|internal)\s+)?(?:allegation|complaint|referral)\b[^.;:]*)",
    re.I,
)
BASED_AT = re.compile(
    r"\b(?:officers|teams?|colleagues)\b[^.;]{0,80}?\b(?:based|working|worked|stationed|posted)\s+(?:at|in)\s+(?:the\s+)?",
    re.I,
)
OWNER = re.compile(r"\b(?P<det>our|its|their)\s+(?:[\w-]+\s+){0,3}(?:investigations?|operation|inquiry)\b", re.I)


def find(ctx: Context) -> None:
    inv = refs.investigation(ctx)
    if inv is None:
        return
    f = ctx.folded
    for sent in ctx.body_sentences():
        s, e = sent.start, sent.end
        text = f[s:e]
        named = [n for n in ctx.names_in(s, e) if n[2] == inv]
        about_inv = bool(named) or bool(refs.investigation_refs(ctx, s, e))
        # who conducted it
        for m in OWNER.finditer(f, s, e):
            owner = refs.first_person(ctx, m.start()) if m.group("det").lower() == "our" else None
            if owner is None and m.group("det").lower() in ("its", "their"):
                found = refs.possessive_owner(ctx, m.start())
                owner = found[2] if found else None
            if owner:
                if m.group("det").lower() == "our":
                    ctx.mention(owner, m.start("det"), m.end("det"), "pronoun")
                if not any(n[0] >= m.start() and n[1] <= m.end() for n in named):
                    ctx.mention(inv, m.start(), m.end(), "descriptor")
                ctx.claim(inv, "kg:conductedBy", owner, [(m.start(), m.end())])
        for org in [n for n in ctx.names_in(s, e) if ctx.drafts[n[2]].type == "schema:Organization"]:
            m2 = re.match(r"(?:'s)?\s+(?:(?:independent|own)\s+)?(?:investigations?|inquiry)\b", f[org[1] : e])
            if m2:
                span = (org[0], org[1] + m2.end())
                ctx.mention(inv, org[1] + (2 if f[org[1]:org[1] + 2] == "'s" else 0), span[1], "descriptor")
                ctx.claim(inv, "kg:conductedBy", org[2], [span])
        if not about_inv and not re.search(r"\bofficers\b", text, re.I):
            continue
        taken: list[tuple[int, int]] = []  # one citation per statement of a count: the first pattern's
        for pattern in [*OFFICERS_INVESTIGATED, *([ACTIONS_OF] if about_inv else [])]:
            for m in pattern.finditer(f, s, e):
                n = parse_count(m.group("n"))
                if n is not None and not any(m.start() < te and ts < m.end() for ts, te in taken):
                    taken.append((m.start(), m.end()))
                    ctx.claim(inv, "kg:officersInvestigated", Value.integer(n), [(m.start(), m.end())])
        for m in INVESTIGATION_COUNT.finditer(f, s, e):
            n = parse_count(m.group("n"))
            if n is not None and n > 1:
                ctx.mention(inv, m.start(), m.end(), "descriptor")
                ctx.claim(inv, "kg:investigationCount", Value.integer(n), [(m.start(), m.end())])
        if about_inv:
            for m in ORIGIN.finditer(f, s, e):
                words = ctx.text[m.start("o") : m.end("o")].rstrip(" ,")
                ctx.claim(inv, "kg:origin", Value(" ".join(words.split())), [(m.start(), m.start("o") + len(words))])
        for m in BASED_AT.finditer(f, s, e):
            places = [n for n in ctx.names_in(m.end(), e) if ctx.drafts[n[2]].type == "schema:Place"]
            if places and places[0][0] == m.end():
                # "Northshire’s Harbour Street police station": the place named last in a possessive chain
                place = places[0]
                for nxt in places[1:]:
                    if re.fullmatch(r"'s\s+", f[place[1] : nxt[0]]):
                        place = nxt
                ctx.claim(inv, "schema:location", place[2], [(m.start(), place[1])])
        for m in re.finditer(r"\bin\s+the\s+", f[s:e]):
            pos = s + m.end()
            places = [n for n in ctx.names_in(pos, e) if ctx.drafts[n[2]].type == "schema:Place"]
            if places and places[0][0] == pos and re.match(r"\s+area\b", f[places[0][1] : places[0][1] + 6]):
                ctx.claim(inv, "schema:location", places[0][2], [(s + m.start(), places[0][1] + 5)])


def places(ctx: Context) -> None:
    """ "Northshire’s Harbour Street police station": a place within a place."""
    f = ctx.folded
    spans = [n for n in ctx.name_spans if ctx.drafts[n[2]].type == "schema:Place"]
    for a, b in itertools.pairwise(spans):
        if a[2] != b[2] and re.fullmatch(r"'s\s+", f[a[1] : b[0]]):
            ctx.claim(b[2], "schema:containedInPlace", a[2], [(a[0], b[1])])
        elif a[2] != b[2] and re.fullmatch(r",?\s+in\s+(?:central\s+|north\s+|south\s+|east\s+|west\s+)?", f[a[1] : b[0]]):
            ctx.claim(a[2], "schema:containedInPlace", b[2], [(a[0], b[1])])


#: Words that mark a milestone of an investigation, by the kind of event (``ontology/events.ttl``).
MILESTONES = (
    ("etype:referred", re.compile(r"\b(?:referr(?:al|als|ed|ing)|refers?)\b", re.I)),
    ("etype:began", re.compile(r"\b(?:began|begun|begin|begins|started|starting|starts|launched|opened|commenced|initiated|established|set\s+up)\b", re.I)),
    ("etype:concluded", re.compile(r"\b(?:concluded|conclusion|completed|completion|finished|ended|end|closed)\b", re.I)),
)
#: A milestone said of the future or of a wish is not one that happened.
_NOT_YET = re.compile(r"\b(?:will|would|could|should|must|may|might|expected\s+to|due\s+to|hope\s+to|plans?\s+to|aims?\s+to|yet\s+to|not)\s+(?:\w+\s+){0,2}$", re.I)
#: What a referral hands on: the matter under investigation.
_REFERRED = re.compile(r"\b(?:referr\w*)\s+(?:(?:the|a|an|this|its|a\s+number\s+of|several|further)\s+)?(?:\w+\s+){0,2}?(?:matters?|case|allegations?|complaints?|incident|conduct|death|itself|it|concerns?)\b|\breferral\b", re.I)


def milestones(ctx: Context) -> None:
    """When the document's investigation was referred, began and concluded, from the stock phrases
    of police-conduct reporting: "we received a referral from ORG in January 2021", "ORG referred
    the matter to us in May 2021", "the investigation, which began in May 2021", "at the end of our
    investigation in 2018", "an investigation which concluded in September 2016".  The date is the
    date expression nearest the milestone word in its sentence (after it first); a milestone of
    another named investigation ("the conclusion of the ORG inquiry in June 2019") is that one's."""
    inv = refs.investigation(ctx)
    if inv is None:
        return
    f = ctx.folded
    from . import events

    for sent in ctx.body_sentences():
        s, e = sent.start, sent.end
        text = f[s:e]
        if text.rstrip("”’\"' ").endswith("?"):
            continue
        found = None
        for concept, pattern in MILESTONES:
            for m in pattern.finditer(f, s, e):
                if _NOT_YET.search(f[max(s, m.start() - 40) : m.start()]):
                    continue
                target = _milestone_object(ctx, concept, inv, m.start(), m.end(), s, e)
                if target is None:
                    continue
                between = f[min(target[2], m.start()) : max(target[1], m.end())]
                if re.search(r"\b(?:proceedings|hearings?|trial|case)\b", between, re.I):
                    continue  # "our investigations, from which proceedings concluded": the proceedings did
                if found is None:
                    found = dates.find_dates(f, s, e, ctx.anchor(s)[0])
                when = _nearest(found, m.start(), m.end(), f)
                if when is None:
                    continue
                obj, os_, oe = target
                label = f"{events.short_label(ctx, obj)} {events.PAST.get(concept, concept)}"
                event = ctx.derived("schema:Event", label, (concept, EntityKey(obj)))
                ctx.mention(event, m.start(), m.end(), "descriptor")
                whole = (min(m.start(), os_, when.start), max(m.end(), oe, when.end))
                ctx.claim(event, "kg:eventType", Concept(concept), [whole])
                ctx.claim(event, "schema:object", obj, [(min(m.start(), os_), max(m.end(), oe))])
                ctx.claim(event, "schema:startDate", Value.of_date(when.value), [(when.start, when.end)], dates.notes(when, ctx.text))


def _milestone_object(
    ctx: Context, concept: str, inv: str, start: int, end: int, s: int, e: int
) -> tuple[str, int, int] | None:
    """The investigation a milestone word is of, with the words that name it: the named
    investigation or the reference to the document's nearest the word (within a few words), or,
    for a referral, the matter referred (the document's investigation)."""
    f = ctx.folded
    best: tuple[int, tuple[str, int, int]] | None = None
    for ns, ne, k in ctx.names_in(s, e):
        if ctx.drafts[k].type == "kg:Investigation":
            gap = ns - end if ns >= end else start - ne
            if 0 <= gap <= 50 and (best is None or gap < best[0]):
                best = (gap, (k, ns, ne))
    for rs, re_ in refs.investigation_refs(ctx, s, e):
        if re.search(r"\boperation\b", f[rs:re_], re.I) and ctx.anonymous_investigation == inv:
            continue  # "a police operation" is no investigation of the watchdog's
        gap = rs - end if rs >= end else start - re_
        if 0 <= gap <= 50 and (best is None or gap < best[0]):
            best = (gap, (inv, rs, re_))
    if best is not None:
        return best[1]
    if concept == "etype:referred":
        m = _REFERRED.search(f, max(s, start - 2), min(e, end + 60))
        if m:
            what = re.match(r"referr\w*\s+", f[m.start() : m.end()], re.I)
            if what is not None:  # "referred the matter": the words for what the investigation is into
                ctx.mention(inv, m.start() + what.end(), m.end(), "descriptor")
            return (inv, m.start(), m.end())
    return None


#: Words between a date and a milestone that put them in different clauses ("began in March
#: following a referral": the referral is not dated March).
_OTHER_CLAUSE = re.compile(
    r"\b(?:following|after|before|since|prompted|sparked|triggered|result|which|that|when|while|and|but|led|because)\b|[;:(]"
    r"|\b(?:began|begun|started|launched|opened|concluded|completed|ended|finished|referred|received)\b",
    re.I,
)


def _nearest(found: list[dates.DateExpr], start: int, end: int, text: str) -> dates.DateExpr | None:
    """The date of a milestone word: the date expression after it nearest it, unless another
    clause lies between; else one before it in its own clause ("In May 2021 the force referred")."""
    after = [d for d in found if d.start >= end and not _OTHER_CLAUSE.search(text, end, d.start)]
    if after:
        return min(after, key=lambda d: d.start - end)
    before = [d for d in found if d.end <= start and not _OTHER_CLAUSE.search(text, d.end, start)]
    if before:
        return max(before, key=lambda d: d.end)
    return None
