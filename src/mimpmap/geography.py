"""Boundary files: read one, key each feature to a map unit, make it ready for the web.

:func:`read_boundaries` takes any polygon file geopandas reads (GeoJSON, GeoPackage, Shapefile) and
returns a :class:`Boundaries`: a GeoDataFrame in WGS84 indexed by unit code, with the columns
``nombre``, ``departamento``, ``ubigeo``, ``members`` (the atomic units a feature stands for:
``("PE-LMA",)``, or both Lima units where a file does not split Lima) and ``geometry``. The units,
their names and the Lima rules are the :class:`~mimpmap.levels.Level`'s (the departments unless told).

The steps, each in its own function:

1. open the file (:func:`_read`, through :mod:`mimpmap.readers.boundaries`: only GeoJSON,
   GeoPackage and Shapefile, told by content), choose its layer (:func:`_pick_layer`), read it and
   keep its polygons (:func:`_polygons`);
2. bring it to WGS84 (:func:`_to_wgs84`) and check it lies in Peru (:func:`_check_in_peru`);
3. choose the field that names the units, given or detected (:func:`_choose_key`, scored by :mod:`mimpmap.unitfields`),
   resolve every value with :func:`places.lookup`, as the coverage data is resolved, and refuse a file most of whose
   polygons name no unit (:func:`_check_resolved`: a province or district file);
4. repair invalid geometries and leave out degenerate ones (:func:`_repair`), settle what "Lima"
   means in this file (:func:`_settle_merge`), dissolve the features of each unit into one, and check
   each unit is drawable, in Peru and holds its capital (:func:`_check_units`);
5. if the geometry is too heavy for a web page, simplify all units together as one coverage, so
   shared borders stay shared (:mod:`mimpmap.webgeometry`); on the 1e-4° grid no unit may vanish
   (:func:`_check_drawable`).

Whatever happened on the way is told in Spanish in ``Boundaries.notes``; a file that cannot be used
raises :class:`GeoError` (:class:`ImplausibleBoundariesError` when it reads but cannot be right)
with what is wrong and how to fix it. Renderers never get an empty or degenerate unit.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from . import unitfields, webgeometry
from .errors import GeoError, ImplausibleBoundariesError, printable
from .levels import DEFAULT_LEVEL, Level, Merge, finer_level
from .readers import boundaries
from .readers.boundaries import FLAGS  # the options its messages name (--geo, --provincias)
from .text import join_words
from .webgeometry import Warning_

log = logging.getLogger("mimpmap")

#: A unit's capital may lie this far outside it (degrees, ≈ 5.5 km): coarse or simplified coasts.
CAPITAL_MARGIN = 0.05
#: More than this share of a file's polygons (and of its area) naming no unit: not a file of units.
MAX_UNRESOLVED = 0.5

_POLYGONAL = ("Polygon", "MultiPolygon")
#: The most polygon layers a GeoPackage may have for mimpmap to choose the one of units itself, and
#: the features of each it samples to choose (a department layer has about 26).
MAX_LAYERS = 50
SAMPLE_ROWS = 5000


@dataclass
class Boundaries:
    frame: gpd.GeoDataFrame
    path: Path
    key: str
    #: Atomic unit codes (of the level's) that no feature of the file stands for.
    missing: list[str] = field(default_factory=list)
    #: Things worth telling the user (repairs, reprojection, the detected key), in Spanish.
    notes: list[str] = field(default_factory=list)
    #: Values of the key field that name no unit (their features were left out).
    unresolved: list[str] = field(default_factory=list)
    #: The level the units are of.
    level: Level = DEFAULT_LEVEL

    @property
    def warnings(self) -> list[str]:
        """The notes that say something in the file was changed or left out."""
        return [note for note in self.notes if isinstance(note, Warning_)]

    @property
    def merged(self) -> list[str]:
        """Codes of the merged units the file has (``["PE-LIM+LMA"]`` when it does not split Lima)."""
        return [code for code in self.frame.index if code in self.level.merge_by_code]

    @property
    def lima_split(self) -> bool:
        """Whether the file draws the core of every merge on its own (Lima Metropolitana)."""
        return all(m.core in self.frame.index for m in self.level.merges)


@dataclass
class _Reading:
    """What one call of :func:`read_boundaries` carries along: the file, the level, the notes."""

    path: Path
    level: Level
    notes: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        self.notes.append(Warning_(message))


def default_geo_path(level: Level = DEFAULT_LEVEL) -> Path:
    """The level's boundary file (``geo/peru_departamentos.geojson``, ``geo/peru_provincias.geojson``) of
    the project, else the package's copy."""
    from importlib.resources import files

    from .inputs import INPUTS, project_path

    local = project_path(str(Path(INPUTS["geo"].local).with_name(level.files.boundaries)))
    return local if local.is_file() else Path(str(files("mimpmap") / "data" / level.files.boundaries))


