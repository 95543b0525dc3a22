from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.errors import CitationError
from kg.model import Citation, PartialDate, SourceMeta
from kg.sources import layout

META = SourceMeta("T", "P", "https://example.org", PartialDate(2022, 2), "news")


@pytest.mark.parametrize(
    ("text", "precision", "xsd"),
    [("2022", "year", "xsd:gYear"), ("2022-02", "month", "xsd:gYearMonth"), ("2022-02-01", "day", "xsd:date")],
)
def test_partial_date_keeps_precision(text: str, precision: str, xsd: str) -> None:
    d = PartialDate.parse(text)
    assert d.precision == precision
    assert d.xsd == xsd
    assert d.iso() == text


@pytest.mark.parametrize(
    ("text", "reason"),
    [("2022-02-30", "has no day 30"), ("2022-13", "month 13"), ("Feb 2022", "not a date"), ("22-02-01", "not a date")],
)
def test_partial_date_rejects_bad_dates(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        PartialDate.parse(text)


def test_dates_agree_when_one_contains_the_other() -> None:
    assert PartialDate(2018).compatible(PartialDate(2018, 3))
    assert PartialDate(2018, 3).compatible(PartialDate(2018, 3, 14))
    assert not PartialDate(2018, 3).compatible(PartialDate(2018, 4))
    assert not PartialDate(2017).compatible(PartialDate(2018, 3))


def test_shift_keeps_only_what_is_certain() -> None:
    assert PartialDate(2022, 2, 2).shift_days(-1) == PartialDate(2022, 2, 1)
    # a month-precise anchor plus 56 days lands somewhere between 29 March and 25 April
    assert PartialDate(2022, 2).shift_days(56) == PartialDate(2022)
    # plus 5 days from 1–28 February stays within February or March: only the year is certain
    assert PartialDate(2022, 2).shift_days(5) == PartialDate(2022)
    assert PartialDate.spanning(date(2022, 3, 1), date(2022, 3, 31)) == PartialDate(2022, 3)


def test_citation_is_checked_when_made() -> None:
    doc = layout("d", "d.txt", "text/plain", "Hello\u00a0world, said “Jo”.\n", META)
    c = Citation.make(doc, 6, 11)
    assert c.exact == "world"
    assert c.prefix == "Hello\u00a0"
    assert c.check(doc.text) is None
    assert "changed" in (c.check("Hello world, said “Jo”.\n") or "")
    with pytest.raises(CitationError, match="outside the text"):
        Citation.make(doc, 10, 100)
    with pytest.raises(CitationError, match="white space"):
        Citation.make(doc, 5, 11)


@given(st.text(min_size=1, max_size=200), st.data())
def test_any_citation_quotes_exactly_its_offsets(text: str, data: st.DataObject) -> None:
    doc = layout("d", "d.txt", "text/plain", text, META)
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    if text[start:end] != text[start:end].strip() or not text[start:end].strip():
        with pytest.raises(CitationError):
            Citation.make(doc, start, end)
        return
    c = Citation.make(doc, start, end)
    assert text[c.start : c.end] == c.exact
    assert text[max(0, c.start - 32) : c.start] == c.prefix
    assert text[c.end : c.end + 32] == c.suffix
    assert c.check(text) is None
