"""kg.queries and queries/*.rq: every named query on known data, an independent engine, binding, refusal.

Two datasets:

- the *mini* corpus (tests/fixtures/mini): two made-up documents and a hand-made graph that follows
  the README contract exactly (``kg verify`` passes on it), so every named query is checked row by
  row, and against rdflib's own SPARQL engine (an implementation independent of Oxigraph);
- the real corpus, built once per session: every named query runs, agrees with pyoxigraph run
  directly on the exported TriG, and finds what the two documents certainly say.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from fixtures.projects import mini_project, mini_texts

from kg import export, ids, queries
from kg.errors import LookupFailed, QueryError
from kg.project import Project

REPO = Path(__file__).resolve().parent.parent
GAZETTE = "Watchdog finds bullying at Northgate police station"
RELEASE = "HCO publishes learning report on Operation Lantern"
NAMED = {
    "co-mentions", "conflicts", "corroborated", "entities", "entities-per-source", "entity", "findings",
    "outcomes", "people-roles", "quotes", "recommendations", "relative-dates", "single-source", "sources",
    "timeline",
}
#: Columns made with GROUP_CONCAT, whose order SPARQL leaves to the engine.
CONCATENATED = {("entities", "aliases")}


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return mini_project(tmp_path_factory.mktemp("mini"))


@pytest.fixture(scope="module")
def store(mini: Project) -> ox.Store:
    return queries.open_store(mini)


def run(store: ox.Store, name: str, **params: str) -> queries.Result:
    return queries.run(store, queries.find(name), params)


def cells(result: queries.Result, *columns: str) -> list[tuple[str, ...]]:
    """Rows as the table shows them (CURIEs, lexical forms), limited to ``columns``."""
    idx = [result.variables.index(c) for c in columns] if columns else range(len(result.variables))
    return [tuple(queries.table_term(row[i]) for i in idx) for row in result.rows]


# --- the named queries ------------------------------------------------------------------------


def test_named_queries_are_listed_with_descriptions() -> None:
    named = queries.named()
    assert {q.name for q in named} == NAMED
    assert len(named) >= 12
    for q in named:
        first = q.text.splitlines()[0]
        assert first.startswith("# ") and first[2:] == q.description and len(q.description) > 20, q.name
        assert queries.form(q) == "SELECT", q.name
        assert q.origin == f"queries/{q.name}.rq"
    assert [p.name for p in queries.find("entity").params] == ["entity"]
    assert queries.find("entity").params[0].kind == "entity"
    assert all(not q.params for q in named if q.name != "entity")


def test_named_queries_declare_their_prefixes() -> None:
    """Each query carries its own PREFIX lines: it parses with no prefixes given by kg."""
    empty = ox.Store()
    for q in queries.named():
        used = set(re.findall(r"(?<![\w<:/#])([a-z]+):[A-Za-z]", re.sub(r"#[^\n]*|<[^>]*>|\"[^\"]*\"", "", q.text)))
        declared = set(re.findall(r"^PREFIX (\w+):", q.text, flags=re.M))
        assert used <= declared, (q.name, used - declared)
        empty.query(q.text, substitutions={ox.Variable(p.name): ox.NamedNode("urn:x") for p in q.params} or None)


def _contract_terms() -> set[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## The graph") :]
    return {t for span in re.findall(r"`([^`]+)`", section) for t in re.findall(r"\b[a-z]+:[A-Za-z][\w-]*", span)}


def test_named_queries_use_the_terms_of_the_graph_contract() -> None:
    """Every class and property a named query uses is one the README's graph contract names."""
    allowed = _contract_terms() | {"oa:hasSelector"}  # the contract's "two selectors"
    for q in queries.named():
        body = re.sub(r"#[^\n]*|<[^>]*>|\"[^\"]*\"|^PREFIX[^\n]*", "", q.text, flags=re.M)
        used = {f"{p}:{local}" for p, local in re.findall(r"(?<![\w:/#])([a-z]+):([A-Za-z][\w-]*)", body)}
        assert used <= allowed, (q.name, sorted(used - allowed))


def test_quotes(store: ox.Store, mini: Project) -> None:
    r = run(store, "quotes")
    # one row per quotation: how many sources quote it, and where its first citation is (the
    # sources in order of their identifiers: the gazette's before the release's)
    assert cells(r, "speaker", "quote", "said", "sources", "source", "start", "end") == [
        ("Alex Reyes", "We are deeply sorry.", "", "1", GAZETTE, "481", "501"),
        ("Dana Reyes", "What we found was a culture of fear", "2021-05-03", "2", GAZETTE, "260", "295"),
    ]
    texts = {GAZETTE: mini.text_of("harbour-gazette-2021-05-lantern"), RELEASE: mini.text_of("hco-2021-05-04-lantern-report")}
    for _speaker, quote, source, start, end in cells(r, "speaker", "quote", "source", "start", "end"):
        assert texts[source][int(start) : int(end)] == quote