def read_boundaries(path: Path | str | None = None, key: str | None = None, layer: str | None = None,
                    level: Level = DEFAULT_LEVEL) -> Boundaries:
    """Read a boundary file of ``level`` (its default file unless ``path``) and key each feature to its unit.

    ``key`` names the field that identifies each unit (a name, ISO 3166-2 code or UBIGEO); without
    it the field is detected. ``layer`` chooses a layer of a file that has several (a GeoPackage);
    without it the polygon layer whose features resolve best as units is used. Raises
    :class:`GeoError` when the file cannot be used.
    """
    run = _Reading(Path(path) if path is not None else default_geo_path(level), level)
    gdf = _read(run, layer, key)
    gdf = _polygons(gdf, run)
    gdf = _to_wgs84(gdf, run)
    _check_in_peru(gdf, run)
    key, codes = _choose_key(gdf, run, key)
    _check_not_coarser(gdf, codes, key, run)
    _check_resolved(gdf, codes, key, run)
    unresolved = _note_unresolved(gdf, codes, key, run)
    keep = [i for i, c in enumerate(codes) if c is not None]
    read = gdf.geometry.array
    geoms = [_repair(read[i], codes[i], run) for i in keep]
    values = gdf[key].iloc[keep].tolist()
    codes, geoms, values = _drop_degenerate([codes[i] for i in keep], geoms, values, run)
    for merge in level.merges:
        codes, geoms = _settle_merge(merge, codes, geoms, values, run)
    frame = _dissolve(codes, geoms, run)
    _check_units(frame, key, run)
    frame["geometry"] = webgeometry.web_ready(frame.geometry.array, run.notes)
    _check_drawable(frame, run)
    covered = {m for members in frame["members"] for m in members}
    missing = [c for c in level.codes if c not in covered]
    for note in run.notes:  # the CLI shows these through its log handler; a notebook reads .notes
        log.log(logging.WARNING if isinstance(note, Warning_) else logging.INFO, "%s", note)
    return Boundaries(frame=frame, path=run.path, key=key, missing=missing, notes=run.notes,
                      unresolved=unresolved, level=level)


def read_provinces(path: Path | str, key: str | None = None, layer: str | None = None) -> Boundaries:
    """The boundary file of the level that divides the map's (``--provincias``), read as the map's own is,
    its messages naming its own options: the provinces a service reaches in part and the gap maps draw."""
    from .inputs import INPUTS
    from .readers.files import PROVINCE_BOUNDARIES

    token = FLAGS.set(boundaries.Flags(PROVINCE_BOUNDARIES, *(o.flag for o in INPUTS["provinces"].options)))
    try:
        return read_boundaries(path, key, layer, level=finer_level(DEFAULT_LEVEL))
    finally:
        FLAGS.reset(token)


def provinces_or_default(given: "Boundaries | None") -> Boundaries:
    """``given`` (read with the inputs), else the provinces' default file (a coverage joined by hand)."""
    return given if given is not None else read_boundaries(level=finer_level(DEFAULT_LEVEL))


# --- 1. read ------------------------------------------------------------------------------------


