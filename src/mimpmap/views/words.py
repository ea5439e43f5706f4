"""Phrases several views share: how a coverage, a source, a share, a period, a figure's cell and a
page are worded, and the notes every printed map carries. Each is written here once.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..levels import DEFAULT_LEVEL
from ..text import clean_label, decimal

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Service
    from .marks import FigureRow, Value
    from .service import ServiceMap

FOOTER_NOTE = "Mapa elaborado con mimpmap. Los límites departamentales son referenciales."
PROJECTION_NOTE = "Proyección UTM 18S (WGS 84)"
#: The last line of a printed map's figures when not all of them fit beside the map (half a page).
FIGURES_ELSEWHERE = "… y más cifras en la página web del servicio y en el atlas PDF."
#: A service's legend title on static maps, under the service's name as the page title.
COVERAGE_LEGEND = "Cobertura"


NATIONAL = "A nivel nacional"


def coverage_words(national: bool, codes, parts=None) -> str:
    """A service's coverage in words: "A nivel nacional", or its places ("Ayacucho, Callao, Cusco y
    Lima Metropolitana"), those reached in part with the provinces reached (``parts``, the coverage
    data's): "Ayacucho y Cusco (solo Urubamba)"."""
    from .. import places

    return NATIONAL if national else places.describe(codes, parts=parts)


def spelled_out(service: "Service") -> str | None:
    """What a service's abbreviation stands for: the words its centres' label gives it ("Unidades de
    Adopción - UA"), else the service's name; ``None`` without an abbreviation."""
    short = service.abbreviation
    if not short:
        return None
    label = service.centres.label if service.centres else ""
    found = re.fullmatch(rf"(.+?)\s*[-–—]\s*{re.escape(short)}", label)
    return found.group(1) if found else service.name


def source_line(source: str) -> str:
    """``Fuente: ...``: how every map names its source."""
    return f"Fuente: {source}"


#: Said wherever a population reached is given: a department counts when the service works there.
#: The noun of the units the maps are drawn in, for phrases written before a coverage is read.
UNIT = DEFAULT_LEVEL.noun
REACH_CAVEAT = (f"Se cuenta la población de {UNIT.the_many} donde el servicio trabaja, no las personas que "
                f"atiende: llegar a {UNIT.a} no es llegar a cada persona que vive en {UNIT.it}.")


def percent(share: float) -> str:
    """A share (0–1) as Spanish words: ``38,8 %``."""
    return f"{decimal(100 * share)}\u00a0%"


def period_words(label: str, note: str | None) -> str:
    """"Año 2020 (2/)": a period as the maps write it (its dash as every label's: ``clean_label``)."""
    label = clean_label(label)
    return f"{label} ({note})" if note else label


#: The title of the key of abbreviations on the pages made for reports.
ABBREVIATIONS_TITLE = "Siglas"


def abbreviations(programs, services) -> tuple[str, ...]:
    """The key of the abbreviations a page names programs and services by, in their order:
    "CEM: Centros Emergencia Mujer", for each whose short name is not part of its name."""
    entries = []
    for program in programs:
        name = program.name
        for dash in (" - ", " – "):
            name = name.removesuffix(f"{dash}{program.short}")
        if program.short.casefold() not in name.casefold():
            entries.append(f"{program.short}: {name}")
    entries += [f"{s.display_name}: {s.name}" for s in services if s.display_name.casefold() not in s.name.casefold()]
    return tuple(entries)


def built_on(epoch: int | None) -> str | None:
    """"Generado el 1 de diciembre de 2026" for a build time (seconds since 1970, UTC), or None."""
    if epoch is None:
        return None
    import datetime

    months = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
              "octubre", "noviembre", "diciembre")
    day = datetime.datetime.fromtimestamp(epoch, tz=datetime.timezone.utc)
    return f"Generado el {day.day} de {months[day.month - 1]} de {day.year}"


#: The table of a service's figures (page and PDF atlas): the figure, a column per period, then the change.
FIGURE_COLUMN = "Cifra"
CHANGE_COLUMN = "Variación entre periodos"
#: In the change column of a figure whose periods cannot be compared.
NOT_COMPARED = "sin comparar"


def centres_line(service: "ServiceMap") -> str | None:
    """"CAI: 4": the service's centres, over its table of figures."""
    return f"{service.centres.label}: {service.centres.total}" if service.centres else None


def period_heading(period: Value) -> str:
    return period_words(period.text, period.note)


def value_cell(value: Value) -> str:
    return value.text + (f" {value.note}" if value.note else "")


def change_cell(row: FigureRow) -> str:
    """The leading change and what it compares: "−3,8 % por mes con servicio"."""
    return f"{row.headline} {row.basis}" if row.headline else NOT_COMPARED


def figure_notes(service: "ServiceMap") -> str | None:
    """Under the table of figures: each figure's comparisons, each saying what it compares, as on the
    service's page (the change note, ``change_note``, is under the figures of the page and the image)."""
    lines = []
    for row in service.figures:
        if row.changes:
            lines.append(f"{row.unit}: " + "; ".join(c.text for c in row.changes) + ".")
    return "\n".join(lines) or None


def page_number(n: int, total: int) -> str:
    return f"Página {n} de {total}"
