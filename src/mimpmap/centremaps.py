"""Where the centres are, described for the maps: the directory's sites (:mod:`mimpmap.centres`) as
points by kind on the pages of the summary's services, a "Centros" layer for the choropleth, and the
rows of ``datos/centros.csv``. Every phrase about the centres is written here.

Which service's page shows which kind of the directory is decided here, once (:func:`kinds_of`): the
kind whose code is a service's short name (CEM, SAU, CAI: the same service in the 2021 summary and the
2026 directory), and the kinds of :data:`RELATED`, shown on a related service's page with a note that
says how they relate (the directory's SAR and the summary's Estrategia Rural). Shelters (HRT) are never
a point: the directory keeps only their count per department, and none of it is drawn here.

Dates never mix silently: every count of the directory says its source and year ("Directorio MIMP
2026"), and where the summary gives its own count of the same centres both are shown, each with its date.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Mapping

from .centres import DEPARTMENT, KINDS, SHELTER
from .levels import DEPARTMENT_COLUMN
from .text import clean_label, join_words, number, plural

if TYPE_CHECKING:  # pragma: no cover
    from .centres import Centre, Centres
    from .model import CoverageData, Service

#: How a count of the directory names its source and year.
DIRECTORY = "Directorio MIMP {year}"
#: The kinds the summary counts under another service, by that service's short name, and the note the
#: page shows about them (``{directory}``; ``{total}``/``{label}``/``{period}``:
#: the summary's count, its label and latest period).
RELATED: Mapping[str, tuple[str, str]] = MappingProxyType({
    "SAR": ("ER", "Los puntos del mapa son los Servicios de Atención Rural (SAR) del {directory}, el servicio "
                  "del MIMP frente a la violencia en zonas rurales. El resumen del MIMP no nombra los SAR: cuenta "
                  "{total} «{label}» de la Estrategia Rural, con cifras hasta {period}. No se sabe si son los mismos "
                  "centros: la cobertura y las cifras de esta página son las del resumen; los puntos, las del "
                  "directorio."),
})
#: The colour of each kind of centre (and subtype), and its name in legends and popups. Saturated hues
#: with a white ring, apart from the blues of the coverage fills.
LOOKS: Mapping[tuple[str, str], tuple[str, str]] = MappingProxyType({
    ("CEM", "regular"): ("#d95f02", "CEM regular"),
    ("CEM", "comisaría"): ("#7b3294", "CEM en comisaría"),
    ("CEM", "centro de salud"): ("#1b9e77", "CEM en centro de salud"),
    ("CEM", ""): ("#a6761d", "CEM"),
    ("SAR", ""): ("#e7298a", "SAR"),
    ("SAR", "PIAS"): ("#66a61e", "SAR itinerante PIAS"),
    ("SAU", ""): ("#e6ab02", "SAU"),
    ("CAI", ""): ("#333333", "CAI"),
})
#: The choropleth's layer of centres and its legend's title.
LAYER_NAME = "Centros ({directory})"
LEGEND_TITLE = "Centros por tipo ({directory})"
#: Where the centres of a map come from (the HTML panel and the printed notes).
SOURCE_LINE = "Fuente de los centros: {source}"
#: The search box on the pages with centres (html renders it).
SEARCH_LABEL = f"Buscar un centro, distrito, provincia o {DEPARTMENT.one}"
SEARCH_PLACEHOLDER = "Buscar centro o lugar…"
SEARCH_NONE = "Sin resultados"
#: The three centres nearest to a point of the map (a click, or Enter on the map for its centre): the
#: popup's title and note, the distance's unit and what the live region says first. Distances are
#: straight lines, never by road: every place that shows one says so.
NEAREST_TITLE = "Los 3 centros más cercanos"
NEAREST_NOTE = "Distancia en línea recta, no por carretera."
NEAREST_UNIT = "km en línea recta"
NEAREST_LIVE = "Centros más cercanos al punto elegido, en línea recta:"
NEAREST_HINT = ("Haga clic en el mapa (o pulse Intro con el mapa seleccionado) para ver los 3 centros más "
                "cercanos a ese punto, con su distancia en línea recta.")
#: The index's link to ``datos/centros.csv``, and what it holds.
DOWNLOAD_LINK = "Centros del MIMP frente a la violencia (CSV, {directory})"
DOWNLOAD_TEXT = ("Una fila por centro, con su dirección, teléfono y coordenadas, y si está en los mapas. Los Hogares de "
                 "Refugio Temporal no se listan: son confidenciales.")


@dataclass(frozen=True)
class Point:
    """A centre on a map: where, its colour, and what its popup says."""

    lat: float
    lon: float
    name: str
    kind: str
    color: str
    address: str
    place: str
    phones: tuple[str, ...]
    #: Its district, province and department, for the search.
    district: str
    province: str
    department: str


@dataclass(frozen=True)
class Swatch:
    color: str
    label: str


@dataclass(frozen=True)
class CentreLayer:
    """The centres one map shows: its points, legend, layer name and the words for its panel."""

    name: str
    legend_title: str
    swatches: tuple[Swatch, ...]
    points: tuple[Point, ...]
    #: Sentences for the service's panel: the count with its source and year, the summary's count with
    #: its date, what is not drawn, how the kinds relate to the service.
    lines: tuple[str, ...]
    source: str

    @property
    def source_line(self) -> str:
        """"Fuente de los centros: ...": where the points come from."""
        return SOURCE_LINE.format(source=self.source)


@dataclass(frozen=True)
class CentresView:
    """Every map's centres: a layer per service that shows some, and the choropleth's."""

    services: Mapping[str, CentreLayer]
    choropleth: CentreLayer
    #: ``datos/centros.csv`` (its header first): the sites that are not shelters.
    rows: tuple[tuple[Any, ...], ...]
    #: The index's link to it and what it holds.
    download: tuple[str, str] = ("", "")

    def of(self, service_id: str) -> CentreLayer | None:
        return self.services.get(service_id)


def directory_words(centres: "Centres") -> str:
    """``Directorio MIMP 2026``: how a count of the directory says where it comes from."""
    return DIRECTORY.format(year=centres.year)


def kinds_of(service: "Service") -> tuple[str, ...]:
    """The directory's kinds shown on ``service``'s page: its own (its short name) and related ones."""
    short = (service.short_name or "").upper()
    own = (short,) if short in KINDS and short != SHELTER else ()
    return own + tuple(code for code, (other, _) in RELATED.items() if other.upper() == short)


def summary(centres: "Centres") -> str:
    """The command line's summary of a centres file (``mimpmap check``)."""
    return (f"{directory_words(centres)}: {plural(len(centres.sites), 'sitio', 'sitios')}, "
            f"{number(len(centres.placed))} en el mapa, {number(len(centres.unlocated))} sin coordenadas, "
            f"{number(len(centres.astray))} con el punto fuera de su {DEPARTMENT.one}; "
            f"{number(sum(centres.shelters.values()))} HRT, solo contados por {DEPARTMENT.one}")


