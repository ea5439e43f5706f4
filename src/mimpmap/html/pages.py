"""The pages: the choropleth (``cobertura.html``), one map per service (``servicios/<id>.html``) and the
index (``index.html``).

:class:`Renderer` does the work shared by every page once (the boundary geometry as JSON, Leaflet and
the stylesheet, colour classes, the period summary) and then renders each page cheaply, which is what
the build uses. The functions below it are the one-page conveniences.

Every page is one self-contained, deterministic document: Leaflet inlined (or linked from a CDN with
``cdn=True``), the geometry written once, element ids assigned in a fixed order, and every text from
the coverage file escaped (see :mod:`.text`).
"""

from __future__ import annotations

from functools import cached_property
from typing import Iterable

import folium
import geopandas as gpd
import numpy as np
import shapely

from .. import colors, places
from ..coverage import FULL, NONE, PARTIAL, Coverage
from ..model import Service
from . import assets, templates
from .elements import (
    CountLayer,
    CoverageLayer,
    FitBounds,
    GroupedLayerControl,
    Legend,
    MapView,
    Page,
    ServiceOverlay,
    SharedGeometry,
    SiteInfo,
)
from .embed import embed_snippet
from .ids import assign_ids
from .tiles import resolve_tiles
from ..text import change, join_words, number, period_summary, plural
from .text import esc, script_safe

__all__ = [
    "Renderer",
    "choropleth_map",
    "service_map",
    "render_choropleth",
    "render_service",
    "render_index",
    "embed_snippet",
]

CHOROPLETH_HREF = "cobertura.html"
INDEX_HREF = "index.html"
SERVICES_DIR = "servicios"

#: Decimal places kept in page coordinates (about 11 m): the shipped file already has no more.
COORD_DECIMALS = 4
#: Unit borders on the web maps: thin and white, so neighbouring classes stay readable.
WEB_BORDER = "#ffffff"
#: Centres (markers): orange reads against the blue of covered units and the grey of the rest.
SITE_COLOR = "#d95f02"
#: Service overlays: Paul Tol's colour-blind-safe "bright" scheme, without its grey (grey is "no service").
OVERLAY_COLORS = ("#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee", "#aa3377")
HATCH_ID = "mm-hatch"



def _service_href(service_id: str, prefix: str = "") -> str:
    return f"{prefix}{SERVICES_DIR}/{service_id}.html"


def _short(service: Service) -> str | None:
    """The service's short name when it adds something to its name ("CAI"), else ``None`` ("Mi60+")."""
    short = service.short_name
    return short if short and short.casefold() not in service.name.casefold() else None


def _full_name(service: Service) -> str:
    """``Centros de Atención Institucional (CAI)``."""
    short = _short(service)
    return f"{service.name} ({short})" if short else service.name


