"""Boundary files: read one, key each feature to a map unit, make it ready for the web.

:func:`read_boundaries` takes any polygon file geopandas reads (GeoJSON, GeoPackage, Shapefile) and
returns a :class:`Boundaries`: a GeoDataFrame in WGS84 indexed by unit code, with the columns
``nombre``, ``departamento``, ``ubigeo``, ``members`` (the atomic units a feature stands for:
``("PE-LMA",)``, or both Lima units where a file does not split Lima) and ``geometry``.

The steps, each in its own function:

1. read the file (:func:`_read`) and keep its polygons (:func:`_polygons`);
2. bring it to WGS84 (:func:`_to_wgs84`) and check it lies in Peru (:func:`_check_in_peru`);
3. choose the field that names the units, given or detected (:func:`_choose_key`), and resolve
   every value with :func:`places.lookup`, as the coverage data is resolved;
4. repair invalid geometries, settle what "Lima" means in this file (:func:`_settle_lima`) and
   dissolve the features of each unit into one;
5. if the geometry is too heavy for a web page, simplify all units together as one coverage, so
   shared borders stay shared (:func:`simplify_coverage`).

Whatever happened on the way is told in Spanish in ``Boundaries.notes``; a file that cannot be used
raises :class:`GeoError` with what is wrong and how to fix it.
"""

from __future__ import annotations

import logging
import math
import numbers
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from . import places
from .errors import GeoError

log = logging.getLogger("mimpmap")

#: Properties of the shipped file, in order.
GEO_PROPERTIES = ("iso_3166_2", "ubigeo", "nombre", "departamento")
#: The key of the shipped file: used without a note when every feature resolves by it.
STANDARD_KEY = "iso_3166_2"

#: Where Peru is (lon min, lat min, lon max, lat max), with a margin for the sea and the borders.
NEAR_PERU = (-84.0, -21.0, -66.0, 2.0)
#: Plaza Mayor de Lima: a feature holding it holds Lima Metropolitana.
LIMA_CENTRE = (-77.0300, -12.0456)

#: Above this many vertices in total, the geometry is simplified for the web.
VERTEX_BUDGET = 20_000
#: What simplification aims at: about 150 KB of GeoJSON, like the shipped file (5,730 vertices).
TARGET_VERTICES = 7_000
#: The grid coordinates are rounded to, in degrees (1e-4° ≈ 11 m; 4 decimals in the JSON).
GRID = 1e-4
#: First ``coverage_simplify`` tolerance, in degrees (the shipped file's); raised until the target.
SIMPLIFY_TOLERANCE = 0.008
MAX_TOLERANCE = 0.2
#: Gaps narrower than this (degrees) between neighbours are closed when a coverage is cleaned.
GAP_WIDTH = 1e-3

# Field names that number rows rather than name places: they lose ties to any other field.
_ROW_ID = re.compile(r"^(?:fid|gid|oid|id|objectid|object_id|ogc_fid|orig_fid|rowid|index|cartodb_id)$", re.I)
_POLYGONAL = ("Polygon", "MultiPolygon")


@dataclass
class Boundaries:
    frame: gpd.GeoDataFrame
    path: Path
    key: str
    #: Atomic unit codes (of the 26) that no feature of the file stands for.
    missing: list[str] = field(default_factory=list)
    #: Things worth telling the user (repairs, reprojection, the detected key), in Spanish.
    notes: list[str] = field(default_factory=list)
    #: Values of the key field that name no department (their features were left out).
    unresolved: list[str] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        """The notes that say something in the file was changed or left out."""
        return [note for note in self.notes if isinstance(note, Warning_)]

    @property
    def lima_split(self) -> bool:
        return "PE-LMA" in self.frame.index


def default_geo_path() -> Path:
    """`geo/peru_departamentos.geojson` of the working directory, else the package's copy."""
    local = Path("geo/peru_departamentos.geojson")
    if local.is_file():
        return local
    from importlib.resources import files

    return Path(str(files("mimpmap") / "data" / "peru_departamentos.geojson"))


