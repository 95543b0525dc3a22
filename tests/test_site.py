"""The static site: pages, links and anchors, marked source texts, and a real browser clicking a footnote."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest

from kg import factsheet as fs
from kg import site
from kg.project import Project

PERSON = "https://schema.org/Person"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


@pytest.fixture(scope="module")
def built_site(corpus_project: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    report = site.build_site(corpus_project, out)
    assert report.omitted == ()
    return out


def _html_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def _ids(path: Path, cache: dict[Path, set[str]]) -> set[str]:
    if path not in cache:
        cache[path] = {str(v) for v in lxml.html.parse(str(path)).getroot().xpath("//@id")}
    return cache[path]


# --- pages ----------------------------------------------------------------------------------------


def test_pages_exist(built_site: Path, corpus_project: Project) -> None:
    ctx = fs.Context(corpus_project)
    for name in ("index.html", "timeline.html", "graph.html"):
        assert (built_site / name).is_file()
    for iri in ctx.entities:
        assert (built_site / "entity" / f"{fs.page_name(iri)}.html").is_file()
    for src in ctx.sources.values():
        assert (built_site / "source" / f"{src.page}.html").is_file()
    assert not [p for p in built_site.parent.iterdir() if p.name.startswith(".")]  # no temporary folder left


def test_every_relative_link_resolves_to_a_file_and_an_anchor(built_site: Path) -> None:
    ids: dict[Path, set[str]] = {}
    checked = 0
    for page in _html_files(built_site):
        root = lxml.html.parse(str(page)).getroot()
        for href in root.xpath("//@href"):
            parts = urlsplit(str(href))
            if parts.scheme in ("http", "https"):
                continue
            assert not parts.scheme and not parts.netloc, f"{page.name}: unexpected link {href}"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            assert target.is_file(), f"{page.relative_to(built_site)}: {href} points at no file"
            assert built_site in target.parents or target == built_site, f"{href} leaves the site"
            if parts.fragment:
                assert unquote(parts.fragment) in _ids(target, ids), f"{page.name}: {href} names no anchor"
            checked += 1
    assert checked > 500


def test_offline_no_external_assets(built_site: Path) -> None:
    for page in _html_files(built_site):
        root = lxml.html.parse(str(page)).getroot()
        assert not root.xpath("//@src"), page.name
        assert not root.xpath("//link[@rel='stylesheet']"), page.name
        assert len(root.xpath("//style")) == 1, page.name
        for code in root.xpath("//script/text()") + root.xpath("//style/text()"):
            assert "http" not in code and "@import" not in code and "url(" not in code, page.name


def test_index_groups_entities_by_type(built_site: Path) -> None:
    root = lxml.html.parse(str(built_site / "index.html")).getroot()
    headings = [h.text_content() for h in root.xpath("//h2")]
    assert headings[0].startswith("People (")
    assert any(h.startswith("Organisations (") for h in headings)
    assert any(h.startswith("Sources (2)") for h in headings)
    assert root.xpath("//a[@href='entity/person-sal-naseem.html'][text()='Sal Naseem']")


def test_entity_page_footnotes_open_the_source(built_site: Path) -> None:
    root = lxml.html.parse(str(built_site / "entity" / "person-sal-naseem.html")).getroot()
    markers = root.xpath("//sup[@class='fn']/a")
    assert markers
    for a in markers:
        assert a.get("href").startswith("../source/") and "#t" in a.get("href")


def test_source_page_is_the_whole_text_with_every_cited_span_marked(built_site: Path, corpus_project: Project) -> None:
    ctx = fs.Context(corpus_project)
    for src in ctx.sources.values():
        text = corpus_project.text_of(src.id)
        root = lxml.html.parse(str(built_site / "source" / f"{src.page}.html")).getroot()
        (body,) = root.xpath("//div[@id='text']")
        assert body.text_content() == text
        ok, bad = ctx.source_targets(src.id)
        assert ok and not bad
        pieces = body.xpath(".//span[@data-t]")
        for c in ok:
            anchor = f"t{c.start}-{c.end}"
            assert body.xpath(f".//a[@id='{anchor}']")
            covered = "".join(p.text_content() for p in pieces if anchor in p.get("data-t").split())
            assert covered == c.exact == text[c.start : c.end]


def test_segments_of_overlapping_and_nested_spans() -> None:
    text = "abcdefghij"
    pieces = site.segments(text, [(0, 4), (2, 8), (3, 5), (2, 8)])
    assert "".join(p.text for p in pieces) == text
    assert [(p.text, p.ids, p.anchors) for p in pieces] == [
        ("ab", ("t0-4",), ("t0-4",)),
        ("c", ("t0-4", "t2-8"), ("t2-8",)),
        ("d", ("t0-4", "t2-8", "t3-5"), ("t3-5",)),
        ("e", ("t2-8", "t3-5"), ()),
        ("fgh", ("t2-8",), ()),
        ("ij", (), ()),
    ]


def test_timeline_is_in_date_order_and_cited(built_site: Path) -> None:
    root = lxml.html.parse(str(built_site / "timeline.html")).getroot()
    rows = root.xpath("//tr[td]")
    assert len(rows) >= 5
    months = {m: i for i, m in enumerate(fs.MONTHS, 1)}

    def key(d: str) -> tuple[int, int, int]:
        parts = d.split()
        if len(parts) == 3:
            return (int(parts[2]), months[parts[1]], int(parts[0]))
        if len(parts) == 2:
            return (int(parts[1]), months[parts[0]], 0)
        return (int(parts[0]), 0, 0)

    dates = [r.xpath("td[@class='date']")[0].text_content() for r in rows]
    assert dates == sorted(dates, key=key)
    assert "March 2018" in dates and "1 February 2022" in dates
    for r in rows:
        assert r.xpath(".//sup[@class='fn']/a"), r.text_content()


def test_graph_is_inline_svg_linking_entity_pages(built_site: Path) -> None:
    root = lxml.html.parse(str(built_site / "graph.html")).getroot()
    assert root.xpath("//svg")
    circles = root.xpath("//svg//circle")
    assert 20 < len(circles) <= site.TOP
    hrefs = {a.get("href") for a in root.xpath("//svg//a")}
    assert "entity/person-sal-naseem.html" in hrefs
    # every entity drawn has its label; the ones left out are in the table of links
    for a in root.xpath("//svg//a[@class='node']"):
        (text,) = a.xpath("text")
        assert text.text_content().strip(), a.get("href")
    table = {a.get("href") for a in root.xpath("//table//a")}
    assert hrefs < table


def test_graph_colours_are_distinct_per_kind_with_a_legend(built_site: Path) -> None:
    assert len(set(site.COLOURS.values())) == len(site.COLOURS)  # no two kinds share a colour
    assert site.GREY not in site.COLOURS.values()
    root = lxml.html.parse(str(built_site / "graph.html")).getroot()
    kinds = {a.get("data-kind"): a.xpath("circle")[0].get("fill") for a in root.xpath("//svg//a[@class='node']")}
    legend = {span.get("data-kind"): span.xpath("i")[0].get("style") for span in root.xpath("//p[@id='legend']/span")}
    assert set(legend) == set(kinds)
    for kind, fill in kinds.items():
        assert legend[kind] == f"background: {fill}"
    assert len(set(kinds.values())) == len(kinds)


def test_graph_labels_fit_without_overlap(corpus_project: Project) -> None:
    ctx = fs.Context(corpus_project)
    net = site.network(ctx, fs.Composer(ctx))
    boxes = [site.label_box(n) for n in net.nodes]
    for i, a in enumerate(boxes):
        assert a[0] >= 0 and a[2] <= site.WIDTH and a[1] >= 0 and a[3] <= site.HEIGHT
        for b in boxes[i + 1 :]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    # fewer places for labels: the least linked entities are left out until every label fits
    small = site.network(ctx, fs.Composer(ctx), top=80)
    assert len(small.nodes) <= 80 and small.total == net.total


def _search_index(built_site: Path) -> list[dict[str, str]]:
    import json

    root = lxml.html.parse(str(built_site / "search.html")).getroot()
    (script,) = root.xpath("//script[@id='index']")
    return list(json.loads(script.text))


def test_search_index_covers_entities_quotes_and_facts(built_site: Path, corpus_project: Project) -> None:
    index = _search_index(built_site)
    ctx = fs.Context(corpus_project)
    kinds = {e["k"] for e in index}
    assert {"person", "organisation", "quote", "fact"} <= kinds
    assert sum(1 for e in index if e["k"] not in ("quote", "fact")) == len(ctx.entities)
    sal = next(e for e in index if e["t"] == "Sal Naseem")
    assert sal == {"k": "person", "t": "Sal Naseem", "s": "Mr Naseem, Naseem", "h": "entity/person-sal-naseem.html"}
    assert any(e["k"] == "quote" and "None of them spoke out." in e["t"] for e in index)
    assert any(e["k"] == "fact" and e["t"].startswith("Operation Hotton investigated 14 officers") for e in index)
    texts = [(e["k"], e["t"]) for e in index]
    assert len(texts) == len(set(texts))  # each fact and quote once
    quote = next(e for e in index if e["k"] == "quote" and "None of them spoke out." in e["t"])
    assert quote["h"].startswith("entity/quotation-")  # a quotation links to its own sheet
    ids: dict[Path, set[str]] = {}
    for e in index:
        path, _, anchor = e["h"].partition("#")
        assert (built_site / path).is_file(), e
        if anchor:
            assert anchor in _ids(built_site / path, ids), e


def test_search_index_cannot_end_its_script(tmp_path: Path) -> None:
    from markupsafe import Markup

    class Ctx:
        def __init__(self) -> None:
            self.entities = {"https://kg.example/id/person/x": fs.Entity("https://kg.example/id/person/x", PERSON, "</script><b>x&y")}

    text = site.search_json(Ctx(), [])  # type: ignore[arg-type]
    assert isinstance(text, Markup)
    assert "</script" not in text and "<b>" not in text and "&y" not in text
    import json

    assert json.loads(str(text))[0]["t"] == "</script><b>x&y"


def test_every_page_has_the_search_box(built_site: Path) -> None:
    for page in _html_files(built_site):
        root = lxml.html.parse(str(page)).getroot()
        (form,) = root.xpath("//nav//form[@role='search']")
        target = (page.parent / form.get("action")).resolve()
        assert target == (built_site / "search.html").resolve(), page.name
        assert form.xpath("input[@name='q']")


def test_source_pages_tint_nothing_until_a_citation_is_opened(built_site: Path) -> None:
    css = (built_site / "index.html").read_text(encoding="utf-8")
    assert ".text .c {" not in css  # no tint for every cited piece
    assert ".text .c.hl {" in css  # only what a click points to


def test_site_is_deterministic(corpus_project: Project, built_site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    site.build_site(corpus_project, again)
    first = {p.relative_to(built_site): p.read_bytes() for p in built_site.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first == second


def test_a_failed_build_leaves_the_previous_site(
    corpus_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    site.build_site(corpus_project, out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def boom(*_args: object, **_kw: object) -> list[object]:
        raise OSError("disk full")

    monkeypatch.setattr(site, "timeline", boom)
    with pytest.raises(OSError):
        site.build_site(corpus_project, out)
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_tampered_citations_are_not_marked(built_copy: Project, tmp_path: Path) -> None:
    src = "dazed-2022-02-met-police-iopc-report"
    path = built_copy.data_dir() / "texts" / f"{src}.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("sparked by an allegation", "sparked by an allegatioN"), encoding="utf-8")
    report = site.build_site(built_copy, tmp_path / "site")
    assert any(o.startswith(f"cited span {src} 1318-1410 not marked") for o in report.omitted)
    page = (tmp_path / "site" / "source" / f"{src}.html").read_text(encoding="utf-8")
    assert 'id="t1318-1410"' not in page
    hotton = (tmp_path / "site" / "entity" / "investigation-operation-hotton.html").read_text(encoding="utf-8")
    assert "#t1318-1410" not in hotton


# --- a real browser -------------------------------------------------------------------------------


def _browser_missing() -> str | None:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not path.exists() and not shutil.which(path.name):
            return f"{path} is not installed (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install selenium)"
    return None


@contextlib.contextmanager
def browser_or_skip() -> Iterator[Any]:
    """A headless Chromium driven by Selenium; the test is skipped where there is none (never in CI)."""
    missing = _browser_missing()
    if missing:
        if os.environ.get("CI"):  # .ci/run installs the browser: in CI this test must run
            pytest.fail(f"the browser test cannot run in CI: {missing}")
        print(f"skipping the browser test: {missing}")
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="kg-chromium-")
    options = Options()
    options.binary_location = str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium"))
    for flag in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
        "--window-size=1200,900",
    ):
        options.add_argument(flag)
    driver_path = str(CHROMEDRIVER if CHROMEDRIVER.exists() else shutil.which("chromedriver"))
    try:
        driver = webdriver.Chrome(service=Service(driver_path), options=options)
    except WebDriverException as exc:
        shutil.rmtree(profile, ignore_errors=True)
        if os.environ.get("CI"):
            raise
        reason = f"chromium could not be started: {exc.msg}"
        print(f"skipping the browser test: {reason}")
        pytest.skip(reason)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with browser_or_skip() as driver:
        yield driver


HIGHLIGHTED = "return Array.from(document.querySelectorAll('.hl')).map(function (e) { return e.textContent; }).join('');"


@pytest.mark.browser
@pytest.mark.parametrize("page", ["entity/person-sal-naseem.html", "entity/investigation-operation-hotton.html"])
def test_clicking_a_footnote_highlights_the_quote(browser: object, built_site: Path, page: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = browser
    url = (built_site / page).as_uri()
    driver.get(url)  # type: ignore[attr-defined]
    markers = driver.find_elements(By.CSS_SELECTOR, "sup.fn a")  # type: ignore[attr-defined]
    assert len(markers) > 5
    picks = sorted({0, len(markers) // 2, len(markers) - 1})
    for i in picks:
        if i:
            driver.get(url)  # type: ignore[attr-defined]
        marker = driver.find_elements(By.CSS_SELECTOR, "sup.fn a")[i]  # type: ignore[attr-defined]
        n = marker.get_attribute("data-fn")
        quote = driver.execute_script(  # type: ignore[attr-defined]
            "return document.getElementById('fn-' + arguments[0]).querySelector('.quote').textContent;", n
        )
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", marker)  # type: ignore[attr-defined]
        marker.click()
        WebDriverWait(driver, 10).until(lambda d: "/source/" in d.current_url)
        highlighted = WebDriverWait(driver, 10).until(lambda d: d.execute_script(HIGHLIGHTED))
        assert highlighted == quote
        # the highlighted words are scrolled into view
        top, bottom, height = driver.execute_script(  # type: ignore[attr-defined]
            "var r = document.querySelectorAll('.hl'), a = r[0].getBoundingClientRect(),"
            " b = r[r.length - 1].getBoundingClientRect(); return [a.top, b.bottom, window.innerHeight];"
        )
        assert bottom > 0 and top < height


@pytest.mark.browser
def test_search_finds_entities_quotes_and_facts(browser: object, built_site: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver = browser
    driver.get((built_site / "entity" / "person-sal-naseem.html").as_uri())  # type: ignore[attr-defined]
    box = driver.find_element(By.CSS_SELECTOR, "nav.site input[name=q]")  # type: ignore[attr-defined]
    box.send_keys("naseem")
    box.submit()
    WebDriverWait(driver, 10).until(lambda d: "/search.html" in d.current_url)

    def results() -> list[tuple[str, str, str]]:
        return [
            (li.find_element(By.CSS_SELECTOR, ".kind").text, li.find_element(By.TAG_NAME, "a").text,
             li.find_element(By.TAG_NAME, "a").get_attribute("href"))
            for li in driver.find_elements(By.CSS_SELECTOR, "#results li")  # type: ignore[attr-defined]
        ]

    found = WebDriverWait(driver, 10).until(lambda d: results())
    assert ("PERSON", "Sal Naseem", (built_site / "entity" / "person-sal-naseem.html").as_uri()) in found
    assert any(kind == "QUOTE" for kind, _t, _h in found)
    # typing narrows the results, every word must match, case and curly quotes aside
    q = driver.find_element(By.ID, "q")  # type: ignore[attr-defined]
    q.clear()
    q.send_keys("HOTTON dismissal")
    WebDriverWait(driver, 10).until(lambda d: results() and all("ismissal" in t for _k, t, _h in results()))
    assert any(k == "FACT" and t.startswith("Dismissal for gross misconduct: two officers") for k, t, _h in results())
    q.clear()
    q.send_keys("it's important that we surface")
    WebDriverWait(driver, 10).until(lambda d: results())
    assert {k for k, _t, _h in results()} == {"QUOTE", "QUOTATION"}  # the quote, and the quotation's own entry
    # a result opens its page
    link = driver.find_element(By.CSS_SELECTOR, "#results li a")  # type: ignore[attr-defined]
    link.click()
    WebDriverWait(driver, 10).until(lambda d: "/entity/" in d.current_url)
    q_none = "no such words anywhere"
    driver.get((built_site / "search.html").as_uri() + "?q=" + q_none.replace(" ", "+"))  # type: ignore[attr-defined]
    assert driver.find_element(By.ID, "count").text == "0 results"  # type: ignore[attr-defined]


BOXES = """
return Array.from(document.querySelectorAll('svg.network a.node')).map(function (a) {
  var t = a.querySelector('text').getBoundingClientRect(), c = a.querySelector('circle').getBoundingClientRect();
  return [a.getAttribute('href'), a.querySelector('text').textContent, [t.left, t.top, t.right, t.bottom],
          [c.left, c.top, c.right, c.bottom]];
});"""


@pytest.mark.browser
def test_every_node_of_the_network_is_labelled_without_overlap(browser: object, built_site: Path) -> None:
    driver = browser
    driver.get((built_site / "graph.html").as_uri())  # type: ignore[attr-defined]
    nodes = driver.execute_script(BOXES)  # type: ignore[attr-defined]
    assert len(nodes) > 20
    svg = driver.execute_script(  # type: ignore[attr-defined]
        "var r = document.querySelector('svg.network').getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom];"
    )

    def overlap(a: list[float], b: list[float]) -> bool:
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

    for i, (href, text, box, _circle) in enumerate(nodes):
        assert text.strip(), href
        assert box[2] - box[0] > 0 and svg[0] <= box[0] and box[2] <= svg[2] and svg[1] <= box[1] and box[3] <= svg[3]
        for _other, other_text, other_box, _c in nodes[i + 1 :]:
            assert not overlap(box, other_box), (text, other_text)
        for other_href, _t, _b, circle in nodes:
            if other_href != href:
                assert not overlap(box, circle), (text, other_href)


def test_a_read_only_folder_is_one_error_line(corpus_project: Project, tmp_path: Path, immutable) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from kg.cli import main

    parent = tmp_path / "published"
    parent.mkdir()
    immutable(parent)
    root = str(corpus_project.sources.parent)
    for args in (["site", "-o", str(parent / "site")], ["factsheet", "Sal Naseem", "-o", str(parent / "sal.md")],
                 ["factsheet", "--all", "-o", str(parent / "sheets")]):
        result = CliRunner().invoke(main, ["-C", root, *args])
        assert result.exit_code == 1, (args, result.output)
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith("Error: cannot write or read a file (") and f"at {parent}" in line, (args, line)
        assert "Traceback" not in result.output
    assert list(parent.iterdir()) == []
