"""kg.export: every format, checked by outside tools.

- Turtle, TriG, N-Quads, N-Triples and JSON-LD re-parse (pyoxigraph; JSON-LD also rdflib) to exactly
  the dataset (or, for the formats without named graphs, the union of its graphs).
- GraphML validates against the GraphML 1.0 XSD (lxml, offline) and keeps node types, labels,
  aliases and source counts, and edge predicates, citation counts and first quotes.
- Every annotation of the ``annotations`` export passes the MUST assertions of the W3C Web
  Annotation test suite, and the collection passes the collection MUSTs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import networkx as nx
import pyoxigraph as ox
import pytest
from fixtures.projects import mini_project
from lxml import etree
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from kg import export, ids, queries
from kg.project import Project

SCHEMAS = Path(__file__).resolve().parent / "schemas"  # offline copies (see tests/schemas/README.md)
ANNO = SCHEMAS / "web-annotation"
RDF_FORMATS = {
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return mini_project(tmp_path_factory.mktemp("mini"))


def dataset_quads(project: Project) -> set[ox.Quad]:
    return set(queries.open_store(project))


def as_triples(quads: set[ox.Quad]) -> set[ox.Triple]:
    return {ox.Triple(q.subject, q.predicate, q.object) for q in quads}


# --- outside validators -----------------------------------------------------------------------


@cache
def graphml_schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "graphml" / "graphml.xsd"), parser))


def graphml_errors(data: bytes) -> list[str]:
    schema = graphml_schema()
    if schema.validate(etree.fromstring(data, etree.XMLParser(no_network=True))):
        return []
    return [f"{e.line}: {e.message}" for e in schema.error_log]


@cache
def must_validators(manifest: str) -> list[tuple[str, jsonschema.Draft4Validator]]:
    """The MUST assertions of a test-suite manifest, as validators (definitions registered by their ids)."""
    registry: Registry = Registry().with_resources(
        (schema["id"], Resource.from_contents(schema, default_specification=DRAFT4))
        for schema in (json.loads(p.read_text(encoding="utf-8")) for p in sorted((ANNO / "definitions").glob("*.json")))
    )
    out = []
    for rel in json.loads((ANNO / manifest).read_text(encoding="utf-8"))["assertions"]:
        schema = json.loads((ANNO / rel).read_text(encoding="utf-8"))
        if schema.get("assertionType", "must") == "must":
            checker = jsonschema.Draft4Validator.FORMAT_CHECKER
            out.append((rel, jsonschema.Draft4Validator(schema, registry=registry, format_checker=checker)))
    return out


def failed_musts(document: dict[str, Any], manifest: str) -> list[str]:
    return [rel for rel, v in must_validators(manifest) if next(v.iter_errors(document), None) is not None]


def test_the_validators_reject_what_they_should() -> None:
    """The validators are live: the test suite's own bad samples fail, and the URI format is checked."""
    assert len(must_validators("annotations/annotationMusts.test")) == 54
    good = json.loads((ANNO / "tools" / "samples" / "correct" / "anno27.json").read_text(encoding="utf-8"))
    assert failed_musts(good, "annotations/annotationMusts.test") == []
    assert failed_musts({**good, "id": "not a uri"}, "annotations/annotationMusts.test")
    bad_position = {**good, "target": {"source": "http://example.org/ebook1", "selector": {"type": "TextPositionSelector", "start": -1, "end": 3}}}
    assert failed_musts(bad_position, "annotations/annotationMusts.test")
    assert graphml_errors(b'<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph><node id="a/b"/></graph></graphml>')


# --- RDF ----------------------------------------------------------------------------------------


def test_rdf_exports_round_trip(mini: Project) -> None:
    quads = dataset_quads(mini)
    assert len(quads) == 1795  # the mini dataset: its source graphs, the corpus view and its statistics
    for name, fmt in RDF_FORMATS.items():
        back = set(ox.parse(export.export(mini, name), format=fmt))
        if fmt.supports_datasets:
            assert back == quads, name
        else:
            assert {ox.Triple(q.subject, q.predicate, q.object) for q in back} == as_triples(quads), name