def test_people_roles(store: ox.Store) -> None:
    assert cells(run(store, "people-roles"), "person", "role", "roleType", "organization", "area", "sources") == [
        ("Alex Reyes", "commissioner", "title:commissioner", "Coastal Police Service", "", "1"),
        ("Dana Reyes", "Regional Director", "title:regional-director", "Harbour Conduct Office", "", "2"),
        ("Dana Reyes", "regional director", "title:regional-director", "Harbour Conduct Office", "", "2"),
    ]


def test_findings(store: ox.Store) -> None:
    assert cells(run(store, "findings"), "misconduct", "foundBy", "investigation", "sources", "quote", "source", "start") == [
        ("misconduct:bullying", "Harbour Conduct Office", "Operation Lantern", "2", "found bullying", GAZETTE, "86"),
        ("misconduct:harassment", "Harbour Conduct Office", "", "1", "found bullying and harassment", GAZETTE, "86"),
    ]


def test_recommendations(store: ox.Store) -> None:
    assert cells(run(store, "recommendations"), "recommendation", "by", "to", "source", "start", "end") == [
        ("adopt a zero-tolerance policy", "Harbour Conduct Office", "Coastal Police Service", GAZETTE, "579", "608")
    ]


def test_outcomes(store: ox.Store) -> None:
    assert cells(run(store, "outcomes"), "outcomeType", "officers", "inConnectionWith", "sources", "quote", "source") == [
        ("outcome:dismissal-gross-misconduct", "2", "", "2", "dismissed for gross misconduct", GAZETTE)
    ]


def test_timeline(store: ox.Store) -> None:
    assert cells(run(store, "timeline"), "date", "dateOf", "what", "eventType", "agent", "resolvedFrom", "source") == [
        ("2019-03", "schema:startDate", "Operation Lantern began", "etype:began", "", "", GAZETTE),
        ("2021-05-03", "schema:dateCreated", "What we found was a culture of fear", "", "", "yesterday", RELEASE),
        ("2021-05-04", "schema:startDate", "HCO published its learning report", "etype:published",
         "Harbour Conduct Office", "today", RELEASE),
        ("2021-06-29", "kg:dueDate", "HCO to publish the response", "etype:published", "Harbour Conduct Office",
         "within 56 days", RELEASE),
    ]


def test_corroborated_and_single_source_split_every_statement(store: ox.Store) -> None:
    corroborated = run(store, "corroborated")
    assert cells(corroborated, "subject", "predicate", "object", "sources", "citations") == [
        ("2 officers: dismissal for gross misconduct", "kg:officerCount", "2", "2", "2"),
        ("2 officers: dismissal for gross misconduct", "kg:outcomeType", "outcome:dismissal-gross-misconduct", "2", "2"),
        ("Dana Reyes, regional director", "kg:holder", "Dana Reyes", "2", "2"),
        ("Dana Reyes, regional director", "kg:organization", "Harbour Conduct Office", "2", "2"),
        ("Dana Reyes, regional director", "kg:roleType", "title:regional-director", "2", "2"),
        ("Operation Lantern", "schema:location", "Northgate police station", "2", "2"),
        ("What we found was a culture of fear", "schema:creator", "Dana Reyes", "2", "2"),
        ("What we found was a culture of fear", "schema:text", "What we found was a culture of fear", "2", "2"),
        ("bullying at Northgate police station", "kg:misconductType", "misconduct:bullying", "2", "2"),
    ]
    single = run(store, "single-source")
    assert len(single.rows) == 28
    assert ("Operation Lantern", "kg:officersInvestigated", "12", GAZETTE, "Twelve officers were investigated") in cells(
        single, "subject", "predicate", "object", "source", "quote"
    )
    every = {r["st"].value for r in store.query("SELECT DISTINCT ?st WHERE { ?st a <http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement> }", use_default_graph_as_union=True)}  # type: ignore[union-attr]
    one = {row[-1].value for row in single.rows}  # type: ignore[union-attr]
    two = {row[-1].value for row in corroborated.rows}  # type: ignore[union-attr]
    assert one | two == every and not one & two and len(every) == 37


def test_conflicts(store: ox.Store) -> None:
    assert cells(run(store, "conflicts"), "subject", "property", "value1", "quote1", "source1", "value2", "quote2", "source2") == [
        ("Operation Lantern", "kg:officersInvestigated", "12", "Twelve officers were investigated", GAZETTE,
         "14", "Fourteen officers were investigated", RELEASE),
    ]


def test_entities_per_source(store: ox.Store) -> None:
    rows = cells(run(store, "entities-per-source"), "source", "entity", "type", "mentions")
    assert len(rows) == 26
    assert {r[0] for r in rows} == {GAZETTE, RELEASE}
    assert rows[0] == (RELEASE, "Harbour Conduct Office", "schema:Organization", "3")
    assert (GAZETTE, "Alex Reyes", "schema:Person", "2") in rows
    assert not any(r[0] == RELEASE and r[1] == "Alex Reyes" for r in rows)


