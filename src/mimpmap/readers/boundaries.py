"""Opening a boundary file without letting it open anything else.

GDAL reads dozens of formats, and some make it read other files or reach the network: a VRT names
other files (or ``/vsicurl/`` addresses), a GeoJSON's ``crs`` may be a link that GDAL downloads, a
GDALG file runs a pipeline. mimpmap reads only the formats it documents, told by their content and
not by their name, each with its own GDAL driver:

- **GeoJSON**: a JSON FeatureCollection, read with GDAL's GeoJSON driver named outright (``GeoJSON:``
  before the path); its ``crs`` members are checked first: a code PROJ knows, never a link;
- **GeoPackage**: SQLite with GeoPackage's tables; its layers are listed and sampled once with Python's
  sqlite3, read-only, so that a file with hundreds of layers is quick to choose from;
- **Shapefile**: a ``.shp`` that starts with the Shapefile's number.

Every file GDAL opens beside it (a Shapefile's ``.dbf``, ``.shx``, ``.prj``; a GeoPackage's ``-wal``)
must be a regular file: a FIFO there would hang the reading. A CRS the file declares but PROJ does not
know is refused: GDAL would read the coordinates as if they were degrees.
"""

from __future__ import annotations

import json
import os
import sqlite3
import warnings
from pathlib import Path
from contextvars import ContextVar
from typing import Any, NamedTuple

from ..errors import GeoError, InputFileError
from .files import BOUNDARIES, Kind, check_input, read_input
from .kinds import HEAD, identify, wrong_kind

GEOJSON, GEOPACKAGE, SHAPEFILE = "GeoJSON", "GPKG", "ESRI Shapefile"
#: The formats read, as the messages name them.
FORMATS = "GeoJSON, GeoPackage o Shapefile"


class Flags(NamedTuple):
    """What a boundary file is and the options that name it, its field of units and its layer, as
    messages say them."""

    kind: Kind = BOUNDARIES
    key: str = "--geo-key"
    layer: str = "--geo-layer"

    @property
    def file(self) -> str:
        return self.kind.option


#: The options of the boundary file being read: the departments' (``--geo``) unless
#: :func:`mimpmap.geography.read_boundaries` is reading another input's (``--provincias``).
FLAGS: ContextVar[Flags] = ContextVar("mimpmap_boundary_flags", default=Flags())


def formats_fix() -> str:
    """The fix of a file of no format read here: "use un archivo de límites GeoJSON, ... (--geo)"."""
    return f"use un archivo de límites {FORMATS} ({FLAGS.get().file})"


