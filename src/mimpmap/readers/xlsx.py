"""The workbook reader: an ``.xlsx`` file (as ``mimpmap export`` writes it) → the same plain document
as the YAML reader, with the sheet, row and column of every part.

The layout of the workbook is :data:`SHEETS`: one sheet per kind of thing, one row per thing, one
column per field. ``mimpmap.workbook`` writes the same layout. Rows of the sheets below ``servicios``
name their service in the column ``servicio``; their order within a service is the order of the list.

The file is screened before any XML is parsed: it must be a zip of a sane unpacked size, without
macros (``vbaProject.bin``), like every other input (see :mod:`.files`). :mod:`.ods` reads the same
layout from an OpenDocument spreadsheet: both give :func:`assemble` the rows of every sheet.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable

from ..errors import DataError
from ..levels import DEFAULT_LEVEL, DEPARTMENT_COLUMN
from ..text import closest, join_words, number as number_text
from .base import Document

#: The largest unpacked size of a workbook. The exported shipped data unpacks to about 200 KB; a
#: zip bomb (a few KB that unpack to gigabytes) is refused before it is opened.
MAX_UNPACKED = 50 * 1024 * 1024
MAX_MEMBERS = 1000
#: The largest unpacked part (a sheet's XML, the shared texts; the export's largest is about 20 KB).
MAX_PART = 10 * 1024 * 1024
#: The longest text of a cell: Excel's own limit, so no workbook saved by a spreadsheet passes it.
MAX_CELL = 32_767


@dataclass(frozen=True)
class Column:
    header: str
    #: The field of the model it holds (``from`` for a period's first month).
    key: str
    #: How a cell is read: text, int, float, month, months_closed, coverage, kind, cls.
    kind: str = "text"
    #: Width in characters (the writer's; the reader ignores it).
    width: int = 14
    #: What it holds, for the ``léame`` sheet.
    help: str = ""


@dataclass(frozen=True)
class Sheet:
    name: str
    help: str
    columns: tuple[Column, ...]
    #: Its rows belong to a service (first column ``servicio``).
    per_service: bool = True


SERVICE = Column("servicio", "service", "text", 16, "el id del servicio (hoja 'servicios')")

GENERAL = Sheet("general", "Los datos del archivo: título, editor y fuente (una fila por dato).", (
    Column("campo", "field", "text", 14, "título, editor o fuente"),
    Column("valor", "value", "text", 110, "su texto"),
), per_service=False)
#: The rows of the ``general`` sheet: label → field.
GENERAL_FIELDS = {"título": "title", "editor": "publisher", "fuente": "source"}

PROGRAMS = Sheet("programas", "Los programas del MIMP que tienen servicios (AURORA, INABIF...).", (
    Column("id", "id", "text", 12, "identificador: minúsculas, dígitos y guiones"),
    Column("sigla", "short_name", "text", 12, "AURORA, INABIF..."),
    Column("nombre", "name", "text", 60, "nombre completo"),
    Column("descripción", "description", "text", 80, "qué hace (opcional)"),
), per_service=False)

SERVICES = Sheet("servicios", "Un servicio por fila, en el orden de los mapas.", (
    Column("id", "id", "text", 22, "identificador: minúsculas, dígitos y guiones (p. ej. linea-100); "
           "nombra el mapa servicios/<id>.html"),
    Column("programa", "program", "text", 11, "el id de su programa (hoja 'programas')"),
    Column("nombre", "name", "text", 40, "nombre completo"),
    Column("sigla", "short_name", "text", 14, "sigla o nombre corto (opcional)"),
    Column("descripción", "description", "text", 80, "qué es el servicio"),
    Column("cobertura", "coverage", "coverage", 40, f"'nacional' o {DEFAULT_LEVEL.noun.many} separados por comas, p. ej. "
           "Cusco, Lima Metropolitana"),
    Column("texto de cobertura", "coverage_text", "text", 40, "la cobertura en palabras, como la da la fuente "
           f"(opcional; debe nombrar los mismos {DEFAULT_LEVEL.noun.many})"),
    Column("fuente", "source", "text", 50, "de dónde vienen los datos del servicio (opcional)"),
), per_service=False)

PERIODS = Sheet("periodos", "Los periodos de las cifras de cada servicio, en orden (el primero es la "
                "columna 'valor 1' de la hoja 'cifras').", (
    SERVICE,
    Column("etiqueta", "label", "text", 18, "como lo da la fuente: Año 2020, Ene - Oct 2021"),
    Column("nota", "note", "text", 8, "marca de nota al pie (hoja 'notas'), p. ej. 1/"),
    Column("desde", "from", "month", 10, "primer mes: 2020-01"),
    Column("hasta", "to", "month", 10, "último mes: 2020-12"),
    Column("meses", "months", "int", 8, "cuántos meses dura, si no se dan desde y hasta"),
    Column("meses cerrados", "months_closed", "months_closed", 32, "meses sin servicio: cuántos (3) o cuáles "
           "(2020-04, 2020-05), solo si una nota al pie lo dice"),
))

FIGURES = Sheet("cifras", "Una cifra por fila: qué cuenta y un valor por periodo (valor 1 es el primer "
                "periodo de la hoja 'periodos'); cada valor puede llevar una nota.", (
    SERVICE,
    Column("unidad", "unit", "text", 44, "qué se cuenta: casos atendidos, consultas..."),
    Column("tipo", "kind", "kind", 12, "atención (por defecto) o prevención"),
))
VALUE_COLUMN = re.compile(r"^(valor|nota) (\d{1,2})$")

CENTRES = Sheet("centros", "Los centros de cada servicio (una fila por servicio que los tiene).", (
    SERVICE,
    Column("total", "total", "int", 8, "cuántos centros hay"),
    Column("etiqueta", "label", "text", 34, "qué son: CEM, Centros de referencia..."),
    Column("título del desglose", "breakdown_title", "text", 20, "título de la tabla de la hoja 'desglose'"),
))

BREAKDOWN = Sheet("desglose", "Los centros por tipo (deben sumar el total de la hoja 'centros').", (
    SERVICE,
    Column("tipo", "type", "text", 24, "tipo de centro"),
    Column("cantidad", "count", "int", 10, "cuántos de ese tipo"),
))

SITES = Sheet("sedes", "Los centros con su lugar, para los marcadores del mapa.", (
    SERVICE,
    Column("nombre", "name", "text", 34, "nombre del centro"),
    Column("provincia", "province", "text", 14, "provincia"),
    Column("distrito", "district", "text", 14, "distrito"),
    Column(DEPARTMENT_COLUMN, "department", "text", 20, f"{DEFAULT_LEVEL.noun.one} (debe estar en la cobertura)"),
    Column("cantidad", "count", "int", 10, "cuántos centros hay ahí (1 si se deja vacío)"),
    Column("latitud", "lat", "float", 10, "latitud del marcador (WGS84), p. ej. -12.0464"),
    Column("longitud", "lon", "float", 10, "longitud del marcador, p. ej. -77.0428"),
))

NOTES = Sheet("notas", "Actividades, notas y notas al pie de cada servicio, en orden.", (
    SERVICE,
    Column("clase", "class", "cls", 12, "actividad, nota o nota al pie"),
    Column("marca", "mark", "text", 8, "la marca de una nota al pie (1/, a/), la que usan periodos y cifras"),
    Column("texto", "text", "text", 100, "el texto"),
))

SHEETS: tuple[Sheet, ...] = (GENERAL, PROGRAMS, SERVICES, PERIODS, FIGURES, CENTRES, BREAKDOWN, SITES, NOTES)
README = "léame"
LISTS = "listas"
#: A hidden sheet with what the export knew: the file it came from, its hash, its header comments.
META = "_mimpmap"
#: What the data download's workbook adds to read, not to edit (:data:`mimpmap.availview.SHEET`,
#: :data:`mimpmap.views.brechas.SHEET`), which the reader does not read either.
AVAILABILITY, BRECHAS = "disponibilidad", "brechas"
IGNORED = (README, LISTS, META, AVAILABILITY, BRECHAS)

#: Figure kinds and note classes: as the workbook shows them → as the model stores them.
KINDS = {"atención": "atencion", "prevención": "prevencion"}
CLASSES = {"actividad": "activities", "nota": "notes", "nota al pie": "footnotes"}


def normalize(text: str) -> str:
    """``'Descripción '`` → ``'descripcion'``: headers and sheet names match without accents or case."""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join(plain.casefold().split())


# --- where things are -----------------------------------------------------------------------------

class XlsxLocator:
    """Paths in the document → "hoja 'servicios', fila 7, columna 'cobertura'" (the deepest part of the
    path that has a place of its own: an element of a list written in one cell is at that cell)."""

    #: The place is a cell named by its column's header: messages say no path after it.
    spells_path = False

    def __init__(self, places: dict[tuple, str], default: str | None = None):
        self.places = places
        self.default = default

    def where(self, path: tuple) -> str | None:
        for end in range(len(path), -1, -1):
            found = self.places.get(tuple(path[:end]))
            if found:
                return found
        return self.default


def _at(sheet: str, row: int | None = None, column: str | None = None) -> str:
    text = f"hoja '{sheet}'"
    if row is not None:
        text += f", fila {row}"
    if column is not None:
        text += f", columna '{column}'"
    return text


# --- reading ----------------------------------------------------------------------------------------

def read(raw: bytes, name: str | None = None) -> Document:
    """A document from the bytes of an ``.xlsx`` workbook."""
    return assemble(tables(raw, name))


def tables(raw: bytes, name: str | None = None) -> dict[str, list[tuple]]:
    """Every sheet of an ``.xlsx`` workbook as its rows of cell values (``None`` where empty): every row
    there is, whatever range the sheet declares."""
    screen(raw, name)
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise DataError(unreadable(exc, "el libro", ".xlsx (Libro de Excel)"), name) from None
    try:
        sheets = {}
        for ws in book.worksheets:
            ws.reset_dimensions()  # a <dimension> a tool did not update would hide the rows below it
            try:  # the sheet's XML is parsed while its rows are read
                rows = list(ws.iter_rows(values_only=True))
            except Exception as exc:
                raise DataError(unreadable(exc, f"la hoja '{ws.title}'", ".xlsx (Libro de Excel)"), name) from None
            width = max(map(len, rows), default=0)  # every row as wide as the widest, as the dimension made them
            sheets[ws.title] = [tuple(row) + (None,) * (width - len(row)) for row in rows]
        return sheets
    finally:
        book.close()


def unreadable(exc: BaseException, where: str, kind: str) -> str:
    """Why a spreadsheet's ``where`` ("la hoja 'cifras'") cannot be read, in Spanish, from the reader's
    exception and its causes, and the fix: save it again as ``kind``."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from python_calamine import XmlError

    causes = []
    while exc is not None and len(causes) < 10:
        causes.append(exc)
        exc = exc.__cause__ or exc.__context__
    if any(isinstance(c, DefusedXmlException) for c in causes):
        why = (f"{where} declara entidades XML (<!DOCTYPE>, <!ENTITY>), que Excel y LibreOffice no escriben y "
               "mimpmap no lee")
    elif any(isinstance(c, (ParseError, XmlError)) for c in causes):
        why = f"el XML de {where} está dañado o cortado"
    else:
        why = f"no se puede leer {where} (archivo dañado o cortado, o no escrito por una hoja de cálculo)"
    return f"{why}; abra el archivo en Excel o LibreOffice y guárdelo de nuevo como {kind}"


