"""The one file to send, ``atlas.html``: the choropleth and every service in one self-contained page.

Leaflet, the stylesheet, the script and the boundary geometry are written once; each map is data (what
``MM.countLayer``, ``MM.coverageLayer``, ``MM.serviceOverlay`` and ``MM.legend`` draw, built by the same
methods as the separate pages) and its header, panel and table are the same HTML as on its own page,
kept in a ``<template>`` until it is shown. ``MM.atlas`` (``assets/atlas.js``: with ``assets/atlas.css``,
the one part of the page's script and style that no other page carries) shows one map at a time, by the
page's address: ``atlas.html#cobertura`` (the first view), ``atlas.html#cai``. A list of
the maps by program, in the header, leads from one to another; back and forward work.

Each view carries what the layers (:data:`~mimpmap.views.layers.LAYERS`) draw on its map, the marks its
own page draws, written alike (:func:`.marks.data`) and drawn by the same ``MM.mark``: a service's own
centres, the provinces it reaches in part, any layer registered later. The directory's centres
(:mod:`mimpmap.centremaps`) are written once, in a compact list (:func:`centres_data`), and each map that
shows some (the choropleth's "Centros" overlay, the service maps of CEM, SAR, SAU and CAI) names the
kinds it draws in its ``directory`` mark: ``MM.atlas`` makes each map's part of the list
into what ``MMCentres`` (``assets/centres.js``) draws on the separate pages, with the same markers,
legend, popups, search box and nearest centres. What the views repeat (each unit's name and population,
a legend's steps, a program's name) is written once as well, to keep the file under its budget.

The page makes no request and links no other file: Leaflet is always inlined and there is no basemap,
whatever the build's ``--cdn`` and ``--tiles``, so it works when it is the only file sent.
"""

from __future__ import annotations

import json
from functools import cached_property
from typing import Iterator

from branca.element import MacroElement
from folium.template import Template

from ..centremaps import CentreLayer, CentresView
from ..formats import Output
from ..layout import CHOROPLETH
from ..views.atlas import Atlas
from ..views.choropleth import Choropleth
from ..views.layers import web_marks
from ..views.marks import Directory
from ..views.service import ServiceMap
from ..views.web import (ATLAS_GENERAL, ATLAS_HTML, ATLAS_MENU, ATLAS_MENU_LABEL, ATLAS_NOTE, atlas_description,
                         atlas_view_title)
from . import assets, centres, marks, templates
from .base import COORD_DECIMALS
from .choropleth import legend_steps
from .elements import FastParts, legend_data, overlay_data
from .pages import Renderer
from .service import SITES_CONTROL
from .text import js_json

__all__ = ["ATLAS_FILE", "AtlasPage", "render_atlas", "view_href", "outputs"]

#: The file's name in the output folder (the index links it).
ATLAS_FILE = ATLAS_HTML

def view_href(service_id: str) -> str:
    """A map's address inside the atlas: ``#cai``."""
    return f"#{service_id}"


def _prefix(names: list[str]) -> str:
    """The words that every one of ``names`` (two or more) starts with, each name keeping one of its own:
    ``"Cem Regular "`` for the regular CEM."""
    if len(names) < 2:
        return ""
    words = [name.split(" ") for name in names]
    shared = []
    for column in zip(*(w[:-1] for w in words)):
        if len(set(column)) > 1:
            break
        shared.append(column[0])
    return "".join(f"{word} " for word in shared)


def _phones(phones: tuple[str, ...]) -> str | int:
    """A centre's phones joined by ``/``; one number without a leading 0 or ``+`` as a number (2 bytes less)."""
    text = "/".join(phones)
    plain = text.isascii() and text.isdigit() and not text.startswith("0") and len(text) < 16
    return int(text) if plain else text


def centres_data(view: CentresView) -> dict:
    """The directory's centres, each written once, for every view of the atlas (``MM.atlas`` unpacks
    them into what ``MMCentres.layer`` draws, with the words of the search and the nearest centres).

    ``kinds``: ``[colour, label, prefix]``, the prefix being the words every name of that kind starts
    with, written once; ``places``: each department, province and district name once (in that order:
    the most used get the shortest indices); ``points``: ``[lat, lon, kind, name, address, phones,
    district, province, department]``, the position in 1/10 000 degree (about 11 m) as the step from
    the point before, the name without its kind's prefix (the index of a place when it is that place's
    name), the phones joined by ``/`` (they are digits: see :func:`_phones`) and the places as indices
    into ``places``."""
    layer = view.choropleth
    labels = [s.label for s in layer.swatches]
    prefixes = {label: _prefix([p.name for p in layer.points if p.kind == label]) for label in labels}
    names = [getattr(p, field) for field in ("department", "province", "district") for p in layer.points]
    places = {name: i for i, name in enumerate(dict.fromkeys(names))}
    points, last = [], (0, 0)
    for p in layer.points:
        at = (round(p.lat * 10 ** COORD_DECIMALS), round(p.lon * 10 ** COORD_DECIMALS))
        name = p.name[len(prefixes[p.kind]):]
        points.append([at[0] - last[0], at[1] - last[1], labels.index(p.kind), places.get(name, name), p.address,
                       _phones(p.phones), places[p.district], places[p.province], places[p.department]])
        last = at
    return {"name": layer.name, "legend": layer.legend_title,
            "kinds": [[s.color, s.label, prefixes[s.label]] for s in layer.swatches],
            "places": list(places), "points": points, "scale": 10 ** COORD_DECIMALS,
            "search": dict(centres.SEARCH_WORDS), "nearest": dict(centres.NEAREST_WORDS)}