#: The largest GeoJSON read (its ``crs`` members are checked in Python first). A department file is a
#: few MB; INEI's districts at full detail are about 100 MB.
MAX_GEOJSON = 256 * 1024 * 1024
#: Files GDAL may open beside the one named: by suffix of the stem (Shapefile) or of the name.
SIDECARS = {SHAPEFILE: (".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".qpj", ".shp.xml"),
            GEOPACKAGE: ("-wal", "-shm", "-journal")}
#: How much work a GeoPackage's SQL may take while its layers are listed, sampled or counted, in
#: thousands of SQLite steps (about a second for 10,000): a view that never ends is stopped.
SQL_BUDGET = 30_000

#: The binary formats: leading bytes, driver, the suffix GDAL knows the driver by.
_BINARY = ((b"SQLite format 3\x00", GEOPACKAGE, ".gpkg"), (b"\x00\x00\x27\x0a", SHAPEFILE, ".shp"))
_GEOJSON_TYPES = {"FeatureCollection", "Feature", "Polygon", "MultiPolygon", "GeometryCollection", "Point",
                  "MultiPoint", "LineString", "MultiLineString"}


class Source(NamedTuple):
    """A boundary file known to be of one of :data:`FORMATS`: its path, its GDAL driver, and what GDAL
    is given to open it with that driver only."""

    path: Path
    driver: str
    gdal: str

    @property
    def layered(self) -> bool:
        return self.driver == GEOPACKAGE


def shown(path: Path, limit: int = 120) -> str:
    """A path as messages show it: a very long one cut in the middle."""
    text = str(path)
    return text if len(text) <= limit else f"{text[:60]}…{text[-40:]} ({len(text)} caracteres)"


def open_source(path: Path) -> Source:
    """The boundary file at ``path``, once its content says it is GeoJSON, a GeoPackage or a Shapefile.
    Raises :class:`InputFileError` (exit 2) for a path that is not a local regular file or a file of
    another kind, and :class:`GeoError` for one that is empty, damaged or declares a CRS by link or
    one PROJ does not know."""
    if str(path).replace("\\", "/").startswith("/vsi"):
        raise InputFileError(f"'{shown(path)}' es una ruta virtual de GDAL; mimpmap solo lee archivos de "
                             f"este equipo: descárguelo e indique el archivo con {FLAGS.get().file}", str(path))
    info, head = _check(path, HEAD)
    if info.st_size == 0:
        raise GeoError(f"'{shown(path)}' está vacío (0 bytes); indique un archivo de límites con {FLAGS.get().file}")
    driver = _driver(path, head)
    source = Source(path, driver, _gdal_path(path, driver))
    for sidecar in _sidecars(path, driver):
        _check(sidecar, 0)
    if driver == GEOJSON:
        _check_geojson(path)
    elif driver == GEOPACKAGE:
        layers(source)  # that it is one (a plain SQLite database has no layers table)
    return source


def _check(path: Path, head: int) -> tuple[os.stat_result, bytes]:
    try:
        return check_input(path, kind=FLAGS.get().kind, head=head)
    except InputFileError as exc:
        raise InputFileError(str(exc).replace(str(path), shown(path)), str(path)) from None


def _driver(path: Path, head: bytes) -> str:
    """The driver for what ``head`` says the file is. A GeoPackage or a Shapefile must have its suffix:
    by it GDAL picks the same driver (no other claims such a name)."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    seen = identify(head)
    for magic, driver, suffix in _BINARY:
        if head.startswith(magic):
            if path.suffix.lower() != suffix:
                raise InputFileError(f"'{shown(path)}' es {seen.what}: para leerlo como límites, su nombre debe "
                                     f"terminar en {suffix}", str(path))
            return driver
    if text.startswith(b"{") and (seen is None or seen.kind is BOUNDARIES and not seen.fix):
        return GEOJSON
    if seen is not None:
        raise InputFileError(wrong_kind(shown(path), seen, FLAGS.get().kind), str(path))
    raise GeoError(f"'{shown(path)}' no se puede leer como archivo de límites (formato no reconocido o archivo "
                   f"dañado); {formats_fix()}")


def _gdal_path(path: Path, driver: str) -> str:
    """What GDAL opens: the absolute path (never read as a connection string), the GeoJSON driver named."""
    absolute = os.path.abspath(path)
    return f"GeoJSON:{absolute}" if driver == GEOJSON else absolute


def _sidecars(path: Path, driver: str) -> list[Path]:
    """The files beside ``path`` that GDAL opens with it, whatever the case of their names."""
    ends = SIDECARS.get(driver, ())
    if not ends:
        return []
    stem, name = path.stem.casefold(), path.name.casefold()
    wanted = {stem + e for e in ends if e.startswith(".")} | {name + e for e in ends if e.startswith("-")}
    try:
        with os.scandir(path.parent) as entries:
            return [path.parent / e.name for e in entries if e.name.casefold() in wanted]
    except OSError:
        return []


# --- GeoJSON: the CRS it declares ------------------------------------------------------------------

def _check_geojson(path: Path) -> None:
    """A JSON document of GeoJSON's types whose ``crs`` members name a CRS PROJ knows (no links)."""
    raw = read_input(path, MAX_GEOJSON, FLAGS.get().kind)
    crs: list[dict] = []

    def collect(obj: dict) -> dict:
        if isinstance(obj.get("crs"), dict):
            crs.append(obj["crs"])
        return obj

    try:
        root = json.loads(raw.decode("utf-8-sig"), object_hook=collect)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        where = f" (línea {exc.lineno}, columna {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise GeoError(f"'{shown(path)}' no es un GeoJSON válido{where}: el archivo está dañado o cortado; "
                       f"expórtelo de nuevo (p. ej. desde QGIS) o use otro con {FLAGS.get().file}") from None
    if not isinstance(root, dict) or root.get("type") not in _GEOJSON_TYPES:
        raise GeoError(f"'{shown(path)}' es un JSON pero no un GeoJSON (le falta \"type\": "
                       f"\"FeatureCollection\"); {formats_fix()}")
    for member in crs:
        _check_crs_member(path, member)


