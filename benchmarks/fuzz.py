"""Fuzz kg's readers of untrusted input for a fixed budget and count what happens.

Targets (``--target``, default all):

- ``sources``: a sources folder of one to three generated files (TOML sidecars, text and HTML
  documents, raw bytes; mutations of real sidecars and documents with hostile strings spliced in)
  read by :func:`kg.sources.load`;
- ``html``: generated markup read by :func:`kg.html.extract` (deep nests, unclosed tags, comments,
  entities, scripts, random bytes decoded leniently);
- ``binding``: ``--param`` values of every kind bound into named and generated queries on the mini
  dataset (:func:`kg.queries.bind`, :func:`kg.queries.run`), and checked: the rows with the value
  stood in the query must be the rows Oxigraph's own substitution gives (a value cannot change
  what a query does).

Every input is classified:

- **ok**: accepted;
- **clean error**: refused with kg's own error (a ``SourceError``/``QueryError``, or the ``ValueError``
  :func:`kg.html.extract` documents);
- **crash**: any other exception (a traceback for a user), or, for ``binding``, rows that differ;
- **hang**: no answer within ``--hang`` seconds (the input runs in a worker process, which is
  killed and restarted).

Inputs are derived from ``--seed`` and their number alone, so a run is reproducible and a crash
is re-run with ``--target T --replay N``.  Each distinct crash (by exception type and the frame it
came from) is printed once with its input.

    python benchmarks/fuzz.py --seconds 60            # every target, 60 s each
    python benchmarks/fuzz.py --target html --inputs 5000
"""

from __future__ import annotations

import argparse
import atexit
import multiprocessing
import os
import random
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# --- material ------------------------------------------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "javascript:alert(1)", "\"><svg onload=alert(1)>",
    "</title><script>x()</script>", "{{7*7}}", "{% raw %}", "${jndi:ldap://x}", "[^1]: forged footnote",
    "[^1]", "| a | b |\n|---|---|", "# Heading", "\n\n---\n", "**bold**", "[link](javascript:alert(1))",
    "=HYPERLINK(\"http://x\")", "+SUM(A1)", "-2+3", "@cmd", "\t=1", '"""', "'''", '\\"', "\\u0022", "> .",
    "} GRAPH <x> { <a> <b> <c> }", "\" . <urn:x> <urn:y> \"z", "<urn:inject>", "^^<http://www.w3.org/2001/XMLSchema#integer>",
    "@en", "\"@en", "_:b0", "?x", "$x", "#", "\x00", "\x07", "\x1b[31m", "\x7f", "\u0085", "\u2028", "\u2029",
    "\u202e", "\u200b", "\ufeff", "\ufffe", "\U0001f600", "é", "\u0301", "İ", "ß", "ﬁ", "\r\n", "\r", "\x0c",
    "&amp;", "&#0;", "&#x110000;", "&nbsp;", "&lt;script&gt;", "<!--", "-->", "<![CDATA[x]]>", "<?php ?>",
    "SERVICE <http://127.0.0.1:9/>", "DROP ALL", "INSERT DATA { <a> <b> <c> }", "../../etc/passwd", "/etc/passwd",
    "C:\\Windows", "%00", "%2e%2e/", "file:///etc/passwd", "http://", "https://example.org/a b", "mailto:x@y",
    "data:text/html,<script>alert(1)</script>", "0", "-1", "9" * 40, "1e999", "NaN", "2022-02-30", "9999-12-31",
    "0000", "2022-13", "+2022", "２０２２", "", " ", "\t", "\n", "x" * 5000,
]

TOML_KEYS = ["title", "publisher", "published", "url", "genre", "via", "file", "id", "sha256", "embargoed", "other"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ ") for _ in range(rng.randint(1, 12)))


def hostile_string(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 4)):
        r = rng.random()
        if r < 0.5:
            parts.append(rng.choice(HOSTILE))
        elif r < 0.8:
            parts.append(_word(rng))
        else:
            parts.append("".join(chr(rng.choice([rng.randint(0, 0x7F), rng.randint(0x80, 0x2FFF), rng.randint(0x10000, 0x1F6FF)]))
                                 for _ in range(rng.randint(1, 8))))
    return "".join(parts)


