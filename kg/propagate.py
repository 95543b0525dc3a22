"""Names the corpus knows, found again in documents whose extraction missed them.

A statistical tagger misses names (a magazine's name in "he told the magazine Stride"). Once any
document of the corpus has established a name, kg looks for it in every other document and cites
each occurrence as a mention.  Only strong names travel: several words, an acronym, or a
single capitalised word that stands mid-sentence (so "Stride on, …" at the start of a
sentence is not taken).  Matching is exact and case-sensitive, on word boundaries, in body text
only, and never over words another mention already cites.

This runs on every build, over the cached per-document extractions, with one Aho–Corasick
automaton for all names.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import ahocorasick

from . import ids
from .model import Citation, Document, Extraction, LocalEntity, Mention
from .text import fold, normalize_name
from .vocab import Vocabulary, vocabulary

if TYPE_CHECKING:
    from .cache import Summary

#: Entity types whose names are proper names (not derived entities).
NAMED_TYPES = frozenset(
    {
        "schema:Person", "schema:Organization", "schema:Place", "schema:SoftwareApplication",
        "kg:Investigation", "kg:Movement", "kg:Initiative", "schema:CreativeWork",
    }
)


def _strong(name: str) -> bool:
    if len(name) < 3:
        return False
    words = name.split()
    if len(words) > 1:
        return all(w[0].isupper() or w[0].isdigit() or w.islower() for w in words) and words[0][0].isupper()
    return name[0].isupper()


def _sentence_initial(doc: Document, start: int) -> bool:
    for s in doc.sentences:
        if s.start <= start < s.end:
            return not re.search(r"\w", doc.text[s.start : start])
    return True


#: A name found again: (start, end, name, entity type, canonical label of where it came from).
Addition = tuple[int, int, str, str, str]


class Propagator:
    """The corpus' strong names, and where each document holds one its extraction did not cite."""

    def __init__(self, entity_lists: Iterable[Sequence[LocalEntity]], vocab: Vocabulary | None = None) -> None:
        self.vocab = vocab or vocabulary()
        self.known: dict[str, tuple[str, str]] = {}  # name -> (type, label)
        for ents in entity_lists:
            for ent in ents:
                if ent.type in NAMED_TYPES:
                    for name in ent.names:
                        if _strong(name):
                            old = self.known.get(name)
                            if old is None or (ent.type, ent.label) < old:
                                self.known[name] = (ent.type, ent.label)
        self.automaton: ahocorasick.Automaton | None = None
        if self.known:
            self.automaton = ahocorasick.Automaton()
            for name in sorted(self.known):
                self.automaton.add_word(fold(name), name)
            self.automaton.make_automaton()

    def find(self, doc: Document, summary: Summary) -> tuple[Addition, ...]:
        """Names of the corpus in ``doc``'s body that no mention of its extraction covers."""
        if self.automaton is None:
            return ()
        text = fold(doc.text)
        covered = summary.spans
        own = {name for ent in summary.entities for name in (*ent.names, *ent.aliases)}
        found: list[tuple[int, int, str]] = []
        for end_index, name in self.automaton.iter(text):
            start, end = end_index - len(name) + 1, end_index + 1
            if name in own:
                continue
            if (start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-_")) or (
                end < len(text) and (text[end].isalnum() or text[end] in "-_")
            ):
                continue
            if not doc.is_body(start, end):
                continue
            if " " not in name and not name.isupper() and not re.search(r"[a-z][A-Z]", name) and _sentence_initial(doc, start):
                continue
            i = bisect.bisect_left(covered, (end, end))
            if any(s < end and start < e for s, e in covered[max(0, i - 8) : i + 1]):
                continue
            found.append((start, end, name))
        found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))  # the longest where two overlap
        chosen: list[tuple[int, int, str]] = []
        for f in found:
            if not any(f[0] < c[1] and c[0] < f[1] for c in chosen):
                chosen.append(f)
        return tuple((s, e, n, *self.known[n]) for s, e, n in sorted(chosen))

    @staticmethod
    def entities(additions: Sequence[Addition]) -> tuple[LocalEntity, ...]:
        """The local entities the additions add (one per canonical label)."""
        out: dict[str, LocalEntity] = {}
        for _s, _e, name, etype, label in additions:
            key = _key(etype, label)
            old = out.get(key)
            names = tuple(sorted({*(old.names if old else ()), name}))
            out[key] = LocalEntity(key, etype, label, names, names)
        return tuple(out[k] for k in sorted(out))

    def apply(self, doc: Document, x: Extraction, additions: Sequence[Addition]) -> Extraction:
        """The extraction with the additions' entities and mentions."""
        if not additions:
            return x
        entities = {e.key: e for e in x.entities}
        for ent in self.entities(additions):
            old = entities.get(ent.key)
            if old is None:
                entities[ent.key] = ent
            elif old.type == ent.type:
                names = tuple(n for n in ent.names if n not in old.names)
                entities[ent.key] = replace(old, names=(*old.names, *names), aliases=(*old.aliases, *names))
        mentions = list(x.mentions)
        for start, end, _name, etype, label in additions:
            key = _key(etype, label)
            if entities[key].type == etype:
                mentions.append(Mention(key, Citation.make(doc, start, end), "name"))
        return replace(
            x,
            entities=tuple(sorted(entities.values(), key=lambda e: e.key)),
            mentions=tuple(sorted(mentions, key=lambda m: (m.citation.start, m.citation.end, m.entity))),
        )


def _key(etype: str, label: str) -> str:
    return f"{ids.segment(etype)}:{normalize_name(label)}"
