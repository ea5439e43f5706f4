"""What a file seems to be, from its first bytes, so that a file given for the wrong input (the coverage
file as population or centres, a GeoJSON as coverage, a census as centres, a workbook as boundaries, an
image, a download of the maps) is named for what it is, once, instead of being read as what it is not.
Every input's reader asks here (:func:`refuse_foreign`), and its messages say which option the file
goes with.

:func:`identify` knows the formats of mimpmap's own inputs and outputs and the files people confuse
with them; it says nothing (``None``) of plain text it does not recognise, which the reader then reads
as what was asked for and reports line by line.
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import zipfile
import zlib
from typing import NamedTuple

from ..errors import InputFileError
from ..layout import UNIT_HEAD
from .files import ALIKE, BOUNDARIES, CENSUS, CENTRES, COVERAGE, DISTRICTS, POPULATION, Kind
from .xlsx import CENTRES as CENTRE_COUNTS
from .xlsx import MAX_PART, SHEETS

#: How much of a file :func:`identify` looks at.
HEAD = 64 * 1024


class Seen(NamedTuple):
    """What a file seems to be: ``what`` in words ("un GeoPackage"), the input it could be (``kind``), and
    how to make it into one (``fix``), when a step is needed; the ``suffix`` its name should have."""

    what: str
    kind: Kind | None = None
    fix: str = ""
    suffix: str = ""


_EXPORT = ("para editar la cobertura en una hoja de cálculo, `mimpmap export cobertura.xlsx` da un libro que "
           "--data acepta")
_TO_GEOJSON = "conviértalo a GeoJSON o GeoPackage (p. ej. con QGIS u ogr2ogr)"
_DOWNLOAD = "de los mapas (una descarga: mimpmap la escribe en maps/datos/, no la lee)"

#: Leading bytes → what they say.
_MAGIC: tuple[tuple[bytes, Seen], ...] = (
    (b"\x89PNG\r\n\x1a\n", Seen("una imagen PNG")),
    (b"\xff\xd8\xff", Seen("una imagen JPEG")),
    (b"GIF8", Seen("una imagen GIF")),
    (b"%PDF-", Seen("un PDF")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", Seen(
        "un libro de Excel 97-2003 (.xls) u otro documento antiguo de Office", COVERAGE,
        fix="mimpmap no lee ese formato antiguo: ábralo en Excel o LibreOffice y guárdelo como .xlsx (Libro de "
            f"Excel); o bien, {_EXPORT}")),
    (b"SQLite format 3\x00", Seen("una base de datos SQLite")),
    (b"\x00\x00\x27\x0a", Seen("un Shapefile (.shp)", BOUNDARIES)),
    (b"\xff\xfe", Seen("un texto en UTF-16", fix="guárdelo con la codificación UTF-8")),
    (b"\xfe\xff", Seen("un texto en UTF-16", fix="guárdelo con la codificación UTF-8")),
)
#: GeoPackage's SQLite application ids (at byte 68): "GPKG", and "GP10"/"GP11" of its first versions.
_GEOPACKAGE_IDS = (b"GPKG", b"GP10", b"GP11")

#: The start of an XML document → what it is.
_XML: tuple[tuple[str, Seen], ...] = (
    ("<OGRVRTDataSource", Seen(
        "un VRT de GDAL (un archivo que remite a otros archivos o direcciones)", BOUNDARIES,
        fix="mimpmap no sigue esas remisiones: indique el archivo de límites mismo (GeoJSON, GeoPackage o "
            "Shapefile)")),
    ("<kml", Seen("un archivo KML", BOUNDARIES, fix=_TO_GEOJSON)),
    ("<gml:", Seen("un archivo GML", BOUNDARIES, fix=_TO_GEOJSON)),
    ("<wfs:", Seen("un archivo GML", BOUNDARIES, fix=_TO_GEOJSON)),
    ("<svg", Seen("una imagen SVG")),
    ("<html", Seen("una página HTML")),
)
_GEOJSON = re.compile(rb'"type"\s*:\s*"(?:FeatureCollection|Feature)"')
_TOPOJSON = re.compile(rb'"type"\s*:\s*"Topology"')
_COVERAGE_KEY = re.compile(r"^(?:programs|services)\s*:", re.M)
_SCHEMA = re.compile(rb'"\$schema"\s*:')
#: A sheet's name in a workbook's index (``xl/workbook.xml``) or its content (``content.xml``, OpenDocument).
_SHEET_NAME = re.compile(r"""<(?:\w+:)?(?:sheet|table)\b[^>]*?\b(?:table:)?name=["']([^"']*)["']""")
#: The coverage workbook's sheets that a centres workbook has not.
_COVERAGE_SHEETS = frozenset(sheet.name for sheet in SHEETS) - {CENTRE_COUNTS.name}
#: A CSV's header (folded) → the input it is the header of: the columns each reader cannot do without.
_HEADERS: tuple[tuple[frozenset[str], Kind], ...] = (
    (frozenset({"codigo", "poblacion"}), POPULATION),
    (frozenset({"ubigeo", "nivel", "mujeres", "hombres"}), CENSUS),
    (frozenset({"tipo", "nombre", "ubigeo", "lat", "lon"}), CENTRES),
    (frozenset({"ubigeo", "distrito", "lon", "lat", "punto"}), DISTRICTS),
)


def identify(data: bytes) -> Seen | None:
    """What a file's bytes say it is: its first :data:`HEAD` bytes, and all of a zip that is given whole
    (the sheets of a workbook)."""
    head = data[:HEAD]
    for magic, seen in _MAGIC:
        if head.startswith(magic):
            if magic.startswith(b"SQLite") and head[68:72] in _GEOPACKAGE_IDS:
                return Seen("un GeoPackage", BOUNDARIES)
            return seen
    if head.startswith(b"PK\x03\x04"):
        return _zip(data)
    if b"\x00" in head:
        return Seen("un archivo binario")
    return _text(head.decode("utf-8", "ignore").lstrip("\ufeff \t\r\n"), head)


def _zip(head: bytes) -> Seen:
    """A zip: a workbook, a document, a zipped Shapefile, by the names of its members."""
    names, mimetype, sheets = _zip_names(head)
    text = " ".join(names)
    if "xl/" in text:
        return _workbook("un libro de Excel (.xlsx)", ".xlsx", sheets)
    if b"opendocument.spreadsheet" in mimetype:
        return _workbook("una hoja de cálculo .ods", ".ods", sheets)
    if "word/" in text or b"opendocument.text" in mimetype:
        return Seen("un documento de texto (Word u OpenDocument)")
    if re.search(r"\.shp\b", text, re.I):
        return Seen("un Shapefile comprimido en un .zip", BOUNDARIES,
                    fix="descomprímalo e indique el archivo .shp (con sus .shx, .dbf y .prj al lado)")
    return Seen("un archivo comprimido (.zip)", fix="descomprímalo e indique el archivo que contiene")


def _workbook(what: str, suffix: str, sheets: set[str]) -> Seen:
    """A workbook, by its sheets: the coverage's has one of its sheets but 'centros' (which it has too: its
    counts); the centres' has 'centros' or one sheet alone; one of neither is no input's. Sheets unknown
    (only the head of a large file was read): the coverage's, the commoner."""
    if sheets & _COVERAGE_SHEETS:
        return Seen(f"{COVERAGE.what} en {what}", COVERAGE, suffix=suffix)
    if not sheets:
        return Seen(what, COVERAGE, suffix=suffix)
    if CENTRE_COUNTS.name in sheets or len(sheets) == 1:  # the centres' sheet has the same name
        return Seen(f"{CENTRES.what} en {what}", CENTRES, suffix=suffix)
    return Seen(what, suffix=suffix)