def describe(centres: "Centres", data: "CoverageData") -> CentresView:
    """The centres of every map of ``data``'s services."""
    directory = directory_words(centres)
    placed = centres.placed
    layers = {}
    for service in data.services:
        kinds = kinds_of(service)
        if kinds:
            layers[service.id] = _layer(centres, [c for c in placed if c.tipo in kinds], directory,
                                        _lines(centres, service, kinds, directory))
    everything = _layer(centres, list(placed), directory, ())
    return CentresView(services=layers, choropleth=everything, rows=tuple(rows(centres)),
                       download=(DOWNLOAD_LINK.format(directory=directory), DOWNLOAD_TEXT))


def _layer(centres: "Centres", sites: list["Centre"], directory: str, lines: tuple[str, ...]) -> CentreLayer:
    kinds = sorted({(c.tipo, c.subtipo) for c in sites}, key=list(LOOKS).index)
    return CentreLayer(
        name=LAYER_NAME.format(directory=directory),
        legend_title=LEGEND_TITLE.format(directory=directory),
        swatches=tuple(Swatch(*LOOKS[k]) for k in kinds),
        points=tuple(_point(c) for c in sites),
        lines=lines,
        source=centres.source,
    )


def _point(c: "Centre") -> Point:
    color, kind = LOOKS[(c.tipo, c.subtipo)]
    # The pages make the place again from the three fields (place() in html/assets/centres.js): alike.
    place = ", ".join(p for p in (c.distrito, c.provincia) if p)
    return Point(lat=round(c.lat, 5), lon=round(c.lon, 5), name=c.nombre, kind=kind, color=color,
                 address=c.direccion, place=f"{place} ({c.departamento})" if place else c.departamento,
                 phones=c.phones, district=c.distrito, province=c.provincia, department=c.departamento)


