#!/usr/bin/env python3
"""Scale benchmark: kg on synthetic corpora of 100, 1,000 and 10,000 articles, beside the plain way.

    python benchmarks/scale.py --sizes 100 1000 [--out benchmarks/results] [--jobs 2]
    python benchmarks/scale.py --sizes 10000          # the 10,000-article run (much longer)

For each size, in one run: generate the corpus (``benchmarks/generate.py``) into a fresh project;
``kg build`` in a new process (time, documents and words per second, peak memory of the process
tree, triples, store size); extraction alone with 1 and with N workers; incremental rebuilds after
changing, adding and removing one document; cold ``kg query`` of every named query (new process,
median of ``--query-runs``); ``kg export`` of every format; ``kg analyze`` of every analysis.
Beside each figure it measures the plain way (one process, rdflib's memory ``Dataset`` parsing
``output/kg.trig``, rdflib's SPARQL and serializers, NetworkX) and prints the ratio, the target
and PASS or FAIL.  Every step's stdout and stderr are kept under ``OUT/logs/SIZE/``; the figures
go to ``OUT/report.json`` (merged with the sizes of earlier runs) and ``OUT/scale.png``.

A step that runs past its time limit or memory cap is stopped and reported as such (``timeout``,
``memory``): the benchmark always finishes.  The plain way is skipped above ``--plain-max-triples``
(rdflib's memory store needs about 1.2 GB per million triples) and then estimated linearly from
the largest size measured, marked ``est.``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import itertools
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
KG = Path(sys.executable).with_name("kg")
PY = sys.executable
GB = 1024**3

#: Targets of issue 6 ("Scale"), as (figure, comparison, value, the smallest size they are judged at).
EXPORT_FALLBACK = ("turtle", "trig", "nquads", "ntriples", "jsonld", "graphml", "annotations")
PLAIN_RDF_FORMATS = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "ntriples": "nt", "jsonld": "json-ld"}


# --- running a step ---------------------------------------------------------------------------


@dataclass
class Step:
    name: str
    cmd: list[str]
    seconds: float
    rc: int | None
    peak_rss: int  # bytes: the largest sum of RSS over the process tree seen while sampling
    maxrss: int  # bytes: ru_maxrss of the process (wait4), the largest single process
    status: str  # ok, error, timeout, memory
    out: str  # path of the stdout log

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def _tree_rss(proc: Any) -> int:
    import psutil

    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for p in procs:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


def run(
    name: str,
    cmd: list[str],
    logs: Path,
    *,
    cwd: Path | None = None,
    timeout: float | None = None,
    mem_limit: float | None = None,
    sample: float = 0.2,
    env: dict[str, str] | None = None,
) -> Step:
    """Run ``cmd`` in a new process group; stdout and stderr to ``logs/name.out|.err``."""
    import psutil

    logs.mkdir(parents=True, exist_ok=True)
    out_path, err_path = logs / f"{name}.out", logs / f"{name}.err"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, start_new_session=True, env=env)
        stop = threading.Event()
        state: dict[str, Any] = {"peak": 0, "status": None}

        def kill(reason: str) -> None:
            state["status"] = reason
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)

        def watch() -> None:
            try:
                ps = psutil.Process(proc.pid)
            except psutil.Error:
                return
            while not stop.wait(sample):
                if timeout is not None and time.perf_counter() - t0 > timeout:
                    kill("timeout")
                    return
                rss = _tree_rss(ps)
                state["peak"] = max(state["peak"], rss)
                if mem_limit is not None and rss > mem_limit:
                    kill("memory")
                    return

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        stop.set()
        watcher.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        with contextlib.suppress(ProcessLookupError, PermissionError):  # anything left in its group
            os.killpg(proc.pid, signal.SIGKILL)
    rc = proc.returncode
    final = state["status"] or ("ok" if rc == 0 else "error")
    maxrss = usage.ru_maxrss * 1024
    return Step(name, cmd, seconds, rc, max(state["peak"], maxrss), maxrss, final, str(out_path))


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


# --- helper modes (run in their own processes) -------------------------------------------------


def extract_mode(project: Path, jobs: int, limit: int) -> dict[str, Any]:
    """Extraction only, ``jobs`` worker processes, model loading excluded (as extraction_throughput.py)."""
    sys.path.insert(0, str(REPO))
    from concurrent.futures import ProcessPoolExecutor

    from kg import sources
    from kg.extract import extract_document

    docs = sources.load(project / "sources")[:limit]
    words = sum(d.word_count for d in docs)
    if jobs == 1:
        extract_document(docs[0])
        t = time.perf_counter()
        for d in docs:
            extract_document(d)
        seconds = time.perf_counter() - t
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(_warm, range(jobs * 2)))
            t = time.perf_counter()
            list(pool.map(extract_document, docs, chunksize=max(1, min(16, len(docs) // (jobs * 4)))))
            seconds = time.perf_counter() - t
    return {"jobs": jobs, "documents": len(docs), "words": words, "seconds": seconds}


def _warm(_: int) -> int:
    from kg.nlp import load

    load()
    return os.getpid()


class _TimeoutError(Exception):
    pass


def _alarm(_signum: int, _frame: Any) -> None:
    raise _TimeoutError


def plain_mode(project: Path, out_dir: Path, spec: dict[str, Any]) -> dict[str, Any]:
    """The plain way: rdflib memory Dataset from kg.trig, rdflib SPARQL and serializers, NetworkX."""
    t_start = time.perf_counter()
    import networkx as nx
    from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef

    res: dict[str, Any] = {"import": time.perf_counter() - t_start}
    signal.signal(signal.SIGALRM, _alarm)
    t = time.perf_counter()
    ds = Dataset(default_union=True)
    ds.parse(project / "output" / "kg.trig", format="trig")
    res["load"] = time.perf_counter() - t
    res["startup"] = time.perf_counter() - t_start  # a fresh process up to a loaded graph

    res["export"] = {}
    for fmt in spec["exports"]:
        t = time.perf_counter()
        signal.alarm(int(spec["timeout"]))
        try:
            if fmt in ("turtle", "ntriples"):
                g = Graph()
                for triple in ds.triples((None, None, None)):
                    g.add(triple)
                g.serialize(out_dir / f"plain.{fmt}", format=PLAIN_RDF_FORMATS[fmt])
            else:
                ds.serialize(out_dir / f"plain.{fmt}", format=PLAIN_RDF_FORMATS[fmt])
            res["export"][fmt] = {"seconds": time.perf_counter() - t, "status": "ok"}
        except _TimeoutError:
            res["export"][fmt] = {"seconds": time.perf_counter() - t, "status": "timeout"}
        finally:
            signal.alarm(0)
        (out_dir / f"plain.{fmt}").unlink(missing_ok=True)

    res["query"] = {}
    for name, (text, bindings) in spec["queries"].items():
        t = time.perf_counter()
        signal.alarm(int(spec["timeout"]))
        try:
            init = {k: URIRef(v) for k, v in bindings.items()}
            rows = len(list(ds.query(text, initBindings=init)))
            res["query"][name] = {"seconds": time.perf_counter() - t, "rows": rows, "status": "ok"}
        except _TimeoutError:
            res["query"][name] = {"seconds": time.perf_counter() - t, "status": "timeout"}
        except Exception as exc:  # noqa: BLE001 - a query rdflib cannot run is reported, not fatal
            res["query"][name] = {"seconds": time.perf_counter() - t, "status": f"error: {exc}"[:200]}
        finally:
            signal.alarm(0)

    # the entity graph of kg.analysis, the plain way: statements whose subject and object are entities
    t = time.perf_counter()
    has_body = URIRef("http://www.w3.org/ns/oa#hasBody")
    entities = {o for o in ds.objects(None, has_body) if isinstance(o, URIRef)}
    entities = {e for e in entities if (e, RDFS.label, None) in ds}
    graph = nx.Graph()
    graph.add_nodes_from(sorted(entities))
    for st in set(ds.subjects(RDF.subject, None)):
        s = ds.value(st, RDF.subject)
        o = ds.value(st, RDF.object)
        if s in entities and o in entities and not isinstance(o, Literal) and s != o:
            w = graph.get_edge_data(s, o, {"weight": 0})["weight"]
            graph.add_edge(s, o, weight=w + 1)
    res["graph"] = {"seconds": time.perf_counter() - t, "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
    res["analysis"] = {}
    for name, fn in (
        ("pagerank", lambda: nx.pagerank(graph, weight="weight")),
        ("degree", lambda: sorted(graph.degree, key=lambda x: -x[1])[:20]),
        ("betweenness", lambda: nx.betweenness_centrality(graph, k=min(500, len(graph)), seed=42)),
        ("communities", lambda: nx.community.louvain_communities(graph, weight="weight", seed=42)),
        ("components", lambda: list(nx.connected_components(graph))),
    ):
        t = time.perf_counter()
        signal.alarm(int(spec["timeout"]))
        try:
            fn()
            res["analysis"][name] = {"seconds": time.perf_counter() - t, "status": "ok"}
        except _TimeoutError:
            res["analysis"][name] = {"seconds": time.perf_counter() - t, "status": "timeout"}
        finally:
            signal.alarm(0)
    return res


# --- the benchmark of one size ----------------------------------------------------------------


@dataclass
class SizeResult:
    size: int
    words: int = 0
    triples: int = 0
    steps: dict[str, dict[str, Any]] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)
    plain: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def say(msg: str) -> None:
    print(msg, flush=True)


def _record(res: SizeResult, step: Step, **extra: Any) -> Step:
    d = asdict(step)
    d.pop("cmd")
    d["cmd"] = " ".join(step.cmd)
    d.update(extra)
    res.steps[step.name] = d
    flag = "" if step.ok else f"  [{step.status}, exit {step.rc}]"
    say(f"  {step.name:<34} {step.seconds:9.2f} s  {step.peak_rss / GB:6.2f} GB{flag}")
    return step


def _build_summary(path: str) -> dict[str, Any]:
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    out: dict[str, Any] = {}
    m = re.search(r"Built (\d+) sources \(([\d,]+) words\) into ([\d,]+) triples", text)
    if m:
        out.update(sources=int(m.group(1)), words=int(m.group(2).replace(",", "")), triples=int(m.group(3).replace(",", "")))
    m = re.search(r"Extracted (\d+) documents,? \(?(\d+) from the cache", text)
    if m:
        out.update(extracted=int(m.group(1)), cached=int(m.group(2)))
    m = re.search(r"Since the last build: (\d+) added, (\d+) removed, (\d+) changed", text)
    if m:
        out.update(added=int(m.group(1)), removed=int(m.group(2)), changed=int(m.group(3)))
        out["diff"] = [line.strip() for line in text[m.end() :].splitlines() if line.strip()[:1] in "+-~"][:12]
    elif "No statements changed since the last build" in text:
        out.update(added=0, removed=0, changed=0, diff=[])
    m = re.search(r"Conflicts: (\d+)", text)
    if m:
        out["conflicts"] = int(m.group(1))
    m = re.search(r"Corroborated statements \(more than one source\): (\d+)", text)
    if m:
        out["corroborated"] = int(m.group(1))
    return out


def named_queries() -> list[tuple[str, list[str]]]:
    """(name, parameter names) of every named query, from ``kg queries``."""
    proc = subprocess.run([str(KG), "queries"], capture_output=True, text=True, check=True)
    out = []
    for line in proc.stdout.splitlines()[2:]:
        m = re.match(r"(\S+)\s+((?:\w+=[A-Z]+\s?)*)\s", line + " ")
        if m and not set(m.group(1)) <= {"-"}:
            out.append((m.group(1), re.findall(r"(\w+)=", m.group(2))))
    return out


def analyses() -> list[tuple[str, list[str]]]:
    return [
        ("pagerank", ["centrality", "--by", "pagerank"]),
        ("degree", ["centrality", "--by", "degree"]),
        ("betweenness", ["centrality", "--by", "betweenness"]),
        ("communities", ["communities"]),
        ("components", ["components"]),
    ]


def export_formats() -> tuple[str, ...]:
    try:
        sys.path.insert(0, str(REPO))
        from kg.cli import EXPORT_FORMATS

        return tuple(EXPORT_FORMATS)
    except ImportError:
        return EXPORT_FALLBACK


def bench_size(n: int, args: argparse.Namespace, work: Path, out: Path, stopped: dict[str, str]) -> SizeResult:
    sys.path.insert(0, str(HERE))
    import generate

    res = SizeResult(n)
    logs = out / "logs" / str(n)
    if logs.exists():
        shutil.rmtree(logs)
    logs.mkdir(parents=True)
    proj = work / f"n{n}"
    if proj.exists():
        shutil.rmtree(proj)
    src = proj / "sources"
    say(f"\n== {n:,} articles (project {proj}) ==")
    t = time.perf_counter()
    res.words = generate.write(n, src, args.seed)
    say(f"  {'generate':<34} {time.perf_counter() - t:9.2f} s  ({res.words:,} words)")
    n_cases = max(1, min(200, n // 5))
    world = generate.make_world(args.seed, n_cases)
    kg = [str(KG), "-C", str(proj)]
    mem = args.mem_limit_gb * GB

    # 1. full build
    b = _record(res, run("build", [*kg, "build", "-j", str(args.jobs)], logs, timeout=args.build_timeout, mem_limit=mem, sample=0.1))
    summary = _build_summary(b.out) if b.ok else {}
    res.steps["build"]["summary"] = {k: v for k, v in summary.items() if k != "diff"}
    if not b.ok:
        res.notes.append(f"kg build failed ({b.status}): see {b.out} and its .err")
        return res
    manifest = json.loads((proj / "output" / "manifest.json").read_text(encoding="utf-8"))
    res.triples = int(manifest["summary"]["triples"])
    data = proj / "output" / manifest["data"]
    res.figures.update(
        build_seconds=b.seconds, docs_per_second=n / b.seconds, words_per_second=summary.get("words", res.words) / b.seconds,
        build_peak_rss=b.peak_rss, build_maxrss=b.maxrss, triples=res.triples, store_bytes=du(proj / "output" / "data"),
        store_only_bytes=du(data / "store"), trig_bytes=(proj / "output" / "kg.trig").stat().st_size,
        conflicts=manifest["summary"].get("conflicts"), corroborated=manifest["summary"].get("corroborated"),
        statements=manifest["summary"].get("statements"),
    )

    # 2. extraction alone, 1 worker vs N workers
    limit = min(n, args.scaling_docs)
    ext: dict[int, dict[str, Any]] = {}
    for jobs in sorted({1, args.jobs}):
        s = _record(res, run(f"extract-{jobs}w", [PY, __file__, "--_extract", str(proj), str(jobs), str(limit)], logs,
                             timeout=args.build_timeout, mem_limit=mem))
        if s.ok:
            ext[jobs] = json.loads(Path(s.out).read_text())
    if 1 in ext and args.jobs in ext and args.jobs != 1:
        res.figures["extract_1w_seconds"] = ext[1]["seconds"]
        res.figures[f"extract_{args.jobs}w_seconds"] = ext[args.jobs]["seconds"]
        res.figures["extract_speedup"] = ext[1]["seconds"] / ext[args.jobs]["seconds"]
        res.figures["extract_docs"] = limit
    if 1 in ext:
        res.figures["extract_1w_all_seconds"] = ext[1]["seconds"] * n / limit  # estimated when sampled
        res.figures["extract_1w_words_per_second"] = ext[1]["words"] / ext[1]["seconds"]

    # 3. incremental: change one, add one, remove one
    docs = sorted(p for p in src.iterdir() if p.suffix in (".txt", ".html"))
    changed = next(p for p in docs if p.suffix == ".txt")
    case0 = world.cases[0]
    with changed.open("a", encoding="utf-8") as fh:
        fh.write(f"\nThe {case0.body.abbr} said it had also found evidence of corruption. "
                 f"{case0.force.chief_title} {case0.force.chief.name} said: “We will study every page of this report.”\n")
    inc = {}
    for label, action in (("changed", None), ("added", "add"), ("removed", "remove")):
        if action == "add":
            name, text, sidecar = generate.generate(n + 1, args.seed, n_cases)[-1]
            (src / name).write_text(text, encoding="utf-8")
            (src / name).with_suffix(".toml").write_text(sidecar, encoding="utf-8")
        elif action == "remove":
            victim = next(p for p in reversed(docs) if p != changed)
            victim.unlink()
            victim.with_suffix(".toml").unlink()
        s = _record(res, run(f"incremental-{label}", [*kg, "build", "-j", str(args.jobs)], logs,
                             timeout=args.build_timeout, mem_limit=mem, sample=0.1))
        info = _build_summary(s.out) if s.ok else {}
        res.steps[s.name]["summary"] = info
        inc[label] = {"seconds": s.seconds, "status": s.status, "ratio": s.seconds / b.seconds,
                      **{k: info.get(k) for k in ("extracted", "cached", "added", "removed", "changed", "diff")}}
        if s.ok:
            diff = info.get("diff") or []
            say(f"    re-extracted {info.get('extracted')}; statements +{info.get('added')} -{info.get('removed')} ~{info.get('changed')}"
                + "".join(f"\n      {line[:110]}" for line in diff[:4]))
    res.figures["incremental"] = inc
    # back to the corpus as generated, built (so queries, exports and analyses see the full build)
    shutil.rmtree(src)
    generate.write(n, src, args.seed)
    _record(res, run("rebuild", [*kg, "build", "-j", str(args.jobs), "-q"], logs, timeout=args.build_timeout, mem_limit=mem))

    # 4. cold queries
    params = {"entity": case0.director.name}
    qres: dict[str, Any] = {}
    for name, pnames in named_queries():
        extra = [a for p in pnames for a in ("--param", f"{p}={params.get(p, '')}")]
        times, status = [], "ok"
        if f"query-{name}" in stopped:  # it ran past its limit on a smaller corpus: it would again
            qres[name] = {"median": None, "runs": [], "status": f"skipped ({stopped[f'query-{name}']})", "rows": None,
                          "peak_rss": None}
            say(f"  query-{name:<28} skipped: {stopped[f'query-{name}']}")
            continue
        for i in range(args.query_runs):
            s = run(f"query-{name}", [*kg, "query", name, *extra, "--format", "json"], logs,
                    timeout=args.query_timeout, mem_limit=mem, sample=0.25)
            if i == 0:
                _record(res, s)
            if not s.ok:
                status = s.status
                times.append(s.seconds)
                if s.status in ("timeout", "memory"):
                    stopped[f"query-{name}"] = f"{s.status} at {n:,} articles"
                break
            times.append(s.seconds)
        rows = None
        if status == "ok":
            try:
                rows = len(json.loads(Path(s.out).read_text(encoding="utf-8"))["results"]["bindings"])
            except (ValueError, KeyError):
                rows = None
        qres[name] = {"median": statistics.median(times), "runs": times, "status": status, "rows": rows,
                      "peak_rss": res.steps[f"query-{name}"]["peak_rss"]}
    res.figures["query"] = qres

    # 5. exports
    exp_dir = work / f"n{n}-exports"
    exp_dir.mkdir(exist_ok=True)
    eres = {}
    for fmt in export_formats():
        target = exp_dir / f"export.{fmt}"
        s = _record(res, run(f"export-{fmt}", [*kg, "export", "--format", fmt, "-o", str(target)], logs,
                             timeout=args.export_timeout, mem_limit=mem))
        eres[fmt] = {"seconds": s.seconds, "status": s.status, "bytes": target.stat().st_size if target.exists() else None,
                     "peak_rss": s.peak_rss}
        target.unlink(missing_ok=True)
    res.figures["export"] = eres
    if eres.get("turtle", {}).get("status") == "ok" and res.triples:
        res.figures["turtle_seconds_per_million"] = eres["turtle"]["seconds"] * 1e6 / res.triples

    # 6. analyses
    ares = {}
    for name, argv in analyses():
        s = _record(res, run(f"analyze-{name}", [*kg, "analyze", *argv, "-g", "entity"], logs,
                             timeout=args.analysis_timeout, mem_limit=mem))
        ares[name] = {"seconds": s.seconds, "status": s.status, "peak_rss": s.peak_rss}
    s = _record(res, run("analyze-path", [*kg, "analyze", "path", case0.director.name, case0.body.name], logs,
                         timeout=args.analysis_timeout, mem_limit=mem))
    ares["path"] = {"seconds": s.seconds, "status": s.status, "peak_rss": s.peak_rss}
    res.figures["analysis"] = ares

    # 7. the plain way
    if res.triples > args.plain_max_triples:
        res.notes.append(f"plain way skipped: {res.triples:,} triples > --plain-max-triples {args.plain_max_triples:,}")
    else:
        sys.path.insert(0, str(REPO))
        from kg import queries as kgq

        spec_queries = {}
        for name, pnames in named_queries():
            q = kgq.find(name)
            bindings = {}
            if pnames:
                # the plain way binds the entity's IRI (looked up once, like kg's own resolution)
                look = subprocess.run([*kg, "query", "-e",
                                       'PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT DISTINCT ?e '
                                       f'WHERE {{ ?e rdfs:label "{params["entity"]}" }}', "--format", "csv"],
                                      capture_output=True, text=True)
                lines = look.stdout.split()
                if len(lines) > 1:
                    bindings = {p: lines[1] for p in pnames}
            spec_queries[name] = (q.text, bindings)
        spec = {"exports": args.plain_exports, "queries": spec_queries, "timeout": args.plain_step_timeout}
        spec_path = logs / "plain-spec.json"
        spec_path.write_text(json.dumps(spec), encoding="utf-8")
        s = _record(res, run("plain", [PY, __file__, "--_plain", str(proj), str(exp_dir), str(spec_path)], logs,
                             timeout=args.plain_timeout, mem_limit=mem, sample=0.5))
        if s.ok:
            res.plain = json.loads(Path(s.out).read_text(encoding="utf-8"))
            res.plain["peak_rss"] = s.peak_rss
        else:
            res.notes.append(f"plain way stopped ({s.status}): see {s.out}")
    shutil.rmtree(exp_dir, ignore_errors=True)
    if not args.keep:
        shutil.rmtree(proj, ignore_errors=True)
    return res


# --- plain figures, targets, tables -----------------------------------------------------------


def plain_figures(r: dict[str, Any], ref: dict[str, Any] | None) -> dict[str, tuple[float, str]]:
    """Plain-way figures for the table: (seconds, "" or "est.")."""
    out: dict[str, tuple[float, str]] = {}
    p = r.get("plain") or {}
    f = r["figures"]
    tag = ""
    scale = 1.0
    if not p and ref and ref.get("plain") and ref.get("triples"):
        p, tag, scale = ref["plain"], "est.", r["triples"] / ref["triples"]
    if not p:
        return out
    ext = f.get("extract_1w_all_seconds")
    if ext is not None and "load" in p:
        ser = p.get("export", {}).get("trig", {}).get("seconds", 0.0)
        out["build"] = (ext + (p["load"] + ser) * scale, "est." if tag or f.get("extract_docs", r["size"]) < r["size"] else "")
    for name, q in p.get("query", {}).items():
        out[f"query:{name}"] = ((p["startup"] + q["seconds"]) * scale, tag if q["status"] == "ok" else q["status"])
    for fmt, e in p.get("export", {}).items():
        out[f"export:{fmt}"] = ((p["startup"] + e["seconds"]) * scale, tag if e["status"] == "ok" else e["status"])
    for name, a in p.get("analysis", {}).items():
        out[f"analysis:{name}"] = ((p["startup"] + p["graph"]["seconds"] + a["seconds"]) * scale,
                                   tag if a["status"] == "ok" else a["status"])
    return out


def fmt_s(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:.3f} s" if x < 10 else f"{x:,.1f} s"


def table(r: dict[str, Any], ref: dict[str, Any] | None) -> tuple[list[list[str]], list[dict[str, Any]]]:
    n = r["size"]
    f = r["figures"]
    plain = plain_figures(r, ref)
    rows: list[list[str]] = []
    verdicts: list[dict[str, Any]] = []

    def row(figure: str, value: float | None, unit: str, plain_key: str | None = None,
            target: str = "", ok: bool | None = None, status: str = "ok", judged: bool = True) -> None:
        shown = "—" if value is None else (fmt_s(value) if unit == "s" else unit.format(value))
        if status != "ok":
            shown = f"{shown} ({status})"
        pv, ratio = "—", ""
        if plain_key and plain_key in plain and value:
            pval, ptag = plain[plain_key]
            pv = fmt_s(pval) + (f" ({ptag})" if ptag else "")
            ratio = f"{pval / value:.1f}×" if ptag in ("", "est.") else ""
        verdict = "" if ok is None else ("PASS" if ok else "FAIL") if judged else "(info)"
        rows.append([figure, shown, pv, ratio, target, verdict])
        if ok is not None and judged:
            verdicts.append({"size": n, "figure": figure, "value": value, "target": target, "pass": ok})

    b = f.get("build_seconds")
    row("build time", b, "s", "build", "≤ 600 s at 10,000", None if b is None else b <= 600, judged=n >= 10000)
    if b:
        row("documents per second", f["docs_per_second"], "{:,.1f}/s", None, "≥ 16.7/s (10k in 10 min)",
            f["docs_per_second"] >= 10000 / 600, judged=n >= 1000)
        row("words per second", f["words_per_second"], "{:,.0f}/s")
        row("peak memory (process tree)", f["build_peak_rss"] / GB, "{:.2f} GB", None, "≤ 2 GB", f["build_peak_rss"] <= 2 * GB)
        row("triples", f["triples"], "{:,}")
        row("store size (output/data)", f["store_bytes"] / 1e6, "{:,.1f} MB")
    if "extract_speedup" in f:
        row(f"extraction 1 worker ({f['extract_docs']} docs)", f["extract_1w_seconds"], "s")
        sp = f["extract_speedup"]
        row("extraction speed-up, 2 workers vs 1", sp, "{:.2f}×", None, "≥ 1.7×", sp >= 1.7)
    for label, inc in (f.get("incremental") or {}).items():
        ok = inc["status"] == "ok" and inc["ratio"] <= 0.05 and inc.get("extracted") == (0 if label == "removed" else 1)
        row(f"incremental, one doc {label} (re-extracted {inc.get('extracted')})", inc["seconds"], "s", None,
            "≤ 5% of full build, 1 doc extracted", ok, status=inc["status"], judged=n >= 1000)
        rows[-1][1] += f" = {inc['ratio']:.1%}"
    for name, q in (f.get("query") or {}).items():
        row(f"cold query {name} (median)", q["median"], "s", f"query:{name}", "≤ 0.5 s",
            q["status"] == "ok" and (q["median"] or 0) <= 0.5, status=q["status"])
    for fmt, e in (f.get("export") or {}).items():
        row(f"export {fmt}", e["seconds"], "s", f"export:{fmt}", status=e["status"])
    if "turtle_seconds_per_million" in f:
        row("turtle export per 1M triples", f["turtle_seconds_per_million"], "s", None, "≤ 2 s",
            f["turtle_seconds_per_million"] <= 2, judged=f["triples"] >= 1_000_000)
    targets = {"pagerank": 2.0, "communities": 10.0}
    for name, a in (f.get("analysis") or {}).items():
        t = targets.get(name)
        row(f"analyze {name}", a["seconds"], "s", f"analysis:{name}", f"≤ {t:g} s" if t else "",
            (a["status"] == "ok" and a["seconds"] <= t) if t else None, status=a["status"])
    return rows, verdicts


def print_table(r: dict[str, Any], rows: list[list[str]]) -> str:
    head = ["figure", "kg", "plain", "plain/kg", "target", ""]
    widths = [max(len(str(x[i])) for x in [head, *rows]) for i in range(len(head))]
    lines = [f"\n{r['size']:,} articles ({r['words']:,} words, {r['triples']:,} triples)"]
    lines.append("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)))
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    for note in r.get("notes", []):
        lines.append(f"note: {note}")
    return "\n".join(lines)


def plot(report: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted(report["sizes"], key=int)
    rs = [report["sizes"][s] for s in sizes]
    xs = [int(s) for s in sizes]
    series: dict[str, list[float | None]] = {}

    def add(label: str, values: list[float | None]) -> None:
        if any(v for v in values):
            series[label] = values

    add("kg build", [r["figures"].get("build_seconds") for r in rs])
    add("plain build (1 worker + rdflib)", [plain_figures(r, None).get("build", (None,))[0] for r in rs])
    add("extraction, 1 worker (all docs)", [r["figures"].get("extract_1w_all_seconds") for r in rs])
    add("incremental, one doc changed", [(r["figures"].get("incremental") or {}).get("changed", {}).get("seconds") for r in rs])
    add("slowest finished cold query (median)",
        [max((q["median"] for q in (r["figures"].get("query") or {}).values() if q["status"] == "ok"), default=None) for r in rs])
    add("turtle export", [(r["figures"].get("export") or {}).get("turtle", {}).get("seconds") for r in rs])
    add("analyze pagerank", [(r["figures"].get("analysis") or {}).get("pagerank", {}).get("seconds") for r in rs])
    add("analyze communities", [(r["figures"].get("analysis") or {}).get("communities", {}).get("seconds") for r in rs])
    fig, ax = plt.subplots(figsize=(8, 5.5), dpi=110)
    for label, ys in series.items():
        pts = [(x, y) for x, y in zip(xs, ys, strict=True) if y]
        ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=label, linestyle="--" if "plain" in label else "-")
    ax.axhline(600, color="grey", linewidth=0.8, linestyle=":")
    ax.annotate("10-minute build target", (xs[0], 600), fontsize=8, color="grey", va="bottom")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("corpus size (articles)")
    ax.set_ylabel("seconds")
    ax.set_title(f"kg at scale ({report['machine']['cpus']} cores)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--_extract"]:
        print(json.dumps(extract_mode(Path(argv[1]), int(argv[2]), int(argv[3]))))
        return 0
    if argv[:1] == ["--_plain"]:
        spec = json.loads(Path(argv[3]).read_text(encoding="utf-8"))
        print(json.dumps(plain_mode(Path(argv[1]), Path(argv[2]), spec)))
        return 0
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument("--jobs", type=int, default=2, help="extraction workers of kg build [2]")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, default=None, help="where the projects are built [a temporary folder]")
    parser.add_argument("--keep", action="store_true", help="keep the generated projects")
    parser.add_argument("--query-runs", type=int, default=5)
    parser.add_argument("--query-timeout", type=float, default=10.0, help="seconds before a query is stopped [10]")
    parser.add_argument("--export-timeout", type=float, default=300.0)
    parser.add_argument("--analysis-timeout", type=float, default=120.0)
    parser.add_argument("--build-timeout", type=float, default=3600.0)
    parser.add_argument("--mem-limit-gb", type=float, default=8.0, help="stop any step above this much memory [8]")
    parser.add_argument("--scaling-docs", type=int, default=400,
                        help="documents timed for extraction with 1 and with N workers [400]; the plain build scales it to all")
    parser.add_argument("--plain-max-triples", type=int, default=1_500_000,
                        help="run the plain way up to this many triples [1,500,000], estimate it above")
    parser.add_argument("--plain-exports", nargs="*", default=["turtle", "trig", "nquads"],
                        help="formats the plain way serializes [turtle trig nquads]")
    parser.add_argument("--plain-step-timeout", type=float, default=10.0, help="per query, export or analysis [10]")
    parser.add_argument("--plain-timeout", type=float, default=900.0, help="the whole plain-way process [900]")
    args = parser.parse_args(argv)
    try:
        import psutil  # noqa: F401
    except ImportError:
        parser.error("psutil is needed: pip install psutil matplotlib")
    if not KG.exists():
        parser.error(f"no kg executable next to {sys.executable}")
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    report_path = out / "report.json"
    report: dict[str, Any] = {"sizes": {}}
    if report_path.exists():
        try:
            report = json.loads(report_path.read_text(encoding="utf-8"))
        except ValueError:
            report = {"sizes": {}}
    report["machine"] = {"cpus": os.cpu_count(), "python": sys.version.split()[0], "platform": sys.platform}
    work = args.workdir or Path(tempfile.mkdtemp(prefix="kg-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    say(f"kg scale benchmark: sizes {args.sizes}, {args.jobs} jobs, {os.cpu_count()} CPUs, projects in {work}")
    stopped: dict[str, str] = {}
    try:
        for n in sorted(args.sizes):
            r = bench_size(n, args, work, out, stopped)
            d = asdict(r)
            d["run_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            report["sizes"][str(n)] = d
            report_path.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    finally:
        if args.workdir is None and not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    # tables (every size in the report; the plain way of a skipped size is estimated from the largest measured)
    text = []
    verdicts = []
    sizes = sorted(report["sizes"], key=int)
    for s in sizes:
        r = report["sizes"][s]
        measured = [report["sizes"][x] for x in sizes if report["sizes"][x].get("plain")]
        ref = max(measured, key=lambda x: x["triples"]) if measured else None
        rows, v = table(r, ref)
        verdicts.extend(v)
        text.append(print_table(r, rows))
    built = {int(s): report["sizes"][s]["figures"].get("build_seconds") for s in sizes}
    if built.get(1000) and built.get(10000):
        ratio = built[10000] / built[1000]
        ok = ratio <= 11
        text.append(f"\nscaling: build of 10,000 / build of 1,000 = {ratio:.2f} (target ≤ 11): {'PASS' if ok else 'FAIL'}")
        verdicts.append({"size": 10000, "figure": "build 10k / 1k", "value": ratio, "target": "≤ 11", "pass": ok})
    for a, b in itertools.pairwise(sizes):
        if built.get(int(a)) and built.get(int(b)):
            text.append(f"scaling: build of {int(b):,} / build of {int(a):,} = {built[int(b)] / built[int(a)]:.2f} "
                        f"(linear: {int(b) / int(a):.0f})")
    fails = [v for v in verdicts if not v["pass"]]
    text.append(f"\n{len(verdicts) - len(fails)} targets passed, {len(fails)} failed. "
                f"Benchmark took {time.perf_counter() - t0:,.0f} s. Report: {report_path}; logs: {out / 'logs'}")
    report["verdicts"] = verdicts
    report_path.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    (out / "table.txt").write_text("\n".join(text) + "\n", encoding="utf-8")
    try:
        plot(report, out / "scale.png")
        text.append(f"Plot: {out / 'scale.png'}")
    except ImportError:
        text.append("no plot: matplotlib is not installed")
    say("\n".join(text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