def _zip_names(head: bytes) -> tuple[list[str], bytes, set[str]]:
    """The names of a zip's members, its ``mimetype`` (OpenDocument's) and, for a workbook, its sheets'
    names (folded): read whole when ``head`` is the whole file, else the members' names from the local
    headers in ``head`` (each member is named before its data; an OpenDocument stores its mimetype
    first, uncompressed), and no sheets."""
    try:
        with zipfile.ZipFile(io.BytesIO(head)) as z:
            names = z.namelist()
            small = "mimetype" in names and z.getinfo("mimetype").file_size < 200
            index = next((n for n in ("xl/workbook.xml", "content.xml") if n in names), None)
            xml = ""
            if index:  # at most as much as the workbook's reader unpacks of one part (not a zip bomb)
                with z.open(index) as part:
                    xml = part.read(MAX_PART).decode("utf-8", "replace")
            return names, z.read("mimetype") if small else b"", {_fold(n) for n in _SHEET_NAME.findall(xml)}
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError, NotImplementedError, zlib.error):
        pass
    names = []
    at = head.find(b"PK\x03\x04")
    while at >= 0 and at + 30 <= len(head):
        size, extra = struct.unpack_from("<HH", head, at + 26)
        names.append(head[at + 30:at + 30 + size].decode("utf-8", "replace"))
        at = head.find(b"PK\x03\x04", at + 30 + size + extra)
    return names, head[:200], set()


