"""kg.curation: merge, split, reject, pin and same_as, applied at build, kept in their own graph,
checked by kg verify; and the errors a curation file can give."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import curation, ids
from kg.build import build
from kg.dataset import open_store
from kg.errors import KGError, SourceError
from kg.explain import explain
from kg.project import Project
from kg.verify import verify

META = 'title = "{title}"\npublisher = "Harbour Gazette"\nurl = "https://example.org/{stem}"\npublished = "2023-05-02"\n'
ONE = """Harbour inquiry names officers

The Northshire Conduct Authority (NCA) said on Tuesday that its Operation Lantern inquiry found bullying among officers of Northshire Constabulary.

NCA director Priya Raman said the findings were grim. “We saw a culture that protected the worst people,” Ms Raman said.

Photo Credit
"""
TWO = """Watchdog report on coastal force

Priya Raman, of the Northshire Conduct Authority, said Operation Lantern had examined the force's WhatsApp groups.

The Harbourside Police Service said it accepted the findings.
"""


def _project(make_project: Callable[..., Project], cur: str | None = None) -> Project:
    files = {"one.txt": ONE, "one.toml": META.format(title="Harbour inquiry names officers", stem="one"),
             "two.txt": TWO, "two.toml": META.format(title="Watchdog report on coastal force", stem="two")}
    if cur is not None:
        files[curation.FILENAME] = cur
    return make_project(files)


def _label_of(store: ox.Store, iri: str) -> set[str]:
    return {str(q.object.value) for q in store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(ids.RDFS_LABEL), None, ox.DefaultGraph())}


def _entities(store: ox.Store) -> dict[str, str]:
    q = """SELECT ?e ?l WHERE { ?e a ?t ; <http://www.w3.org/2000/01/rdf-schema#label> ?l .
           FILTER(?t IN (<https://schema.org/Person>, <https://schema.org/Organization>, <https://schema.org/SoftwareApplication>,
                         <https://kg.example/ns#Investigation>)) }"""
    return {str(r["l"].value): str(r["e"].value) for r in store.query(q)}  # type: ignore[union-attr]


def _in_curation_graph(store: ox.Store) -> list[ox.Quad]:
    return list(store.quads_for_pattern(None, None, None, ox.NamedNode(curation.GRAPH)))


def test_without_a_curation_file_the_curation_graph_is_empty(make_project: Callable[..., Project]) -> None:
    project = _project(make_project)
    build(project, jobs=1)
    store = open_store(project)
    assert _in_curation_graph(store) == []
    ents = _entities(store)
    assert "Northshire Constabulary" in ents and "Harbourside Police Service" in ents  # two names the rules cannot join


def test_merge_pin_same_as_reject_and_split(make_project: Callable[..., Project]) -> None:
    cur = """
[[merge]]
entities = ["Northshire Constabulary", "Harbourside Police Service"]
why = "the force under its two names"

[[pin]]
entity = "Northshire Constabulary"
label = "Northshire Police Service"

[[same_as]]
entity = "NCA"
iri = "http://www.wikidata.org/entity/Q123"

[[reject]]
entity = "WhatsApp"

[[reject]]
mention = "Credit"
source = "one"

[[split]]
entity = "Priya Raman"
source = "two"
why = "another Priya Raman"
"""
    project = _project(make_project, cur)
    report = build(project, jobs=1)
    assert not [w for w in report.warnings if "curation" in w], report.warnings
    store = open_store(project)
    ents = _entities(store)
    # merge and pin: one force, under the pinned label, with the first entity's IRI
    force = ents["Northshire Police Service"]
    assert "Harbourside Police Service" not in ents and "Northshire Constabulary" not in ents
    assert force == ids.entity_iri("schema:Organization", "Northshire Constabulary")
    assert _label_of(store, force) == {"Northshire Police Service"}
    # reject: the platform is gone from every graph, with its mentions
    assert "WhatsApp" not in ents
    assert not bool(store.query('ASK { GRAPH ?g { ?a <http://www.w3.org/ns/oa#exact> "WhatsApp" } }'))
    # split: two Priya Ramans, the one of source "two" its own
    ramans = [iri for label, iri in ents.items() if label == "Priya Raman"]
    raman_iris = {str(r["e"].value) for r in store.query(  # type: ignore[union-attr]
        'SELECT DISTINCT ?e WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> "Priya Raman" }')}
    assert len(ramans) == 1 and len(raman_iris) == 2
    # the curation graph holds every decision, attributed to the file, and the same_as link
    graph = _in_curation_graph(store)
    kinds = sorted(str(q.object.value) for q in graph if q.predicate.value == ids.KG + "decision")
    assert kinds == ["merge", "pin", "reject", "reject", "same_as", "split"]
    assert any(q.predicate.value == ids.PREFIXES["owl"] + "sameAs" and q.object.value == "http://www.wikidata.org/entity/Q123" for q in graph)
    assert all("curation file" in str(q.object.value) for q in graph if q.predicate.value.endswith("wasAttributedTo"))
    # ... and none of it is in a source's graph
    source_graphs = [g for g in store.named_graphs() if g.value.startswith(ids.ID + "source/")]
    for g in source_graphs:
        assert not list(store.quads_for_pattern(None, ox.NamedNode(ids.PREFIXES["owl"] + "sameAs"), None, g))
    # verify checks that it still applies; kg explain says why the force is one
    assert verify(project, shacl=False).ok, verify(project, shacl=False).problems
    lines = explain(project, "Northshire Police Service")
    assert any("curation: " in line and "merged by the curation file, line 2" in line for line in lines)


def test_a_rejected_mention_leaves_the_words_unmentioned(make_project: Callable[..., Project]) -> None:
    project = _project(make_project, '[[reject]]\nmention = "Ms Raman"\nsource = "one"\n')
    build(project, jobs=1)
    store = open_store(project)
    exact = {str(r["x"].value) for r in store.query(  # type: ignore[union-attr]
        "SELECT ?x WHERE { GRAPH <https://kg.example/id/source/one> { ?a <http://www.w3.org/ns/oa#motivatedBy> "
        "<http://www.w3.org/ns/oa#identifying> ; <http://www.w3.org/ns/oa#hasTarget> ?t . ?t <http://www.w3.org/ns/oa#hasSelector> ?q . "
        "?q <http://www.w3.org/ns/oa#exact> ?x } }")}
    assert "Priya Raman" in exact and "Ms Raman" not in exact


def test_verify_reports_a_decision_that_no_longer_applies(make_project: Callable[..., Project]) -> None:
    project = _project(make_project, '[[same_as]]\nentity = "Priya Raman"\niri = "http://www.wikidata.org/entity/Q9"\n')
    build(project, jobs=1)
    assert verify(project, shacl=False).ok
    # the file is edited after the build, and names someone the dataset does not hold
    (project.sources / curation.FILENAME).write_text('[[same_as]]\nentity = "Jane Doe"\niri = "http://www.wikidata.org/entity/Q9"\n', encoding="utf-8")
    problems = verify(project, shacl=False).problems
    assert any("changed since the build" in p for p in problems)
    assert any("line 1: same_as names 'Jane Doe', which is no entity of the dataset" in p for p in problems)
    # a build with a decision that fits nothing says so
    report = build(project, jobs=1)
    assert any("curation.toml: same_as at line 1 does not apply: 'Jane Doe' names no entity" in w for w in report.warnings)


@pytest.mark.parametrize(("text", "message"), [
    ("[[merge]]\nentities = [\"A\"]\n", "a [[merge]] entry needs two or more entities"),
    ("[[pin]]\nentity = \"A\"\ncolour = \"red\"\n", "a [[pin]] entry has an unknown key 'colour'"),
    ("[[same_as]]\nentity = \"A\"\niri = \"wikidata Q1\"\n", "'iri' of a [[same_as]] entry is not an absolute IRI"),
    ("[[reject]]\nmention = \"Credit\"\n", "a rejected mention needs the source it is in"),
    ("[[unmerge]]\nentity = \"A\"\n", "the curation file has an unknown section 'unmerge'"),
    ("[[split]\nentity =", "the curation file is not valid TOML"),
])
def test_a_curation_file_it_cannot_use_is_an_error_naming_the_file(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / curation.FILENAME).write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as err:
        curation.load(tmp_path)
    assert message in str(err.value) and curation.FILENAME in str(err.value)


def test_an_ambiguous_name_must_be_given_by_its_iri(make_project: Callable[..., Project]) -> None:
    project = _project(make_project, '[[split]]\nentity = "Priya Raman"\nsource = "two"\n\n[[pin]]\nentity = "Priya Raman"\nlabel = "P. Raman"\n')
    with pytest.raises(KGError) as err:
        build(project, jobs=1)
    assert "'Priya Raman' names 2 entities" in str(err.value) and "name the entity by its IRI" in str(err.value)


def test_the_next_build_says_what_became_of_each_entity_and_why(make_project: Callable[..., Project]) -> None:
    project = _project(make_project)
    first = build(project, jobs=1)
    assert first.diff is None
    unchanged = build(project, jobs=1)
    assert unchanged.diff is not None and unchanged.diff.entities == []
    (project.sources / curation.FILENAME).write_text(
        '[[merge]]\nentities = ["Northshire Constabulary", "Harbourside Police Service"]\nwhy = "one force"\n', encoding="utf-8")
    merged = build(project, jobs=1)
    assert merged.diff is not None
    lines = merged.diff.entities
    force = ids.compact(ids.entity_iri("schema:Organization", "Northshire Constabulary"))
    harbour = ids.compact(ids.entity_iri("schema:Organization", "Harbourside Police Service"))
    assert any(line.startswith(f"Harbourside Police Service ({harbour}) is now Northshire Constabulary ({force})")
               and "curation" in line for line in lines), lines
    assert not any(line.startswith("Priya Raman") for line in lines)  # what did not change is not listed
    from kg.build import summary_lines

    assert any(line.startswith("  = Harbourside Police Service") for line in summary_lines(merged))
