"""Named entities of one document: find names, type them, merge their aliases, find every mention.

Names come from spaCy's statistical NER and from rules: acronym definitions ("Long Name (ABBR)",
"ABBR - formerly OLD"), capitalised names ending or opening with a cue word from
``ontology/cues.ttl`` ("… Council", "… police station", "Operation …", "… plan"), honorific
names ("Mr …", "Baroness … of …") and the publisher's own name from the metadata.  Rules correct
the NER's mistakes: a bracket inside a name, a possessive, a name cut short, a type the cue
words contradict.  Aliases merge within the document: acronyms to the names they abbreviate,
clipped forms to the name they clip ("North" → "Northshire …"), surnames and honorific forms to
the full name.  Finally every form of every entity is found wherever it occurs in the body text.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..text import normalize_name
from . import lexicon
from .context import Context
from .numbers import COUNT_RE

NER_TYPES = {
    "PERSON": "schema:Person",
    "ORG": "schema:Organization",
    "GPE": "schema:Place",
    "LOC": "schema:Place",
    "FAC": "schema:Place",
    "PRODUCT": "schema:SoftwareApplication",
    "WORK_OF_ART": "schema:CreativeWork",
    "LAW": "schema:CreativeWork",
}
#: Lower-case words that may join the words of a name ("Office for Police Conduct", "Code of Ethics").
CONNECTORS = frozenset({"of", "for", "and", "the", "on", "&", "de", "von", "van"})
#: Capitalised words that are never joined into a name by a connector ("… on Tuesday", "… of March").
CALENDAR = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
)
_POSSESSIVE = re.compile(r"(?:'s|')$")
#: Heads of names that hold a possessive: "Gwent Coroner's Court", "St Thomas' Hospital".
_INSTITUTIONS = ("Court", "Courts", "Hospital", "College", "Bench", "Chambers", "Infirmary")
#: Letters after a person's name that are not part of it: "Jane Roe QC", "John Smith MP", "… OBE".
_POSTNOMINALS = re.compile(r"(?:,?[ \t]+(?:QC|KC|MP|MSP|OBE|MBE|CBE|KBE|DBE|QPM|KPM|JP|DL))+$")
_LEADING = re.compile(r"^(?:the|The|THE|a|A|an|An)\s+")
PRONOUNS = frozenset(["i", "me", "my", "we", "us", "our", "ours", "he", "him", "his", "she", "her", "hers", "it", "its", "they", "them", "their", "you", "your"])


@dataclass
class Candidate:
    start: int
    end: int
    type: str
    priority: int
    source: str
    names: list[str] = field(default_factory=list)  # extra names (without honorific, head, …)
    weak: bool = False
    defines: list[tuple[int, int]] = field(default_factory=list)  # acronym spans it defines
    #: forms that refer to it in this document only ("Riverton" for "Riverton police station")
    parts: list[str] = field(default_factory=list)
    #: how a weak name may link across documents (``model.LINK_KINDS``)
    link: str | None = None
    #: of a public office's full name, the office alone: a weak name of it (link kind "office")
    office: str | None = None

    @property
    def length(self) -> int:
        return self.end - self.start


def _clean(ctx: Context, start: int, end: int) -> tuple[int, int]:
    """Trim articles, possessives, brackets and punctuation off a name's edges."""
    f = ctx.folded
    changed = True
    while changed and start < end:
        changed = False
        seg = f[start:end]
        m = _LEADING.match(seg)
        if m:
            start += m.end()
            changed = True
            continue
        if seg[-1] in " \t\n,.;:!?)\"'(-" and not (seg[-1] == ")" and "(" in seg):
            if seg.endswith("'s") or seg.endswith("s'"):
                pass
            else:
                end -= 1
                changed = True
                continue
        if seg[0] in " \t\n,.;:!?(\"'-":
            start += 1
            changed = True
            continue
        post = _POSTNOMINALS.search(seg)
        if post and post.start() > 0:
            end = start + post.start()
            changed = True
            continue
        if _POSSESSIVE.search(seg) and len(seg) > 2:
            end -= 2 if seg.endswith("'s") else 1
            changed = True
            continue
        if seg.count("(") != seg.count(")"):
            cut = seg.rfind("(") if seg.count("(") > seg.count(")") else seg.find(")")
            end = start + cut
            changed = True
    return start, end


def _is_capitalised(word: str) -> bool:
    return bool(word) and (word[0].isupper() or word[0].isdigit())


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if _is_capitalised(w) and w not in CONNECTORS)


#: Small words inside the long form of an acronym: the connectors of names, and the prepositions
#: of a unit's or a tactic's name ("Mobile Armed Support to Surveillance Teams (MASTS)").
_ACRONYM_CONNECTORS = CONNECTORS | {"to", "in", "at", "with"}


def _acronym_candidates(ctx: Context) -> list[Candidate]:
    """ "Long Name (ABBR)" and "Long Name (ABBR - formerly OLD)"."""
    out = []
    f = ctx.folded
    for m in re.finditer(r"\((?P<abbr>[A-Z][A-Z0-9&]{1,9})(?:\s*[-,;]\s*formerly\s+(?P<old>[A-Z][A-Z0-9&]{1,9}))?\)", f):
        if not (ctx.is_body(m.start(), m.end()) or ctx.is_masthead(m.start(), m.end())):
            continue
        abbr = m.group("abbr")
        # walk back over capitalised words and connectors
        before = f[max(0, m.start() - 160) : m.start()].rstrip()
        words = list(re.finditer(r"[\w’'&-]+", before))
        run: list[re.Match[str]] = []
        for w in reversed(words):
            if _is_capitalised(w.group()) or (w.group() in _ACRONYM_CONNECTORS and run):
                run.insert(0, w)
            else:
                break
            gap = before[w.end() : (run[1].start() if len(run) > 1 else len(before))]
            if len(run) > 1 and (gap.strip() or "\n" in gap):  # no name runs over punctuation or a line's end
                run.pop(0)
                break
        while run and (run[0].group() in _ACRONYM_CONNECTORS or run[0].group() in ("The", "A", "An")):
            run.pop(0)  # "The Northshire Police Standards (NPSC)": the article opens the sentence
        base = max(0, m.start() - 160)
        # the shortest run whose initials spell the acronym, else the whole run
        chosen = None
        for i in range(len(run)):
            if run[i].group() in _ACRONYM_CONNECTORS:
                continue
            if _initials([w.group() for w in run[i:]]).upper() == re.sub(r"[^A-Z]", "", abbr):
                chosen = run[i:]
        if chosen is None and run and abbr[0] == run[0].group()[0]:
            chosen = run
        abbr_span = (m.start("abbr"), m.end("abbr"))
        spans = [abbr_span]
        if m.group("old"):
            spans.append((m.start("old"), m.end("old")))
        etype = "schema:Organization"
        if chosen:
            s, e = base + chosen[0].start(), base + chosen[-1].end()
            found = _expansion_type(ctx, s, e)
            if found is None:
                continue  # "Acute Behavioural Disturbance (ABD)": a term, not a name
            etype = found
            out.append(Candidate(s, e, etype, 6, "acronym", defines=spans))
        for s, e in spans:
            out.append(Candidate(s, e, etype, 6, "acronym"))
    return out


def _expansion_type(ctx: Context, start: int, end: int) -> str | None:
    """What the words an acronym stands for name, by their cue words ("… Police Conduct", "…
    Act 1984", "… Street"), or by the model where they give none; ``None`` when they name no
    entity (a medical term, a procedure)."""
    if _is_title(ctx, start, end):
        return None  # "Police Constable (PC)": a rank
    words = [re.sub(r"(?:'s|')$", "", w) for w in ctx.folded[start:end].split()]  # "… Police’s (SYP)"
    heads = ctx.vocab.heads
    last = words[-1] if not re.fullmatch(r"\d{4}", words[-1]) else words[-2] if len(words) > 1 else words[-1]
    for etype in ("schema:CreativeWork", "schema:NewsMediaOrganization", "schema:Place"):
        if last in heads.get(etype, ()):
            return etype
    if words[0] in ctx.vocab.prefixes.get("kg:Investigation", ()) or last in heads.get("kg:Investigation", ()):
        return "kg:Investigation"
    if any(w in heads.get("schema:Organization", ()) for w in words):
        return "schema:Organization"
    for ent in ctx.ner.ents:
        if ent.start_char < end and start < ent.end_char and ent.label_ in NER_TYPES:
            return NER_TYPES[ent.label_]
    return None


def _heads(ctx: Context, etype: str) -> tuple[str, ...]:
    return tuple(sorted(ctx.vocab.heads.get(etype, ()), key=lambda h: (-len(h), h)))


