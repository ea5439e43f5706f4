"""Figures that changed service (issue 22.1): check and build warn when an edit gives a service a figure of
something it did not count in the maps of the output folder, or leaves it without figures; a figure moved
from one service to another (a wrong id followed) is named with both."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from mimpmap.changes import figure_changes
from mimpmap.cli import main
from mimpmap.layout import DATA_FILES
from mimpmap.model import parse_coverage

from .conftest import GEO, MINIMAL

TWO = MINIMAL + """\
  - id: can
    program: aurora
    name: Centro de Atención de Noche
    description: Otro servicio de prueba.
    coverage: [Lima Metropolitana]
    periods: [{label: Año 2020}, {label: Ene - Oct 2021}]
    figures:
      - {unit: Usuarias/os atendidas/os, values: [43, 45]}
"""
MOVED = TWO.replace("    figures:\n      - {unit: casos, values: [1726, 2075]}\n", "").replace(
    "      - {unit: Usuarias/os atendidas/os, values: [43, 45]}\n",
    "      - {unit: Usuarias/os atendidas/os, values: [43, 45]}\n      - {unit: casos, values: [1726, 2075]}\n")


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """The maps of TWO (and its data file), built once for the module."""
    base = tmp_path_factory.mktemp("pristine")
    data = base / "coverage.yaml"
    data.write_text(TWO, encoding="utf-8")
    assert run("build", "--data", data, "--geo", GEO, "--out", base / "maps", "--format", "html", "-q").exit_code == 0
    return base


@pytest.fixture
def maps(pristine, tmp_path):
    """A copy of the maps of TWO for each test (some rebuild them or change a file in them)."""
    shutil.copy(pristine / "coverage.yaml", tmp_path / "coverage.yaml")
    shutil.copytree(pristine / "maps", tmp_path / "maps")
    return tmp_path / "maps"


def test_the_fixture_moves_cai_s_figure_to_can():
    moved = {s.id: [f.unit for f in s.figures] for s in parse_coverage(MOVED).services}
    assert moved == {"cai": [], "can": ["Usuarias/os atendidas/os", "casos"]}


def test_a_figure_moved_to_another_service_is_named_by_check_and_build(maps, tmp_path):
    data = tmp_path / "editado.yaml"
    data.write_text(MOVED, encoding="utf-8")
    checked = run("check", "--data", data, "--geo", GEO, "--maps", maps)
    assert checked.exit_code == 1 and "no muestran estos datos" in checked.output  # and why they matter:
    said = (f"la cifra «casos» es ahora del servicio 'can', y en los mapas de {maps}/ era de 'cai', que ya no la "
            "tiene: si es de 'cai', corrija su servicio")
    assert said in checked.output and "se quedó sin cifras" not in checked.output
    built = run("build", "--data", data, "--geo", GEO, "--out", maps, "--format", "html")
    assert built.exit_code == 0 and said in built.output
    again = run("check", "--data", data, "--geo", GEO, "--maps", maps)  # the maps show it now
    warned = [line for line in again.output.splitlines() if line.startswith("Aviso")]
    # only the shipped centres' doubtful points are warned of (by their line in centros.csv)
    assert again.exit_code == 0 and all(line.startswith("Aviso: línea ") for line in warned), again.output


def test_check_without_maps_compares_with_the_project_maps(maps, tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "coverage.yaml").write_text(MOVED, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    checked = run("check", "--geo", GEO)
    assert checked.exit_code == 0 and "Correcto, con avisos" in checked.output
    assert "la cifra «casos» es ahora del servicio 'can', y en los mapas de maps/ era de 'cai'" in checked.output


def test_a_service_left_without_figures_and_a_figure_never_counted(maps):
    gone = parse_coverage(TWO.replace("    figures:\n      - {unit: casos, values: [1726, 2075]}\n", ""))
    assert figure_changes(gone, maps) == [f"el servicio 'cai' se quedó sin cifras (en los mapas de {maps}/ tenía "
                                          "«casos»); compruebe que no pasaron a otro servicio"]
    new = parse_coverage(TWO.replace("{unit: Usuarias/os atendidas/os, values: [43, 45]}",
                                     "{unit: Usuarias/os atendidas/os, values: [43, 45]}\n"
                                     "      - {unit: camas, values: [10, 12]}"))
    assert figure_changes(new, maps) == [f"el servicio 'can' tiene una cifra de algo que no contaba en los mapas "
                                         f"de {maps}/: «camas»; compruebe que es suya"]


def test_only_what_a_figure_counts_matters_not_its_case_its_values_or_a_new_service(maps):
    same = TWO.replace("unit: casos, values: [1726, 2075]", "unit: Casos , values: [1, 2]") + TWO[
        TWO.index("  - id: can"):].replace("id: can", "id: nuevo").replace("unit: Usuarias", "unit: Otras")
    assert figure_changes(parse_coverage(same), maps) == []


def test_without_maps_or_with_a_data_file_changed_by_hand_nothing_is_compared(maps, tmp_path):
    moved = parse_coverage(MOVED)
    assert figure_changes(moved, tmp_path / "nada") == []
    workbook = maps / DATA_FILES["workbook"]
    workbook.write_bytes(workbook.read_bytes() + b"\0")
    assert figure_changes(moved, maps) == []


def test_the_data_beside_the_maps_reads_as_a_users_workbook_does():
    """shown_data reads mimpmap's own workbook with calamine (quick); a user's goes through openpyxl, the
    reader screened for hostile files. For what mimpmap writes (the shipped maps' every kind of sheet)
    both give the same data."""
    from mimpmap.changes import shown_data
    from mimpmap.readers import read_document
    from mimpmap.model import validate

    from .conftest import ROOT

    maps = ROOT / "maps"
    quick, user = shown_data(maps), validate(read_document(maps / DATA_FILES["workbook"]))
    assert quick is not None and quick.file.model_dump() == user.file.model_dump()
    assert (quick.codes, quick.parts) == (user.codes, user.parts)
