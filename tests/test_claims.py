"""Claims as a spreadsheet: `kg export -f csv|xlsx`, field by field, read back, and opened by LibreOffice."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg import claims, export
from kg.cli import main
from kg.project import Project

DAZED = "dazed-2022-02-met-police-iopc-report"
DAZED_TITLE = "It’s official: the Met Police are trash"
DAZED_URL = "https://www.dazeddigital.com/politics/article/55384/1/met-police-iopc-report-operation-hotton-2022-sal-naseem"
IOPC_TITLE = (
    "IOPC recommendations to tackle Met culture after investigation uncovers bullying and harassment in the ranks"
)

DESCRIBING = """
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a oa:motivatedBy oa:describing ; oa:hasBody ?st } }"""


def _rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # a byte-order mark, so spreadsheets read UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.fixture(scope="module")
def corpus_csv(corpus_project: Project) -> bytes:
    return export.export(corpus_project, "csv")


def test_one_row_per_statement_and_citation(corpus_project: Project, corpus_csv: bytes) -> None:
    from kg.dataset import open_store

    rows = _rows(corpus_csv)
    (count,) = list(open_store(corpus_project).query(DESCRIBING))  # type: ignore[arg-type]
    assert len(rows) == int(count["n"].value)  # type: ignore[index]
    assert list(rows[0]) == list(claims.COLUMNS)
    assert len({(r["statement"], r["source"], r["start"], r["end"]) for r in rows}) == len(rows)
    # ordered by source, then position
    keys = [(r["source"] != DAZED_TITLE, int(r["start"]), int(r["end"])) for r in rows]
    assert keys == sorted(keys, key=lambda k: k)


def test_a_row_field_by_field(corpus_csv: bytes) -> None:
    rows = [r for r in _rows(corpus_csv) if r["predicate"] == "officers investigated" and r["source"] == DAZED_TITLE]
    assert rows == [{
        "subject": "Operation Hotton",
        "predicate": "officers investigated",
        "object": "14",
        "speaker": "",
        "date": "",
        "status": "done",
        "source": DAZED_TITLE,
        "publisher": "Dazed (Dazed Digital)",
        "url": DAZED_URL + "#:~:text=14%20police%20officers%20that%20were%20investigated",
        "quote": "14 police officers that were investigated",
        "start": "2743",
        "end": "2784",
        "sources": "2",
        "conflict": "no",
        "statement": rows[0]["statement"],
    }]
    assert rows[0]["statement"].startswith("statement:")


def test_speaker_date_and_conflict(corpus_csv: bytes) -> None:
    rows = _rows(corpus_csv)
    quote = next(r for r in rows if r["predicate"] == "text" and r["object"].startswith("The behaviour we uncovered"))
    assert quote["speaker"] == "Sal Naseem"
    assert quote["date"] == "2022-02-01"
    assert quote["quote"].startswith("The behaviour we uncovered was disgraceful")
    assert "\n\n“We acknowledge" in quote["quote"]  # verbatim, paragraphs and all
    began = [r for r in rows if r["subject"] == "IOPC began Operation Hotton"]
    assert began and {r["date"] for r in began} == {"2018-03"}  # the most precise of the dates that agree
    origin = [r for r in rows if r["predicate"] == "origin"]
    assert {r["source"] for r in origin} == {DAZED_TITLE, IOPC_TITLE}
    # the two accounts of how the case began agree (other details, one allegation): no conflict
    assert {r["conflict"] for r in rows} == {"no"}
    recommended = {r["status"] for r in rows if r["predicate"] == "recommended by"}
    assert recommended == {"recommended"}


def test_a_conflicting_statement_is_flagged(extended: tuple[Project, Any]) -> None:
    """With the test articles, the wire report's 15 officers conflicts with the corpus's 14."""
    rows = _rows(export.export(extended[0], "csv"))
    counted = [r for r in rows if r["predicate"] == "officers investigated"]
    assert {r["object"] for r in counted} == {"14", "15"}
    assert {r["conflict"] for r in counted} == {"yes"}
    assert {r["conflict"] for r in rows if r["predicate"] == "origin"} == {"no"}


def _contract_project(root: Path) -> Project:
    """The mini corpus with the extraction contract's statuses and a value a spreadsheet would run."""
    from tests.fixtures.projects import mini_variant

    def extra(gen: Any) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
        return {}, {
            gen.HCO: [(gen.RESPONSE, "schema:eventStatus", "schema:EventScheduled", "We will publish", 1, {})],
            gen.GAZETTE: [
                (gen.ZERO, "schema:text", gen.lit('=HYPERLINK("http://example.org","x")'), "adopt a zero-tolerance policy", 1, {}),
                (gen.SORRY, "kg:speakerDescription", gen.lit("-the commissioner"), "the commissioner", 1, {}),
            ],
        }

    return mini_variant(root, extra)


