"""Extraction throughput on this machine: the corpus repeated to at least 1 MB of text.

    python benchmarks/extraction_throughput.py [--megabytes 1.0] [--jobs 1 2] [--json]

Prints words per second and documents per second for each number of worker processes, and the
speed-up of more workers over one.  Extraction only (the per-document step of ``kg build``): no
linking or writing, no cache.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kg import sources  # noqa: E402
from kg.extract import extract_document  # noqa: E402
from kg.model import Document  # noqa: E402


def corpus_of_size(megabytes: float) -> list[Document]:
    base = sources.load(REPO / "sources")
    docs: list[Document] = []
    size = 0
    i = 0
    while size < megabytes * 1_000_000:
        d = base[i % len(base)]
        docs.append(replace(d, id=f"{d.id}-{i:05d}"))
        size += len(d.text.encode("utf-8"))
        i += 1
    return docs


def _warm(_: int) -> int:
    from kg.nlp import load

    load()
    return os.getpid()


def run(docs: list[Document], jobs: int) -> float:
    """Seconds to extract ``docs`` with ``jobs`` worker processes (model loading excluded)."""
    if jobs == 1:
        extract_document(docs[0])  # load the model before timing
        t = time.perf_counter()
        for d in docs:
            extract_document(d)
        return time.perf_counter() - t
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(_warm, range(jobs * 2)))
        t = time.perf_counter()
        list(pool.map(extract_document, docs, chunksize=max(1, len(docs) // (jobs * 8))))
        return time.perf_counter() - t


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--megabytes", type=float, default=1.0)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    docs = corpus_of_size(args.megabytes)
    words = sum(d.word_count for d in docs)
    size = sum(len(d.text.encode("utf-8")) for d in docs)
    results = []
    for jobs in args.jobs:
        seconds = run(docs, jobs)
        results.append({"jobs": jobs, "seconds": round(seconds, 2), "words_per_second": round(words / seconds),
                        "documents_per_second": round(len(docs) / seconds, 2)})
    base = results[0]["seconds"]
    for r in results:
        r["speedup"] = round(base / r["seconds"], 2)
    report = {"documents": len(docs), "words": words, "bytes": size, "cpus": os.cpu_count(), "runs": results}
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"Extraction of {len(docs)} documents, {words:,} words, {size / 1e6:.2f} MB, on {os.cpu_count()} CPUs")
    print(f"{'workers':>8} {'seconds':>9} {'words/s':>9} {'docs/s':>8} {'speed-up':>9}")
    for r in results:
        print(f"{r['jobs']:>8} {r['seconds']:>9.2f} {r['words_per_second']:>9,} {r['documents_per_second']:>8.2f} {r['speedup']:>8.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
