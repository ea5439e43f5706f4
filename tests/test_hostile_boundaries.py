"""Hostile boundary files (issue 25, items 2 and 13): a file that would make GDAL read another file or the
network, declare a CRS nobody knows, hang on a pipe, or take minutes to choose among hundreds of layers.
Each ends at once with a Spanish message and exit 1 or 2, and nothing else is opened."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from click.testing import CliRunner

from mimpmap.cli import main
from mimpmap.errors import GeoError, InputFileError
from mimpmap.geography import MAX_LAYERS, read_boundaries

from .conftest import DATA, GEO, clean_centres


def check(geo, *more: str):
    """``check`` of the boundary file ``geo``; the centres, a one-line file beside it where ``geo`` is in a
    folder (the shipped directory's validation is most of a check, and not what these tests look at)."""
    folder = Path(geo).parent
    centres = ["--centros", str(clean_centres(folder))] if folder.is_dir() else []
    return CliRunner().invoke(main, ["check", "--data", str(DATA), "--geo", str(geo), *centres, *more])


def refused(geo, code: int, *words: str) -> str:
    result = check(geo)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output and "Error:" in result.output
    for word in words:
        assert word in result.output, result.output
    return result.output


@pytest.fixture
def listener():
    """A local TCP port nobody should connect to; yields it and then says whether anyone did."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)

    def touched() -> bool:
        try:
            server.accept()[0].close()
        except BlockingIOError:
            return False
        return True

    yield server.getsockname()[1], touched
    server.close()


def vrt(tmp_path, source: str, name: str = "limites.geojson"):
    path = tmp_path / name
    path.write_text(f'<OGRVRTDataSource><OGRVRTLayer name="peru_departamentos"><SrcDataSource>{source}'
                    "</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>", encoding="utf-8")
    return path


# --- files that point elsewhere ---------------------------------------------------------------------

def test_a_vrt_named_geojson_that_reads_another_file_is_refused(tmp_path):
    path = vrt(tmp_path, str(GEO.resolve()))
    with pytest.raises(InputFileError) as err:  # GDAL would have read the shipped file through it
        read_boundaries(path)
    assert "VRT" in str(err.value) and "no sigue" in str(err.value)
    refused(path, 2, "es un VRT de GDAL", "indique el archivo de límites mismo")


def test_a_vrt_with_a_vsicurl_address_touches_no_network(tmp_path, listener):
    port, touched = listener
    refused(vrt(tmp_path, f"/vsicurl/http://127.0.0.1:{port}/peru.geojson"), 2, "VRT")
    assert not touched()


def test_a_geojson_whose_crs_is_a_link_touches_no_network(tmp_path, listener):
    port, touched = listener
    data = json.loads(GEO.read_text(encoding="utf-8"))
    data["crs"] = {"type": "link", "properties": {"href": f"http://127.0.0.1:{port}/crs.wkt", "type": "ogcwkt"}}
    path = tmp_path / "enlace.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    refused(path, 1, "como un enlace", "no descarga nada")
    assert not touched()


def test_a_gdal_virtual_path_is_refused():
    result = refused("/vsicurl/http://127.0.0.1:9/peru.geojson", 2, "ruta virtual de GDAL")
    assert "descárguelo" in result


# --- the CRS ----------------------------------------------------------------------------------------

def test_an_unknown_epsg_code_in_a_geojson_is_refused(tmp_path):
    data = json.loads(GEO.read_text(encoding="utf-8"))
    data["crs"] = {"type": "name", "properties": {"name": "EPSG:999999"}}
    path = tmp_path / "crs.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(GeoError, match="'EPSG:999999'"):  # GDAL alone reads it as WGS84 and says nothing
        read_boundaries(path)
    refused(path, 1, "sistema de coordenadas (CRS) que no existe")


def test_a_known_crs_name_is_still_read(tmp_path):
    data = json.loads(GEO.read_text(encoding="utf-8"))
    data["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    path = tmp_path / "crs84.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert len(read_boundaries(path).frame) == 26


def test_an_unknown_srs_in_a_geopackage_is_refused(tmp_path):
    path = tmp_path / "srs.gpkg"
    gpd.read_file(GEO).to_file(path, driver="GPKG")
    with sqlite3.connect(path) as con:
        con.execute("INSERT INTO gpkg_spatial_ref_sys VALUES ('x', 999999, 'EPSG', 999999, 'undefined', NULL)")
        con.execute("UPDATE gpkg_geometry_columns SET srs_id = 999999")
    refused(path, 1, "srs_id 999999")


def test_a_prj_nobody_can_read_is_refused(tmp_path):
    gpd.read_file(GEO)[["iso_3166_2", "geometry"]].to_file(tmp_path / "limites.shp")
    (tmp_path / "limites.prj").write_text('PROJCS["inventado",NADA]', encoding="utf-8")
    refused(tmp_path / "limites.shp", 1, "limites.prj", "inventado")


# --- pipes, and files of another kind -----------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
@pytest.mark.parametrize("pipe", ["limites.geojson", "limites.dbf", "limites.gpkg-wal"])
def test_a_pipe_in_place_of_a_file_gdal_opens_is_refused_at_once(tmp_path, pipe):
    """The file named, or a file GDAL opens beside it: a FIFO would hang the reading."""
    main_file = "limites.gpkg" if pipe.endswith("-wal") else "limites.shp"
    if pipe != "limites.geojson":
        gpd.read_file(GEO)[["iso_3166_2", "geometry"]].to_file(tmp_path / main_file)
        (tmp_path / pipe).unlink(missing_ok=True)
    os.mkfifo(tmp_path / pipe)
    link = tmp_path / "enlace"
    link.symlink_to(tmp_path / (main_file if pipe != "limites.geojson" else pipe))
    named = link if pipe == "limites.geojson" else tmp_path / main_file
    refused(named, 2, "no es un archivo normal")


@pytest.mark.parametrize("name, content, words", [
    ("limites.geojson", DATA.read_bytes(), "parece un archivo de cobertura (YAML), no un archivo de límites"),
    ("limites.geojson", b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "parece una imagen PNG"),
    ("limites.shp", b"<kml xmlns='http://www.opengis.net/kml/2.2'></kml>", "es un archivo KML"),
    ("limites.gpkg", b"codigo,nombre,poblacion\nPE-AMA,Amazonas,1\n", "parece un archivo de población"),
])
def test_a_file_of_another_kind_is_named_for_what_it_is(tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    refused(path, 2, words)


def test_a_geopackage_or_shapefile_under_another_name(tmp_path):
    gpd.read_file(GEO).to_file(tmp_path / "a.gpkg", driver="GPKG")
    shutil.copy(tmp_path / "a.gpkg", tmp_path / "a.sqlite")
    refused(tmp_path / "a.sqlite", 2, "es un GeoPackage", "debe terminar en .gpkg")


def test_a_plain_sqlite_database_is_not_a_geopackage(tmp_path):
    path = tmp_path / "base.gpkg"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE t (x)")
    refused(path, 1, "no se puede leer como GeoPackage")


# --- many layers --------------------------------------------------------------------------------------

def layered(path, count: int):
    """A GeoPackage with the departments and ``count`` tiny layers, copied in SQL (GDAL would take a
    quarter of a second for each)."""
    gpd.read_file(GEO).to_file(path, layer="departamentos", driver="GPKG")
    tiny = gpd.GeoDataFrame({"nombre": ["x"]}, geometry=[shapely.box(-75, -10, -74.9, -9.9)], crs=4326)
    tiny.to_file(path, layer="capa000", driver="GPKG", SPATIAL_INDEX="NO")
    with sqlite3.connect(path) as con:
        contents = con.execute("SELECT * FROM gpkg_contents WHERE table_name = 'capa000'").fetchone()
        columns = con.execute("SELECT * FROM gpkg_geometry_columns WHERE table_name = 'capa000'").fetchone()
        for i in range(1, count):
            name = f"capa{i:03d}"
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM capa000')
            con.execute(f"INSERT INTO gpkg_contents VALUES ({', '.join('?' * len(contents))})",
                        (name, contents[1], name, *contents[3:]))
            con.execute(f"INSERT INTO gpkg_geometry_columns VALUES ({', '.join('?' * len(columns))})",
                        (name, *columns[1:]))
    return path


@pytest.fixture(scope="module")
def four_hundred(tmp_path_factory):
    return layered(tmp_path_factory.mktemp("capas") / "capas.gpkg", 400)


def test_hundreds_of_layers_ask_for_the_layer(four_hundred):
    output = refused(four_hundred, 1, "401 capas de polígonos", "--geo-layer", "y 391 más")
    assert "departamentos" in output


def test_hundreds_of_layers_with_the_layer_named(four_hundred):
    result = check(four_hundred, "--geo-layer", "departamentos")
    assert result.exit_code == 0, result.output


def test_tens_of_layers_are_chosen_among(tmp_path):
    path = layered(tmp_path / "capas.gpkg", MAX_LAYERS - 2)
    b = read_boundaries(path)
    assert len(b.frame) == 26 and any(n.startswith("Capa usada: departamentos") for n in b.notes)


def test_a_view_that_never_ends_is_stopped(tmp_path):
    path = layered(tmp_path / "vista.gpkg", 2)
    with sqlite3.connect(path) as con:
        con.execute("CREATE VIEW v AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
                    "SELECT n AS nombre, NULL AS geom FROM r ORDER BY n DESC")
        con.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier) VALUES ('v', 'features', 'v')")
        con.execute("INSERT INTO gpkg_geometry_columns VALUES ('v', 'geom', 'POLYGON', 4326, 0, 0)")
    refused(path, 1, "no termina de leerse")
    result = check(path, "--geo-layer", "v")
    assert result.exit_code == 1 and "no termina de leerse" in result.output
    assert check(path, "--geo-layer", "departamentos").exit_code == 0
