"""The description of every map, built once from the join and drawn by every renderer.

:func:`describe` turns a :class:`~mimpmap.coverage.Coverage` into an :class:`Atlas`: the choropleth,
one :class:`ServiceMap` per service and the index, each with its titles, every unit's status, colour
and words, its legend, figures, notes and source. The renderers (``html/`` with folium, ``static`` with
matplotlib, and every later format) only draw these descriptions: none of them reads the coverage or
words anything that depends on the data. Every phrase a reader sees about the data is written here,
once, so the HTML page, the PNG/SVG and the PDF cannot disagree.

The descriptions are plain frozen dataclasses of strings and numbers; the one heavy field is the
boundary geometry (:attr:`Atlas.boundaries`), which every map shares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from . import availview, centremaps, colors, comparisons, layout
from .comparisons import Change
from .coverage import FULL, NONE, PARTIAL, Coverage
from .layout import CHOROPLETH, CHOROPLETH_TITLE, service_file
from .model import find_service
from .text import clean_label, decimal, join_words, number, period_summary, plural, sentence

if TYPE_CHECKING:  # pragma: no cover
    from .availview import AvailabilityView
    from .centremaps import CentresView
    from .geography import Boundaries
    from .model import CoverageData, Service
    from .population import Population

__all__ = ["describe", "Atlas", "Choropleth", "ServiceMap", "Index", "FULL", "PARTIAL", "NONE"]

#: Service overlays take these colours in the order they are switched on (the page gives each the
#: first one no other active service has), so services on together always differ and no service's
#: look depends on the others in the file. Paul Tol's colour-blind-safe "bright" scheme without its
#: grey (grey is "no service"), and the orange of his "vibrant" one.
OVERLAY_PALETTE = ("#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee", "#aa3377", "#ee7733")
#: Centres (markers): orange reads against the blue of covered units and the grey of the rest.
SITE_COLOR = "#d95f02"

FOOTER_NOTE = "Mapa elaborado con mimpmap. Los límites departamentales son referenciales."
OFFLINE_NOTE = "Cada mapa es una página independiente: se abre sin conexión a internet."
CDN_NOTE = "Los mapas cargan la biblioteca Leaflet desde internet."
PROJECTION_NOTE = "Proyección UTM 18S (WGS 84)"
#: The last line of a printed map's figures when not all of them fit beside the map (half a page).
FIGURES_ELSEWHERE = "… y más cifras en la página web del servicio y en el atlas PDF."
#: A service's legend title on static maps, under the service's name as the page title.
COVERAGE_LEGEND = "Cobertura"


NATIONAL = "A nivel nacional"


def coverage_words(national: bool, codes) -> str:
    """A service's coverage in words: "A nivel nacional", or its places ("Ayacucho, Callao, Cusco y
    Lima Metropolitana")."""
    from . import places

    return NATIONAL if national else places.describe(codes)


def spelled_out(service: "Service") -> str | None:
    """What a service's abbreviation stands for: the words its centres' label gives it ("Unidades de
    Adopción - UA"), else the service's name; ``None`` without an abbreviation."""
    short = service.abbreviation
    if not short:
        return None
    label = service.centres.label if service.centres else ""
    found = re.fullmatch(rf"(.+?)\s*[-–—]\s*{re.escape(short)}", label)
    return found.group(1) if found else service.name


def _source_words(text: str | None, words: str) -> str | None:
    """``text`` (a coverage as the source words it), unless it names the same places as ``words``,
    in whatever order ("Ayacucho, Cusco, Lima Metropolitana y Callao")."""
    from .levels import normalize

    def places(t: str) -> list[str]:
        return sorted(w for w in normalize(t).split() if w not in ("en", "y"))

    return None if not text or places(text) == places(words) else text


def source_line(source: str) -> str:
    """``Fuente: ...``: how every map names its source."""
    return f"Fuente: {source}"


#: Said wherever a population reached is given: a department counts when the service works there.
REACH_CAVEAT = ("Se cuenta la población de los departamentos donde el servicio trabaja, no las personas que "
                "atiende: llegar a un departamento no es llegar a cada persona que vive en él.")


def percent(share: float) -> str:
    """A share (0–1) as Spanish words: ``38,8 %``."""
    return f"{decimal(100 * share)}\u00a0%"


# --- the parts of a map ---------------------------------------------------------------------------


@dataclass(frozen=True)
class People:
    """The population of the units a service works in, and of the rest (from the census)."""

    reached: int
    not_reached: int
    share: float
    year: int
    #: "Llega a departamentos donde viven 11 391 171 personas, el 38,8 % de la población censada en 2017."
    sentence: str
    #: The figure box's line: "Población de sus departamentos: 11 391 171 (38,8 %, censo 2017)".
    line: str
    #: In a table cell: "11 391 171 (38,8 %)".
    cell: str


@dataclass(frozen=True)
class Swatch:
    """A legend entry: a fill (``color``), a hatched partial fill, or a centre's dot."""

    label: str
    color: str | None = None
    hatch: bool = False
    circle: bool = False


@dataclass(frozen=True)
class Legend:
    title: str
    swatches: tuple[Swatch, ...]
    #: What hatching means on this map, where some unit is hatched.
    partial: Swatch | None = None
    #: Shown instead of the swatches while service overlays are on (the choropleth's).
    overlays_note: str | None = None


@dataclass(frozen=True)
class Unit:
    """One map unit as one map shows it."""

    code: str
    name: str
    status: str  # FULL, PARTIAL or NONE; on the choropleth, whether any service arrives
    fill: str
    hatched: bool
    tip: str  # the words on hover
    cell: str  # the words in the data table under the map
    #: The choropleth's count, drawn under the name on static maps.
    count: int | None = None
    #: People living in the unit (census): the number, and in words; ``None`` without figures.
    people: str | None = None
    people_tip: str | None = None


@dataclass(frozen=True)
class ChoroplethUnit(Unit):
    note: str | None = None  # partial coverage counted here
    head: str = ""  # the popup's first line
    #: The services that reach the unit: (index in Atlas.services, partial words or None).
    reached: tuple[tuple[int, str | None], ...] = ()


@dataclass(frozen=True)
class Bar:
    """A bar of a small chart: its label, value, share of the whole (0–1) and the value in words."""

    label: str
    value: int
    share: float
    text: str


