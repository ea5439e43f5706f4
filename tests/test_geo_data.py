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

from mimpmap.places import UNITS

ROOT = Path(__file__).resolve().parents[1]
GEO_FILE = ROOT / "geo" / "peru_departamentos.geojson"
BUILD_SCRIPT = ROOT / "scripts" / "build_geo.py"
SOURCE = Path(os.environ.get("MIMPMAP_GEO_SOURCE", "/tmp/dm/package/src/js/data/per.json"))

MAX_BYTES = 150_000
PERU_BBOX = (-81.5, -18.5, -68.5, 0.1)  # lon min, lat min, lon max, lat max
PROPERTIES = {"iso_3166_2", "ubigeo", "nombre", "departamento"}

# A well-known point in each unit (lon, lat): its capital; for Lima Metropolitana the Plaza Mayor
# de Lima, for Lima Provincias Huacho, for Callao a point well inside the province.
CAPITALS = {
    "PE-AMA": ("Chachapoyas", -77.8690, -6.2317),
    "PE-ANC": ("Huaraz", -77.5278, -9.5278),
    "PE-APU": ("Abancay", -72.8814, -13.6339),
    "PE-ARE": ("Arequipa", -71.5369, -16.3989),
    "PE-AYA": ("Ayacucho", -74.2236, -13.1631),
    "PE-CAJ": ("Cajamarca", -78.5128, -7.1619),
    "PE-CAL": ("Callao", -77.1300, -12.0500),
    "PE-CUS": ("Cusco", -71.9781, -13.5167),
    "PE-HUV": ("Huancavelica", -74.9764, -12.7867),
    "PE-HUC": ("Huánuco", -76.2422, -9.9306),
    "PE-ICA": ("Ica", -75.7286, -14.0678),
    "PE-JUN": ("Huancayo", -75.2100, -12.0667),
    "PE-LAL": ("Trujillo", -79.0300, -8.1117),
    "PE-LAM": ("Chiclayo", -79.8411, -6.7714),
    "PE-LMA": ("Plaza Mayor de Lima", -77.0300, -12.0456),
    "PE-LIM": ("Huacho", -77.6050, -11.1067),
    "PE-LOR": ("Iquitos", -73.2538, -3.7491),
    "PE-MDD": ("Puerto Maldonado", -69.1892, -12.5933),
    "PE-MOQ": ("Moquegua", -70.9356, -17.1939),
    "PE-PAS": ("Cerro de Pasco", -76.2631, -10.6864),
    "PE-PIU": ("Piura", -80.6328, -5.1945),
    "PE-PUN": ("Puno", -70.0219, -15.8402),
    "PE-SAM": ("Moyobamba", -76.9717, -6.0342),
    "PE-TAC": ("Tacna", -70.2536, -18.0147),
    "PE-TUM": ("Tumbes", -80.4514, -3.5669),
    "PE-UCA": ("Pucallpa", -74.5539, -8.3791),
}


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


@pytest.mark.parametrize("iso", sorted(CAPITALS))
def test_capital_is_inside_its_unit_only(iso, features, geoms):
    name, lon, lat = CAPITALS[iso]
    point = Point(lon, lat)
    holders = [f["properties"]["iso_3166_2"] for f, g in zip(features, geoms) if g.contains(point)]
    assert holders == [iso], f"{name} falls in {holders}"


def test_puno_is_puno_not_callao(features, by_iso):
    """The source labels Puno "Callao"; the built file must not."""
    puno = next(f for f in features if f["properties"]["iso_3166_2"] == "PE-PUN")
    assert puno["properties"]["nombre"] == "Puno"
    assert by_iso["PE-PUN"].contains(Point(-70.0219, -15.8402))
    assert [f["properties"]["iso_3166_2"] for f in features
            if f["properties"]["nombre"] == "Callao"] == ["PE-CAL"]
    # Callao is tiny and on the coast by Lima, nowhere near the Altiplano.
    assert by_iso["PE-CAL"].area < 0.01
    assert by_iso["PE-CAL"].distance(by_iso["PE-LMA"]) == 0


@pytest.mark.parametrize("name, lon, lat", [
    ("Huaral", -77.2072, -11.4953),
    ("San Vicente de Cañete", -76.3872, -13.0775),
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
