"""The one file to send, ``atlas.html``: the choropleth and every service in one self-contained page.

Leaflet, the stylesheet, the script and the boundary geometry are written once; each map is data (what
``MM.countLayer``, ``MM.coverageLayer``, ``MM.serviceOverlay`` and ``MM.legend`` draw, built by the same
methods as the separate pages) and its header, panel and table are the same HTML as on its own page,
kept in a ``<template>`` until it is shown. ``MM.atlas`` (``assets/mimpmap.js``) shows one map at a
time, by the page's address: ``atlas.html#cobertura`` (the first view), ``atlas.html#cai``. A list of
the maps by program, in the header, leads from one to another; back and forward work.

The page makes no request and links no other file: Leaflet is always inlined and there is no basemap,
whatever the build's ``--cdn`` and ``--tiles``, so it works when it is the only file sent.
"""

from __future__ import annotations

from functools import cached_property
from typing import Iterator

from branca.element import MacroElement
from folium.template import Template

from ..formats import Output
from ..layout import CHOROPLETH
from ..views.atlas import Atlas
from ..views.service import ServiceMap
from ..views.web import (ATLAS_GENERAL, ATLAS_HTML, ATLAS_MENU, ATLAS_MENU_LABEL, ATLAS_NOTE, atlas_description,
                         atlas_view_title)
from . import templates
from .choropleth import legend_steps
from .elements import FastParts, legend_data, overlay_data
from .pages import Renderer
from .service import SITES_CONTROL
from .text import js_json

__all__ = ["ATLAS_FILE", "AtlasPage", "render_atlas", "view_href", "outputs"]

#: The file's name in the output folder (the index links it).
ATLAS_FILE = ATLAS_HTML

#: The few rules the atlas adds to the pages' stylesheet: its list of maps, over the map when open.
_STYLE = """<style>
.mm-atlas-nav { position: relative; font-size: 14px; }
.mm-atlas-menu > summary { cursor: pointer; color: var(--mm-accent); font-weight: 600; white-space: nowrap; }
.mm-atlas-list {
  position: absolute; right: 0; top: 100%; z-index: 1200; width: 320px; max-width: calc(100vw - 24px);
  max-height: 70vh; overflow-y: auto; padding: 4px 14px 10px; background: #fff;
  border: 1px solid var(--mm-line); border-radius: 6px; box-shadow: 0 4px 14px rgba(0, 0, 0, .2);
}
.mm-atlas-list a[aria-current] { font-weight: 700; color: var(--mm-text); }
/* A map chosen from the list puts focus on its title, which is not a control: no ring there. */
.mm-header h1[tabindex="-1"]:focus { outline: none; box-shadow: none; }
@media print { .mm-atlas-nav { display: none !important; } }
</style>
"""


def view_href(service_id: str) -> str:
    """A map's address inside the atlas: ``#cai``."""
    return f"#{service_id}"


def _camel(options: dict) -> dict:
    """folium's option names as Leaflet's: ``fill_color`` → ``fillColor``."""
    def camel(name: str) -> str:
        head, *rest = name.split("_")
        return head + "".join(part.title() for part in rest)
    return {camel(k): v for k, v in options.items()}


class AtlasViews(FastParts, MacroElement):
    """Every map of the atlas as data, drawn one at a time on the page's map by ``MM.atlas``."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            MM.atlas({{ this._parent.get_name() }}, {{ this.geometry.get_name() }}, {{ this.data_js }});
        {% endmacro %}
        """
    )

    def __init__(self, geometry, data: dict):
        super().__init__()
        self._name = "AtlasViews"
        self.geometry = geometry
        self.data = data
        self.data_js = js_json(data)