@dataclass(frozen=True)
class Program:
    id: str
    short: str
    name: str
    description: str | None


@dataclass(frozen=True)
class Overlay:
    """A service drawn over the choropleth: the units it reaches fully and in part."""

    id: str
    name: str  # the short name, in the layer control
    title: str  # the full name with its abbreviation, for assistive technology
    program: Program
    codes: tuple[str, ...]
    partial: tuple[str, ...]
    #: The colours it may take when switched on, in order (see OVERLAY_PALETTE).
    palette: tuple[str, ...] = OVERLAY_PALETTE
    #: What ``name`` stands for where it is an abbreviation ("Unidades de Adopción" for UA), said
    #: beside it in the popups.
    spelled: str | None = None


@dataclass(frozen=True)
class Note:
    """A footnote: its mark and text, and the anchor the figures link to."""

    mark: str
    text: str
    anchor: str


@dataclass(frozen=True)
class Value:
    text: str
    note: str | None


@dataclass(frozen=True)
class FigureRow:
    """A figure across its periods, and how it changed: the comparison that is fair for it first
    (:mod:`mimpmap.comparisons`), each one saying what it compares."""

    unit: str
    kind: str
    values: tuple[Value, ...]
    #: The leading change, short: "−3,8 %"; with a tiny base the two figures, "4 → 727"; ``None``
    #: when the periods cannot be compared.
    headline: str | None = None
    #: What the headline compares, under it: "por mes con servicio", "base muy pequeña".
    basis: str = ""
    #: Every comparison, the headline's first.
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True)
class Site:
    name: str
    place: str  # "Distrito (Provincia, Departamento)"
    count: str
    location: tuple[float, float] | None
    lines: tuple[str, ...]  # the marker's popup


@dataclass(frozen=True)
class Centres:
    total: str
    label: str
    breakdown_title: str
    breakdown: tuple[tuple[str, str], ...]
    sites: tuple[Site, ...]
    site_counts: bool


@dataclass(frozen=True)
class Header:
    kicker: str
    title: str
    sub: str


# --- the maps ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceMap:
    """One service's map: where it arrives, its centres, figures, notes and source."""

    id: str
    key: str  # path of its files without extension: servicios/cai
    program: Program
    name: str
    short: str | None
    title: str
    display_name: str
    description: str
    header: Header
    page_title: str
    page_description: str
    aria_label: str
    coverage_words: str
    coverage: str
    reach: str
    people: People | None
    #: Map units reached (fully or in part), of them in part, and the partial words ("solo Lima
    #: Metropolitana").
    reached_units: int
    partial_units: int
    partial_words: tuple[str, ...]
    partial_codes: tuple[str, ...]
    units: tuple[Unit, ...]
    legend: Legend
    table_caption: str
    people_column: str | None
    centres: Centres | None
    periods: tuple[Value, ...]
    figures: tuple[FigureRow, ...]
    change_note: str | None
    activities: tuple[str, ...]
    notes: tuple[str, ...]
    footnotes: tuple[Note, ...]
    service_source: str | None
    source: str
    #: The static map's lines under the title, and its box of figures.
    static_subtitle: str
    static_period: str | None
    static_figures: tuple[str, ...]
    static_notes: tuple[str, ...]
    static_source: str
    #: The source's own words for the coverage where they say more than the places in ``coverage``
    #: (in any order): "en Lima", "Lima Metropolitana (Lima) y Áncash (Chimbote, provincia del Santa)".
    coverage_source: str | None = None

    def anchor(self, mark: str | None) -> str:
        """The id of a footnote's entry, for the marks that point at it ("" for no mark)."""
        return next((n.anchor for n in self.footnotes if n.mark == mark), "")

    @property
    def sites(self) -> tuple[Site, ...]:
        """The centres with a place on the map."""
        return tuple(s for s in (self.centres.sites if self.centres else ()) if s.location is not None)

    @property
    def figure_groups(self) -> list[tuple[str | None, list[FigureRow]]]:
        """The figures by kind (attention, prevention), titled only when there are both."""
        titles = {"atencion": "Atención", "prevencion": "Prevención"}
        kinds = [k for k in titles if any(f.kind == k for f in self.figures)]
        return [(titles[k] if len(kinds) > 1 else None, [f for f in self.figures if f.kind == k]) for k in kinds]


@dataclass(frozen=True)
class Choropleth:
    """How many services reach each unit, with a layer per service to compare them."""

    key: str
    header: Header
    page_title: str
    page_description: str
    aria_label: str
    units: tuple[ChoroplethUnit, ...]
    legend: Legend
    overlays: tuple[Overlay, ...]
    overlays_title: str
    lead: str
    howto: str
    extremes: tuple[str, ...]
    table_caption: str
    source: str
    static_subtitle: str
    static_period: str | None
    static_source: str
    #: People by how many services reach where they live, and the services by people reached
    #: (empty without population figures), with their titles and the caveat.
    people_by_count: tuple[Bar, ...] = ()
    people_by_count_title: str = ""
    ranking: tuple[Bar, ...] = ()
    ranking_title: str = ""
    people_note: str = ""
    people_column: str | None = None


@dataclass(frozen=True)
class SummaryRow:
    """A row of the index's table of services."""

    id: str
    name: str
    program: str
    coverage: str
    centres: str
    latest: str | None = None
    unit: str | None = None
    period: str | None = None
    people: str | None = None


@dataclass(frozen=True)
class Card:
    key: str  # the map's files without extension: cobertura, servicios/cai
    title: str
    text: str
    wide: bool = False


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    subtitle: str | None
    cards: tuple[Card, ...]


@dataclass(frozen=True)
class Index:
    page_title: str
    description: str
    header: Header
    lead: str
    sections: tuple[Section, ...]
    summary: tuple[SummaryRow, ...]
    people_column: str | None = None
    #: Centres, women and women per CEM by department (:mod:`mimpmap.availview`); ``None`` without the
    #: centres or the census.
    availability: "AvailabilityView | None" = None


