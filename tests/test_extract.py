"""Each extraction rule on text written for the test, in words the corpus does not use."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from kg.extract import extract_document
from kg.model import EntityKey, Extraction, PartialDate, SourceMeta
from kg.sources import layout


def extract(text: str, published: str = "2023-06-14", publisher: str = "Harbour Gazette", title: str = "") -> Extraction:
    meta = SourceMeta(title or text.splitlines()[0], publisher, "https://example.org/x", PartialDate.parse(published), "news")
    return extract_document(layout("t", "t.txt", "text/plain", text, meta))


def labels(x: Extraction) -> dict[str, str]:
    return {e.key: e.label for e in x.entities}


def facts(x: Extraction, predicate: str | None = None) -> set[tuple[str, str, str]]:
    names = labels(x)
    out = set()
    for c in x.claims:
        if predicate and c.predicate != predicate:
            continue
        o = c.object
        value = names[o.key] if isinstance(o, EntityKey) else getattr(o, "lexical", getattr(o, "curie", ""))
        out.add((names[c.subject], c.predicate, value))
    return out


def entity(x: Extraction, label: str):  # type: ignore[no-untyped-def]
    matches = [e for e in x.entities if e.label == label]
    assert matches, f"no entity {label!r} in {sorted(labels(x).values())}"
    return matches[0]


def mentions_of(x: Extraction, label: str) -> list[str]:
    key = entity(x, label).key
    return [m.citation.exact for m in x.mentions if m.entity == key]


def all_citations(x: Extraction) -> Iterable:  # type: ignore[type-arg]
    for m in x.mentions:
        yield m.citation
    for c in x.claims:
        yield from c.citations


ARTICLE = """Harbour Gazette

Watchdog finds bullying in coastal force

The Northshire Conduct Authority (NCA) said on Tuesday that its Operation Lantern inquiry found bullying, racism and sexual harassment among officers of Northshire Constabulary.

Speaking to the Harbour Gazette, the NCA’s director for the north, Priya Raman, said the findings were grim. “We saw a culture that protected the worst people,” Ms Raman said. “It has to stop.”

She added: “Nobody should work in fear.”

“Officers told us they were scared,” she says.

The force’s chief constable, Tom Ellery, said: “We accept every one of the 11 recommendations.”

The inquiry began in May 2021 after a complaint that an officer had stolen evidence. It concluded last month.

Three officers were dismissed for gross misconduct and a further two received final written warnings. Another officer resigned before his hearing.

The NCA recommends that Northshire Constabulary should introduce independent vetting for every team. Its report was published yesterday.

One message called the victims “drama queens”.
"""


@pytest.fixture(scope="module")
def article() -> Extraction:
    return extract(ARTICLE, published="2023-06-14", publisher="Harbour Gazette", title="Watchdog finds bullying in coastal force")


def test_every_citation_quotes_its_source_exactly(article: Extraction) -> None:
    for c in all_citations(article):
        assert ARTICLE[c.start : c.end] == c.exact
        assert c.exact == c.exact.strip()


def test_acronym_definition_merges_long_name_and_abbreviation(article: Extraction) -> None:
    nca = entity(article, "Northshire Conduct Authority")
    assert nca.type == "schema:Organization"
    # the acronym is the entity's, as an acronym: it links other documents that use it alone
    assert ("NCA", "acronym") in nca.links and "NCA" in nca.aliases and "NCA" not in nca.names
    assert mentions_of(article, "Northshire Conduct Authority").count("NCA") >= 2


def test_investigation_named_by_its_operation(article: Extraction) -> None:
    op = entity(article, "Operation Lantern")
    assert op.type == "kg:Investigation"


def test_honorific_and_surname_forms_merge_with_the_full_name(article: Extraction) -> None:
    raman = entity(article, "Priya Raman")
    assert raman.type == "schema:Person"
    assert "Ms Raman" in raman.aliases


def test_roles_with_possessive_organisation_and_area(article: Extraction) -> None:
    roles = facts(article, "kg:roleType")
    assert any("Priya Raman" in s and o == "title:director" for s, _p, o in roles)
    assert any("Tom Ellery" in s and o == "title:chief-constable" for s, _p, o in roles)
    holders = facts(article, "kg:organization")
    assert any("Priya Raman" in s and o == "Northshire Conduct Authority" for s, _p, o in holders)
    # "the force’s chief constable": the force is the police force named in the text
    assert any("Tom Ellery" in s and o == "Northshire Constabulary" for s, _p, o in holders)


def test_quotes_with_speakers_after_before_and_by_pronoun(article: Extraction) -> None:
    speakers = {text[:25]: who for text, _p, who in facts(article, "schema:creator")}
    texts = {s: v for s, _p, v in facts(article, "schema:text")}
    assert speakers["We saw a culture that pro"] == "Priya Raman"
    assert speakers["It has to stop."] == "Priya Raman"  # continues the same speaker
    assert speakers["Nobody should work in fea"] == "Priya Raman"  # "She added:"
    assert speakers["Officers told us they wer"] == "Priya Raman"  # "…,” she says
    assert speakers["We accept every one of th"] == "Tom Ellery"
    assert "drama queens" not in " ".join(texts.values())  # scare quotes are a term, not a quotation


def test_first_person_in_a_quote_is_the_speakers_organisation(article: Extraction) -> None:
    # "We accept …" said by the chief constable: the force, not the newspaper
    quote = [e for e in article.entities if e.type == "schema:Quotation" and e.label.startswith("We accept")]
    assert quote


def test_dates_resolved_against_the_publication_date(article: Extraction) -> None:
    dated = {(s, p, v) for s, p, v in facts(article) if p in ("schema:startDate", "schema:dateCreated")}
    assert ("Operation Lantern began", "schema:startDate", "2021-05") in dated
    assert ("Operation Lantern concluded", "schema:startDate", "2023-05") in dated  # "last month"
    published = [v for s, p, v in dated if s.endswith("report") or "published" in s]
    assert "2023-06-13" in published  # "yesterday"
    notes = [dict(c.notes) for c in article.claims if c.notes]
    assert any(n.get("kg:resolvedFrom").lexical == "last month" for n in notes)  # type: ignore[union-attr]


def test_findings_typed_by_the_misconduct_vocabulary(article: Extraction) -> None:
    kinds = {v for _s, _p, v in facts(article, "kg:misconductType")}
    assert {"misconduct:bullying", "misconduct:racism", "misconduct:sexual-harassment"} <= kinds
    found_by = {(s, v) for s, _p, v in facts(article, "kg:foundBy")}
    assert ("bullying", "Operation Lantern") in found_by


def test_outcomes_with_counts_and_ties(article: Extraction) -> None:
    counts = {(s, v) for s, _p, v in facts(article, "kg:officerCount")}
    assert ("dismissal for gross misconduct", "3") in counts
    assert ("final written warning", "2") in counts
    assert any(s.startswith("resignation") and v == "1" for s, v in counts)
    ties = facts(article, "kg:inConnectionWith")
    assert any(s.startswith("resignation") and o == "outcome:gross-misconduct-hearing" for s, _p, o in ties)


def test_recommendation_wording_maker_addressee_and_count(article: Extraction) -> None:
    texts = {v for _s, _p, v in facts(article, "schema:text")}
    assert "introduce independent vetting for every team" in texts
    made = facts(article, "kg:recommendedBy")
    assert any(o == "Northshire Conduct Authority" for _s, _p, o in made)
    to = facts(article, "kg:addressedTo")
    assert any(o == "Northshire Constabulary" for _s, _p, o in to)
    assert any(p == "kg:recommendationCount" and v == "11" for _s, p, v in facts(article))


def test_origin_of_the_investigation(article: Extraction) -> None:
    assert ("Operation Lantern", "kg:origin", "a complaint that an officer had stolen evidence") in facts(article)


def test_no_generic_groups_or_pronouns_become_entities(article: Extraction) -> None:
    names = {e.label.lower() for e in article.entities if e.type in ("schema:Person", "schema:Organization", "schema:Place")}
    for generic in ("officers", "the public", "she", "we", "the force"):
        assert generic not in names


PRESS = """Northshire Conduct Authority
Print this page

Authority publishes Lantern findings

We today published our report into Northshire Constabulary. We began the investigation in March 2021 and wrote to the Home Office in April last year.

Our Regional Director Sam Okafor said:

“The evidence was overwhelming.

“Change has to start now.”

Channel website:

Share this article

