"""``kg explain ENTITY``: how the build made one entity of what the documents say.

It lists the documents' own entities that the corpus-wide entity is made of (each document's name
for it) and every merge that joined them, with its rule and evidence (see :mod:`kg.resolve`):
the same full name, an acronym or clipped name defined elsewhere, a surname corroborated by a
title, an organisation or quoted words, the case a document is about, the same quoted words, or
the curation file.
"""

from __future__ import annotations

import json
from typing import Any

from . import ids
from .errors import OutputError
from .project import RESOLUTION, Project


def explain(project: Project, text: str) -> list[str]:
    """Lines that explain the entity ``text`` names (a name, an alias, an IRI or compact IRI)."""
    from .factsheet import resolve_entity

    iri = resolve_entity(project, text)
    path = project.data_dir() / RESOLUTION
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise OutputError("the build kept no record of how it resolved entities", f"in {path}",
                          "run `kg build` again") from None
    except ValueError as exc:
        raise OutputError(f"the resolution record cannot be read ({exc})", f"in {path}", "run `kg build` again") from exc
    entry = data.get(iri)
    if entry is None:
        return [f"{ids.compact(iri)} is one document's own: no other document's entity was merged with it."]
    docs = sorted({d for d, _k, _l in entry["members"]})
    out = [f"{entry['label']} ({entry['type']}, {ids.compact(iri)}): {len(entry['members'])} entities of {len(docs)} sources"]
    for doc, key, label in entry["members"]:
        out.append(f"  {doc}: {label!r} ({key})")
    if entry["merges"]:
        out.append("Made one by:")
        for rule, (doc_a, key_a), (doc_b, key_b), evidence in entry["merges"]:
            out.append(f"  {rule}: {doc_a} {key_a!r} with {doc_b} {key_b!r} — {evidence}")
    return out
