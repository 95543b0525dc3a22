"""Tests of their own for the modules the build leans on: ids (deterministic IRIs), cache (an
extraction kept and read back whole), propagate (a corpus name found again where an extraction
missed it) and dataset (the statement object's one encoding, canonical quads, TriG chunks)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import dataset, ids
from kg.cache import ExtractionCache, Summary, decode, document_key, encode
from kg.model import (
    Citation,
    Claim,
    Concept,
    EntityKey,
    Extraction,
    LocalEntity,
    Mention,
    PartialDate,
    SourceMeta,
    Value,
)
from kg.propagate import Propagator
from kg.sources import layout

META = SourceMeta("Hearing ends", "Harbour Gazette", "https://example.org/a", PartialDate.parse("2023-06-14"), "news")


def _doc(text: str, doc_id: str = "a"):  # type: ignore[no-untyped-def]
    return layout(doc_id, f"{doc_id}.txt", "text/plain", text, META)


# --- ids -----------------------------------------------------------------------------------------


def test_iris_are_derived_from_content_alone() -> None:
    assert ids.entity_iri("schema:Person", "Zoë O’Hara") == ids.ID + "person/zoe-ohara"
    derived = ids.entity_iri("schema:Event", "hearing", ("etype:held", "case"))
    assert derived == ids.entity_iri("schema:Event", "hearing", ("etype:held", "case"))  # same parts, same IRI
    assert derived != ids.entity_iri("schema:Event", "hearing", ("etype:held", "other case"))
    assert derived.startswith(ids.ID + "event/hearing-") and len(derived.rsplit("-", 1)[1]) == 10
    assert ids.statement_iri("s", "p", "o") == ids.statement_iri("s", "p", "o") != ids.statement_iri("s", "p", "o2")
    assert ids.digest("a", "bc") != ids.digest("ab", "c")  # parts are joined unambiguously
    assert ids.slug("x" * 10 + " " + "y" * 70, 20) == "x" * 10  # cut at a word, never mid-word
    assert ids.slug("—") == "x"


def test_compact_and_expand_are_inverse_on_kgs_namespaces() -> None:
    for curie in ("schema:Person", "kg:Finding", "person:jane-roe", "outlet:harbour-gazette", "etype:held"):
        assert ids.compact(ids.expand(curie)) == curie
    assert ids.compact("https://elsewhere.example/x") == "https://elsewhere.example/x"
    assert ids.compact(ids.ID + "person/a.") == ids.ID + "person/a."  # not a valid local name
    with pytest.raises(ValueError, match="unknown prefix"):
        ids.expand("nope:x")


# --- cache ---------------------------------------------------------------------------------------


def _extraction() -> Extraction:
    doc = _doc("Jane Roe chaired the hearing on 4 May 2022.")
    roe = LocalEntity("person:jane roe", "schema:Person", "Jane Roe", ("Jane Roe",), ("Jane Roe", "Ms Roe"),
                      links=(("Ms Roe", "honorific"),), evidence=(("mentions", "1"),))
    event = LocalEntity("event#1", "schema:Event", "hearing", identity=("etype:held", "document:a", "hearing"))
    cite = Citation.make(doc, 0, 8)
    date = Citation.make(doc, 32, 42)
    claims = (
        Claim("event#1", "kg:eventType", Concept("etype:held"), (cite,)),
        Claim("event#1", "schema:about", EntityKey("person:jane roe"), (cite,)),
        Claim("event#1", "schema:startDate", Value("2022-05-04", "xsd:date"), (date,),
              (("kg:resolvedFrom", Value("4 May 2022", "xsd:string")),)),
    )
    return Extraction("a", doc.sha256, (event, roe), (Mention("person:jane roe", cite, "name"),), claims, ("a warning",))


def test_an_extraction_is_kept_and_read_back_whole(tmp_path: Path) -> None:
    x = _extraction()
    assert decode(encode(x)) == x
    cache = ExtractionCache(tmp_path / "cache")
    assert not cache.has("k") and cache.get("k") is None
    cache.put("k", x)
    assert cache.has("k") and cache.get("k") == x
    assert cache.summary("k") == Summary.of(x)
    cache.path("k").write_text("{ damaged", encoding="utf-8")
    assert cache.get("k") is None  # a damaged entry is re-extracted, not trusted
    cache.put("other", x)
    cache.prune({"other"})
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["other.json", "other.summary.json"]


def test_a_documents_key_changes_with_its_text_its_metadata_and_the_extractor() -> None:
    a = _doc("Jane Roe chaired the hearing.")
    assert document_key(a, "f1") == document_key(_doc("Jane Roe chaired the hearing."), "f1")
    assert document_key(a, "f1") != document_key(a, "f2")
    assert document_key(a, "f1") != document_key(_doc("Jane Roe chaired the inquiry."), "f1")
    assert document_key(a, "f1") != document_key(_doc("Jane Roe chaired the hearing.", "b"), "f1")


# --- propagate -----------------------------------------------------------------------------------


def test_a_corpus_name_is_found_again_where_an_extraction_missed_it() -> None:
    office = LocalEntity("organization:harbour conduct office", "schema:Organization", "Harbour Conduct Office",
                         ("Harbour Conduct Office",), ("Harbour Conduct Office",))
    p = Propagator([[office]])
    doc = _doc("The report went to the Harbour Conduct Office in May. Harbour Conduct Officers met.")
    x = Extraction("a", doc.sha256, (), (), (), ())
    additions = p.find(doc, Summary.of(x))
    assert [(s, e) for s, e, *_rest in additions] == [(23, 45)]  # not inside "… Officers"
    applied = p.apply(doc, x, additions)
    assert [e.label for e in applied.entities] == ["Harbour Conduct Office"]
    assert [m.citation.exact for m in applied.mentions] == ["Harbour Conduct Office"]
    # a name the extraction already cites there is not added twice
    covered = Extraction("a", doc.sha256, (office,), (Mention(office.key, Citation.make(doc, 23, 45), "name"),), (), ())
    assert p.find(doc, Summary.of(covered)) == ()


# --- dataset -------------------------------------------------------------------------------------


def test_a_statements_object_has_one_encoding() -> None:
    for o in (ids.ID + "person/jane-roe", Value("14", "xsd:integer"), Value('a "quoted" ^^ text', "xsd:string")):
        assert dataset.object_of(dataset.object_key(o)) == o


def test_quads_are_canonical_and_a_chunk_parses_back() -> None:
    g = ox.NamedNode(ids.source_iri("a"))
    q1 = ox.Quad(ox.NamedNode(ids.ID + "person/b"), ox.NamedNode(ids.RDFS_LABEL), ox.Literal("B"), g)
    q2 = ox.Quad(ox.NamedNode(ids.ID + "person/a"), ox.NamedNode(ids.RDFS_LABEL), ox.Literal("A"), ox.DefaultGraph())
    assert dataset.canonical([q1, q2, q1]) == [q2, q1]  # the default graph first, no repeats
    chunk = dataset.trig_chunk([q1])
    store = ox.Store()
    dataset.load_chunk(store, chunk)
    assert list(store.quads_for_pattern(None, None, None, g)) == [q1]
