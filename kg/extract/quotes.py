"""Quoted passages and who said them.

Passages: double (“ ”, ") or single (‘ ’, ') quotation marks, telling closing marks from
apostrophes; a quotation that runs over several paragraphs (each opening with a mark, only the
last closing) is one passage; quotes nested inside others are found too.  One to three words
without sentence punctuation in quotation marks are scare quotes ("jokes"): terms, not quotations.

Speakers, in order of evidence:
1. after the passage: "…,” NAME says", "…,” says NAME", "…,” he adds" (the last named speaker),
   "…,” the ORG’s TITLE tells X" (the person holding that role), "…” – NAME";
2. before it, in the same sentence: "NAME says: “…”", "…, saying: “…”", "as NAME adds: “…”", or an
   unnamed speaker described ("the second officer replies: “…”", "messages sent by a male officer,
   reading: “…”");
3. a paragraph that introduces it: "NAME yesterday said:" / "Mr NAME continued:" / "Statement from
   the ORG's TITLE, NAME:";
4. a reporting verb that governs a quote inside a sentence ("the ORG suggests that … “…”");
5. a passage right after another with no new attribution continues the same speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Span, Value
from ..text import last_match, strip_span
from . import dates
from .context import Context, Quote, Speech

SPEECH_VERBS = (
    "say|says|said|tell|tells|told|add|adds|added|continue|continues|continued|explain|explains|explained|"
    "warn|warns|warned|note|notes|noted|insist|insists|insisted|argue|argues|argued|acknowledge|acknowledges|"
    "acknowledged|reply|replies|replied|write|writes|wrote|state|states|stated|claim|claims|claimed|admit|"
    "admits|admitted|comment|comments|commented|recall|recalls|recalled|conclude|concludes|concluded|point out|"
    "points out|pointed out|ask|asks|asked|respond|responds|responded|stress|stresses|stressed|urge|urges|urged|"
    "declare|declares|declared|announce|announces|announced|describe|describes|described|put it|puts it|"
    "tweet|tweets|tweeted|post|posts|posted|remark|remarks|remarked|reveal|reveals|revealed|confirm|confirms|confirmed"
)
_VERB_RE = re.compile(rf"\b(?:{SPEECH_VERBS})\b", re.I)
REPORTING_LEMMAS = frozenset(
    ["say", "tell", "add", "suggest", "recommend", "describe", "call", "state", "claim", "urge", "argue", "warn", "insist", "write", "note", "conclude", "find", "read", "reply", "acknowledge"]
)
_DESCRIBED = re.compile(
    r"\b(?:by\s+)?(?P<d>(?:a|an|the|one|another)\s+(?:[a-z-]+\s+){0,2}"
    r"(?:officer|officers|constable|sergeant|inspector|colleague|spokesperson|spokesman|spokeswoman|source|"
    r"member of staff|witness|victim|resident|insider|official))\b",
    re.I,
)

#: A line that introduces what follows as someone's words: "Statement from the IOPC's director, Jane Roe:".
_STATEMENT_FROM = re.compile(r"\s*(?:an?\s+|the\s+)?(?:full\s+)?statement\s+(?:from|by)\b", re.I)



def _is_apostrophe(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before.isalnum() and after.isalnum()


def _straight_opens(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    return before.isspace() or before in "([{–—-/" or i == 0


def _passages(ctx: Context) -> list[tuple[int, int, int]]:
    """(open mark position, close mark position, paragraphs) of every quoted passage."""
    text = ctx.text
    out: list[tuple[int, int, int]] = []
    paras = [p for p in ctx.doc.paragraphs if ctx.is_body(p.start, p.end)]
    stack: list[tuple[str, int, int]] = []  # (kind, position, paragraph index)
    for pi, para in enumerate(paras):
        if stack:
            # an unclosed double quote carries over only if this paragraph opens with a mark
            opener = text[para.start]
            if stack[0][0] == "double" and opener in "“\"":
                stack = [stack[0]]
                start_i = para.start + 1
            else:
                kind, pos, p0 = stack[0]
                if kind == "double":
                    prev = paras[pi - 1]
                    out.append((pos, prev.end, pi - p0))
                stack = []
                start_i = para.start
        else:
            start_i = para.start
        for i in range(start_i, para.end):
            c = text[i]
            if c == "“" or (c == '"' and _straight_opens(text, i) and not (stack and stack[-1][0] == "double")):
                stack.append(("double", i, pi))
            elif c == "”" or c == '"':
                while stack and stack[-1][0] != "double":
                    stack.pop()
                if stack:
                    _kind, pos, p0 = stack.pop()
                    out.append((pos, i, pi - p0 + 1))
            elif c == "‘" or (c == "'" and _straight_opens(text, i) and i + 1 < para.end and text[i + 1].isalpha()):
                stack.append(("single", i, pi))
            elif c in "’'" and not _is_apostrophe(text, i) and stack and stack[-1][0] == "single":
                _kind, pos, p0 = stack.pop()
                out.append((pos, i, pi - p0 + 1))
    if stack and stack[0][0] == "double":
        out.append((stack[0][1], paras[-1].end, len(paras) - stack[0][2]))
    return sorted(out)


def find_passages(ctx: Context) -> None:
    text = ctx.text
    quotes: list[Quote] = []
    for open_at, close_at, nparas in _passages(ctx):
        s, e = strip_span(text, open_at + 1, close_at)
        while e > s and text[e - 1] in ",;:":
            e -= 1
        if e <= s:
            continue
        inner = text[s:e]
        words = len(inner.split())
        kind = "quote" if words >= 4 or re.search(r"[.!?…]", inner) else "term"
        outer_end = close_at + 1 if close_at < len(text) and text[close_at] in "”’\"'" else close_at
        quotes.append(Quote(Span(s, e), Span(open_at, outer_end), kind, max(nparas, 1)))
    # nesting
    final = []
    for q in quotes:
        parent = None
        for other in quotes:
            inside = other is not q and other.outer.start < q.outer.start and q.outer.end <= other.outer.end
            if inside and (parent is None or len(other.outer) < len(parent.outer)):
                parent = other
        final.append(Quote(q.span, q.outer, q.kind, q.paragraphs, parent.outer if parent else None))
    ctx.quotes = final


@dataclass(frozen=True)
class Attribution:
    speaker: str | None = None
    span: Span | None = None  # the words that attribute the passage
    description: str | None = None  # an unnamed speaker, as described
    ref: Span | None = None  # a pronoun or role phrase standing for the speaker
    ref_form: str = "pronoun"


NONE = Attribution()


def _person_in(
    ctx: Context, start: int, end: int, prefer_last: bool = False, orgs: bool = True
) -> tuple[int, int, str] | None:
    """A person named in ``[start, end)``, else (with ``orgs``) an organisation."""
    names = [n for n in ctx.names_in(start, end) if ctx.drafts[n[2]].type == "schema:Person"]
    if not names and orgs:
        names = [n for n in ctx.names_in(start, end) if ctx.drafts[n[2]].type == "schema:Organization"]
    if not names:
        return None
    return names[-1] if prefer_last else names[0]


def _antecedent(ctx: Context, pos: int, last_speaker: str | None) -> str | None:
    """Who "he"/"she" at ``pos`` is: the person named last before it in this paragraph or the one
    before, else the last speaker."""
    pi = ctx.paragraph_index(pos)
    since = ctx.doc.paragraphs[max(pi - 1, 0)].start
    prev = ctx.last_name_before(pos, ("schema:Person",), limit=since)
    if prev is not None and not any(q.kind == "quote" and q.span.start <= prev[0] < q.span.end for q in ctx.quotes):
        return prev[2]
    return last_speaker


def _role_holder_in(ctx: Context, start: int, end: int) -> tuple[int, int, str] | None:
    """A role phrase without a name ("the ORG’s regional director for the north") → its holder."""
    segment = ctx.folded[start:end].lower()
    for (org, concept), person in ctx.role_holders.items():
        label = ctx.vocab.labels.get(concept, "")
        forms = next((c.forms for c in ctx.vocab.roles if c.curie == concept), (label,))
        for form in forms:
            m = re.search(rf"\b{re.escape(form)}\b", segment)
            if not m:
                continue
            orgs = {k for _s, _e, k in ctx.names_in(start, end)}
            if not org or org in orgs:
                return (start + m.start(), start + m.end(), person)
    return None


def _trailing(ctx: Context, q: Quote, last_speaker: str | None) -> Attribution:
    """Speaker from the words after the passage: (entity key, attribution span, description)."""
    text = ctx.folded
    para = ctx.paragraph_at(q.outer.start)
    end = para.end
    nxt = next((o.outer.start for o in ctx.quotes if o.outer.start >= q.outer.end and o.outer.start < end), end)
    seg_end = min(nxt, end)
    after = text[q.outer.end : seg_end]
    sent_end = re.search(r"[.!?](?=\s|$)", after)
    if sent_end:
        seg_end = q.outer.end + sent_end.start()
        after = text[q.outer.end : seg_end]
    if ctx.paragraph_at(q.outer.start).start == q.outer.start and not after.strip(" .,"):
        # a block quote with its speaker on the next line: "“…”" / "Jane Roe, Agency"
        pi = ctx.paragraph_index(q.outer.end)
        if pi + 1 < len(ctx.doc.paragraphs):
            below = ctx.doc.paragraphs[pi + 1]
            line = text[below.start : below.end]
            who = _person_in(ctx, below.start, below.end, orgs=False)
            if who and who[0] == below.start and len(line.split()) <= 6 and not re.search(r"[.!?]$", line):
                return Attribution(who[2], Span(below.start, below.end))
    m = re.match(r"\s*[–—-]\s*", after)
    if m:
        who = _person_in(ctx, q.outer.end, seg_end)
        if who:
            return Attribution(who[2], Span(q.outer.end + m.end(), who[1]))
    verb = _VERB_RE.search(after)
    if not verb or verb.start() > 160:
        return NONE
    speaker_seg = (q.outer.end, q.outer.end + verb.start())
    vs, ve = q.outer.end + verb.start(), q.outer.end + verb.end()
    who = _person_in(ctx, *speaker_seg, orgs=False)
    if who:
        return Attribution(who[2], Span(min(who[0], vs), max(who[1], ve)))
    holder = _role_holder_in(ctx, *speaker_seg)
    if holder:
        s0, e0 = strip_span(ctx.text, speaker_seg[0], speaker_seg[1])
        return Attribution(holder[2], Span(s0, ve), ref=Span(s0, e0), ref_form="descriptor")
    who = _person_in(ctx, *speaker_seg)
    if who:
        return Attribution(who[2], Span(min(who[0], vs), max(who[1], ve)))
    pron = re.search(r"\b(he|she|they)\b", text[speaker_seg[0] : speaker_seg[1]], re.I)
    if pron:
        ps = speaker_seg[0] + pron.start()
        who_then = _antecedent(ctx, ps, last_speaker)
        if who_then:
            return Attribution(who_then, Span(ps, ve), ref=Span(ps, speaker_seg[0] + pron.end()))
    # inverted: "…,” says NAME"
    inv_end = q.outer.end + (sent_end.start() if sent_end else len(after))
    who = _person_in(ctx, ve, inv_end)
    if who and not text[ve : who[0]].strip(" ,").count(" ") > 3:
        return Attribution(who[2], Span(vs, who[1]))
    holder = _role_holder_in(ctx, ve, inv_end)
    if holder:
        s0, e0 = strip_span(ctx.text, ve, inv_end)
        return Attribution(holder[2], Span(vs, e0), ref=Span(s0, e0), ref_form="descriptor")
    return NONE


def _leading(ctx: Context, q: Quote, last_speaker: str | None) -> Attribution:
    """Speaker from the words before the passage in its sentence, or an introducing paragraph."""
    text = ctx.folded
    para = ctx.paragraph_at(q.outer.start)
    sent = ctx.sentence_at(q.outer.start)
    lead_start = sent.start if sent.start < q.outer.start else para.start
    lead = text[lead_start : q.outer.start]
    if lead.strip():
        if re.search(r"[:,]\s*$", lead):
            clause = lead
            verb = last_match(_VERB_RE, clause)
            if verb is not None or re.search(r"\b(?:saying|reading|replies|writing)\b", clause, re.I):
                cut = lead_start + (verb.start() if verb else len(clause))
                who = _person_in(ctx, lead_start, cut, prefer_last=True)
                if who:
                    return Attribution(who[2], Span(who[0], lead_start + len(clause.rstrip(" :,"))))
                # the subject of the speech verb: a pronoun right before it ("She added:"), or an
                # unnamed speaker ("the second officer replies:", "… sent by a male officer, reading:")
                pron = last_match(r"\b(?:he|she|they)\b", clause[: cut - lead_start], re.I)
                found = [d for d in _DESCRIBED.finditer(clause[: cut - lead_start])]
                desc = next((d for d in found if d.group(0).lower().startswith("by ")), found[-1] if found else None)
                near_verb = pron is not None and len(clause[pron.end() : cut - lead_start].split()) <= 3
                if pron is not None and near_verb and (desc is None or desc.end() < pron.start()):
                    ps = lead_start + pron.start()
                    who_then = _antecedent(ctx, ps, last_speaker)
                    if who_then:
                        return Attribution(who_then, Span(ps, lead_start + len(clause.rstrip(" :,"))),
                                           ref=Span(ps, lead_start + pron.end()))
                if desc:
                    span = Span(lead_start + desc.start("d"), lead_start + desc.end("d"))
                    return Attribution(None, span, ctx.text[span.start : span.end])
        return NONE
    # the passage opens its paragraph: look at the paragraph before
    pi = ctx.paragraph_index(q.outer.start)
    if pi == 0:
        return NONE
    prev = ctx.doc.paragraphs[pi - 1]
    ptext = text[prev.start : prev.end]
    introduces = _VERB_RE.search(ptext) or _STATEMENT_FROM.match(ptext)
    if ptext.rstrip().endswith(":") and introduces and ctx.is_body(prev.start, prev.end):
        who = _person_in(ctx, prev.start, prev.end, prefer_last=True)
        if who:
            return Attribution(who[2], Span(who[0], prev.end))
    return NONE


def _governing(ctx: Context, q: Quote) -> Attribution:
    """A reporting verb that governs a quote inside a sentence: its subject speaks."""
    if not ctx.is_parsed(ctx.sentence_at(q.outer.start)):
        return NONE
    tok = ctx.token_at(q.span.start)
    if tok is None:
        return NONE
    head = tok
    for _ in range(6):
        if head.pos_ in ("VERB", "AUX") and head.lemma_.lower() in REPORTING_LEMMAS and head.idx < q.outer.start:
            for child in head.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    s, e = child.left_edge.idx, child.right_edge.idx + len(child.right_edge)
                    who = _person_in(ctx, s, e)
                    if who and who[0] < head.idx:
                        return Attribution(who[2], Span(who[0], head.idx + len(head)))
            return NONE
        if head.head is head:
            break
        head = head.head
    return NONE


def needing_parse(ctx: Context) -> list[int]:
    """Where the quotations are whose speaker the words around them do not give: only a
    reporting verb's subject could ("the ORG suggests that … “…”"), so their sentences are parsed."""
    out = []
    last_speaker: str | None = None
    for q in ctx.quotes:
        if q.kind != "quote" or q.nested_in is not None:
            continue
        a = _trailing(ctx, q, last_speaker)
        if a.speaker is None and a.description is None:
            a = _leading(ctx, q, last_speaker)
        if a.speaker is None and a.description is None:
            out.append(q.outer.start)
        elif a.speaker is not None and ctx.drafts[a.speaker].type == "schema:Person":
            last_speaker = a.speaker
    return out


