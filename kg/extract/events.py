"""Events: what began, was published, concluded, expanded, was referred or written, and when.

A verb whose lemma is a ``kg:trigger`` of an ``etype:`` concept (``ontology/events.ttl``) makes an
event.  The parse gives its arguments: the subject (the agent, or for an intransitive verb the
thing that began or expanded), the object, the passive subject, a relative clause's head noun
("an investigation … that began in 2018"), the recipient ("wrote to X").  Noun triggers ("a vigil
for NAME") make named occurrences.  The date is the date expression nearest the verb in its
sentence, resolved against the publication date or, inside a quotation, the day it was said.

An event is kept when it has a date, or when what it acts on is a known entity.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..model import Concept, EntityKey, Value
from . import dates, refs
from .context import Context

if TYPE_CHECKING:
    from spacy.tokens import Token

PAST = {
    "etype:began": "began", "etype:published": "published", "etype:concluded": "concluded",
    "etype:expanded": "expanded", "etype:referred": "referred", "etype:wrote": "wrote to",
    "etype:took-over": "took over", "etype:appealed": "appealed", "etype:stated": "made a statement",
    "etype:accepted": "accepted", "etype:responded": "responded to", "etype:disbanded": "disbanded",
    "etype:held": "held", "etype:conducted": "conducted",
}
#: The same, for what is planned or recommended ("IOPC to publish …", "IOPC should publish …").
BASE = {
    "etype:began": "begin", "etype:published": "publish", "etype:concluded": "conclude",
    "etype:expanded": "expand", "etype:referred": "refer", "etype:wrote": "write to",
    "etype:took-over": "take over", "etype:appealed": "appeal", "etype:stated": "make a statement",
    "etype:accepted": "accept", "etype:responded": "respond to", "etype:disbanded": "disband",
    "etype:held": "hold", "etype:conducted": "conduct",
}


def _triggers(ctx: Context) -> dict[str, list[tuple[str, str | None]]]:
    """Verb lemma → (event concept, particle it needs or ``None``): "take over" needs "over"."""
    out: dict[str, list[tuple[str, str | None]]] = {}
    for concept, lemmas in sorted(ctx.vocab.events.items()):
        for lemma in lemmas:
            verb, _, particle = lemma.lower().partition(" ")
            out.setdefault(verb, []).append((concept, particle or None))
    return out


def _concept(tok: Token, options: list[tuple[str, str | None]]) -> str | None:
    found = None
    for concept, particle in options:
        if particle is None:
            found = found or concept
        elif any(c.dep_ == "prt" and c.lower_ == particle for c in tok.children):
            return concept  # the verb with its particle says more than the verb alone
    return found


class _Resolver:
    def __init__(self, ctx: Context, report: str | None) -> None:
        self.ctx = ctx
        self.report = report
        self.inv = refs.investigation(ctx)

    def entity(self, tok: Token) -> tuple[str, int, int] | None:
        """The entity a noun phrase (given by its head token) refers to, with the span to cite."""
        ctx = self.ctx
        s, e = tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge)
        lower = tok.lower_
        if lower in ("it", "its"):
            # "It concluded last month": the investigation or report named in this sentence or the one before
            sent = ctx.sentence_at(tok.idx)
            since = ctx.sentence_at(max(sent.start - 2, 0)).start
            for kind in ("kg:Investigation", "schema:Report"):
                prev = ctx.last_name_before(tok.idx, (kind,), limit=since)
                if prev is not None:
                    return prev[2], tok.idx, tok.idx + len(tok)
            if self.inv and refs.investigation_refs(ctx, since, tok.idx):
                ctx.mention(self.inv, tok.idx, tok.idx + len(tok), "pronoun")
                return self.inv, tok.idx, tok.idx + len(tok)
            return None
        if lower in ("we", "us", "our"):
            key = refs.first_person(ctx, tok.idx)
            if key:
                ctx.mention(key, tok.idx, tok.idx + len(tok), "pronoun")
                return key, tok.idx, tok.idx + len(tok)
            return None
        names = ctx.names_in(s, e)
        own = [n for n in names if n[0] <= tok.idx < n[1]]
        if own:
            return own[0][2], own[0][0], own[0][1]
        indefinite = any(c.dep_ == "det" and c.lower_ in ("a", "an", "another") for c in tok.children)
        if tok.lemma_.lower() in ("investigation", "operation", "inquiry", "probe") and self.inv and not indefinite:
            named = [n for n in names if n[2] == self.inv]
            if not named:
                ctx.mention(self.inv, tok.idx, tok.idx + len(tok), "descriptor")
            return self.inv, s, e
        if self.report and tok.lemma_.lower() in ("report", "recommendation"):
            return self.report, s, e
        if names and tok.pos_ in ("PROPN",):
            return names[-1][2], names[-1][0], names[-1][1]
        return None


def _arg(tok: Token, *deps: str) -> Token | None:
    for child in tok.children:
        if child.dep_ in deps:
            return child
    return None


def find(ctx: Context, report: str | None) -> None:
    triggers = _triggers(ctx)
    res = _Resolver(ctx, report)
    f = ctx.folded
    for sent in ctx.body_sentences():
        if not ctx.is_parsed(sent):
            continue  # no event verb in it (see kg.extract.parse_filter)
        if f[sent.start : sent.end].rstrip("”’\"' ").endswith("?"):
            continue  # a question asserts no event
        span = ctx.tokens(sent.start, sent.end)
        date_exprs: list[dates.DateExpr] | None = None
        for tok in span:
            lemma = tok.lemma_.lower()
            if tok.pos_ == "NOUN" and lemma in ctx.vocab.event_nouns:
                _noun_event(ctx, tok, ctx.vocab.event_nouns[lemma])
                continue
            if tok.pos_ not in ("VERB", "AUX") or lemma not in triggers:
                continue
            concept = _concept(tok, triggers[lemma])
            if concept is None or (concept == ADMITTED and not _admits(tok)):
                continue
            if any(q.kind == "term" and q.outer.start <= tok.idx < q.outer.end for q in ctx.quotes):
                continue
            obj_direct: tuple[str, int, int] | None = None
            subj = _arg(tok, "nsubj")
            if subj is None and tok.dep_ == "conj":
                subj = _arg(tok.head, "nsubj")  # "We began … and wrote to …": the subject is shared
            obj = _arg(tok, "dobj", "obj")
            passive = _arg(tok, "nsubjpass")
            agent_tok = None
            object_tok = None
            if obj is not None:
                agent_tok, object_tok = subj, obj
            elif passive is not None:
                object_tok = passive
                by = _arg(tok, "agent")
                agent_tok = _arg(by, "pobj") if by is not None else None
            elif tok.dep_ in ("relcl", "acl") and tok.head.pos_ in ("NOUN", "PROPN") and not any(
                c.dep_ == "prep" and any(g.lower_ in ("which", "whom", "whose") for g in c.children) for c in tok.children
            ):  # "an investigation that began", "the report we published" (not "… from which proceedings concluded")
                object_tok = tok.head
                agent_tok = subj if subj is not None and subj.lower_ not in ("that", "which", "who") else None
            elif subj is not None and subj.lower_ in ("that", "which"):
                # "an investigation – dubbed X – that began in 2018": the thing named before
                prev = ctx.last_name_before(subj.idx, ("kg:Investigation", "schema:Report", "kg:Review", "kg:Initiative"),
                                            limit=max(sent.start, subj.idx - 80))
                if prev is not None:
                    obj_direct = (prev[2], prev[0], prev[1])
            elif subj is not None:
                resolved = res.entity(subj)
                if resolved and ctx.drafts[resolved[0]].type in ("kg:Investigation", "schema:Report", "kg:Review", "kg:Initiative"):
                    object_tok = subj
                elif subj.lemma_.lower() in ("proceeding", "proceedings", "case", "process"):
                    object_tok = subj  # "(disciplinary) proceedings concluded": the investigation's proceedings
                else:
                    agent_tok = subj
            recipient_tok = None
            for prep in tok.children:
                if prep.dep_ == "prep" and prep.lower_ == "to":
                    recipient_tok = _arg(prep, "pobj")
            agent = res.entity(agent_tok) if agent_tok is not None else None
            obj_ent = res.entity(object_tok) if object_tok is not None else obj_direct
            if obj_ent is None and object_tok is not None and object_tok.lemma_.lower() in ("proceeding", "proceedings", "case", "process"):
                # "from which proceedings concluded": the proceedings of the investigation named before,
                # else of the investigation the document reports on
                for anc in tok.ancestors:
                    r = res.entity(anc)
                    if r:
                        obj_ent = r
                        break
                if obj_ent is None and res.inv is not None:
                    ctx.mention(res.inv, object_tok.left_edge.idx, object_tok.idx + len(object_tok), "descriptor")
                    obj_ent = (res.inv, object_tok.left_edge.idx, object_tok.idx + len(object_tok))
            recipient = res.entity(recipient_tok) if recipient_tok is not None else None
            if recipient is not None and ctx.drafts[recipient[0]].type not in ("schema:Organization", "schema:Person"):
                recipient = None
            if date_exprs is None:
                date_exprs = [d for d in dates.find_dates(f, sent.start, sent.end, ctx.anchor(sent.start)[0])]
            when = _nearest_date(ctx, tok, date_exprs, sent.start, sent.end)
            if when is None and obj_ent is None and recipient is None:
                continue
            _register(ctx, tok, concept, agent, obj_ent, recipient, when, object_tok, res.inv or res.report)


#: Heads of what an investigation leads to: "proceedings concluded" is not "the investigation concluded".
PROCEEDINGS = frozenset({"proceeding", "proceedings", "hearing", "hearings", "trial", "case", "process"})
_ABOUT_PREPS = frozenset({"into", "about", "of", "between", "concerning", "regarding", "surrounding"})


def _nearest_date(ctx: Context, tok: Token, exprs: list[dates.DateExpr], start: int, end: int) -> dates.DateExpr | None:
    """The date expression that belongs to the verb: in its clause, nearest to it."""
    best = None
    # the verb's own words: its subtree without coordinated verbs ("began … and wrote …")
    own = {t.i for t in tok.subtree}
    for child in tok.children:
        if child.dep_ == "conj" and child.pos_ in ("VERB", "AUX"):
            own -= {t.i for t in child.subtree}
    # a date that describes what the event is about is not its date: "publishes a report into
    # abuse between 1997 and 2013", "an investigation into events of 2012"
    for t in tok.subtree:
        if t.dep_ == "prep" and t.head is not tok and t.lower_ in _ABOUT_PREPS and t.i in own:
            own -= {x.i for x in t.subtree}
    positions = sorted(tok.doc[i].idx for i in own)
    for d in exprs:
        inside = [p for p in positions if d.start <= p < d.end]
        if not inside:
            continue
        if best is None or abs(d.start - tok.idx) < abs(best.start - tok.idx):
            best = d
    if best is not None:
        # re-resolve against the anchor that applies where the date is (inside a quotation: the day said)
        anchor, _why = ctx.anchor(best.start)
        again = dates.find_dates(ctx.folded, best.start, best.end, anchor)
        if again:
            return again[0]
    return best


def short_label(ctx: Context, k: str) -> str:
    """An entity's shortest good name: its acronym, else its label."""
    d = ctx.drafts[k]
    acr = [n for n in (*d.names, *d.aliases) if re.fullmatch(r"[A-Z][A-Z0-9&]{1,9}", n)]
    return acr[0] if acr else d.label


