"""Extraction: one :class:`~kg.model.Document` in, one :class:`~kg.model.Extraction` out.

Each module finds one kind of thing; they run in order, each using what the earlier ones found:

``entities`` (names, aliases, mentions) → ``refs`` ("the force", "the organisation") →
``quotes`` (passages) → ``roles`` → ``quotes`` (speakers) → ``works`` (reports, polls, reviews,
initiatives) → ``investigations`` (and places) → ``events`` (with ``dates``) → ``findings`` →
``recommendations`` → ``outcomes``.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from .. import nlp
from ..model import Document, Extraction
from ..text import fold
from ..vocab import vocabulary
from . import entities, events, findings, investigations, outcomes, quotes, recommendations, refs, roles, works
from .context import Context


def extract_document(doc: Document) -> Extraction:
    """Everything the document states, each fact with the words that state it."""
    folded = fold(doc.text)
    vocab = vocabulary()
    ctx = Context(doc, None, vocab, ner=nlp.entities(folded, doc.sentences))
    entities.find(ctx)
    refs.resolve_short_forms(ctx)
    quotes.find_passages(ctx)
    roles.find(ctx)
    # the parse: only for sentences with an event verb or a recommendation, and for quotations
    # whose speaker the words around them do not give (a reporting verb may govern them)
    wanted = parse_filter(vocab.fingerprint)
    unattributed = quotes.needing_parse(ctx)
    parse = [
        s for s in doc.sentences
        if doc.is_body(s.start, s.end) and (wanted.search(folded, s.start, s.end) or any(s.start <= q < s.end for q in unattributed))
    ]
    ctx.set_parse(nlp.parse(folded, parse), parse)
    quotes.attribute(ctx)
    quotes.register(ctx)
    refs.resolve_first_person(ctx)
    refs.describe_investigation(ctx)
    report = works.reports(ctx)
    works.polls(ctx)
    works.reviews(ctx)
    works.initiative_owners(ctx)
    investigations.find(ctx)
    investigations.milestones(ctx)
    investigations.places(ctx)
    events.find(ctx, report)
    events.incidents(ctx, report)
    events.proceedings(ctx)
    events.deaths(ctx)
    findings.find(ctx, report)
    recommendations.find(ctx, report)
    outcomes.find(ctx, report)
    return ctx.result()


#: Irregular forms of the event verbs (the rest inflect regularly).
IRREGULAR = {"begin": ("began", "begun"), "write": ("wrote", "written"), "take": ("took", "taken")}


def inflections(verb: str) -> set[str]:
    """The forms of an English verb: "publish" → publish, publishes, published, publishing."""
    vowels = "aeiou"
    if verb.endswith("e"):
        forms = {verb, verb + "s", verb + "d", verb[:-1] + "ing"}
    elif verb.endswith("y") and verb[-2:-1] not in tuple(vowels):
        forms = {verb, verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"}
    else:
        third = verb + ("es" if verb.endswith(("s", "sh", "ch", "x", "z", "o")) else "s")
        forms = {verb, third, verb + "ed", verb + "ing"}
        if len(verb) <= 5 and verb[-1] not in vowels + "wxy" and verb[-2] in vowels and verb[-3] not in vowels:
            forms |= {verb + verb[-1] + "ed", verb + verb[-1] + "ing"}  # refer → referred, begin → beginning
    return forms | set(IRREGULAR.get(verb, ()))


@lru_cache(maxsize=4)
def parse_filter(fingerprint: str) -> re.Pattern[str]:
    """Sentences that need a parse: an event verb (``kg:trigger`` of ``ontology/events.ttl``), a
    noun event ("a vigil for …"), or a recommendation ("recommends that …")."""
    vocab = vocabulary()
    verbs: set[str] = set()
    for lemmas in vocab.events.values():
        for lemma in lemmas:
            verb, _, particle = lemma.partition(" ")
            verbs |= {f"{form}\\s+{particle}" if particle else form for form in inflections(verb)}
    words = "|".join(sorted(verbs, key=lambda w: (-len(w), w)))
    nouns = "|".join(sorted(vocab.event_nouns))
    return re.compile(
        rf"(?i:\b(?:{words})\b)"
        rf"|\b(?:{nouns})(?:es|s)?\s+(?:for|of|against|in|from)\b"
        rf"|(?:'s|’s)\s+(?:\w+\s+)?(?:{nouns})\b"
        r"|(?i:\b(?:recommend(?:s|ed)?|suggest(?:s|ed)?|urge[sd]?|propos(?:e|es|ed))\s+that\b"
        r"|\brecommendations?\s+(?:for|from)\b|\bcall(?:s|ed)?\s+on\b)"
    )


@lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    """A hash of what extraction depends on: this package's code, the vocabulary, the model."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for path in sorted([*here.glob("*.py"), *(here.parent / name for name in ("text.py", "model.py", "nlp.py", "cache.py", "sources.py", "html.py"))]):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    h.update(vocabulary().fingerprint.encode())
    h.update(nlp.model_version().encode())
    return h.hexdigest()