def attribute(ctx: Context) -> None:
    """Attribute every quotation (not the scare-quoted terms) to its speaker."""
    last_speaker: str | None = None
    last: Speech | None = None
    speeches: list[Speech] = []
    for q in ctx.quotes:
        if q.kind != "quote":
            continue
        a = _trailing(ctx, q, last_speaker)
        if a.speaker is None and a.description is None:
            a = _leading(ctx, q, last_speaker)
        if a.speaker is None and a.description is None and q.nested_in is None:
            a = _governing(ctx, q)
        if a.speaker is None and a.description is None and last is not None and q.nested_in is None:
            # a passage that follows another in its paragraph, or opens the next paragraph,
            # continues it, unless someone new is named between
            pi, last_pi = ctx.paragraph_index(q.outer.start), ctx.paragraph_index(last.quote.outer.end)
            opens_paragraph = ctx.paragraph_at(q.outer.start).start == q.outer.start
            near = pi == last_pi or (pi == last_pi + 1 and opens_paragraph)
            between = [n for n in ctx.names_in(last.quote.outer.end, q.outer.start) if ctx.drafts[n[2]].type == "schema:Person"]
            if near and (last.speaker or last.description) and all(n[2] == last.speaker for n in between):
                a = Attribution(last.speaker, last.attribution, last.description, last.ref, last.ref_form)
        said = None
        if a.span is not None:
            for d in dates.find_dates(ctx.folded, a.span.start, a.span.end, ctx.doc.meta.published):
                said = d.value
        sp = Speech(q, a.speaker, a.description, a.span, said, a.ref, a.ref_form)
        speeches.append(sp)
        if a.speaker is not None and ctx.drafts[a.speaker].type == "schema:Person":
            last_speaker = a.speaker
        if q.nested_in is None:
            last = sp
    ctx.speeches = speeches


