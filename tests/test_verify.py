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


# --- the built files beside the store -------------------------------------------------------------

import re  # noqa: E402
import shutil  # noqa: E402

import pytest  # noqa: E402


def _forge_exact(data: bytes) -> bytes:
    """A word changed in one quote (``oa:exact``) of a TriG dataset."""
    line = re.search(rb'oa:exact "[^"\n]*Sal Naseem[^"\n]*"', data)
    assert line is not None
    return data[: line.start()] + line.group().replace(b"Sal Naseem", b"Evil Naseem") + data[line.end() :]


def _verify_cli(project: Project) -> str:
    result = CliRunner().invoke(main, ["-C", str(project.sources.parent), "verify", "--no-shacl"])
    assert result.exit_code == EXIT_VERIFY_FAILED, result.output
    return result.stdout


FORGERIES = {
    # the generation's kg.trig, edited through output/kg.trig (a link to it): what kg export streams
    "kg.trig in place": lambda p: (p.dataset_trig().write_bytes(_forge_exact(p.dataset_trig().read_bytes())),
                                   "kg.trig is not the store written as TriG: first difference at line "),
    # output/kg.trig replaced by an edited copy (what sed -i does to a link): what people copy
    "kg.trig replaced": lambda p: (_replace(p.trig_path, _forge_exact(p.trig_path.read_bytes())),
                                   "output/kg.trig is not the built dataset's kg.trig"),
    # a built copy of a text, which fact sheets and the site quote
    "text copy": lambda p: (_edit(p.data_dir() / "texts" / "dazed-2022-02-met-police-iopc-report.txt", "Naseem", "Nasim"),
                            "texts/dazed-2022-02-met-police-iopc-report.txt is not the text dazed-2022-02-met-police-iopc-report was built from"),
    # the snapshot kg analyze projects
    "snapshot": lambda p: (_edit(p.data_dir() / "snapshot.json", '"Sal Naseem"', '"Evil Naseem"'),
                           "snapshot.json is not what the store says: its entities differ (person:sal-naseem: label 'Evil Naseem' in the file, 'Sal Naseem' in the store)"),
    # what the next build starts from
    "manifest": lambda p: (_edit(p.data_dir() / "manifest.json", '"sha256": "b8', '"sha256": "00'),
                           "manifest.json does not list the sources of the store: source:dazed-2022-02-met-police-iopc-report"),
    "statements.tsv": lambda p: (_edit(p.data_dir() / "statements.tsv", "sal-naseem", "evil-naseem"),
                                 "statements.tsv does not list the store's statements"),
    "default.trig": lambda p: (_edit(p.data_dir() / "default.trig", '"Sal Naseem"', '"Evil Naseem"'),
                               "default.trig is not the store's default graph"),
}


def _edit(path, old: str, new: str) -> None:  # type: ignore[no-untyped-def]
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _replace(link, data: bytes) -> None:  # type: ignore[no-untyped-def]
    link.unlink()
    link.write_bytes(data)


@pytest.mark.parametrize("what", sorted(FORGERIES))
def test_a_forged_built_file_is_named(built_copy: Project, what: str) -> None:
    _done, expected = FORGERIES[what](built_copy)
    out = _verify_cli(built_copy)
    assert expected in out, out
    assert "OK:" not in out


