"""``kg verify``: re-read every source, re-anchor every citation, run the SHACL shapes.

Checks, in order:

1. every source the dataset names is still in ``sources/`` and its text has the SHA-256 the
   dataset recorded (an edit after the build is caught and named, with the first changed line);
2. every citation anchors: ``text[start:end] == exact`` and its prefix and suffix agree, and the
   citations of each statement contain the words that state it (:mod:`kg.support`: more than a
   pronoun or "the report", the value in the words, the object named);
3. the corpus view in the default graph is exactly what the source graphs say, each triple once
   (nothing missing from it, nothing in it that no source says), and its statistics (how many
   sources and citations each statement has, each entity's mentions, each source's counts, the
   co-mentions) are what counting the source graphs again gives;
4. each source's named graph conforms to ``ontology/shapes.ttl`` (no uncited triple, every
   entity mentioned, well-formed annotations);
5. every other built file a command reads says what the store says: ``kg.trig`` (the
   generation's, which ``kg export`` streams, and ``output/kg.trig``, which people copy) is the
   store written as TriG; the text copies, which fact sheets, the site and ``kg analyze`` quote,
   have the SHA-256 the dataset recorded for their source; ``snapshot.json``, which ``kg analyze``
   projects, is what the store gives; and the manifest, ``default.trig`` and ``statements.tsv``,
   which the next build starts from, agree with the store.  A forged quote in any of them is
   named with the file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from . import curation, dataset, ids, sources, support
from .dataset import open_store
from .errors import OutputError, SourceError
from .model import Citation
from .project import MANIFEST, SNAPSHOT, TRIG, Project
from .resources import ontology_dir

CITATIONS_QUERY = """
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?g ?target ?src ?exact ?prefix ?suffix ?start ?end WHERE {
  GRAPH ?g {
    ?target oa:hasSource ?src ; oa:hasSelector ?q, ?p .
    ?q a oa:TextQuoteSelector ; oa:exact ?exact .
    OPTIONAL { ?q oa:prefix ?prefix } OPTIONAL { ?q oa:suffix ?suffix }
    ?p a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
  }
}"""

SOURCES_QUERY = """
PREFIX kg: <https://kg.example/ns#>
PREFIX schema: <https://schema.org/>
SELECT ?src ?sha WHERE { ?src a kg:Source ; schema:sha256 ?sha . }
"""


@dataclass
class VerifyReport:
    sources: int = 0
    citations: int = 0
    graphs_checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _first_difference(old: str, new: str) -> str:
    i = 0
    while i < min(len(old), len(new)) and old[i] == new[i]:
        i += 1
    line = new.count("\n", 0, i) + 1
    col = i - (new.rfind("\n", 0, i) + 1) + 1
    return f"first change at line {line}, column {col} (offset {i})"


def verify(project: Project, *, shacl: bool = True) -> VerifyReport:
    report = VerifyReport()
    store = open_store(project)
    recorded = {str(row["src"].value): str(row["sha"].value) for row in store.query(SOURCES_QUERY)}  # type: ignore[union-attr]
    report.sources = len(recorded)
    try:
        sidecars = {s.doc_id: s for s in sources.discover(project.sources)}
    except SourceError as exc:
        report.problems.append(f"sources cannot be read: {exc}")
        sidecars = {}
    texts: dict[str, str] = {}
    sentences: dict[str, list[tuple[int, int]]] = {}
    for src_iri, sha in sorted(recorded.items()):
        doc_id = src_iri.rsplit("/", 1)[-1]
        side = sidecars.get(doc_id)
        if side is None:
            report.problems.append(f"source {doc_id!r} is in the dataset but not in {project.sources}")
            continue
        try:
            doc, _file_sha = sources.read_unchecked(side)
        except SourceError as exc:
            report.problems.append(str(exc))
            continue
        texts[src_iri] = doc.text
        sentences[src_iri] = [(s.start, s.end) for s in doc.sentences]
        if doc.sha256 != sha:
            try:
                built = project.text_of(doc_id)
                where = _first_difference(built, doc.text)
            except OutputError:
                where = "the built copy of the text is not available to compare"
            report.problems.append(
                f"{side.file} changed since the build: its SHA-256 is {doc.sha256}, the dataset "
                f"recorded {sha}; {where} — restore the source or run `kg build`"
            )
    for name in sidecars:
        if ids.source_iri(name) not in recorded:
            report.problems.append(f"{sidecars[name].file} is not in the dataset — run `kg build`")

    bad_by_source: dict[str, list[str]] = defaultdict(list)
    for row in store.query(CITATIONS_QUERY, use_default_graph_as_union=False):  # type: ignore[union-attr]
        report.citations += 1
        src = str(row["src"].value)
        text = texts.get(src)
        if text is None:
            continue
        c = Citation(
            src.rsplit("/", 1)[-1],
            int(row["start"].value),
            int(row["end"].value),
            str(row["exact"].value),
            str(row["prefix"].value) if row["prefix"] is not None else "",
            str(row["suffix"].value) if row["suffix"] is not None else "",
        )
        why = c.check(text)
        if why:
            bad_by_source[src].append(f"citation {c.start}-{c.end} ({c.exact[:40]!r}): {why}")
    for src, problems in sorted(bad_by_source.items()):
        path = sidecars[src.rsplit("/", 1)[-1]].file if src.rsplit("/", 1)[-1] in sidecars else src
        report.problems.append(f"{path}: {len(problems)} citations no longer anchor")
        report.problems.extend(f"  {p}" for p in sorted(problems)[:20])
        if len(problems) > 20:
            report.problems.append(f"  … and {len(problems) - 20} more")

    supported = support.problems(store, texts.get, lambda src: sentences.get(src, []))
    report.problems.extend(supported[:20])
    if len(supported) > 20:
        report.problems.append(f"… and {len(supported) - 20} more statements whose citations do not state them")
    report.problems.extend(_view_problems(store))
    report.problems.extend(_statistics_problems(store, lambda src: sentences.get(src, [])))
    report.problems.extend(_curation_problems(project, store))
    report.problems.extend(built_file_problems(project, store, recorded))
    if shacl:
        report.problems.extend(_shacl(store, report))
    return report


def built_file_problems(project: Project, store: ox.Store, recorded: dict[str, str]) -> list[str]:
    """The built files beside the store against the store (check 5 of the module documentation);
    ``recorded`` is each source's IRI with the SHA-256 the dataset records for its text."""
    data = project.data_dir()
    out: list[str] = []
    # kg.trig: the store written as kg build writes it, byte for byte
    trig = data / TRIG
    first = _first_difference_of(trig, dataset.store_trig(store))
    if first is not None:
        out.append(f"{trig} is not the store written as TriG: {first} — run `kg build` again")
    public = project.trig_path
    if public.exists() and not _same_file(public, trig) and _file_digest(public) != _file_digest(trig):
        out.append(f"{public} is not the built dataset's kg.trig ({trig}): it was replaced or edited — run `kg build` again")
    # the copies of the texts: the text each source's citations index into
    texts = data / "texts"
    for src, sha in sorted(recorded.items()):
        doc_id = src.rsplit("/", 1)[-1]
        path = texts / f"{doc_id}.txt"
        try:
            got = _file_digest(path)
        except FileNotFoundError:
            out.append(f"{path} is missing: the text of {doc_id} that fact sheets and the site quote — run `kg build` again")
            continue
        if got != sha:
            out.append(f"{path} is not the text {doc_id} was built from: its SHA-256 is {got}, the dataset recorded {sha} "
                       "— run `kg build` again")
    if texts.is_dir():
        known = {f"{src.rsplit('/', 1)[-1]}.txt" for src in recorded}
        out.extend(f"{p} is the text of no source in the dataset — run `kg build` again"
                   for p in sorted(texts.iterdir()) if p.name not in known)
    out.extend(_snapshot_problems(project, data / SNAPSHOT, store))
    out.extend(_manifest_problems(data / MANIFEST, recorded))
    default = data / dataset_default_chunk()
    if default.is_file():
        quads = next(dataset.store_graphs(store))
        if default.read_bytes() != dataset.trig_chunk(quads):
            out.append(f"{default} is not the store's default graph — run `kg build` again")
    out.extend(_statements_problems(data / "statements.tsv", store))
    return out


