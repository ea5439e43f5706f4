"""The choropleth, ``cobertura.html``: every unit coloured by how many services reach it, with a layer
per service to compare them, and the table of counts under the map.
"""

from __future__ import annotations

from typing import Callable

import folium

from .. import colors
from ..views.choropleth import Choropleth
from ..views.marks import Legend
from ..text import number
from . import templates
from ..layout import SERVICES_DIR
from .base import INDEX_HREF, RendererBase, service_href
from . import marks
from .elements import CountLayer, GroupedLayerControl, Legend as LegendControl, ServiceOverlay


def legend_steps(legend: Legend) -> list[dict]:
    """A legend's swatches as the page's script reads them."""
    steps = []
    for s in legend.swatches:
        if s.hatch:
            steps.append({"hatch": True, "label": s.label})
        elif s.circle:
            steps.append({"color": s.color, "circle": True, "label": s.label})
        else:
            steps.append({"color": s.color, "label": s.label})
    return steps


class ChoroplethPage(RendererBase):
    """The choropleth part of :class:`~.pages.Renderer`."""

    def count_data(self, spec: Choropleth, href: str = f"{SERVICES_DIR}/", suffix: str = ".html") -> dict:
        """The choropleth layer's data; its popups link each service at ``href + id + suffix``."""
        programs = [p.id for p in self.atlas.programs]
        units = {u.code: {"name": u.name, "fill": u.fill, "tip": u.tip, "note": u.note, "head": u.head,
                          "services": [list(r) for r in u.reached], **_people(u)} for u in spec.units}
        return {
            "units": units,
            "services": [[o.id, o.name, programs.index(o.program.id), o.spelled] for o in spec.overlays],
            "programs": [[p.short, p.name] for p in self.atlas.programs],
            "href": href,
            "suffix": suffix,
            "opacity": 0.8 if self.tiles else 1,
            "neutral": colors.NEUTRAL,
        }

    def panel_services(self, href: Callable[[str], str] = service_href) -> list[dict]:
        """The services listed in the choropleth's panel, by program (what of them the page shows);
        ``href(id)`` is where each one links."""
        programs = []
        for p in self.atlas.programs:
            services = [s for s in self.atlas.services if s.program.id == p.id]
            if services:
                programs.append({
                    "id": p.id,
                    "short": p.short,
                    "name": p.name,
                    "services": [{"id": s.id, "href": href(s.id), "name": s.name, "short": s.short,
                                  "where": s.coverage_words} for s in services],
                })
        return programs

    def choropleth_panel(self, spec: Choropleth, href: Callable[[str], str] = service_href) -> str:
        programs = self.panel_services(href)
        return templates.render(
            templates.CHOROPLETH_PANEL,
            label="Información del mapa",
            lead=spec.lead,
            howto=spec.howto,
            extremes=list(spec.extremes),
            charts=[_chart(title, label, "Población", bars) for title, label, bars in (
                (spec.people_by_count_title, "Servicios que llegan", spec.people_by_count),
                (spec.ranking_title, "Servicio", spec.ranking)) if bars],
            people_note=spec.people_note,
            programs=programs,
            source=spec.source,
        )

    @staticmethod
    def count_table(spec: Choropleth, files: dict | None = None) -> str:
        """The table under the choropleth, after the links to the map's ``files`` (:meth:`map_files`)."""
        return templates.render(
            templates.COUNT_TABLE,
            files=files,
            caption=spec.table_caption,
            rows=[{"name": u.name, "count": number(u.count), "services": u.cell, "people": u.people}
                  for u in spec.units],
            people=spec.people_column,
        )

    @staticmethod
    def count_legend(spec: Choropleth) -> tuple[str, list[dict], list[str], str | None]:
        """The choropleth's legend: title, steps, notes, and the note shown while services are on."""
        legend = spec.legend
        return (legend.title, legend_steps(legend), [legend.partial.label] if legend.partial else [],
                legend.overlays_note)

    def choropleth_map(self) -> folium.Map:
        """The choropleth as a ``folium.Map`` inside its page (``m.get_root().render()`` is the HTML)."""
        spec = self.atlas.choropleth
        bottom = self.count_table(spec, self.map_files(spec))
        page, m, geometry = self.page_parts(
            kind="choropleth",
            page_title=spec.page_title,
            description=spec.page_description,
            aria_label=spec.aria_label,
            top=self.page_header(spec.header, nav=[(INDEX_HREF, "Índice de mapas")]),
            panel=self.choropleth_panel(spec),
            bottom=bottom,
        )
        CountLayer(geometry, self.count_data(spec)).add_to(m)
        for overlay in spec.overlays:
            ServiceOverlay(geometry, overlay).add_to(m)
        marks.draw(m, geometry, self.web_marks(spec))
        GroupedLayerControl(title=spec.overlays_title).add_to(m)
        LegendControl(*self.count_legend(spec)).add_to(m)
        return self.finish(page, m)

    def choropleth(self) -> str:
        """``cobertura.html``."""
        return self.choropleth_map().get_root().render()


def _people(unit) -> dict:
    """A unit's population for the page's script, when known (the tooltip's and popup's line), and the
    popup's line on availability, when there is one."""
    return {**({"people": unit.people_tip} if unit.people_tip else {}),
            **({"available": unit.available} if unit.available else {})}


def _chart(title: str, label: str, value: str, bars) -> dict:
    """A small bar chart as a table: each bar's width is its value over the longest's (in % of the cell)."""
    top = max(b.value for b in bars) or 1
    return {"title": title, "label": label, "value": value,
            "bars": [{"label": b.label, "text": b.text, "width": round(100 * b.value / top, 1)} for b in bars]}
