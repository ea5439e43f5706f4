"""Centres as an input of INPUTS (issue 21): ``--centros``, read once with the boundaries it is checked
against, summed up by ``check``, fingerprinted by the build."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from mimpmap import inputs
from mimpmap.cli import main
from mimpmap.inputs import INPUTS
from mimpmap.readers.files import CENTRES

from .conftest import ROOT

CENTROS = ROOT / "data" / "centros.csv"
HEAD = "# año: 2026\n# fuente: MIMP, prueba\ntipo,subtipo,nombre,ubigeo,departamento,lat,lon,direccion\n"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_centres_are_an_input_of_the_table_with_their_option_and_files():
    entry = INPUTS["centres"]
    assert (entry.option, entry.local, entry.packaged) == ("--centros", "data/centros.csv", "centros.csv")
    assert entry.reader == "mimpmap.centres:read_centres" and "mimpmap.centres" in inputs.reader_modules()
    assert (CENTRES.what, CENTRES.option) == (entry.what, entry.option)  # the messages' words come from it


def test_the_reader_gets_the_boundaries_read_before_it():
    values, _ = inputs.read_all({})
    assert values["centres"].astray  # checked against the boundaries: Grocio Prado's point is doubted
    assert values["centres"].path.name == "centros.csv"


def test_a_reader_is_still_read_when_the_input_it_needs_fails(tmp_path):
    """Every input's errors at once: a bad boundary file and a bad centres file, both reported."""
    from mimpmap.errors import InputErrors

    bad = tmp_path / "centros.csv"
    bad.write_text(HEAD + "XYZ,,Centro,010101,Amazonas,,,\n", encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        inputs.read_all({"geo": tmp_path / "no-existe.geojson", "centres": bad})
    assert len(caught.value.errors) == 2


def test_load_keeps_its_api_and_takes_centres(tmp_path):
    import mimpmap

    path = tmp_path / "centros.csv"
    path.write_text(HEAD + "CAI,,C.A.I. Lima,150101,Lima,-12.05,-77.04,Jr. Uno 1\n", encoding="utf-8")
    cov = mimpmap.load(centres=path)
    assert [c.nombre for c in cov.centres.sites] == ["C.A.I. Lima"]
    assert mimpmap.load().centres is not None  # the shipped directory by default


def test_check_sums_up_the_centres_and_warns_of_grocio_prado():
    result = run("check")
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("Centros:"))
    assert "data/centros.csv" in line and "Directorio MIMP 2026" in line
    for words in ("519 sitios", "515 en el mapa", "3 sin coordenadas", "1 con el punto fuera", "29 HRT"):
        assert words in line
    assert "Emilio Roman Saravia Garcia" in result.output and "Aviso:" in result.output
    assert "Correcto, con avisos" in result.output


def test_a_shelter_with_an_address_stops_check_and_build_naming_the_row(tmp_path):
    path = tmp_path / "centros.csv"
    path.write_text(HEAD + "HRT,,,01,Amazonas,,,Jr. Secreto 123\n", encoding="utf-8")
    out = tmp_path / "maps"
    for args in (("check",), ("build", "--out", out)):
        result = run(*args, "--centros", path)
        assert result.exit_code == 1, result.output
        assert "línea 4" in result.output and "confidencial" in result.output
        assert "Secreto" not in result.output
    assert not out.exists()  # nothing written


def test_a_missing_centres_file_is_a_usage_error_naming_the_option(tmp_path):
    result = run("check", "--centros", tmp_path / "no.csv")
    assert result.exit_code == 2 and "--centros" in result.output


def test_changing_only_the_centres_file_is_seen_and_then_there_is_nothing_to_do(tmp_path):
    path = tmp_path / "centros.csv"
    shutil.copy(CENTROS, path)
    out = tmp_path / "maps"
    assert run("build", "--centros", path, "--out", out).exit_code == 0
    assert "Nada que hacer" in run("build", "--centros", path, "--out", out).output
    path.write_bytes(path.read_bytes().replace(b"Cem Comisar\xc3\xada Bagua,", b"Cem Comisar\xc3\xada Bagua Norte,"))
    again = run("build", "--centros", path, "--out", out)
    assert again.exit_code == 0 and "Nada que hacer" not in again.output
    assert "Nada que hacer" in run("build", "--centros", path, "--out", out).output
