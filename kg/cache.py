"""Per-document extraction cache: an :class:`~kg.model.Extraction` as JSON, keyed by content.

A cached extraction is reused only when the document's text, its metadata and the extractor
(code, vocabulary and language model) are all unchanged; that is what makes rebuilding after
one changed document re-extract only that document.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .model import (
    Citation,
    Claim,
    Concept,
    Document,
    EntityKey,
    Extraction,
    LocalEntity,
    Mention,
    Obj,
    Value,
)


def document_key(doc: Document, fingerprint: str) -> str:
    """What an extraction of ``doc`` depends on: text, metadata and the extractor."""
    h = hashlib.sha256()
    for part in (fingerprint, doc.id, doc.sha256, repr(doc.meta), repr(doc.furniture)):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:32]


def _cit(c: Citation) -> list[Any]:
    return [c.start, c.end, c.exact, c.prefix, c.suffix]


def _uncit(source: str, v: list[Any]) -> Citation:
    return Citation(source, v[0], v[1], v[2], v[3], v[4])


def _obj(o: Obj) -> dict[str, str]:
    if isinstance(o, EntityKey):
        return {"e": o.key}
    if isinstance(o, Concept):
        return {"c": o.curie}
    return {"v": o.lexical, "t": o.datatype}


def _unobj(d: dict[str, str]) -> Obj:
    if "e" in d:
        return EntityKey(d["e"])
    if "c" in d:
        return Concept(d["c"])
    return Value(d["v"], d["t"])


def encode(x: Extraction) -> dict[str, Any]:
    return {
        "document": x.document,
        "sha256": x.sha256,
        "entities": [
            [e.key, e.type, e.label, list(e.names), list(e.aliases),
             [p.key if isinstance(p, EntityKey) else None for p in e.identity],
             [p if isinstance(p, str) else None for p in e.identity]]
            for e in x.entities
        ],
        "mentions": [[m.entity, m.form, _cit(m.citation)] for m in x.mentions],
        "claims": [
            [c.subject, c.predicate, _obj(c.object), [_cit(k) for k in c.citations],
             [[p, v.lexical, v.datatype] for p, v in c.notes]]
            for c in x.claims
        ],
        "warnings": list(x.warnings),
    }


def decode(d: dict[str, Any]) -> Extraction:
    src = d["document"]
    entities = []
    for key, etype, label, names, aliases, refs, strs in d["entities"]:
        identity = tuple(EntityKey(r) if r is not None else s for r, s in zip(refs, strs, strict=True))
        entities.append(LocalEntity(key, etype, label, tuple(names), tuple(aliases), identity))
    return Extraction(
        document=src,
        sha256=d["sha256"],
        entities=tuple(entities),
        mentions=tuple(Mention(e, _uncit(src, c), f) for e, f, c in d["mentions"]),
        claims=tuple(
            Claim(s, p, _unobj(o), tuple(_uncit(src, c) for c in cits), tuple((n, Value(v, t)) for n, v, t in notes))
            for s, p, o, cits, notes in d["claims"]
        ),
        warnings=tuple(d["warnings"]),
    )


class ExtractionCache:
    """A folder of ``<key>.json`` files."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path(self, key: str) -> Path:
        return self.directory / f"{key}.json"

    def get(self, key: str) -> Extraction | None:
        path = self.path(key)
        try:
            with open(path, encoding="utf-8") as fh:
                return decode(json.load(fh))
        except FileNotFoundError:
            return None
        except (ValueError, KeyError, TypeError, IndexError):
            return None  # a damaged entry is re-extracted and overwritten

    def put(self, key: str, x: Extraction) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(encode(x), fh, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, self.path(key))

    def prune(self, keep: set[str]) -> None:
        if not self.directory.is_dir():
            return
        for path in self.directory.glob("*.json"):
            if path.stem not in keep:
                path.unlink(missing_ok=True)
