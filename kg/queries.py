"""Named SPARQL queries: find them, bind their parameters as RDF terms, run them read-only, format rows.

A query is a ``.rq`` file: its first line is a ``#`` comment that describes it, it carries its
own ``PREFIX`` lines, and it declares its parameters in comments::

    # Everything cited about one entity: …
    # param: entity entity — the entity: its IRI, a CURIE or a name or alias
    PREFIX oa: <http://www.w3.org/ns/oa#>
    SELECT ?entity ?quote WHERE { … }

A parameter line is ``# param: NAME [KIND] — description``.  KIND says how a ``--param``
value becomes an RDF term:

- ``entity``: an IRI, a CURIE (``person:jane-roe``), or a name or alias of exactly one entity
  (its ``rdfs:label`` or a ``skos:altLabel``, compared without case);
- ``iri``: an IRI (``<…>`` or bare) or a CURIE; ``literal``: a plain string;
- ``integer``; ``date`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, typed ``xsd:gYear``,
  ``xsd:gYearMonth`` or ``xsd:date``);
- ``term`` (the default, and the kind of every parameter of an ad-hoc query): ``<iri>``, a CURIE,
  an absolute IRI, an N-Triples literal (``"text"@en``, ``"5"^^xsd:integer``), a whole number,
  or else a plain string.

Values are bound as RDF terms (SEP-0007 substitution): a value is first made an RDF term and
checked as one, then stands in the query wherever its variable was (:mod:`kg.binding`, which
lets Oxigraph use its indexes for it), or, where a term cannot stand, is passed as Oxigraph's
substitution.  A value is never pasted into the query text as text, so no value can change what
a query does.  A parameter must be a variable of the ``SELECT`` clause (``SELECT *`` selects
every variable).

Queries run on the built store opened read-only.  The default graph is the corpus view: the
sources and what they say, each fact once (every entity's type, label and aliases, every
statement); the citations are in each source's named graph, reached with ``GRAPH ?g { … }``.
Updates are refused before they reach the store, and so is ``SERVICE`` (a query of the built store
never reaches the network) unless its endpoint is one the caller allowed (``kg query --service``);
whatever way the service IRI arrives (in the text, through a ``PREFIX`` or ``BASE``, from a
parameter or a variable), the check is made on the text Oxigraph is given.

This module is on the start-up path of ``kg query``: it imports only pyoxigraph and kg's
light modules (never rdflib, spaCy or the extraction).
"""

from __future__ import annotations

import contextlib
import csv
import difflib
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from . import binding, formats, ids, lookup
from .dataset import open_store
from .errors import KGError, OutputError, QueryError
from .lookup import Named, as_iri, store_describer
from .project import Project
from .resources import queries_dir
from .text import normalize_name

#: Output formats of ``kg query``: ``json``, ``csv`` and ``tsv`` are the SPARQL 1.1 result formats.
FORMATS = formats.QUERY_FORMATS
#: How a parameter value becomes an RDF term (see the module documentation).
PARAM_KINDS = ("entity", "iri", "literal", "integer", "date", "term")

QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"})
UPDATE_FORMS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
XSD = ids.PREFIXES["xsd"]
_XSD_STRING = XSD + "string"
_RDF_LANG_STRING = ids.PREFIXES["rdf"] + "langString"

_PARAM_LINE = re.compile(
    r"^\s*#\s*param:\s*\??(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:\s+(?P<kind>[a-z]+))?\s*(?:—|–|--|-|:)\s*(?P<text>.*?)\s*$"
)
_PARAM_START = re.compile(r"\s*#\s*param:")
_PROLOGUE = re.compile(
    r"""\s+ | \#[^\n]*
      | (?i:BASE)\s*<[^>\s]*>
      | (?i:PREFIX)\s+[A-Za-z0-9_.\-]*:\s*<[^>\s]*>""",
    re.VERBOSE,
)
_WORD = re.compile(r"[A-Za-z]+")
_POSITION = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.DOTALL)
_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


# --- queries and their parameters -------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    name: str
    kind: str
    description: str


