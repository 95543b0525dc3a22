#!/usr/bin/env python3
"""How kg does on real reporting: a build of tests/real/sources/ scored against the hand labels.

Usage::

    python benchmarks/quality_real.py [--corpus] [--json] [--baseline tests/expected/real_baseline.json]
                                      [--keep DIR]

It builds the development corpus of real texts (``tests/real/sources/``, every case together, as a
user's corpus would be) in a temporary project, with ``--corpus`` also the two corpus texts of
``sources/``, and scores the build against ``tests/real/expected/<case>.toml`` (the label format
is in ``tests/real/README.md``).  With ``--corpus`` it first builds the corpus texts alone and
counts what adding the real texts renamed, retyped or lost of that build.  It prints:

``linked``       of the case entities each text names, those whose mention in the text is the
                 entity the other texts of the case (and of other cases) name: one IRI per labelled
                 entity, the IRI most of its mentions have.  (Found: the text names it at all.)
``figures``      of the key figures a text states that another text states with the same value,
                 those whose statement in the text is the statement the other text cites (one
                 rdf:Statement, corroborated); ``figures found`` counts the statements at all.
``conflicts``    of the labelled disagreements, those recorded as a ``kg:Conflict`` holding both
                 values cited from both texts; ``spurious`` counts conflicts among the real texts'
                 statements that no label names.
``junk``         entities of the real texts that match no labelled name (junk), match one with
                 another type (mistyped), or stand for a labelled entity that already has an IRI
                 (split), and IRIs that stand for two labelled entities (merged).
``quotes``       labelled quotations found, and those whose speaker (``schema:creator``) is the
                 labelled speaker (a quotation labelled with no speaker must have none).
``renamed``      with ``--corpus``: entities of the corpus-only build whose IRI, label or type is
                 gone, and statements of it no longer in the dataset, after adding the real texts.

With ``--baseline`` it exits 1 when a figure is below its floor (see tests/test_real.py).
Importable: ``build(dirs, out) -> Project``, ``score(project) -> dict``, ``monotone(before, after) -> dict``.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import tomllib
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

REPO = Path(__file__).resolve().parent.parent
REAL = REPO / "tests" / "real"
EXPECTED_DIR = REAL / "expected"
BASELINE = REPO / "tests" / "expected" / "real_baseline.json"

ID = "https://kg.example/id/"
SOURCE = ID + "source/"
PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "oa": "http://www.w3.org/ns/oa#",
    "schema": "https://schema.org/",
    "kg": "https://kg.example/ns#",
    "outcome": "https://kg.example/ns/outcome/",
    "etype": "https://kg.example/ns/event-type/",
}
SPARQL = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
NAMED = {
    PREFIXES["schema"] + t
    for t in ("Person", "Organization", "NewsMediaOrganization", "Place", "SoftwareApplication", "CreativeWork")
} | {PREFIXES["kg"] + t for t in ("Investigation", "Movement", "Initiative")}
#: Figures and the statements that state them: (predicate, how the subject is typed).
FIGURES = {
    "officers-investigated": "kg:officersInvestigated",
    "linked-investigations": "kg:investigationCount",
    "recommendations": "kg:recommendationCount",
    "outcome": "kg:officerCount",
    "investigation-began": "etype:began",
    "investigation-concluded": "etype:concluded",
    "referral": "etype:referred",
    "hearing": "etype:held",
    "report-published": "etype:published",
    "incident": "etype:incident",  # or a death (etype:died): the labels' incident is "a death, an arrest, …"
}
#: Further event types that state a figure of the kind.
ALSO = {"incident": ("etype:died",)}
#: The key figures of issue 10: what "figures" is measured over (the others are printed too; a
#: figure labelled ``derived`` is one the text gives only in parts, "five officers and two staff").
KEY_FIGURES = ("officers-investigated", "linked-investigations", "recommendations", "outcome",
               "investigation-began", "investigation-concluded", "referral")


def expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES else curie


_FOLD = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " ", "–": "-", "—": "-"})


def norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).translate(_FOLD).casefold().split())


def norm_name(text: str) -> str:
    t = norm(text).strip(" \"'.,;:!?()[]")
    t = re.sub(r"^(?:the) ", "", t)
    return re.sub(r"(?:'s|')$", "", t).strip()


def _value(term: Any) -> str:
    return str(term.value)


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    res = store.query(SPARQL + query, use_default_graph_as_union=False)
    names = [v.value for v in res.variables]  # type: ignore[union-attr]
    return [{n: _value(s[n]) for n in names if s[n] is not None} for s in res]  # type: ignore[union-attr]


# --- labels ---------------------------------------------------------------------------------------


def load_expected(directory: Path = EXPECTED_DIR) -> list[dict[str, Any]]:
    cases = []
    for path in sorted(directory.glob("*.toml")):
        with open(path, "rb") as fh:
            case = tomllib.load(fh)
        case["_file"] = path.name
        cases.append(case)
    return cases


# --- building -------------------------------------------------------------------------------------


def build(source_dirs: Iterable[Path], out: Path, jobs: int = 2) -> Any:
    """A project at ``out`` whose sources are the files of ``source_dirs``, built."""
    sys.path.insert(0, str(REPO))
    from kg.build import build as kg_build
    from kg.project import Project

    src = out / "sources"
    src.mkdir(parents=True, exist_ok=True)
    for d in source_dirs:
        for f in sorted(Path(d).iterdir()):
            if f.is_file() and f.suffix in (".txt", ".html", ".toml"):
                shutil.copyfile(f, src / f.name)
    project = Project.at(out)
    kg_build(project, jobs=jobs)
    return project


# --- what the graph holds ------------------------------------------------------------------------


class Graph:
    """What the built dataset holds of each source, read once."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.types: dict[str, set[str]] = defaultdict(set)
        self.labels: dict[str, str] = {}
        for r in select(store, "SELECT ?e ?t ?l WHERE { ?e a ?t . OPTIONAL { ?e rdfs:label ?l } }"):
            self.types[r["e"]].add(r["t"])
            if "l" in r:
                self.labels[r["e"]] = r["l"]
        # mentions per source: (entity, exact, start)
        self.mentions: dict[str, list[tuple[str, str, int]]] = defaultdict(list)
        for r in select(store, """SELECT ?g ?e ?x ?s WHERE { GRAPH ?g { ?a oa:motivatedBy oa:identifying ; oa:hasBody ?e ;
                   oa:hasTarget ?t . ?t oa:hasSelector ?q, ?p . ?q oa:exact ?x . ?p oa:start ?s } }"""):
            self.mentions[r["g"]].append((r["e"], r["x"], int(r["s"])))
        # statements cited per source
        self.cited: dict[str, set[str]] = defaultdict(set)
        for r in select(store, "SELECT DISTINCT ?g ?st WHERE { GRAPH ?g { ?a oa:motivatedBy oa:describing ; oa:hasBody ?st } }"):
            self.cited[r["g"]].add(r["st"])
        self.triples: dict[str, tuple[str, str, str]] = {}
        for r in select(store, "SELECT ?st ?s ?p ?o WHERE { ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }"):
            self.triples[r["st"]] = (r["s"], r["p"], r["o"])
        self.facts: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for s, p, o in self.triples.values():
            self.facts[s][p].add(o)
        grouped: dict[str, list[str]] = defaultdict(list)
        for r in select(store, "SELECT ?c ?st WHERE { GRAPH <https://kg.example/id/graph/conflicts> { ?c a kg:Conflict ; kg:statement ?st } }"):
            grouped[r["c"]].append(r["st"])
        self.conflicts: list[list[str]] = [sorted(v) for _k, v in sorted(grouped.items())]

    def named(self, iri: str) -> bool:
        types = self.types.get(iri, set())
        return bool(types & NAMED) and PREFIXES["kg"] + "UnnamedEntity" not in types

    def type_curie(self, iri: str) -> str:
        for t in sorted(self.types.get(iri, ())):
            for p, ns in PREFIXES.items():
                if t.startswith(ns):
                    return f"{p}:{t[len(ns):]}"
        return ""


