"""One quotation, many sources: the same words quoted by several documents, up to reporting's edits.

Reporting changes a quotation in small ways: a hyphen added or dropped, a word censored
("f***"), a passage elided ("…" or "[...]"), a clause left out, a word of the speaker's replaced in
brackets, curly or straight quotation marks.  Two quotations are the same when, after
normalising those (case, marks, hyphens, censored words as wildcards), most of the shorter one's
runs of three words occur in the longer one; short quotations (under six words) must match word
for word.  The speakers must be compatible (the same, one unattributed, or a person and the
organisation they speak for): one quotation attributed to both is a recorded disagreement (an
attribution conflict); the same words said by two unrelated people are two quotations.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from .text import fold

if TYPE_CHECKING:
    from .model import LocalEntity
    from .resolve import Member, Merge

#: Below this many words a quotation must match word for word.
SHORT = 6
#: The share of the shorter quotation's three-word runs the longer must hold.
CONTAINMENT = 0.6

_CENSORED = re.compile(r"\b[a-z]+\*+[a-z]*\b|\*{2,}")


def words(text: str) -> tuple[str, ...]:
    """A quotation's words for comparison: folded, lower case, hyphens and dashes as spaces,
    elisions and bracketed insertions gone, a censored word as ``*``."""
    t = fold(text).lower()
    t = re.sub(r"\[[^\]]*\]|\.\.\.|…", " ", t)
    t = _CENSORED.sub(" * ", t)
    t = re.sub(r"[-‐‑]", " ", t)
    return tuple(re.findall(r"[a-z0-9*]+(?:'[a-z]+)?", t))


def _shingles(ws: Sequence[str]) -> set[tuple[str, ...]]:
    if len(ws) < 3:
        return {tuple(ws)} if ws else set()
    return {tuple(ws[i : i + 3]) for i in range(len(ws) - 2)}


def _match(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if len(a) != len(b):
        return False
    return all(x == y or x == "*" or y == "*" for x, y in zip(a, b, strict=True))


def similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """The share of the shorter quotation's three-word runs found in the longer (a censored word
    matches any word)."""
    if not a or not b:
        return 0.0
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < SHORT:
        return 1.0 if _contains(long_, short) else 0.0
    sa, sb = _shingles(short), _shingles(long_)
    exact = sa & sb
    rest = sa - exact
    wild = rest and any("*" in x for x in (*rest, *sb))
    hit = sum(1 for x in rest if any(_match(x, y) for y in sb)) if wild else 0
    return (len(exact) + hit) / len(sa)


def _contains(long_: Sequence[str], short: Sequence[str]) -> bool:
    n = len(short)
    return any(all(x == y or x == "*" or y == "*" for x, y in zip(long_[i : i + n], short, strict=True))
               for i in range(len(long_) - n + 1))


#: A word run held by more quotations than this finds no candidates (it is a common phrase).
COMMON_RUN = 50


def merge_quotations(
    local: dict[Member, LocalEntity],
    derived: list[Member],
    identity_of: dict[Member, tuple[str, ...]],
    merges: list[Merge],
    speakers_related: Callable[[str, str], bool] | None = None,
) -> None:
    """Quotations of different documents with the same words are one quotation: each takes the
    identity of the group's fullest wording (the most words, then the first by document).

    The speakers must be compatible: the same, or one side unattributed, or (with
    ``speakers_related``) a person and the organisation they speak for: one quotation given to
    two of those is an attribution conflict; the same words said by two unrelated people are two
    quotations.  Candidates come from the word runs two quotations share, so this stays near-linear."""
    from .resolve import Merge

    quotes = [k for k in derived if local[k].type == "schema:Quotation" and identity_of[k]]
    text_of = {k: words(identity_of[k][-1]) for k in quotes}
    runs = {k: _shingles(text_of[k]) if len(text_of[k]) >= SHORT else {text_of[k]} for k in quotes}
    who = {k: identity_of[k][0] if len(identity_of[k]) > 1 else "" for k in quotes}
    index: dict[tuple[str, ...], list[Member]] = defaultdict(list)
    for k in quotes:
        for run in runs[k]:
            index[run].append(k)
    parent: dict[Member, Member] = {k: k for k in quotes}

    def find(x: Member) -> Member:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def compatible(a: str, b: str) -> bool:
        if a == b or not a.startswith("http") or not b.startswith("http"):
            return True  # the same speaker, or one unattributed or only described
        return speakers_related is not None and speakers_related(a, b)

    evidence: list[tuple[Member, Member, float]] = []
    for k in quotes:
        shared: Counter[Member] = Counter()
        for run in runs[k]:
            postings = index[run]
            if len(postings) > COMMON_RUN:
                continue
            for other in postings:
                if other < k and other[0] != k[0]:
                    shared[other] += 1
        for other, n in sorted(shared.items()):
            if n < CONTAINMENT * min(len(runs[k]), len(runs[other])) and "*" not in text_of[k] + text_of[other]:
                continue  # too few runs in common, and no censored word to make up for it
            if not compatible(who[k], who[other]) or find(k) == find(other):
                continue
            score = similarity(text_of[k], text_of[other])
            if score >= CONTAINMENT:
                lo, hi = sorted((find(k), find(other)))
                parent[hi] = lo
                evidence.append((k, other, score))
    groups: dict[Member, list[Member]] = defaultdict(list)
    for k in quotes:
        groups[find(k)].append(k)
    for ms in groups.values():
        if len(ms) < 2:
            continue
        rep = min(ms, key=lambda m: (-len(text_of[m]), m))
        for m in ms:
            identity_of[m] = identity_of[rep]
    for k, other, score in evidence:
        merges.append(Merge("quotation", k, other, f"the same words ({score:.0%} of the shorter quotation's word runs)"))
