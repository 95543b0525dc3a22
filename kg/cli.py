"""The ``kg`` command line: a thin layer over the library.

Results go to stdout; logs and progress to stderr.  Exit codes: 0 success, 1 an error in the
input or the environment (``Error: <what>, <where> — <how to fix>``), 2 bad usage, 3 ``kg verify``
found problems.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any, BinaryIO, NoReturn, cast

import click

from . import formats
from .errors import EXIT_ERROR, EXIT_VERIFY_FAILED, KGError, environment
from .project import Project


class _Progress:
    """Documents done, rate and time left on stderr: one line redrawn on a terminal, a line every
    few seconds in a log."""

    def __init__(self, label: str, enabled: bool) -> None:
        self.label = label
        self.enabled = enabled
        self.tty = sys.stderr.isatty()
        self.t0 = time.monotonic()
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self.last < (0.25 if self.tty else 5.0):
            return
        self.last = now
        elapsed = now - self.t0
        rate = done / elapsed if elapsed > 0 else 0.0
        left = (total - done) / rate if rate > 0 else 0.0
        line = f"{self.label}: {done}/{total} documents, {rate:.1f}/s, {left:.0f}s left"
        if self.tty:
            click.echo(f"\r{line}   ", err=True, nl=done >= total)
        else:
            click.echo(line, err=True)


def _fail(exc: KGError) -> NoReturn:
    click.echo(f"Error: {exc.message}", err=True)
    sys.exit(EXIT_ERROR)


class KGGroup(click.Group):
    """Turns every :class:`KGError`, and every error of the file system, into one ``Error:`` line
    and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KGError as exc:
            _fail(exc)
        except BrokenPipeError:
            # the reader stopped reading (`kg query … | head`): nothing more to say, and nowhere to say it
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except OSError as exc:  # a full disk, a read-only folder: one line, not a traceback
            _fail(environment(exc))


@click.group(cls=KGGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-C", "--project", "root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
    show_default=True, help="The project folder (holding sources/ and output/).",
)
@click.option("--sources", type=click.Path(file_okay=False, path_type=Path), help="The sources folder [PROJECT/sources].")
@click.option("--output", type=click.Path(path_type=Path), help="The output folder [PROJECT/output].")
@click.version_option(package_name="kg")
@click.pass_context
def main(ctx: click.Context, root: Path, sources: Path | None, output: Path | None) -> None:
    """kg: a citation-first knowledge graph of a folder of documents."""
    ctx.obj = Project.at(root, sources, output)


def _default_graph_option(f: Any) -> Any:
    return click.option("--default-graph", metavar="IRI",
                        help="The named graph that holds kg's default graph on a server whose default graph is the "
                             "union of all graphs (Virtuoso).")(f)


def _endpoint_options(f: Any) -> Any:
    f = _default_graph_option(f)
    f = click.option("--store-endpoint", metavar="URL",
                     help="The server's Graph Store Protocol endpoint [URL/../store for a …/query URL].")(f)
    return click.option("--update-endpoint", metavar="URL",
                        help="The server's SPARQL Update endpoint [URL/../update for a …/query URL].")(f)


def _remote(endpoint: str | None, update: str | None = None, store: str | None = None, default_graph: str | None = None) -> Any:
    if endpoint is None:
        return None
    from .endpoint import Endpoint

    return Endpoint.at(endpoint, update, store, default_graph)


@main.command()
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Extraction processes [number of cores].")
@click.option(
    "--executor", type=click.Choice(formats.EXECUTORS), default="process", show_default=True,
    help="Run extraction in local processes or on a Dask cluster.",
)
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler address (implies --executor dask).")
@click.option("--no-cache", is_flag=True, help="Re-extract every document.")
@click.option("--endpoint", metavar="URL", help="Also push the dataset to the SPARQL 1.1 server with this query endpoint.")
@_endpoint_options
@click.option("--quiet", "-q", is_flag=True, help="Print only the first summary line.")
@click.option("--progress/--no-progress", default=None,
              help="Show documents done, rate and time left on stderr [default: when stderr is a terminal].")