def register(ctx: Context) -> None:
    """Quotation entities and their facts."""
    for sp in ctx.speeches:
        q = sp.quote
        words = ctx.text[q.span.start : q.span.end]
        norm = " ".join(words.split())
        label = " ".join(norm.split()[:8]) + ("…" if len(norm.split()) > 8 else "")
        who = sp.speaker or (f"described:{sp.description.lower()}" if sp.description else "")
        key = ctx.derived("schema:Quotation", label, (who, norm))
        ctx.mention(key, q.span.start, q.span.end, "quote")
        ctx.claim(key, "schema:text", Value(norm), [(q.span.start, q.span.end)])
        if sp.attribution is not None:
            if sp.speaker is not None:
                if sp.ref is not None:
                    ctx.mention(sp.speaker, sp.ref.start, sp.ref.end, sp.ref_form)
                ctx.claim(key, "schema:creator", sp.speaker, [(sp.attribution.start, sp.attribution.end)])
            elif sp.description:
                ctx.claim(key, "kg:speakerDescription", Value(" ".join(sp.description.split())),
                          [(sp.attribution.start, sp.attribution.end)])
            if sp.said is not None:
                for d in dates.find_dates(ctx.folded, sp.attribution.start, sp.attribution.end, ctx.doc.meta.published):
                    ctx.claim(key, "schema:dateCreated", Value.of_date(d.value), [(d.start, d.end)], dates.notes(d, ctx.text))

