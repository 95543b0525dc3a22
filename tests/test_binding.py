"""kg.binding: RDF terms stand in a query where their variables were, or the query is left alone."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg import binding

IRI = ox.NamedNode("https://kg.example/id/person/jane-roe")
P = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"


def test_the_term_stands_where_the_variable_was_and_the_projection_keeps_its_name() -> None:
    q = P + "SELECT ?who ?label WHERE { ?who rdfs:label ?label . FILTER (?who != <urn:x>) } ORDER BY ?who ?label"
    assert binding.inline(q, {"who": IRI}) == (
        P + f"SELECT ({IRI} AS ?who) ?label WHERE {{ {IRI} rdfs:label ?label . FILTER ({IRI} != <urn:x>) }} "
        "ORDER BY ?who ?label"
    )


def test_strings_iris_and_comments_are_not_variables() -> None:
    q = (
        P + "# ?who in a comment\n"
        "SELECT ?who WHERE { ?who rdfs:label \"?who\" , '''?who''' . ?who <http://x/?who=1> ?o }"
    )
    out = binding.inline(q, {"who": IRI})
    assert out is not None
    assert "# ?who in a comment" in out and '"?who"' in out and "'''?who'''" in out
    assert "<http://x/?who=1>" in out
    assert out.count(str(IRI)) == 3  # the projection and the two patterns


def test_a_literal_is_written_escaped_and_cannot_change_the_query() -> None:
    sneaky = ox.Literal('x" } ; DROP ALL ; SELECT * { "')
    q = P + "SELECT ?s ?label WHERE { ?s rdfs:label ?label }"
    out = binding.inline(q, {"label": sneaky})
    assert out is not None and '\\"' in out
    store = ox.Store()
    store.add(ox.Quad(IRI, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), sneaky))
    rows = list(store.query(out))  # type: ignore[arg-type]
    assert [(r["s"], r["label"]) for r in rows] == [(IRI, sneaky)]  # type: ignore[index]


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?x WHERE { BIND (<urn:a> AS ?x) }",  # assigned by the query itself
        "SELECT ?x WHERE { VALUES ?x { <urn:a> } }",
        "SELECT ?x WHERE { ?x ?p ?o FILTER (BOUND(?x)) }",
        "SELECT * WHERE { ?x ?p ?o }",
        "SELECT ?x (COUNT(*) AS ?n) WHERE { ?x ?p ?o } GROUP BY ?x",
        "SELECT ?s WHERE { ?s ?p ?o { SELECT ?o WHERE { ?x ?q ?o } } }",  # the sub-query's own ?x
        "SELECT ?x WHERE { ?s ?p ?o FILTER (?o<?x&&?o>?x) }",  # "<?x&&?o>" could be read as an IRI
    ],
)
def test_where_a_term_cannot_stand_the_query_is_left_to_oxigraph(query: str) -> None:
    assert binding.inline(query, {"x": IRI}) is None
    assert binding.inline(query, {"x": ox.BlankNode("b")}) is None


def test_a_term_next_to_an_operator_is_spaced_off() -> None:
    """"?o<?x" must not become "?o<<iri>" (the start of a quoted triple)."""
    q = "SELECT ?o ?x WHERE { ?s ?p ?o FILTER (?o<?x) }"
    out = binding.inline(q, {"x": ox.Literal("5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))})
    assert out is not None and 'FILTER (?o< "5"^^<http://www.w3.org/2001/XMLSchema#integer>)' in out
    store = ox.Store()
    store.add(ox.Quad(IRI, IRI, ox.Literal("3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))))
    assert len(list(store.query(out))) == 1  # type: ignore[arg-type]


def test_a_sub_query_that_projects_the_variable_takes_the_term() -> None:
    q = "SELECT ?x ?n WHERE { { SELECT ?x (COUNT(*) AS ?n) WHERE { ?x ?p ?o } GROUP BY ?p } }"
    out = binding.inline(q, {"x": IRI})
    assert out == f"SELECT ({IRI} AS ?x) ?n WHERE {{ {{ SELECT ({IRI} AS ?x) (COUNT(*) AS ?n) WHERE {{ {IRI} ?p ?o }} GROUP BY ?p }} }}"


names = st.text(alphabet=st.characters(min_codepoint=1, max_codepoint=0x2FFF, blacklist_categories=("Cs",)), max_size=20)


@given(value=names)
def test_inlined_and_substituted_queries_give_the_same_rows(value: str) -> None:
    """Whatever the value, the query with the term in it answers as Oxigraph's substitution does."""
    store = ox.Store()
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    store.add(ox.Quad(IRI, label, ox.Literal(value)))
    store.add(ox.Quad(ox.NamedNode("urn:other"), label, ox.Literal(value + "!")))
    q = P + "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?s"
    term = ox.Literal(value)
    out = binding.inline(q, {"label": term})
    assert out is not None
    inlined = [(r["s"], r["label"]) for r in store.query(out)]  # type: ignore[union-attr, index]
    substituted = [(r["s"], r["label"]) for r in store.query(q, substitutions={ox.Variable("label"): term})]  # type: ignore[union-attr, index]
    assert inlined == substituted == [(IRI, term)]
