"""kg.html: the main text of a page, read to the end however deep its markup nests."""

from __future__ import annotations

import pytest

from kg import html


def _nested(depth: int, tag: str = "div") -> str:
    return (f"<html><body><article><p>Before the nest.</p>{f'<{tag}>' * depth}Deep words.{f'</{tag}>' * depth}"
            "<p>After the nest.</p></article></body></html>")


@pytest.mark.parametrize("depth", [300, 1000, 2000])
def test_text_after_a_deep_nest_is_read(depth: int) -> None:
    # libxml2 stops at 256 levels by default and drops the rest of the page without a word
    page = html.extract(_nested(depth))
    assert page.text == "Before the nest.\n\nDeep words.\n\nAfter the nest.\n"


def test_inline_elements_nested_deep_keep_their_text() -> None:
    page = html.extract(_nested(1500, "span"))
    assert page.text == "Before the nest.\n\nDeep words.\n\nAfter the nest.\n"


@pytest.mark.parametrize("depth", [3000, 10_000])
def test_a_page_nested_past_the_limit_is_refused_naming_the_depth(depth: int) -> None:
    with pytest.raises(ValueError, match=r"nests elements more than 2,048 levels deep \(line 1\), and the text after the nest would be lost"):
        html.extract(_nested(depth))


def test_lists_of_other_stories_and_topics_are_left_out_by_their_heading() -> None:
    """ "More on this story", "Related Topics", "Top Stories": a page's lists of other stories, even
    inside the article and without a class that says so; a section with a heading of its own stays."""
    page = ("<html><body><article><h1>Officers sacked</h1><p>Two officers were sacked today.</p>"
            "<section><h2>More on this story</h2><ul><li><a href='/a'>Police Chief Apologises Over Messages</a></li></ul></section>"
            "<div><h3>Related Topics</h3><ul><li>Northshire Police</li></ul></div>"
            "<section><h2>What the report found</h2><p>The report found bullying.</p></section>"
            "</article><section><h2>Top Stories</h2><ul><li>Storm Batters Coast</li></ul></section></body></html>")
    text = html.extract(page).text
    assert "Two officers were sacked today." in text and "The report found bullying." in text
    assert "What the report found" in text
    for furniture in ("More on this story", "Police Chief Apologises", "Related Topics", "Northshire Police", "Top Stories", "Storm"):
        assert furniture not in text, furniture
