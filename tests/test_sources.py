from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import SOURCES

from kg import sources
from kg.errors import SourceError
from kg.model import PartialDate

META = '''title = "A title"
publisher = "A Publisher"
url = "https://example.org/a"
published = "{published}"
'''


CORPUS_SHA256 = {  # as published with the corpus (shared/corpus/sources.yaml)
    "dazed-2022-02-met-police-iopc-report.txt": "b8569b97f44f9175ee270f90a0841874a90a959c90589a42d85d547643ce398d",
    "iopc-2022-02-02-met-culture-recommendations.txt": "bd008538a5b3a9a74268c36fffdb880d7818a4ec3ed6861e67f4b48f847ff72e",
}


def test_corpus_sources_are_the_shared_files_byte_for_byte() -> None:
    shared = SOURCES.parent.parent / "shared" / "corpus"
    for name, sha in CORPUS_SHA256.items():
        data = (SOURCES / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sha
        if (shared / name).exists():  # beside the shared materials, compare the bytes too
            assert data == (shared / name).read_bytes()


def test_corpus_loads_with_metadata_and_hashes() -> None:
    docs = {d.id: d for d in sources.load(SOURCES)}
    dazed = docs["dazed-2022-02-met-police-iopc-report"]
    iopc = docs["iopc-2022-02-02-met-culture-recommendations"]
    assert dazed.meta.published == PartialDate(2022, 2)
    assert iopc.meta.published == PartialDate(2022, 2, 2)
    assert iopc.meta.via == "Wired-Gov"
    assert dazed.sha256 == hashlib.sha256((SOURCES / "dazed-2022-02-met-police-iopc-report.txt").read_bytes()).hexdigest()
    # the stored characters are kept: no-break spaces and curly quotes
    assert "\u00a0" in iopc.text and "“" in iopc.text and "’" in dazed.text


def test_corpus_furniture_is_found_by_rule() -> None:
    docs = {d.id: d for d in sources.load(SOURCES)}
    dazed = docs["dazed-2022-02-met-police-iopc-report"]
    assert [(f.kind, f.span.of(dazed.text)) for f in dazed.furniture] == [
        ("share", "Pin It"),
        ("caption", "Sarah Everard protests vigil"),
        ("credit", "Photography Melissa Arras"),
    ]
    iopc = docs["iopc-2022-02-02-met-culture-recommendations"]
    kinds = [(f.kind, f.span.of(iopc.text)) for f in iopc.furniture]
    assert kinds[:2] == [("masthead", "Independent Office for Police Conduct (IOPC - formerly IPCC)"), ("share", "Printable version")]
    assert kinds[2] == ("trailer", "Channel website:")
    last_line = iopc.text.rstrip().splitlines()[-1]
    assert kinds[-1] == ("trailer", last_line)  # the unrelated sidebar headline
    assert not iopc.is_body(iopc.text.rindex(last_line), len(iopc.text.rstrip()))
    assert dazed.title is not None and dazed.title.of(dazed.text) == dazed.meta.title


def _write(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        if isinstance(content, bytes):
            (folder / name).write_bytes(content)
        else:
            (folder / name).write_text(content, encoding="utf-8")
    return folder


BAD_INPUTS = {
    "not utf-8": ({"a.txt": b"Caf\xe9 society.\n", "a.toml": META.format(published="2022")}, r"not UTF-8 \(byte 3, line 1.*, in .*a\.txt — re-save it as UTF-8"),
    "empty": ({"a.txt": "", "a.toml": META.format(published="2022")}, r"document is empty, in .*a\.txt"),
    "binary": ({"a.txt": b"\x89PNG\r\n\x1a\n\x00\x00", "a.toml": META.format(published="2022")}, r"binary \(NUL byte at byte 8\), in .*a\.txt"),
    "no metadata": ({"a.txt": "Some text.\n"}, r"has no metadata, in .*a\.txt — add a\.toml"),
    "missing file": ({"a.toml": 'file = "gone.txt"\n' + META.format(published="2022")}, r"names a missing file 'gone\.txt', in .*a\.toml line 1"),
    "same id": (
        {"a.txt": "A.\n", "a.toml": 'id = "same"\n' + META.format(published="2022"),
         "b.txt": "B.\n", "b.toml": 'id = "same"\n' + META.format(published="2022")},
        r"two documents have the id 'same', in .*a\.toml and .*b\.toml",
    ),
    "unparseable date": ({"a.txt": "A.\n", "a.toml": META.format(published="Feb 2022")}, r"'Feb 2022' is not a valid date.*a\.toml line 4"),
    "impossible date": ({"a.txt": "A.\n", "a.toml": META.format(published="2022-02-30")}, r"2022-02 has no day 30.*a\.toml line 4"),
    "unknown type": ({"a.pdf": b"%PDF-1.4", "a.toml": META.format(published="2022")}, r"unknown file type \.pdf, in .*a\.pdf"),
    "bad toml": ({"a.txt": "A.\n", "a.toml": 'title = "x\n'}, r"not valid TOML.*a\.toml line 1 column"),
    "missing key": ({"a.txt": "A.\n", "a.toml": 'title = "x"\n'}, r"metadata has no 'publisher', in .*a\.toml"),
    "hash mismatch": ({"a.txt": "A.\n", "a.toml": META.format(published="2022") + 'sha256 = "' + "0" * 64 + '"\n'}, r"SHA-256 is .* metadata says 0{64}, in .*a\.txt"),
    # metadata is validated: a link, a date, one line of text each
    "url not a url": ({"a.txt": "A.\n", "a.toml": META.format(published="2022").replace("https://example.org/a", "not a url")},
                      r"'url' is not an absolute http\(s\) URL: 'not a url', in .*a\.toml line 3"),
    "url javascript": ({"a.txt": "A.\n", "a.toml": META.format(published="2022").replace("https://example.org/a", "javascript:alert(1)")},
                       r"'url' is not an absolute http\(s\) URL.*a\.toml line 3"),
    "url without host": ({"a.txt": "A.\n", "a.toml": META.format(published="2022").replace("https://example.org/a", "https:///a")},
                         r"'url' is not an absolute http\(s\) URL.*a\.toml line 3"),
    "future date": ({"a.txt": "A.\n", "a.toml": META.format(published="2999-01-01")}, r"publication date 2999-01-01 is after today .*a\.toml line 4 — .*embargoed = true"),
    "future year": ({"a.txt": "A.\n", "a.toml": META.format(published="2999")}, r"publication date 2999 is after today"),
    "embargoed not a bool": ({"a.txt": "A.\n", "a.toml": META.format(published="2022") + 'embargoed = "yes"\n'}, r"'embargoed' must be true or false.*line 5"),
    "nul in title": ({"a.txt": "A.\n", "a.toml": META.format(published="2022").replace("A title", "A\\u0000title")},
                     r"'title' holds the control character U\+0000 at character 2, in .*a\.toml line 1"),
    "newline in publisher": ({"a.txt": "A.\n", "a.toml": META.format(published="2022").replace("A Publisher", "A\\nB")},
                             r"'publisher' holds the control character U\+000A.*line 2"),
    "escape in genre": ({"a.txt": "A.\n", "a.toml": META.format(published="2022") + 'genre = "x\\u001b[31m"\n'}, r"'genre' holds the control character U\+001B"),
    # limits
    "too long": ({"a.txt": "A word. " * 125_001, "a.toml": META.format(published="2022")},
                 r"1,000,008 characters of text, more than the 1,000,000 kg reads.*, in .*a\.txt — split it"),
    "html too deep": ({"a.html": "<html><body>" + "<div>" * 5000 + "Words." + "</div>" * 5000 + "</body></html>", "a.toml": META.format(published="2022")},
                      r"cannot read HTML: the page nests elements more than 2,048 levels deep \(line 1\).*, in .*a\.html"),
    "name too long": ({"a.toml": 'file = "' + "x" * 300 + '.txt"\n' + META.format(published="2022")}, r"names a missing file 'x+\.txt', in .*a\.toml line 1"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_names_the_file_and_the_place(tmp_path: Path, case: str) -> None:
    files, message = BAD_INPUTS[case]
    folder = _write(tmp_path / "sources", files)
    with pytest.raises(SourceError, match=message) as info:
        sources.load(folder)
    assert info.value.fix  # every error says how to fix it


def test_sidecar_defaults_to_the_document_beside_it(tmp_path: Path) -> None:
    folder = _write(tmp_path / "s", {"my-story.txt": "Text.\n", "my-story.toml": META.format(published="2021-05")})
    (doc,) = sources.load(folder)
    assert doc.id == "my-story" and doc.meta.published == PartialDate(2021, 5)


def test_readme_and_dotfiles_are_left_alone(tmp_path: Path) -> None:
    folder = _write(tmp_path / "s", {"README.md": "notes", ".DS_Store": b"\x00", "a.txt": "A.\n", "a.toml": META.format(published="2022")})
    assert [d.id for d in sources.load(folder)] == ["a"]


HTML = """<!doctype html><html><head><title>Site | A headline</title><style>p{color:red}</style>
<script>var tracking = 1;</script></head><body>
<header><nav><a href="/">Home</a><a href="/news">News menu</a></nav></header>
<main><article><h1>A headline</h1><p class="byline">By Jo Reporter</p>
<figure><img src="x.jpg"><figcaption>Officers outside a station</figcaption><span class="credit">Photo: Agency</span></figure>
<p>The watchdog&rsquo;s report found bullying.&nbsp;It said so.</p>
<blockquote><p>&ldquo;This was serious,&rdquo; she said.</p></blockquote>
<div class="share-bar">Share on Twitter</div>
</article>
<aside class="related"><h2>Related stories</h2><ul><li>Another story headline</li></ul></aside></main>
<footer>Copyright Site</footer></body></html>"""


def test_html_main_text_without_navigation_scripts_sidebars_or_footers(tmp_path: Path) -> None:
    folder = _write(tmp_path / "s", {"page.html": HTML, "page.toml": META.format(published="2022").replace("A title", "A headline")})
    (doc,) = sources.load(folder)
    assert doc.media_type == "text/html"
    for absent in ("News menu", "tracking", "color:red", "Related stories", "Another story", "Copyright", "Share on Twitter"):
        assert absent not in doc.text
    assert "The watchdog’s report found bullying.\u00a0It said so." in doc.text
    assert "“This was serious,” she said." in doc.text
    furniture = {f.span.of(doc.text): f.kind for f in doc.furniture}
    assert furniture == {"Officers outside a station": "caption", "Photo: Agency": "credit"}
    assert doc.title is not None and doc.title.of(doc.text) == "A headline"
    assert doc.sha256 == hashlib.sha256(doc.text.encode()).hexdigest()


def test_html_reading_is_deterministic(tmp_path: Path) -> None:
    folder = _write(tmp_path / "s", {"page.html": HTML, "page.toml": META.format(published="2022")})
    assert sources.load(folder)[0].text == sources.load(folder)[0].text


def test_a_link_to_a_file_outside_the_sources_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0:root:/root:/bin/bash\n")
    folder = _write(tmp_path / "s", {"a.toml": META.format(published="2022")})
    (folder / "a.txt").symlink_to(outside)
    with pytest.raises(SourceError, match=r"the file resolves to .*secret\.txt, outside the sources folder, in .*a\.txt — copy") as info:
        sources.load(folder)
    assert "root:x" not in str(info.value)


def test_a_linked_sidecar_and_a_file_key_through_a_linked_folder_are_refused(tmp_path: Path) -> None:
    elsewhere = _write(tmp_path / "elsewhere", {"doc.txt": "Secret text.\n", "meta.toml": META.format(published="2022")})
    folder = _write(tmp_path / "s", {"b.txt": "B.\n"})
    (folder / "b.toml").symlink_to(elsewhere / "meta.toml")
    with pytest.raises(SourceError, match=r"meta\.toml, outside the sources folder, in .*b\.toml"):
        sources.load(folder)
    (folder / "b.toml").unlink()
    (folder / "sub").symlink_to(elsewhere, target_is_directory=True)
    _write(folder, {"b.toml": 'file = "sub/doc.txt"\n' + META.format(published="2022")})
    with pytest.raises(SourceError, match=r"doc\.txt, outside the sources folder, in .*b\.toml line 1 \('file'\)"):
        sources.load(folder)


def test_a_link_that_stays_inside_the_sources_folder_is_read(tmp_path: Path) -> None:
    folder = _write(tmp_path / "s", {"a.toml": META.format(published="2022")})
    _write(folder / "archive", {"original.txt": "The text.\n"})
    (folder / "a.txt").symlink_to(folder / "archive" / "original.txt")
    (doc,) = sources.load(folder)
    assert doc.text == "The text.\n"


def test_a_pipe_is_refused_without_reading_it(tmp_path: Path) -> None:
    import os
    import signal

    folder = _write(tmp_path / "s", {"a.toml": META.format(published="2022")})
    os.mkfifo(folder / "a.txt")  # reading it would wait for a writer forever

    def stuck(*_: object) -> None:
        raise AssertionError("the pipe was opened for reading")

    old = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(20)
    try:
        with pytest.raises(SourceError, match=r"not a regular file .*, in .*a\.txt"):
            sources.load(folder)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def test_an_embargoed_document_may_be_dated_ahead(tmp_path: Path) -> None:
    folder = _write(tmp_path / "s", {"a.txt": "A.\n", "a.toml": META.format(published="2999-01-01") + "embargoed = true\n"})
    (doc,) = sources.load(folder)
    assert doc.meta.published == PartialDate(2999, 1, 1)


def test_the_document_limit_is_the_language_models() -> None:
    from kg.nlp import load

    assert load().max_length == sources.MAX_CHARACTERS
