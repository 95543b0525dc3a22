"""``kg build``: sources → extractions → linked entities → one graph per source → TriG + store.

The build streams document by document, so memory stays bounded as the corpus grows:

1. **Extract** the documents whose extraction is not cached (in parallel: processes, or Dask
   workers).  Extractions are cached by content (text, metadata, extractor code, vocabulary and
   model), so a rebuild re-extracts only what changed.
2. **Link**: read every document's entities (a small summary of its extraction), find the corpus'
   names again where extraction missed them (:mod:`kg.propagate`), and give every entity its
   corpus-wide IRI, merging only on evidence (:mod:`kg.resolve`).
3. **Write** each source's named graph.  A graph depends on its extraction, the names found
   again in it and the IRIs and labels of the entities it mentions; when none of that changed, the
   graph's serialised chunk from an earlier build is reused.  ``kg.trig`` is the chunks in
   canonical order under one prefix header.  The Oxigraph store is the previous one with the
   changed graphs replaced (or, without one, a bulk load of ``kg.trig``).
4. **Commit** atomically: everything is written into a new generation, made current by one
   rename (see :mod:`kg.generation`), and report what changed since the last build.

One build runs at a time (:mod:`kg.lock`); its worker processes die with it (:mod:`kg.lifeline`);
what a dead build left is removed first, and a build that fails leaves nothing behind.

Whatever was built before, the output is a function of the sources alone: the same sources give
byte-identical ``kg.trig``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import queue
import re
import shutil
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from . import anchors, curation, dataset, ids, sources
from .atomic import atomic_write_bytes
from .cache import ExtractionCache, document_key
from .errors import OutputError
from .extract import extract_document, extractor_fingerprint
from .generation import Journal, clean_debris, environment_error
from .lifeline import die_with_parent, kill_point
from .link import Conflict, Statement, find_conflicts
from .link import document_facts as facts_of
from .lock import BuildLock
from .model import Document, Extraction, Value
from .project import RESOLUTION, SNAPSHOT, SNAPSHOT_FORMAT, TRIG, Project, commit
from .propagate import Propagator
from .resolve import Linking, resolve

Progress = Callable[[int, int], None]
#: How many corroborated statements, conflicts and added/removed/changed statements are listed.
LIST_LINES = 40
#: Bump to invalidate every cached graph chunk (the layout of the graphs changed).
GRAPH_FORMAT = "4"


@dataclass
class Diff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    #: entities of the last build that are now another IRI, label or type, with the evidence
    entities: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.entities)


@dataclass
class BuildReport:
    sources: int
    words: int
    entities_by_type: dict[str, int]
    statements: int
    citations: int
    mentions: int
    corroborated: list[tuple[str, int]]  # (description, number of sources), the most corroborated first
    corroborated_count: int
    conflicts: list[list[str]]  # each: description, then one line per value with its quote
    warnings: list[str]
    extracted: list[str]  # documents extracted in this run (not from the cache)
    rewritten: list[str]  # documents whose graph was written anew (not reused)
    diff: Diff | None  # against the previous build, when there was one
    seconds: dict[str, float]
    triples: int


@dataclass
class _Graph:
    """One source's named graph: its TriG chunk and what the build needs to know about it."""

    chunk: bytes
    #: [statement IRI, subject, predicate, object key, citations, first citation's start, its end]
    statements: list[list[Any]]
    single: list[dict[str, Any]]  # single-valued statements, for conflicts (with their citations)
    triples: int
    mentions: int
    citations: int
    entities: list[list[Any]]  # [IRI, type, mentions]
    aliases: dict[str, list[str]]  # IRI -> the other names this source uses for it
    comentions: list[list[Any]]  # [entity, entity, sentences naming both]


# --- extraction -----------------------------------------------------------------------------------


@contextlib.contextmanager
def _one_thread_per_worker() -> Iterator[None]:
    """Worker processes each use one thread for linear algebra: two processes on two cores should
    not each start a thread per core."""
    names = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
    saved = {n: os.environ.get(n) for n in names}
    for n in names:
        os.environ.setdefault(n, "1")
    try:
        yield
    finally:
        for n, v in saved.items():
            if v is None:
                os.environ.pop(n, None)
            else:
                os.environ[n] = v


