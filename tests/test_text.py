from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kg import text as T  # noqa: N812 - the module under test, short
from kg.model import Span


def test_fold_keeps_length_and_reads_odd_spaces_and_curly_quotes_plainly() -> None:
    s = "We\u00a0said “no” – it’s ‘fine’"
    folded = T.fold(s)
    assert len(folded) == len(s)
    assert folded == "We said \"no\" - it's 'fine'"


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_fold_is_same_length_for_any_text(s: str) -> None:
    assert len(T.fold(s)) == len(s)


def test_paragraphs_are_lines_unless_hard_wrapped() -> None:
    web = "Headline here\nStandfirst line\n\nFirst paragraph.\n\nSecond paragraph.\n"
    assert [p.of(web) for p in T.paragraphs(web)] == ["Headline here", "Standfirst line", "First paragraph.", "Second paragraph."]
    wrapped = (
        "LONDON (Wire) - The watchdog said on Tuesday that fourteen officers had been\n"
        "investigated over messages shared in group chats, and that two of them were\n"
        "dismissed.\n\nA second paragraph follows here.\n"
    )
    paras = [p.of(wrapped) for p in T.paragraphs(wrapped)]
    assert len(paras) == 2
    assert paras[0].startswith("LONDON") and paras[0].endswith("dismissed.")


def test_sentences_respect_abbreviations_initials_and_quotes() -> None:
    s = "Mr Smith met Dr J. Jones. “It was bad,” he said. They left! Then No. 10 spoke… Later on."
    spans = T.sentences(s, T.paragraphs(s))
    assert [x.of(s) for x in spans] == [
        "Mr Smith met Dr J. Jones.",
        "“It was bad,” he said.",
        "They left!",
        "Then No. 10 spoke…",
        "Later on.",
    ]


_LINE = st.text(alphabet=st.sampled_from("ab cD.,!?“”‘’\u00a0"), min_size=0, max_size=40)


@given(st.lists(_LINE, min_size=1, max_size=12), st.sampled_from(["\n", "\n\n", "\r\n"]))
def test_layout_spans_are_ordered_stripped_and_inside_the_text(lines: list[str], sep: str) -> None:
    s = sep.join(lines)
    paras = T.paragraphs(s)
    sents = T.sentences(s, paras)
    for group in (paras, sents):
        prev_end = 0
        for span in group:
            assert 0 <= span.start < span.end <= len(s)
            assert span.start >= prev_end
            assert span.of(s) == span.of(s).strip()
            prev_end = span.end
    for sent in sents:
        assert any(p.contains(sent) for p in paras)


def test_furniture_above_the_title_and_the_republishers_trailer() -> None:
    s = (
        "Share\nA crowd outside the station\nPhotograph: Jo Bloggs/Agency\nWatchdog News (WN)\n"
        "The headline of the story\n\nBody text that says things.\n\nMore body.\n\n"
        "Related stories\n\nSome other story entirely\n"
    )
    found = {f.span.of(s): f.kind for f in T.furniture(s, title="The headline of the story", publisher="Watchdog News (WN)")}
    assert found == {
        "Share": "share",
        "A crowd outside the station": "caption",
        "Photograph: Jo Bloggs/Agency": "credit",
        "Watchdog News (WN)": "masthead",
        "Related stories": "trailer",
        "Some other story entirely": "trailer",
    }


def test_furniture_without_a_known_title_uses_the_short_opening_lines() -> None:
    s = "Print this page\nPictured: the vigil\n\nThe investigation began in 2018 and found serious problems in the team.\n"
    kinds = {f.span.of(s): f.kind for f in T.furniture(s, title=None, publisher=None)}
    assert kinds == {"Print this page": "share", "Pictured: the vigil": "caption"}


def test_no_furniture_in_plain_prose() -> None:
    s = "The investigation began in 2018.\n\nIt found bullying and harassment.\n"
    assert T.furniture(s, title="Something else", publisher="Nobody") == ()


def test_strip_span_and_lines() -> None:
    s = "  a b \n\n\u00a0c\u00a0\n"
    assert [x.of(s) for x in T.lines(s)] == ["a b", "c"]
    assert T.strip_span(s, 0, 6) == (2, 5)
    assert Span(2, 5).of(s) == "a b"


class _CountingText(str):
    """A text that counts the characters its slices copy."""

    copied = 0

    def __getitem__(self, key):  # type: ignore[no-untyped-def]
        part = str.__getitem__(self, key)
        if isinstance(key, slice):
            _CountingText.copied += len(part)
        return part


def test_sentence_splitting_copies_the_text_a_bounded_number_of_times() -> None:
    # linear in the length of the document: a copy of the text up to each paragraph (what made a
    # 20 MB document take minutes) would copy about a thousand texts' worth here
    plain = "".join(f"Paragraph {i} says one thing. Dr. Roe said another thing.\n\n" for i in range(2000))
    text = _CountingText(plain)
    _CountingText.copied = 0
    spans = T.sentences(text, T.paragraphs(plain))
    assert len(spans) == 4000
    assert [s.of(plain) for s in spans[:2]] == ["Paragraph 0 says one thing.", "Dr. Roe said another thing."]
    assert _CountingText.copied < 20 * len(plain)


def test_a_news_pages_topics_and_top_stories_are_its_trailer() -> None:
    for heading in ("Related Topics", "Top Stories", "Elsewhere on the site"):
        s = f"The headline of the story\n\nBody text that says things.\n\n{heading}\n\nNorthshire Police\n"
        found = {f.span.of(s): f.kind for f in T.furniture(s, title="The headline of the story")}
        assert found.get(heading) == "trailer" and "Body text that says things." not in found, heading
