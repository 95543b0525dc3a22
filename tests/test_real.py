"""Real reporting: the development corpus of tests/real/ (openly licensed texts about 13 cases,
labelled by hand) built with the two corpus texts, and scored by benchmarks/quality_real.py.

The floors in tests/expected/real_baseline.json hold; adding the real texts renames, retypes or
loses nothing the corpus texts alone give; and the scorer is itself tested on a tiny dataset.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
BASELINE = REPO / "tests" / "expected" / "real_baseline.json"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kg_quality_real", REPO / "benchmarks" / "quality_real.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


quality_real = _load()


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return quality_real.run(with_corpus=True, keep=tmp_path_factory.mktemp("real"), jobs=2)  # type: ignore[no-any-return]


def test_the_development_corpus_is_what_the_issue_asks() -> None:
    """At least 40 real texts about at least 6 cases, 3 or more texts a case, each with its licence."""
    cases = quality_real.load_expected()
    docs = [d for c in cases for d in c["docs"]]
    assert len(docs) >= 40 and len(set(docs)) == len(docs)
    assert len([c for c in cases if len(c["docs"]) >= 3]) >= 6
    for doc in docs:
        side = (quality_real.REAL / "sources" / f"{doc}.toml").read_text(encoding="utf-8")
        assert "licence = " in side and "url = " in side and "published = " in side, doc


def test_every_floor_holds(scores: dict[str, Any]) -> None:
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert {k for k in baseline if not k.startswith("_")} == {path for path, _way in quality_real.FLOORS}
    failures = quality_real.check_baseline(scores, baseline)
    assert not failures, "\n".join(failures) + "\n\n" + quality_real.format_result(scores, verbose=False)


def test_adding_real_reporting_damages_nothing_the_corpus_knows(scores: dict[str, Any]) -> None:
    m = scores["monotone"]
    assert m["entities"] > 50 and m["statements"] > 150
    assert m["lost"] == [] and m["renamed"] == [] and m["retyped"] == [] and m["statements_lost"] == 0


def test_every_citation_of_the_real_texts_anchors(scores: dict[str, Any]) -> None:
    from kg.project import Project
    from kg.verify import verify

    project = Project.at(next(Path(p).parent for p in [scores["project"]]))
    report = verify(project, shacl=False)
    assert report.ok, report.problems[:5]
    assert report.citations > 2000


def test_the_scorer_tells_linked_from_split_and_junk() -> None:
    """On a hand-made graph: one entity named in two texts as one IRI is linked; as two, split; an
    entity no label names is junk."""
    import pyoxigraph as ox

    src = quality_real.SOURCE
    oa = quality_real.PREFIXES["oa"]
    store = ox.Store()

    def mention(doc: str, iri: str, exact: str, etype: str = "https://schema.org/Person") -> None:
        g = ox.NamedNode(src + doc)
        a, t, q, p = (ox.NamedNode(f"urn:{x}:{doc}:{exact.replace(' ', '-')}") for x in "atqp")
        for s, pr, o in (
            (ox.NamedNode(iri), ox.NamedNode(quality_real.PREFIXES["rdf"] + "type"), ox.NamedNode(etype)),
            (a, ox.NamedNode(oa + "motivatedBy"), ox.NamedNode(oa + "identifying")),
            (a, ox.NamedNode(oa + "hasBody"), ox.NamedNode(iri)),
            (a, ox.NamedNode(oa + "hasTarget"), t),
            (t, ox.NamedNode(oa + "hasSelector"), q),
            (t, ox.NamedNode(oa + "hasSelector"), p),
            (q, ox.NamedNode(oa + "exact"), ox.Literal(exact)),
            (p, ox.NamedNode(oa + "start"), ox.Literal("0", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
        ):
            store.add(ox.Quad(s, pr, o, g))
            store.add(ox.Quad(s, pr, o, ox.DefaultGraph()))

    mention("a", "urn:jane", "Jane Roe")
    mention("b", "urn:jane", "Ms Roe")
    mention("a", "urn:sam", "Sam Doe")
    mention("b", "urn:sam2", "Sam Doe")
    mention("b", "urn:junk", "Notes")
    cases = [{"case": "x", "docs": ["a", "b"], "entity": [
        {"label": "Jane Roe", "type": "schema:Person", "names": {"a": ["Jane Roe"], "b": ["Ms Roe"]}},
        {"label": "Sam Doe", "type": "schema:Person", "names": {"a": ["Sam Doe"], "b": ["Sam Doe"]}},
    ]}]
    result, details = quality_real._entities(quality_real.Graph(store), cases)
    assert (result["linked"], result["entity_mentions"]) == (3, 4)
    assert result["split"] == 1 and result["junk"] == 1
    assert any(d.startswith("junk: b: ") and "Notes" in d for d in details), details
    # an entity a text only describes ("her office") is junk unless a label says the words stand for it
    mention("c", "urn:office", "her office", "https://schema.org/Organization")
    cases[0]["docs"].append("c")
    assert quality_real._entities(quality_real.Graph(store), cases)[0]["junk"] == 2
    cases[0]["entity"].append({"label": "Roe Office", "type": "schema:Organization", "names": {}, "described": {"c": ["her office"]}})
    result = quality_real._entities(quality_real.Graph(store), cases)[0]
    assert result["junk"] == 1 and (result["linked"], result["entity_mentions"]) == (3, 4)