def _name_runs(ctx: Context) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """Runs of capitalised words (with connectors between them) in the body: (start, end, words)."""
    runs = []
    f = ctx.folded
    for sent in ctx.body_sentences():
        words = [(m.start(), m.end()) for m in re.finditer(r"[\w’'&+.-]*[\w&+]", f[sent.start : sent.end])]
        words = [(sent.start + s, sent.start + e) for s, e in words]
        i = 0
        while i < len(words):
            s, e = words[i]
            w = f[s:e]
            if _is_capitalised(w):
                j = i
                run = [words[i]]
                while j + 1 < len(words) and (not _POSSESSIVE.search(f[run[-1][0] : run[-1][1]])
                                              or f[words[j + 1][0] : words[j + 1][1]] in _INSTITUTIONS):
                    ns, ne = words[j + 1]
                    gap = f[run[-1][1] : ns]
                    nw = f[ns:ne]
                    if gap not in (" ", "-"):
                        break
                    joined = (
                        nw in CONNECTORS and j + 2 < len(words)
                        and _is_capitalised(f[words[j + 2][0] : words[j + 2][1]])
                        and f[words[j + 2][0] : words[j + 2][1]].lower() not in CALENDAR
                        and f[ne : words[j + 2][0]] == " "
                    )
                    if _is_capitalised(nw) or joined:
                        run.append(words[j + 1])
                        j += 1
                    else:
                        break
                ls, le = run[-1]
                pm = _POSSESSIVE.search(f[ls:le])
                if pm and not (j + 1 < len(words) and f[words[j + 1][0] : words[j + 1][1]] in _INSTITUTIONS):
                    run[-1] = (ls, ls + pm.start())
                runs.extend(_split_listed_works(ctx, run))
                i = j + 1
            else:
                i += 1
    return runs


def _split_listed_works(ctx: Context, run: list[tuple[int, int]]) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """ "Code of Ethics and Standards of …", "Operation X and Operation Y" and "the Northshire
    Conduct Office and Eastfold Police" are two names: split before "and" + a document head, + the
    prefix the first name opened with, or between two organisations' names (each with a head)."""
    f = ctx.folded
    heads = set(ctx.vocab.heads.get("schema:CreativeWork", ()))
    org_heads = set(ctx.vocab.heads.get("schema:Organization", ()))
    prefixes = set(ctx.vocab.prefixes.get("kg:Investigation", ()))
    parts: list[list[tuple[int, int]]] = [[]]
    for k, (s, e) in enumerate(run):
        w = f[s:e]
        nxt = f[run[k + 1][0] : run[k + 1][1]] if k + 1 < len(run) else ""
        first = f[run[0][0] : run[0][1]]
        left = [f[a:b] for a, b in run[:k]]
        right = [f[a:b] for a, b in run[k + 1 :]]
        two_orgs = bool(right) and any(x in org_heads for x in left) and (
            right[-1] in org_heads or any(x in org_heads and y in ("for", "of") for x, y in itertools.pairwise(right)))
        if w == "and" and nxt and ((nxt in heads and first in heads) or (nxt == first and nxt in prefixes) or two_orgs):
            parts.append([])
            continue
        parts[-1].append((s, e))
    return [(p[0][0], p[-1][1], p) for p in parts if p]


def _sentence_initial(ctx: Context, start: int) -> bool:
    sent = ctx.sentence_at(start)
    lead = ctx.folded[sent.start:start]
    return not re.search(r"\w", lead)


def _cue_candidates(ctx: Context) -> list[Candidate]:
    """A candidate for each run of capitalised words whose cue words say what it names (see
    :func:`_cue_of_run`), and the clipped and lower-case forms of the forces found."""
    vocab = ctx.vocab
    org_heads = set(vocab.heads.get("schema:Organization", ()))
    place_heads = _heads(ctx, "schema:Place")
    inv_prefixes = set(vocab.prefixes.get("kg:Investigation", ()))
    inv_heads = set(vocab.heads.get("kg:Investigation", ()))
    initiative_heads = _heads(ctx, "kg:Initiative")
    movement_heads = _heads(ctx, "kg:Movement")
    work_heads = set(vocab.heads.get("schema:CreativeWork", ()))
    platform_heads = set(vocab.heads.get("schema:SoftwareApplication", ()))
    outlet_heads = set(vocab.heads.get("schema:NewsMediaOrganization", ()))
    person_prefixes = set(vocab.prefixes.get("schema:Person", ()))
    place_prefixes = set(vocab.prefixes.get("schema:Place", ()))
    cues = (org_heads, place_heads, inv_prefixes, inv_heads, initiative_heads, movement_heads, work_heads, platform_heads, outlet_heads, person_prefixes, place_prefixes)
    out = [c for start, end, words in _name_runs(ctx) if (c := _cue_of_run(ctx, cues, start, end, words)) is not None]
    return out + _force_clips(ctx, out) + _lowercase_forces(ctx, out)


def _cue_of_run(ctx: Context, cues: tuple[Any, ...], start: int, end: int, words: list[tuple[int, int]]) -> Candidate | None:
    """What a run of capitalised words names, by its cue words ("Operation …", "… Police", "…
    Street", "… Act 1974") or the words after it ("… police station", "… review", "… plan"); the
    first rule that fits decides."""
    f = ctx.folded
    (org_heads, place_heads, inv_prefixes, inv_heads, initiative_heads, movement_heads, work_heads, platform_heads,
     outlet_heads, person_prefixes, place_prefixes) = cues
    texts = [f[s:e] for s, e in words]
    # drop a sentence-initial ordinary word ("Officers responded", "Among its …")
    while words and _sentence_initial(ctx, words[0][0]) and texts[0].lower() in _COMMON_CAPITALISED:
        words, texts = words[1:], texts[1:]
    while words and texts[0] in CONNECTORS:
        words, texts = words[1:], texts[1:]
    if not words:
        return None
    start = words[0][0]
    after = f[end : end + 40]
    after_l = after.lower()
    first, last = texts[0], texts[-1]
    if first in inv_prefixes and len(words) >= 2:
        return Candidate(start, end, "kg:Investigation", 5, "cue")
    if first in work_heads and len(words) >= 3 and texts[1] in CONNECTORS:
        return Candidate(start, end, "schema:CreativeWork", 5, "cue")
    # a station named by the words before it ("… police station", "… Police Station"); the
    # words alone refer to it in this document ("officers at Riverton"), but they are the
    # name of another place too, so they never link it across documents.  "a Riverton
    # police station" names no station: it is a police station in Riverton.
    m = re.match(r"\s+((?:police|railway|bus|tube|fire)\s+station)\b", after, re.I)
    if m:
        # "a (central) Riverton police station" names no station: it is a police station in Riverton
        if not re.search(r"\b(?:a|an|one|another|every|each|any)\s+(?:[\w-]+\s+)?$", f[max(0, start - 24) : start], re.I):
            return Candidate(start, end + m.end(1), "schema:Place", 5, "cue", parts=[f[start:end]])
        return None
    # "the Angiolini review": a review known by the name of whoever led it
    review = re.match(r"[ \t]+review\b", after)
    if review and len(words) <= 2 and not first.isupper() and last not in org_heads and not _sentence_initial(ctx, start):
        return Candidate(start, end + review.end(), "schema:CreativeWork", 5, "cue")
    # "West Mercia police constable …": a force written with a small "police" (not a station,
    # nor "police and crime …"), where the text never writes its name with a capital
    force = re.match(r"[ \t]+police\b(?![ \t]+(?:stations?|and[ \t]+crime)\b)", after)
    if (force and len(words) <= 3 and not first.isupper() and last not in org_heads
            and not _sentence_initial(ctx, start) and f"{f[start:end]} Police" not in f
            and not lexicon.find(ctx.lower, "roles", start, end)):
        return Candidate(start, end + force.end(), "schema:Organization", 4, "cue")
    head = next((h for h in place_heads if re.match(rf"\s+{re.escape(h.lower())}\b", after_l)), None)
    if head is None and last in place_heads and len(words) >= 2:
        return Candidate(start, end, "schema:Place", 4, "cue")
    if head is not None and head.lower() not in ctx.vocab.generic:
        e2 = end + len(re.match(rf"\s+{re.escape(head.lower())}", after_l).group(0))  # type: ignore[union-attr]
        return Candidate(start, e2, "schema:Place", 5, "cue")
    ihead = next((h for h in initiative_heads if re.match(rf"\s+{re.escape(h)}\b", after_l)), None)
    if ihead is not None:
        # "its Safer Streets plan": the name is "Safer Streets"; "plan" says what it is
        return Candidate(start, end, "kg:Initiative", 5, "cue")
    mhead = next((h for h in movement_heads if re.match(rf"\s+{re.escape(h)}\b", after_l)), None)
    if mhead is not None and len(words) >= 2:
        return Candidate(start, end, "kg:Movement", 5, "cue")
    platform = len(words) == 1 and any(re.match(rf"\s+{re.escape(h)}\b", after_l) for h in platform_heads)
    if platform and not _sentence_initial(ctx, start) and first not in org_heads:
        return Candidate(start, end, "schema:SoftwareApplication", 3, "cue")
    if first in place_prefixes and len(words) == 2 and re.fullmatch(r"\d{1,3}[A-Z]?|[A-Z]", texts[1]):
        return Candidate(start, end, "schema:Place", 6, "cue")  # "Terminal 2": a part of a site
    if first in person_prefixes and len(words) == 2 and re.fullmatch(r"[A-Z]", texts[1]):
        return Candidate(start, end, "schema:Person", 6, "cue")  # "Child Q", "Officer B": anonymised
    if last in outlet_heads and len(words) >= 2:
        return Candidate(start, end, "schema:NewsMediaOrganization", 4, "cue")
    year = re.match(r"[ \t]+(?:\d{4})\b", after)
    k = max((i for i, t in enumerate(texts[:-1]) if t in work_heads), default=-1)
    # "… Safety at Work Act 1974": the end of a longer title the model or another rule takes whole
    fragment = bool(re.search(r"[A-Z][\w'’]*\s+(?:at|to|in|on)\s+$", f[max(0, start - 40) : start]))
    if (k >= 0 and all(re.fullmatch(r"\d{4}|[A-Z]|\d{1,2}|and|&", t) for t in texts[k + 1 :])
            and not any(t == "and" and texts[i + 1] in work_heads for i, t in enumerate(texts[:-1]))  # two listed
            and not fragment):
        # the run took in the year or the parts: "Misuse of Drugs Act 1971", "PACE Codes A and C"
        return Candidate(start, end, "schema:CreativeWork", 5, "cue")
    if last in work_heads and (len(words) >= 2 or year) and not fragment:
        # "Misuse of Drugs Act 1971": the year is part of an Act's name
        return Candidate(start, end + (year.end() if year else 0), "schema:CreativeWork", 5, "cue")
    if last in org_heads and len(words) >= 2:
        return Candidate(start, end, "schema:Organization", 4, "cue")
    if len(words) >= 3 and any(t in org_heads and texts[k + 1] in ("for", "of") for k, t in enumerate(texts[:-2])):
        # "Independent Office for Police Conduct", "Ministry of Justice": a head, then what it is for
        return Candidate(start, end, "schema:Organization", 4, "cue")
    if last in inv_heads and len(words) >= 2:
        return Candidate(start, end, "kg:Investigation", 4, "cue")
    return None