def test_an_unchanged_copy_of_the_built_files_verifies(built_copy: Project, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dest = tmp_path / "copy"
    shutil.copytree(built_copy.sources, dest / "sources")
    shutil.copytree(built_copy.output, dest / "output")  # links followed: real files, the same bytes
    copy = Project.at(dest)
    assert verify(copy, shacl=False).ok


# --- citations that anchor but do not state their statement ---------------------------------------

OA = "http://www.w3.org/ns/oa#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DAZED = "dazed-2022-02-met-police-iopc-report"


def _statement(store, doc: str, predicate: str, obj) -> object:  # type: ignore[no-untyped-def]
    import pyoxigraph as ox

    g = ox.NamedNode(f"https://kg.example/id/source/{doc}")
    for q in store.quads_for_pattern(None, ox.NamedNode(RDF + "predicate"), ox.NamedNode(predicate), g):
        if obj is None or any(store.quads_for_pattern(q.subject, ox.NamedNode(RDF + "object"), obj, g)):
            return q.subject
    raise AssertionError(f"no {predicate} statement in {doc}")


def _recite(store, doc: str, text: str, statement, words: str, after: int = 0) -> None:  # type: ignore[no-untyped-def]
    """Point every citation of ``statement`` at the first ``words`` of the text after ``after``: a
    citation that still anchors (its quote, prefix and suffix are the text's), but other words."""
    import pyoxigraph as ox

    from kg.model import _context_prefix, _context_suffix

    g = ox.NamedNode(f"https://kg.example/id/source/{doc}")
    start = text.index(words, after)
    end = start + len(words)
    target = ox.NamedNode(f"https://kg.example/id/target/{doc}.forged-{start}-{end}")
    quote, position = ox.BlankNode(), ox.BlankNode()
    lit = ox.Literal
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#nonNegativeInteger")
    for q in list(store.quads_for_pattern(None, ox.NamedNode(OA + "hasBody"), statement, g)):
        if not any(store.quads_for_pattern(q.subject, ox.NamedNode(OA + "motivatedBy"), ox.NamedNode(OA + "describing"), g)):
            continue
        for old in list(store.quads_for_pattern(q.subject, ox.NamedNode(OA + "hasTarget"), None, g)):
            store.remove(old)
        store.add(ox.Quad(q.subject, ox.NamedNode(OA + "hasTarget"), target, g))
    for p, o in ((RDF + "type", ox.NamedNode(OA + "SpecificResource")), (OA + "hasSource", g),
                 (OA + "hasSelector", quote), (OA + "hasSelector", position)):
        store.add(ox.Quad(target, ox.NamedNode(p), o, g))
    for p, o in ((RDF + "type", ox.NamedNode(OA + "TextQuoteSelector")), (OA + "exact", lit(words)),
                 (OA + "prefix", lit(_context_prefix(text, start))), (OA + "suffix", lit(_context_suffix(text, end)))):
        store.add(ox.Quad(quote, ox.NamedNode(p), o, g))
    for p, o in ((RDF + "type", ox.NamedNode(OA + "TextPositionSelector")), (OA + "start", lit(str(start), datatype=integer)),
                 (OA + "end", lit(str(end), datatype=integer))):
        store.add(ox.Quad(position, ox.NamedNode(p), o, g))


def test_verify_names_statements_whose_citations_do_not_state_them(built_copy: Project) -> None:
    """A finder cited only by «we», a count cited by words without its number, a quotation's text
    cited by other words, a recommendation's addressee cited by a paragraph that does not name it:
    each citation anchors, none states its statement, and verify names each."""
    import pyoxigraph as ox

    text = (built_copy.sources / f"{DAZED}.txt").read_text(encoding="utf-8")
    kgns, schema, idns = "https://kg.example/ns#", "https://schema.org/", "https://kg.example/id/"
    store = ox.Store(str(built_copy.store_path()))
    iopc = ox.NamedNode(idns + "organization/independent-office-for-police-conduct")
    found_by = _statement(store, DAZED, kgns + "foundBy", iopc)
    count = _statement(store, DAZED, kgns + "officerCount", None)
    quote = _statement(store, DAZED, schema + "text", None)
    addressed = _statement(store, DAZED, kgns + "addressedTo", None)
    _recite(store, DAZED, text, found_by, "we", after=text.index("What we uncovered") - 40)
    _recite(store, DAZED, text, count, "Messages sent between")
    _recite(store, DAZED, text, quote, "the report")
    _recite(store, DAZED, text, addressed, "Over the past few years")
    store.flush()
    del store
    report = verify(built_copy, shacl=False)
    problems = [p for p in report.problems if "is cited by" in p]
    assert len(problems) == 4, report.problems
    said = "\n".join(problems)
    assert "kg:foundBy organization:independent-office-for-police-conduct) is cited by «we»: they only point at" in said
    assert "kg:officerCount" in said and "is not in the cited words" in said
    assert "schema:text" in said and "«the report»: they only point at" in said
    assert "kg:addressedTo" in said and "«Over the past few years»: none of them names its object" in said
    assert all(p.startswith(f"source:{DAZED}: statement:") for p in problems)
    result = CliRunner().invoke(main, ["-C", str(built_copy.sources.parent), "verify", "--no-shacl"])
    assert result.exit_code == EXIT_VERIFY_FAILED and "is cited by «we»" in result.stdout


def test_support_reads_english_not_an_extractor() -> None:
    from kg.support import bare, numbers_in

    assert bare("we") and bare("It") and bare("the report") and bare("this force")
    assert not bare("our investigation") and not bare("the IOPC") and not bare("the report found")
    assert numbers_in("Eight were dismissed and six had a case to answer") == [8, 6]
    assert numbers_in("a sergeant, two detention officers and 1,200 staff", articles=True) == [1, 2, 1200]
    assert numbers_in("twenty-one officers") == [21]


def test_every_statement_of_the_test_articles_is_stated_by_its_citations(extended) -> None:  # type: ignore[no-untyped-def]
    """The corpus with the synthetic articles of tests/articles/: verify finds no statement whose
    citations do not state it (the real texts are checked in test_real.py)."""
    project, _report = extended
    report = verify(project, shacl=False)
    assert report.ok, report.problems[:5]
    assert report.sources >= 6
