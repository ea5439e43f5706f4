"""Straight-line access (issue 24): the district points file, its reader, and women beyond each distance."""

from __future__ import annotations

import csv
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from mimpmap.access import AT_CEM, access, nearest_km, parse_district_points, read_district_points
from mimpmap.availability import availability
from mimpmap.census import parse_census, read_census
from mimpmap.centre_places import unit_of
from mimpmap.centres import parse_centres, read_centres
from mimpmap.errors import DistrictPointsError, InputFileError
from mimpmap.geography import read_boundaries
from mimpmap.levels import DEPARTMENTS

from .conftest import ROOT
from .test_availability import census_text

POINTS = ROOT / "geo" / "peru_distritos_puntos.csv"
SOURCES = Path(os.environ.get("MIMPMAP_SOURCES", ROOT.parent / "shared" / "sources"))
#: Provinces checked against a plain loop: Maynas (Iquitos), Tambopata, Coronel Portillo (Pucallpa),
#: Condorcanqui, Cusco, Putumayo (its districts renumbered or created since 2016).
HELD_OUT = ("1601", "1701", "2501", "0104", "0801", "1608")
POINTS_HEAD = "ubigeo,distrito,provincia,lon,lat,punto\n"


@pytest.fixture(scope="module")
def real():
    census = read_census(ROOT / "data" / "censo_2025.csv")
    centres = read_centres(ROOT / "data" / "centros.csv", read_boundaries())
    points = read_district_points(POINTS)
    return points, centres, census, access(points, centres, census)


# --- the points file ---------------------------------------------------------------------------


def test_the_points_file_has_every_census_district_once(real):
    points, _, census, result = real
    assert [p.ubigeo for p in points] == [d.ubigeo for d in census.level("distrito")]
    assert len(points) == 1892
    # 58 districts created since 2016 and 8 whose 2016 feature has no geometry; 4 of them have a CEM of
    # their own and are measured from it
    assert sum(p.kind == "provincia" for p in points) == 66
    assert len(result.at_province_point) == 62
    assert {p.kind for p in points} == {"centroide", "punto_interior", "provincia"}


@pytest.mark.skipif(not (SOURCES / "peru_distrital_2016.geojson").is_file(),
                    reason=f"the public sources are not in {SOURCES} (set MIMPMAP_SOURCES to their folder)")
def test_the_script_reproduces_the_committed_file(tmp_path):
    if shapely.geos_version[:2] != (3, 14):
        pytest.skip(f"the committed file was built with GEOS 3.14; this is {shapely.geos_version_string}")
    out = tmp_path / "p.csv"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_distritos.py"), "--sources", str(SOURCES),
                    "--output", str(out)], check=True, capture_output=True)
    assert out.read_bytes() == POINTS.read_bytes()


@pytest.mark.parametrize("row, words", [
    ("01010,X,0101,-77.8,-6.2,centroide", "'01010' no es el ubigeo de un distrito"),
    ("010101,X,0102,-77.8,-6.2,centroide", "'0102' no es la provincia del distrito 010101; escriba 0101"),
    ("010101,X,0101,-77.8,6.2,centroide", "no es un punto del Perú"),
    ("010101,X,0101,abc,-6.2,centroide", "no es un punto del Perú"),
    ("010101,X,0101,-77.8,-6.2,capital", "'capital' no es un tipo de punto"),
    ("010101,X,0101,-77.8", "tiene 4 columnas y debe tener 6"),
])
def test_a_bad_row_is_named_with_its_line(row, words):
    with pytest.raises(DistrictPointsError) as caught:
        parse_district_points("# fuente: x\n" + POINTS_HEAD + row + "\n", "p.csv")
    assert isinstance(caught.value, ValueError)
    assert "p.csv: línea 3: " in str(caught.value) and words in str(caught.value)


def test_every_problem_is_reported_at_once_and_a_repeat_is_named():
    text = POINTS_HEAD + "010101,X,0101,-77.8,-6.2,centroide\n010101,X,0101,-77.8,-6.2,centroide\n0101,X,01,0,0,x\n"
    with pytest.raises(DistrictPointsError) as caught:
        parse_district_points(text)
    assert len(caught.value.problems) == 4
    assert "línea 3: el ubigeo 010101 está repetido" in caught.value.problems[0]


def test_another_header_and_a_missing_file_are_refused(tmp_path):
    with pytest.raises(DistrictPointsError, match="la cabecera debe ser ubigeo,distrito,provincia,lon,lat,punto"):
        parse_district_points("ubigeo,lon,lat\n010101,-77,-6\n")
    with pytest.raises(InputFileError, match="no existe el archivo"):
        read_district_points(tmp_path / "no.csv")


