"""English for the fact sheets: numbers, plurals, agreement, articles and lists.

The grammar is ``inflect``'s (plurals, singulars, "a"/"an", lists, number words); what it does not
know, the definite article before a name and the preposition before a place, follows the
vocabulary of ``ontology/`` (the words that end names of organisations and places) and a few
general rules of English, none about any one case:

- a person's name never takes an article; a name that already starts with "the" takes none;
- an organisation takes "the" when one of its words is a word that ends organisation names
  ("Office", "Service", "Council": "the Independent Office for Police Conduct"), a place when it is
  a short acronym ("the UK");
- any other name takes "the" when it is a description rather than a proper name: it starts or ends
  with a lower-case word ("the IOPC learning report", "the formal review by …") or names something
  "of" something ("the Code of Ethics").

Numbers from zero to nine are written as words, larger ones as figures (the common newspaper
style: "two officers", "14 officers").
"""

from __future__ import annotations

import difflib
import re
import sys
import types
from collections.abc import Sequence
from functools import cache
from typing import Any

from . import ids

PERSON = ids.PREFIXES["schema"] + "Person"
ORGANIZATION = ids.PREFIXES["schema"] + "Organization"
PLACE = ids.PREFIXES["schema"] + "Place"
#: Names of these kinds are clauses, words quoted from a source or vocabulary labels: never an article.
NO_ARTICLE = frozenset(
    ids.expand(c)
    for c in (
        "schema:Event", "schema:Quotation", "kg:Role", "kg:Recommendation", "kg:Finding", "kg:DisciplinaryOutcome",
    )
)
#: Place words after which a place is "at" (a building or a street), not "in" (an area).
_AT_PLACES = frozenset({"station", "street", "road", "square", "lane", "avenue", "prison", "estate", "park"})
_PREPOSITIONS = re.compile(r"\s+(?:of|for|in|on|at|by|with|from|to|against|about|between)\s+", re.IGNORECASE)


@cache
def engine() -> Any:
    """The ``inflect`` engine, made once per process."""
    return _inflect().engine()


def _inflect() -> Any:
    """``inflect``, imported with ``typeguard``'s ``@typechecked`` as the identity.

    inflect 7 checks its arguments with typeguard, which instruments every decorated function when
    the module is imported: 1.4 s here, on every command that writes prose (jaraco/inflect#212,
    open). kg passes inflect the types it declares, so the checks are left out: while inflect is
    imported, ``typeguard`` is a stand-in whose decorator returns the function as it is.
    """
    if "inflect" in sys.modules:
        return sys.modules["inflect"]
    saved = sys.modules.get("typeguard")
    stand_in = types.ModuleType("typeguard")

    def typechecked(target: Any = None, **_options: Any) -> Any:
        return target if target is not None else (lambda f: f)

    stand_in.typechecked = typechecked  # type: ignore[attr-defined]
    sys.modules["typeguard"] = stand_in
    try:
        import inflect
    finally:
        if saved is not None:
            sys.modules["typeguard"] = saved
        else:
            del sys.modules["typeguard"]
    return inflect


def number(n: int) -> str:
    """``n`` as a word from zero to nine, else in figures."""
    return str(engine().number_to_words(str(n))) if 0 <= n <= 9 else f"{n:,}" if n >= 10_000 else str(n)


def count(n: int, noun: str) -> str:
    """"one officer", "two officers", "14 linked investigations"."""
    return f"{number(n)} {noun if n == 1 else plural(noun)}"


def plural(noun: str) -> str:
    """The plural of a noun phrase (its last word inflected: "linked investigation" → "linked investigations")."""
    return str(engine().plural_noun(noun))


def head(phrase: str) -> str:
    """The head word of a noun phrase: its last word before a preposition ("use" in "use of social media")."""
    first = _PREPOSITIONS.split(phrase.strip(), maxsplit=1)[0]
    words = re.findall(r"[\w’'-]+", first)
    return words[-1] if words else phrase


def is_plural(phrase: str) -> bool:
    """Whether a noun phrase is plural ("offensive messages") rather than singular or uncountable ("bullying")."""
    word = head(phrase)
    singular = engine().singular_noun(word.lower())
    return bool(singular) and singular != word.lower()


def be(phrase: str, tense: str = "past") -> str:
    """"was"/"were" (or "is"/"are") agreeing with ``phrase``."""
    plural_ = is_plural(phrase)
    if tense == "past":
        return "were" if plural_ else "was"
    return "are" if plural_ else "is"


def verb(phrase: str, singular_form: str) -> str:
    """A present-tense verb agreeing with ``phrase``: "concerns" or "concern"."""
    return str(engine().plural_verb(singular_form)) if is_plural(phrase) else singular_form


def a(phrase: str) -> str:
    """The phrase with its indefinite article: "a misconduct meeting", "an officer"."""
    return str(engine().a(phrase))


def separators(n: int, conj: str = "and") -> list[str]:
    """What goes between ``n`` listed items, as ``inflect`` joins them ("A, B and C": ``["", ", ", " and "]``)."""
    if n <= 0:
        return []
    marks = [f"\x00{i}\x00" for i in range(n)]
    joined = str(engine().join(marks, final_sep="", conj=conj))
    out: list[str] = []
    pos = 0
    for m in marks:
        i = joined.index(m, pos)
        out.append(joined[pos:i])
        pos = i + len(m)
    return out


def join(items: Sequence[str], conj: str = "and") -> str:
    """"A", "A and B", "A, B and C" (no serial comma)."""
    return "".join(sep + item for sep, item in zip(separators(len(items), conj), items, strict=True))


@cache
def _heads(type_iri: str) -> frozenset[str]:
    from .vocab import vocabulary

    return frozenset(vocabulary().heads.get(ids.compact(type_iri), ()))


def article(label: str, type_iri: str) -> str:
    """The definite article a name takes in running text ("the " or "")."""
    words = label.split()
    if not words or type_iri in NO_ARTICLE or type_iri == PERSON or words[0].lower() == "the":
        return ""
    if type_iri == ORGANIZATION:
        heads = _heads(ORGANIZATION)
        return "the " if len(words) > 1 and any(w.strip(",.’'") in heads for w in words) else ""
    if type_iri == PLACE:
        return "the " if len(words) == 1 and re.fullmatch(r"[A-Z]{2,3}", words[0]) else ""
    if words[0][:1].islower() or (words[-1][:1].islower() and len(words) > 1) or " of " in label:
        return "the "
    return ""


def place_preposition(label: str) -> str:
    """"at" for a building or a street ("at Riverton Police Station"), "in" for an area ("in Riverton")."""
    words = label.split()
    return "at" if words and words[-1].lower() in _AT_PLACES else "in"


def base_verb(event_type: str, past: str) -> str | None:
    """The base form of the verb of a kind of event ("publish" for ``etype:published``, labelled
    "published"): of the verbs that signal it in text (its ``kg:trigger``s), the one closest in
    spelling to its label's verb ("began" → "begin", "wrote to" → "write")."""
    from .vocab import vocabulary

    triggers = vocabulary().events.get(ids.compact(event_type), ())
    if not triggers or not past.split():
        return None
    said = past.split()[0].lower()
    return max(triggers, key=lambda t: (difflib.SequenceMatcher(None, said, t.split()[0]).ratio(), -triggers.index(t)))
