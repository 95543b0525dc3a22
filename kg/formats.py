"""Rows of values as a terminal table, CSV or JSON records: the shared output of ``kg analyze``.

``kg query`` uses :func:`table` too; its CSV, TSV and JSON are the SPARQL 1.1 result formats
(see :mod:`kg.queries`).  No CSV cell starts a spreadsheet formula (:func:`csv_cell`).  Everything here is pure Python and cheap to import.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Sequence

#: Output formats of ``kg analyze`` (``kg query`` adds ``tsv``).
FORMATS = ("table", "csv", "json")

# The names of what the library offers, kept here (cheap to import) so that the CLI's choices
# are the library's own: each module that implements them takes its names from here, and
# tests/test_cli_query.py checks that the implementations and the names agree.
#: ``kg query`` formats: ``json``, ``csv`` and ``tsv`` are the SPARQL 1.1 result formats.
QUERY_FORMATS = ("table", "csv", "tsv", "json")
#: ``kg export`` formats (:data:`kg.export.FORMATS` implements each).
EXPORT_FORMATS = ("turtle", "trig", "nquads", "ntriples", "jsonld", "graphml", "annotations", "csv", "xlsx")
#: The graphs ``kg analyze`` and ``kg export --format graphml`` offer.
GRAPHS = ("entity", "comention", "bipartite")
#: Ways to rank nodes in ``kg analyze centrality``.
MEASURES = ("pagerank", "degree", "betweenness")
#: ``kg factsheet`` formats.
FACTSHEET_FORMATS = ("md", "html")
#: Where ``kg build`` extracts: its own worker processes, or a Dask cluster (:mod:`kg.distributed`).
EXECUTORS = ("process", "dask")

#: The widest a table cell gets before it is shortened with "…" (CSV and JSON keep every character).
MAX_CELL = 60

Cell = str | int | float | bool | list[str] | None


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide East Asian characters count 2, combining marks 0."""
    n = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        n += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return n


def shorten(text: str, limit: int = MAX_CELL) -> str:
    """``text`` on one line, cut to ``limit`` columns with a trailing "…" when it is longer."""
    text = " ".join(text.split())
    if width(text) <= limit:
        return text
    out, used = [], 0
    for ch in text:
        w = width(ch)
        if used + w > limit - 1:
            break
        out.append(ch)
        used += w
    return "".join(out).rstrip() + "…"


def cell_text(value: Cell) -> str:
    """How a value reads in a table: floats with 4 decimals, ``None`` as nothing."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    right: Sequence[bool] | None = None,
    footer: str | None = None,
    limit: int = MAX_CELL,
) -> str:
    """A plain-text table: a header, a rule of dashes, one line per row, then ``footer``.

    ``right`` marks the columns to align right (numbers).  Cells are shortened to ``limit``
    columns, so each row stays on one line.
    """
    right = list(right) if right is not None else [False] * len(headers)
    cells = [[shorten(c, limit) for c in row] for row in rows]
    widths = [width(h) for h in headers]
    for row in cells:
        for i, c in enumerate(row):
            widths[i] = max(widths[i], width(c))

    def line(values: Sequence[str]) -> str:
        parts = []
        for i, v in enumerate(values):
            pad = " " * (widths[i] - width(v))
            parts.append(pad + v if right[i] else v + pad)
        return "  ".join(parts).rstrip()

    out = [line(headers), "  ".join("-" * w for w in widths)]
    out.extend(line(row) for row in cells)
    if footer:
        out.append(footer)
    return "\n".join(out) + "\n"


_FORMULA = frozenset("=+-@\t\r")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def csv_cell(value: str) -> str:
    """A CSV cell a spreadsheet cannot run: text that starts as a formula would (``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return), unless it is a number, gets a leading ``'``."""
    if value and value[0] in _FORMULA and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def rows_word(n: int, noun: str = "row") -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _plain(value: Cell) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def render(headers: Sequence[str], rows: Sequence[Sequence[Cell]], fmt: str, *, footer: str | None = None) -> str:
    """Rows of plain values as ``table``, ``csv`` (RFC 4180) or ``json`` (a list of objects)."""
    if fmt == "table":
        numeric = [
            all(isinstance(r[i], int | float) and not isinstance(r[i], bool) for r in rows if r[i] is not None)
            and any(r[i] is not None for r in rows)
            for i in range(len(headers))
        ]
        text_rows = [[cell_text(v) for v in row] for row in rows]
        return table(headers, text_rows, right=numeric, footer=footer if footer is not None else rows_word(len(rows)))
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(headers)
        for row in rows:
            writer.writerow([csv_cell(v) if isinstance(v, str) else v for v in (_plain(v) for v in row)])
        return buf.getvalue()
    if fmt == "json":
        records = [
            {h: (round(v, 6) if isinstance(v, float) else v) for h, v in zip(headers, row, strict=True)} for row in rows
        ]
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    raise ValueError(f"unknown format {fmt!r}")