def dataset_default_chunk() -> str:
    from .build import DEFAULT_CHUNK

    return DEFAULT_CHUNK


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def _file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def _first_difference_of(path: Path, chunks: Iterable[bytes]) -> str | None:
    """Where the file ``path`` first differs from the concatenation of ``chunks`` (``None``: it does not)."""
    try:
        fh = open(path, "rb")  # noqa: SIM115 - read alongside the chunks
    except FileNotFoundError:
        return "it is missing"
    with fh:
        offset = line = 0
        for chunk in chunks:
            got = fh.read(len(chunk))
            if got != chunk:
                i = next((k for k in range(min(len(got), len(chunk))) if got[k] != chunk[k]), min(len(got), len(chunk)))
                at = line + got.count(b"\n", 0, i) + 1
                start = got.rfind(b"\n", 0, i) + 1
                end = got.find(b"\n", i)
                shown = got[start : end if end >= 0 else len(got)].decode("utf-8", "replace").strip()
                return f"first difference at line {at} (byte {offset + i}): {shown[:100]!r}"
            offset += len(chunk)
            line += chunk.count(b"\n")
        if fh.read(1):
            return f"it goes on after the store's last line (byte {offset})"
    return None


def _snapshot_problems(project: Project, path: Path, store: ox.Store) -> list[str]:
    from . import analysis

    if not path.is_file():
        return []  # kg analyze reads the store itself
    try:
        kept = analysis.open_snapshot(project)
    except (ValueError, KeyError, TypeError) as exc:
        return [f"{path} cannot be read ({exc}) — run `kg build` again"]
    truth = analysis.read(store)
    for what, a, b in (("sources", kept.sources, truth.sources), ("entities", kept.entities, truth.entities),
                       ("links", kept.links, truth.links), ("co-mentions", kept.comentions(), truth.comentions())):
        if a != b:
            return [f"{path} is not what the store says: its {what} differ ({_first_mismatch(a, b)}) — run `kg build` again"]
    return []


