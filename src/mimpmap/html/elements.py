"""The folium/branca elements our pages are made of, where folium has none for the job.

* :class:`Page` — the HTML document (a branca ``Figure``): ``lang="es"``, title, header, map, side
  panel, data table, with the assets of :mod:`.assets` instead of folium's CDN links.
* :class:`MapView` — a ``folium.Map`` without folium's default assets and header (which disables zoom on
  phones and styles ``body``); the page's stylesheet sizes it.
* :class:`SharedGeometry` — the boundary FeatureCollection, written into the page once as a JavaScript
  variable that every layer below draws from.
* :class:`CountLayer`, :class:`CoverageLayer`, :class:`ServiceOverlay` — ``L.geoJSON`` layers over the
  shared geometry: the choropleth, one service's coverage, and a per-service overlay that carries only
  the codes it covers.
* :class:`GroupedLayerControl` — folium's ``LayerControl`` with a header per program; its labels are set
  with ``textContent``.
* :class:`Legend` — a legend control.

Data goes into scripts through :func:`.text.js_json` only; the page's script (``assets/mimpmap.js``)
builds every tooltip, popup, label and legend with ``textContent``.
"""

from __future__ import annotations

import html
import warnings

from typing import Any

import folium
from xyzservices import TileProvider
from branca.element import Element, Figure, MacroElement
from folium.map import Layer, LayerControl
from folium.template import Template

from ..views.web import NOTEBOOK_TRUST
from .ids import attach, children
from .text import js_json


class _Text(Element):
    """Rendered text, placed into the page as it is.

    branca's ``MacroElement.render`` wraps each rendered part in ``Element(text)``, which compiles the
    text as a new jinja template: for the shared geometry that is 100 KB tokenised on every page. These
    elements hold the text instead.
    """

    def __init__(self, text: str):
        super().__init__()
        self._name = "Text"
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class FastParts:
    """Mixin for macro elements: render the header/html/script parts without recompiling them."""

    def render(self, **kwargs):
        figure = self.get_root()
        assert isinstance(figure, Figure), "You cannot render this Element if it is not in a Figure."
        module = self._template.module
        for part, target in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
            macro = getattr(module, part, None)
            if macro is not None:
                target.add_child(_Text(macro(self, kwargs)), name=self.get_name())
        for child in children(self):
            child.render(**kwargs)


class Page(Figure):
    """A whole HTML page around one map. The parts are HTML strings, already escaped."""

    _template = Template(
        "<!DOCTYPE html>\n"
        '<html lang="es">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>{{ this.page_title }}</title>\n"
        '<meta name="description" content="{{ this.description }}">\n'
        '<meta name="generator" content="mimpmap">\n'
        "{{ this.assets }}"
        "{{ this.header.render(**kwargs) }}\n"
        "</head>\n"
        '<body class="mm-body {{ this.body_class }}">\n'
        '<a class="mm-skip" href="#datos">Ir al cuadro de datos</a>\n'
        '<div class="mm-screen">\n'
        "{{ this.top }}"
        '<main class="mm-main" id="contenido">\n'
        '<div class="mm-mapbox">{{ this.html.render(**kwargs) }}</div>\n'
        "{{ this.panel }}"
        "</main>\n"
        "</div>\n"
        "{{ this.bottom }}"
        "{{ this.defs }}"
        "<script>\n"
        "{{ this.script.render(**kwargs) }}\n"
        "</script>\n"
        "</body>\n"
        "</html>\n"
    )

    def __init__(self, *, page_title: str, description: str, assets: str, body_class: str = "",
                 top: str = "", panel: str = "", bottom: str = "", defs: str = ""):
        # Figure.__init__ would add (and compile) a <meta http-equiv> element; the template writes
        # <meta charset> itself.
        Element.__init__(self)
        self._name = "Page"
        self.header, self.html, self.script = Element(), Element(), Element()
        for part in (self.header, self.html, self.script):
            attach(part, self)
        self.width, self.height, self.ratio, self.title = "100%", None, "60%", None
        self.page_title = page_title
        self.description = description
        self.assets = assets
        self.body_class = body_class
        self.top = top
        self.panel = panel
        self.bottom = bottom
        self.defs = defs


    def _repr_html_(self, **kwargs) -> str:
        """The page in a notebook, in an ``<iframe>``, with a Spanish hint for the notebooks that drop
        the frame until they are trusted (branca's own says it in English)."""
        page = html.escape(self.render(**kwargs))
        return (
            '<div style="width:100%;"><div style="position:relative;width:100%;height:0;padding-bottom:60%;">'
            f'<span style="color:#565656">{html.escape(NOTEBOOK_TRUST)}</span>'
            f'<iframe srcdoc="{page}" title="{self.page_title}" style="position:absolute;width:100%;height:100%;'
            'left:0;top:0;border:none !important;" allowfullscreen></iframe></div></div>'
        )


