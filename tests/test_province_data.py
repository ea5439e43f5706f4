"""The province level's data files (issue 24): ``geo/peru_provincias.geojson`` and ``data/censo_2025.csv``,
made by ``scripts/build_provincias.py`` from INEI's 2016 boundaries and the 2025 census."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely.geometry import shape

from .conftest import ROOT

GEO = ROOT / "geo" / "peru_provincias.geojson"
CENSUS = ROOT / "data" / "censo_2025.csv"
SOURCES = Path(os.environ.get("MIMPMAP_SOURCES", ROOT.parent / "shared" / "sources"))


@pytest.fixture(scope="module")
def census() -> list[dict]:
    lines = CENSUS.read_text(encoding="utf-8").splitlines(keepends=True)
    meta = [line for line in lines if line.startswith("#")]
    assert [m.split(":")[0] for m in meta] == ["# titulo", "# año", "# fuente"]
    rows = list(csv.DictReader(io.StringIO("".join(lines[len(meta):]))))
    for row in rows:
        for column in ("total", "mujeres", "hombres"):
            row[column] = int(row[column])  # whole numbers, as written
    return rows


@pytest.fixture(scope="module")
def provinces() -> dict[str, dict]:
    return {f["properties"]["ubigeo"]: f for f in json.loads(GEO.read_text(encoding="utf-8"))["features"]}


def test_the_census_adds_up_at_every_level(census):
    assert len(census) == 2113 and all(r["nombre"] for r in census)
    assert {r["nivel"] for r in census} == {"departamento", "provincia", "distrito"}
    assert sum(r["nivel"] == "provincia" for r in census) == 196
    by_code = {r["ubigeo"]: r for r in census}
    for level, length in (("distrito", 4), ("provincia", 2)):
        sums = defaultdict(lambda: np.zeros(3, dtype=np.int64))
        for r in census:
            assert r["mujeres"] + r["hombres"] == r["total"]
            if r["nivel"] == level:
                sums[r["ubigeo"][:length]] += (r["total"], r["mujeres"], r["hombres"])
        for parent, counts in sums.items():
            assert tuple(counts) == tuple(by_code[parent][c] for c in ("total", "mujeres", "hombres")), parent
    departments = [r for r in census if r["nivel"] == "departamento"]
    assert len(departments) == 25
    assert sum(r["total"] for r in departments) == 34_157_732
    assert sum(r["mujeres"] for r in departments) == 17_292_074


def test_the_province_file_has_the_census_provinces_as_one_valid_coverage(census, provinces):
    assert sorted(provinces) == sorted(r["ubigeo"] for r in census if r["nivel"] == "provincia")
    geoms = np.array([shape(f["geometry"]) for f in provinces.values()], dtype=object)
    assert shapely.is_valid(geoms).all() and not shapely.is_empty(geoms).any()
    assert shapely.coverage_is_valid(geoms)  # no overlaps; shared edges identical
    for f in provinces.values():
        p = f["properties"]
        assert p["ubigeo_departamento"] == p["ubigeo"][:2] and p["departamento"] and p["provincia"]
        for poly in shapely.get_parts(shape(f["geometry"])):
            assert poly.exterior.is_ccw and not any(r.is_ccw for r in poly.interiors)  # RFC 7946


def test_putumayo_is_cut_from_maynas_and_lakes_stay_water(provinces):
    putumayo, maynas = (shape(provinces[c]["geometry"]) for c in ("1608", "1601"))
    assert 3 < putumayo.area < maynas.area < 7  # degrees²: ≈ 45,000 km² beside ≈ 77,000
    assert putumayo.touches(maynas)
    assert putumayo.contains(shapely.Point(-72.6, -2.4))  # San Antonio del Estrecho's surroundings
    lake_junin = shapely.Point(-76.12, -11.01)
    assert not any(shape(f["geometry"]).contains(lake_junin) for f in provinces.values())
    assert shape(provinces["1501"]["geometry"]).contains(shapely.Point(-77.03, -12.05))  # Lima's centre


@pytest.mark.skipif(not (SOURCES / "censo_2025.csv").is_file(),
                    reason=f"the public sources are not in {SOURCES} (set MIMPMAP_SOURCES to their folder)")
def test_the_script_reproduces_the_committed_files(tmp_path):
    if shapely.geos_version[:2] != (3, 14):
        pytest.skip(f"the committed file was built with GEOS 3.14; this is {shapely.geos_version_string}")
    geo, census = tmp_path / "p.geojson", tmp_path / "c.csv"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_provincias.py"), "--sources", str(SOURCES),
                    "--geo-output", str(geo), "--census-output", str(census)], check=True, capture_output=True)
    assert geo.read_bytes() == GEO.read_bytes()
    assert census.read_bytes() == CENSUS.read_bytes()
