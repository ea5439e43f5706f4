"""The layers' marks on a page (:func:`mimpmap.views.layers.web_marks`), each kind drawn one way whichever
layer gave it: :class:`~mimpmap.views.marks.Markers` as circle markers with their name and popup, one
overlay of the layer control; :class:`~mimpmap.views.marks.Directory` as the directory's centres with
their search box (:mod:`.centres`).
"""

from __future__ import annotations

import folium
from markupsafe import Markup

from ..views.marks import Directory, Markers, WebMark
from .centres import CentreMarkers, CentreSearch, panel_block
from .elements import SiteInfo

__all__ = ["draw", "marker_style", "panel_extra"]


def marker_style(color: str | None) -> dict:
    """A point of :class:`~mimpmap.views.marks.Markers` (folium's names; Leaflet's are the same in
    camelCase)."""
    return {"radius": 7, "color": "#ffffff", "weight": 2, "fill_color": color, "fill_opacity": 1}


def _markers(mark: Markers) -> folium.FeatureGroup:
    group = folium.FeatureGroup(name=mark.label, overlay=True, control=True, show=True)
    style = marker_style(mark.color)
    for point in mark.points:
        marker = folium.CircleMarker(location=list(point.location), **style)
        marker.options["pane"] = "markerPane"  # above the units, whatever is hovered
        marker.add_child(SiteInfo(point.name, list(point.lines)))
        group.add_child(marker)
    return group


def draw(m: folium.Map, geometry, marks: tuple[WebMark, ...]) -> None:
    """Add every mark to ``m``, bottom first (``geometry``: the page's shared units, which the centres'
    search looks places up in)."""
    for mark in marks:
        if isinstance(mark, Directory):
            centres = CentreMarkers(mark.layer, show=mark.show).add_to(m)
            CentreSearch(centres, geometry, nearest=mark.nearest).add_to(m)
        else:
            _markers(mark).add_to(m)


def panel_extra(marks: tuple[WebMark, ...]) -> Markup:
    """The panel's lines about the directory's centres a page shows (nothing without them)."""
    return Markup("").join(panel_block(mark.layer) for mark in marks if isinstance(mark, Directory))