# --- scoring -------------------------------------------------------------------------------------


def _entities(g: Graph, cases: list[dict[str, Any]]) -> tuple[dict[str, Any], list[str]]:
    """Linking, and junk, mistyped, split and merged entities."""
    # one labelled entity per (label, type) across cases: the IOPC of one case is the IOPC of another
    labelled: dict[tuple[str, str], dict[str, Any]] = {}
    for case in cases:
        for ent in case.get("entity", []):
            key = (norm_name(ent["label"]), ent["type"])
            item = labelled.setdefault(key, {"label": ent["label"], "types": set(), "names": defaultdict(set)})
            item["types"].update([ent["type"], *ent.get("types", [])])
            for doc, forms in ent.get("names", {}).items():
                item["names"][doc].update(norm_name(f) for f in forms)
            for doc, forms in ent.get("described", {}).items():
                item.setdefault("described", defaultdict(set))[doc].update(norm_name(f) for f in forms)
    # what each labelled (doc, entity) is in the graph
    iris_of: dict[tuple[str, str], dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    label_of_mention: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)  # (doc, iri) -> labelled keys
    for key, item in labelled.items():
        for doc, forms in item["names"].items():
            for iri, exact, _s in g.mentions.get(SOURCE + doc, ()):
                if norm_name(exact) in forms and g.named(iri):
                    iris_of[key][doc][iri] += 1
                    label_of_mention[(doc, iri)].add(key)
    # words that describe a labelled entity without naming it: not junk when they stand for it
    described_as: dict[tuple[str, str], set[str]] = defaultdict(set)  # (doc, iri) -> the words
    for item in labelled.values():
        for doc, forms in item.get("described", {}).items():
            for iri, exact, _s in g.mentions.get(SOURCE + doc, ()):
                if norm_name(exact) in forms:
                    described_as[(doc, iri)].add(exact)
    linked = found = total = 0
    misses: list[str] = []
    majority: dict[tuple[str, str], str] = {}
    for key, item in sorted(labelled.items()):
        votes: Counter[str] = Counter()
        for doc in item["names"]:
            for iri in iris_of[key][doc]:
                votes[iri] += 1
        if votes:
            majority[key] = sorted(votes.items(), key=lambda x: (-x[1], x[0]))[0][0]
        for doc in sorted(item["names"]):
            total += 1
            got = iris_of[key][doc]
            if not got:
                misses.append(f"not found: {item['label']} in {doc}")
                continue
            found += 1
            if majority.get(key) in got:
                linked += 1
            else:
                misses.append(f"not linked: {item['label']} in {doc} is {sorted(got)} (others: {majority.get(key)})")
    # junk: entities mentioned in a labelled document that match no labelled form of that document
    docs = {doc for case in cases for doc in case.get("docs", [])}
    junk, mistyped, split, merged = [], [], [], []
    for doc in sorted(docs):
        seen: set[str] = set()
        for iri, _exact, _s in sorted(g.mentions.get(SOURCE + doc, ())):
            if iri in seen or not g.named(iri):
                continue
            seen.add(iri)
            keys = label_of_mention.get((doc, iri))
            if not keys and (doc, iri) in described_as:
                continue  # the text describes a labelled entity ("its investigation") and does not name it
            if not keys:
                forms = sorted({x for i, x, _ in g.mentions[SOURCE + doc] if i == iri})
                junk.append(f"{doc}: {g.labels.get(iri, iri)} ({g.type_curie(iri)}) as {forms}")
                continue
            for key in keys:
                if g.type_curie(iri) not in labelled[key]["types"]:
                    mistyped.append(f"{doc}: {labelled[key]['label']} is {g.type_curie(iri)}, not {sorted(labelled[key]['types'])}")
    for key in sorted(labelled):
        iris = {iri for doc in iris_of[key] for iri in iris_of[key][doc]}
        if len(iris) > 1:
            split.append(f"{labelled[key]['label']}: {len(iris)} entities {sorted(g.labels.get(i, i) for i in iris)}")
    holders: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for (_doc, iri), keys in label_of_mention.items():
        holders[iri].update(keys)
    for iri, keys in sorted(holders.items()):
        distinct = {k for k in keys}
        if len(distinct) > 1:
            merged.append(f"{g.labels.get(iri, iri)}: stands for {sorted(labelled[k]['label'] for k in distinct)}")
    result = {
        "entity_mentions": total, "found": found, "linked": linked,
        "linked_rate": linked / total if total else None, "found_rate": found / total if total else None,
        "junk": len(junk), "mistyped": len(mistyped), "split": len(split), "merged": len(merged),
        "bad_entities": len(junk) + len(mistyped) + len(split) + len(merged),
        "texts": len(docs),
    }
    details = misses + [f"junk: {j}" for j in junk] + [f"mistyped: {m}" for m in mistyped] + \
        [f"split: {s}" for s in split] + [f"merged: {m}" for m in merged]
    return result, details


