"""Read ``sources/`` into :class:`~kg.model.Document` values.

A source is a document file (``.txt`` or ``.html``) and a TOML sidecar with the same stem::

    sources/
      my-article.txt
      my-article.toml      # file, title, publisher, url, published, genre, [via], [licence], [id], [sha256], [embargoed]

``published`` is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``: as precise as is known, and not after
today unless ``embargoed = true``; ``url`` is an absolute http(s) URL; no metadata value holds a
control character.  Every file read is a regular file inside the sources folder once links are
followed (a link to a file elsewhere is refused), and no document has more than
:data:`MAX_CHARACTERS` characters.  Nothing in ``sources/`` is ever written.  Every problem raises :class:`~kg.errors.SourceError` naming the file
and, where it applies, the line or byte.
"""

from __future__ import annotations

import hashlib
import re
import stat
import tomllib
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

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
#: The most characters kg reads in one document: the language model's limit (spaCy's
#: ``Language.max_length``, which :mod:`kg.nlp` leaves at its default).  A longer document is
#: refused before its layout, naming the limit.
MAX_CHARACTERS = 1_000_000
REQUIRED = ("title", "publisher", "published")
OPTIONAL = ("file", "id", "url", "genre", "via", "licence", "sha256", "embargoed")
#: Characters no metadata value may hold: C0 and C1 controls, DEL, and the line and paragraph
#: separators (a title is one line of text wherever it is written).
_META_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
#: How far past the build's clock a publication date may be without ``embargoed = true``: a day,
#: for the publisher's time zone.
FUTURE_GRACE = timedelta(days=1)


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
    raw, data = _parse_sidecar(path)
    _check_keys(path, raw, data)
    when = _publication_date(path, raw, data)
    doc_id = data.get("id", path.stem)
    if not ID_RE.match(doc_id):
        raise SourceError(
            f"document id {doc_id!r} may only hold lower-case letters, digits, '.', '_' and '-'",
            _where(path, _line_of(raw, "id")),
            "rename the files or set id = \"…\" in the metadata",
        )
    file = _document_file(path, raw, data, sources_dir)
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


def _parse_sidecar(path: Path) -> tuple[str, dict[str, Any]]:
    """The sidecar's text and its TOML, or an error naming the file and the line."""
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"metadata is not UTF-8 (byte {exc.start})", _where(path), "save the file as UTF-8"
        ) from exc
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    try:
        return raw, tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        where = f"in {path} line {m.group(1)} column {m.group(2)}" if m else _where(path)
        reason = re.sub(r"\s*\(at line.*\)$", "", str(exc))
        raise SourceError(f"metadata is not valid TOML: {reason}", where, "fix the TOML syntax") from exc


def _check_keys(path: Path, raw: str, data: dict[str, Any]) -> None:
    """Every required key, no unknown one, strings that are one line of plain text, a URL."""
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
        control = _META_CONTROL.search(data[key]) if key in data else None
        if control:
            raise SourceError(
                f"metadata '{key}' holds the control character U+{ord(control.group()):04X} at character {control.start() + 1}",
                _where(path, _line_of(raw, key)),
                f"remove it: {key} is one line of plain text",
            )
    if "url" in data:
        _check_url(data["url"], path, _line_of(raw, "url"))


def _publication_date(path: Path, raw: str, data: dict[str, Any]) -> PartialDate:
    """The publication date at its precision, never after today unless the sidecar says embargoed."""
    embargoed = data.get("embargoed", False)
    if not isinstance(embargoed, bool):
        raise SourceError(
            "metadata 'embargoed' must be true or false", _where(path, _line_of(raw, "embargoed")), "write embargoed = true"
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
    today = date.today()
    if when.first_day() > today + FUTURE_GRACE and not embargoed:
        raise SourceError(
            f"publication date {when.iso()} is after today ({today.isoformat()})",
            _where(path, line),
            "correct it, or add embargoed = true for a document dated ahead of its publication",
        )
    return when


def _document_file(path: Path, raw: str, data: dict[str, Any], sources_dir: Path) -> Path:
    """The document the sidecar describes: the one it names, or the one beside it; inside the
    sources folder."""
    file_name = data.get("file")
    if file_name is None:
        candidates = [path.with_suffix(s) for s in MEDIA_TYPES if _exists(path.with_suffix(s))]
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
        if not _exists(file):
            raise SourceError(
                f"metadata names a missing file {file_name!r}",
                _where(path, _line_of(raw, "file")),
                f"put {file_name} in {sources_dir} or correct 'file'",
            )
    check_inside(file, sources_dir, f"{_where(path, _line_of(raw, 'file'))} ('file')" if file_name else None)
    return file


def _unreadable(path: Path, exc: OSError) -> SourceError:
    return SourceError(
        f"cannot read the file ({exc.strerror or exc})", f"in {path}", "make it readable (chmod u+r) or move it out of the sources folder"
    )


def _exists(path: Path) -> bool:
    """Whether ``path`` names something (a name too long for the file system names nothing)."""
    try:
        return path.exists()
    except OSError:
        return False


def _check_url(url: str, path: Path, line: int | None) -> None:
    """``url`` must be an absolute http(s) URL with a host: it becomes a link in fact sheets and on
    the site."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        parts, host = None, None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not host or re.search(r"\s", url.strip()):
        raise SourceError(
            f"metadata 'url' is not an absolute http(s) URL: {url!r}",
            _where(path, line),
            'write url = "https://…" (where the document was published), or leave it out',
        )


def check_inside(path: Path, sources_dir: Path, where: str | None = None) -> None:
    """Refuse a source file that is not a regular file inside ``sources_dir`` once links are
    followed: a link to ``/etc/passwd`` in an unpacked corpus must not put that file's text in the
    graph, the fact sheets and the site.  Links that stay inside the folder are read."""
    try:
        root = sources_dir.resolve()
        target = path.resolve()
        mode = target.stat().st_mode
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    except RuntimeError as exc:  # a loop of links
        raise SourceError("the file is a loop of links", f"in {path}", "replace the link with the file") from exc
    if not target.is_relative_to(root):
        raise SourceError(
            f"the file resolves to {target}, outside the sources folder",
            where or f"in {path}",
            "copy the document into the sources folder instead of linking to it",
        )
    if not stat.S_ISREG(mode):
        raise SourceError(
            "the file is not a regular file (a pipe, socket or device)",
            where or f"in {path}",
            "put the document itself in the sources folder",
        )


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
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _unreadable(path, exc) from exc
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
    if len(text) > MAX_CHARACTERS:
        raise SourceError(
            f"the document has {len(text):,} characters of text, more than the {MAX_CHARACTERS:,} kg reads in one "
            "document (the language model's limit)",
            f"in {path}",
            f"split it into parts of at most {MAX_CHARACTERS:,} characters, each with its own sidecar",
        )
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
    try:
        entries = sorted(sources_dir.iterdir())
    except OSError as exc:
        raise _unreadable(sources_dir, exc) from exc
    for path in entries:
        if IGNORED.match(path.name) or path.is_dir():
            continue
        if path.suffix.lower() in (METADATA_SUFFIX, *MEDIA_TYPES) or path.is_symlink():
            check_inside(path, sources_dir)
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
