"""Where a kg project keeps things, and how the built output is committed and opened.

``output/`` after a build (see :mod:`kg.generation`)::

    output/
      current -> data/<digest>   the current generation: the one commit point
      manifest.json, kg.trig     links into current/: the last good build's manifest and dataset
      data/<digest>/             store/ (Oxigraph), kg.trig, manifest.json, snapshot.json,
                                 texts/<source>.txt, statements.tsv, default.trig
      cache/                     per-document extractions, reused when nothing they depend on changed

A build prepares everything in a staging folder and commits it with renames; an error before
the commit leaves the previous output exactly as it was.  A reader pins one generation
(:meth:`Project.pinned`) and reads every file from it.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import OutputError

MANIFEST = "manifest.json"
TRIG = "kg.trig"
#: What ``kg analyze`` projects the dataset from, kept by ``kg build`` beside the store, and its layout.
SNAPSHOT = "snapshot.json"
#: How the build resolved its entities (members and the evidence of each merge): ``kg explain``.
RESOLUTION = "resolution.json"
SNAPSHOT_FORMAT = 1
#: 2: generations hold kg.trig and the manifest, and ``current`` names the current one.
FORMAT_VERSION = 2


@dataclass(frozen=True)
class Project:
    sources: Path
    output: Path
    #: The generation this project reads (``data/<digest>``), once pinned; else the current one.
    generation: str | None = None

    @classmethod
    def at(cls, root: Path | str = ".", sources: Path | str | None = None, output: Path | str | None = None) -> Project:
        base = Path(root)
        return cls(Path(sources) if sources else base / "sources", Path(output) if output else base / "output")

    @property
    def manifest_path(self) -> Path:
        return self.output / MANIFEST

    @property
    def trig_path(self) -> Path:
        return self.output / TRIG

    @property
    def cache_dir(self) -> Path:
        return self.output / "cache"

    def pinned(self) -> Project:
        """This project bound to its current generation, which it reads whatever a build commits
        meanwhile (held for the life of the process: see :func:`kg.generation.pin`)."""
        from .generation import pin

        return pin(self) if self.generation is None else self

    def manifest(self) -> dict[str, Any]:
        """The manifest of the last good build (of the pinned generation, when pinned);
        :class:`OutputError` when there is none."""
        path = self.output / self.generation / MANIFEST if self.generation else self.manifest_path
        try:
            with open(path, encoding="utf-8") as fh:
                data: dict[str, Any] = json.load(fh)
        except FileNotFoundError:
            raise OutputError(
                "no built dataset", f"in {self.output}", "run `kg build` first"
            ) from None
        except (OSError, ValueError) as exc:
            raise OutputError(
                f"the build manifest cannot be read ({exc})", f"in {self.manifest_path}", "run `kg build` again"
            ) from exc
        if data.get("format") != FORMAT_VERSION:
            raise OutputError(
                "the built dataset is from another version of kg", f"in {self.output}", "run `kg build` again"
            )
        return data

    def data_dir(self) -> Path:
        path = self.output / (self.generation or self.manifest()["data"])
        if not path.is_dir():
            raise OutputError("the built dataset is missing", f"at {path}", "run `kg build` again")
        return path

    def dataset_trig(self) -> Path:
        """The generation's ``kg.trig`` (what ``output/kg.trig`` links to while it is current)."""
        return self.data_dir() / TRIG

    def store_path(self) -> Path:
        return self.data_dir() / "store"

    def text_of(self, source_id: str) -> str:
        path = self.data_dir() / "texts" / f"{source_id}.txt"
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise OutputError(f"no text for source {source_id!r}", f"in {path.parent}", "run `kg build` again") from None

    def check_writable(self) -> None:
        """Fail early, naming the folder, when ``output/`` cannot be written."""
        out = self.output
        if out.exists() and not out.is_dir():
            raise OutputError("the output path is not a folder", f"at {out}", "remove the file or choose another --output")
        try:
            out.mkdir(parents=True, exist_ok=True)
            fd, probe = tempfile.mkstemp(dir=out, prefix=".probe-")
            os.close(fd)
            os.unlink(probe)
        except OSError as exc:
            raise OutputError(
                f"cannot write to the output folder ({exc.strerror or exc})",
                f"at {out}",
                "make it writable (chmod u+w) or choose another --output",
            ) from exc


def commit(project: Project, staging: Path, digest: str, manifest: dict[str, Any]) -> None:
    """Make the finished build in ``staging`` (its store, ``kg.trig``, texts, …) the current
    generation (see :func:`kg.generation.commit`)."""
    from .generation import commit as commit_generation

    commit_generation(project.output, staging, digest, {"format": FORMAT_VERSION, **manifest})