def _check_crs_member(path: Path, member: dict) -> None:
    kind = str(member.get("type", "")).casefold()
    properties = member.get("properties") if isinstance(member.get("properties"), dict) else {}
    if kind in ("link", "url") or "href" in properties or "url" in properties:
        link = properties.get("href") or properties.get("url") or ""
        raise GeoError(f"'{shown(path)}' da su sistema de coordenadas (crs) como un enlace ({str(link)[:80]!r}), "
                       "que habría que descargar; mimpmap no descarga nada: escriba su código (p. ej. \"crs\": "
                       "{\"type\": \"name\", \"properties\": {\"name\": \"EPSG:32718\"}}) o quite el crs si las "
                       "coordenadas son grados (WGS84)")
    name = properties.get("name") if kind == "name" else (
        f"EPSG:{properties.get('code')}" if kind == "epsg" else None)
    if not isinstance(name, str) or not known_crs(name):
        unknown_crs(path, repr(name) if name is not None else json.dumps(member, ensure_ascii=False)[:80])


def known_crs(text: str) -> bool:
    """Whether PROJ knows the CRS ``text`` names (offline: PROJ's own database)."""
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        CRS.from_user_input(text)
    except (CRSError, ValueError, TypeError):
        return False
    return True


def unknown_crs(path: Path, declared: str) -> None:
    """Refuse a file whose CRS PROJ does not know: its coordinates cannot be placed."""
    raise GeoError(f"'{shown(path)}' declara un sistema de coordenadas (CRS) que no existe o que mimpmap no "
                   f"conoce: {declared}; corrija el código (p. ej. EPSG:4326 para grados, EPSG:32718 para UTM "
                   "18 Sur) o vuelva a exportar el archivo con su CRS")


# --- layers ----------------------------------------------------------------------------------------

def layers(source: Source) -> list[tuple[str, str]]:
    """Each layer's name and geometry type (``"MultiPolygon"``; ``""`` for a table without geometry)."""
    if not source.layered:
        import pyogrio

        return [(str(name), str(kind or "")) for name, kind in pyogrio.list_layers(source.gdal)]
    with _GeoPackage(source) as db:
        rows = db.rows("SELECT c.table_name, COALESCE(g.geometry_type_name, '') FROM gpkg_contents c LEFT JOIN "
                       "gpkg_geometry_columns g ON g.table_name = c.table_name WHERE c.data_type IN ('features', "
                       "'attributes') ORDER BY c.rowid")
    return [(str(name), str(kind)) for name, kind in rows]


def samples(source: Source, names: list[str], rows: int) -> dict[str, Any]:
    """The attributes (no geometry) of the first ``rows`` features of each layer of a GeoPackage named,
    as DataFrames, read in one pass (GDAL would open the whole file again for each layer)."""
    import pandas as pd

    out = {}
    with _GeoPackage(source) as db:
        geometry = dict(db.rows("SELECT table_name, column_name FROM gpkg_geometry_columns"))
        for name in names:
            info = db.rows(f"PRAGMA table_info({_quoted(name)})")
            columns = [c[1] for c in info if c[1] != geometry.get(name) and not c[5]]  # not geometry, not the fid
            found = db.rows(f"SELECT {', '.join(map(_quoted, columns)) or 'NULL'} FROM {_quoted(name)} "
                            f"LIMIT {int(rows)}")
            out[name] = pd.DataFrame.from_records(found, columns=columns) if columns else pd.DataFrame(
                index=range(len(found)))
    return out