def _first_mismatch(a: Any, b: Any) -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(a.keys() | b.keys()):
            x, y = a.get(key), b.get(key)
            if x != y:
                if dataclasses.is_dataclass(x) and type(x) is type(y):
                    for f in dataclasses.fields(x):  # type: ignore[arg-type]
                        if getattr(x, f.name) != getattr(y, f.name):
                            return (f"{ids.compact(key)}: {f.name} {_short(getattr(x, f.name))} in the file, "
                                    f"{_short(getattr(y, f.name))} in the store")
                return f"{ids.compact(key)}: {_short(x)} in the file, {_short(y)} in the store"
    elif isinstance(a, list) and isinstance(b, list):
        for x, y in zip(a, b, strict=False):
            if x != y:
                return f"{_short(x)} in the file, {_short(y)} in the store"
        return f"{len(a)} in the file, {len(b)} in the store"
    return "they differ"


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 160 else text[:159] + "…"


def _manifest_problems(path: Path, recorded: dict[str, str]) -> list[str]:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        listed = {ids.source_iri(s["id"]): s["sha256"] for s in manifest["sources"] if isinstance(s, dict)}
    except FileNotFoundError:
        return []
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return [f"{path} cannot be read ({exc}) — run `kg build` again"]
    if not listed:
        return []  # a hand-made dataset's manifest lists no hashes
    for src in sorted(listed.keys() | recorded.keys()):
        if listed.get(src) != recorded.get(src):
            return [f"{path} does not list the sources of the store: {ids.compact(src)} has SHA-256 "
                    f"{listed.get(src, 'none')} there, {recorded.get(src, 'none')} in the store — run `kg build` again"]
    return []


