"""One compiled matcher per vocabulary: the forms of every concept, longest first, whole words.

Matching is on the folded, lower-cased text (curly quotes straight, odd spaces plain), so
"didn’t speak up" in the vocabulary matches "didn't speak up" and "didn’t speak up" alike.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..text import fold
from ..vocab import Concept, vocabulary


@lru_cache(maxsize=8)
def _compiled(kind: str, fingerprint: str) -> tuple[re.Pattern[str], dict[str, str]]:
    vocab = vocabulary()
    concepts: tuple[Concept, ...] = {"misconduct": vocab.misconduct, "outcomes": vocab.outcomes, "roles": vocab.roles}[kind]
    form_to_concept: dict[str, str] = {}
    for c in concepts:
        for form in c.forms:
            form_to_concept.setdefault(fold(form).lower(), c.curie)
    forms = sorted(form_to_concept, key=lambda f: (-len(f), f))
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w-])")
    return pattern, form_to_concept


def find(lower_folded: str, kind: str, start: int, end: int, skip: frozenset[str] = frozenset()) -> list[tuple[int, int, str]]:
    """(start, end, concept CURIE) of every form of ``kind`` in ``[start, end)`` of the lower-cased folded text."""
    pattern, concepts = _compiled(kind, vocabulary().fingerprint)
    out = []
    for m in pattern.finditer(lower_folded, start, end):
        curie = concepts[m.group(0)]
        if curie not in skip:
            out.append((m.start(), m.end(), curie))
    return out