def _label(
    ctx: Context, concept: str, agent: str | None, obj: str | None, recipient: str | None, object_tok: Token | None,
    status: str | None = None,
) -> str:
    verb = PAST.get(concept, concept.split(":")[-1])
    if status is not None:
        verb = ("to " if status == "schema:EventScheduled" else "should ") + BASE.get(concept, verb)

    def short(k: str) -> str:
        return short_label(ctx, k)
    parts = []
    if agent:
        parts.append(short(agent))
    if obj and not agent:
        return f"{short(obj)} {verb}"
    parts.append(verb)
    if obj:
        parts.append(short(obj))
    elif object_tok is not None and not recipient:
        parts.append(" ".join(ctx.text[object_tok.left_edge.idx : object_tok.idx + len(object_tok)].split()))
    if recipient:
        parts.append(short(recipient))
    return " ".join(parts)


def _register(
    ctx: Context,
    tok: Token,
    concept: str,
    agent: tuple[str, int, int] | None,
    obj: tuple[str, int, int] | None,
    recipient: tuple[str, int, int] | None,
    when: dates.DateExpr | None,
    object_tok: Token | None,
    anchor: str | None,
) -> None:
    a, o, r = (agent[0] if agent else None), (obj[0] if obj else None), (recipient[0] if recipient else None)
    facet = object_tok.lemma_.lower() if object_tok is not None and object_tok.lemma_.lower() in PROCEEDINGS else ""
    if o and facet:
        # "proceedings concluded": the investigation's proceedings, not the investigation itself
        identity: tuple[str | EntityKey, ...] = (concept, EntityKey(o), "proceedings")
    elif o:
        identity = (concept, EntityKey(o))
    else:
        # no object to say which one: the matter the document is about tells events apart
        head = object_tok.lemma_.lower() if object_tok is not None else ""
        identity = (concept, ctx.scope(anchor), EntityKey(a) if a else "", EntityKey(r) if r else "", head)
    status = modality(tok)
    if status is None and when is not None and when.due:
        status = "schema:EventScheduled"  # "within 56 days": a deadline, not a date it happened
    label = _label(ctx, concept, a, o, r, object_tok, status)
    if facet and o:
        label = f"proceedings of {label}"
    event = ctx.derived("schema:Event", label, identity)
    verb_span = (tok.idx, tok.idx + len(tok))
    parts = [verb_span] + [(x[1], x[2]) for x in (agent, obj, recipient) if x]
    if when is not None:
        parts.append((when.start, when.end))
    whole = (min(p[0] for p in parts), max(p[1] for p in parts))
    ctx.mention(event, *verb_span, "descriptor")
    ctx.claim(event, "kg:eventType", Concept(concept), [whole])
    if agent:
        ctx.claim(event, "schema:agent", agent[0], [(min(agent[1], tok.idx), max(agent[2], verb_span[1]))])
    if obj:
        ctx.claim(event, "schema:object", obj[0], [(min(obj[1], tok.idx), max(obj[2], verb_span[1]))])
    if recipient:
        ctx.claim(event, "schema:recipient", recipient[0], [(min(recipient[1], tok.idx), max(recipient[2], verb_span[1]))])
    if when is not None:
        prop = "kg:dueDate" if when.due else "schema:startDate"
        ctx.claim(event, prop, Value.of_date(when.value), [(when.start, when.end)], dates.notes(when, ctx.text))
        if when.due and when.offset_days is not None and when.value.precision != "day":
            report = _counted_from(ctx, when)
            if report is not None:
                ctx.deadlines.append((event, report, when.offset_days))
    if status is not None:
        ctx.claim(event, "schema:eventStatus", Concept(status), [whole])


