"""The few exceptions kg raises.

Every error a user can cause is a :class:`KGError`: it says *what* went wrong, *where* (a file,
and a line, byte or offset where one applies) and *how to fix it*.  The library never exits the
process; ``kg.cli`` is the one place that turns these into ``Error: …`` lines and exit codes.
"""

from __future__ import annotations

import errno

#: Exit code of the CLI for a KGError.
EXIT_ERROR = 1
#: Exit code of the CLI for bad usage (Click's own).
EXIT_USAGE = 2
#: Exit code of ``kg verify`` when verification found problems.
EXIT_VERIFY_FAILED = 3


class KGError(Exception):
    """An error the user can act on: what happened, where, and how to fix it."""

    def __init__(self, what: str, where: str | None = None, fix: str | None = None) -> None:
        self.what = what
        self.where = where
        self.fix = fix
        super().__init__(self.message)

    @property
    def message(self) -> str:
        text = self.what
        if self.where:
            text += f", {self.where}"
        if self.fix:
            text += f" — {self.fix}"
        return text

    def __str__(self) -> str:
        return self.message


class SourceError(KGError):
    """A document or its metadata in ``sources/`` cannot be read or is invalid."""


class CitationError(KGError):
    """A citation does not match the text it points at."""


class OutputError(KGError):
    """The output directory cannot be written, or the built dataset is missing or unreadable."""


class QueryError(KGError):
    """A SPARQL query is unknown, invalid, not read-only, or has bad parameters."""


class LookupFailed(KGError):  # noqa: N818 - says what happened, like the others
    """An entity name, alias or IRI matches nothing, or more than one thing."""


class EndpointError(KGError):
    """A remote SPARQL endpoint refused or failed a request."""


def environment(exc: OSError) -> KGError:
    """An error of the file system (a full disk, a read-only folder, a missing path) that no
    command turned into one of its own, as a :class:`KGError` naming the path."""
    where = f"at {exc.filename}" if exc.filename else None
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return OutputError(f"the disk is full ({reason})", where, "free some space (df -h shows where) and run the command again")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError(f"cannot write or read a file ({reason})", where, "make it writable (chmod u+w) or write elsewhere")
    return OutputError(f"a file operation failed ({reason})", where, "check the path and the disk, and run the command again")
