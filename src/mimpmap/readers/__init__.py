"""Readers: one per input format, each turning a file into the same plain document.

A reader returns a :class:`Document`: the data as plain Python values (dicts, lists, strings,
numbers), a locator that says where a part of it is in the file ("línea 12" for YAML; a workbook
reader would say "hoja Servicios, fila 4, columna C"), and the problems it found that do not stop
reading (a key written twice). The model validates the data and asks the locator for every message.

Adding an input format: write ``readers/<format>.py`` with a ``read(raw: bytes, name) -> Document``
and add its suffixes to :data:`READERS`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..errors import InputFileError
from ..text import join_words
from . import ods as _ods
from . import xlsx as _xlsx
from . import yaml as _yaml
from .base import Document, Locator, NoLocator
from .files import COVERAGE, MAX_BYTES, read_input
from .kinds import Seen, refuse_foreign

Reader = Callable[[bytes, "str | None"], Document]

#: Spreadsheets in the workbook's layout (:mod:`.xlsx`): suffix → the rows of each of its sheets
#: (the export's hidden sheet among them), which :func:`.xlsx.assemble` makes a document of.
SPREADSHEETS: dict[str, Callable[[bytes, "str | None"], dict[str, list[tuple]]]] = {
    ".xlsx": _xlsx.tables,
    ".ods": _ods.tables,
}

#: What a table given as the coverage file needs (a CSV holds one sheet; the coverage is several).
CSV_FIX = ("una tabla de texto no tiene las hojas de la cobertura: ábrala en Excel o LibreOffice y guárdela como "
           "libro .xlsx, con las hojas y las columnas del que escribe `mimpmap export cobertura.xlsx`")

#: File suffix (lower case) → the reader of that format.
READERS: dict[str, Reader] = {
    ".yaml": _yaml.read,
    ".yml": _yaml.read,
    ".xlsx": _xlsx.read,
    ".ods": _ods.read,
}

__all__ = ["Document", "Locator", "MAX_BYTES", "NoLocator", "READERS", "SPREADSHEETS", "read_document",
           "reader_for"]


def reader_for(path: Path, seen: Seen | None = None) -> Reader:
    """The reader for ``path``'s suffix. Raises :class:`InputFileError` naming the accepted ones, and
    what the file seems to be (``seen``, from its content) when that helps."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        kind = f"los archivos '{path.suffix}'" if path.suffix else "archivos sin extensión"
        accepted = join_words(sorted(READERS), last="o")
        message = f"'{path}': mimpmap no sabe leer {kind}; el archivo de cobertura debe ser {accepted}"
        if seen is not None and seen.suffix:
            message += f"; este parece {seen.what}: cámbiele la extensión a {seen.suffix}"
        elif path.suffix.lower() in (".csv", ".txt", ".tsv"):
            message += f"; {CSV_FIX}"
        raise InputFileError(message, str(path))
    return reader


def read_document(path: Path, raw: bytes | None = None) -> Document:
    """Read ``path`` (or its bytes ``raw``, read already) with the reader its suffix asks for (a file that
    is not there, not a regular file or too large is refused first, then a file whose content is another
    kind: the clearer messages)."""
    raw = read_input(path) if raw is None else raw
    spreadsheet = path.suffix.lower() in SPREADSHEETS and raw.startswith(b"PK")  # its reader knows the zips better
    seen = refuse_foreign(path, raw, COVERAGE, others_only=spreadsheet)
    return reader_for(path, seen)(raw, str(path))