def _counted_from(ctx: Context, when: dates.DateExpr) -> str | None:
    """The report a deadline in days counts from, when its own anchor is too coarse to give a day:
    the report mentioned last before "within N days" in its sentence ("the organisation also
    includes 15 recommendations in its report, and will publish the response within 56 days")."""
    sent = ctx.sentence_at(when.start)
    reports = sorted((m.citation.start, m.entity) for m in ctx.mentions
                     if sent.start <= m.citation.start < when.start and ctx.drafts[m.entity].type == "schema:Report")
    return reports[-1][1] if reports else None


#: Auxiliaries and governing words that say an event has not happened.
_SCHEDULED_AUX = frozenset({"will", "shall", "'ll", "going"})
_SCHEDULED_HEADS = frozenset({"due", "expected", "set", "plan", "intend", "aim", "promise", "hope", "want", "agree", "propose", "schedule"})
_RECOMMENDED_AUX = frozenset({"should", "must", "ought"})
_RECOMMENDED_HEADS = frozenset({"recommend", "urge", "suggest", "call", "ask"})


def modality(tok: Token) -> str | None:
    """Whether the event a verb names is only planned, promised or due (``schema:EventScheduled``)
    or recommended (``kg:EventRecommended``): "will publish", "is due to publish", "plans to
    begin", "should publish", "recommends that X publish"; ``None`` when the text says it happened
    (or says nothing either way)."""
    for child in tok.children:
        if child.dep_ == "aux" and child.lower_ in _RECOMMENDED_AUX:
            return "kg:EventRecommended"
        if child.dep_ == "aux" and child.lower_ in _SCHEDULED_AUX:
            return "schema:EventScheduled"
    head = tok
    for _ in range(3):
        if head.dep_ not in ("xcomp", "ccomp", "acomp") or head.head is head:
            break
        head = head.head
        lemma = head.lemma_.lower()
        if lemma in _RECOMMENDED_HEADS:
            return "kg:EventRecommended"
        if lemma in _SCHEDULED_HEADS:
            return "schema:EventScheduled"
        if any(c.dep_ == "aux" and c.lower_ in _SCHEDULED_AUX for c in head.children):
            return "schema:EventScheduled"
    return None