def _lowercase_forces(ctx: Context, found: list[Candidate]) -> list[Candidate]:
    """ "Bedfordshire police": a force the document names in full ("Bedfordshire Police") written
    with "police" in lowercase, as reporters do; the model takes the place word for a person."""
    f = ctx.folded
    names = {" ".join(f[c.start : c.end].split()) for c in found if c.type == "schema:Organization"}
    out = []
    for name in sorted(names):
        words = name.split()
        if len(words) < 2 or words[-1] not in ("Police", "Constabulary"):
            continue
        pattern = r"\s+".join(re.escape(w) for w in words[:-1]) + r"\s+" + words[-1].lower()
        for m in re.finditer(rf"(?<![\w-]){pattern}(?![\w-])", f):
            suffix = m.end() - len(words[-1])
            titles = lexicon.find(ctx.lower, "roles", suffix, min(len(f), suffix + 40))
            if titles and titles[0][0] == suffix:
                continue  # "the Northshire police commissioner": "police" begins a title, not the force's name
            if ctx.is_body(m.start(), m.end()):
                out.append(Candidate(m.start(), m.end(), "schema:Organization", 5, "cue"))
    return out


_FORCE_SUFFIXES = frozenset({"police", "constabulary", "service", "force"})


def _force_clips(ctx: Context, found: list[Candidate]) -> list[Candidate]:
    """ "Devon and Cornwall detention officers": a police force's name without its generic suffix,
    where the document names the force in full, refers to the force (the model takes the words
    for a person and a place).  Only names of two words or more, and never where the document
    also puts them where places go ("in Devon and Cornwall")."""
    f = ctx.folded
    clipped: dict[str, str] = {}
    for c in found:
        if c.type != "schema:Organization":
            continue
        words = f[c.start : c.end].split()
        k = len(words)
        while k > 0 and words[k - 1].lower() in _FORCE_SUFFIXES:
            k -= 1
        if 2 <= k < len(words) and words[k - 1] not in CONNECTORS:
            clipped.setdefault(" ".join(words[:k]), " ".join(words))
    out = []
    for name in sorted(clipped):
        # where the document puts the words where places go ("in Devon and Cornwall"), they are the
        # force's area, one place (the model makes two of "Devon and Cornwall")
        place = _locative(ctx, name, single=False)
        pattern = r"\s+".join(re.escape(w) for w in name.split())
        for m in re.finditer(rf"(?<![\w-]){pattern}(?![\w-])", f):
            after = f[m.end() : m.end() + 30]
            if any(c.start == m.start() and c.end > m.end() for c in found) or re.match(r"\s+[A-Z]", after):
                continue  # the full name, or a longer name
            if not ctx.is_body(m.start(), m.end()):
                continue
            if place:
                if " and " in name:
                    out.append(Candidate(m.start(), m.end(), "schema:Place", 5, "cue"))
                continue
            out.append(Candidate(m.start(), m.end(), "schema:Organization", 5, "cue", names=[clipped[name]],
                                 weak=True, link="clip"))
    return out


#: Capitalised words that open sentences without being names.
_COMMON_CAPITALISED = frozenset(
    ["a", "an", "the", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "our", "their", "his", "her", "in", "on", "at", "of", "for", "from", "by", "with", "as", "after", "before", "during", "while", "when", "where", "what", "who", "which", "why", "how", "but", "and", "or", "so", "yet", "also", "again", "even", "many", "most", "some", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "other", "another", "officers", "officer", "police", "among", "according", "over", "since", "until", "unless", "if", "though", "although", "however", "meanwhile", "speaking", "included", "examples", "evidence", "colleagues", "messages", "hopefully", "elsewhere", "unsurprisingly", "nevertheless", "instead"]
)


def _honorific_candidates(ctx: Context) -> list[Candidate]:
    out = []
    hons = sorted(ctx.vocab.honorifics, key=len, reverse=True)
    pattern = re.compile(
        r"\b(?P<hon>" + "|".join(re.escape(h) for h in hons) + r")\.?[ \t]+"
        r"(?P<name>[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+){0,2}(?:[ \t]+of[ \t]+[A-Z][\w'’-]+)?)"
    )
    for m in pattern.finditer(ctx.folded):
        if not ctx.is_body(m.start(), m.end()):
            continue
        s, e = _clean(ctx, m.start(), m.end("name"))
        name_s, name_e = _clean(ctx, m.start("name"), m.end("name"))
        bare = ctx.folded[name_s:name_e]
        single = " " not in bare  # "Mr Roe", "Baroness Smith": a surname with a style
        names = [] if single else [bare]
        out.append(Candidate(s, e, "schema:Person", 6, "honorific", names=names, weak=single,
                             link="honorific" if single else None))
    return out


#: (not a name that goes on with "of"/"for" and a capital: "Director General Independent Office for
#: Police Conduct" is a title before an organisation)
_NAME_AFTER_TITLE = re.compile(
    r"[ \t]+(?P<name>[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+){0,2})(?![\w'’-]|[ \t]+[A-Z]|[ \t]+(?:of|for|and|&)[ \t]+[A-Z])"
)
#: "Director of Major Investigations Jane Roe", "regional director for Wales, Jane Roe": a title with
#: its department or area, then the name.
_AREA_THEN_NAME = re.compile(r"[ \t]+(?:for|of)[ \t]+(?P<run>[A-Z][\w'’-]+(?:,?[ \t]+[A-Z][\w'’-]+){1,6})(?![\w'’-])")


#: "Jane Roe, head of …", "Jane Roe, the force's chief constable": a full name, then a comma and the title.
_NAME_BEFORE_TITLE = re.compile(
    r"(?<![\w'’-])(?P<name>[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+){1,2}),[ \t]+(?:(?:the|a|an)[ \t]+)?"
    r"(?:[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*){0,4}(?:’s|'s)[ \t]+)?$"
)


def _appositive_candidates(ctx: Context, ts: int) -> list[Candidate]:
    """A full name right before ", TITLE" names a person ("Rosemary Roe, head of the Special
    Division, said"), where the model missed it: two or three capitalised words, none of them a
    word that heads an organisation's, a place's or a document's name."""
    lead = ctx.folded[max(0, ts - 120) : ts]
    m = _NAME_BEFORE_TITLE.search(lead)
    if m is None:
        return []
    base = ts - len(lead)
    s, e = base + m.start("name"), base + m.end("name")
    words = ctx.folded[s:e].split()
    heads = {h for etype in ("schema:Organization", "schema:Place", "schema:CreativeWork", "kg:Investigation",
                             "schema:NewsMediaOrganization") for h in ctx.vocab.heads.get(etype, ())}
    if any(w in heads or w.lower() in _COMMON_CAPITALISED or w.lower() in CALENDAR for w in words):
        return []
    if any(w.lower() in {h.lower() for h in ctx.vocab.honorifics} for w in words) or not ctx.is_body(s, e):
        return []
    if lexicon.find(ctx.lower, "roles", s, e):
        return []  # "Chief Constable, head of …": a title, not a name
    return [Candidate(s, e, "schema:Person", 5, "title")]