class Renderer:
    """Renders the pages of one :class:`~mimpmap.coverage.Coverage`, sharing the expensive parts.

    >>> r = Renderer(mimpmap.load())              # doctest: +SKIP
    >>> html = r.choropleth()                     # cobertura.html
    >>> html = r.service("cai")                   # servicios/cai.html
    >>> html = r.index(formats=("html", "png"))   # index.html
    """

    def __init__(self, cov: Coverage, *, cdn: bool = False, tiles: str | None = None):
        self.cov = cov
        self.cdn = bool(cdn)
        self.tiles = resolve_tiles(tiles)

    # --- shared, computed once -------------------------------------------------------------------

    @cached_property
    def geometry_js(self) -> str:
        """The units as a GeoJSON FeatureCollection with only ``code`` and ``nombre``, as a JS literal."""
        units = self.cov.units
        geoms = shapely.transform(
            np.asarray(units.geometry.values, dtype=object), lambda xy: np.round(xy, COORD_DECIMALS)
        )
        frame = gpd.GeoDataFrame(
            {"code": units.index.to_list(), "nombre": units["nombre"].to_list()}, geometry=geoms, crs=units.crs
        )
        text = frame.to_json(drop_id=True, ensure_ascii=False, separators=(",", ":"))
        return script_safe(text)

    @cached_property
    def bounds(self) -> list[list[float]]:
        """[[south, west], [north, east]] of all units: every map opens on the whole of Peru."""
        west, south, east, north = (round(float(v), COORD_DECIMALS) for v in self.cov.units.total_bounds)
        return [[south, west], [north, east]]

    @cached_property
    def head(self) -> str:
        root = (
            f"<style>:root{{--mm-on:{colors.COVERED};--mm-on-light:{colors.PARTIAL_FILL};"
            f"--mm-neutral:{colors.NEUTRAL}}}</style>\n"
        )
        return assets.map_head(self.cdn) + root

    @cached_property
    def classes(self) -> list[colors.CountClass]:
        return colors.count_classes(self.cov.counts.tolist())

    @cached_property
    def period(self) -> str:
        return period_summary([p.label for p in s.periods] for s in self.cov.services)

    @cached_property
    def programs(self) -> list:
        return list(self.cov.programs)

    @cached_property
    def _program_index(self) -> dict[str, int]:
        return {p.id: i for i, p in enumerate(self.programs)}

    @cached_property
    def _status(self) -> dict[str, dict[str, str]]:
        """service id → {unit code: FULL, PARTIAL or NONE}, in unit order (plain dicts: cheap to read)."""
        return self.cov.status.to_dict()

    def _codes(self, service: Service, *statuses: str) -> list[str]:
        return [code for code, st in self._status[service.id].items() if st in statuses]

    @cached_property
    def _partial_words(self) -> dict[tuple[str, str], str]:
        """(unit code, service id) → "solo Lima Metropolitana" for every partly reached unit."""
        out = {}
        members = self.cov.units["members"].to_dict()
        for service in self.cov.services:
            covered = set(self.cov.data.codes[service.id])
            for code in self._codes(service, PARTIAL):
                hit = [m for m in members[code] if m in covered]
                out[(code, service.id)] = "solo " + places.describe(hit)
        return out

    @cached_property
    def footer(self) -> str:
        file = self.cov.data.file
        return templates.render(
            templates.FOOTER,
            source=file.source,
            publisher=file.publisher,
            note="Mapa elaborado con mimpmap. Los límites departamentales son referenciales.",
        )

    @cached_property
    def hatch_defs(self) -> str:
        return (
            '<svg class="mm-defs" aria-hidden="true" focusable="false" width="0" height="0"><defs>'
            f'<pattern id="{HATCH_ID}" patternUnits="userSpaceOnUse" width="7" height="7" '
            'patternTransform="rotate(45)">'
            f'<rect width="7" height="7" fill="{colors.PARTIAL_FILL}"/>'
            f'<rect width="3" height="7" fill="{colors.PARTIAL_LINE}"/>'
            "</pattern></defs></svg>\n"
        )

    @cached_property
    def _names(self) -> dict[str, str]:
        """unit code → name, in unit order."""
        return self.cov.units["nombre"].to_dict()

    def _service(self, service: Service | str) -> Service:
        return self.cov.service(service) if isinstance(service, str) else service

    # --- page scaffolding ------------------------------------------------------------------------

    def _page(self, *, kind: str, page_title: str, description: str, aria_label: str, top: str,
              panel: str, bottom: str) -> tuple[Page, MapView, SharedGeometry]:
        page = Page(
            page_title=esc(page_title),
            description=esc(description),
            assets=self.head,
            body_class=f"mm-{kind}",
            top=top,
            panel=panel,
            bottom=bottom + self.footer,
            defs=self.hatch_defs,
        )
        m = MapView(aria_label=esc(aria_label), bounds=self.bounds, tiles=self.tiles)
        page.add_child(m)
        geometry = SharedGeometry(self.geometry_js)
        m.add_child(geometry)
        return page, m, geometry

    def _finish(self, page: Page, m: MapView) -> MapView:
        FitBounds(self.bounds, padding=(8, 8)).add_to(m)
        assign_ids(page)
        return m

    def _header(self, *, kicker: str, title: str, sub: str, nav: list[tuple[str, str]]) -> str:
        return templates.render(templates.HEADER, kicker=kicker, title=title, sub=sub, nav=nav)

    # --- the choropleth --------------------------------------------------------------------------

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
                    "href": _service_href(s.id),
                    "name": s.name,
                    "short": _short(s),
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
        title = "Servicios del MIMP por departamento"
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

    # --- one service -----------------------------------------------------------------------------

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
                row = {"unit": fig.unit, "values": values, "change": "", "percent": None}
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

    def _coverage_line(self, service: Service) -> str:
        """The header's line: the places by name while they are few, else how many."""
        reached = len(self._codes(service, FULL, PARTIAL))
        if service.national or reached <= 6:
            return "Cobertura: " + self.cov.coverage_words(service)
        return f"Cobertura: {number(reached)} de {plural(len(self._names), 'departamento', 'departamentos')}"

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
            short=_short(service),
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
            title=_full_name(service),
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
            page_title=f"{_full_name(service)} — Mapa de cobertura del MIMP",
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

    # --- the index -------------------------------------------------------------------------------

    def index(self, formats: Iterable[str] = ("html",)) -> str:
        """``index.html``: every map, with its image (``png``/``svg`` in ``formats``) and embed code."""
        formats = tuple(formats)
        cov = self.cov
        file = cov.data.file

        def card(key: str, href: str, title: str, text: str, base: str, wide: bool = False) -> dict:
            return {
                "key": key,
                "href": href,
                "title": title,
                "text": text,
                "wide": wide,
                "png": f"{base}.png" if "png" in formats else None,
                "svg": f"{base}.svg" if "svg" in formats else None,
                "alt": f"Mapa: {title}",
                "embed": embed_snippet(href, title),
            }

        sections = [{
            "id": "mapa-general",
            "title": "Mapa general",
            "subtitle": None,
            "cards": [card(
                "cobertura", CHOROPLETH_HREF, "Servicios del MIMP por departamento",
                f"Cuántos de los {plural(len(cov.services), 'servicio', 'servicios')} llegan a cada departamento, "
                "con una capa por servicio para compararlos.",
                "cobertura", wide=True,
            )],
        }]
        for program in self.programs:
            services = [s for s in cov.services if s.program == program.id]
            if not services:
                continue
            sections.append({
                "id": f"programa-{program.id}",
                "title": program.short_name,
                "subtitle": program.name,
                "cards": [card(
                    s.id, _service_href(s.id), _full_name(s),
                    self._coverage_line(s) + ".", f"{SERVICES_DIR}/{s.id}",
                ) for s in services],
            })
        offline = ("Cada mapa es una página independiente: se abre sin conexión a internet." if not self.cdn
                   else "Los mapas cargan la biblioteca Leaflet desde internet.")
        header = self._header(kicker="MIMP · Mapas de cobertura", title=file.title, sub=self.period, nav=[])
        return templates.render(
            templates.INDEX,
            page_title="Mapas de cobertura de los servicios del MIMP",
            description=f"{file.title}. {self.period}.",
            head=templates.markup(assets.page_head()),
            header=templates.markup(header),
            lead=(f"{plural(len(cov.services), 'servicio', 'servicios')} de "
                  f"{plural(len(self.programs), 'programa', 'programas')} del MIMP, departamento por departamento. "
                  + offline),
            sections=sections,
            summary=[self._summary_row(s) for s in cov.services],
            footer=templates.markup(self.footer),
        )


    def _summary_row(self, service: Service) -> dict:
        """A row of the index's summary table: the latest value of the service's first figure."""
        centres = service.centres
        row = {
            "href": _service_href(service.id),
            "name": _full_name(service),
            "program": self.cov.program_of(service).short_name,
            "coverage": self.cov.coverage_words(service),
            "centres": f"{number(centres.total)} {centres.label}" if centres else "—",
            "latest": None,
        }
        if service.figures and service.periods:
            figure = service.figures[0]
            row.update(latest=number(figure.values[-1].value), unit=figure.unit.lower(),
                       period=service.periods[-1].label)
        return row


# --- one page at a time -------------------------------------------------------------------------

def choropleth_map(cov: Coverage, *, cdn: bool = False, tiles: str | None = None) -> folium.Map:
    """The choropleth of services per unit, with a layer per service, as a ``folium.Map``."""
    return Renderer(cov, cdn=cdn, tiles=tiles).choropleth_map()


def service_map(cov: Coverage, service: Service | str, *, cdn: bool = False, tiles: str | None = None) -> folium.Map:
    """One service's map as a ``folium.Map``."""
    return Renderer(cov, cdn=cdn, tiles=tiles).service_map(service)


def render_choropleth(cov: Coverage, *, cdn: bool = False, tiles: str | None = None) -> str:
    """``cobertura.html`` as a string."""
    return Renderer(cov, cdn=cdn, tiles=tiles).choropleth()


def render_service(cov: Coverage, service: Service | str, *, cdn: bool = False, tiles: str | None = None) -> str:
    """``servicios/<id>.html`` as a string."""
    return Renderer(cov, cdn=cdn, tiles=tiles).service(service)


def render_index(cov: Coverage, *, formats: Iterable[str] = ("html",), cdn: bool = False) -> str:
    """``index.html`` as a string."""
    return Renderer(cov, cdn=cdn).index(formats=formats)
