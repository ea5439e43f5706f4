"""The coverage file as a workbook a person can edit in Excel or LibreOffice, and back to YAML.

:func:`export_workbook` writes the layout of :mod:`mimpmap.readers.xlsx` (which reads it back with
``--data LIBRO.xlsx``): a sheet per kind of thing, clear Spanish headers, lists to choose from,
frozen headers, and a ``léame`` sheet. A hidden sheet keeps the hash and the header comments of the
YAML it was exported from, so that :func:`import_workbook` can refuse to overwrite a YAML file that
changed since (its changes are not in the workbook).

The bytes are deterministic: the same data give the same workbook (fixed dates, fixed zip entries).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import places, yamledit, yamlout
from .levels import DEFAULT_LEVEL, DEPARTMENT_COLUMN
from .errors import DataError, MimpmapError, OutputError
from .model import CoverageData, read_coverage, validate
from .readers import SPREADSHEETS, read_document
from .readers import xlsx as layout
from .readers.files import read_input
from .text import FORMULA_STARTS
from .write import write_bytes, write_text

#: The format of the hidden sheet; a later layout would raise it.
LAYOUT_VERSION = "1"
#: The date the workbook says it was made and changed: fixed, so that the bytes depend only on the data.
FIXED_DATE = (2021, 1, 1, 0, 0, 0)

log = logging.getLogger(__name__)

HEADER_FILL = "DCE6F1"
README_TEXT = (
    "Este libro contiene los servicios del MIMP y su cobertura, para los mapas de mimpmap.",
    "Edítelo y compruébelo con:  mimpmap check --data ESTE_LIBRO.xlsx",
    "Genere los mapas con:  mimpmap build --data ESTE_LIBRO.xlsx",
    "Vuelva a escribir el archivo YAML con:  mimpmap import ESTE_LIBRO.xlsx --data data/coverage.yaml",
    "",
    "Una fila por cosa; la primera fila de cada hoja son los títulos de las columnas: no los cambie. Las filas "
    "de periodos, cifras, centros, desglose, sedes y notas nombran su servicio (columna 'servicio', el id de "
    "la hoja 'servicios'); su orden dentro de cada servicio es el orden en los mapas. Una celda vacía es un "
    "dato que no se da.",
    "",
)


def source_meta(path: Path) -> dict[str, str]:
    """What the hidden sheet keeps of a YAML file: its name, hash and header comments."""
    raw = read_input(path)
    meta = {"origen": path.name, "sha256": hashlib.sha256(raw).hexdigest()}
    if path.suffix.lower() in (".yaml", ".yml"):
        meta["cabecera"] = yamlout.header_comments(raw.decode("utf-8", "replace"))
    return meta


def export_workbook(data_path: Path | str | None, out: Path | str, force: bool = False) -> "ExportResult":
    """Read and validate the coverage file ``data_path`` and write it to ``out`` as a workbook. A file
    already at ``out`` with other bytes (another workbook, one edited since, any other file) is not
    replaced unless ``force``: :class:`OutputError`."""
    from .inputs import resolve

    source = resolve("data", data_path)
    data = read_coverage(source)
    meta = source_meta(source) if source.suffix.lower() in (".yaml", ".yml") else {"origen": source.name}
    raw = workbook_bytes(data, meta)
    if not force and _other_file(Path(out), raw):
        raise OutputError(f"'{out}' ya existe y no es este libro (otro archivo, o un libro cambiado después de "
                          "exportarlo): export no lo reemplaza; elija otro nombre, o reemplácelo con --force")
    write_bytes(out, raw)
    return ExportResult(Path(out), source, len(raw), len(data.services))


def _other_file(path: Path, raw: bytes) -> bool:
    """Whether a regular file at ``path`` holds other bytes than ``raw`` (anything else there, a link or a
    folder, is left to the writer, which refuses it)."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode):
        return False
    if info.st_size != len(raw):
        return True
    try:
        return path.read_bytes() != raw
    except OSError:
        return True


@dataclass(frozen=True)
class ExportResult:
    path: Path
    source: Path
    size: int
    services: int


def dump(data: CoverageData) -> dict:
    """The coverage file as plain values, with only the fields it gives (a default left unwritten
    stays unwritten), keyed as in the YAML file (``from``, ``to``)."""
    return data.file.model_dump(mode="json", by_alias=True, exclude_unset=True)