def test_entities(store: ox.Store) -> None:
    rows = cells(run(store, "entities"), "type", "entity", "aliases", "sources", "mentions")
    assert len(rows) == 17
    assert ("schema:Person", "Dana Reyes", "Reyes", "2", "4") in rows
    assert ("schema:Organization", "Harbour Conduct Office", "HCO", "2", "6") in rows
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)


def test_entity_by_name_alias_curie_and_iri(store: ox.Store, mini: Project) -> None:
    expected = [
        (RELEASE, "303", "335", "statement", "Dana Reyes, regional director", "kg:holder", "Dana Reyes",
         "HCO Regional Director Dana Reyes"),
        (RELEASE, "325", "335", "mention", "Dana Reyes", "", "", "Dana Reyes"),
        (RELEASE, "325", "390", "statement", "What we found was a culture of fear", "schema:creator", "Dana Reyes",
         "Dana Reyes yesterday said: “What we found was a culture of fear.”"),
        (RELEASE, "391", "396", "mention", "Dana Reyes", "", "", "Reyes"),
        (GAZETTE, "160", "192", "statement", "Dana Reyes, regional director", "kg:holder", "Dana Reyes",
         "its regional director Dana Reyes"),
        (GAZETTE, "182", "192", "mention", "Dana Reyes", "", "", "Dana Reyes"),
        (GAZETTE, "259", "308", "statement", "What we found was a culture of fear", "schema:creator", "Dana Reyes",
         "“What we found was a culture of fear,” Dana Reyes"),
        (GAZETTE, "298", "308", "mention", "Dana Reyes", "", "", "Dana Reyes"),
    ]
    cols = ("source", "start", "end", "kind", "subject", "predicate", "object", "quote")
    for value in ("Dana Reyes", "  dana   REYES ", "person:dana-reyes", ids.ID + "person/dana-reyes", f"<{ids.ID}person/dana-reyes>"):
        result = run(store, "entity", entity=value)
        assert cells(result, *cols) == expected, value
        assert {queries.table_term(row[-1]) for row in result.rows} == {"person:dana-reyes"}
    texts = {GAZETTE: mini.text_of("harbour-gazette-2021-05-lantern"), RELEASE: mini.text_of("hco-2021-05-04-lantern-report")}
    for source, start, end, *_rest, quote in expected:
        assert texts[source][int(start) : int(end)] == quote
    hco = cells(run(store, "entity", entity="HCO"), "kind", "quote")
    assert ("mention", "HCO") in hco and ("mention", "Harbour Conduct Office") in hco


def test_co_mentions(store: ox.Store) -> None:
    """Named entities in one sentence (not quotations, findings or other facts), strongest first."""
    rows = cells(run(store, "co-mentions"), "entity1", "entity2", "sentences", "sources")
    assert rows == [
        ("Harbour Conduct Office", "Dana Reyes", "2", "2"),
        ("Operation Lantern", "Harbour Conduct Office", "2", "1"),
        ("Coastal Police Service", "Alex Reyes", "1", "1"),
        ("Coastal Police Service", "Harbour Conduct Office", "1", "1"),
        ("Dana Reyes", "Northgate police station", "1", "1"),
        ("Harbour Conduct Office", "Northgate police station", "1", "1"),
    ]
    # never an entity with itself, and each pair once
    pairs = [frozenset(r[:2]) for r in rows]
    assert all(len(p) == 2 for p in pairs) and len(set(pairs)) == len(pairs)


def test_sources(store: ox.Store) -> None:
    assert cells(run(store, "sources"), "source", "publisher", "published", "entities", "mentions", "statements", "citations") == [
        (GAZETTE, "Harbour Gazette", "2021-05", "15", "21", "26", "26"),
        (RELEASE, "Harbour Conduct Office (HCO)", "2021-05-04", "11", "15", "20", "20"),
    ]


def test_relative_dates(store: ox.Store) -> None:
    assert cells(run(store, "relative-dates"), "date", "resolvedFrom", "anchorDate", "offsetDays", "what", "start", "end") == [
        ("2021-05-03", "yesterday", "2021-05-04", "", "What we found was a culture of fear", "336", "345"),
        ("2021-05-04", "today", "2021-05-04", "", "HCO published its learning report", "79", "84"),
        ("2021-06-29", "within 56 days", "2021-05-04", "56", "HCO to publish the response", "491", "505"),
    ]


# --- an independent engine --------------------------------------------------------------------


def _ox_key(t: object) -> tuple[str, ...] | None:
    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return ("uri", t.value)
    assert isinstance(t, ox.Literal)
    datatype = None if t.language or t.datatype.value == ids.PREFIXES["xsd"] + "string" else t.datatype.value
    return ("literal", t.value, t.language or datatype or "")


