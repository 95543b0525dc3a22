"""The source files on disk against the build: which of them changed since ``kg build``.

Fact sheets, the site and the spreadsheet export quote the texts that ``kg build`` kept; when a
file in ``sources/`` has changed since, what they print may no longer be what the source says.
:func:`check` compares every source the dataset records (its ``schema:sha256``: the SHA-256 of the
text that citations index into) with the file on disk and, by default, refuses
(:class:`~kg.errors.SourceError`, naming each file); with ``omit=True`` it returns the changed
sources so that the caller leaves out, and names, every fact they support.

A plain-text source is stored byte for byte, so hashing the file's bytes is enough when they
match; otherwise (and for HTML, whose text is extracted first) the file is read as the build reads
it, so that only a change in the text counts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from . import sources
from .errors import SourceError
from .project import Project


@dataclass(frozen=True)
class Change:
    """A source whose file no longer gives the text the dataset was built from."""

    source: str  # the document id
    file: str  # the file, as a user finds it
    why: str  # "changed since the build (…)" or "is missing"

    @property
    def message(self) -> str:
        return f"{self.file} {self.why}"


def _file_sha(path: object) -> str | None:
    try:
        with open(path, "rb") as fh:  # type: ignore[call-overload]
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None


def changes(project: Project, recorded: Mapping[str, str]) -> dict[str, Change]:
    """The sources of ``recorded`` (document id → the SHA-256 the dataset recorded) whose file is
    missing or whose text differs, by document id."""
    if not recorded:
        return {}
    sidecars = {s.doc_id: s for s in sources.discover(project.sources)}
    out: dict[str, Change] = {}
    for doc_id, sha in sorted(recorded.items()):
        side = sidecars.get(doc_id)
        if side is None:
            out[doc_id] = Change(doc_id, str(project.sources / doc_id), f"is no longer in {project.sources}")
            continue
        if not side.file.is_file():
            out[doc_id] = Change(doc_id, str(side.file), "is missing")
            continue
        if side.file.suffix.lower() == ".txt" and _file_sha(side.file) == sha:
            continue  # stored byte for byte: the bytes are the text
        try:
            doc, _file = sources.read_unchecked(side)
        except SourceError as exc:
            out[doc_id] = Change(doc_id, str(side.file), f"cannot be read ({exc.what})")
            continue
        if doc.sha256 != sha:
            out[doc_id] = Change(
                doc_id, str(side.file), f"changed since the build (its text's SHA-256 is {doc.sha256}, the build's {sha})"
            )
    return out


def check(project: Project, recorded: Mapping[str, str], *, omit: bool = False) -> dict[str, Change]:
    """:func:`changes`, refused unless ``omit``: a :class:`SourceError` naming every changed file."""
    found = changes(project, recorded)
    if found and not omit:
        listed = "; ".join(c.message for c in found.values())
        n = len(found)
        raise SourceError(
            f"{n} source {'file has' if n == 1 else 'files have'} changed since the build: {listed}",
            None,
            "run `kg build` (or restore the files); --omit-changed leaves out, and names, every fact they support",
        )
    return found