def extract_all(
    docs: Sequence[Document], jobs: int, executor: str, scheduler: str | None, progress: Progress | None
) -> Iterator[Extraction]:
    """Extract ``docs``, yielding each extraction as it is ready (in the order of ``docs``)."""
    if not docs:
        return
    if executor == "dask":
        from .distributed import extract_with_dask

        yield from extract_with_dask(docs, scheduler, progress)
        return
    if jobs <= 1 or len(docs) == 1:
        for i, doc in enumerate(docs, 1):
            yield extract_document(doc)
            if progress:
                progress(i, len(docs))
        return
    chunk = max(1, min(16, len(docs) // (jobs * 4)))
    with _one_thread_per_worker(), ProcessPoolExecutor(max_workers=jobs, initializer=die_with_parent,
                                                       initargs=(os.getpid(),)) as pool:
        for i, x in enumerate(pool.map(extract_document, docs, chunksize=chunk), 1):
            yield x
            if progress:
                progress(i, len(docs))


class _WarmWorker:
    """One extraction process started with the build, which loads the model (a second or more)
    while the build reads the sources: a rebuild with one or two new documents then waits for
    their extraction only.  Stopped unused when nothing needs extracting."""

    def __init__(self) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        self.inbox: Any = ctx.Queue()
        self.outbox: Any = ctx.Queue()
        with _one_thread_per_worker():
            self.process = ctx.Process(target=_warm_loop, args=(self.inbox, self.outbox, os.getpid()), daemon=True)
            self.process.start()

    def extract(self, docs: Sequence[Document], progress: Progress | None) -> Iterator[Extraction]:
        for doc in docs:
            self.inbox.put(doc)
        for i in range(1, len(docs) + 1):
            while True:
                try:
                    ok, value = self.outbox.get(timeout=1.0)
                    break
                except queue.Empty:
                    if not self.process.is_alive():
                        raise RuntimeError(f"the extraction process stopped (exit code {self.process.exitcode})") from None
            if not ok:
                raise value
            yield value
            if progress:
                progress(i, len(docs))

    def close(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.inbox.close()
        self.outbox.close()


def _warm_loop(inbox: Any, outbox: Any, parent: int) -> None:
    from .nlp import load

    die_with_parent(parent)
    load()
    while True:
        doc = inbox.get()
        try:
            outbox.put((True, extract_document(doc)))
        except Exception as exc:  # noqa: BLE001 - handed to the build, which raises it
            outbox.put((False, exc))


#: At most this many documents to extract go to the warm worker; more go to the pool of ``-j``.
WARM_LIMIT = 2


# --- the cache of graphs ------------------------------------------------------------------------------


def _code_fingerprint() -> str:
    """What the graphs depend on besides the extraction: the linking and writing code."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256(GRAPH_FORMAT.encode())
    for name in ("link.py", "resolve.py", "quotes_match.py", "dataset.py", "propagate.py", "anchors.py", "ids.py", "model.py"):
        h.update((here / name).read_bytes())
    h.update(extractor_fingerprint().encode())
    return h.hexdigest()


class _GraphCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def get(self, key: str, *, chunk: bool = True) -> _Graph | None:
        """The cached graph; without its TriG when ``chunk`` is false (it is copied from its file)."""
        try:
            meta = json.loads((self.directory / f"{key}.json").read_text(encoding="utf-8"))
            trig = self.directory / f"{key}.trig"
            data = trig.read_bytes() if chunk else (b"" if trig.is_file() else None)
        except (FileNotFoundError, ValueError, KeyError):
            return None
        if data is None:
            return None
        return _Graph(data, meta["statements"], meta["single"], meta["triples"], meta["mentions"],
                      meta["citations"], meta["entities"], meta["aliases"], meta["comentions"])

    def put(self, key: str, graph: _Graph) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        for suffix, data in (
            (".trig", graph.chunk),
            (".json", json.dumps({
                "statements": graph.statements, "single": graph.single, "triples": graph.triples,
                "mentions": graph.mentions, "citations": graph.citations, "entities": graph.entities,
                "aliases": graph.aliases, "comentions": graph.comentions,
            }, ensure_ascii=False, separators=(",", ":")).encode("utf-8")),
        ):
            atomic_write_bytes(self.directory / f"{key}{suffix}", data)

    def prune(self, keep: set[str]) -> None:
        if self.directory.is_dir():
            for path in self.directory.iterdir():
                if path.name.split(".")[0] not in keep:
                    path.unlink(missing_ok=True)


def _encode_term(o: str | Value) -> dict[str, str]:
    return {"v": o.lexical, "t": o.datatype} if isinstance(o, Value) else {"iri": o}


def _decode_term(d: dict[str, str]) -> str | Value:
    return d["iri"] if "iri" in d else Value(d["v"], d["t"])


def _make_graph(doc: Document, x: Extraction, linking: Linking, single_valued: frozenset[str]) -> _Graph:
    facts = facts_of(x, linking)
    triples = dataset.document_triples(doc, facts, linking.entities)
    single = []
    for st in facts.statements:
        if st.predicate in single_valued:
            single.append({
                "iri": st.iri, "s": st.subject, "p": st.predicate, "o": _encode_term(st.object),
                "cites": [[c.start, c.end, c.exact] for c in st.citations],
            })
    mentions = sorted({(m.entity, m.citation.start, m.citation.end) for m in facts.mentions})
    per_entity = Counter(iri for iri, _s, _e in mentions)
    statements: list[list[Any]] = []
    citations = 0
    for st in facts.statements:
        spans = sorted({(c.start, c.end) for c in st.citations})
        citations += len(spans)
        statements.append([st.iri, st.subject, st.predicate, dataset.object_key(st.object), len(spans), *spans[0]])
    types = {iri: linking.entities[iri].type for iri in facts.entities}
    pairs = dataset.comentions_in([(s.start, s.end) for s in doc.sentences], [(iri, s) for iri, s, _e in mentions], types)
    return _Graph(
        chunk=triples.trig(ids.source_iri(doc.id)),
        statements=statements,
        single=single,
        triples=len(triples),
        mentions=len(mentions),
        citations=citations,
        entities=sorted([iri, linking.entities[iri].type, per_entity[iri]] for iri in facts.entities),
        aliases={iri: sorted(forms) for iri, forms in sorted(facts.aliases.items())},
        comentions=[[a, b, n] for (a, b), n in sorted(pairs.items())],
    )


# --- reporting ------------------------------------------------------------------------------------------


def _describe(linking: Linking, term: str) -> str:
    if term.startswith('"'):
        return term[1 : term.rindex('"^^')]
    ent = linking.entities.get(term)
    return ent.label if ent is not None else ids.compact(term)


def _read_previous(project: Project) -> tuple[dict[str, tuple[str, str, str]], dict[str, Any]] | None:
    try:
        manifest = project.manifest()
        path = project.data_dir() / "statements.tsv"
    except OutputError:
        return None  # no previous build, or one from another version: nothing to compare
    if not path.is_file():
        return None
    rows = {}
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line:
            iri, s, p, o = (_untsv(x) for x in line.split("\t"))
            rows[iri] = (s, p, o)
    return rows, manifest


def _tsv(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


_ESCAPED = re.compile(r"\\(.)", re.S)
_UNESCAPE = {"t": "\t", "n": "\n", "r": "\r"}


def _untsv(value: str) -> str:
    if "\\" not in value:
        return value
    return _ESCAPED.sub(lambda m: _UNESCAPE.get(m.group(1), m.group(1)), value)


def _previous_resolution(project: Project) -> dict[str, Any]:
    try:
        path = project.data_dir() / RESOLUTION
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data
    except (OSError, ValueError, OutputError):
        return {}


def entity_changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What became of the last build's entities: each that is now another IRI, label or type,
    with the rule and evidence that made it so (a merge, a split, a new fullest name)."""
    where: dict[tuple[str, str], str] = {}
    for iri, entry in after.items():
        for doc, key, _label in entry["members"]:
            where[(doc, key)] = iri
    out = []
    for iri, entry in sorted(before.items()):
        now = sorted({where[(d, k)] for d, k, _l in entry["members"] if (d, k) in where})
        if not now:
            continue  # its documents are gone, or its statements: the statement diff says so
        if now == [iri]:
            new = after[iri]
            if (new["label"], new["type"]) != (entry["label"], entry["type"]):
                out.append(f"{entry['label']} ({ids.compact(iri)}) is now {new['label']!r} ({new['type']}): "
                           + _evidence(new))
            continue
        for target in now:
            if target == iri:
                continue  # what stays where it was
            new = after[target]
            reason = _evidence(new) if new.get("merges") else (
                "split from it: the rule that joined them no longer applies, or the curation file splits them")
            out.append(f"{entry['label']} ({ids.compact(iri)}) is now {new['label']} ({ids.compact(target)}) in part: "
                       if iri in now else f"{entry['label']} ({ids.compact(iri)}) is now {new['label']} ({ids.compact(target)}): ")
            out[-1] += reason
    return out


def _evidence(entry: dict[str, Any]) -> str:
    merges = entry.get("merges") or []
    if not merges:
        return "its fullest name changed"
    return "; ".join(f"{rule} ({evidence})" for rule, _m, _i, evidence in merges[:3]) + (" …" if len(merges) > 3 else "")


def _diff(
    before: dict[str, tuple[str, str, str]], after: dict[str, tuple[str, str, str]], linking: Linking,
    resolved_before: dict[str, Any] | None = None, resolved_after: dict[str, Any] | None = None,
) -> Diff:
    def line(row: tuple[str, str, str]) -> str:
        return f"{_describe(linking, row[0])} — {ids.compact(row[1])} — {_describe(linking, row[2])}"

    diff = Diff(entities=entity_changes(resolved_before or {}, resolved_after or {}))
    gone = {k: v for k, v in before.items() if k not in after}
    new = {k: v for k, v in after.items() if k not in before}
    gone_by_sp: dict[tuple[str, str], list[str]] = {}
    for k, v in sorted(gone.items()):
        gone_by_sp.setdefault((v[0], v[1]), []).append(k)
    for v in sorted(new.values(), key=line):
        olds = gone_by_sp.get((v[0], v[1]))
        if olds:
            old = olds.pop(0)
            diff.changed.append(f"{_describe(linking, v[0])} — {ids.compact(v[1])}: "
                                f"{_describe(linking, gone[old][2])} → {_describe(linking, v[2])}")
            del gone[old]
        else:
            diff.added.append(line(v))
    diff.removed = sorted(line(v) for v in gone.values())
    return diff


# --- the build --------------------------------------------------------------------------------------------


def build(
    project: Project,
    *,
    jobs: int | None = None,
    executor: str = "process",
    scheduler: str | None = None,
    progress: Progress | None = None,
    use_cache: bool = True,
) -> BuildReport:
    """Build the dataset of ``project``; raise a :class:`~kg.errors.KGError` on bad input.

    Holds the build lock throughout, removes what a dead build left first, and on any failure
    takes back everything it wrote (the last good build stays current, the cache as it was); a
    full disk or a read-only folder is an :class:`~kg.errors.OutputError` naming the path."""
    existed = project.output.exists()
    project.check_writable()
    try:
        with BuildLock(project.output):
            clean_debris(project.output)
            journal = Journal(project.output)
            try:
                return _build(project, jobs=jobs, executor=executor, scheduler=scheduler, progress=progress, use_cache=use_cache)
            except BaseException as exc:
                journal.undo()
                if isinstance(exc, OSError) and not isinstance(exc, BrokenPipeError):
                    raise environment_error(exc, project.output) from exc
                raise
    except BaseException:
        if not existed:  # the first build failed: no output folder, as before it
            with contextlib.suppress(OSError):
                project.output.rmdir()
        raise


@dataclass
class _Extracted:
    """Phase 1: every document's extraction, in the cache under its key."""

    cache: ExtractionCache
    keys: dict[str, str]  # document id -> cache key
    todo: list[Document]  # the documents extracted this time
    fingerprint: str


@dataclass
class _Linked:
    """Phase 2: the corpus' entities resolved, with the names found again in each document and the
    deadlines another source dates."""

    summaries: dict[str, Any]
    propagator: Propagator
    additions: dict[str, Any]
    linking: Any
    anchored: dict[str, Any]

    def local_keys(self, doc_id: str) -> list[str]:
        return [e.key for e in (*self.summaries[doc_id].entities, *self.propagator.entities(self.additions[doc_id]))]


@dataclass
class _Corpus:
    """Phase 3's sums over the source graphs: the corpus view's rows and the statistics of the
    view, the single-valued statements for conflicts, the types and names of the entities."""

    rows: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    sources_of: Counter[str] = field(default_factory=Counter)
    cites_of_statement: Counter[str] = field(default_factory=Counter)
    first_of: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    stats: dataset.Statistics = field(default_factory=dataset.Statistics)
    entity_counts: dict[str, list[int]] = field(default_factory=dict)
    pairs: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    single: list[Statement] = field(default_factory=list)
    cites_of: dict[str, list[tuple[str, list[Any]]]] = field(default_factory=dict)
    totals: Counter[str] = field(default_factory=Counter)
    types: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, set[str]] = field(default_factory=dict)

    def add(self, doc_id: str, graph: _Graph) -> None:
        for iri, s, p, o, n, start, end in graph.statements:
            self.rows[iri] = (s, p, o)
            self.sources_of[iri] += 1
            self.cites_of_statement[iri] += n
            if iri not in self.first_of or (doc_id, start, end) < self.first_of[iri]:
                self.first_of[iri] = (doc_id, start, end)
        for a, b, n in graph.comentions:
            counts = self.pairs.setdefault((a, b), [0, 0])
            counts[0] += n
            counts[1] += 1
        self.stats.sources[ids.source_iri(doc_id)] = (len(graph.entities), graph.mentions, len(graph.statements), graph.citations)
        for rec in graph.single:
            self.single.append(Statement(rec["iri"], rec["s"], rec["p"], _decode_term(rec["o"])))
            self.cites_of.setdefault(rec["iri"], []).append((doc_id, rec["cites"]))
        self.totals.update(triples=graph.triples, mentions=graph.mentions, citations=graph.citations)
        for iri, etype, n in graph.entities:
            self.types[iri] = etype
            counts = self.entity_counts.setdefault(iri, [0, 0])
            counts[0] += 1
            counts[1] += n
        for iri, forms in graph.aliases.items():
            self.aliases.setdefault(iri, set()).update(forms)

    def statistics(self) -> dataset.Statistics:
        """The statistics of the view, with each statement's first citation."""
        for iri in sorted(self.rows):
            doc_id, start, end = self.first_of[iri]
            first = ids.annotation_iri(doc_id, start, end, iri, "describing")
            self.stats.statements[iri] = (self.sources_of[iri], self.cites_of_statement[iri], first)
        self.stats.entities = {iri: (n[0], n[1]) for iri, n in sorted(self.entity_counts.items())}
        self.stats.comentions = {pair: (n[0], n[1]) for pair, n in sorted(self.pairs.items())}
        return self.stats

    def release(self) -> None:
        """Drop what only the statistics needed (it is large at scale)."""
        self.stats, self.pairs, self.entity_counts, self.first_of = dataset.Statistics(), {}, {}, {}
        self.cites_of_statement = Counter()


def _build(
    project: Project,
    *,
    jobs: int | None,
    executor: str,
    scheduler: str | None,
    progress: Progress | None,
    use_cache: bool,
) -> BuildReport:
    """The phases of a build: load, extract, link, make the graphs (and the store), write and
    commit; each phase's time is in the report."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    docs = sources.load(project.sources)
    curated = curation.load(project.sources)
    timings["load"] = time.perf_counter() - t0
    kill_point("loaded")
    t = time.perf_counter()
    ex = _extract(project, docs, jobs=jobs, executor=executor, scheduler=scheduler, progress=progress, use_cache=use_cache)
    timings["extract"] = time.perf_counter() - t
    t = time.perf_counter()
    ln = _link(docs, curated, ex)
    timings["link"] = time.perf_counter() - t
    kill_point("linked")

    # 3. one graph per source, reused where nothing it depends on changed; the store is loaded
    #    from the graphs as they come (in a thread: the loader releases the GIL), unless only a few
    #    graphs changed, when the previous store is copied and those graphs replaced
    t = time.perf_counter()
    code = _code_fingerprint()
    graphs = _GraphCache(project.cache_dir / "graphs")
    graph_keys = {d.id: ids.digest(code, curated.digest, ex.keys[d.id], repr(ln.additions[d.id]), repr(ln.anchored.get(d.id)),
                                   ln.linking.signature(d.id, ln.local_keys(d.id)), size=32) for d in docs}
    previous = _read_previous(project)
    plan = _incremental_plan(previous, graph_keys, code)
    staging = Path(tempfile.mkdtemp(dir=project.output, prefix=".build-"))
    loader = _StoreLoader(staging / "store") if plan is None else None
    try:
        corpus, rewritten = _source_graphs(docs, ex, ln, graphs, graph_keys, loader, use_cache)
        conflicts = find_conflicts(_unique(corpus.single), ln.propagator.vocab)
        head_chunks, triples, snapshot = _head(docs, ln, corpus, conflicts)
        timings["graphs"] = time.perf_counter() - t

        # 4. write and commit
        t = time.perf_counter()
        digest = _write_trig(staging / TRIG, head_chunks, [graphs.directory / f"{graph_keys[d.id]}.trig" for d in docs])
        # the data folder is named by the digest: when it is there, the build changed nothing
        unchanged = (project.output / "data" / digest[:16]).is_dir()
        if loader is not None:
            for chunk in head_chunks:
                loader.add(chunk)
            loader.finish()
        elif not unchanged:
            assert plan is not None
            _update_store(project, staging / "store", head_chunks, plan, graph_keys, graphs)
        resolution = ln.linking.explanation()
        if not unchanged:
            _stage_files(staging, docs, snapshot, head_chunks[0], corpus.rows, resolution)
        del snapshot
        report = _report(project, docs, ex, ln, corpus, conflicts, rewritten, previous, resolution, timings, triples)
        kill_point("staged")
        commit(project, staging, digest[:16], _manifest(docs, graph_keys, code, curated.digest, report, len(conflicts), triples))
    except BaseException:
        if loader is not None:
            loader.abort()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _prune_caches(project, ex, graphs, graph_keys)
    timings["write"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - t0
    report.seconds = timings
    return report


def _extract(project: Project, docs: Sequence[Document], *, jobs: int | None, executor: str, scheduler: str | None,
             progress: Progress | None, use_cache: bool) -> _Extracted:
    """Phase 1: extract what is not cached.  A rebuild usually has little to extract: a process
    loads the model meanwhile."""
    warm = _WarmWorker() if executor == "process" and use_cache and project.manifest_path.is_file() else None
    try:
        fingerprint = extractor_fingerprint()
        cache = ExtractionCache(project.cache_dir / fingerprint[:16])
        keys = {d.id: document_key(d, fingerprint) for d in docs}
        todo = [d for d in docs if not use_cache or not cache.has(keys[d.id])]
        jobs = jobs or min(len(todo), os.cpu_count() or 1) or 1
        if warm is not None and 0 < len(todo) <= WARM_LIMIT:
            extractions = warm.extract(todo, progress)
        else:
            if warm is not None:
                warm.close()
                warm = None
            extractions = extract_all(todo, jobs, executor, scheduler, progress)
        for x in extractions:
            cache.put(keys[x.document], x)
            kill_point("extracting")
    finally:
        if warm is not None:
            warm.close()
    return _Extracted(cache, keys, todo, fingerprint)


def _link(docs: Sequence[Document], curated: Any, ex: _Extracted) -> _Linked:
    """Phase 2: every document's entities, plus the corpus' names found again in it, resolved; and
    the deadlines another source's publication date fixes to the day (see kg.anchors)."""
    summaries = {d.id: ex.cache.summary(ex.keys[d.id]) for d in docs}
    propagator = Propagator(s.entities for s in summaries.values())
    additions = {d.id: propagator.find(d, summaries[d.id]) for d in docs}
    linking = resolve(
        ((d.id, (*summaries[d.id].entities, *propagator.entities(additions[d.id]))) for d in docs), curated,
        {d.id: f"{d.meta.published.first_day().isoformat()} {d.id}" for d in docs},
    )
    anchored = anchors.deadlines(((d.id, summaries[d.id].entities) for d in docs), linking)
    return _Linked(summaries, propagator, additions, linking, anchored)


def _source_graphs(docs: Sequence[Document], ex: _Extracted, ln: _Linked, graphs: _GraphCache, graph_keys: dict[str, str],
                   loader: _StoreLoader | None, use_cache: bool) -> tuple[_Corpus, list[str]]:
    """Phase 3: each source's graph (from the cache, or made), fed to the store loader and summed
    into the corpus view; the documents whose graph was made anew."""
    corpus = _Corpus()
    rewritten: list[str] = []
    single_valued = ln.propagator.vocab.single_valued
    for d in docs:
        gkey = graph_keys[d.id]
        graph = graphs.get(gkey, chunk=loader is not None) if use_cache else None
        if graph is None:
            x = ln.propagator.apply(d, ex.cache.get_or_fail(ex.keys[d.id], d), ln.additions[d.id])
            x = anchors.apply(x, ln.anchored.get(d.id, {}))
            graph = _make_graph(d, x, ln.linking, single_valued)
            graphs.put(gkey, graph)
            rewritten.append(d.id)
        if loader is not None:
            loader.add(graph.chunk)
        kill_point("graphs")
        corpus.add(d.id, graph)
        del graph
    return corpus, rewritten


def _head(docs: Sequence[Document], ln: _Linked, corpus: _Corpus, conflicts: Any) -> tuple[list[bytes], int, bytes]:
    """The default graph (the sources and the corpus view, each entity and fact once, with its
    statistics), the conflicts' and the curation file's graphs: their TriG chunks, the dataset's
    triple count, and the snapshot ``kg analyze`` reads."""
    default = dataset.Triples()
    for d in docs:
        dataset.add_source(default, d)
    dataset.add_view(default, dict(sorted(corpus.types.items())), ln.linking.entities, corpus.aliases, corpus.rows)
    stats = corpus.statistics()
    dataset.add_statistics(default, stats)
    default_chunk, default_size = default.trig(None), len(default)
    snapshot = _snapshot(docs, corpus.types, ln.linking, corpus.aliases, corpus.rows, stats)
    del default, stats
    corpus.release()
    conflict_quads = dataset.conflict_quads(conflicts, ln.linking.entities)
    curation_quads = dataset.curation_quads(ln.linking.curation)
    triples = corpus.totals["triples"] + default_size + len(conflict_quads) + len(curation_quads)
    return [default_chunk, dataset.trig_chunk(conflict_quads), dataset.trig_chunk(curation_quads)], triples, snapshot


def _stage_files(staging: Path, docs: Sequence[Document], snapshot: bytes, default_chunk: bytes,
                 rows: dict[str, tuple[str, str, str]], resolution: dict[str, Any]) -> None:
    """The generation's files beside the store and kg.trig: texts, snapshot, default graph,
    statements.tsv and the resolution ``kg explain`` reads."""
    texts = staging / "texts"
    texts.mkdir()
    for d in docs:
        (texts / f"{d.id}.txt").write_text(d.text, encoding="utf-8", newline="")
    (staging / SNAPSHOT).write_bytes(snapshot)
    (staging / DEFAULT_CHUNK).write_bytes(default_chunk)
    with open(staging / "statements.tsv", "w", encoding="utf-8") as fh:
        for iri in sorted(rows):
            fh.write("\t".join(_tsv(x) for x in (iri, *rows[iri])) + "\n")
    (staging / RESOLUTION).write_bytes(
        json.dumps(resolution, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8"))


def _report(project: Project, docs: Sequence[Document], ex: _Extracted, ln: _Linked, corpus: _Corpus, conflicts: Any,
            rewritten: list[str], previous: Any, resolution: dict[str, Any], timings: dict[str, float],
            triples: int) -> BuildReport:
    rows, linking = corpus.rows, ln.linking
    return BuildReport(
        sources=len(docs),
        words=sum(d.word_count for d in docs),
        entities_by_type=dict(sorted(Counter(ids.compact(ids.expand(v)) for v in corpus.types.values()).items())),
        statements=len(rows),
        citations=corpus.totals["citations"],
        mentions=corpus.totals["mentions"],
        corroborated=_corroborated(rows, corpus.sources_of, linking),
        corroborated_count=sum(1 for n in corpus.sources_of.values() if n > 1),
        conflicts=[_conflict_lines(c, rows, corpus.cites_of, linking) for c in conflicts],
        warnings=[f"{d.id}: {w}" for d in docs for w in ln.summaries[d.id].warnings]
        + [f"{curation.FILENAME}: {dec.number} does not apply: {why}" for dec, why in linking.curation.unapplied],
        extracted=sorted(x.id for x in ex.todo),
        rewritten=sorted(rewritten),
        diff=_diff(previous[0], rows, linking, _previous_resolution(project), resolution) if previous is not None else None,
        seconds=timings,
        triples=triples,
    )


def _manifest(docs: Sequence[Document], graph_keys: dict[str, str], code: str, curation_digest: str, report: BuildReport,
              conflicts: int, triples: int) -> dict[str, Any]:
    return {
        "sources": [
            {"id": d.id, "path": d.path, "sha256": d.sha256, "media_type": d.media_type, "graph": graph_keys[d.id]}
            for d in docs
        ],
        "code": code,
        "curation": curation_digest,
        "summary": {
            "sources": report.sources, "entities": report.entities_by_type, "statements": report.statements,
            "citations": report.citations, "mentions": report.mentions,
            "corroborated": report.corroborated_count, "conflicts": conflicts, "triples": triples,
        },
    }


def _prune_caches(project: Project, ex: _Extracted, graphs: _GraphCache, graph_keys: dict[str, str]) -> None:
    """After a commit: the cache keeps what this build used, and no other extractor's folder."""
    ex.cache.prune(set(ex.keys.values()))
    graphs.prune(set(graph_keys.values()))
    for old in project.cache_dir.iterdir() if project.cache_dir.is_dir() else ():
        if old.is_dir() and old.name not in (ex.fingerprint[:16], "graphs"):
            shutil.rmtree(old, ignore_errors=True)


def _snapshot(
    docs: Sequence[Document],
    types: dict[str, str],
    linking: Linking,
    aliases: dict[str, set[str]],
    rows: dict[str, tuple[str, str, str]],
    stats: dataset.Statistics,
) -> bytes:
    """What ``kg analyze`` projects the dataset from (see :mod:`kg.analysis`), as it would read it
    from the store: the sources, every entity with its counts, every statement between two
    entities, the co-mentions.  Kept beside the store, it spares every analysis a scan of it."""
    links = []
    for st in sorted(rows):
        s, p, o = rows[st]
        if s in types and o in types and s != o:
            n_sources, n_cites, first = stats.statements[st]
            links.append([st, s, p, o, n_cites, n_sources, first])
    doc = {
        "format": SNAPSHOT_FORMAT,
        "sources": {ids.source_iri(d.id): d.meta.title for d in sorted(docs, key=lambda d: d.id)},
        "entities": [
            [iri, [ids.expand(t) for t in linking.entities[iri].types], linking.entities[iri].label, sorted(aliases.get(iri, ())),
             *stats.entities[iri]]
            for iri in sorted(types)
        ],
        "links": links,
        "comentions": [[a, b, *counts] for (a, b), counts in sorted(stats.comentions.items())],
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _unique(statements: list[Statement]) -> list[Statement]:
    seen: dict[str, Statement] = {}
    for st in statements:
        seen.setdefault(st.iri, st)
    return list(seen.values())


def _write_trig(path: Path, head_chunks: list[bytes], chunk_files: list[Path]) -> str:
    """``kg.trig``: the prefix header, the default and conflicts graphs, then every source's graph.
    Returns a digest of the content (of the chunks, which determine it)."""
    h = hashlib.sha256()
    with open(path, "wb") as out:
        out.write(dataset.trig_header())
        for chunk in head_chunks:
            out.write(chunk)
            h.update(hashlib.sha256(chunk).digest())
        for f in chunk_files:
            with open(f, "rb") as fh:
                data = fh.read()
            out.write(data)
            h.update(f.name.encode())
    return h.hexdigest()


@dataclass
class _Plan:
    """How the store is updated from the previous one: the graphs to replace and to drop."""

    changed: list[str]
    removed: list[str]


def _incremental_plan(
    previous: tuple[dict[str, tuple[str, str, str]], dict[str, Any]] | None, graph_keys: dict[str, str], code: str
) -> _Plan | None:
    """Replace graphs in a copy of the previous store when few changed (at most a tenth, or ten);
    ``None`` when the store is better loaded anew."""
    if previous is None or previous[1].get("code") != code:
        return None
    old_graphs = {s["id"]: s.get("graph", "") for s in previous[1]["sources"]}
    changed = [doc_id for doc_id, key in graph_keys.items() if old_graphs.get(doc_id) != key]
    removed = [doc_id for doc_id in old_graphs if doc_id not in graph_keys]
    if not old_graphs or len(changed) + len(removed) > max(10, len(graph_keys) // 10):
        return None
    return _Plan(changed, removed)


def _update_store(
    project: Project, target: Path, head_chunks: list[bytes], plan: _Plan, graph_keys: dict[str, str], graphs: _GraphCache
) -> None:
    """The previous store with the changed graphs replaced, the conflicts graph loaded anew and,
    in the default graph, only the subjects whose block of TriG changed replaced (a changed
    document touches a few hundred of its hundreds of thousands of triples)."""
    ox.Store.read_only(str(project.store_path())).backup(str(target))
    store = ox.Store(str(target))
    for graph in (ids.CONFLICTS_GRAPH, curation.GRAPH):  # loaded anew from the head chunks
        node = ox.NamedNode(graph)
        if store.contains_named_graph(node):
            store.remove_graph(node)
    for doc_id in [*plan.changed, *plan.removed]:
        g = ox.NamedNode(ids.source_iri(doc_id))
        if store.contains_named_graph(g):
            store.remove_graph(g)
    default, rest = head_chunks[0], head_chunks[1:]
    try:
        before = (project.data_dir() / DEFAULT_CHUNK).read_bytes()
    except (OSError, OutputError):
        before = None  # a build before the default graph was kept: load it anew
    if before is None:
        store.clear_graph(ox.DefaultGraph())
        dataset.load_chunk(store, default)
    else:
        old, new = _subject_blocks(before), _subject_blocks(default)
        stale = [block for subject, block in old.items() if new.get(subject) != block]
        fresh = [block for subject, block in new.items() if old.get(subject) != block]
        if stale:
            subjects = {q.subject for q in ox.parse(dataset.trig_header() + b"\n".join(stale) + b"\n", format=ox.RdfFormat.TRIG)}
            for subject in sorted(subjects, key=str):
                for quad in list(store.quads_for_pattern(subject, None, None, ox.DefaultGraph())):
                    store.remove(quad)
        if fresh:
            dataset.load_chunk(store, b"\n".join(fresh) + b"\n")
    for chunk in rest:
        dataset.load_chunk(store, chunk)
    for doc_id in plan.changed:
        dataset.load_chunk(store, (graphs.directory / f"{graph_keys[doc_id]}.trig").read_bytes())
    store.flush()
    del store


#: The default graph's TriG as last built, kept in the data folder so the next build can replace
#: only what changed in it.
DEFAULT_CHUNK = "default.trig"


def _subject_blocks(chunk: bytes) -> dict[bytes, bytes]:
    """A default-graph chunk of kg's TriG, subject by subject: each block starts on a line of its
    own, unindented, and its other lines are indented (literals never span lines)."""
    out: dict[bytes, bytes] = {}
    for block in re.split(rb"\n(?!\t)", chunk):
        if block:
            out[block.split(b" ", 1)[0]] = block
    return out


class _StoreLoader:
    """Loads TriG chunks into a new store in a thread, a batch at a time (Oxigraph's bulk loader
    releases the GIL, so the store fills while the graphs are made, and a batch bounds its memory)."""

    #: Bytes of TriG per bulk load.  Oxigraph's bulk loader holds several times a batch while it
    #: sorts it; at 1,000 articles 4 MB batches peak at 0.57 GB where 16 MB ones peaked at 0.92 GB,
    #: and load as fast.
    BATCH = 4 << 20

    def __init__(self, path: Path) -> None:
        self.store = ox.Store(str(path))
        self.queue: queue.Queue[bytes | None] = queue.Queue(maxsize=4)
        self.pending: list[bytes] = []
        self.size = 0
        self.error: BaseException | None = None
        self.sent = self.loaded = 0
        self.thread = threading.Thread(target=self._run, name="kg-store-loader", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            batch = self.queue.get()
            if batch is None:
                return
            if self.error is None:
                try:
                    self.store.bulk_load(batch, format=ox.RdfFormat.TRIG)
                    self.loaded += 1
                except (OSError, SyntaxError, ValueError) as exc:  # raised in the build's thread by add() or finish()
                    self.error = exc

    def add(self, chunk: bytes) -> None:
        if self.error is not None:
            raise self.error
        self.pending.append(chunk)
        self.size += len(chunk)
        if self.size >= self.BATCH:
            self._send()

    def _send(self) -> None:
        if self.pending:
            self.queue.put(dataset.trig_header() + b"".join(self.pending))
            self.sent += 1
        self.pending, self.size = [], 0

    def finish(self) -> None:
        """Load what is left, wait for the thread, and compact the store."""
        self._send()
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error
        if self.loaded != self.sent:
            raise OutputError("the store could not be loaded (its loader stopped)", None, "run `kg build` again")
        self.store.flush()
        self.store.optimize()
        del self.store

    def abort(self) -> None:
        if self.thread.is_alive():
            self.pending = []
            with contextlib.suppress(queue.Empty):
                while True:
                    self.queue.get_nowait()
            self.queue.put(None)
            self.thread.join()


def _corroborated(rows: dict[str, tuple[str, str, str]], sources_of: Counter[str], linking: Linking) -> list[tuple[str, int]]:
    out = []
    for iri, n in sources_of.items():
        if n > 1:
            s, p, o = rows[iri]
            out.append((f"{_describe(linking, s)} — {ids.compact(p)} — {_describe(linking, o)}", n))
    return sorted(out, key=lambda x: (-x[1], x[0]))


def _conflict_lines(
    c: Conflict, rows: dict[str, tuple[str, str, str]], cites_of: dict[str, list[tuple[str, list[Any]]]], linking: Linking
) -> list[str]:
    lines = [f"{_describe(linking, c.subject)} — {ids.compact(c.predicate)}"]
    for st in c.statements:
        value = _describe(linking, rows[st][2])
        for doc_id, cites in cites_of.get(st, []):
            for start, end, exact in cites:
                lines.append(f"{value}  [{doc_id} {start}-{end}] “{exact}”")
    return lines


def summary_lines(report: BuildReport) -> list[str]:
    """The build summary as printed by ``kg build``."""
    out = [f"Built {report.sources} sources ({report.words:,} words) into {report.triples:,} triples."]
    out.append("Entities by type:")
    for t, n in report.entities_by_type.items():
        out.append(f"  {t:<28} {n:>6}")
    out.append(f"Statements: {report.statements:,}   citations: {report.citations:,}   mentions: {report.mentions:,}")
    out.append(f"Corroborated statements (more than one source): {report.corroborated_count:,}")
    for line, n in report.corroborated[:LIST_LINES]:
        out.append(f"  [{n} sources] {line}")
    if len(report.corroborated) > LIST_LINES:
        out.append(f"  … and {len(report.corroborated) - LIST_LINES:,} more")
    out.append(f"Conflicts: {len(report.conflicts):,}")
    for lines in report.conflicts[:LIST_LINES]:
        out.append(f"  {lines[0]}")
        out.extend(f"    {line}" for line in lines[1:])
    if len(report.conflicts) > LIST_LINES:
        out.append(f"  … and {len(report.conflicts) - LIST_LINES:,} more")
    out.append(f"Warnings: {len(report.warnings)}")
    out.extend(f"  {w}" for w in report.warnings[:LIST_LINES])
    cached = report.sources - len(report.extracted)
    out.append(f"Extracted {len(report.extracted)} documents ({cached} from the cache); "
               f"wrote {len(report.rewritten)} graphs ({report.sources - len(report.rewritten)} unchanged).")
    if report.diff is not None:
        d = report.diff
        if d.empty:
            out.append("No statements changed since the last build.")
        else:
            out.append(f"Since the last build: {len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed"
                       + (f"; {len(d.entities)} entities renamed or merged." if d.entities else "."))
            for mark, lines in (("+", d.added), ("-", d.removed), ("~", d.changed), ("=", d.entities)):
                out.extend(f"  {mark} {line}" for line in lines[:LIST_LINES])
                if len(lines) > LIST_LINES:
                    out.append(f"  {mark} … and {len(lines) - LIST_LINES} more")
    return out