Latest News from
Unrelated headline about schools
"""


def test_press_release_first_person_is_the_publisher_and_furniture_is_skipped() -> None:
    x = extract(PRESS, published="2023-06-14", publisher="Northshire Conduct Authority (NCA)", title="Authority publishes Lantern findings")
    agents = {(s, o) for s, _p, o in facts(x, "schema:agent")}
    assert any(o == "Northshire Conduct Authority" for _s, o in agents)
    wrote = {(p, v) for s, p, v in facts(x) if s.endswith("wrote to Home Office")}
    assert ("schema:startDate", "2022-04") in wrote  # "April last year"
    assert ("schema:agent", "Northshire Conduct Authority") in wrote  # "We began … and wrote …": a shared subject
    quotes = {v: s for s, p, v in facts(x, "schema:text")}
    multi = [v for v in quotes if v.startswith("The evidence was overwhelming.")]
    assert multi and "Change has to start now." in multi[0]  # one quotation over two paragraphs
    speakers = {o for _s, _p, o in facts(x, "schema:creator")}
    assert speakers == {"Sam Okafor"}
    cited = " ".join(c.exact for c in all_citations(x))
    assert "Unrelated headline" not in cited and "Print this page" not in cited


def test_two_documents_corroborate_and_conflict_after_linking() -> None:
    from kg.link import link

    a_text = "The Northshire Conduct Authority (NCA) said 14 officers were investigated in Operation Lantern.\n"
    b_text = "The NCA said 15 officers were investigated during Operation Lantern, which began in 2021.\n"
    meta_a = SourceMeta("A", "Paper A", "https://a.example", PartialDate(2023, 6, 1), "news")
    meta_b = SourceMeta("B", "Paper B", "https://b.example", PartialDate(2023, 6, 2), "news")
    docs = [layout("a", "a.txt", "text/plain", a_text, meta_a), layout("b", "b.txt", "text/plain", b_text, meta_b)]
    corpus = link(docs, [extract_document(d) for d in docs])
    nca = [e for e in corpus.entities.values() if e.label == "Northshire Conduct Authority"]
    assert len(nca) == 1  # "NCA" alone in b links to the full name defined in a
    (conflict,) = corpus.conflicts
    assert conflict.predicate.endswith("officersInvestigated")
    values = sorted(corpus.statements[s].object.lexical for s in conflict.statements)  # type: ignore[union-attr]
    assert values == ["14", "15"]


def test_unanchored_events_and_outcomes_stay_with_their_document() -> None:
    """Two reports of different cases, neither naming its investigation: "the inquiry concluded"
    and "two officers were dismissed" in each are two events and two outcomes, not one of each
    (and so no conflict), while the same words about a named operation link across documents."""
    from kg.link import link

    def corpus(a_text: str, b_text: str):  # type: ignore[no-untyped-def]
        meta_a = SourceMeta("A", "Paper A", "https://a.example", PartialDate(2023, 6, 1), "news")
        meta_b = SourceMeta("B", "Paper B", "https://b.example", PartialDate(2023, 6, 2), "news")
        docs = [layout("a", "a.txt", "text/plain", a_text, meta_a), layout("b", "b.txt", "text/plain", b_text, meta_b)]
        return link(docs, [extract_document(d) for d in docs])

    def of_type(c, t: str) -> list[str]:  # type: ignore[no-untyped-def]
        return sorted(e.iri for e in c.entities.values() if e.type == t)

    loose = corpus(
        "The inquiry concluded in May 2021. Two officers were dismissed for gross misconduct.\n",
        "The inquiry concluded in March 2019. Three officers were dismissed for gross misconduct.\n",
    )
    assert len(of_type(loose, "schema:Event")) == 2
    assert len(of_type(loose, "kg:DisciplinaryOutcome")) == 2
    assert loose.conflicts == []
    anchored = corpus(
        "Operation Lantern concluded in May 2021. Two officers were dismissed for gross misconduct after Operation Lantern.\n",
        "Operation Lantern concluded in May 2021. Three officers were dismissed for gross misconduct after Operation Lantern.\n",
    )
    assert len(of_type(anchored, "kg:DisciplinaryOutcome")) == 1
    (conflict,) = anchored.conflicts
    assert conflict.predicate.endswith("officerCount")


def test_names_do_not_swallow_dates_or_demonyms() -> None:
    x = extract(
        "Harbour Gazette\n\nLantern inquiry\n\nThe watchdog published its report on Operation Lantern on Tuesday. "
        "Londoners deserve better, said Priya Raman of the Northshire Conduct Authority.\n",
        title="Lantern inquiry",
    )
    names = {e.label for e in x.entities}
    assert "Operation Lantern" in names
    assert not any("Tuesday" in n for n in names)
    assert "Londoners" not in names


def test_a_name_after_a_job_title_is_a_person_not_part_of_an_organisation() -> None:
    # the statistical model reads "Chief Constable NAME" as an organisation "Constable NAME", as a
    # person "Constable NAME", or misses it, depending on the name
    x = extract(
        "Chief Constable Bryony Castell said in a statement: “We have already made changes in Eastfold.”\n\n"
        "Assistant Chief Constable Tariq Fenwright, who leads the force’s work on standards, said: “We accept them all.”\n\n"
        "Chief Constable Dana Whitlow, of the neighbouring force, said: “We will learn from it.”\n\n"
        "Commissioner Sir Alan Brede said the force was sorry.\n"
    )
    people = {e.label for e in x.entities if e.type == "schema:Person"}
    assert {"Bryony Castell", "Tariq Fenwright", "Dana Whitlow", "Alan Brede"} <= people
    assert not any("Constable" in e.label for e in x.entities if e.type != "kg:Role")
    speakers = {text[:20]: who for text, _p, who in facts(x, "schema:creator")}
    assert speakers == {
        "We have already made": "Bryony Castell", "We accept them all.": "Tariq Fenwright", "We will learn from i": "Dana Whitlow"
    }
    roles = {(s.split(",")[0], o) for s, _p, o in facts(x, "kg:roleType")}
    assert {("Bryony Castell", "title:chief-constable"), ("Tariq Fenwright", "title:assistant-chief-constable")} <= roles


def _of_type(x: Extraction, etype: str) -> set[str]:
    return {e.label for e in x.entities if e.type == etype}


def test_a_full_name_before_a_comma_and_a_title_is_a_person_who_speaks_the_quote_below() -> None:
    # the model takes "Lavender Tregear" for an organisation; ", head of …" says it is a person's
    x = extract(
        "Harbour Gazette\n\nCharge authorised after harbour death\n\n"
        "Lavender Tregear, head of the NCA Serious Cases Division, recently said:\n"
        "“Following a careful review of the file sent by the Northshire Conduct Authority (NCA), we have authorised a charge.\n"
        "“The officer has the right to a fair trial.”\n",
        publisher="Northshire Conduct Authority (NCA)",
    )
    assert "Lavender Tregear" in _of_type(x, "schema:Person")
    assert {who for _t, _p, who in facts(x, "schema:creator")} == {"Lavender Tregear"}
    # the division is an organisation of its own: the role is held in it, not in the NCA
    assert "NCA Serious Cases Division" in _of_type(x, "schema:Organization")
    assert {o for _s, _p, o in facts(x, "kg:organization")} == {"NCA Serious Cases Division"}


def test_a_statement_from_line_introduces_the_quotes_after_it() -> None:
    x = extract(
        "Harbour Gazette\n\nInvestigation under way\n\n"
        "Statement from the NCA’s director for the north, Priya Raman:\n"
        "“We are carrying out an independent investigation into contact with the man before his death.\n"
        "“We will examine all of the footage.”\n",
    )
    assert {who for _t, _p, who in facts(x, "schema:creator")} == {"Priya Raman"}


def test_a_given_name_alone_is_the_person_the_text_names_in_full() -> None:
    x = extract(
        "Harbour Gazette\n\nWatchdog update\n\nTomasz Okafor, 31, died in hospital after his arrest in Eastfold. "
        "Tomasz was taken to the custody suite at 2am. Our thoughts remain with Tomasz’s family.\n",
    )
    assert mentions_of(x, "Tomasz Okafor").count("Tomasz") == 2
    assert "Tomasz" not in {e.label for e in x.entities}
    # a given name never links across documents: it is no name of the entity's
    assert "Tomasz" not in entity(x, "Tomasz Okafor").links


def test_a_first_given_name_the_model_left_out_is_part_of_the_name() -> None:
    # the model reads "Hamza Omar Nur" as a person "Omar Nur" after an unknown word
    x = extract(
        "Harbour Gazette\n\nWatchdog update\n\n"
        "Our investigation into police contact with Hamza Omar Nur prior to his death, now continues. "
        "Mr Nur died in January.\n",
    )
    assert "Hamza Omar Nur" in _of_type(x, "schema:Person")
    assert not {"Hamza", "Omar Nur"} & {e.label for e in x.entities}


def test_a_headline_death_of_name_is_the_person_not_a_name_of_its_own() -> None:
    x = extract(
        "Skip to main content\n\nMain content area\n\nDeath of Marcus Tellow: CPS statement\n\n\n\n"
        "Jane Hollis from the CPS said: “Following the death of Marcus Tellow in Eastfold on 15 August, we have "
        "authorised a charge.” Mr Tellow was 48.\n",
        title="Death of Marcus Tellow: CPS statement",
    )
    assert not any(e.label.startswith("Death of") for e in x.entities)
    assert {"Marcus Tellow", "Mr Tellow"} <= set(mentions_of(x, "Marcus Tellow"))


def test_a_rank_defined_by_its_acronym_is_no_organisation() -> None:
    x = extract(
        "Harbour Gazette\n\nConstable convicted\n\nThe inquiry led to Police Constable (PC) Ines Kovac being convicted. "
        "PC Kovac will be sentenced in May.\n",
    )
    assert "Police Constable" not in {e.label for e in x.entities}
    assert "PC" not in {e.label for e in x.entities}


def test_an_act_is_a_document_whatever_the_model_makes_of_it() -> None:
    # the model takes "the Health and Welfare at Sea Act 1974" for an organisation
    x = extract(
        "Harbour Gazette\n\nForce fined\n\nThe force pleaded guilty to breaching the Health and Welfare at Sea Act 1974. "
        "It was fined.\n",
    )
    assert "Health and Welfare at Sea Act 1974" in _of_type(x, "schema:CreativeWork")
    assert not _of_type(x, "schema:Organization") - {"Harbour Gazette"}


def test_a_possessive_before_an_acronym_does_not_hide_the_head_of_the_name() -> None:
    # "South Northshire Police’s (SNP)": the model may call the words a place (it did on a real
    # page); the head "Police" says what they name, possessive or not
    from types import SimpleNamespace

    from kg.extract import entities as ent
    from kg.extract.context import Context
    from kg.vocab import vocabulary

    text = "The review looked at South Northshire Police’s (SNP) responses to reports.\n"
    meta = SourceMeta("Review", "Harbour Gazette", "https://example.org/x", PartialDate.parse("2023-06-14"), "news")
    doc = layout("t", "t.txt", "text/plain", text, meta)
    start = text.index("South")
    end = text.index(" (SNP)")
    place = SimpleNamespace(start_char=start, end_char=end, label_="GPE")
    ctx = Context(doc, None, vocabulary(), ner=SimpleNamespace(ents=[place]))  # type: ignore[arg-type]
    assert ent._expansion_type(ctx, start, end) == "schema:Organization"


def test_an_acronym_spelled_with_a_preposition_of_its_long_form_is_the_long_form() -> None:
    # "Mobile Armed Support to Surveillance Teams (MASTS)" on a real page: the "to" of the name
    # stopped the walk back, and the long form and its acronym became two organisations
    x = extract(
        "Northshire Police deployed its Armed Support to Surveillance Unit (ASSU) on the night.\n\n"
        "A review found that ASSU officers had not been briefed.\n"
    )
    by_alias = {a: e.label for e in x.entities for a in e.aliases}
    assert by_alias.get("ASSU") == "Armed Support to Surveillance Unit"


def test_a_numbered_part_of_a_site_is_a_place() -> None:
    # the model took "Terminal 2" of a real release for an organisation
    x = extract(
        "We know people have serious questions about the incident at Terminal 3.\n\n"
        "Officers were called to Terminal 3 shortly after 2pm.\n"
    )
    assert _of_type(x, "schema:Place") >= {"Terminal 3"}
    assert "Terminal 3" not in _of_type(x, "schema:Organization")


def test_a_name_before_a_word_for_a_club_member_is_a_club() -> None:
    # "killing former Aston Villa player Dalian Atkinson": the model took the club for a place
    x = extract("A constable has been jailed for assaulting former Harbour Vale player Darren Oduya in Riverton.\n")
    assert "Harbour Vale" in _of_type(x, "schema:Organization")
    assert "Darren Oduya" in _of_type(x, "schema:Person")


def test_the_office_of_a_public_officer_for_a_force_is_one_name() -> None:
    # "The Office of the Chief Constable for Devon and Cornwall Police has been fined": the legal
    # person convicted, one organisation, not a title and a force
    x = extract(
        "The Office of the Chief Constable for Northshire and Eastfold Police has been fined £50,000.\n\n"
        "Officers of Northshire and Eastfold Police restrained the man. The Office of the Police and Crime "
        "Commissioner for Eastfold said it would respond. The Office of the Chief Constable pleaded guilty.\n"
    )
    orgs = _of_type(x, "schema:Organization")
    assert {"Office of the Chief Constable for Northshire and Eastfold Police",
            "Office of the Police and Crime Commissioner for Eastfold", "Northshire and Eastfold Police"} <= orgs
    # the office alone is the one the text names in full, and only a weak name of it elsewhere
    (office,) = [e for e in x.entities if e.label.startswith("Office of the Chief Constable")]
    assert ("Office of the Chief Constable", "office") in office.links


def test_a_name_capitalised_only_in_the_headline_is_no_name() -> None:
    # "… strip search of Child Q at Hackney School" over "at a school in Hackney": the headline
    # capitalises what the text describes
    x = extract(
        "Misconduct found after search of pupil at Riverton Academy\n\n"
        "Two officers who searched a pupil at an academy in Riverton have been found to have committed "
        "misconduct, following an investigation by the Northshire Conduct Office.\n"
    )
    names = {e.label for e in x.entities if e.type.startswith("schema:")}
    assert "Riverton Academy" not in names
    assert "Riverton" in _of_type(x, "schema:Place")


def test_a_judges_full_style_is_kept_in_the_name_as_its_abbreviation_is() -> None:
    # "chaired by His Honour Judge Teague QC" became "Judge Teague" beside "HHJ Teague"
    x = extract(
        "The inquiry, chaired by His Honour Judge Okafor QC, reported today.\n\n"
        "HHJ Okafor found that the planning was flawed.\n"
    )
    (judge,) = [e for e in x.entities if e.type == "schema:Person"]
    assert judge.label == "His Honour Judge Okafor"
    assert "HHJ Okafor" in judge.aliases


def test_an_investigation_described_as_an_oversight_bodys_says_so_to_the_linker() -> None:
    # what keeps "an independent investigation" by the watchdog from becoming a public inquiry
    text = ("Kofi Mensah was shot by a Northshire Police officer in 2015. An independent investigation was then "
            "carried out by the Northshire Police Conduct Commission into the officers' actions.\n")
    (inv,) = [e for e in extract(text).entities if e.anonymous and e.type == "kg:Investigation"]
    assert ("oversight", "1") in inv.evidence
    (inv,) = [e for e in extract(text.replace("Northshire Police Conduct Commission", "Riverton Sailing Club")).entities
              if e.anonymous and e.type == "kg:Investigation"]
    assert ("oversight", "1") not in inv.evidence


def test_a_person_named_with_the_short_name_they_went_by_is_one_person() -> None:
    # "the death of Olaseni (Seni) Lewis": one person, named in full and by the short name
    x = extract("Harbour Gazette\n\nThe inquiry into the death of Oluwaseun (Seun) Adeyemi, 23, has ended. "
                "Mr Adeyemi died in hospital. The Coroners’ (Inquests) Rules were applied.\n")
    (person,) = [e for e in x.entities if e.type == "schema:Person"]
    assert person.label == "Oluwaseun Adeyemi"
    assert {"Seun Adeyemi", "Mr Adeyemi"} <= set(person.aliases)


def test_a_law_named_with_its_year_is_the_law_named_without_it() -> None:
    x = extract("He was detained under the Mental Welfare Act 1983 at the hospital. The Mental Welfare Act allows it.\n")
    (law,) = [e for e in x.entities if e.type == "schema:CreativeWork"]
    assert law.label == "Mental Welfare Act 1983"
    assert ("Mental Welfare Act", "clip") in law.links  # a weak name: another text's "Mental Welfare Act" on evidence


def test_an_acronym_defined_after_a_sentences_article_and_a_dateline_is_its_long_form() -> None:
    # "1 Jun 2015 12:21 PM\n\nThe Independent Police Complaints (IPCC) investigation": neither the
    # dateline above nor the article opening the sentence is part of the name
    x = extract("Harbour Gazette\n\n1 Jun 2015 12:21 PM\n\nThe Northshire Police Standards (NPSC) investigation "
                "has ended. The NPSC said it would report.\n")
    by_alias = {a: e.label for e in x.entities for a in e.aliases}
    assert by_alias.get("NPSC") == "Northshire Police Standards"


def test_a_car_makers_name_and_a_models_is_no_organisation() -> None:
    # the model takes "Volkswagen Tiguan" for an organisation
    x = extract("The Volkswagen Tiguan was found near Riverton.\n")
    assert {e.label for e in x.entities if e.type.startswith("schema:")} == {"Riverton"}


def _proceedings(x: Extraction) -> dict[str, set[tuple[str, str]]]:
    """label of each hearing, inquest or trial -> its (date property, value)."""
    held = {c.subject for c in x.claims if c.predicate == "kg:eventType" and getattr(c.object, "curie", "") == "etype:held"}
    names = labels(x)
    out: dict[str, set[tuple[str, str]]] = {}
    for c in x.claims:
        if c.subject in held and c.predicate in ("schema:startDate", "schema:endDate"):
            out.setdefault(names[c.subject], set()).add((c.predicate, c.object.lexical))  # type: ignore[union-attr]
    return out


def test_hearings_inquests_and_trials_are_dated_when_they_opened_or_ended() -> None:
    x = extract(
        "Harbour Gazette\n\nOfficers cleared\n\nAfter an investigation in 2011 and an inquest held in 2014, the "
        "Northshire Conduct Authority reinvestigated. In November 2019, the gross misconduct hearing concluded that no "
        "officer had breached the standards. A trial which opened on 3 March 2016 ended in acquittals. The retrial "
        "ended on 9 May 2017.\n",
        published="2020-01-10",
    )
    assert _proceedings(x) == {
        "inquest": {("schema:startDate", "2014")},
        "gross misconduct hearing": {("schema:endDate", "2019-11")},
        "trial": {("schema:startDate", "2016-03-03")},
        "retrial": {("schema:endDate", "2017-05-09")},
    }


def test_a_hearing_dated_by_today_or_yesterday_is_dated_and_an_undated_or_due_one_is_not() -> None:
    x = extract(
        "Harbour Gazette\n\nOfficer dismissed\n\nAt the conclusion of a disciplinary hearing today, the panel found "
        "the case proven. The hearing should be held in public, the chair said. A preliminary hearing will be held on "
        "4 July. The forthcoming inquest will consider the evidence. The officer asked for a trial within 28 days.\n",
        published="2023-06-14",
    )
    assert _proceedings(x) == {"disciplinary hearing": {("schema:endDate", "2023-06-14")}}
    y = extract("Harbour Gazette\n\nStatement\n\nFollowing yesterday's misconduct hearing, the director spoke.\n",
                published="2023-06-14")
    assert _proceedings(y) == {"misconduct hearing": {("schema:startDate", "2023-06-13")}}


def test_a_hospital_is_a_place_and_its_short_description_is_it() -> None:
    x = extract("His parents took him to Riverton General Hospital on 29 August. He was later moved from the "
                "Riverton hospital to a ward.\n")
    (hospital,) = [e for e in x.entities if "Hospital" in e.label]
    assert hospital.type == "schema:Place" and "Riverton hospital" in hospital.aliases


def test_a_proceeding_belongs_to_the_case_not_to_a_report_the_text_names() -> None:
    # a statement about a hearing that also names "the final report" has no investigation of its
    # own: its inquest is its document's (its case's, across documents), never the report's
    x = extract("Harbour Gazette\n\nStatement\n\nThe evidence was aired during an extensive inquest held earlier this "
                "year. The final report of the Northshire Conduct Authority will be published after the hearing.\n",
                published="2017-09-13")
    (inquest,) = [e for e in x.entities if e.label == "inquest"]
    assert inquest.identity[1] == "document:t"
    assert _proceedings(x) == {"inquest": {("schema:startDate", "2017")}}


def _deaths(x: Extraction) -> set[tuple[str, str]]:
    """(whose death, its date) of each death the text dates."""
    died = {c.subject for c in x.claims if c.predicate == "kg:eventType" and getattr(c.object, "curie", "") == "etype:died"}
    names = labels(x)
    about = {c.subject: names[c.object.key] for c in x.claims if c.subject in died and c.predicate == "schema:about"}  # type: ignore[union-attr]
    return {(about[c.subject], c.object.lexical) for c in x.claims  # type: ignore[union-attr]
            if c.subject in died and c.predicate == "schema:startDate"}


def test_a_persons_death_is_dated_as_the_texts_say_it() -> None:
    x = extract(
        "Harbour Gazette\n\nInquest opens\n\nKofi Mensah, 39, died on 4 November 2013 after he was restrained. "
        "Ruth Adler was 52 when she died in police custody in Riverton in March 2014. We are investigating police "
        "contact with Sam Okafor prior to his death in Eastfold on Saturday (9 January). The family of Ama Boateng "
        "have waited since Ms Boateng’s death on 2 May 2012. Lena Fox, 29, sadly was pronounced dead in hospital "
        "on 17 February. The review into the death of Tom Reyes on 3 October 2012 has closed.\n",
        published="2021-01-11",
    )
    assert _deaths(x) == {("Kofi Mensah", "2013-11-04"), ("Ruth Adler", "2014-03"), ("Sam Okafor", "2021-01-09"),
                          ("Ama Boateng", "2012-05-02"), ("Lena Fox", "2021-02-17"), ("Tom Reyes", "2012-10-03")}


def test_a_date_after_another_event_or_of_two_people_is_no_deaths_date() -> None:
    x = extract(
        "Harbour Gazette\n\nCharges\n\nKofi Mensah died after a single shot was fired on 5 May. Ruth Adler told Sam "
        "Okafor that he died in 2019.\n",
        published="2021-01-11",
    )
    assert _deaths(x) == set()


def test_a_referral_received_is_the_referrers_referral_dated_by_the_receiving() -> None:
    x = extract(
        "Harbour Gazette\n\nReferrals\n\nIn September 2013, the Northshire Conduct Authority received a referral from "
        "Eastfold Police which confirmed a conduct matter. On Tuesday (6 August), the Northshire Conduct Authority "
        "received a further referral from Riverton Police of a complaint. The Northshire Conduct Authority also "
        "received a referral from Westmoor Police in relation to the arrest which took place on 23 July.\n\n"
        "On 2 September, the Northshire Conduct Authority received a further referral from Westmoor Police of an "
        "allegation.\n",
        published="2024-09-08",
    )
    referred = {c.subject for c in x.claims if c.predicate == "kg:eventType" and getattr(c.object, "curie", "") == "etype:referred"}
    names = labels(x)
    by_agent = {names[c.object.key]: c.subject for c in x.claims  # type: ignore[union-attr]
                if c.subject in referred and c.predicate == "schema:agent"}
    assert set(by_agent) == {"Eastfold Police", "Riverton Police", "Westmoor Police"}
    assert {names[c.object.key] for c in x.claims if c.subject in referred and c.predicate == "schema:recipient"} == {  # type: ignore[union-attr]
        "Northshire Conduct Authority"}
    dated = {c.subject: c.object.lexical for c in x.claims if c.subject in referred and c.predicate == "schema:startDate"}  # type: ignore[union-attr]
    westmoor = {c.subject for c in x.claims if c.subject in referred and c.predicate == "schema:agent"
                and names[c.object.key] == "Westmoor Police"}  # type: ignore[union-attr]
    assert len(westmoor) == 2  # a further referral, of something else, is another referral
    assert {dated.get(e) for e in westmoor} == {None, "2024-09-02"}  # not the arrest's day
    assert dated[by_agent["Eastfold Police"]] == "2013-09" and dated[by_agent["Riverton Police"]] == "2024-08-06"


def test_a_conduct_matter_recorded_against_officers_counts_the_officers_investigated() -> None:
    x = extract(
        "Harbour Gazette\n\nReinvestigation\n\nAn independent investigation by the Northshire Conduct Authority began in 2013. "
        "Eastfold Police confirmed it had recorded a conduct matter in relation to 11 police officers for the "
        "potential use of excessive force.\n",
    )
    assert {o for _s, _p, o in facts(x, "kg:officersInvestigated")} == {"11"}


def test_a_day_written_in_figures_day_first_is_that_day() -> None:
    # a prevention-of-future-deaths report: "On 25/02/2021, an investigation was opened"
    from kg.extract import dates

    text = "On 25/02/2021 an inquiry was opened; it closed on 2/3/2024. A form 02/25/2021 and 1/2/3/2021 are not days."
    found = {d.text: d.value.iso() for d in dates.find_dates(text, 0, len(text), PartialDate.parse("2024-06-01"))}
    assert found["25/02/2021"] == "2021-02-25" and found["2/3/2024"] == "2024-03-02"
    assert "02/25/2021" not in found and "1/2/3/2021" not in found
    x = extract("Harbour Gazette\n\nInquiry\n\nOn 25/02/2021, the Northshire Conduct Authority began an investigation.\n",
                published="2024-02-12")
    assert ("schema:startDate", "2021-02-25") in {(c.predicate, c.object.lexical) for c in x.claims  # type: ignore[union-attr]
                                                  if c.predicate == "schema:startDate"}


def test_officers_joined_by_and_share_the_outcome_and_a_third_officer_counts_one() -> None:
    x = extract(
        "Harbour Gazette\n\nHearing ordered\n\nFollowing the investigation, the NCA decided that two officers who "
        "searched the girl and a third officer who was also at the school have a case to answer for gross misconduct. "
        "A third officer was dismissed.\n",
    )
    counts = {(s, o) for s, _p, o in facts(x, "kg:officerCount")}
    assert ("gross misconduct hearing", "3") in counts
    assert ("dismissal", "1") in counts or ("dismissal for gross misconduct", "1") in counts


def test_a_name_joined_to_a_place_by_and_is_a_place() -> None:
    # the model calls "Wales" of "Northshire and Wales" an organisation, "Devon" of "Cornwall and Devon" a person
    x = extract(
        "Harbour Gazette\n\nProsecutors\n\nThe division deals with the most complex cases in Northshire and Wales "
        "including disasters. It has offices in Cornwall and Devon.\n",
    )
    assert {"Northshire", "Wales", "Cornwall", "Devon"} <= _of_type(x, "schema:Place")


def test_a_force_named_without_police_is_the_force_the_text_names_in_full() -> None:
    # "Northshire and Eastfold detention officers": the model reads a person and a place
    x = extract(
        "Harbour Gazette\n\nHearings for Northshire and Eastfold detention officers withdrawn\n\n"
        "The NCA said that four Northshire and Eastfold Police officers would face a hearing. "
        "Northshire and Eastfold Police accepted the findings.\n",
    )
    assert "Northshire and Eastfold" in mentions_of(x, "Northshire and Eastfold Police")
    assert not {"Northshire", "Eastfold"} & {e.label for e in x.entities}
    forms = dict(entity(x, "Northshire and Eastfold Police").links)
    assert forms.get("Northshire and Eastfold") == "clip"


def test_names_stop_at_a_spaced_dash_and_a_word_of_a_title_is_no_name() -> None:
    x = extract(
        "Harbour Gazette\n\nThree face charges\n\nThe three are: Ewan Marsby – Detention officer; "
        "Lucia Pendle – Custody sergeant.\n\nRegional Director Saoirse Kenley said the charges were a step forward.\n",
    )
    names = {e.label for e in x.entities}
    assert {"Ewan Marsby", "Lucia Pendle", "Saoirse Kenley"} <= names
    assert not any("Detention" in n or "sergeant" in n for n in names)
    assert "Regional" not in names


def test_two_organisations_joined_by_and_are_two_names() -> None:
    x = extract(
        "Harbour Gazette\n\nCharges authorised\n\nThe file was sent by the Northshire Office for Police Integrity "
        "and Eastfold Constabulary after a joint review.\n",
    )
    orgs = _of_type(x, "schema:Organization")
    assert {"Northshire Office for Police Integrity", "Eastfold Constabulary"} <= orgs
    assert not any(" and " in o for o in orgs)
    y = extract("Harbour Gazette\n\nRecommendations\n\nWe made recommendations to Eastfold Police and College of Harbour "
                "Policing in our report.\n")
    assert {"Eastfold Police", "College of Harbour Policing"} <= _of_type(y, "schema:Organization")


def _context(text: str):  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    from kg.extract.context import Context
    from kg.vocab import vocabulary

    meta = SourceMeta("Hearings", "Harbour Gazette", "https://example.org/x", PartialDate.parse("2023-06-14"), "news")
    doc = layout("t", "t.txt", "text/plain", text, meta)
    return Context(doc, None, vocabulary(), ner=SimpleNamespace(ents=[]))  # type: ignore[arg-type]


def test_a_word_of_a_job_title_is_no_name_whatever_the_model_says() -> None:
    # on a real release the model took "Regional" of "Regional Director Jane Roe said" for an organisation
    from kg.extract import entities as ent

    text = "Regional Director Saoirse Kenley said: “I accept the findings.”\n"
    ctx = _context(text)
    regional = ent.Candidate(0, len("Regional"), "schema:Organization", 2, "ner")
    person = ent.Candidate(text.index("Saoirse"), text.index(" said"), "schema:Person", 2, "ner")
    assert not ent._acceptable(ctx, regional)
    assert ent._acceptable(ctx, person)


def test_listed_groups_of_officers_add_up_to_one_count() -> None:
    x = extract(
        "Harbour Gazette\n\nHearings ordered\n\nA Northshire and Eastfold Police sergeant, two detention officers and "
        "three police constables will face misconduct hearings following the NCA investigation.\n",
    )
    counts = {(s, o) for s, _p, o in facts(x, "kg:officerCount")}
    assert counts == {("gross misconduct hearing", "6")}


def _named(x: Extraction) -> dict[str, str]:
    """label -> type of the named entities (people, organisations, places, works, outlets)."""
    kinds = ("schema:Person", "schema:Organization", "schema:Place", "schema:CreativeWork", "schema:NewsMediaOrganization")
    return {e.label: e.type for e in x.entities if e.type in kinds}


def test_rank_abbreviations_and_styles_mark_a_person_and_postnominals_are_no_part_of_the_name() -> None:
    x = extract(
        "Harbour Gazette\n\nOfficers cleared\n\nA jury cleared PS Orla Brannock and DAC Fenwright of all charges. "
        "The inquiry was chaired by His Honour Judge Dunmore QC, and Sir Alys Penhallow KC gave evidence.\n",
    )
    named = _named(x)
    assert named.get("Orla Brannock") == "schema:Person"
    assert named.get("DAC Fenwright") == "schema:Person"
    assert named.get("Alys Penhallow") == "schema:Person"
    assert named.get("His Honour Judge Dunmore") == "schema:Person"  # the style kept, as "HHJ" is
    assert not any(label.endswith((" QC", " KC")) for label in named)


def test_titles_are_no_names_before_an_organisation_between_titles_or_after_area_of() -> None:
    x = extract(
        "Harbour Gazette\n\nLetters\n\nA letter from Tamsin Rooke, Director General Northshire Office for Police Integrity. "
        "The coroner wrote to the then Home Secretary & Justice Secretary. "
        "I am Kerensa Vowles, Senior Coroner for the Area of Cumbria.\n",
    )
    named = _named(x)
    assert "Northshire Office for Police Integrity" in named
    assert not any("Home Secretary" in label or "Senior Coroner" in label or label.startswith("Area of") for label in named)
    assert "Cumbria" in named
    assert named.get("Kerensa Vowles") == "schema:Person"


def test_offences_standards_and_police_kit_written_with_capitals_are_no_entities() -> None:
    x = extract(
        "Harbour Gazette\n\nCharges\n\nA constable was charged with assault causing Actual Bodily Harm after he "
        "breached the ‘Duties and Responsibilities’ standard. He had used an Emergency Response Belt (ERB) and PAVA "
        "spray. At 9.18am, an officer updated the Control Room that the man had been restrained.\n",
    )
    named = _named(x)
    assert not {"Actual Bodily Harm", "Duties and Responsibilities", "Emergency Response Belt", "ERB", "PAVA",
                "Control Room"} & set(named), named


def test_a_jurisdiction_is_one_place_and_a_known_newspaper_an_outlet() -> None:
    x = extract(
        "Harbour Gazette\n\nCharges\n\nThe prosecutors of England and Wales authorised the charge, the Daily Mail "
        "reported on Friday.\n",
    )
    named = _named(x)
    assert named.get("England and Wales") == "schema:Place"
    assert "England" not in named and "Wales" not in named
    assert named.get("Daily Mail") == "schema:NewsMediaOrganization"
    y = extract("Harbour Gazette\n\nLetters\n\nShe answered the questions in your letter to her published in the "
                "Daily Mail on 11 February.\n")
    assert _named(y).get("Daily Mail") == "schema:NewsMediaOrganization"


def test_an_act_keeps_its_year_and_codes_their_letters_but_no_fragment_is_a_name() -> None:
    x = extract(
        "Harbour Gazette\n\nSearches\n\nOfficers searched him under the Harbour Drugs Act 1971, in breach of "
        "Search Codes A and C. The force was fined under the Safety at Work Act 1974 last year.\n",
    )
    named = _named(x)
    assert named.get("Harbour Drugs Act 1971") == "schema:CreativeWork"
    assert named.get("Search Codes A and C") == "schema:CreativeWork"
    assert "Work Act 1974" not in named


def test_a_review_known_by_a_name_a_venue_and_a_force_with_a_small_police() -> None:
    x = extract(
        "Harbour Gazette\n\nCharge\n\nWork followed the Trevanion review of deaths in custody. He was restrained "
        "outside Lanterns nightclub. A charge was authorised against Kernow Vale police constable Ewan Polglaze. "
        "Armed police arrived later.\n",
    )
    named = _named(x)
    assert named.get("Trevanion review") == "schema:CreativeWork"
    assert named.get("Lanterns nightclub") == "schema:Place"
    assert named.get("Kernow Vale police") == "schema:Organization"
    assert "Armed police" not in named
    # a text that writes the force's name with a capital names it so; the small form is left to the rules
    # that link it
    y = extract("Harbour Gazette\n\nCharge\n\nKernow Vale Police said it would help. Officers kept Kernow Vale "
                "police updated.\n")
    assert "Kernow Vale police" not in _named(y)


def test_a_coroner_s_title_is_no_person_and_a_judge_s_style_marks_one_whatever_the_model_says() -> None:
    from kg.extract import entities as ent

    text = "I am Kerensa Vowles, Senior Coroner for the county. HHJ Dunmore wrote to her.\n"
    ctx = _context(text)
    title = ent.Candidate(text.index("Senior"), text.index(" for"), "schema:Person", 2, "ner")
    assert not ent._acceptable(ctx, title)
    styled = {text[c.start : c.end] for c in ent._honorific_candidates(ctx)}
    assert "HHJ Dunmore" in styled


def test_a_small_police_after_a_name_is_a_force_only_where_the_text_never_capitalises_it() -> None:
    from kg.extract import entities as ent

    text = "The Kernow Vale Police said so. Jo Roe, the Kernow Vale police commissioner, apologised.\n"
    ctx = _context(text)
    assert not any(text[c.start : c.end].endswith(" police") for c in ent._cue_candidates(ctx))
    other = "A charge was authorised against Kernow Vale police constable Ewan Polglaze.\n"
    ctx = _context(other)
    assert "Kernow Vale police" in {other[c.start : c.end] for c in ent._cue_candidates(ctx)}


def test_officers_investigated_stated_as_the_actions_or_the_role_of_a_count() -> None:
    x = extract(
        "Harbour Gazette\n\nReferral\n\nThe NCA has made a referral to prosecutors over the actions of five Northshire "
        "Police officers following its investigation into the arrest.\n",
    )
    assert {o for _s, _p, o in facts(x, "kg:officersInvestigated")} == {"5"}
    y = extract("Harbour Gazette\n\nFinal report\n\nAs part of our investigation we looked at the role of two former senior "
                "Northshire officers in buying a canister.\n", publisher="Northshire Conduct Authority")
    assert {o for _s, _p, o in facts(y, "kg:officersInvestigated")} == {"2"}
    # the actions of officers in a sentence that is not about the investigation count nothing
    w = extract("Harbour Gazette\n\nMarch\n\nResidents praised the actions of five Northshire Police officers at the fair.\n")
    assert not facts(w, "kg:officersInvestigated")


def test_a_referral_mentions_the_matter_referred_as_the_investigation() -> None:
    """ "The force referred the matter to the IOPC": the referral's object, the investigation, is
    cited on words that mention it ("the matter"), not on the verb alone."""
    x = extract("Northshire Police referred the matter to the IOPC in May 2021 after a complaint. "
                "Our investigation found that two officers had a case to answer.\n", publisher="Independent Office for Police Conduct")
    inv = next(e.key for e in x.entities if e.type == "kg:Investigation")
    assert "the matter" in {m.citation.exact for m in x.mentions if m.entity == inv}
    referral = [c for c in x.claims if c.predicate == "schema:object" and getattr(c.object, "key", None) == inv]
    assert referral and all("the matter" in c.citations[0].exact for c in referral)


def test_counted_recommendations_belong_to_who_made_them() -> None:
    """ "We accepted the 12 recommendations made to us by the IOPC": the report counted is the
    IOPC's, not the accepting force's; "an IOPC investigation of applications made by a force …,
    with 16 recommendations": the oversight body's."""
    x = extract("Northshire Police accepts all recommendations\n\nWe have today accepted in full the 12 recommendations "
                "made to us by the Independent Office for Police Conduct (IOPC) following its investigations.\n",
                publisher="Northshire Police")
    assert ("IOPC report", "schema:author", "Independent Office for Police Conduct") in facts(x, "schema:author")
    assert ("IOPC report", "kg:recommendationCount", "12") in facts(x, "kg:recommendationCount")
    y = extract("An Independent Office for Police Conduct (IOPC) investigation of applications for search warrants "
                "made by Northshire Police has identified shortcomings, with 16 recommendations made to change practice.\n",
                publisher="Harbour Gazette")
    assert ("IOPC report", "kg:recommendationCount", "16") in facts(y, "kg:recommendationCount")
    assert not any(s.startswith("Northshire") for s, _p, _o in facts(y, "kg:recommendationCount"))