def _read(run: _Reading, layer: str | None, key: str | None) -> gpd.GeoDataFrame:
    """The features of the file (of its layer of units), once its content says it is a format mimpmap
    reads (:func:`boundaries.open_source`: never a VRT, a link, or a path GDAL would read as more)."""
    path = run.path
    source = boundaries.open_source(path)
    try:
        gdf = boundaries.read_frame(source, _pick_layer(run, source, layer, key))
    except GeoError:
        raise
    except Exception as exc:  # pyogrio raises several types for unreadable files
        log.debug("reading %s failed: %r", path, exc)
        raise GeoError(f"'{path}' no se puede leer como archivo de límites (formato no reconocido o "
                       f"archivo dañado); {boundaries.FORMATS_FIX}") from None
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.geometry.name not in gdf.columns:
        raise GeoError(f"'{path}' no tiene geometrías; {boundaries.FORMATS_FIX}")
    if gdf.empty:
        raise GeoError(f"'{path}' no tiene ningún elemento (colección vacía); indique el archivo de "
                       f"{run.level.noun.many} con {FLAGS.get().file}")
    return gdf


def _pick_layer(run: _Reading, source: boundaries.Source, layer: str | None, key: str | None) -> str | None:
    """The layer to read: ``layer`` if given (and there), else in a file with several layers (a
    GeoPackage) the polygon layer whose features resolve best as units of the level."""
    if layer is None and not source.layered:
        return None
    layers = boundaries.layers(source)
    names = [name for name, _ in layers]
    if layer is not None:
        if layer not in names:
            raise GeoError(f"'{run.path}' no tiene la capa '{layer}'; sus capas son: {_listed(names)} (indíquela "
                           f"con {FLAGS.get().layer})")
        return layer
    polygonal = [name for name, kind in layers if "polygon" in kind.lower()]
    if len(layers) < 2 or not polygonal:
        return None
    if len(polygonal) > MAX_LAYERS:
        raise GeoError(f"'{run.path}' tiene {len(polygonal)} capas de polígonos, demasiadas para elegir la de "
                       f"{run.level.noun.many}; indíquela con {FLAGS.get().layer} (sus capas: {_listed(polygonal)})")
    tables = boundaries.samples(source, polygonal, SAMPLE_ROWS)
    best = max(polygonal, key=lambda name: (unitfields.layer_rank(tables[name], run.level, key), -polygonal.index(name)))
    reason = f" (la que identifica {run.level.noun.many})" if len(polygonal) > 1 else ""
    run.notes.append(f"Capa usada: {printable(best, one_line=True)}{reason} (el archivo tiene {len(layers)} capas; elija otra con "
                     f"{FLAGS.get().layer})")
    return best


def _listed(names: list[str], shown: int = 10) -> str:
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f" y {more} más" if more > 0 else "")