def assemble(sheets: dict[str, list[tuple]]) -> Document:
    """The document of a workbook's sheets (their rows of cell values), in the layout of :data:`SHEETS`."""
    return _Assembler(sheets).document()


def meta(sheets: dict[str, list[tuple]]) -> dict[str, str]:
    """What the hidden sheet of an exported workbook keeps (empty for a workbook not made by export)."""
    return {str(k): str(v) for k, v, *_ in sheets.get(META, []) if k is not None and v is not None}


def zip_members(raw: bytes, name: str | None, kind: str) -> list[zipfile.ZipInfo]:
    """The members of a spreadsheet that is a zip (``kind`` says which, for the messages), once it is
    known to be one and to unpack within the bounds."""
    if not raw.startswith(b"PK"):
        raise DataError(f"no es {kind} (los .xlsx y .ods son archivos zip y este no lo es); guárdelo desde Excel o "
                        f"LibreOffice como {kind}", name)
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise DataError(f"el archivo está dañado (no se puede abrir como zip); guárdelo de nuevo como {kind}",
                        name) from None
    if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_UNPACKED:
        raise DataError(f"el archivo ocupa más de {MAX_UNPACKED // (1024 * 1024)} MB descomprimido; no parece un "
                        "archivo de cobertura", name)
    for info in infos:
        if info.file_size > MAX_PART:
            raise DataError(f"la parte '{info.filename}' del archivo ocupa {info.file_size / (1024 * 1024):.0f} MB "
                            f"descomprimida (más de {MAX_PART // (1024 * 1024)} MB; el libro de toda la cobertura "
                            "ocupa menos de 1 MB): no parece un archivo de cobertura", name)
    return infos


