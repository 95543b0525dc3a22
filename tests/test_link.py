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


def test_accounts_of_one_allegation_with_other_details_agree() -> None:
    """Who and where told differently is not a disagreement about what happened."""
    same = statements(
        ORIGIN,
        text("a conduct referral alleging that an officer had assaulted a drunk person at a police station"),
        text("an allegation that a police officer had assaulted a member of the public while on duty"),
    )
    assert find_conflicts(same) == []


def test_descriptions_of_different_things_conflict() -> None:
    different = statements(
        ORIGIN,
        text("a conduct referral alleging that an officer had stolen evidence from a property store"),
        text("a complaint that an officer had assaulted a prisoner"),
    )
    (conflict,) = find_conflicts(different)
    assert conflict.predicate == ORIGIN and len(conflict.statements) == 2 and conflict.kind == "description"


def test_a_quotation_said_by_two_speakers_is_an_attribution_conflict() -> None:
    quote = "https://kg.example/id/quotation/we-are-sorry-0a1b2c3d4e"
    creator = "https://schema.org/creator"
    sts = [Statement("urn:st:a", quote, creator, "https://kg.example/id/person/jane-roe"),
           Statement("urn:st:b", quote, creator, "https://kg.example/id/organization/northshire-police")]
    (conflict,) = find_conflicts(sts)
    assert conflict.kind == "attribution"
    # who created an initiative is not a single-valued fact: no conflict
    plan = "https://kg.example/id/initiative/safer-streets"
    assert find_conflicts([Statement("urn:st:c", plan, creator, "https://kg.example/id/person/a"),
                           Statement("urn:st:d", plan, creator, "https://kg.example/id/person/b")]) == []


def test_counts_conflict_and_dates_of_other_precision_do_not() -> None:
    (conflict,) = find_conflicts(statements(COUNT, Value.integer(14), Value.integer(15)))
    assert conflict.subject == OP and conflict.kind == "count"
    began = "https://schema.org/startDate"
    assert find_conflicts(statements(began, Value("2019", "xsd:gYear"), Value("2019-03", "xsd:gYearMonth"))) == []
    assert len(find_conflicts(statements(began, Value("2019-03", "xsd:gYearMonth"), Value("2020-03", "xsd:gYearMonth")))) == 1


def test_a_kind_and_a_narrower_kind_agree_and_two_kinds_conflict() -> None:
    """ "dismissed" and "dismissed for gross misconduct" say the same, one with more detail; a
    dismissal and a final written warning disagree."""
    kind = "https://kg.example/ns#outcomeType"
    outcome = "https://kg.example/ns/outcome/"
    same = [Statement(f"urn:st:{i}", OP, kind, outcome + v) for i, v in enumerate(("dismissal", "dismissal-gross-misconduct"))]
    assert find_conflicts(same) == []
    other = [Statement(f"urn:st:{i}", OP, kind, outcome + v) for i, v in enumerate(("dismissal", "final-written-warning"))]
    assert len(find_conflicts(other)) == 1
