"""kg.lookup: the one resolver of every command (kg query -p, kg analyze path, kg factsheet,
kg explain): one normalisation, a label over an alias, and errors that suggest near names and
tell candidates apart by what they are."""

from __future__ import annotations

import pytest

from kg import ids
from kg.errors import LookupFailed, QueryError
from kg.lookup import Named, find

DANA = Named(ids.ID + "person/dana-reyes", "Dana Reyes", ("Ms Reyes",), "person")
ALEX = Named(ids.ID + "person/alex-reyes", "Alex Reyes", ("Mr Reyes", "Reyes"), "person")
ZOE = Named(ids.ID + "person/zoe-adler", "Zoë Adler", (), "person")
LANTERN = Named(ids.ID + "investigation/operation-lantern", "Operation Lantern", ("Lantern",), "investigation")
OFFICE = Named(ids.ID + "organization/harbour-conduct-office", "Harbour Conduct Office", ("HCO",), "organisation")
ALL = [DANA, ALEX, ZOE, LANTERN, OFFICE]


def test_a_name_an_alias_a_compact_iri_or_an_iri_names_one_entity() -> None:
    assert find(ALL, "  dana   REYES ") == DANA.iri  # case and white space
    assert find(ALL, "Zoe Adler") == ZOE.iri  # accents
    assert find(ALL, "HCO") == OFFICE.iri  # an alias
    assert find(ALL, "person:dana-reyes") == DANA.iri
    assert find(ALL, f"<{DANA.iri}>") == DANA.iri
    assert find(ALL, "Reyes") == ALEX.iri  # one alias of one entity


def test_a_label_wins_over_an_alias() -> None:
    office_alias = Named(ids.ID + "organization/lantern-trust", "Lantern", (), "organisation")
    assert find([LANTERN, office_alias], "Lantern") == office_alias.iri


def test_several_candidates_are_told_apart_by_kind_and_what_they_are() -> None:
    twins = [DANA, Named(ids.ID + "person/dana-reyes-2", "Dana Reyes", (), "person")]
    about = {DANA.iri: "Regional Director", twins[1].iri: "quoted: “We are sorry”"}
    with pytest.raises(QueryError) as err:
        find(twins, "Dana Reyes", describe=lambda iris: {i: about[i] for i in iris}, error=QueryError, where="for FROM")
    assert str(err.value) == (
        "'Dana Reyes' names 2 entities: Dana Reyes (person, Regional Director; person:dana-reyes); "
        "Dana Reyes (person, quoted: “We are sorry”; person:dana-reyes-2), for FROM — give the IRI or compact IRI "
        "of the one you mean"
    )


def test_an_unknown_name_suggests_names_spelt_alike_and_names_it_is_a_word_of() -> None:
    with pytest.raises(LookupFailed, match=r"did you mean Dana Reyes \(person; person:dana-reyes\) or Alex Reyes "):
        find(ALL, "Dana Reyse")
    # a word of a name, or the start of one: "Dana" for "Dana Reyes", "Lant" for "Operation Lantern"
    with pytest.raises(LookupFailed, match=r"^no entity is named 'Dana' — did you mean Dana Reyes "):
        find(ALL, "Dana")
    with pytest.raises(LookupFailed, match=r"did you mean Operation Lantern \(investigation; investigation:operation-lantern\)"):
        find(ALL, "Lant")
    with pytest.raises(LookupFailed, match=r"^no entity is named 'Quentin' — `kg query entities`"):
        find(ALL, "Quentin")


def test_an_unknown_iri_says_so() -> None:
    with pytest.raises(LookupFailed, match=r"^no entity person:nobody in the dataset"):
        find(ALL, "person:nobody")
