"""kg.link: when statements from different sources disagree."""

from __future__ import annotations

from kg.link import Statement, find_conflicts
from kg.model import Value

ORIGIN = "https://kg.example/ns#origin"
COUNT = "https://kg.example/ns#officersInvestigated"
OP = "https://kg.example/id/investigation/operation-lantern"


def statements(predicate: str, *values: Value) -> list[Statement]:
    return [Statement(f"urn:st:{i}", OP, predicate, v) for i, v in enumerate(values)]


def text(s: str) -> Value:
    return Value(s, "xsd:string")


def test_descriptions_in_other_words_agree() -> None:
    """A description that says what another does, in other words or at less length, is no conflict."""
    same = statements(
        ORIGIN,
        text("a conduct referral alleging that an officer had assaulted a handcuffed man in a custody suite"),
        text("a referral alleged that an officer had assaulted a handcuffed man in a custody suite"),
        text("an allegation that an officer had assaulted a handcuffed man in a custody suite"),
    )
    assert find_conflicts(same) == []


def test_descriptions_of_different_things_conflict() -> None:
    different = statements(
        ORIGIN,
        text("a conduct referral alleging that an officer had sex with a drunk person at a police station"),
        text("an allegation that a police officer had sex with a member of public while on duty"),
    )
    (conflict,) = find_conflicts(different)
    assert conflict.predicate == ORIGIN and len(conflict.statements) == 2


def test_counts_conflict_and_dates_of_other_precision_do_not() -> None:
    (conflict,) = find_conflicts(statements(COUNT, Value.integer(14), Value.integer(15)))
    assert conflict.subject == OP
    began = "https://schema.org/startDate"
    assert find_conflicts(statements(began, Value("2019", "xsd:gYear"), Value("2019-03", "xsd:gYearMonth"))) == []
    assert len(find_conflicts(statements(began, Value("2019-03", "xsd:gYearMonth"), Value("2020-03", "xsd:gYearMonth")))) == 1