def test_status_from_the_contract_and_formulas_neutralised(tmp_path: Path) -> None:
    project = _contract_project(tmp_path / "p")
    rows = _rows(export.export(project, "csv"))
    response = [r for r in rows if r["subject"] == "HCO to publish the response"]
    assert response and {r["status"] for r in response} == {"planned"}
    assert {r["date"] for r in response} == {"2021-06-29"}
    assert {r["status"] for r in rows if r["subject"] == "adopt a zero-tolerance policy"} == {"recommended"}
    assert {r["status"] for r in rows if r["subject"] == "Operation Lantern began"} == {"done"}
    formula = next(r for r in rows if r["object"].startswith("'="))
    assert formula["object"] == """'=HYPERLINK("http://example.org","x")"""
    assert next(r for r in rows if r["predicate"] == "speaker description")["object"] == "'-the commissioner"
    assert any(r["speaker"] == "'-the commissioner; Alex Reyes" or r["speaker"] == "Alex Reyes" for r in rows)
    for r in rows:
        for value in r.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), r


@pytest.mark.parametrize(("cell", "safe"), [
    ("=1+1", "'=1+1"), ("+44 20", "'+44 20"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("a=b", "a=b"), ("", ""), (14, 14),
])
def test_neutralise(cell: object, safe: object) -> None:
    assert claims.neutralise(cell) == safe


def test_xlsx_reads_back_as_the_csv(corpus_project: Project, corpus_csv: bytes, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "claims.xlsx"
    export.export_to(corpus_project, "xlsx", path)
    ws = load_workbook(path)["claims"]
    got = [[("" if c.value is None else str(c.value)) for c in row] for row in ws.iter_rows()]
    want = [list(claims.COLUMNS)] + [list(r.values()) for r in _rows(corpus_csv)]
    assert got == want
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert ws.freeze_panes == "A2"


def test_xlsx_never_writes_a_formula(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    project = _contract_project(tmp_path / "p")
    path = tmp_path / "claims.xlsx"
    export.export_to(project, "xlsx", path)
    cells = [c for row in load_workbook(path)["claims"].iter_rows() for c in row]
    hyperlink = [c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert hyperlink and all(c.data_type == "s" for c in hyperlink)
    assert hyperlink[0].value == '=HYPERLINK("http://example.org","x")'  # the words, as a string cell
    assert all(c.data_type != "f" for c in cells)


def test_cli_export_csv(corpus_project: Project, corpus_csv: bytes, tmp_path: Path) -> None:
    root = str(corpus_project.sources.parent)
    result = CliRunner().invoke(main, ["-C", root, "export", "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == corpus_csv
    out = tmp_path / "claims.csv"
    result = CliRunner().invoke(main, ["-C", root, "export", "-o", str(out)])  # the suffix chooses csv
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == corpus_csv
    assert result.stderr.startswith(f"Wrote csv ({len(corpus_csv):,} bytes) to {out}.")


# --- LibreOffice, headless ------------------------------------------------------------------------


def _soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        if os.environ.get("CI"):  # .ci/run installs LibreOffice: in CI this test must run
            pytest.fail("soffice is not installed (apt-get install libreoffice-calc)")
        print("skipping: soffice is not installed (apt-get install libreoffice-calc)")
        pytest.skip("soffice is not installed (apt-get install libreoffice-calc)")
    return found


def _convert(soffice: str, src: Path, to: str, outdir: Path, infilter: str | None = None) -> Path:
    args = [soffice, f"-env:UserInstallation={(outdir / 'profile').as_uri()}", "--headless", "--norestore"]
    if infilter:
        args.append(f"--infilter={infilter}")
    subprocess.run([*args, "--convert-to", to, "--outdir", str(outdir), str(src)],
                   check=True, capture_output=True, timeout=180)
    out = outdir / f"{src.stem}.{to.split(':', 1)[0]}"
    assert out.is_file(), f"LibreOffice wrote no {out.name}"
    return out


@pytest.mark.slow
def test_libreoffice_opens_both(tmp_path: Path) -> None:
    """LibreOffice Calc reads the CSV and the workbook to the same cells, none of them a formula."""
    from openpyxl import load_workbook

    soffice = _soffice()
    project = _contract_project(tmp_path / "p")
    data = export.export(project, "csv")
    want = [list(claims.COLUMNS)] + [list(r.values()) for r in _rows(data)]
    src = tmp_path / "claims.csv"
    src.write_bytes(data)
    book = tmp_path / "claims.xlsx"
    export.export_to(project, "xlsx", book)
    # the workbook, saved by LibreOffice as CSV (comma, double quotes, UTF-8)
    lo_csv = _convert(soffice, book, "csv:Text - txt - csv (StarCalc):44,34,76,1", tmp_path / "from-xlsx")
    text = lo_csv.read_text(encoding="utf-8")
    # LibreOffice writes the cells as they are: the formula-like words as text, not as a formula
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        [c[1:] if c.startswith("'") and c[1:2] in "=+-@" else c for c in row] for row in want
    ]
    # the CSV, imported by LibreOffice (comma, double quotes, UTF-8) and saved as a workbook
    lo_book = _convert(soffice, src, "xlsx", tmp_path / "from-csv", infilter="CSV:44,34,76,1,,0,true,false")
    ws = load_workbook(lo_book).active
    assert ws is not None
    got = [[("" if c.value is None else str(c.value)) for c in row] for row in ws.iter_rows()]
    for g, w in zip(got, want, strict=True):  # Calc reads an ISO date as a date (2021-05-03 00:00:00)
        for i, cell in enumerate(w):
            if re.fullmatch(r"\d{4}-\d\d(-\d\d)?", cell):
                assert g[i].startswith(cell), (g, w)
                g[i] = cell
    assert got == want
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