def test_a_finding_described_by_an_adjective_keeps_the_sources_words() -> None:
    """ "messages …, many of which were highly sexualised": the finding is "highly sexualised
    messages" (classed as sexual misconduct), not the stronger "sexual misconduct"; a finding
    named by its category keeps the category's name."""
    x = extract("Our investigation reviewed hundreds of messages sent by officers in Northshire Police, "
                "including many which were highly sexualised. It also found bullying.\n",
                publisher="Independent Office for Police Conduct")
    findings = {e.label for e in x.entities if e.type == "kg:Finding"}
    assert "highly sexualised messages" in findings and "sexual misconduct" not in findings
    assert ("highly sexualised messages", "kg:misconductType", "misconduct:sexual-misconduct") in facts(x, "kg:misconductType")
    assert "bullying" in findings


def test_a_named_officer_who_should_face_a_hearing_is_an_outcome_not_yet_held() -> None:
    """ "we decided that PC Doe should also face a gross misconduct hearing", "the threshold was met
    for Sgt Roe to face gross misconduct proceedings", "requires PC Poe to attend a gross misconduct
    hearing": one officer each, recommended or scheduled."""
    x = extract("Officer to face hearing\n\nAt the end of our investigation in 2018, we decided that PC Jane Doe should also "
                "face a gross misconduct hearing over her use of force. In April 2025, we decided that the threshold was "
                "still met for Sgt John Roe to face gross misconduct proceedings. The case continues to meet the threshold "
                "which requires PC Sam Poe to attend a gross misconduct hearing.\n", publisher="Independent Office for Police Conduct")
    outcomes = {e.key for e in x.entities if e.type == "kg:DisciplinaryOutcome"}
    assert len(outcomes) == 3
    names = labels(x)

    def said(key: str) -> set[tuple[str, str]]:
        return {(c.predicate, names[c.object.key] if isinstance(c.object, EntityKey) else getattr(c.object, "lexical", getattr(c.object, "curie", "")))
                for c in x.claims if c.subject == key}

    for name, status in (("Jane Doe", "kg:EventRecommended"), ("John Roe", "schema:EventScheduled"), ("Sam Poe", "schema:EventScheduled")):
        (o,) = [k for k in outcomes if ("kg:concerns", name) in said(k)]
        assert {("kg:outcomeType", "outcome:gross-misconduct-hearing"), ("kg:officerCount", "1"), ("schema:eventStatus", status)} <= said(o)