@dataclass(frozen=True)
class Query:
    """A SPARQL query with its description and declared parameters."""

    name: str
    text: str
    description: str = ""
    params: tuple[Param, ...] = ()
    #: where it came from, for messages: ``queries/quotes.rq``, a file path, or "the -e query"
    origin: str = "the query"

    @property
    def declared(self) -> bool:
        return bool(self.params)

    def param(self, name: str) -> Param | None:
        for p in self.params:
            if p.name == name:
                return p
        return None


def parse(text: str, name: str = "query", origin: str = "the query") -> Query:
    """A :class:`Query` from SPARQL text: the first-line description and the ``# param:`` lines."""
    lines = text.splitlines()
    first = next((line.strip() for line in lines if line.strip()), "")
    description = first.lstrip("#").strip() if first.startswith("#") and not _PARAM_LINE.match(first) else ""
    params: list[Param] = []
    for number, line in enumerate(lines, 1):
        if not _PARAM_START.match(line):
            continue
        m = _PARAM_LINE.match(line)
        if not m:
            raise QueryError(
                "a parameter declaration is malformed",
                f"line {number} of {origin}",
                "write it as `# param: NAME [KIND] — description`",
            )
        kind = m.group("kind") or "term"
        if kind not in PARAM_KINDS:
            raise QueryError(
                f"unknown parameter kind {kind!r}",
                f"line {number} of {origin}",
                f"use one of {', '.join(PARAM_KINDS)}",
            )
        if any(p.name == m.group("name") for p in params):
            raise QueryError(f"parameter {m.group('name')!r} is declared twice", f"line {number} of {origin}")
        params.append(Param(m.group("name"), kind, m.group("text")))
    return Query(name, text, description, tuple(params), origin)