def _normalise(name: str, variables: tuple[str, ...], rows: list[tuple[tuple[str, ...] | None, ...]]) -> list[tuple]:
    out = []
    for row in rows:
        cells_ = []
        for var, key in zip(variables, row, strict=True):
            if key is not None and (name, var) in CONCATENATED:
                key = (key[0], " | ".join(sorted(key[1].split(" | "))), *key[2:])
            cells_.append(key)
        out.append(tuple(cells_))
    return out


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_every_named_query_agrees_with_rdflib(store: ox.Store) -> None:
    """rdflib's SPARQL engine (pure Python, not Oxigraph) on the TriG gives the same rows in the same order."""
    from rdflib import Dataset, Literal, URIRef

    ds = Dataset(default_union=True)
    ds.parse(data=(Path(__file__).parent / "fixtures" / "mini" / "kg.trig").read_text(encoding="utf-8"), format="trig")

    def rl_key(t: object) -> tuple[str, ...] | None:
        if t is None:
            return None
        if isinstance(t, URIRef):
            return ("uri", str(t))
        assert isinstance(t, Literal)
        datatype = None if t.language or str(t.datatype) == ids.PREFIXES["xsd"] + "string" else t.datatype
        return ("literal", str(t), t.language or (str(datatype) if datatype else ""))

    for q in queries.named():
        params = {"entity": "Dana Reyes"} if q.params else {}
        ours = queries.run(store, q, params)
        bindings = {k: URIRef(str(getattr(v, "value", v))) for k, v in queries.bind(store, q, params).items()}
        theirs = [tuple(rl_key(row[v]) for v in ours.variables) for row in ds.query(q.text, initBindings=bindings)]  # type: ignore[index, call-overload]
        mine = [tuple(_ox_key(t) for t in row) for row in ours.rows]
        assert ours.rows, q.name
        assert _normalise(q.name, ours.variables, mine) == _normalise(q.name, ours.variables, theirs), q.name


# --- output formats ---------------------------------------------------------------------------


def test_json_csv_tsv_are_the_sparql_result_formats(store: ox.Store) -> None:
    """Our serialisations equal Oxigraph's own SPARQL 1.1 JSON, CSV and TSV writers, for every named query."""
    for q in queries.named():
        params = {"entity": "Dana Reyes"} if q.params else {}
        ours = queries.run(store, q, params)
        subs = {ox.Variable(k): v for k, v in queries.bind(store, q, params).items()} or None

        def native(fmt: ox.QueryResultsFormat, q: queries.Query = q, subs: object = subs) -> bytes:
            res = store.query(q.text, substitutions=subs)  # type: ignore[arg-type]
            assert isinstance(res, ox.QuerySolutions)
            data = res.serialize(format=fmt)
            assert data is not None
            return data

        assert json.loads(queries.render(ours, "json")) == json.loads(native(ox.QueryResultsFormat.JSON)), q.name
        assert queries.render(ours, "csv").encode() == native(ox.QueryResultsFormat.CSV), q.name
        assert queries.render(ours, "tsv").encode() == native(ox.QueryResultsFormat.TSV), q.name


