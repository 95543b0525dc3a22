"""Finding the one entity a user names: the one resolver of every command (``kg query -p``,
``kg analyze path``, ``kg factsheet``, ``kg explain``).

A name is an IRI (``<…>``, ``https://…``, ``urn:…``), a compact IRI (``person:jane-roe``), a
label or an alias.  Names compare by :func:`kg.text.normalize_name` (case, curly quotes, runs of
white space and accents do not matter), and a label wins over an alias.  When nothing has the
name, the error suggests the names close to it in spelling and the names it is a word of ("Reyes"
for "Dana Reyes", "Lantern" for "Operation Lantern"); when several have it, it lists each.  A
candidate is told apart by its kind and what the sources say it is (a role it holds, the first
words it is quoted saying), with its compact IRI to name it by.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from . import ids
from .errors import KGError, LookupFailed
from .kinds import kinds
from .text import normalize_name

#: How many close candidates an error suggests.
SUGGESTIONS = 5


@dataclass(frozen=True)
class Named:
    """An entity as a user may name it."""

    iri: str
    label: str
    aliases: tuple[str, ...] = ()
    kind: str = ""  # "person", "organisation" (ontology/kinds.ttl)


#: What tells candidates apart beyond their kind: IRI -> a short description ("a spokesperson",
#: "quoted: “We found …”"); the lookup asks only for the candidates it lists.
Describe = Callable[[Sequence[str]], dict[str, str]]


def as_iri(text: str) -> str | None:
    """``text`` as an IRI when it is written as one: ``<…>``, ``scheme://…``, ``urn:…`` or a
    compact IRI of a known prefix."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$", text) or re.match(r"^urn:\S+$", text):
        return text
    m = re.match(r"^([A-Za-z][A-Za-z0-9_-]*):(\S*)$", text)
    if m and m.group(1) in ids.PREFIXES:
        return ids.PREFIXES[m.group(1)] + m.group(2)
    return None


def find(
    named: Iterable[Named], text: str, *, describe: Describe | None = None,
    error: type[KGError] = LookupFailed, where: str | None = None,
) -> str:
    """The IRI of the one entity of ``named`` that ``text`` names (see the module docstring);
    raises ``error`` when none or several do."""
    entities = {n.iri: n for n in named}
    iri = as_iri(text)
    if iri is not None:
        if iri in entities:
            return iri
        raise error(f"no entity {ids.compact(iri)} in the dataset", where,
                    _hint(_close(entities, ids.compact(iri)), entities, describe) + "`kg query entities` lists every entity")
    key = normalize_name(text)
    for how in ("label", "alias"):
        found = sorted(n.iri for n in entities.values()
                       if (key == normalize_name(n.label) if how == "label" else any(key == normalize_name(a) for a in n.aliases)))
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise error(f"{text!r} names {len(found)} entities: {_listed(found, entities, describe)}", where,
                        "give the IRI or compact IRI of the one you mean")
    raise error(f"no entity is named {text!r}", where,
                _hint(_close(entities, text), entities, describe) + "`kg query entities` lists every entity and alias")


def candidate(n: Named, about: str = "") -> str:
    """How an error names a candidate: "Dana Reyes (person, a spokesperson; person:dana-reyes)"."""
    what = ", ".join(x for x in (n.kind, about) if x)
    return f"{n.label} ({what + '; ' if what else ''}{ids.compact(n.iri)})"


def _candidates(iris: Sequence[str], entities: dict[str, Named], describe: Describe | None) -> list[str]:
    about = describe(iris) if describe else {}
    return [candidate(entities[i], about.get(i, "")) for i in iris]


def _listed(iris: Sequence[str], entities: dict[str, Named], describe: Describe | None) -> str:
    return "; ".join(_candidates(iris, entities, describe))


def _hint(close: list[str], entities: dict[str, Named], describe: Describe | None) -> str:
    return f"did you mean {' or '.join(_candidates(close, entities, describe))}? " if close else ""


def _close(entities: dict[str, Named], text: str) -> list[str]:
    """The entities whose names are close to ``text``: spelt alike, or having it as a word or the
    start of a word ("Dana" for "Dana Reyes"), best first."""
    key = normalize_name(text)
    names: dict[str, set[str]] = {}
    for n in entities.values():
        for name in (n.label, *n.aliases):
            names.setdefault(normalize_name(name), set()).add(n.iri)
    out: list[str] = []
    facts = {k.segment for k in kinds() if k.fact}

    def add(iris: Iterable[str]) -> None:
        # named things before the facts told about them (a person before the role, the event)
        def order(i: str) -> tuple[bool, str, str]:
            return i.removeprefix(ids.ID).split("/", 1)[0] in facts, entities[i].label.casefold(), i

        for i in sorted(iris, key=order):
            if i not in out:
                out.append(i)

    for c in difflib.get_close_matches(key, sorted(names), n=SUGGESTIONS, cutoff=0.6):
        add(names[c])
    words = [w for w in re.findall(r"\w+", key) if len(w) >= 3]
    if words:
        add(i for name, iris in names.items() for i in iris
            if all(any(part.startswith(w) for part in re.findall(r"\w+", name)) for w in words))
    return out[:SUGGESTIONS]


_ABOUT = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX schema: <https://schema.org/>
PREFIX kg: <https://kg.example/ns#>
SELECT ?type ?role ?quote WHERE {
  { ?entity rdf:type ?type }
  UNION { ?r kg:holder ?entity ; schema:roleName ?role }
  UNION { ?q schema:creator ?entity ; schema:text ?quote }
}
"""


def store_describer(store: Any, *, kind: bool = True) -> Describe:
    """What the built store (or a SPARQL endpoint: anything with the store's ``query``) says each
    candidate is: its kind (unless the candidates say it), a role it holds, the first words of
    the first thing it is quoted saying."""
    import pyoxigraph as ox

    from . import binding, kinds

    def describe(iris: Sequence[str]) -> dict[str, str]:
        out = {}
        for iri in iris:
            query = binding.inline(_ABOUT, {"entity": ox.NamedNode(iri)})
            assert query is not None
            types: set[str] = set()
            roles: set[str] = set()
            quotes: set[str] = set()
            for row in store.query(query):  # type: ignore[union-attr]
                for name, into in (("type", types), ("role", roles), ("quote", quotes)):
                    if row[name] is not None:  # type: ignore[index]
                        into.add(row[name].value)  # type: ignore[index]
            known = sorted((kinds.by_curie()[c] for c in map(ids.compact, types) if c in kinds.by_curie()), key=lambda k: k.order)
            parts = [known[0].singular] if known and kind else []
            if roles:
                parts.append(min(roles, key=lambda r: (len(r), r)))
            if quotes:
                words = min(quotes).split()
                opening = " ".join(words[:6]).rstrip(".,;:!?… ") + (" …" if len(words) > 6 else "")
                parts.append(f"quoted: “{opening}”")
            out[iri] = ", ".join(parts)
        return out

    return describe
