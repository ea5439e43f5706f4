"""Reading boundary files: the shipped one, and the ones users bring (other keys, CRS, formats).

Every fixture is made in tmp_path from the shipped file: dissolved to 25 units with INEI-style
fields (``NOMBDEP`` in upper case without accents, ``CCDD``, ``IDDPTO``), reprojected, written as
GeoPackage or Shapefile, broken on purpose, or densified.
"""

from __future__ import annotations

import json
import logging
import unicodedata

import geopandas as gpd
import numpy as np
import pytest
import shapely
from click.testing import CliRunner
from shapely.geometry import Point, Polygon, box

import mimpmap
from mimpmap import GeoError, places
from mimpmap.cli import main
from mimpmap.coverage import PARTIAL
from mimpmap.geography import Boundaries, read_boundaries
from mimpmap.unitfields import resolve_value
from mimpmap.levels import DEPARTMENTS, LIMA
from mimpmap.webgeometry import TARGET_VERTICES, VERTEX_BUDGET, simplify_coverage

from .conftest import DATA, GEO

ALL_CODES, LIMA_CODES, LIMA_DEPARTMENT = DEPARTMENTS.codes, LIMA.members, LIMA.code

LIMA_MEMBERS = ("PE-LMA", "PE-LIM")


def upper_plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


@pytest.fixture(scope="module")
def shipped_gdf() -> gpd.GeoDataFrame:
    return gpd.read_file(GEO)


@pytest.fixture(scope="module")
def inei(shipped_gdf) -> gpd.GeoDataFrame:
    return inei_like(shipped_gdf)