@lru_cache(maxsize=1)
def _broader() -> tuple[tuple[str, str], ...]:
    """The (narrower, broader) pairs of ``ontology/outcomes.ttl``, read once."""
    store = ox.Store()
    store.load(path=str(REPO / "ontology" / "outcomes.ttl"), format=ox.RdfFormat.TURTLE)
    broader = ox.NamedNode("http://www.w3.org/2004/02/skos/core#broader")
    return tuple((q.subject.value, q.object.value) for q in store.quads_for_pattern(None, broader, None))


def _outcome_concepts(outcome: str) -> set[str]:
    """The concept ``outcome:<outcome>`` and every concept narrower than it in the ontology: "dismissed
    for gross misconduct" states "dismissed", and not the other way round."""
    found = {PREFIXES["outcome"] + outcome}
    while more := {narrow for narrow, broad in _broader() if broad in found} - found:
        found |= more
    return found


def _figure_statements(g: Graph, doc: str, kind: str, outcome: str | None, value: Any) -> set[str]:
    """Statements cited by ``doc`` that state the figure with ``value``."""
    out: set[str] = set()
    pred = FIGURES.get(kind)
    if pred is None:
        return out
    wanted = _outcome_concepts(outcome) if kind == "outcome" and outcome else set()
    want = str(value)
    for st in g.cited.get(SOURCE + doc, ()):
        s, p, o = g.triples.get(st, ("", "", ""))
        if pred.startswith("etype:"):
            # a hearing's figure is when it took place or ended (README of tests/real/)
            dated = (PREFIXES["schema"] + "startDate", PREFIXES["kg"] + "dueDate") + (
                (PREFIXES["schema"] + "endDate",) if kind == "hearing" else ())
            if p not in dated or o != want:
                continue
            types = {expand(pred), *(expand(x) for x in ALSO.get(kind, ()))}
            if types & g.facts[s].get(PREFIXES["kg"] + "eventType", set()):
                out.add(st)
            continue
        if p != expand(pred) or o != want:
            continue
        if kind == "outcome":
            types = g.facts[s].get(PREFIXES["kg"] + "outcomeType", set())
            if wanted and not wanted & types:
                continue
        out.add(st)
    return out


