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
    wanted = parse_filter(vocab.fingerprint)
    parse = [s for s in doc.sentences if doc.is_body(s.start, s.end) and wanted.search(folded, s.start, s.end)]
    ner, parsed = nlp.analyse(folded, doc.sentences, parse)
    ctx = Context(doc, parsed, vocab, ner=ner, parsed=parse)
    entities.find(ctx)
    refs.resolve_short_forms(ctx)
    quotes.find_passages(ctx)
    roles.find(ctx)
    quotes.attribute(ctx)
    quotes.register(ctx)
    refs.resolve_first_person(ctx)
    report = works.reports(ctx)
    works.polls(ctx)
    works.reviews(ctx)
    works.initiative_owners(ctx)
    investigations.find(ctx)
    investigations.places(ctx)
    events.find(ctx, report)
    findings.find(ctx, report)
    recommendations.find(ctx, report)
    outcomes.find(ctx, report)
    return ctx.result()


#: Irregular forms of the event verbs (the rest inflect by adding -s, -ed, -ing).
IRREGULAR = {"begin": "began|begun", "write": "wrote|written", "take": "took|taken", "issue": "issued"}


@lru_cache(maxsize=4)
def parse_filter(fingerprint: str) -> re.Pattern[str]:
    """Sentences that need a parse: an event verb, a report, a recommendation, a quote inside."""
    vocab = vocabulary()
    stems = set()
    for lemmas in vocab.events.values():
        for lemma in lemmas:
            word = lemma.split()[0]
            stems.add(re.escape(word[:-1] if word.endswith("e") and len(word) > 4 else word) + r"\w*")
            if word in IRREGULAR:
                stems.add(IRREGULAR[word])
    words = "|".join(sorted(stems))
    return re.compile(
        rf"\b(?:{words}|reports?|recommend\w*|suggest\w*|urge[sd]?|propos\w*|call(?:s|ed)?\s+on)\b"
        r"|\w[^\w\n]*[\"“‘]\w",
        re.I,
    )


@lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    """A hash of what extraction depends on: this package's code, the vocabulary, the model."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for path in sorted([*here.glob("*.py"), here.parent / "text.py", here.parent / "model.py", here.parent / "nlp.py"]):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    h.update(vocabulary().fingerprint.encode())
    h.update(nlp.model_version().encode())
    return h.hexdigest()
