"""Where kg finds its own files: the ontology and the named queries it ships with."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _first(*candidates: Path) -> Path:
    for path in candidates:
        if path.is_dir():
            return path
    return candidates[-1]


def ontology_dir() -> Path:
    """``$KG_ONTOLOGY``, the copy inside an installed wheel, or the project's ``ontology/``."""
    env = os.environ.get("KG_ONTOLOGY")
    if env:
        return Path(env)
    return _first(_PACKAGE / "_data" / "ontology", _PACKAGE.parent / "ontology")


def queries_dir() -> Path:
    """The named queries that ship with kg (``queries/``)."""
    return _first(_PACKAGE / "_data" / "queries", _PACKAGE.parent / "queries")


def templates_dir() -> Path:
    return _PACKAGE / "templates"
