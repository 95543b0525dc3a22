"""What no rule can decide, people decide: ``sources/curation.toml``.

A curation file merges, splits or rejects entities and mentions, pins a label or an IRI, and links
an entity to the same thing elsewhere (``owl:sameAs``, a Wikidata item).  It is applied at build
time, by :mod:`kg.resolve`; every decision is kept in its own named graph,
``<https://kg.example/id/graph/curation>``, as contributed by the curation file, apart from what the
sources say; ``kg verify`` checks that every decision still applies to the dataset.

An entity is named by its IRI (or compact IRI), or by a name or alias it has in the sources (as
in ``kg factsheet``); a name that fits more than one entity must be given with ``type``.  A
decision that fits nothing stops the build with an error naming the file and the line::

    [[merge]]                       # one entity: the first keeps its IRI and label
    entities = ["Northshire Police", "Northshire Constabulary"]
    why = "the same force under its two names"

    [[split]]                       # one document's entity is not the corpus' entity
    entity = "Jane Roe"
    source = "gazette-2021-05-02-roe-interview"

    [[reject]]                      # not an entity: gone, with its mentions and statements
    entity = "Trigger"
    source = "feature-2022-02-10"   # optional: only in that source

    [[reject]]                      # not a mention of anything: these words, in that source
    mention = "Credit"
    source = "feature-2022-02-10"

    [[pin]]
    entity = "Met"
    label = "Metropolitan Police Service"
    iri = "https://kg.example/id/organization/metropolitan-police-service"   # optional

    [[same_as]]
    entity = "Independent Office for Police Conduct"
    iri = "http://www.wikidata.org/entity/Q4..."
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import ids
from .errors import SourceError

#: The curation file's name in ``sources/`` (never read as a document's metadata).
FILENAME = "curation.toml"
#: The named graph that holds what the curation file decided.
GRAPH = ids.CURATION_GRAPH

_KINDS = {
    "merge": ({"entities"}, {"why", "type"}),
    "split": ({"entity", "source"}, {"why", "type"}),
    "reject": (set(), {"entity", "mention", "source", "why", "type"}),
    "pin": ({"entity"}, {"label", "iri", "why", "type"}),
    "same_as": ({"entity", "iri"}, {"why", "type"}),
}


@dataclass(frozen=True)
class Decision:
    """One entry of the curation file."""

    kind: str  # merge | split | reject | pin | same_as
    line: int  # where it starts in the file
    entities: tuple[str, ...] = ()  # the entities it names (one, except for a merge)
    source: str | None = None
    mention: str | None = None
    label: str | None = None
    iri: str | None = None
    type: str | None = None
    why: str = ""

    @property
    def number(self) -> str:
        return f"{self.kind} at line {self.line}"


@dataclass(frozen=True)
class Curation:
    path: Path | None
    decisions: tuple[Decision, ...] = ()
    digest: str = ""

    def of(self, kind: str) -> list[Decision]:
        return [d for d in self.decisions if d.kind == kind]


EMPTY = Curation(None)


def _where(path: Path, line: int | None = None) -> str:
    return f"in {path}" + (f" line {line}" if line else "")


def _entry_lines(raw: str, kind: str) -> list[int]:
    return [raw.count("\n", 0, m.start()) + 1 for m in re.finditer(rf"(?m)^[ \t]*\[\[[ \t]*{re.escape(kind)}[ \t]*\]\]", raw)]


def load(sources_dir: Path) -> Curation:
    """The curation file of ``sources_dir`` (none: :data:`EMPTY`); a :class:`SourceError` naming the
    line for anything it cannot use."""
    path = sources_dir / FILENAME
    if not path.is_file():
        return EMPTY
    data_bytes = path.read_bytes()
    try:
        raw = data_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(f"the curation file is not UTF-8 (byte {exc.start})", _where(path), "save it as UTF-8") from exc
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        where = f"in {path} line {m.group(1)} column {m.group(2)}" if m else _where(path)
        reason = re.sub(r"\s*\(at line.*\)$", "", str(exc))
        raise SourceError(f"the curation file is not valid TOML: {reason}", where, "fix the TOML syntax") from exc
    unknown = sorted(set(data) - set(_KINDS))
    if unknown:
        raise SourceError(f"the curation file has an unknown section {unknown[0]!r}", _where(path),
                          f"use [[{']], [['.join(_KINDS)}]]")
    decisions: list[Decision] = []
    for kind, (required, optional) in _KINDS.items():
        entries = data.get(kind, [])
        if not isinstance(entries, list):
            raise SourceError(f"'{kind}' must be a list of tables", _where(path), f"write each one as [[{kind}]]")
        lines = _entry_lines(raw, kind) + [0] * len(entries)
        for entry, line in zip(entries, lines, strict=False):
            where = _where(path, line or None)
            if not isinstance(entry, dict):
                raise SourceError(f"a [[{kind}]] entry must be a table", where, "give it keys such as entity = \"…\"")
            missing = sorted(required - set(entry))
            extra = sorted(set(entry) - required - optional)
            if missing:
                raise SourceError(f"a [[{kind}]] entry has no '{missing[0]}'", where, f"add {missing[0]} = …")
            if extra:
                raise SourceError(f"a [[{kind}]] entry has an unknown key '{extra[0]}'", where,
                                  f"use only {', '.join(sorted(required | optional))}")
            for key, value in entry.items():
                ok = (isinstance(value, list) and value and all(isinstance(v, str) and v.strip() for v in value)) if key == "entities" \
                    else isinstance(value, str) and (value.strip() or key == "why")
                if not ok:
                    want = "a list of two or more names or IRIs" if key == "entities" else "a non-empty string"
                    raise SourceError(f"'{key}' of a [[{kind}]] entry must be {want}", where, f"write {key} = …")
            names = tuple(entry.get("entities", ())) or ((entry["entity"],) if "entity" in entry else ())
            if kind == "merge" and len(names) < 2:
                raise SourceError("a [[merge]] entry needs two or more entities", where, "list every entity to merge")
            if kind == "reject" and bool(entry.get("entity")) == bool(entry.get("mention")):
                raise SourceError("a [[reject]] entry names an entity or a mention, one of them", where,
                                  "write entity = \"…\" or mention = \"…\" (with source = \"…\")")
            if kind == "reject" and entry.get("mention") and not entry.get("source"):
                raise SourceError("a rejected mention needs the source it is in", where, "add source = \"…\"")
            if kind == "pin" and not (entry.get("label") or entry.get("iri")):
                raise SourceError("a [[pin]] entry pins a label, an IRI or both", where, "add label = \"…\" or iri = \"…\"")
            for key in ("iri",):
                if entry.get(key) and not re.fullmatch(r"(?:https?|urn):\S+", entry[key]):
                    raise SourceError(f"'{key}' of a [[{kind}]] entry is not an absolute IRI: {entry[key]!r}", where,
                                      "give an http(s) IRI")
            decisions.append(Decision(
                kind, line, names, entry.get("source"), entry.get("mention"), entry.get("label"), entry.get("iri"),
                entry.get("type"), entry.get("why", ""),
            ))
    decisions.sort(key=lambda d: (d.line, d.kind))
    return Curation(path, tuple(decisions), hashlib.sha256(data_bytes).hexdigest())


@dataclass
class Applied:
    """What the resolver did with the curation file: the IRIs each decision came to, for the
    curation graph, and the decisions that fit nothing."""

    records: list[tuple[Decision, tuple[str, ...]]] = field(default_factory=list)
    unapplied: list[tuple[Decision, str]] = field(default_factory=list)


def quads_of(applied: Applied, labels: dict[str, str]) -> list[tuple[str, str, str | int | bool, bool]]:
    """The curation graph as ``(subject, predicate, object, object-is-IRI)`` rows, in order."""
    out: list[tuple[str, str, str | int | bool, bool]] = []
    kg, rdfs, owl, prov = ids.KG, ids.PREFIXES["rdfs"], ids.PREFIXES["owl"], ids.PREFIXES["prov"]
    for decision, iris in applied.records:
        node = f"{ids.ID}curation/{ids.digest(decision.kind, str(decision.line), *decision.entities, size=16)}"
        out.append((node, ids.RDF_TYPE, kg + "CurationDecision", True))
        out.append((node, kg + "decision", decision.kind, False))
        out.append((node, prov + "wasAttributedTo", f"the curation file ({FILENAME}, line {decision.line})", False))
        if decision.why:
            out.append((node, rdfs + "comment", decision.why, False))
        for iri in iris:
            out.append((node, kg + "curates", iri, True))
        if decision.source:
            out.append((node, kg + "inSource", ids.source_iri(decision.source), True))
        if decision.mention:
            out.append((node, kg + "mentionText", decision.mention, False))
        if decision.kind == "pin" and decision.label and iris:
            out.append((iris[0], rdfs + "label", decision.label, False))
        if decision.kind == "same_as" and decision.iri and iris:
            out.append((iris[0], owl + "sameAs", decision.iri, True))
    return sorted(set(out), key=lambda q: (q[0], q[1], str(q[2])))


def describe(decisions: Sequence[Decision]) -> list[str]:
    return [f"{d.number}: {', '.join(d.entities) or d.mention or ''}" for d in decisions]