def _figures(g: Graph, cases: list[dict[str, Any]]) -> tuple[dict[str, Any], list[str]]:
    per_kind: dict[str, Counter[str]] = defaultdict(Counter)
    details = []
    for case in cases:
        for fig in case.get("figure", []):
            kind = fig["kind"] if not fig.get("derived") else "derived"  # the text gives only its parts
            values = fig.get("values", {})
            by_value: dict[str, list[str]] = defaultdict(list)
            for doc, v in values.items():
                by_value[str(v)].append(doc)
            for v, docs in by_value.items():
                stated = {d: _figure_statements(g, d, kind, fig.get("outcome"), v) for d in docs}
                for d in docs:
                    c = per_kind[kind]
                    c["stated"] += 1
                    if stated[d]:
                        c["found"] += 1
                    else:
                        details.append(f"figure not found: {case['case']} {kind}{'/' + fig['outcome'] if fig.get('outcome') else ''} = {v} in {d}")
                    if len(docs) > 1:
                        c["shared"] += 1
                        others = set().union(*(stated[o] for o in docs if o != d))
                        if stated[d] & others:
                            c["corroborated"] += 1
                        elif stated[d]:
                            details.append(f"figure not corroborated: {case['case']} {kind} = {v} in {d}")
    key = Counter[str]()
    for k in KEY_FIGURES:
        key.update(per_kind.get(k, Counter()))
    result = {
        "kinds": {k: dict(per_kind[k]) for k in sorted(per_kind)},
        "shared": key["shared"], "corroborated": key["corroborated"],
        "corroborated_rate": key["corroborated"] / key["shared"] if key["shared"] else None,
        "stated": key["stated"], "found": key["found"],
        "found_rate": key["found"] / key["stated"] if key["stated"] else None,
    }
    return result, details


