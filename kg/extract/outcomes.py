"""Disciplinary outcomes: how many officers received each outcome (``ontology/outcomes.ttl``).

A sentence is cut into clauses at each count of officers: "14 officers", "two were", "a further
four officers", "another officer", "one of the officers", "a fifth" (one more).  In each clause the
outcome phrases that follow the count (longest first: "dismissed for gross misconduct" before
"dismissed") each get the count; "… and put on the barred list" shares it.  Two forms tie an
outcome to another proceeding: "would have attended a misconduct meeting had they not resigned"
(a resignation instead of a meeting) and "resigned prior to these hearings"; "one of the officers
who attended a misconduct meeting also received …" ties the second outcome to the first.
An outcome is identified by the investigation, its kind and what it is tied to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Concept, EntityKey, Value
from . import lexicon, refs
from .context import Context
from .numbers import COUNT_RE, ORDINALS, parse_count

_ORDINAL = "|".join(k for k in ORDINALS if k != "first")
ANCHOR = re.compile(
    rf"\b(?:(?P<further>a\s+further|another|a\s+total\s+of)\s+)?(?P<n>{COUNT_RE})\s+(?:(?:police|other|more|serving|detention|custody|"
    rf"firearms|armed|special|former)\s+)?(?:officers?|constables?|sergeants?|inspectors?|detectives?|pcs|dcs|pcsos)\b"
    rf"|\b(?P<nof>(?!one\b){COUNT_RE})\s+of\s+(?:them|(?:the|those|these)\s+(?:\w+\s+)?(?:police\s+)?officers)\b"
    rf"|\b(?:(?P<further2>a\s+further)\s+)?(?P<n2>{COUNT_RE})\s+(?:(?:others|more)\s+)?(?=(?:were|was|had|have|received|attended|faced|resigned|retired)\b)"
    rf"|\b(?P<another>another(?:\s+(?:police\s+)?officer\b|(?=\s+(?:was|were|received|had|got|resigned)\b)))"
    rf"|\b(?P<vague>(?:the\s+)?(?:others|rest|remaining\s+officers|some|several|many|most))\b(?=\s+(?:of\s+them\s+)?(?:were|was|had|have|received|attended|faced|got))"
    rf"|\b(?P<oneof>one\s+of\s+(?:the|those|these)\s+(?:police\s+)?officers)\b"
    rf"|\ba\s+(?P<ord>{_ORDINAL})\b(?!\s+(?:time|of)\b)",
    re.I,
)
SKIP_CONCEPTS = frozenset({"outcome:investigated"})


def _outcome_matches(ctx: Context, start: int, end: int) -> list[tuple[int, int, str]]:
    return lexicon.find(ctx.lower, "outcomes", start, end, SKIP_CONCEPTS)


def _count(m: re.Match[str]) -> int | None:
    if m.group("n"):
        return parse_count(m.group("n"))
    if m.group("n2"):
        return parse_count(m.group("n2"))
    if m.group("nof"):
        return parse_count(m.group("nof"))  # "two of the officers", "three of them"
    if m.group("another") or m.group("oneof") or m.group("ord"):
        return 1
    return None  # "others", "some": a clause with no count of its own


#: A charge brought against someone: "a charge of murder against a Metropolitan Police officer",
#: "the decision to charge Jane Roe with murder".
_CHARGE_AGAINST = re.compile(r"\bcharges?\s+(?:of\s+(?:[\w'’-]+\s+){1,6}?)?against\s+", re.I)
_CHARGE_WITH = re.compile(r"\bcharg(?:e|ed|ing)\s+", re.I)


def _charges(ctx: Context, start: int, end: int) -> list[tuple[_Anchor, int, int, tuple[int, int]]]:
    """Criminal charges whose words name who is charged after the charge: (who, start, end of the
    words, the span of the charge word)."""
    f = ctx.folded
    out = []
    for m in _CHARGE_AGAINST.finditer(f, start, end):
        who = [a for a in _anchors(ctx, m.end(), end, verb=False) if a.begin == m.end() and a.count]
        if who:
            out.append((who[0], m.start(), who[0].finish, (m.start(), m.end())))
    for m in _CHARGE_WITH.finditer(f, start, end):
        who = [a for a in _anchors(ctx, m.end(), end, verb=False) if a.begin == m.end() and a.count]
        if who and re.match(r"\s+with\b", f[who[0].finish : who[0].finish + 6]):
            out.append((who[0], m.start(), who[0].finish + 5, (m.start(), m.end())))
    return out


@dataclass(frozen=True)
class _Anchor:
    """Where a clause about some officers starts, and how many it is about (``None``: "others")."""

    begin: int
    finish: int
    count: int | None
    people: tuple[str, ...] = ()  # the named people it counts, as local keys

    def start(self) -> int:
        return self.begin

    def end(self) -> int:
        return self.finish


#: What follows named people when a sentence says what befell them ("PC Roe was dismissed",
#: "Roe and Doe will face a hearing"), not what they did ("Jane Roe has directed …").
_PEOPLE_VERB = re.compile(
    r"(?:,[^,]{0,60},)?\s+(?:was|were|will\s+be|would\s+be|has\s+been|have\s+been|had\s+been|is\s+to|are\s+to|"
    r"will\s+(?:face|receive|appear|get)|(?:should|must|would)\s+(?:also\s+)?face|to\s+(?:face|attend)|must\s+(?:therefore\s+)?attend|would\s+have|received|got|resigned|retired|faced|attended|pleaded|admitted|"
    r"(?:has|have|had)\s+(?:a\s+)?cases?\s+to\s+answer|(?:has|have|had)\s+resigned|(?:has|have|had)\s+retired)\b"
)
#: "a West Mercia Police officer", "a Devon and Cornwall Police sergeant", "an officer": one officer.
_ONE_OFFICER = re.compile(
    r"\b(?:a|an)\s+(?:(?-i:[A-Z])[\w&'’-]*\s+|and\s+(?=(?-i:[A-Z]))|former\s+|serving\s+|male\s+|female\s+|police\s+"
    r"|detention\s+|custody\s+){0,6}(?:officer|constable|sergeant|inspector)\b",
    re.I,
)
#: "He received …", "she was dismissed": one (the person the text is about).
_PRONOUN = re.compile(r"(?:^|(?<=[.;,] )|(?<=\band ))(?:He|She|he|she)\s+(?=(?:was|has|had|will|would|received|got|resigned|retired)\b)")


def _anchors(ctx: Context, start: int, end: int, verb: bool = True) -> list[_Anchor]:
    """The counts of officers in a sentence, in order: numbers ("two officers", "a further four"),
    one officer ("another officer", "an officer", "he"), and named people, counted ("PC Roe and
    PC Doe will be dismissed" is two)."""
    f = ctx.folded
    out = [_Anchor(m.start(), m.end(), _count(m)) for m in ANCHOR.finditer(f, start, end)]
    taken = [(a.begin, a.finish) for a in out]

    def free(s: int, e: int) -> bool:
        return not any(s < te and ts < e for ts, te in taken)

    for m in _ONE_OFFICER.finditer(f, start, end):
        if free(m.start(), m.end()):
            out.append(_Anchor(m.start(), m.end(), 1))
    for m in _PRONOUN.finditer(f, start, end):
        if free(m.start(), m.end()):
            out.append(_Anchor(m.start(), m.start() + 3, 1))
    people = [n for n in ctx.names_in(start, end) if ctx.drafts[n[2]].type == "schema:Person"]
    i = 0
    while i < len(people):
        group = [people[i]]
        while i + 1 < len(people) and re.fullmatch(r"(?:,\s*|\s+and\s+|,\s+and\s+)", f[group[-1][1] : people[i + 1][0]]):
            group.append(people[i + 1])
            i += 1
        s, e = group[0][0], group[-1][1]
        if free(s, e) and (not verb or _PEOPLE_VERB.match(f, e, end)):
            out.append(_Anchor(s, e, len({g[2] for g in group}), tuple(sorted({g[2] for g in group}))))
        i += 1
    return sorted(out, key=lambda a: a.begin)


#: Words between a count and its outcome that say it has not happened: planned, due or promised
#: ("will be dismissed", "is due to face", "to face a hearing"), or recommended ("should face").
_SCHEDULED = re.compile(r"\b(?:will|shall|is\s+to|are\s+to|to\s+face|to\s+attend|to\s+be|due\s+to|set\s+to|expected\s+to|going\s+to)\b", re.I)
_RECOMMENDED = re.compile(r"\b(?:should|ought\s+to|recommend\w*|must)\b", re.I)


def _status(between: str) -> str | None:
    if _RECOMMENDED.search(between):
        return "kg:EventRecommended"
    if _SCHEDULED.search(between):
        return "schema:EventScheduled"
    return None


def find(ctx: Context, report: str | None) -> None:
    inv = refs.investigation(ctx)
    context_key = inv or report
    f = ctx.folded
    last_inv_ref: tuple[int, int] | None = None
    last_para = -1
    for sent in ctx.body_sentences():
        para = ctx.paragraph_index(sent.start)
        if para != last_para:
            last_inv_ref, last_para = None, para
        if inv is not None:
            named = [(n[0], n[1]) for n in ctx.names_in(sent.start, sent.end) if n[2] == inv]
            found = named or refs.investigation_refs(ctx, sent.start, sent.end)
            if found:
                last_inv_ref = found[0]
        for who, cs, ce, (ws, we) in _charges(ctx, sent.start, sent.end):
            curie = "outcome:criminal-charge"
            ident = (ctx.scope(context_key), curie, "", *(EntityKey(p) for p in who.people))
            outcome = ctx.derived("kg:DisciplinaryOutcome", ctx.vocab.labels.get(curie, curie), ident)
            ctx.mention(outcome, ws, we, "descriptor")
            ctx.claim(outcome, "kg:outcomeType", Concept(curie), [(cs, ce)])
            ctx.claim(outcome, "kg:officerCount", Value.integer(who.count or 1), [(cs, ce)])
            for person in who.people:
                ctx.claim(outcome, "kg:concerns", person, [(cs, ce)])
        anchors = _anchors(ctx, sent.start, sent.end)
        carried: tuple[int, int] | None = None  # (count, start) of "two officers who … and" before this one
        for i, m in enumerate(anchors):
            n = m.count
            if n is None or n == 0:
                carried = None
                continue
            clause_end = anchors[i + 1].start() if i + 1 < len(anchors) else sent.end
            clause = f[m.end() : clause_end]
            matches = _outcome_matches(ctx, m.end(), clause_end)
            begin = m.start()
            if carried is not None and not m.people:
                # "two officers who carried out the search and a third officer … have a case to
                # answer", "a sergeant, two detention officers and three constables will face …":
                # the groups joined by "and" or listed share what follows, counted together
                n, begin = n + carried[0], carried[1]
            carried = None
            if not matches:
                if not m.people and re.search(r"(?:,\s*|\s)and\s+$|^\s*,\s*$", clause) and not re.search(r"[;:]", clause):
                    carried = (n, begin)
                continue
            results: list[tuple[str, str | None, tuple[int, int], tuple[int, int] | None]] = []
            counterfactual = re.search(r"\bwould\s+have\b.*\bhad\s+(?:they|he|she)\s+not\b", clause, re.I)
            relative = re.match(r"\s+(?:who|that)\s+(?:had\s+)?(?P<rel>[^,]*?)\s+(?:also\s+)?(?:received|were|was|got)\b", clause, re.I)
            prior = re.search(r"\b(?:prior\s+to|before|ahead\s+of)\s+(?:these|the|their|those|a|an)?\s*", clause, re.I)
            if counterfactual:
                would = [x for x in matches if x[0] < m.end() + counterfactual.end()]
                then = [x for x in matches if x[0] >= m.end() + counterfactual.end()]
                if would and then:
                    results.append((then[0][2], would[0][2], (begin, then[0][1]), (would[0][0], would[0][1])))
            elif relative:
                rel_end = m.end() + relative.end("rel")
                tied = [x for x in matches if x[1] <= rel_end]
                main = [x for x in matches if x[0] > rel_end]
                for x in main:
                    results.append((x[2], tied[0][2] if tied else None, (begin, x[1]), (tied[0][0], tied[0][1]) if tied else None))
            elif prior:
                at = m.end() + prior.start()
                before = [x for x in matches if x[1] <= at]
                after = [x for x in matches if x[0] >= at]
                for x in before:
                    results.append((x[2], after[0][2] if after else None, (begin, after[0][1] if after else x[1]),
                                    (after[0][0], after[0][1]) if after else None))
            else:
                for x in matches:
                    results.append((x[2], None, (begin, x[1]), None))
            status = None if counterfactual else _status(f[m.end() : matches[0][0]])
            for curie, tied_to, span, tied_span in results:
                label = ctx.vocab.labels.get(curie, curie)
                if tied_to:
                    label += f" (in connection with {ctx.vocab.labels.get(tied_to, tied_to)})"
                # an outcome of named people is theirs; a count of officers is the investigation's
                identity = (ctx.scope(context_key), curie, tied_to or "", *(EntityKey(p) for p in m.people))
                outcome = ctx.derived("kg:DisciplinaryOutcome", label, identity)
                phrase = next(x for x in matches if x[2] == curie)
                ctx.mention(outcome, phrase[0], phrase[1], "descriptor")
                ctx.claim(outcome, "kg:outcomeType", Concept(curie), [span])
                ctx.claim(outcome, "kg:officerCount", Value.integer(n), [span])
                if tied_to and tied_span:
                    ctx.claim(outcome, "kg:inConnectionWith", Concept(tied_to), [(span[0], max(span[1], tied_span[1]))])
                if inv is not None and last_inv_ref is not None:
                    ctx.claim(outcome, "kg:inInvestigation", inv, [last_inv_ref, span])
                if status is not None:
                    ctx.claim(outcome, "schema:eventStatus", Concept(status), [span])
                for person in m.people:
                    ctx.claim(outcome, "kg:concerns", person, [span])
