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

import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..text import normalize_name
from . import lexicon
from .context import Context

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
            if _is_capitalised(w.group()) or (w.group() in CONNECTORS and run):
                run.insert(0, w)
            else:
                break
            gap = before[w.end() : (run[1].start() if len(run) > 1 else len(before))]
            if len(run) > 1 and gap.strip():
                run.pop(0)
                break
        while run and run[0].group() in CONNECTORS:
            run.pop(0)
        base = max(0, m.start() - 160)
        # the shortest run whose initials spell the acronym, else the whole run
        chosen = None
        for i in range(len(run)):
            if run[i].group() in CONNECTORS:
                continue
            if _initials([w.group() for w in run[i:]]).upper() == re.sub(r"[^A-Z]", "", abbr):
                chosen = run[i:]
        if chosen is None and run and abbr[0] == run[0].group()[0]:
            chosen = run
        abbr_span = (m.start("abbr"), m.end("abbr"))
        spans = [abbr_span]
        if m.group("old"):
            spans.append((m.start("old"), m.end("old")))
        if chosen:
            s, e = base + chosen[0].start(), base + chosen[-1].end()
            out.append(Candidate(s, e, "schema:Organization", 6, "acronym", defines=spans))
        for s, e in spans:
            out.append(Candidate(s, e, "schema:Organization", 6, "acronym"))
    return out


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
                while j + 1 < len(words) and not _POSSESSIVE.search(f[run[-1][0] : run[-1][1]]):
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
                if pm:
                    run[-1] = (ls, ls + pm.start())
                runs.extend(_split_listed_works(ctx, run))
                i = j + 1
            else:
                i += 1
    return runs


def _split_listed_works(ctx: Context, run: list[tuple[int, int]]) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """ "Code of Ethics and Standards of …" is two names: split before "and" + a document head."""
    f = ctx.folded
    heads = set(ctx.vocab.heads.get("schema:CreativeWork", ()))
    parts: list[list[tuple[int, int]]] = [[]]
    for k, (s, e) in enumerate(run):
        w = f[s:e]
        if w == "and" and k + 1 < len(run) and f[run[k + 1][0] : run[k + 1][1]] in heads and f[run[0][0] : run[0][1]] in heads:
            parts.append([])
            continue
        parts[-1].append((s, e))
    return [(p[0][0], p[-1][1], p) for p in parts if p]


def _sentence_initial(ctx: Context, start: int) -> bool:
    sent = ctx.sentence_at(start)
    lead = ctx.folded[sent.start:start]
    return not re.search(r"\w", lead)


