"""English for the fact sheets: numbers, plurals, agreement, articles, lists, verbs of events."""

from __future__ import annotations

import pytest

from kg import ids, prose

PERSON, ORG, PLACE = (ids.expand(c) for c in ("schema:Person", "schema:Organization", "schema:Place"))
REPORT, INVESTIGATION, WORK, POLL, FINDING = (
    ids.expand(c) for c in ("schema:Report", "kg:Investigation", "schema:CreativeWork", "kg:Poll", "kg:Finding")
)


@pytest.mark.parametrize(("n", "noun", "text"), [
    (1, "officer", "one officer"),
    (2, "officer", "two officers"),
    (9, "linked investigation", "nine linked investigations"),
    (14, "officer", "14 officers"),
    (15, "recommendation", "15 recommendations"),
    (0, "officer", "zero officers"),
    (3, "inquiry", "three inquiries"),
])
def test_counts(n: int, noun: str, text: str) -> None:
    assert prose.count(n, noun) == text


@pytest.mark.parametrize(("phrase", "was"), [
    ("bullying", "was"),
    ("offensive messages", "were"),
    ("highly sexualised messages", "were"),
    ("inappropriate use of social media", "was"),  # the head is "use", not "media"
    ("threats of sexual violence", "were"),
    ("sexual harassment", "was"),
    ("news", "was"),
])
def test_agreement(phrase: str, was: str) -> None:
    assert prose.be(phrase) == was
    assert prose.be(phrase, "present") == {"was": "is", "were": "are"}[was]


def test_lists_have_no_serial_comma() -> None:
    assert prose.join(["A"]) == "A"
    assert prose.join(["A", "B"]) == "A and B"
    assert prose.join(["A", "B", "C"]) == "A, B and C"
    assert prose.separators(3) == ["", ", ", " and "]


@pytest.mark.parametrize(("label", "kind", "the"), [
    ("Independent Office for Police Conduct", ORG, "the "),
    ("Metropolitan Police Service", ORG, "the "),
    ("National Police Chiefs Council", ORG, "the "),
    ("Dazed", ORG, ""),
    ("YouGov", ORG, ""),
    ("Sal Naseem", PERSON, ""),
    ("Baroness Casey of Blackstock", PERSON, ""),  # "of" in a person's name is no description
    ("IOPC learning report", REPORT, "the "),
    ("Operation Hotton", INVESTIGATION, ""),
    ("Code of Ethics", WORK, "the "),
    ("2021 YouGov poll", POLL, "the "),
    ("UK", PLACE, "the "),
    ("Westminster", PLACE, ""),
    ("bullying", FINDING, ""),
    ("The Guardian", ORG, ""),
])
def test_definite_article(label: str, kind: str, the: str) -> None:
    assert prose.article(label, kind) == the


def test_place_prepositions() -> None:
    assert prose.place_preposition("Charing Cross Police Station") == "at"
    assert prose.place_preposition("Westminster") == "in"


def test_indefinite_article() -> None:
    assert prose.a("misconduct meeting") == "a misconduct meeting"
    assert prose.a("officer") == "an officer"


@pytest.mark.parametrize(("etype", "past", "base"), [
    ("etype:published", "published", "publish"),
    ("etype:began", "began", "begin"),
    ("etype:wrote", "wrote to", "write"),
    ("etype:took-over", "took over", "take over"),
    ("etype:concluded", "concluded", "conclude"),
])
def test_base_verbs_of_events(etype: str, past: str, base: str) -> None:
    assert prose.base_verb(ids.expand(etype), past) == base


def test_inflect_is_imported_without_leaving_a_stand_in() -> None:
    import sys

    prose.engine()
    assert "inflect" in sys.modules
    tg = sys.modules.get("typeguard")
    assert tg is None or getattr(tg, "__file__", None)  # the real typeguard, or none: never the stand-in