def _lines(centres: "Centres", service: "Service", kinds: tuple[str, ...], directory: str) -> tuple[str, ...]:
    sites = [c for c in centres.sites if c.tipo in kinds]
    looks = Counter(LOOKS[(c.tipo, c.subtipo)][1] for c in sites)
    parts = join_words(f"{number(n)} {label}" for label, n in looks.items())
    lines = [f"{directory}: {plural(len(sites), 'centro', 'centros')} ({parts})."]
    summary_count = service.centres
    period = clean_label(service.periods[-1].label) if service.periods else ""
    related = [RELATED[k][1] for k in kinds if k in RELATED]
    if summary_count and not related:
        lines.append(f"El resumen del MIMP cuenta {number(summary_count.total)} {summary_count.label}"
                     f"{f' (cifras hasta {period})' if period else ''}: son fuentes de fechas distintas.")
    for note in related:
        lines.append(note.format(directory=directory,
                                 total=number(summary_count.total) if summary_count else "—",
                                 label=summary_count.label if summary_count else "", period=period or "—"))
    unplaced = [f"{c.nombre} ({NO_POINT_WORDS})" for c in sites if not c.located]
    unplaced += [f"{a.centre.nombre} ({ASTRAY_WORDS})" for a in centres.astray if a.centre.tipo in kinds]
    if unplaced:
        verb = "No se dibuja" if len(unplaced) == 1 else "No se dibujan"
        lines.append(f"{verb} {plural(len(unplaced), 'centro', 'centros')}: {join_words(unplaced)}.")
    return tuple(lines)


#: Why a centre is not on the maps (the panel and the download say it alike).
NO_POINT_WORDS = "sin coordenadas"
ASTRAY_WORDS = f"su punto no cae en su {DEPARTMENT.one}"


#: ``datos/centros.csv``'s header: the directory's columns, and whether each site is on the maps.
ROW_HEAD = ("tipo", "subtipo", "nombre", "ubigeo", DEPARTMENT_COLUMN, "provincia", "distrito", "dirección",
            "teléfono", "lat", "lon", "en el mapa")
ON_MAP, NO_POINT, DOUBTFUL = "sí", f"no: {NO_POINT_WORDS}", f"no: {ASTRAY_WORDS}"


def rows(centres: "Centres"):
    """The sites that are not shelters, as rows (header first): shelters are never listed."""
    doubted = {a.centre.line for a in centres.astray}
    yield ROW_HEAD
    for c in centres.sites:
        where = NO_POINT if not c.located else DOUBTFUL if c.line in doubted else ON_MAP
        yield (c.tipo, c.subtipo, c.nombre, c.ubigeo, c.departamento, c.provincia, c.distrito, c.direccion,
               c.telefono, "" if c.lat is None else c.lat, "" if c.lon is None else c.lon, where)
