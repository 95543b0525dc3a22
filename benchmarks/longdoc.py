"""A long document: the layout of texts of 1, 2, 4, 8 and 20 MB, and ``kg build`` of a 20 MB one.

    python benchmarks/longdoc.py [--sizes 1 2 4 8 20] [--old]

For each size, a text made of the corpus' paragraphs repeated is laid out as a source is
(:func:`kg.sources.layout`: paragraphs, sentences, furniture), and the time of each step and its
ratio to the smallest size's time per megabyte are printed: linear means about 1.0 all down the
column.  ``--old`` also times the sentence splitter as it was before issue 13 (a copy of the text
up to each paragraph), at the sizes up to 8 MB.  Then ``kg build`` runs on a project holding one
20 MB document and the time until it stops is printed with its message: a document over the
language model's limit is refused, naming the limit, before any work on it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kg import sources  # noqa: E402
from kg import text as textlib  # noqa: E402
from kg.model import PartialDate, SourceMeta, Span  # noqa: E402

MB = 1_000_000


def long_text(size: int) -> str:
    base = "\n\n".join(d.text.strip() for d in sources.load(REPO / "sources")) + "\n\n"
    return (base * (size // len(base) + 1))[:size].rsplit("\n", 1)[0] + "\n"


def old_sentences(text: str, paras: tuple[Span, ...]) -> list[Span]:
    """The splitter before issue 13: ``text[: para.end]`` copied for every paragraph."""
    out: list[Span] = []
    for para in paras:
        body = text[: para.end]
        start = para.start
        for m in textlib._BOUNDARY.finditer(body, para.start, para.end):
            end_mark = m.group("end")
            single_stop = end_mark.startswith(".") and len(end_mark.rstrip("”\"’')]")) == 1
            if single_stop and textlib._ends_with_abbreviation(body, m.start("end")):
                continue
            s, e = textlib.strip_span(text, start, m.end("end"))
            if e > s:
                out.append(Span(s, e))
            start = m.end("gap")
        s, e = textlib.strip_span(text, start, para.end)
        if e > s:
            out.append(Span(s, e))
    return out


def timed(f, *args):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    out = f(*args)
    return out, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=float, nargs="+", default=[1, 2, 4, 8, 20], help="megabytes")
    ap.add_argument("--old", action="store_true", help="also time the quadratic splitter (up to 8 MB)")
    args = ap.parse_args()
    meta = SourceMeta("A long document", "A Publisher", "", PartialDate(2022), "", None)
    print(f"{'MB':>5} {'paragraphs':>10} {'sentences':>10} {'paragraphs s':>12} {'sentences s':>11} {'furniture s':>11} "
          f"{'layout s':>9} {'s per MB':>8} {'vs first':>8}" + ("  old sentences s" if args.old else ""))
    first = None
    for mb in args.sizes:
        text = long_text(int(mb * MB))
        paras, tp = timed(textlib.paragraphs, text)
        sents, ts = timed(textlib.sentences, text, paras)
        _f, tf = timed(lambda t=text: textlib.furniture(t, title=meta.title, publisher=meta.publisher))
        _doc, tl = timed(sources.layout, "long", "long.txt", "text/plain", text, meta)
        per_mb = tl / mb
        first = first or per_mb
        line = (f"{mb:>5g} {len(paras):>10,} {len(sents):>10,} {tp:>12.2f} {ts:>11.2f} {tf:>11.2f} "
                f"{tl:>9.2f} {per_mb:>8.3f} {per_mb / first:>8.2f}")
        if args.old and mb <= 8:
            old, to = timed(old_sentences, text, paras)
            assert old == list(sents)
            line += f"  {to:>15.2f}"
        print(line, flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "sources"
        src.mkdir()
        (src / "long.txt").write_text(long_text(20 * MB), encoding="utf-8")
        (src / "long.toml").write_text('title = "A long document"\npublisher = "A Publisher"\npublished = "2022"\n')
        kg = Path(sys.executable).with_name("kg")
        t = time.perf_counter()
        run = subprocess.run([str(kg), "-C", tmp, "build"], capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
        took = time.perf_counter() - t
        print(f"\nkg build of one 20 MB document: exit {run.returncode} after {took:.1f} s")
        print("  " + (run.stderr.strip().splitlines() or [""])[-1])


if __name__ == "__main__":
    main()