def _cue_candidates(ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    f = ctx.folded
    vocab = ctx.vocab
    org_heads = set(vocab.heads.get("schema:Organization", ()))
    place_heads = _heads(ctx, "schema:Place")
    inv_prefixes = set(vocab.prefixes.get("kg:Investigation", ()))
    inv_heads = set(vocab.heads.get("kg:Investigation", ()))
    initiative_heads = _heads(ctx, "kg:Initiative")
    movement_heads = _heads(ctx, "kg:Movement")
    work_heads = set(vocab.heads.get("schema:CreativeWork", ()))
    platform_heads = set(vocab.heads.get("schema:SoftwareApplication", ()))
    for start, end, words in _name_runs(ctx):
        texts = [f[s:e] for s, e in words]
        # drop a sentence-initial ordinary word ("Officers responded", "Among its …")
        while words and _sentence_initial(ctx, words[0][0]) and texts[0].lower() in _COMMON_CAPITALISED:
            words, texts = words[1:], texts[1:]
        while words and texts[0] in CONNECTORS:
            words, texts = words[1:], texts[1:]
        if not words:
            continue
        start = words[0][0]
        after = f[end : end + 40]
        after_l = after.lower()
        first, last = texts[0], texts[-1]
        if first in inv_prefixes and len(words) >= 2:
            out.append(Candidate(start, end, "kg:Investigation", 5, "cue"))
            continue
        if first in work_heads and len(words) >= 3 and texts[1] in CONNECTORS:
            out.append(Candidate(start, end, "schema:CreativeWork", 5, "cue"))
            continue
        # a station named by the words before it ("… police station", "… Police Station")
        m = re.match(r"\s+((?:police|railway|bus|tube|fire)\s+station)\b", after, re.I)
        if m:
            out.append(Candidate(start, end + m.end(1), "schema:Place", 5, "cue", names=[f[start:end]]))
            continue
        head = next((h for h in place_heads if re.match(rf"\s+{re.escape(h.lower())}\b", after_l)), None)
        if head is None and last in place_heads and len(words) >= 2:
            out.append(Candidate(start, end, "schema:Place", 4, "cue"))
            continue
        if head is not None and head.lower() not in ctx.vocab.generic:
            e2 = end + len(re.match(rf"\s+{re.escape(head.lower())}", after_l).group(0))  # type: ignore[union-attr]
            out.append(Candidate(start, e2, "schema:Place", 5, "cue"))
            continue
        ihead = next((h for h in initiative_heads if re.match(rf"\s+{re.escape(h)}\b", after_l)), None)
        if ihead is not None:
            # "its Safer Streets plan": the name is "Safer Streets"; "plan" says what it is
            out.append(Candidate(start, end, "kg:Initiative", 5, "cue"))
            continue
        mhead = next((h for h in movement_heads if re.match(rf"\s+{re.escape(h)}\b", after_l)), None)
        if mhead is not None and len(words) >= 2:
            out.append(Candidate(start, end, "kg:Movement", 5, "cue"))
            continue
        platform = len(words) == 1 and any(re.match(rf"\s+{re.escape(h)}\b", after_l) for h in platform_heads)
        if platform and not _sentence_initial(ctx, start) and first not in org_heads:
            out.append(Candidate(start, end, "schema:SoftwareApplication", 3, "cue"))
            continue
        if last in org_heads and len(words) >= 2:
            out.append(Candidate(start, end, "schema:Organization", 4, "cue"))
            continue
        if last in inv_heads and len(words) >= 2:
            out.append(Candidate(start, end, "kg:Investigation", 4, "cue"))
    return out


#: Capitalised words that open sentences without being names.
_COMMON_CAPITALISED = frozenset(
    ["a", "an", "the", "this", "that", "these", "those", "it", "its", "he", "she", "they", "we", "our", "their", "his", "her", "in", "on", "at", "of", "for", "from", "by", "with", "as", "after", "before", "during", "while", "when", "where", "what", "who", "which", "why", "how", "but", "and", "or", "so", "yet", "also", "again", "even", "many", "most", "some", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "other", "another", "officers", "officer", "police", "among", "according", "over", "since", "until", "unless", "if", "though", "although", "however", "meanwhile", "speaking", "included", "examples", "evidence", "colleagues", "messages", "hopefully", "elsewhere", "unsurprisingly", "nevertheless", "instead"]
)


def _honorific_candidates(ctx: Context) -> list[Candidate]:
    out = []
    hons = sorted(ctx.vocab.honorifics, key=len, reverse=True)
    pattern = re.compile(
        r"\b(?P<hon>" + "|".join(re.escape(h) for h in hons) + r")\.?\s+"
        r"(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2}(?:\s+of\s+[A-Z][\w'’-]+)?)"
    )
    for m in pattern.finditer(ctx.folded):
        if not ctx.is_body(m.start(), m.end()):
            continue
        s, e = _clean(ctx, m.start(), m.end("name"))
        name_s, name_e = _clean(ctx, m.start("name"), m.end("name"))
        bare = ctx.folded[name_s:name_e]
        single = " " not in bare  # "Mr Roe", "Baroness Smith": a surname with a style
        names = [] if single else [bare]
        out.append(Candidate(s, e, "schema:Person", 6, "honorific", names=names, weak=single))
    return out


_NAME_AFTER_TITLE = re.compile(r"\s+(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})(?![\w'’-]|\s+[A-Z])")


def _title_candidates(ctx: Context) -> list[Candidate]:
    """A name right after a job title is a person's ("Chief Constable Jane Roe said",
    "Regional Director Jane Roe"), however the model reads the words (it often takes a
    sentence-initial "Constable Jane Roe" for an organisation); the title is not part of it."""
    out = []
    honorifics = {h.lower() for h in ctx.vocab.honorifics}
    for _ts, te, _concept in lexicon.find(ctx.lower, "roles", 0, len(ctx.lower)):
        m = _NAME_AFTER_TITLE.match(ctx.folded, te)
        if m is None or m.group("name").split()[0].lower().rstrip(".") in honorifics:
            continue  # "Commissioner Sir Jane Roe": the honorific rule reads it
        s, e = _clean(ctx, m.start("name"), m.end("name"))
        if e <= s or not ctx.is_body(s, e):
            continue
        single = " " not in ctx.folded[s:e]
        out.append(Candidate(s, e, "schema:Person", 6, "title", weak=single))
    return out


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


def _ner_candidates(ctx: Context) -> list[Candidate]:
    out = []
    for ent in ctx.ner.ents:
        etype = NER_TYPES.get(ent.label_)
        if etype is None:
            continue
        s, e = ent.start_char, ent.end_char
        if not ctx.is_body(s, e) and not (ctx.is_masthead(s, e) and etype == "schema:Organization"):
            continue
        # split "X's Y" into two names
        seg = ctx.folded[s:e]
        m = re.search(r"'s\s+(?=[A-Z])", seg)
        parts = [(s, s + m.start()), (s + m.end(), e)] if m else [(s, e)]
        for ps, pe in parts:
            out.append(Candidate(ps, pe, etype, 2, "ner"))
    return out


def _acceptable(ctx: Context, c: Candidate) -> bool:
    surface = ctx.folded[c.start : c.end]
    key = normalize_name(surface)
    if not surface or not any(ch.isalpha() for ch in surface):
        return False
    if c.source == "ner" and c.type == "schema:Place" and " " not in surface and re.search(r"(?:ers|ians|ites)$", surface):
        return False  # a demonym ("Northshirers"), not a place
    if key in ctx.vocab.generic or key in PRONOUNS:
        return False
    return _is_capitalised(surface) and not surface.isdigit()


def _resolve_overlaps(cands: list[Candidate]) -> list[Candidate]:
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


def find(ctx: Context) -> None:
    """Find the document's named entities and register them, with every mention, in ``ctx``."""
    raw = (
        _acronym_candidates(ctx)
        + _honorific_candidates(ctx)
        + _title_candidates(ctx)
        + _cue_candidates(ctx)
        + _publisher_candidates(ctx)
        + _ner_candidates(ctx)
    )
    cleaned: list[Candidate] = []
    for c in raw:
        s, e = _clean(ctx, c.start, c.end)
        if e <= s:
            continue
        c.start, c.end = s, e
        if _acceptable(ctx, c):
            cleaned.append(c)
    accepted = _resolve_overlaps(cleaned)

    f = ctx.folded
    uf = _Clusters()
    types: dict[str, list[tuple[int, str]]] = defaultdict(list)  # form -> [(priority, type)]
    weak_forms: set[str] = set()
    extra_names: dict[str, list[str]] = defaultdict(list)
    for c in accepted:
        surface = " ".join(f[c.start : c.end].split())
        uf.find(surface)
        types[surface].append((c.priority, c.type))
        if c.weak:
            weak_forms.add(surface)
        for n in c.names:
            n = " ".join(n.split())
            extra_names[surface].append(n)
            uf.union(surface, n)
            types[n].append((c.priority - 1, c.type))
        for ds, de in c.defines:
            abbr = f[ds:de]
            uf.union(surface, abbr)
            types[abbr].append((c.priority, c.type))

    def type_of(form: str) -> str:
        return max(types[form])[1] if types.get(form) else "schema:Organization"

    # same name ignoring case and articles
    by_key: dict[str, list[str]] = defaultdict(list)
    for form in sorted(types):
        by_key[normalize_name(form)].append(form)
    for group in by_key.values():
        for other in group[1:]:
            uf.union(group[0], other)

    all_forms = sorted(types)
    persons = [x for x in all_forms if type_of(x) == "schema:Person" and len(x.split()) > 1]
    orgs = [x for x in all_forms if type_of(x) == "schema:Organization" and len(x.split()) > 1]
    honorifics = set(ctx.vocab.honorifics)
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
                continue
        # a peer's short style: "Baroness Smith" for "Baroness Smith of Harbourtown"
        if words and words[0] in honorifics:
            target = [p for p in persons if p != form and p.startswith(form + " of ")]
            if len({uf.find(p) for p in target}) == 1:
                uf.union(form, target[0])
                continue
        if type_of(form) != "schema:Organization" and type_of(form) != "schema:SoftwareApplication":
            continue
        # acronyms spelled by an organisation's initials
        if re.fullmatch(r"[A-Z][A-Z0-9&]{1,9}", form):
            target = [o for o in orgs if _initials(o.split()).upper() == form]
            if len({uf.find(o) for o in target}) == 1:
                uf.union(form, target[0])
                types[form].append((7, "schema:Organization"))
            continue
        # clipped forms: "North" / "North Police" for "Northshire Police Service"
        target = [o for o in orgs if o != form and _clips(words, o.split())]
        if len({uf.find(o) for o in target}) == 1:
            uf.union(form, target[0])
            types[form].append((7, "schema:Organization"))
            weak_forms.add(form)

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
        key = ctx.entity(etype, label, names=[*full, *[m for m in members if m in weak_forms]], weak=[m for m in members if m in weak_forms])
        for m in members:
            key_of_form[m] = key

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