def test_json_of_typed_and_tagged_literals(store: ox.Store) -> None:
    q = queries.parse('SELECT ?a ?b ?c ?d WHERE { VALUES (?a ?b ?c ?d) { (1 "x"@en "2021-05"^^<http://www.w3.org/2001/XMLSchema#gYearMonth> UNDEF) } }')
    doc = json.loads(queries.render(queries.run(store, q), "json"))
    assert doc == {
        "head": {"vars": ["a", "b", "c", "d"]},
        "results": {"bindings": [{
            "a": {"type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
            "b": {"type": "literal", "value": "x", "xml:lang": "en"},
            "c": {"type": "literal", "value": "2021-05", "datatype": "http://www.w3.org/2001/XMLSchema#gYearMonth"},
        }]},
    }
    assert queries.render(queries.run(store, q), "tsv") == '?a\t?b\t?c\t?d\n1\t"x"@en\t"2021-05"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>\t\n'


def test_ask_and_construct(store: ox.Store) -> None:
    yes = queries.run(store, queries.parse("ASK { GRAPH ?g { ?s a <https://kg.example/ns#Conflict> } }"))
    assert yes.boolean is True
    assert json.loads(queries.render(yes, "json")) == {"head": {}, "boolean": True}
    assert queries.render(yes, "table") == "yes\n"
    assert queries.render(yes, "csv") == "true\r\n"
    graph = queries.run(
        store,
        queries.parse("CONSTRUCT { ?s <urn:x:name> ?l } WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l ; a <https://schema.org/Person> }"),
    )
    assert graph.variables == ("subject", "predicate", "object")
    assert {queries.table_term(r[0]) for r in graph.rows} == {"person:alex-reyes", "person:dana-reyes"}


def test_table_is_aligned_and_counts_rows(store: ox.Store) -> None:
    text = queries.render(run(store, "people-roles"), "table")
    assert text == (
        "person      role               roleType                 organization            area  sources  personIri\n"
        "----------  -----------------  -----------------------  ----------------------  ----  -------  -----------------\n"
        "Alex Reyes  commissioner       title:commissioner       Coastal Police Service              1  person:alex-reyes\n"
        "Dana Reyes  Regional Director  title:regional-director  Harbour Conduct Office              2  person:dana-reyes\n"
        "Dana Reyes  regional director  title:regional-director  Harbour Conduct Office              2  person:dana-reyes\n"
        "3 rows\n"
    )


def test_default_graph_is_the_corpus_view(store: ox.Store) -> None:
    """The default graph holds the sources and each entity and fact once; citations and conflicts
    are in their named graphs."""
    persons = queries.parse("SELECT (COUNT(*) AS ?n) WHERE { ?e a <https://schema.org/Person> }")
    # Dana Reyes (typed in both source graphs) and Alex Reyes (in one): each once in the view
    assert cells(queries.run(store, persons)) == [("2",)]
    typings = queries.parse("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?e a <https://schema.org/Person> } }")
    assert cells(queries.run(store, typings)) == [("3",)]
    mixed = queries.parse(
        "SELECT (COUNT(*) AS ?n) WHERE { ?src <https://schema.org/sha256> ?h . "
        "GRAPH <https://kg.example/id/graph/conflicts> { ?c a <https://kg.example/ns#Conflict> } }"
    )
    assert cells(queries.run(store, mixed)) == [("2",)]  # 2 sources × 1 conflict
    citations = queries.parse("SELECT (COUNT(*) AS ?n) WHERE { ?a a <http://www.w3.org/ns/oa#Annotation> }")
    assert cells(queries.run(store, citations)) == [("0",)]  # the citations are not in the view


# --- parameters -------------------------------------------------------------------------------

LABEL_QUERY = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nSELECT DISTINCT ?x ?label WHERE { ?x rdfs:label ?label }"


def test_parameters_are_bound_as_terms_not_text(store: ox.Store) -> None:
    q = queries.parse(LABEL_QUERY)
    assert cells(queries.run(store, q, {"label": "Dana Reyes"})) == [("person:dana-reyes", "Dana Reyes")]
    before = len(store)
    for hostile in ('Dana Reyes" } UNION { ?x ?p ?label } #', "x> } ; DROP ALL ; #", "Dana Reyes' . ?x ?p ?o"):
        assert queries.run(store, q, {"label": hostile}).rows == [], hostile
    # a value that starts like an N-Triples term must be exactly one term
    with pytest.raises(QueryError, match=r"^'\"Dana Reyes\" \. \?x \?p \?o' is not a valid term"):
        queries.run(store, q, {"label": '"Dana Reyes" . ?x ?p ?o'})
    declared = queries.parse("# Labels\n# param: label literal — a label\n" + LABEL_QUERY)
    assert queries.run(store, declared, {"label": '"Dana Reyes" . ?x ?p ?o'}).rows == []
    assert len(store) == before
    assert q.text == LABEL_QUERY


def test_term_values() -> None:
    xsd = ids.PREFIXES["xsd"]
    assert queries.term_of("12", "integer") == ox.Literal("12", datatype=ox.NamedNode(xsd + "integer"))
    assert queries.term_of("2021-05", "date") == ox.Literal("2021-05", datatype=ox.NamedNode(xsd + "gYearMonth"))
    assert queries.term_of("2021", "date").datatype == ox.NamedNode(xsd + "gYear")  # type: ignore[union-attr]
    assert queries.term_of("2021-05-04", "date").datatype == ox.NamedNode(xsd + "date")  # type: ignore[union-attr]
    assert queries.term_of("person:x", "iri") == ox.NamedNode(ids.ID + "person/x")
    assert queries.term_of("<http://example.org/a>", "term") == ox.NamedNode("http://example.org/a")
    assert queries.term_of("https://example.org/a", "term") == ox.NamedNode("https://example.org/a")
    assert queries.term_of('"fear"@en', "term") == ox.Literal("fear", language="en")
    assert queries.term_of('"2"^^xsd:integer', "term") == ox.Literal("2", datatype=ox.NamedNode(xsd + "integer"))
    assert queries.term_of("14", "term") == ox.Literal("14", datatype=ox.NamedNode(xsd + "integer"))
    assert queries.term_of("Dana Reyes", "term") == ox.Literal("Dana Reyes")
    assert queries.term_of("person:x", "literal") == ox.Literal("person:x")
    for value, kind in (("twelve", "integer"), ("May 2021", "date"), ("not an iri", "iri"), ('"open', "term")):
        with pytest.raises(ValueError):
            queries.term_of(value, kind)


def test_bad_parameters(store: ox.Store, tmp_path: Path) -> None:
    entity = queries.find("entity")
    with pytest.raises(QueryError, match=r"^parameter entity is missing .*, for queries/entity.rq — pass --param entity=VALUE$"):
        queries.run(store, entity, {})
    with pytest.raises(QueryError, match=r"^unknown parameter who, for queries/entity.rq — this query takes entity$"):
        queries.run(store, entity, {"entity": "HCO", "who": "x"})
    path = tmp_path / "count.rq"
    path.write_text("# Count\n# param: min integer — at least\nSELECT ?x WHERE { ?x ?p ?o }\n", encoding="utf-8")
    with pytest.raises(QueryError, match=r"^parameter min is not a variable the query selects, in .*count.rq — add \?min to the SELECT clause$"):
        queries.run(store, queries.load_file(path), {"min": "3"})
    with pytest.raises(QueryError, match=r"^'three' is not a valid integer \(not a whole number\), parameter min of .*count.rq$"):
        queries.run(store, queries.load_file(path), {"min": "three"})


def test_parameter_declarations() -> None:
    q = queries.parse("# What\n# param: who entity — a person\n# param: since date -- a date\n# param: x – anything\nSELECT * {}")
    assert [(p.name, p.kind, p.description) for p in q.params] == [
        ("who", "entity", "a person"), ("since", "date", "a date"), ("x", "term", "anything"),
    ]
    assert q.description == "What"
    assert queries.parse("# Uses the param: nothing here\nSELECT * {}").params == ()
    with pytest.raises(QueryError, match=r"^unknown parameter kind 'colour', line 2 of the query — use one of entity, iri"):
        queries.parse("# x\n# param: c colour — a colour\nSELECT * {}")
    with pytest.raises(QueryError, match=r"^a parameter declaration is malformed, line 1 of the query"):
        queries.parse("# param: ???\nSELECT * {}")
    with pytest.raises(QueryError, match="declared twice"):
        queries.parse("# param: a — x\n# param: a — y\nSELECT * {}")


def test_parse_assignments() -> None:
    assert queries.parse_assignments(["entity=Sal Naseem", "?n=a=b"]) == {"entity": "Sal Naseem", "n": "a=b"}
    for bad in (["entity"], ["=x"], ["a b=c"], ["a=1", "a=2"]):
        with pytest.raises(ValueError):
            queries.parse_assignments(bad)


# --- entities by name -------------------------------------------------------------------------


def test_resolve_entity(store: ox.Store) -> None:
    dana = ids.ID + "person/dana-reyes"
    assert queries.resolve_entity(store, "Dana Reyes") == dana
    assert queries.resolve_entity(store, "DANA  reyes") == dana
    assert queries.resolve_entity(store, "person:dana-reyes") == dana
    assert queries.resolve_entity(store, "HCO") == ids.ID + "organization/harbour-conduct-office"
    with pytest.raises(QueryError) as info:
        queries.resolve_entity(store, "Reyes", where="parameter entity of queries/entity.rq")
    # the two told apart by what the sources say they are, not by their IRIs alone
    assert str(info.value) == (
        "'Reyes' names 2 entities: Alex Reyes (person, commissioner, "
        "quoted: “We are deeply sorry”; person:alex-reyes); Dana Reyes (person, Regional Director, quoted: “What we found was a culture …”; person:dana-reyes), "
        "parameter entity of queries/entity.rq — give the IRI or compact IRI of the one you mean"
    )
    with pytest.raises(LookupFailed, match=r"^no entity is named 'Dana Reyse' — did you mean Dana Reyes \(person, Regional Director, .*\) or Alex Reyes \(person, commissioner, .*\)\? "):
        queries.resolve_entity(store, "Dana Reyse", error=LookupFailed)
    with pytest.raises(QueryError, match=r"^no entity person:nobody in the dataset"):
        queries.resolve_entity(store, "person:nobody")
    with pytest.raises(QueryError, match="no entity source:harbour-gazette-2021-05-lantern"):
        queries.resolve_entity(store, "source:harbour-gazette-2021-05-lantern")  # a source, not an entity


# --- read-only, syntax errors, finding queries ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "keyword", "where"),
    [
        ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "INSERT", "line 1, column 1"),
        ("PREFIX ex: <urn:ex:>\n# remove\ndelete where { ?s ?p ?o }", "DELETE", "line 3, column 1"),
        ("LOAD <http://example.org/data.ttl>", "LOAD", "line 1, column 1"),
        ("  CLEAR ALL", "CLEAR", "line 1, column 3"),
        ("DROP GRAPH <urn:g>", "DROP", "line 1, column 1"),
        ("CREATE GRAPH <urn:g>", "CREATE", "line 1, column 1"),
        ("ADD DEFAULT TO <urn:g>", "ADD", "line 1, column 1"),
        ("MOVE DEFAULT TO <urn:g>", "MOVE", "line 1, column 1"),
        ("COPY DEFAULT TO <urn:g>", "COPY", "line 1, column 1"),
        ("BASE <urn:x:>\nWITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH", "line 2, column 1"),
    ],
)
def test_updates_are_refused(store: ox.Store, text: str, keyword: str, where: str) -> None:
    before = len(store)
    with pytest.raises(QueryError) as info:
        queries.run(store, queries.parse(text, origin="the -e query"))
    assert str(info.value) == (
        f"kg query is read-only and this is a SPARQL update ({keyword}), {where} of the -e query — "
        "use SELECT, CONSTRUCT, DESCRIBE or ASK; the dataset changes only through `kg build`"
    )
    assert len(store) == before


