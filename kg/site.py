"""``kg site``: a static, offline website of the dataset, built from the store and the kept texts.

Pages (every one a single HTML file with one inline stylesheet; no CDN, no network)::

    index.html              entities by type (with counts) and the sources
    entity/<type>-<name>.html   the HTML fact sheet of each entity
    source/<id>.html        the whole built text of a source, every cited span marked
    timeline.html           dated events and dated quotations in date order, each cited
    graph.html              the entity network as an inline SVG (laid out at build time)

Every cited span of a source page has an anchor ``t<start>-<end>`` (the offsets of the
citation); a footnote on a fact sheet links to ``source/<id>.html#t<start>-<end>``.  Spans overlap
and nest, so the text is cut at every citation boundary into flat pieces, and each piece lists
(in ``data-t``) every citation that covers it.  A few lines of inline script highlight exactly
the pieces of the citation named in the URL fragment and scroll to them; without script the
browser still scrolls to the anchor.

Only verified citations are used: a citation that no longer matches the built text is neither a
footnote nor a marked span, and is reported in :attr:`SiteReport.omitted`.  The site is written
into a temporary folder beside the target and swapped in, so a failed build leaves the previous
site as it was.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from . import ids
from .errors import KGError
from .factsheet import (
    EVENT,
    KINDS,
    QUOTATION,
    Composer,
    Context,
    Entity,
    Footnote,
    Links,
    Sentence,
    SourceInfo,
    _date_key,
    build_sheet,
    environment,
    groups,
    page_name,
    render_sheet,
    replace_folder,
)
from .project import Project, atomic_write_text

#: Colours of the graph's nodes by class (anything else is grey).
COLOURS: dict[str, str] = {
    "schema:Person": "#1a73e8",
    "schema:Organization": "#d93025",
    "schema:Place": "#188038",
    "kg:Investigation": "#f29900",
    "kg:Review": "#f29900",
    "schema:Report": "#9334e6",
    "kg:Finding": "#e37400",
    "kg:Recommendation": "#12b5cb",
    "kg:DisciplinaryOutcome": "#a142f4",
    "schema:Event": "#5f6368",
    "kg:Role": "#80868b",
    "schema:Quotation": "#b80672",
}
GREY = "#9aa0a6"
WIDTH, HEIGHT, MARGIN = 1200, 860, 40
SEED = 7


@dataclass(frozen=True)
class SiteReport:
    folder: Path
    pages: int
    omitted: tuple[str, ...]


@dataclass(frozen=True)
class Piece:
    """A run of a source's text between two citation boundaries."""

    text: str
    ids: tuple[str, ...]  # the citations that cover it
    anchors: tuple[str, ...]  # the citations that start here


def span_id(start: int, end: int) -> str:
    return f"t{start}-{end}"


def segments(text: str, spans: Iterable[tuple[int, int]]) -> list[Piece]:
    """``text`` cut at every span boundary; each piece knows the spans covering it and starting at it."""
    spans = sorted({(s, e) for s, e in spans if 0 <= s < e <= len(text)})
    starts: dict[int, list[tuple[int, int]]] = defaultdict(list)
    ends: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for s, e in spans:
        starts[s].append((s, e))
        ends[e].append((s, e))
    bounds = sorted({0, len(text), *starts, *ends})
    active: set[tuple[int, int]] = set()
    out: list[Piece] = []
    for a, b in itertools.pairwise(bounds):
        active.difference_update(ends.get(a, ()))
        active.update(starts.get(a, ()))
        out.append(
            Piece(
                text[a:b],
                tuple(span_id(s, e) for s, e in sorted(active)),
                tuple(span_id(s, e) for s, e in sorted(starts.get(a, ()))),
            )
        )
    return out


@dataclass
class Node:
    iri: str
    label: str
    type: str
    href: str
    x: float = 0.0
    y: float = 0.0
    r: float = 5.0
    colour: str = GREY
    show: bool = True

    @property
    def short(self) -> str:
        return self.label if len(self.label) <= 28 else self.label[:27].rstrip() + "…"


@dataclass
class Edge:
    a: Node
    b: Node
    relations: list[str] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)