#: Capitalised words right before a title: "Northshire Police" of "Northshire Police Commissioner".
_ORG_BEFORE_TITLE = re.compile(r"(?<![\w'’-])(?P<name>[A-Z][\w&'’-]*(?:[ \t]+(?:and[ \t]+|of[ \t]+)?[A-Z][\w&'’-]*){0,5})[ \t]+$")


def _title_candidates(ctx: Context) -> list[Candidate]:
    """A name right after a job title is a person's ("Chief Constable Jane Roe said",
    "Regional Director Jane Roe"), however the model reads the words (it often takes a
    sentence-initial "Constable Jane Roe" for an organisation); the title is not part of it.
    So is a full name right before ", TITLE" (see :func:`_appositive_candidates`)."""
    out = []
    honorifics = {h.lower() for h in ctx.vocab.honorifics}
    org_heads = set(ctx.vocab.heads.get("schema:Organization", ()))
    for ts, te, _concept in lexicon.find(ctx.lower, "roles", 0, len(ctx.lower)):
        out.extend(_appositive_candidates(ctx, ts))
        # "Northshire Police Commissioner Jane Roe": the organisation before a capitalised title
        before = _ORG_BEFORE_TITLE.search(ctx.folded, max(0, ts - 80), ts)
        if before is not None and ctx.folded[ts].isupper() and ctx.is_body(before.start("name"), before.end("name")):
            first = ctx.folded[ts:te].split()[0]
            if before.group("name").split()[-1] in org_heads:
                out.append(Candidate(before.start("name"), before.end("name"), "schema:Organization", 5, "title"))
            elif first in org_heads and " " in ctx.folded[ts:te].strip():
                # "Northshire Police Commissioner": the title "Police Commissioner" opens with the force's head
                out.append(Candidate(before.start("name"), ts + len(first), "schema:Organization", 5, "title"))
        m = _NAME_AFTER_TITLE.match(ctx.folded, te)
        span = (m.start("name"), m.end("name")) if m else None
        area = _AREA_THEN_NAME.match(ctx.folded, te)
        if area is not None:
            span = _name_after_area(ctx, area.start("run"), area.end("run"))
            if span is not None and re.match(r"[ \t]+for\b", ctx.folded[te : te + 6]):
                # "director for Wales Jane Roe": the area is a place
                ps, pe = _clean(ctx, area.start("run"), span[0])
                if pe > ps and ctx.is_body(ps, pe):
                    out.append(Candidate(ps, pe, "schema:Place", 5, "title"))
        if span is None or ctx.folded[span[0] : span[1]].split()[0].lower().rstrip(".") in honorifics:
            continue  # "Commissioner Sir Jane Roe": the honorific rule reads it
        s, e = _clean(ctx, *span)
        if e <= s or not ctx.is_body(s, e):
            continue
        single = " " not in ctx.folded[s:e]
        out.append(Candidate(s, e, "schema:Person", 6, "title", weak=single, link="title" if single else None))
    return out


def _name_after_area(ctx: Context, start: int, end: int) -> tuple[int, int] | None:
    """The name at the end of "… for|of AREA NAME": the model's person there, or after a comma,
    or else the last two words when at least one word is left for the area."""
    for ent in ctx.ner.ents:
        if ent.label_ == "PERSON" and start < ent.start_char and ent.end_char == end:
            return ent.start_char, ent.end_char
    text = ctx.folded[start:end]
    comma = text.rfind(",")
    if comma >= 0:
        s = start + comma + 1
        while ctx.folded[s] in " \t":
            s += 1
        return s, end
    words = list(re.finditer(r"[\w'’-]+", text))
    if len(words) >= 3:
        return start + words[-2].start(), end
    return None


def _publisher_candidates(ctx: Context) -> list[Candidate]:
    """The publisher's own name, from the metadata: an organisation, whatever its words suggest
    ("… tells The Harbour Review" is a magazine, not a review of anything)."""
    out = []
    for name in ctx.publisher_names:
        if len(name) < 3:
            continue
        for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", ctx.folded):
            if ctx.is_body(m.start(), m.end()):
                out.append(Candidate(m.start(), m.end(), "schema:Organization", 8, "publisher"))
    return out


def _known_candidates(ctx: Context) -> list[Candidate]:
    """Names that are of one kind wherever they stand (``kg:name`` of ``ontology/cues.ttl``): the
    platforms and news outlets of general knowledge ("WhatsApp", "BBC")."""
    out = []
    for name, etype in ctx.vocab.known_names.items():
        for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", ctx.folded):
            if ctx.is_body(m.start(), m.end()):
                out.append(Candidate(m.start(), m.end(), etype, 7, "known"))
    return out


def _ner_candidates(ctx: Context) -> list[Candidate]:
    out = []
    work_heads = set(ctx.vocab.heads.get("schema:CreativeWork", ()))
    # surnames the text writes after an honorific ("Mr Cole"): the word is a person's wherever it stands
    styles = "|".join(sorted((re.escape(h) for h in ctx.vocab.honorifics if h[:1].isupper()), key=len, reverse=True))
    surnames = {m.group(1) for m in re.finditer(rf"\b(?:{styles})\.?\s+([A-Z][a-z][\w'’-]+)\b(?!\s+[A-Z])", ctx.folded)} if styles else set()
    for ent in ctx.ner.ents:
        etype = NER_TYPES.get(ent.label_)
        if etype is None:
            continue
        s, e = ent.start_char, ent.end_char
        if not ctx.is_body(s, e) and not (ctx.is_masthead(s, e) and etype == "schema:Organization"):
            continue
        if ent.label_ != "PERSON" and ent.text.strip() in surnames:
            etype = "schema:Person"  # "Julian Cole" … "Mr Cole": the model took "Cole" for a product
        if etype == "schema:Person":
            s = _given_name_before(ctx, s)
        # split "X's Y" into two names, but for an institution named so ("Gwent Coroner's Court")
        seg = ctx.folded[s:e]
        m = re.search(rf"'s\s+(?=[A-Z])(?!(?:{'|'.join(_INSTITUTIONS)})\b)", seg)
        parts = [(s, s + m.start()), (s + m.end(), e)] if m else [(s, e)]
        for ps, pe in parts:
            law = re.match(r"(?:[ \t]+etc\.)?[ \t]+(?P<head>[A-Z][a-z]+)\b(?:[ \t]+\d{4}\b)?", ctx.folded[pe : pe + 24])
            if law and law.group("head") in work_heads and etype != "schema:Person":
                # "the Health and Safety at Work etc. Act": the model stopped short of the law's head;
                # the title without "etc." is the same law's
                whole = " ".join(ctx.folded[ps : pe + law.end()].split())
                plain = whole.replace(" etc. ", " ")
                out.append(Candidate(ps, pe + law.end(), "schema:CreativeWork", 3, "ner", names=[plain] if plain != whole else []))
                continue
            words = ctx.folded[ps:pe].split()
            last = words[-2] if len(words) > 2 and re.fullmatch(r"\d{4}", words[-1]) else words[-1]
            if len(words) >= 2 and last in work_heads:
                # "the Health and Safety at Work Act 1974": a law, whatever the model makes of it
                out.append(Candidate(ps, pe, "schema:CreativeWork", 3, "ner"))
                continue
            out.append(Candidate(ps, pe, etype, 2, "ner"))
    return out


def _given_name_before(ctx: Context, start: int) -> int:
    """Where a person's name starts when the model left its first given name out ("Mohamud" of
    "Mohamud Mohamed Hassan", taken for a place): one capitalised word right before it that is no
    title, honorific, month, name head or ordinary word, and that the text never uses as a place."""
    m = re.search(r"(?<![\w'’.-])([A-Z][a-z][\w'’-]*) $", ctx.folded[max(0, start - 30) : start])
    if m is None:
        return start
    word = m.group(1)
    s = start - len(m.group(0))
    heads = {h for hs in ctx.vocab.heads.values() for h in hs}
    if (word.lower() in _COMMON_CAPITALISED or word.lower() in CALENDAR or word in heads
            or word.lower() in {h.lower() for h in ctx.vocab.honorifics} or lexicon.find(ctx.lower, "roles", s, start)
            or _LEAD_FUNCTION.match(word + " X") or _locative(ctx, word, single=True)):
        return start
    if re.search(r"[A-Z][\w'’-]* $", ctx.folded[max(0, s - 30) : s]) or not ctx.is_body(s, start):
        return start  # "Chief Superintendent Mohamed …": a longer run is not a given name
    return s


_TIME = re.compile(r"^\d{1,2}(?:[.:]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)$|^\d", re.I)
# (matched at a candidate's start with ``pattern.match(text, pos)``: no ``^``, which would match
# only at the start of a line)
_LEAD_NOISE = re.compile(
    rf"(?:date\s+)?\d{{4}}-\d{{2}}-\d{{2}}\s+|(?:{COUNT_RE})\s+(?=[A-Z])|(?:area|areas|county|city|town|borough)\s+of\s+"
    r"|(?:calls?|pleas?|appeals?|bids?)\s+for\s+(?=[A-Z])",
    re.I,
)


