"""Findings: what an investigation or report found, typed by the misconduct vocabulary.

A sentence reports findings when a finding verb governs it — found, uncovered, discovered,
highlighted, showed, revealed, identified, reviewed, detailed, "is rife", "examples … include",
"What we uncovered was …" — and it is not a recommendation.  The misconduct words that follow the
verb (``ontology/misconduct.ttl``: labels and hidden labels, whole words, longest first) are the
findings.  A following sentence in the same paragraph that lists more misconduct without a verb
of its own continues the list.  Who found it: the verb's subject or agent ("we", "our
investigation", "the report", an organisation), else the report or investigation the sentence
names.  A finding is identified by the investigation and the kind of misconduct, so two sources
that report the same kind of misconduct in the same investigation corroborate one finding.
"""

from __future__ import annotations

import re

from ..model import Concept
from . import lexicon, refs
from .context import Context, is_police_name

TRIGGERS = re.compile(
    r"\b(?:found|find|finds|finding|uncover(?:s|ed)?|discover(?:s|ed)?|highlight(?:s|ed)?|show(?:s|ed|n)?|"
    r"reveal(?:s|ed)?|identif(?:y|ies|ied)|review(?:s|ed)?|detail(?:s|ed)?|document(?:s|ed)?|expose(?:s|d)?|"
    r"include(?:s|d)?|including|rife|examples|theme|mentioned|evidence\s+of)\b",
    re.I,
)
NOT_FINDING = re.compile(
    r"\b(?:recommend\w*|suggest\w*|should|must|commit\w*|urge\w*|calls?\s+on|seek\w*|alleg\w*|appeal)\b", re.I
)
#: Verbs that report a finding even in a sentence that also recommends ("… after investigation uncovers …").
STRONG = re.compile(r"\b(?:found|uncover\w*|show(?:s|ed)|highlight\w*|reveal\w*)\b", re.I)
WEAK_TRIGGERS = frozenset({"include", "includes", "included", "including", "examples", "theme", "mentioned", "review", "reviews", "reviewed"})


#: What a predicative finding word describes ("messages … which were highly sexualised").
_DESCRIBED = re.compile(
    r"\b(?:messages|comments|remarks|jokes|images|photos|pictures|videos|posts|content|language|behaviour|conduct|"
    r"conversations|chats|exchanges|actions)\b", re.I)
_PREDICATIVE = re.compile(r"\b(?:were|was|are|is|been|being|be)\s+(?:(?:also|often|very|deeply|wholly|entirely)\s+)?$", re.I)


def _wording(ctx: Context, sent_start: int, ms: int, me: int, label: str) -> str:
    """The finding's name in the source's words when the misconduct word only describes something
    ("many [messages] which were highly sexualised": "highly sexualised messages", not the stronger
    "sexual misconduct"); else the category's label."""
    f = ctx.folded
    words = " ".join(f[ms:me].split())
    if words.lower() == label.lower() or not _PREDICATIVE.search(f, max(sent_start, ms - 40), ms):
        return label
    described = list(_DESCRIBED.finditer(f, max(sent_start, ms - 160), ms))
    if not described:
        return label
    return f"{words.lower()} {described[-1].group().lower()}"


def _concept_matches(ctx: Context, start: int, end: int) -> list[tuple[int, int, str]]:
    return lexicon.find(ctx.lower, "misconduct", start, end)


def _candidates(ctx: Context, start: int, end: int) -> list[tuple[str, int, int]]:
    """Who could have found something, named or referred to in ``[start, end)``: (key, start, end)."""
    f = ctx.folded
    out: list[tuple[str, int, int]] = []
    inv = refs.investigation(ctx)
    for m in re.finditer(r"\b(?:we|our)\b", f[start:end], re.I):
        key = refs.first_person(ctx, start + m.start())
        if key:
            out.append((key, start + m.start(), start + m.end()))
    if inv:
        out.extend((inv, s, e) for s, e in refs.investigation_refs(ctx, start, end))
    for s, e, k in ctx.names_in(start, end):
        if ctx.drafts[k].type in ("kg:Investigation", "schema:Report", "schema:Organization"):
            out.append((k, s, e))
    for mention in ctx.mentions:
        c = mention.citation
        if start <= c.start and c.end <= end and ctx.drafts[mention.entity].type == "schema:Report":
            out.append((mention.entity, c.start, c.end))
    return sorted(out, key=lambda x: (x[2], x[1]))


