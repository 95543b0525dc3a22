"""A deadline in days that a source can date only roughly is dated to the day by the source that
dates what it counts from (kg.anchors)."""

from __future__ import annotations

import pyoxigraph as ox

from kg.build import build
from kg.project import Project

RELEASE = (
    "IOPC publishes learning report on Northshire Police culture\n\n"
    "We yesterday published our learning report from Operation Larch, our investigation into officers of "
    "Northshire Police. The report makes 12 recommendations to Northshire Police.\n"
)
MAGAZINE = (
    "The watchdog's verdict on Northshire Police\n\n"
    "The Independent Office for Police Conduct (IOPC) has published its Operation Larch learning report. In an "
    "effort to combat the misconduct it uncovered, the organisation also includes 12 recommendations in its report, "
    "and will publish Northshire Police’s response to these within 56 days.\n"
)


def _side(name: str, title: str, publisher: str, published: str) -> str:
    return f'file = "{name}.txt"\ntitle = "{title}"\npublisher = "{publisher}"\nurl = "https://example.org/{name}"\npublished = "{published}"\n'


def _files(release_day: str | None) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {
        "magazine.txt": MAGAZINE,
        "magazine.toml": _side("magazine", "The watchdog's verdict on Northshire Police", "Harbour Gazette", "2023-03"),
    }
    if release_day is not None:
        files["release.txt"] = RELEASE
        files["release.toml"] = _side("release", "IOPC publishes learning report on Northshire Police culture", "Independent Office for Police Conduct", release_day)
    return files


def _due(project: Project) -> list[tuple[str, str, dict[str, str]]]:
    """(value, datatype, the notes of its citation) of every kg:dueDate in the store."""
    store = ox.Store.read_only(str(project.store_path()))
    rows = store.query("""
        PREFIX kg: <https://kg.example/ns#> PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?o ?p ?v WHERE { GRAPH ?g { ?st rdf:predicate kg:dueDate ; rdf:object ?o . ?a oa:hasBody ?st ; ?p ?v .
          FILTER(STRSTARTS(STR(?p), STR(kg:))) } }""", use_default_graph_as_union=False)
    out: dict[tuple[str, str], dict[str, str]] = {}
    for row in rows:  # type: ignore[union-attr]
        o = row["o"]
        out.setdefault((o.value, o.datatype.value.rsplit("#", 1)[-1]), {})[row["p"].value.rsplit("#", 1)[-1]] = row["v"].value
    return [(v, t, notes) for (v, t), notes in sorted(out.items())]


def test_a_deadline_counted_from_a_report_another_source_dates_is_a_day(make_project) -> None:  # type: ignore[no-untyped-def]
    project = make_project(_files("2023-03-02"))
    build(project, jobs=1)
    ((value, datatype, notes),) = _due(project)
    # the release: published "yesterday" of 2 March, so 1 March; the deadline 56 days on
    assert (value, datatype) == ("2023-04-26", "date")
    assert notes == {"resolvedFrom": "within 56 days", "anchorDate": "2023-03-01", "offsetDays": "56",
                     "anchoredOn": "the publication of the IOPC learning report"}


def test_alone_the_deadline_is_as_precise_as_its_source_allows(make_project) -> None:  # type: ignore[no-untyped-def]
    project = make_project(_files(None))
    build(project, jobs=1)
    ((value, datatype, notes),) = _due(project)
    # 56 days after some day of March 2023 falls between 26 April and 26 May: only the year is certain
    assert (value, datatype) == ("2023", "gYear")
    assert notes["anchorDate"] == "2023-03" and "anchoredOn" not in notes


def test_sources_that_date_the_report_differently_fix_no_day(make_project) -> None:  # type: ignore[no-untyped-def]
    files = _files("2023-03-02")
    files["later.txt"] = RELEASE
    files["later.toml"] = _side("later", "IOPC publishes learning report on Northshire Police culture",
                                "Independent Office for Police Conduct", "2023-03-09")
    project = make_project(files)
    build(project, jobs=1)
    ((value, datatype, notes),) = _due(project)
    assert (value, datatype) == ("2023", "gYear") and "anchoredOn" not in notes
