"""kg.kinds: one table of the kinds of entity (``ontology/kinds.ttl``), read by ids, the fact
sheets, the site and the CLI, with an entry for every class the graph uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import ids, kinds
from kg.build import BuildReport
from kg.dataset import open_store
from kg.project import Project

#: Classes of kg's data, not of entities: sources, citations, statements, conflicts, co-mentions.
_DATA_CLASSES = {"kg:Source", "kg:Conflict", "kg:CoMention", "kg:UnnamedEntity", "rdf:Statement"}


def _entity_classes(project: Project) -> dict[str, set[str]]:
    """Each class given to an entity of the built graph, with the IRI path segments its entities have."""
    store = open_store(project)
    out: dict[str, set[str]] = {}
    for (s, t) in store.query("SELECT DISTINCT ?s ?t WHERE { GRAPH ?g { ?s a ?t } }"):  # type: ignore[misc]
        curie = ids.compact(t.value)
        if not s.value.startswith(ids.ID) or curie in _DATA_CLASSES or curie.startswith(("oa:", "source:")):
            continue
        segment = s.value[len(ids.ID):].split("/", 1)[0]
        if segment in ids.DATA_SEGMENTS:
            continue
        out.setdefault(curie, set()).add(segment)
    return out


def test_every_class_an_entity_has_is_a_kind_and_names_its_iris(extended: tuple[Project, BuildReport]) -> None:
    used = _entity_classes(extended[0])
    assert {"schema:Person", "schema:Organization", "kg:Finding", "schema:Quotation"} <= set(used)
    for curie, segments in used.items():
        kind = kinds.kind(curie)  # a class with no entry raises
        # an entity typed twice (a review is an investigation) has the segment of one of its kinds
        assert kind.segment in segments or segments <= set(ids.TYPE_SEGMENTS.values()), (curie, segments)


def test_a_class_with_no_kind_is_an_error_not_a_thing() -> None:
    with pytest.raises(KeyError, match=r"no entry in ontology/kinds\.ttl"):
        ids.entity_iri("schema:Vehicle", "a white van")
    assert ids.entity_iri("schema:NewsMediaOrganization", "Harbour Gazette") == f"{ids.ID}outlet/harbour-gazette"


def test_the_table_gives_every_kind_a_segment_names_a_distinct_colour_and_an_order() -> None:
    table = kinds.kinds()
    assert len({k.curie for k in table}) == len(table)
    assert len({k.colour for k in table}) == len(table)
    assert [k.order for k in table] == sorted({k.order for k in table})
    assert all(k.segment and k.singular and k.plural for k in table)
    assert {k.curie for k in table if k.fact} == ids.FACT_TYPES
    assert {"schema:Quotation", "kg:Finding"} <= ids.FACT_TYPES and "schema:Person" not in ids.FACT_TYPES


def test_the_ontology_file_is_the_one_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A kind added to the ontology is a kind (no list in the code to keep in step)."""
    from kg.resources import ontology_dir

    for path in ontology_dir().glob("*.ttl"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    extra = ('kind:vehicle a kg:Kind ; kg:kindClass schema:Vehicle ; kg:segment "vehicle" ; skos:prefLabel "vehicle"@en ;\n'
             '    kg:plural "Vehicles"@en ; kg:colour "#000001" ; kg:order 99 ; kg:fact false .\n')
    with open(tmp_path / "kinds.ttl", "a", encoding="utf-8") as fh:
        fh.write(extra)
    monkeypatch.setenv("KG_ONTOLOGY", str(tmp_path))
    kinds.kinds.cache_clear()
    kinds.by_curie.cache_clear()
    try:
        assert kinds.kind("schema:Vehicle").segment == "vehicle"
    finally:
        monkeypatch.undo()
        kinds.kinds.cache_clear()
        kinds.by_curie.cache_clear()
