"""The data behind the maps, written beside them (``datos/``) for those who want the numbers.

- ``datos/cobertura.csv``: a row per map unit: its code, name and UBIGEO, a column per service (1 where
  the service reaches the unit, fully or partly; 0 where not), how many services reach it, and its
  population when known.
- ``datos/servicios.csv``: a row per service (:func:`mimpmap.views.service.service_rows`).
- ``datos/servicios/<id>.csv``: a service's map as rows, the table under it: a row per map unit, whether
  the service reaches it, and its population when known (each service's page links its own).
- ``datos/cobertura.xlsx``: the whole coverage file as the workbook ``mimpmap export`` writes.
- ``datos/brechas.csv``: per province, department map unit and Peru, the women, CEMs, women per CEM and
  the women farther than each threshold from a CEM in a straight line (:mod:`mimpmap.views.brechas`);
  the workbook has the same rows in its sheet ``brechas``.
- ``datos/centros.csv``: the directory's centres (:mod:`mimpmap.centremaps`), when a centres file is
  given: every site but the shelters, which are never listed.

CSV files are UTF-8 with a byte order mark, so that Excel shows the accents right, comma-separated with
a dot for decimals. Every file is deterministic. These files are written with the pages, which link
them (:data:`mimpmap.formats.FORMATS`, ``also``).
"""

from __future__ import annotations

import csv
import io
from typing import Any, Iterator

from .availview import SHEET
from .views.brechas import SHEET as BRECHAS_SHEET
from .formats import Output
from .layout import DATA_FILES, UNIT_HEAD, service_data_file
from .views.atlas import Atlas
from .views.service import ServiceMap, service_rows
from .text import formula_like

#: The headers of ``cobertura.csv`` after the service columns (:data:`~mimpmap.layout.UNIT_HEAD` before them).
UNIT_TAIL = ("servicios", "población")
#: ``servicios.csv``: header → key of :func:`mimpmap.views.service.service_rows`.
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
#: The column of a service's rows that says whether it reaches the unit (Sí, No, En parte: …).
SERVICE_REACHES = "llega el servicio"


def outputs(atlas: Atlas, fmt: str, job) -> Iterator[Output]:
    """The data files (see :mod:`mimpmap.formats`); none for an atlas described without its data."""
    if atlas.data is None:
        return
    from .workbook import dump, workbook_bytes

    units = unit_rows(atlas)
    services = service_table(atlas)
    yield Output(DATA_FILES["units"], lambda: csv_bytes(units), units)
    yield Output(DATA_FILES["services"], lambda: csv_bytes(services), services)
    for spec in job.maps:
        if isinstance(spec, ServiceMap):
            rows = service_unit_rows(atlas, spec)
            yield Output(service_data_file(spec.id), lambda rows=rows: csv_bytes(rows), (spec.id, rows))
    # No origin in it: it is the data of the maps, not an export of a file to import back over it.
    extra = () if atlas.index.availability is None else ((SHEET, atlas.index.availability.table),)
    if atlas.brechas is not None:
        extra += ((BRECHAS_SHEET, atlas.brechas.table),)
    shown = dump(atlas.data) if not extra else (dump(atlas.data), extra)
    yield Output(DATA_FILES["workbook"], lambda: workbook_bytes(atlas.data, extra=extra), shown)
    if atlas.centres is not None:
        centres = [list(row) for row in atlas.centres.rows]
        yield Output(DATA_FILES["centres"], lambda: csv_bytes(centres), ("centres", centres))
    available = atlas.index.availability
    if available is not None:
        for name, rows in ((DATA_FILES["availability"], available.table),
                           (DATA_FILES["without_cem"], available.province_table)):
            plain = [list(row) for row in rows]
            yield Output(name, lambda plain=plain: csv_bytes(plain), (name, plain))
    if atlas.brechas is not None:
        far = [list(row) for row in atlas.brechas.table]
        yield Output(DATA_FILES["brechas"], lambda: csv_bytes(far), ("brechas", far))


def unit_rows(atlas: Atlas) -> list[list[Any]]:
    """``cobertura.csv`` as rows, its header first: from the choropleth's units, each with the services
    that reach it (fully or partly)."""
    frame = atlas.boundaries.frame
    ids = [s.id for s in atlas.services]
    people = atlas.population
    rows: list[list[Any]] = [[*UNIT_HEAD, *ids, *(UNIT_TAIL if people else UNIT_TAIL[:1])]]
    for unit in atlas.choropleth.units:
        reached = {i for i, _ in unit.reached}
        row = [unit.code, unit.name, frame.at[unit.code, "ubigeo"], *(int(i in reached) for i in range(len(ids))),
               len(reached)]
        if people:
            row.append(people.of(frame.at[unit.code, "members"]))
        rows.append(row)
    return rows


def service_unit_rows(atlas: Atlas, spec: ServiceMap) -> list[list[Any]]:
    """``datos/servicios/<id>.csv`` as rows, its header first: the table under the service's map."""
    frame = atlas.boundaries.frame
    people = atlas.population
    rows: list[list[Any]] = [[*UNIT_HEAD, SERVICE_REACHES, *(UNIT_TAIL[1:] if people else ())]]
    for unit in spec.units:
        row = [unit.code, unit.name, frame.at[unit.code, "ubigeo"], unit.cell]
        if people:
            row.append(people.of(frame.at[unit.code, "members"]))
        rows.append(row)
    return rows


def service_table(atlas: Atlas) -> list[list[Any]]:
    """``servicios.csv`` as rows, its header first."""
    records = service_rows(atlas.data, atlas.population)
    columns = [(head, key) for head, key in SERVICE_COLUMNS.items() if any(key in r for r in records)]
    rows: list[list[Any]] = [[head for head, _ in columns]]
    for record in records:
        rows.append([_plain(record.get(key)) for _, key in columns])
    return rows


def _inert(value: Any) -> Any:
    return "'" + value if isinstance(value, str) and formula_like(value) else value


def _plain(value: Any) -> Any:
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return "" if value is None else value


def csv_bytes(rows: list[list[Any]]) -> bytes:
    """Rows as CSV text, UTF-8 with a byte order mark, lines ended with CRLF (RFC 4180).

    A text that a spreadsheet would take for a formula (``=HYPERLINK(...)``, ``@SUM(...)``, see
    :func:`mimpmap.text.formula_like`) is written after a single quote, as OWASP advises: Excel and
    LibreOffice then show it as text instead of running it. Numbers are written as they are."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([[_inert(value) for value in row] for row in rows])
    return buffer.getvalue().encode("utf-8-sig")