#: Words the model sometimes takes into a name that opens a sentence ("Since Child Q", "Both Walters").
_LEAD_FUNCTION = re.compile(
    r"(?:since|both|but|and|or|so|yet|also|again|even|when|while|after|before|during|if|though|although|however|"
    r"meanwhile|nevertheless|instead|until|unless|as|at|in|on|of|for|from|by|with|this|that|these|those|it|its|he|"
    r"she|they|we|our|their|his|her|what|who|which|why|how|where|all|many|most|some|every|each|any|no|dear|today|"
    r"yesterday|former|formerly|then|now|new|ex)\s+(?=[A-Z])",
    re.I,
)


_WORD_OF_NAME = re.compile(r"(?P<word>[A-Z][a-z]+)[ \t]+of[ \t]+(?P<name>[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+){1,2})$")


def _person_after_of(ctx: Context, start: int, end: int) -> int:
    """Where the name starts in "Death of Jane Roe" (a headline the model takes for one name):
    after "WORD of", when the words after it are a person's, whose surname the text writes with an
    honorific ("Ms Roe"), and WORD heads no name ("Office of …", "Bank of …" stay whole)."""
    m = _WORD_OF_NAME.match(ctx.folded, start, end)
    if m is None:
        return start
    heads = {h for hs in ctx.vocab.heads.values() for h in hs}
    if m.group("word") in heads or lexicon.find(ctx.lower, "roles", start, m.end("word")):
        return start
    surname = m.group("name").split()[-1]
    hons = "|".join(re.escape(h) for h in sorted(ctx.vocab.honorifics, key=len, reverse=True))
    if not re.search(rf"\b(?:{hons})\.?[ \t]+{re.escape(surname)}\b", ctx.folded):
        return start
    return m.start("name")


def _trim(ctx: Context, c: Candidate) -> list[Candidate]:
    """A candidate cut to what can be a name: never across a line break (a heading and the line
    after it are two things), without a date or a count in front ("2022-06-28 Two West Midlands
    Police officers"), without a job title in front of an organisation ("Chief Constable of
    Gwent Police")."""
    f = ctx.folded
    pieces: list[tuple[int, int]] = []
    start = c.start
    # never across a line break; never past a spaced dash ("Jane Roe – Detention officer": what
    # follows the dash says what the name is, and other rules find a name there)
    dash = re.search(r"[ \t][–—-][ \t]", f[c.start : c.end])
    end = c.start + dash.start() if dash else c.end
    for m in re.finditer(r"\n", f[c.start : end]):
        pieces.append((start, c.start + m.start()))
        start = c.start + m.end()
    pieces.append((start, end))
    out: list[Candidate] = []
    for ps, pe in pieces:
        ps, pe = _clean(ctx, ps, pe)
        if pe <= ps:
            continue
        while True:
            lead = _LEAD_NOISE.match(f, ps, pe)
            if not lead or lead.end() >= pe:
                lead = _LEAD_FUNCTION.match(f, ps, pe) if c.source == "ner" else None
                if not lead or lead.end() >= pe:
                    break
            ps = lead.end()
        if c.type == "schema:Person" and c.source == "ner":
            # "Campaigner Amir Okoro", "Footballer Jane Roe": a word for what the person is, not a name
            lead = _PERSON_WORD.match(f, ps, pe)
            if lead and lead.end() < pe and " " in f[lead.end() : pe].strip():
                ps = lead.end()
        if c.source == "ner":
            ps = _person_after_of(ctx, ps, pe)
        if c.type in ("schema:Organization", "schema:Place", "schema:NewsMediaOrganization"):
            title = lexicon.find(ctx.lower, "roles", ps, pe)
            if title and title[0][0] == ps:
                of = re.match(r"\s+(?:of|for|at)\s+(?:the\s+)?", f[title[0][1] : pe])
                if of:
                    ps = title[0][1] + of.end()
                elif re.match(r"\s+(?:&|and)\s+", f[title[0][1] : pe]):
                    continue  # "Home Secretary & Justice Secretary": two titles, no name
                elif (gap := re.match(r"[ \t]+(?=[A-Z])", f[title[0][1] : pe])):
                    ps = title[0][1] + gap.end()  # "Director General Independent Office for Police Conduct"
        ps, pe = _clean(ctx, ps, pe)
        streets = _TWO_STREETS.fullmatch(f, ps, pe) if c.type == "schema:Place" else None
        if streets:
            # "the junction of Marsh Road and Willow Way": two streets
            out.extend(Candidate(streets.start(g), streets.end(g), "schema:Place", 4, "cue") for g in ("a", "b"))
            continue
        if pe > ps:
            piece = Candidate(ps, pe, c.type, c.priority, c.source, list(c.names), c.weak, list(c.defines), list(c.parts), c.link,
                              c.office)
            out.append(piece)
    return out


_STREET = r"(?:Road|Street|Lane|Avenue|Way|Drive|Close|Crescent|Terrace|Grove|Gardens|Row|Walk|Parade)"
#: Two streets named together: "Marsh Road and Willow Way".
_TWO_STREETS = re.compile(rf"(?P<a>(?:[A-Z][\w'’-]*\s+){{1,3}}{_STREET})\s+and\s+(?P<b>(?:[A-Z][\w'’-]*\s+){{1,3}}{_STREET})")


def _acceptable(ctx: Context, c: Candidate) -> bool:
    surface = ctx.folded[c.start : c.end]
    key = normalize_name(surface)
    if not surface or not any(ch.isalpha() for ch in surface):
        return False
    if c.source == "ner" and c.type == "schema:Place" and " " not in surface and re.search(r"(?:ers|ians|ites)$", surface):
        return False  # a demonym ("Northshirers"), not a place
    if key in ctx.vocab.generic or key in PRONOUNS:
        return False
    if surface in ctx.vocab.not_names or surface.rstrip("s") in ctx.vocab.not_names:
        return False  # a rank ("DCI"), an offence ("ABH"), a technique ("CCTV")
    if _TIME.match(surface):
        return False  # "8.53am", "2023-07-19", "999"
    if re.search(r":\s*\d", surface):
        return False  # a form's field and its value: "Date of report: 12/02/2024"
    words = surface.split()
    if words[0] in ctx.vocab.heads.get("none", ()) and (len(words) == 1 or re.fullmatch(r"[\dIVXivx().\-–]+[a-z]?", words[-1])):
        return False  # "Paragraph 7", "Schedule 5"
    if len(words) >= 2 and any(surface.startswith(make + " ") for make in ctx.vocab.prefixes.get("none", ())):
        return False  # "Volkswagen Tiguan": a car, not the maker
    if c.source in ("ner", "cue") and _is_title(ctx, c.start, c.end):
        return False  # a job title or a rank on its own ("Police Constable", "the Home Secretary")
    if c.source in ("ner", "cue") and len(words) >= 2 and _headline_capitals(ctx, c.start, c.end):
        return False  # "… at Riverton School" in a headline, "a school in Riverton" in the text
    if c.source == "ner" and any(s <= c.start and c.end <= e and (s, e) != (c.start, c.end)
                                 for s, e, _c in lexicon.find(ctx.lower, "roles", max(0, c.start - 40), c.end + 40)):
        return False  # "Regional" of "Regional Director Jane Roe": a word of a title
    return _is_capitalised(surface) and not surface.isdigit()


def _headline_capitals(ctx: Context, start: int, end: int) -> bool:
    """Whether the name at ``[start, end)`` is capitalised only in the headline: the text below
    never writes it, and describes it by its last word in lower case and where it is ("Strip
    search at Riverton School" over "a school in Riverton").  ("Riverton police" under "Riverton Police"
    is a style of the name, not a description.)"""
    title = ctx.doc.title
    if title is None or not (title.start <= start and end <= title.end):
        return False
    f = ctx.folded
    body = f[title.end :]
    words = f[start:end].split()
    rest = r"\s+".join(re.escape(w) for w in words[:-1])
    head = re.escape(words[-1].lower())
    if re.search(r"(?<![\w-])" + r"\s+".join(re.escape(w) for w in words) + r"(?![\w-])", body):
        return False
    return re.search(rf"(?<![\w-]){head}\s+(?:in|at|near)\s+{rest}(?![\w-])", body) is not None


def _is_title(ctx: Context, start: int, end: int) -> bool:
    """Whether ``[start, end)`` is only a job title, a rank or an honorific (with its qualifiers)."""
    surface = ctx.folded[start:end]
    if surface.rstrip(".") in ctx.vocab.honorifics:
        return True
    found = lexicon.find(ctx.lower, "roles", start, end)
    if not found:
        return False
    if found[-1][2] == "title:reporter" and found[-1][1] == end:
        return True  # "Home Affairs Correspondent", "Crime Reporter": a beat and a journalist's title
    rest = ctx.lower[start:end]
    for s, e, _c in found:
        rest = rest.replace(ctx.lower[s:e], " ", 1)
    return not re.sub(r"\b(?:the|of|for|trainee|acting|temporary|deputy|assistant|detective|senior|chief|former|then|police|home|lead|head)\b", " ", rest).strip(" ,.-'")


