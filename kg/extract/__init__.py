"""Extraction: one :class:`~kg.model.Document` in, one :class:`~kg.model.Extraction` out.

Each module finds one kind of thing; they run in order, each using what the earlier ones found:

``entities`` (names, aliases, mentions) → ``refs`` ("the force", "the organisation") →
``quotes`` (passages) → ``roles`` → ``quotes`` (speakers) → ``works`` (reports, polls, reviews,
initiatives) → ``investigations`` (and places) → ``events`` (with ``dates``) → ``findings`` →
``recommendations`` → ``outcomes``.
"""

from __future__ import annotations

import hashlib
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
    ctx = Context(doc, nlp.analyse(fold(doc.text), doc.sentences), vocabulary())
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