#: An admission of an offence: "X pleaded guilty", "X admitted the offence", "X's guilty plea".
ADMITTED = "etype:admitted"


def _admits(tok: Token) -> bool:
    """Whether the verb admits an offence: "pleaded guilty", "admitted (that …)"; not "was admitted
    to hospital", "pleaded not guilty", "did not admit", "pleaded for help"."""
    children = list(tok.children)
    if any(c.dep_ in ("auxpass", "nsubjpass", "neg") for c in children):
        return False
    if tok.lemma_.lower() == "plead":
        return any(c.lower_ == "guilty" for c in children) and not any(c.lower_ == "not" for c in tok.subtree)
    return True


def _guilty_plea(tok: Token) -> bool:
    """ "a guilty plea", not "a not guilty plea" or "a plea for calm"."""
    mods = {c.lower_ for c in tok.children if c.dep_ in ("amod", "compound", "neg", "advmod")} | {
        g.lower_ for c in tok.children if c.dep_ in ("amod", "compound") for g in c.children}
    return "guilty" in mods and "not" not in mods


def _noun_event(ctx: Context, tok: Token, concept: str) -> None:
    """ "a vigil for NAME last year": a named occurrence with its date; "ORG's guilty plea last
    year": an event of the possessor, one with the same event said with a verb ("ORG admitted")."""
    if concept == ADMITTED:
        _possessed_event(ctx, tok, concept)
        return
    if concept == REFERRED:
        _received_referral(ctx, tok)
        return
    prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("for", "of", "in", "against")), None)
    pobj = _arg(prep, "pobj") if prep is not None else None
    if pobj is None:
        return
    about = [n for n in ctx.names_in(pobj.left_edge.idx, pobj.right_edge.idx + len(pobj.right_edge))]
    if not about:
        return
    sent = ctx.sentence_at(tok.idx)
    exprs = dates.find_dates(ctx.folded, sent.start, sent.end, ctx.anchor(tok.idx)[0])
    when = None
    for d in exprs:
        if d.start >= tok.idx and d.start - about[0][1] < 20:
            when = d
            break
    label = f"{tok.lower_} {prep.lower_} {ctx.drafts[about[0][2]].label}" if prep is not None else tok.lower_
    event = ctx.derived("schema:Event", label, (concept, EntityKey(about[0][2]), tok.lemma_.lower()))
    span = (tok.idx, about[0][1])
    ctx.mention(event, *span, "descriptor")
    ctx.claim(event, "kg:eventType", Concept(concept), [span])
    ctx.claim(event, "schema:about", about[0][2], [span])
    if when is not None:
        ctx.claim(event, "schema:startDate", Value.of_date(when.value), [(when.start, when.end)], dates.notes(when, ctx.text))