#: Words before a name that say it is a person's ("former player Jane Roe", "her son Sam Roe").
_PERSON_BEFORE = re.compile(
    r"\b(?:player|footballer|officer|constable|sergeant|inspector|man|woman|boy|girl|victim|father|mother|son|"
    r"daughter|brother|sister|wife|husband|partner|teenager|student|pupil|driver|passenger|colleague|neighbour|"
    r"friend|campaigner|activist|solicitor|barrister|lawyer|judge|coroner|pathologist|witness|complainant|"
    r"resident|nurse|doctor|paramedic|aged\s+\d+|named\s+as|called)\s+$",
    re.I,
)
#: A word for what someone is that a headline puts before the name ("Campaigner Amir Okoro").
_PERSON_WORD = re.compile(
    r"(?:campaigner|activist|footballer|player|officer|constable|sergeant|inspector|detective|teenager|student|"
    r"pensioner|mother|father|victim|widow|grandmother|grandfather|teacher|nurse|doctor|solicitor|barrister|"
    r"lawyer|witness|whistleblower|councillor|mp|minister|chief|former|ex-officer)\s+(?=[A-Z])",
    re.I,
)
#: Words before a name that say it is a place ("in Culcheth", "near Telford").
_PLACE_BEFORE = re.compile(r"(?:\b(?:in|near|across|around|outside|within|throughout|towards|north\s+of|south\s+of|east\s+of|west\s+of"
                           r"|(?:the\s+)?(?:area|county|region|borough)\s+of)|\b(?:area|county|region|borough):)\s+$", re.I)


#: A word for a member of a sports club after a name: the name is the club's ("a former Riverton
#: Rovers player"), though the words may also name a place.
_CLUB_AFTER = re.compile(r"[ \t]+(?:player|players|footballer|footballers|striker|midfielder|defender|goalkeeper"
                         r"|winger|fans|supporters)\b")


def _context_votes(ctx: Context, accepted: list[Candidate]) -> dict[str, tuple[int, str]]:
    """Types the words around a name give, where the model's guess is weaker: a name whose
    surname the document also writes with an honorific or rank ("Dalian Atkinson" … "Mr
    Atkinson"), with an age ("Jane Roe, 43,"), or after a word for a person is a person's; a
    name after "in", "near", … or after a place and a comma or "and" ("Newport, Gwent", "England and
    Wales") is a place's."""
    f = ctx.folded
    heads = {h for etype, hs in ctx.vocab.heads.items() if etype not in ("schema:Person",) for h in hs}
    surnames = {f[c.start : c.end].split()[-1] for c in accepted
                if c.source in ("honorific", "title") and c.weak}
    votes: dict[str, tuple[int, str]] = {}
    places: list[tuple[int, int]] = []
    for c in accepted:
        surface = " ".join(f[c.start : c.end].split())
        words = surface.split()
        if c.source not in ("ner", "cue") or words[-1] in heads:
            if c.type == "schema:Place":
                places.append((c.start, c.end))
            continue
        before = f[max(0, c.start - 24) : c.start]
        if c.type != "schema:Person" and 2 <= len(words) <= 4 and (
            words[-1] in surnames or re.match(r",\s*\d{1,3},", f[c.end : c.end + 6]) or _PERSON_BEFORE.search(before)
        ):
            votes[surface] = (7, "schema:Person")
            continue
        if c.type in ("schema:Place", "schema:Person") and 2 <= len(words) <= 4 and _CLUB_AFTER.match(f, c.end):
            votes[surface] = (6, "schema:Organization")  # "former Aston Villa player": a club
            continue
        possessive = f[c.end : c.end + 2] in ("'s", "' ")
        eligible = c.source == "ner" and not possessive and (
            c.type == "schema:Organization" or (c.type == "schema:Person" and words[-1] not in surnames and len(words) <= 2)
        )
        if eligible:
            # "Newport, Gwent", "England and Wales": after a place and a comma or "and" (not after a
            # title's area: "the regional director for the North East, Jane Roe")
            after_comma = (bool(places) and re.fullmatch(r",\s*|\s+and\s+", f[places[-1][1] : c.start]) is not None
                           and not _title_area(ctx, places[-1][0]))
            if after_comma or _locative(ctx, surface, single=len(words) == 1):
                votes[surface] = (3, "schema:Place")
                places.append((c.start, c.end))
                continue
        if c.type == "schema:Place":
            places.append((c.start, c.end))
    return votes


def _title_area(ctx: Context, start: int) -> bool:
    """Whether the place at ``start`` is a job title's area: "regional director for the North East"."""
    lead = re.search(r"[ \t]+for[ \t]+(?:the[ \t]+)?$", ctx.folded[max(0, start - 12) : start])
    if lead is None:
        return False
    end = start - len(lead.group())
    return any(e == end for _s, e, _c in lexicon.find(ctx.lower, "roles", max(0, end - 60), end))


