"""The ``kg`` command line: a thin layer over the library.

Results go to stdout; logs and progress to stderr.  Exit codes: 0 success, 1 an error in the
input or the environment (``Error: <what>, <where> — <how to fix>``), 2 bad usage, 3 ``kg verify``
found problems.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, NoReturn

import click

from .errors import EXIT_ERROR, EXIT_VERIFY_FAILED, KGError
from .project import Project


class _Progress:
    """Documents done, rate and time left, on one line of stderr."""

    def __init__(self, label: str, enabled: bool) -> None:
        self.label = label
        self.enabled = enabled
        self.t0 = time.monotonic()
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and now - self.last < 0.25:
            return
        self.last = now
        elapsed = now - self.t0
        rate = done / elapsed if elapsed > 0 else 0.0
        left = (total - done) / rate if rate > 0 else 0.0
        end = "\n" if done >= total else ""
        click.echo(
            f"\r{self.label}: {done}/{total} documents, {rate:.1f}/s, {left:.0f}s left   ",
            err=True,
            nl=False,
        )
        if end:
            click.echo("", err=True)


def _fail(exc: KGError) -> NoReturn:
    click.echo(f"Error: {exc.message}", err=True)
    sys.exit(EXIT_ERROR)


class KGGroup(click.Group):
    """Turns every :class:`KGError` into one ``Error:`` line and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KGError as exc:
            _fail(exc)


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


@main.command()
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Extraction processes [number of cores].")
@click.option(
    "--executor", type=click.Choice(["process", "dask"]), default="process", show_default=True,
    help="Run extraction in local processes or on a Dask cluster.",
)
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler address (implies --executor dask).")
@click.option("--no-cache", is_flag=True, help="Re-extract every document.")
@click.option("--endpoint", metavar="URL", help="Also push the dataset to this SPARQL 1.1 endpoint.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the first summary line.")
@click.pass_obj
def build(
    project: Project, jobs: int | None, executor: str, scheduler: str | None, no_cache: bool,
    endpoint: str | None, quiet: bool,
) -> None:
    """Build output/kg.trig and the store from sources/."""
    from .build import build as run_build
    from .build import summary_lines

    if scheduler:
        executor = "dask"
    report = run_build(
        project,
        jobs=jobs,
        executor=executor,
        scheduler=scheduler,
        progress=_Progress("extracting", sys.stderr.isatty()),
        use_cache=not no_cache,
    )
    lines = summary_lines(report)
    click.echo(lines[0] if quiet else "\n".join(lines))
    if endpoint:
        from .endpoint import push

        n = push(project, endpoint)
        click.echo(f"Pushed {n:,} quads to {endpoint}.")


@main.command()
@click.option("--no-shacl", is_flag=True, help="Skip the SHACL shapes (only hashes and citations).")
@click.pass_obj
def verify(project: Project, no_shacl: bool) -> None:
    """Re-anchor every citation against the sources and run the SHACL shapes.

    Exits 3 when anything fails.
    """
    from .verify import verify as run_verify

    report = run_verify(project, shacl=not no_shacl)
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
