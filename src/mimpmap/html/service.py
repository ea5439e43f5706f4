"""A service's page, ``servicios/<id>.html``: where the service arrives (fully, in part, not at all), its
centres as markers, and its figures, notes and sources in the panel.
"""

from __future__ import annotations

from types import MappingProxyType

import folium

from .. import colors
from ..views.marks import FULL, NONE, PARTIAL
from ..views.service import ServiceMap
from ..views.words import CHANGE_COLUMN, NOT_COMPARED, REACH_CAVEAT
from . import templates
from .base import CHOROPLETH_HREF, HATCH_ID, INDEX_HREF, RendererBase
from .choropleth import legend_steps
from . import marks
from .elements import CoverageLayer, GroupedLayerControl, Legend

#: The title of the layer control of a service with centres on the map.
SITES_CONTROL = "Capas"

_STATUS_CLASS = MappingProxyType({FULL: "total", PARTIAL: "parcial", NONE: "ninguna"})


class ServicePage(RendererBase):
    """The service-page part of :class:`~.pages.Renderer`."""

    @staticmethod
    def _figures(spec: ServiceMap) -> dict:
        def value(v) -> dict:
            return {"text": v.text, "note": v.note, "note_id": spec.anchor(v.note)}

        periods = [{"label": p.text, "note": p.note, "note_id": spec.anchor(p.note)} for p in spec.periods]
        show_change = spec.change_note is not None
        groups = [{"title": title, "rows": [{"unit": r.unit, "values": [value(v) for v in r.values],
                                             "headline": r.headline, "basis": r.basis,
                                             "details": [c.text for c in r.changes]}
                                            for r in rows]}
                  for title, rows in spec.figure_groups]
        return {"periods": periods, "figures": groups, "show_change": show_change,
                "change_column": CHANGE_COLUMN, "not_compared": NOT_COMPARED,
                "change_note": spec.change_note or "", "columns": len(periods) + (1 if show_change else 0)}

    def service_panel(self, spec: ServiceMap, extra: str = "") -> str:
        """The panel beside a service's map; ``extra``: markup after its centres (the directory's, on
        its own page)."""
        c = spec.centres
        centres = None if c is None else {
            "total": c.total,
            "label": c.label,
            "breakdown_title": c.breakdown_title,
            "breakdown": [{"type": t, "count": n} for t, n in c.breakdown],
            "sites": [{"name": s.name, "place": s.place, "count": s.count} for s in c.sites],
            "site_counts": c.site_counts,
        }
        program = spec.program
        return templates.render(
            templates.SERVICE_PANEL,
            label="Información del servicio",
            program={"short": program.short, "name": program.name, "description": program.description},
            name=spec.name,
            short=spec.short,
            description=spec.description,
            coverage=spec.coverage,
            coverage_source=spec.coverage_source,
            reach=spec.reach,
            people=spec.people,
            people_note=REACH_CAVEAT,
            centres=centres,
            activities=list(spec.activities),
            notes=list(spec.notes),
            footnotes=[{"id": f.anchor, "mark": f.mark, "text": f.text} for f in spec.footnotes],
            service_source=spec.service_source,
            source=spec.source,
            extra=extra,
            **self._figures(spec),
        )

    def coverage_data(self, spec: ServiceMap) -> dict:
        """The coverage layer's data."""
        return {
            "units": {u.code: {"name": u.name, "status": u.status, "tip": u.tip,
                               **({"people": u.people_tip} if u.people_tip else {})} for u in spec.units},
            "fills": {FULL: colors.COVERED, PARTIAL: f"url(#{HATCH_ID})", NONE: colors.NEUTRAL},
            "opacity": 0.8 if self.tiles else 1,
        }

    @staticmethod
    def status_table(spec: ServiceMap, files: dict | None = None) -> str:
        """The table under a service's map, after the links to the map's ``files`` (:meth:`map_files`)."""
        return templates.render(
            templates.STATUS_TABLE,
            files=files,
            caption=spec.table_caption,
            rows=[{"name": u.name, "status": _STATUS_CLASS[u.status], "text": u.cell, "people": u.people}
                  for u in spec.units],
            people=spec.people_column,
        )

    def service_map(self, service: ServiceMap | str) -> folium.Map:
        """One service's map as a ``folium.Map`` inside its page."""
        spec = self.atlas.service(service) if isinstance(service, str) else service
        data = self.coverage_data(spec)
        drawn = self.web_marks(spec)
        bottom = self.status_table(spec, self.map_files(spec, "../"))
        page, m, geometry = self.page_parts(
            kind="service",
            page_title=spec.page_title,
            description=spec.page_description,
            aria_label=spec.aria_label,
            top=self.page_header(spec.header, nav=[(f"../{CHOROPLETH_HREF}", "Mapa general"), (f"../{INDEX_HREF}", "Índice")]),
            panel=self.service_panel(spec, marks.panel_extra(drawn)),
            bottom=bottom,
        )
        CoverageLayer(geometry, data).add_to(m)
        if marks.draw(m, geometry, drawn):
            GroupedLayerControl(title=SITES_CONTROL).add_to(m)
        Legend(spec.legend.title, legend_steps(spec.legend)).add_to(m)
        return self.finish(page, m)

    def service(self, service: ServiceMap | str) -> str:
        """``servicios/<id>.html``."""
        return self.service_map(service).get_root().render()
