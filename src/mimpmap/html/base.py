"""What every page shares: :class:`RendererBase` holds one coverage and the parts computed once for all
its pages (the boundary geometry as JSON, the bounds, Leaflet and the stylesheet, the period summary,
each service's status per unit, the footer), and builds the page around a map.

It draws descriptions (:mod:`mimpmap.views`) and words nothing about the data itself. The pages themselves are in :mod:`.choropleth`, :mod:`.service` and :mod:`.index`; :mod:`.pages` puts
them together as :class:`~.pages.Renderer`.
"""

from __future__ import annotations

from functools import cached_property
from typing import Callable

import geopandas as gpd
import numpy as np
import shapely

from .. import colors
from ..layout import CHOROPLETH, DATA_FILES, INDEX, service_data_file, service_file
from ..views.atlas import Atlas
from ..views.choropleth import Choropleth
from ..views.marks import Header
from ..views.service import ServiceMap
from ..views.web import ALONE_CLOSE, ALONE_HELP, ALONE_TEXT, ALONE_TITLE
from . import assets, templates
from .elements import FitBounds, MapView, Page, SharedGeometry
from .ids import assign_ids
from .text import esc, script_safe
from .tiles import resolve_tiles

CHOROPLETH_HREF = f"{CHOROPLETH}.html"
INDEX_HREF = INDEX

#: Decimal places kept in page coordinates (about 11 m): the shipped file already has no more.
COORD_DECIMALS = 4
HATCH_ID = "mm-hatch"
#: The map's button to the units the static maps enlarge in their inset, and back: its two texts.
INSET_ZOOM = "Lima y Callao"
INSET_BACK = "Todo el Perú"


def service_href(service_id: str, prefix: str = "") -> str:
    return prefix + service_file(service_id)


def data_file(spec: "Choropleth | ServiceMap") -> str:
    """A map's rows of the data, relative to the output folder: ``datos/cobertura.csv`` for the
    choropleth (a row per unit), ``datos/servicios/cai.csv`` for a service."""
    return service_data_file(spec.id) if isinstance(spec, ServiceMap) else DATA_FILES["units"]


def geometry_json(units: gpd.GeoDataFrame) -> str:
    """``units`` (a boundary frame) as a GeoJSON FeatureCollection with only ``code`` and ``nombre``,
    :data:`COORD_DECIMALS` places, as a JS literal."""
    geoms = shapely.transform(np.asarray(units.geometry.values, dtype=object), lambda xy: np.round(xy, COORD_DECIMALS))
    frame = gpd.GeoDataFrame({"code": units.index.to_list(), "nombre": units["nombre"].to_list()}, geometry=geoms,
                             crs=units.crs)
    return script_safe(frame.to_json(drop_id=True, ensure_ascii=False, separators=(",", ":")))


