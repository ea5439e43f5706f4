"""A service's map: where it arrives, its centres, figures, notes and source; and the services as rows
of plain values for the data downloads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import colors, comparisons
from ..coverage import FULL, PARTIAL
from ..layout import service_file
from ..levels import DEFAULT_LEVEL, finer_level
from ..text import clean_label, join_words, number, plural, sentence
from .context import Context
from .marks import (SITE_COLOR, Centres, FigureRow, Header, Legend, Note, People, Piece, Program, Site, Swatch, Unit,
                    Value)
from .words import coverage_words, period_words, source_line

if TYPE_CHECKING:  # pragma: no cover
    from ..model import CoverageData, Service
    from ..population import Population

__all__ = ["ServiceMap", "ServiceView", "describe", "service_rows", "REACHES"]

#: Where a service arrives: the tip of a unit (or province) it reaches, and its legend's swatch.
REACHES = "Llega el servicio"


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
    #: The provinces it reaches in the units it reaches in part, drawn over them.
    pieces: tuple[Piece, ...] = ()

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


def service_rows(data: "CoverageData", population: "Population | None" = None) -> list[dict]:
    """The services as rows of plain values (``mimpmap list``, the data downloads): id, names,
    program, coverage codes and words, units, and the population reached when figures are given."""
    rows = []
    for s in data.services:
        codes = sorted(data.codes[s.id])
        parts = data.parts.get(s.id, {})
        row = {
            "id": s.id,
            "name": s.name,
            "short_name": s.display_name,
            "program": data.program(s.program).short_name,
            "national": s.national,
            # the units reached in full, then the provinces of those reached in part
            "coverage": [*data.full_codes(s.id), *(c for unit in codes for c in parts.get(unit, ()))],
            "coverage_text": coverage_words(s.national, codes, parts),
            "units": len(codes),
        }
        row["change"] = [comparisons.figure_numbers(s, f) for f in s.figures] if len(s.periods) >= 2 else []
        if population is not None:
            reach = population.reach(data.full_codes(s.id))
            row.update(population_reached=reach.reached, population_share=round(reach.share, 4),
                       population_not_reached=reach.not_reached)
        rows.append(row)
    return rows


def source_words(text: str | None, words: str) -> str | None:
    """``text`` (a coverage as the source words it), unless it names the same places as ``words``,
    in whatever order ("Ayacucho, Cusco, Lima Metropolitana y Callao")."""
    from ..levels import normalize

    def places(t: str) -> list[str]:
        return sorted(w for w in normalize(t).split() if w not in ("en", "y"))

    return None if not text or places(text) == places(words) else text


def describe(ctx: Context) -> tuple[ServiceMap, ...]:
    """The map of every service of the coverage ``ctx`` reads, in their order."""
    view = ServiceView(ctx)
    return tuple(view.service(s) for s in ctx.cov.services)


class ServiceView:
    """Builds a service's map: each unit's status, the legend, the reach, the centres and the figures."""

    def __init__(self, ctx: Context):
        self.ctx = ctx

    def service(self, service: "Service") -> ServiceMap:
        ctx = self.ctx
        program = ctx.programs[service.program]
        notes = tuple(Note(f.mark, f.text, f"nota-{i + 1}") for i, f in enumerate(service.footnotes))
        words = ctx.coverage_words(service)
        file = ctx.cov.data.file
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
            header=Header(f"{program.short} · Mapa del servicio", service.title, ctx.coverage_line(service)),
            page_title=f"{service.title} — Mapa de cobertura del MIMP",
            page_description=f"{service.name}: {words}. {service.description}",
            aria_label=f"Mapa: cobertura de {service.name}",
            coverage_words=words,
            coverage=words,
            coverage_source=source_words(service.coverage_text, words),
            reach=self.reach(service),
            people=ctx.people(service),
            reached_units=len(ctx.codes(service, FULL, PARTIAL)),
            partial_units=len(ctx.codes(service, PARTIAL)),
            partial_words=tuple(sorted({ctx.partial_words[(c, service.id)] for c in ctx.codes(service, PARTIAL)})),
            partial_codes=tuple(ctx.codes(service, PARTIAL)),
            units=tuple(self.status_unit(code, service) for code in ctx.names),
            legend=self.service_legend(service),
            table_caption=f"{ctx.level.noun.many_title} {ctx.level.noun.to_which} llega {service.name}",
            people_column=ctx.people_column,
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
            static_period=("Periodos: " + join_words(period_words(p.label, p.note) for p in service.periods))
            if service.periods else None,
            static_figures=tuple(self.figure_lines(service)),
            static_notes=tuple([f"{f.mark} {f.text}" for f in service.footnotes] + list(service.notes)),
            static_source=static_source,
            pieces=self.pieces(service),
        )

    def pieces(self, service: "Service") -> tuple[Piece, ...]:
        """The provinces ``service`` reaches in the units it reaches in part, with their outlines."""
        ctx, inner = self.ctx, finer_level(DEFAULT_LEVEL)
        outlines = ctx.cov.part_outlines
        codes = [c for found in ctx.cov.data.parts.get(service.id, {}).values() for c in found]
        return tuple(Piece(c, f"{inner.noun.named(inner.by_code[c].nombre)} ({inner.by_code[c].departamento})",
                           REACHES, outlines[c]) for c in codes if c in outlines)

    def status_unit(self, code: str, service: "Service") -> Unit:
        ctx = self.ctx
        status = ctx.status[service.id][code]
        if status == FULL:
            tip, cell, fill = REACHES, "Sí", colors.COVERED
        elif status == PARTIAL:
            tip = cell = f"En parte: {ctx.partial_words.get((code, service.id), 'solo en parte')}"
            fill = colors.PARTIAL_FILL
        else:
            tip, cell, fill = "No llega el servicio", "No", colors.NEUTRAL
        return Unit(code, ctx.names[code], status, fill, status == PARTIAL, tip, cell, **ctx.people_words(code))

    def service_legend(self, service: "Service") -> Legend:
        ctx = self.ctx
        swatches = [Swatch(REACHES, colors.COVERED)]
        kinds = sorted({ctx.partial_words[(c, service.id)] for c in ctx.codes(service, PARTIAL)})
        swatches += [Swatch(f"En parte ({words})", hatch=True) for words in kinds]
        swatches.append(Swatch("No llega", colors.NEUTRAL))
        if any(s.location is not None for s in (service.centres.sites if service.centres else [])):
            swatches.append(Swatch(service.centres.label, SITE_COLOR, circle=True))
        return Legend(service.display_name, tuple(swatches))

    def reach(self, service: "Service") -> str:
        ctx = self.ctx
        full = len(ctx.codes(service, FULL))
        parts = []
        if full:
            parts.append(f"llega a {number(full)} de {plural(len(ctx.names), ctx.level.noun.one, ctx.level.noun.many)}")
        partial_codes = ctx.codes(service, PARTIAL)
        if partial_codes:
            parts.append("en parte a " + join_words(
                f"{ctx.names[c]} ({ctx.partial_words[(c, service.id)]})" for c in partial_codes))
        text = "En el mapa: " + (" y ".join(parts) if parts else f"no llega a {ctx.level.noun.none_of_its}") + "."
        missing = ctx.cov.unreached(service.id)
        if missing:
            text += (" El archivo de límites no tiene "
                     + join_words(ctx.level.unit(c).nombre for c in missing) + ", que el servicio también cubre.")
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
        people = self.ctx.people(service)
        if people:
            yield people.line
        if not (service.figures and service.periods):
            return
        yield " → ".join(period_words(p.label, p.note) for p in service.periods)
        for row in self.figure_rows(service):
            yield row.unit
            yield "  " + " → ".join(v.text + (f" {v.note}" if v.note else "") for v in row.values)
            if row.changes:  # the leading one (the notes under the map say how each compares)
                yield "  " + row.changes[0].short

    # -- the index ---------------------------------------------------------------------------------------
