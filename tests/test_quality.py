"""Extraction quality: the corpus build scored against tests/expected/corpus_facts.toml.

The floors live in tests/expected/quality_baseline.json and are raised as extraction improves.
The scorer itself (benchmarks/quality.py) is tested here on a tiny hand-made dataset, with cases
that must match and cases that must not.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox
import pytest
from rdflib import RDF, SKOS, Graph

REPO = Path(__file__).resolve().parent.parent
EXPECTED = REPO / "tests" / "expected" / "corpus_facts.toml"
BASELINE = REPO / "tests" / "expected" / "quality_baseline.json"


def _load_quality() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kg_quality", REPO / "benchmarks" / "quality.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


quality = _load_quality()


# --- the corpus against its floors -----------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_scores(corpus) -> dict:
    project, _report = corpus
    return quality.score(project)


def test_baseline_names_every_category_with_both_floors() -> None:
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    assert "_note" in baseline
    assert {k for k in baseline if not k.startswith("_")} == set(quality.CATEGORIES)
    for cat in quality.CATEGORIES:
        assert set(baseline[cat]) == {"recall", "precision"}, cat
        for value in baseline[cat].values():
            assert 0.0 <= value <= 1.0


def test_every_corpus_document_is_scored(corpus_scores: dict) -> None:
    assert corpus_scores["missing_documents"] == []
    assert set(corpus_scores["documents"]) == {
        "dazed-2022-02-met-police-iopc-report",
        "iopc-2022-02-02-met-culture-recommendations",
    }


@pytest.mark.parametrize("category", quality.CATEGORIES)
def test_category_meets_its_floors(corpus_scores: dict, category: str) -> None:
    floors = json.loads(BASELINE.read_text(encoding="utf-8"))[category]
    got = corpus_scores["categories"][category]
    assert got["expected"] > 0, f"{category}: the expected facts list nothing"
    assert got["recall"] + 1e-9 >= floors["recall"], (
        f"{category} recall {got['recall']:.3f} < floor {floors['recall']}; misses: "
        + "; ".join(corpus_scores["misses"].get(category, []))
    )
    if got["precision"] is not None:
        assert got["precision"] + 1e-9 >= floors["precision"], (
            f"{category} precision {got['precision']:.3f} < floor {floors['precision']}; wrong: "
            + "; ".join(corpus_scores["wrong"].get(category, []))
        )
    assert quality.check_baseline({"categories": {category: got}}, {category: floors}) == []


# --- the expected facts agree with the documents and the vocabularies ----------------------------------


def _facts() -> dict:
    with open(EXPECTED, "rb") as fh:
        return tomllib.load(fh)


def _text(doc: str) -> str:
    return quality.norm((REPO / "sources" / f"{doc}.txt").read_text(encoding="utf-8"))


def _concepts() -> set[str]:
    g = Graph()
    for path in sorted((REPO / "ontology").glob("*.ttl")):
        g.parse(path, format="turtle")
    return {str(s) for s in g.subjects(RDF.type, SKOS.Concept)}


def test_expected_facts_are_worded_as_in_the_documents() -> None:
    facts = _facts()
    for e in facts["entity"]:
        text = _text(e["doc"])
        for form in [*([] if "match" in e else [e["label"]]), *e["aliases"], *e.get("references", [])]:
            assert quality.words_in(form, text), f"{e['doc']}: {form!r} is not in the text"
    for q in facts["quotation"]:
        assert quality.norm(q["starts"]) in _text(q["doc"]), q["starts"]
    for t in facts["term"]:
        assert re.search(rf"[\"']{re.escape(quality.norm(t['text']))}[\"']", _text(t["doc"])), t["text"]
    for r in facts["recommendation"]:
        assert quality.norm(r["words"]) in _text(r["doc"]), r["words"]
    for ev in facts["event"]:
        if "resolved_from" in ev:
            assert quality.words_in(ev["resolved_from"], _text(ev["doc"])), ev["resolved_from"]


def test_expected_facts_use_known_classes_concepts_and_labels() -> None:
    facts = _facts()
    concepts = _concepts()
    labels = {(e["doc"], e["label"]) for e in facts["entity"]}
    assert {e["type"] for e in facts["entity"]} <= set(quality.NAMED_CLASSES)

    def concept(curie: str) -> None:
        assert quality.expand(curie) in concepts, f"{curie} is not a concept in ontology/"

    def entity(doc: str, label: str) -> None:
        if label:
            assert (doc, label) in labels, f"{doc}: {label!r} is not an expected entity"

    for f in facts["finding"]:
        concept(f["misconduct"])
        for who in quality.as_list(f["found_by"]):
            entity(f["doc"], who)
    for o in facts["outcome"]:
        concept(o["outcome"])
        if "in_connection_with" in o:
            concept(o["in_connection_with"])
    for r in facts["role"]:
        concept(r["title"])
        for key in ("person", "organization", "area"):
            if key in r:
                entity(r["doc"], r[key])
    for ev in facts["event"]:
        for t in quality.as_list(ev["type"]):
            concept(t)
        for p in ev.get("participants", []):
            entity(ev["doc"], p)
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", ev["date"]), ev["date"]
    for q in facts["quotation"]:
        assert ("speaker" in q) != ("speaker_description" in q), q["starts"]
        for s in quality.as_list(q.get("speaker")):
            entity(q["doc"], s)
    for r in facts["recommendation"]:
        entity(r["doc"], r["by"])
        entity(r["doc"], r["to"])
    for c in facts["count"]:
        assert c["property"] in quality.COUNT_PROPERTIES
        entity(c["doc"], c["subject"])


# --- the scorer on a hand-made dataset -------------------------------------------------------------

DOC = "doc1"
TRIG = """
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix schema: <https://schema.org/> .
@prefix kg: <https://kg.example/ns#> .
@prefix misconduct: <https://kg.example/ns/misconduct/> .
@prefix outcome: <https://kg.example/ns/outcome/> .
@prefix title: <https://kg.example/ns/title/> .
@prefix etype: <https://kg.example/ns/event-type/> .
@prefix id: <https://kg.example/id/> .