@dataclass(frozen=True)
class Atlas:
    """Every map of one coverage, and what they share."""

    title: str
    period: str
    source: str
    publisher: str | None
    #: The units' geometry, which every map shares (hashed apart by the build: see manifest.py).
    boundaries: "Boundaries" = field(metadata={"digest": False})
    programs: tuple[Program, ...]
    choropleth: Choropleth
    services: tuple[ServiceMap, ...]
    index: Index
    footer_note: str = FOOTER_NOTE
    #: Where the boundary file lacks units or does not split Lima (for the command line).
    warnings: tuple[str, ...] = field(default=())
    #: The title of the static maps' inset: its units as the file has them ("Lima Metropolitana y Callao").
    inset_title: str = ""
    #: The validated data and the population it was described from, for the data downloads
    #: (:mod:`mimpmap.tables`), which hash what they show themselves.
    data: "CoverageData | None" = field(default=None, metadata={"digest": False}, repr=False, compare=False)
    population: "Population | None" = field(default=None, metadata={"digest": False}, repr=False, compare=False)
    #: Where the centres are (:mod:`mimpmap.centremaps`), when a centres file is given: the outputs that
    #: draw them hash their own part of it.
    centres: "CentresView | None" = field(default=None, metadata={"digest": False}, repr=False, compare=False)

    def service(self, service_id: str) -> ServiceMap:
        """A service's map by its id, or by its short name in any case (``CAI``, ``ER``)."""
        return find_service(self.services, service_id)

    @property
    def maps(self) -> tuple["Choropleth | ServiceMap", ...]:
        return (self.choropleth, *self.services)


def service_rows(data: "CoverageData", population: "Population | None" = None) -> list[dict]:
    """The services as rows of plain values (``mimpmap list``, the data downloads): id, names,
    program, coverage codes and words, units, and the population reached when figures are given."""
    rows = []
    for s in data.services:
        codes = sorted(data.codes[s.id])
        row = {
            "id": s.id,
            "name": s.name,
            "short_name": s.display_name,
            "program": data.program(s.program).short_name,
            "national": s.national,
            "coverage": codes,
            "coverage_text": coverage_words(s.national, codes),
            "units": len(codes),
        }
        row["change"] = [comparisons.figure_numbers(s, f) for f in s.figures] if len(s.periods) >= 2 else []
        if population is not None:
            reach = population.reach(codes)
            row.update(population_reached=reach.reached, population_share=round(reach.share, 4),
                       population_not_reached=reach.not_reached)
        rows.append(row)
    return rows


# --- building the descriptions --------------------------------------------------------------------


def describe(cov: Coverage) -> Atlas:
    """The description of every map of ``cov``."""
    return _Describer(cov).atlas()