def test_syntax_errors_name_line_and_column(store: ox.Store) -> None:
    q = queries.parse("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nSELECT ?x\nWHERE { ?x rdfs:label }", origin="bad.rq")
    with pytest.raises(QueryError, match=r"^SPARQL syntax error: .*, line 3, column 23 of bad.rq — fix the query \(SPARQL 1.1\)$"):
        queries.run(store, q)
    with pytest.raises(QueryError, match=r"^SPARQL syntax error: a prefix that no PREFIX line declares, line 1, column 27 of the query"):
        queries.run(store, queries.parse("SELECT * WHERE { ?s nope:x ?o }"))


def test_find(tmp_path: Path) -> None:
    assert queries.find("quotes").name == "quotes"
    with pytest.raises(QueryError, match=r"^no named query 'quote', in .*queries — did you mean quotes\? `kg queries` lists them$"):
        queries.find("quote")
    with pytest.raises(QueryError, match=r"^no such query file, at missing.rq"):
        queries.find("missing.rq")
    mine = tmp_path / "mine.rq"
    mine.write_text("# Mine\nSELECT * {}\n", encoding="utf-8")
    assert queries.find(str(mine)).description == "Mine"
    latin = tmp_path / "latin.rq"
    latin.write_bytes("# caf\xe9\nSELECT * {}\n".encode("latin-1"))
    with pytest.raises(QueryError, match=r"^the query file is not UTF-8 text, byte 5 of .*latin.rq — save it as UTF-8$"):
        queries.find(str(latin))