<https://kg.example/id/source/doc1> {
  # --- entities
  id:p-naseem a schema:Person ; rdfs:label "Sal Naseem" ; skos:altLabel "Naseem", "Mr Nasim" .
  id:p-naseem-2 a schema:Person ; rdfs:label "Naseem" .                       # a duplicate
  id:o-iopc a schema:Organization ; rdfs:label "Independent Office for Police Conduct" ; skos:altLabel "IOPC’s" .
  id:o-met a schema:Organization ; rdfs:label "Metropolitan\u00a0Police  Service" ; skos:altLabel "MET" .
  id:o-ccps a schema:Organization ; rdfs:label "Charing Cross Police Station" .  # wrongly typed
  id:p-pin a schema:Person ; rdfs:label "Pin It" .                              # junk
  id:i-hotton a kg:Investigation ; rdfs:label "Operation Hotton" .
  id:r-report a schema:Report ; rdfs:label "IOPC learning report" .
  id:q-casey a kg:Review ; rdfs:label "formal review" .                         # no 'Casey'
  id:pl-london a schema:Place ; rdfs:label "London" .

  # --- mentions (references)
  id:m1 oa:motivatedBy oa:identifying ; oa:hasBody id:o-iopc ; oa:hasTarget id:t1 .
  id:t1 oa:hasSelector id:t1q . id:t1q oa:exact "the organisation" .
  id:m2 oa:motivatedBy oa:identifying ; oa:hasBody id:o-iopc ; oa:hasTarget id:t2 .
  id:t2 oa:hasSelector id:t2q . id:t2q oa:exact "the force" .
  id:m3 oa:motivatedBy oa:identifying ; oa:hasBody id:o-iopc ; oa:hasTarget id:t3 .
  id:t3 oa:hasSelector id:t3q . id:t3q oa:exact "IOPC" .
  id:m4 oa:motivatedBy oa:identifying ; oa:hasBody id:i-hotton ; oa:hasTarget id:t4 .
  id:t4 oa:hasSelector id:t4q . id:t4q oa:exact "our investigation" .

  # --- quotations
  id:q1 a schema:Quotation ; schema:text "These are not the actions of just a few bad apples." ; schema:creator id:p-naseem .
  id:q2 a schema:Quotation ; schema:text "Once our independent investigation started" ; schema:creator id:o-iopc .
  id:q3 a schema:Quotation ; schema:text "banter" .
  id:q4 a schema:Quotation ; schema:text "Grab her by the pussy." ; kg:speakerDescription "the second officer" .
  id:q5 a schema:Quotation ; schema:text "“It’s\u00a0important  that we surface the issues." ; schema:creator id:p-naseem .
  id:q6 a schema:Quotation ; schema:text "repeated mocking of religions" .
  id:q7 a schema:Quotation ; schema:text "I would happily rape you" ; kg:speakerDescription "a female officer" .

  # --- roles
  id:role1 a kg:Role ; kg:holder id:p-naseem ; kg:roleType title:regional-director ; kg:organization id:o-iopc .
  id:role2 a kg:Role ; kg:holder id:p-naseem ; kg:roleType title:director ; kg:organization id:o-met .

  # --- events
  id:e1 a schema:Event ; kg:eventType etype:began ; schema:object id:i-hotton ; schema:startDate "2018"^^xsd:gYear .
  id:s1 a rdf:Statement ; rdf:subject id:e1 ; rdf:predicate schema:startDate ; rdf:object "2018"^^xsd:gYear .
  id:e2 a schema:Event ; kg:eventType etype:published ; schema:agent id:o-iopc ; schema:startDate "2022-02-01"^^xsd:date .
  id:s2 a rdf:Statement ; rdf:subject id:e2 ; rdf:predicate schema:startDate ; rdf:object "2022-02-01"^^xsd:date ;
        kg:resolvedFrom "yesterday" .
  id:e3 a schema:Event ; kg:eventType etype:held ; schema:startDate "2021"^^xsd:gYear .
  id:s3 a rdf:Statement ; rdf:subject id:e3 ; rdf:predicate schema:startDate ; rdf:object "2021"^^xsd:gYear .
  id:a3 oa:motivatedBy oa:describing ; oa:hasBody id:s3 ; kg:resolvedFrom "last year" .   # on the citation
  id:e4 a schema:Event ; kg:eventType etype:concluded ; schema:startDate "2021-09"^^xsd:gYearMonth .
  id:s4 a rdf:Statement ; rdf:subject id:e4 ; rdf:predicate schema:startDate ; rdf:object "2021-09"^^xsd:gYearMonth ;
        kg:resolvedFrom "September last year (2021)" .
  id:e5 a schema:Event ; kg:eventType etype:wrote ; schema:startDate "2021-04"^^xsd:gYearMonth .
  id:s5 a rdf:Statement ; rdf:subject id:e5 ; rdf:predicate schema:startDate ; rdf:object "2021-04"^^xsd:gYearMonth .
  id:a5 oa:motivatedBy oa:describing ; oa:hasBody id:s5 ; kg:resolvedFrom "last year" .
  id:e6 a schema:Event ; kg:eventType etype:published ; kg:dueDate "2022"^^xsd:gYear .
  id:s6 a rdf:Statement ; rdf:subject id:e6 ; rdf:predicate kg:dueDate ; rdf:object "2022"^^xsd:gYear ;
        kg:resolvedFrom "within 56 days" .
  id:e7 a schema:Event ; kg:eventType etype:disbanded .                         # undated: not scored
  id:e8 a schema:Event ; kg:eventType etype:expanded ; schema:startDate "2019"^^xsd:gYear .
  id:s8 a rdf:Statement ; rdf:subject id:e8 ; rdf:predicate schema:startDate ; rdf:object "2019"^^xsd:gYear .
  id:poll a kg:Poll ; rdfs:label "2021 YouGov poll" ; kg:conductedBy id:o-yougov ; schema:dateCreated "2021"^^xsd:gYear .
  id:o-yougov a schema:Organization ; rdfs:label "YouGov" .

  # --- findings
  id:f1 a kg:Finding ; kg:misconductType misconduct:bullying ; kg:foundBy id:o-iopc .
  id:f2 a kg:Finding ; kg:misconductType misconduct:racism ; kg:foundBy id:o-met .
  id:f3 a kg:Finding ; kg:misconductType misconduct:sexism ; kg:foundBy id:r-report .

  # --- recommendations
  id:r1 a kg:Recommendation ; schema:text "for the MPS to publicly commit to being an anti\u2011racist organisation" ;
        kg:recommendedBy id:o-iopc ; kg:addressedTo id:o-met .
  id:r2 a kg:Recommendation ; schema:text "increased training on guidelines for communication" ; kg:recommendedBy id:o-iopc .

  # --- outcomes
  id:d1 a kg:DisciplinaryOutcome ; kg:outcomeType outcome:dismissal-gross-misconduct ; kg:officerCount 2 .
  id:d2 a kg:DisciplinaryOutcome ; kg:outcomeType outcome:practice-requiring-improvement ; kg:officerCount 1 ;
        kg:inConnectionWith outcome:misconduct-meeting .
  id:d3 a kg:DisciplinaryOutcome ; kg:outcomeType outcome:management-action ; kg:officerCount 3 .

  # --- counts
  id:i-hotton kg:officersInvestigated 14 , 10 .
  id:o-met kg:officersInvestigated 14 .                                         # the wrong subject
  id:r-report kg:recommendationCount 15 .
}

