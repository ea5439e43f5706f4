"""INPUTS, the one table of inputs (issue 20): the command's options, load(), the fingerprint and the
reading all come from it, so an input added there cannot be missed by the build with nothing to do."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mimpmap import inputs
from mimpmap.cli import main
from mimpmap.inputs import INPUTS, Input

from .conftest import DATA, GEO, ROOT


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("command", ["build", "check"])
def test_every_input_and_its_options_are_options_of_the_command(command):
    shown = run(command, "--help").output
    for entry in INPUTS.values():
        assert f"{entry.option} ARCHIVO" in shown
        for option in entry.options:
            assert f"{option.flag} {option.metavar}" in shown


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    """Each input's shipped file copied, and a folder built from them."""
    base = tmp_path_factory.mktemp("inputs")
    sources = {"data": DATA, "geo": GEO, "provinces": ROOT / "geo" / "peru_provincias.geojson",
               "population": ROOT / "data" / "population.csv",
               "centres": ROOT / "data" / "centros.csv", "census": ROOT / "data" / "censo_2025.csv",
               "districts": ROOT / "geo" / "peru_distritos_puntos.csv"}
    assert set(sources) == set(INPUTS)  # a new input needs its file here
    paths = {name: base / source.name for name, source in sources.items()}
    for name, source in sources.items():
        shutil.copy(source, paths[name])
    args = [a for name, path in paths.items() for a in (INPUTS[name].option, path)]
    assert run("build", *args, "--out", base / "maps").exit_code == 0
    return base, paths, args


@pytest.mark.parametrize("name", list(INPUTS))
def test_a_change_to_any_input_is_seen_by_the_build_with_nothing_to_do(copies, name):
    """The changed file is left as it is, recorded: the next case starts from maps that show every input
    (a case that failed half way leaves the folder to the first build of the next)."""
    base, paths, args = copies
    run("build", *args, "--out", base / "maps")  # after the case before this one
    assert "Nada que hacer" in run("build", *args, "--out", base / "maps").output
    paths[name].write_bytes(paths[name].read_bytes() + b"\n")  # the same data, other bytes
    again = run("build", *args, "--out", base / "maps")
    assert again.exit_code == 0 and "Nada que hacer" not in again.output, again.output
    assert "Nada que hacer" in run("build", *args, "--out", base / "maps").output  # recorded


def read_toy(path: Path, raw: bytes) -> str:
    """The reader of the toy input below."""
    return raw.decode("utf-8").strip()


def test_an_input_added_to_the_table_is_read_once_and_fingerprinted(tmp_path, monkeypatch):
    toy = Input("centres", "centres", "--centres", "un archivo de centros", "Centros.", "data/centres.csv",
                "centres.csv", f"{__name__}:read_toy", "mimpmap.readers.files:MAX_BYTES")
    monkeypatch.setitem(INPUTS, "centres", toy)
    given = {"centres": tmp_path / "centros.csv"}
    given["centres"].write_text("uno\n", encoding="utf-8")
    values, read = inputs.read_all(given)
    assert values["centres"] == "uno" and read == inputs.digest(given)
    given["centres"].write_text("dos\n", encoding="utf-8")
    assert inputs.digest(given) != read
    given["centres"].unlink()
    assert inputs.digest(given) is None  # the build then reads it, and says it is missing
    assert f"{__name__}" in inputs.reader_modules()


def test_an_input_read_by_name_that_changes_while_it_is_read_is_refused(tmp_path, monkeypatch):
    from mimpmap import geography
    from mimpmap.errors import InputFileError

    path = tmp_path / "limites.geojson"
    shutil.copy(GEO, path)

    def reader(p, *args, **options):  # the boundary files' library opens the file by its name
        if p == path:  # the provinces are read by it too, from the shipped file: left alone
            p.write_bytes(p.read_bytes() + b"\n")  # saved while it reads
        return "leído"

    monkeypatch.setattr(geography, "read_boundaries", reader)
    with pytest.raises(InputFileError, match="cambió mientras se leía"):
        inputs.read_all({"geo": path})


def test_the_inputs_own_options_are_part_of_the_fingerprint():
    assert inputs.options_of({"geo_key": "NOMBRE", "data": "x"}) == {
        "geo_key": "NOMBRE", "geo_layer": None, "provinces_key": None, "provinces_layer": None, "thresholds": None}
