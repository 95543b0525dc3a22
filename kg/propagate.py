"""Names the corpus knows, found again in documents whose extraction missed them.

A statistical tagger misses names (a magazine's name in "he told the magazine Dazed"). Once any
document of the corpus has established a name, kg looks for it in every other document and cites
each occurrence as a mention.  Only strong names travel: several words, an acronym, or a
single capitalised word that stands mid-sentence (so "Dazed and confused, …" at the start of a
sentence is not taken).  Matching is exact and case-sensitive, on word boundaries, in body text
only, and never over words another mention already cites.

This runs on every build, over the cached per-document extractions, with one Aho–Corasick
automaton for all names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import ahocorasick

from . import ids
from .model import Citation, Document, Extraction, LocalEntity, Mention
from .text import fold, normalize_name

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


def propagate(docs: Sequence[Document], extractions: Sequence[Extraction]) -> list[Extraction]:
    """The extractions with mentions of corpus names their documents contain but did not cite."""
    known: dict[str, tuple[str, str]] = {}  # name -> (type, label)
    for x in sorted(extractions, key=lambda e: e.document):
        for ent in x.entities:
            if ent.type in NAMED_TYPES:
                for name in ent.names:
                    if _strong(name):
                        known.setdefault(name, (ent.type, ent.label))
    if not known:
        return list(extractions)
    automaton = ahocorasick.Automaton()
    for name in sorted(known):
        automaton.add_word(fold(name), name)
    automaton.make_automaton()
    by_id = {d.id: d for d in docs}
    out = []
    for x in extractions:
        doc = by_id[x.document]
        out.append(_augment(doc, x, automaton, known))
    return out


def _augment(doc: Document, x: Extraction, automaton: ahocorasick.Automaton, known: dict[str, tuple[str, str]]) -> Extraction:
    text = fold(doc.text)
    covered = sorted((m.citation.start, m.citation.end) for m in x.mentions)
    own = {name for ent in x.entities for name in (*ent.names, *ent.aliases)}
    found: list[tuple[int, int, str]] = []
    for end_index, name in automaton.iter(text):
        start, end = end_index - len(fold(name)) + 1, end_index + 1
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
        if any(s < end and start < e for s, e in covered):
            continue
        found.append((start, end, name))
    if not found:
        return x
    # longest match first where two overlap
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    chosen: list[tuple[int, int, str]] = []
    for f in found:
        if not any(f[0] < c[1] and c[0] < f[1] for c in chosen):
            chosen.append(f)
    entities = {e.key: e for e in x.entities}
    mentions = list(x.mentions)
    for start, end, name in sorted(chosen):
        etype, label = known[name]
        key = f"{ids.TYPE_SEGMENTS.get(etype, 'thing')}:{normalize_name(label)}"
        ent = entities.get(key)
        if ent is None:
            entities[key] = LocalEntity(key, etype, label, (name,), (name,))
        elif ent.type == etype and name not in ent.names:
            entities[key] = replace(ent, names=(*ent.names, name), aliases=(*ent.aliases, name))
        elif ent.type != etype:
            continue
        mentions.append(Mention(key, Citation.make(doc, start, end), "name"))
    return replace(
        x,
        entities=tuple(sorted(entities.values(), key=lambda e: e.key)),
        mentions=tuple(sorted(mentions, key=lambda m: (m.citation.start, m.citation.end, m.entity))),
    )
