"""The choropleth: how many services reach each unit, with a layer per service to compare them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from .. import colors
from ..coverage import FULL, NONE, PARTIAL
from ..layout import CHOROPLETH, CHOROPLETH_TITLE
from ..text import join_words, number, plural
from .context import Context
from .marks import Bar, ChoroplethUnit, Header, Legend, Overlay, Swatch
from .words import REACH_CAVEAT, percent, source_line, spelled_out

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Service

__all__ = ["Choropleth", "ChoroplethView", "describe"]


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


def describe(ctx: Context) -> Choropleth:
    """The choropleth of the coverage ``ctx`` reads."""
    return ChoroplethView(ctx).choropleth()


class ChoroplethView:
    """Builds the choropleth: a unit per map unit coloured by its count, the legend, an overlay per
    service, the lead and the population charts."""

    def __init__(self, ctx: Context):
        self.ctx = ctx

    @cached_property
    def classes(self) -> list[colors.CountClass]:
        return colors.count_classes(self.ctx.cov.counts.tolist())

    def choropleth(self) -> Choropleth:
        cov, period, noun = self.ctx.cov, self.ctx.period, self.ctx.level.noun
        n = len(cov.services)
        sub = f"{period} · {plural(n, 'servicio', 'servicios')}" if period else plural(n, "servicio", "servicios")
        title = CHOROPLETH_TITLE
        return Choropleth(
            key=CHOROPLETH,
            header=Header("Mapa de cobertura", title, sub),
            page_title=f"{title} — Mapa de cobertura",
            page_description=f"{title}: {cov.data.file.title}. {period}.",
            aria_label=f"Mapa: {title}",
            units=tuple(self.count_unit(code) for code in self.ctx.names),
            legend=self.count_legend(),
            overlays=tuple(self.overlay(s) for s in cov.services),
            overlays_title="Servicios para comparar",
            lead=self.choropleth_lead(),
            howto=(
                f"Pase el cursor (o toque) sobre {noun.a} para ver cuántos servicios llegan; haga clic "
                "para ver cuáles son, con un enlace al mapa de cada uno. Con el botón de capas (arriba a la "
                "derecha) puede superponer servicios para compararlos."
            ),
            extremes=tuple(self.extremes()),
            table_caption=f"Número de servicios del MIMP que llegan a cada {noun.one}",
            source=cov.data.file.source,
            static_subtitle=cov.data.file.title,
            static_period=period or None,
            static_source=source_line(cov.data.file.source),
            **self.people_charts(),
        )

    def people_charts(self) -> dict:
        """The choropleth panel's two charts: people by services reaching them, services by people."""
        ctx, cov, noun = self.ctx, self.ctx.cov, self.ctx.level.noun
        if ctx.unit_people is None:
            return {}
        year = cov.population.year
        total = sum(ctx.unit_people.values())
        by_count: dict[int, int] = {}
        for code, people in ctx.unit_people.items():
            by_count[int(cov.counts[code])] = by_count.get(int(cov.counts[code]), 0) + people
        bars = tuple(Bar(plural(n, "servicio", "servicios"), people, people / total,
                         f"{number(people)} ({percent(people / total)})")
                     for n, people in sorted(by_count.items()))
        ranked = sorted(((s, ctx.people(s)) for s in cov.services), key=lambda sp: -sp[1].reached)
        ranking = tuple(Bar(s.display_name, p.reached, p.share, f"{percent(p.share)}") for s, p in ranked)
        return {
            "people_by_count": bars,
            "people_by_count_title": f"Población según cuántos servicios llegan a su {noun.one} (censo {year})",
            "ranking": ranking,
            "ranking_title": f"Servicios según la población de {noun.the_many} {noun.to_which} llegan (censo {year})",
            "people_note": REACH_CAVEAT,
            "people_column": ctx.people_column,
        }

    def count_unit(self, code: str) -> ChoroplethUnit:
        index = {s.id: i for i, s in enumerate(self.ctx.cov.services)}
        count = int(self.ctx.cov.counts[code])
        reached = [(s, self.ctx.partial_words.get((code, s.id)) if st == PARTIAL else None)
                   for s, st in self.ctx.cov.services_at(code)]
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
            name=self.ctx.names[code],
            status=FULL if count else NONE,
            fill=colors.color_for_count(count, self.classes),
            hatched=bool(partial),
            tip=plural(count, "servicio", "servicios"),
            cell="; ".join(s.name + (f" ({words})" if words else "") for s, words in reached) or "Ninguno",
            count=count,
            **self.ctx.people_words(code),
            note=note,
            head=head,
            reached=tuple((index[s.id], words) for s, words in reached),
            available=self.ctx.availability_lines.get(code),
        )

    def count_legend(self) -> Legend:
        swatches = []
        if (self.ctx.cov.counts == 0).any():
            swatches.append(Swatch("0", colors.NEUTRAL))
        for cls, color in zip(self.classes, colors.class_colors(self.classes)):
            swatches.append(Swatch(cls.label, color))
        partial = None
        if self.ctx.cov.has_partial:
            kinds = sorted(set(self.ctx.partial_words.values()))
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
            program=self.ctx.programs[service.program],
            codes=tuple(self.ctx.codes(service, FULL)),
            partial=tuple(self.ctx.codes(service, PARTIAL)),
            spelled=spelled_out(service),
        )

    def choropleth_lead(self) -> str:
        cov, noun = self.ctx.cov, self.ctx.level.noun
        lead = (
            f"Cada {noun.one} se colorea según cuántos de los {plural(len(cov.services), 'servicio', 'servicios')} "
            f"de {plural(len(self.ctx.programs), 'programa', 'programas')} del MIMP llegan a {noun.it}."
        )
        merged = self.ctx.merges()
        for merge in self.ctx.level.merges:
            core, rest = self.ctx.level.unit(merge.core).nombre, self.ctx.level.unit(merge.rest).nombre
            if merge not in merged:
                lead += f" {core} y {rest} se muestran por separado."
            elif cov.has_partial:
                lead += (f" Este mapa no separa {merge.nombre}: un servicio que solo llega a {core} se cuenta"
                         f" en {merge.nombre} y se marca «{self.ctx.level.partial_words([merge.core])}».")
        return lead

    def extremes(self) -> list[str]:
        counts, names = self.ctx.cov.counts, self.ctx.cov.units["nombre"]
        if not len(counts):
            return []
        top, low = int(counts.max()), int(counts.min())
        lines = [f"Más servicios: {join_words(names[counts == top].tolist())} ({number(top)})."]
        if low != top:
            lines.append(f"Menos servicios: {join_words(names[counts == low].tolist())} ({number(low)}).")
        national = sum(1 for s in self.ctx.cov.services if s.national)
        if national:
            lines.append(f"{plural(national, 'servicio llega', 'servicios llegan')} a todo el país.")
        return lines

    # -- a service -------------------------------------------------------------------------------------
