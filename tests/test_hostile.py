"""Hostile content, everywhere it goes: generated sources full of markup, script, Markdown and
RDF-breaking strings are built, and every output is checked.

- the TriG parses with pyoxigraph and with rdflib, and says exactly what the metadata said;
- the HTML (fact sheets, the site) has no script but kg's own, no event handler, no
  ``javascript:`` link, no frame or object, and shows the hostile words as words;
- the Markdown's footnotes are kg's own (none can be forged) and no line starts a table;
- no CSV cell (``kg query``, ``kg analyze``) can start a spreadsheet formula.

A headless Chromium then opens the hostile site's pages and checks that no payload ran while kg's
own script (the highlight of a cited span) did.

``KG_HOSTILE_EXAMPLES`` sets how many projects the property test builds (default 6).
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import tempfile
from pathlib import Path

import lxml.html
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset

from kg import factsheet as fs
from kg import queries, site
from kg.build import build
from kg.cli import main
from kg.project import Project
from kg.resources import templates_dir

PAYLOADS = [
    "<script>window.__pwned=1</script>", "<img src=x onerror=\"window.__pwned=1\">", "\"><svg onload=window.__pwned=1>",
    "javascript:window.__pwned=1", "<a href=\"javascript:window.__pwned=1\">click</a>", "</title><script>x()</script>",
    "<iframe src=\"data:text/html,<script>parent.__pwned=1</script>\">", "{{ 7*7 }}", "{% raw %}",
    "[^1]: a forged footnote", "[^2]", "| forged | table |", "**bold** _em_ `code`", "[a link](javascript:alert(1))",
    "<javascript:alert(1)>", "&lt;script&gt;", "&#0;", '"""', "'''", "\\", '\\" .', "> .", "} GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> }",
    '"@en', "^^<urn:t>", "_:b0", "=HYPERLINK(\"http://x\",\"y\")", "+44 20 7946 0000", "-2+3", "@SUM(A1)", "=1+1",
    "\u202eevil\u202c", "\u200b", "ﬁ", "Ünïcödé", "😀",
]
SAFE_URL_PARTS = ["a\"b", "<script>", "x'y", "q?a=<b>&c=javascript:", "%22%3E", "#frag>x", "[^1]", "|"]

payload = st.sampled_from(PAYLOADS)