class _Describer:
    """Works out the words of every map from one coverage; what several maps share is computed once."""

    def __init__(self, cov: Coverage):
        self.cov = cov
        self.status = cov.status.to_dict()  # service id → {unit code: FULL, PARTIAL or NONE}
        self.names: dict[str, str] = cov.units["nombre"].to_dict()

    def atlas(self) -> Atlas:
        file = self.cov.data.file
        services = tuple(self.service(s) for s in self.cov.services)
        return Atlas(
            title=file.title,
            period=self.period,
            source=file.source,
            publisher=file.publisher,
            boundaries=self.cov.boundaries,
            programs=tuple(self.programs.values()),
            choropleth=self.choropleth(),
            services=services,
            index=self.index(services),
            warnings=tuple(self.warnings(services)),
            inset_title=self.inset_title,
            data=self.cov.data,
            population=self.cov.population,
            centres=centremaps.describe(self.cov.centres, self.cov.data) if self.cov.centres else None,
        )

    @property
    def level(self):
        """The geographic level of the map units (its names, its merges, its inset)."""
        return self.cov.boundaries.level

    def merges(self):
        """The level's merges the boundary file draws as one unit (Lima when it is not split)."""
        merged = set(self.cov.boundaries.merged)
        return [m for m in self.level.merges if m.code in merged]

    def warnings(self, services: tuple[ServiceMap, ...]):
        """What the boundary file lacks, which services that leaves unmapped, and partial coverage."""
        for merge in self.merges():
            partial = [m for m in services if any(c == merge.code for c in m.partial_codes)]
            if partial:
                kinds = ", ".join(sorted({w for m in partial for w in m.partial_words}))
                core = self.level.unit(merge.core).nombre
                yield (f"el archivo de límites no separa {core}; "
                       f"{plural(len(partial), 'servicio se muestra', 'servicios se muestran')} como cobertura parcial "
                       f"de {merge.nombre} ({kinds}): {', '.join(m.id for m in partial)}")
        for code in self.cov.boundaries.missing:
            reached = [s.id for s in self.cov.services if code in self.cov.data.codes[s.id]]
            yield (f"el archivo de límites no tiene {self.level.unit(code).nombre} ({code}); servicios que lo "
                   f"alcanzan: {', '.join(reached) or 'ninguno'}")

    @cached_property
    def inset_title(self) -> str:
        """The inset's title: its units as the file has them ("Lima Metropolitana y Callao", or "Lima y
        Callao" when the file merges Lima)."""
        names = []
        for code in self.level.inset:
            if code in self.names:
                names.append(self.names[code])
            else:
                names += [m.nombre for m in self.level.merges if code in m.members and m.code in self.names]
        return join_words(dict.fromkeys(names))

    # -- shared ------------------------------------------------------------------------------------

    @cached_property
    def period(self) -> str:
        return period_summary([p.label for p in s.periods] for s in self.cov.services)

    @cached_property
    def programs(self) -> dict[str, Program]:
        return {p.id: Program(p.id, p.short_name, p.name, p.description) for p in self.cov.programs}

    def codes(self, service: "Service", *statuses: str) -> list[str]:
        return [code for code, st in self.status[service.id].items() if st in statuses]

    @cached_property
    def partial_words(self) -> dict[tuple[str, str], str]:
        """(unit code, service id) → "solo Lima Metropolitana" for every partly reached unit."""
        out = {}
        members = self.cov.units["members"].to_dict()
        for service in self.cov.services:
            covered = set(self.cov.data.codes[service.id])
            for code in self.codes(service, PARTIAL):
                out[(code, service.id)] = self.level.partial_words([m for m in members[code] if m in covered])
        return out

    def coverage_words(self, service: "Service") -> str:
        return coverage_words(service.national, self.cov.data.codes[service.id])

    @cached_property
    def unit_people(self) -> dict[str, int] | None:
        people = self.cov.unit_population()
        return None if people is None else {code: int(n) for code, n in people.items()}

    def people(self, service: "Service") -> People | None:
        reach = self.cov.reach(service.id)
        if reach is None:
            return None
        year = self.cov.population.year
        share = percent(reach.share)
        if service.national:
            sentence_ = f"Llega a todo el país: {number(reach.reached)} personas según el censo de {year}."
        else:
            sentence_ = (f"Llega a departamentos donde viven {number(reach.reached)} personas, el {share} de la "
                         f"población censada en {year}; en los demás viven {number(reach.not_reached)}.")
        return People(reach.reached, reach.not_reached, reach.share, year, sentence_,
                      f"Población de sus departamentos: {number(reach.reached)} ({share}, censo {year})",
                      f"{number(reach.reached)} ({share})")

    def people_words(self, code: str) -> dict:
        """A unit's ``people`` and ``people_tip`` (nothing without population figures)."""
        if self.unit_people is None:
            return {}
        n = number(self.unit_people[code])
        return {"people": n, "people_tip": f"{n} habitantes (censo {self.cov.population.year})"}

    @cached_property
    def people_column(self) -> str | None:
        """The heading of the population column of the tables under the maps."""
        return None if self.cov.population is None else f"Población (censo {self.cov.population.year})"

    def coverage_line(self, service: "Service") -> str:
        """A header's line: the places by name while they are few, else how many."""
        reached = len(self.codes(service, FULL, PARTIAL))
        if service.national or reached <= 6:
            return "Cobertura: " + self.coverage_words(service)
        return f"Cobertura: {number(reached)} de {plural(len(self.names), 'departamento', 'departamentos')}"

    # -- the choropleth ------------------------------------------------------------------------------

    @cached_property
    def classes(self) -> list[colors.CountClass]:
        return colors.count_classes(self.cov.counts.tolist())

    def choropleth(self) -> Choropleth:
        cov = self.cov
        n = len(cov.services)
        sub = f"{self.period} · {plural(n, 'servicio', 'servicios')}" if self.period else plural(n, "servicio", "servicios")
        title = CHOROPLETH_TITLE
        return Choropleth(
            key=CHOROPLETH,
            header=Header("Mapa de cobertura", title, sub),
            page_title=f"{title} — Mapa de cobertura",
            page_description=f"{title}: {cov.data.file.title}. {self.period}.",
            aria_label=f"Mapa: {title}",
            units=tuple(self.count_unit(code) for code in self.names),
            legend=self.count_legend(),
            overlays=tuple(self.overlay(s) for s in cov.services),
            overlays_title="Servicios para comparar",
            lead=self.choropleth_lead(),
            howto=(
                "Pase el cursor (o toque) sobre un departamento para ver cuántos servicios llegan; haga clic "
                "para ver cuáles son, con un enlace al mapa de cada uno. Con el botón de capas (arriba a la "
                "derecha) puede superponer servicios para compararlos."
            ),
            extremes=tuple(self.extremes()),
            table_caption="Número de servicios del MIMP que llegan a cada departamento",
            source=cov.data.file.source,
            static_subtitle=cov.data.file.title,
            static_period=self.period or None,
            static_source=source_line(cov.data.file.source),
            **self.people_charts(),
        )

    def people_charts(self) -> dict:
        """The choropleth panel's two charts: people by services reaching them, services by people."""
        if self.unit_people is None:
            return {}
        year = self.cov.population.year
        total = sum(self.unit_people.values())
        by_count: dict[int, int] = {}
        for code, people in self.unit_people.items():
            by_count[int(self.cov.counts[code])] = by_count.get(int(self.cov.counts[code]), 0) + people
        bars = tuple(Bar(plural(n, "servicio", "servicios"), people, people / total,
                         f"{number(people)} ({percent(people / total)})")
                     for n, people in sorted(by_count.items()))
        ranked = sorted(((s, self.people(s)) for s in self.cov.services), key=lambda sp: -sp[1].reached)
        ranking = tuple(Bar(s.display_name, p.reached, p.share, f"{percent(p.share)}") for s, p in ranked)
        return {
            "people_by_count": bars,
            "people_by_count_title": f"Población según cuántos servicios llegan a su departamento (censo {year})",
            "ranking": ranking,
            "ranking_title": f"Servicios según la población de los departamentos a los que llegan (censo {year})",
            "people_note": REACH_CAVEAT,
            "people_column": self.people_column,
        }

    def count_unit(self, code: str) -> ChoroplethUnit:
        index = {s.id: i for i, s in enumerate(self.cov.services)}
        count = int(self.cov.counts[code])
        reached = [(s, self.partial_words.get((code, s.id)) if st == PARTIAL else None)
                   for s, st in self.cov.services_at(code)]
        partial = [words for _, words in reached if words]
        note = None
        if partial:
            kinds = sorted(set(partial))
            note = (f"incluye {number(len(partial))} {kinds[0]}" if len(kinds) == 1
                    else f"incluye {number(len(partial))} que llegan solo a una parte")
        head = (f"{plural(count, 'servicio del MIMP llega', 'servicios del MIMP llegan')} aquí:"
                if count else "Ningún servicio del MIMP llega aquí.")
        return ChoroplethUnit(
            code=code,
            name=self.names[code],
            status=FULL if count else NONE,
            fill=colors.color_for_count(count, self.classes),
            hatched=bool(partial),
            tip=plural(count, "servicio", "servicios"),
            cell="; ".join(s.name + (f" ({words})" if words else "") for s, words in reached) or "Ninguno",
            count=count,
            **self.people_words(code),
            note=note,
            head=head,
            reached=tuple((index[s.id], words) for s, words in reached),
        )

    def count_legend(self) -> Legend:
        swatches = []
        if (self.cov.counts == 0).any():
            swatches.append(Swatch("0", colors.NEUTRAL))
        for cls, color in zip(self.classes, colors.class_colors(self.classes)):
            swatches.append(Swatch(cls.label, color))
        partial = None
        if self.cov.has_partial:
            kinds = sorted(set(self.partial_words.values()))
            partial = Swatch("Cuenta también los servicios que llegan solo en parte (" + ", ".join(kinds) + ").",
                             hatch=True)
        return Legend("Servicios que llegan", tuple(swatches), partial,
                      overlays_note="Con servicios activados, el mapa muestra solo esos servicios, cada uno en su "
                                    "color:")

    def overlay(self, service: "Service") -> Overlay:
        return Overlay(
            id=service.id,
            name=service.display_name,
            title=service.title,
            program=self.programs[service.program],
            codes=tuple(self.codes(service, FULL)),
            partial=tuple(self.codes(service, PARTIAL)),
            spelled=spelled_out(service),
        )

    def choropleth_lead(self) -> str:
        cov = self.cov
        lead = (
            f"Cada departamento se colorea según cuántos de los {plural(len(cov.services), 'servicio', 'servicios')} "
            f"de {plural(len(self.programs), 'programa', 'programas')} del MIMP llegan a él."
        )
        merged = self.merges()
        for merge in self.level.merges:
            core, rest = self.level.unit(merge.core).nombre, self.level.unit(merge.rest).nombre
            if merge not in merged:
                lead += f" {core} y {rest} se muestran por separado."
            elif cov.has_partial:
                lead += (f" Este mapa no separa {merge.nombre}: un servicio que solo llega a {core} se cuenta"
                         f" en {merge.nombre} y se marca «{self.level.partial_words([merge.core])}».")
        return lead

    def extremes(self) -> list[str]:
        counts, names = self.cov.counts, self.cov.units["nombre"]
        if not len(counts):
            return []
        top, low = int(counts.max()), int(counts.min())
        lines = [f"Más servicios: {join_words(names[counts == top].tolist())} ({number(top)})."]
        if low != top:
            lines.append(f"Menos servicios: {join_words(names[counts == low].tolist())} ({number(low)}).")
        national = sum(1 for s in self.cov.services if s.national)
        if national:
            lines.append(f"{plural(national, 'servicio llega', 'servicios llegan')} a todo el país.")
        return lines

    # -- a service -------------------------------------------------------------------------------------

    def service(self, service: "Service") -> ServiceMap:
        program = self.programs[service.program]
        notes = tuple(Note(f.mark, f.text, f"nota-{i + 1}") for i, f in enumerate(service.footnotes))
        words = self.coverage_words(service)
        file = self.cov.data.file
        static_source = source_line(file.source) + (f". Datos de {service.source}" if service.source else "")
        change_note = comparisons.change_note(service)
        return ServiceMap(
            id=service.id,
            key=service_file(service.id).rsplit(".", 1)[0],
            program=program,
            name=service.name,
            short=service.abbreviation,
            title=service.title,
            display_name=service.display_name,
            description=service.description,
            header=Header(f"{program.short} · Mapa del servicio", service.title, self.coverage_line(service)),
            page_title=f"{service.title} — Mapa de cobertura del MIMP",
            page_description=f"{service.name}: {words}. {service.description}",
            aria_label=f"Mapa: cobertura de {service.name}",
            coverage_words=words,
            coverage=words,
            coverage_source=_source_words(service.coverage_text, words),
            reach=self.reach(service),
            people=self.people(service),
            reached_units=len(self.codes(service, FULL, PARTIAL)),
            partial_units=len(self.codes(service, PARTIAL)),
            partial_words=tuple(sorted({self.partial_words[(c, service.id)] for c in self.codes(service, PARTIAL)})),
            partial_codes=tuple(self.codes(service, PARTIAL)),
            units=tuple(self.status_unit(code, service) for code in self.names),
            legend=self.service_legend(service),
            table_caption=f"Departamentos a los que llega {service.name}",
            people_column=self.people_column,
            centres=self.centres(service),
            periods=tuple(Value(clean_label(p.label), p.note) for p in service.periods),
            figures=tuple(self.figure_rows(service)),
            change_note=change_note,
            activities=tuple(service.activities),
            notes=tuple(service.notes),
            footnotes=notes,
            service_source=service.source,
            source=file.source,
            static_subtitle=f"{program.short} · Cobertura: {words}",
            static_period=("Periodos: " + join_words(_period(p.label, p.note) for p in service.periods))
            if service.periods else None,
            static_figures=tuple(self.figure_lines(service)),
            static_notes=tuple([f"{f.mark} {f.text}" for f in service.footnotes] + list(service.notes)),
            static_source=static_source,
        )

    def status_unit(self, code: str, service: "Service") -> Unit:
        status = self.status[service.id][code]
        if status == FULL:
            tip, cell, fill = "Llega el servicio", "Sí", colors.COVERED
        elif status == PARTIAL:
            tip = cell = f"En parte: {self.partial_words.get((code, service.id), 'solo en parte')}"
            fill = colors.PARTIAL_FILL
        else:
            tip, cell, fill = "No llega el servicio", "No", colors.NEUTRAL
        return Unit(code, self.names[code], status, fill, status == PARTIAL, tip, cell, **self.people_words(code))

    def service_legend(self, service: "Service") -> Legend:
        swatches = [Swatch("Llega el servicio", colors.COVERED)]
        kinds = sorted({self.partial_words[(c, service.id)] for c in self.codes(service, PARTIAL)})
        swatches += [Swatch(f"En parte ({words})", hatch=True) for words in kinds]
        swatches.append(Swatch("No llega", colors.NEUTRAL))
        if any(s.location is not None for s in (service.centres.sites if service.centres else [])):
            swatches.append(Swatch(service.centres.label, SITE_COLOR, circle=True))
        return Legend(service.display_name, tuple(swatches))

    def reach(self, service: "Service") -> str:
        full = len(self.codes(service, FULL))
        parts = []
        if full:
            parts.append(f"llega a {number(full)} de {plural(len(self.names), 'departamento', 'departamentos')}")
        partial_codes = self.codes(service, PARTIAL)
        if partial_codes:
            parts.append("en parte a " + join_words(
                f"{self.names[c]} ({self.partial_words[(c, service.id)]})" for c in partial_codes))
        text = "En el mapa: " + (" y ".join(parts) if parts else "no llega a ninguno de sus departamentos") + "."
        missing = self.cov.unreached(service.id)
        if missing:
            text += (" El archivo de límites no tiene "
                     + join_words(self.level.unit(c).nombre for c in missing) + ", que el servicio también cubre.")
        return text

    def centres(self, service: "Service") -> Centres | None:
        c = service.centres
        if not c:
            return None
        return Centres(
            total=number(c.total),
            label=c.label,
            breakdown_title=c.breakdown_title or "Tipos",
            breakdown=tuple((b.type, number(b.count)) for b in c.breakdown),
            sites=tuple(Site(
                name=s.name,
                place=f"{s.district} ({s.province}, {s.department})",
                count=number(s.count),
                location=(float(s.location[0]), float(s.location[1])) if s.location is not None else None,
                lines=(f"Distrito de {s.district}, provincia de {s.province} ({s.department})",
                       *([f"{number(s.count)} {c.label}"] if s.count != 1 else [])),
            ) for s in c.sites),
            site_counts=any(s.count != 1 for s in c.sites),
        )

    def figure_rows(self, service: "Service"):
        for fig in service.figures:
            values = tuple(Value(number(v.value), v.note) for v in fig.values)
            yield FigureRow(sentence(fig.unit), fig.kind, values, **comparisons.figure_change(service, fig))

    def figure_lines(self, service: "Service"):
        """The static map's box: centres, population reached, the periods, then each figure across them
        and its leading change."""
        if service.centres:
            yield f"{service.centres.label}: {number(service.centres.total)}"
        people = self.people(service)
        if people:
            yield people.line
        if not (service.figures and service.periods):
            return
        yield " → ".join(_period(p.label, p.note) for p in service.periods)
        for row in self.figure_rows(service):
            yield row.unit
            yield "  " + " → ".join(v.text + (f" {v.note}" if v.note else "") for v in row.values)
            if row.changes:  # the leading one (the notes under the map say how each compares)
                yield "  " + row.changes[0].short

    # -- the index ---------------------------------------------------------------------------------------

    def index(self, services: tuple[ServiceMap, ...]) -> Index:
        cov, file = self.cov, self.cov.data.file
        sections = [Section("mapa-general", "Mapa general", None, (Card(
            CHOROPLETH, CHOROPLETH_TITLE,
            f"Cuántos de los {plural(len(cov.services), 'servicio', 'servicios')} llegan a cada departamento, "
            "con una capa por servicio para compararlos.", wide=True),))]
        for program in self.programs.values():
            mine = [(s, m) for s, m in zip(cov.services, services) if s.program == program.id]
            if mine:
                sections.append(Section(f"programa-{program.id}", program.short, program.name, tuple(
                    Card(m.key, m.title, m.header.sub + ".") for s, m in mine)))
        return Index(
            page_title="Mapas de cobertura de los servicios del MIMP",
            description=f"{file.title}. {self.period}.",
            header=Header("MIMP · Mapas de cobertura", file.title, self.period),
            lead=(f"{plural(len(cov.services), 'servicio', 'servicios')} de "
                  f"{plural(len(self.programs), 'programa', 'programas')} del MIMP, departamento por departamento."),
            sections=tuple(sections),
            summary=tuple(self.summary_row(s) for s in cov.services),
            people_column=None if cov.population is None else
            f"Población de sus departamentos (censo {cov.population.year})",
            availability=availview.of_coverage(cov),
        )

    def summary_row(self, service: "Service") -> SummaryRow:
        """The latest value of the service's first figure, with its centres and coverage."""
        centres = service.centres
        row = SummaryRow(
            id=service.id,
            name=service.title,
            program=self.programs[service.program].short,
            coverage=self.coverage_words(service),
            centres=f"{number(centres.total)} {centres.label}" if centres else "—",
            people=people.cell if (people := self.people(service)) else None,
        )
        if service.figures and service.periods:
            figure = service.figures[0]
            row = SummaryRow(**{**row.__dict__, "latest": number(figure.values[-1].value),
                                "unit": figure.unit.lower(), "period": clean_label(service.periods[-1].label)})
        return row


