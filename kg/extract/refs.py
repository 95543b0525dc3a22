"""What pronouns and descriptions refer to.

- "we", "our", "us": inside a quotation, the speaker's organisation (the organisation the speaker
  holds a role in, or the speaker if it is one); outside, the publisher (the first-person voice of
  a press release or a magazine).
- "its", "their": the organisation named last before, in this sentence or the one before.
- "the force", "the organisation", "the watchdog", … (``kg:shortForm`` cues): the organisation of
  that kind named last before; "the force" a police organisation.
- "the investigation(s)", "the operation", "our investigation": the document's investigation when
  it names exactly one; "the report", "its report", "our learning report": the report being
  written about.
"""

from __future__ import annotations

import bisect
import re

from .context import Context, is_oversight_name, is_police_name
from .numbers import COUNT_RE

FIRST_PERSON = re.compile(r"\b(?:we|our|ours|us)\b", re.I)
INVESTIGATION_NOUN = re.compile(
    rf"\b(?:(?:the|our|its|their|this|that|an?|independent|linked|{COUNT_RE}|(?:\w+\s+)?(?:investigation|inquiry))\s+)*"
    r"(?:investigations?|inquiry|inquiries|operation|probe)\b",
    re.I,
)


def first_person(ctx: Context, pos: int) -> str | None:
    """The entity "we"/"our" at ``pos`` stands for."""
    q = ctx.quote_at(pos)
    if q is not None:
        sp = ctx.speech_of(q)
        if sp is not None and sp.speaker:
            d = ctx.drafts[sp.speaker]
            if d.type == "schema:Organization":
                return sp.speaker
            orgs = sorted({org for (org, _c), person in ctx.role_holders.items() if person == sp.speaker and org})
            if len(orgs) == 1:
                return orgs[0]
        return None
    return ctx.publisher()


def possessive_owner(ctx: Context, pos: int) -> tuple[int, int, str] | None:
    """The organisation "its"/"their" at ``pos`` refers to: the last one named nearby."""
    sent = ctx.sentence_at(pos)
    prev_start = ctx.sentence_at(max(sent.start - 2, 0)).start
    return ctx.last_name_before(pos, ("schema:Organization",), limit=prev_start)


def short_form(ctx: Context, word: str, pos: int) -> tuple[int, int, str] | None:
    """The organisation "the force"/"the organisation"/"the watchdog" at ``pos`` refers to."""
    word = word.lower()
    limit = 0
    cands = []
    for s, e, k in reversed(ctx.name_spans):
        if e > pos or s < limit:
            continue
        d = ctx.drafts[k]
        if d.type != "schema:Organization":
            continue
        if word == "force":
            if is_police_name(d):
                return (s, e, k)
            continue
        if word == "watchdog":
            if not is_police_name(d):
                return (s, e, k)
            continue
        cands.append((s, e, k))
        break
    if cands:
        return cands[0]
    if word == "force":
        key = ctx.salient("schema:Organization", police=True)
        if key:
            return (-1, -1, key)
    return None


def resolve_short_forms(ctx: Context) -> None:
    """Mention the organisation each "the force"/"the organisation"/… refers to."""
    words = "|".join(re.escape(w) for w in ctx.vocab.short_forms)
    pattern = re.compile(rf"\bthe\s+(?:police\s+)?(?P<w>{words})\b(?!\s+(?:of|for)\b)", re.I)
    for m in pattern.finditer(ctx.folded):
        if not ctx.is_body(m.start(), m.end()):
            continue
        if any(s <= m.start() < e for s, e, _k in ctx.name_spans):
            continue
        target = short_form(ctx, m.group("w"), m.start())
        if target is not None:
            ctx.mention(target[2], m.start(), m.end(), "descriptor")
            bisect.insort(ctx.name_spans, (m.start(), m.end(), target[2]))


def investigation_refs(ctx: Context, start: int, end: int) -> list[tuple[int, int]]:
    """Spans in ``[start, end)`` that refer to the document's investigation."""
    out = []
    for m in INVESTIGATION_NOUN.finditer(ctx.folded, start, end):
        if ctx.is_body(m.start(), m.end()):
            out.append((m.start(), m.end()))
    return out


def investigation(ctx: Context) -> str | None:
    """The document's investigation: the named investigation it names most, else the one it
    describes without naming it (see :func:`describe_investigation`); and the one it describes
    when the one it names most is a police force's own, which the described one looks into."""
    named = ctx.salient("kg:Investigation")
    if named is not None and ctx.anonymous_investigation is not None and named in police_own(ctx):
        return ctx.anonymous_investigation
    return named or ctx.anonymous_investigation


#: After a named investigation: "… was the Northshire Police (NP) investigation into …".
_OWN_AFTER = re.compile(r"\s*(?:,\s*|\s+(?:was|is)\s+)(?:the|a|an)\s+$")
_OWN_KIND = re.compile(r"(?:\s*\([^()]{1,12}\))?(?:'s|’s|')?\s+(?:own\s+)?(?:[a-z]+\s+){0,2}?(?:investigation|inquiry|operation)\b")
#: Between a force and a named investigation: "the NP's Operation X", "made by the NP as part of Operation X".
_OWN_BEFORE = re.compile(r"(?:(?:'s|’s|')\s+|\)?\s*(?:\([^()]{1,12}\))?\s+as\s+part\s+of\s+)$")