# --- the computation, against a plain loop on the real data ------------------------------------


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2, dp, dl = map(math.radians, (lat1, lat2, lat2 - lat1, lon2 - lon1))
    return 2 * 6371.0 * math.asin(math.sqrt(math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2))


def plain_loop(province: str, kinds: set[str], limit: float, centres) -> tuple[int, int]:
    """(women, women farther than ``limit`` km from a centre of ``kinds``) of ``province``, from the
    files read as plain CSV, a pair at a time."""
    lines = [line for line in POINTS.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    points = {r["ubigeo"]: (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(lines)}
    census = [line for line in (ROOT / "data" / "censo_2025.csv").read_text(encoding="utf-8").splitlines()
              if not line.startswith("#")]
    women = {r["ubigeo"]: int(r["mujeres"]) for r in csv.DictReader(census) if r["nivel"] == "distrito"}
    placed = {c.line for c in centres.placed}
    sites = [(c.lat, c.lon) if c.line in placed else points[c.ubigeo] for c in centres.sites if c.tipo in kinds]
    for code in points:  # a district with CEMs on the map is measured from their mean position
        own = [(c.lat, c.lon) for c in centres.placed if c.ubigeo == code and c.tipo == "CEM"]
        if own:
            points[code] = (sum(a for a, _ in own) / len(own), sum(b for _, b in own) / len(own))
    total = beyond = 0
    for code, (lat, lon) in points.items():
        if code.startswith(province):
            total += women[code]
            beyond += women[code] if min(_haversine(lat, lon, a, b) for a, b in sites) > limit else 0
    return total, beyond


@pytest.mark.parametrize("province", HELD_OUT)
def test_held_out_provinces_agree_with_a_plain_loop(real, province):
    _, centres, _, result = real
    area = next(p for p in result.provinces if p.code == province)
    for group, kinds in (("CEM", {"CEM"}), ("any", {"CEM", "SAR", "SAU", "CAI"})):
        women, beyond = plain_loop(province, kinds, 50.0, centres)
        assert area.women == women
        assert abs(area.beyond[group][1] - beyond) <= 0.01 * women


def test_some_held_out_province_has_women_beyond_50_km(real):
    """The comparison above is not of zeros only."""
    assert any(p.beyond["CEM"][1] > 0 for p in real[3].provinces if p.code in HELD_OUT)


def test_provinces_sum_to_departments_and_to_the_census(real):
    _, centres, census, result = real
    assert result.national.women == 17_292_074
    for province in result.provinces:
        assert province.women == census.places[province.code].mujeres
    for unit in result.departments:
        inside = [p for p in result.provinces if unit_of(p.code) == unit.code]
        assert unit.women == sum(p.women for p in inside)
        for group, counts in unit.beyond.items():
            assert list(counts) == [sum(p.beyond[group][i] for p in inside) for i in range(3)]
    assert sum(u.women for u in result.departments) == result.national.women


def test_the_department_units_are_the_maps_with_lima_metropolitana_as_province_1501(real):
    _, centres, census, result = real
    units = {u.code: u for u in result.departments}
    assert [u.code for u in result.departments] == list(DEPARTMENTS.codes)
    assert units["PE-LMA"].women == census.places["1501"].mujeres
    assert units["PE-LIM"].women == census.places["15"].mujeres - census.places["1501"].mujeres
    assert units["PE-CAL"].women == census.places["07"].mujeres
    assert {u.code: u.women for u in availability(centres, census).units} == {c: u.women for c, u in units.items()}


def test_no_centre_is_left_out(real):
    _, centres, _, result = real
    assert result.centres == {"CEM": sum(c.tipo == "CEM" for c in centres.sites), "any": len(centres.sites)}
    assert result.centres_at_district == len(centres.sites) - len(centres.placed) == 4


# --- small cases -------------------------------------------------------------------------------


def _tiny(points_rows: str, centres_rows: str, thresholds=(25, 50, 100)):
    census = parse_census(census_text("010101,distrito,A,120,60,60\n010201,distrito,B,80,40,40\n"))
    points = parse_district_points(POINTS_HEAD + points_rows)
    centres = parse_centres("# año: 2026\n# fuente: MIMP\ntipo,subtipo,nombre,ubigeo,lat,lon\n" + centres_rows)
    return access(points, centres, census, thresholds)


def test_a_district_at_a_centre_is_at_0_km():
    result = _tiny("010101,A,0101,-77.5,-6.0,centroide\n010201,B,0102,-78.0,-5.5,centroide\n",
                   "SAR,,SAR Uno,010201,-6.0,-77.5\n")
    a, b = result.districts
    assert a.km["any"] == 0.0 and a.point == "centroide"
    assert b.km["any"] == pytest.approx(_haversine(-5.5, -78.0, -6.0, -77.5))
    assert b.km["CEM"] == math.inf  # no CEM at all: every woman is beyond every distance
    assert result.national.beyond["CEM"] == (100, 100, 100)


def test_a_district_with_a_cem_is_measured_from_it():
    result = _tiny("010101,A,0101,-77.5,-6.0,centroide\n010201,B,0102,-78.0,-5.5,centroide\n",
                   "CEM,,Cem Uno,010101,-6.5,-77.5\n")
    a, _ = result.districts
    assert (a.point, a.km["CEM"]) == (AT_CEM, 0.0)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(min_value=0.1, max_value=400), min_size=1, max_size=5, unique=True))