REFERRED = "etype:referred"


def _received_referral(ctx: Context, tok: Token) -> None:
    """ "In September 2013, the Conduct Authority received a referral from Eastfold Police", "we
    received a further referral from Northshire Police": the event "Eastfold Police referred … to the
    Conduct Authority", with the sentence's date of the receiving."""
    verb = tok.head
    if tok.dep_ not in ("dobj", "obj") or verb.lemma_.lower() != "receive":
        return
    prep = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "from"), None)
    pobj = _arg(prep, "pobj") if prep is not None else None
    subj = _arg(verb, "nsubj")
    if pobj is None or subj is None:
        return
    res = _Resolver(ctx, None)
    agent, recipient = res.entity(pobj), res.entity(subj)
    if agent is None or recipient is None:
        return
    if {ctx.drafts[agent[0]].type, ctx.drafts[recipient[0]].type} - {"schema:Organization", "schema:Person"}:
        return
    # what it is a referral of ("of a complaint", "in relation to the incident"): a further
    # referral from the same force is another referral
    about = None
    for c in tok.subtree:
        if c.dep_ == "pobj" and c.head.lower_ in ("of", "about", "regarding", "concerning", "to") and c is not pobj:
            about = c
            break
    sent = ctx.sentence_at(tok.idx)
    f = ctx.folded
    # the date of the receiving: before the verb ("On Tuesday (6 August), we received …"), or right
    # after the referral's words, never inside a clause about something else ("… which took place on …")
    exprs = [d for d in dates.find_dates(f, sent.start, sent.end, ctx.anchor(sent.start)[0])
             if (d.end <= subj.left_edge.idx and re.fullmatch(r"[\W\s]*(?:on|in|at)?\s*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day)?[\s(]*", f[sent.start : d.start], re.I))
             or (d.start >= tok.idx and not re.search(r"\b(?:which|that|who|where|when)\b", f[tok.idx : d.start], re.I))]
    when = exprs[0] if exprs else None
    _register(ctx, verb, REFERRED, agent, None, recipient, when, about, res.inv)


