"""kg.analysis: the NetworkX projections and their measures, on the hand-made mini corpus and the real one."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest
from fixtures.projects import mini_project

from kg import analysis, ids, queries
from kg.errors import LookupFailed
from kg.project import Project

P = ids.ID
HCO = P + "organization/harbour-conduct-office"
CPS = P + "organization/coastal-police-service"
DANA = P + "person/dana-reyes"
ALEX = P + "person/alex-reyes"
STATION = P + "place/northgate-police-station"
LANTERN = P + "investigation/operation-lantern"
ROLE_DANA = P + "role/dana-reyes-regional-director-67fb4136fc"
FEAR = P + "quotation/what-we-found-was-a-culture-of-fear-2a422c7213"
BULLYING = P + "finding/bullying-at-northgate-police-station-0e148e30b2"
DISMISSED = P + "disciplinary/2-officers-dismissal-for-gross-e5b2978ad1"
GAZETTE = P + "source/harbour-gazette-2021-05-lantern"
RELEASE = P + "source/hco-2021-05-04-lantern-report"


@pytest.fixture(scope="module")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return mini_project(tmp_path_factory.mktemp("mini"))


@pytest.fixture(scope="module")
def snap(mini: Project) -> analysis.Snapshot:
    return analysis.open_snapshot(mini)


def test_snapshot(snap: analysis.Snapshot) -> None:
    assert list(snap.sources) == [GAZETTE, RELEASE]
    assert len(snap.entities) == 17
    assert len(snap.links) == 16  # the statements between two entities
    dana = snap.entities[DANA]
    assert (dana.label, dana.type, dana.aliases, dana.mentions, dana.sources) == ("Dana Reyes", "schema:Person", ("Reyes",), 4, 2)
    assert all(x.citations >= x.sources >= 1 for x in snap.links)
    # the counts are those of the mentions themselves
    mentions = snap.mentions()
    assert sum(1 for ms in mentions.values() for iri, _c in ms if iri == DANA) == 4
    assert {src for src, ms in mentions.items() if any(iri == DANA for iri, _c in ms)} == {GAZETTE, RELEASE}


def test_entity_graph(snap: analysis.Snapshot, mini: Project) -> None:
    g = analysis.entity_graph(snap)
    assert isinstance(g, nx.MultiDiGraph)
    assert sorted(g.nodes) == sorted(snap.entities)  # every entity, linked or not
    assert g.number_of_edges() == 16  # statements between two entities (not literals or concepts)
    (key, data), = g.get_edge_data(ROLE_DANA, DANA).items()
    assert data == {
        "label": "kg:holder", "predicate": ids.KG + "holder", "statement": key, "citations": 2, "sources": 2,
        "weight": 2, "quote": "its regional director Dana Reyes", "source": GAZETTE, "start": 160, "end": 192,
    }
    assert g.nodes[DANA] == {
        "kind": "entity", "type": "schema:Person", "label": "Dana Reyes", "aliases": "Reyes", "sources": 2, "mentions": 4,
    }
    assert g.degree(DISMISSED) == 0
    text_of = analysis.texts(mini)
    for _a, _b, d in g.edges(data=True):
        assert text_of(d["source"])[d["start"] : d["end"]] == d["quote"]


def test_comention_graph_counts_shared_sentences(snap: analysis.Snapshot, mini: Project) -> None:
    g = analysis.comention_graph(snap, analysis.texts(mini))
    assert sorted(g.nodes) == sorted(snap.entities)
    # named entities only (a quotation or a finding in the same sentence is not a co-mention)
    assert g.number_of_edges() == 6
    assert not g.has_edge(DANA, FEAR) and not g.has_edge(BULLYING, STATION)
    # "… its regional director Dana Reyes …" and "HCO Regional Director Dana Reyes …"
    assert (g[DANA][HCO]["weight"], g[DANA][HCO]["sources"]) == (2, 2)
    assert (g[DANA][HCO]["source"], g[DANA][HCO]["start"]) == (GAZETTE, 53)  # the sentence that names both
    assert g[LANTERN][HCO]["weight"] == 2 and g[HCO][STATION]["weight"] == 1
    assert not g.has_edge(ALEX, DANA)  # never in one sentence
    text_of = analysis.texts(mini)
    for _a, _b, d in g.edges(data=True):
        assert text_of(d["source"])[d["start"] : d["end"]] == d["quote"]
        assert d["weight"] == d["sentences"] >= 1
    # the weights are the statistics kg build counted; without texts, the edges carry no quotes
    bare = analysis.comention_graph(snap)
    assert [(a, b, d["weight"]) for a, b, d in bare.edges(data=True)] == [(a, b, d["weight"]) for a, b, d in g.edges(data=True)]
    assert "quote" not in next(iter(bare.edges(data=True)))[2]


def test_sentences_follow_kg_text() -> None:
    text = "Alex Reyes said: “We are deeply sorry.” Reyes did not say more.\n\nA new paragraph."
    assert [text[s:e] for s, e in analysis.sentence_spans(text)] == [
        "Alex Reyes said: “We are deeply sorry.”", "Reyes did not say more.", "A new paragraph.",
    ]


def test_bipartite_graph(snap: analysis.Snapshot) -> None:
    g = analysis.bipartite_graph(snap)
    assert g.number_of_nodes() == 19 and g.number_of_edges() == 26
    assert nx.is_bipartite(g)
    assert {n for n, d in g.nodes(data=True) if d["bipartite"] == 0} == {GAZETTE, RELEASE}
    assert (g.degree(GAZETTE), g.degree(RELEASE)) == (15, 11)
    assert g[GAZETTE][HCO]["weight"] == 3
    assert g.nodes[GAZETTE]["label"] == "Watchdog finds bullying at Northgate police station"
    assert g.nodes[GAZETTE]["mentions"] == 21


def test_centrality(snap: analysis.Snapshot) -> None:
    g = analysis.entity_graph(snap)
    table = analysis.centrality(g, top=3)
    assert table.headers == ("rank", "label", "type", "degree", "weight", "pagerank", "iri")
    assert [r[1] for r in table.rows] == ["Harbour Conduct Office", "Operation Lantern", "Dana Reyes, regional director"]
    assert table.rows[0][:5] == [1, "Harbour Conduct Office", "schema:Organization", 6, 7]
    assert table.footer == "3 of 17 nodes, 16 edges, ranked by pagerank"
    pageranks = [r[5] for r in analysis.centrality(g).rows]
    assert pageranks == sorted(pageranks, reverse=True)  # type: ignore[type-var]
    assert sum(pageranks) == pytest.approx(1.0, abs=1e-4)  # type: ignore[arg-type]
    by_degree = analysis.centrality(g, by="degree")
    assert by_degree.headers == ("rank", "label", "type", "degree", "weight", "iri")
    assert [r[3] for r in by_degree.rows] == sorted((r[3] for r in by_degree.rows), reverse=True)  # type: ignore[type-var]
    by_betweenness = analysis.centrality(g, by="betweenness", top=1)
    assert by_betweenness.headers[5] == "betweenness"
    assert by_betweenness.rows[0][1] == "Harbour Conduct Office"
    assert by_betweenness.rows[0][5] == round(nx.betweenness_centrality(analysis.simple(g))[HCO], 6)
    assert analysis.centrality(g).rows == analysis.centrality(analysis.entity_graph(snap)).rows  # deterministic
    with pytest.raises(ValueError):
        analysis.centrality(g, by="fame")


def test_scores_match_networkx_on_the_simple_graph(snap: analysis.Snapshot) -> None:
    g = analysis.entity_graph(snap)
    s = analysis.scores(g)
    simple = analysis.simple(g)
    assert s.pagerank == pytest.approx(nx.pagerank(simple, weight="weight"))
    assert s.betweenness == pytest.approx(nx.betweenness_centrality(simple))
    assert s.degree == dict(simple.degree())


def test_betweenness_is_sampled_with_a_seed_on_large_graphs(monkeypatch: pytest.MonkeyPatch) -> None:
    g = nx.barabasi_albert_graph(60, 2, seed=1)
    exact = analysis.scores(g).betweenness
    assert exact == pytest.approx(nx.betweenness_centrality(g))
    monkeypatch.setattr(analysis, "BETWEENNESS_SAMPLE", 10)  # 60 nodes > 2 × 10: estimate from 10 sources
    sampled = analysis.scores(g).betweenness
    assert sampled != pytest.approx(exact)
    assert sampled == analysis.scores(g).betweenness == nx.betweenness_centrality(g, k=10, seed=analysis.SEED)
    assert analysis.scores(nx.Graph()).pagerank == {}


def test_communities(snap: analysis.Snapshot, mini: Project) -> None:
    for kind in analysis.GRAPHS:
        g = analysis.project_graph(snap, kind, analysis.texts(mini))
        table = analysis.communities(g)
        members = [iri for row in table.rows for iri in row[3]]  # type: ignore[union-attr]
        assert sorted(members) == sorted(g.nodes), kind  # a partition
        assert [r[1] for r in table.rows] == sorted((r[1] for r in table.rows), reverse=True)  # type: ignore[type-var]
        assert "(Louvain, seed 42)" in (table.footer or "")
        again = analysis.communities(analysis.project_graph(snap, kind, analysis.texts(mini)))
        assert again.rows == table.rows and again.footer == table.footer, kind  # deterministic
    bipartite = analysis.communities(analysis.bipartite_graph(snap))
    assert [r[1] for r in bipartite.rows] == [10, 9]
    assert analysis.communities(nx.Graph()).rows == []


def test_components(snap: analysis.Snapshot) -> None:
    table = analysis.components(analysis.entity_graph(snap))
    assert [(r[0], r[1]) for r in table.rows] == [(1, 16), (2, 1)]
    assert table.rows[1][2] == ["2 officers: dismissal for gross misconduct"]
    assert table.rows[0][2][0] == "Harbour Conduct Office"  # type: ignore[index]  # highest degree first
    assert table.footer == "2 of 2 components; 1 single nodes"
    assert len(analysis.components(analysis.entity_graph(snap), top=1).rows) == 1


def test_shortest_path_cites_every_step(snap: analysis.Snapshot, mini: Project) -> None:
    steps = analysis.shortest_path(snap, ALEX, DANA)
    assert [(ids.compact(s.subject), ids.compact(s.predicate), ids.compact(s.object)) for s in steps] == [
        ("role:alex-reyes-commissioner-6b2c231365", "kg:holder", "person:alex-reyes"),
        ("role:alex-reyes-commissioner-6b2c231365", "kg:organization", "organization:coastal-police-service"),
        ("recommendation:adopt-a-zero-tolerance-policy-57068e79c1", "kg:addressedTo", "organization:coastal-police-service"),
        ("recommendation:adopt-a-zero-tolerance-policy-57068e79c1", "kg:recommendedBy", "organization:harbour-conduct-office"),
        ("role:dana-reyes-regional-director-67fb4136fc", "kg:organization", "organization:harbour-conduct-office"),
        ("role:dana-reyes-regional-director-67fb4136fc", "kg:holder", "person:dana-reyes"),
    ]
    text_of = analysis.texts(mini)
    here = ALEX
    for step in steps:
        assert here in (step.subject, step.object)
        here = step.object if step.subject == here else step.subject
        assert text_of(step.source)[step.start : step.end] == step.quote
        link = next(x for x in snap.links if x.iri == step.statement)
        assert (link.subject, link.predicate, link.object) == (step.subject, step.predicate, step.object)
        assert step.citations == link.citations
    assert here == DANA
    table = analysis.path_table(snap, ALEX, DANA)
    assert table.footer == (
        "6 steps: Alex Reyes → Alex Reyes, commissioner → Coastal Police Service → adopt a zero-tolerance policy → "
        "Harbour Conduct Office → Dana Reyes, regional director → Dana Reyes"
    )
    assert table.rows[0][1:5] == ["Alex Reyes, commissioner", "kg:holder", "Alex Reyes", "Alex Reyes, the commissioner"]


def test_shortest_path_prefers_the_most_cited_statement(snap: analysis.Snapshot) -> None:
    (step,) = analysis.shortest_path(snap, DANA, ROLE_DANA)
    assert (step.predicate, step.citations) == (ids.KG + "holder", 2)


def test_no_path_and_same_entity(snap: analysis.Snapshot) -> None:
    with pytest.raises(LookupFailed) as info:
        analysis.shortest_path(snap, DANA, DISMISSED)
    assert str(info.value) == (
        "no chain of cited statements links Dana Reyes and 2 officers: dismissal for gross misconduct, in the entity "
        "graph — they are in different components; `kg analyze components` lists them"
    )
    assert analysis.shortest_path(snap, DANA, DANA) == []
    assert analysis.path_table(snap, DANA, DANA).footer == "Dana Reyes is Dana Reyes"
    with pytest.raises(LookupFailed, match="is not an entity"):
        analysis.shortest_path(snap, DANA, GAZETTE)


def test_tables_render_in_every_format(snap: analysis.Snapshot) -> None:
    table = analysis.centrality(analysis.entity_graph(snap), top=2)
    text = table.render("table")
    assert text.splitlines()[0].split() == list(table.headers)
    assert "organization:harbour-conduct-office" in text and HCO not in text  # CURIEs in a terminal
    assert text.endswith("2 of 17 nodes, 16 edges, ranked by pagerank\n")
    rows = list(csv.reader(io.StringIO(table.render("csv"))))
    assert rows[0] == list(table.headers) and rows[1][1] == "Harbour Conduct Office" and rows[1][-1] == HCO
    records = json.loads(table.render("json"))
    assert records[0]["iri"] == HCO and records[0]["degree"] == 6 and isinstance(records[0]["pagerank"], float)
    groups = analysis.components(analysis.entity_graph(snap)).render("json")
    assert json.loads(groups)[1]["iris"] == [DISMISSED]


# --- the corpus -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_snap(corpus_project: Project) -> analysis.Snapshot:
    return analysis.open_snapshot(corpus_project)


@pytest.mark.slow
def test_the_snapshot_kept_by_the_build_is_what_the_store_gives(corpus_project: Project, corpus_snap: analysis.Snapshot) -> None:
    from kg.dataset import open_store

    assert (corpus_project.data_dir() / "snapshot.json").is_file()
    read = analysis.read(open_store(corpus_project))
    assert corpus_snap.sources == read.sources
    assert corpus_snap.entities == read.entities
    assert corpus_snap.links == read.links and corpus_snap.links
    assert corpus_snap.comentions() == read.comentions() and read.comentions()


@pytest.mark.slow
def test_corpus_projections(corpus_project: Project, corpus_snap: analysis.Snapshot) -> None:
    store = queries.open_store(corpus_project)
    entities = {r[-1].value for r in queries.run(store, queries.find("entities")).rows}  # type: ignore[union-attr]
    text_of = analysis.texts(corpus_project)
    entity = analysis.entity_graph(corpus_snap)
    assert set(entity.nodes) == entities
    for _a, _b, key, d in entity.edges(keys=True, data=True):
        assert text_of(d["source"])[d["start"] : d["end"]] == d["quote"]
        assert key == d["statement"]
    comention = analysis.comention_graph(corpus_snap, text_of)
    naseem = queries.resolve_entity(store, "Sal Naseem")
    iopc = queries.resolve_entity(store, "IOPC")
    assert comention.has_edge(naseem, iopc) and comention[naseem][iopc]["weight"] >= 1
    for _a, _b, d in comention.edges(data=True):
        assert text_of(d["source"])[d["start"] : d["end"]] == d["quote"]
    bipartite = analysis.bipartite_graph(corpus_snap)
    per_source = queries.run(store, queries.find("sources"))
    for row in per_source.rows:
        src, entities_in_source = row[-1].value, int(row[3].value)  # type: ignore[union-attr]
        assert bipartite.degree(src) == entities_in_source


@pytest.mark.slow
@pytest.mark.parametrize("kind", analysis.GRAPHS)
def test_corpus_measures_are_deterministic(corpus_project: Project, corpus_snap: analysis.Snapshot, kind: str) -> None:
    def run() -> list[object]:
        g = analysis.project_graph(corpus_snap, kind, analysis.texts(corpus_project))
        return [analysis.centrality(g, top=20).rows, analysis.communities(g).rows, analysis.components(g).rows]

    first = run()
    assert first == run()
    centrality, communities, components = first
    assert len(centrality) == 20  # type: ignore[arg-type]
    assert communities and components


@pytest.mark.slow
def test_corpus_path_between_the_most_central_entity_and_the_farthest(corpus_project: Project, corpus_snap: analysis.Snapshot) -> None:
    g = analysis.simple(analysis.entity_graph(corpus_snap))
    if g.number_of_edges() == 0:
        a, b = sorted(corpus_snap.entities)[:2]
        with pytest.raises(LookupFailed, match="no chain of cited statements"):
            analysis.shortest_path(corpus_snap, a, b)
        return
    top = analysis.centrality(g, top=1).rows[0][-1]
    distances = nx.single_source_shortest_path_length(g, top)
    far = max(sorted(distances), key=lambda n: distances[n])
    steps = analysis.shortest_path(corpus_snap, str(top), far)
    assert len(steps) == distances[far] >= 1
    text_of = analysis.texts(corpus_project)
    here = top
    for step in steps:
        assert here in (step.subject, step.object)
        here = step.object if step.subject == here else step.subject
        assert text_of(step.source)[step.start : step.end] == step.quote
    assert here == far
