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

from ..model import Value
from . import refs
from .context import Context
from .numbers import COUNT_RE, parse_count

_OFFICERS = r"(?:police\s+)?officers"
OFFICERS_INVESTIGATED = [
    re.compile(rf"\b(?P<n>{COUNT_RE})\s+{_OFFICERS}\s+(?:that|who)\s+(?:were|had\s+been|have\s+been)\s+(?:investigated|under\s+investigation)", re.I),
    re.compile(
        rf"\b(?P<n>{COUNT_RE})\s+{_OFFICERS}\s+(?:were|have\s+been|had\s+been)\s+"
        rf"(?:put\s+under\s+notice|investigated|under\s+investigation|served\s+with\s+(?:gross\s+)?misconduct\s+notices)",
        re.I,
    ),
    # "Fourteen officers were told that they were under investigation"
    re.compile(
        rf"\b(?P<n>{COUNT_RE})\s+{_OFFICERS}\s+(?:were|had\s+been)\s+(?:told|informed|notified|advised|warned)\s+"
        rf"(?:that\s+)?they\s+(?:were|had\s+been)\s+(?:being\s+)?(?:investigated|under\s+investigation)",
        re.I,
    ),
    re.compile(rf"\binvestigations?\s+into\s+(?P<n>{COUNT_RE})\s+{_OFFICERS}", re.I),
    re.compile(rf"\b(?P<n>{COUNT_RE})\s+{_OFFICERS}\s+(?:faced|came\s+under)\s+investigation", re.I),
]
INVESTIGATION_COUNT = re.compile(rf"\b(?P<n>{COUNT_RE})\s+(?:linked|separate|individual|related|connected)\s+investigations\b", re.I)
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
        for pattern in OFFICERS_INVESTIGATED:
            for m in pattern.finditer(f, s, e):
                n = parse_count(m.group("n"))
                if n is not None:
                    ctx.claim(inv, "kg:officersInvestigated", Value.integer(n), [(m.start(), m.end())])
        for m in INVESTIGATION_COUNT.finditer(f, s, e):
            n = parse_count(m.group("n"))
            if n is not None:
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