def test_a_forces_own_operation_is_not_the_watchdogs_investigation() -> None:
    """ "… its investigation into three officers involved in Operation Larch. Operation Larch was
    the Northshire Police (NP) investigation into …": the document is about the watchdog's
    investigation, which looks into the force's operation; the operation is conducted by the force."""
    x = extract("Watchdog finds no case to answer over Operation Larch\n\nThe Independent Office for Police Conduct (IOPC) "
                "today shared the findings of its investigation which looked into the actions of three officers involved in "
                "Operation Larch. Operation Larch was the Northshire Police (NP) investigation into allegations of fraud. "
                "The IOPC investigated the conduct of the three officers and found no case to answer. Operation Larch ended in 2016.\n",
                publisher="Independent Office for Police Conduct")
    said = facts(x)
    assert ("Operation Larch", "kg:conductedBy", "Northshire Police") in said
    assert ("Operation Larch", "kg:conductedBy", "Independent Office for Police Conduct") not in said
    assert not any(s == "Operation Larch" and p == "kg:officersInvestigated" for s, p, _o in said)
    (described,) = [e for e in x.entities if e.type == "kg:Investigation" and e.anonymous]
    assert (described.label, "kg:officersInvestigated", "3") in said
    assert (described.label, "kg:conductedBy", "Independent Office for Police Conduct") in said
    assert ("police-own", "1") in entity(x, "Operation Larch").evidence