class AtlasPage:
    """``atlas.html`` for one :class:`~mimpmap.views.atlas.Atlas`."""

    def __init__(self, atlas: Atlas):
        # No CDN and no basemap: the one file needs nothing else.
        self.renderer = Renderer(atlas)
        self.atlas = atlas

    # --- the maps as data ------------------------------------------------------------------------

    def views(self) -> dict:
        """What ``MM.atlas`` draws: the first view's id and every view's layers, legend and titles."""
        r, spec = self.renderer, self.atlas.choropleth
        views = {CHOROPLETH: {
            "kind": "count",
            "title": atlas_view_title(spec.page_title),
            "label": spec.aria_label,
            "data": r.count_data(spec, href="#", suffix=""),
            "overlays": [[o.name, overlay_data(o)] for o in spec.overlays],
            "control": spec.overlays_title,
            "legend": legend_data(*r.count_legend(spec)),
        }}
        for service in self.atlas.services:
            views.setdefault(service.id, self._service_view(service))
        return {"first": CHOROPLETH, "units": self.units, "views": views}

    @cached_property
    def units(self) -> dict[str, list]:
        """Each unit's name and population line, written once for every service's map."""
        return {u.code: [u.name, u.people_tip] for u in self.atlas.choropleth.units}

    def _units(self, data: dict) -> dict:
        """A coverage layer's data with each unit as ``[status, tip]`` where its name and population are
        the atlas's (``MM.atlas`` puts them back)."""
        def entry(code: str, unit: dict) -> dict | list:
            same = self.units.get(code) == [unit["name"], unit.get("people")]
            return [unit["status"], unit["tip"]] if same else unit
        return {**data, "units": {code: entry(code, unit) for code, unit in data["units"].items()}}

    def _service_view(self, spec: ServiceMap) -> dict:
        r = self.renderer
        view = {
            "kind": "service",
            "title": atlas_view_title(spec.page_title),
            "label": spec.aria_label,
            "data": self._units(r.coverage_data(spec)),
            "legend": legend_data(spec.legend.title, legend_steps(spec.legend)),
        }
        if spec.sites:
            view["sites"] = {"name": spec.centres.label, "control": SITES_CONTROL,
                             "style": _camel(r.site_style(spec)),
                             "list": [[*s.location, s.name, list(s.lines)] for s in spec.sites]}
        return view

    # --- the HTML around them --------------------------------------------------------------------

    def menu(self) -> str:
        programs = self.renderer.panel_services(view_href)
        return templates.render(templates.ATLAS_MENU, label=ATLAS_MENU_LABEL, menu=ATLAS_MENU,
                                first={"id": CHOROPLETH, "name": ATLAS_GENERAL}, programs=programs)

    def other_views(self) -> str:
        """The services' headers, panels and tables, each in a ``<template>``."""
        r = self.renderer
        return "".join(
            templates.render(templates.ATLAS_VIEW, id=s.id,
                             header=templates.markup(r.page_header(s.header, nav=[])),
                             panel=templates.markup(r.service_panel(s)),
                             data=templates.markup(r.status_table(s)))
            for s in self.atlas.services if s.id != CHOROPLETH)

    def html(self) -> str:
        r, atlas, spec = self.renderer, self.atlas, self.atlas.choropleth
        header = templates.render(templates.HEADER, kicker=spec.header.kicker, title=spec.header.title,
                                  sub=spec.header.sub, nav=[], menu=templates.markup(self.menu()))
        footer = templates.render(templates.ATLAS_FOOTER, source=atlas.source, publisher=atlas.publisher,
                                  note=atlas.footer_note, atlas_note=ATLAS_NOTE)
        page, m, geometry = r.page_parts(
            kind="atlas",
            page_title=atlas_view_title(spec.page_title),
            description=atlas_description(atlas),
            aria_label=spec.aria_label,
            top=header,
            panel=r.choropleth_panel(spec, view_href),
            bottom=r.count_table(spec),
            footer=footer,
            defs=self.other_views(),
        )
        page.assets += _STYLE
        AtlasViews(geometry, self.views()).add_to(m)
        r.finish(page, m)
        return page.render()


def render_atlas(atlas: Atlas) -> str:
    """``atlas.html`` as a string."""
    return AtlasPage(atlas).html()


def outputs(atlas: Atlas, fmt: str, job) -> Iterator[Output]:
    """``atlas.html``, with the ``html`` format (see :mod:`mimpmap.formats`), in whole builds only."""
    if job.whole:
        yield Output(ATLAS_FILE, lambda: render_atlas(atlas).encode("utf-8"),
                     ("atlas", atlas.choropleth, atlas.services, atlas.programs, atlas.source, atlas.publisher,
                      atlas.footer_note))