def inei_like(shipped_gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The shipped file as an INEI-style file: 25 departments (Lima whole), upper-case names."""
    whole = shipped_gdf.dissolve(by="departamento", sort=False, as_index=False)
    return gpd.GeoDataFrame(
        {
            "NOMBDEP": [upper_plain(d) for d in whole["departamento"]],
            "CCDD": [u[:2] for u in whole["ubigeo"]],
            "IDDPTO": [int(u[:2]) for u in whole["ubigeo"]],
        },
        geometry=whole.geometry.values,
        crs="EPSG:4326",
    )


@pytest.fixture
def write(tmp_path):
    """Write a GeoDataFrame in tmp_path; the format follows the file name's extension."""

    def make(gdf: gpd.GeoDataFrame, name: str = "limites.geojson", **kwargs):
        path = tmp_path / name
        gdf.to_file(path, **kwargs)
        return path

    return make


@pytest.fixture
def warnings_logged():
    """Warnings the library logs on the "mimpmap" logger (caplog misses them once the CLI has
    stopped that logger from propagating)."""
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append
    logger = logging.getLogger("mimpmap")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


def vertices(geoms) -> int:
    return int(shapely.get_num_coordinates(np.asarray(geoms, dtype=object)).sum())


# --- the shipped file --------------------------------------------------------------------------


def test_shipped_file_is_read_as_it_is(shipped_gdf):
    b = read_boundaries(GEO)
    assert isinstance(b, Boundaries)
    assert b.key == "iso_3166_2"
    assert list(b.frame.index) == list(ALL_CODES)
    assert b.frame.crs.to_epsg() == 4326
    assert list(b.frame.columns) == ["nombre", "departamento", "ubigeo", "members", "geometry"]
    assert b.missing == [] and b.unresolved == [] and b.notes == []
    assert b.lima_split
    # Not re-simplified, not rounded again: the very same geometry.
    assert shapely.equals_exact(b.frame.geometry.values, shipped_gdf.geometry.values, tolerance=0).all()


def test_default_path_is_the_shipped_file(monkeypatch):
    monkeypatch.chdir(GEO.parents[1])
    b = read_boundaries()
    assert len(b.frame) == 26


# --- INEI-style files --------------------------------------------------------------------------


def test_upper_case_names_25_units_detects_nombdep(inei, write):
    path = write(inei[["NOMBDEP", "geometry"]])
    b = read_boundaries(path)
    assert b.key == "NOMBDEP"
    assert "Campo detectado: NOMBDEP (25 de 25 valores son departamentos)" in b.notes
    assert len(b.frame) == 25
    assert LIMA_DEPARTMENT in b.frame.index and "PE-LMA" not in b.frame.index
    lima = b.frame.loc[LIMA_DEPARTMENT]
    assert lima["members"] == LIMA_MEMBERS
    assert lima["nombre"] == "Lima" and lima["ubigeo"] == "15"
    assert b.frame.loc["PE-HUC", "nombre"] == "Huánuco"
    assert b.missing == [] and b.unresolved == []
    assert not b.lima_split
    assert any("no separa Lima Metropolitana" in n for n in b.notes)
    # Units in UBIGEO order, merged Lima where Lima Metropolitana would be.
    expected = [LIMA_DEPARTMENT if c == "PE-LMA" else c for c in ALL_CODES if c != "PE-LIM"]
    assert list(b.frame.index) == expected


@pytest.mark.parametrize("column, values", [
    ("CCDD", None),                                   # "01".."25" strings
    ("IDDPTO", None),                                 # 1..25 integers
    ("IDDPTO_F", lambda s: s.astype(float)),          # 1.0..25.0 floats
    ("UBIGEO", lambda s: s.astype(str).str.zfill(2) + "0000"),  # "010000".."250000"
])
def test_codes_only_files(inei, write, column, values):
    source = "CCDD" if column == "CCDD" else "IDDPTO"
    gdf = inei[[source, "geometry"]].rename(columns={source: column})
    if values is not None:
        gdf[column] = values(gdf[column])
    gdf["OBJECTID"] = range(1, len(gdf) + 1)  # a row number that also "resolves": never chosen
    b = read_boundaries(write(gdf))
    assert b.key == column
    assert len(b.frame) == 25 and b.missing == []
    assert b.frame.loc[LIMA_DEPARTMENT, "members"] == LIMA_MEMBERS
    assert b.frame.loc["PE-CUS", "ubigeo"] == "08"


def test_codes_of_a_file_that_splits_lima(shipped_gdf, write):
    """INEI's convention: "1501" is Lima Metropolitana, "15" the rest of the department."""
    b = read_boundaries(write(shipped_gdf[["ubigeo", "geometry"]]))
    assert b.key == "ubigeo"
    assert list(b.frame.index) == list(ALL_CODES)
    assert b.frame.loc["PE-LIM", "members"] == ("PE-LIM",)


def test_names_of_a_file_that_splits_lima(shipped_gdf, write):
    names = [upper_plain(n) for n in shipped_gdf["nombre"]]
    names[names.index("LIMA PROVINCIAS")] = "LIMA"
    gdf = gpd.GeoDataFrame({"NOMBRE": names}, geometry=shipped_gdf.geometry.values, crs=4326)
    b = read_boundaries(write(gdf))
    assert list(b.frame.index) == list(ALL_CODES)
    assert b.frame.loc["PE-LIM", "nombre"] == "Lima Provincias"
    assert any("'LIMA' se toma como Lima Provincias" in n for n in b.notes)


def test_lima_without_its_centre_is_lima_provincias(shipped_gdf, write):
    """A 26-unit file that lacks Lima Metropolitana: its "LIMA" is not the whole department."""
    gdf = shipped_gdf[shipped_gdf["iso_3166_2"] != "PE-LMA"]
    gdf = gpd.GeoDataFrame({"NOMBDEP": [upper_plain(d) for d in gdf["departamento"]]},
                           geometry=gdf.geometry.values, crs=4326)
    b = read_boundaries(write(gdf))
    assert b.missing == ["PE-LMA"]
    assert b.frame.loc["PE-LIM", "members"] == ("PE-LIM",)
    assert any("no llega al centro de Lima" in n for n in b.notes)


def test_several_features_per_unit_are_dissolved(inei, write):
    parts = inei[["NOMBDEP", "geometry"]].explode(index_parts=False).reset_index(drop=True)
    assert len(parts) > 25
    b = read_boundaries(write(parts))
    assert len(b.frame) == 25
    assert any(n.startswith("Varios polígonos por unidad") for n in b.notes)
    for dissolved, original in zip(b.frame.geometry.values, inei.geometry.values):
        assert dissolved.symmetric_difference(original).area < 1e-9


# --- CRS and formats ---------------------------------------------------------------------------


def test_other_crs_is_reprojected(inei, write):
    path = write(inei[["NOMBDEP", "geometry"]].to_crs("EPSG:32718"))
    b = read_boundaries(path)
    assert b.frame.crs.to_epsg() == 4326
    xmin, ymin, xmax, ymax = b.frame.total_bounds
    assert -81.5 < xmin < xmax < -68.5 and -18.5 < ymin < ymax < 0.1
    assert any("EPSG:32718" in n and "EPSG:4326" in n for n in b.notes)
    assert np.allclose(b.frame.total_bounds, inei.total_bounds, atol=1e-3)


def test_no_crs_but_degrees_in_peru_is_wgs84(inei, write):
    path = write(inei[["NOMBDEP", "geometry"]], "sin_crs.shp")
    path.with_suffix(".prj").unlink()
    b = read_boundaries(path)
    assert len(b.frame) == 25
    assert any("se asume WGS84" in n for n in b.notes)


def test_no_crs_and_not_degrees_is_an_error(inei, write):
    path = write(inei[["NOMBDEP", "geometry"]].to_crs("EPSG:32718"), "utm_sin_crs.shp")
    path.with_suffix(".prj").unlink()
    with pytest.raises(GeoError, match="no declara su sistema de coordenadas") as err:
        read_boundaries(path)
    assert "utm_sin_crs.shp" in str(err.value) and "EPSG" in str(err.value)


@pytest.mark.parametrize("name", ["limites.gpkg", "limites.shp"])
def test_geopackage_and_shapefile(inei, write, name):
    b = read_boundaries(write(inei, name))
    assert b.key == "NOMBDEP"
    assert len(b.frame) == 25 and b.missing == []


def test_geopackage_with_several_layers_uses_the_polygons(inei, write, tmp_path):
    path = tmp_path / "capas.gpkg"
    points = gpd.GeoDataFrame({"NOMBDEP": ["CUSCO"]}, geometry=[Point(-72.0, -13.5)], crs=4326)
    points.to_file(path, layer="capitales")
    inei.to_file(path, layer="departamentos")
    b = read_boundaries(path)
    assert len(b.frame) == 25
    assert any("Capa usada: departamentos" in n for n in b.notes)


# --- the key -----------------------------------------------------------------------------------


def test_explicit_key(inei, write):
    path = write(inei)
    b = read_boundaries(path, key="CCDD")
    assert b.key == "CCDD"
    assert not any(n.startswith("Campo detectado") for n in b.notes)
    assert read_boundaries(path, key="nombdep").key == "NOMBDEP"  # case does not matter


def test_wrong_key_lists_the_fields(inei, write):
    path = write(inei)
    with pytest.raises(GeoError) as err:
        read_boundaries(path, key="DEPARTAMEN")
    text = str(err.value)
    assert "'DEPARTAMEN'" in text and "limites.geojson" in text
    for field in ("NOMBDEP", "CCDD", "IDDPTO"):
        assert field in text


def test_key_whose_values_are_not_departments(inei, write):
    gdf = inei.assign(ZONA=[f"Zona {i}" for i in range(len(inei))])
    with pytest.raises(GeoError) as err:
        read_boundaries(write(gdf), key="ZONA")
    text = str(err.value)
    assert "'ZONA'" in text and "'Zona 0'" in text and "--geo-key NOMBDEP" in text


@pytest.mark.parametrize("value, codes", [
    ("HUANUCO", ("PE-HUC",)),
    ("LIMA", LIMA_CODES),
    ("08", ("PE-CUS",)), (8, ("PE-CUS",)), (8.0, ("PE-CUS",)), ("8.0", ("PE-CUS",)),
    ("080000", ("PE-CUS",)), (80000, ("PE-CUS",)),
    ("1501", ("PE-LMA",)), (150100, ("PE-LMA",)),
    ("PE-CUS", ("PE-CUS",)),
    # Numbers that are not a department's code: areas, populations, years, row numbers.
    (2017, None), ("2017", None), (379384, None), (39249.3, None), (26, None), (0, None),
    (None, None), (float("nan"), None), ("", None), (True, None),
])
def test_resolve_value(value, codes):
    assert resolve_value(value) == codes


# --- repairs, gaps in the file -----------------------------------------------------------------


def test_invalid_geometry_is_repaired_with_a_warning(inei, write, warnings_logged):
    gdf = inei[["NOMBDEP", "geometry"]].copy()
    xmin, ymin, xmax, ymax = gdf.geometry[gdf["NOMBDEP"] == "TUMBES"].total_bounds
    # Crossed so that the top triangle keeps the city of Tumbes (the capital check must pass).
    bowtie = Polygon([(xmin, ymin), (xmax, ymax), (xmin, ymax), (xmax, ymin)])
    assert not bowtie.is_valid
    gdf.loc[gdf["NOMBDEP"] == "TUMBES", "geometry"] = bowtie
    b = read_boundaries(write(gdf))
    assert any("Geometría inválida reparada: Tumbes" in n for n in b.notes)
    assert any("Tumbes" in r.getMessage() for r in warnings_logged)
    tumbes = b.frame.geometry["PE-TUM"]
    assert tumbes.is_valid and tumbes.geom_type in ("Polygon", "MultiPolygon")
    assert tumbes.area == pytest.approx(bowtie.convex_hull.area / 2)  # the bow-tie's two triangles


def test_a_missing_department_is_reported_not_fatal(inei, write):
    b = read_boundaries(write(inei[inei["NOMBDEP"] != "TUMBES"]))
    assert b.missing == ["PE-TUM"]
    assert len(b.frame) == 24


@pytest.mark.parametrize("lake_first", [False, True])
def test_unresolved_feature_is_dropped_and_reported(inei, write, warnings_logged, lake_first):
    lake = gpd.GeoDataFrame({"NOMBDEP": ["LAGO TITICACA"]}, geometry=[box(-69.9, -16.2, -69.2, -15.4)],
                            crs=4326)
    rows = [*inei[["NOMBDEP", "geometry"]].itertuples(index=False)]
    rows = [*lake.itertuples(index=False), *rows] if lake_first else [*rows, *lake.itertuples(index=False)]
    gdf = gpd.GeoDataFrame(rows, columns=["NOMBDEP", "geometry"], geometry="geometry", crs=4326)
    b = read_boundaries(write(gdf))
    for name, geom in zip(inei["NOMBDEP"], inei.geometry):  # each unit keeps its own geometry
        codes = places.lookup(name)
        code = codes[0] if len(codes) == 1 else LIMA.code
        assert b.frame.loc[code, "geometry"].contains(geom.representative_point()), name
    assert b.unresolved == ["LAGO TITICACA"]
    assert len(b.frame) == 25 and b.missing == []
    assert "Campo detectado: NOMBDEP (25 de 26 valores son departamentos)" in b.notes
    assert any("'LAGO TITICACA'" in n for n in b.notes)
    assert any("LAGO TITICACA" in r.getMessage() for r in warnings_logged)


# --- files that cannot be used -----------------------------------------------------------------


def _broken(kind: str, tmp_path, inei):
    path = tmp_path / f"{kind}.geojson"
    if kind == "empty_collection":
        path.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    elif kind == "not_json":
        path.write_text("UBIGEO;NOMBDEP\n01;AMAZONAS\n", encoding="utf-8")
    elif kind == "zero_bytes":
        path.write_bytes(b"")
    elif kind == "points":
        gpd.GeoDataFrame({"NOMBDEP": ["CUSCO", "PUNO"]}, geometry=[Point(-72, -13.5), Point(-70, -15.8)],
                         crs=4326).to_file(path)
    elif kind == "lines":
        lines = shapely.boundary(inei.geometry.values)
        gpd.GeoDataFrame({"NOMBDEP": inei["NOMBDEP"]}, geometry=lines, crs=4326).to_file(path)
    elif kind == "europe":
        gpd.GeoDataFrame({"NOMBDEP": ["CUSCO", "PUNO"]}, geometry=[box(2, 45, 3, 46), box(3, 45, 4, 46)],
                         crs=4326).to_file(path)
    elif kind == "no_key":
        zones = [f"Zona {i}" for i in range(len(inei))]
        area = shapely.area(inei.geometry.values) * 1e4
        gpd.GeoDataFrame({"ZONA": zones, "AREA": area}, geometry=inei.geometry.values, crs=4326).to_file(path)
    return path


@pytest.mark.parametrize("kind, expected", [
    ("missing", "no existe el archivo"),
    ("zero_bytes", "está vacío"),
    ("empty_collection", "no tiene ningún elemento"),
    ("not_json", "no se puede leer como archivo de límites"),
    ("points", "solo tiene Point"),
    ("lines", "solo tiene"),
    ("europe", "fuera del Perú"),
    ("no_key", "ningún campo identifica departamentos"),
])
def test_unusable_files_raise_a_clear_geo_error(kind, expected, tmp_path, inei):
    path = _broken(kind, tmp_path, inei)
    with pytest.raises((GeoError, mimpmap.InputFileError)) as err:  # a missing file: InputFileError, exit 2
        read_boundaries(path)
    text = str(err.value)
    assert expected in text
    assert path.name in text
    assert "--geo" in text or "CRS" in text
    assert isinstance(err.value, ValueError if kind != "missing" else OSError)
    if kind == "no_key":
        assert "ZONA ('Zona 0', 'Zona 1')" in text and "--geo-key" in text


@pytest.mark.parametrize("kind", ["not_json", "points", "no_key"])
def test_cli_reports_a_bad_boundary_file_without_traceback(kind, tmp_path, inei):
    path = _broken(kind, tmp_path, inei)
    result = CliRunner().invoke(main, ["check", "--data", str(DATA), "--geo", str(path)])
    assert result.exit_code == 1
    assert "Error:" in result.output and "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)


# --- large files -------------------------------------------------------------------------------


def densify(gdf: gpd.GeoDataFrame, target: int) -> gpd.GeoDataFrame:
    """About ``target`` vertices: each edge cut into short pieces, then wiggled by a smooth function
    of the coordinate (so a shared vertex moves the same way on both sides)."""
    geoms = gdf.geometry.values
    step = shapely.length(geoms).sum() / target
    dense = shapely.segmentize(geoms, step)

    def wiggle(xy):
        x, y = xy[:, 0], xy[:, 1]
        dx = 0.02 * np.sin(10 * x) * np.cos(10 * y) + 0.002 * np.sin(100 * (x + y))
        dy = 0.02 * np.cos(10 * x) * np.sin(10 * y) + 0.002 * np.cos(100 * (x - y))
        return np.column_stack([x + dx, y + dy])

    return gdf.set_geometry(shapely.transform(dense, wiggle))


def test_large_file_is_simplified_as_one_coverage(inei, write):
    dense = densify(inei[["NOMBDEP", "geometry"]], 3 * VERTEX_BUDGET)
    n_in = vertices(dense.geometry)
    assert n_in > VERTEX_BUDGET
    b = read_boundaries(write(dense))  # its time: benchmarks/bench_geography.py, beside a naive way
    geoms = b.frame.geometry.values
    n_out = vertices(geoms)
    assert n_out < n_in / 3 and n_out <= TARGET_VERTICES
    assert shapely.coverage_is_valid(geoms)
    assert shapely.is_valid(geoms).all()
    # No overlaps and no new gaps: the units add up to their union.
    assert shapely.area(geoms).sum() == pytest.approx(shapely.union_all(geoms).area, rel=1e-9)
    simplified = [n for n in b.notes if n.startswith("Geometría simplificada para la web")]
    assert len(simplified) == 1 and f"{n_in} → {n_out} vértices" in simplified[0]
    # Small enough for a web page, and on the 1e-4° grid.
    assert len(b.frame.to_json()) < 200_000
    coords = shapely.get_coordinates(geoms)
    assert np.allclose(coords, np.round(coords, 4), atol=1e-9)


@pytest.mark.skipif(not hasattr(shapely, "coverage_clean"),
                    reason="needs shapely.coverage_clean (shapely 2.2 with GEOS 3.14, Python 3.11+): "
                           "pip install 'shapely>=2.2'")
def test_simplify_coverage_repairs_edges_that_do_not_match(inei):
    """Neighbours digitised apart (shared edges ~3 m off): cleaned first, then simplified."""
    dense = densify(inei, 2 * VERTEX_BUDGET).geometry.values
    shifted = dense.copy()
    shifted[::2] = shapely.transform(dense[::2], lambda xy: xy + 3e-5)
    assert not shapely.coverage_is_valid(shifted)
    out, note = simplify_coverage(shifted)
    assert shapely.coverage_is_valid(out)
    assert shapely.is_valid(out).all() and not shapely.is_empty(out).any()
    assert vertices(out) <= TARGET_VERTICES
    assert "Geometría simplificada" in note and "se corrigieron superposiciones" in note


def test_small_foreign_file_is_rounded_not_simplified(inei, write):
    path = write(inei[["NOMBDEP", "geometry"]].to_crs("EPSG:32718"))
    b = read_boundaries(path)
    assert not any(n.startswith("Geometría simplificada") for n in b.notes)
    assert vertices(b.frame.geometry) == vertices(inei.geometry)
    coords = shapely.get_coordinates(b.frame.geometry.values)
    assert np.allclose(coords, np.round(coords, 4), atol=1e-9)
    assert shapely.coverage_is_valid(b.frame.geometry.values)


# --- the join on a 25-unit file ----------------------------------------------------------------


def test_load_with_a_25_unit_file_gives_partial_lima(inei, write):
    cov = mimpmap.load(DATA, write(inei[["NOMBDEP", "geometry"]]))
    assert cov.status.loc[LIMA_DEPARTMENT, "car-pam"] == PARTIAL
    assert cov.boundaries.missing == []


def test_geojson_written_by_hand_with_float_codes(tmp_path, inei):
    """A hand-made GeoJSON whose code field holds numbers like 15.0."""
    features = [
        {"type": "Feature", "properties": {"FIRST_IDDP": float(code), "AREA": round(g.area, 3)},
         "geometry": json.loads(shapely.to_geojson(g))}
        for code, g in zip(inei["IDDPTO"], inei.geometry.values)
    ]
    path = tmp_path / "manual.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    b = read_boundaries(path)
    assert b.key == "FIRST_IDDP"
    assert len(b.frame) == 25 and LIMA_DEPARTMENT in b.frame.index