def read_boundaries(path: Path | str | None = None, key: str | None = None) -> Boundaries:
    """Read a Peru department boundary file and key each feature to its map unit.

    ``key`` names the field that identifies each unit (a name, ISO 3166-2 code or UBIGEO); without
    it the field is detected. Raises :class:`GeoError` when the file cannot be used.
    """
    path = Path(path) if path is not None else default_geo_path()
    notes: list[str] = []
    gdf = _read(path, notes)
    gdf = _polygons(gdf, path, notes)
    gdf = _to_wgs84(gdf, path, notes)
    _check_in_peru(gdf, path)
    key, codes = _choose_key(gdf, path, key, notes)

    geoms = list(gdf.geometry.array)
    keep = [i for i, c in enumerate(codes) if c is not None]
    unresolved = _distinct(_show(gdf[key].iloc[i]) for i in range(len(codes)) if codes[i] is None)
    if unresolved:
        n = len(codes) - len(keep)
        _warn(notes, f"Se {'omitió' if n == 1 else 'omitieron'} {n} "
                     f"{'polígono' if n == 1 else 'polígonos'} cuyo valor en {key} no es un "
                     f"departamento del Perú: {', '.join(repr(v) for v in unresolved)}")
    geoms = [_repair(geoms[i], codes[i], notes) for i in keep]
    codes = [codes[i] for i in keep]
    codes, geoms = _settle_lima(codes, geoms, gdf[key].iloc[keep].tolist(), notes)
    frame = _dissolve(codes, geoms, notes)
    frame["geometry"] = _web_ready(frame.geometry.array, notes)

    covered = {m for members in frame["members"] for m in members}
    missing = [c for c in places.ALL_CODES if c not in covered]
    for note in notes:  # the CLI shows these through its log handler; a notebook reads .notes
        log.log(logging.WARNING if isinstance(note, Warning_) else logging.INFO, "%s", note)
    return Boundaries(frame=frame, path=path, key=key, missing=missing, notes=notes, unresolved=unresolved)


# --- 1. read ------------------------------------------------------------------------------------


def _read(path: Path, notes: list[str]) -> gpd.GeoDataFrame:
    if not path.exists():
        raise GeoError(f"no existe el archivo de límites '{path}'; indique otro con --geo")
    if path.is_file() and path.stat().st_size == 0:
        raise GeoError(f"'{path}' está vacío (0 bytes); indique un archivo de límites con --geo")
    fix = "use un archivo de límites GeoJSON, GeoPackage o Shapefile (--geo)"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            layer = _pick_layer(path, notes)
            gdf = gpd.read_file(path, layer=layer) if layer is not None else gpd.read_file(path)
    except GeoError:
        raise
    except Exception as exc:  # pyogrio raises several types for unreadable files
        log.debug("reading %s failed: %r", path, exc)
        raise GeoError(f"'{path}' no se puede leer como archivo de límites (formato no reconocido o "
                       f"archivo dañado); {fix}") from None
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry.name not in gdf.columns:
        raise GeoError(f"'{path}' no tiene geometrías; {fix}")
    if gdf.empty:
        raise GeoError(f"'{path}' no tiene ningún elemento (colección vacía); indique el archivo de "
                       "departamentos con --geo")
    return gdf


def _pick_layer(path: Path, notes: list[str]) -> str | None:
    """In a file with several layers (a GeoPackage), the first polygon layer."""
    if path.suffix.lower() in (".geojson", ".json", ".shp"):
        return None
    import pyogrio

    layers = pyogrio.list_layers(path)
    if len(layers) < 2:
        return None
    polygonal = [str(name) for name, kind in layers if kind and "polygon" in str(kind).lower()]
    if not polygonal:
        return None
    notes.append(f"Capa usada: {polygonal[0]} (el archivo tiene {len(layers)} capas)")
    return polygonal[0]


def _polygons(gdf: gpd.GeoDataFrame, path: Path, notes: list[str]) -> gpd.GeoDataFrame:
    """Only the polygonal part of each feature; features without one are left out."""
    geoms = np.array([_polygonal(g) for g in gdf.geometry.array], dtype=object)
    has = np.array([g is not None for g in geoms], dtype=bool)
    if not has.any():
        kinds = sorted({g.geom_type for g in gdf.geometry.array if g is not None and not g.is_empty})
        found = f"solo tiene {', '.join(kinds)}" if kinds else "no tiene geometrías"
        raise GeoError(f"'{path}' {found}, no polígonos; un archivo de límites debe tener los polígonos "
                       "de los departamentos (indíquelo con --geo)")
    if not has.all():
        n = int((~has).sum())
        _warn(notes, f"Se {'omitió' if n == 1 else 'omitieron'} {n} "
                     f"{'elemento' if n == 1 else 'elementos'} sin polígono (puntos, líneas o vacíos)")
    gdf = gdf.loc[has].copy()
    geoms = geoms[has]
    if shapely.has_z(geoms).any():
        geoms = shapely.force_2d(geoms)
    gdf[gdf.geometry.name] = gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs)
    return gdf


