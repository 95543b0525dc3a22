"""Per-document extraction cache: an :class:`~kg.model.Extraction` as JSON, keyed by content.

A cached extraction is reused only when the document's text, its metadata and the extractor
(code, vocabulary and language model) are all unchanged; that is what makes rebuilding after
one changed document re-extract only that document.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .atomic import atomic_write_bytes
from .errors import OutputError
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
        "entities": _encode_entities(x.entities),
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
    return Extraction(
        document=src,
        sha256=d["sha256"],
        entities=_decode_entities(d["entities"]),
        mentions=tuple(Mention(e, _uncit(src, c), f) for e, f, c in d["mentions"]),
        claims=tuple(
            Claim(s, p, _unobj(o), tuple(_uncit(src, c) for c in cits), tuple((n, Value(v, t)) for n, v, t in notes))
            for s, p, o, cits, notes in d["claims"]
        ),
        warnings=tuple(d["warnings"]),
    )


@dataclass(frozen=True)
class Summary:
    """What linking needs of an extraction, small enough to read for every document on every build."""

    entities: tuple[LocalEntity, ...]
    spans: tuple[tuple[int, int], ...]  # the characters its mentions cite
    warnings: tuple[str, ...]

    @classmethod
    def of(cls, x: Extraction) -> Summary:
        return cls(x.entities, tuple(sorted({(m.citation.start, m.citation.end) for m in x.mentions})), x.warnings)


def _encode_entities(entities: tuple[LocalEntity, ...]) -> list[list[Any]]:
    return [
        [e.key, e.type, e.label, list(e.names), list(e.aliases),
         [p.key if isinstance(p, EntityKey) else None for p in e.identity],
         [p if isinstance(p, str) else None for p in e.identity],
         [list(x) for x in e.links], [list(x) for x in e.evidence], e.anonymous]
        for e in entities
    ]


def _decode_entities(rows: list[list[Any]]) -> tuple[LocalEntity, ...]:
    out = []
    for key, etype, label, names, aliases, refs, strs, links, evidence, anonymous in rows:
        identity = tuple(EntityKey(r) if r is not None else s for r, s in zip(refs, strs, strict=True))
        out.append(LocalEntity(key, etype, label, tuple(names), tuple(aliases), identity,
                               tuple((a, b) for a, b in links), tuple((a, b) for a, b in evidence), bool(anonymous)))
    return tuple(out)


class ExtractionCache:
    """A folder of ``<key>.json`` files (the extraction) and ``<key>.summary.json`` (:class:`Summary`)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path(self, key: str) -> Path:
        return self.directory / f"{key}.json"

    def has(self, key: str) -> bool:
        return self.path(key).is_file() and (self.directory / f"{key}.summary.json").is_file()

    def summary(self, key: str) -> Summary:
        with open(self.directory / f"{key}.summary.json", encoding="utf-8") as fh:
            d = json.load(fh)
        return Summary(_decode_entities(d["entities"]), tuple((a, b) for a, b in d["spans"]), tuple(d["warnings"]))

    def get_or_fail(self, key: str, doc: Document) -> Extraction:
        x = self.get(key)
        if x is None:
            raise OutputError(
                f"the cached extraction of {doc.id} is missing or damaged",
                f"in {self.directory}",
                "run `kg build --no-cache`",
            )
        return x

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
        summary = Summary.of(x)
        for path, data in (
            (self.path(key), encode(x)),
            (self.directory / f"{key}.summary.json",
             {"entities": _encode_entities(summary.entities), "spans": summary.spans, "warnings": summary.warnings}),
        ):
            atomic_write_bytes(path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))

    def prune(self, keep: set[str]) -> None:
        if not self.directory.is_dir():
            return
        for path in self.directory.glob("*.json"):
            if path.name.split(".")[0] not in keep:
                path.unlink(missing_ok=True)
