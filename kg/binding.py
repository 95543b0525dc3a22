"""Substituting RDF terms for query variables, in the query itself (SEP-0007, done on its tokens).

Oxigraph accepts ``substitutions`` for a query, but joins them with the result of the whole
query rather than using them to evaluate it: "everything about one entity" then reads every
citation in the store before keeping the few about that entity.  A query in which the entity's
IRI stands where the variable was is answered from the indexes instead (measured on a 1,000-article
store: 20 s against 0.01 s).  So kg substitutes the terms into the query's tokens:

- every occurrence of the variable becomes the term, written by pyoxigraph (``<iri>``, or a
  literal with its quotes escaped): one token, which no value can break out of, because the
  term was built and checked as an RDF term before it was written;
- in the projection, ``?x`` becomes ``(TERM AS ?x)``, so the results still have the column;
- a bare ``?x`` in ``ORDER BY`` is left alone (the projection gives it its value).

Where the variable is used in a way a term cannot take (``BIND (… AS ?x)``, ``VALUES ?x``,
``BOUND(?x)``, ``GROUP BY ?x``, ``SELECT *``, a sub-query that does not project it), or the
value is a blank node, :func:`inline` returns ``None`` and the caller binds it with Oxigraph's
substitutions, which give the same rows, only later.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

_TOKEN = re.compile(
    r'''(?P<ws>\s+)
      | (?P<comment>\#[^\n]*)
      | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
                  |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
      | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][\w.\-]*)?:(?:[\w\-:%.\u00C0-\uFFFF]|\\.)*)
      | (?P<word>[A-Za-z_]\w*)
      | (?P<other>.)''',
    re.VERBOSE | re.DOTALL,
)
_ABSOLUTE = re.compile(r"<[A-Za-z][A-Za-z0-9+.\-]*:")
#: Characters next to which a term needs no space ("?a<?x" must not become "?a<<iri>").
_SAFE = frozenset("(){}[],;. \t\r\n")
#: Clause keywords that end a ``GROUP BY`` or ``ORDER BY`` clause.
_AFTER_MODIFIER = frozenset({"HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES", "GROUP"})


@dataclass
class _Tok:
    kind: str
    text: str

    @property
    def keyword(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


def tokens(text: str) -> Iterator[_Tok]:
    """The query's tokens, white space and comments included (so joining them gives the text)."""
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        value = m.group(0)
        if kind == "pname" and value.endswith(".") and len(value) > 1:
            # a prefixed name never ends with a dot: "kg:Finding." is the name, then the dot
            stripped = value.rstrip(".")
            yield _Tok(kind, stripped)
            yield from (_Tok("other", ".") for _ in range(len(value) - len(stripped)))
            continue
        yield _Tok(kind, value)


def _name(tok: _Tok) -> str:
    return tok.text[1:]


def inline(text: str, values: Mapping[str, ox.NamedNode | ox.Literal | ox.BlankNode | ox.Triple]) -> str | None:
    """``text`` with each variable of ``values`` replaced by its term, or ``None`` where that
    cannot be done faithfully (see the module documentation)."""
    if not values:
        return text
    if any(not isinstance(v, ox.NamedNode | ox.Literal) for v in values.values()):
        return None
    toks = list(tokens(text))
    significant = [i for i, t in enumerate(toks) if t.kind not in ("ws", "comment")]
    names = set(values)
    if any(t.kind == "iri" and not _ABSOLUTE.match(t.text) and any(f"?{n}" in t.text or f"${n}" in t.text for n in names)
           for t in toks):
        return None  # "<?x&&?y>" may be two comparisons the lexer cannot tell from a relative IRI

    # the SELECT clauses: where each projection is, what it projects, and the scope of each sub-query
    projection: dict[int, int] = {}  # token index -> paren depth within its SELECT clause
    scopes: list[tuple[int, int, set[str], bool]] = []  # (start, end, projected, star) of each sub-query
    open_at: list[int] = []  # token index of each open "{"
    i = 0
    while i < len(significant):
        k = significant[i]
        tok = toks[k]
        if tok.text == "{":
            open_at.append(k)
        elif tok.text == "}":
            if open_at:
                open_at.pop()
        elif tok.keyword == "SELECT":
            projected: set[str] = set()
            star = False
            paren = 0
            j = i + 1
            while j < len(significant):
                t = toks[significant[j]]
                if paren == 0 and (t.text == "{" or t.keyword in ("WHERE", "FROM")):
                    break
                if t.text == "(":
                    paren += 1
                elif t.text == ")":
                    paren -= 1
                elif t.text == "*" and paren == 0:
                    star = True
                elif t.kind == "var":
                    projection[significant[j]] = paren
                    if paren == 0 or toks[significant[j - 1]].keyword == "AS":
                        projected.add(_name(t))
                j += 1
            if star and names & _variables(toks):
                return None
            if open_at:  # a sub-query: its scope is the group that holds it
                start = open_at[-1]
                end = _closing(toks, start)
                scopes.append((start, end, projected, star))
            i = j
            continue
        i += 1

    out: list[str] = []
    clause = ""  # "group", "order", "values" while inside such a clause
    paren = 0
    prev: list[str] = []  # the last significant tokens, upper-cased
    for k, tok in enumerate(toks):
        if tok.kind in ("ws", "comment"):
            out.append(tok.text)
            continue
        word = tok.keyword
        if word == "BY" and prev[-1:] in (["GROUP"], ["ORDER"]):
            clause, paren = prev[-1].lower(), 0
        elif word == "VALUES":
            clause = "values"
        elif _ends(clause, word, tok.text):
            clause = ""
        if clause in ("group", "order"):
            paren += tok.text == "("
            paren -= tok.text == ")"
        if tok.kind == "var" and _name(tok) in names:
            name = _name(tok)
            term = str(values[name])
            for start, end, projected, _star in scopes:
                if start < k < end and name not in projected:
                    return None  # a sub-query's own variable of the same name
            if prev[-1:] == ["AS"] or clause in ("values", "group") or prev[-2:] == ["BOUND", "("]:
                return None
            if k in projection and projection[k] == 0:
                out.append(f"({term} AS {tok.text})")
            elif clause == "order" and paren == 0 and k not in projection:
                out.append(tok.text)
            else:
                before = out[-1][-1:] if out else " "
                after = toks[k + 1].text[:1] if k + 1 < len(toks) else " "
                out.append(("" if before in _SAFE else " ") + term + ("" if after in _SAFE else " "))
        else:
            out.append(tok.text)
        prev = [*prev[-1:], word or tok.text]
    return "".join(out)


def _ends(clause: str, word: str, text: str) -> bool:
    """Whether this token ends the clause: a VALUES variable list at its "{", GROUP BY or ORDER
    BY at the next clause or group."""
    if clause == "values":
        return text == "{"
    return clause in ("group", "order") and (word in _AFTER_MODIFIER or text in ("{", "}"))


def _variables(toks: list[_Tok]) -> set[str]:
    return {_name(t) for t in toks if t.kind == "var"}


def _closing(toks: list[_Tok], start: int) -> int:
    depth = 0
    for k in range(start, len(toks)):
        if toks[k].text == "{":
            depth += 1
        elif toks[k].text == "}":
            depth -= 1
            if depth == 0:
                return k
    return len(toks)
