"""kg.resolve: one entity per real thing, merged only on evidence, and growth that is monotone.

The rules are tested on documents' entities as extraction gives them; the property tests generate
corpora and add a document of the kinds that damaged graphs before (a person of the same surname,
a longer name containing an existing name, a place name used in a longer name) and check that
nothing that existed is renamed, retyped or moved; the end-to-end tests do the same with texts.
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.build import build
from kg.dataset import open_store
from kg.model import EntityKey, LocalEntity
from kg.project import Project
from kg.resolve import Linking, name_key, resolve


def person(key: str, full: str, *, surname_only: bool = False, role: str | None = None, quote: str | None = None,
           org: str | None = None) -> LocalEntity:
    """A person as a document knows them: by the full name (and its surname) or by "Mr X" only."""
    surname = full.split()[-1]
    evidence = [("mentions", "3")]
    if not surname_only and len(full.split()) > 1:
        evidence.append(("given", " ".join(full.lower().split()[:-1])))
    if role:
        evidence.append(("role", role))
    if quote:
        evidence.append(("quote", quote))
    if org:
        evidence.append(("role-org", org))
    if surname_only:
        return LocalEntity(key, "schema:Person", f"Mr {surname}", (), (f"Mr {surname}",), links=((f"Mr {surname}", "honorific"),),
                           evidence=tuple(sorted(evidence)))
    return LocalEntity(key, "schema:Person", full, (full,), (full, surname), links=((surname, "surname"),), evidence=tuple(sorted(evidence)))


def org(key: str, name: str, *, acronym: str | None = None, clip: str | None = None, police: bool = False) -> LocalEntity:
    links = tuple(sorted(x for x in ((acronym, "acronym"), (clip, "clip")) if x[0]))
    evidence = (("mentions", "2"),) + ((("police", "1"),) if police else ())
    return LocalEntity(key, "schema:Organization", name, (name,), tuple(n for n in (name, acronym, clip) if n), links=links,
                       evidence=tuple(sorted(evidence)))


def place(key: str, name: str, parts: tuple[str, ...] = ()) -> LocalEntity:
    return LocalEntity(key, "schema:Place", name, (name,), (name, *parts), evidence=(("mentions", "1"),))


def iri_of(linking: Linking, doc: str, key: str) -> str:
    return linking.global_of[(doc, key)]


# --- the rules ----------------------------------------------------------------------------------------


def test_the_same_full_name_links_and_says_why() -> None:
    linking = resolve([("a", [person("p", "Jane Roe")]), ("b", [person("p", "Jane Roe")])])
    assert iri_of(linking, "a", "p") == iri_of(linking, "b", "p")
    (merge,) = linking.merges[iri_of(linking, "a", "p")]
    assert merge.rule == "same-name" and "Jane Roe" in merge.evidence


def test_an_acronym_and_a_clipped_name_link_to_what_defines_them() -> None:
    full = org("o", "Northshire Police Service", acronym="NPS", clip="Northshire Police", police=True)
    linking = resolve([
        ("a", [full]),
        ("b", [LocalEntity("o", "schema:Organization", "NPS", ("NPS",), ("NPS",))]),
        ("c", [LocalEntity("o", "schema:Organization", "Northshire Police", ("Northshire Police",), ("Northshire Police",))]),
    ])
    assert iri_of(linking, "a", "o") == iri_of(linking, "b", "o")
    # "Northshire Police" = "Northshire Police Service" by name already (a generic suffix)
    assert iri_of(linking, "a", "o") == iri_of(linking, "c", "o")
    rules = {m.rule for m in linking.merges[iri_of(linking, "a", "o")]}
    assert "acronym" in rules


def test_an_office_named_alone_links_to_the_office_named_in_full_only_in_the_same_case() -> None:
    # "the Office of the Chief Constable" is every force's: it is "the Office of the Chief Constable
    # for Northshire Police" of another document only where the two documents share their case
    short = "Office of the Chief Constable"
    full = LocalEntity("o", "schema:Organization", f"{short} for Northshire Police", (f"{short} for Northshire Police",),
                       (f"{short} for Northshire Police", short), links=((short, "office"),), evidence=(("mentions", "1"),))
    force = org("f", "Northshire Police", police=True)
    alone = LocalEntity("o", "schema:Organization", short, (short,), (short,), evidence=(("mentions", "1"),))
    same_case = resolve([("a", [full, force]), ("b", [alone, force])])
    assert iri_of(same_case, "a", "o") == iri_of(same_case, "b", "o")
    (merge,) = [m for m in same_case.merges[iri_of(same_case, "a", "o")] if m.rule == "clip"]
    assert "the office alone" in merge.evidence
    other_case = resolve([("a", [full, force]), ("b", [alone, org("f", "Eastfold Constabulary", police=True)])])
    assert iri_of(other_case, "a", "o") != iri_of(other_case, "b", "o")


def test_a_surname_links_only_with_corroboration() -> None:
    full = person("p", "Dana Okoro", role="title:director", quote="we found a culture of silence")
    # "Mr Okoro" with nothing from his document to tie him to her: his own
    alone = resolve([("a", [full]), ("b", [person("p", "Okoro", surname_only=True)])])
    assert iri_of(alone, "a", "p") != iri_of(alone, "b", "p")
    # the same title corroborates
    titled = resolve([("a", [full]), ("b", [person("p", "Okoro", surname_only=True, role="title:director")])])
    assert iri_of(titled, "a", "p") == iri_of(titled, "b", "p")
    assert any(m.rule == "surname" and "the same title" in m.evidence for m in titled.merges[iri_of(titled, "a", "p")])
    # and the same quoted words
    quoted = resolve([("a", [full]), ("b", [person("p", "Okoro", surname_only=True, quote="we found a culture of silence")])])
    assert iri_of(quoted, "a", "p") == iri_of(quoted, "b", "p")


def test_different_given_names_never_link() -> None:
    linking = resolve([
        ("a", [person("p", "Dana Okoro", role="title:director")]),
        ("b", [person("p", "Amir Okoro", role="title:director")]),
    ])
    assert iri_of(linking, "a", "p") != iri_of(linking, "b", "p")


def test_a_short_form_of_a_given_name_links_on_corroboration() -> None:
    linking = resolve([
        ("a", [person("p", "Samuel Roe", role="title:chief-executive")]),
        ("b", [person("p", "Sam Roe", role="title:chief-executive")]),
    ])
    assert iri_of(linking, "a", "p") == iri_of(linking, "b", "p")
    assert resolve([("a", [person("p", "Samuel Roe")]), ("b", [person("p", "Sam Roe")])]).global_of[("a", "p")] != \
        resolve([("a", [person("p", "Samuel Roe")]), ("b", [person("p", "Sam Roe")])]).global_of[("b", "p")]


def test_a_name_spelt_another_way_in_the_same_case_links() -> None:
    """ "Mr Proctor" in one text, "Harvey Procter" in another of the same case: one person; a
    transliterated given name ("Moyied" for "Mouayed") too; never across cases, never a different
    given name."""
    case = [person("v", "Kofi Mensah"), org("f", "Northshire Police", police=True), place("p", "Riverton Marsh")]
    linking = resolve([
        ("a", [person("h", "Harvey Procter"), *case]),
        ("b", [person("m", "Mr Proctor", surname_only=True), *case]),
        ("c", [person("y", "Moyied Okafor"), *case]),
        ("d", [person("y", "Mouayed Samir Okafor"), *case]),
        ("e", [person("j", "Dana Okafor"), *case]),
        ("x", [person("m", "Mr Proctor", surname_only=True), person("v", "Ruth Adler")]),
    ])
    assert iri_of(linking, "a", "h") == iri_of(linking, "b", "m") != iri_of(linking, "x", "m")
    assert iri_of(linking, "c", "y") == iri_of(linking, "d", "y") != iri_of(linking, "e", "j")
    assert any("a spelling of the surname" in m.evidence for m in linking.merges[iri_of(linking, "a", "h")])


def test_a_name_that_extends_another_is_another_entity() -> None:
    linking = resolve([
        ("a", [place("p", "Riverton")]),
        ("b", [place("s", "Riverton police station", parts=("Riverton",))]),
        ("c", [org("f", "Northshire Police Foundation"), org("n", "Northshire Police", police=True)]),
        ("d", [org("n", "Northshire Police", police=True)]),
    ])
    assert iri_of(linking, "a", "p") != iri_of(linking, "b", "s")
    assert linking.entities[iri_of(linking, "a", "p")].label == "Riverton"
    assert iri_of(linking, "c", "n") == iri_of(linking, "d", "n") != iri_of(linking, "c", "f")


def test_unnamed_investigations_are_the_case_they_share() -> None:
    def inv() -> LocalEntity:
        return LocalEntity("investigation:#described", "kg:Investigation", "NCA investigation", anonymous=True)

    victim = person("v", "Kofi Mensah")
    other_victim = person("v", "Ruth Adler")
    body = org("o", "Northshire Conduct Authority", acronym="NCA")
    linking = resolve([
        ("a", [inv(), victim, body]),
        ("b", [inv(), victim, body]),
        ("c", [inv(), other_victim, body]),
    ])
    a, b, c = (iri_of(linking, d, "investigation:#described") for d in "abc")
    assert a == b != c  # the body alone (in every case) does not make one case
    assert linking.entities[a].unnamed and "Kofi Mensah" in linking.entities[a].label
    # a named investigation among the case's documents names it
    named = resolve([
        ("a", [inv(), victim, body]),
        ("n", [LocalEntity("i", "kg:Investigation", "Operation Lantern", ("Operation Lantern",), ("Operation Lantern",),
                           evidence=(("mentions", "3"),)), victim, body]),
    ])
    assert iri_of(named, "a", "investigation:#described") == iri_of(named, "n", "i")
    # a document that names most a force's own operation, which its investigation looks into, is
    # about the investigation it describes: the case's named investigation names it, not the operation
    operation = LocalEntity("op", "kg:Investigation", "Operation Beacon", ("Operation Beacon",), ("Operation Beacon",),
                            evidence=(("mentions", "4"), ("police-own", "1")))
    into = resolve([
        ("a", [inv(), victim, body, operation]),
        ("n", [LocalEntity("i", "kg:Investigation", "Operation Lantern", ("Operation Lantern",), ("Operation Lantern",),
                           evidence=(("mentions", "3"),)), victim, body,
               LocalEntity("op", "kg:Investigation", "Operation Beacon", ("Operation Beacon",), ("Operation Beacon",),
                           evidence=(("mentions", "1"),))]),
    ])
    assert iri_of(into, "a", "investigation:#described") == iri_of(into, "n", "i") != iri_of(into, "a", "op")


def test_an_event_of_texts_without_an_investigation_is_their_cases() -> None:
    """Two texts of one case that name no investigation both say the force admitted the offence
    (one dates it 2018, the other 2019): one event of the case, so the dates can disagree; a text of
    another case saying the same of the force is another event."""
    victim, force = person("v", "Kofi Mensah"), org("f", "Northshire Police", police=True)
    place_ = place("p", "Riverton Marsh")

    def admitted(doc: str) -> LocalEntity:
        return LocalEntity("e", "schema:Event", "Northshire Police admitted",
                           identity=("etype:admitted", f"document:{doc}", EntityKey("f"), "", ""))

    inv = LocalEntity("investigation:#described", "kg:Investigation", "NCA investigation", anonymous=True)
    linking = resolve([
        ("a", [inv, victim, force, place_]),
        ("b", [admitted("b"), victim, force, place_]),
        ("c", [admitted("c"), victim, force, place_]),
        ("x", [admitted("x"), person("v", "Ruth Adler"), force, place("p", "Eastmoor Fen")]),
        ("y", [LocalEntity("investigation:#described", "kg:Investigation", "NCA investigation", anonymous=True),
               person("v", "Ruth Adler"), force, place("p", "Eastmoor Fen")]),
    ])
    assert iri_of(linking, "b", "e") == iri_of(linking, "c", "e") != iri_of(linking, "x", "e")


def test_a_review_named_as_an_inquiry_and_as_a_work_is_one_and_no_documents_main_inquiry() -> None:
    """ "the Trevanion Review" (an inquiry in one text) and "the Trevanion review" (a work in
    another) are one review; a text that only cites the review as a work does not make it the
    investigation its own "our investigation" is."""
    inquiry = LocalEntity("r", "kg:Investigation", "Trevanion Review", ("Trevanion Review",), ("Trevanion Review",),
                          evidence=(("mentions", "2"),))
    work = LocalEntity("r", "schema:CreativeWork", "Trevanion review", ("Trevanion review",), ("Trevanion review",),
                       evidence=(("mentions", "2"),))
    victim, body = person("v", "Kofi Mensah"), org("o", "Northshire Conduct Authority", acronym="NCA")
    lantern = LocalEntity("i", "kg:Investigation", "Operation Lantern", ("Operation Lantern",), ("Operation Lantern",),
                          evidence=(("mentions", "5"),))
    ours = LocalEntity("investigation:#described", "kg:Investigation", "NCA investigation", anonymous=True)
    linking = resolve([("a", [inquiry, lantern, victim, body]), ("b", [work, ours, victim, body])])
    assert iri_of(linking, "a", "r") == iri_of(linking, "b", "r")
    assert iri_of(linking, "b", "investigation:#described") == iri_of(linking, "a", "i")


def test_an_oversight_bodys_investigation_is_not_the_public_inquiry_of_its_case() -> None:
    """A charging release about "an independent investigation" by the watchdog shares its case with
    the texts of the public inquiry held years later: it is the watchdog's investigation, not the
    inquiry (an inquiry is no oversight body's investigation)."""
    inquiry = LocalEntity("i", "kg:Investigation", "Kofi Mensah Inquiry", ("Kofi Mensah Inquiry",), ("Kofi Mensah Inquiry",),
                          evidence=(("mentions", "4"),))
    victim, body = person("v", "Kofi Mensah"), org("o", "Northshire Conduct Authority", acronym="NCA")
    force = org("f", "Northshire Police", police=True)

    def described(*evidence: tuple[str, str]) -> LocalEntity:
        return LocalEntity("investigation:#described", "kg:Investigation", "NCA investigation", anonymous=True, evidence=evidence)

    watchdogs = resolve([("a", [inquiry, victim, force]), ("b", [described(("oversight", "1")), victim, body, force])])
    assert iri_of(watchdogs, "b", "investigation:#described") != iri_of(watchdogs, "a", "i")
    # an investigation the text does not give to an oversight body is the case's named one, as before
    anyones = resolve([("a", [inquiry, victim, force]), ("b", [described(), victim, body, force])])
    assert iri_of(anyones, "b", "investigation:#described") == iri_of(anyones, "a", "i")


def test_an_outcome_stated_broadly_is_the_narrower_one_of_as_many_officers() -> None:
    """ "two officers were sacked" (one text) and "two were dismissed for gross misconduct" (another)
    in one investigation: one outcome; three sacked is another; "disciplinary proceedings" (a top
    concept) says too little to be either."""
    inv = LocalEntity("i", "kg:Investigation", "Operation Lantern", ("Operation Lantern",), ("Operation Lantern",),
                      evidence=(("mentions", "3"),))

    def outcome(curie: str, n: int) -> LocalEntity:
        return LocalEntity("o", "kg:DisciplinaryOutcome", curie, identity=(EntityKey("i"), curie, ""), evidence=(("count", str(n)),))

    linking = resolve([
        ("a", [inv, outcome("outcome:dismissal-gross-misconduct", 2)]),
        ("b", [inv, outcome("outcome:dismissal", 2)]),
        ("c", [inv, outcome("outcome:dismissal", 3)]),
        ("d", [inv, outcome("outcome:disciplinary-process", 2)]),
    ])
    assert iri_of(linking, "a", "o") == iri_of(linking, "b", "o")
    assert len({iri_of(linking, d, "o") for d in "acd"}) == 3


def test_derived_entities_are_their_parts_and_quotations_their_words() -> None:
    def quote(key: str, who: str, words: str) -> LocalEntity:
        return LocalEntity(key, "schema:Quotation", words[:20], identity=(EntityKey(who), words))

    linking = resolve([
        ("a", [person("p", "Jane Roe"), quote("q", "p", "We will not rest until the whole truth about this is known")]),
        ("b", [person("p", "Jane Roe"), quote("q", "p", "We will not rest until the whole truth is known")]),
        ("c", [person("p", "Jane Roe"), quote("q", "p", "Nobody should work in fear of their colleagues")]),
    ])
    assert iri_of(linking, "a", "q") == iri_of(linking, "b", "q") != iri_of(linking, "c", "q")
    assert any(m.rule == "quotation" for m in linking.merges[iri_of(linking, "a", "q")])


def test_name_keys_ignore_case_articles_and_generic_suffixes() -> None:
    assert name_key("the Northshire Police Service") == name_key("Northshire Police") == name_key("NORTHSHIRE POLICE")
    assert name_key("Op Lantern") == name_key("Operation Lantern")
    assert name_key("Northshire Police Foundation") != name_key("Northshire Police")


# --- growth is monotone: generated corpora ---------------------------------------------------------------

GIVEN = ["Dana", "Amir", "Ruth", "Kofi", "Lena", "Tomas", "Ines", "Omar"]
SURNAMES = ["Okoro", "Adler", "Mensah", "Varga", "Lindqvist", "Haddad"]
PLACES = ["Riverton", "Eastmoor", "Kettleby", "Marsh End"]
FORCES = ["Northshire", "Westvale", "Brackley"]


@st.composite
def corpora(draw: st.DrawFn) -> list[tuple[str, list[LocalEntity]]]:
    docs = []
    for i in range(draw(st.integers(2, 5))):
        ents: list[LocalEntity] = []
        for j, (g, s) in enumerate(draw(st.lists(st.tuples(st.sampled_from(GIVEN), st.sampled_from(SURNAMES)), min_size=1, max_size=3, unique=True))):
            ents.append(person(f"person:{j}", f"{g} {s}", role=draw(st.sampled_from([None, "title:director", "title:constable"]))))
        force = draw(st.sampled_from(FORCES))
        ents.append(org("org:force", f"{force} Police", clip=force, police=True))
        ents.append(place("place:p", draw(st.sampled_from(PLACES))))
        docs.append((f"doc{i}", ents))
    return docs


@st.composite
def distractors(draw: st.DrawFn) -> list[LocalEntity]:
    """A document of the kinds that must change nothing that exists."""
    kind = draw(st.sampled_from(["surname", "longer", "adjective"]))
    surname, town, force = draw(st.sampled_from(SURNAMES)), draw(st.sampled_from(PLACES)), draw(st.sampled_from(FORCES))
    if kind == "surname":  # a new person of a known surname, also known here as "Mr X"
        return [person("person:new", f"Zed {surname}", role="title:chair")]
    if kind == "longer":  # longer names containing known ones
        return [org("org:found", f"{force} Police Foundation"), place("place:st", f"{town} police station", parts=(town,))]
    return [place("place:st", f"{town} Road", parts=(town,))]  # a place name inside a longer one


def _view(linking: Linking, docs: list[tuple[str, list[LocalEntity]]]) -> dict[tuple[str, str], tuple[str, str, str]]:
    out = {}
    for doc, ents in docs:
        for e in ents:
            iri = linking.global_of[(doc, e.key)]
            ent = linking.entities[iri]
            out[(doc, e.key)] = (iri, ent.label, ent.type)
    return out


@settings(max_examples=150, deadline=None)
@given(corpora(), distractors())
def test_adding_an_unrelated_document_changes_nothing_that_exists(docs: list[tuple[str, list[LocalEntity]]], extra: list[LocalEntity]) -> None:
    before = _view(resolve(docs), docs)
    after = _view(resolve([*docs, ("zz-new", extra)]), docs)
    assert after == before


# --- growth is monotone: texts -------------------------------------------------------------------------

META = 'title = "{t}"\npublisher = "{p}"\nurl = "https://example.org/{s}"\npublished = "{d}"\n'
BASE = {
    "gazette-2023-05-02.txt": """Watchdog criticises Riverton officers

The Northshire Conduct Authority (NCA) said its investigation found bullying among officers based in Riverton.

Dana Okoro, the NCA's director for the north, said: “We found a culture of silence that protected the worst people.”

Ms Okoro added that Northshire Police had accepted every recommendation. The force said it would act.
""",
    "nca-2023-05-01.txt": """NCA publishes findings on Riverton teams

Our investigation into officers of Northshire Police in Riverton found bullying and misogyny, the Northshire Conduct Authority (NCA) said.

NCA director Dana Okoro said: “We found a culture of silence that protected the worst people.”
""",
}
DISTRACTORS = {
    "surname": ("courier-2023-06-10.txt", """Campaigner Amir Okoro opens youth centre

Amir Okoro, a campaigner from Eastmoor, opened a youth centre on Saturday. Mr Okoro said: “Young people need somewhere to go.”
"""),
    "longer": ("courier-2023-06-11.txt", """Foundation appoints chair

The Northshire Police Foundation has appointed a new chair. A Riverton police station will host its first meeting.
"""),
}


def _base(make_project: Callable[..., Project], extra: tuple[str, str] | None = None) -> Project:
    files: dict[str, str | bytes] = {}
    for name, text in (*BASE.items(), *([extra] if extra else [])):
        stem = name[:-4]
        files[name] = text
        files[f"{stem}.toml"] = META.format(t=text.splitlines()[0], p="NCA" if stem.startswith("nca") else "Harbour Gazette",
                                            s=stem, d=stem.split("-", 1)[1])
    return make_project(files)


def _entities_and_statements(project: Project) -> tuple[dict[str, tuple[str, str]], set[str]]:
    store = open_store(project)
    ents = {str(r["e"].value): (str(r["l"].value), str(r["t"].value)) for r in store.query(  # type: ignore[union-attr]
        "SELECT ?e ?l ?t WHERE { ?e a ?t ; <http://www.w3.org/2000/01/rdf-schema#label> ?l . "
        "FILTER(STRSTARTS(STR(?e), 'https://kg.example/id/') && !STRSTARTS(STR(?e), 'https://kg.example/id/source/')) }")}
    sts = {str(r["s"].value) for r in store.query("SELECT ?s WHERE { ?s a <http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement> }")}  # type: ignore[union-attr]
    return ents, sts


def test_an_article_about_someone_of_the_same_surname_moves_nothing(make_project: Callable[..., Project], tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    base = _base(make_project)
    build(base, jobs=1)
    ents0, sts0 = _entities_and_statements(base)
    okoro = [iri for iri, (label, _t) in ents0.items() if label == "Dana Okoro"]
    assert len(okoro) == 1
    grown_entities = {}
    for kind in ("surname", "longer"):
        root = tmp_path_factory.mktemp(kind)
        grown = Project.at(root)
        (root / "sources").mkdir()
        for f in base.sources.iterdir():
            (root / "sources" / f.name).write_bytes(f.read_bytes())
        name, text = DISTRACTORS[kind]
        (root / "sources" / name).write_text(text, encoding="utf-8")
        (root / "sources" / (name[:-4] + ".toml")).write_text(
            META.format(t=text.splitlines()[0], p="Courier", s=name[:-4], d=name[8:18]), encoding="utf-8")
        build(grown, jobs=1)
        ents1, sts1 = _entities_and_statements(grown)
        lost = {iri: v for iri, v in ents0.items() if ents1.get(iri) != v}
        assert not lost, f"{kind}: {lost}"
        assert sts0 <= sts1, f"{kind}: {len(sts0 - sts1)} statements lost"
        grown_entities[kind] = ents1
    # the new Okoro is his own person; the station is not the town; the foundation is not the force
    labels = {label for label, _t in grown_entities["surname"].values()}
    assert {"Dana Okoro", "Amir Okoro"} <= labels
    longer = {label for label, _t in grown_entities["longer"].values()}
    assert {"Riverton", "Northshire Police", "Northshire Police Foundation"} <= longer