def workbook_bytes(data: CoverageData, meta: dict[str, str] | None = None,
                   extra: tuple[tuple[str, tuple[tuple[Any, ...], ...]], ...] = ()) -> bytes:
    """The workbook of ``data``, deterministic bytes; ``extra``: sheets to read, not to edit (name and rows,
    header first), that the reader skips (:data:`mimpmap.readers.xlsx.IGNORED`)."""
    from openpyxl import Workbook

    plain = dump(data)
    book = Workbook()
    book.remove(book.active)
    _readme(book.create_sheet(layout.README))
    rows = _rows(plain)
    for sheet in layout.SHEETS:
        _table(book, sheet, rows[sheet.name], _figure_columns(plain) if sheet is layout.FIGURES else ())
    _lists(book, plain)
    for name, table in extra:
        _plain_sheet(book.create_sheet(name), table)
    hidden = book.create_sheet(layout.META)
    hidden.sheet_state = "veryHidden"
    for key, value in {"formato": LAYOUT_VERSION, **(meta or {})}.items():
        hidden.append([key, value])
    _texts_stay_texts(book)
    return deterministic(book)


def _plain_sheet(ws, table: tuple[tuple[Any, ...], ...]) -> None:
    """A sheet of plain rows, its header bold on the header colour and frozen."""
    from openpyxl.styles import Font, PatternFill

    for row in table:
        ws.append(list(row))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    ws.freeze_panes = "A2"


def _texts_stay_texts(book) -> None:
    """No cell of ``book`` is a formula: openpyxl writes a text that begins with '=' as one, and Excel
    or LibreOffice would run ``=HYPERLINK(...)`` from a service's name. Each text a spreadsheet could
    take for a formula, or for a signed number, is written as a text cell with Excel's quote
    prefix (shown as text, kept as text when edited); its value is unchanged, so it reads back as
    written."""
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                # A text that looks like a signed number ("+0") too: kept text, not taken for 0, when edited.
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                    cell.data_type = "s"
                    cell.quotePrefix = True


def deterministic(book) -> bytes:
    """Save ``book`` with fixed dates in its properties and zip entries."""
    import datetime

    fixed = datetime.datetime(*FIXED_DATE)
    book.properties.creator = "mimpmap"
    book.properties.created = fixed
    buffer = io.BytesIO()
    book.save(buffer)
    out = io.BytesIO()
    stamp = fixed.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the time of saving
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), content)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, content)
    return out.getvalue()


# --- the sheets ------------------------------------------------------------------------------------

def _rows(plain: dict) -> dict[str, list[list[Any]]]:
    """Each sheet's rows, from the plain file (keys as :data:`layout.SHEETS` names them)."""
    rows: dict[str, list[list[Any]]] = {s.name: [] for s in layout.SHEETS}
    labels = {field: label for label, field in layout.GENERAL_FIELDS.items()}
    for field in ("title", "publisher", "source"):
        if field in plain:
            rows["general"].append([labels[field], plain[field]])

    def row(sheet, record: dict, service: str | None = None) -> list[Any]:
        values = []
        for column in sheet.columns:
            values.append(service if column.key == "service" else _show_cell(column, record.get(column.key)))
        return values

    for program in plain["programs"]:
        rows["programas"].append(row(layout.PROGRAMS, program))
    kinds = {v: k for k, v in layout.KINDS.items()}
    classes = {v: k for k, v in layout.CLASSES.items()}
    for s in plain["services"]:
        sid = s["id"]
        rows["servicios"].append(row(layout.SERVICES, s))
        for period in s.get("periods", []):
            rows["periodos"].append(row(layout.PERIODS, period, sid))
        for figure in s.get("figures", []):
            record = {**figure, "kind": kinds.get(figure.get("kind"), figure.get("kind"))}
            values = []
            for v in figure["values"]:
                values += [v["value"], v.get("note")]
            rows["cifras"].append(row(layout.FIGURES, record, sid) + values)
        centres = s.get("centres")
        if centres:
            rows["centros"].append(row(layout.CENTRES, centres, sid))
            for item in centres.get("breakdown", []):
                rows["desglose"].append(row(layout.BREAKDOWN, item, sid))
            for site in centres.get("sites", []):
                lat, lon = site.get("location") or (None, None)
                rows["sedes"].append(row(layout.SITES, {**site, "lat": lat, "lon": lon}, sid))
        for field in ("activities", "notes"):
            for text in s.get(field, []):
                rows["notas"].append([sid, classes[field], None, text])
        for note in s.get("footnotes", []):
            rows["notas"].append([sid, classes["footnotes"], note["mark"], note["text"]])
    return rows