def _text(text: str, head: bytes) -> Seen | None:
    if text.startswith("{"):
        if _GEOJSON.search(head):
            return Seen("un archivo de límites GeoJSON", BOUNDARIES)
        if _TOPOJSON.search(head):
            return Seen("un TopoJSON", BOUNDARIES, fix="conviértalo a GeoJSON (p. ej. con mapshaper)")
        if _SCHEMA.search(head):
            return Seen("un esquema JSON (como el que escribe `mimpmap schema`)")
        return None
    if text.startswith("<"):
        start = text[:4096].lower()
        for tag, seen in _XML:
            if tag.lower() in start:
                return seen
        return Seen("un archivo XML")
    first = _first_row(text)
    if first[:len(UNIT_HEAD)] == list(UNIT_HEAD):
        return Seen(f"la tabla cobertura.csv {_DOWNLOAD}", COVERAGE, fix=_EXPORT)
    if first[:3] == ["id", "nombre", "nombre corto"]:
        return Seen(f"la tabla servicios.csv {_DOWNLOAD}", COVERAGE, fix=_EXPORT)
    columns = {_fold(c) for c in first}
    for needed, kind in _HEADERS:
        if needed <= columns:
            return Seen(f"{kind.what} (CSV)", kind)
    if _COVERAGE_KEY.search(text):
        return Seen("un archivo de cobertura (YAML)", COVERAGE, suffix=".yaml")
    return None


def _first_row(text: str) -> list[str]:
    """The cells of the first line that is not a comment, split at commas or semicolons."""
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            return [cell.strip().strip('"').strip() for cell in re.split(r"[,;]", line)]
    return []


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return plain.casefold()


def wrong_kind(path: object, seen: Seen, expected: Kind) -> str:
    """The message for a file that is ``seen`` where ``expected`` was asked for: what it seems to be,
    where it goes or the step it needs, and what to give instead."""
    alike = ALIKE.get(seen.kind, (seen.kind,))
    if expected in alike:
        return f"'{path}' es {seen.what}; {seen.fix}"
    text = f"'{path}' parece {seen.what}, no {expected.what}"
    if seen.kind is None and seen.fix:
        text += f"; {seen.fix}"
    elif seen.kind is not None and not seen.fix:
        text += f" (ese archivo va con {' o '.join(kind.option for kind in alike)})"
    return f"{text}; indique {expected.what} con {expected.option}"


def refuse_foreign(path: object, head: bytes, expected: Kind, *, others_only: bool = False) -> Seen | None:
    """What ``head`` says the file is; raises :class:`InputFileError` when that is not ``expected`` (or
    needs a step first: a zipped Shapefile, an old .xls). ``others_only``: refuse only a file that is
    another input's (a workbook's reader says better what is wrong with a zip of no input)."""
    seen = identify(head)
    if seen is None or seen.kind is expected and not seen.fix or others_only and seen.kind is None:
        return seen
    raise InputFileError(wrong_kind(path, seen, expected), str(path))