def _conflicts(g: Graph, cases: list[dict[str, Any]]) -> tuple[dict[str, Any], list[str]]:
    docs = {SOURCE + d for case in cases for d in case.get("docs", [])}
    cited_by: dict[str, set[str]] = defaultdict(set)
    for doc, sts in g.cited.items():
        for st in sts:
            cited_by[st].add(doc)
    expected = recorded = 0
    details = []
    matched: set[int] = set()
    for case in cases:
        for dis in case.get("disagreement", []):
            expected += 1
            values = {SOURCE + d: str(v) for d, v in dis["values"].items()}
            hit = None
            for i, sts in enumerate(g.conflicts):
                have = {(doc, g.triples[st][2]) for st in sts for doc in cited_by[st]}
                if all((doc, v) in have or (doc, _iri_label(g, v)) in have for doc, v in values.items()):
                    hit = i
                    break
                if all(any(doc == d for d, _ in have) for doc in values) and dis["kind"] == "attribution":
                    hit = i
                    break
            if hit is None:
                details.append(f"disagreement not recorded: {case['case']} {dis['kind']} {dis.get('figure', '')} {dis['values']}")
            else:
                recorded += 1
                matched.add(hit)
    spurious = []
    for i, sts in enumerate(g.conflicts):
        involved = {doc for st in sts for doc in cited_by[st]}
        if i not in matched and involved & docs:
            s, p, _o = g.triples[sts[0]]
            values = sorted({f"{g.labels.get(g.triples[st][2], g.triples[st][2])} [{', '.join(sorted(d[len(SOURCE):] for d in cited_by[st]))}]" for st in sts})
            spurious.append(f"spurious conflict: {g.labels.get(s, s)} — {p.rsplit('/', 1)[-1].rsplit('#', 1)[-1]}: {' vs '.join(values)}")
    return ({"expected": expected, "recorded": recorded, "recorded_rate": recorded / expected if expected else None,
             "spurious": len(spurious)}, details + spurious)


def _iri_label(g: Graph, value: str) -> str:
    return value


def _quotes(g: Graph, cases: list[dict[str, Any]]) -> tuple[dict[str, Any], list[str]]:
    quote_type = PREFIXES["schema"] + "Quotation"
    creator = PREFIXES["schema"] + "creator"
    labelled_iris: dict[str, set[str]] = defaultdict(set)  # norm label -> IRIs that hold it by a mention
    for case in cases:
        for ent in case.get("entity", []):
            for doc, forms in ent.get("names", {}).items():
                wanted = {norm_name(f) for f in forms}
                for iri, exact, _s in g.mentions.get(SOURCE + doc, ()):
                    if norm_name(exact) in wanted:
                        labelled_iris[norm_name(ent["label"])].add(iri)
    total = found = right = 0
    groups: dict[str, set[str]] = defaultdict(set)
    group_docs: dict[str, int] = Counter()
    details = []
    for case in cases:
        for q in case.get("quote", []):
            total += 1
            doc = SOURCE + q["doc"]
            opens = norm(q["opens"]).lstrip("\"' ")
            # a passage of several paragraphs is one quotation: the labelled paragraph is in it
            hits = [iri for iri, exact, _s in sorted(g.mentions.get(doc, ()), key=lambda m: m[2])
                    if quote_type in g.types.get(iri, ()) and opens[:40] in norm(exact)]
            if not hits:
                details.append(f"quote not found: {q['doc']}: {q['opens']!r}")
                continue
            found += 1
            iri = hits[0]
            said_by = {o for st in g.cited.get(doc, ()) for s, p, o in [g.triples.get(st, ("", "", ""))] if s == iri and p == creator}
            want = q.get("speaker", "")
            if not want:
                ok = not said_by
            else:
                ok = bool(said_by & labelled_iris.get(norm_name(want), set())) or any(
                    norm_name(g.labels.get(o, "")) == norm_name(want) for o in said_by)
            if ok:
                right += 1
            else:
                details.append(f"speaker: {q['doc']}: {q['opens']!r} by {want or '(none)'}, graph says {sorted(g.labels.get(o, o) for o in said_by) or '(none)'}")
            if q.get("group"):
                groups[f"{case['case']}/{q['group']}"].add(iri)
                group_docs[f"{case['case']}/{q['group']}"] += 1
    shared = [k for k, n in group_docs.items() if n > 1]
    one = sum(1 for k in shared if len(groups[k]) == 1)
    for k in shared:
        if len(groups[k]) > 1:
            details.append(f"quotation in several sources is {len(groups[k])} quotations: {k}")
    return ({"labelled": total, "found": found, "right_speaker": right,
             "right_rate": right / total if total else None, "found_rate": found / total if total else None,
             "shared": len(shared), "one_quotation": one}, details)


