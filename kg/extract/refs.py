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

from .context import Context, is_police_name
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
    """The document's investigation: the one named investigation it is about."""
    return ctx.salient("kg:Investigation")


def resolve_first_person(ctx: Context) -> None:
    """Mention the entity every "we", "our" and "us" of the body stands for (see :func:`first_person`)."""
    for m in FIRST_PERSON.finditer(ctx.folded):
        if not ctx.is_body(m.start(), m.end()):
            continue
        key = first_person(ctx, m.start())
        if key is not None:
            ctx.mention(key, m.start(), m.end(), "pronoun")