def screen(raw: bytes, name: str | None = None) -> None:
    """Refuse what is not a workbook, a workbook with macros, and one that unpacks past the bound."""
    names = {i.filename.lower() for i in zip_members(raw, name, "un libro .xlsx")}
    if any(n.endswith("vbaproject.bin") for n in names):
        raise DataError("el libro tiene macros; mimpmap no abre libros con macros: guárdelo como .xlsx sin "
                        "macros (Libro de Excel)", name)
    if "xl/workbook.xml" not in names and "content.xml" in names:
        raise DataError("el archivo es una hoja de cálculo .ods con nombre de .xlsx: cámbiele la extensión a .ods",
                        name)
    if "xl/workbook.xml" not in names:
        raise DataError("el archivo es un zip pero no un libro .xlsx (¿un .docx?); guárdelo como "
                        "'Libro de Excel (.xlsx)' u 'Hoja de cálculo ODF (.ods)'", name)


class _Assembler:
    """Rows of every sheet → the plain document, the place of every part, and the problems found."""

    def __init__(self, tables: dict[str, list[tuple]]):
        self.problems: list[str] = []
        self.places: dict[tuple, str] = {}
        self.counts: dict[tuple, int] = {}  # rows read so far of programs and services
        self.sheets: dict[str, tuple[str, list[tuple]]] = {}  # normalized name → (name, rows)
        known = {normalize(s.name): s for s in SHEETS}
        ignored = {normalize(n) for n in IGNORED}
        for title, rows in tables.items():
            key = normalize(title)
            if key in known:
                self.sheets[key] = (title, rows)
                self._long_cells(title, rows)
            elif key not in ignored and any(any(_filled(v) for v in row) for row in rows):
                close = closest(key, known)
                hint = f"¿quiso decir '{known[close[0]].name}'? " if close else ""
                self.problems.append(f"{_at(title)}: hoja desconocida; {hint}las hojas son: "
                                     f"{', '.join(s.name for s in SHEETS)}")

    def _long_cells(self, title: str, rows: list[tuple]) -> None:
        """A text past :data:`MAX_CELL` characters, which no spreadsheet writes, is a problem at its cell."""
        for number, row in enumerate(rows, start=1):
            for index, value in enumerate(row):
                if isinstance(value, str) and len(value) > MAX_CELL:
                    from openpyxl.utils import get_column_letter  # only then: the import costs more than the read

                    self.problems.append(f"{_at(title, number)}: la celda {get_column_letter(index + 1)}{number} "
                                         f"tiene {number_text(len(value))} caracteres; una celda admite "
                                         f"{number_text(MAX_CELL)} como mucho: acorte el texto")

    def document(self) -> Document:
        data: dict[str, Any] = {}
        # What is missing is missing from its sheet (a row found below gives a closer place).
        self.places.update({(field,): f"{_at(GENERAL.name)}, campo '{label}'" for label, field in GENERAL_FIELDS.items()})
        self.places.update({("programs",): _at(PROGRAMS.name), ("services",): _at(SERVICES.name)})
        self._general(data)
        data["programs"] = [row for row, _ in self._records(PROGRAMS, ("programs",))]
        services = [row for row, _ in self._records(SERVICES, ("services",))]
        data["services"] = services
        if normalize(SERVICES.name) not in self.sheets:
            self.problems.append(f"falta la hoja '{SERVICES.name}'; el libro debe tener las hojas que escribe "
                                 "`mimpmap export`")
        self._children(services)
        return Document(data, XlsxLocator(self.places), tuple(self.problems))

    # --- sheets -----------------------------------------------------------------------------------

    def _general(self, data: dict) -> None:
        found = self.sheets.get(normalize(GENERAL.name))
        if found is None:
            return
        title, rows = found
        labels = {normalize(k): v for k, v in GENERAL_FIELDS.items()}
        for number, row in enumerate(rows[1:], start=2):
            label, value = (list(row) + [None, None])[:2]
            if not _filled(label) and not _filled(value):
                continue
            field = labels.get(normalize(label)) if isinstance(label, str) else None
            if field is None:
                self.problems.append(f"{_at(title, number, 'campo')}: {_show(label)} no es un campo; los campos "
                                     f"son: {', '.join(GENERAL_FIELDS)}")
                continue
            self.places[(field,)] = _at(title, number, "valor")
            value = _cell(value, "text")
            if value is not None:
                data[field] = value

    def _records(self, sheet: Sheet, prefix: tuple) -> Iterable[tuple[dict, int]]:
        """Each filled row as a dict of the fields it gives (with its place recorded); the row number."""
        found = self.sheets.get(normalize(sheet.name))
        if found is None:
            return
        title, rows = found
        header = rows[0] if rows else ()
        columns = self._header(sheet, title, header)
        for number, row in enumerate(rows[1:], start=2):
            if not any(_filled(v) for v in row):
                continue
            stray = [i for i, v in enumerate(row) if _filled(v) and i not in columns
                     and not (i < len(header) and _filled(header[i]))]
            if stray:
                from openpyxl.utils import get_column_letter

                self.problems.append(f"{_at(title, number)}: la celda {get_column_letter(stray[0] + 1)}{number} tiene "
                                     "datos pero su columna no tiene título; escriba el título de la columna o borre "
                                     "la celda")
            record: dict[str, Any] = {}
            for index, column in columns.items():
                value = _cell(row[index] if index < len(row) else None, column.kind)
                if value is not None:
                    record[column.key] = value
            record["__row__"] = number
            # every field has its cell, in the sheet's words (a column the sheet lacks: where it would go)
            record["__cells__"] = {c.key: _at(title, number, c.header) for c in (*sheet.columns, *columns.values())}
            record["__sheet__"] = title
            if prefix:
                n = self.counts[prefix] = self.counts.get(prefix, -1) + 1
                self._place(prefix + (n,), record)
                yield _clean(record), number
            else:
                yield record, number

    def _place(self, path: tuple, record: dict, at: str | None = None) -> None:
        """Record where the thing at ``path`` is (its row, or the cell ``at``) and each of its fields."""
        self.places[path] = at or _at(record["__sheet__"], record["__row__"])
        for key, where in record["__cells__"].items():
            self.places[path + (key,)] = where

    def _header(self, sheet: Sheet, title: str, header: tuple) -> dict[int, Column]:
        by_name = {normalize(c.header): c for c in sheet.columns}
        columns: dict[int, Column] = {}
        for index, text in enumerate(header):
            if not _filled(text):
                continue
            key = normalize(text)
            if key in by_name:
                columns[index] = by_name[key]
            elif sheet is FIGURES and (match := VALUE_COLUMN.match(key)):
                which, n = match.groups()
                columns[index] = Column(str(text).strip(), f"{which}:{int(n)}", "int" if which == "valor" else "text")
            else:
                names = [c.header for c in sheet.columns] + (["valor 1", "nota 1", "..."] if sheet is FIGURES else [])
                close = closest(key, by_name)
                hint = f"¿quiso decir '{by_name[close[0]].header}'? " if close else ""
                self.problems.append(f"{_at(title, 1)}: columna desconocida {_show(text)}; {hint}las columnas "
                                     f"son: {', '.join(names)}")
        return columns

    def _children(self, services: list[dict]) -> None:
        by_id: dict[str, int] = {}
        for n, service in enumerate(services):
            if isinstance(service.get("id"), str):
                by_id.setdefault(service["id"], n)
        lists: dict[tuple[int, str], list] = {}

        def owner(record: dict, sheet: Sheet) -> int | None:
            ident = record.get("service")
            where = record["__cells__"]["service"] if "service" in record["__cells__"] else _at(
                record["__sheet__"], record["__row__"])
            if ident is None:
                self.problems.append(f"{where}: falta el servicio; escriba el id de un servicio de la hoja "
                                     f"'{SERVICES.name}'")
                return None
            if ident not in by_id:
                close = closest(str(ident), by_id)
                hint = f"; ¿quiso decir '{close[0]}'?" if close else f"; los servicios son: {', '.join(by_id)}"
                self.problems.append(f"{where}: el servicio {_show(ident)} no está en la hoja "
                                     f"'{SERVICES.name}'{hint}")
                return None
            return by_id[ident]

        def append(n: int, field: tuple, record: dict, value: Any, at: str | None = None) -> None:
            items = lists.setdefault((n, field), [])
            self._place(("services", n, *field, len(items)), record, at)
            items.append(value)

        for record, _ in self._records(PERIODS, ()):
            if (n := owner(record, PERIODS)) is not None:
                append(n, ("periods",), record, _clean(record, drop=("service",)))
        for record, _ in self._records(FIGURES, ()):
            if (n := owner(record, FIGURES)) is not None:
                append(n, ("figures",), record, self._figure(record, n, len(lists.get((n, ("figures",)), []))))
        centres: dict[int, dict] = {}
        for record, _ in self._records(CENTRES, ()):
            if (n := owner(record, CENTRES)) is None:
                continue
            if n in centres:
                self.problems.append(f"{_at(record['__sheet__'], record['__row__'])}: el servicio "
                                     f"'{record['service']}' ya tiene una fila en esta hoja (fila "
                                     f"{centres[n]['__row__']}); deje una sola")
                continue
            centres[n] = record
            self._place(("services", n, "centres"), record)
        for sheet, field in ((BREAKDOWN, "breakdown"), (SITES, "sites")):
            for record, _ in self._records(sheet, ()):
                if (n := owner(record, sheet)) is None:
                    continue
                if n not in centres:
                    self.problems.append(f"{_at(record['__sheet__'], record['__row__'])}: el servicio "
                                         f"'{record['service']}' no tiene fila en la hoja '{CENTRES.name}'; "
                                         "añádala con el total y la etiqueta de sus centros")
                    continue
                value = _clean(record, drop=("service",))
                if field == "sites":
                    value = self._site(value, record, n, len(lists.get((n, ("centres", "sites")), [])))
                append(n, ("centres", field), record, value)
        for record, _ in self._records(NOTES, ()):
            if (n := owner(record, NOTES)) is None:
                continue
            cls = record.get("class")
            if cls not in CLASSES.values():
                where = record["__cells__"].get("class", _at(record["__sheet__"], record["__row__"]))
                self.problems.append(f"{where}: {_show(cls) if cls is not None else 'falta la clase'}; escriba "
                                     f"{join_words(CLASSES, last='o')}")
                continue
            if cls == "footnotes":
                append(n, ("footnotes",), record, _clean(record, drop=("service", "class")))
            else:
                if "mark" in record:
                    self.problems.append(f"{record['__cells__']['mark']}: una {'nota' if cls == 'notes' else 'actividad'} "
                                         "no lleva marca; la marca es solo de las notas al pie: bórrela o cambie la "
                                         "clase a 'nota al pie'")
                append(n, (cls,), record, record.get("text", ""), at=record["__cells__"].get("text"))
        for n, record in centres.items():
            services[n]["centres"] = _clean(record, drop=("service",))
        for (n, field), items in lists.items():
            target = services[n]
            for part in field[:-1]:
                target = target[part]
            target[field[-1]] = items

    def _figure(self, record: dict, n: int, i: int) -> dict:
        figure = {k: v for k, v in record.items() if not k.startswith("__") and k != "service" and ":" not in k}
        numbers = {int(k.split(":")[1]) for k in record if ":" in k and not k.startswith("__")}
        last = max(numbers, default=0)
        values = []
        for j in range(1, last + 1):
            value, note = record.get(f"valor:{j}"), record.get(f"nota:{j}")
            value = "" if value is None else value
            values.append({"value": value, "note": note} if note is not None else value)
            path = ("services", n, "figures", i, "values", j - 1)
            self.places[path] = record["__cells__"].get(f"valor:{j}") or _at(record["__sheet__"], record["__row__"])
            if f"nota:{j}" in record["__cells__"]:
                self.places[path + ("note",)] = record["__cells__"][f"nota:{j}"]
        figure["values"] = values
        return {k: figure[k] for k in ("unit", "kind", "values") if k in figure}

    def _site(self, value: dict, record: dict, n: int, i: int) -> dict:
        lat, lon = value.pop("lat", None), value.pop("lon", None)
        path = ("services", n, "centres", "sites", i, "location")
        if lat is not None or lon is not None:
            self.places[path] = record["__cells__"].get("lat") or _at(record["__sheet__"], record["__row__"])
            if lat is None or lon is None:
                missing, column = ("latitud", "lat") if lat is None else ("longitud", "lon")
                where = record["__cells__"].get(column) or _at(record["__sheet__"], record["__row__"])
                self.problems.append(f"{where}: falta la {missing}; escriba las dos o ninguna")
            else:
                value["location"] = [lat, lon]
        return value