def score(project: Any, expected_dir: Path = EXPECTED_DIR) -> dict[str, Any]:
    sys.path.insert(0, str(REPO))
    from kg.dataset import open_store

    g = Graph(open_store(project))
    cases = load_expected(expected_dir)
    out: dict[str, Any] = {"cases": len(cases), "texts": sum(len(c.get("docs", [])) for c in cases)}
    details: dict[str, list[str]] = {}
    for name, fn in (("entities", _entities), ("figures", _figures), ("conflicts", _conflicts), ("quotes", _quotes)):
        out[name], details[name] = fn(g, cases)
    out["details"] = details
    return out


def monotone(before: Any, after: Any) -> dict[str, Any]:
    """What adding sources renamed, retyped or lost of an earlier build's entities and statements."""
    sys.path.insert(0, str(REPO))
    from kg.dataset import open_store

    def view(project: Any) -> tuple[dict[str, tuple[str, frozenset[str]]], set[str]]:
        store = open_store(project)
        ents: dict[str, tuple[str, set[str]]] = {}
        for r in select(store, "SELECT ?e ?t ?l WHERE { ?e a ?t ; rdfs:label ?l . FILTER(STRSTARTS(STR(?e), 'https://kg.example/id/') && !STRSTARTS(STR(?e), 'https://kg.example/id/source/')) }"):
            ents.setdefault(r["e"], (r["l"], set()))[1].add(r["t"])
        sts = {r["st"] for r in select(store, "SELECT ?st WHERE { ?st a rdf:Statement }")}
        return {k: (v[0], frozenset(v[1])) for k, v in ents.items()}, sts

    e0, s0 = view(before)
    e1, s1 = view(after)
    lost = sorted(f"{v[0]} ({k})" for k, v in e0.items() if k not in e1)
    renamed = sorted(f"{v[0]} → {e1[k][0]}" for k, v in e0.items() if k in e1 and e1[k][0] != v[0])
    retyped = sorted(f"{v[0]}: {sorted(v[1])} → {sorted(e1[k][1])}" for k, v in e0.items() if k in e1 and e1[k][1] != v[1])
    gone = sorted(s0 - s1)
    return {"entities": len(e0), "statements": len(s0), "lost": lost, "renamed": renamed, "retyped": retyped,
            "statements_lost": len(gone), "changed": len(lost) + len(renamed) + len(retyped) + len(gone)}


#: The figures held as floors: (path in the result, which way is better).
FLOORS = (
    ("entities.linked_rate", "min"), ("entities.found_rate", "min"), ("entities.bad_entities", "max"),
    ("figures.corroborated_rate", "min"), ("figures.found_rate", "min"),
    ("conflicts.recorded_rate", "min"), ("conflicts.spurious", "max"),
    ("quotes.right_rate", "min"), ("quotes.found_rate", "min"), ("quotes.one_quotation", "min"),
    ("monotone.changed", "max"),
)