def _polygons(gdf: gpd.GeoDataFrame, run: _Reading) -> gpd.GeoDataFrame:
    """Only the polygonal part of each feature; features without one are left out."""
    geoms = np.array([_polygonal(g) for g in gdf.geometry.array], dtype=object)
    has = np.array([g is not None for g in geoms], dtype=bool)
    if not has.any():
        kinds = sorted({g.geom_type for g in gdf.geometry.array if g is not None and not g.is_empty})
        found = f"solo tiene {', '.join(kinds)}" if kinds else "no tiene geometrías"
        raise GeoError(f"'{run.path}' {found}, no polígonos; un archivo de límites debe tener los polígonos "
                       f"de {run.level.noun.the_many} (indíquelo con {FLAGS.get().file})")
    if not has.all():
        n = int((~has).sum())
        run.warn(f"Se {'omitió' if n == 1 else 'omitieron'} {n} "
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


def _to_wgs84(gdf: gpd.GeoDataFrame, run: _Reading) -> gpd.GeoDataFrame:
    path = run.path
    if gdf.crs is None:
        xmin, ymin, xmax, ymax = gdf.total_bounds
        if (-180 <= xmin and xmax <= 180 and -90 <= ymin and ymax <= 90
                and _overlaps(gdf.total_bounds, run.level.extent)):
            run.notes.append("El archivo no declara su sistema de coordenadas (CRS); sus coordenadas son "
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
    run.notes.append(f"Coordenadas reproyectadas de {name} a WGS84 (EPSG:4326)")
    return out


def _crs_name(crs) -> str:
    epsg = crs.to_epsg()
    return f"EPSG:{epsg} ({crs.name})" if epsg else crs.name


def _overlaps(bounds: Sequence[float], extent: Sequence[float]) -> bool:
    xmin, ymin, xmax, ymax = bounds
    pxmin, pymin, pxmax, pymax = extent
    return xmin <= pxmax and xmax >= pxmin and ymin <= pymax and ymax >= pymin


def _inside(bounds: Sequence[float], extent: Sequence[float]) -> bool:
    xmin, ymin, xmax, ymax = bounds
    pxmin, pymin, pxmax, pymax = extent
    return pxmin <= xmin and xmax <= pxmax and pymin <= ymin and ymax <= pymax


def _check_in_peru(gdf: gpd.GeoDataFrame, run: _Reading) -> None:
    """At least one polygon must be in or by Peru (the wrong file, or a wrong CRS, is not)."""
    if any(_overlaps(b, run.level.extent) for b in shapely.bounds(gdf.geometry.array)):
        return
    xmin, ymin, xmax, ymax = gdf.total_bounds
    raise GeoError(
        f"los polígonos de '{run.path}' están fuera del Perú (longitud {xmin:.6g} a {xmax:.6g}, latitud "
        f"{ymin:.6g} a {ymax:.6g}); indique el archivo de {run.level.noun.many} del Perú con {FLAGS.get().file}, o "
        "revise su sistema de coordenadas (CRS)"
    )


# --- 3. the key ---------------------------------------------------------------------------------


def _choose_key(gdf: gpd.GeoDataFrame, run: _Reading,
                key: str | None) -> tuple[str, list[tuple[str, ...] | None]]:
    """The key field and the codes each feature resolves to (``None`` where it does not)."""
    n, path, level = len(gdf), run.path, run.level
    if key is not None:
        column = unitfields.find_column(gdf, key)
        if column is None:
            best = unitfields.best(gdf, level)
            hint = f"; el campo {best.column} parece identificar {run.level.noun.the_many}" if best else ""
            raise GeoError(f"'{path}' no tiene el campo '{key}'; sus campos son: {_fields(gdf)}{hint}")
        chosen = unitfields.score(gdf, column, 0, level)
        if chosen.resolved == 0:
            best = unitfields.best(gdf, level)
            hint = f" (pruebe {FLAGS.get().key} {best.column})" if best else ""
            raise GeoError(
                f"'{path}', campo '{column}': ningún valor es {run.level.noun.a} del Perú "
                f"(p. ej. {_examples(gdf, column)}); indique con {FLAGS.get().key} el campo que tenga nombres "
                f"('Cusco'), códigos ISO ('PE-CUS') o UBIGEO ('08') de {run.level.noun.one}{hint}"
            )
        return column, chosen.codes
    best = unitfields.best(gdf, level)
    if best is None:
        shown = "; ".join(f"{c} ({_examples(gdf, c, 2)})" for c in gdf.columns if c != gdf.geometry.name)
        raise GeoError(
            f"'{path}': ningún campo identifica {run.level.noun.many} del Perú (campos: {shown or 'ninguno'}); "
            f"indique con {FLAGS.get().key} el campo que tenga nombres ('Cusco'), códigos ISO ('PE-CUS') o "
            f"UBIGEO ('08') de {run.level.noun.one}"
        )
    if not (best.column == unitfields.standard_key(level) and best.resolved == n):
        run.notes.append(f"Campo detectado: {printable(best.column, one_line=True)} ({best.resolved} de {n} valores son {run.level.noun.many})")
    return best.column, best.codes


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


def _check_resolved(gdf: gpd.GeoDataFrame, codes: list, key: str, run: _Reading) -> None:
    """Refuse a file most of whose polygons (by count and by area) name no unit: a file of provinces
    or districts keyed by their own names, where only the capital provinces happen to match."""
    bad = np.array([c is None for c in codes], dtype=bool)
    if bad.sum() <= MAX_UNRESOLVED * len(codes):
        return
    area = shapely.area(gdf.geometry.array)
    share = float(area[bad].sum() / area.sum()) if area.sum() > 0 else 1.0
    if share <= MAX_UNRESOLVED:
        return  # many small unnamed pieces (islands): left out with a warning
    examples = ", ".join(repr(v) for v in _distinct(_show(v) for v in gdf[key][bad].tolist())[:3])
    word = run.level.noun
    raise ImplausibleBoundariesError(
        f"{int(bad.sum())} de {len(codes)} polígonos ({share * 100:.0f} % del área) no son {word.many} según el "
        f"campo {key} (p. ej. {examples}): parece un archivo de {run.level.finer}, no de {word.many}",
        path=str(run.path),
        fix=f"indique el archivo de {word.many} con {FLAGS.get().file}, o con {FLAGS.get().key} un campo que diga {word.the} de "
            f"cada polígono{_such_as(run.level.key_examples)}, y sus polígonos se unirán por {word.one}",
    )


def _such_as(examples: str) -> str:
    return f" (p. ej. {examples})" if examples else ""


def _check_not_coarser(gdf: gpd.GeoDataFrame, codes: list, key: str, run: _Reading) -> None:
    """Refuse a file of the level above (departments read as provinces): more of its values name the
    parent's units than this level's, which only units named like their parent match ("Cusco")."""
    parent = run.level.parent
    if parent is None:
        return
    values = gdf[key].tolist()
    above = [v for v in values if unitfields.resolve_value(v, parent) is not None]
    if len(above) <= sum(c is not None for c in codes):
        return
    examples = ", ".join(repr(v) for v in _distinct(_show(v) for v in above)[:3])
    raise ImplausibleBoundariesError(
        f"{len(above)} de {len(values)} polígonos son {parent.noun.many} según el campo {key} (p. ej. {examples}): "
        f"parece un archivo de {parent.noun.many}, no de {run.level.noun.many}",
        path=str(run.path),
        fix=f"indique el archivo de {run.level.noun.many} con {FLAGS.get().file} (el de mimpmap es geo/{run.level.files.boundaries})",
    )


def _note_unresolved(gdf: gpd.GeoDataFrame, codes: list, key: str, run: _Reading) -> list[str]:
    unresolved = _distinct(_show(v) for v, c in zip(gdf[key].tolist(), codes) if c is None)
    n = sum(c is None for c in codes)
    if unresolved:
        run.warn(f"Se {'omitió' if n == 1 else 'omitieron'} {n} {'polígono' if n == 1 else 'polígonos'} "
                 f"cuyo valor en {key} no es {run.level.noun.a} del Perú: {', '.join(repr(v) for v in unresolved)}")
    return unresolved


# --- 4. repair, Lima, dissolve, check -----------------------------------------------------------


def _repair(geom: shapely.Geometry, codes: tuple[str, ...], run: _Reading) -> shapely.Geometry:
    """A valid polygon: invalid ones go through ``make_valid`` and keep only their polygons (an empty
    polygon if none is left: a degenerate ring of repeated points has no area to keep)."""
    if geom.is_valid:
        return geom
    reason = shapely.is_valid_reason(geom)
    fixed = _polygonal(shapely.make_valid(geom))
    if fixed is None:
        fixed = _polygonal(geom.buffer(0)) or shapely.Polygon()
    if not _degenerate(fixed):
        run.warn(f"Geometría inválida reparada: {run.level.name_of(codes)} ({reason})")
    return fixed


def _degenerate(geom: shapely.Geometry) -> bool:
    return geom.is_empty or not geom.area > 0


def _drop_degenerate(codes: list, geoms: list, values: list, run: _Reading) -> tuple[list, list, list]:
    """Leave out polygons with no area (repeated points, a line drawn as a ring). A unit left with
    none is an error: it would be drawn as nothing, or break the label placement of static maps."""
    bad = [i for i, g in enumerate(geoms) if _degenerate(g)]
    if not bad:
        return codes, geoms, values
    good = [i for i in range(len(geoms)) if i not in set(bad)]
    lost = _distinct(run.level.name_of(codes[i]) for i in bad if codes[i] not in {codes[j] for j in good})
    if lost:
        _refuse_empty(lost, "está vacía o es degenerada (sin área: puntos repetidos o una línea) y no se "
                            "puede reparar", run)
    names = _distinct(run.level.name_of(codes[i]) for i in bad)
    run.warn(f"Se omitieron polígonos degenerados (sin área) de: {', '.join(names)}")
    return [codes[i] for i in good], [geoms[i] for i in good], [values[i] for i in good]


def _refuse_empty(names: list[str], why: str, run: _Reading) -> None:
    raise ImplausibleBoundariesError(
        f"la geometría de {join_words(names)} {why}", path=str(run.path),
        fix=f"corrija esos polígonos (p. ej. en QGIS) o use otro archivo de límites con {FLAGS.get().file}",
    )


def _check_drawable(frame: gpd.GeoDataFrame, run: _Reading) -> None:
    """No unit may end empty once on the grid (a valid polygon smaller than 11 m collapses)."""
    empty = [run.level.name_of(m) for m, g in zip(frame["members"].tolist(), frame.geometry.array)
             if _degenerate(g)]
    if empty:
        _refuse_empty(empty, f"es demasiado pequeña: queda vacía al ajustar las coordenadas a {webgeometry.GRID:g}° "
                             "(≈ 11 m)", run)


def _settle_merge(merge: Merge, codes: list[tuple[str, ...]], geoms: list,
                  values: list, run: _Reading) -> tuple[list[tuple[str, ...]], list]:
    """What a merge ("Lima") means in this file.

    A file with the core (Lima Metropolitana): a feature named for the whole ("LIMA", "15") is the
    rest, Lima Provincias. A file without it: the merge's features are the whole if they hold the
    core's capital, else the rest (and the core is missing).
    """
    codes, geoms = list(codes), list(geoms)
    core, rest = run.level.unit(merge.core), run.level.unit(merge.rest)
    whole = [i for i, c in enumerate(codes) if len(c) > 1 and set(c) == set(merge.members)]
    cores = [i for i, c in enumerate(codes) if c == (merge.core,)]
    if cores:
        _rest_beside_core(whole, cores, geoms)
        for i in whole:
            codes[i] = (merge.rest,)
        # INEI's codes say so ("15" beside "1501"): only a name ("LIMA") is worth a note.
        named = [v for v in _distinct(_show(values[i]) for i in whole) if not v.strip()[:1].isdigit()]
        if named:
            run.notes.append(f"{', '.join(repr(v) for v in named)} se toma como {rest.nombre}: el archivo "
                             f"también tiene {core.nombre}")
        return codes, geoms
    ours = [i for i, c in enumerate(codes) if set(c) <= set(merge.members)]
    if _holds_core(merge, [geoms[i] for i in ours], bool(whole), run.level):
        for i in ours:
            codes[i] = merge.members
        run.notes.append(f"El archivo no separa {core.nombre} de {rest.nombre}: {merge.nombre} se dibuja "
                         f"como {run.level.noun.single} ({merge.code})")
        return codes, geoms
    if whole:
        shown = ", ".join(repr(v) for v in _distinct(_show(values[i]) for i in whole))
        run.notes.append(f"{shown} no llega al centro de {merge.nombre}: se toma como {rest.nombre} (el "
                         f"archivo no tiene {core.nombre})")
    for i in ours:
        codes[i] = (merge.rest,)
    return codes, geoms


def _holds_core(merge: Merge, geoms: list, named_whole: bool, level: Level) -> bool:
    """Whether a file without the core draws it inside the merge's features: they hold the core's
    capital (a level that knows none trusts a feature named for the whole)."""
    capital = level.capitals.get(merge.core)
    if capital is None:
        return named_whole
    return any(shapely.intersects_xy(g, capital.lon, capital.lat) for g in geoms)


def _rest_beside_core(whole: list[int], cores: list[int], geoms: list) -> None:
    """Features of the whole that overlap the core lose the core's area (in place)."""
    if not whole:
        return
    core = shapely.union_all([geoms[i] for i in cores])
    for i in whole:
        if geoms[i].intersection(core).area > 0.01 * core.area:
            geoms[i] = _polygonal(geoms[i].difference(core)) or geoms[i]


def _dissolve(codes: list[tuple[str, ...]], geoms: list, run: _Reading) -> gpd.GeoDataFrame:
    """One row per unit, in the level's order; several features of one unit become one geometry."""
    groups: dict[tuple[str, ...], list] = {}
    for c, g in zip(codes, geoms):
        groups.setdefault(c, []).append(g)
    rows, joined = [], []
    for members in sorted(groups, key=lambda c: run.level.order(c[0])):
        parts = groups[members]
        if len(parts) > 1:
            joined.append(f"{run.level.name_of(members)} ({len(parts)})")
        geometry = parts[0] if len(parts) == 1 else _polygonal(shapely.union_all(parts)) or parts[0]
        rows.append({**run.level.feature_row(members), "members": tuple(members), "geometry": geometry})
    if joined:
        run.notes.append(f"Varios polígonos por unidad, unidos en uno: {', '.join(joined)}")
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326").set_index("code")


def _check_units(frame: gpd.GeoDataFrame, key: str, run: _Reading) -> None:
    """Each unit lies in Peru and holds (or nearly holds) its capital; else the file is refused.

    This catches a unit whose coordinates were moved, and a key whose values happen to be codes of
    other units (row numbers read as UBIGEO: Callao drawn as Cajamarca).
    """
    units = list(zip(frame["members"].tolist(), frame.geometry.array))
    problems = [p for p in (_outside_peru(members, geom, run) for members, geom in units) if p]
    if not problems:
        problems = [p for p in (_misses_capital(members, geom, run) for members, geom in units) if p]
    if problems:
        raise ImplausibleBoundariesError(
            problems, path=str(run.path),
            fix=f"el campo {key} no identifica bien {run.level.noun.the_many}, o las coordenadas están "
                f"desplazadas; indique el campo correcto con {FLAGS.get().key} o corrija el archivo ({FLAGS.get().file})",
        )


def _outside_peru(members: tuple[str, ...], geom, run: _Reading) -> str | None:
    if _inside(geom.bounds, run.level.extent):
        return None
    xmin, ymin, xmax, ymax = geom.bounds
    return (f"{run.level.name_of(members)} está fuera del Perú (longitud {xmin:.1f} a {xmax:.1f}, latitud "
            f"{ymin:.1f} a {ymax:.1f})")


def _misses_capital(members: tuple[str, ...], geom, run: _Reading) -> str | None:
    """What is wrong with a unit that neither holds its capital(s) nor lies within
    :data:`CAPITAL_MARGIN` of it, naming the capitals it holds instead; ``None`` if nothing is."""
    capitals = run.level.capitals
    far = []
    for capital in (capitals[m] for m in members if m in capitals):
        if shapely.intersects_xy(geom, capital.lon, capital.lat):
            continue
        distance = shapely.distance(geom, shapely.Point(capital.lon, capital.lat))
        if distance > CAPITAL_MARGIN:
            km = f"{distance * 111:,.0f}".replace(",", ".")
            far.append(f"{capital.name} (longitud {capital.lon:.2f}, latitud {capital.lat:.2f}) queda a "
                       f"unos {km} km")
    if not far:
        return None
    held = [run.level.unit(c.code).nombre for c in capitals.values()
            if c.code not in members and shapely.intersects_xy(geom, c.lon, c.lat)]
    instead = f"; ese polígono tiene en cambio la capital de {join_words(held)}" if held else ""
    return f"{run.level.name_of(members)} no contiene su capital: {'; '.join(far)}{instead}"