def police_own(ctx: Context) -> dict[str, tuple[int, int, str]]:
    """The named investigations the text says are a police force's own ("Operation X was the
    Northshire Police (NP) investigation into …", "the NP's Operation X", "applications made by
    the NP as part of Operation X"): each with the words that say so and the force."""
    if ctx.police_investigations is not None:
        return ctx.police_investigations
    f = ctx.folded
    out: dict[str, tuple[int, int, str]] = {}
    for s, e, k in ctx.name_spans:
        if ctx.drafts[k].type != "kg:Investigation" or k in out:
            continue
        for os_, oe, org in ctx.names_in(e, min(len(f), e + 40)):
            if is_police_name(ctx.drafts[org]) and _OWN_AFTER.fullmatch(f, e, os_):
                kind = _OWN_KIND.match(f, oe)
                if kind is not None:
                    out[k] = (s, kind.end(), org)
                break
        if k in out:
            continue
        before = [n for n in ctx.names_in(max(0, s - 80), s) if n[1] <= s and is_police_name(ctx.drafts[n[2]])]
        if before and _OWN_BEFORE.fullmatch(f, before[-1][1], s):
            start = before[-1][0]
            for bs, be, _k in reversed(before[:-1]):  # "the Northshire Police Service (NP) as part of …"
                if re.fullmatch(r"\s*\(", f[be:start]):
                    start = bs
            out[k] = (start, e, before[-1][2])
    ctx.police_investigations = out
    return out


#: An investigation the document describes without naming it: "our investigation", "the IOPC's
#: investigation", "an independent investigation into …", "the inquiry", "the probe".
DESCRIBED = re.compile(
    rf"\b(?P<det>the|our|its|their|this|that|an?|his|her|{COUNT_RE})\s+(?P<mods>(?:(?:independent|criminal|misconduct|full|"
    r"thorough|detailed|separate|ongoing|initial|wider|linked|related|watchdog'?s?|(?-i:[A-Z]{3,6})(?:'s)?)\s+){0,3})"
    r"(?P<noun>investigations?|inquiry|probe)\b",
    re.I,
)
#: Investigations that belong to someone other than the watchdog: "a police investigation", "the
#: force's investigation", "the coroner's inquiry", "a public inquiry", "an internal investigation".
OTHERS = re.compile(
    r"\b(?:police|force'?s?|coroner'?s?|internal|public|murder|criminal\s+justice|fatal\s+accident|professional\s+standards)\s+"
    r"(?:\w+\s+)?(?:investigations?|inquiry|probe)\b",
    re.I,
)


def describe_investigation(ctx: Context) -> None:
    """A document that names no investigation but describes one ("our investigation found", "the
    watchdog's investigation into the death of …") is about an investigation all the same: one
    entity for it, mentioned wherever it is described, so that its counts, findings, outcomes and
    dates are facts of one thing, which other documents about the same case can corroborate
    (:mod:`kg.resolve` finds the case).  It is named by who conducts it, when the document says."""
    own = police_own(ctx)
    for k, (s, e, org) in sorted(own.items()):
        ctx.claim(k, "kg:conductedBy", org, [(s, e)])  # "Operation X was the NP investigation"
    named = ctx.salient("kg:Investigation")
    if named is not None and named not in own:
        return
    spans = []
    for m in DESCRIBED.finditer(ctx.folded):
        s, e = m.start(), m.end()
        if not ctx.is_body(s, e) or OTHERS.search(ctx.folded, max(0, s - 12), e + 1):
            continue
        owner = ctx.last_name_before(s, ("schema:Organization",), limit=max(0, s - 30))
        if owner is not None and re.fullmatch(r"(?:'s|')?\s*", ctx.folded[owner[1] : s]) and not _conducts(ctx, owner[2]):
            continue  # "Gwent Police's investigation": the force's own
        spans.append((s, e))
    if not spans:
        return
    conductor = _conductor(ctx)
    label = f"{_short_name(ctx, conductor)} investigation" if conductor else "investigation"
    key = ctx.entity("kg:Investigation", label, key="investigation:#described", anonymous=True)
    ctx.anonymous_investigation = key
    if conductor is not None and is_oversight_name(ctx.drafts[conductor]):
        ctx.anonymous_conductor = conductor
    for s, e in spans:
        ctx.mention(key, s, e, "descriptor")


def _conducts(ctx: Context, org: str) -> bool:
    d = ctx.drafts[org]
    return is_oversight_name(d) or org == ctx.publisher()


def investigation_conductor(ctx: Context) -> str | None:
    """Who conducts the document's investigation, as far as the document says or implies."""
    return _conductor(ctx)


def _conductor(ctx: Context) -> str | None:
    """Who conducts the investigation a document describes: the oversight body it names most, or
    its publisher when that is not a news outlet."""
    key = ctx.salient("schema:Organization", oversight=True)
    if key is not None:
        return key
    pub = ctx.publisher()
    if pub is not None and ctx.drafts[pub].type == "schema:Organization" and not is_police_name(ctx.drafts[pub]):
        return pub
    return None


def _short_name(ctx: Context, key: str) -> str:
    d = ctx.drafts[key]
    acronyms = [n for n in (*d.names, *d.aliases) if re.fullmatch(r"[A-Z][A-Z0-9&]{1,9}", n)]
    return acronyms[0] if acronyms else d.label


def resolve_first_person(ctx: Context) -> None:
    """Mention the entity every "we", "our" and "us" of the body stands for (see :func:`first_person`)."""
    for m in FIRST_PERSON.finditer(ctx.folded):
        if not ctx.is_body(m.start(), m.end()):
            continue
        key = first_person(ctx, m.start())
        if key is not None:
            ctx.mention(key, m.start(), m.end(), "pronoun")
