"""A service's page, ``servicios/<id>.html``: where the service arrives (fully, in part, not at all), its
centres as markers, and its figures, notes and sources in the panel.
"""

from __future__ import annotations

import folium

from .. import colors, places
from ..coverage import FULL, NONE, PARTIAL
from ..model import Service
from ..text import change, join_words, number, plural, sentence
from . import templates
from .base import CHOROPLETH_HREF, HATCH_ID, INDEX_HREF, RendererBase
from .elements import CoverageLayer, GroupedLayerControl, Legend, SiteInfo

#: Centres (markers): orange reads against the blue of covered units and the grey of the rest.
SITE_COLOR = "#d95f02"


class ServicePage(RendererBase):
    """The service-page part of :class:`~.pages.Renderer`."""

    def _status_texts(self, code: str, service: Service, status: str) -> tuple[str, str]:
        """(tooltip, table cell) for a unit of a service map."""
        if status == FULL:
            return "Llega el servicio", "Sí"
        if status == PARTIAL:
            words = self._partial_words.get((code, service.id), "solo en parte")
            return f"En parte: {words}", f"En parte: {words}"
        return "No llega el servicio", "No"

    def _figures(self, service: Service, note_ids: dict[str, str]) -> dict:
        periods = [
            {"label": p.label, "note": p.note, "note_id": note_ids.get(p.note or "", "")}
            for p in service.periods
        ]
        show_change = len(service.periods) >= 2
        kinds = {f.kind for f in service.figures}
        groups = []
        for kind, title in (("atencion", "Atención"), ("prevencion", "Prevención")):
            rows = []
            for fig in service.figures:
                if fig.kind != kind:
                    continue
                values = [{"text": number(v.value), "note": v.note, "note_id": note_ids.get(v.note or "", "")}
                          for v in fig.values]
                row = {"unit": sentence(fig.unit), "values": values, "change": "", "percent": None}
                if show_change:
                    first, last = fig.values[0].value, fig.values[-1].value
                    row["change"], row["percent"] = change(first, last)
                rows.append(row)
            if rows:
                groups.append({"title": title if len(kinds) > 1 else None, "rows": rows})
        note = ""
        if show_change:
            note = (f"{service.periods[-1].label} frente a {service.periods[0].label}, en número y en "
                    "porcentaje. Los periodos pueden tener distinta duración.")
        return {"periods": periods, "figures": groups, "show_change": show_change, "change_note": note,
                "columns": len(periods) + (1 if show_change else 0)}

    def _reach(self, service: Service) -> str:
        names = self._names
        full = len(self._codes(service, FULL))
        parts = []
        if full:
            parts.append(f"llega a {number(full)} de {plural(len(names), 'departamento', 'departamentos')}")
        partial_codes = self._codes(service, PARTIAL)
        if partial_codes:
            parts.append("en parte a " + join_words(
                f"{names[c]} ({self._partial_words[(c, service.id)]})" for c in partial_codes))
        text = "En el mapa: " + (" y ".join(parts) if parts else "no llega a ninguno de sus departamentos") + "."
        missing = self.cov.unreached(service.id)
        if missing:
            text += (" El archivo de límites no tiene "
                     + join_words(places.UNIT_BY_ISO[c].nombre for c in missing) + ", que el servicio también cubre.")
        return text

    def _service_panel(self, service: Service) -> str:
        program = self.cov.program_of(service)
        note_ids = {f.mark: f"nota-{i + 1}" for i, f in enumerate(service.footnotes)}
        centres = None
        if service.centres:
            c = service.centres
            centres = {
                "total": number(c.total),
                "label": c.label,
                "breakdown_title": c.breakdown_title or "Tipos",
                "breakdown": [{"type": b.type, "count": number(b.count)} for b in c.breakdown],
                "sites": [{"name": s.name, "place": f"{s.district} ({s.province}, {s.department})",
                           "count": number(s.count)} for s in c.sites],
                "site_counts": any(s.count != 1 for s in c.sites),
            }
        return templates.render(
            templates.SERVICE_PANEL,
            label="Información del servicio",
            program={"short": program.short_name, "name": program.name, "description": program.description},
            name=service.name,
            short=service.abbreviation,
            description=service.description,
            coverage=service.coverage_text or self.cov.coverage_words(service),
            reach=self._reach(service),
            centres=centres,
            activities=list(service.activities),
            notes=list(service.notes),
            footnotes=[{"id": note_ids[f.mark], "mark": f.mark, "text": f.text} for f in service.footnotes],
            service_source=service.source,
            source=self.cov.data.file.source,
            **self._figures(service, note_ids),
        )

    def service_map(self, service: Service | str) -> folium.Map:
        """One service's map as a ``folium.Map`` inside its page."""
        service = self._service(service)
        cov = self.cov
        program = cov.program_of(service)
        column = self._status[service.id]
        units, rows = {}, []
        for code, name in self._names.items():
            status = column[code]
            tip, cell = self._status_texts(code, service, status)
            units[code] = {"name": name, "status": status, "tip": tip}
            rows.append({"name": name, "status": {FULL: "total", PARTIAL: "parcial", NONE: "ninguna"}[status],
                         "text": cell})
        data = {
            "units": units,
            "fills": {FULL: colors.COVERED, PARTIAL: f"url(#{HATCH_ID})", NONE: colors.NEUTRAL},
            "opacity": 0.8 if self.tiles else 1,
        }
        top = self._header(
            kicker=f"{program.short_name} · Mapa del servicio",
            title=service.title,
            sub=self._coverage_line(service),
            nav=[(f"../{CHOROPLETH_HREF}", "Mapa general"), (f"../{INDEX_HREF}", "Índice")],
        )
        bottom = templates.render(
            templates.STATUS_TABLE,
            caption=f"Departamentos a los que llega {service.name}",
            rows=rows,
        )
        page, m, geometry = self._page(
            kind="service",
            page_title=f"{service.title} — Mapa de cobertura del MIMP",
            description=f"{service.name}: {cov.coverage_words(service)}. {service.description}",
            aria_label=f"Mapa: cobertura de {service.name}",
            top=top,
            panel=self._service_panel(service),
            bottom=bottom,
        )
        CoverageLayer(geometry, data).add_to(m)
        steps = [{"color": colors.COVERED, "label": "Llega el servicio"}]
        partial_words = sorted({self._partial_words[(c, service.id)] for c in self._codes(service, PARTIAL)})
        for words in partial_words:
            steps.append({"hatch": True, "label": f"En parte ({words})"})
        steps.append({"color": colors.NEUTRAL, "label": "No llega"})
        sites = [s for s in (service.centres.sites if service.centres else []) if s.location is not None]
        if sites:
            group = folium.FeatureGroup(name=service.centres.label, overlay=True, control=True, show=True)
            for site in sites:
                marker = folium.CircleMarker(
                    location=[float(site.location[0]), float(site.location[1])],
                    radius=7, color="#ffffff", weight=2, fill_color=SITE_COLOR, fill_opacity=1,
                )
                marker.options["pane"] = "markerPane"  # above the units, whatever is hovered
                lines = [f"Distrito de {site.district}, provincia de {site.province} ({site.department})"]
                if site.count != 1:
                    lines.append(f"{number(site.count)} {service.centres.label}")
                marker.add_child(SiteInfo(site.name, lines))
                group.add_child(marker)
            group.add_to(m)
            steps.append({"color": SITE_COLOR, "circle": True, "label": service.centres.label})
            GroupedLayerControl(title="Capas").add_to(m)
        Legend(service.display_name, steps).add_to(m)
        return self._finish(page, m)

    def service(self, service: Service | str) -> str:
        """``servicios/<id>.html``."""
        return self.service_map(service).get_root().render()
