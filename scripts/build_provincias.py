#!/usr/bin/env python3
"""Build the province level's files: ``geo/peru_provincias.geojson`` and ``data/censo_2025.csv``.

Sources (public copies, see ``geo/README.md`` and ``data/README.md`` for their provenance and licences):

- INEI's 2016 province and district boundaries, simplified, from ``juaneladio/peru-geojson`` (commit
  3213eeb, MPL-2.0): ``peru_provincial_simple.geojson`` and ``peru_distrital_simple.geojson``;
- INEI, Censos Nacionales 2025, population by department, province and district (total, men, women),
  as transcribed by ``Rodasluis/Peru-maps`` (commit bd1924a, ``ejemplos/datos/censo.csv``).

From the repository root::

    python scripts/build_provincias.py [--sources DIR]

Steps (the script stops with an error if a check fails):

1. Verify each source's sha256 (:data:`SOURCES`).
2. Census: every count is a whole number, men + women = total on every row, districts sum exactly
   to their province and provinces to their department, the country's total is 34,157,732
   (17,292,074 women). Four rows have no name in the transcription (07 and 0701 Callao, 15 and 1501
   Lima, where the census prints blocks): they take the name the 2016 boundary file gives that code.
   Written as ``data/censo_2025.csv`` with integer counts.
3. Boundaries: the 197 province features are merged by code (0510 and 2001 come in two parts, the
   second with a misspelt name). Putumayo (1608), created in 2014 from Maynas (1601), has no
   feature of its own in 2016: its polygon is the union of the 2016 districts it was made of
   (160109 Putumayo and 160114 Teniente Manuel Clavero; Rosa Panduro and Yaguas were carved later
   from them) and Maynas keeps the rest. The 196 polygons then go through ``build_geo``'s steps:
   an exact coverage on a 1e-4° grid, ``shapely.coverage_simplify``, RFC 7946 rings.
4. The codes of the boundary file are exactly the census's 196 provinces; each polygon holds the
   representative point of its own source polygon.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import sys
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import shape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from build_geo import (  # noqa: E402
    GRID, BuildError, check_coverage, check_orientation, clean_coverage, geometry_dict, orient_and_round,
    polygonal, simplify_coverage)
from mimpmap.levels import DEPARTMENTS  # noqa: E402

DEFAULT_SOURCES = Path("/work/shared/sources")
GEO_OUTPUT = ROOT / "geo" / "peru_provincias.geojson"
CENSUS_OUTPUT = ROOT / "data" / "censo_2025.csv"

SOURCES = {
    "provincial": ("peru_provincial_2016.geojson",
                   "3663a2b58e52a6bba9c43acabe33e7d9bb065e54551edd9aa375a411fd0c7fa1"),
    "distrital": ("peru_distrital_2016.geojson",
                  "1eba0da33464b0818f05bfcf066672e6c9cf979ddc0549c8c2e9ca4d0122ac73"),
    "censo": ("censo_2025.csv", "56cf43a9e493dfc6daa0a801060ee2d1988c188d0b125e7fc4ab89a9e0ae7e8e"),
}
#: The country's population in the 2025 census (total = enumerated + omitted), and its women.
NATIONAL_TOTAL, NATIONAL_WOMEN = 34_157_732, 17_292_074
#: Putumayo province (2014) and the 2016 districts of Maynas it was made of.
PUTUMAYO, MAYNAS, PUTUMAYO_2016_DISTRICTS = "1608", "1601", ("160109", "160114")
#: ``coverage_simplify`` tolerance in degrees (≈ 0.5 km) and the area a province may lose or gain.
SIMPLIFY_TOLERANCE = 0.005
MAX_AREA_CHANGE = 0.03
#: A hole of the provinces' union larger than this (degrees², ≈ 1.2 km²) is water, not a gap.
MIN_LAKE = 1e-4
LEVELS = ("departamento", "provincia", "distrito")
HEADER_LINES = (
    "# titulo: Población 2025 por departamento, provincia y distrito",
    "# año: 2025",
    "# fuente: INEI, Censos Nacionales 2025, «Indicadores demográficos», cuadro INDDEM06: población total "
    "(censada más omitida), hombres y mujeres; transcrito por Rodasluis/Peru-maps (commit bd1924a, "
    "ejemplos/datos/censo.csv)",
)


def source(folder: Path, key: str) -> Path:
    name, expected = SOURCES[key]
    path = folder / name
    found = hashlib.sha256(path.read_bytes()).hexdigest()
    if found != expected:
        raise BuildError(f"{path}: sha256 {found}, expected {expected}")
    return path


def read_census(path: Path) -> list[dict]:
    rows = []
    for row in csv.DictReader(io.StringIO(path.read_text(encoding="ascii"))):
        counts = {}
        for column in ("total", "hombre", "mujer"):
            value = float(row[column])
            if value != int(value) or value < 0:
                raise BuildError(f"census {row['ubigeo']}: {column} {row[column]} is not a count")
            counts[column] = int(value)
        if counts["hombre"] + counts["mujer"] != counts["total"]:
            raise BuildError(f"census {row['ubigeo']}: men + women != total")
        if row["nivel"] not in LEVELS or len(row["ubigeo"]) != 2 * (LEVELS.index(row["nivel"]) + 1):
            raise BuildError(f"census {row['ubigeo']}: level {row['nivel']!r} does not fit the code")
        rows.append({"ubigeo": row["ubigeo"], "nivel": row["nivel"], "nombre": row["nombre"], **counts})
    check_census(rows)
    return sorted(rows, key=lambda r: r["ubigeo"])


def check_census(rows: list[dict]) -> None:
    """Each level sums exactly to the one above; the country to its published total."""
    by_code = {r["ubigeo"]: r for r in rows}
    for child_level, length in (("distrito", 4), ("provincia", 2)):
        sums: dict[str, np.ndarray] = {}
        for r in rows:
            if r["nivel"] == child_level:
                parent = r["ubigeo"][:length]
                sums[parent] = sums.get(parent, 0) + np.array([r["total"], r["mujer"]])
        for parent, (total, women) in sums.items():
            if parent not in by_code or (by_code[parent]["total"], by_code[parent]["mujer"]) != (total, women):
                raise BuildError(f"census {parent}: its {child_level}s do not sum to it")
    departments = [r for r in rows if r["nivel"] == "departamento"]
    if (sum(r["total"] for r in departments), sum(r["mujer"] for r in departments)) != (NATIONAL_TOTAL, NATIONAL_WOMEN):
        raise BuildError("census: the departments do not sum to the national total")


def census_text(rows: list[dict]) -> str:
    out = io.StringIO()
    out.write("\n".join(HEADER_LINES) + "\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["ubigeo", "nivel", "nombre", "total", "mujeres", "hombres"])
    for r in rows:
        writer.writerow([r["ubigeo"], r["nivel"], r["nombre"], r["total"], r["mujer"], r["hombre"]])
    return out.getvalue()


def boundary_names(features: list[dict]) -> dict[str, str]:
    """The names the 2016 province file (its ``features``) gives each province and department code."""
    names = {}
    for feature in features:
        p = feature["properties"]
        names.setdefault(p["FIRST_IDPR"], p["NOMBPROV"])
        names.setdefault(p["FIRST_IDPR"][:2], p["FIRST_NOMB"])
    return names


def name_missing(rows: list[dict], names: dict[str, str]) -> None:
    for row in rows:
        if not row["nombre"]:
            if row["ubigeo"] not in names:
                raise BuildError(f"census {row['ubigeo']}: no name in the census nor in the boundaries")
            row["nombre"] = names[row["ubigeo"]]


def province_geometries(features: list[dict], distrital: Path) -> dict[str, shapely.Geometry]:
    """The 2016 polygons (the province file's ``features``) by province code, duplicates merged,
    Putumayo split off Maynas."""
    parts: dict[str, list] = {}
    for feature in features:
        parts.setdefault(feature["properties"]["FIRST_IDPR"], []).append(shapely.make_valid(shape(feature["geometry"])))
    geoms = {code: shapely.union_all(p) for code, p in parts.items()}
    districts = [shapely.make_valid(shape(f["geometry"]))
                 for f in json.loads(distrital.read_text(encoding="utf-8"))["features"]
                 if f["properties"]["IDDIST"] in PUTUMAYO_2016_DISTRICTS and f["geometry"] is not None]
    if len(districts) != len(PUTUMAYO_2016_DISTRICTS) or PUTUMAYO in geoms:
        raise BuildError("Putumayo: the 2016 districts it was made of are not as expected")
    putumayo = shapely.union_all(districts)
    geoms[PUTUMAYO] = shapely.intersection(putumayo, geoms[MAYNAS])
    geoms[MAYNAS] = shapely.difference(geoms[MAYNAS], putumayo)
    return {code: polygonal(g) for code, g in sorted(geoms.items())}


def lakes(raw: np.ndarray) -> shapely.Geometry:
    """The holes of the provinces' union larger than :data:`MIN_LAKE` (Lake Junín between Junín and Pasco,
    lagoons of Puno): water no province holds, kept as holes rather than given to a neighbour."""
    union = shapely.union_all(raw)
    holes = [shapely.Polygon(ring) for part in shapely.get_parts(union) for ring in part.interiors]
    return shapely.union_all([h for h in holes if h.area > MIN_LAKE])


def build_geometries(geoms: dict[str, shapely.Geometry]) -> np.ndarray:
    raw = np.array(list(geoms.values()), dtype=object)
    water = lakes(raw)
    cleaned = np.array([polygonal(g) for g in shapely.difference(clean_coverage(raw), water, grid_size=GRID)],
                       dtype=object)
    n_lakes = len(shapely.get_parts(water))
    check_coverage(cleaned, "cleaning", raw, MAX_AREA_CHANGE, n_lakes)
    final = orient_and_round(np.asarray(simplify_coverage(cleaned, SIMPLIFY_TOLERANCE), dtype=object))
    check_coverage(final, "simplification", raw, MAX_AREA_CHANGE, n_lakes)
    check_orientation(final, "simplification")
    if not shapely.intersects(final, shapely.point_on_surface(raw)).all():
        raise BuildError("a province no longer holds its own source point")
    return final


def geojson_text(codes: list[str], geoms: np.ndarray, names: dict[str, str]) -> str:
    """Deterministic GeoJSON, one feature per line: the province's ubigeo, census name, department."""
    departments = {u.ubigeo: u.departamento for u in DEPARTMENTS.units if len(u.ubigeo) == 2}
    departments["15"] = "Lima"
    lines = []
    for code, geom in zip(codes, geoms, strict=True):
        feature = {"type": "Feature", "geometry": geometry_dict(geom),
                   "properties": {"ubigeo": code, "provincia": names[code], "departamento": departments[code[:2]],
                                  "ubigeo_departamento": code[:2]}}
        lines.append(json.dumps(feature, sort_keys=True, separators=(",", ":"), ensure_ascii=False))
    return '{"features":[\n' + ",\n".join(lines) + '\n],"type":"FeatureCollection"}\n'


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES)
    parser.add_argument("--geo-output", type=Path, default=GEO_OUTPUT)
    parser.add_argument("--census-output", type=Path, default=CENSUS_OUTPUT)
    args = parser.parse_args(argv)
    try:
        rows = read_census(source(args.sources, "censo"))
        features = json.loads(source(args.sources, "provincial").read_text(encoding="utf-8"))["features"]
        name_missing(rows, boundary_names(features))
        geoms = province_geometries(features, source(args.sources, "distrital"))
        provinces = {r["ubigeo"]: r["nombre"] for r in rows if r["nivel"] == "provincia"}
        if sorted(geoms) != sorted(provinces):
            raise BuildError(f"boundary codes differ from the census: {sorted(set(geoms) ^ set(provinces))}")
        final = build_geometries(geoms)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    args.census_output.write_text(census_text(rows), encoding="utf-8", newline="")
    args.geo_output.write_text(geojson_text(list(geoms), final, provinces), encoding="utf-8", newline="")
    print(f"{args.census_output}: {len(rows)} rows; {args.geo_output}: {len(final)} provinces, "
          f"{args.geo_output.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