def network(ctx: Context, composer: Composer) -> tuple[list[Node], list[Edge], int]:
    """Entities linked by verified statements, laid out with a seeded spring layout."""
    facts = ctx.linking_statements()
    for f in facts:
        composer.report(f)
    pairs: dict[tuple[str, str], tuple[list[str], set[str]]] = {}
    for f in facts:
        if not f.ok or not f.o.is_iri or f.s == f.o.value:
            continue
        if f.s not in ctx.entities or f.o.value not in ctx.entities:
            continue
        key = (min(f.s, f.o.value), max(f.s, f.o.value))
        relations, sources = pairs.setdefault(key, ([], set()))
        relations.append(f"{ctx.label(f.s)} — {ctx.property_name(f.p)} — {ctx.label(f.o.value)}")
        sources.update(f.sources)
    g: nx.Graph = nx.Graph()
    members = sorted({i for pair in pairs for i in pair})
    g.add_nodes_from(members)
    g.add_edges_from(sorted(pairs))
    nodes: dict[str, Node] = {}
    for iri, (x, y) in layout(g).items():
        ent = ctx.entities[iri]
        nodes[iri] = Node(
            iri, ent.label, ent.type_name, f"entity/{page_name(iri)}.html", x, y,
            round(4 + 1.6 * math.sqrt(g.degree(iri)), 1), COLOURS.get(ids.compact(ent.type), GREY),
            ent.type not in KINDS,
        )
    edges = [
        Edge(nodes[a], nodes[b], sorted(set(rel)), src) for (a, b), (rel, src) in sorted(pairs.items())
    ]
    isolated = len(ctx.entities) - len(nodes)
    return [nodes[i] for i in members], edges, isolated


def _place(g: nx.Graph, box: tuple[float, float, float, float]) -> dict[str, tuple[float, float]]:
    """Positions of a connected graph's nodes inside ``box`` (x, y, width, height), deterministic."""
    x, y, w, h = box
    nodes = sorted(g.nodes)
    if len(nodes) == 1:
        return {nodes[0]: (round(x + w / 2, 1), round(y + h / 2, 1))}
    if len(nodes) == 2:
        return {nodes[0]: (round(x + w * 0.25, 1), round(y + h / 2, 1)), nodes[1]: (round(x + w * 0.75, 1), round(y + h / 2, 1))}
    start = nx.spring_layout(g, seed=SEED)
    pos = nx.kamada_kawai_layout(g, pos=start)
    xs = [float(p[0]) for p in pos.values()]
    ys = [float(p[1]) for p in pos.values()]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    return {
        n: (
            round(x + (float(pos[n][0]) - x0) / ((x1 - x0) or 1) * w, 1),
            round(y + (float(pos[n][1]) - y0) / ((y1 - y0) or 1) * h, 1),
        )
        for n in nodes
    }


def layout(g: nx.Graph) -> dict[str, tuple[float, float]]:
    """The largest component fills the drawing; the small ones sit in a row of cells beneath it."""
    parts = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    if not parts:
        return {}
    rest = parts[1:]
    strip = 110.0 if rest else 0.0
    out = _place(g.subgraph(parts[0]), (MARGIN, MARGIN, WIDTH - 2 * MARGIN - 120, HEIGHT - 2 * MARGIN - strip))
    per_row = 6
    cell_w = (WIDTH - 2 * MARGIN) / per_row
    rows = math.ceil(len(rest) / per_row)
    cell_h = strip / max(rows, 1)
    for i, part in enumerate(rest):
        col, row = i % per_row, i // per_row
        box = (MARGIN + col * cell_w, HEIGHT - MARGIN - strip + row * cell_h + 10, cell_w - 90, max(cell_h - 20, 1))
        out.update(_place(g.subgraph(part), box))
    return out


