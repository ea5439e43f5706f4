"""The choropleth, ``cobertura.html``: every unit coloured by how many services reach it, with a layer
per service to compare them, and the table of counts under the map.
"""

from __future__ import annotations

from functools import cached_property

import folium

from .. import colors
from ..coverage import FULL, PARTIAL
from ..model import Service
from ..layout import CHOROPLETH_TITLE
from ..text import join_words, number, plural
from . import templates
from .base import INDEX_HREF, SERVICES_DIR, RendererBase, service_href
from .elements import CountLayer, GroupedLayerControl, Legend, ServiceOverlay

#: Service overlays: Paul Tol's colour-blind-safe "bright" scheme, without its grey (grey is "no service").
OVERLAY_COLORS = ("#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee", "#aa3377")


class ChoroplethPage(RendererBase):
    """The choropleth part of :class:`~.pages.Renderer`."""

    @cached_property
    def classes(self) -> list[colors.CountClass]:
        return colors.count_classes(self.cov.counts.tolist())

    @cached_property
    def _program_index(self) -> dict[str, int]:
        return {p.id: i for i, p in enumerate(self.programs)}

    def _unit_services(self, code: str) -> list[tuple[Service, str | None]]:
        """The services reaching a unit, each with its partial words (``None`` when fully)."""
        return [
            (service, self._partial_words.get((code, service.id)) if status == PARTIAL else None)
            for service, status in self.cov.services_at(code)
        ]

    def _count_data(self) -> tuple[dict, list[dict]]:
        """The choropleth layer's data, and the rows of the table under the map."""
        cov = self.cov
        index = {s.id: i for i, s in enumerate(cov.services)}
        counts = cov.counts
        units: dict[str, dict] = {}
        rows: list[dict] = []
        for code, name in zip(cov.units.index, cov.units["nombre"]):
            count = int(counts[code])
            reached = self._unit_services(code)
            partial = [words for _, words in reached if words]
            note = None
            if partial:
                kinds = sorted(set(partial))
                note = (f"incluye {number(len(partial))} {kinds[0]}" if len(kinds) == 1
                        else f"incluye {number(len(partial))} que llegan solo a una parte")
            head = (f"{plural(count, 'servicio del MIMP llega', 'servicios del MIMP llegan')} aquí:"
                    if count else "Ningún servicio del MIMP llega aquí.")
            units[code] = {
                "name": name,
                "fill": colors.color_for_count(count, self.classes),
                "tip": plural(count, "servicio", "servicios"),
                "note": note,
                "head": head,
                "services": [[index[s.id], words] for s, words in reached],
            }
            rows.append({
                "name": name,
                "count": number(count),
                "services": "; ".join(s.name + (f" ({words})" if words else "") for s, words in reached)
                or "Ninguno",
            })
        data = {
            "units": units,
            "services": [[s.id, s.display_name, self._program_index[s.program]] for s in cov.services],
            "programs": [[p.short_name, p.name] for p in self.programs],
            "href": f"{SERVICES_DIR}/",
            "opacity": 0.8 if self.tiles else 1,
            "neutral": colors.NEUTRAL,
        }
        return data, rows

    def _choropleth_panel(self) -> str:
        cov = self.cov
        n_services, n_programs = len(cov.services), len(self.programs)
        lead = (
            f"Cada departamento se colorea según cuántos de los {plural(n_services, 'servicio', 'servicios')} "
            f"de {plural(n_programs, 'programa', 'programas')} del MIMP llegan a él."
        )
        if cov.boundaries.lima_split:
            lead += " Lima Metropolitana y Lima Provincias se muestran por separado."
        elif cov.has_partial:
            lead += (" Este mapa no separa Lima: un servicio que solo llega a Lima Metropolitana se cuenta"
                     " en Lima y se marca «solo Lima Metropolitana».")
        howto = (
            "Pase el cursor (o toque) sobre un departamento para ver cuántos servicios llegan; haga clic para "
            "ver cuáles son, con un enlace al mapa de cada uno. Con el botón de capas (arriba a la derecha) "
            "puede superponer servicios para compararlos."
        )
        counts = cov.counts
        names = cov.units["nombre"]
        extremes = []
        if len(counts):
            top, low = int(counts.max()), int(counts.min())
            extremes.append(f"Más servicios: {join_words(names[counts == top].tolist())} ({number(top)}).")
            if low != top:
                extremes.append(f"Menos servicios: {join_words(names[counts == low].tolist())} ({number(low)}).")
            national = sum(1 for s in cov.services if s.national)
            if national:
                extremes.append(f"{plural(national, 'servicio llega', 'servicios llegan')} a todo el país.")
        programs = []
        for p in self.programs:
            services = [s for s in cov.services if s.program == p.id]
            if not services:
                continue
            programs.append({
                "short": p.short_name,
                "name": p.name,
                "services": [{
                    "href": service_href(s.id),
                    "name": s.name,
                    "short": s.abbreviation,
                    "where": cov.coverage_words(s),
                } for s in services],
            })
        return templates.render(
            templates.CHOROPLETH_PANEL,
            label="Información del mapa",
            lead=lead,
            howto=howto,
            extremes=extremes,
            programs=programs,
            source=cov.data.file.source,
        )

    def _count_legend(self) -> Legend:
        steps = []
        if (self.cov.counts == 0).any():
            steps.append({"color": colors.NEUTRAL, "label": "0"})
        for cls, color in zip(self.classes, colors.class_colors(self.classes)):
            steps.append({"color": color, "label": cls.label})
        notes = []
        if self.cov.has_partial:
            kinds = sorted(set(self._partial_words.values()))
            notes.append("Cuenta también los servicios que llegan solo en parte (" + ", ".join(kinds) + ").")
        colormap = colors.step_colormap(self.classes, caption="Servicios que llegan") if self.classes else None
        return Legend("Servicios que llegan", steps, notes, colormap=colormap,
                      overlays_note="Con servicios activados, el mapa muestra solo esos servicios "
                                    "(vea sus colores en el control de capas).")

    def choropleth_map(self) -> folium.Map:
        """The choropleth as a ``folium.Map`` inside its page (``m.get_root().render()`` is the HTML)."""
        cov = self.cov
        title = CHOROPLETH_TITLE
        data, rows = self._count_data()
        top = self._header(
            kicker="Mapa de cobertura",
            title=title,
            sub=f"{self.period} · {plural(len(cov.services), 'servicio', 'servicios')}"
            if self.period else plural(len(cov.services), "servicio", "servicios"),
            nav=[(INDEX_HREF, "Índice de mapas")],
        )
        bottom = templates.render(
            templates.COUNT_TABLE,
            caption="Número de servicios del MIMP que llegan a cada departamento",
            rows=rows,
        )
        page, m, geometry = self._page(
            kind="choropleth",
            page_title=f"{title} — Mapa de cobertura",
            description=f"{title}: {cov.data.file.title}. {self.period}.",
            aria_label=f"Mapa: {title}",
            top=top,
            panel=self._choropleth_panel(),
            bottom=bottom,
        )
        legend = self._count_legend()
        CountLayer(geometry, data, legend.colormap).add_to(m)
        for i, service in enumerate(cov.services):
            ServiceOverlay(
                geometry,
                service,
                cov.program_of(service),
                codes=self._codes(service, FULL),
                partial=self._codes(service, PARTIAL),
                color=OVERLAY_COLORS[i % len(OVERLAY_COLORS)],
            ).add_to(m)
        GroupedLayerControl(title="Servicios para comparar").add_to(m)
        legend.add_to(m)
        return self._finish(page, m)

    def choropleth(self) -> str:
        """``cobertura.html``."""
        return self.choropleth_map().get_root().render()
