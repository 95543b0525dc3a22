"""``kg build``: sources → extractions → linked corpus → dataset, committed atomically.

Extraction is the expensive step; it runs per document, in parallel (processes, or Dask workers),
and its results are cached by content, so a rebuild re-extracts only documents that changed.
Linking and writing always cover the whole corpus, so the output is a function of the sources
alone: the same sources give byte-identical ``kg.trig`` whatever was built before.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
import pyoxigraph as ox

from . import dataset, ids, sources
from .cache import ExtractionCache, document_key
from .extract import extract_document, extractor_fingerprint
from .link import Corpus, link
from .model import Document, Extraction, Value
from .errors import OutputError
from .project import Project, commit
from .propagate import propagate

Progress = Callable[[int, int], None]
#: How many added, removed or changed statements ``kg build`` lists of each kind.
DIFF_LINES = 40


@dataclass
class Diff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass
class BuildReport:
    sources: int
    words: int
    entities_by_type: dict[str, int]
    statements: int
    citations: int
    mentions: int
    corroborated: list[tuple[str, int]]  # (description, number of sources)
    conflicts: list[list[str]]  # each: description, then one line per value with its quote
    warnings: list[str]
    extracted: list[str]  # documents extracted in this run (not from the cache)
    diff: Diff | None  # against the previous build, when there was one
    seconds: dict[str, float]
    triples: int


def _extract_all(
    docs: Sequence[Document],
    jobs: int,
    executor: str,
    scheduler: str | None,
    progress: Progress | None,
) -> list[Extraction]:
    if not docs:
        return []
    if executor == "dask":
        from .distributed import extract_with_dask

        return extract_with_dask(docs, scheduler, progress)
    if jobs <= 1 or len(docs) == 1:
        out = []
        for i, doc in enumerate(docs, 1):
            out.append(extract_document(doc))
            if progress:
                progress(i, len(docs))
        return out
    out_by_id: dict[str, Extraction] = {}
    chunk = max(1, min(16, len(docs) // (jobs * 4)))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for i, x in enumerate(pool.map(extract_document, docs, chunksize=chunk), 1):
            out_by_id[x.document] = x
            if progress:
                progress(i, len(docs))
    return [out_by_id[d.id] for d in docs]


def _describe(corpus: Corpus, term: str | Value) -> str:
    if isinstance(term, Value):
        return term.lexical
    ent = corpus.entities.get(term)
    if ent is not None:
        return ent.label
    return ids.compact(term)


def statement_line(corpus: Corpus, st_iri: str) -> str:
    st = corpus.statements[st_iri]
    return f"{_describe(corpus, st.subject)} — {ids.compact(st.predicate)} — {_describe(corpus, st.object)}"


def _read_previous(project: Project) -> dict[str, tuple[str, str, str]] | None:
    try:
        path = project.data_dir() / "statements.tsv"
    except OutputError:
        return None  # no previous build, or one from another version: nothing to compare
    if not path.is_file():
        return None
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        iri, s, p, o = line.split("\t")
        out[iri] = (s, p, o)
    return out


def _statement_rows(corpus: Corpus) -> dict[str, tuple[str, str, str]]:
    rows = {}
    for st in corpus.statements.values():
        o = st.object
        rows[st.iri] = (
            _describe(corpus, st.subject).replace("\t", " ").replace("\n", " "),
            ids.compact(st.predicate),
            (o.lexical if isinstance(o, Value) else _describe(corpus, o)).replace("\t", " ").replace("\n", " "),
        )
    return rows


def _diff(before: dict[str, tuple[str, str, str]], after: dict[str, tuple[str, str, str]]) -> Diff:
    diff = Diff()
    gone = {k: v for k, v in before.items() if k not in after}
    new = {k: v for k, v in after.items() if k not in before}
    gone_by_sp = {(v[0], v[1]): (k, v) for k, v in gone.items()}
    for k, v in sorted(new.items(), key=lambda kv: kv[1]):
        old = gone_by_sp.get((v[0], v[1]))
        if old is not None and old[0] in gone:
            diff.changed.append(f"{v[0]} — {v[1]}: {old[1][2]} → {v[2]}")
            del gone[old[0]]
        else:
            diff.added.append(" — ".join(v))
    diff.removed = sorted(" — ".join(v) for v in gone.values())
    return diff


def build(
    project: Project,
    *,
    jobs: int | None = None,
    executor: str = "process",
    scheduler: str | None = None,
    progress: Progress | None = None,
    use_cache: bool = True,
) -> BuildReport:
    """Build the dataset of ``project``; raise a :class:`~kg.errors.KGError` on bad input."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    docs = sources.load(project.sources)
    project.check_writable()
    timings["load"] = time.perf_counter() - t0

    t = time.perf_counter()
    fingerprint = extractor_fingerprint()
    cache = ExtractionCache(project.cache_dir / fingerprint[:16])
    keys = {d.id: document_key(d, fingerprint) for d in docs}
    cached: dict[str, Extraction] = {}
    if use_cache:
        for d in docs:
            hit = cache.get(keys[d.id])
            if hit is not None and hit.document == d.id and hit.sha256 == d.sha256:
                cached[d.id] = hit
    todo = [d for d in docs if d.id not in cached]
    jobs = jobs or min(len(todo), os.cpu_count() or 1) or 1
    fresh = _extract_all(todo, jobs, executor, scheduler, progress)
    extractions = [cached.get(d.id) or next(x for x in fresh if x.document == d.id) for d in docs]
    timings["extract"] = time.perf_counter() - t

    t = time.perf_counter()
    extractions = propagate(docs, extractions)
    corpus = link(docs, extractions)
    timings["link"] = time.perf_counter() - t

    t = time.perf_counter()
    previous = _read_previous(project)
    quads = dataset.canonical(dataset.corpus_quads(corpus))
    digest = dataset.digest_quads(quads)
    staging = Path(tempfile.mkdtemp(dir=project.output, prefix=".build-"))
    try:
        dataset.write_store(quads, staging / "store")
        texts = staging / "texts"
        texts.mkdir()
        for d in docs:
            (texts / f"{d.id}.txt").write_text(d.text, encoding="utf-8", newline="")
        rows = _statement_rows(corpus)
        (staging / "statements.tsv").write_text(
            "".join(f"{k}\t{s}\t{p}\t{o}\n" for k, (s, p, o) in sorted(rows.items())), encoding="utf-8"
        )
        fd, trig_tmp = tempfile.mkstemp(dir=project.output, prefix=".kg.trig.", suffix=".tmp")
        os.close(fd)
        dataset.serialize(quads, ox.RdfFormat.TRIG, Path(trig_tmp))
        timings["write"] = time.perf_counter() - t
        report = _report(corpus, docs, [x.document for x in fresh], timings, len(quads))
        report.diff = _diff(previous, rows) if previous is not None else None
        manifest = {
            "sources": [
                {"id": d.id, "path": d.path, "sha256": d.sha256, "media_type": d.media_type} for d in docs
            ],
            "summary": {
                "sources": report.sources,
                "entities": report.entities_by_type,
                "statements": report.statements,
                "citations": report.citations,
                "mentions": report.mentions,
                "corroborated": len(report.corroborated),
                "conflicts": len(report.conflicts),
                "triples": report.triples,
            },
        }
        commit(project, staging, digest[:16], Path(trig_tmp), manifest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        for tmp in project.output.glob(".kg.trig.*.tmp"):
            tmp.unlink(missing_ok=True)
        raise
    for x in fresh:
        cache.put(keys[x.document], x)
    cache.prune(set(keys.values()))
    for old in project.cache_dir.iterdir() if project.cache_dir.is_dir() else ():
        if old.is_dir() and old.name != fingerprint[:16]:
            shutil.rmtree(old, ignore_errors=True)
    timings["total"] = time.perf_counter() - t0
    report.seconds = timings
    return report


def _report(corpus: Corpus, docs: Iterable[Document], extracted: list[str], timings: dict[str, float], triples: int) -> BuildReport:
    by_type = Counter(ids.compact(ids.expand(e.type)) for e in corpus.entities.values())
    citations = sum(len(s.citations) for s in corpus.statements.values())
    corroborated = [
        (statement_line(corpus, st.iri), len(st.sources)) for st in corpus.statements.values() if len(st.sources) > 1
    ]
    conflicts = []
    for c in corpus.conflicts:
        lines = [f"{_describe(corpus, c.subject)} — {ids.compact(c.predicate)}"]
        for st_iri in c.statements:
            st = corpus.statements[st_iri]
            for cit in st.citations:
                lines.append(f"{_describe(corpus, st.object)}  [{cit.source} {cit.start}-{cit.end}] “{cit.exact}”")
        conflicts.append(lines)
    docs = list(docs)
    return BuildReport(
        sources=len(docs),
        words=sum(d.word_count for d in docs),
        entities_by_type=dict(sorted(by_type.items())),
        statements=len(corpus.statements),
        citations=citations,
        mentions=len(corpus.mentions),
        corroborated=sorted(corroborated),
        conflicts=conflicts,
        warnings=corpus.warnings,
        extracted=sorted(extracted),
        diff=None,
        seconds=timings,
        triples=triples,
    )


def summary_lines(report: BuildReport) -> list[str]:
    """The build summary as printed by ``kg build``."""
    out = [f"Built {report.sources} sources ({report.words:,} words) into {report.triples:,} triples."]
    out.append("Entities by type:")
    for t, n in report.entities_by_type.items():
        out.append(f"  {t:<28} {n:>6}")
    out.append(f"Statements: {report.statements:,}   citations: {report.citations:,}   mentions: {report.mentions:,}")
    out.append(f"Corroborated statements (more than one source): {len(report.corroborated)}")
    for line, n in report.corroborated:
        out.append(f"  [{n} sources] {line}")
    out.append(f"Conflicts: {len(report.conflicts)}")
    for lines in report.conflicts:
        out.append(f"  {lines[0]}")
        out.extend(f"    {line}" for line in lines[1:])
    out.append(f"Warnings: {len(report.warnings)}")
    out.extend(f"  {w}" for w in report.warnings)
    cached = report.sources - len(report.extracted)
    out.append(f"Extracted {len(report.extracted)} documents, {cached} from the cache.")
    if report.diff is not None:
        d = report.diff
        if d.empty:
            out.append("No statements changed since the last build.")
        else:
            out.append(f"Since the last build: {len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed.")
            for mark, lines in (("+", d.added), ("-", d.removed), ("~", d.changed)):
                out.extend(f"  {mark} {line}" for line in lines[:DIFF_LINES])
                if len(lines) > DIFF_LINES:
                    out.append(f"  {mark} … and {len(lines) - DIFF_LINES} more")
    return out

