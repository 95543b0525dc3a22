"""``kg site``: a static, offline website of the dataset, built from the store and the kept texts.

Pages (every one a single HTML file with one inline stylesheet; no CDN, no network)::

    index.html              entities by type (with counts) and the sources
    entity/<type>-<name>.html   the HTML fact sheet of each entity
    source/<id>.html        the whole built text of a source, every cited span marked
    timeline.html           dated events and dated quotations in date order, each cited
    graph.html              the entity network as an inline SVG (laid out at build time): the most
                            linked entities, each labelled where no label overlaps another
    search.html             search over entities, facts and quotations: a JSON index in the page
                            and a few lines of script (every page's search box leads here)

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
import json
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from markupsafe import Markup

from . import ids
from .atomic import atomic_write_text, replace_folder
from .errors import KGError
from .factsheet import (
    EVENT,
    QUOTATION,
    TYPES,
    Composer,
    Context,
    Entity,
    Footnote,
    Links,
    Sentence,
    Sheet,
    SourceInfo,
    _date_key,
    build_sheet,
    environment,
    groups,
    page_name,
    render_sheet,
)
from .kinds import kinds
from .project import Project

#: A colour per kind of entity (``ontology/kinds.ttl``), all distinct, for the nodes and the legend.
COLOURS: dict[str, str] = {k.curie: k.colour for k in kinds()}
GREY = "#9aa0a6"
WIDTH, HEIGHT, MARGIN = 1200, 820, 30
SEED = 7
#: The network shows at most this many entities, the most linked first, each with its label; the
#: rest are in the table of links and the index.
TOP = 40
FONT = 12  # px, the labels' font size
#: A label's width, estimated from its characters (wider than system-ui's glyphs, so never short).
CHAR_WIDTH = 0.62 * FONT


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
    degree: int = 0
    # where its label goes: the text's anchor point and alignment ("start" right of the node, "end" left)
    lx: float = 0.0
    ly: float = 0.0
    anchor: str = "start"

    @property
    def short(self) -> str:
        return self.label if len(self.label) <= 28 else self.label[:27].rstrip() + "…"


@dataclass
class Edge:
    a: Node
    b: Node
    relations: list[str] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)


@dataclass
class Network:
    nodes: list[Node]  # the ones drawn, each labelled
    edges: list[Edge]  # between the ones drawn
    links: list[Edge]  # every linked pair, for the table
    total: int  # entities linked by a statement
    isolated: int  # entities linked by none

    @property
    def legend(self) -> list[tuple[str, str, int]]:
        """(kind, colour, how many drawn) of the kinds drawn, in index order."""
        counts: dict[tuple[str, str], int] = defaultdict(int)
        order: dict[str, int] = {}
        for n in self.nodes:
            counts[(n.type, n.colour)] += 1
            order.setdefault(n.type, _KIND_ORDER.get(n.type, 99))
        return [(t, c, k) for (t, c), k in sorted(counts.items(), key=lambda x: (order[x[0][0]], x[0][0]))]


_KIND_ORDER = {singular: i for i, (_c, singular, _p) in enumerate(TYPES)}


def network(ctx: Context, composer: Composer, top: int = TOP) -> Network:
    """Entities linked by verified statements: the ``top`` most linked (by degree, then name) laid
    out with a seeded spring layout, each with a label placed where it overlaps no other label and
    no node (the least linked are left out until every label fits)."""
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
    whole: nx.Graph = nx.Graph()
    members = sorted({i for pair in pairs for i in pair})
    whole.add_nodes_from(members)
    whole.add_edges_from(sorted(pairs))
    nodes_all: dict[str, Node] = {}
    for iri in members:
        ent = ctx.entities[iri]
        nodes_all[iri] = Node(
            iri, ent.label, ent.type_name, f"entity/{page_name(iri)}.html",
            colour=COLOURS.get(ids.compact(ent.type), GREY), degree=whole.degree(iri),
        )
    ranked = sorted(members, key=lambda i: (-whole.degree(i), ctx.entities[i].label.casefold(), i))
    links = [
        Edge(nodes_all[a], nodes_all[b], sorted(set(rel)), src) for (a, b), (rel, src) in sorted(pairs.items())
    ]
    chosen = ranked[:top]
    while chosen:
        g = whole.subgraph(chosen)
        for iri, (x, y) in layout(g).items():
            n = nodes_all[iri]
            n.x, n.y, n.r = x, y, round(5 + 1.5 * math.sqrt(n.degree), 1)
        drawn = [nodes_all[i] for i in chosen]
        if _place_labels(drawn):
            break
        chosen = chosen[:-1]
    shown = set(chosen)
    edges = [e for e in links if e.a.iri in shown and e.b.iri in shown]
    return Network(
        sorted((nodes_all[i] for i in chosen), key=lambda n: n.iri), edges, links, len(members),
        len(ctx.entities) - len(members),
    )


def label_box(n: Node) -> tuple[float, float, float, float]:
    """The box (x0, y0, x1, y1) a node's label takes, as estimated from its characters: a full em
    above the baseline and a third below, so that a font with tall ascenders still fits it."""
    w = len(n.short) * CHAR_WIDTH + 2
    x0 = n.lx if n.anchor == "start" else n.lx - w if n.anchor == "end" else n.lx - w / 2
    return (x0, n.ly - FONT, x0 + w, n.ly + FONT * 0.33)


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float], pad: float = 2.0) -> bool:
    return a[0] < b[2] + pad and b[0] < a[2] + pad and a[1] < b[3] + pad and b[1] < a[3] + pad


def _place_labels(nodes: list[Node]) -> bool:
    """Put each node's label (most linked first) at the first of eight places around it where it
    overlaps no label placed before, no node and nothing outside the drawing; False when one fits nowhere."""
    circles = [(n.x - n.r, n.y - n.r, n.x + n.r, n.y + n.r) for n in nodes]
    placed: list[tuple[float, float, float, float]] = []
    for n in sorted(nodes, key=lambda n: (-n.degree, n.label.casefold(), n.iri)):
        gap = n.r + 3
        options = [
            (n.x + gap, n.y + FONT * 0.3, "start"), (n.x - gap, n.y + FONT * 0.3, "end"),
            (n.x, n.y - gap - 2, "middle"), (n.x, n.y + gap + FONT * 0.8, "middle"),
            (n.x + gap * 0.7, n.y - gap, "start"), (n.x - gap * 0.7, n.y - gap, "end"),
            (n.x + gap * 0.7, n.y + gap + FONT * 0.6, "start"), (n.x - gap * 0.7, n.y + gap + FONT * 0.6, "end"),
        ]
        for lx, ly, anchor in options:
            n.lx, n.ly, n.anchor = round(lx, 1), round(ly, 1), anchor
            box = label_box(n)
            if box[0] < 2 or box[1] < 2 or box[2] > WIDTH - 2 or box[3] > HEIGHT - 2:
                continue
            if any(_overlaps(box, p) for p in placed) or any(_overlaps(box, c, 1.0) for c in circles):
                continue
            placed.append(box)
            break
        else:
            return False
    return True


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
    out = _place(g.subgraph(parts[0]), (MARGIN + 110, MARGIN + 20, WIDTH - 2 * MARGIN - 240, HEIGHT - 2 * MARGIN - 40 - strip))
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


def search_entries(sheet: Sheet) -> list[dict[str, str]]:
    """What the search finds on one fact sheet: its facts and its quotations, each linking to the sheet."""
    href = f"entity/{page_name(sheet.entity.iri)}.html"
    out = []
    own = sheet.entity.type == ids.expand("schema:Quotation")
    for section in sheet.sections:
        kind = "quote" if section.key == "quotations" else "fact"
        for s in section.sentences:
            # a quotation links to its own sheet first, a fact to the sheet of a person, organisation, … first
            rank = str(0 if own else 1) if kind == "quote" else f"{_TYPE_RANK.get(sheet.entity.type, 99):02d}"
            out.append({"k": kind, "t": s.plain, "s": sheet.entity.label, "h": f"{href}#{section.key}", "r": rank})
    return out


_TYPE_RANK = {ids.expand(c): i for i, (c, _s, _p) in enumerate(TYPES)}


def search_json(ctx: Context, found: list[dict[str, str]]) -> Markup:
    """The search index, as JSON safe inside a ``<script>`` element: every entity (name, kind, other
    names), then every fact and quotation once (the first sheet that states it)."""
    entries: list[dict[str, str]] = []
    for ent in sorted(ctx.entities.values(), key=lambda e: (e.label.casefold(), e.iri)):
        entries.append({
            "k": ent.type_name, "t": ent.label, "s": ", ".join(ent.aliases), "h": f"entity/{page_name(ent.iri)}.html",
        })
    seen: set[tuple[str, str]] = set()
    for e in sorted(found, key=lambda e: e["r"]):  # stable: sheets in IRI order within a rank
        key = (e["k"], e["t"])
        if key not in seen:
            seen.add(key)
            entries.append({k: v for k, v in e.items() if k != "r"})
    text = json.dumps(entries, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


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

        found: list[dict[str, str]] = []
        for iri in sorted(ctx.entities):
            sheet = build_sheet(ctx, iri)
            omitted.update(dict.fromkeys(sheet.omitted))
            page(folder, f"entity/{page_name(iri)}.html", render_sheet(sheet, "html", deep))
            found.extend(search_entries(sheet))
        page(folder, "search.html", env.get_template("search.html.j2").render(
            index=search_json(ctx, found), links=top,
        ))

        composer = Composer(ctx)
        entries = timeline(ctx, composer)
        page(folder, "timeline.html", env.get_template("timeline.html.j2").render(
            entries=entries, footnotes=_footnotes(composer), links=top,
        ))
        omitted.update(composer.omitted)

        composer = Composer(ctx)
        net = network(ctx, composer)
        page(folder, "graph.html", env.get_template("graph.html.j2").render(
            net=net, width=WIDTH, height=HEIGHT, font=FONT, links=top,
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