def test_the_operation_a_force_made_something_as_part_of_is_its_own() -> None:
    x = extract("Watchdog finds shortcomings\n\nAn Independent Office for Police Conduct (IOPC) investigation of applications "
                "made by Northshire Police (NP) as part of Operation Larch has identified shortcomings, with 16 recommendations.\n",
                publisher="Independent Office for Police Conduct")
    assert ("Operation Larch", "kg:conductedBy", "Northshire Police") in facts(x, "kg:conductedBy")


def test_the_area_of_a_name_is_a_place() -> None:
    """ "Coroner Area: Gwent", "Senior Coroner for the Area of Gwent": the model may take the word
    for an organisation; the words around it say it is a place (and "Gwent Police" stays a force)."""
    x = extract("Regulation 28 report\n\nCoroner Area: Powys\n\nI am Jane Roe, Senior Coroner for the Area of Powys. "
                "Powys Police received a call from a neighbour.\n", publisher="Courts and Tribunals Judiciary")
    assert _of_type(x, "schema:Place") >= {"Powys"} and "Powys Police" in _of_type(x, "schema:Organization")
    assert "Powys" not in _of_type(x, "schema:Organization")


def test_an_admission_is_one_event_whether_said_by_a_verb_or_a_noun() -> None:
    """ "Northshire Police's guilty plea last year" and "the force admitted earlier this year": an
    event of the force admitting an offence, dated by each; "was admitted to hospital", "pleaded not
    guilty" and "a plea for calm" admit nothing."""
    x = extract("Force fined\n\nNorthshire Police’s guilty plea last year on health and safety charges represented a "
                "landmark conviction. The force admitted earlier this year that they committed an offence. PC Jane Roe was "
                "admitted to hospital in May. PC Sam Poe pleaded not guilty in June. PC Tim Day’s plea for calm went unheard.\n",
                publisher="Independent Office for Police Conduct")
    admitted = [c.subject for c in x.claims if c.predicate == "kg:eventType" and getattr(c.object, "curie", "") == "etype:admitted"]
    assert len(set(admitted)) == 1
    said = {(c.predicate, getattr(c.object, "lexical", getattr(c.object, "key", ""))) for c in x.claims if c.subject == admitted[0]}
    assert {("schema:agent", "organization:northshire police"), ("schema:startDate", "2022"), ("schema:startDate", "2023")} <= said