def test_exports_are_deterministic_and_ordered(mini: Project) -> None:
    for name in export.FORMATS:
        assert export.export(mini, name) == export.export(mini, name), name
    quads = list(ox.parse(export.export(mini, "nquads"), format=ox.RdfFormat.N_QUADS))
    graphs = [str(q.graph_name) for q in quads]
    assert isinstance(quads[0].graph_name, ox.DefaultGraph)  # the default graph first, then graph by graph
    assert graphs == sorted(graphs, key=lambda g: (g != "DEFAULT", g))
    turtle = export.export(mini, "turtle").decode()
    assert turtle.startswith("@prefix") and "person:dana-reyes a schema:Person" in turtle
    trig = export.export(mini, "trig").decode()
    assert "source:harbour-gazette-2021-05-lantern {" in trig


def test_trig_export_is_the_built_trig(mini: Project) -> None:
    """The TriG export is the built kg.trig, byte for byte (here the fixture's, with its comment)."""
    assert export.export(mini, "trig") == mini.trig_path.read_bytes()


def test_turtle_holds_each_triple_once(mini: Project) -> None:
    for name, fmt in (("ntriples", ox.RdfFormat.N_TRIPLES), ("turtle", ox.RdfFormat.TURTLE)):
        triples = list(ox.parse(export.export(mini, name), format=fmt))
        assert len(triples) == len(set(triples)) == len(as_triples(dataset_quads(mini))), name


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_jsonld_is_compact_and_rdflib_reads_it(mini: Project) -> None:
    from rdflib import Dataset

    doc = json.loads(export.export(mini, "jsonld"))
    assert doc["@context"]["person"] == ids.ID + "person/"
    nodes = {n["@id"]: n for n in doc["@graph"] if "@graph" not in n}  # the default graph's nodes
    assert "source:harbour-gazette-2021-05-lantern" in nodes
    assert nodes["source:harbour-gazette-2021-05-lantern"]["schema:datePublished"] == [
        {"@type": "xsd:gYearMonth", "@value": "2021-05"}
    ]
    named = [n for n in doc["@graph"] if "@graph" in n]
    assert {n["@id"] for n in named} == {
        ids.CONFLICTS_GRAPH, "source:harbour-gazette-2021-05-lantern", "source:hco-2021-05-04-lantern-report"
    }
    ds = Dataset()
    ds.parse(data=export.export(mini, "jsonld").decode(), format="json-ld")
    via_rdflib = set(ox.parse(ds.serialize(format="nquads").encode(), format=ox.RdfFormat.N_QUADS))
    assert via_rdflib == dataset_quads(mini)


# --- GraphML ----------------------------------------------------------------------------------


def test_graphml_validates_and_keeps_what_gephi_needs(mini: Project, tmp_path: Path) -> None:
    for graph in ("entity", "comention", "bipartite"):
        data = export.export(mini, "graphml", graph=graph)
        assert graphml_errors(data) == [], graph
    path = tmp_path / "entity.graphml"
    export.export_to(mini, "graphml", path)
    g = nx.read_graphml(path, force_multigraph=True)
    assert isinstance(g, nx.MultiDiGraph) and g.number_of_nodes() == 17 and g.number_of_edges() == 16
    dana = g.nodes["person:dana-reyes"]
    assert (dana["type"], dana["label"], dana["aliases"], dana["sources"], dana["iri"]) == (
        "schema:Person", "Dana Reyes", "Reyes", 2, ids.ID + "person/dana-reyes"
    )
    (key, edge), = g.get_edge_data("role:dana-reyes-regional-director-67fb4136fc", "person:dana-reyes").items()
    assert key.startswith("statement:")
    assert (edge["label"], edge["predicate"], edge["citations"], edge["quote"]) == (
        "kg:holder", ids.KG + "holder", 2, "its regional director Dana Reyes"
    )
    keys = etree.fromstring(path.read_bytes()).findall("{http://graphml.graphdrawing.org/xmlns}key")
    typed = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in keys}
    assert typed[("node", "sources")] == "long" and typed[("edge", "citations")] == "long"
    assert typed[("node", "label")] == typed[("edge", "quote")] == "string"


