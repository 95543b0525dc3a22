"""Recommendations: each one's wording, who made it and to whom; and how many there are.

Patterns:
- "MAKER recommends|suggests|urges that ADDRESSEE (should) WORDING" — several coordinated
  clauses ("… “commit …” – aside – and overhauls …") are several recommendations;
- "recommendations for ADDRESSEE to WORDING";
- "recommendations from MAKER amount to WORDING";
- "MAKER calls on|urges ADDRESSEE to WORDING".
The maker of "the ORG report recommends" is the report's author; of "our recommendations" the
first-person voice.  "N recommendations" gives the count, recorded on the report.
"""

from __future__ import annotations

import re

from ..model import EntityKey, Value
from . import refs
from .context import Context, is_oversight_name
from .numbers import COUNT_RE, parse_count

_VERB = r"(?:recommends?|recommended|suggests?|suggested|urges?|urged|proposes?|proposed)"
THAT = re.compile(rf"\b{_VERB}\s+(?:that\s+)", re.I)
FOR_TO = re.compile(r"\brecommendations?\s+for\s+(?:the\s+)?", re.I)
AMOUNT = re.compile(r"\brecommendations\s+from\s+(?:the\s+)?(?P<maker>[^,.;]{2,60}?)\s+(?:amount\s+to|include|call\s+for|focus\s+on)\s+", re.I)
COUNT = re.compile(rf"\b(?P<n>{COUNT_RE})\s+(?:\w+\s+)?recommendations\b", re.I)


def _org_at(ctx: Context, pos: int, end: int) -> tuple[int, int, str] | None:
    """The organisation named (or described: "the police force") at ``pos``."""
    for s, e, k in ctx.names_in(pos, end):
        if s > pos + 12:
            break
        if ctx.drafts[k].type == "schema:Organization":
            return (s, e, k)
    return None


def _maker_before(ctx: Context, start: int, pos: int, report: str | None) -> tuple[int, int, str] | None:
    f = ctx.folded
    names = [n for n in ctx.names_in(start, pos) if ctx.drafts[n[2]].type == "schema:Organization"]
    clause = f[start:pos]
    if report is not None and re.search(r"\breport\s+$", clause):
        authors = [c for c in ctx.claims if c.subject == report and c.predicate == "schema:author"]
        if authors and isinstance(authors[0].object, EntityKey):
            return (start + clause.rfind("report") - 1, pos, authors[0].object.key)
    if names:
        return names[-1]
    m = re.search(r"\b(?:we|our)\b", clause, re.I)
    if m:
        key = refs.first_person(ctx, start + m.start())
        if key:
            ctx.mention(key, start + m.start(), start + m.end(), "pronoun")
            return (start + m.start(), start + m.end(), key)
    return None


def _wordings(ctx: Context, start: int, end: int) -> list[tuple[int, int]]:
    """The recommended actions in ``[start, end)``: split at "and" + verb, asides and brackets removed."""
    f = ctx.folded
    segment_end = end
    # the writer's own comment is not part of the wording: "(which you’d have hoped …)", ", though …"
    m = re.search(r"\s*\((?:which|though|as)\b|,\s+(?:though|although|but|which|as\s+if)\b", f[start:end])
    if m:
        segment_end = start + m.start()
    # an aside between dashes is not part of the wording
    pieces: list[tuple[int, int]] = []
    cursor = start
    for aside in re.finditer(r"\s+[–—-]\s+[^–—]*?\s+[–—-]\s+", f[start:segment_end]):
        pieces.append((cursor, start + aside.start()))
        cursor = start + aside.end()
    pieces.append((cursor, segment_end))
    out: list[tuple[int, int]] = []
    for ps, pe in pieces:
        sub_start = ps
        for tok in ctx.tokens(ps, pe) if pe > ps else ():
            if tok.lower_ == "and" and tok.idx > ps and tok.i + 1 < len(tok.doc):
                nxt = tok.doc[tok.i + 1]
                if nxt.pos_ == "VERB" and nxt.tag_ in ("VBZ", "VBP", "VB"):
                    out.append((sub_start, tok.idx))
                    sub_start = nxt.idx
        out.append((sub_start, pe))
    cleaned = []
    for s, e in out:
        while s < e and f[s] in " ,;:–—-“”\"'":
            s += 1
        lead = re.match(r"(?:and|or|but|also)\s+", f[s:e], re.I)
        if lead:
            s += lead.end()
        while e > s and f[e - 1] in " ,;:.–—-“”\"'":
            e -= 1
        if len(f[s:e].split()) >= 3:
            cleaned.append((s, e))
    return cleaned