@functools.lru_cache(maxsize=1024)
def _locative_pattern(surface: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(surface)}(?![\w-]|'s|’s)")


def _locative(ctx: Context, surface: str, single: bool) -> bool:
    """Whether the document puts the name where places go, anywhere it writes it: "in Culcheth",
    "near Telford", and for a single word "from Eastmoor"."""
    f = ctx.folded
    for m in _locative_pattern(surface).finditer(f):
        before = f[max(0, m.start() - 24) : m.start()]
        if _PLACE_BEFORE.search(before) or (single and re.search(r"\bfrom\s+$", before, re.I)):
            return True
    return False


def _line_initial(ctx: Context, start: int) -> bool:
    line_start = ctx.folded.rfind("\n", 0, start) + 1
    return not re.search(r"\w", ctx.folded[line_start:start])


def _corroborated(ctx: Context, cands: list[Candidate]) -> list[Candidate]:
    """A capitalised word that opens a sentence or a line is not a name on that ground alone
    ("Neighbours had called", "Toxicology showed", a heading "Notes"): a single word the model
    alone found there is kept when the document also writes it capitalised inside a sentence, or
    in a longer name, or it is an acronym or a name kg knows."""
    f = ctx.folded
    inner: set[str] = set()
    for c in cands:
        words = f[c.start : c.end].split()
        if len(words) > 1 or not (_sentence_initial(ctx, c.start) or _line_initial(ctx, c.start)):
            inner.update(words)
    for m in re.finditer(r"(?<=[a-z,;:] )[A-Z][\w'’-]+", f):
        inner.add(m.group(0))
    out = []
    for c in cands:
        surface = f[c.start : c.end]
        single = " " not in surface
        initial = _sentence_initial(ctx, c.start) or _line_initial(ctx, c.start)
        if (c.source == "ner" and single and initial and surface not in inner and not surface.isupper()
                and surface not in ctx.vocab.known_names):
            continue
        out.append(c)
    return out


def _resolve_overlaps(cands: list[Candidate]) -> list[Candidate]:
    # "the CPS Special Crime Division": an organisation's acronym or name that opens a longer
    # organisation's name is part of it (a unit of the organisation), not a mention of its own
    units = [c for c in cands if c.source == "cue" and c.type == "schema:Organization"]
    cands = [
        c for c in cands
        if not (c.source in ("acronym", "publisher", "known") and not c.defines
                and any(u.start == c.start and u.end > c.end for u in units))
    ]
    cands = sorted(cands, key=lambda c: (-c.priority, -c.length, c.start))
    taken: list[Candidate] = []
    for c in cands:
        if any(c.start < t.end and t.start < c.end for t in taken):
            continue
        taken.append(c)
    return sorted(taken, key=lambda c: c.start)


class _Clusters:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


#: Words that can end an organisation's name without changing which organisation it is
#: ("Northshire Police" and "Northshire Police Service").
GENERIC_SUFFIXES = frozenset({"service", "force"})


#: A name a person went by: "Beech, who was known as Nick", "Carl Beech (referred to in the
#: documents as ‘Nick’)", "Jane Roe, also known as Jay".
_KNOWN_AS = re.compile(
    r"(?P<who>[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+){0,3})(?:,[ \t]+who[ \t]+(?:was|is|had[ \t]+been)[ \t]+|[ \t]*\([ \t]*|,?[ \t]+)"
    r"(?:also[ \t]+)?(?:known|referred[ \t]+to)(?:[ \t]+in[ \t]+[^,;()]{1,40}?)?[ \t]+as[ \t]+['‘“\"]?(?P<alias>[A-Z][\w-]+)\b"
)


#: A byline: "By Jane Roe", "By Jane Roe and Sam Poe", "By Jane Roe, Home Affairs Correspondent".
_BYLINE = re.compile(r"(?m)^[ \t]*By[ \t]+(?P<a>[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+){1,3})"
                     r"(?:[ \t]*(?:and|&)[ \t]+(?P<b>[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+){1,3}))?[ \t]*(?=,|$)")


def _byline_candidates(ctx: Context) -> list[Candidate]:
    """The people a byline names, whatever the model makes of them (it takes some for organisations)."""
    out = []
    for m in _BYLINE.finditer(ctx.folded):
        for g in ("a", "b"):
            if m.group(g) and (ctx.is_body(m.start(g), m.end(g)) or ctx.is_masthead(m.start(g), m.end(g))):
                out.append(Candidate(m.start(g), m.end(g), "schema:Person", 6, "cue"))
    return out


def _known_as_candidates(ctx: Context) -> list[Candidate]:
    """The name a person went by ("… known as Nick"), which the model may not take for a name."""
    return [Candidate(m.start("alias"), m.end("alias"), "schema:Person", 5, "cue")
            for m in _KNOWN_AS.finditer(ctx.folded) if ctx.is_body(m.start(), m.end())]


#: A law named with its year: "Mental Health Act 1983", "Coroners (Investigations) Regulations 2013".
_DATED_LAW = re.compile(r"(.+?[ \t](?:Act|Regulations|Order|Rules))[ \t]+(?:19|20)\d\d")
#: "Olaseni (Seni) Lewis": a given name, the short name the person went by, and the surname.
_NICKNAMED = re.compile(r"\b(?P<given>[A-Z][a-z'’-]+)[ \t]+\((?P<nick>[A-Z][a-z'’-]+)\)[ \t]+(?P<surname>[A-Z][a-z'’-]+)\b")


def _nickname_candidates(ctx: Context) -> list[Candidate]:
    """A person named with the short name they went by in brackets: one person, named in full
    ("Olaseni Lewis") and by the short name ("Seni Lewis"); the bracketed form is no name of its own."""
    out = []
    heads = {h for hs in ctx.vocab.heads.values() for h in hs}
    for m in _NICKNAMED.finditer(ctx.folded):
        if not ctx.is_body(m.start(), m.end()):
            continue
        given, nick, surname = m.group("given", "nick", "surname")
        if given[-1] in "'’" or {given, nick, surname} & heads:
            continue  # "Coroners’ (Investigations) Regulations": a title, not a person
        out.append(Candidate(m.start(), m.end(), "schema:Person", 6, "cue", names=[f"{given} {surname}", f"{nick} {surname}"],
                             weak=True))
    return out


def _clips(short: list[str], full: list[str]) -> bool:
    """ "North Police" clips "Northshire Police Service": each word a word or prefix, in order.

    A name that is the first words of another is the same organisation only when the rest is a
    generic suffix ("… Police" / "… Police Service"); "North Press Bureau" is part of "North", not it.
    """
    if not short or not full or not full[0].lower().startswith(short[0].lower()):
        return False
    if short == full[: len(short)]:
        rest = [w.lower() for w in full[len(short) :]]
        return bool(rest) and all(w in GENERIC_SUFFIXES for w in rest)
    if short[0] == full[0] and len(short) == 1:
        return False
    j = 0
    for w in short:
        while j < len(full) and not (full[j].lower() == w.lower() or (len(w) >= 3 and full[j].lower().startswith(w.lower()))):
            j += 1
        if j == len(full):
            return False
        j += 1
    return True


#: "the Office of the Chief Constable for Northshire Police", "the Office of the Police and Crime
#: Commissioner for Eastfold": the legal person of a public office, one name with the office's
#: title and the area or body it serves (the small "of the" keeps the name runs apart).
_OFFICE_OF = re.compile(
    r"\bOffice[ \t]+of[ \t]+the[ \t]+[A-Z][\w'’-]*(?:[ \t]+(?:and[ \t]+)?[A-Z][\w'’-]*){0,5}"
    r"(?:[ \t]+(?:for|of)[ \t]+(?:the[ \t]+)?[A-Z][\w'’-]*(?:[ \t]+(?:and[ \t]+|of[ \t]+)?[A-Z][\w'’-]*){0,5})?"
)


def _office_candidates(ctx: Context) -> list[Candidate]:
    """The legal persons of public offices; the office alone ("the Office of the Chief Constable")
    is a weak name of the one the document names with what it serves (link kind "office")."""
    out = []
    for m in _OFFICE_OF.finditer(ctx.folded):
        if not ctx.is_body(m.start(), m.end()):
            continue
        tail = re.search(r"[ \t]+(?:for|of)[ \t]+(?:the[ \t]+)?[A-Z]", m.group()[len("Office of the "):])
        office = m.group()[: len("Office of the ") + tail.start()] if tail else None
        out.append(Candidate(m.start(), m.end(), "schema:Organization", 6, "cue", office=office))
    return out


@dataclass
class _Forms:
    """The names a document gives its entities, clustered: which forms are one entity, the types
    each form was given (with the priority of the rule that gave it), the weak forms and how each
    may link across documents."""

    uf: _Clusters = field(default_factory=lambda: _Clusters())
    types: dict[str, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))  # form -> [(priority, type)]
    weak: set[str] = field(default_factory=set)
    links: dict[str, str] = field(default_factory=dict)  # weak form -> how it may link across documents
    #: the forms the candidates gave, before the document's own evidence linked them (what the
    #: entities are made of: a form found while linking only joins one)
    all: list[str] = field(default_factory=list)

    def type_of(self, form: str) -> str:
        return max(self.types[form])[1] if self.types.get(form) else "schema:Organization"


def find(ctx: Context) -> None:
    """Find the document's named entities and register them, with every mention, in ``ctx``: the
    candidates of every rule, the forms they give clustered into entities (on the document's own
    evidence), one draft per entity, and a mention wherever a form stands."""
    forms = _forms_of(ctx, _accepted_candidates(ctx))
    _link_in_document(ctx, forms)
    _mention_every_form(ctx, _register_entities(ctx, forms))


def _accepted_candidates(ctx: Context) -> list[Candidate]:
    """Every rule's candidates, trimmed, acceptable, corroborated, and the best where two overlap."""
    raw = (
        _acronym_candidates(ctx)
        + _office_candidates(ctx)
        + _honorific_candidates(ctx)
        + _title_candidates(ctx)
        + _cue_candidates(ctx)
        + _publisher_candidates(ctx)
        + _known_candidates(ctx)
        + _ner_candidates(ctx)
        + _known_as_candidates(ctx)
        + _nickname_candidates(ctx)
        + _byline_candidates(ctx)
    )
    cleaned: list[Candidate] = []
    for c0 in raw:
        for c in _trim(ctx, c0):
            if _acceptable(ctx, c):
                cleaned.append(c)
    cleaned = _corroborated(ctx, cleaned)
    accepted = _resolve_overlaps(cleaned)

    return accepted


def _forms_of(ctx: Context, accepted: list[Candidate]) -> _Forms:
    """The forms the accepted candidates give, with the names each candidate says are the same
    (its extra names, acronyms, parts, the law without its year, the office alone), the types the
    words around them vote for, and one cluster per name written alike."""
    f = ctx.folded
    forms = _Forms()
    uf, types, weak_forms, links = forms.uf, forms.types, forms.weak, forms.links
    for c in accepted:
        surface = " ".join(f[c.start : c.end].split())
        uf.find(surface)
        types[surface].append((c.priority, c.type))
        if c.weak:
            weak_forms.add(surface)
            if c.link:
                links.setdefault(surface, c.link)
        for n in c.names:
            n = " ".join(n.split())
            uf.union(surface, n)
            types[n].append((c.priority - 1, c.type))
        # "the Mental Health Act 1983" is "the Mental Health Act" of another text, where that text
        # names no other Act of the name (a weak name: it links across documents on evidence)
        dated = _DATED_LAW.fullmatch(surface) if c.type == "schema:CreativeWork" else None
        if dated:
            uf.union(surface, dated.group(1))
            types[dated.group(1)].append((c.priority - 1, c.type))
            weak_forms.add(dated.group(1))
            links.setdefault(dated.group(1), "clip")
        short = " ".join(c.office.split()) if c.office else ""
        if short and surface.startswith(short + " "):
            uf.union(surface, short)
            types[short].append((c.priority - 1, c.type))
            weak_forms.add(short)
            links.setdefault(short, "office")
        for n in c.parts:
            n = " ".join(n.split())
            if _locative(ctx, n, single=" " not in n):
                continue  # "died in custody in Riverton": the document uses the words for the town too
            uf.union(surface, n)
            types[n].append((c.priority - 1, c.type))
            weak_forms.add(n)
        for i, (ds, de) in enumerate(c.defines):
            abbr = f[ds:de]
            uf.union(surface, abbr)
            types[abbr].append((c.priority, c.type))
            weak_forms.add(abbr)
            # "(IOPC - formerly IPCC)": the second is the name it had before
            links[abbr] = "former" if i > 0 else "acronym"

    for surface, vote in _context_votes(ctx, accepted).items():
        types[surface].append(vote)

    # same name ignoring case and articles
    by_key: dict[str, list[str]] = defaultdict(list)
    for form in sorted(types):
        by_key[normalize_name(form)].append(form)
    for group in by_key.values():
        for other in group[1:]:
            uf.union(group[0], other)

    return forms


