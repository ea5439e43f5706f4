"""The data behind the maps, written beside them (``datos/``) for those who want the numbers.

- ``datos/cobertura.csv``: a row per map unit: its code, name and UBIGEO, a column per service (1 where
  the service reaches the unit, fully or partly; 0 where not), how many services reach it, and its
  population when known.
- ``datos/servicios.csv``: a row per service (:func:`mimpmap.maps.service_rows`).
- ``datos/cobertura.xlsx``: the whole coverage file as the workbook ``mimpmap export`` writes.

CSV files are UTF-8 with a byte order mark, so that Excel shows the accents right, comma-separated with
a dot for decimals. Every file is deterministic. These files are written with the pages, which link
them (:data:`mimpmap.formats.FORMATS`, ``also``).
"""

from __future__ import annotations

import csv
import io
from typing import Any, Iterator

from .formats import Output
from .layout import DATA_FILES

#: The headers of ``cobertura.csv`` before and after the service columns.
UNIT_HEAD = ("código", "nombre", "ubigeo")
UNIT_TAIL = ("servicios", "población")
#: ``servicios.csv``: header → key of :func:`mimpmap.maps.service_rows`.
SERVICE_COLUMNS = {
    "id": "id",
    "nombre": "name",
    "nombre corto": "short_name",
    "programa": "program",
    "nacional": "national",
    "cobertura (códigos ISO)": "coverage",
    "texto de cobertura": "coverage_text",
    "unidades": "units",
    "población alcanzada": "population_reached",
    "proporción de la población": "population_share",
    "población no alcanzada": "population_not_reached",
}
YES, NO = "sí", "no"


def outputs(atlas, fmt: str, job) -> Iterator[Output]:
    """The data files (see :mod:`mimpmap.formats`); none for an atlas described without its data."""
    cov = getattr(atlas, "coverage", None)
    if cov is None:
        return
    units = unit_rows(cov)
    services = service_table(cov)
    yield Output(DATA_FILES["units"], lambda: csv_bytes(units), units)
    yield Output(DATA_FILES["services"], lambda: csv_bytes(services), services)
    from .workbook import dump

    plain = dump(cov.data)
    yield Output(DATA_FILES["workbook"], lambda: workbook(cov), plain)


def unit_rows(cov) -> list[list[Any]]:
    """``cobertura.csv`` as rows, its header first."""
    table = cov.table()
    ids = [s.id for s in cov.services]
    people = "poblacion" in table.columns
    tail = UNIT_TAIL if people else UNIT_TAIL[:1]
    rows: list[list[Any]] = [[*UNIT_HEAD, *ids, *tail]]
    for code, row in table.iterrows():
        rows.append([code, row["nombre"], row["ubigeo"], *(int(bool(row[i])) for i in ids), int(row["servicios"]),
                     *([int(row["poblacion"])] if people else [])])
    return rows


def service_table(cov) -> list[list[Any]]:
    """``servicios.csv`` as rows, its header first."""
    from .maps import service_rows

    records = service_rows(cov.data, cov.population)
    columns = [(head, key) for head, key in SERVICE_COLUMNS.items() if any(key in r for r in records)]
    rows: list[list[Any]] = [[head for head, _ in columns]]
    for record in records:
        rows.append([_plain(record.get(key)) for _, key in columns])
    return rows


def _plain(value: Any) -> Any:
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return "" if value is None else value


def csv_bytes(rows: list[list[Any]]) -> bytes:
    """Rows as CSV text, UTF-8 with a byte order mark, lines ended with CRLF (RFC 4180)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def workbook(cov) -> bytes:
    """The coverage file as a workbook (no origin: it is the data of the maps, not an export of a file)."""
    from .workbook import workbook_bytes

    return workbook_bytes(cov.data)
