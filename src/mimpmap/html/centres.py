"""The centres of the MIMP's directory on the pages: a layer of circle markers coloured by kind, with
their legend and popups (:class:`CentreMarkers`), the search box that finds a centre or a place
(:class:`CentreSearch`), and the panel's lines about them (:func:`panel_block`).

They draw a :class:`~mimpmap.centremaps.CentreLayer`. Their script (``assets/centres.js``) and its
styles are written once, into the ``<head>`` of the pages that show centres only; every other page is
unchanged. No request is made at view time.
"""

from __future__ import annotations

from functools import lru_cache
from types import MappingProxyType

from branca.element import MacroElement
from folium.map import Layer
from folium.template import Template
from markupsafe import Markup

from ..centremaps import (NEAREST_HINT, NEAREST_LIVE, NEAREST_NOTE, NEAREST_TITLE, NEAREST_UNIT, SEARCH_LABEL,
                          SEARCH_NONE, SEARCH_PLACEHOLDER, CentreLayer)
from . import assets
from .elements import FastParts
from .text import esc, js_json

#: The search box's and the list's look (the rest comes from the pages' stylesheet).
_STYLE = """
.mm-search { background: #fff; border-radius: 6px; box-shadow: 0 1px 5px rgba(0, 0, 0, .35); width: 260px;
  max-width: calc(100vw - 80px); font: 14px/1.3 var(--mm-font, sans-serif); }
.mm-search-input { box-sizing: border-box; width: 100%; border: 1px solid var(--mm-line, #dde1e6);
  border-radius: 6px; padding: 7px 9px; font: inherit; min-height: 36px; }
.mm-search-list { list-style: none; margin: 0; padding: 2px 0; max-height: 260px; overflow-y: auto;
  border-top: 1px solid var(--mm-line, #dde1e6); }
.mm-search-list[hidden] { display: none; }
.mm-search-item { padding: 6px 9px; cursor: pointer; display: flex; flex-direction: column; }
.mm-search-item[aria-selected="true"], .mm-search-item:hover { background: var(--mm-soft, #f4f6f8);
  outline: 2px solid var(--mm-ring, #1c2630); outline-offset: -2px; }
.mm-search-hint { color: var(--mm-muted, #56626e); font-size: 12px; }
.mm-visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; margin: 0; }
.mm-pop-kind { color: var(--mm-muted, #56626e); }
.mm-nearest-list { margin: 4px 0 0; padding-left: 20px; }
.mm-nearest-list li { margin: 4px 0; }
.mm-link-button { display: inline; padding: 0; border: 0; background: none; color: var(--mm-accent, #1d5f9e);
  font: inherit; font-weight: 600; text-align: left; text-decoration: underline; cursor: pointer; }
.mm-nearest-far { display: block; color: var(--mm-muted, #56626e); }
.mm-centres-note p { margin: 4px 0; overflow-wrap: anywhere; }
.mm-legend .mm-centres-legend { margin-top: 8px; padding-top: 6px; border-top: 1px solid var(--mm-line, #dde1e6); }
@media print { .mm-search { display: none !important; } }
"""


#: What ``MMCentres.search`` and ``MMCentres.nearest`` say (the words of :mod:`mimpmap.centremaps`).
SEARCH_WORDS = MappingProxyType({"label": SEARCH_LABEL, "placeholder": SEARCH_PLACEHOLDER, "none": SEARCH_NONE})
NEAREST_WORDS = MappingProxyType({"title": NEAREST_TITLE, "note": NEAREST_NOTE, "unit": NEAREST_UNIT,
                                  "live": NEAREST_LIVE})


@lru_cache(maxsize=1)
def head() -> str:
    """The ``<style>`` and ``<script>`` of the centres, for a page's ``<head>`` (after Leaflet and MM)."""
    code = assets.own("centres.js").replace("</", "<\\/")
    return f"<style>\n{assets.compact(_STYLE, script=False)}</style>\n<script>\n{code}</script>\n"


def layer_data(layer: CentreLayer) -> dict:
    """What ``MMCentres.layer`` draws: the kinds (colour, label) and each point as a short list (its place
    is made again from its district, province and department, not written twice)."""
    kinds = [[s.color, s.label] for s in layer.swatches]
    index = {s.label: i for i, s in enumerate(layer.swatches)}
    points = [[p.lat, p.lon, p.name, index[p.kind], p.address, list(p.phones), p.district, p.province,
               p.department] for p in layer.points]
    return {"name": layer.name, "legend": layer.legend_title, "kinds": kinds, "points": points}


class CentreMarkers(FastParts, Layer):
    """The centres of one map as an overlay of the layer control (``show``: on at first)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}{{ this.head }}{% endmacro %}
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = MMCentres.layer({{ this.data_js }});
            {%- if this.show %}
            {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
            {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(self, layer: CentreLayer, *, show: bool = True):
        super().__init__(name=layer.name, overlay=True, control=True, show=show)
        self._name = "CentreMarkers"
        self.head = Markup(head())
        self.data_js = js_json(layer_data(layer))


class CentreSearch(FastParts, MacroElement):
    """The search box over a map's centres and places, and the three centres nearest to a point clicked
    on the map; it needs the :class:`CentreMarkers` and the shared geometry (for the departments)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            MMCentres.search({{ this._parent.get_name() }}, {{ this.markers.get_name() }},
                             {{ this.geometry.get_name() if this.geometry else "null" }}, {{ this.words_js }});
            {%- if this.nearest_js %}
            MMCentres.nearest({{ this._parent.get_name() }}, {{ this.markers.get_name() }}, {{ this.nearest_js }});
            {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(self, markers: CentreMarkers, geometry, *, nearest: bool = True):
        """``nearest``: whether a click lists the nearest centres (a service's page, where they are all of
        one service; not the choropleth, whose units answer a click with their own popup). ``geometry``:
        the departments, which it finds by name besides the centres' places; ``None`` on a map of other
        units (the provinces), whose places it then finds from the centres alone."""
        super().__init__()
        self._name = "CentreSearch"
        self.markers = markers
        self.geometry = geometry
        self.words_js = js_json(dict(SEARCH_WORDS))
        self.nearest_js = js_json(dict(NEAREST_WORDS)) if nearest else ""


def panel_block(layer: CentreLayer) -> Markup:
    """The panel's lines about the centres on the map (escaped), how to find the nearest ones, and their
    source."""
    lines = "".join(f"<p>{esc(line)}</p>\n" for line in (*layer.lines, NEAREST_HINT))
    return Markup(f'<div class="mm-centres-note">\n<h3>{esc(layer.name)}</h3>\n{lines}'
                  f'<p class="mm-small mm-muted">{esc(layer.source_line)}</p>\n</div>\n')