def _show_cell(column, value: Any) -> Any:
    if value is None:
        return None
    if column.kind == "coverage":
        return value if isinstance(value, str) else ", ".join(str(v) for v in value)
    if column.kind == "months_closed":
        return value if isinstance(value, int) else ", ".join(value)
    return value


def _figure_columns(plain: dict) -> tuple[str, ...]:
    """``valor 1``, ``nota 1``, ... for the most periods a service has, and one more for a new period."""
    most = max((len(f["values"]) for s in plain["services"] for f in s.get("figures", [])), default=0)
    return tuple(name for j in range(1, most + 2) for name in (f"valor {j}", f"nota {j}"))


def _table(book, sheet, rows: list[list[Any]], extra: tuple[str, ...] = ()) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = book.create_sheet(sheet.name)
    headers = [c.header for c in sheet.columns] + list(extra)
    ws.append(headers)
    for row in rows:
        ws.append(row)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL)
    for cell in ws[1]:
        cell.font, cell.fill = bold, fill
    ws.freeze_panes = "B2" if sheet.per_service else "A2"
    widths = [c.width for c in sheet.columns] + [10 if h.startswith("valor") else 7 for h in extra]
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for index, (header, width) in enumerate(zip(headers, widths), start=1):
        letter = get_column_letter(index)
        longest = max((len(str(r[index - 1])) for r in rows if index - 1 < len(r) and r[index - 1] is not None),
                      default=0)
        ws.column_dimensions[letter].width = max(len(header) + 3, min(width, longest + 2))
        long_text = longest > width
        for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.alignment = wrap if long_text else top
            kind = sheet.columns[index - 1].kind if index - 1 < len(sheet.columns) else "int"
            if kind in ("text", "month", "months_closed", "coverage") and isinstance(cell.value, str):
                cell.number_format = "@"  # text stays text: '2020-04' is not turned into a date
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(1, len(rows) + 1)}"


def _lists(book, plain: dict) -> None:
    """The lists the data validation offers (a hidden sheet), and the validations themselves."""
    from openpyxl.worksheet.datavalidation import DataValidation

    names = places.known_names()
    ws = book.create_sheet(layout.LISTS)
    ws.sheet_state = "hidden"
    ws.append([DEFAULT_LEVEL.noun.many, "tipo de cifra", "clase de nota"])
    kinds, classes = list(layout.KINDS), list(layout.CLASSES)
    for i in range(max(len(names), len(kinds), len(classes))):
        ws.append([names[i] if i < len(names) else None, kinds[i] if i < len(kinds) else None,
                   classes[i] if i < len(classes) else None])
    last = 1000  # rows a person may add below the data

    def offer(sheet: str, column: str, formula: str, what: str) -> None:
        target = book[sheet]
        spec = next(s for s in layout.SHEETS if s.name == sheet)
        index = [c.header for c in spec.columns].index(column)
        from openpyxl.utils import get_column_letter

        letter = get_column_letter(index + 1)
        dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                            errorTitle="Valor no válido", error=f"Elija {what} de la lista.")
        dv.add(f"{letter}2:{letter}{last}")
        target.add_data_validation(dv)

    n = len(names) + 1
    offer("servicios", "programa", f"={layout.PROGRAMS.name}!$A$2:$A${last}", "un programa de la hoja 'programas'")
    for sheet in ("periodos", "cifras", "centros", "desglose", "sedes", "notas"):
        offer(sheet, "servicio", f"={layout.SERVICES.name}!$A$2:$A${last}", "un servicio de la hoja 'servicios'")
    offer("sedes", DEPARTMENT_COLUMN, f"={layout.LISTS}!$A$2:$A${n}", DEFAULT_LEVEL.noun.a)
    offer("cifras", "tipo", f"={layout.LISTS}!$B$2:$B${len(kinds) + 1}", "atención o prevención")
    offer("notas", "clase", f"={layout.LISTS}!$C$2:$C${len(classes) + 1}", "actividad, nota o nota al pie")