@st.composite
def hostile_project(draw: st.DrawFn) -> dict[str, str]:
    """The files of a sources folder: a press release and an HTML page, both hostile."""
    p = [draw(payload) for _ in range(6)]
    url_part = draw(st.sampled_from(SAFE_URL_PARTS))

    def toml(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    text = (
        f"Watchdog report {p[0]}\n\n"
        f"The Harbour Conduct Office (HCO) found bullying at Northgate police station {p[1]}, its regional "
        "director Dana Reyes said.\n\n"
        f"“We found {p[2]} and a culture of fear,” Dana Reyes said.\n\n"
        f"Twelve officers were investigated after a complaint {p[3]}.\n"
    )
    page = (
        f"<html><head><title>{p[4]}</title><script>window.__pwned=1</script></head><body><article>"
        f"<h1>Gazette story</h1><p onclick=\"window.__pwned=1\">The Harbour Conduct Office (HCO) said "
        f"<a href=\"javascript:window.__pwned=1\">Dana Reyes</a> {html.escape(p[5])} was right.</p>"
        "<p>“It was serious,” Dana Reyes told the Gazette.</p></article></body></html>"
    )
    return {
        "hco-2021-05-04-report.txt": text,
        "hco-2021-05-04-report.toml": (
            f"title = {toml('Watchdog report ' + p[0])}\npublisher = {toml('Harbour ' + p[1] + ' Office')}\n"
            f"url = {toml('https://hco.example/' + url_part.replace(' ', ''))}\npublished = \"2021-05-04\"\n"
            f"genre = {toml(p[2])}\n"
        ),
        "gazette-2021-05-05-story.html": page,
        "gazette-2021-05-05-story.toml": (
            f"title = \"Gazette story\"\npublisher = {toml(p[3] + ' Gazette')}\npublished = \"2021-05-05\"\n"
            f"via = {toml(p[5])}\nurl = \"https://gazette.example/story\"\n"
        ),
    }


def write_project(root: Path, files: dict[str, str]) -> Project:
    (root / "sources").mkdir(parents=True)
    for name, content in files.items():
        (root / "sources" / name).write_text(content, encoding="utf-8")
    project = Project.at(root)
    build(project, jobs=1)
    return project


def kg_scripts() -> set[str]:
    """The scripts kg's own templates put in pages."""
    found = set()
    for template in templates_dir().glob("*.j2"):
        found.update(m.strip() for m in re.findall(r"<script>(.*?)</script>", template.read_text(encoding="utf-8"), re.S))
    return found


URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc")


def check_html(path: Path, scripts: set[str]) -> str:
    """No executable markup in a page; its text."""
    root = lxml.html.parse(str(path)).getroot()
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        assert el.tag not in ("iframe", "object", "embed", "base", "frame"), (path.name, el.tag)
        if el.tag == "form":  # only kg's own search box, in its navigation bar, sending to its search page
            parent = el.getparent()
            assert parent is not None and parent.tag == "nav" and parent.get("class") == "site", path.name
            assert el.get("class") == "search" and re.fullmatch(r"(\.\./)*search\.html", el.get("action", "")), path.name
            assert [(i.tag, i.get("type"), i.get("name")) for i in el.iter() if i is not el] == [("input", "search", "q")], path.name
        if el.tag == "script" and el.get("type") == "application/json":  # data, never run: it must parse
            body = el.text or ""
            assert "<" not in body and json.loads(body) is not None, path.name
        elif el.tag == "script":
            assert (el.text or "").strip() in scripts, (path.name, el.text)
        if el.tag == "meta":
            assert el.get("http-equiv") is None, path.name
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (path.name, el.tag, name, value)
            if name.lower() in URL_ATTRIBUTES:
                scheme = re.sub(r"[\s\x00-\x1f]", "", value).lower().split(":", 1)
                assert len(scheme) == 1 or scheme[0] not in ("javascript", "vbscript", "data"), (path.name, name, value)
    return str(root.text_content())


_ESCAPED = re.compile(r"\\.")


def check_markdown(text: str, footnotes: int | None = None) -> None:
    """Footnotes are kg's own and numbered 1…N; every reference has its note; no table, no raw HTML."""
    plain = _ESCAPED.sub("", text)  # what Markdown reads as markup: everything not escaped
    definitions = [int(n) for n in re.findall(r"^\[\^(\d+)\]:", plain, re.M)]
    assert definitions == list(range(1, len(definitions) + 1))
    if footnotes is not None:
        assert len(definitions) == footnotes
    references = {int(n) for n in re.findall(r"\[\^(\d+)\](?!:)", plain)}
    assert references <= set(definitions)
    assert not re.search(r"^\s*\|", plain, re.M), "a line starts a table"
    assert "|" not in plain and "<script" not in plain.lower() and "<img" not in plain.lower()
    assert not re.search(r"\]\(\s*javascript:", plain, re.I) and "<javascript:" not in plain.lower()


_FORMULA = re.compile(r"^[=+\-@\t\r]")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def check_csv(data: str) -> None:
    for row in csv.reader(io.StringIO(data)):
        for cell in row:
            assert not (_FORMULA.match(cell) and not _NUMBER.fullmatch(cell)), cell


def check_project(project: Project, files: dict[str, str]) -> None:
    # the TriG parses with both libraries, and says what the metadata said
    trig = project.trig_path.read_bytes()
    quads = list(ox.parse(trig, format=ox.RdfFormat.TRIG))
    Dataset().parse(data=trig, format="trig")
    names = {q.object.value for q in quads if q.predicate.value == "https://schema.org/name" and isinstance(q.graph_name, ox.DefaultGraph)}
    title = re.search(r'^title = "((?:[^"\\]|\\.)*)"', files["hco-2021-05-04-report.toml"], re.M)
    assert title is not None
    assert title.group(1).replace('\\"', '"').replace("\\\\", "\\") in names

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        ctx = fs.Context(project)
        # Markdown: every sheet and the index
        fs.write_all(project, "md", out / "md", ctx=ctx)
        for iri in ctx.entities:
            sheet = fs.build_sheet(ctx, iri)
            check_markdown((out / "md" / f"{fs.page_name(iri)}.md").read_text(encoding="utf-8"), len(sheet.footnotes))
        check_markdown((out / "md" / "index.md").read_text(encoding="utf-8"))
        # HTML: every sheet, the site
        scripts = kg_scripts()
        fs.write_all(project, "html", out / "html", ctx=ctx)
        site.build_site(project, out / "site")
        texts = [check_html(p, scripts) for p in sorted([*(out / "html").rglob("*.html"), *(out / "site").rglob("*.html")])]
        index = texts[-1] if texts else ""
        assert any("Watchdog report" in t for t in texts) and index
    # CSV: every named query and an analysis
    root = str(project.sources.parent)
    runner = CliRunner()
    for q in queries.named():
        args = ["-p", "entity=Dana Reyes"] if q.param("entity") else []
        result = runner.invoke(main, ["-C", root, "query", q.name, *args, "--format", "csv"])
        assert result.exit_code == 0, (q.name, result.output)
        check_csv(result.stdout_bytes.decode("utf-8"))
    result = runner.invoke(main, ["-C", root, "analyze", "centrality", "--format", "csv", "--top", "0"])
    assert result.exit_code == 0, result.output
    check_csv(result.stdout)


@pytest.mark.slow
@settings(max_examples=int(os.environ.get("KG_HOSTILE_EXAMPLES", "6")), deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(hostile_project())
def test_hostile_sources_are_inert_in_every_output(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        check_project(write_project(Path(tmp), files), files)


def test_every_payload_at_once(tmp_path: Path) -> None:
    """One project holding every payload (the property test draws a few at a time)."""
    files = {
        "hco-2021-05-04-report.txt": "Watchdog report\n\n" + "".join(
            f"The Harbour Conduct Office (HCO) said “{p}” about Northgate police station, Dana Reyes said.\n\n" for p in PAYLOADS
        ),
        "hco-2021-05-04-report.toml": 'title = "Watchdog report <script>window.__pwned=1</script> [^1]: x | y |"\n'
                                      'publisher = "=HYPERLINK(\\"http://x\\") Office"\npublished = "2021-05-04"\n'
                                      'url = "https://hco.example/a\\"><script>window.__pwned=1</script>"\n',
    }
    project = write_project(tmp_path / "p", files)
    check_project(project, files)


# --- a real browser ---------------------------------------------------------------------------------


@pytest.mark.browser
def test_no_payload_runs_in_a_browser(tmp_path: Path) -> None:
    from test_site import browser_or_skip

    files = {
        "hco-2021-05-04-report.txt": (
            "Watchdog report\n\n"
            "The Harbour Conduct Office (HCO) found bullying at Northgate police station, its regional director "
            "Dana Reyes said.\n\n"
            "“We found <script>window.__pwned=1</script> and <img src=x onerror=\"window.__pwned=2\"> in the "
            "messages,” Dana Reyes said.\n\n"
            "Twelve officers were investigated after a complaint \"><svg onload=window.__pwned=3>.\n"
        ),
        "hco-2021-05-04-report.toml": (
            'title = "Watchdog report <script>window.__pwned=4</script>"\n'
            'publisher = "Harbour <img src=x onerror=window.__pwned=5> Office"\npublished = "2021-05-04"\n'
            'url = "https://hco.example/a\\"onmouseover=\\"window.__pwned=6"\n'
        ),
    }
    project = write_project(tmp_path / "p", files)
    out = tmp_path / "site"
    site.build_site(project, out)
    with browser_or_skip() as driver:
        from selenium.common.exceptions import NoAlertPresentException
        from selenium.webdriver.common.by import By

        pages = sorted(out.rglob("*.html"))
        assert len(pages) > 5
        for page in pages:
            driver.get(page.as_uri())
            for link in driver.find_elements(By.CSS_SELECTOR, "a"):  # hovering a link runs no handler
                driver.execute_script("arguments[0].dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));", link)
            assert driver.execute_script("return window.__pwned === undefined;"), page.name
            with pytest.raises(NoAlertPresentException):
                driver.switch_to.alert.text  # noqa: B018 - raises when no alert is open
        # kg's own script runs: a footnote opens the source with the cited words highlighted
        sheet = out / "entity" / "person-dana-reyes.html"
        driver.get(sheet.as_uri())
        marker = driver.find_elements(By.CSS_SELECTOR, "sup.fn a")[0]
        driver.get(marker.get_attribute("href"))
        highlighted = driver.execute_script(
            "return Array.from(document.querySelectorAll('.hl')).map(function (e) { return e.textContent; }).join('');"
        )
        assert highlighted and driver.execute_script("return window.__pwned === undefined;")