def _clean(record: dict, drop: tuple = ()) -> dict:
    return {k: v for k, v in record.items() if not k.startswith("__") and k not in drop}


def _filled(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


_INTEGER = re.compile(r"^(?:0|[1-9][0-9]*)$")


def _cell(value: Any, kind: str) -> Any:
    """A cell's value as the model expects it, from what a spreadsheet stores (a number where text was
    meant, a date where a month was typed); ``None`` for an empty cell."""
    if not _filled(value):
        return None
    if isinstance(value, str):
        value = value.strip()
    if isinstance(value, float) and value.is_integer() and kind != "float":
        value = int(value)
    if kind == "text":
        return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value
    if kind == "int":
        return int(value) if isinstance(value, str) and _INTEGER.match(value) else value
    if kind == "float":
        if isinstance(value, str):
            try:
                return float(value.replace(",", "."))
            except ValueError:
                return value
        return value
    if kind == "month":
        return _month(value)
    if kind == "months_closed":
        if isinstance(value, str) and _INTEGER.match(value):
            return int(value)
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return [_month(value)] if isinstance(value, (date, datetime)) else value
    if kind == "coverage":
        if isinstance(value, str) and normalize(value) == "nacional":
            return "nacional"
        if isinstance(value, str):
            return [int(item) if _INTEGER.match(item) else item
                    for item in (i.strip() for i in value.split(",")) if item]
        return [value]
    if kind == "kind":
        return {normalize(k): v for k, v in KINDS.items()}.get(normalize(value), value) \
            if isinstance(value, str) else value
    if kind == "cls":
        return {normalize(k): v for k, v in CLASSES.items()}.get(normalize(value), value) \
            if isinstance(value, str) else value
    raise ValueError(kind)


def _month(value: Any) -> Any:
    """A month typed in a spreadsheet often becomes a date (2020-04-01): back to ``2020-04``."""
    if isinstance(value, (date, datetime)) and value.day == 1:
        return f"{value.year:04d}-{value.month:02d}"
    return value