@click.pass_obj
def build(
    project: Project, jobs: int | None, executor: str, scheduler: str | None, no_cache: bool,
    endpoint: str | None, update_endpoint: str | None, store_endpoint: str | None, default_graph: str | None,
    quiet: bool, progress: bool | None,
) -> None:
    """Build output/kg.trig and the store from sources/."""
    from .build import build as run_build
    from .build import summary_lines

    if scheduler:
        executor = "dask"
    remote = _remote(endpoint, update_endpoint, store_endpoint, default_graph)  # a bad URL fails before the build
    report = run_build(
        project,
        jobs=jobs,
        executor=executor,
        scheduler=scheduler,
        progress=_Progress("extracting", sys.stderr.isatty() if progress is None else progress),
        use_cache=not no_cache,
    )
    lines = summary_lines(report)
    click.echo(lines[0] if quiet else "\n".join(lines))
    if remote is not None:
        n = remote.push(project.pinned().dataset_trig())
        click.echo(f"Pushed {n:,} quads to {endpoint}.")


@main.command()
@click.option("--no-shacl", is_flag=True, help="Skip the SHACL shapes (only hashes and citations).")
@click.pass_obj
def verify(project: Project, no_shacl: bool) -> None:
    """Re-anchor every citation against the sources and run the SHACL shapes.

    Exits 3 when anything fails.
    """
    from .verify import verify as run_verify

    report = run_verify(project.pinned(), shacl=not no_shacl)
    click.echo(
        f"Checked {report.sources} sources, {report.citations:,} citations"
        + (f", {report.graphs_checked} graphs against the SHACL shapes" if not no_shacl else "")
        + "."
    )
    if report.ok:
        click.echo("OK: every citation anchors and every graph conforms.")
        return
    click.echo(f"{len(report.problems)} problems:")
    for p in report.problems:
        click.echo(f"  {p}")
    sys.exit(EXIT_VERIFY_FAILED)


# --- query, export, analyze: thin layers over kg.queries, kg.export and kg.analysis -------------

# the library's own names (kg.formats: cheap to import, so the options need no heavy module)
QUERY_FORMATS = formats.QUERY_FORMATS
EXPORT_FORMATS = formats.EXPORT_FORMATS
GRAPHS = formats.GRAPHS
ANALYSIS_FORMATS = formats.FORMATS


