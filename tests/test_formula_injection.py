"""Formula injection (issue 25.1): no text cell of a download mimpmap writes (datos/*.csv, datos/cobertura.xlsx,
the workbook of `mimpmap export`) can be run by a spreadsheet. A CSV text that begins with = + - @, a tab or a
carriage return gets a leading quote (OWASP); in a workbook it is a text cell with Excel's quote prefix and
its value unchanged, so that it comes back as written through `mimpmap import`."""

from __future__ import annotations

import copy
import csv
import io
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from mimpmap import model
from mimpmap.cli import main
from mimpmap.layout import DATA_FILES
from mimpmap.tables import csv_bytes
from mimpmap.workbook import dump, import_workbook, workbook_bytes

from .conftest import GEO, MINIMAL

RISKY = ("=", "+", "-", "@", "\t", "\r")
PAYLOADS = ['=HYPERLINK("http://evil.example/x","clic")', "@SUM(1+1)", "+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "=1+1", "\t=1+1", "\r=1+1"]


def is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


def runnable_csv_cells(raw: bytes) -> list[str]:
    """The cells of a CSV file a spreadsheet could take for a formula."""
    rows = csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
    return [cell for row in rows for cell in row if cell.startswith(RISKY) and not is_number(cell)]


def runnable_xlsx_cells(raw: bytes) -> list[str]:
    """The cells of a workbook a spreadsheet could run: formulas, and texts that begin like one without
    Excel's quote prefix (which keeps them text)."""
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        assert not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets"))
    book = openpyxl.load_workbook(io.BytesIO(raw))
    found = []
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith(RISKY)
                                             and not (cell.data_type == "s" and cell.quotePrefix)):
                    found.append(f"{ws.title}!{cell.coordinate}: {cell.value!r}")
    return found


# --- the writers, any text ---------------------------------------------------------------------------

cell_text = st.one_of(st.sampled_from(PAYLOADS), st.tuples(st.sampled_from(RISKY), st.text(max_size=12)).map("".join),
                      st.text(max_size=12))
cell_value = st.one_of(cell_text, st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False))


@given(st.lists(st.lists(cell_value, min_size=1, max_size=4), min_size=1, max_size=4))
def test_no_csv_cell_can_be_run(rows):
    raw = csv_bytes(rows)
    assert runnable_csv_cells(raw) == []
    back = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    for written, read in zip((v for row in rows for v in row), (v for row in back for v in row)):
        if not isinstance(written, str):  # numbers are written as they are
            assert read == str(written)


# Texts the coverage file accepts: no control characters (a tab inside is allowed), no surrounding spaces.
model_text = st.tuples(st.sampled_from(RISKY[:4]),
                       st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"),
                                             blacklist_characters="\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"),
                               max_size=10)).map(lambda p: "".join(p).strip())


def hostile_document(texts: list[str]) -> dict:
    doc = yaml.safe_load(MINIMAL)
    service, program = doc["services"][0], doc["programs"][0]
    service.update(name=texts[0], short_name=texts[1], description=texts[2], notes=[texts[3]], activities=[texts[4]])
    service["figures"][0]["unit"] = texts[5]
    service["periods"][0]["label"] = texts[6]
    program["name"] = texts[7]
    doc["title"] = texts[8]
    return doc


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(PAYLOADS[:5]), model_text), min_size=9, max_size=9))
def test_no_workbook_cell_can_be_run_and_every_text_comes_back_through_import(texts):
    data = model.validate(model.readers.Document(hostile_document(texts), model.readers.NoLocator()))
    raw = workbook_bytes(data, {"origen": texts[0]})
    assert runnable_xlsx_cells(raw) == []
    with tempfile.TemporaryDirectory() as folder:
        book, target = Path(folder) / "libro.xlsx", Path(folder) / "coverage.yaml"
        book.write_bytes(raw)
        assert dump(model.read_coverage(book)) == dump(data)
        import_workbook(book, target)
        assert dump(model.read_coverage(target)) == dump(data)


# --- what the commands write ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_yaml(tmp_path_factory) -> Path:
    doc = hostile_document(PAYLOADS[:5] + PAYLOADS[:4])
    path = tmp_path_factory.mktemp("hostile") / "coverage.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


def test_the_downloads_beside_the_maps_run_nothing(hostile_yaml, tmp_path):
    out = tmp_path / "maps"
    result = CliRunner().invoke(main, ["build", "--data", str(hostile_yaml), "--geo", str(GEO), "--out", str(out)])
    assert result.exit_code == 0, result.output
    for key in ("units", "services"):
        assert runnable_csv_cells((out / DATA_FILES[key]).read_bytes()) == [], key
    services = (out / DATA_FILES["services"]).read_bytes().decode("utf-8-sig")
    assert """'=HYPERLINK(""http://evil.example/x"",""clic"")""" in services and ",'@SUM(1+1)," in services
    assert runnable_xlsx_cells((out / DATA_FILES["workbook"]).read_bytes()) == []


def test_export_and_import_keep_a_formula_like_text_as_written(hostile_yaml, tmp_path):
    source = tmp_path / "coverage.yaml"
    source.write_bytes(hostile_yaml.read_bytes())
    book = tmp_path / "libro.xlsx"
    assert CliRunner().invoke(main, ["export", str(book), "--data", str(source)]).exit_code == 0
    assert runnable_xlsx_cells(book.read_bytes()) == []
    cell = openpyxl.load_workbook(book)["servicios"]["C2"]
    assert cell.value == PAYLOADS[0] and cell.data_type == "s" and cell.quotePrefix
    before = dump(model.read_coverage(source))
    result = CliRunner().invoke(main, ["import", str(book), "--data", str(source)])
    assert result.exit_code == 0, result.output
    assert dump(model.read_coverage(source)) == before
    assert copy.deepcopy(before)["services"][0]["name"] == PAYLOADS[0]