def find(ctx: Context, report: str | None) -> None:
    f = ctx.folded
    made: list[tuple[str, str, tuple[int, int], tuple[int, int], tuple[int, int]]] = []
    for sent in ctx.body_sentences():
        s, e = sent.start, sent.end
        for m in THAT.finditer(f, s, e):
            maker = _maker_before(ctx, s, m.start(), report)
            addressee = _org_at(ctx, m.end(), e)
            if maker is None or addressee is None:
                continue
            rest = addressee[1]
            should = re.match(r"\s+(?:should|must|to)\s+", f[rest:e])
            rest += should.end() if should else 0
            for ws, we in _wordings(ctx, rest, e):
                made.append((maker[2], addressee[2], (ws, we), (maker[0], m.end()), (m.start(), addressee[1])))
        for m in FOR_TO.finditer(f, s, e):
            addressee = _org_at(ctx, m.end(), e)
            if addressee is None:
                continue
            to = re.match(r"\s+to\s+", f[addressee[1] : e])
            if not to:
                continue
            maker = _maker_before(ctx, s, m.start(), report) or _default_maker(ctx, report)
            if maker is None:
                continue
            for ws, we in _wordings(ctx, addressee[1] + to.end(), e):
                made.append((maker[2], addressee[2], (ws, we), (maker[0], maker[1]), (m.start(), addressee[1])))
        for m in AMOUNT.finditer(f, s, e):
            maker = _org_at(ctx, m.start("maker"), m.end("maker") + 1)
            if maker is None:
                continue
            addressee = _default_addressee(ctx)
            for ws, we in _wordings(ctx, m.end(), e):
                made.append((maker[2], addressee[2] if addressee else "", (ws, we), (m.start(), maker[1]),
                             (addressee[0], addressee[1]) if addressee else (-1, -1)))
        for m in COUNT.finditer(f, s, e):
            n = parse_count(m.group("n"))
            if n is None or n < 2:
                continue
            if ctx.folded[max(s, m.start() - 7) : m.start()] == "Of the " and re.match(r"\s+(?:made|addressed|issued)\s+to\b", f[m.end() : m.end() + 16]):
                continue  # "Of the nine recommendations made to the force, …": a part of them, not all
            holder = report or _implicit_report(ctx, s, m.start(), m.end())
            if holder:
                ctx.claim(holder, "kg:recommendationCount", Value.integer(n), [(m.start(), m.end())])
    for maker_key, to_key, wording, maker_span, to_span in made:
        words = " ".join(ctx.text[wording[0] : wording[1]].split())
        label = " ".join(words.split()[:10]) + ("…" if len(words.split()) > 10 else "")
        rec = ctx.derived("kg:Recommendation", label, (EntityKey(maker_key), EntityKey(to_key) if to_key else "", words))
        ctx.mention(rec, *wording, "descriptor")
        ctx.claim(rec, "schema:text", Value(words), [wording])
        ctx.claim(rec, "kg:recommendedBy", maker_key, [maker_span])
        if to_key and to_span[0] >= 0:
            ctx.claim(rec, "kg:addressedTo", to_key, [to_span])