# --- the corpus -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_store(corpus_project: Project) -> ox.Store:
    return queries.open_store(corpus_project)


@pytest.fixture(scope="module")
def exported(corpus_project: Project) -> ox.Store:
    """pyoxigraph, in memory, on the exported TriG: the independent run."""
    store = ox.Store()
    store.load(export.export(corpus_project, "trig"), format=ox.RdfFormat.TRIG)
    return store


def corpus_rows(corpus_store: ox.Store, name: str, *cols: str, **params: str) -> list[tuple[str, ...]]:
    return cells(run(corpus_store, name, **params), *cols)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(NAMED))
def test_corpus_query_agrees_with_pyoxigraph_on_the_exported_trig(corpus_store: ox.Store, exported: ox.Store, name: str) -> None:
    q = queries.find(name)
    params = {"entity": "Sal Naseem"} if q.params else {}
    ours = queries.run(corpus_store, q, params)
    subs = None
    if q.params:
        found = [r["e"] for r in exported.query('SELECT DISTINCT ?e WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> "Sal Naseem" }')]  # type: ignore[union-attr]
        assert len(found) == 1
        subs = {ox.Variable("entity"): found[0]}
    theirs = exported.query(q.text, substitutions=subs)
    assert isinstance(theirs, ox.QuerySolutions)
    assert tuple(v.value for v in theirs.variables) == ours.variables
    assert [tuple(s[i] for i in range(len(ours.variables))) for s in theirs] == ours.rows


@pytest.mark.slow
def test_corpus_sources_and_entities_per_source(corpus_store: ox.Store) -> None:
    titles = {"It’s official: the Met Police are trash",
              "IOPC recommendations to tackle Met culture after investigation uncovers bullying and harassment in the ranks"}
    sources = corpus_rows(corpus_store, "sources", "source", "publisher", "published")
    assert {r[0] for r in sources} == titles
    assert ("It’s official: the Met Police are trash", "Dazed (Dazed Digital)", "2022-02") in sources
    per_source = corpus_rows(corpus_store, "entities-per-source", "source", "entity", "type")
    assert {r[0] for r in per_source} == titles
    for title in titles:
        assert (title, "Sal Naseem", "schema:Person") in per_source


@pytest.mark.slow
def test_corpus_entity_lookup_by_name_and_alias(corpus_store: ox.Store, corpus_project: Project) -> None:
    naseem = queries.resolve_entity(corpus_store, "Sal Naseem")
    assert queries.resolve_entity(corpus_store, "Naseem") == naseem
    assert queries.resolve_entity(corpus_store, "sal naseem") == naseem
    by_name = run(corpus_store, "entity", entity="Sal Naseem")
    assert by_name.rows == run(corpus_store, "entity", entity="Naseem").rows
    rows = cells(by_name, "source", "start", "end", "kind", "quote")
    assert {r[0] for r in rows if r[3] == "mention" and r[4] == "Sal Naseem"} == {
        "It’s official: the Met Police are trash",
        "IOPC recommendations to tackle Met culture after investigation uncovers bullying and harassment in the ranks",
    }
    ids_by_title = {queries.table_term(r[0]): r[-1].value for r in run(corpus_store, "sources").rows}  # type: ignore[union-attr]
    for source, start, end, _kind, quote in rows:
        doc = ids_by_title[source].rsplit("/", 1)[-1]
        assert corpus_project.text_of(doc)[int(start) : int(end)] == quote
    aliases = {r[1]: r[2] for r in corpus_rows(corpus_store, "entities", "type", "entity", "aliases") if r[0] == "schema:Person"}
    assert "Naseem" in aliases["Sal Naseem"].split(" | ")


