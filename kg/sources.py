"""Read ``sources/`` into :class:`~kg.model.Document` values.

A source is a document file (``.txt`` or ``.html``) and a TOML sidecar with the same stem::

    sources/
      my-article.txt
      my-article.toml      # file, title, publisher, url, published, genre, [via], [licence], [id], [sha256]

``published`` is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``: as precise as is known.  Nothing in
``sources/`` is ever written.  Every problem raises :class:`~kg.errors.SourceError` naming the file
and, where it applies, the line or byte.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import html as html_reader
from . import text as textlib
from .errors import SourceError
from .model import Document, Furniture, PartialDate, SourceMeta, Span

#: Document readers by file suffix.
MEDIA_TYPES = {".txt": "text/plain", ".text": "text/plain", ".html": "text/html", ".htm": "text/html"}
METADATA_SUFFIX = ".toml"
#: Files in sources/ that are neither documents nor metadata and are left alone.
IGNORED = re.compile(r"^(?:\..*|README(?:\.\w+)?|LICEN[CS]E(?:\.\w+)?|NOTICE(?:\.\w+)?|curation\.toml)$", re.I)
ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
REQUIRED = ("title", "publisher", "published")
OPTIONAL = ("file", "id", "url", "genre", "via", "licence", "sha256")


@dataclass(frozen=True)
class Sidecar:
    path: Path
    doc_id: str
    file: Path
    meta: SourceMeta
    sha256: str | None


def _line_of(raw: str, key: str) -> int | None:
    m = re.search(rf"^\s*{re.escape(key)}\s*=", raw, re.M)
    return raw.count("\n", 0, m.start()) + 1 if m else None


def _where(path: Path, line: int | None = None) -> str:
    return f"in {path}" + (f" line {line}" if line else "")


def read_metadata(path: Path, sources_dir: Path) -> Sidecar:
    """Parse and check one TOML sidecar."""
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"metadata is not UTF-8 (byte {exc.start})", _where(path), "save the file as UTF-8"
        ) from exc
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        where = f"in {path} line {m.group(1)} column {m.group(2)}" if m else _where(path)
        reason = re.sub(r"\s*\(at line.*\)$", "", str(exc))
        raise SourceError(f"metadata is not valid TOML: {reason}", where, "fix the TOML syntax") from exc
    for key in REQUIRED:
        if key not in data:
            raise SourceError(
                f"metadata has no '{key}'",
                _where(path),
                f"add a line such as {key} = \"…\" (required: {', '.join(REQUIRED)})",
            )
    unknown = sorted(set(data) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise SourceError(
            f"metadata has unknown key '{unknown[0]}'",
            _where(path, _line_of(raw, unknown[0])),
            f"use only {', '.join(REQUIRED + OPTIONAL)}",
        )
    for key in ("title", "publisher", "url", "genre", "via", "licence", "file", "id", "sha256"):
        if key in data and (not isinstance(data[key], str) or not data[key].strip()):
            raise SourceError(
                f"metadata '{key}' must be a non-empty string", _where(path, _line_of(raw, key)), f"write {key} = \"…\""
            )
    published = data["published"]
    line = _line_of(raw, "published")
    if isinstance(published, date):
        when = PartialDate.from_date(published)
    elif isinstance(published, str):
        try:
            when = PartialDate.parse(published)
        except ValueError as exc:
            raise SourceError(
                f"publication date {published!r} is not a valid date: {exc}",
                _where(path, line),
                'write published = "YYYY-MM-DD", "YYYY-MM" or "YYYY", as precise as is known',
            ) from exc
    else:
        raise SourceError(
            f"publication date must be a string, not {type(published).__name__}",
            _where(path, line),
            'write published = "YYYY-MM-DD", "YYYY-MM" or "YYYY"',
        )
    doc_id = data.get("id", path.stem)
    if not ID_RE.match(doc_id):
        raise SourceError(
            f"document id {doc_id!r} may only hold lower-case letters, digits, '.', '_' and '-'",
            _where(path, _line_of(raw, "id")),
            "rename the files or set id = \"…\" in the metadata",
        )
    file_name = data.get("file")
    if file_name is None:
        candidates = [path.with_suffix(s) for s in MEDIA_TYPES if path.with_suffix(s).exists()]
        if not candidates:
            raise SourceError(
                f"metadata names no document and no {path.stem}.txt or {path.stem}.html exists",
                _where(path),
                "add file = \"…\" naming the document, or put the document beside its metadata",
            )
        file = candidates[0]
    else:
        file = (sources_dir / file_name)
        if Path(file_name).is_absolute() or ".." in Path(file_name).parts:
            raise SourceError(
                f"metadata 'file' must name a file inside {sources_dir}",
                _where(path, _line_of(raw, "file")),
                "give the file name only",
            )
        if not file.is_file():
            raise SourceError(
                f"metadata names a missing file {file_name!r}",
                _where(path, _line_of(raw, "file")),
                f"put {file_name} in {sources_dir} or correct 'file'",
            )
    meta = SourceMeta(
        title=data["title"].strip(),
        publisher=data["publisher"].strip(),
        url=data.get("url", "").strip(),
        published=when,
        genre=data.get("genre", "").strip(),
        via=data.get("via"),
        licence=data.get("licence"),
    )
    sha = data.get("sha256")
    if sha is not None and not re.fullmatch(r"[0-9a-f]{64}", sha):
        raise SourceError(
            "metadata 'sha256' is not 64 lower-case hex digits",
            _where(path, _line_of(raw, "sha256")),
            "remove it or give the file's SHA-256",
        )
    return Sidecar(path, doc_id, file, meta, sha)


#: Control characters other than tab, line feed, form feed and carriage return.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f]")


def _decode(path: Path, data: bytes) -> str:
    if not data.strip():
        raise SourceError("the document is empty", f"in {path}", "add the document's text or remove the file")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise SourceError(
            f"the document is binary (NUL byte at byte {nul})",
            f"in {path}",
            "sources must be UTF-8 text or HTML; convert the file or remove it",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SourceError(
            f"the document is not UTF-8 (byte {exc.start}, line {line}: {data[exc.start:exc.start + 1]!r})",
            f"in {path}",
            "re-save it as UTF-8 (for example: iconv -f WINDOWS-1252 -t UTF-8)",
        ) from exc
    if text.startswith("\ufeff"):
        raise SourceError(
            "the document starts with a byte-order mark",
            f"in {path}",
            "save it as UTF-8 without a BOM, so that offsets count from the first character",
        )
    control = _CONTROL.search(text)
    if control:
        raise SourceError(
            f"the document holds a control character at offset {control.start()}",
            f"in {path}",
            "sources must be text; remove the control characters or the file",
        )
    return text


def read_document(side: Sidecar) -> Document:
    """Read, decode, hash and lay out one document; refuse one whose bytes its metadata does not match."""
    doc, file_sha = read_unchecked(side)
    if side.sha256 is not None and side.sha256 != file_sha:
        raise SourceError(
            f"the document's SHA-256 is {file_sha}, its metadata says {side.sha256}",
            f"in {side.file}",
            "the source changed since its metadata was written: restore the original bytes, "
            "or update sha256 in the metadata if the change is intended",
        )
    return doc


def read_unchecked(side: Sidecar) -> tuple[Document, str]:
    """The document and the SHA-256 of its file's bytes, without checking the metadata's hash."""
    path = side.file
    suffix = path.suffix.lower()
    media_type = MEDIA_TYPES.get(suffix)
    if media_type is None:
        raise SourceError(
            f"unknown file type {suffix or '(none)'}",
            f"in {path}",
            f"kg reads {', '.join(sorted(MEDIA_TYPES))}; convert the document to text or HTML",
        )
    data = path.read_bytes()
    raw = _decode(path, data)
    extra: tuple[Furniture, ...] = ()
    page_title: str | None = None
    if media_type == "text/html":
        try:
            page = html_reader.extract(raw)
        except ValueError as exc:
            raise SourceError(f"cannot read HTML: {exc}", f"in {path}", "check the markup") from exc
        text, extra, page_title = page.text, page.furniture, page.title
    else:
        text = raw
    file_sha = hashlib.sha256(data).hexdigest()
    return layout(side.doc_id, str(path), media_type, text, side.meta, extra, page_title), file_sha


def layout(
    doc_id: str,
    path: str,
    media_type: str,
    text: str,
    meta: SourceMeta,
    extra: Iterable[Furniture] = (),
    page_title: str | None = None,
) -> Document:
    """A :class:`Document` for ``text``: hash, paragraphs, sentences, furniture and title."""
    paras = textlib.paragraphs(text)
    furn = textlib.furniture(text, title=meta.title, publisher=meta.publisher, extra=extra)
    # paragraphs and sentences stop where furniture inside a line starts ("date 2022-06-28 …")
    body = textlib.outside(text, paras, furn)
    title: Span | None = None
    for cand in (meta.title, page_title):
        if not cand:
            continue
        key = textlib.normalize_name(cand)
        for para in paras[:12]:
            if textlib.normalize_name(para.of(text)) == key:
                title = para
                break
        if title:
            break
    return Document(
        id=doc_id,
        path=path,
        media_type=media_type,
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        meta=meta,
        paragraphs=body,
        sentences=textlib.sentences(text, body),
        furniture=furn,
        title=title,
    )


def discover(sources_dir: Path) -> list[Sidecar]:
    """Every sidecar in ``sources_dir``, checked against the document files beside them."""
    if not sources_dir.is_dir():
        raise SourceError(
            "the sources folder does not exist", f"at {sources_dir}", "create it and put documents in it"
        )
    sidecars: list[Sidecar] = []
    documents: list[Path] = []
    for path in sorted(sources_dir.iterdir()):
        if IGNORED.match(path.name) or path.is_dir():
            continue
        if path.suffix.lower() == METADATA_SUFFIX:
            sidecars.append(read_metadata(path, sources_dir))
        elif path.suffix.lower() in MEDIA_TYPES:
            documents.append(path)
        else:
            raise SourceError(
                f"unknown file type {path.suffix or '(no suffix)'}",
                f"in {path}",
                f"kg reads {', '.join(sorted(MEDIA_TYPES))} with a {METADATA_SUFFIX} sidecar; "
                "convert the document or move it out of the sources folder",
            )
    by_id: dict[str, Sidecar] = {}
    by_file: dict[Path, Sidecar] = {}
    for side in sidecars:
        if side.doc_id in by_id:
            raise SourceError(
                f"two documents have the id {side.doc_id!r}",
                f"in {by_id[side.doc_id].path} and {side.path}",
                "give one of them another file name or id",
            )
        if side.file.resolve() in by_file:
            raise SourceError(
                f"two metadata files name the same document {side.file.name!r}",
                f"in {by_file[side.file.resolve()].path} and {side.path}",
                "keep one sidecar per document",
            )
        by_id[side.doc_id] = side
        by_file[side.file.resolve()] = side
    for doc in documents:
        if doc.resolve() not in by_file:
            raise SourceError(
                "the document has no metadata",
                f"in {doc}",
                f"add {doc.with_suffix(METADATA_SUFFIX).name} with title, publisher and published "
                "(see README: Adding a source)",
            )
    return sorted(sidecars, key=lambda s: s.doc_id)


def load(sources_dir: Path) -> list[Document]:
    """Read every document in ``sources_dir``, sorted by id."""
    return [read_document(side) for side in discover(sources_dir)]