class RendererBase:
    """One atlas (the description of every map) and what all of its pages share, each part computed the
    first time a page needs it."""

    def __init__(self, atlas: Atlas, *, cdn: bool = False, tiles: str | None = None,
                 exists: Callable[[str], bool] | None = None):
        self.atlas = atlas
        self.cdn = bool(cdn)
        self.tiles = resolve_tiles(tiles)
        #: ``exists(path)``: whether the output folder has that file (the build's); ``None`` outside one.
        self.exists = exists

    # --- shared, computed once -------------------------------------------------------------------

    @property
    def _units(self) -> gpd.GeoDataFrame:
        return self.atlas.boundaries.frame

    @cached_property
    def geometry_js(self) -> str:
        """The units as a GeoJSON FeatureCollection with only ``code`` and ``nombre``, as a JS literal."""
        return geometry_json(self._units)

    @cached_property
    def bounds(self) -> list[list[float]]:
        """[[south, west], [north, east]] of all units: every map opens on the whole of Peru."""
        west, south, east, north = (round(float(v), COORD_DECIMALS) for v in self._units.total_bounds)
        return [[south, west], [north, east]]

    @cached_property
    def inset_zoom(self) -> dict | None:
        """The map's button to the level's inset units (Lima Metropolitana and Callao) and back, with
        their bounds as the file draws them (merged Lima included); ``None`` when the file has none."""
        level = self.atlas.boundaries.level
        inset = set(level.inset)
        merged = {m.code for m in level.merges if inset & set(m.members)}
        units = self._units[[code in inset or code in merged for code in self._units.index]]
        if units.empty:
            return None
        west, south, east, north = (round(float(v), COORD_DECIMALS) for v in units.total_bounds)
        return {"bounds": [[south, west], [north, east]], "label": INSET_ZOOM, "back": INSET_BACK}

    @cached_property
    def head(self) -> str:
        root = (
            f"<style>:root{{--mm-on:{colors.COVERED};--mm-on-light:{colors.PARTIAL_FILL};"
            f"--mm-neutral:{colors.NEUTRAL}}}</style>\n"
        )
        return assets.map_head(self.cdn) + root

    @cached_property
    def footer(self) -> str:
        return self.footer_at("")

    def footer_at(self, root: str) -> str:
        """The footer of a page ``root`` away from the output folder (``../`` for a service's)."""
        atlas = self.atlas
        return templates.render(templates.FOOTER, source=atlas.source, publisher=atlas.publisher,
                                note=atlas.footer_note, root=root)

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
    def alone_notice(self) -> str:
        """The dialog a separate page shows when a link leads to a page missing beside it."""
        return templates.render(templates.ALONE_NOTICE, title=ALONE_TITLE, text=ALONE_TEXT, help=ALONE_HELP,
                                close=ALONE_CLOSE)

    def map_files(self, spec: "Choropleth | ServiceMap", root: str = "") -> dict:
        """A separate page's links to its own files, ``root`` away from the output folder: its PNG and
        SVG where the folder has them, and its rows of the data (:func:`data_file`)."""
        def there(name: str) -> str | None:
            return root + name if self.exists is not None and self.exists(name) else None

        data = data_file(spec)
        return {"png": there(f"{spec.key}.png"), "svg": there(f"{spec.key}.svg"),
                "csv": root + data if self.exists is None or self.exists(data) else None}

    # --- page scaffolding ------------------------------------------------------------------------

    def page_parts(self, *, kind: str, page_title: str, description: str, aria_label: str, top: str,
                   panel: str, bottom: str, footer: str | None = None,
                   defs: str = "", geometry_js: str | None = None) -> tuple[Page, MapView, SharedGeometry]:
        """A page around a map, its map view and the shared geometry its layers draw: by default with
        the footer of the separate pages (which links the data files) and the notice they show when
        opened without their folder. Add the layers to the map view, then :meth:`finish` the page.
        ``geometry_js``: other units than the atlas's (:func:`geometry_json`; the provinces)."""
        if footer is None:
            footer = self.footer_at("../" if kind == "service" else "")
            defs = defs or self.alone_notice
        page = Page(
            page_title=esc(page_title),
            description=esc(description),
            assets=self.head,
            body_class=f"mm-{kind}",
            top=top,
            panel=panel,
            bottom=bottom + footer,
            defs=self.hatch_defs + defs,
        )
        m = MapView(aria_label=esc(aria_label), bounds=self.bounds, tiles=self.tiles, zoom=self.inset_zoom)
        page.add_child(m)
        # The first view fits the country before any layer is drawn: a fit after them would project
        # and draw every shape twice (at the map's first zoom, then at the fitted one). Shown at once:
        # an animated first zoom would also undo a fit made while it runs (printing).
        fit = FitBounds(self.bounds, padding=(8, 8))
        fit.options["animate"] = False
        fit.add_to(m)
        geometry = SharedGeometry(geometry_js or self.geometry_js)
        m.add_child(geometry)
        return page, m, geometry

    def finish(self, page: Page, m: MapView) -> MapView:
        """The page made whole once its layers are on ``m``: every element gets its deterministic id."""
        assign_ids(page)
        return m

    def page_header(self, header: Header, nav: list[tuple[str, str]]) -> str:
        """A page's header (kicker, title, subtitle) with its links ``nav`` as (href, text)."""
        return templates.render(templates.HEADER, kicker=header.kicker, title=header.title, sub=header.sub,
                                nav=nav)