def test_a_weekday_before_a_date_is_that_date() -> None:
    """ "On Tuesday (6 August)", "on Tuesday 23 July": one date, the one written out, not the
    Tuesday nearest the publication date."""
    from kg.extract.dates import find_dates

    text = "On Tuesday (6 August), we received a referral. The arrests on Tuesday 23 July were filmed. We met on Monday."
    found = [(d.text, d.value.iso()) for d in find_dates(text, 0, len(text), PartialDate.parse("2024-08-08"))]
    assert found == [("6 August", "2024-08-06"), ("23 July", "2024-07-23"), ("on Monday", "2024-08-05")]


def test_the_incident_a_case_is_about_is_dated_once_per_case() -> None:
    """ "attended an incident at a nightclub in Riverton on 6 May 2013": the case's incident, dated;
    "not an isolated incident" (no date) is no event; a second dated mention is the same incident; a
    date in another clause ("… was reported and referred to us in June 2013") is not its date."""
    x = extract("Officers dismissed\n\nThe five officers attended an incident at a nightclub in Riverton on 6 May 2013. "
                "Our investigation into the incident, which took place on Monday 6 May 2013, found that the officers had a "
                "case to answer. This was not an isolated incident. The incident was reported and referred to us in June 2013.\n",
                publisher="Independent Office for Police Conduct")
    incidents = {c.subject for c in x.claims if c.predicate == "kg:eventType" and getattr(c.object, "curie", "") == "etype:incident"}
    assert len(incidents) == 1
    dates_of = {c.object.lexical for c in x.claims if c.subject in incidents and c.predicate == "schema:startDate"}  # type: ignore[union-attr]
    assert dates_of == {"2013-05-06"}