def _read(path: Path, origin: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise QueryError("the query file is not UTF-8 text", f"byte {exc.start} of {origin}", "save it as UTF-8") from exc
    except OSError as exc:
        raise QueryError(f"cannot read the query file ({exc.strerror or exc})", f"at {origin}") from exc


def load_file(path: Path | str) -> Query:
    """The query in a ``.rq`` file (named after its stem)."""
    path = Path(path)
    return parse(_read(path, str(path)), path.stem, str(path))


def named(directory: Path | None = None) -> list[Query]:
    """Every named query (``queries/*.rq``), sorted by name."""
    folder = directory or queries_dir()
    if not folder.is_dir():
        return []
    return sorted((load_file_named(p) for p in folder.glob("*.rq")), key=lambda q: q.name)


def load_file_named(path: Path) -> Query:
    return parse(_read(path, f"queries/{path.name}"), path.stem, f"queries/{path.name}")


def find(spec: str, directory: Path | None = None) -> Query:
    """A named query (``quotes``) or a ``.rq`` file (``my/query.rq``)."""
    path = Path(spec)
    if spec.endswith(".rq") or "/" in spec or "\\" in spec:
        if not path.is_file():
            raise QueryError(
                "no such query file",
                f"at {spec}",
                "give the path of a .rq file, or the name of a named query (`kg queries` lists them)",
            )
        return load_file(path)
    folder = directory or queries_dir()
    if _NAME.fullmatch(spec) and (folder / f"{spec}.rq").is_file():
        return load_file_named(folder / f"{spec}.rq")
    names = [q.stem for q in sorted(folder.glob("*.rq"))] if folder.is_dir() else []
    close = difflib.get_close_matches(spec, names, n=3, cutoff=0.5)
    hint = f"did you mean {' or '.join(close)}? " if close else ""
    raise QueryError(f"no named query {spec!r}", f"in {folder}", f"{hint}`kg queries` lists them")


# --- read-only and syntax checks --------------------------------------------------------------


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def form(query: Query) -> str | None:
    """The query form (``SELECT``, ``ASK``, …) after the prologue; :class:`QueryError` for an update."""
    text, pos = query.text, 0
    while True:
        m = _PROLOGUE.match(text, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
    word = _WORD.match(text, pos)
    if not word:
        return None
    keyword = word.group(0).upper()
    if keyword in UPDATE_FORMS:
        line, col = _line_col(text, pos)
        raise QueryError(
            f"kg query is read-only and this is a SPARQL update ({keyword})",
            f"line {line}, column {col} of {query.origin}",
            "use SELECT, CONSTRUCT, DESCRIBE or ASK; the dataset changes only through `kg build`",
        )
    return keyword if keyword in QUERY_FORMS else None


def services(text: str) -> list[tuple[int, str | None]]:
    """Each ``SERVICE`` of a query: its offset and the IRI of the endpoint it calls (``None`` when a
    variable names it), with prefixed names, ``BASE`` and ``\\u`` escapes resolved as SPARQL does."""
    significant: list[tuple[int, binding._Tok]] = []
    pos = 0
    for tok in binding.tokens(text):
        if tok.kind not in ("ws", "comment"):
            significant.append((pos, tok))
        pos += len(tok.text)
    prefixes: dict[str, str] = {}
    base: str | None = None
    out: list[tuple[int, str | None]] = []
    for i, (offset, tok) in enumerate(significant):
        after = [t for _o, t in significant[i + 1 : i + 3]]
        if tok.keyword == "PREFIX" and len(after) == 2 and after[0].kind == "pname" and after[1].kind == "iri":
            prefixes[after[0].text[:-1]] = _resolve(_unescape(after[1].text[1:-1]), base)
        elif tok.keyword == "BASE" and after and after[0].kind == "iri":
            base = _resolve(_unescape(after[0].text[1:-1]), base)
        elif tok.keyword == "SERVICE":
            target = after[1] if after and after[0].keyword == "SILENT" and len(after) > 1 else (after[0] if after else None)
            iri: str | None = None
            if target is not None and target.kind == "iri":
                iri = _resolve(_unescape(target.text[1:-1]), base)
            elif target is not None and target.kind == "pname":
                prefix, _, local = target.text.partition(":")
                iri = prefixes[prefix] + local if prefix in prefixes else None
            out.append((offset, iri))
    return out


def _unescape(text: str) -> str:
    return re.sub(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})", lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def _resolve(iri: str, base: str | None) -> str:
    import urllib.parse

    return urllib.parse.urljoin(base, iri) if base and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", iri) else iri


def check_services(text: str, origin: str, allowed: Iterable[str] = ()) -> None:
    """Refuse a query whose ``SERVICE`` calls an endpoint not in ``allowed`` (a variable's is never
    known, so never allowed): a query of the built store must not make kg contact other hosts."""
    permitted = frozenset(allowed)
    for offset, iri in services(text):
        if iri is not None and iri in permitted:
            continue
        line, col = _line_col(text, offset)
        named = f"<{iri}>" if iri is not None else "an endpoint a variable names"
        raise QueryError(
            f"the query calls a remote service ({'SERVICE ' + named if iri else named}): kg query does not reach the "
            "network from the built store",
            f"line {line}, column {col} of {origin}",
            "remove the SERVICE clause, allow this endpoint with --service URL, or run the query on a server with --endpoint"
            if iri else "name the endpoint with an IRI and allow it with --service URL",
        )


def syntax_error(query: Query, exc: SyntaxError) -> QueryError:
    """A parse error from Oxigraph as a :class:`QueryError` naming the line and column."""
    message = " ".join(str(exc).split())
    m = _POSITION.search(message)
    if m:
        what = m.group(3)
        if "Prefix not found" in what:
            what = "a prefix that no PREFIX line declares"
        return QueryError(
            f"SPARQL syntax error: {formats.shorten(what, 100)}",
            f"line {m.group(1)}, column {m.group(2)} of {query.origin}",
            "fix the query (SPARQL 1.1)",
        )
    return QueryError(f"SPARQL syntax error: {formats.shorten(message, 100)}", f"in {query.origin}", "fix the query (SPARQL 1.1)")


# --- the store --------------------------------------------------------------------------------


# --- entities by name -------------------------------------------------------------------------

_ENTITY_NAMES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX kg: <https://kg.example/ns#>
SELECT ?entity ?how ?name WHERE {
  # an entity: something mentioned (the corpus view counts its mentions and sources)
  ?entity kg:mentionCount ?mentions ; kg:sourceCount ?sources .
  VALUES ?how { rdfs:label skos:altLabel }
  ?entity ?how ?name .
}
"""
_IS_ENTITY = """
PREFIX kg: <https://kg.example/ns#>
ASK { ?entity kg:mentionCount ?mentions ; kg:sourceCount ?sources . }
"""


_WITH_WORD = _ENTITY_NAMES.replace(
    "  ?entity ?how ?name .\n", "  ?entity ?how ?name .\n  FILTER (CONTAINS(LCASE(STR(?name)), ?word))\n"
)


def entity_names(store: ox.Store, word: str | None = None) -> list[tuple[str, str, str]]:
    """Every entity's names: ``(entity IRI, "label" | "alias", name)``, sorted; with ``word``
    (lower-case ASCII), only the names that contain it."""
    out = set()
    query = _ENTITY_NAMES
    if word:
        inlined = binding.inline(_WITH_WORD, {"word": ox.Literal(word)})
        assert inlined is not None
        query = inlined
    for row in store.query(query):  # type: ignore[union-attr]
        how = "label" if row["how"].value == ids.RDFS_LABEL else "alias"  # type: ignore[union-attr]
        out.add((row["entity"].value, how, row["name"].value))  # type: ignore[union-attr]
    return sorted(out)


def resolve_entity(
    store: ox.Store, text: str, *, error: type[KGError] = QueryError, where: str | None = None
) -> str:
    """The IRI of the one entity ``text`` names in the built store (:func:`kg.lookup.find`: its
    IRI, a compact IRI, its label or one of its aliases); ``error`` when none or several do."""
    describe = store_describer(store)
    iri = as_iri(text)
    if iri is not None:
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            raise error(f"{text!r} is not a valid IRI", where, "give an IRI, a CURIE or a name") from None
        ask = binding.inline(_IS_ENTITY, {"entity": node})
        assert ask is not None
        if store.query(ask):
            return iri
        return lookup.find(_named(entity_names(store)), text, describe=describe, error=error, where=where)
    key = normalize_name(text)
    # the names that share the key's longest plain word are the only ones that can match it
    words = sorted(re.findall(r"[a-z0-9]{2,}", key), key=len, reverse=True)
    names = entity_names(store, words[0] if words else None)
    if not any(normalize_name(n) == key for _e, _h, n in names):
        names = entity_names(store)  # nothing: every name, for the suggestions
    return lookup.find(_named(names), text, describe=describe, error=error, where=where)


def _named(names: list[tuple[str, str, str]]) -> list[Named]:
    labels: dict[str, str] = {}
    aliases: dict[str, list[str]] = {}
    for entity, how, name in names:
        if how == "label":
            labels.setdefault(entity, name)
        else:
            aliases.setdefault(entity, []).append(name)
    return [Named(e, labels.get(e, ids.compact(e)), tuple(aliases.get(e, ()))) for e in sorted({e for e, _h, _n in names})]


# --- parameter values -------------------------------------------------------------------------

_DATE_TYPES = (
    (re.compile(r"-?\d{4,}"), "gYear"),
    (re.compile(r"-?\d{4,}-\d{2}"), "gYearMonth"),
    (re.compile(r"-?\d{4,}-\d{2}-\d{2}"), "date"),
)


def _parse_term(value: str) -> Term:
    """An N-Triples term (``<iri>``, ``"lit"``, ``"lit"@en``, ``"lit"^^<dt>``) on its own."""
    line = f"<urn:kg:s> <urn:kg:p> {value} .\n"
    triples = list(ox.parse(line.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))
    if len(triples) != 1:
        raise ValueError("not one term")
    obj = triples[0].object
    if not isinstance(obj, ox.NamedNode | ox.Literal):
        raise ValueError("not an IRI or a literal")
    return obj


def term_of(value: str, kind: str) -> Term:
    """A parameter value as an RDF term of ``kind`` (not ``entity``: see :func:`bind`); ValueError if it is not one."""
    if kind == "literal":
        return ox.Literal(value)
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", value.strip()):
            raise ValueError("not a whole number")
        return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))
    if kind == "date":
        for pattern, datatype in _DATE_TYPES:
            if pattern.fullmatch(value.strip()):
                return ox.Literal(value.strip(), datatype=ox.NamedNode(XSD + datatype))
        raise ValueError("not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    if kind == "iri":
        iri = as_iri(value)
        if iri is None:
            raise ValueError("not an IRI or a CURIE with a known prefix")
        return ox.NamedNode(iri)
    # term
    stripped = value.strip()
    if stripped.startswith("<") or stripped.startswith('"'):
        if stripped.startswith('"') and '"^^' in stripped and not stripped.endswith(">"):
            lexical, _, datatype = stripped.rpartition("^^")
            iri = as_iri(datatype)
            if iri is None:
                raise ValueError(f"unknown datatype {datatype}")
            stripped = f"{lexical}^^<{iri}>"
        try:
            return _parse_term(stripped)
        except (SyntaxError, ValueError) as exc:
            raise ValueError(f"not an N-Triples term ({exc})") from None
    iri = as_iri(stripped)
    if iri is not None:
        return ox.NamedNode(iri)
    if re.fullmatch(r"[+-]?\d+", stripped):
        return ox.Literal(str(int(stripped)), datatype=ox.NamedNode(XSD + "integer"))
    return ox.Literal(value)


def bind(store: ox.Store, query: Query, values: Mapping[str, str]) -> dict[str, Term]:
    """``--param`` values as RDF terms for ``query``: checked against its declarations."""
    out: dict[str, Term] = {}
    given = {k.lstrip("?$"): v for k, v in values.items()}
    if query.declared:
        unknown = sorted(set(given) - {p.name for p in query.params})
        if unknown:
            raise QueryError(
                f"unknown parameter {', '.join(unknown)}",
                f"for {query.origin}",
                f"this query takes {', '.join(p.name for p in query.params)}",
            )
        missing = [p for p in query.params if p.name not in given]
        if missing:
            p = missing[0]
            raise QueryError(
                f"parameter {p.name} is missing ({p.description})",
                f"for {query.origin}",
                f"pass --param {p.name}=VALUE",
            )
    for name, value in given.items():
        param = query.param(name)
        kind = param.kind if param else "term"
        where = f"parameter {name} of {query.origin}"
        if kind == "entity":
            out[name] = ox.NamedNode(resolve_entity(store, value, error=QueryError, where=where))
            continue
        try:
            out[name] = term_of(value, kind)
        except ValueError as exc:
            raise QueryError(f"{value!r} is not a valid {kind} ({exc})", where) from None
    return out


# --- running ----------------------------------------------------------------------------------


@dataclass
class Result:
    """What a query returned: rows of terms (``None`` for unbound), or a boolean for ``ASK``."""

    form: str
    variables: tuple[str, ...]
    rows: list[tuple[Term | None, ...]]
    boolean: bool | None = None
    #: the query has more rows than were read (see ``limit`` of :func:`run`)
    more: bool = False


#: The most rows ``kg query`` shows as a table (the table's widths need every row it shows in
#: memory); csv, tsv and json stream every row.
TABLE_ROWS = 10_000


def run(
    store: ox.Store, query: Query, params: Mapping[str, str] | None = None, *,
    limit: int | None = None, services: Iterable[str] = (),
) -> Result:
    """Run ``query`` on ``store`` (its default graph is the corpus view; see the module doc).
    With ``limit``, read at most that many rows (``Result.more`` says whether there were more);
    ``services`` are the endpoints a ``SERVICE`` of the query may call on the built store."""
    kind = form(query)
    bound = bind(store, query, params or {})
    with _errors(query):
        result = _query(store, query, bound, services)
        if isinstance(result, ox.QueryBoolean):
            return Result("ASK", (), [], bool(result))
        rows: list[tuple[Term | None, ...]] = []
        if isinstance(result, ox.QueryTriples):
            for t in result:
                if limit is not None and len(rows) == limit:
                    return Result(kind or "CONSTRUCT", ("subject", "predicate", "object"), rows, more=True)
                rows.append((t.subject, t.predicate, t.object))
            return Result(kind or "CONSTRUCT", ("subject", "predicate", "object"), rows)
        variables = _selected(query, result, bound)
        for solution in result:
            if limit is not None and len(rows) == limit:
                return Result("SELECT", variables, rows, more=True)  # the rest is never evaluated
            rows.append(tuple(solution[i] for i in range(len(variables))))
        return Result("SELECT", variables, rows)


#: The SPARQL 1.1 result formats Oxigraph writes itself (CSV is written by kg: see :func:`csv_cell`).
NATIVE = {"json": ox.QueryResultsFormat.JSON, "tsv": ox.QueryResultsFormat.TSV}


def write(
    store: ox.Store, query: Query, params: Mapping[str, str] | None, fmt: str, out: BinaryIO, *,
    services: Iterable[str] = (),
) -> None:
    """Run ``query`` and write its results to ``out`` in ``fmt``.  A ``SELECT`` query's results in
    a SPARQL result format (``json``, ``csv``, ``tsv``) stream, row by row, without Python holding
    them (JSON and TSV from Oxigraph's own writer); a table shows at most :data:`TABLE_ROWS` rows."""
    if fmt not in (*NATIVE, "csv") or form(query) not in ("SELECT", None):
        out.write(render(run(store, query, params, limit=TABLE_ROWS if fmt == "table" else None, services=services),
                         fmt).encode("utf-8"))
        return
    bound = bind(store, query, params or {})
    with _errors(query):
        result = _query(store, query, bound, services)
        if not isinstance(result, ox.QuerySolutions):
            out.write(render(run(store, query, params, services=services), fmt).encode("utf-8"))
            return
        variables = _selected(query, result, bound)
        if fmt in NATIVE:
            result.serialize(out, NATIVE[fmt])
            return
        text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=False)
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(variables)
        for solution in result:
            writer.writerow(["" if t is None else csv_cell(csv_term(t)) for t in solution])
        text.flush()
        text.detach()


def _selected(query: Query, result: ox.QuerySolutions, bound: Mapping[str, Term]) -> tuple[str, ...]:
    """The variables of a ``SELECT`` result, which must include every parameter."""
    variables = tuple(v.value for v in result.variables)
    for name in bound:
        if name not in variables:
            raise QueryError(
                f"parameter {name} is not a variable the query selects",
                f"in {query.origin}",
                f"add ?{name} to the SELECT clause",
            )
    return variables


@contextlib.contextmanager
def _errors(query: Query) -> Iterator[None]:
    """Oxigraph's errors as kg's: a syntax error with its line and column, a failed evaluation,
    an unreadable store."""
    try:
        yield
    except SyntaxError as exc:
        raise syntax_error(query, exc) from None
    except RuntimeError as exc:
        m = re.search(r"variable \?(\w+) in its SELECT projection", str(exc))
        if m:
            raise QueryError(
                f"parameter {m.group(1)} is not a variable the query selects",
                f"in {query.origin}",
                f"add ?{m.group(1)} to the SELECT clause",
            ) from None
        raise QueryError(f"the query failed: {exc}", f"in {query.origin}") from None
    except BrokenPipeError:
        raise  # the reader of the output went away; not a problem of the store
    except (ConnectionError, TimeoutError) as exc:  # what an allowed SERVICE's endpoint did
        raise QueryError(f"a SERVICE request of the query failed ({exc})", f"in {query.origin}",
                         "check that the endpoint is up, or use SERVICE SILENT") from None
    except OSError as exc:
        raise OutputError(f"cannot read the built store ({exc})", None, "run `kg build` again") from exc


def _query(
    store: ox.Store, query: Query, bound: Mapping[str, Term], services: Iterable[str] = ()
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Evaluate with the parameters' terms in the query (see :mod:`kg.binding`), or, where they
    cannot stand there, with Oxigraph's substitutions.  On the built store (not a remote
    endpoint, whose federation is its own business) the text evaluated may call no service but
    those allowed."""
    local = isinstance(store, ox.Store)
    if bound:
        text = binding.inline(query.text, bound)
        if text is not None:
            if local:
                check_services(text, query.origin, services)
            try:
                return store.query(text)
            except SyntaxError:
                pass  # a term where the grammar wants a variable: let Oxigraph substitute it
    if local:
        check_services(query.text, query.origin, services)
    return store.query(query.text, substitutions={ox.Variable(k): v for k, v in bound.items()} or None)


def run_project(project: Project, query: Query, params: Mapping[str, str] | None = None) -> Result:
    """Open the project's store read-only and run ``query``."""
    form(query)  # refuse an update before touching the store
    return run(open_store(project), query, params)


# --- formatting -------------------------------------------------------------------------------

_BARE = {
    XSD + "integer": re.compile(r"[+-]?\d+"),
    XSD + "decimal": re.compile(r"[+-]?\d*\.\d+"),
    XSD + "double": re.compile(r"[+-]?(?:\d+\.\d*|\.?\d+)[eE][+-]?\d+"),
    XSD + "boolean": re.compile(r"true|false"),
}
_NUMERIC = frozenset(XSD + t for t in ("integer", "decimal", "double", "float", "long", "int", "short", "nonNegativeInteger"))


def json_term(term: Term) -> dict[str, object]:
    """A term in the SPARQL 1.1 Query Results JSON format."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {
        "type": "triple",
        "value": {
            "subject": json_term(term.subject),
            "predicate": json_term(term.predicate),
            "object": json_term(term.object),
        },
    }


def tsv_term(term: Term) -> str:
    """A term in the SPARQL 1.1 TSV format (Turtle syntax; plain numbers and booleans unquoted)."""
    if isinstance(term, ox.Literal) and not term.language:
        bare = _BARE.get(term.datatype.value)
        if bare is not None and bare.fullmatch(term.value):
            return term.value
    return str(term)


csv_cell = formats.csv_cell


def csv_term(term: Term) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def table_term(term: Term | None) -> str:
    """How a term reads in a table: CURIEs for kg's IRIs, the lexical form of literals."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return ids.compact(term.value)
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def render(result: Result, fmt: str) -> str:
    """The result as ``table``, ``csv``, ``tsv`` or ``json`` (the last three: SPARQL 1.1 result formats)."""
    if fmt == "json":
        if result.boolean is not None:
            return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
        bindings = [
            {v: json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None} for row in result.rows
        ]
        doc = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if result.boolean is not None:
        if fmt == "table":
            return ("yes" if result.boolean else "no") + "\n"
        return ("true" if result.boolean else "false") + ("\r\n" if fmt == "csv" else "\n")
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow(["" if t is None else csv_cell(csv_term(t)) for t in row])
        return buf.getvalue()
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in result.variables)]
        lines.extend("\t".join("" if t is None else tsv_term(t) for t in row) for row in result.rows)
        return "\n".join(lines) + "\n"
    if fmt == "table":
        right = [
            any(t is not None for t in col)
            and all(isinstance(t, ox.Literal) and t.datatype.value in _NUMERIC for t in col if t is not None)
            for col in zip(*result.rows, strict=True)
        ] or [False] * len(result.variables)
        rows = [[table_term(t) for t in row] for row in result.rows]
        footer = formats.rows_word(len(rows))
        if result.more:
            footer = (f"the first {footer}: the query has more (a table shows at most {TABLE_ROWS:,}; "
                      "--format csv, tsv or json give every row, or add LIMIT)")
        return formats.table(result.variables, rows, right=right, footer=footer)
    raise QueryError(f"unknown format {fmt!r}", None, f"use one of {', '.join(FORMATS)}")


def describe(queries: Sequence[Query]) -> str:
    """The named queries as a table: name, parameters, description."""
    rows = [[q.name, " ".join(f"{p.name}={p.kind.upper()}" for p in q.params), q.description] for q in queries]
    return formats.table(("name", "parameters", "description"), rows, limit=200)


def parse_assignments(items: Iterable[str]) -> dict[str, str]:
    """``["entity=Jane Roe"]`` → ``{"entity": "Jane Roe"}``; ValueError for an item without ``=``."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ValueError(f"{item!r} is not NAME=VALUE")
        if name in out:
            raise ValueError(f"parameter {name} is given twice")
        out[name] = value
    return out
