"""The province boundaries are an input (``--provincias``, default ``geo/peru_provincias.geojson``): read and
checked with the other inputs, so a broken file is refused before anything is drawn, with every other
input's errors, and its messages name its own option; the earlier maps stay as they were."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import mimpmap
from mimpmap.cli import main
from mimpmap.inputs import INPUTS

from .conftest import GEO, MINIMAL, ROOT

PROVINCES = ROOT / "geo" / "peru_provincias.geojson"
URUBAMBA = MINIMAL.replace("coverage: [Ayacucho, Cusco, Lima Metropolitana, Callao]",
                           "coverage: [Ayacucho, Cusco/Urubamba]")
BROKEN = '{"type": "FeatureCollection", "features": [\n'


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A project folder with a service that reaches Urubamba and its own province file (the working
    directory)."""
    (tmp_path / "data").mkdir()
    (tmp_path / "geo").mkdir()
    (tmp_path / "data" / "coverage.yaml").write_text(URUBAMBA, encoding="utf-8")
    shutil.copy(PROVINCES, tmp_path / "geo" / PROVINCES.name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def project(folder):
    """:func:`folder` with its maps."""
    done = run("build", "--format", "html")
    assert done.exit_code == 0, done.output
    return folder


def test_the_province_file_is_an_input_with_its_options():
    entry = INPUTS["provinces"]
    assert (entry.option, entry.local) == ("--provincias", "geo/peru_provincias.geojson")
    assert [o.flag for o in entry.options] == ["--provincias-key", "--provincias-layer"]


def test_a_broken_project_copy_is_refused_when_read_and_the_maps_stay(project):
    before = tree(project / "maps")
    (project / "geo" / PROVINCES.name).write_text(BROKEN, encoding="utf-8")
    result = run("build", "--format", "html")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert ("Error: 'geo/peru_provincias.geojson' no es un GeoJSON válido (línea 2, columna 1): el archivo está "
            "dañado o cortado; expórtelo de nuevo (p. ej. desde QGIS) o use otro con --provincias") in result.output
    assert "Generando" not in result.output and tree(project / "maps") == before
    checked = run("check")
    assert checked.exit_code == 1 and "no es un GeoJSON válido" in checked.output


def test_its_errors_come_with_every_other_input_s(folder):
    """A broken province file and a misspelt coverage: ``check`` (it needs no maps) says both."""
    project = folder
    (project / "geo" / PROVINCES.name).write_text(BROKEN, encoding="utf-8")
    (project / "data" / "coverage.yaml").write_text(URUBAMBA.replace("Cusco/Urubamba", "Cusco/Urubambaa"),
                                                    encoding="utf-8")
    result = run("check")
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 2, result.output
    assert "¿quiso decir 'Cusco/Urubamba'?" in errors[0] and "no es un GeoJSON válido" in errors[1]


@pytest.mark.parametrize("given,expected", [
    (GEO, "parece un archivo de departamentos, no de provincias; indique el archivo de provincias con "
          "--provincias (el de mimpmap es geo/peru_provincias.geojson)"),
    (ROOT / "data" / "centros.csv", "no un archivo de límites provinciales (ese archivo va con --centros); "
                                    "indique un archivo de límites provinciales con --provincias"),
])
def test_a_wrong_file_given_names_the_option(tmp_path, given, expected):
    data = tmp_path / "c.yaml"
    data.write_text(URUBAMBA, encoding="utf-8")
    result = run("check", "--data", data, "--geo", GEO, "--provincias", given)
    assert result.exit_code in (1, 2) and expected in result.output, result.output
    assert "con --geo" not in result.output and "Traceback" not in result.output


def test_the_given_file_is_the_one_drawn(tmp_path):
    data, copy = tmp_path / "c.yaml", tmp_path / "provincias.geojson"
    data.write_text(URUBAMBA, encoding="utf-8")
    shutil.copy(PROVINCES, copy)
    cov = mimpmap.load(data, GEO, provinces=copy)
    assert cov.provinces.path == copy and cov.atlas.provinces is cov.provinces
    assert cov.province_boundaries is cov.provinces and set(cov.part_outlines) == {"0813"}
    result = run("check", "--data", data, "--geo", GEO, "--provincias", copy)
    assert result.exit_code == 0, result.output
    # named by UBIGEO, as the shipped file is: no word on which field was chosen
    assert f"Provincias: {copy} (196 unidades, campo 'ubigeo')" in result.output
    assert "Campo detectado" not in result.output