def _period(label: str, note: str | None) -> str:
    """"Año 2020 (2/)": a period as the maps write it (its dash as every label's: ``clean_label``)."""
    label = clean_label(label)
    return f"{label} ({note})" if note else label



# --- report wording (pdf, mosaic) -------------------------------------------------------------------


@dataclass(frozen=True)
class ReportPage:
    """A page made for reports beside the maps (an image and a page of the PDF atlas), with the
    header and footer of the static maps."""

    key: str
    header: Header
    static_subtitle: str
    static_period: str | None
    static_source: str
    static_notes: tuple[str, ...]


@dataclass(frozen=True)
class Mosaic(ReportPage):
    """Every service on one page: a small map each, grouped by program, with one legend."""

    legend: Legend
    groups: tuple[tuple[Program, tuple[ServiceMap, ...]], ...]
    #: The inset's title in each small map.
    inset_title: str = "Lima y Callao"
    #: The key of the abbreviations the page shows (:func:`abbreviations`).
    abbreviations: tuple[str, ...] = ()


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


#: The mosaic's files without extension: mosaico.png, mosaico.svg.
MOSAIC = layout.MOSAIC


def mosaic(atlas: Atlas) -> Mosaic:
    """The description of the mosaic of ``atlas``: its services by program, in the atlas's order."""
    groups = tuple((p, tuple(s for s in atlas.services if s.program.id == p.id)) for p in atlas.programs)
    groups = tuple((p, services) for p, services in groups if services)
    # One legend for every small map: the swatches of the services' own legends, in their order,
    # without the centres (the small maps have no dots).
    swatches: dict[str, Swatch] = {}
    for service in atlas.services:
        for swatch in service.legend.swatches:
            if not swatch.circle:
                swatches.setdefault(swatch.label, swatch)
    ordered = sorted(swatches.values(), key=lambda s: (s.color == colors.NEUTRAL, s.hatch))
    n = len(atlas.services)
    title = f"Los {plural(n, 'servicio', 'servicios')} del MIMP, uno por mapa" if n != 1 else "El servicio del MIMP"
    return Mosaic(
        key=MOSAIC,
        header=Header("Todos los servicios", title, atlas.period),
        static_subtitle="Departamentos a los que llega cada servicio, por programa. Todos los mapas a la misma escala.",
        static_period=atlas.period or None,
        static_source=source_line(atlas.source),
        static_notes=("En el recuadro de cada mapa, Lima Metropolitana y Callao ampliados.",),
        legend=Legend(COVERAGE_LEGEND, tuple(ordered)),
        groups=groups,
        abbreviations=abbreviations([p for p, _ in groups], [s for _, services in groups for s in services]),
    )


