"""``brechas.html``: who is far from a CEM, per province (:class:`~mimpmap.views.brechas.Brechas`).

Two choropleths of the provinces, one shown at a time (the layer control's choice, each with its own
legend): women per CEM, and the share of the women beyond the map's distance; the CEMs over them with
the search box of the other pages; the panel's figures and straight-line sentences; the tables of
provinces and of department units. The province boundaries are the province level's file. Its only
code of its own (the legend that follows the chosen layer) is written in the page: the shared script
and stylesheet, which ``atlas.html`` inlines, are unchanged.
"""

from __future__ import annotations

import hashlib
from functools import cached_property
from pathlib import Path

import folium
import numpy as np
import shapely
from branca.element import MacroElement
from folium.template import Template

from .. import colors
from ..availability import CEM
from ..geography import provinces_or_default
from ..layout import BRECHAS_PAGE, DATA_FILES
from ..views.brechas import Brechas, GapLayer
from ..views.marks import Directory
from . import marks, templates
from .base import CHOROPLETH_HREF, INDEX_HREF, RendererBase, geometry_json
from .choropleth import legend_steps
from .service import SITES_CONTROL
from .elements import ChoiceLayer, FastParts, GroupedLayerControl, legend_data
from .text import js_json

#: How many of the farthest provinces the panel names.
PANEL_WORST = 5
#: The key of this page's images (``brechas.png``, ``brechas.svg``), where the folder has them.
KEY = BRECHAS_PAGE.removesuffix(".html")
#: The page's provinces, lighter than the printed maps' (which keep the file's): simplified as one coverage
#: (each shared border once, so neighbours stay edge to edge) at this tolerance in degrees (about 4 km;
#: Lima's small provinces keep their shape at the zoom that shows them), then put on this grid (about
#: 110 m). The 11,045 vertices of the province file become about 5,800, and the page loses about 115 KB.
WEB_TOLERANCE, WEB_GRID = 0.04, 1e-3


def web_provinces(frame):
    """The provinces of ``frame`` (a boundary frame) as the page draws them: simplified, on a coarser grid."""
    geoms = shapely.coverage_simplify(np.asarray(frame.geometry.values, dtype=object), WEB_TOLERANCE)
    out = frame.copy()
    out["geometry"] = shapely.set_precision(geoms, WEB_GRID)
    return out


class LegendSwitch(FastParts, MacroElement):
    """A legend per choice of layer; the chosen layer's is shown (the page's own script)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            (function (map, layers, legends) {
              var shown = legends.map(function (d) { return MM.legend(map, d).getContainer(); });
              function pick(layer) {  // hidden as atlas.html hides legends, which centres.js reads
                var host = null;
                for (var i = 0; i < layers.length; i++) {
                  shown[i].style.display = layers[i] === layer ? "" : "none";
                  if (layers[i] === layer) { host = shown[i]; }
                }
                var kinds = map.getContainer().querySelectorAll(".mm-legend .mm-centres-legend");
                for (var k = 0; k < kinds.length; k++) { host.appendChild(kinds[k]); }  // the centres' part
              }
              map.on("baselayerchange", function (e) { pick(e.layer); });
              pick(layers.filter(function (layer) { return map.hasLayer(layer); })[0]);
            }({{ this._parent.get_name() }}, [{{ this.layer_names }}], {{ this.legends_js }}));
        {% endmacro %}
        """
    )

    def __init__(self, layers: list[ChoiceLayer], legends: list[dict]):
        super().__init__()
        self._name = "LegendSwitch"
        self.layers = layers
        self.legends_js = js_json(legends)

    def render(self, **kwargs):
        self.layer_names = ", ".join(layer.get_name() for layer in self.layers)
        FastParts.render(self, **kwargs)