def _finder(ctx: Context, sent_start: int, trigger_at: int, sent_end: int, prev: tuple[int, int] | None) -> list[tuple[str, int, int]]:
    """Who found it: the subject nearest before the verb; else a report or investigation named after
    it ("… is highlighted in a learning report"); else one named in the sentence before.  Returns the
    finder and the spans to cite, or nothing."""
    before = [c for c in _candidates(ctx, sent_start, trigger_at) if c[2] <= trigger_at]
    if before:
        return [before[-1]]
    after = [c for c in _candidates(ctx, trigger_at, sent_end) if ctx.drafts[c[0]].type in ("schema:Report", "kg:Investigation")]
    if after:
        return [after[0]]
    if prev is not None:
        # the text just before: "A recurring theme throughout the report is … Examples … include …"
        earlier = [c for c in _candidates(ctx, *prev) if ctx.drafts[c[0]].type in ("schema:Report", "kg:Investigation")]
        if earlier:
            return [earlier[-1]]
    return []


def _note_reference(ctx: Context, finder: tuple[str, int, int]) -> None:
    """A pronoun or description standing for the finder becomes a mention of it."""
    key, s, e = finder
    if not any(ns == s and ne == e for ns, ne, _k in ctx.names_in(s, e)):
        form = "pronoun" if ctx.folded[s:e].lower() in ("we", "our") else "descriptor"
        ctx.mention(key, s, e, form)


def find(ctx: Context, report: str | None) -> None:
    inv = refs.investigation(ctx)
    context_key = inv or report
    f = ctx.folded
    previous: tuple[int, list[tuple[str, int, int]]] | None = None  # (paragraph, finder) of the last finding sentence
    prev_sentence: tuple[int, int] | None = None
    for sent in ctx.body_sentences():
        text = f[sent.start : sent.end]
        trig = TRIGGERS.search(text)
        para = ctx.paragraph_index(sent.start)
        # what came just before: this paragraph so far and the one before it
        since = ctx.doc.paragraphs[max(para - 1, 0)].start
        prev_sentence = (since, sent.start) if sent.start > since else None
        if NOT_FINDING.search(text) and not (trig and STRONG.search(text)):
            previous = None
            continue
        if trig is None:
            if previous is None or previous[0] != para:
                previous = None
                continue
            matches = _concept_matches(ctx, sent.start, sent.end)
            finder = previous[1]
            start = sent.start
        else:
            trigger_at = sent.start + trig.start()
            if trig.group(0).lower() in WEAK_TRIGGERS and not re.search(
                r"\b(?:messages?|report|content|conversations|exchanges|chats|evidence|behaviour|examples?|we|investigation)\b",
                text[: trig.start() + 60], re.I,
            ):
                previous = None
                continue
            matches = _concept_matches(ctx, trigger_at, sent.end)
            finder = _finder(ctx, sent.start, trigger_at, sent.end, prev_sentence)
            start = trigger_at
        if not matches:
            previous = (para, finder) if trig else None
            continue
        previous = (para, finder)
        for ms, me, curie in matches:
            label = _wording(ctx, sent.start, ms, me, ctx.vocab.labels.get(curie, curie))
            finding = ctx.derived("kg:Finding", label, (ctx.scope(context_key), curie))
            ctx.mention(finding, ms, me, "descriptor")
            ctx.claim(finding, "kg:misconductType", Concept(curie), [(start, me)])
            for key, fs, fe in finder[:1]:
                _note_reference(ctx, (key, fs, fe))
                spans = [(min(fs, start), max(fe, me))] if sent.start <= fs < sent.end else [(fs, fe), (start, me)]
                ctx.claim(finding, "kg:foundBy", key, spans)
            if inv is not None:
                named = [(n[0], n[1]) for n in ctx.names_in(sent.start, sent.end) if n[2] == inv]
                ref = (named or refs.investigation_refs(ctx, sent.start, sent.end))[:1]
                for rs, re_ in ref:
                    ctx.claim(finding, "kg:inInvestigation", inv, [(min(rs, ms), max(re_, me))])
            # whom it concerns: "… within the ranks of ORG", "… in ORG", "… at ORG" (a police force)
            for s, e, k in ctx.names_in(me, sent.end):
                if is_police_name(ctx.drafts[k]) and re.search(r"\b(?:in|within|at|among|across)\s+(?:the\s+)?$", f[me:s]):
                    ctx.claim(finding, "kg:concerns", k, [(ms, e)])
                    break