def _possessed_event(ctx: Context, tok: Token, concept: str) -> None:
    """ "Northshire Police's guilty plea last year": the possessor is the agent, the date the one the
    noun governs; the event is the one "Northshire Police pleaded guilty last year" would make."""
    if not _guilty_plea(tok):
        return
    owner = next((c for c in tok.children if c.dep_ == "poss"), None)
    if owner is None:
        return
    res = _Resolver(ctx, None)
    sent = ctx.sentence_at(tok.idx)
    named = [n for n in ctx.names_in(sent.start, owner.idx + len(owner)) if n[0] <= owner.idx < n[1]]
    agent = (named[0][2], named[0][0], named[0][1]) if named else res.entity(owner)
    if agent is None or ctx.drafts[agent[0]].type not in ("schema:Organization", "schema:Person"):
        return
    exprs = dates.find_dates(ctx.folded, sent.start, sent.end, ctx.anchor(sent.start)[0])
    end = tok.idx + len(tok)
    # the date the noun governs, or one just after it ("guilty plea last year on … charges")
    when = _nearest_date(ctx, tok, exprs, sent.start, sent.end) or next(
        (d for d in exprs if 0 <= d.start - end <= 3), None)
    _register(ctx, tok, concept, agent, None, None, when, None, res.inv)


#: "an incident at a nightclub on 6 May 2013", "the incident which took place on Tuesday 23 July",
#: "an altercation outside a nightclub in Bedford in March 2013": the occurrence a case is about.
INCIDENT = re.compile(r"\b(?:an?|the)\s+(?:(?:serious|violent|alleged|fatal|reported)\s+)?(?P<noun>incident|altercation)\b", re.I)
INCIDENT_TYPE = "etype:incident"
#: Words between the noun and a date that end its phrase: a clause of its own, or another sentence part.
_INCIDENT_BREAK = re.compile(r"[;:()]|\b(?:and|but|while|when|after|before|since|following|until)\b|,\s+(?!which\b)", re.I)


def incidents(ctx: Context, report: str | None) -> None:
    """The case's incident with its date, where a text dates it: one event of the case's
    investigation (or of the text, when it belongs to no case), so that two texts giving it
    different dates disagree, and texts giving the same one corroborate it."""
    anchor = refs.investigation(ctx) or report
    f = ctx.folded
    for sent in ctx.body_sentences():
        for m in INCIDENT.finditer(f, sent.start, sent.end):
            q = ctx.quote_at(m.start())
            if q is not None and q.kind == "term":
                continue
            exprs = dates.find_dates(f, m.end(), min(sent.end, m.end() + 90), ctx.anchor(m.start())[0])
            when = next((d for d in exprs if not _INCIDENT_BREAK.search(f, m.end(), d.start)), None)
            if when is None or when.due:
                continue
            # named by the text's own words up to the date: "incident at a nightclub in Bedford"
            words = re.split(r"\s*,?\s*\b(?:which|that)\b", " ".join(f[m.start("noun") : when.start].split()), maxsplit=1)[0]
            label = _DATE_TAIL.sub("", words)
            event = ctx.derived("schema:Event", label[0].lower() + label[1:], (INCIDENT_TYPE, ctx.scope(anchor)))
            ctx.mention(event, m.start("noun"), m.end("noun"), "descriptor")
            ctx.claim(event, "kg:eventType", Concept(INCIDENT_TYPE), [(m.start(), when.end)])
            ctx.claim(event, "schema:startDate", Value.of_date(when.value), [(when.start, when.end)], dates.notes(when, ctx.text))
            break


#: What ends an incident's words before its date: "… on Tuesday", "… in", "… ,".
_DATE_TAIL = re.compile(r"(?:\s+(?:on|in|at|during))?(?:\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))?[\s,(]*$", re.I)


#: Hearings, inquests and trials: the noun, with the words before it that say which ("gross
#: misconduct hearing", "preliminary hearing").  Misconduct, gross misconduct and disciplinary
#: hearings are one kind (texts call one hearing each of these); a preliminary or a sentencing
#: hearing, an inquest, a trial and a retrial are kinds of their own.
PROCEEDING = re.compile(
    r"\b(?P<mods>(?:(?:gross|misconduct|disciplinary|accelerated|special|public|preliminary|sentencing|criminal|"
    r"full|extensive|four-week|two-week|three-week|week-long|fresh|second)\s+){0,3})"
    r"(?P<noun>hearing|inquest|trial|retrial)\b",
    re.I,
)
HELD = "etype:held"
#: The verb between a proceeding and its date: when it opened, or when it ended.
_OPENED = re.compile(r"^\s*,?\s*(?:which\s+|that\s+)?(?:was\s+|were\s+|had\s+been\s+)?(?:held|heard|opened|began|started|took\s+place|sat)\s+(?:on\s+|in\s+|at\s+)?(?:\w+\s+)?$", re.I)
_ENDED = re.compile(r"^\s*,?\s*(?:which\s+|that\s+)?(?:was\s+|were\s+|had\s+)?(?:concluded|ended|finished|closed|came\s+to\s+an\s+end)\s+(?:on\s+|in\s+)?$", re.I)
#: "… hearing today (Wednesday)": the date right after the noun.
_ADJACENT = re.compile(r"^\s*(?:\(|on\s+)?$", re.I)
#: "yesterday's misconduct hearing": a date that owns the proceeding.
_OWNED = re.compile(r"^['’]s\s+$")
_CONCLUSION = re.compile(r"\b(?:conclusion|end|close)\s+(?:of\s+)?(?:an?|the)?\s*$", re.I)