def get(result: dict[str, Any], path: str) -> Any:
    node: Any = result
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def check_baseline(result: dict[str, Any], baseline: dict[str, Any]) -> list[str]:
    failures = []
    for path, way in FLOORS:
        floor = baseline.get(path)
        value = get(result, path)
        if floor is None or value is None:
            continue
        if (way == "min" and value + 1e-9 < floor) or (way == "max" and value > floor + 1e-9):
            failures.append(f"{path} is {value}, the floor is {floor} ({'at least' if way == 'min' else 'at most'})")
    return failures


def pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def format_result(r: dict[str, Any], verbose: bool = True) -> str:
    e, f, c, q = r["entities"], r["figures"], r["conflicts"], r["quotes"]
    lines = [
        f"Real reporting: {r['texts']} texts, {r['cases']} cases",
        f"  named entities linked   {e['linked']}/{e['entity_mentions']} = {pct(e['linked_rate'])}   (found {pct(e['found_rate'])})",
        f"  key figures corroborated {f['corroborated']}/{f['shared']} = {pct(f['corroborated_rate'])}   "
        f"(stated by a text and found: {f['found']}/{f['stated']} = {pct(f['found_rate'])})",
        f"  disagreements recorded  {c['recorded']}/{c['expected']} = {pct(c['recorded_rate'])}   spurious conflicts: {c['spurious']}",
        f"  junk, mistyped, split or merged entities: {e['bad_entities']} in {e['texts']} texts "
        f"(junk {e['junk']}, mistyped {e['mistyped']}, split {e['split']}, merged {e['merged']})",
        f"  quotations with the right speaker {q['right_speaker']}/{q['labelled']} = {pct(q['right_rate'])}   "
        f"(found {pct(q['found_rate'])}; quoted by several texts: {q['one_quotation']}/{q['shared']} one quotation)",
    ]
    if "monotone" in r:
        m = r["monotone"]
        lines.append(f"  corpus entities/statements lost or renamed by adding the texts: {m['changed']} "
                     f"(of {m['entities']} entities and {m['statements']} statements)")
    lines.append("  figures by kind: " + ", ".join(
        f"{k} {v.get('corroborated', 0)}/{v.get('shared', 0)} corroborated, {v.get('found', 0)}/{v.get('stated', 0)} found"
        for k, v in r["figures"]["kinds"].items()))
    if verbose:
        for name, items in r["details"].items():
            if items:
                lines += ["", f"{name}:"] + [f"  - {x}" for x in items]
        if "monotone" in r:
            m = r["monotone"]
            for k in ("lost", "renamed", "retyped"):
                lines += [f"  {k}: {x}" for x in m[k]]
    return "\n".join(lines)


def run(with_corpus: bool, keep: Path | None = None, jobs: int = 2) -> dict[str, Any]:
    tmp = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="kg-real-"))
    try:
        dirs = [REAL / "sources"]
        result: dict[str, Any]
        if with_corpus:
            before = build([REPO / "sources"], tmp / "corpus", jobs)
            after = build([REPO / "sources", REAL / "sources"], tmp / "all", jobs)
            result = score(after)
            result["monotone"] = monotone(before, after)
            result["project"] = str(after.output)
        else:
            project = build(dirs, tmp / "real", jobs)
            result = score(project)
            result["project"] = str(project.output)
        return result
    finally:
        if keep is None:
            shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", action="store_true", help="build with the corpus texts, and count what adding the real texts changed of them")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--brief", action="store_true", help="the figures only, not every miss")
    parser.add_argument("--baseline", type=Path, help="exit 1 when a figure is below this file's floors")
    parser.add_argument("--keep", type=Path, help="build in this folder and leave it there")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    result = run(args.corpus, args.keep, args.jobs)
    failures = []
    if args.baseline:
        failures = check_baseline(result, json.loads(args.baseline.read_text(encoding="utf-8")))
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print(format_result(result, verbose=not args.brief))
        for f in failures:
            print(f"below the floor: {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