def _assignments(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> dict[str, str]:
    from .queries import parse_assignments

    try:
        return parse_assignments(values)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@main.command("queries")
def list_queries() -> None:
    """List the named queries (queries/*.rq) and what they answer."""
    from . import queries

    click.echo(queries.describe(queries.named()), nl=False)


@main.command("query")
@click.argument("name", required=False, metavar="[QUERY]")
@click.option("-e", "--expression", metavar="SPARQL", help="Run this SPARQL text.")
@click.option(
    "-p", "--param", "params", multiple=True, metavar="NAME=VALUE", callback=_assignments,
    help="Bind a query parameter (repeatable). Values are bound as RDF terms, never pasted into the query.",
)
@click.option("-f", "--format", "fmt", type=click.Choice(QUERY_FORMATS), default="table", show_default=True,
              help="table for reading; csv, tsv and json are the SPARQL 1.1 result formats.")
@click.option("--endpoint", metavar="URL", help="Query this SPARQL 1.1 endpoint instead of the built store.")
@_default_graph_option
@click.option("--timeout", type=click.FloatRange(min=0), default=120.0, show_default=True, metavar="SECONDS",
              help="Stop a query of the built store that runs longer (0: no limit).")
@click.option("--service", "services", multiple=True, metavar="URL",
              help="Let SERVICE clauses of a query of the built store call this endpoint (repeatable); without it kg "
                   "query never reaches the network.")
@click.pass_obj
def query(
    project: Project, name: str | None, expression: str | None, params: dict[str, str], fmt: str, endpoint: str | None,
    default_graph: str | None, timeout: float, services: tuple[str, ...],
) -> None:
    """Run a SPARQL query on the dataset, read-only.

    QUERY is a named query (`kg queries` lists them), a .rq file, or - to read the query from
    standard input; -e gives the SPARQL text itself.  The default graph is the corpus view (the
    sources, and each entity and fact once); the citations are in each source's graph, reached
    with GRAPH ?g { … }.  A query of the built store runs in a process of its own, stopped at
    once by Ctrl-C or after --timeout seconds; a table shows at most 10,000 rows.
    """
    from . import queries

    if (name is None) == (expression is None):
        raise click.UsageError("give one query: a NAME, a FILE.rq, - (standard input) or -e SPARQL")
    if expression is not None:
        q = queries.parse(expression, "query", "the -e query")
    elif name == "-":
        with click.open_file("-", encoding="utf-8") as stdin:
            q = queries.parse(stdin.read(), "query", "standard input")
    else:
        assert name is not None
        q = queries.find(name)
    remote = _remote(endpoint, default_graph=default_graph)
    if remote is not None:
        limit = queries.TABLE_ROWS if fmt == "table" else None
        click.echo(queries.render(queries.run(remote, q, params, limit=limit), fmt), nl=False)
        return
    from . import bounded
    from .dataset import open_store

    queries.form(q)  # refuse an update before touching the store
    pinned = project.pinned()

    def work(out: BinaryIO) -> None:  # in a child process: the store is opened there
        queries.write(open_store(pinned), q, params, fmt, out, services=services)

    with click.open_file("-", "wb") as stdout:
        bounded.run(work, cast(BinaryIO, stdout), timeout=timeout or None, what="the query", where=f"in {q.origin}")


@main.command("export", short_help="Export RDF, GraphML, Web Annotations or claims as a spreadsheet.")
@click.option("-f", "--format", "fmt", type=click.Choice(EXPORT_FORMATS),
              help="The format [default: from the suffix of -o, else trig].")
@click.option("-o", "--output", "target", default="-", show_default=True, metavar="PATH|-",
              help="Where to write (- for standard output).")
@click.option("--graph", type=click.Choice(GRAPHS), default="entity", show_default=True,
              help="The projection a GraphML export holds.")
@click.option("--endpoint", metavar="URL", help="Export what this SPARQL 1.1 server holds instead of the built store.")
@_endpoint_options
@click.pass_obj
def export_dataset(
    project: Project, fmt: str | None, target: str, graph: str,
    endpoint: str | None, update_endpoint: str | None, store_endpoint: str | None, default_graph: str | None,
) -> None:
    """Export the dataset (RDF, GraphML), its citations (Web Annotations) or its claims as a
    spreadsheet (csv, xlsx: one row per statement and citation)."""
    from . import export

    remote = _remote(endpoint, update_endpoint, store_endpoint, default_graph)
    store = remote.fetch() if remote is not None else None
    if remote is None:
        project = project.pinned()
    if target == "-":
        with click.open_file("-", "wb") as stream:
            export.write(project, fmt or "trig", cast(BinaryIO, stream), graph=graph, store=store)
        return
    path = Path(target)
    fmt = fmt or export.format_for(path) or "trig"
    size = export.export_to(project, fmt, path, graph=graph, store=store)
    click.echo(f"Wrote {fmt} ({size:,} bytes) to {path}.", err=True)


@main.group("analyze")
def analyze() -> None:
    """Measure the dataset as a network (NetworkX).

    Graphs: entity (entities linked by cited statements), comention (entities weighted by the
    sentences they share), bipartite (sources and the entities they mention).
    """


def _analysis_options(f: Any) -> Any:
    f = click.option("-f", "--format", "fmt", type=click.Choice(ANALYSIS_FORMATS), default="table",
                     show_default=True)(f)
    f = click.option("--top", type=click.IntRange(min=0), default=20, show_default=True,
                     help="Show the first N rows (0: all).")(f)
    return click.option("-g", "--graph", type=click.Choice(GRAPHS), default="entity", show_default=True,
                        help="Which projection to measure.")(f)


def _projection(project: Project, kind: str) -> Any:
    from . import analysis

    snap = analysis.open_snapshot(project.pinned())
    return analysis.project_graph(snap, kind, quotes=False)  # the measures need no quotes


@analyze.command("centrality")
@_analysis_options
@click.option("--by", type=click.Choice(formats.MEASURES), default="pagerank", show_default=True,
              help="The measure to rank by.")
@click.pass_obj
def centrality(project: Project, graph: str, top: int, fmt: str, by: str) -> None:
    """Every node ranked by PageRank, degree or betweenness, best first, with its degree and weight."""
    from . import analysis

    click.echo(analysis.centrality(_projection(project, graph), by=by, top=top).render(fmt), nl=False)


@analyze.command("communities")
@_analysis_options
@click.pass_obj
def communities(project: Project, graph: str, top: int, fmt: str) -> None:
    """Louvain communities (fixed seed), largest first."""
    from . import analysis

    click.echo(analysis.communities(_projection(project, graph), top=top).render(fmt), nl=False)


@analyze.command("components")
@_analysis_options
@click.pass_obj
def components(project: Project, graph: str, top: int, fmt: str) -> None:
    """Connected components, largest first."""
    from . import analysis

    click.echo(analysis.components(_projection(project, graph), top=top).render(fmt), nl=False)


@analyze.command("path")
@click.argument("start", metavar="FROM")
@click.argument("goal", metavar="TO")
@click.option("-f", "--format", "fmt", type=click.Choice(ANALYSIS_FORMATS), default="table", show_default=True)
@click.pass_obj
def path(project: Project, start: str, goal: str, fmt: str) -> None:
    """The shortest chain of cited statements between two entities.

    FROM and TO are names, aliases, CURIEs (person:jane-roe) or IRIs.  Each step is a cited
    statement, with its first quote.
    """
    from . import analysis
    from .dataset import open_store
    from .errors import LookupFailed
    from .queries import resolve_entity

    project = project.pinned()
    store = open_store(project)
    a = resolve_entity(store, start, error=LookupFailed, where="for FROM")
    b = resolve_entity(store, goal, error=LookupFailed, where="for TO")
    click.echo(analysis.path_table(analysis.read(store), a, b).render(fmt), nl=False)


# --- fact sheets and the site: thin layers over kg.factsheet and kg.site -----------------------------

FACTSHEET_FORMATS = formats.FACTSHEET_FORMATS


def _report_omitted(omitted: tuple[str, ...]) -> None:
    """What a fact sheet or the site left out because its citation no longer verifies, on stderr."""
    for line in omitted:
        click.echo(f"omitted: {line}", err=True)


@main.command("factsheet")
@click.argument("entity", required=False, metavar="ENTITY")
@click.option("--all", "all_", is_flag=True,
              help="One fact sheet per entity and an index, into output/factsheets/ (or the folder -o names).")
@click.option("-f", "--format", "fmt", type=click.Choice(FACTSHEET_FORMATS),
              help="md or html [default: from the suffix of -o, else md].")
@click.option("-o", "--output", "target", default="-", show_default=True, metavar="PATH|-",
              help="Where to write (- for standard output); a folder with --all.")
@click.option("--omit-changed", is_flag=True,
              help="When a source file changed since the build, leave out (and name on stderr) every fact only it "
                   "supports, instead of refusing.")
@click.pass_obj
def factsheet(
    project: Project, entity: str | None, all_: bool, fmt: str | None, target: str, omit_changed: bool
) -> None:
    """What the sources say about ENTITY (a name, an alias, a compact IRI or an IRI), every sentence footnoted.

    Each footnote gives the verbatim quote, the source's title, publisher, date and URL, and the
    character offsets.  Every source file is checked against the build first: a changed one is an
    error (exit 1) unless --omit-changed.  A statement whose citations no longer match is left out
    and reported on stderr.
    """
    from . import factsheet as fs
    from .atomic import atomic_write_text

    if all_ == (entity is not None):
        raise click.UsageError("give one ENTITY, or --all")
    project = project.pinned()
    ctx = fs.Context(project, omit_changed=omit_changed)
    if all_:
        folder = project.output / "factsheets" if target == "-" else Path(target)
        report = fs.write_all(project, fmt or "md", folder, ctx=ctx)  # type: ignore[arg-type]
        _report_omitted(report.omitted)
        click.echo(f"Wrote {report.sheets} fact sheets and an index to {folder}.", err=True)
        return
    assert entity is not None
    chosen = fmt or ("html" if target.lower().endswith((".html", ".htm")) else "md")
    rendered = fs.render(project, fs.resolve(ctx, entity), chosen, ctx=ctx)  # type: ignore[arg-type]
    _report_omitted(rendered.omitted)
    if target == "-":
        click.echo(rendered.text, nl=False)
    else:
        atomic_write_text(Path(target), rendered.text)
        click.echo(f"Wrote the fact sheet to {target}.", err=True)


@main.command("explain")
@click.argument("entity")
@click.pass_obj
def explain(project: Project, entity: str) -> None:
    """How the build made ENTITY one entity: each document's entity it is made of, and the rule and
    evidence of every merge (a name, an alias, a compact IRI or an IRI)."""
    from .explain import explain as run_explain

    for line in run_explain(project, entity):
        click.echo(line)


@main.command("site")
@click.option("-o", "--output", "target", type=click.Path(file_okay=False, path_type=Path),
              help="The site's folder [output/site].")
@click.option("--omit-changed", is_flag=True,
              help="When a source file changed since the build, leave out (and name on stderr) every fact only it "
                   "supports, instead of refusing.")
@click.pass_obj
def site(project: Project, target: Path | None, omit_changed: bool) -> None:
    """A static, offline website: entities by type, fact sheets, every source with its cited spans
    marked, a timeline and the entity network.  Open index.html in a browser.

    Every source file is checked against the build first: a changed one is an error (exit 1)
    unless --omit-changed."""
    from .site import build_site

    folder = target or project.output / "site"
    report = build_site(project.pinned(), folder, omit_changed=omit_changed)
    _report_omitted(report.omitted)
    click.echo(f"Wrote {report.pages} pages to {folder}; open {folder / 'index.html'}.")