def proceedings(ctx: Context) -> None:
    """A hearing, an inquest or a trial of the case, with the day, month or year a text gives it
    ("an inquest held in 2013", "a hearing which opened on 8 October", "at the conclusion of a
    disciplinary hearing today", "In October 2017, the hearing concluded"): one event of each kind
    per case, so that texts giving another year or day for it disagree.  When it opened is its
    ``schema:startDate``, when it ended its ``schema:endDate``; what is only due is left out.
    A proceeding is the case's, not a report's: without an investigation of its own, a text's
    hearing is its case's (found across documents by :mod:`kg.resolve`)."""
    anchor = refs.investigation(ctx)
    f = ctx.folded
    dated: set[tuple[str, str]] = set()  # (kind, property): a text dates each once, by its first words
    for sent in ctx.body_sentences():
        exprs = None
        for m in PROCEEDING.finditer(f, sent.start, sent.end):
            q = ctx.quote_at(m.start())
            if q is not None and q.kind == "term":
                continue
            if exprs is None:
                exprs = [d for d in dates.find_dates(f, sent.start, sent.end, ctx.anchor(sent.start)[0]) if not d.due]
            found = _proceeding_date(f, m, exprs, sent.start)
            if found is None:
                continue
            when, prop = found
            mods = [w.lower() for w in m.group("mods").split()]
            noun = m.group("noun").lower()
            kind = f"{'preliminary ' if 'preliminary' in mods else 'sentencing ' if 'sentencing' in mods else ''}{noun}"
            if (kind, prop) in dated:
                continue
            dated.add((kind, prop))
            label = " ".join(w for w in [*mods, noun] if w not in ("full", "extensive", "fresh", "second") and "week" not in w)
            event = ctx.derived("schema:Event", label, (HELD, ctx.scope(anchor), kind))
            ctx.mention(event, m.start("noun") if not mods else m.start("mods"), m.end("noun"), "descriptor")
            ctx.claim(event, "kg:eventType", Concept(HELD), [(m.start("noun"), m.end("noun"))])
            ctx.claim(event, prop, Value.of_date(when.value), [(when.start, when.end)], dates.notes(when, ctx.text))


def _proceeding_date(f: str, m: re.Match[str], exprs: list[dates.DateExpr], sent_start: int) -> tuple[dates.DateExpr, str] | None:
    """The date a text gives a proceeding and whether it is when it opened or when it ended."""
    before = f[max(sent_start, m.start() - 40) : m.start()]
    for d in exprs:
        if d.start >= m.end() and d.start - m.end() <= 40:
            gap = f[m.end() : d.start]
            if _ENDED.match(gap):
                return d, "schema:endDate"
            if _OPENED.match(gap):
                return d, "schema:startDate"
            if _ADJACENT.match(gap) and d.start - m.end() <= 5:
                return d, "schema:endDate" if _CONCLUSION.search(before) else "schema:startDate"
        if d.end <= m.start() and _OWNED.match(f[d.end : m.start()]):
            return d, "schema:endDate" if _CONCLUSION.search(f[max(sent_start, d.start - 40) : d.start]) else "schema:startDate"
    # "In October 2017, the hearing concluded that …": the date opens the sentence
    lead = next((d for d in exprs if d.end <= m.start() and re.fullmatch(r"\s*(?:in|on)?\s*", f[sent_start : d.start], re.I)
                 and re.fullmatch(r",?\s*(?:the|a|an)\s+", f[d.end : m.start()], re.I)), None)
    if lead is not None and re.match(r"\s+(?:concluded|ended|finished|closed)\b", f[m.end() : m.end() + 12], re.I):
        return lead, "schema:endDate"
    return None


