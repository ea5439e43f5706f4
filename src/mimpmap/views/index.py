"""The index: a card per map, grouped by program, and the table of services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..layout import CHOROPLETH, CHOROPLETH_TITLE
from ..text import clean_label, number, plural
from . import gapmaps
from .brechas import KICKER
from .context import Context
from .marks import Header

if TYPE_CHECKING:  # pragma: no cover
    from ..availview import AvailabilityView
    from .brechas import Brechas
    from ..model import Service
    from .service import ServiceMap

__all__ = ["SummaryRow", "Card", "Section", "Index", "IndexView", "describe", "SUMMARY_COLUMNS", "NO_FIGURES",
           "summary_cells"]


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
    #: Who is far from a CEM, per province (:mod:`mimpmap.views.brechas`); ``None`` without the centres,
    #: the census or the district points.
    brechas: "Brechas | None" = None
    #: The maps of the provinces (:mod:`mimpmap.views.gapmaps`), a card each, beside that table.
    gap_maps: tuple[Card, ...] = ()


#: The columns of the table of services (the index's and the PDF atlas's summary).
SUMMARY_COLUMNS = ("Servicio", "Programa", "Cobertura", "Centros", "Última cifra")
NO_FIGURES = "sin cifras publicadas"


def summary_cells(row: SummaryRow) -> tuple[str, str, str, str, str]:
    """A row of the atlas's table of services, in the order of :data:`SUMMARY_COLUMNS`."""
    latest = f"{row.latest} {row.unit} ({row.period})" if row.latest else NO_FIGURES
    return (row.name, row.program, row.coverage, row.centres, latest)


def describe(ctx: Context, services: tuple[ServiceMap, ...]) -> Index:
    """The index of the coverage ``ctx`` reads, with a card for each of its ``services``' maps."""
    return IndexView(ctx).index(services)


class IndexView:
    """Builds the index: a card per map, by program, and the table of services."""

    def __init__(self, ctx: Context):
        self.ctx = ctx

    def index(self, services: tuple[ServiceMap, ...]) -> Index:
        cov, file, noun = self.ctx.cov, self.ctx.cov.data.file, self.ctx.level.noun
        sections = [Section("mapa-general", "Mapa general", None, (Card(
            CHOROPLETH, CHOROPLETH_TITLE,
            f"Cuántos de los {plural(len(cov.services), 'servicio', 'servicios')} llegan a cada {noun.one}, "
            "con una capa por servicio para compararlos.", wide=True),))]
        for program in self.ctx.programs.values():
            mine = [(s, m) for s, m in zip(cov.services, services) if s.program == program.id]
            if mine:
                sections.append(Section(f"programa-{program.id}", program.short, program.name, tuple(
                    Card(m.key, m.title, m.header.sub + ".") for s, m in mine)))
        return Index(
            page_title="Mapas de cobertura de los servicios del MIMP",
            description=f"{file.title}. {self.ctx.period}.",
            header=Header(KICKER, file.title, self.ctx.period),
            lead=(f"{plural(len(cov.services), 'servicio', 'servicios')} de "
                  f"{plural(len(self.ctx.programs), 'programa', 'programas')} del MIMP, {noun.one} por {noun.one}."),
            sections=tuple(sections),
            summary=tuple(self.summary_row(s) for s in cov.services),
            people_column=None if cov.population is None else
            f"Población de sus {noun.many} (censo {cov.population.year})",
            availability=self.ctx.availability,
            brechas=self.ctx.brechas,
            gap_maps=tuple(Card(m.key, m.header.title, m.text) for m in gapmaps.describe(self.ctx.brechas)),
        )

    def summary_row(self, service: "Service") -> SummaryRow:
        """The latest value of the service's first figure, with its centres and coverage."""
        centres = service.centres
        row = SummaryRow(
            id=service.id,
            name=service.title,
            program=self.ctx.programs[service.program].short,
            coverage=self.ctx.coverage_words(service),
            centres=f"{number(centres.total)} {centres.label}" if centres else "—",
            people=people.cell if (people := self.ctx.people(service)) else None,
        )
        if service.figures and service.periods:
            figure = service.figures[0]
            row = SummaryRow(**{**row.__dict__, "latest": number(figure.values[-1].value),
                                "unit": figure.unit.lower(), "period": clean_label(service.periods[-1].label)})
        return row