#: The atlas's parts, as its bookmarks and its cover's contents name them.
ATLAS_COVER = "Portada"
ATLAS_SUMMARY = "Resumen de los servicios"
SUMMARY_COLUMNS = ("Servicio", "Programa", "Cobertura", "Centros", "Última cifra")
NO_FIGURES = "sin cifras publicadas"


ATLAS_KICKER = "Atlas de cobertura del MIMP"


def built_on(epoch: int | None) -> str | None:
    """"Generado el 1 de diciembre de 2026" for a build time (seconds since 1970, UTC), or None."""
    if epoch is None:
        return None
    import datetime

    months = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
              "octubre", "noviembre", "diciembre")
    day = datetime.datetime.fromtimestamp(epoch, tz=datetime.timezone.utc)
    return f"Generado el {day.day} de {months[day.month - 1]} de {day.year}"


def atlas_contents(atlas: Atlas) -> tuple[str, ...]:
    """The cover's lines on what the atlas holds."""
    n = len(atlas.services)
    return (
        f"{CHOROPLETH_TITLE}: cuántos servicios llegan a cada departamento.",
        f"Todos los servicios en una página: {plural(n, 'mapa pequeño', 'mapas pequeños')}, por programa.",
        *((f"{people.header.title}: la población de los departamentos a los que llega cada uno.",)
          if (people := people_chart(atlas)) else ()),
        f"{ATLAS_SUMMARY}: programa, cobertura, centros y la última cifra de cada uno.",
        f"Un mapa por servicio ({plural(n, 'página', 'páginas')}), con su descripción, sus cifras de cada "
        "periodo y su variación, notas y fuente.",
    )