DIED = "etype:died"
#: "Jane Roe died on 4 May 2013", "Mr Roe, 39, died on …", "… when he died in police custody in
#: Riverton in November 2013": a death and its subject; "the death of Jane Roe on 4 May 2013",
#: "Mr Roe’s death on 4 May 2013": a death named by its noun.
_DIED = re.compile(r"\b(?:died|pronounced\s+dead)\b", re.I)
_DEATH = re.compile(r"\bdeath\b", re.I)
#: What may stand between a person's name and "died": an age, "who", "sadly", "later" …
_DIED_GAP = re.compile(r"(?:\s*,\s*\d{1,3}\s*,)?\s+(?:(?:who|had|has|have|was|were|been|sadly|later|then|tragically|subsequently)\s+)*", re.I)
#: Words between "died" (or the dead person's name) and a date that end the phrase: the date is
#: then another event's ("died after he was restrained on …").
_DEATH_BREAK = re.compile(r"[;:]|\b(?:after|following|because|when|while|and|but|as|from|since|before|until|who|which)\b", re.I)


def deaths(ctx: Context) -> None:
    """A person's death with the date a text gives it: one event per person (``etype:died``), so
    that texts giving another day for it disagree, and texts giving the same day corroborate it."""
    f = ctx.folded
    seen: set[tuple[str, str]] = set()  # (person, date): each date of a death once a text
    for sent in ctx.body_sentences():
        exprs = None
        for m in [*_DIED.finditer(f, sent.start, sent.end), *_DEATH.finditer(f, sent.start, sent.end)]:
            who = _whose_death(ctx, m, sent.start, sent.end) if m.group().lower() == "death" else _who_died(ctx, m, sent.start)
            if who is None:
                continue
            if exprs is None:
                exprs = [d for d in dates.find_dates(f, sent.start, sent.end, ctx.anchor(sent.start)[0]) if not d.due]
            after = max(m.end(), who[1])
            when = next((d for d in exprs if d.start >= after and d.start - after <= 60
                         and not _DEATH_BREAK.search(f, after, d.start)), None)
            if when is None or (who[2], when.value.iso()) in seen:
                continue
            seen.add((who[2], when.value.iso()))
            person = ctx.drafts[who[2]]
            event = ctx.derived("schema:Event", f"death of {person.label}", (DIED, EntityKey(who[2])))
            span = (min(who[0], m.start()), max(who[1], m.end()))
            ctx.mention(event, m.start(), m.end(), "descriptor")
            ctx.claim(event, "kg:eventType", Concept(DIED), [(m.start(), m.end())])
            ctx.claim(event, "schema:about", who[2], [span])
            ctx.claim(event, "schema:startDate", Value.of_date(when.value), [(when.start, when.end)], dates.notes(when, ctx.text))


def _who_died(ctx: Context, m: re.Match[str], sent_start: int) -> tuple[int, int, str] | None:
    """The person the words name just before "died", or "he"/"she" for the one person the
    sentence named before it."""
    f = ctx.folded
    people = [n for n in ctx.names_in(sent_start, m.start()) if ctx.drafts[n[2]].type == "schema:Person"]
    if people and _DIED_GAP.fullmatch(f, people[-1][1], m.start()):
        return people[-1]
    pronoun = re.search(r"\b(?:he|she)\s+(?:(?:had|has|was|been|later|then|sadly)\s+)*$", f[max(sent_start, m.start() - 24) : m.start()], re.I)
    if pronoun and len({p[2] for p in people}) == 1:
        return people[0]
    return None


def _whose_death(ctx: Context, m: re.Match[str], sent_start: int, sent_end: int) -> tuple[int, int, str] | None:
    """The person of "the death of NAME", "NAME’s death", or "his death" for the one person the
    sentence named before it."""
    f = ctx.folded
    if re.search(r"\b(?:his|her)\s+(?:sad\s+|tragic\s+)?$", f[max(sent_start, m.start() - 16) : m.start()], re.I):
        people = {n[2]: n for n in ctx.names_in(sent_start, m.start()) if ctx.drafts[n[2]].type == "schema:Person"}
        return next(iter(people.values())) if len(people) == 1 else None
    after = [n for n in ctx.names_in(m.end(), min(sent_end, m.end() + 60)) if ctx.drafts[n[2]].type == "schema:Person"]
    if after and re.fullmatch(r"\s+of\s+", f[m.end() : after[0][0]]):
        return after[0]
    before = [n for n in ctx.names_in(max(0, m.start() - 60), m.start()) if ctx.drafts[n[2]].type == "schema:Person"]
    if before and re.fullmatch(r"(?:'s|')\s+", f[before[-1][1] : m.start()]):
        return before[-1][0], m.end(), before[-1][2]
    return None
