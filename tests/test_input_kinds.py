"""Every input recognises another input's file by its content (issue 22, item 11; issue 21's centres and
census): the shipped files, and workbooks of the coverage and of the centres, each given to every other
option: one Spanish sentence naming the file, what it seems to be and the option it goes with; exit 2;
nothing written."""

from __future__ import annotations

import csv

import pytest
from click.testing import CliRunner

from mimpmap.cli import main
from mimpmap.inputs import INPUTS
from mimpmap.readers.files import CENTRES, COVERAGE
from mimpmap.readers.kinds import identify

from .conftest import DATA, GEO, ROOT, clean_centres

#: Each file → the option it goes with.
FILES = {
    "coverage.yaml": "--data",
    "cobertura.xlsx": "--data",
    "centros.csv": "--centros",
    "centros.xlsx": "--centros",
    "population.csv": "--population",
    "censo_2025.csv": "--censo",
    "peru_departamentos.geojson": "--geo",
    "peru_provincias.geojson": "--provincias",
    "peru_distritos_puntos.csv": "--distritos",
}
OPTIONS = sorted({i.option for i in INPUTS.values()})
#: The two boundary files are of one kind: each given for the other is refused for its units, by level
#: (tests/test_province_input.py, tests/test_boundary_checks.py).
BOUNDARIES = {"--geo", "--provincias"}
PAIRS = [(name, option) for name in FILES for option in OPTIONS
         if option != FILES[name] and not {option, FILES[name]} <= BOUNDARIES]


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """The shipped files, the coverage exported as a workbook and the centres saved as one."""
    import openpyxl

    folder = tmp_path_factory.mktemp("inputs")
    for source in (DATA, GEO, ROOT / "geo" / "peru_provincias.geojson", ROOT / "data" / "centros.csv",
                   ROOT / "data" / "population.csv",
                   ROOT / "data" / "censo_2025.csv", ROOT / "geo" / "peru_distritos_puntos.csv"):
        (folder / source.name).write_bytes(source.read_bytes())
    result = CliRunner().invoke(main, ["export", "--data", str(DATA), str(folder / "cobertura.xlsx")])
    assert result.exit_code == 0, result.output
    book = openpyxl.Workbook()
    book.active.title = "centros"
    with open(ROOT / "data" / "centros.csv", encoding="utf-8", newline="") as f:
        for row in csv.reader(f):
            book.active.append(row)
    book.save(folder / "centros.xlsx")
    return folder


def _args(option: str, path) -> list[str]:
    """Every input given (the right ones from the project), ``option`` with ``path``; the centres, unless
    ``option`` is theirs, a one-line file written beside ``path`` (the shipped directory is the costliest
    input to validate, and what it holds is not what these tests look at)."""
    inputs = {"--data": str(DATA), "--geo": str(GEO), option: str(path)}
    if option != "--centros":
        inputs["--centros"] = str(clean_centres(path.parent))
    return [x for pair in inputs.items() for x in pair]


@pytest.mark.parametrize("name, option", PAIRS)
def test_a_file_given_to_another_option_is_named_with_its_option(files, tmp_path, name, option):
    out = tmp_path / "maps"
    out.mkdir()
    (out / "anterior.txt").write_text("de antes", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--out", str(out), *_args(option, files / name)])
    assert result.exit_code == 2, result.output
    assert result.output.count("Error:") == 1 and "Traceback" not in result.output, result.output
    assert "línea" not in result.output and "hoja" not in result.output  # one sentence, not header problems
    assert f"'{files / name}' parece " in result.output
    goes = "--geo o --provincias" if FILES[name] in BOUNDARIES else FILES[name]  # not told apart by content
    assert f"(ese archivo va con {goes}); indique " in result.output and f" con {option}" in result.output
    assert [p.name for p in out.iterdir()] == ["anterior.txt"]
    assert (out / "anterior.txt").read_text(encoding="utf-8") == "de antes"


@pytest.mark.parametrize("name, option", [(n, o) for n, o in FILES.items()])
def test_each_file_is_accepted_by_its_own_option(files, name, option):
    """Not refused as another kind where it belongs (``check`` may still report its data's problems)."""
    result = CliRunner().invoke(main, ["check", *_args(option, files / name)])
    assert "parece " not in result.output and "Traceback" not in result.output, result.output


def test_workbooks_are_told_apart_by_their_sheets(files):
    assert identify((files / "cobertura.xlsx").read_bytes()).kind is COVERAGE
    assert identify((files / "centros.xlsx").read_bytes()).kind is CENTRES


def test_a_one_sheet_workbook_of_any_name_is_taken_for_centres(tmp_path):
    """Excel names the sheet after the file: a directory saved as 'directorio.xlsx' is still read as centres."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "directorio"
    book.active.append(["tipo", "nombre"])
    book.save(tmp_path / "directorio.xlsx")
    assert identify((tmp_path / "directorio.xlsx").read_bytes()).kind is CENTRES


def test_a_workbook_of_no_input_is_left_to_the_workbook_reader(tmp_path):
    """Two sheets, neither the coverage's nor the centres': its reader names the sheet it lacks."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "hoja1"
    book.create_sheet("hoja2")
    book.save(tmp_path / "otro.xlsx")
    assert identify((tmp_path / "otro.xlsx").read_bytes()).kind is None
    result = CliRunner().invoke(main, ["check", *_args("--centros", tmp_path / "otro.xlsx")])
    assert result.exit_code == 1, result.output
    assert "no tiene una hoja 'centros'" in result.output


@pytest.mark.parametrize("sheets, kind", [
    ({"centros": [["tipo", "nombre"]]}, CENTRES),
    ({"general": [["campo", "valor"]], "servicios": [["id"]], "centros": [["servicio"]]}, COVERAGE),
])
def test_ods_workbooks_are_told_apart_by_their_sheets(sheets, kind):
    from .test_workbook import ods_bytes

    assert identify(ods_bytes(sheets)).kind is kind


def test_a_centres_csv_saved_by_a_spanish_spreadsheet_is_recognised(files, tmp_path):
    text = (files / "centros.csv").read_text(encoding="utf-8").replace(",", ";")
    (tmp_path / "centros.csv").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", *_args("--population", tmp_path / "centros.csv")])
    assert result.exit_code == 2 and "(ese archivo va con --centros)" in result.output, result.output


def test_a_workbook_with_a_damaged_index_is_still_a_workbook():
    """Its sheets cannot be read (the index's compressed data is broken): taken for the coverage's, as before."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook><sheets><sheet name='centros'/></sheets></workbook>" * 100)
    data = bytearray(buffer.getvalue())
    at = data.find(b"xl/workbook.xml") + len("xl/workbook.xml")
    data[at:at + 20] = bytes(b ^ 0xFF for b in data[at:at + 20])
    assert identify(bytes(data)).kind is COVERAGE