def _toml_string(s: str) -> str:
    """A TOML basic string holding ``s`` (escaped as TOML wants)."""
    out = []
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        elif 0xD800 <= ord(ch) <= 0xDFFF:
            out.append("?")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _mutate(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        op = rng.random()
        pos = rng.randint(0, len(b)) if b else 0
        if op < 0.3 and b:
            del b[pos : pos + rng.randint(1, 20)]
        elif op < 0.6:
            b[pos:pos] = rng.choice(HOSTILE).encode("utf-8", "surrogatepass")
        elif op < 0.8 and b:
            b[min(pos, len(b) - 1)] = rng.randint(0, 255)
        else:
            b[pos:pos] = bytes(rng.randint(0, 255) for _ in range(rng.randint(1, 8)))
    return bytes(b)


def _real_examples() -> list[tuple[str, bytes, bytes]]:
    """(stem, sidecar, document) of the corpus and the test articles, to mutate."""
    out = []
    for folder in (REPO / "sources", REPO / "tests" / "articles", REPO / "tests" / "fixtures" / "mini" / "sources"):
        for side in sorted(folder.glob("*.toml")):
            for suffix in (".txt", ".html"):
                doc = side.with_suffix(suffix)
                if doc.is_file():
                    out.append((side.stem, side.read_bytes(), doc.read_bytes()[:6000]))
    return out


def gen_sidecar(rng: random.Random, stem: str, doc_name: str) -> bytes:
    lines = []
    keys = ["title", "publisher", "published", *rng.sample(TOML_KEYS, rng.randint(0, 4))]
    if rng.random() < 0.2:
        rng.shuffle(keys)
        keys = keys[: rng.randint(0, len(keys))]
    for key in dict.fromkeys(keys):
        r = rng.random()
        if key == "published" and r < 0.6:
            value = _toml_string(rng.choice(["2022", "2022-02", "2022-02-02", "2999-01-01", "2022-02-30", "1066", rng.choice(HOSTILE)]))
        elif key == "published" and r < 0.7:
            value = rng.choice(["2022-02-02", "1979-05-27T07:32:00Z", "2022", "true", "[1, 2]"])
        elif key == "file" and r < 0.6:
            value = _toml_string(rng.choice([doc_name, "missing.txt", "../x.txt", "/etc/passwd", "sub/x.txt", doc_name + "\x00"]))
        elif key == "url" and r < 0.5:
            value = _toml_string(rng.choice(["https://example.org/a", "javascript:alert(1)", "not a url", "http://", "ftp://x/y",
                                             "https://example.org/\"><script>", "https://exa mple.org/"]))
        elif key == "embargoed":
            value = rng.choice(["true", "false", '"yes"', "1"])
        elif r < 0.1:
            value = rng.choice(["1", "true", "[]", "{a = 1}", "2022-02-02", '""', "'''\nmulti\n'''"])
        else:
            value = _toml_string(hostile_string(rng))
        lines.append(f"{key} = {value}")
    text = "\n".join(lines) + "\n"
    data = text.encode("utf-8", "surrogatepass")
    return _mutate(rng, data) if rng.random() < 0.25 else data


def gen_text(rng: random.Random) -> bytes:
    paras = []
    for _ in range(rng.randint(1, 8)):
        sentences = []
        for _ in range(rng.randint(1, 5)):
            words = [rng.choice(["The", "Mr", "Dr.", "J.", "officers", "said", "“", "”", "IOPC", "2022", "…", "?", "!", "."])
                     if rng.random() < 0.6 else hostile_string(rng) for _ in range(rng.randint(1, 12))]
            sentences.append(" ".join(words) + rng.choice([".", "?", "!", "", "…", ".”"]))
        paras.append(" ".join(sentences))
    text = rng.choice(["\n\n", "\n", "\r\n\r\n"]).join(paras) + "\n"
    data = text.encode("utf-8", "surrogatepass")
    r = rng.random()
    if r < 0.15:
        data = _mutate(rng, data)
    elif r < 0.2:
        data = bytes(rng.randint(0, 255) for _ in range(rng.randint(0, 300)))
    return data


def gen_markup(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.1:  # deep nesting, then text
        depth = rng.choice([100, 255, 256, 300, 1000, 3000])
        tag = rng.choice(["div", "span", "b", "section", "p"])
        return (f"<html><body><article><p>Before the nest.</p>{('<' + tag + '>') * depth}deep words{('</' + tag + '>') * depth}"
                "<p>After the nest.</p></article></body></html>")
    if r < 0.15:
        return bytes(rng.randint(0, 255) for _ in range(rng.randint(0, 400))).decode("latin-1")
    tags = ["p", "div", "span", "article", "main", "nav", "aside", "script", "style", "h1", "figure", "figcaption", "br",
            "table", "tr", "td", "ul", "li", "a", "b", "header", "footer", "template", "svg", "math", "title", "noscript"]
    out = ["<!doctype html>" if rng.random() < 0.5 else "", "<html><head><title>", hostile_string(rng), "</title></head><body>"]
    stack: list[str] = []
    for _ in range(rng.randint(1, 60)):
        op = rng.random()
        if op < 0.35:
            tag = rng.choice(tags)
            attrs = ""
            if rng.random() < 0.4:
                attrs = " " + rng.choice(["class", "id", "role", "href", "onclick", "hidden", "aria-hidden", "style"]) + "=\"" + \
                    rng.choice(["nav", "sidebar", "caption", "credit", "main", "true", "javascript:alert(1)", hostile_string(rng)]).replace('"', "") + "\""
            out.append(f"<{tag}{attrs}>")
            stack.append(tag)
        elif op < 0.55 and stack:
            out.append(f"</{stack.pop()}>")
        elif op < 0.6:
            out.append(f"</{rng.choice(tags)}>")
        elif op < 0.65:
            out.append(rng.choice(["<!-- c -->", "<!--", "<![CDATA[x]]>", "&amp;", "&#0;", "&#x110000;", "&bogus;", "<?x?>", "<"]))
        else:
            out.append(hostile_string(rng) if rng.random() < 0.5 else _word(rng) + ". ")
    if rng.random() < 0.7:
        out.extend(f"</{t}>" for t in reversed(stack))
    out.append("</body></html>")
    return "".join(out)


# --- targets -------------------------------------------------------------------------------------


@dataclass
class Outcome:
    kind: str  # ok, clean, crash
    signature: str = ""
    detail: str = ""


def _crash(exc: BaseException) -> Outcome:
    tb = traceback.extract_tb(exc.__traceback__)
    frame = next((f for f in reversed(tb) if "/kg/" in f.filename), tb[-1] if tb else None)
    where = f"{Path(frame.filename).name}:{frame.lineno} {frame.name}" if frame else "?"
    return Outcome("crash", f"{type(exc).__name__} at {where}", "".join(traceback.format_exception(exc))[-3000:])


class SourcesTarget:
    name = "sources"

    def __init__(self, scratch: Path | None = None) -> None:
        from kg import sources
        from kg.errors import SourceError

        self.sources, self.error = sources, SourceError
        self.examples = _real_examples()
        if scratch is None:
            scratch = Path(tempfile.mkdtemp(prefix="kg-fuzz-"))
            atexit.register(shutil.rmtree, scratch, True)
        self.root = scratch

    def make(self, rng: random.Random) -> dict[str, bytes]:
        files: dict[str, bytes] = {}
        for n in range(rng.choice([1, 1, 1, 2, 3])):
            r = rng.random()
            suffix = rng.choice([".txt", ".txt", ".html", ".htm", ".text", ".md", ""])
            stem = rng.choice(["a", "b-1", "doc", "Bad Name", "x.y", ".hidden", "README", f"d{n}"])
            if r < 0.4 and self.examples:
                ex_stem, side, doc = rng.choice(self.examples)
                doc_suffix = ".html" if doc.lstrip().startswith(b"<") else ".txt"
                files[f"{ex_stem}.toml"] = _mutate(rng, side) if rng.random() < 0.7 else side
                files[f"{ex_stem}{doc_suffix}"] = _mutate(rng, doc) if rng.random() < 0.5 else doc
            else:
                doc = gen_markup(rng).encode("utf-8", "surrogatepass") if suffix in (".html", ".htm") else gen_text(rng)
                files[f"{stem}{suffix}"] = doc
                if rng.random() < 0.9:
                    files[f"{stem}.toml"] = gen_sidecar(rng, stem, f"{stem}{suffix}")
        return files

    def run(self, rng: random.Random) -> Outcome:
        files = self.make(rng)
        folder = Path(tempfile.mkdtemp(dir=self.root))
        try:
            for name, data in files.items():
                (folder / name).write_bytes(data)
            try:
                self.sources.load(folder)
            except self.error:
                return Outcome("clean")
            except Exception as exc:  # noqa: BLE001 - counted
                return _crash(exc)
            return Outcome("ok")
        finally:
            for p in folder.iterdir():
                p.unlink()
            folder.rmdir()

    def describe(self, rng: random.Random) -> str:
        return repr(self.make(rng))[:2000]


class HtmlTarget:
    name = "html"

    def __init__(self, scratch: Path | None = None) -> None:
        from kg import html

        self.html = html

    def run(self, rng: random.Random) -> Outcome:
        markup = gen_markup(rng)
        deep = "After the nest." in markup
        try:
            page = self.html.extract(markup)
        except ValueError as exc:
            if deep and "no main text" in str(exc):
                return Outcome("crash", "a deep nest refused as a page without text", markup[:200])
            return Outcome("clean")
        except Exception as exc:  # noqa: BLE001 - counted
            return _crash(exc)
        if deep and "After the nest." not in page.text:
            return Outcome("crash", "text after a deep nest lost", markup[:200])
        return Outcome("ok")

    def describe(self, rng: random.Random) -> str:
        return repr(gen_markup(rng))[:2000]


QUERY_TEMPLATES = [
    "SELECT ?x WHERE { ?s ?p ?x }",
    "SELECT ?x ?s WHERE { ?s ?p ?o FILTER (?o = ?x) }",
    "SELECT ?x (COUNT(*) AS ?n) WHERE { ?s ?p ?x } GROUP BY ?x",
    "PREFIX schema: <https://schema.org/>\nSELECT ?x WHERE { ?s schema:name ?x } ORDER BY ?x",
    "SELECT ?x WHERE { BIND (?x AS ?y) ?s ?p ?y }",
    "SELECT ?x WHERE { VALUES ?x { 1 2 } }",
    "SELECT * WHERE { ?x ?p ?o } LIMIT 3",
    "SELECT ?x WHERE { { SELECT ?x WHERE { ?x ?p ?o } LIMIT 2 } }",
    "SELECT ?x WHERE { OPTIONAL { ?s <urn:p> ?x } FILTER (!BOUND(?x) || STR(?x) != \"\") }",
    "SELECT ?x WHERE { GRAPH ?x { ?s ?p ?o } }",
    "SELECT ?x WHERE { ?s ?p ?o . FILTER (CONTAINS(STR(?o), STR(?x))) } LIMIT 5",
]


class BindingTarget:
    name = "binding"

    def __init__(self, scratch: Path | None = None) -> None:
        import pyoxigraph as ox

        from kg import binding, queries
        from kg.errors import QueryError

        self.ox, self.queries, self.binding, self.error = ox, queries, binding, QueryError
        self.store = ox.Store()
        self.store.load((REPO / "tests" / "fixtures" / "mini" / "kg.trig").read_bytes(), format=ox.RdfFormat.TRIG)
        self.named = [q for q in queries.named(REPO / "queries") if q.params]

    def make(self, rng: random.Random) -> tuple[Any, dict[str, str]]:
        kinds = list(self.queries.PARAM_KINDS)
        r = rng.random()
        if r < 0.3 and self.named:
            q = rng.choice(self.named)
        else:
            text = rng.choice(QUERY_TEMPLATES)
            kind = rng.choice(kinds)
            declared = f"# fuzz\n# param: x {kind} — a value\n" if rng.random() < 0.7 else ""
            q = self.queries.parse(declared + text, "fuzz", "the fuzzed query")
        value = rng.choice([hostile_string(rng), rng.choice(HOSTILE), "<https://kg.example/id/x>", "person:sal-naseem",
                            '"x"@en', '"5"^^xsd:integer', '"a\\"b"', "Harbour Gazette", "2021-05", "42", "<a b>", '"x" . <a> <b> <c>'])
        names = [p.name for p in q.params] or ["x"]
        return q, {names[0]: value}

    def run(self, rng: random.Random) -> Outcome:
        q, params = self.make(rng)
        try:
            bound = self.queries.bind(self.store, q, params)
            self.queries.run(self.store, q, params)
        except self.error:
            return Outcome("clean")
        except Exception as exc:  # noqa: BLE001 - counted
            return _crash(exc)
        # no value can change what the query does: with the value stood in, the query has the
        # same tokens as with a harmless placeholder of the same kind, but for the term itself
        text = self.binding.inline(q.text, bound)
        if text is not None:
            placeholders = {k: self._placeholder(v) for k, v in bound.items()}
            expected = self.binding.inline(q.text, placeholders)
            if expected is None or self._shape(text) != self._shape(expected):
                return Outcome("crash", "a value changed the query's tokens", f"{q.text!r} {params!r} -> {text!r}")
        return Outcome("ok")

    def _placeholder(self, term: Any) -> Any:
        ox = self.ox
        if isinstance(term, ox.NamedNode):
            return ox.NamedNode("urn:kg:placeholder")
        if isinstance(term, ox.Literal):
            if term.language:
                return ox.Literal("placeholder", language=term.language)
            return ox.Literal("placeholder", datatype=term.datatype)
        return term

    def _shape(self, text: str) -> list[tuple[str, str]]:
        """The query's significant tokens, with the text of strings and IRIs left out."""
        return [(t.kind, "" if t.kind in ("string", "iri") else t.text)
                for t in self.binding.tokens(text) if t.kind not in ("ws", "comment")]

    def describe(self, rng: random.Random) -> str:
        q, params = self.make(rng)
        return f"query {q.text!r} params {params!r}"


TARGETS: dict[str, Callable[..., Any]] = {"sources": SourcesTarget, "html": HtmlTarget, "binding": BindingTarget}


# --- the runner ----------------------------------------------------------------------------------


def _rng(seed: int, target: str, i: int) -> random.Random:
    return random.Random(f"{seed}/{target}/{i}")


def _worker(target_name: str, seed: int, start: int, conn: Any, scratch: Path) -> None:
    target = TARGETS[target_name](scratch)
    i = start
    while True:
        conn.send(("start", i))
        out = target.run(_rng(seed, target_name, i))
        conn.send(("done", i, out.kind, out.signature, out.detail))
        i += 1


@dataclass
class Tally:
    tried: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    crashes: dict[str, tuple[int, str]] = field(default_factory=dict)


def fuzz(target_name: str, seed: int, seconds: float, inputs: int | None, hang: float) -> Tally:
    ctx = multiprocessing.get_context("fork")
    tally = Tally()
    scratch = Path(tempfile.mkdtemp(prefix="kg-fuzz-"))  # the workers' files: removed here, whatever happens to them
    deadline = time.monotonic() + seconds
    i = 0
    while (inputs is None or tally.tried < inputs) and time.monotonic() < deadline:
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_worker, args=(target_name, seed, i, child, Path(tempfile.mkdtemp(dir=scratch))), daemon=True)
        proc.start()
        child.close()
        current = None
        while (inputs is None or tally.tried < inputs) and time.monotonic() < deadline:
            if not parent.poll(hang if current is not None else 60):
                if current is not None:
                    tally.tried += 1
                    tally.counts["hang"] += 1
                    tally.crashes.setdefault(f"hang (> {hang:g} s)", (current, ""))
                    i = current + 1
                break
            try:
                msg = parent.recv()
            except EOFError:  # the worker died (a crash of the interpreter itself)
                if current is not None:
                    tally.tried += 1
                    tally.counts["crash"] += 1
                    tally.crashes.setdefault(f"worker died (exit {proc.exitcode})", (current, ""))
                    i = current + 1
                break
            if msg[0] == "start":
                current = msg[1]
                continue
            _, n, kind, signature, detail = msg
            tally.tried += 1
            tally.counts[kind] += 1
            if kind == "crash":
                tally.crashes.setdefault(signature, (n, detail))
            current = None
            i = n + 1
        proc.kill()
        proc.join()
        parent.close()
    shutil.rmtree(scratch, ignore_errors=True)
    return tally


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--target", choices=sorted(TARGETS), action="append", help="what to fuzz (repeatable) [all]")
    ap.add_argument("--seconds", type=float, default=60.0, help="budget per target [60]")
    ap.add_argument("--inputs", type=int, help="stop a target after this many inputs")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--hang", type=float, default=10.0, help="seconds after which an input counts as a hang [10]")
    ap.add_argument("--replay", type=int, metavar="N", help="run input N of the (one) target in this process and show it")
    args = ap.parse_args()
    targets = args.target or sorted(TARGETS)
    if args.replay is not None:
        target = TARGETS[targets[0]]()
        print(target.describe(_rng(args.seed, targets[0], args.replay)))
        out = target.run(_rng(args.seed, targets[0], args.replay))
        print(out.kind, out.signature)
        print(out.detail)
        return
    print(f"{'target':<10} {'inputs':>8} {'ok':>8} {'clean errors':>13} {'crashes':>8} {'hangs':>6}  (seed {args.seed})")
    all_crashes = []
    for name in targets:
        t0 = time.monotonic()
        tally = fuzz(name, args.seed, args.seconds, args.inputs, args.hang)
        c = tally.counts
        print(f"{name:<10} {tally.tried:>8,} {c['ok']:>8,} {c['clean']:>13,} {c['crash']:>8,} {c['hang']:>6,}"
              f"  ({time.monotonic() - t0:.0f} s)", flush=True)
        all_crashes.extend((name, sig, n, detail) for sig, (n, detail) in tally.crashes.items())
    for name, sig, n, detail in all_crashes:
        print(f"\n[{name} #{n}] {sig}   (replay: python benchmarks/fuzz.py --target {name} --seed {args.seed} --replay {n})")
        if detail:
            print("  " + detail.strip().replace("\n", "\n  ")[-1500:])
    sys.exit(1 if all_crashes else 0)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
