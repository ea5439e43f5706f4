"""Figures that changed service: the data against the data the maps of an output folder show.

A figure belongs to its service by one cell: its place under the service in the YAML, or the
'servicio' column of the workbook's 'cifras' sheet. A wrong id there (a typo, or a wrong "¿quiso decir
...?" followed) moves the figures to another service and the file is still valid: CAI's "casos de
usuarios" under CAN reads as well as under CAI. Nothing inside the data can tell. What a figure
counts says nothing certain about whose it is (four services count "Usuarias/os atendidas/os", CEM
counts "casos" and "actividades"; a rule on words would cry wolf on the shipped data or miss the
swap), and its size neither (CAN's 43 people beside CEM's 2.7 million actions).

What can tell is history: the data the maps of the output folder show, written beside them as
``datos/cobertura.xlsx``. Against it a figure is of a kind a service never had when what it counts
(its unit, folded: case, accents and spaces aside) is not among that service's figures there, and a
service is left without figures when it had some there and has none now. A figure that left one
service for another is said as such. A service new to the data, or a folder without maps, has no
history: nothing is said.
"""

from __future__ import annotations

from pathlib import Path

from .errors import MimpmapError
from .layout import DATA_FILES
from .levels import normalize
from .manifest import Manifest
from .model import CoverageData, validate
from .readers import ods, xlsx


def shown_data(folder: Path, book: Manifest | None = None) -> CoverageData | None:
    """The data the maps of ``folder`` show (its ``datos/cobertura.xlsx``, as mimpmap wrote it), or
    ``None`` when there are none or the file was changed by hand; ``book``: the folder's manifest, if
    read already."""
    name = DATA_FILES["workbook"]
    if not (book if book is not None else Manifest.read(folder)).intact(folder, name):
        return None
    # mimpmap's own file (the manifest vouches for its bytes): calamine reads its rows as openpyxl does,
    # in a fortieth of the time, and this runs on every check and build of a folder with maps.
    from python_calamine import CalamineError

    try:
        return validate(xlsx.assemble(ods.calamine_tables((Path(folder) / name).read_bytes())))
    except (MimpmapError, CalamineError, OSError):
        return None


def figure_changes(data: CoverageData, folder: Path, book: Manifest | None = None) -> list[str]:
    """Warnings for the figures of ``data`` that changed service since the maps of ``folder`` were
    drawn (see the module's text); none without such maps. ``book``: the folder's manifest, if read
    already."""
    before = shown_data(folder, book)
    if before is None:
        return []
    old, new = _counted(before), _counted(data)
    where = f"los mapas de {folder}/"
    warnings, moved_from = [], set()
    for service, units in new.items():
        if service not in old:  # new to the data: no history
            continue
        for key in units.keys() - old[service].keys():
            sources = [other for other, had in old.items()
                       if key in had and other != service and key not in new.get(other, {})]
            moved_from.update(sources)
            if sources:
                warnings.append(f"la cifra «{units[key]}» es ahora del servicio '{service}', y en {where} era de "
                                f"'{sources[0]}', que ya no la tiene: si es de '{sources[0]}', corrija su servicio "
                                "(en un libro, la columna 'servicio' de la hoja 'cifras')")
            else:
                warnings.append(f"el servicio '{service}' tiene una cifra de algo que no contaba en {where}: "
                                f"«{units[key]}»; compruebe que es suya")
    for service, had in old.items():
        if had and service in new and not new[service] and service not in moved_from:
            warnings.append(f"el servicio '{service}' se quedó sin cifras (en {where} tenía "
                            f"{', '.join(f'«{u}»' for u in had.values())}); compruebe que no pasaron a otro servicio")
    return warnings


def _counted(data: CoverageData) -> dict[str, dict[str, str]]:
    """Service id → what its figures count, folded → as written."""
    return {s.id: {normalize(f.unit): f.unit for f in s.figures} for s in data.services}
