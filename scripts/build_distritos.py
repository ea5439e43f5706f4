#!/usr/bin/env python3
"""Build ``geo/peru_distritos_puntos.csv``: one point per district of the 2025 census, for distances.

Sources (provenance and licence in ``geo/README.md``):

- INEI's 2016 district boundaries, simplified, from ``juaneladio/peru-geojson`` (commit 3213eeb, MPL-2.0):
  ``peru_distrital_simple.geojson``, checked by its sha256;
- the project's own ``data/censo_2025.csv`` (the 1,892 districts of the 2025 census, their names) and
  ``geo/peru_provincias.geojson`` (the 196 provinces, for the districts without a 2016 polygon).

From the repository root::

    python scripts/build_distritos.py [--sources DIR]

Which point (column ``punto``):

- ``centroide``: the centroid of the district's 2016 polygon, when it lies inside the polygon. The
  centroid is the centre of the district's area (the point with the least mean squared distance to
  it): with no map of where people live, the most neutral stand-in for them. (The district capital
  would be better, but the sources give only its name, not its position.)
- ``punto_interior``: where the centroid falls outside its own polygon (a crescent, a district made of
  islands), shapely's ``point_on_surface``, a point certainly inside it. Not used everywhere because
  GEOS places it on the widest horizontal run across the polygon, which can lie near an edge.
- ``provincia``: districts of the 2025 census without a 2016 polygon (created after 2016, or whose
  2016 feature has no geometry) take the point of their province (the same rule on the province's
  polygon in ``geo/peru_provincias.geojson``). They are flagged so, and counted by the script.

Putumayo's districts were renumbered when the province was created (2014): 2016's 160109 Putumayo and
160114 Teniente Manuel Clavero are the census's 160801 and 160803 (:data:`RENUMBERED`).

Lon/lat are WGS84 degrees rounded to 5 decimals (about 1 m). The output is deterministic.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

import shapely
from shapely.geometry import shape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from build_geo import BuildError  # noqa: E402
from build_provincias import DEFAULT_SOURCES, source  # noqa: E402

OUTPUT = ROOT / "geo" / "peru_distritos_puntos.csv"
CENSUS = ROOT / "data" / "censo_2025.csv"
PROVINCES = ROOT / "geo" / "peru_provincias.geojson"
#: Census 2025 code → the 2016 code of the same district (renumbered with Putumayo province, 2014).
RENUMBERED = {"160801": "160109", "160803": "160114"}
DECIMALS = 5
#: How far (degrees, about 5.5 km) a point may lie outside its province in ``geo/peru_provincias.geojson``,
#: which is simplified and leaves lakes out: the 2016 polygons of Tinicachi and Unicachi (Yunguyo, Puno)
#: take in part of Lake Titicaca, and their centroids lie in it, 5.1 and 4.0 km from the shore.
NEAR_PROVINCE = 0.05
COLUMNS = ("ubigeo", "distrito", "provincia", "lon", "lat", "punto")
HEADER_LINES = (
    "# titulo: Un punto por distrito del censo 2025, para medir distancias en línea recta",
    "# fuente: límites distritales del INEI de 2016 (simplificados), juaneladio/peru-geojson, commit 3213eeb, "
    "peru_distrital_simple.geojson; distritos del INEI, Censos Nacionales 2025",
    "# licencia: MPL-2.0 (geo/LICENSE-MPL-2.0.txt); un archivo derivado de la fuente",
    "# punto: centroide del polígono de 2016 si cae dentro de él; si no, punto_interior (point_on_surface); "
    "provincia: el distrito no tiene polígono en 2016 y toma el punto de su provincia",
    "# Lo genera scripts/build_distritos.py (ver geo/README.md); no se edita a mano.",
)


def census_districts(path: Path) -> dict[str, str]:
    """Census 2025 district code → its name, from the project's census file."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return {row["ubigeo"]: row["nombre"] for row in csv.DictReader(lines) if row["nivel"] == "distrito"}


def district_geometries(path: Path) -> dict[str, shapely.Geometry]:
    """2016 district code → its polygon; features without geometry are left out."""
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    geoms = {}
    for feature in features:
        code = feature["properties"]["IDDIST"]
        if code in geoms:
            raise BuildError(f"district {code} appears twice in {path}")
        if feature["geometry"] is not None:
            geoms[code] = shapely.make_valid(shape(feature["geometry"]))
    return geoms


def province_geometries(path: Path) -> dict[str, shapely.Geometry]:
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return {f["properties"]["ubigeo"]: shape(f["geometry"]) for f in features}


def point_of(geom: shapely.Geometry) -> tuple[shapely.Point, str]:
    """The centroid if inside ``geom``, else its representative point; and which it is."""
    centroid = shapely.centroid(geom)
    if shapely.contains(geom, centroid):
        return centroid, "centroide"
    return shapely.point_on_surface(geom), "punto_interior"


def district_rows(names: dict[str, str], districts: dict[str, shapely.Geometry],
                  provinces: dict[str, shapely.Geometry]) -> list[list[str]]:
    rows = []
    for code in sorted(names):
        geom = districts.get(RENUMBERED.get(code, code))
        if geom is not None:
            point, kind = point_of(geom)
        else:
            point, _ = point_of(provinces[code[:4]])
            kind = "provincia"
        rows.append([code, names[code], code[:4], f"{point.x:.{DECIMALS}f}", f"{point.y:.{DECIMALS}f}", kind])
    return rows


def check(rows: list[list[str]], districts: dict[str, shapely.Geometry],
          provinces: dict[str, shapely.Geometry]) -> None:
    """Each point lies inside its own district's 2016 polygon (when it has one) and its province's."""
    for code, _, province, lon, lat, kind in rows:
        x, y = float(lon), float(lat)
        own = districts.get(RENUMBERED.get(code, code))
        if own is not None and not shapely.intersects_xy(own, x, y):
            raise BuildError(f"district {code}: its point ({lon}, {lat}) is outside its polygon")
        if shapely.distance(provinces[province], shapely.Point(x, y)) > NEAR_PROVINCE:
            raise BuildError(f"district {code}: its point ({lon}, {lat}) is outside its province {province}")


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    out.write("\n".join(HEADER_LINES) + "\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, default=DEFAULT_SOURCES)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    try:
        names = census_districts(CENSUS)
        districts = district_geometries(source(args.sources, "distrital"))
        provinces = province_geometries(PROVINCES)
        rows = district_rows(names, districts, provinces)
        check(rows, districts, provinces)
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    args.output.write_text(csv_text(rows), encoding="utf-8", newline="")
    kinds = {kind: sum(1 for r in rows if r[-1] == kind) for kind in ("centroide", "punto_interior", "provincia")}
    print(f"{args.output}: {len(rows)} districts; " + ", ".join(f"{k} {n}" for k, n in kinds.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