class MapView(FastParts, folium.Map):
    """``folium.Map`` for our pages: no default assets, no header styles, a labelled map region."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
            <div class="folium-map mm-map" id={{ this.get_name()|tojson }} role="region" aria-label="{{ this.aria_label }}"></div>
        {% endmacro %}

        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.map(
                {{ this.get_name()|tojson }},
                {
                    center: {{ this.location|tojson }},
                    crs: L.CRS.{{ this.crs }},
                    ...{{ this.options|tojavascript }}
                }
            );
            MM.setup({{ this.get_name() }}{% if this.zoom_js %}, {{ this.zoom_js }}{% endif %});
        {% endmacro %}
        """
    )

    def __init__(self, *, aria_label: str, bounds: list[list[float]], tiles: TileProvider | None = None,
                 zoom: dict | None = None):
        """``zoom``: the button that zooms to a small place and back (``MM.setup``'s ``{bounds, label,
        back}``), or ``None``."""
        south, west = bounds[0]
        north, east = bounds[1]
        super().__init__(
            location=[round((south + north) / 2, 4), round((west + east) / 2, 4)],
            zoom_start=5,
            tiles=None,
            zoom_control=False,  # MM.setup adds one with Spanish titles
            zoom_snap=0.25,
        )
        # Map's own min_zoom/max_zoom go to its tile layer; these are the map's.
        self.options.update(min_zoom=3, max_zoom=12)
        # folium's defaults link jQuery, Bootstrap, Font Awesome, ... from CDNs; the page brings Leaflet.
        self.default_js = []
        self.default_css = []
        self.aria_label = aria_label
        self.zoom_js = js_json(zoom) if zoom else ""
        if tiles is not None:
            with warnings.catch_warnings():
                # folium repeats, for every page, a note about CARTO's API keys; the tiles are optional
                # and the map shows without them, so the console is spared it.
                warnings.simplefilter("ignore", UserWarning)
                folium.TileLayer(tiles, control=False).add_to(self)


class FitBounds(FastParts, folium.FitBounds):
    """folium's ``FitBounds``, rendered without recompiling its output."""


class SharedGeometry(FastParts, MacroElement):
    """The boundary features, once per page, as ``var geometry_0 = JSON.parse('{FeatureCollection}')``:
    a browser reads a large JSON text with ``JSON.parse`` faster than the same object written as a
    script's literal (which it must compile), and the boundaries are most of a page's bytes."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = JSON.parse('{{ this.geojson }}');
        {% endmacro %}
        """
    )

    def __init__(self, geojson: str):
        """``geojson``: a FeatureCollection already serialised with :func:`.text.js_json` rules (so it
        holds no ``'``, ``<``, line break or line separator); its backslashes are doubled here, for the
        string literal that ``JSON.parse`` reads."""
        super().__init__()
        self._name = "Geometry"
        self.geojson = geojson.replace("\\", "\\\\")