def timeline(ctx: Context, composer: Composer) -> list[Sentence]:
    """Dated events and dated quotations, in date order (a date at its precision), each cited."""
    dated = ctx.statements_with([ids.expand(p) for p in ("schema:startDate", "kg:dueDate", "schema:dateCreated")])
    subjects = sorted({f.s for f in dated if f.s in ctx.entities and ctx.entities[f.s].type in (EVENT, QUOTATION)})
    by_subject = defaultdict(list)
    for f in ctx.statements(subjects=subjects):
        by_subject[f.s].append(f)
    for r in subjects:
        if ctx.entities[r].type == EVENT:
            composer.event(r, by_subject[r], [], section="timeline")
        else:
            composer.quotation(r, by_subject[r], [], section="timeline")
    entries = [s for s in composer.sections.get("timeline", []) if s.date is not None]
    entries.sort(key=_date_key)
    return [composer.number(s) for s in entries]


def _footnotes(composer: Composer) -> list[Footnote]:
    return sorted(composer.footnotes.values(), key=lambda fn: fn.n)


def build_site(project: Project, outdir: Path, *, omit_changed: bool = False) -> SiteReport:
    """Write the site into ``outdir`` (atomically: a temporary folder beside it, then swapped in).

    A source file changed since the build is refused (:class:`~kg.errors.SourceError`), or, with
    ``omit_changed``, left out: none of its citations is used and its page says why.
    """
    ctx = Context(project, omit_changed=omit_changed)
    env = environment("html")
    pages = frozenset(ctx.entities)
    omitted: dict[str, None] = {}
    count = 0

    def page(folder: Path, name: str, html: str) -> None:
        nonlocal count
        atomic_write_text(folder / name, html)
        count += 1

    def write(folder: Path) -> None:
        (folder / "entity").mkdir()
        (folder / "source").mkdir()
        deep = Links("site", ".html", "../", pages)
        top = Links("site", ".html", "", pages)

        spans_by_source: dict[str, int] = {}
        for src in ctx.sources.values():
            html, n = _source_page(ctx, env, src, deep, omitted)
            spans_by_source[src.id] = n
            page(folder, f"source/{src.page}.html", html)

        for iri in sorted(ctx.entities):
            sheet = build_sheet(ctx, iri)
            omitted.update(dict.fromkeys(sheet.omitted))
            page(folder, f"entity/{page_name(iri)}.html", render_sheet(sheet, "html", deep))

        composer = Composer(ctx)
        entries = timeline(ctx, composer)
        page(folder, "timeline.html", env.get_template("timeline.html.j2").render(
            entries=entries, footnotes=_footnotes(composer), links=top,
        ))
        omitted.update(composer.omitted)

        composer = Composer(ctx)
        nodes, edges, isolated = network(ctx, composer)
        legend = sorted({(n.type, n.colour) for n in nodes})
        page(folder, "graph.html", env.get_template("graph.html.j2").render(
            nodes=nodes, edges=edges, isolated=isolated, legend=legend, width=WIDTH, height=HEIGHT, links=top,
        ))
        omitted.update(composer.omitted)

        page(folder, "index.html", env.get_template("index.html.j2").render(
            groups=groups(ctx.entities.values()), sources=list(ctx.sources.values()), spans=spans_by_source,
            links=top, site=True,
        ))

    replace_folder(Path(outdir), write)
    return SiteReport(Path(outdir), count, tuple(omitted))


def _source_page(
    ctx: Context, env: object, src: SourceInfo, links: Links, omitted: dict[str, None]
) -> tuple[str, int]:
    text = ctx.text(src.id)
    changed = ctx.changed.get(src.id)
    pieces: list[Piece]
    if changed is not None:
        omitted[f"source page of {src.id} shows no cited span: the source file {changed.message}"] = None
        pieces = []
        count = 0
    elif isinstance(text, KGError):
        omitted[f"source page of {src.id} has no text: {text.what}"] = None
        pieces = []
        count = 0
    else:
        ok, bad = ctx.source_targets(src.id)
        for c, why in bad:
            omitted[f"cited span {c.source} {c.start}-{c.end} not marked: {why}"] = None
        pieces = segments(text, [(c.start, c.end) for c in ok])
        count = len({(c.start, c.end) for c in ok})
    template = env.get_template("source.html.j2")  # type: ignore[attr-defined]
    html: str = template.render(
        source=src, pieces=pieces, spans=count, missing=isinstance(text, KGError) or changed is not None,
        changed=changed, links=links,
    )
    return html, count


__all__ = ["Entity", "Piece", "SiteReport", "build_site", "network", "segments", "timeline"]