def _polygonal(geom) -> shapely.Geometry | None:
    """``geom`` if it is a polygon, its polygons if it is a collection, else ``None``."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in _POLYGONAL:
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in _POLYGONAL and not p.is_empty]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else shapely.union_all(parts)


# --- 2. coordinates -----------------------------------------------------------------------------


def _to_wgs84(gdf: gpd.GeoDataFrame, path: Path, notes: list[str]) -> gpd.GeoDataFrame:
    if gdf.crs is None:
        xmin, ymin, xmax, ymax = gdf.total_bounds
        if -180 <= xmin and xmax <= 180 and -90 <= ymin and ymax <= 90 and _near_peru(gdf.total_bounds):
            notes.append("El archivo no declara su sistema de coordenadas (CRS); sus coordenadas son "
                         "grados dentro del Perú: se asume WGS84 (EPSG:4326)")
            return gdf.set_crs("EPSG:4326")
        raise GeoError(
            f"'{path}' no declara su sistema de coordenadas (CRS) y sus coordenadas (x {xmin:.6g} a "
            f"{xmax:.6g}, y {ymin:.6g} a {ymax:.6g}) no son grados del Perú; defina el CRS (p. ej. "
            f"el archivo .prj del Shapefile, o: ogr2ogr -a_srs EPSG:32718 salida.gpkg {path})"
        )
    if gdf.crs.equals("EPSG:4326", ignore_axis_order=True):
        return gdf if gdf.crs.to_epsg() == 4326 else gdf.set_crs("EPSG:4326", allow_override=True)
    name = _crs_name(gdf.crs)
    try:
        out = gdf.to_crs("EPSG:4326")
    except Exception as exc:
        raise GeoError(f"'{path}': no se pudo reproyectar de {name} a WGS84 (EPSG:4326): {exc}; "
                       "convierta el archivo a EPSG:4326") from None
    if not np.isfinite(out.total_bounds).all():
        raise GeoError(f"'{path}': al reproyectar de {name} a WGS84 resultaron coordenadas inválidas; "
                       "revise el sistema de coordenadas (CRS) del archivo")
    notes.append(f"Coordenadas reproyectadas de {name} a WGS84 (EPSG:4326)")
    return out


def _crs_name(crs) -> str:
    epsg = crs.to_epsg()
    return f"EPSG:{epsg} ({crs.name})" if epsg else crs.name


def _near_peru(bounds: Sequence[float]) -> bool:
    xmin, ymin, xmax, ymax = bounds
    pxmin, pymin, pxmax, pymax = NEAR_PERU
    return xmin <= pxmax and xmax >= pxmin and ymin <= pymax and ymax >= pymin


def _check_in_peru(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """At least one polygon must be in or by Peru (the wrong file, or a wrong CRS, is not)."""
    if any(_near_peru(b) for b in shapely.bounds(gdf.geometry.array)):
        return
    xmin, ymin, xmax, ymax = gdf.total_bounds
    raise GeoError(
        f"los polígonos de '{path}' están fuera del Perú (longitud {xmin:.6g} a {xmax:.6g}, latitud "
        f"{ymin:.6g} a {ymax:.6g}); indique el archivo de departamentos del Perú con --geo, o "
        "revise su sistema de coordenadas (CRS)"
    )


# --- 3. the key ---------------------------------------------------------------------------------


def resolve_value(value: object) -> tuple[str, ...] | None:
    """The unit codes a field value names, through :func:`places.lookup` like the coverage data.

    Numbers are welcome as numbers (15, 15.0, "15.0"); which runs of digits name a department is
    :func:`places.lookup`'s rule (a department's UBIGEO, or Lima Metropolitana's 1501).
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, numbers.Integral):
        text = str(int(value))
    elif isinstance(value, numbers.Real):
        if math.isnan(value) or not float(value).is_integer():
            return None
        text = str(int(value))
    elif isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"\d+\.0*", text):
            text = text.split(".")[0]
    else:
        return None
    return places.lookup(text) if text else None