<https://kg.example/id/source/other> {
  id:elsewhere a schema:Person ; rdfs:label "Sal Naseem" .
  id:elsewhere kg:officersInvestigated 14 .
  id:a8 oa:motivatedBy oa:describing ; oa:hasBody id:s8 ; kg:resolvedFrom "the year after" .  # another source's
}
"""

FACTS = {
    "entity": [
        {"doc": DOC, "type": "schema:Person", "label": "Sal Naseem", "aliases": ["Naseem", "Mr Naseem"]},
        {
            "doc": DOC,
            "type": "schema:Organization",
            "label": "Independent Office for Police Conduct",
            "aliases": ["IOPC"],
            "references": ["the organisation", "we"],
        },
        {"doc": DOC, "type": "schema:Organization", "label": "Metropolitan Police Service", "aliases": ["Met"]},
        {"doc": DOC, "type": "schema:Place", "label": "Charing Cross Police Station", "aliases": []},
        {
            "doc": DOC,
            "type": "kg:Investigation",
            "label": "Operation Hotton",
            "aliases": [],
            "references": ["our investigations", "the operation"],
        },
        {
            "doc": DOC,
            "type": "schema:Report",
            "label": "Operation Hotton learning report",
            "match": "report",
            "aliases": [],
        },
        {"doc": DOC, "type": "kg:Review", "label": "review by Baroness Casey", "match": "Casey", "aliases": []},
        {"doc": DOC, "type": "schema:Place", "label": "London", "aliases": []},
        {"doc": DOC, "type": "schema:Organization", "label": "YouGov", "aliases": []},
        {"doc": DOC, "type": "kg:Poll", "label": "YouGov poll", "match": "poll", "aliases": []},
    ],
    "quotation": [
        {"doc": DOC, "starts": "These are not the actions of", "speaker": "Sal Naseem"},
        {"doc": DOC, "starts": "Once our independent investigation started", "speaker": "Sal Naseem"},
        {"doc": DOC, "starts": "Grab her by the pussy", "speaker_description": "the second officer"},
        {"doc": DOC, "starts": "It's important that we surface", "speaker": "Sal Naseem"},
        {
            "doc": DOC,
            "starts": "repeated mocking of religions",
            "speaker": ["Independent Office for Police Conduct", ""],
        },
        {"doc": DOC, "starts": "None of them spoke out", "speaker": "Sal Naseem"},
        {"doc": DOC, "starts": "I would happily rape you", "speaker_description": "a male officer"},
    ],
    "term": [{"doc": DOC, "text": "banter"}],
    "role": [
        {
            "doc": DOC,
            "person": "Sal Naseem",
            "title": "title:regional-director",
            "organization": "Independent Office for Police Conduct",
        },
        {
            "doc": DOC,
            "person": "Sal Naseem",
            "title": "title:regional-director",
            "organization": "Independent Office for Police Conduct",
            "area": "London",
        },
    ],
    "event": [
        {"doc": DOC, "type": "etype:began", "participants": ["Operation Hotton"], "date": "2018"},
        {
            "doc": DOC,
            "type": "etype:published",
            "participants": ["Independent Office for Police Conduct"],
            "date": "2022-02-01",
            "resolved_from": "yesterday",
        },
        {
            "doc": DOC,
            "type": "etype:published",
            "participants": ["Independent Office for Police Conduct"],
            "date": "2022-02-01",
            "resolved_from": "today",
        },
        {"doc": DOC, "type": "etype:held", "participants": [], "date": "2021", "resolved_from": "last year"},
        {
            "doc": DOC,
            "type": "etype:concluded",
            "participants": [],
            "date": "2021-09",
            "resolved_from": "September last year",
        },
        {"doc": DOC, "type": "etype:wrote", "participants": [], "date": "2021-04"},
        {
            "doc": DOC,
            "type": ["etype:published", "etype:responded"],
            "participants": [],
            "date": "2022",
            "due": True,
            "resolved_from": "within 56 days",
        },
        {"doc": DOC, "type": "etype:conducted", "participants": ["YouGov"], "date": "2021"},
        {"doc": DOC, "type": "etype:expanded", "participants": [], "date": "2019", "resolved_from": "the year after"},
    ],
    "finding": [
        {"doc": DOC, "misconduct": "misconduct:bullying", "found_by": "Independent Office for Police Conduct"},
        {"doc": DOC, "misconduct": "misconduct:racism", "found_by": "Independent Office for Police Conduct"},
        {
            "doc": DOC,
            "misconduct": "misconduct:sexism",
            "found_by": ["Independent Office for Police Conduct", "Operation Hotton learning report"],
        },
    ],
    "recommendation": [
        {
            "doc": DOC,
            "words": "publicly commit to being an anti-racist organisation",
            "by": "Independent Office for Police Conduct",
            "to": "Metropolitan Police Service",
        },
        {
            "doc": DOC,
            "words": "increased training on guidelines",
            "by": "Independent Office for Police Conduct",
            "to": "Metropolitan Police Service",
        },
    ],
    "outcome": [
        {"doc": DOC, "outcome": "outcome:dismissal-gross-misconduct", "count": 2},
        {"doc": DOC, "outcome": "outcome:practice-requiring-improvement", "count": 1},
        {
            "doc": DOC,
            "outcome": "outcome:practice-requiring-improvement",
            "count": 1,
            "in_connection_with": "outcome:misconduct-meeting",
        },
        {"doc": DOC, "outcome": "outcome:management-action", "count": 2},
    ],
    "count": [
        {"doc": DOC, "subject": "Operation Hotton", "property": "kg:officersInvestigated", "value": 14},
        {"doc": DOC, "subject": "Operation Hotton learning report", "property": "kg:recommendationCount", "value": 15},
        {"doc": DOC, "subject": "Operation Hotton", "property": "kg:investigationCount", "value": 9},
    ],
}


@pytest.fixture(scope="module")
def toy() -> dict:
    store = ox.Store()
    store.load(TRIG.encode("utf-8"), format=ox.RdfFormat.TRIG)
    return quality.score_store(store, FACTS)


def _fig(result: dict, cat: str) -> tuple[int, int, int, int]:
    f = result["categories"][cat]
    return f["expected"], f["found"], f["extracted"], f["correct"]


def _has(items: list[str], *words: str) -> bool:
    return any(all(w in item for w in words) for item in items)


def test_normalisation() -> None:
    assert quality.norm("  Metropolitan\u00a0Police \n Service ") == "metropolitan police service"
    assert quality.norm("“It’s”") == '"it\'s"'
    assert quality.norm_name("the IOPC’s") == "iopc"
    assert quality.norm_name("The Met") == "met"
    assert quality.norm_name("officers’") == "officers"
    assert quality.norm_ref("our investigation") == "investigation"
    assert quality.norm_quote("“It’s\u00a0important") == "it's important"
    assert quality.words_in("last year", "September last year (2021)")
    assert not quality.words_in("last year", "last years")
    assert not quality.words_in("Met", "Metropolitan")


def test_entities_match_by_type_and_name(toy: dict) -> None:
    # Found: Sal Naseem, the IOPC, the Met (odd spaces, case), Operation Hotton, the report (by its
    # `match` word), London, YouGov, the poll.  Missed: Charing Cross (wrong type), the review
    # (its label lacks 'Casey').
    assert _fig(toy, "entities") == (10, 8, 12, 8)
    misses, wrong = toy["misses"]["entities"], toy["wrong"]["entities"]
    assert _has(misses, "Charing Cross Police Station", "found only as")
    assert _has(misses, "review by Baroness Casey")
    assert _has(wrong, "'Naseem'", "duplicate of 'Sal Naseem'")
    assert _has(wrong, "'Pin It'", "junk")
    assert _has(wrong, "Charing Cross Police Station", "expected schema:Place")
    assert _has(wrong, "kg:Review 'formal review'")


def test_aliases(toy: dict) -> None:
    # Expected: Naseem (found), Mr Naseem (missed: "Mr Nasim" is not it), IOPC (found via "IOPC’s"),
    # Met (found, case-insensitively).  Extracted altLabels: Naseem, Mr Nasim, IOPC’s, MET.
    assert _fig(toy, "aliases") == (4, 3, 4, 3)
    assert _has(toy["misses"]["aliases"], "'Mr Naseem'")
    assert _has(toy["wrong"]["aliases"], "'Mr Nasim'")


def test_references(toy: dict) -> None:
    # "the organisation" found; "we" and "the operation" not mentioned; "our investigation" is not
    # "our investigations".  Extracted non-name mentions: the organisation (right), the force
    # (wrong), our investigation (wrong).  The mention "IOPC" is a name, not a reference.
    assert _fig(toy, "references") == (4, 1, 3, 1)
    assert _has(toy["wrong"]["references"], "'the force'", "Independent Office for Police Conduct")
    assert not _has(toy["wrong"]["references"], "'IOPC'")


def test_quotations_need_the_right_speaker(toy: dict) -> None:
    # Found: bad apples (Naseem), Grab her (description), It's important (curly quote, U+00A0, double
    # space, leading mark), repeated mocking (no speaker, allowed).  Missed: "Once our…" (attributed
    # to the IOPC), "I would…" (a female officer is not a male officer) and "None of them…" (absent).
    # Wrong: "Once our…", "I would…" and the scare quote "banter".
    assert _fig(toy, "quotations") == (7, 4, 7, 4)
    assert _has(toy["misses"]["quotations"], "I would happily", "wrong speaker (a female officer)")
    assert _has(toy["misses"]["quotations"], "Once our independent", "wrong speaker (Independent Office")
    assert _has(toy["misses"]["quotations"], "None of them spoke out", "not found")
    assert _has(toy["wrong"]["quotations"], "banter", "scare quote")


def test_roles(toy: dict) -> None:
    # The role without an area matches; the one "for London" needs kg:area; the director of the Met
    # matches nothing.
    assert _fig(toy, "roles") == (2, 1, 2, 1)
    assert _has(toy["misses"]["roles"], "for London")
    assert _has(toy["wrong"]["roles"], "title:director")


def test_events_need_date_and_resolution(toy: dict) -> None:
    # Found: began 2018 (no resolution, participant matched), published "yesterday" (on the
    # statement), held "last year" (on this document's citation), concluded from "September last
    # year (2021)", the 56-day deadline (a listed alternative type), the poll.
    # Missed: published "today" (recorded as "yesterday"); wrote (a written-out date must not carry
    # kg:resolvedFrom); expanded (resolved only in another source's citation).
    assert _fig(toy, "events") == (9, 6, 8, 6)
    misses = toy["misses"]["events"]
    assert _has(misses, "etype:published 2022-02-01", "'today'")
    assert _has(misses, "etype:wrote 2021-04")
    assert _has(misses, "etype:expanded 2019")
    assert not _has(misses, "etype:held")
    assert not _has(toy["wrong"]["events"], "disbanded")


def test_findings_need_the_finder(toy: dict) -> None:
    assert _fig(toy, "findings") == (3, 2, 3, 2)
    assert _has(toy["misses"]["findings"], "misconduct:racism")
    assert _has(toy["wrong"]["findings"], "misconduct:racism found by Metropolitan Police Service")


def test_recommendations_need_wording_and_parties(toy: dict) -> None:
    # r1's wording has a non-breaking hyphen ("anti‑racist"); r2 has no kg:addressedTo.
    assert _fig(toy, "recommendations") == (2, 1, 2, 1)
    assert _has(toy["misses"]["recommendations"], "increased training")


def test_outcomes_distinguish_connected_proceedings(toy: dict) -> None:
    # The plain PRI is not the PRI after a misconduct meeting; 3 × management action is not 2 ×.
    assert _fig(toy, "outcomes") == (4, 2, 3, 2)
    misses = toy["misses"]["outcomes"]
    assert _has(misses, "1 × outcome:practice-requiring-improvement") and not _has(misses, "with outcome:misconduct")
    assert _has(misses, "2 × outcome:management-action")


def test_counts_are_read_from_the_documents_own_graph(toy: dict) -> None:
    # 14 and 15 are found; 9 is not there; the extra 10 and the Met's 14 are wrong; the other
    # graph is not counted.
    assert _fig(toy, "counts") == (3, 2, 4, 2)
    assert _has(toy["wrong"]["counts"], "Operation Hotton kg:officersInvestigated 10")
    assert _has(toy["wrong"]["counts"], "Metropolitan Police Service kg:officersInvestigated 14")
    assert toy["missing_documents"] == []


def test_a_document_without_a_graph_is_reported() -> None:
    store = ox.Store()
    store.load(TRIG.encode("utf-8"), format=ox.RdfFormat.TRIG)
    facts = {"entity": [{"doc": "absent", "type": "schema:Person", "label": "Sal Naseem", "aliases": []}]}
    result = quality.score_store(store, facts)
    assert result["missing_documents"] == ["absent"]
    assert result["categories"]["entities"]["recall"] == 0.0
    assert result["categories"]["entities"]["precision"] is None


def test_check_baseline() -> None:
    result = {
        "categories": {"entities": {"recall": 0.9, "precision": None}, "counts": {"recall": 1.0, "precision": 0.5}}
    }
    assert quality.check_baseline(result, {"_note": "x", "entities": {"recall": 0.9, "precision": 0.99}}) == []
    failures = quality.check_baseline(
        result, {"entities": {"recall": 0.95, "precision": 0}, "counts": {"recall": 1.0, "precision": 0.6}}
    )
    assert len(failures) == 2
    assert _has(failures, "entities recall") and _has(failures, "counts precision")
    assert quality.check_baseline(result, {"quotes": {"recall": 0.0}}) == ["quotes: not scored"]


# --- the command line --------------------------------------------------------------------------------


def test_cli_without_a_build_says_to_run_kg_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert quality.main([str(tmp_path)]) == 2
    assert "kg build" in capsys.readouterr().err


def test_cli_table_json_and_baseline(corpus, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project, _ = corpus
    root = str(project.output.parent)
    assert quality.main([root, "--baseline", str(BASELINE)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["category", "expected", "found", "recall", "extracted", "precision"]
    assert "at or above the baseline" in out

    assert quality.main([root, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["categories"]) == set(quality.CATEGORIES)

    impossible = tmp_path / "baseline.json"
    impossible.write_text(json.dumps({"counts": {"recall": 1.01, "precision": 0.0}}), encoding="utf-8")
    assert quality.main([root, "--baseline", str(impossible)]) == 1
    assert "counts recall" in capsys.readouterr().out
