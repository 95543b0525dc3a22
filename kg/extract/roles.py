"""Roles: a person, a job title from ``ontology/roles.ttl`` and the organisation it is held in.

Patterns (the title matched case-insensitively, longest first):

- "the ORG’s TITLE [for PLACE], NAME" — "the watchdog’s regional director for the north, Jane Roe";
- "ORG TITLE NAME" / "the ORG TITLE NAME" — "Agency Regional Director Jane Roe";
- "TITLE NAME of/at ORG" and "NAME, [the] TITLE of/at ORG" / "NAME, the ORG’s TITLE".

A title with an organisation but no name ("the ORG’s regional director for the north tells …") is a
role reference: once the holder of that role is known in the document, it refers to them.
"""

from __future__ import annotations

import re

from ..model import Concept, EntityKey, Value
from . import lexicon
from .context import Context


def _title_matches(ctx: Context) -> list[tuple[int, int, str]]:
    """(start, end, concept) of every job title in the body, longest match first."""
    return [m for m in lexicon.find(ctx.lower, "roles", 0, len(ctx.lower)) if ctx.is_body(m[0], m[1])]


def _org_before(ctx: Context, pos: int) -> tuple[int, int, str] | None:
    """An organisation named right before ``pos``: "ORG’s TITLE", "ORG TITLE", "the ORG police TITLE"."""
    # "Northshire Police Commissioner": the force's name ends in the title's first word
    for s, e, k in ctx.names_in(max(0, pos - 60), pos + 40):
        if s < pos < e and ctx.drafts[k].type == "schema:Organization":
            return (s, e, k)
    prev = ctx.last_name_before(pos, ("schema:Organization",), limit=max(0, pos - 60))
    if prev is None:
        return None
    gap = ctx.folded[prev[1] : pos]
    if re.fullmatch(r"(?:'s|')?\s*", gap):
        return prev
    return None


def _person_after(ctx: Context, pos: int) -> tuple[int, int, str] | None:
    for s, e, k in ctx.names_in(pos, pos + 60):
        if ctx.drafts[k].type == "schema:Person" and re.fullmatch(r"[\s,]*", ctx.folded[pos:s]):
            return (s, e, k)
        break
    return None


def _person_before(ctx: Context, pos: int) -> tuple[int, int, str] | None:
    prev = ctx.last_name_before(pos, ("schema:Person",), limit=max(0, pos - 40))
    if prev is not None and re.fullmatch(r",\s*(?:the\s+|a\s+)?", ctx.folded[prev[1] : pos], re.I):
        return prev
    return None


def find(ctx: Context) -> None:
    for ts, te, concept in _title_matches(ctx):
        end = te
        area = None
        m = re.match(r"\s+for\s+", ctx.folded[te : te + 8])
        if m:
            after = [n for n in ctx.names_in(te, te + 60) if ctx.drafts[n[2]].type == "schema:Place"]
            if after and after[0][0] == te + m.end():
                area = after[0]
                end = area[1]
            else:
                # an area that is not a named place: "director for the north"
                words = re.match(r"\s+for\s+(?:the\s+)?[a-z][\w-]*(?:\s+[a-z][\w-]*)?(?=,)", ctx.folded[te : te + 40])
                if words:
                    end = te + words.end()
        org = _org_before(ctx, ts)
        person = _person_after(ctx, end)
        if person is None:
            person = _person_before(ctx, org[0] if org else ts)
        if org is None:
            m2 = re.match(r"\s*(?:of|at)\s+(?:the\s+)?", ctx.folded[(person[1] if person and person[0] > end else end) :])
            if m2:
                base = person[1] if person and person[0] > end else end
                nxt = [n for n in ctx.names_in(base, base + 80) if ctx.drafts[n[2]].type == "schema:Organization"]
                if nxt and nxt[0][0] == base + m2.end():
                    org = nxt[0]
        if person is None:
            if org is not None:
                ctx.role_holders.setdefault((org[2], concept), "")
            continue
        org_key = org[2] if org else ""
        ctx.role_holders[(org_key, concept)] = person[2]
        start = min(x[0] for x in (org, person, (ts, te, "")) if x)
        stop = max(x[1] for x in (org, person, (ts, end, "")) if x)
        person_label = ctx.drafts[person[2]].label
        title = ctx.vocab.labels.get(concept, concept)
        org_label = ctx.drafts[org_key].label if org_key else ""
        label = f"{person_label}, {title}" + (f", {org_label}" if org_label else "")
        identity: tuple[str | EntityKey, ...] = (EntityKey(person[2]), concept, EntityKey(org_key) if org_key else "")
        role = ctx.derived("kg:Role", label, identity)
        ctx.mention(role, ts, end, "descriptor")
        span = [(start, stop)]
        ctx.claim(role, "kg:holder", person[2], span)
        ctx.claim(role, "kg:roleType", Concept(concept), span)
        ctx.claim(role, "schema:roleName", Value(" ".join(ctx.text[ts:end].split())), [(ts, end)])
        if org_key:
            ctx.claim(role, "kg:organization", org_key, span)
        if area is not None:
            ctx.claim(role, "kg:area", area[2], [(ts, end)])
    # a role reference is resolved only when exactly one holder is known for it
    for (ref_org, ref_concept), holder in list(ctx.role_holders.items()):
        if not holder:
            holders = {p for (o, c), p in ctx.role_holders.items() if c == ref_concept and p and (o == ref_org or not o)}
            if len(holders) == 1:
                ctx.role_holders[(ref_org, ref_concept)] = holders.pop()
            else:
                del ctx.role_holders[(ref_org, ref_concept)]
