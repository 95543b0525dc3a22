"""Property tests: every citation kg makes quotes exactly the words at its offsets."""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg import dataset
from kg.extract import extract_document
from kg.model import Citation, PartialDate, SourceMeta
from kg.project import Project
from kg.sources import layout

CITATIONS = """
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?src ?exact ?prefix ?suffix ?start ?end WHERE { GRAPH ?g {
  ?t oa:hasSource ?src ; oa:hasSelector ?q, ?p .
  ?q a oa:TextQuoteSelector ; oa:exact ?exact ; oa:prefix ?prefix ; oa:suffix ?suffix .
  ?p a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
} }"""


def _citations(project: Project) -> list[Citation]:
    out = []
    for r in dataset.open_store(project).query(CITATIONS):  # type: ignore[union-attr]
        assert isinstance(r["start"], ox.Literal)
        out.append(Citation(str(r["src"].value).rsplit("/", 1)[-1], int(r["start"].value), int(r["end"].value),  # type: ignore[union-attr]
                            str(r["exact"].value), str(r["prefix"].value), str(r["suffix"].value)))  # type: ignore[union-attr]
    return out


def test_every_citation_in_the_built_corpus_quotes_its_offsets(corpus_project: Project) -> None:
    cites = _citations(corpus_project)
    assert len(cites) > 300
    texts = {c.source: corpus_project.text_of(c.source) for c in cites}
    for c in cites:
        text = texts[c.source]
        assert text[c.start : c.end] == c.exact
        assert c.check(text) is None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_any_sampled_citation_of_the_corpus_reanchors(corpus_project: Project, data: st.DataObject) -> None:
    cites = _citations(corpus_project)
    c = data.draw(st.sampled_from(cites))
    text = corpus_project.text_of(c.source)
    assert text[c.start : c.end] == c.exact
    assert text[max(0, c.start - 32) : c.start] == c.prefix and text[c.end : c.end + 32] == c.suffix


# Article-like text from fragments, with the characters that make offsets hard: no-break spaces,
# curly quotes, apostrophes, dashes, furniture lines and paragraph breaks of several kinds.
NAMES = ["Priya Raman", "Tom Ellery", "Sam Okafor", "the Northshire Conduct Authority (NCA)", "Northshire Constabulary", "the NCA"]
FRAGMENTS = [
    "{a} said the investigation found bullying and racism.",
    "“We saw a culture that protected the worst people,” {a} said.",
    "{a} told reporters:\u00a0“It has to stop.”",
    "Two officers were dismissed for gross\u00a0misconduct and a further three received management action.",
    "The inquiry began in March\u00a02021 and concluded last month.",
    "{a}’s chief constable, {b}, said the force would accept the 11 recommendations.",
    "The report recommends that {a} should introduce vetting – and review its training.",
    "Messages shared by officers were dismissed as ‘banter’.",
    "Operation Lantern was launched yesterday after a complaint that an officer had stolen evidence.",
]
FURNITURE = ["Share", "Print this page", "Photograph: Agency", "Related stories"]


@st.composite
def articles(draw: st.DrawFn) -> str:
    head = draw(st.lists(st.sampled_from(FURNITURE[:3]), max_size=2))
    body = []
    for _ in range(draw(st.integers(1, 6))):
        fragment = draw(st.sampled_from(FRAGMENTS))
        a, b = draw(st.sampled_from(NAMES)), draw(st.sampled_from(NAMES))
        body.append(fragment.format(a=a, b=b))
    sep = draw(st.sampled_from(["\n\n", "\n", "\r\n\r\n", " "]))
    tail = draw(st.lists(st.sampled_from(FURNITURE[3:]), max_size=1))
    return "\n".join(head) + ("\n\n" if head else "") + "Headline of the story\n\n" + sep.join(body) + "\n" + "\n".join(tail)


@settings(max_examples=25, deadline=None)
@given(articles())
def test_every_citation_extraction_makes_quotes_its_offsets(text: str) -> None:
    meta = SourceMeta("Headline of the story", "Harbour Gazette", "https://example.org/a", PartialDate(2023, 6, 14), "news")
    doc = layout("gen", "gen.txt", "text/plain", text, meta)
    x = extract_document(doc)
    for c in [m.citation for m in x.mentions] + [c for claim in x.claims for c in claim.citations]:
        assert text[c.start : c.end] == c.exact
        assert c.exact == c.exact.strip()
        assert c.check(text) is None
        assert doc.furniture_at(c.start, c.end) is None  # never cites furniture