@dataclass
class _Candidate:
    column: str
    codes: list[tuple[str, ...] | None]
    departments: int
    distinct: int
    resolved: int
    rank: tuple


def _score(gdf: gpd.GeoDataFrame, column: str, position: int) -> _Candidate:
    cache: dict[str, tuple[str, ...] | None] = {}
    codes = []
    textual = 0
    for value in gdf[column].tolist():
        token = repr(value)
        if token not in cache:
            cache[token] = resolve_value(value)
        codes.append(cache[token])
        if cache[token] is not None and isinstance(value, str) and not value.strip()[:1].isdigit():
            textual += 1
    found = [c for c in codes if c is not None]
    departments = len({places.UNIT_BY_ISO[c[0]].departamento for c in found})
    distinct = len(set(found))
    rank = (departments, distinct, len(found), column == STANDARD_KEY, not _ROW_ID.match(str(column)),
            textual * 2 > len(found), -position)
    return _Candidate(column, codes, departments, distinct, len(found), rank)


def _candidates(gdf: gpd.GeoDataFrame) -> list[_Candidate]:
    geometry = gdf.geometry.name
    columns = [c for c in gdf.columns if c != geometry]
    scored = [_score(gdf, c, i) for i, c in enumerate(columns)]
    return sorted(scored, key=lambda c: c.rank, reverse=True)


def _choose_key(gdf: gpd.GeoDataFrame, path: Path, key: str | None,
                notes: list[str]) -> tuple[str, list[tuple[str, ...] | None]]:
    """The key field and the codes each feature resolves to (``None`` where it does not)."""
    n = len(gdf)
    if key is not None:
        column = _find_column(gdf, key)
        if column is None:
            best = _best(gdf)
            hint = f"; el campo {best.column} parece identificar los departamentos" if best else ""
            raise GeoError(f"'{path}' no tiene el campo '{key}'; sus campos son: {_fields(gdf)}{hint}")
        chosen = _score(gdf, column, 0)
        if chosen.resolved == 0:
            best = _best(gdf)
            hint = f" (pruebe --geo-key {best.column})" if best else ""
            raise GeoError(
                f"'{path}', campo '{column}': ningún valor es un departamento del Perú "
                f"(p. ej. {_examples(gdf, column)}); indique con --geo-key el campo que tenga nombres "
                f"('Cusco'), códigos ISO ('PE-CUS') o UBIGEO ('08') de departamento{hint}"
            )
        return column, chosen.codes
    best = _best(gdf)
    if best is None:
        shown = "; ".join(f"{c} ({_examples(gdf, c, 2)})" for c in gdf.columns if c != gdf.geometry.name)
        raise GeoError(
            f"'{path}': ningún campo identifica departamentos del Perú (campos: {shown or 'ninguno'}); "
            "indique con --geo-key el campo que tenga nombres ('Cusco'), códigos ISO ('PE-CUS') o "
            "UBIGEO ('08') de departamento"
        )
    if not (best.column == STANDARD_KEY and best.resolved == n):
        notes.append(f"Campo detectado: {best.column} ({best.resolved} de {n} valores son departamentos)")
    return best.column, best.codes


def _best(gdf: gpd.GeoDataFrame) -> _Candidate | None:
    ranked = _candidates(gdf)
    return ranked[0] if ranked and ranked[0].resolved else None


def _find_column(gdf: gpd.GeoDataFrame, key: str) -> str | None:
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    if key in columns:
        return key
    folded = [c for c in columns if str(c).casefold() == key.casefold()]
    return folded[0] if len(folded) == 1 else None


def _fields(gdf: gpd.GeoDataFrame) -> str:
    return ", ".join(str(c) for c in gdf.columns if c != gdf.geometry.name) or "(ninguno)"


def _examples(gdf: gpd.GeoDataFrame, column: str, n: int = 3) -> str:
    values = _distinct(_show(v) for v in gdf[column].tolist())[:n]
    return ", ".join(repr(v) for v in values) or "sin valores"