class BrechasPage(RendererBase):
    """The ``brechas.html`` part of :class:`~.pages.Renderer`."""

    @cached_property
    def province_boundaries(self):
        """The provinces read with the inputs (``--provincias``), else the level's file."""
        return provinces_or_default(self.atlas.provinces)

    @cached_property
    def province_geometry_js(self) -> str:
        """The provinces as the pages write geometry (read once per renderer)."""
        return geometry_json(web_provinces(self.province_boundaries.frame))

    def province_file_sha256(self) -> str:
        """What the page's key holds of the boundaries: the file's bytes (the geometry is made from them)."""
        return hashlib.sha256(Path(self.province_boundaries.path).read_bytes()).hexdigest()

    def brechas_files(self) -> dict:
        """The page's links to its images (where the folder has them) and its download."""
        def there(name: str) -> str | None:
            return name if self.exists is not None and self.exists(name) else None

        csv = DATA_FILES["brechas"]
        return {"png": there(f"{KEY}.png"), "svg": there(f"{KEY}.svg"),
                "csv": csv if self.exists is None or self.exists(csv) else None}

    def brechas_centres(self):
        """The CEMs (the layer of the service named CEM), else every centre; ``None`` without centres."""
        centres = self.atlas.centres
        if centres is None:
            return None
        cem = next((s for s in self.atlas.services if (s.short or "").upper() == CEM), None)
        return (cem and centres.of(cem.id)) or centres.choropleth

    @staticmethod
    def brechas_panel(spec: Brechas) -> str:
        return templates.render(
            templates.BRECHAS_PANEL, label="Información del mapa", title=spec.title, summary=spec.summary,
            caption=spec.caption, worst_title=spec.worst_title,
            worst=[g.tip for g in spec.worst(PANEL_WORST)], notes=spec.notes[:3], source=f"Fuente: {spec.sources}")

    def brechas_table(self, spec: Brechas) -> str:
        return templates.render(
            templates.BRECHAS_TABLE, open=spec.tables_title, files=self.brechas_files(), caption=spec.table_caption, head=spec.head,
            rows=[g.cells for g in spec.provinces], total=spec.national.cells,
            units_caption=spec.units_caption, units_head=spec.department_head,
            units=[g.cells for g in spec.departments])

    def brechas_map(self) -> folium.Map:
        """``brechas.html`` as a ``folium.Map`` inside its page."""
        spec = self.atlas.brechas
        page, m, geometry = self.page_parts(
            kind="brechas", page_title=spec.header.title, description=spec.caption, aria_label=spec.aria_label,
            top=self.page_header(spec.header, nav=[(CHOROPLETH_HREF, "Mapa general"), (INDEX_HREF, "Índice")]),
            panel=self.brechas_panel(spec), bottom=self.brechas_table(spec), geometry_js=self.province_geometry_js)
        layers = [ChoiceLayer(geometry, self.layer_data(spec, layer), layer.title, show=i == 0).add_to(m)
                  for i, layer in enumerate(spec.layers)]
        centres = self.brechas_centres()
        if centres is not None:  # off until the search or the layer list turns it on; no nearest-centre
            # click and no units to search (the centres' script would name the provinces departments)
            marks.draw(m, None, (Directory(centres, show=False, nearest=False),))
        GroupedLayerControl(title=SITES_CONTROL).add_to(m)
        LegendSwitch(layers, [legend_data(layer.legend.title, legend_steps(layer.web_legend)) for layer in spec.layers]
                     ).add_to(m)
        return self.finish(page, m)

    def layer_data(self, spec: Brechas, layer: GapLayer) -> dict:
        """What ``MM.countLayer`` draws one of the page's choropleths from (no services: a province's popup
        says its figures)."""
        fills, tips = dict(layer.fills), dict(layer.tips)
        units = {g.code: {"name": f"{g.name} ({g.department})", "fill": fills[g.code], "tip": tips[g.code],
                          "note": None, "head": g.line, "services": []} for g in spec.provinces}
        return {"units": units, "services": [], "programs": [], "href": "", "opacity": 0.8 if self.tiles else 1,
                "neutral": colors.NEUTRAL}

    def brechas(self) -> str:
        """``brechas.html``."""
        return self.brechas_map().get_root().render()