def test_graphml_ids_are_nmtokens() -> None:
    g = nx.MultiDiGraph()
    g.add_node("https://kg.example/id/person/a", label="A")
    g.add_node("http://example.org/x y", label="odd")
    g.add_edge("https://kg.example/id/person/a", "http://example.org/x y", key="https://kg.example/id/statement/1")
    out = export.graphml_ids(g)
    assert list(out.nodes) == ["person:a", "n1"]
    assert out.nodes["n1"]["iri"] == "http://example.org/x y"
    assert list(out.edges(keys=True)) == [("person:a", "n1", "statement:1")]


def test_graphml_of_other_projections(mini: Project) -> None:
    import io

    co = nx.read_graphml(io.BytesIO(export.export(mini, "graphml", graph="comention")))
    assert co.number_of_edges() == 6
    _a, _b, data = next(iter(co.edges(data=True)))
    assert {"weight", "sentences", "quote", "source"} <= set(data)
    two = nx.read_graphml(io.BytesIO(export.export(mini, "graphml", graph="bipartite")))
    assert {d["kind"] for _n, d in two.nodes(data=True)} == {"source", "entity"}


# --- Web Annotations --------------------------------------------------------------------------


def annotation_iris(project: Project) -> set[str]:
    q = queries.parse("SELECT DISTINCT ?a WHERE { GRAPH ?g { ?a a <http://www.w3.org/ns/oa#Annotation> } }")
    return {r[0].value for r in queries.run(queries.open_store(project), q).rows}  # type: ignore[union-attr]


def check_annotations(project: Project, text_of: Callable[[str], str]) -> dict[str, Any]:
    doc = json.loads(export.export(project, "annotations"))
    assert failed_musts(doc, "collections/collectionMusts.test") == []
    items = doc["first"]["items"]
    assert doc["total"] == len(items) > 0
    assert {a["id"] for a in items} == annotation_iris(project)
    for a in items:
        assert failed_musts(a, "annotations/annotationMusts.test") == [], a["id"]
        quote, position = a["target"]["selector"]
        assert (quote["type"], position["type"]) == ("TextQuoteSelector", "TextPositionSelector")
        assert type(position["start"]) is int and type(position["end"]) is int  # JSON numbers, not strings
        text = text_of(a["target"]["source"]["id"])
        assert text[position["start"] : position["end"]] == quote["exact"]
        assert text[: position["start"]].endswith(quote["prefix"]) and text[position["end"] :].startswith(quote["suffix"])
        assert a["motivation"] in ("identifying", "describing")
    return doc


