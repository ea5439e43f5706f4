"""The OpenDocument reader: an ``.ods`` spreadsheet (LibreOffice Calc's own format) in the layout of
the workbook (:mod:`.xlsx`: the same sheets and columns, and the same messages, with the sheet, row
and column of every part) → the same plain document as the YAML reader.

python-calamine reads the cells. The file is screened first, as a workbook is: a zip of a sane
unpacked size, that says it is an OpenDocument spreadsheet, without macros (``Basic/``, ``Scripts/``).
"""

from __future__ import annotations

import io
import zipfile

from ..errors import DataError
from . import xlsx
from .base import Document

MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
KIND = "una hoja de cálculo .ods"


def read(raw: bytes, name: str | None = None) -> Document:
    """A document from the bytes of an ``.ods`` spreadsheet."""
    return xlsx.assemble(tables(raw, name))


def tables(raw: bytes, name: str | None = None) -> dict[str, list[tuple]]:
    """Every sheet of an ``.ods`` spreadsheet as its rows of cell values from A1 (``None`` where empty),
    as :func:`.xlsx.tables` gives them: row and column numbers are the spreadsheet's."""
    screen(raw, name)
    try:
        return calamine_tables(raw)
    except Exception as exc:  # calamine raises its own kinds for a damaged file
        raise DataError(xlsx.unreadable(exc, "la hoja de cálculo", ".ods (Hoja de cálculo ODF)"), name) from None


def calamine_tables(raw: bytes) -> dict[str, list[tuple]]:
    """Every sheet of a spreadsheet (``.ods``, or an ``.xlsx`` mimpmap wrote) as python-calamine reads
    it: the rows of cell values from A1, ``None`` where empty. Raises calamine's own errors; the caller
    screens the file first and says what is wrong."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
    return {sheet: [tuple(None if value == "" else value for value in row)
                    for row in book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)]
            for sheet in book.sheet_names}


def screen(raw: bytes, name: str | None = None) -> None:
    """Refuse what is not an OpenDocument spreadsheet, one with macros, and one that unpacks past the
    bound."""
    names = {i.filename for i in xlsx.zip_members(raw, name, KIND)}
    if any(n.startswith(("Basic/", "Scripts/")) for n in names):
        raise DataError("la hoja de cálculo tiene macros; mimpmap no abre archivos con macros: guárdela como .ods "
                        "sin macros", name)
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        kind = z.read("mimetype").strip() if "mimetype" in names else b""
    if kind != MIMETYPE or "content.xml" not in names:
        raise DataError("el archivo es un zip pero no una hoja de cálculo .ods (¿un .odt o un .docx?); guárdelo "
                        "como 'Hoja de cálculo ODF (.ods)' o 'Libro de Excel (.xlsx)'", name)