def summary_cells(row: SummaryRow) -> tuple[str, str, str, str, str]:
    """A row of the atlas's table of services, in the order of :data:`SUMMARY_COLUMNS`."""
    latest = f"{row.latest} {row.unit} ({row.period})" if row.latest else NO_FIGURES
    return (row.name, row.program, row.coverage, row.centres, latest)


#: The table of a service's figures (page and PDF atlas): the figure, a column per period, then the change.
FIGURE_COLUMN = "Cifra"
CHANGE_COLUMN = "Variación entre periodos"
#: In the change column of a figure whose periods cannot be compared.
NOT_COMPARED = "sin comparar"


def centres_line(service: ServiceMap) -> str | None:
    """"CAI: 4": the service's centres, over its table of figures."""
    return f"{service.centres.label}: {service.centres.total}" if service.centres else None


def period_heading(period: Value) -> str:
    return _period(period.text, period.note)


def value_cell(value: Value) -> str:
    return value.text + (f" {value.note}" if value.note else "")


def change_cell(row: FigureRow) -> str:
    """The leading change and what it compares: "−3,8 % por mes con servicio"."""
    return f"{row.headline} {row.basis}" if row.headline else NOT_COMPARED


def figure_notes(service: ServiceMap) -> str | None:
    """Under the table of figures: each figure's comparisons, each saying what it compares, as on the
    service's page (the change note, ``change_note``, is under the figures of the page and the image)."""
    lines = []
    for row in service.figures:
        if row.changes:
            lines.append(f"{row.unit}: " + "; ".join(c.text for c in row.changes) + ".")
    return "\n".join(lines) or None


def page_number(n: int, total: int) -> str:
    return f"Página {n} de {total}"


@dataclass(frozen=True)
class PeopleChart(ReportPage):
    """The population the services reach, as two bar charts on one page (poblacion.png/.svg and a
    page of the PDF atlas): the people by how many services reach their department, and each
    service by the people of the departments it reaches."""

    #: (title, bars) of each chart, in the order they are drawn.
    charts: tuple[tuple[str, tuple[Bar, ...]], ...]
    #: The key of the abbreviations the bars are labelled with (:func:`abbreviations`).
    abbreviations: tuple[str, ...] = ()


#: The population charts' files without extension: poblacion.png, poblacion.svg.
PEOPLE_CHART = layout.PEOPLE_CHART


def people_chart(atlas: Atlas) -> PeopleChart | None:
    """The description of the population charts of ``atlas``; ``None`` without population figures."""
    choropleth = atlas.choropleth
    if not choropleth.people_by_count or atlas.population is None:
        return None
    return PeopleChart(
        key=PEOPLE_CHART,
        header=Header("Población", "La población que alcanzan los servicios del MIMP", atlas.period),
        static_subtitle=(f"Cuántas personas viven en los departamentos a los que llega cada servicio, según el "
                         f"censo de {atlas.population.year}."),
        static_period=atlas.period or None,
        static_source=f"{source_line(atlas.source)}. Población: {atlas.population.source}",
        static_notes=(choropleth.people_note,),
        charts=((choropleth.people_by_count_title, choropleth.people_by_count),
                (choropleth.ranking_title, choropleth.ranking)),
        abbreviations=abbreviations((), [s for s in atlas.services if any(b.label == s.display_name
                                                                         for b in choropleth.ranking)]),
    )


# --- captions: a figure's words for a document -----------------------------------------------------


@dataclass(frozen=True)
class Caption:
    """What to paste beside a figure in a document (the ``.txt`` file beside its image): a caption
    for under it and an alternative text for readers who cannot see it."""

    caption: str
    alt: str

    @property
    def text(self) -> str:
        """The file's text."""
        return f"{CAPTION_LABEL}\n{self.caption}\n\n{ALT_LABEL}\n{self.alt}\n"


CAPTION_LABEL = "Pie de figura (para pegar debajo de la imagen):"
ALT_LABEL = "Texto alternativo (en Word: clic derecho en la imagen, «Editar texto alternativo»):"


def _sentences(*parts: str | None) -> str:
    """The parts that are there, each ended by a full stop, in one paragraph."""
    return " ".join(p if p.endswith((".", "…")) else f"{p}." for p in parts if p)


def _inset_words(inset_title: str) -> str:
    return f"En un recuadro, ampliados: {inset_title}" if inset_title else ""


def service_caption(spec: ServiceMap, inset_title: str = "") -> Caption:
    """A service map's caption and alternative text."""
    reached = next((s.label for s in spec.legend.swatches if not s.hatch and not s.circle), "")
    marks = [s.label for s in spec.legend.swatches if s.hatch]
    marks += [f"{s.label}: {plural(len(spec.sites), 'punto', 'puntos')} en el mapa"
              for s in spec.legend.swatches if s.circle and spec.sites]
    return Caption(
        _sentences(f"{spec.table_caption}: {spec.coverage_words}", spec.static_period, spec.static_source,
                   *spec.static_notes, spec.change_note),
        _sentences(spec.aria_label, spec.reach, f"{reached}: {spec.coverage_words}", *marks,
                   _inset_words(inset_title)))