def _readme(ws) -> None:
    from openpyxl.styles import Alignment, Font

    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 110
    ws.append(["mimpmap: cobertura de los servicios del MIMP"])
    ws["A1"].font = Font(bold=True, size=14)
    for line in README_TEXT:
        ws.append([None, line] if line else [])
    ws.append(["Hoja", "Qué contiene"])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for sheet in layout.SHEETS:
        ws.append([sheet.name, sheet.help])
        for column in sheet.columns:
            ws.append([None, f"• {column.header}: {column.help}"])
        if sheet is layout.FIGURES:
            ws.append([None, "• valor 1, nota 1, valor 2, nota 2...: la cifra de cada periodo (número entero, sin "
                             "separadores de miles) y su marca de nota al pie (opcional); añada columnas para más "
                             "periodos"])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


# --- back to YAML ----------------------------------------------------------------------------------

class WorkbookChangedError(MimpmapError, FileExistsError):
    """``import`` would overwrite a YAML file with changes that are not in the workbook."""

    exit_code = 1


@dataclass(frozen=True)
class ImportResult:
    path: Path
    #: Whether the file was written (False: it already held exactly this).
    written: bool
    services: int
    #: Comments of the old file that were beside data the workbook no longer has (so they could not be
    #: kept): "línea 22: # ...".
    lost_comments: tuple[str, ...] = ()
    #: What the reader of the diff should know: an alias written out, the file rewritten whole.
    warnings: tuple[str, ...] = ()


#: Why an import rewrote the whole file (the old one could not be changed in place).
REWRITTEN = ("no se pudo cambiar solo lo que cambió en el libro (el YAML anterior no se leía como YAML, o tenía "
             "una forma que mimpmap no sabe editar): se escribió entero con la forma de mimpmap; revise el diff")


def import_workbook(workbook: Path | str, target: Path | str, force: bool = False) -> ImportResult:
    """Read and validate ``workbook`` and write its data to the YAML file ``target``, changing only the
    values that differ (:func:`mimpmap.yamledit.splice`): the rest of the file stays byte for byte.

    Refuses (:class:`WorkbookChangedError`) to overwrite a ``target`` that changed since the workbook
    was exported from it, or that the workbook was not exported from, unless ``force``.
    """
    workbook, target = Path(workbook), Path(target)
    if target.suffix.lower() not in (".yaml", ".yml"):
        raise OutputError(f"'{target}': el archivo de destino debe ser .yaml o .yml (el formato que se guarda en "
                          "git); p. ej. --data data/coverage.yaml")
    raw = read_input(workbook)
    sheets = SPREADSHEETS[workbook.suffix.lower()](raw, str(workbook)) \
        if workbook.suffix.lower() in SPREADSHEETS else None
    document = read_document(workbook) if sheets is None else layout.assemble(sheets)
    data = validate(document, workbook)
    meta = layout.meta(sheets) if sheets is not None else {}
    new = dump(data)
    old = read_input(target) if target.exists() else None
    if old is None:
        text, lost, warnings = yamlout.coverage_yaml(new, yamlout.unstamped(meta.get("cabecera", ""))), (), ()
        _check_reads_back(text, new, target)
    else:
        text, lost, warnings = _changed(old.decode("utf-8", "replace"), new, meta.get("cabecera"), target)
        if old == text.encode("utf-8"):
            return ImportResult(target, False, len(data.services))
        if not force and not _replaceable(old, meta, workbook, target):
            raise WorkbookChangedError(_changed_since(workbook, target, meta))
    write_text(target, text)
    _remember(target, workbook, meta, text)
    return ImportResult(target, True, len(data.services), lost, warnings)


