"""Availability per department (:mod:`mimpmap.availability`) in words and rows: the index's table and the
provinces without a CEM under it, the downloads ``datos/disponibilidad.csv`` and
``datos/provincias_sin_cem.csv`` (and the workbook's sheet of the same rows), and the line a department's
popup gives. Every phrase about availability is written here, once; each count says its source and year
(the directory's, the census's), and the census of the other population figures of the maps is named.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .availability import CEM, SITE_KINDS, Availability, UnitAvailability
from .centremaps import DIRECTORY
from .layout import DATA_FILES
from .readers.xlsx import AVAILABILITY
from .centres import DEPARTMENT_NAMES, SHELTER
from .levels import DEPARTMENT_COLUMN, DEPARTMENTS
from .text import join_words, number, plural

#: The unit the table counts by: the department a centre's UBIGEO names, whatever level the maps draw.
_UNIT = DEPARTMENTS.noun

TITLE = f"Disponibilidad por {_UNIT.one}"
#: The census a figure comes from, as a header or a line says it.
CENSUS = "censo {year}"
PROVINCES_TITLE = "Provincias sin CEM ({directory})"
#: Missing in a cell: no CEM, or shelters the directory does not place in one unit.
NONE = "—"
#: The index's links to the downloads.
LINK_TABLE = f"{TITLE} (CSV)"
LINK_PROVINCES = "Provincias sin CEM (CSV)"
#: The sheet of the data workbook that holds the same rows as ``datos/disponibilidad.csv`` (the workbook's
#: reader skips it).
SHEET = AVAILABILITY


@dataclass(frozen=True)
class AvailabilityView:
    """What the index, the downloads, the workbook and the popups show of availability."""

    title: str
    caption: str
    #: The table as the index shows it: header, a row per unit (texts), the total row.
    head: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    total: tuple[str, ...]
    notes: tuple[str, ...]
    provinces_title: str
    provinces_head: tuple[str, ...]
    provinces: tuple[tuple[str, ...], ...]
    #: What is said when every province has a CEM (empty otherwise).
    provinces_none: str
    #: ``datos/disponibilidad.csv`` and ``datos/provincias_sin_cem.csv``: plain values, header first.
    table: tuple[tuple[Any, ...], ...]
    province_table: tuple[tuple[Any, ...], ...]
    #: Map unit code → the line its popup gives ("9 CEM (Directorio MIMP 2026); 25 890 mujeres por CEM …").
    popups: tuple[tuple[str, str], ...]


def describe(found: Availability, population_year: int | None = None) -> AvailabilityView:
    """The words and rows of ``found``; ``population_year``: the census of the maps' other figures."""
    directory = DIRECTORY.format(year=found.centres_year)
    census = CENSUS.format(year=found.census_year)
    women_head = f"Mujeres ({census})"
    csv_head = (DEPARTMENT_COLUMN, *(f"{k} ({directory})" for k in (*SITE_KINDS, SHELTER)), f"mujeres ({census})",
                f"mujeres por CEM ({census}; {directory})")
    province_head = ("Provincia", _UNIT.title, women_head)
    return AvailabilityView(
        title=TITLE,
        caption=(f"Centros de cada tipo ({directory}), mujeres que viven en cada {_UNIT.one} ({census}) y mujeres "
                 "por CEM; Lima Metropolitana es la provincia de Lima (ubigeo 1501)."),
        head=(_UNIT.title, *SITE_KINDS, SHELTER, women_head, f"Mujeres por CEM ({census})"),
        rows=tuple(_cells(u) for u in found.units),
        total=_cells(found.total),
        notes=tuple(_notes(found, directory, census, population_year)),
        provinces_title=PROVINCES_TITLE.format(directory=directory),
        provinces_head=province_head,
        provinces=tuple((p.name, p.unit_name, number(p.women)) for p in found.provinces_without_cem),
        provinces_none="" if found.provinces_without_cem else (
            f"Todas las provincias del {census} tienen al menos un CEM en el {directory}."),
        table=(("código", *csv_head), *(_values(u) for u in (*found.units, found.total))),
        province_table=(("ubigeo", *(h.lower() for h in province_head)),
                        *((p.ubigeo, p.name, p.unit_name, p.women) for p in found.provinces_without_cem)),
        popups=tuple((u.code, _popup(u, directory, census)) for u in found.units),
    )


def _cells(u: UnitAvailability) -> tuple[str, ...]:
    per_cem = u.women_per_cem
    return (u.name, *(number(u.centres[k]) for k in SITE_KINDS), NONE if u.shelters is None else number(u.shelters),
            number(u.women), NONE if per_cem is None else number(round(per_cem)))


def _values(u: UnitAvailability) -> tuple[Any, ...]:
    per_cem = u.women_per_cem
    return (u.code, u.name, *(u.centres[k] for k in SITE_KINDS), "" if u.shelters is None else u.shelters,
            u.women, "" if per_cem is None else round(per_cem, 1))


def _popup(u: UnitAvailability, directory: str, census: str) -> str:
    kinds = join_words(f"{number(u.centres[k])} {k}" for k in SITE_KINDS if u.centres[k]) or "ningún centro"
    per_cem = u.women_per_cem
    women = "sin CEM" if per_cem is None else f"{number(round(per_cem))} mujeres por CEM ({census})"
    return f"{kinds} ({directory}); {women}"


def _notes(found: Availability, directory: str, census: str, population_year: int | None):
    yield (f"Centros: {directory} ({found.centres_source}). Mujeres ({census}): {found.census_source}.")
    if population_year is not None and population_year != found.census_year:
        yield (f"Las demás cifras de población de estos mapas son del censo {population_year}: no se mezclan con "
               f"las del {census}.")
    yield (f"{SHELTER}: Hogares de Refugio Temporal; son confidenciales y solo se cuentan por {_UNIT.one}. Las "
           "mujeres por CEM no cuentan los demás tipos de centro.")
    for department, count in found.unsplit_shelters.items():
        names = join_words(u.name for u in found.units if u.shelters is None)
        yield (f"{plural(count, 'HRT', 'HRT')} {_UNIT.of_the} de {DEPARTMENT_NAMES[department]} no se separan entre "
               f"{names}: el directorio solo da su {_UNIT.one} ({NONE} en la tabla; van en el total).")
    if found.provinces_without_cem:
        yield (f"{plural(len(found.provinces_without_cem), 'provincia no tiene', 'provincias no tienen')} ningún "
               f"{CEM}; en ellas viven {number(found.women_without_cem)} mujeres ({census}).")


def of_coverage(cov) -> AvailabilityView | None:
    """The availability of a joined coverage (:class:`mimpmap.coverage.Coverage`), when it has both the
    centres and the census; ``None`` otherwise."""
    from .availability import availability

    if cov.centres is None or cov.census is None:
        return None
    year = cov.population.year if cov.population is not None else None
    return describe(availability(cov.centres, cov.census), year)


def links() -> tuple[tuple[str, str], ...]:
    """The downloads of availability and their links' words."""
    return ((DATA_FILES["availability"], LINK_TABLE), (DATA_FILES["without_cem"], LINK_PROVINCES))