def test_a_surname_the_text_writes_with_an_honorific_is_a_persons() -> None:
    """ "Julian Cole … Mr Cole": a one-word name the model types as something else (on a real
    release it took "Cole" for a product) is the person's where the text also writes it after "Mr",
    with the given name before it."""
    from types import SimpleNamespace

    from kg.extract import entities as ent

    text = "Marcus Cole was severely injured outside a nightclub. The officers failed to check on Mr Cole.\n"
    ctx = _context(text)
    at = text.index("Cole")
    ctx.ner = SimpleNamespace(ents=[SimpleNamespace(label_="PRODUCT", start_char=at, end_char=at + 4, text="Cole")])
    (c,) = ent._ner_candidates(ctx)
    assert (c.type, text[c.start : c.end]) == ("schema:Person", "Marcus Cole")


def test_a_force_written_with_police_in_lowercase_is_the_force() -> None:
    """ "Bedfordshire Police officers" … "kept Bedfordshire police updated": one force; "the Met police
    commissioner" is a title after the force's short name."""
    x = extract("Referral to prosecutors\n\nThe actions of five Bedfordshire Police officers are under investigation. "
                "We have kept the family and Bedfordshire police updated on our progress.\n",
                publisher="Independent Office for Police Conduct")
    forces = [e for e in x.entities if e.type == "schema:Organization" and e.label.startswith("Bedfordshire")]
    assert len(forces) == 1 and "Bedfordshire police" in forces[0].aliases
    assert "Bedfordshire" not in {e.label for e in x.entities}


def test_a_forces_area_written_where_places_go_is_one_place() -> None:
    """ "Northshire and Eastfold Police" … "used in Northshire and Eastfold for a decade": the
    force's area, one place (on a real release the model made two places of such a pair)."""
    from kg.extract import entities as ent

    text = "Northshire and Eastfold Police was fined today. The belt had been used in Northshire and Eastfold for a decade.\n"
    ctx = _context(text)
    force = ent.Candidate(0, len("Northshire and Eastfold Police"), "schema:Organization", 4, "cue")
    area = [(c.type, text[c.start : c.end]) for c in ent._force_clips(ctx, [force])]
    assert area == [("schema:Place", "Northshire and Eastfold")]


def test_two_streets_named_together_are_two_places() -> None:
    """ "the junction of Marsh Road and Alder Way": the model's one place is two streets."""
    from kg.extract import entities as ent

    text = "He was restrained at the junction of Marsh Road and Alder Way in Riverton.\n"
    ctx = _context(text)
    at = text.index("Marsh")
    both = ent.Candidate(at, text.index(" in Riverton"), "schema:Place", 2, "ner")
    assert [(c.type, text[c.start : c.end]) for c in ent._trim(ctx, both)] == [("schema:Place", "Marsh Road"), ("schema:Place", "Alder Way")]


def test_form_fields_numbered_regulations_and_headline_calls_are_no_names() -> None:
    """ "Date of report: 12/02/2024", "Regulations 28 and 29 of the …", "Call for IOPC review …"."""
    from kg.extract import entities as ent

    text = "Call for IOPC review of hearing\n\nDate of report: 12/02/2024\n\nThis report is made under Regulations 28 and 29.\n"
    ctx = _context(text)
    for words in ("Date of report: 12/02/2024", "Regulations 28"):
        at = text.index(words)
        assert not ent._acceptable(ctx, ent.Candidate(at, at + len(words), "schema:CreativeWork", 2, "ner")), words
    call = ent.Candidate(0, len("Call for IOPC"), "schema:Organization", 2, "ner")
    assert [text[c.start : c.end] for c in ent._trim(ctx, call)] == ["IOPC"]


def test_a_law_named_with_etc_is_one_law_and_its_tail_no_other() -> None:
    """ "breached the Health and Safety at Work etc. Act": the model stops at "Work"; the law is the
    whole title, the same law as "the Health and Safety at Work Act"; "Work Act" is no law."""
    from types import SimpleNamespace

    from kg.extract import entities as ent

    text = "The force breached the Health and Safety at Work etc. Act by failing to act. It admitted a duty under the Health and Safety at Work Act.\n"
    ctx = _context(text)
    at = text.index("Health")
    ctx.ner = SimpleNamespace(ents=[SimpleNamespace(label_="ORG", start_char=at, end_char=text.index(" etc."), text="")])
    (law,) = ent._ner_candidates(ctx)
    assert (law.type, text[law.start : law.end], law.names) == (
        "schema:CreativeWork", "Health and Safety at Work etc. Act", ["Health and Safety at Work Act"])
    assert "Work Act" not in {text[c.start : c.end] for c in ent._cue_candidates(ctx)}


def test_a_name_with_and_without_a_middle_name_is_one_person() -> None:
    """ "Mohamud Hassan" … "Mohamud Mohamed Hassan" … "Mr Hassan": one person, so "Mr Hassan" is
    not left ambiguous between two."""
    x = extract("Death after custody\n\nAmir Okoro Varga died in January. Amir Varga was 24. Mr Varga had been held "
                "overnight at Riverton police station.\n", publisher="Independent Office for Police Conduct")
    people = [e for e in x.entities if e.type == "schema:Person" and "Varga" in e.label]
    assert len(people) == 1 and {"Amir Varga", "Amir Okoro Varga", "Mr Varga"} <= set(people[0].aliases)