def _link_in_document(ctx: Context, forms: _Forms) -> None:
    """The forms the document's own words make one entity: a unit named with and without its
    parent's acronym, a person with and without a middle name, a name the person went by; then the
    short forms (see :func:`_link_short_forms`)."""
    f = ctx.folded
    uf, types, type_of = forms.uf, forms.types, forms.type_of
    all_forms = forms.all = sorted(types)
    persons = [x for x in all_forms if type_of(x) == "schema:Person" and len(x.split()) > 1]
    orgs = [x for x in all_forms if type_of(x) == "schema:Organization" and len(x.split()) > 1]
    honorifics = set(ctx.vocab.honorifics)
    # "the CPS Special Crime Division" and "the CPS’s Special Crime Division": one unit, named with
    # and without its parent's acronym in front
    for form in orgs:
        first, _, rest = form.partition(" ")
        if re.fullmatch(r"[A-Z][A-Z0-9&]{1,9}", first) and len(rest.split()) >= 2 and type_of(rest) == "schema:Organization":
            uf.union(rest, form)
    # "Mohamud Hassan" and "Mohamud Mohamed Hassan": one person named with and without a middle name
    for short in persons:
        sw = short.split()
        fuller = [p for p in persons if len(p.split()) > len(sw) and p.split()[0] == sw[0] and p.split()[-1] == sw[-1]
                  and set(sw) <= set(p.split())]
        if len({uf.find(p) for p in fuller}) == 1:
            uf.union(short, fuller[0])
    # "Beech, who was known as Nick", "Carl Beech (referred to … as ‘Nick’)": a name the person went by
    for known in _KNOWN_AS.finditer(f):
        who, alias = known.group("who"), known.group("alias")
        if not ctx.is_body(known.start(), known.end()):
            continue
        # the person as written, or the one person the text names with that surname ("Roe")
        named = [who] if who in types and type_of(who) == "schema:Person" else [p for p in persons if p.split()[-1] == who]
        if len({uf.find(p) for p in named}) == 1:
            uf.union(alias, named[0])
            types[alias].append((9, "schema:Person"))
    _link_short_forms(ctx, forms, all_forms, persons, orgs, honorifics)


def _link_short_forms(ctx: Context, forms: _Forms, all_forms: list[str], persons: list[str], orgs: list[str],
                      honorifics: set[str]) -> None:
    """Surnames, honorific forms, given names, clipped names and acronyms: each joins the one
    entity of the document it can be a short form of (a weak name)."""
    uf, types, weak_forms, links, type_of = forms.uf, forms.types, forms.weak, forms.links, forms.type_of
    # longer forms first, so that a short form meets the clusters the long ones already formed
    for form in sorted(all_forms, key=lambda x: (-len(x.split()), x)):
        words = form.split()
        bare = [w for w in words if w not in honorifics]
        # surnames and honorific forms of a person named in full
        if 1 <= len(bare) <= 2 and (len(words) == 1 or words[0] in honorifics):
            target = [p for p in persons if p != form and p.split()[-1] == bare[-1] and not (set(p.split()) & {"of"} and len(bare) > 1)]
            target = [p for p in target if set(bare) <= set(p.split())] or target
            roots = {uf.find(p) for p in target}
            if len(roots) == 1 and type_of(form) in ("schema:Person", "schema:Organization"):
                uf.union(form, target[0])
                types[form].append((9, "schema:Person"))
                weak_forms.add(form)
                links.setdefault(form, "surname" if len(words) == 1 else "honorific")
                continue
        # a given name alone ("Leon's family", "Mohamud was taken to …"): the one person of the
        # document with that given name, and no surname of it; never a link to other documents
        if (len(words) == 1 and words[0] not in honorifics and form not in links and not form.isupper()
                and type_of(form) in ("schema:Person", "schema:Place", "schema:Organization")
                and not _locative(ctx, form, single=True)):
            target = [p for p in persons if p.split()[0] == form]
            if len({uf.find(p) for p in target}) == 1 and not any(p.split()[-1] == form for p in persons):
                uf.union(form, target[0])
                types[form].append((9, "schema:Person"))
                weak_forms.add(form)
                continue
        # a peer's short style: "Baroness Smith" for "Baroness Smith of Harbourtown"
        if words and words[0] in honorifics:
            target = [p for p in persons if p != form and p.startswith(form + " of ")]
            if len({uf.find(p) for p in target}) == 1:
                uf.union(form, target[0])
                continue
        if type_of(form) == "schema:Place" and len(words) == 2 and words[1].islower():
            # "the Croydon hospital" after "Croydon University Hospital": the one place of the text
            # that the word opens and the head ends, described in lower case (a weak name)
            target = [o for o in all_forms if o != form and type_of(o) in ("schema:Place", "schema:Organization") and len(o.split()) > 2
                      and o.split()[0] == words[0] and o.split()[-1].lower() == words[1]]
            if len({uf.find(o) for o in target}) == 1:
                uf.union(form, target[0])
                weak_forms.add(form)
            continue
        if type_of(form) != "schema:Organization" and type_of(form) != "schema:SoftwareApplication":
            continue
        # acronyms spelled by an organisation's initials
        if re.fullmatch(r"[A-Z][A-Z0-9&]{1,9}", form):
            target = [o for o in orgs if _initials(o.split()).upper() == form]
            if len({uf.find(o) for o in target}) == 1:
                uf.union(form, target[0])
                types[form].append((7, "schema:Organization"))
                weak_forms.add(form)
                links[form] = "acronym"
            continue
        # clipped forms: "North" / "North Police" for "Northshire Police Service"
        target = [o for o in orgs if o != form and _clips(words, o.split())]
        if len({uf.find(o) for o in target}) == 1:
            uf.union(form, target[0])
            types[form].append((7, "schema:Organization"))
            weak_forms.add(form)
            links.setdefault(form, "clip")


def _register_entities(ctx: Context, forms: _Forms) -> dict[str, str]:
    """One draft per cluster: its type by the strongest vote, its label the fullest strong name;
    the key of each form's draft."""
    uf, types, weak_forms, links = forms.uf, forms.types, forms.weak, forms.links
    all_forms = forms.all
    clusters: dict[str, list[str]] = defaultdict(list)
    for form in all_forms:
        clusters[uf.find(form)].append(form)

    # register drafts
    key_of_form: dict[str, str] = {}
    for members in clusters.values():
        ctype_votes: dict[str, int] = defaultdict(int)
        for m in members:
            for prio, t in types[m]:
                ctype_votes[t] = max(ctype_votes[t], prio)
        etype = max(sorted(ctype_votes), key=lambda t: ctype_votes[t])
        full = [m for m in members if m not in weak_forms] or members
        label = sorted(full, key=lambda n: (n.isupper() and " " not in n, -len(n.split()), -len(n), n))[0]
        weak = [m for m in members if m in weak_forms]
        key = ctx.entity(etype, label, names=[*full, *weak], weak=weak,
                         links={m: links[m] for m in weak if m in links})
        for m in members:
            key_of_form[m] = key

    return key_of_form


def _mention_every_form(ctx: Context, key_of_form: dict[str, str]) -> None:
    """Every occurrence of every form in the body (and the masthead for the publisher's names), the
    longest first: a mention of its entity."""
    f = ctx.folded
    # every occurrence of every form in the body (and the masthead for the publisher's names)
    spans: list[tuple[int, int, str]] = []
    occupied: list[tuple[int, int]] = []
    for form in sorted(key_of_form, key=lambda x: (-len(x), x)):
        body = r"\s+".join(re.escape(w) for w in form.split())
        pat = re.compile(rf"(?<![\w-]){body}(?![\w-])")
        for found in pat.finditer(f):
            s, e = found.start(), found.end()
            allowed = ctx.is_body(s, e) or (ctx.is_masthead(s, e) and ctx.drafts[key_of_form[form]].type == "schema:Organization")
            if not allowed or any(s < oe and os < e for os, oe in occupied):
                continue
            occupied.append((s, e))
            spans.append((s, e, key_of_form[form]))
    # capitalised names that only NER found as a lower-case-insensitive variant are already in
    spans.sort()
    for s, e, key in spans:
        d = ctx.drafts[key]
        surface = " ".join(f[s:e].split())
        kind = "acronym" if re.fullmatch(r"[A-Z][A-Z0-9&]{1,9}", surface) else ("name" if surface in d.names and surface not in d.weak else "alias")
        ctx.mention(key, s, e, kind, allow_masthead=True)
        if d.type == "kg:Movement":
            # "the Black Lives Matter movement" refers to the movement too
            head = re.match(r"\s+(?:movement|campaign)\b", f[e : e + 12])
            lead = re.search(r"\bthe\s+$", f[max(0, s - 4) : s], re.I)
            if head and lead:
                ctx.mention(key, s - len(lead.group(0)), e + head.end(), "descriptor")
    ctx.name_spans = spans