def kinds_shown(view: CentresView, layer: CentreLayer) -> list[int]:
    """The kinds of :func:`centres_data` whose points are ``layer``'s (a service's are all of its kinds)."""
    labels = [s.label for s in view.choropleth.swatches]
    return [labels.index(s.label) for s in layer.swatches]


class _Shared:
    """Values that several views repeat (a legend's steps, a program's name), written once in the
    atlas's data; a view holds its index instead (``MM.atlas`` puts it back)."""

    def __init__(self):
        self._index: dict[str, int] = {}
        self._values: list = []

    def __call__(self, value) -> int:
        key = json.dumps(value, sort_keys=True, ensure_ascii=False)
        if key not in self._index:
            self._index[key] = len(self._values)
            self._values.append(value)
        return self._index[key]

    def values(self) -> list:
        return list(self._values)


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
        shared = _Shared()
        views = {CHOROPLETH: {
            "kind": "count",
            "title": spec.page_title,
            "label": spec.aria_label,
            "data": self._count_units(r.count_data(spec, href="#", suffix="")),
            "overlays": [[o.name, self._overlay(o, shared)] for o in spec.overlays],
            "control": spec.overlays_title,
            "legend": legend_data(*r.count_legend(spec)),
            **self._marks(spec),
        }}
        for service in self.atlas.services:
            views.setdefault(service.id, self._service_view(service, shared))
        found = self.atlas.centres
        common = {"first": CHOROPLETH, "units": self.units, "order": list(self.units), "looks": self.looks,
                  "titled": atlas_view_title(""), "control": SITES_CONTROL, "views": views}
        return {**common, "shared": shared.values(), **({"centres": centres_data(found)} if found else {})}

    def _marks(self, spec: "Choropleth | ServiceMap") -> dict:
        """What the layers draw on ``spec``'s view (:func:`.marks.data`, as on its own page); the
        directory's centres as the kinds of :func:`centres_data` it shows, on at first or not, and
        whether a click lists the nearest ones."""
        drawn = []
        for mark in self.renderer.web_marks(spec):
            if isinstance(mark, Directory):
                drawn.append(["directory", {"kinds": kinds_shown(self.atlas.centres, mark.layer), "show": mark.show,
                                            "nearest": mark.nearest}])
            else:
                drawn.append(marks.data(mark))
        return {"marks": drawn} if drawn else {}

    @cached_property
    def units(self) -> dict[str, list]:
        """Each unit's name and population line, written once for every service's map."""
        return {u.code: [u.name, u.people_tip] for u in self.atlas.choropleth.units}

    def _count_units(self, data: dict) -> dict:
        """The choropleth's data without each unit's name and population where they are the atlas's,
        and each service that reaches it in full as its index alone (``MM.atlas`` puts them back)."""
        def entry(code: str, unit: dict) -> dict:
            services = [s[0] if s[1] is None else s for s in unit["services"]]
            if self.units.get(code) != [unit["name"], unit.get("people")]:
                return {**unit, "services": services}
            return {**{k: v for k, v in unit.items() if k not in ("name", "people")}, "services": services}
        return {**data, "units": {code: entry(code, unit) for code, unit in data["units"].items()}}

    def _units(self, data: dict) -> dict:
        """A coverage layer's data with each unit as the index of its ``[status, tip]`` in the view's
        ``tips`` (each pair written once) where its name and population are the atlas's, in a list in
        the atlas's order of units when the view has the same units (``MM.atlas`` puts them back); its
        fills and opacity left out when they are the atlas's (:meth:`looks`)."""
        tips: dict[tuple[str, str], int] = {}

        def entry(code: str, unit: dict) -> dict | int:
            same = self.units.get(code) == [unit["name"], unit.get("people")]
            return tips.setdefault((unit["status"], unit["tip"]), len(tips)) if same else unit
        units = {code: entry(code, unit) for code, unit in data["units"].items()}
        rest = {k: v for k, v in data.items() if k != "units" and self.looks.get(k) != v}
        return {**rest, "units": list(units.values()) if list(units) == list(self.units) else units,
                "tips": [list(pair) for pair in tips]}

    @cached_property
    def looks(self) -> dict:
        """The fills and opacity of every service's coverage (written once: a view has its own only
        when they differ)."""
        data = self.renderer.coverage_data(self.atlas.services[0]) if self.atlas.services else {}
        return {k: v for k, v in data.items() if k != "units"}

    def _overlay(self, overlay, shared: "_Shared") -> dict:
        """A service over the choropleth (``MM.serviceOverlay``'s data) with its units as their index
        in the atlas's order, and its palette and program's name in ``shared``."""
        index = {code: i for i, code in enumerate(self.units)}
        data = overlay_data(overlay)
        return {**data, "codes": [index.get(c, c) for c in data["codes"]],
                "partial": [index.get(c, c) for c in data["partial"]],
                "palette": shared(data["palette"]), "groupName": shared(data["groupName"])}

    def _service_view(self, spec: ServiceMap, shared: "_Shared") -> dict:
        r = self.renderer
        legend = legend_data(spec.legend.title, legend_steps(spec.legend))
        view = {
            "kind": "service",
            "title": spec.page_title,
            "label": spec.aria_label,
            "data": self._units(r.coverage_data(spec)),
            "legend": {**legend, "steps": shared(legend["steps"])},
        }
        return {**view, **self._marks(spec)}

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
                             panel=templates.markup(r.service_panel(s, marks.panel_extra(r.web_marks(s))).replace(templates.FOLD_SCRIPT, "")),
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
        page.assets += assets.atlas_head() + (centres.head() if atlas.centres is not None else "")
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
                      atlas.footer_note, atlas.centres and (atlas.centres.choropleth, dict(atlas.centres.services)),
                      tuple(web_marks(spec, atlas) for spec in atlas.maps)))
