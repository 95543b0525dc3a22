from __future__ import annotations

from click.testing import CliRunner

from kg.cli import main
from kg.errors import EXIT_VERIFY_FAILED
from kg.project import Project
from kg.verify import verify


def test_verify_passes_on_the_built_corpus(corpus_project: Project) -> None:
    report = verify(corpus_project)
    assert report.ok, report.problems
    assert report.sources == 2 and report.graphs_checked == 2 and report.citations > 300


def test_a_one_character_edit_is_caught_and_named(built_copy: Project) -> None:
    path = built_copy.sources / "iopc-2022-02-02-met-culture-recommendations.txt"
    text = path.read_text(encoding="utf-8")
    at = text.index("14 officers")
    path.write_text(text[:at] + "15" + text[at + 2 :], encoding="utf-8")
    result = CliRunner().invoke(main, ["-C", str(built_copy.sources.parent), "verify"])
    assert result.exit_code == EXIT_VERIFY_FAILED
    out = result.stdout
    assert "iopc-2022-02-02-met-culture-recommendations.txt changed since the build" in out
    line = text.count("\n", 0, at) + 1
    assert f"first change at line {line}" in out
    assert "citations no longer anchor" in out and "'14 officers" in out


def test_a_removed_source_is_named(built_copy: Project) -> None:
    (built_copy.sources / "dazed-2022-02-met-police-iopc-report.txt").unlink()
    (built_copy.sources / "dazed-2022-02-met-police-iopc-report.toml").unlink()
    report = verify(built_copy, shacl=False)
    assert not report.ok
    assert any("'dazed-2022-02-met-police-iopc-report' is in the dataset but not in" in p for p in report.problems)


def test_shacl_catches_an_uncited_triple(built_copy: Project) -> None:
    import pyoxigraph as ox

    store = ox.Store(str(built_copy.store_path()))
    g = ox.NamedNode("https://kg.example/id/source/dazed-2022-02-met-police-iopc-report")
    store.add(ox.Quad(ox.NamedNode("https://kg.example/id/person/sal-naseem"), ox.NamedNode("https://schema.org/jobTitle"), ox.Literal("made up"), g))
    store.flush()
    del store
    report = verify(built_copy)
    assert any("triple is not supported by a cited statement" in p and "person:sal-naseem" in p for p in report.problems)


def test_verify_without_a_build_is_an_error(make_project) -> None:  # type: ignore[no-untyped-def]
    project = make_project({"a.txt": "Text.\n", "a.toml": 'title="t"\npublisher="p"\npublished="2022"\n'})
    result = CliRunner().invoke(main, ["-C", str(project.sources.parent), "verify"])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no built dataset") and "run `kg build` first" in result.stderr


def test_shacl_catches_an_entity_without_a_mention(built_copy: Project) -> None:
    import pyoxigraph as ox

    store = ox.Store(str(built_copy.store_path()))
    g = ox.NamedNode("https://kg.example/id/source/iopc-2022-02-02-met-culture-recommendations")
    nobody = ox.NamedNode("https://kg.example/id/person/nobody")
    store.add(ox.Quad(nobody, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode("https://schema.org/Person"), g))
    store.flush()
    del store
    problems = verify(built_copy).problems
    assert any("person:nobody has no mention citation" in p for p in problems)
    assert any("person:nobody has no rdfs:label" in p for p in problems) is False  # no mention, so no label check


def test_the_corpus_view_must_match_the_source_graphs(built_copy: Project) -> None:
    import pyoxigraph as ox

    store = ox.Store(str(built_copy.store_path()))
    fact = ox.Quad(ox.NamedNode("https://kg.example/id/person/sal-naseem"), ox.NamedNode("https://schema.org/jobTitle"),
                   ox.Literal("made up"), ox.DefaultGraph())
    store.add(fact)  # in the view, but no source says it
    label = next(store.quads_for_pattern(ox.NamedNode("https://kg.example/id/person/cressida-dick"),
                                         ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), None, ox.DefaultGraph()))
    store.remove(label)  # a source says it, the view lost it
    store.flush()
    del store
    problems = verify(built_copy, shacl=False).problems
    assert any("no source does" in p and "jobTitle" in p for p in problems)
    assert any("the default graph does not" in p and "cressida-dick" in p for p in problems)


def test_the_statistics_must_be_what_the_source_graphs_count(built_copy: Project) -> None:
    import pyoxigraph as ox

    kg = "https://kg.example/ns#"
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    store = ox.Store(str(built_copy.store_path()))
    sal = ox.NamedNode("https://kg.example/id/person/sal-naseem")
    (count,) = store.quads_for_pattern(sal, ox.NamedNode(kg + "mentionCount"), None, ox.DefaultGraph())
    store.remove(count)
    store.add(ox.Quad(sal, count.predicate, ox.Literal(str(int(count.object.value) + 1), datatype=integer), ox.DefaultGraph()))
    (pair, *_rest) = store.quads_for_pattern(None, ox.NamedNode(kg + "sentenceCount"), None, ox.DefaultGraph())
    store.remove(pair)  # a co-mention without its count
    store.flush()
    del store
    problems = verify(built_copy, shacl=False).problems
    assert any(p.startswith("statistics: entity person:sal-naseem counts") for p in problems), problems
    assert any(p.startswith("statistics: co-mention") for p in problems), problems