def test_annotations_pass_the_web_annotation_musts(mini: Project) -> None:
    from kg import analysis

    doc = check_annotations(mini, analysis.texts(mini))
    assert doc["@context"] == "http://www.w3.org/ns/anno.jsonld" and doc["type"] == "AnnotationCollection"
    assert doc["total"] == 82  # 36 mentions and 46 citations of statements
    first = doc["first"]["items"][0]
    assert first == {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": first["id"],
        "type": "Annotation",
        "motivation": "identifying",
        "body": [
            ids.ID + "place/northgate-police-station",
            {"type": "TextualBody", "purpose": "identifying", "format": "text/plain",
             "value": "Northgate police station (schema:Place)"},
        ],
        "target": {
            "id": ids.ID + "target/harbour-gazette-2021-05-lantern.27-51",
            "type": "SpecificResource",
            "source": {"id": ids.ID + "source/harbour-gazette-2021-05-lantern", "type": "Text", "format": "text/plain",
                       "label": "Watchdog finds bullying at Northgate police station"},
            "selector": [
                {"type": "TextQuoteSelector", "exact": "Northgate police station", "prefix": "Watchdog finds bullying at ",
                 "suffix": "\n\nThe Harbour Conduct Office (HC"},
                {"type": "TextPositionSelector", "start": 27, "end": 51},
            ],
        },
    }
    describing = [a for a in doc["first"]["items"] if a["motivation"] == "describing"]
    assert len(describing) == 46
    assert any(a["body"][1]["value"] == "Dana Reyes, regional director — kg:holder — Dana Reyes" for a in describing)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_annotations_mean_what_the_dataset_says(mini: Project) -> None:
    """Expanded with the Web Annotation context, the export states the dataset's oa: triples."""
    from rdflib import Dataset, URIRef

    context = json.loads((ANNO / "context" / "anno.jsonld").read_text(encoding="utf-8"))["@context"]
    text = export.export(mini, "annotations").decode().replace('"http://www.w3.org/ns/anno.jsonld"', json.dumps(context))
    ds = Dataset()
    ds.parse(data=text, format="json-ld")
    got = {(str(s), str(p), str(o)) for s, p, o, _g in ds.quads((None, None, None, None)) if isinstance(o, URIRef)}
    oa = ids.PREFIXES["oa"]
    store = queries.open_store(mini)
    for pred in ("hasBody", "hasTarget", "hasSource", "motivatedBy"):
        expected = {(q.subject.value, q.predicate.value, q.object.value) for q in store.quads_for_pattern(None, ox.NamedNode(oa + pred), None)}  # type: ignore[union-attr]
        assert expected <= got, pred


def test_export_to_a_file(mini: Project, tmp_path: Path) -> None:
    target = tmp_path / "out" / "kg.ttl"
    size = export.export_to(mini, "turtle", target)
    assert target.read_bytes() == export.export(mini, "turtle") and size == target.stat().st_size
    assert not list(target.parent.glob(".*.tmp"))
    assert export.format_for(Path("x.annotations.jsonld")) == "annotations"
    assert export.format_for(Path("x.jsonld")) == "jsonld"
    assert export.format_for(Path("x.NQ")) == "nquads"
    assert export.format_for(Path("x.graphml")) == "graphml"
    assert export.format_for(Path("x.txt")) is None
    with pytest.raises(ValueError):
        export.export(mini, "rdfxml")


# --- the corpus -------------------------------------------------------------------------------


@pytest.mark.slow
def test_corpus_trig_export_is_byte_identical_to_the_build(corpus_project: Project) -> None:
    assert export.export(corpus_project, "trig") == corpus_project.trig_path.read_bytes()


@pytest.mark.slow
def test_corpus_rdf_exports_round_trip(corpus_project: Project) -> None:
    quads = dataset_quads(corpus_project)
    for name, fmt in RDF_FORMATS.items():
        back = set(ox.parse(export.export(corpus_project, name), format=fmt))
        if fmt.supports_datasets:
            assert back == quads, name
        else:
            assert {ox.Triple(q.subject, q.predicate, q.object) for q in back} == as_triples(quads), name


@pytest.mark.slow
def test_corpus_graphml_validates(corpus_project: Project) -> None:
    import io

    for graph in ("entity", "comention", "bipartite"):
        data = export.export(corpus_project, "graphml", graph=graph)
        assert graphml_errors(data) == [], graph
        g = nx.read_graphml(io.BytesIO(data))
        assert all({"type", "label", "aliases", "sources"} <= set(d) for _n, d in g.nodes(data=True))
    naseem = nx.read_graphml(io.BytesIO(export.export(corpus_project, "graphml"))).nodes["person:sal-naseem"]
    assert naseem["label"] == "Sal Naseem" and "Naseem" in naseem["aliases"].split("; ") and naseem["sources"] == 2


@pytest.mark.slow
def test_corpus_annotations_pass_the_web_annotation_musts(corpus_project: Project) -> None:
    from kg import analysis

    check_annotations(corpus_project, analysis.texts(corpus_project))