def _implicit_report(ctx: Context, sent_start: int, start: int, end: int) -> str | None:
    """The report whose recommendations a document counts without naming a report ("the watchdog
    made 15 recommendations"): the investigation's report by its maker, which is the report a
    document that names it describes (a report is identified by its author and its investigation)."""
    maker = _counted_maker(ctx, sent_start, start, end) or refs.investigation_conductor(ctx)
    if maker is None:
        return None
    inv = refs.investigation(ctx)
    key = maker[2] if isinstance(maker, tuple) else maker
    d = ctx.drafts[key]
    if d.type != "schema:Organization":
        return None
    short = next((n for n in (*d.names, *d.aliases) if re.fullmatch(r"[A-Z][A-Z0-9&]{1,9}", n)), d.label)
    report = ctx.derived("schema:Report", f"{short} report", (EntityKey(key), ctx.scope(inv)))
    ctx.mention(report, start, end, "descriptor")
    if isinstance(maker, tuple) and maker[0] >= 0:
        ctx.claim(report, "schema:author", key, [(min(maker[0], start), max(maker[1], end))])
    return report


#: "… recommendations made to us by ORG", "… recommendations issued by ORG": the maker named after.
_MADE_BY = re.compile(r"\s+(?:(?:that|which)\s+(?:were|have\s+been|had\s+been)\s+)?(?:made|issued|set\s+out|published)\s+"
                      r"(?:to\s+[^,.;()]{1,60}?\s+)?by\s+", re.I)


def _counted_maker(ctx: Context, sent_start: int, start: int, end: int) -> tuple[int, int, str] | None:
    """Who made the recommendations a sentence counts: the organisation named after "made … by"
    ("the 15 recommendations made to us by ORG"); else, of the organisations named before, the
    oversight body, whose recommendations police-conduct reporting reports ("an ORG investigation
    of applications made by FORCE has found …, with 16 recommendations"); else the last one, or
    "we" (:func:`_maker_before`)."""
    f = ctx.folded
    sent_end = ctx.sentence_at(start).end
    by = _MADE_BY.match(f, end, sent_end)
    if by is not None:
        after = _org_at(ctx, by.end(), sent_end)
        if after is not None:
            return after
    names = [n for n in ctx.names_in(sent_start, start) if ctx.drafts[n[2]].type == "schema:Organization"]
    oversight = [n for n in names if is_oversight_name(ctx.drafts[n[2]])]
    if oversight:
        return oversight[-1]
    return _maker_before(ctx, sent_start, start, None)


def _default_maker(ctx: Context, report: str | None) -> tuple[int, int, str] | None:
    """Who made the recommendations the text does not attribute: "the recommendations we have made",
    "our recommendations", or the report's author; with the words that say so."""
    f = ctx.folded
    for m in re.finditer(r"\b(?:the\s+(?:\w+\s+)?recommendations\s+(?P<we>we)\s+(?:have\s+)?made|(?P<our>our)\s+(?:\w+\s+)?recommendations)\b", f, re.I):
        if not ctx.is_body(m.start(), m.end()):
            continue
        pos = m.start("we") if m.group("we") else m.start("our")
        key = refs.first_person(ctx, pos)
        if key:
            ctx.mention(key, pos, pos + (2 if m.group("we") else 3), "pronoun")
            return (m.start(), m.end(), key)
    if report is not None:
        for c in ctx.claims:
            if c.subject == report and c.predicate == "schema:author" and isinstance(c.object, EntityKey):
                return (c.citations[0].start, c.citations[0].end, c.object.key)
    return None


def _default_addressee(ctx: Context) -> tuple[int, int, str] | None:
    """Whom the document says the recommendations are for, with the words that say it:
    "recommendations made to ORG", "recommendations for ORG", "ORG’s response to these"."""
    f = ctx.folded
    for s, e, k in ctx.name_spans:
        if ctx.drafts[k].type != "schema:Organization" or not ctx.is_body(s, e):
            continue
        before = re.search(r"\brecommendations?\s+(?:\w+\s+){0,2}?(?:made\s+)?(?:to|for)\s+(?:the\s+)?$", f[max(0, s - 60) : s], re.I)
        if before:
            return (s - len(before.group(0)), e, k)
        after = re.match(r"(?:'s|')?\s+response\s+to\s+(?:these|the|our|its|their)\b(?:\s+recommendations)?", f[e : e + 50], re.I)
        if after:
            return (s, e + after.end(), k)
    return None