STATEMENTS_QUERY = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?st ?s ?p ?o WHERE { ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o }"""


def _statements_problems(path: Path, store: ox.Store) -> list[str]:
    if not path.is_file():
        return []
    from .build import _untsv

    kept = set()
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line:
            kept.add(tuple(_untsv(x) for x in line.split("\t")))
    truth = set()
    for row in store.query(STATEMENTS_QUERY):  # type: ignore[union-attr]
        o = row["o"]
        okey = (f'"{o.value}"^^{ids.compact(o.datatype.value)}' if isinstance(o, ox.Literal) else o.value)  # type: ignore[union-attr]
        truth.add((row["st"].value, row["s"].value, row["p"].value, okey))  # type: ignore[union-attr]
    if kept != truth:
        diff = sorted(kept ^ truth)[0]
        where = "only in the file" if diff in kept else "only in the store"
        return [f"{path} does not list the store's statements: {ids.compact(diff[0])} is {where} — run `kg build` again"]
    return []


_NOT_CITATION = f"""
    FILTER (STRSTARTS(STR(?g), "{ids.ID}source/"))
    FILTER (!STRSTARTS(STR(?s), "{ids.ID}annotation/") && !STRSTARTS(STR(?s), "{ids.ID}target/") && ?s != ?g)"""
VIEW_MISSING = f"""
SELECT DISTINCT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_NOT_CITATION} FILTER NOT EXISTS {{ ?s ?p ?o }} }} LIMIT 20"""
VIEW_EXTRA = f"""
PREFIX kg: <{ids.KG}>
SELECT ?s ?p ?o WHERE {{
  ?s ?p ?o . FILTER NOT EXISTS {{ ?s a kg:Source }} FILTER NOT EXISTS {{ ?s a kg:CoMention }}
  FILTER (?p NOT IN ({", ".join(f"<{p}>" for p in dataset.STATISTICS_PREDICATES)}))
  FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (STRSTARTS(STR(?g), "{ids.ID}source/")) }}
}} LIMIT 20"""
STORED_STATISTICS = f"""
PREFIX kg: <{ids.KG}>
SELECT ?kind ?s ?a ?b ?c ?d WHERE {{
  {{ ?s kg:firstCitation ?c ; kg:sourceCount ?a ; kg:citationCount ?b . BIND ("statement" AS ?kind) }}
  UNION {{ ?s kg:mentionCount ?b ; kg:sourceCount ?a . BIND ("entity" AS ?kind) }}
  UNION {{ ?s a kg:Source ; kg:entityCount ?a ; kg:mentionCount ?b ; kg:statementCount ?c ; kg:citationCount ?d .
           BIND ("source" AS ?kind) }}
  UNION {{ ?s a kg:CoMention ; kg:coMentioned ?a, ?b ; kg:sentenceCount ?c ; kg:sourceCount ?d .
           FILTER (STR(?a) < STR(?b)) BIND ("co-mention" AS ?kind) }}
}}"""


_CURATED = (
    "PREFIX kg: <https://kg.example/ns#>\nSELECT ?n ?line WHERE { GRAPH <" + ids.CURATION_GRAPH
    + "> { ?n a kg:CurationDecision ; <http://www.w3.org/ns/prov#wasAttributedTo> ?line } }"
)
_NAMES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?e ?n WHERE { { ?e rdfs:label ?n } UNION { ?e skos:altLabel ?n } }"""


def _curation_problems(project: Project, store: ox.Store) -> list[str]:
    """The curation file still applies: it is the one the dataset was built with, and every
    decision names entities (and sources) the dataset holds."""
    try:
        cur = curation.load(project.sources)
    except SourceError as exc:
        return [str(exc)]
    built = {str(row["line"].value) for row in store.query(_CURATED, use_default_graph_as_union=False)}  # type: ignore[union-attr]
    try:
        recorded = project.manifest().get("curation", "")
    except OutputError:
        recorded = ""
    problems = []
    if cur.digest != recorded:
        problems.append(f"{project.sources / curation.FILENAME} changed since the build — run `kg build`")
    if not cur.decisions:
        return problems
    names: dict[str, set[str]] = defaultdict(set)
    iris: set[str] = set()
    for row in store.query(_NAMES):  # type: ignore[union-attr]
        iri = str(row["e"].value)
        iris.add(iri)
        names[_key(str(row["n"].value))].add(iri)
    sources_ = {str(row["src"].value).rsplit("/", 1)[-1] for row in store.query(SOURCES_QUERY)}  # type: ignore[union-attr]
    for d in cur.decisions:
        where = f"{project.sources / curation.FILENAME} line {d.line}"
        for name in d.entities:
            full = ids.expand(name) if ":" in name and not name.startswith(("http://", "https://", "urn:")) else name
            if full not in iris and not names.get(_key(name)) and d.kind != "reject":
                problems.append(f"{where}: {d.kind} names {name!r}, which is no entity of the dataset — correct or remove it")
        if d.source and d.source not in sources_:
            problems.append(f"{where}: {d.kind} names source {d.source!r}, which is not in the dataset")
        if d.kind != "reject" and not any(f"line {d.line})" in b for b in built):
            problems.append(f"{where}: the {d.kind} is not in the dataset's curation graph — run `kg build`")
    return problems


def _key(name: str) -> str:
    from .resolve import name_key

    return name_key(name)


def _view_problems(store: ox.Store) -> list[str]:
    """The default graph's corpus view against the source graphs (see :func:`kg.dataset.add_view`)."""
    out = []
    for row in store.query(VIEW_MISSING):  # type: ignore[union-attr]
        out.append(f"corpus view: {ids.compact(str(row['g'].value))} says {row['s']} {row['p']} {row['o']}, "  # type: ignore[union-attr]
                   "the default graph does not — run `kg build` again")
    for row in store.query(VIEW_EXTRA):  # type: ignore[union-attr]
        out.append(f"corpus view: the default graph says {row['s']} {row['p']} {row['o']}, no source does — run `kg build` again")
    return out


