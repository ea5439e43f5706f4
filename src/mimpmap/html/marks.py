"""The layers' marks on a page (:func:`mimpmap.views.layers.web_marks`), each kind drawn one way whichever
layer gave it and whichever page shows it (a map's own page or its view in ``atlas.html``).

A mark is written as data, ``[kind, data]`` (:func:`data`), and drawn by the page's script, one drawer
per kind (``MM.mark`` in ``assets/mimpmap.js``): :class:`~mimpmap.views.marks.Markers` as circle markers
with their name and popup, one overlay of the layer control; :class:`~mimpmap.views.marks.Areas` as
shapes of their own over the units, drawn as units reached in full with their words on hover. The
directory's centres (:class:`~mimpmap.views.marks.Directory`) come with their search box
(:mod:`.centres`); ``atlas.html`` writes their points once for all its views (:mod:`.atlas`).
"""

from __future__ import annotations

import json

import folium
from folium.map import Layer
from folium.template import Template
from markupsafe import Markup

from ..views.marks import Areas, Directory, Markers, WebMark
from .centres import CentreMarkers, CentreSearch, panel_block
from .elements import FastParts
from .text import js_json

__all__ = ["MarkLayer", "data", "draw", "panel_extra"]


def data(mark: Markers | Areas) -> list:
    """``mark`` as the page's script draws it: ``["markers", {name, color, points: [[lat, lon, name,
    lines]]}]`` or ``["areas", {color, shapes: [[code, name, words on hover, GeoJSON geometry]]}]``."""
    if isinstance(mark, Markers):
        points = [[*p.location, p.name, list(p.lines)] for p in mark.points]
        return ["markers", {"name": mark.label, "color": mark.color, "points": points}]
    shapes = [[p.code, p.name, p.tip, json.loads(p.outline)] for p in mark.pieces]
    return ["areas", {"color": mark.color, "shapes": shapes}]


class MarkLayer(FastParts, Layer):
    """A mark drawn by ``MM.mark`` on the page's map: an overlay of the layer control when it has a name
    (markers), a layer under them when it has none (areas)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = MM.mark({{ this.data_js }}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, mark: Markers | Areas):
        drawn = data(mark)
        name = drawn[1].get("name")
        super().__init__(name=name, overlay=True, control=name is not None, show=True)
        self._name = "MarkLayer"
        self.data_js = js_json(drawn)


def draw(m: folium.Map, geometry, marks: tuple[WebMark, ...]) -> bool:
    """Add every mark to ``m``, bottom first (``geometry``: the page's shared units, which the centres'
    search looks places up in); whether any of them is an overlay of the layer control."""
    listed = False
    for mark in marks:
        if isinstance(mark, Directory):
            centres = CentreMarkers(mark.layer, show=mark.show).add_to(m)
            CentreSearch(centres, geometry, nearest=mark.nearest).add_to(m)
            listed = True
        else:
            listed = MarkLayer(mark).add_to(m).control or listed
    return listed


def panel_extra(marks: tuple[WebMark, ...]) -> Markup:
    """The panel's lines about the directory's centres a page shows (nothing without them)."""
    return Markup("").join(panel_block(mark.layer) for mark in marks if isinstance(mark, Directory))