@pytest.mark.slow
def test_corpus_what_the_documents_say(corpus_store: ox.Store) -> None:
    quotes = corpus_rows(corpus_store, "quotes", "speaker", "quote")
    assert any(s == "Sal Naseem" and "not the actions of just a few bad apples" in q for s, q in quotes)
    roles = corpus_rows(corpus_store, "people-roles", "person", "organization")
    assert ("Sal Naseem", "Independent Office for Police Conduct") in roles
    outcomes = corpus_rows(corpus_store, "outcomes", "outcomeType", "officers", "sources")
    assert ("outcome:dismissal-gross-misconduct", "2", "2") in outcomes
    findings = {r[0] for r in corpus_rows(corpus_store, "findings", "misconduct")}
    assert {"misconduct:bullying", "misconduct:harassment"} <= findings
    assert any(r[1] == "Independent Office for Police Conduct" for r in corpus_rows(corpus_store, "recommendations", "recommendation", "by"))
    corroborated = corpus_rows(corpus_store, "corroborated", "subject", "predicate", "object", "sources")
    assert ("Operation Hotton", "kg:officersInvestigated", "14", "2") in corroborated
    dates = corpus_rows(corpus_store, "relative-dates", "date", "resolvedFrom")
    assert ("2022-02-01", "yesterday") in dates
    timeline = [r[0] for r in corpus_rows(corpus_store, "timeline", "date")]
    assert timeline == sorted(timeline) and timeline
    pairs = {frozenset(r[:2]) for r in corpus_rows(corpus_store, "co-mentions", "entity1", "entity2")}
    assert frozenset({"Sal Naseem", "Independent Office for Police Conduct"}) in pairs


@pytest.mark.slow
def test_corpus_conflicts_and_single_source_facts_are_what_they_say(corpus_store: ox.Store) -> None:
    for row in run(corpus_store, "conflicts").rows:
        value1, value2 = row[2], row[5]
        assert value1 != value2
    count = queries.parse(
        "PREFIX oa: <http://www.w3.org/ns/oa#>\nSELECT ?statement (COUNT(DISTINCT ?src) AS ?n) WHERE { "
        "GRAPH ?g { ?c oa:hasBody ?statement ; oa:motivatedBy oa:describing ; oa:hasTarget ?t . ?t oa:hasSource ?src } } GROUP BY ?statement"
    )
    sources_of = {r[0].value: int(r[1].value) for r in queries.run(corpus_store, count).rows}  # type: ignore[union-attr]
    single = run(corpus_store, "single-source")
    assert single.rows and all(sources_of[r[-1].value] == 1 for r in single.rows)  # type: ignore[union-attr]
    corroborated = run(corpus_store, "corroborated")
    assert all(sources_of[r[-1].value] >= 2 for r in corroborated.rows)  # type: ignore[union-attr]


def test_mini_texts_match_the_fixture() -> None:
    """The fixture's TriG was generated from these texts (see fixtures/mini/generate.py)."""
    texts = mini_texts()
    store = ox.Store()
    store.load((Path(__file__).parent / "fixtures" / "mini" / "kg.trig").read_bytes(), format=ox.RdfFormat.TRIG)
    q = (
        "PREFIX oa: <http://www.w3.org/ns/oa#> SELECT ?src ?exact ?start ?end WHERE { GRAPH ?g { "
        "?t oa:hasSource ?src ; oa:hasSelector ?q, ?p . ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end } }"
    )
    rows = list(store.query(q))  # type: ignore[arg-type]
    assert len(rows) > 50
    for r in rows:
        text = texts[r["src"].value.rsplit("/", 1)[-1]]  # type: ignore[union-attr]
        assert text[int(r["start"].value) : int(r["end"].value)] == r["exact"].value  # type: ignore[union-attr]


def test_services_finds_every_way_a_query_names_an_endpoint() -> None:
    text = (
        "PREFIX remote: <http://h.example/> BASE <http://b.example/x/>\n"
        "SELECT * WHERE { SERVICE remote:s { } service silent <rel> { } SERVICE ?v { }\n"
        "  # SERVICE <http://in.a.comment/>\n  ?s ?p \"SERVICE <http://in.a.string/>\" . ?service ?p ?o }"
    )
    assert [iri for _o, iri in queries.services(text)] == ["http://h.example/s", "http://b.example/x/rel", None]
    with pytest.raises(QueryError, match=r"calls a remote service \(SERVICE <http://h.example/s>\).*line 2, column 18 of q"):
        queries.check_services(text, "q")
    with pytest.raises(QueryError, match=r"an endpoint a variable names"):
        queries.check_services(text, "q", ["http://h.example/s", "http://b.example/x/rel"])
    queries.check_services("SELECT ?service WHERE { ?service ?p ?o }", "q")  # a variable called service is no SERVICE
