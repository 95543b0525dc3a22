#!/usr/bin/env python3
"""Deterministic synthetic corpus for kg's benchmarks: invented UK police-conduct journalism.

    python benchmarks/generate.py N OUT_DIR [--seed S] [--cases C]

Writes N articles of about 700 words (650 to 750 by ``str.split``), each with its TOML sidecar
(``file``, ``title``, ``publisher``, ``url``, ``published``, ``genre``), into OUT_DIR (a
``sources/`` folder).  The same N, seed and case count give the same bytes on every run and
every machine: one ``random.Random`` per case and per article, seeded from strings (hashed with
SHA-512 by ``random``, never with Python's salted ``hash``), no clock, no set or dict order.

The articles cover a pool of invented cases (``--cases``, default N // 5, at most 200).  Each case
is an oversight body's operation into officers of a police force at a station in a town, with a
regional director, a chief officer, a police and crime commissioner, counts of officers
investigated and their disciplinary outcomes, kinds of misconduct found and numbered
recommendations.  Several articles from different publishers, in the writing styles kg handles,
report each case: the oversight body's press release ("We yesterday published …", "ORG Regional
Director NAME said:" and a quote over several paragraphs), a wire report ("TOWN, Mar 4 (ABBR) - …"),
a news report (text or an HTML page with navigation, sidebar and footer), a feature with
interview quotes ("“…,” NAME tells PUBLICATION", "he adds"), a question-and-answer explainer, and
the force's own press release accepting the recommendations.  Figures are mostly consistent
between the articles of a case and occasionally conflict (one count or date off), so linking,
corroboration and conflicts happen at scale.  Regional directors, chief officers, commissioners
and campaigners are shared by the cases of one region or force, so the entity graph is connected
beyond single cases.

Every name, place, organisation, operation and figure is invented.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from random import Random

LO_WORDS = 650
HI_WORDS = 750

# --- vocabularies: all invented ---------------------------------------------------------------

FIRST_NAMES_F = ["Abigail", "Adaeze", "Aisling", "Alina", "Amara", "Anjali", "Annika", "Beatrix", "Bethan", "Bronwen", "Carys", "Cerys", "Clemency", "Corinne", "Dalia", "Delphine", "Eilidh", "Elspeth", "Esme", "Farah", "Fenella", "Freya", "Georgina", "Gwendolen", "Harriet", "Hollis", "Imogen", "Ines", "Isolde", "Jasmin", "Juno", "Kamala", "Keira", "Leonie", "Linnea", "Lowri", "Maeve", "Marisol", "Mirela", "Morwenna", "Nadia", "Niamh", "Noor", "Odette", "Ottilie", "Paloma", "Philippa", "Priyanka", "Rhiannon", "Rosalind", "Saoirse", "Selina", "Sunita", "Tamsin", "Thea", "Ursula", "Verity", "Wilhelmina", "Yasmin", "Zainab", "Zinnia"]
FIRST_NAMES_M = ["Alasdair", "Ambrose", "Anselm", "Arjun", "Barnaby", "Bartholomew", "Caspian", "Cedric", "Cormac", "Crispin", "Dafydd", "Declan", "Desmond", "Eamon", "Emrys", "Evander", "Fergus", "Florian", "Gareth", "Gideon", "Hamish", "Hector", "Idris", "Ignatius", "Jarvis", "Jethro", "Kasim", "Kieran", "Lachlan", "Lorcan", "Lucian", "Malachy", "Mateo", "Mordecai", "Nikolai", "Oisin", "Ossian", "Peregrine", "Quentin", "Rafferty", "Ravi", "Rhodri", "Rufus", "Ruairi", "Séamus", "Soren", "Tadhg", "Tariq", "Thaddeus", "Tobias", "Ulric", "Vikram", "Wilfred", "Xavier", "Yusuf", "Zoltan"]
LAST_NAMES = ["Abernethy", "Achterberg", "Adeyemi", "Ainsworth", "Albright", "Aldridge", "Arkwright", "Ashdown", "Atherley", "Balogun", "Bannerjee", "Barraclough", "Beauchamp", "Bellweather", "Blackwood", "Bramwell", "Brightmore", "Brocklehurst", "Calloway", "Carrow", "Cavendale", "Chadwick", "Chowdhury", "Coldstream", "Copperfield", "Cresswell", "Dalrymple", "Davenhall", "Delacroix", "Drummond", "Dunmore", "Eastlake", "Ellery", "Elsworth", "Fairbairn", "Farrington", "Featherstone", "Fennimore", "Fitzalan", "Foxley", "Galloway", "Garside", "Gethin", "Glendower", "Goldhawk", "Greaves", "Hallworth", "Harcourt", "Hartigan", "Hawksley", "Heathcote", "Holloway", "Huxtable", "Ibbotson", "Inchbald", "Ingleby", "Jardine", "Jessop", "Kavanagh", "Kettering", "Kilbride", "Kingsley", "Lambourne", "Langridge", "Larkhall", "Lindqvist", "Lockwood", "Loveridge", "Macready", "Mahmood", "Marchbank", "Merriweather", "Millington", "Montague", "Mortimer", "Mulgrew", "Nakamura", "Netherwood", "Northcott", "Nwachukwu", "Oakenshaw", "Okonjo", "Oyelaran", "Pargeter", "Pemberton", "Penhaligon", "Quarmby", "Radcliffe", "Ramsbottom", "Ravensworth", "Redgrave", "Rookwood", "Rowntree", "Saltonstall", "Sandiford", "Scattergood", "Selwyn", "Shackleton", "Sherbourne", "Silverthorne", "Sinclair", "Skelton", "Southgate", "Stanhope", "Stirling", "Tennant", "Thistlewood", "Thornbury", "Throckmorton", "Trelawney", "Tremayne", "Underhill", "Vasquez", "Venables", "Wainwright", "Warburton", "Wetherby", "Whitlock", "Wickersham", "Winterbottom", "Woolcombe", "Wraxall", "Yardley", "Zielinski"]
COUNTIES = ["Ashdown", "Brackenshire", "Calderwick", "Daleshire", "Eastmarsh", "Fenmarsh", "Greywold", "Hallamshire", "Ivybridge", "Kestrelshire", "Lowmoor", "Marlwood", "Northwold", "Oakvale", "Pennridge", "Queensmere", "Ravensdale", "Saltmarsh", "Thornmoor", "Upperdale", "Wealdshire", "Wyvernshire", "Coldharbour", "Elmshire"]
TOWN_PARTS_A = ["Ash", "Bram", "Brack", "Cald", "Cheld", "Crom", "Dun", "Elm", "Fair", "Ferns", "Glen", "Hal", "Hart", "Kettle", "Lang", "Lark", "Marl", "Mill", "North", "Oak", "Pen", "Raven", "Rush", "Salt", "Stan", "Thorn", "Wick", "Wold", "Yarn", "Birch", "Cran", "Dray", "Frost", "Gold", "Heron", "Hollin", "Kings", "Lynd"]
TOWN_PARTS_B = ["bridge", "bury", "by", "combe", "field", "ford", "gate", "ham", "holme", "ley", "mere", "minster", "moor", "stead", "ton", "well", "wick", "worth"]
STREETS = ["Albion Road", "Bridge Street", "Castle Way", "Queen’s Road", "Market Street", "Victoria Road", "Station Road", "Church Lane", "Mill Road", "Park Row"]
REGIONS = (
    "the North East",
    "the North West",
    "Yorkshire and the Humber",
    "the East Midlands",
    "the West Midlands",
    "the East of England",
    "the South East",
    "the South West",
    "Wales",
)
OVERSIGHT = (
    ("Office for Police Integrity", "OPI"),
    ("Independent Police Standards Commission", "IPSC"),
    ("Police Accountability Authority", "PAA"),
    ("Independent Conduct Review Office", "ICRO"),
    ("Commission for Police Ethics", "CPE"),
)
OPERATIONS = ["Alderfly", "Bittern", "Brimstone", "Campion", "Chervil", "Cinnabar", "Corncrake", "Dunlin", "Eyebright", "Fieldfare", "Foxglove", "Garganey", "Gorse", "Hawkbit", "Heronsbill", "Kittiwake", "Knapweed", "Lapwing", "Larkspur", "Lichen", "Linnet", "Madder", "Marram", "Meadowsweet", "Merganser", "Nightjar", "Oxlip", "Pipit", "Quillwort", "Ragwort", "Redshank", "Rosebay", "Sandwort", "Sedge", "Shearwater", "Sorrel", "Speedwell", "Starwort", "Stonechat", "Tansy", "Teasel", "Tormentil", "Turnstone", "Twite", "Vetch", "Wagtail", "Whimbrel", "Woodruff", "Wrenfield", "Yarrow", "Bramling", "Celandine", "Dropwort", "Eelgrass", "Fescue", "Goldcrest", "Hornbeam", "Juniper"]
UNITS = (
    "response teams",
    "a neighbourhood policing team",
    "the town centre task force",
    "a proactive crime unit",
    "custody teams",
    "the road policing unit",
    "a territorial support unit",
    "the night-time economy team",
)
PLATFORMS = ("WhatsApp", "Snapchat", "Telegram", "Facebook Messenger", "Signal", "Instagram")
TRIGGERS = (
    "an officer had sent sexual messages to a woman he met while responding to a burglary",
    "a sergeant had bullied a probationary constable until she resigned",
    "officers had shared photographs of a crime scene in a group chat",
    "an officer had used a police database to look up a former partner",
    "an inspector had ignored complaints of harassment from junior colleagues",
    "an officer had assaulted a handcuffed man in a custody suite",
    "officers had mocked a victim of domestic abuse in messages",
    "a constable had pursued a relationship with a vulnerable witness",
)
# (words in the text, the misconduct concept they signal): general vocabulary of the genre
FINDINGS = (
    "bullying",
    "harassment",
    "sexual harassment",
    "misogyny",
    "racism",
    "homophobia",
    "sexism",
    "ableism",
    "discrimination",
    "victimisation",
    "dishonesty",
    "transphobia",
    "abuse of position",
    "excessive force",
)
RECOMMENDATIONS = (
    "commit publicly to a zero-tolerance position on sexism, misogyny, bullying and harassment",
    "review how it handles internal reports of harassment so that those who raise concerns are protected",
    "give every officer clear guidance and training on the use of social media and messaging apps",
    "find out why officers who witness misconduct do not challenge or report it",
    "strengthen its confidential reporting line and publish how often it is used",
    "make sure supervisors are trained to recognise and challenge discriminatory behaviour",
    "audit the vetting of officers transferring into specialist teams",
    "record and review every allegation of bullying made against a supervisor",
    "set up an independent panel to check that complaints from staff are handled fairly",
    "rotate officers out of small, closed teams after a fixed period",
    "publish an annual report on its progress against these recommendations",
    "introduce regular welfare checks for probationary officers",
)
CAMPAIGN_GROUPS = (
    ("Women’s Justice Network", "WJN"),
    ("Policing Equality Trust", "PET"),
    ("Citizens’ Oversight Forum", "COF"),
    ("Fair Treatment Alliance", "FTA"),
    ("Northern Rights Watch", "NRW"),
    ("Black Police Staff Forum", "BPSF"),
)
NEWS = (
    ("The Northern Ledger", "northernledger.example", "news report"),
    ("Harbourside Gazette", "harbourside-gazette.example", "news report"),
    ("The County Chronicle", "countychronicle.example", "news report"),
    ("Evening Courant", "eveningcourant.example", "news report"),
    ("The Civic Observer", "civicobserver.example", "news report"),
    ("Valley Post", "valleypost.example", "news report"),
)
FEATURES = (
    ("Parallax (Parallax Magazine)", "Parallax", "parallax-magazine.example"),
    ("Undercurrent", "Undercurrent", "undercurrent.example"),
    ("The Ember Review", "The Ember Review", "emberreview.example"),
    ("Lantern Weekly", "Lantern Weekly", "lanternweekly.example"),
)
WIRES = (
    ("Meridian Press Association (MPA)", "MPA", "mpa-wire.example"),
    ("United Newswire (UNW)", "UNW", "unw.example"),
    ("Continental Wire Service (CWS)", "CWS", "cws-wire.example"),
)
EXPLAINERS = (
    ("The Briefing Room", "briefingroom.example"),
    ("FactBase", "factbase.example"),
    ("Clearview Explained", "clearview.example"),
)
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
MON = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBERS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"]


def words(n: int) -> str:
    return NUMBERS[n] if 0 <= n < len(NUMBERS) else str(n)


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def num(rng: Random, n: int) -> str:
    """A count as digits or words, the way reporters mix them (always words at a sentence start)."""
    return words(n) if n <= 10 or rng.random() < 0.3 else str(n)


def and_list(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def comma(quote: str) -> str:
    """A quoted sentence as it reads before its attribution: “…,” she said."""
    return quote[:-1] + "," if quote.endswith(".") else quote


def word_count(text: str) -> int:
    return len(text.split())


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("’", "")).strip("-")


# --- the world: people, forces, bodies, cases -------------------------------------------------


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    female: bool

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def he(self) -> str:
        return "she" if self.female else "he"

    @property
    def his(self) -> str:
        return "her" if self.female else "his"

    @property
    def honorific(self) -> str:
        return f"{'Ms' if self.female else 'Mr'} {self.last}"


@dataclass
class Force:
    name: str
    abbr: str
    short: str  # "Fenmarsh Police"
    county: str
    region: str
    chief: Person
    chief_title: str  # "Chief Constable" or "Commissioner"
    standards_lead: Person  # Assistant Chief Constable for professional standards
    pcc: Person
    towns: list[str]


@dataclass
class Body:
    name: str
    abbr: str
    director_general: Person
    directors: dict[str, Person]  # region -> regional director


@dataclass
class Figures:
    """The facts of a case as one article reports them (a copy may differ: a conflict)."""

    investigated: int
    investigations: int
    dismissed: int
    resigned_before: int
    meetings: int
    management: int
    pri: int
    warnings: int
    recommendations: int
    began: tuple[int, int]  # year, month
    concluded: tuple[int, int]


@dataclass
class Case:
    key: str
    operation: str
    body: Body
    force: Force
    director: Person
    town: str
    station: str
    unit: str
    platform: str
    trigger: str
    findings: list[str]
    recs: list[str]
    messages: str
    group_size: int
    published: dt.date  # the report's publication day
    figures: Figures
    campaigner: Person
    group: tuple[str, str]
    lawyer: Person
    whistleblowers: int
    dq: list[str] = field(default_factory=list)  # the regional director's words
    fq: list[str] = field(default_factory=list)  # the force's
    cq: list[str] = field(default_factory=list)  # the campaigner's
    lq: list[str] = field(default_factory=list)  # the lawyer's
    articles: int = 0


@dataclass
class World:
    forces: list[Force]
    bodies: list[Body]
    cases: list[Case]
    reporters: dict[str, list[Person]] = field(default_factory=dict)


class Names:
    """Unique invented people, drawn in a fixed order."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def person(self) -> Person:
        while True:
            female = self.rng.random() < 0.5
            first = self.rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M)
            last = self.rng.choice(LAST_NAMES)
            if f"{first} {last}" not in self.used:
                self.used.add(f"{first} {last}")
                return Person(first, last, female)