def declared_srs(source: Source, layer: str | None) -> int | None:
    """The srs_id a GeoPackage layer declares, if it declares one (0 and -1 mean "undefined")."""
    if not source.layered:
        return None
    with _GeoPackage(source) as db:
        found = db.rows("SELECT srs_id FROM gpkg_geometry_columns" + (" WHERE table_name = ?" if layer else ""),
                        (layer,) if layer else ())
    srs = found[0][0] if found else None
    return srs if isinstance(srs, int) and srs not in (0, -1) else None


def _quoted(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


class _GeoPackage:
    """A GeoPackage opened read-only and immutable (nothing beside it is read or written), with one bound
    on the work its SQL may take: a view that never ends (a recursive query) is stopped, not waited for."""

    def __init__(self, source: Source):
        self.source = source
        self.steps = 0

    def __enter__(self) -> "_GeoPackage":
        uri = Path(os.path.abspath(self.source.path)).as_uri() + "?mode=ro&immutable=1"
        try:
            self.con = sqlite3.connect(uri, uri=True)
            self.con.execute("PRAGMA trusted_schema = OFF")
        except sqlite3.Error:
            raise self._error() from None
        self.con.set_progress_handler(self._budget, 1000)
        return self

    def __exit__(self, *exc: object) -> None:
        self.con.close()

    def _budget(self) -> int:
        self.steps += 1
        return int(self.steps > SQL_BUDGET)

    def rows(self, sql: str, parameters: tuple = ()) -> list[tuple]:
        try:
            return self.con.execute(sql, parameters).fetchall()
        except sqlite3.Error:
            raise self._error() from None

    def _error(self) -> GeoError:
        if self.steps > SQL_BUDGET:
            return GeoError(f"'{shown(self.source.path)}': una capa no termina de leerse (una vista que no acaba); "
                            f"indique otra capa con {FLAGS.get().layer}, o use otro archivo con {FLAGS.get().file}")
        return GeoError(f"'{shown(self.source.path)}' no se puede leer como GeoPackage (una base de datos SQLite "
                        f"sin las tablas de un GeoPackage, o dañada); {formats_fix()}")


def check_layer(source: Source, layer: str | None) -> None:
    """That the features of a GeoPackage's layer can be counted within the bound (GDAL would read a
    view that never ends for ever)."""
    if source.layered:
        name = layer if layer is not None else layers(source)[0][0]
        with _GeoPackage(source) as db:
            db.rows(f"SELECT count(*) FROM {_quoted(name)}")


# --- reading ---------------------------------------------------------------------------------------

def read_frame(source: Source, layer: str | None = None):
    """The GeoDataFrame of ``layer`` (or of the only layer) with its driver; a CRS the file declares but
    GDAL could not read is refused."""
    import geopandas as gpd
    from pyogrio.errors import CRSError

    check_layer(source, layer)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            gdf = gpd.read_file(source.gdal, layer=layer) if layer is not None else gpd.read_file(source.gdal)
    except CRSError:
        unknown_crs(source.path, _declared(source, layer) or "ilegible")
    if isinstance(gdf, gpd.GeoDataFrame) and gdf.crs is None and (declared := _declared(source, layer)):
        unknown_crs(source.path, declared)
    return gdf


def _declared(source: Source, layer: str | None) -> str:
    """What a GeoPackage or Shapefile says its CRS is ("" when it says nothing)."""
    if source.driver == SHAPEFILE:
        prj = [p for p in _sidecars(source.path, SHAPEFILE) if p.suffix.casefold() == ".prj"]
        text = read_input(prj[0], 64 * 1024, FLAGS.get().kind).decode("utf-8", "replace").strip() if prj else ""
        return f"el archivo {prj[0].name} dice {text[:80]!r}" if text else ""
    srs = declared_srs(source, layer)
    return f"srs_id {srs} de la tabla gpkg_spatial_ref_sys" if srs is not None else ""