def _show(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "(vacío)"
    return str(value)


def _distinct(values) -> list[str]:
    return list(dict.fromkeys(values))


# --- 4. repair, Lima, dissolve ------------------------------------------------------------------


def _unit_name(codes: tuple[str, ...]) -> str:
    if len(codes) > 1:
        return "Lima"
    return places.UNIT_BY_ISO[codes[0]].nombre


class Warning_(str):
    """A note that is a warning: something in the file was changed or left out."""


def _warn(notes: list[str], message: str) -> None:
    notes.append(Warning_(message))


def _repair(geom: shapely.Geometry, codes: tuple[str, ...], notes: list[str]) -> shapely.Geometry:
    """A valid polygon: invalid ones go through ``make_valid`` and keep only their polygons."""
    if geom.is_valid:
        return geom
    reason = shapely.is_valid_reason(geom)
    fixed = _polygonal(shapely.make_valid(geom))
    if fixed is None:
        fixed = _polygonal(geom.buffer(0)) or shapely.Polygon()
    _warn(notes, f"Geometría inválida reparada: {_unit_name(codes)} ({reason})")
    return fixed


def _settle_lima(codes: list[tuple[str, ...]], geoms: list, values: list,
                 notes: list[str]) -> tuple[list[tuple[str, ...]], list]:
    """What "Lima" means in this file.

    A file with Lima Metropolitana: a feature named for the whole department ("LIMA", "15") is the
    rest, Lima Provincias. A file without it: the Lima features are the whole department if they
    hold the centre of Lima, else Lima Provincias (and Lima Metropolitana is missing).
    """
    codes, geoms = list(codes), list(geoms)
    lma = [i for i, c in enumerate(codes) if c == ("PE-LMA",)]
    if lma:
        whole = [i for i, c in enumerate(codes) if len(c) > 1]
        metro = shapely.union_all([geoms[i] for i in lma]) if whole else None
        for i in whole:
            codes[i] = ("PE-LIM",)
            if geoms[i].intersection(metro).area > 0.01 * metro.area:
                geoms[i] = _polygonal(geoms[i].difference(metro)) or geoms[i]
        # INEI's codes say so ("15" beside "1501"): only a name ("LIMA") is worth a note.
        named = _distinct(_show(values[i]) for i in whole)
        named = [v for v in named if not v.strip()[:1].isdigit()]
        if named:
            notes.append(f"{', '.join(repr(v) for v in named)} se toma como Lima Provincias: el archivo "
                         "también tiene Lima Metropolitana")
        return codes, geoms
    lima = [i for i, c in enumerate(codes) if set(c) <= set(places.LIMA_CODES)]
    if any(shapely.intersects_xy(geoms[i], *LIMA_CENTRE) for i in lima):
        for i in lima:
            codes[i] = places.LIMA_CODES
    else:
        whole = _distinct(_show(values[i]) for i in lima if len(codes[i]) > 1)
        for i in lima:
            codes[i] = ("PE-LIM",)
        if whole:
            notes.append(f"{', '.join(repr(v) for v in whole)} no llega al centro de Lima: se toma como "
                         "Lima Provincias (el archivo no tiene Lima Metropolitana)")
    if any(len(c) > 1 for c in codes):
        notes.append("El archivo no separa Lima Metropolitana de Lima Provincias: Lima se dibuja como "
                     f"un solo departamento ({places.LIMA_DEPARTMENT})")
    return codes, geoms


def _dissolve(codes: list[tuple[str, ...]], geoms: list, notes: list[str]) -> gpd.GeoDataFrame:
    """One row per unit, in UBIGEO order; several features of one unit become one geometry."""
    groups: dict[tuple[str, ...], list] = {}
    for c, g in zip(codes, geoms):
        groups.setdefault(c, []).append(g)
    order = {c: i for i, c in enumerate(places.ALL_CODES)}
    rows, joined = [], []
    for members in sorted(groups, key=lambda c: order[c[0]]):
        parts = groups[members]
        if len(parts) > 1:
            joined.append(f"{_unit_name(members)} ({len(parts)})")
        geometry = parts[0] if len(parts) == 1 else _polygonal(shapely.union_all(parts)) or parts[0]
        if len(members) > 1:
            code, unit = places.LIMA_DEPARTMENT, None
        else:
            code, unit = members[0], places.UNIT_BY_ISO[members[0]]
        rows.append({
            "code": code,
            "nombre": unit.nombre if unit else "Lima",
            "departamento": unit.departamento if unit else "Lima",
            "ubigeo": unit.ubigeo if unit else "15",
            "members": tuple(members),
            "geometry": geometry,
        })
    if joined:
        notes.append(f"Varios polígonos por unidad, unidos en uno: {', '.join(joined)}")
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326").set_index("code")


# --- 5. web-ready geometry ----------------------------------------------------------------------


def _web_ready(geoms: Sequence, notes: list[str]) -> np.ndarray:
    """Light geometry stays as it is (the shipped file); heavy geometry is simplified as a coverage."""
    geoms = np.asarray(geoms, dtype=object)
    vertices = int(shapely.get_num_coordinates(geoms).sum())
    if vertices > VERTEX_BUDGET:
        out, message = simplify_coverage(geoms)
        notes.append(message)
        return out
    if not _on_grid(geoms):
        return _round(geoms)
    return geoms


def _on_grid(geoms: np.ndarray) -> bool:
    scaled = shapely.get_coordinates(geoms) / GRID
    return bool(np.abs(scaled - np.round(scaled)).max(initial=0) < 1e-6)


def _round(geoms: np.ndarray) -> np.ndarray:
    """Coordinates on the grid; a polygon that rounding would break is snapped properly instead."""
    out = shapely.set_precision(geoms, GRID, mode="pointwise")
    bad = ~shapely.is_valid(out)
    if bad.any():
        out[bad] = shapely.set_precision(geoms[bad], GRID)
    return out


def as_coverage(geoms: Sequence) -> tuple[np.ndarray, str]:
    """The polygons as a valid coverage, if that is within reach.

    First snapped to the :data:`GRID` (which also merges near-identical vertices of neighbours);
    if neighbours still overlap or their shared edges still differ, cleaned with
    ``shapely.coverage_clean``. Returns the polygons and how it went: ``"snapped"``, ``"cleaned"``,
    or ``"invalid"`` (the snapped polygons, when cleaning did not give a valid coverage either).
    """
    snapped = _round(np.asarray(geoms, dtype=object))
    if shapely.coverage_is_valid(snapped):
        return snapped, "snapped"
    clean = getattr(shapely, "coverage_clean", None)  # shapely 2.2 with GEOS 3.14 (Python 3.11+)
    try:
        cleaned = clean(snapped, gap_width=GAP_WIDTH, snapping_distance=GRID) if clean else None
    except shapely.errors.GEOSException:  # pragma: no cover - GEOS gives up on some inputs
        cleaned = None
    if cleaned is not None and not shapely.is_empty(cleaned).any() and shapely.coverage_is_valid(cleaned):
        return cleaned, "cleaned"
    return snapped, "invalid"


def simplify_coverage(geoms: Sequence, target: int = TARGET_VERTICES) -> tuple[np.ndarray, str]:
    """Simplify all units together (``shapely.coverage_simplify``) to about ``target`` vertices.

    Shared borders are simplified once, so neighbours stay edge to edge: no gaps, no overlaps.
    Coordinates end on the :data:`GRID`. Returns the geometries and a Spanish note.
    """
    geoms = np.asarray(geoms, dtype=object)
    before = int(shapely.get_num_coordinates(geoms).sum())
    coverage, how = as_coverage(geoms)
    tolerance = SIMPLIFY_TOLERANCE
    out = shapely.coverage_simplify(coverage, tolerance)
    while shapely.get_num_coordinates(out).sum() > target and tolerance < MAX_TOLERANCE:
        tolerance *= 1.5
        out = shapely.coverage_simplify(out, tolerance)
    out = _round(out)
    after = int(shapely.get_num_coordinates(out).sum())
    note = (f"Geometría simplificada para la web como una sola cobertura: {before} → {after} vértices "
            f"(tolerancia {tolerance:.3g}°)".replace(".", ","))
    if how == "cleaned":
        note += "; antes se corrigieron superposiciones y separaciones entre vecinos"
    if how == "invalid" or not shapely.coverage_is_valid(out):
        note += ("; los límites del archivo no coinciden exactamente entre vecinos, así que pueden "
                 "quedar pequeñas separaciones o superposiciones")
        note = Warning_(note)
    return out, note