def _changed(old_text: str, new: dict, header: str | None, target: Path) -> tuple[str, tuple, tuple]:
    """The old YAML text holding ``new``: changed in place where it can be, else written whole (with
    its comments carried); the comments lost and the warnings."""
    try:
        spliced = yamledit.splice(old_text, yamlout.reader(old_text, str(target)).data, new)
        if _reads_back(spliced.text, new, target):
            return spliced.text, spliced.lost, spliced.warnings
        log.debug("the spliced YAML does not read as the workbook")
    except (DataError, yamledit.Unplaceable) as exc:
        log.debug("YAML rewritten whole: %s", exc)
    header = yamlout.header_comments(old_text) if header is None else header
    text, lost = yamlout.with_comments(yamlout.coverage_yaml(new, yamlout.unstamped(header)),
                                       yamlout.inner_comments(old_text))
    _check_reads_back(text, new, target)
    return text, tuple(f"línea {c.line}: {' '.join(c.lines)}" for c in lost), (REWRITTEN,)


def _reads_back(text: str, new: dict, target: Path) -> bool:
    try:
        return dump(validate(yamlout.reader(text, str(target)), target)) == new
    except DataError:
        return False


def _check_reads_back(text: str, new: dict, target: Path) -> None:
    """The writer's own guard: never write a file that reads differently from the workbook."""
    if not _reads_back(text, new, target):
        raise DataError("el YAML escrito no se lee igual que el libro (un error de mimpmap); no se escribió nada: "
                        "avise a sus desarrolladores", str(target))


# --- may the import replace the file? ---------------------------------------------------------------

def _replaceable(old: bytes, meta: dict[str, str], workbook: Path, target: Path) -> bool:
    """Whether the YAML on disk holds nothing the workbook lacks: it is the file the workbook was
    exported from, unchanged, or the file an earlier import of this same workbook wrote, unchanged."""
    digest = hashlib.sha256(old).hexdigest()
    if not meta.get("sha256"):
        return False
    return digest == meta["sha256"] or _recorded(target) == _record(workbook, meta, digest)


def _changed_since(workbook: Path, target: Path, meta: dict[str, str]) -> str:
    if meta.get("origen") == target.name and meta.get("sha256"):
        why = f"'{target}' cambió desde que se exportó '{workbook}'"
    elif meta.get("origen"):
        why = f"'{workbook}' se exportó de '{meta['origen']}', no de '{target}'"
    else:
        why = f"'{workbook}' no dice de qué archivo se exportó (p. ej. el libro de maps/datos/)"
    return (f"{why}: reemplazar '{target}' perdería lo que tenga que no está en el libro; exporte de nuevo "
            f"(mimpmap export --data {target} LIBRO.xlsx) y pase a ese libro sus cambios, o reemplácelo con --force")


# An import remembers what it wrote, so that the next import of the same workbook (edited further) may
# replace it. The record is kept out of the YAML (a line that changed with every import was a line in
# every diff) and out of the workbook (it may be open in Excel): in the user's cache folder. Without it
# (another computer, a cleared cache) the import asks for --force, which is the safe side.

def _records_file() -> Path:
    """``$MIMPMAP_CACHE/importaciones.json``; by default in the user's cache folder (``~/.cache/mimpmap``,
    ``%LOCALAPPDATA%\\mimpmap`` on Windows)."""
    folder = os.environ.get("MIMPMAP_CACHE")
    if not folder:
        base = os.environ.get("XDG_CACHE_HOME") or (os.environ.get("LOCALAPPDATA") if os.name == "nt" else None)
        folder = Path(base or Path.home() / ".cache") / "mimpmap"
    return Path(folder) / "importaciones.json"


def _record(workbook: Path, meta: dict[str, str], digest: str) -> dict[str, str]:
    return {"libro": str(workbook.resolve()), "origen": meta.get("sha256", ""), "sha256": digest}


def _read_records() -> dict:
    try:
        records = json.loads(_records_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return records if isinstance(records, dict) else {}


def _recorded(target: Path) -> dict | None:
    return _read_records().get(str(target.resolve()))


def _remember(target: Path, workbook: Path, meta: dict[str, str], text: str) -> None:
    records = {path: record for path, record in _read_records().items() if Path(path).exists()}
    records[str(target.resolve())] = _record(workbook, meta, hashlib.sha256(text.encode("utf-8")).hexdigest())
    try:
        write_text(_records_file(), json.dumps(records, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    except (OSError, MimpmapError) as exc:  # not remembered: the next import asks for --force
        log.debug("import record not written: %s", exc)
