"""Reports, polls, reviews and who made the initiatives a text names.

- A report: a singular "report" whose author the text gives ("a report from ORG", "the ORG
  report", "its report", "our learning report"); other singular mentions of "the report" refer to
  it.  It is identified by its author and the investigation it comes from.
- A poll: "a YEAR ORG poll", "a poll by ORG" → conducted by ORG, dated YEAR.
- A review: "a (formal|independent) review|inquiry (led) by NAME" → conducted by NAME, concerning
  the organisation the clause is about.
- An initiative's owner: "its NAME plan" (the organisation named before) or "… by ORG, including
  … NAME strategy".
"""

from __future__ import annotations

import re

from ..model import EntityKey, Value
from ..text import last_match
from . import dates, refs
from .context import Context

_REPORT = re.compile(
    r"\b(?P<det>the|a|an|its|our|their|this|his|her)?\s*(?P<mods>(?:(?:new|latest|final|full|interim|published|learning|damning|independent)\s+)*)"
    r"report\b(?!s)(?!\s+(?:to|it|that|this|on\s+them))",
    re.I,
)


def _short(ctx: Context, key: str) -> str:
    d = ctx.drafts[key]
    acronyms = [n for n in (*d.names, *d.aliases) if re.fullmatch(r"[A-Z][A-Z0-9&]{1,9}", n)]
    return acronyms[0] if acronyms else d.label


def reports(ctx: Context) -> str | None:
    """Find the report the document is about; mention it wherever "the report" refers to it."""
    f = ctx.folded
    occurrences = []
    for m in _REPORT.finditer(f):
        if not ctx.is_body(m.start(), m.end()):
            continue
        tok = ctx.token_at(m.end() - 1)
        if (tok is not None and tok.pos_ == "VERB") or re.search(r"\b(?:to|not|and|or|must|should|will|would|could)\s+$", f[max(0, m.start() - 8) : m.start()], re.I):
            continue  # "to report concerns"
        occurrences.append(m)
    primary: str | None = None
    learning = any("learning" in m.group("mods").lower() for m in occurrences)
    inv = refs.investigation(ctx)
    for m in occurrences:
        det = (m.group("det") or "").lower()
        author: tuple[int, int, str] | None = None
        author_span: tuple[int, int] | None = None
        before = ctx.last_name_before(m.start("mods") if m.group("mods") else m.start() + len(m.group(0)) - 6,
                                      ("schema:Organization",), limit=max(0, m.start() - 40))
        # "the ORG report" / "ORG's report"
        named_span = None
        if before is not None and re.fullmatch(r"(?:'s|')?\s*", f[before[1] : m.start("mods") if m.group("mods") else m.end() - 6]):
            author, author_span = before, (before[0], m.end())
            lead = re.search(r"\b(?:the|a|an)\s+$", f[max(0, before[0] - 6) : before[0]], re.I)
            named_span = (before[0] - (len(lead.group(0)) if lead else 0), m.end())
        after = re.match(r"\s+(?:from|by|of)\s+(?:the\s+)?", f[m.end() : m.end() + 12])
        if author is None and after:
            nxt = [n for n in ctx.names_in(m.end(), m.end() + 80) if ctx.drafts[n[2]].type == "schema:Organization"]
            if nxt and nxt[0][0] == m.end() + after.end():
                author, author_span = nxt[0], (m.start(), nxt[0][1])
        if author is None and det in ("our",):
            key = refs.first_person(ctx, m.start())
            if key:
                ctx.mention(key, m.start("det"), m.end("det"), "pronoun")
                author, author_span = (m.start("det"), m.end("det"), key), (m.start(), m.end())
        if author is None and det in ("its", "their"):
            owner = refs.possessive_owner(ctx, m.start())
            if owner:
                author, author_span = owner, (owner[0], m.end())
        if author is None:
            author, author_span = _publisher_of(ctx, m.end() - 6, m.end())
        if author is None and primary is None:
            continue
        if author is not None and primary is None:
            label = f"{_short(ctx, author[2])} {'learning ' if learning else ''}report"
            primary = ctx.derived("schema:Report", label, (EntityKey(author[2]), ctx.scope(inv)))
        assert primary is not None
        span = (m.start("det") if m.group("det") else m.start("mods") if m.group("mods") else m.start(), m.end())
        ctx.mention(primary, *(named_span or span), "descriptor")
        if author is not None and author_span is not None:
            ctx.claim(primary, "schema:author", author[2], [author_span])
        if inv:
            sent = ctx.sentence_at(m.start())
            named = [n for n in ctx.names_in(sent.start, sent.end) if n[2] == inv]
            if named and re.search(r"\b(?:from|into|on|of|about)\b", f[span[1] : named[0][0]] if named[0][0] > span[1] else ""):
                ctx.claim(primary, "schema:about", inv, [(span[0], named[0][1])])
    return primary


PUBLISH_LEMMAS = frozenset({"publish", "release", "issue", "produce", "launch", "unveil"})