def _towns(rng: Random, n: int, used: set[str]) -> list[str]:
    out = []
    while len(out) < n:
        t = rng.choice(TOWN_PARTS_A) + rng.choice(TOWN_PARTS_B)
        if t not in used and t not in COUNTIES:
            used.add(t)
            out.append(t)
    return out


def make_world(seed: int, n_cases: int) -> World:
    rng = Random(f"kg-bench-world:{seed}")
    names = Names(rng)
    used_towns: set[str] = set()
    forces = []
    abbrs: set[str] = {a for _, a in OVERSIGHT} | {a for _, a in CAMPAIGN_GROUPS}
    for i, county in enumerate(COUNTIES):
        kind = rng.choice(("Police", "Constabulary", "Police Service"))
        name = f"{county} {kind}"
        abbr = "".join(w[0] for w in name.split())
        if len(abbr) < 3 or abbr in abbrs:
            name = f"{county} and {rng.choice(COUNTIES[:i] + COUNTIES[i + 1:])} {kind}"
            abbr = "".join(w[0] for w in name.split() if w != "and")
        if abbr in abbrs:
            abbr = abbr + "X"
        abbrs.add(abbr)
        chief_title = "Commissioner" if kind == "Police Service" else "Chief Constable"
        forces.append(
            Force(
                name=name, abbr=abbr, short=f"{county} Police" if kind != "Police" else name, county=county,
                region=REGIONS[i % len(REGIONS)], chief=names.person(), chief_title=chief_title,
                standards_lead=names.person(), pcc=names.person(), towns=_towns(rng, 4, used_towns),
            )
        )
    bodies = [
        Body(name, abbr, names.person(), {r: names.person() for r in REGIONS}) for name, abbr in OVERSIGHT
    ]
    campaigners = [names.person() for _ in range(40)]
    lawyers = [names.person() for _ in range(30)]
    ops = list(OPERATIONS)
    rng.shuffle(ops)
    cases = []
    for c in range(n_cases):
        crng = Random(f"kg-bench-case:{seed}:{c}")
        force = forces[crng.randrange(len(forces))]
        body = bodies[crng.randrange(len(bodies))]
        op = ops[c % len(ops)] + ("" if c < len(ops) else f" {['II', 'III', 'IV', 'V', 'VI', 'VII'][min(5, c // len(ops) - 1)]}")
        town = crng.choice(force.towns)
        station = crng.choice((f"{town} police station", f"{town} Central police station",
                               f"{crng.choice(STREETS)} police station"))
        year = crng.randint(2015, 2023)
        published = dt.date(year, crng.randint(1, 12), crng.randint(1, 28))
        began = (year - crng.randint(2, 4), crng.randint(1, 12))
        concluded = (year - 1, crng.randint(1, 12))
        investigated = crng.randint(6, 24)
        dismissed = crng.randint(1, min(4, investigated - 4))
        rest = investigated - dismissed
        meetings = crng.randint(1, max(1, rest // 3))
        management = crng.randint(0, max(0, (rest - meetings) // 3))
        pri = crng.randint(0, 2)
        warnings = crng.randint(0, 2)
        figures = Figures(
            investigated=investigated, investigations=crng.randint(2, 11), dismissed=dismissed,
            resigned_before=crng.randint(0, 2), meetings=meetings, management=management, pri=pri,
            warnings=warnings, recommendations=crng.randint(5, 19), began=began, concluded=concluded,
        )
        findings = crng.sample(FINDINGS, crng.randint(3, 5))
        findings.sort(key=FINDINGS.index)
        cases.append(
            Case(
                key=f"case{c:03d}", operation=f"Operation {op}", body=body, force=force,
                director=body.directors[force.region], town=town, station=station, unit=crng.choice(UNITS),
                platform=crng.choice(PLATFORMS), trigger=crng.choice(TRIGGERS), findings=findings,
                recs=crng.sample(RECOMMENDATIONS, 4), messages=crng.choice(("thousands of", "hundreds of", "more than 2,000", "about 900")),
                group_size=crng.randint(9, 40), published=published, figures=figures,
                campaigner=campaigners[crng.randrange(len(campaigners))],
                group=CAMPAIGN_GROUPS[crng.randrange(len(CAMPAIGN_GROUPS))],
                lawyer=lawyers[crng.randrange(len(lawyers))], whistleblowers=crng.randint(2, 9),
            )
        )
    for case in cases:
        crng = Random(f"kg-bench-quotes:{seed}:{case.key}")
        fill = dict(town=case.town, station=case.station, force=case.force.short, unit=case.unit)

        def fmt(t: str, crng: Random = crng, fill: dict[str, str] = fill, case: Case = case) -> str:
            return t.format(finding=crng.choice(case.findings), **fill)

        case.dq = [fmt(t) for t in crng.sample(QUOTE_BANK, 8)]
        case.fq = [fmt(t) for t in FORCE_QUOTES]
        case.cq = [fmt(t) for t in CAMPAIGN_QUOTES]
        case.lq = [fmt(t) for t in LAWYER_QUOTES]
    reporters = {}
    for pub, *_ in NEWS + FEATURES + WIRES + EXPLAINERS:
        reporters[pub] = [names.person() for _ in range(4)]
    return World(forces, bodies, cases, reporters)


# --- helpers for the text ---------------------------------------------------------------------


def month_year(ym: tuple[int, int]) -> str:
    return f"{MONTHS[ym[1] - 1]} {ym[0]}"


def long_date(d: dt.date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def conflicted(fig: Figures, rng: Random) -> Figures:
    """The figures as an article reports them: usually exact, sometimes one of them off."""
    f = Figures(**vars(fig))
    r = rng.random()
    if r < 0.05:
        f.investigated += rng.choice((-1, 1))
    elif r < 0.08:
        f.recommendations += rng.choice((-1, 1))
    elif r < 0.10:
        f.began = (f.began[0] + rng.choice((-1, 1)), f.began[1])
    elif r < 0.12:
        f.dismissed = max(1, f.dismissed + rng.choice((-1, 1)))
    return f


def outcome_sentences(case: Case, f: Figures, rng: Random, we: bool) -> list[str]:
    """The disciplinary outcomes, in the words of a press release or a report."""
    out = []
    during = "During our investigation" if we else f"During the {case.body.abbr} investigation"
    lead = rng.choice((
        f"{during} {f.investigated} officers were put under notice that they were being investigated.",
        f"In all, {f.investigated} officers were investigated.",
        f"A total of {f.investigated} officers were served with misconduct notices.",
    ))
    out.append(lead)
    d = f.dismissed
    barred = rng.choice(("put on the barred list preventing future employment with the police",
                         "placed on the barred list", "added to the barred list"))
    out.append(f"{cap(words(d)) if d > 1 else 'One'} {'officers were' if d > 1 else 'officer was'} dismissed for gross misconduct and {barred}.")
    if f.resigned_before:
        out.append(rng.choice((
            f"{'One of the officers' if f.resigned_before == 1 else cap(words(f.resigned_before)) + ' of the officers'} resigned prior to these hearings.",
            f"{'One officer' if f.resigned_before == 1 else cap(words(f.resigned_before)) + ' officers'} resigned before the hearings.",
        )))
    m = f.meetings
    if m > 1:
        out.append(rng.choice((
            f"A further {words(m)} officers attended misconduct meetings.",
            f"{cap(words(m))} more officers faced misconduct meetings.",
        )))
    else:
        out.append("Another officer attended a misconduct meeting.")
    if f.management:
        a = f.management
        tail = " and another officer received practice requiring improvement." if f.pri else "."
        out.append(f"A further {words(a)} officers received management action{tail}" if a > 1
                   else f"One officer received management action{tail}")
    elif f.pri:
        out.append(f"{cap(words(f.pri))} {'officers were' if f.pri > 1 else 'officer was'} given practice requiring improvement.")
    if f.warnings:
        w = f.warnings
        out.append(f"{cap(words(w))} officers were given written warnings." if w > 1 else "One officer was given a written warning.")
    return out


def findings_phrase(case: Case, rng: Random, n: int | None = None) -> str:
    items = case.findings[: n or len(case.findings)]
    return and_list(items)


# Quotations are written per case (formatted with its town, station, force, unit and findings), so
# that articles about one case quote the same words (corroboration) and different cases never do.
QUOTE_BANK = (
    "The behaviour we uncovered at {station} was disgraceful and fell well below the standards the public has every right to expect.",
    "These were not isolated lapses in {town}. They formed a pattern that supervisors saw and chose not to challenge.",
    "Officers in {unit} who tried to speak up were frozen out, mocked or moved on, and that should trouble every chief officer in the country.",
    "We owe a great deal to the officers in {town} who came forward. They knew it could cost them their careers, and they did it anyway.",
    "Calling this banter does not make it harmless. In {town} it was a cover for {finding}, and everyone in that team knew it.",
    "Trust is earned slowly and lost very quickly. {force} now has to show, not say, that it has changed.",
    "Our recommendations to {force} are practical, and we will be watching closely to see that they are acted on.",
    "What matters now is whether the lessons of {station} are learned across the whole force, not just in one team.",
    "No officer in {town} should have to go to work and face that kind of treatment from the people who are meant to have their backs.",
    "If the culture inside {station} is rotten, the people of {town} will feel it on the street sooner or later.",
    "We found messages in {town} that were cruel, degrading and, in places, openly hateful.",
    "It is not enough for {force} to remove a handful of officers. The systems that let {finding} thrive have to change too.",
)
FORCE_QUOTES = (
    "There is no place in {force} for the behaviour these officers displayed, and I am deeply sorry to everyone they let down.",
    "Their conduct does not represent our values or the officers who serve the people of {town} with integrity.",
    "We have already made changes in {town}, and we will act on every one of the recommendations.",
    "I want officers and staff in {force} to know that if they report wrongdoing, they will be supported and protected.",
    "The teams involved at {station} have been disbanded and we have reviewed the supervision of every similar unit.",
)
CAMPAIGN_QUOTES = (
    "Women in {town} were told to trust these officers. The report shows exactly why so many of them do not.",
    "This is the third report of its kind about {force} in as many years, and each time we are promised that lessons will be learned.",
    "The officers who were sacked in {town} are the tip of the iceberg. The question is who else saw the messages and said nothing.",
    "Apologies from {force} are cheap. We want to see independent scrutiny of how it deals with complaints from its own staff.",
    "Communities in {town} that are already over-policed and under-protected will read this report and feel vindicated, not reassured.",
)
LAWYER_QUOTES = (
    "My clients in {town} came forward at real personal cost, and some of them are still waiting for an apology.",
    "The report vindicates the people who raised the alarm at {station}, but it comes years too late for some of them.",
    "Accountability in {force} has to mean more than a handful of dismissals; it has to reach the supervisors who looked away.",
)
MESSAGE_ACTS = (
    "joked about violence against women",
    "mocked disabled people",
    "used racist slurs about colleagues",
    "shared images of injured suspects",
    "ridiculed victims who had reported crimes",
    "made homophobic jokes about a colleague",
    "boasted about using force on people in custody",
    "rated female colleagues by their looks",
    "mocked the religion of a Muslim officer",
)
VICTIM_QUOTES = (
    "I dreaded every shift at {station}, because I never knew what they would say about me next",
    "When I complained, my sergeant in {town} told me to toughen up or find another job",
    "Everyone at {station} saw the messages. Nobody said a word, and that was the worst part",
    "I was made to feel that I was the problem in {town} for not laughing along",
)
# --- article styles ---------------------------------------------------------------------------


@dataclass
class Article:
    case: Case
    style: str
    publisher: str
    published: str  # YYYY-MM-DD / YYYY-MM / YYYY
    title: str
    url: str
    genre: str
    body: str  # the text; for "html" the page
    suffix: str = ".txt"


class Writer:
    """One article: paragraphs drawn from the case, fitted to 650 to 750 words."""

    def __init__(self, case: Case, rng: Random, world: World) -> None:
        self.c = case
        self.rng = rng
        self.world = world
        self.f = conflicted(case.figures, rng)

    # paragraphs shared by several styles

    def background(self) -> list[str]:
        c, f, r = self.c, self.f, self.rng
        b = c.body
        paras = [
            f"The {b.abbr} began {c.operation} in {month_year(f.began)} following a conduct referral alleging that {c.trigger}. "
            f"It grew into {words(f.investigations)} linked investigations as officers came forward with what they had witnessed.",
            f"Investigators reviewed {c.messages} messages exchanged by officers, many of them on {c.platform}. "
            f"Officers defended the messages as banter.",
            f"One {c.platform} group in which such messages were posted had {c.group_size} members, and none of them reported what they saw.",
            f"The officers worked mainly in {c.unit} in {c.town}, most of them based at {c.station}. The teams have since been disbanded.",
            f"Disciplinary proceedings concluded in {month_year(f.concluded)}.",
            f"{cap(words(c.whistleblowers))} officers gave evidence to the investigation after the {b.abbr} made a witness appeal within {c.force.short}.",
            f"The {b.abbr} said it had found evidence of {findings_phrase(c, r)}.",
        ]
        return paras

    def campaigner(self) -> str:
        c, r = self.c, self.rng
        g, ga = c.group
        q = r.choice(c.cq)
        return r.choice((
            f"{c.campaigner.name}, of the {g} ({ga}), said: “{q}”",
            f"“{q[:-1]},” said {c.campaigner.name} of the {g}.",
        ))

    def lawyer(self) -> str:
        c, r = self.c, self.rng
        q = r.choice(c.lq)
        return f"{c.lawyer.name}, a solicitor who represents several of the officers who gave evidence, said: “{q}”"

    def pcc(self) -> str:
        c, r = self.c, self.rng
        return (f"The police and crime commissioner for {c.force.county}, {c.force.pcc.name}, said {c.force.pcc.he} would hold the "
                f"chief constable to account for progress. “{r.choice(c.fq[2:])}”")

    def details(self, we: bool = False) -> list[str]:
        """Longer narrative paragraphs any style can use (in the voice of the body when ``we``)."""
        c, f, r = self.c, self.f, self.rng
        b, fo, _d = c.body, c.force, c.director
        acts = r.sample(MESSAGE_ACTS, 3)
        months = (f.concluded[0] - f.began[0]) * 12 + f.concluded[1] - f.began[1]
        who = "We" if we else f"The {b.abbr}"
        report = "our report" if we else "the report"
        probationer = r.choice(("a probationary constable", "one young officer", "a female colleague"))
        dg = b.director_general
        paras = [
            f"{cap(report)} details messages in which officers {acts[0]}, {acts[1]} and {acts[2]}. Many were posted in a "
            f"{c.platform} group with {c.group_size} members, and nobody in the group challenged them.",
            f"Supervisors at {c.station} knew about at least some of the messages, {report} says, but treated them as a private matter "
            f"between colleagues. Only when {words(c.whistleblowers)} officers went to the {b.abbr} directly did the inquiry widen.",
            f"“{r.choice(VICTIM_QUOTES).format(station=c.station, town=c.town)},” {probationer} told investigators. "
            f"{cap(report)} says several of those targeted were junior officers who feared for their careers if they complained.",
            f"The first allegation reached the {b.abbr} in {month_year(f.began)}. Over the next {months} months the inquiry grew into "
            f"{words(f.investigations)} investigations, and the last of the disciplinary proceedings finished in {month_year(f.concluded)}.",
            f"It is not the first time {fo.short} has faced criticism over the conduct of its officers. An inspection in "
            f"{f.began[0] - r.randint(1, 3)} found that its professional standards department was under-resourced and that complaints "
            f"from staff often took more than a year to resolve.",
            f"{who} also {'recommend' if we else 'recommends'} that the force should {c.recs[2]}, and that it should {c.recs[3]}. "
            f"Progress is to be checked by the police and crime commissioner for {fo.county}.",
            f"The {b.abbr}’s director general, {dg.name}, said the findings held lessons for every force in the country. "
            f"“{r.choice(c.dq)} {r.choice(c.dq)}”",
            f"{fo.chief_title} {fo.chief.name} said: “{r.choice(c.fq)} {r.choice(c.fq)}”",
            f"The {fo.county} Police Federation, which represents rank-and-file officers, said most of its members would be "
            f"“appalled” by what the report describes, but warned against judging every officer at {c.station} by the actions of a few.",
            f"{c.campaigner.name}, of the {c.group[0]} ({c.group[1]}), said the report confirmed what campaigners had been saying for years. "
            f"“{comma(r.choice(c.cq) + ' ' + r.choice(c.cq))}” {c.campaigner.he} said.",
        ]
        r.shuffle(paras)
        return paras[: r.randint(3, 6)]

    def fillers(self) -> list[str]:
        """Context paragraphs, to bring an article into its length window (in a random order)."""
        c, r = self.c, self.rng
        b, fo = c.body, c.force
        options = [
            *self.background(),
            self.campaigner(),
            self.lawyer(),
            self.pcc(),
            f"The {b.abbr} oversees how complaints against police officers in England and Wales are handled.",
            f"{fo.short} serves about {r.randint(6, 19) * 100_000:,} people across {fo.county}.",
            f"The {b.abbr} said the full learning report was available on its website.",
            f"{fo.short} said it had referred itself to the {b.abbr} once the first allegation was made.",
            "Officers found to have committed gross misconduct can be dismissed without notice.",
            "The barred list stops those on it from working for any police force again.",
            "Several of the officers involved had served for more than ten years.",
            f"The {b.abbr} has made similar recommendations to other forces in recent years.",
            f"The force has {r.randint(2, 9)} weeks to respond to the recommendations.",
            f"Residents who want to raise concerns about police conduct can contact the {b.abbr} directly.",
            f"A public meeting on the report is planned in {c.town} next month.",
            f"The {b.abbr} has not named any of the officers involved.",
            f"The report is the latest in a series of reviews of police culture. Campaigners have long argued that small, closed teams "
            f"allow behaviour such as {c.findings[0]} to go unchallenged, and that supervisors are too often part of the problem.",
            f"{fo.short} has said that it is reviewing the vetting of every officer in {c.unit}, and that it has strengthened its "
            f"confidential reporting line since the investigation began.",
            "The report describes how junior officers, and women in particular, were afraid of being ostracised if they complained. "
            "Some said they had been told to ‘get another job’ when they raised concerns with their supervisors.",
            "Figures published by the Home Office show that the number of officers dismissed each year has risen, although most "
            "misconduct cases still end in management action or a written warning rather than dismissal.",
        ]
        r.shuffle(options)
        return options

    def fit(self, head: list[str], core: list[str], optional: list[str], tail: list[str], sep: str = "\n\n") -> list[str]:
        """head + core + some optional paragraphs (in order) + fillers + tail, 650 to 750 words."""
        r = self.rng
        target = r.randint(LO_WORDS + 10, HI_WORDS - 30)
        total = sum(word_count(p) for p in head + core + tail)
        chosen = [False] * len(optional)
        order = list(range(len(optional)))
        r.shuffle(order)
        for i in order:
            w = word_count(optional[i])
            if total + w <= HI_WORDS:
                chosen[i] = True
                total += w
            if total >= target:
                break
        extra: list[str] = []
        used = set(head + core + optional + tail)
        for p in self.fillers() if total < target else ():
            w = word_count(p)
            if p not in used and total + w <= HI_WORDS:
                extra.append(p)
                used.add(p)
                total += w
            if total >= target:
                break
        if not LO_WORDS <= total <= HI_WORDS:
            raise RuntimeError(f"could not fit {self.c.key} into {LO_WORDS}-{HI_WORDS} words ({total})")
        return head + core + [p for p, k in zip(optional, chosen, strict=True) if k] + extra + tail

    # the styles

    def press_release(self) -> tuple[str, str]:
        c, f, r = self.c, self.f, self.rng
        b, fo, d = c.body, c.force, c.director
        day = c.published + dt.timedelta(days=1)
        title = r.choice((
            f"{b.abbr} recommendations to tackle {fo.short} culture after investigation uncovers {c.findings[0]} and {c.findings[1]}",
            f"{c.operation}: {b.abbr} publishes learning report on officers at {c.station}",
            f"Watchdog makes {f.recommendations} recommendations to {fo.short} after {c.operation}",
        ))
        head = [f"{b.name} ({b.abbr})", "Printable version", title]
        core = [
            f"We yesterday published {f.recommendations} recommendations made to {fo.name} ({fo.abbr}) to change policing practice after "
            f"{words(f.investigations)} linked investigations found evidence of {c.findings[0]} and {c.findings[1]} within the ranks.",
            f"Other inappropriate behaviour by officers, including {and_list([*c.findings[2:], 'the exchange of offensive social media messages'])}, "
            f"is also highlighted in a learning report we are now publishing from our {c.operation} investigations. The investigations focused on "
            f"{c.unit} in {c.town} and were expanded after officers came forward to report concerns about the conduct of colleagues.",
            f"We began our investigations in {month_year(f.began)} following a conduct referral alleging that {c.trigger}. "
            f"As the operation expanded, concerns were identified involving officers predominantly based at {c.station}.",
            f"{b.abbr} Regional Director {d.name} yesterday said:",
            f"“{c.dq[r.randrange(2)]} {r.choice(c.dq[2:5])}",
            f"“{r.choice(c.dq[5:])}",
            f"“Our recommendations focus on the cultural issues we identified. {fo.abbr} has to enjoy the trust and confidence of its own officers before it can hope to win the trust of the communities it serves.”",
            " ".join(outcome_sentences(c, f, r, we=True)),
        ]
        optional = [
            f"The {f.recommendations} recommendations we have made include that {fo.abbr} should {c.recs[0]}, and that the force should {c.recs[1]}.",
            f"During our investigations, from which proceedings concluded in {MONTHS[f.concluded[1] - 1]} last year ({f.concluded[0]}), we reviewed "
            f"{c.messages} messages exchanged by officers, including many which were discriminatory or referred to violence. These were generally described as banter by officers in their defence.",
            f"Mr {d.last} continued:" if not d.female else f"Ms {d.last} continued:",
            f"“{r.choice(c.dq)}”",
            f"We wrote to {fo.name} in {MONTHS[(c.published.month + 4) % 12]} last year asking it to remind officers of their obligations under the Code of Ethics.",
            f"Many of the inappropriate messages we found were exchanged on {c.platform}. We have previously highlighted concerns about inappropriate use of social media by police officers.",
            f"Our learning report and recommendations can be found on our website, together with a summary of the individual {c.operation} investigations and their outcomes.",
        ]
        # keep "continued:" with its quote
        if r.random() < 0.5:
            optional[2:4] = [optional[2] + "\n\n" + optional[3]]
        else:
            del optional[2:4]
        tail = ["", "Share this article", f"Latest News from\n{b.name} ({b.abbr})"]
        optional += self.details(we=True)
        paras = self.fit(head, core, optional, tail)
        self.meta = dict(publisher=f"{b.name} ({b.abbr})", published=day.isoformat(), title=title, genre="press release",
                         url=f"https://{slug(b.abbr)}.example/news/{day.isoformat()}-{slug(c.operation)}")
        return "\n\n".join(paras), ".txt"

    def wire(self) -> tuple[str, str]:
        c, f, r = self.c, self.f, self.rng
        b, fo, d = c.body, c.force, c.director
        pub, abbr, host = r.choice(WIRES)
        day = c.published
        title = f"UK watchdog says {c.town} officers’ messages showed {c.findings[0]} and {c.findings[1]}"
        weekday = WEEKDAYS[day.weekday()]
        head = [title.replace("’", "'")]
        core = [
            f"{c.town.upper()}, {MON[day.month - 1]} {day.day} ({abbr}) - Police officers working from {c.station} swapped messages that showed "
            f"{and_list(c.findings[:3])}, the {b.name} ({b.abbr}) said.",
            f"The {b.abbr} on {weekday} published a learning report from {c.operation}, its inquiry into {c.unit} in {c.town}, "
            f"together with {f.recommendations} recommendations for {fo.name}.",
            f"A total of {f.investigated} officers were investigated, the watchdog said. " + " ".join(outcome_sentences(c, f, r, we=False)[1:3]),
            f"The {b.abbr} began {c.operation} in {month_year(f.began)} after a referral alleged that {c.trigger}. "
            f"The inquiry was widened as officers came forward with complaints about colleagues, and disciplinary proceedings ended in {month_year(f.concluded)}.",
            f"{d.name}, the {b.abbr}'s regional director for {fo.region}, said the force had already taken some steps to tackle the problems.",
            f"\"{r.choice(c.dq)[:-1]},\" {d.he} said.",
            f"A {fo.short} spokesperson said the teams concerned had been broken up. \"{r.choice(c.fq)[:-1]},\" the spokesperson said.",
        ]
        optional = [
            f"According to the report, {c.operation} found evidence of {findings_phrase(c, r)}, and officers routinely played down the messages as banter.",
            f"Among the recommendations, {fo.short} is asked to {c.recs[0]}.",
            f"Among the other recommendations, the force should {c.recs[1]}.",
            f"{fo.chief_title} {fo.chief.name} said in a statement: \"{r.choice(c.fq)}\"",
            f"The {b.abbr} has made recommendations to several forces about the use of {c.platform} and other messaging apps by officers.",
            f"{c.campaigner.name} of the {c.group[0]} said the report showed \"a culture that supervisors tolerated for years\".",
        ]
        by, editor = r.sample(self.world.reporters[pub], 2)
        tail = [f"(Reporting by {by.name}; Editing by {editor.name})"]
        optional += self.details(we=False)
        paras = self.fit(head, core, optional, tail)
        self.meta = dict(publisher=pub, published=day.isoformat(), title=head[0], genre="wire report",
                         url=f"https://{host}/wire/{day.year}/{day.month:02d}/{day.day:02d}/{slug(c.town)}-officers-{slug(c.operation)}")
        return "\n\n".join(paras), ".txt"

    def _news_paras(self, pub: str) -> tuple[str, str, list[str], list[str], Person, dt.date]:
        c, f, r = self.c, self.f, self.rng
        b, fo, d = c.body, c.force, c.director
        day = c.published + dt.timedelta(days=r.randint(1, 4))
        weekday = WEEKDAYS[c.published.weekday()]
        reporter = r.choice(self.world.reporters[pub])
        title = r.choice((
            f"{c.town} officers sacked as watchdog condemns ‘disgraceful’ messages",
            f"{words(f.dismissed).capitalize()} {c.town} officers dismissed after {c.operation}",
            f"Watchdog finds {c.findings[0]} and {c.findings[1]} among {c.town} police officers",
        ))
        standfirst = f"Police watchdog makes {f.recommendations} recommendations to {fo.short} after its {c.operation} inquiry"
        core = [
            f"Officers at {c.station} shared messages that showed {and_list(c.findings[:3])} and brushed them off as jokes, according to a watchdog report "
            f"that has led to {words(f.dismissed)} of them losing their jobs.",
            f"The {b.name} ({b.abbr}) published its learning report from {c.operation} on {weekday}. It makes {f.recommendations} recommendations to "
            f"{fo.name}, including that the force should {c.recs[0]}.",
            f"The {b.abbr} began {c.operation} in {month_year(f.began)}, after a referral claimed that {c.trigger}.",
            " ".join(outcome_sentences(c, f, r, we=False)),
            f"{d.name}, the {b.abbr}’s regional director for {fo.region}, said: “{r.choice(c.dq)}”",
            f"{fo.chief_title} {fo.chief.name} said in a statement: “{r.choice(c.fq)}”",
        ]
        optional = [
            f"Other recommendations cover how the force should {c.recs[1]} and {c.recs[2]}.",
            f"Investigators read through {c.messages} messages. The report found {findings_phrase(c, r)}, and it describes officers who were too frightened of being frozen out to complain.",
            f"“{r.choice(c.dq)[:-1]},” {d.honorific} said.",
            f"A {fo.short} spokesperson said the teams had been disbanded. “{r.choice(c.fq)[:-1]},” the spokesperson said.",
            self.campaigner(),
            self.pcc(),
            self.lawyer(),
            f"The {b.abbr} will publish the force’s response to the recommendations.",
        ]
        return title, standfirst, core, optional, reporter, day

    def news(self) -> tuple[str, str]:
        pub, host, genre = self.rng.choice(NEWS)
        title, standfirst, core, optional, reporter, day = self._news_paras(pub)
        head = [title, standfirst, f"By {reporter.name}, Crime Reporter", long_date(day)]
        optional += self.details(we=False)
        paras = self.fit(head, core, optional, [])
        self.meta = dict(publisher=pub, published=day.isoformat(), title=title, genre=genre,
                         url=f"https://{host}/news/{day.year}/{slug(title)[:60]}")
        return "\n\n".join(paras), ".txt"

    def html(self) -> tuple[str, str]:
        from html import escape

        pub, host, genre = self.rng.choice(NEWS)
        title, standfirst, core, optional, reporter, day = self._news_paras(pub)
        head = [title, standfirst, f"By {reporter.name}, Crime Reporter · {long_date(day)}"]
        optional += self.details(we=False)
        paras = self.fit(head, core, optional, [])
        body = "\n".join(f"        <p>{escape(p, quote=False)}</p>" for p in paras[3:])
        related = "\n".join(
            f'        <li><a href="/news/{i}">{escape(t, quote=False)}</a></li>'
            for i, t in enumerate((
                f"{self.c.town} council approves late-night licensing changes",
                "Opinion: the watchdog’s report must be a turning point",
                f"Roadworks to close {self.rng.choice(STREETS)} for three weeks",
            ))
        )
        page = f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>{escape(title, quote=False)} | {escape(pub, quote=False)}</title>
  <style>body {{ font-family: Georgia, serif; }} .related h2::before {{ content: "More"; }}</style>
</head>
<body>
  <header class="site-header">
    <a class="logo" href="/">{escape(pub, quote=False)}</a>
    <nav class="main-nav"><ul><li><a href="/news/">News</a></li><li><a href="/crime/">Crime</a></li><li><a href="/sport/">Sport</a></li></ul></nav>
  </header>
  <main>
    <article class="story">
      <header class="story-header">
        <h1>{escape(title, quote=False)}</h1>
        <p class="standfirst">{escape(standfirst, quote=False)}</p>
        <p class="byline">By {escape(reporter.name, quote=False)}, Crime Reporter &middot; <time datetime="{day.isoformat()}">{long_date(day)}</time></p>
      </header>
{body}
      <div class="share-bar"><span>Share this story</span> <a href="https://{host}/share">Email</a></div>
    </article>
  </main>
  <aside class="related">
    <h2>Related stories</h2>
    <ul>
{related}
    </ul>
  </aside>
  <footer class="site-footer"><p>&copy; {day.year} {escape(pub, quote=False)} Ltd. All rights reserved.</p></footer>
  <script>window.dataLayer = [{{"section": "crime"}}];</script>
</body>
</html>
"""
        self.meta = dict(publisher=pub, published=day.isoformat(), title=title, genre=genre,
                         url=f"https://{host}/news/{day.year}/{slug(title)[:60]}")
        return page, ".html"

    def feature(self) -> tuple[str, str]:
        c, f, r = self.c, self.f, self.rng
        b, fo, d = c.body, c.force, c.director
        pub, short, host = r.choice(FEATURES)
        month = c.published + dt.timedelta(days=r.randint(3, 20))
        q1, q2, q3, q4, q5 = r.sample(c.dq, 5)
        title = r.choice((
            f"Inside {c.operation}: what the watchdog found at {c.station}",
            f"‘It was a cover for bullying’: the messages that brought down {c.town}’s officers",
            f"{c.town}’s police scandal is not about a few bad apples",
        ))
        head = [
            title,
            f"‘{q1[:-1]},’ the {b.abbr}’s regional director for {fo.region} tells {short}",
        ]
        core = [
            f"A new report from the {b.name} ({b.abbr}) delves into the behaviour that went unchecked inside {fo.name} for years. "
            f"Revolving around {c.platform} groups and other messages sent between officers, the report presents findings from an investigation – "
            f"dubbed {c.operation} – that began in {f.began[0]}, sparked by an allegation that {c.trigger}.",
            f"“Once our independent investigation started, we discovered that there were concerns about the culture within the team,” the {b.abbr}’s "
            f"regional director for {fo.region}, {d.name}, tells {short}. “What we uncovered was {findings_phrase(c, r)}.”",
            f"Of the {f.investigated} police officers that were investigated, {words(f.dismissed)} were dismissed for gross misconduct, and a further "
            f"{words(f.meetings + f.management)} faced a range of other disciplinary processes. “{comma(q2)}” {d.last} continues. “{q3}”",
            f"Nevertheless, {d.last} says: “{q4}”",
            f"In an effort to combat the misconduct the {b.abbr} uncovered, the organisation also includes {f.recommendations} recommendations in its report. "
            f"Among them, the {b.abbr} recommends that the force should {c.recs[0]}.",
            f"“The challenge for {fo.short} is what it does next, and its response to our recommendations,” {d.he} adds. “{q5}”",
        ]
        optional = [
            f"In the wake of the report, {fo.chief_title.lower()} {fo.chief.name} issued a statement, saying: “{r.choice(c.fq)}” "
            f"Unsurprisingly, the statement has reminded many critics of earlier apologies that changed little.",
            f"The content of the report is disturbing, to say the least. Messages sent between officers, primarily based at {c.station}, "
            f"show {and_list(c.findings[1:])}. A vast majority of this behaviour was dismissed, the report goes on, as “banter”.",
            f"One of the {c.platform} groups had {c.group_size} members but, as {d.last} adds: “None of them spoke out.”",
            "“There could be a range of reasons why that is the case, whether they did not feel safe to do so, or whether they agreed.\n\n"
            "“But whatever the reason, the fact remains that nobody spoke out, and how can that be right?”",
            f"The {b.abbr} report recommends that the force should {c.recs[1]}. But, once more, you would have liked to think that this was already in place.",
            f"Speaking to {short} about what the report means for {c.town}, {c.campaigner.name} of the {c.group[0]} is blunt. "
            f"“{comma(r.choice(c.cq))}” {c.campaigner.he} says.",
            f"“{q1}” – {d.name}",
            f"Will publishing this report repair the relationship between {c.town} and its police? {d.last} is cautious. "
            f"“It is important that we surface the issues,” {d.he} says. “If we do not shine a light on it, how can the problem be addressed?”",
        ]
        optional += self.details(we=False)
        paras = self.fit(head, core, optional, [])
        self.meta = dict(publisher=pub, published=f"{month.year}-{month.month:02d}", title=title,
                         genre="news feature with interview",
                         url=f"https://{host}/politics/article/{r.randint(10000, 99999)}/{slug(title)[:60]}")
        return "\n\n".join(paras), ".txt"

    def explainer(self) -> tuple[str, str]:
        c, f, r = self.c, self.f, self.rng
        b, fo, d = c.body, c.force, c.director
        pub, host = r.choice(EXPLAINERS)
        day = c.published + dt.timedelta(days=r.randint(5, 14))
        reporter = r.choice(self.world.reporters[pub])
        title = f"What did {c.operation} find? The {c.town} investigation explained"
        concluded_rel = (f"last {MONTHS[f.concluded[1] - 1]}" if f.concluded[0] == day.year - 1 and f.concluded[1] > day.month
                         else f"in {month_year(f.concluded)}")
        head = [title, f"By {reporter.name}\n{long_date(day)}",
                f"A watchdog report on officers at {c.station} has put the culture of {fo.name} under fresh scrutiny. Here is what we know."]
        core = [
            f"What was {c.operation}?",
            f"It is the name the {b.name} ({b.abbr}) gave to {words(f.investigations)} linked investigations into officers of {fo.name}. "
            f"Most of the officers worked in {c.unit} in {c.town}, and were based at {c.station}.",
            f"The {b.abbr} began {c.operation} in {month_year(f.began)}. It started with a conduct referral: it was alleged that {c.trigger}.",
            "What did it find?",
            f"Investigators went through {c.messages} messages, many of them sent on {c.platform}. The {b.abbr} found {findings_phrase(c, r)}. "
            f"Officers defended the messages as ‘banter’.",
            f"{d.name}, the {b.abbr}’s regional director for {fo.region}, said the officers’ behaviour was ‘{r.choice(('disgraceful', 'shameful', 'indefensible'))}’.",
            "What happened to the officers?",
            f"{cap(words(f.investigated))} officers were told that they were under investigation. "
            + " ".join(outcome_sentences(c, f, r, we=False)[1:]) + f" The disciplinary proceedings concluded {concluded_rel}.",
            f"What does the {b.abbr} want {fo.short} to do?",
            f"It made {f.recommendations} recommendations. The force should {c.recs[0]}, and it should {c.recs[1]}.",
        ]
        optional = [
            f"How has {fo.short} responded?",
            f"The {b.abbr} published its learning report on {c.published.day} {MONTHS[c.published.month - 1]}. {fo.chief_title} {fo.chief.name} said "
            f"{fo.chief.he} was ‘deeply sorry’ to everyone the officers had failed.",
            "Who else has commented?",
            f"{c.campaigner.name} of the {c.group[0]} said the report was ‘the tip of the iceberg’.",
            "What happens next?",
            f"{d.last} argues that the public must see the problem in full. ‘{r.choice(c.dq)[:-1]},’ {d.he} said.",
            f"The {b.abbr} will publish {fo.short}’s response to the recommendations.",
        ]
        optional += self.details(we=False)
        paras = self.fit(head, core, optional, [])
        self.meta = dict(publisher=pub, published=day.isoformat(), title=title, genre="explainer",
                         url=f"https://{host}/explainers/{day.year}/{day.month:02d}/{slug(title)[:60]}")
        return "\n\n".join(paras), ".txt"

    def force_release(self) -> tuple[str, str]:
        c, f, r = self.c, self.f, self.rng
        b, fo, d = c.body, c.force, c.director
        day = c.published + dt.timedelta(days=r.randint(28, 60))
        lead = fo.standards_lead
        title = f"{fo.short} accepts all {b.abbr} recommendations made after {c.operation}"
        head = [f"{fo.name} ({fo.abbr})", f"News | {long_date(day)}", title]
        core = [
            f"We have today accepted in full the {f.recommendations} recommendations made to us by the {b.name} ({b.abbr}) following its {c.operation} investigations.",
            f"The {b.abbr}’s learning report, published on {c.published.day} {MONTHS[c.published.month - 1]}, described {findings_phrase(c, r)} among officers who worked in "
            f"{c.unit} in {c.town}, most of them based at {c.station}. {cap(words(f.dismissed))} officers were dismissed for gross misconduct, and others attended "
            f"misconduct meetings or received management action.",
            f"Assistant Chief Constable {lead.name}, who leads our work on professional standards, said:",
            f"“What the {b.abbr}’s report set out was shameful. It let down the colleagues who had to work alongside that behaviour, and it let down the people we serve.",
            "“I want to thank the officers and staff who came forward. They knew it could make their working lives harder, and without them none of this would have come to light.",
            "“Accepting these recommendations is the start of the work, not the end of it. We will report publicly on our progress.”",
            "In response to the recommendations we will:",
            "\n".join(f"- {rec};" for rec in c.recs[:3]) + f"\n- {c.recs[3]}.",
        ]
        optional = [
            f"When the report was published, {b.abbr} Regional Director {d.name} said that while the force had taken steps, more was required. We agree.",
            f"{fo.chief_title} {fo.chief.name} said: “{r.choice(c.fq)}”",
            f"The police and crime commissioner for {fo.county}, {fo.pcc.name}, has asked for a progress report every six months.",
            "ENDS",
        ]
        tail = [
            "Notes to editors",
            f"1. The {b.abbr} began {c.operation} in {month_year(f.began)} following a conduct referral. It grew into {words(f.investigations)} linked "
            f"investigations, and {f.investigated} officers were investigated.",
            f"2. The {b.abbr} published its learning report and recommendations on {long_date(c.published)}.",
            "3. For further information contact the press office.",
        ]
        optional += self.details(we=False)
        paras = self.fit(head, core, optional, tail)
        self.meta = dict(publisher=f"{fo.name} ({fo.abbr})", published=day.isoformat(), title=title, genre="press release",
                         url=f"https://news.{slug(fo.abbr)}.example/news/{slug(title)[:60]}")
        return "\n\n".join(paras), ".txt"


STYLES = (
    ("press_release", 0.17),
    ("wire", 0.18),
    ("news", 0.20),
    ("html", 0.08),
    ("feature", 0.17),
    ("explainer", 0.12),
    ("force_release", 0.08),
)


def pick_style(rng: Random) -> str:
    x = rng.random()
    acc = 0.0
    for name, p in STYLES:
        acc += p
        if x < acc:
            return name
    return STYLES[-1][0]


def toml_string(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def generate(n: int, seed: int = 0, n_cases: int | None = None) -> list[tuple[str, str, str]]:
    """``(stem, document, sidecar)`` of ``n`` articles."""
    n_cases = n_cases or max(1, min(200, n // 5))
    world = make_world(seed, n_cases)
    out = []
    for i in range(n):
        rng = Random(f"kg-bench-article:{seed}:{i}")
        case = world.cases[i % n_cases] if i < n_cases else world.cases[rng.randrange(n_cases)]
        case.articles += 1
        style = pick_style(rng)
        w = Writer(case, rng, world)
        text, suffix = getattr(w, style)()
        meta = w.meta
        stem = f"{i:05d}-{slug(meta['publisher'].split(' (')[0])[:24]}-{meta['published']}-{slug(case.operation)}"
        sidecar = (
            f"# Synthetic benchmark article {i} (benchmarks/generate.py, seed {seed}): invented, not news.\n"
            f"file = {toml_string(stem + suffix)}\n"
            f"title = {toml_string(meta['title'])}\n"
            f"publisher = {toml_string(meta['publisher'])}\n"
            f"url = {toml_string(meta['url'])}\n"
            f"published = {toml_string(meta['published'])}\n"
            f"genre = {toml_string(meta['genre'])}\n"
        )
        if not text.endswith("\n"):
            text += "\n"
        out.append((stem + suffix, text, sidecar))
    return out


def write(n: int, out_dir: Path, seed: int = 0, n_cases: int | None = None) -> int:
    """Write the corpus; return the number of words (``str.split`` of the article texts)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    total = 0
    for name, text, sidecar in generate(n, seed, n_cases):
        path = out_dir / name
        path.write_bytes(text.encode("utf-8"))
        path.with_suffix(".toml").write_bytes(sidecar.encode("utf-8"))
        total += word_count(text)
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("out", type=Path, help="the sources folder to write")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cases", type=int, default=None, help="number of cases [N // 5, at most 200]")
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    total = write(args.n, args.out, args.seed, args.cases)
    print(f"Wrote {args.n} articles ({total:,} words) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