def test_a_name_a_person_went_by_is_theirs() -> None:
    """ "made by Roe, who was known as Sam for anonymity", "Dana Roe (referred to in the documents as
    ‘Sam’)": the person's other name."""
    for text in ("The allegations were made by Dana Roe. They were made by Roe, who was known as Sam for anonymity "
                 "purposes. Sam was later convicted.\n",
                 "Claims were made against them by Dana Roe (referred to in the accompanying documents as ‘Sam’) and "
                 "investigated. Sam was later convicted.\n"):
        x = extract("Claims\n\n" + text, publisher="Independent Office for Police Conduct")
        (roe,) = [e for e in x.entities if e.type == "schema:Person" and "Roe" in e.label]
        assert "Sam" in roe.aliases, text


def test_an_institution_named_with_a_possessive_is_one_name() -> None:
    """ "a jury sitting at Riverton Coroner’s Court": one court, not "Riverton Coroner" and "Court";
    "the IOPC’s Director" stays the IOPC and a title."""
    x = extract("Inquest\n\nToday, a jury sitting at Riverton Coroner’s Court returned a verdict. The IOPC’s Director spoke.\n",
                publisher="Northshire Police")
    orgs = _of_type(x, "schema:Organization")
    assert "Riverton Coroner's Court" in orgs and "Riverton Coroner" not in orgs and "IOPC" in orgs


def test_a_journalists_beat_and_title_is_no_organisation() -> None:
    """A byline's "Home Affairs Correspondent", "Crime Reporter": a title, not an organisation
    (the model took one for an organisation)."""
    from kg.extract import entities as ent

    text = "By Jane Okafor, Home Affairs Correspondent, and Sam Roe, Crime Reporter\n"
    ctx = _context(text)
    for words in ("Home Affairs Correspondent", "Crime Reporter"):
        at = text.index(words)
        assert not ent._acceptable(ctx, ent.Candidate(at, at + len(words), "schema:Organization", 2, "ner")), words


def test_a_police_station_with_an_article_and_an_adjective_names_no_station() -> None:
    """ "a central London police station" is a police station in London, not one named so."""
    x = extract("Messages\n\nOfficers at a central London police station joked about rape.\n", publisher="Harbour Gazette")
    places = _of_type(x, "schema:Place")
    assert "London" in places and "London police station" not in places


def test_an_investigation_described_by_its_count_is_the_documents() -> None:
    """ "Fourteen officers were investigated by the IOPC as part of nine linked investigations": the
    text names no investigation, but describes one, whose counts these are."""
    x = extract("Watchdog report\n\nFourteen officers were investigated by the Independent Office for Police Conduct as part "
                "of nine linked investigations, which concluded last year.\n", publisher="Harbour Gazette")
    (inv,) = [e for e in x.entities if e.type == "kg:Investigation"]
    said = facts(x)
    assert (inv.label, "kg:officersInvestigated", "14") in said and (inv.label, "kg:investigationCount", "9") in said


def test_a_quotation_tweeted_or_posted_has_its_speaker() -> None:
    x = extract("Force apologises\n\nThe mayor, Amir Varga, tweeted: “Those officers must never serve again.”\n",
                publisher="Harbour Gazette")
    assert ("Those officers must never serve again.", "Amir Varga") in {
        (next(c2.object.lexical for c2 in x.claims if c2.subject == c.subject and c2.predicate == "schema:text"),  # type: ignore[union-attr]
         labels(x)[c.object.key])  # type: ignore[union-attr]
        for c in x.claims if c.predicate == "schema:creator"}


def test_a_force_before_a_title_that_opens_with_its_head_holds_the_role() -> None:
    """ "Northshire Police Commissioner Sam Roe said": the force, the title and the person, one role."""
    x = extract("Force apologises\n\nNorthshire Police Commissioner Sam Roe said: “I am deeply sorry.”\n", publisher="Harbour News")
    said = facts(x)
    assert "Northshire Police" in _of_type(x, "schema:Organization")
    role = next(s for s, p, o in said if p == "kg:holder" and o == "Sam Roe")
    assert (role, "kg:organization", "Northshire Police") in said and (role, "kg:roleType", "title:commissioner") in said
    # the force's name is found from the title's words alone, whatever the model finds
    from kg.extract import entities as ent

    text = "Northshire Police Commissioner Sam Roe said the force was sorry.\n"
    orgs = [text[c.start : c.end] for c in ent._title_candidates(_context(text)) if c.type == "schema:Organization"]
    assert orgs == ["Northshire Police"]


def test_a_byline_names_people() -> None:
    """ "By Jane Okafor", "By Amir Varga and Sam Poe, Crime Reporters": people, whatever the model says."""
    from kg.extract import entities as ent

    text = "Hearings\n\nBy Jane Okafor\nHome Affairs Correspondent\n\nBy Amir Varga and Sam Poe, Crime Reporters\n\nTwo officers were sacked.\n"
    ctx = _context(text)
    assert [(c.type, text[c.start : c.end]) for c in ent._byline_candidates(ctx)] == [
        ("schema:Person", "Jane Okafor"), ("schema:Person", "Amir Varga"), ("schema:Person", "Sam Poe")]


def test_a_name_after_a_titles_area_and_a_comma_is_the_holder_not_a_place() -> None:
    """ "the regional director for the North East, Caspar Abberley, tells …": the person, not a place
    after a place ("Newport, Gwent" is still a place)."""
    from kg.extract import entities as ent

    text = "“It was wrong,” the IPSC’s regional director for the North East, Caspar Abberley, tells us.\n"
    ctx = _context(text)
    area = text.index("North East")
    assert ent._title_area(ctx, area)
    assert not ent._title_area(_context("He lived in Newport, Gwent.\n"), len("He lived in "))


def test_a_titled_report_is_a_work() -> None:
    """ "The Riverton Inquiry Report was published …": a document, whatever the model makes of it."""
    from types import SimpleNamespace

    from kg.extract import entities as ent

    text = "The Riverton Inquiry Report was published on 11 July 2019.\n"
    ctx = _context(text)
    at = text.index("Riverton")
    ctx.ner = SimpleNamespace(ents=[SimpleNamespace(label_="ORG", start_char=at, end_char=text.index(" was"), text="")])
    assert [(c.type, text[c.start : c.end]) for c in ent._ner_candidates(ctx)] == [("schema:CreativeWork", "Riverton Inquiry Report")]


def test_a_unit_named_with_and_without_its_parents_acronym_is_one() -> None:
    x = extract("Officer jailed\n\nThe prosecution was brought by the NCA’s Special Crime Division. Jane Roe, head of the "
                "NCA Special Crime Division, said the sentence was just.\n", publisher="Northshire Conduct Authority (NCA)")
    units = [e for e in x.entities if e.type == "schema:Organization" and "Special Crime Division" in e.label]
    assert len(units) == 1 and {"NCA Special Crime Division", "Special Crime Division"} <= set(units[0].aliases)


def test_the_inquiry_alone_is_no_name() -> None:
    """ "The Inquiry heard …", "the Review found …": a head word alone refers to an inquiry named
    elsewhere; it is no entity of its own."""
    from kg.extract import entities as ent

    text = "Following the Riverton Public Inquiry, the force changed. The Inquiry heard evidence. The Review found failings.\n"
    ctx = _context(text)
    for words in ("Inquiry heard", "Review found"):
        at = text.index(words)
        word = words.split()[0]
        assert not ent._acceptable(ctx, ent.Candidate(at, at + len(word), "kg:Investigation", 2, "ner")), word
    at = text.index("Riverton Public Inquiry")
    assert ent._acceptable(ctx, ent.Candidate(at, at + len("Riverton Public Inquiry"), "kg:Investigation", 4, "cue"))


def test_counts_of_officers_said_as_a_share_or_by_rank_are_outcomes() -> None:
    """ "Two of the officers were dismissed …", "Three of them received …", "Two PCs have since been
    sacked": counts of officers, as "two officers" is."""
    x = extract("Watchdog report\n\nThe NCA investigated 14 officers as part of Operation Larch. Two of the officers were "
                "dismissed for gross misconduct. Three of them received final written warnings. Two PCs have since been sacked.\n",
                publisher="Harbour Gazette")
    counts = {(c.citations[0].exact, c.object.lexical) for c in x.claims if c.predicate == "kg:officerCount"}  # type: ignore[union-attr]
    assert {("Two of the officers were dismissed for gross misconduct", "2"), ("Three of them received final written warnings", "3"),
            ("Two PCs have since been sacked", "2")} <= counts