def choropleth_caption(spec: Choropleth, inset_title: str = "") -> Caption:
    """The choropleth's caption and alternative text."""
    return Caption(_sentences(spec.header.title, spec.static_period, spec.static_source),
                   _sentences(spec.aria_label, spec.lead, *spec.extremes, _inset_words(inset_title)))


def mosaic_caption(spec: Mosaic) -> Caption:
    """The mosaic's caption, and an alternative text that says where each service of each program
    arrives, with the key of the abbreviations."""
    programs = [f"{program.short}: " + "; ".join(f"{s.display_name}, {s.coverage_words}" for s in group)
                for program, group in spec.groups]
    key = f"{ABBREVIATIONS_TITLE}: " + "; ".join(spec.abbreviations) if spec.abbreviations else None
    return Caption(_sentences(spec.header.title, spec.static_subtitle, spec.static_period, spec.static_source),
                   _sentences(spec.header.title, spec.static_subtitle, *programs, *spec.static_notes, key))


def people_caption(spec: PeopleChart) -> Caption:
    """The population charts' caption, and an alternative text with every bar's figure."""
    charts = [f"{title}: " + "; ".join(f"{bar.label}, {bar.text}" for bar in bars) for title, bars in spec.charts]
    return Caption(_sentences(spec.header.title, spec.static_subtitle, spec.static_period, spec.static_source),
                   _sentences(spec.header.title, *charts, *spec.static_notes))


# --- index downloads ---


@dataclass(frozen=True)
class ReportFiles:
    """The index's area for the files made for reports: the PDF atlas, the mosaic and the population
    charts."""

    title: str
    lead: str
    atlas_title: str
    atlas_text: str
    atlas_link: str
    mosaic_title: str
    mosaic_text: str
    mosaic_alt: str
    people_title: str = "La población que alcanzan"
    people_text: str = ("Dos gráficos de barras: la población según cuántos servicios llegan a su departamento, y "
                        "cada servicio según la población de los departamentos a los que llega.")
    people_alt: str = "Gráficos de la población que alcanzan los servicios del MIMP"
    html_title: str = "Todos los mapas en un solo archivo"
    html_text: str = ("Una página que reúne el mapa general y el de cada servicio, y funciona sola: se puede "
                      "enviar por correo o copiar sin la carpeta, y abre sin internet.")
    html_link: str = "Abrir el atlas"


def report_files(atlas: Atlas) -> ReportFiles:
    """The words of the index's area for reports (:class:`ReportFiles`) for ``atlas``."""
    board = mosaic(atlas)
    return ReportFiles(
        title="Para informes",
        lead="Para imprimir, adjuntar o poner en un documento.",
        atlas_title="Atlas en PDF",
        atlas_text="Todos los mapas en un documento: portada, mapa de cobertura, resumen de los servicios "
                   "y una página por servicio, con marcadores y números de página.",
        atlas_link="Descargar el atlas (PDF)",
        mosaic_title="Todos los servicios en una página",
        mosaic_text=board.static_subtitle,
        mosaic_alt=f"Mosaico: {board.header.title}",
    )


# --- one-file atlas and embeds ----------------------------------------------------------------------

#: The one file to send: the choropleth and every service in one page, beside the other maps. Each map
#: has its address in it: ``atlas.html#cobertura`` (the choropleth, the first view), ``atlas.html#cai``.
ATLAS_HTML = layout.ATLAS_HTML
ATLAS_TITLE = "Atlas de cobertura del MIMP"
ATLAS_MENU = "Todos los mapas"
ATLAS_MENU_LABEL = "Mapas del atlas"
ATLAS_GENERAL = "Mapa general"
ATLAS_NOTE = ("Este archivo reúne todos los mapas: se abre sin internet y sin otros archivos, y cada mapa tiene "
              f"su dirección ({ATLAS_HTML}#cobertura, {ATLAS_HTML}#cai, …) para enlazarlo o guardarlo.")


def atlas_description(atlas: Atlas) -> str:
    return (f"{CHOROPLETH_TITLE} y el mapa de cada uno de los {plural(len(atlas.services), 'servicio', 'servicios')}"
            f", en un solo archivo. {atlas.period}.")


def atlas_view_title(page_title: str) -> str:
    """The browser's title while the atlas shows one map."""
    return f"{page_title} · {ATLAS_TITLE}"


def atlas_embed_title(service: "ServiceMap | None" = None) -> str:
    """The ``title`` of the atlas's ``<iframe>``, opened on a service or on the choropleth."""
    return f"{ATLAS_TITLE}: {service.name}" if service else ATLAS_TITLE


#: Said by ``mimpmap embed`` without ``--base-url`` (``{href}``: the map's address in the snippet).
EMBED_RELATIVE = ("la dirección '{href}' es relativa a la carpeta maps/: el código funciona solo en una página "
                  "publicada junto a esa carpeta. Para pegarlo en otro sitio, dé la dirección donde se publicó la "
                  "carpeta: --base-url https://…/maps/")
#: Under each embed code of the index.
EMBED_INDEX_NOTE = ("La dirección (src) de este código es relativa a la carpeta de los mapas: funciona en una página "
                    "publicada junto a ella. En otro sitio, ponga la dirección completa donde se publicaron los mapas "
                    "(https://…/maps/…) o genere el código con mimpmap embed --base-url.")

#: A separate page copied alone: what a link to a missing local page shows instead of the browser's error.
ALONE_TITLE = "Falta la carpeta de los mapas"
ALONE_TEXT = "Este enlace lleva a otro archivo de la carpeta de los mapas, que no está junto a esta página:"
ALONE_HELP = (f"Abra la página desde la carpeta maps/ completa, o use {ATLAS_HTML}, que reúne todos los mapas en un "
              "solo archivo que se puede enviar solo.")
ALONE_CLOSE = "Entendido"

#: Behind a map in a notebook: seen only where the notebook drops the map's frame until it is trusted.
NOTEBOOK_TRUST = "Si el mapa no aparece, marque este cuaderno como confiable: File → Trust Notebook."
