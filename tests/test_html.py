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
