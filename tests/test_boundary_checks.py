"""Wrong boundary files are refused (issue 14): each case a small file made in tmp_path.

A province or district file, a unit moved out of place, a key that reads row numbers as UBIGEO, a
degenerate polygon, a GeoPackage whose first layer is the wrong one, a path that cannot be opened:
each ends in a :class:`GeoError` (exit 1 in the CLI) that says what is wrong, never a wrong map.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import geopandas as gpd
import numpy as np
import pytest
import shapely
from click.testing import CliRunner
from shapely.geometry import Polygon

import mimpmap
from mimpmap import GeoError
from mimpmap.cli import main
from mimpmap.errors import InputFileError, ImplausibleBoundariesError
from mimpmap.geography import read_boundaries
from mimpmap.levels import DEPARTMENTS

from .conftest import DATA, GEO
from .test_geography import inei_like


@pytest.fixture(scope="module")
def inei() -> gpd.GeoDataFrame:
    return inei_like(gpd.read_file(GEO))


@pytest.fixture
def write(tmp_path):
    def make(gdf: gpd.GeoDataFrame, name: str = "limites.geojson"):
        gdf.to_file(tmp_path / name)
        return tmp_path / name

    return make


def provinces(inei: gpd.GeoDataFrame, cuts: int = 3) -> gpd.GeoDataFrame:
    """A fake province file: each department cut by a ``cuts`` × ``cuts`` grid of its bounding box.

    The piece holding the capital is named after the department (as Cusco's province is "CUSCO"),
    the others "PROVINCIA <n>"; ``NOMBDEP`` keeps the department of every piece."""
    rows = []
    for name, geom in zip(inei["NOMBDEP"], inei.geometry):
        code = DEPARTMENTS.index[mimpmap.places.normalize(name)][0]
        capital = DEPARTMENTS.capitals[code]
        xmin, ymin, xmax, ymax = geom.bounds
        xs, ys = np.linspace(xmin, xmax, cuts + 1), np.linspace(ymin, ymax, cuts + 1)
        for i in range(cuts):
            for j in range(cuts):
                piece = geom.intersection(shapely.box(xs[i], ys[j], xs[i + 1], ys[j + 1]))
                if piece.is_empty or piece.area == 0:
                    continue
                holds = piece.intersects(shapely.Point(capital.lon, capital.lat))
                rows.append({"NOMBPROV": name if holds else f"PROVINCIA {len(rows)}", "NOMBDEP": name,
                             "geometry": piece})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)


def moved(gdf: gpd.GeoDataFrame, name: str, dx: float) -> gpd.GeoDataFrame:
    out = gdf.copy()
    rows = out["NOMBDEP"] == name
    out.loc[rows, "geometry"] = out.geometry[rows].translate(xoff=dx)
    return out


def check(path, *args) -> object:
    return CliRunner().invoke(main, ["check", "--data", str(DATA), "--geo", str(path), *args])


# --- a file of provinces or districts ----------------------------------------------------------


def test_province_file_without_department_field_is_refused(inei, write):
    gdf = provinces(inei)[["NOMBPROV", "geometry"]]
    named = int(gdf["NOMBPROV"].isin(inei["NOMBDEP"]).sum())
    assert len(gdf) > 3 * named  # most pieces have a province's own name
    with pytest.raises(ImplausibleBoundariesError) as err:
        read_boundaries(write(gdf))
    text = str(err.value)
    assert f"{len(gdf) - named} de {len(gdf)} polígonos" in text
    assert "provincias o distritos" in text and "--geo-key" in text and "NOMBDEP" in text
    assert isinstance(err.value, GeoError)


def test_province_file_is_refused_by_the_cli_with_exit_1(inei, write):
    result = check(write(provinces(inei)[["NOMBPROV", "geometry"]]))
    assert result.exit_code == 1
    assert "provincias o distritos" in result.output and "Traceback" not in result.output


def test_province_file_with_its_department_field_is_dissolved(inei, write):
    path = write(provinces(inei))
    b = read_boundaries(path)
    assert b.key == "NOMBDEP" and len(b.frame) == 25 and b.missing == []
    assert any(n.startswith("Varios polígonos por unidad") for n in b.notes)
    with pytest.raises(ImplausibleBoundariesError):  # the province names, chosen by hand
        read_boundaries(path, key="NOMBPROV")


def test_a_few_unnamed_islands_are_only_a_warning(inei, write):
    islands = gpd.GeoDataFrame({"NOMBDEP": [None] * 30},
                               geometry=[shapely.box(-79 - i * 0.01, -9, -79 - i * 0.01 + 0.005, -8.995)
                                         for i in range(30)], crs=4326)
    b = read_boundaries(write(gpd.GeoDataFrame(
        [*inei[["NOMBDEP", "geometry"]].to_dict("records"), *islands.to_dict("records")], crs=4326)))
    assert len(b.frame) == 25 and b.warnings  # more unnamed polygons than units, but a sliver of area


# --- units out of place ------------------------------------------------------------------------


def test_cusco_moved_100_degrees_east_is_outside_peru(inei, write):
    with pytest.raises(ImplausibleBoundariesError) as err:
        read_boundaries(write(moved(inei, "CUSCO", 100.0)))
    text = str(err.value)
    assert "Cusco está fuera del Perú" in text and "longitud 2" in text
    assert "Arequipa" not in text  # only the moved unit is named


def test_cusco_moved_inside_peru_misses_its_capital(inei, write):
    with pytest.raises(ImplausibleBoundariesError) as err:
        read_boundaries(write(moved(inei, "CUSCO", 3.0)))
    text = str(err.value)
    assert "Cusco no contiene su capital" in text and "Cusco (longitud -71.97, latitud -13.53) queda a unos 163 km" in text


def test_row_numbers_read_as_ubigeo_are_refused(inei, write):
    """``--geo-key COUNT``: numbers 1..25 in the file's own order (here by area) are UBIGEO codes of
    other departments: Callao would be drawn as Cajamarca."""
    gdf = inei.assign(area=shapely.area(inei.geometry.array)).sort_values("area").reset_index(drop=True)
    gdf["COUNT"] = np.arange(1, len(gdf) + 1)
    path = write(gdf.drop(columns="area"))
    with pytest.raises(ImplausibleBoundariesError) as err:
        read_boundaries(path, key="COUNT")
    text = str(err.value)
    assert "no contiene su capital" in text and "el campo COUNT no identifica bien" in text
    assert "ese polígono tiene en cambio la capital de" in text  # what the row number drew instead
    n = len(err.value.problems)
    assert n > 8 and f"{n} problemas:" in text and f"y {n - 8} más" in text  # the first 8 are listed
    assert read_boundaries(path).key != "COUNT"  # detection still finds the names
    result = check(path, "--geo-key", "COUNT")
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_capital_on_a_coarse_coast_is_accepted(inei, write):
    """A capital a little outside a simplified coast (Huacho is 0.8 km from the shipped one) passes."""
    gdf = inei.copy()
    gdf["geometry"] = gdf.geometry.simplify(0.03)
    assert read_boundaries(write(gdf)).missing == []


# --- degenerate polygons -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["limites.geojson", "limites.gpkg", "limites.shp"])
def test_degenerate_polygon_is_refused_the_same_way_in_every_format(inei, write, name):
    gdf = inei.copy()
    gdf.loc[gdf["NOMBDEP"] == "CUSCO", "geometry"] = Polygon([(-72.0, -13.5)] * 4)
    with pytest.raises(ImplausibleBoundariesError) as err:
        read_boundaries(write(gdf, name))
    assert "la geometría de Cusco está vacía o es degenerada" in str(err.value)


def test_a_unit_smaller_than_the_grid_is_refused(inei, write):
    """A valid triangle 2e-6 degrees wide, on Cusco's capital: it passes every other check, then
    collapses when coordinates go to the 1e-4 degree grid."""
    capital = DEPARTMENTS.capitals["PE-CUS"]
    x, y = capital.lon, capital.lat
    gdf = inei.copy()
    gdf.loc[gdf["NOMBDEP"] == "CUSCO", "geometry"] = Polygon([(x - 1e-6, y - 1e-6), (x + 1e-6, y - 1e-6), (x, y + 1e-6)])
    with pytest.raises(ImplausibleBoundariesError) as err:
        read_boundaries(write(gdf))
    assert "la geometría de Cusco es demasiado pequeña" in str(err.value)


def test_degenerate_extra_piece_is_left_out_with_a_warning(inei, write):
    extra = gpd.GeoDataFrame({"NOMBDEP": ["CUSCO"]}, geometry=[Polygon([(-72.0, -13.5)] * 4)], crs=4326)
    gdf = gpd.GeoDataFrame([*inei[["NOMBDEP", "geometry"]].to_dict("records"), *extra.to_dict("records")],
                           crs=4326)
    b = read_boundaries(write(gdf))
    assert any("degenerados (sin área) de: Cusco" in w for w in b.warnings)
    assert not shapely.is_empty(b.frame.geometry.array).any() and (shapely.area(b.frame.geometry.array) > 0).all()


def test_degenerate_polygon_stops_a_png_build_with_a_message(inei, write, tmp_path):
    gdf = inei.copy()
    gdf.loc[gdf["NOMBDEP"] == "CUSCO", "geometry"] = Polygon([(-72.0, -13.5)] * 4)
    result = CliRunner().invoke(main, ["build", "--data", str(DATA), "--geo", str(write(gdf)),
                                       "--format", "png", "--out", str(tmp_path / "maps")])
    assert result.exit_code == 1 and "Cusco" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "maps").exists()


# --- GeoPackage layers -------------------------------------------------------------------------


@pytest.fixture
def two_layers(inei, tmp_path):
    """A GeoPackage whose first polygon layer is provinces (without a department field)."""
    path = tmp_path / "peru.gpkg"
    provinces(inei)[["NOMBPROV", "geometry"]].to_file(path, layer="provincias")
    inei.to_file(path, layer="departamentos")
    return path


def test_geopackage_picks_the_layer_of_departments(two_layers):
    b = read_boundaries(two_layers)
    assert len(b.frame) == 25 and b.key == "NOMBDEP"
    assert any(n.startswith("Capa usada: departamentos") and "--geo-layer" in n for n in b.notes)


def test_geopackage_layer_chosen_by_name(two_layers):
    assert len(read_boundaries(two_layers, layer="departamentos").frame) == 25
    with pytest.raises(ImplausibleBoundariesError):
        read_boundaries(two_layers, layer="provincias")
    assert len(mimpmap.load(DATA, two_layers, geo_layer="departamentos").units) == 25


def test_unknown_layer_lists_the_layers(two_layers):
    with pytest.raises(GeoError) as err:
        read_boundaries(two_layers, layer="distritos")
    assert "no tiene la capa 'distritos'" in str(err.value)
    assert "provincias, departamentos" in str(err.value)


def test_geopackage_layer_of_departments_with_provinces_that_name_them(inei, tmp_path):
    """Both layers resolve every feature; the one with a feature per unit wins."""
    path = tmp_path / "peru.gpkg"
    provinces(inei).to_file(path, layer="provincias")
    inei.to_file(path, layer="departamentos")
    b = read_boundaries(path)
    assert "Capa usada: departamentos" in " ".join(b.notes)


# --- paths that cannot be opened ---------------------------------------------------------------


def test_a_folder_is_not_a_boundary_file(tmp_path):
    with pytest.raises(InputFileError) as err:
        read_boundaries(tmp_path)
    assert "es una carpeta" in str(err.value) and "--geo" in str(err.value)
    result = check(tmp_path)
    assert result.exit_code == 2 and "es una carpeta" in result.output and "Traceback" not in result.output


def test_a_300_character_name(tmp_path):
    path = tmp_path / ("l" * 300 + ".geojson")
    with pytest.raises(InputFileError) as err:
        read_boundaries(path)
    assert "demasiado largo" in str(err.value) and f"({len(str(path))} caracteres)" in str(err.value)
    result = check(path)
    assert result.exit_code == 2 and "demasiado largo" in result.output and "Traceback" not in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root enters every folder: a folder without permissions "
                    "cannot deny it (tested below as root without that power, through setpriv, and with a "
                    "simulated PermissionError)")
def test_a_folder_the_user_cannot_enter(inei, tmp_path):
    folder = tmp_path / "cerrada"
    folder.mkdir()
    inei.to_file(folder / "limites.geojson")
    folder.chmod(0)
    try:
        result = check(folder / "limites.geojson")
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 2 and "no hay permiso" in result.output and "Traceback" not in result.output


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("setpriv"),
                    reason="needs root and setpriv (util-linux) to drop root's power to enter any folder")
def test_a_folder_root_cannot_enter_once_it_drops_that_power(inei, tmp_path):
    """As root (CI), the CLI runs without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH, like a user."""
    folder = tmp_path / "cerrada"
    folder.mkdir()
    inei.to_file(folder / "limites.geojson")
    folder.chmod(0)
    drop = "-dac_override,-dac_read_search"
    try:
        run = subprocess.run(["setpriv", f"--inh-caps={drop}", f"--bounding-set={drop}", sys.executable, "-m",
                              "mimpmap", "check", "--data", str(DATA), "--geo", str(folder / "limites.geojson")],
                             capture_output=True, text=True, timeout=120)
    finally:
        folder.chmod(0o755)
    assert run.returncode == 2, run.stderr
    assert "no hay permiso" in run.stderr and "Traceback" not in run.stderr


def test_permission_denied_is_a_spanish_message(tmp_path, monkeypatch):
    def denied(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr("mimpmap.readers.files.os.open", denied)
    with pytest.raises(InputFileError) as err:
        read_boundaries(tmp_path / "cerrada" / "limites.geojson")
    assert "no hay permiso" in str(err.value) and "limites.geojson" in str(err.value)


def test_a_device_is_not_a_boundary_file():
    with pytest.raises(InputFileError) as err:
        read_boundaries("/dev/zero")
    assert "no es un archivo normal" in str(err.value)