def _publisher_of(ctx: Context, start: int, end: int) -> tuple[tuple[int, int, str] | None, tuple[int, int] | None]:
    """ "ORG (on Tuesday) published a learning report": the subject of the verb the report is the object of."""
    tok = ctx.token_at(start)
    if tok is None or tok.dep_ not in ("dobj", "obj", "nsubjpass") or tok.head.lemma_.lower() not in PUBLISH_LEMMAS:
        return None, None
    verb = tok.head
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "agent")), None)
    if subj is None:
        return None, None
    if subj.dep_ == "agent":
        subj = next((c for c in subj.children if c.dep_ == "pobj"), None)
        if subj is None:
            return None, None
    if subj.lower_ in ("we", "us"):
        key = refs.first_person(ctx, subj.idx)
        if key is None:
            return None, None
        ctx.mention(key, subj.idx, subj.idx + len(subj), "pronoun")
        return (subj.idx, subj.idx + len(subj), key), (min(subj.idx, start), max(subj.idx + len(subj), end))
    names = [n for n in ctx.names_in(subj.left_edge.idx, subj.right_edge.idx + len(subj.right_edge))
             if ctx.drafts[n[2]].type == "schema:Organization"]
    if not names:
        return None, None
    return names[-1], (min(names[-1][0], start), max(names[-1][1], end))


def polls(ctx: Context) -> None:
    f = ctx.folded
    for m in re.finditer(r"\b(?:a|an|the)\s+(?P<year>(?:19|20)\d\d\s+)?(?P<org>[A-Z][\w&-]*(?:\s+[A-Z][\w&-]*)*)\s+(?P<kind>poll|survey)\b", f):
        if not ctx.is_body(m.start(), m.end()):
            continue
        org = [n for n in ctx.names_in(m.start("org"), m.end("org")) if ctx.drafts[n[2]].type == "schema:Organization"]
        if not org:
            continue
        year = m.group("year").strip() if m.group("year") else ""
        label = f"{year + ' ' if year else ''}{ctx.drafts[org[0][2]].label} {m.group('kind')}"
        poll = ctx.derived("kg:Poll", label, (EntityKey(org[0][2]), year))
        s = m.start("year") if year else m.start("org")
        ctx.mention(poll, s, m.end(), "descriptor")
        ctx.claim(poll, "kg:conductedBy", org[0][2], [(m.start("org"), m.end())])
        if year:
            for d in dates.find_dates(f, m.start("year"), m.end("year"), ctx.doc.meta.published):
                ctx.claim(poll, "schema:dateCreated", Value.of_date(d.value), [(s, m.end())])


def reviews(ctx: Context) -> None:
    f = ctx.folded
    for m in re.finditer(r"\b(?:a|an|the)\s+(?P<kind>(?:(?:formal|independent|external|wide-ranging|major)\s+)*(?:review|inquiry))\s+(?:led\s+|carried\s+out\s+|conducted\s+)?by\s+", f):
        if not ctx.is_body(m.start(), m.end()):
            continue
        who = [n for n in ctx.names_in(m.end(), m.end() + 80) if ctx.drafts[n[2]].type in ("schema:Person", "schema:Organization")]
        if not who or who[0][0] != m.end():
            continue
        person = who[0]
        label = f"{m.group('kind')} by {ctx.drafts[person[2]].label}"
        review = ctx.derived("kg:Review", label, (EntityKey(person[2]), m.group("kind").lower().split()[-1]))
        ctx.mention(review, m.start("kind"), person[1], "descriptor")
        ctx.mention(review, m.start(), m.end("kind"), "descriptor")  # "a formal review"
        ctx.claim(review, "kg:conductedBy", person[2], [(m.start("kind"), person[1])])
        # what it is about: the organisation the clause opens with ("ORG culture … is subject to a review")
        sent = ctx.sentence_at(m.start())
        clause_start = max(sent.start, f.rfind(".", sent.start, m.start()) + 1)
        subject = [n for n in ctx.names_in(clause_start, m.start()) if ctx.drafts[n[2]].type == "schema:Organization"]
        if subject and re.search(r"\bsubject\s+to\b|\bunder\b|\binto\b", f[subject[0][1] : m.start()]):
            ctx.claim(review, "kg:concerns", subject[0][2], [(subject[0][0], person[1])])


def initiative_owners(ctx: Context) -> None:
    f = ctx.folded
    for init in ctx.entities_of("kg:Initiative"):
        for s, e, k in list(ctx.name_spans):
            if k != init.key:
                continue
            lead = f[max(0, s - 8) : s]
            owner = None
            span_start = s
            if re.search(r"\b(?:its|their)\s+$", lead):
                owner = refs.possessive_owner(ctx, s)
                span_start = s - len(lead) + lead.rfind("its" if "its" in lead else "their")
                if owner:
                    span_start = owner[0]
            else:
                sent = ctx.sentence_at(s)
                m = last_match(r"\b(?:carried out|led|run|launched|introduced|developed)\s+by\s+(?:the\s+)?", f[sent.start : s])
                if m is not None:
                    pos = sent.start + m.end()
                    nxt = [n for n in ctx.names_in(pos, s) if ctx.drafts[n[2]].type == "schema:Organization"]
                    if nxt and nxt[0][0] == pos:
                        owner, span_start = nxt[0], sent.start + m.start()
            if owner is not None:
                ctx.claim(k, "schema:creator", owner[2], [(span_start, e)])