class _GeometryLayer(FastParts, Layer):
    """A layer drawn from a :class:`SharedGeometry` with one of the ``MM`` factories."""

    factory = ""
    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = MM.{{ this.factory }}({{ this.geometry.get_name() }}, {{ this.data_js }});
            {%- if this.show %}
            {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
            {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(self, geometry: SharedGeometry, data: Any, *, name: str | None = None,
                 overlay: bool = False, control: bool = False, show: bool = True):
        super().__init__(name=name, overlay=overlay, control=control, show=show)
        self.geometry = geometry
        self.data = data
        self.data_js = js_json(data)


class CountLayer(_GeometryLayer):
    """The choropleth: units coloured by how many services reach them; hover and click show which."""

    factory = "countLayer"

    def __init__(self, geometry: SharedGeometry, data: dict):
        super().__init__(geometry, data)
        self._name = "CountLayer"


class ChoiceLayer(_GeometryLayer):
    """A choropleth drawn like :class:`CountLayer` (``units``: name, fill, words on hover and in its popup)
    that is one of a map's choices in the layer control, shown one at a time (``show``: the first). The
    others are drawn the first time they are chosen, not as the page opens."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {%- if this.show %}
            var {{ this.get_name() }} = MM.countLayer({{ this.geometry.get_name() }}, JSON.parse('{{ this.data_text }}'));
            {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
            {%- else %}
            var {{ this.get_name() }} = L.layerGroup();
            {{ this.get_name() }}.once("add", function () {
              {{ this.get_name() }}.addLayer(MM.countLayer({{ this.geometry.get_name() }}, JSON.parse('{{ this.data_text }}')));
            });
            {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(self, geometry: SharedGeometry, data: dict, name: str, *, show: bool = False):
        super().__init__(geometry, data, name=name, overlay=False, control=True, show=show)
        self._name = "ChoiceLayer"
        self.data_text = self.data_js.replace("\\", "\\\\")  # read with JSON.parse, like the geometry


class CoverageLayer(_GeometryLayer):
    """One service's map: covered, partly covered and other units."""

    factory = "coverageLayer"

    def __init__(self, geometry: SharedGeometry, data: dict):
        super().__init__(geometry, data)
        self._name = "CoverageLayer"


class ServiceOverlay(_GeometryLayer):
    """One service over the choropleth, off by default: only the codes it covers, no geometry."""

    factory = "serviceOverlay"

    def __init__(self, geometry: SharedGeometry, overlay, *, show: bool = False):
        """``overlay``: a :class:`mimpmap.views.marks.Overlay` (the service's id, names, program, units, colour)."""
        super().__init__(geometry, overlay_data(overlay), name=overlay.name, overlay=True, control=True, show=show)
        self._name = "ServiceOverlay"
        self.service = overlay
        self.codes = list(overlay.codes)
        self.partial = list(overlay.partial)
        self.palette = list(overlay.palette)


def overlay_data(overlay) -> dict:
    """What ``MM.serviceOverlay`` draws a :class:`mimpmap.views.marks.Overlay` from."""
    return {"id": overlay.id, "title": overlay.title, "group": overlay.program.short,
            "groupName": overlay.program.name, "codes": list(overlay.codes), "partial": list(overlay.partial),
            "palette": list(overlay.palette)}


def legend_data(title: str, steps: list[dict], notes=(), overlays_note: str | None = None) -> dict:
    """What ``MM.legend`` draws (see :class:`Legend`)."""
    return {"title": title, "steps": steps, "notes": list(notes), "overlaysNote": overlays_note}


class GroupedLayerControl(FastParts, LayerControl):
    """folium's layer control, with the overlays under a header per program (``mmGroup``).

    Labels go through ``textContent`` in ``MM.GroupedLayers`` (Leaflet's own control writes them with
    ``innerHTML``), so a service name is always text. Two services may share a name.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = new MM.GroupedLayers(null, null, {{ this.options|tojavascript }});
            {%- for name, label in this.entries %}
            {{ this.get_name() }}.{{ 'addOverlay' if this.overlay_flags[loop.index0] else 'addBaseLayer' }}({{ name }}, {{ label }});
            {%- endfor %}
            {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, title: str, **kwargs):
        super().__init__(collapsed=True, **kwargs)
        self._name = "LayerControl"
        self.options["mmTitle"] = title
        self.entries: list[tuple[str, str]] = []
        self.overlay_flags: list[bool] = []

    def layers(self) -> list[Layer]:
        """The map's layers this control lists, in order."""
        return [item for item in children(self._parent) if isinstance(item, Layer) and item.control]

    def render(self, **kwargs):
        layers = self.layers()
        self.entries = [(layer.get_name(), js_json(layer.layer_name)) for layer in layers]
        self.overlay_flags = [bool(layer.overlay) for layer in layers]
        FastParts.render(self, **kwargs)


class Legend(FastParts, MacroElement):
    """A legend control: a title, a swatch per step, notes."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            MM.legend({{ this._parent.get_name() }}, {{ this.data_js }});
        {% endmacro %}
        """
    )

    def __init__(self, title: str, steps: list[dict], notes: list[str] = (), overlays_note: str | None = None):
        """``steps``: ``{"color": "#hex", "hatch": bool, "circle": bool, "label": text}``.

        ``overlays_note`` replaces the steps while any service overlay is switched on.
        """
        super().__init__()
        self._name = "Legend"
        self.title = title
        self.steps = steps
        self.notes = list(notes)
        self.data_js = js_json(legend_data(title, steps, self.notes, overlays_note))