def _statistics_problems(store: ox.Store, sentences_of: Callable[[str], list[tuple[int, int]]]) -> list[str]:
    """The statistics in the default graph against counting the source graphs again."""
    graphs = sorted(g.value for g in store.named_graphs() if g.value.startswith(ids.ID + "source/"))  # type: ignore[union-attr]
    counted = dataset.statistics_of(
        ((g, store.quads_for_pattern(None, None, None, ox.NamedNode(g))) for g in graphs), sentences_of
    )
    expected: dict[tuple[str, str], tuple[object, ...]] = {}
    for iri, st in counted.statements.items():
        expected[("statement", iri)] = st
    for iri, en in counted.entities.items():
        expected[("entity", iri)] = en
    for iri, so in counted.sources.items():
        expected[("source", iri)] = so
    for (a, b), co in counted.comentions.items():
        expected[("co-mention", f"{a} {b}")] = co
    stored: dict[tuple[str, str], tuple[object, ...]] = {}
    for row in store.query(STORED_STATISTICS):  # type: ignore[union-attr]
        kind = row["kind"].value  # type: ignore[union-attr]
        values = [row[v] for v in ("a", "b", "c", "d")]
        key: str
        value: tuple[object, ...]
        if kind == "co-mention":
            key, value = f"{values[0].value} {values[1].value}", (int(values[2].value), int(values[3].value))  # type: ignore[union-attr]
        elif kind == "statement":
            key, value = row["s"].value, (int(values[0].value), int(values[1].value), values[2].value)  # type: ignore[union-attr]
        else:
            key = row["s"].value  # type: ignore[union-attr]
            value = tuple(int(v.value) for v in values if v is not None)  # type: ignore[union-attr]
        stored[(kind, key)] = value
    out = []
    for both in sorted(expected.keys() | stored.keys()):
        if expected.get(both) != stored.get(both):
            kind, what = both
            out.append(f"statistics: {kind} {' '.join(ids.compact(w) for w in what.split())} counts "
                       f"{expected.get(both, 'nothing')} in the source graphs, the default graph says "
                       f"{stored.get(both, 'nothing')} — run `kg build` again")
    if len(out) > 20:
        out = [*out[:20], f"statistics: … and {len(out) - 20} more"]
    return out


def _shacl(store: ox.Store, report: VerifyReport) -> list[str]:
    """Validate each source's graph with pyshacl, its SPARQL running in an in-memory Oxigraph."""
    from oxrdflib import OxigraphStore
    from pyshacl import validate
    from rdflib import Graph
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    class FrozenStore(OxigraphStore):
        """A store that does not change while it is validated, so its size is counted once
        (``len()`` on an Oxigraph store is a COUNT query, and pyshacl asks often)."""

        def __init__(self, inner: ox.Store) -> None:
            super().__init__(store=inner)
            self._size = sum(1 for _ in inner)

        def __len__(self, context: object = None) -> int:
            return self._size

    shapes = Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")
    problems = []
    for g in sorted(store.named_graphs(), key=str):
        if str(g.value) in ids.RECORD_GRAPHS:  # type: ignore[union-attr]
            continue
        mem = ox.Store()
        mem.extend([ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in store.quads_for_pattern(None, None, None, g)])
        data = Graph(store=FrozenStore(mem), identifier=DATASET_DEFAULT_GRAPH_ID)
        conforms, results, _text = validate(data, shacl_graph=shapes, advanced=True, inplace=True, allow_warnings=False)
        report.graphs_checked += 1
        if not conforms:
            problems.extend(_shacl_messages(str(g.value), results))  # type: ignore[union-attr]
    return problems


def _shacl_messages(graph: str, results: object) -> list[str]:
    from rdflib import Graph, Namespace

    sh = Namespace("http://www.w3.org/ns/shacl#")
    assert isinstance(results, Graph)
    out = []
    for r in sorted(results.subjects(sh.resultSeverity, None), key=str):
        focus = results.value(r, sh.focusNode)
        value = results.value(r, sh.value)
        message = str(results.value(r, sh.resultMessage))
        for iri in sorted({str(x) for x in (focus, value) if x is not None}, key=len, reverse=True):
            message = message.replace(iri, ids.compact(iri))
        where = ids.compact(str(focus))
        path = results.value(r, sh.resultPath)
        if path is not None and "{" not in message:
            where += f" {ids.compact(str(path))}"
        out.append(f"SHACL in {ids.compact(graph)}: {message} (focus {where})")
    return sorted(out)