def test_farther_thresholds_count_fewer_women(thresholds):
    result = _tiny("010101,A,0101,-77.5,-6.0,centroide\n010201,B,0102,-78.0,-5.5,centroide\n",
                   "SAR,,SAR Uno,010201,-6.3,-77.9\n", thresholds)
    assert list(result.thresholds) == sorted(thresholds)
    for area in (*result.provinces, result.national):
        for counts in area.beyond.values():
            assert list(counts) == sorted(counts, reverse=True)
            assert all(0 <= n <= area.women for n in counts)


@pytest.mark.parametrize("thresholds", [(), (0,), (-5, 10)])
def test_thresholds_must_be_positive(thresholds):
    with pytest.raises(DistrictPointsError, match="mayor que 0"):
        _tiny("010101,A,0101,-77.5,-6.0,centroide\n010201,B,0102,-78.0,-5.5,centroide\n", "SAR,,S,010101,-6,-77\n",
              thresholds)


def test_a_census_district_without_a_point_is_refused():
    with pytest.raises(DistrictPointsError, match="1 distrito del censo no tiene punto .010201."):
        _tiny("010101,A,0101,-77.5,-6.0,centroide\n", "SAR,,S,010101,-6,-77\n")


def test_nearest_km_without_centres_is_infinite():
    assert list(nearest_km([-6.0], [-77.0], [], [])) == [math.inf]
    assert nearest_km([-6.0], [-77.0], [-6.0], [-78.0])[0] == pytest.approx(_haversine(-6, -77, -6, -78))


def test_nearest_km_is_the_least_of_every_distance_to_the_last_bit():
    """The nearest centre is found by its haversine and only its distance is taken (0.17 -> 0.11 s per
    build): the same floats as the least of the whole matrix of distances, ties and zeros included."""
    import numpy as np

    rng = np.random.default_rng(20)
    lats, lons = rng.uniform(-18.4, -0.1, 2000), rng.uniform(-81.3, -68.7, 2000)
    assert_least_of_the_matrix(lats, lons, np.append(lats[:300], lats[0]), np.append(lons[:300], lons[0]))  # a twin


def test_nearest_km_of_points_halfway_between_two_centres_is_the_least_to_the_last_bit():
    """Centres as far from a point east and west, north and south of it: their cosines and their
    haversines differ only by rounding, and not always the same way; the least haversine is taken (this
    fails when only the largest cosine is a candidate: checked)."""
    import numpy as np

    rng = np.random.default_rng(24)
    lats, lons = rng.uniform(-18.4, -0.1, 600), rng.uniform(-81.3, -68.7, 600)
    step = rng.uniform(1e-4, 0.5, 600)
    centre_lats = np.concatenate([lats, lats, lats + step, lats - step])
    centre_lons = np.concatenate([lons + step, lons - step, lons, lons])
    assert_least_of_the_matrix(lats, lons, centre_lats, centre_lons)


def assert_least_of_the_matrix(lats, lons, centre_lats, centre_lons):
    """``nearest_km`` is, bit for bit, the row minimum of the whole points × centres matrix of distances."""
    import numpy as np

    from mimpmap.access import haversine_km

    matrix = haversine_km(lats[:, None], lons[:, None], centre_lats[None, :], centre_lons[None, :])
    assert np.array_equal(nearest_km(lats, lons, centre_lats, centre_lons), matrix.min(axis=1))
