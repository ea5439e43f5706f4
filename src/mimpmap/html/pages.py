"""The pages: the choropleth (``cobertura.html``), one map per service (``servicios/<id>.html``) and the
index (``index.html``).

:class:`Renderer` draws an :class:`~mimpmap.views.atlas.Atlas` (the description of every map). It does the work shared by every page once (the boundary geometry as JSON, Leaflet and
the stylesheet, colour classes, the period summary) and then renders each page cheaply, which is what
the build uses. The functions below it are the one-page conveniences.

Every page is one self-contained, deterministic document: Leaflet inlined (or linked from a CDN with
``cdn=True``), the geometry written once, element ids assigned in a fixed order, and every text from
the coverage file escaped (see :mod:`.text`).

The parts: :mod:`.base` (the shared state and the page around a map), :mod:`.choropleth`,
:mod:`.service` and :mod:`.index` (one kind of page each).
"""

from __future__ import annotations

from typing import Iterable, Iterator

import folium

from ..formats import IMAGES, Output
from ..layout import BRECHAS_PAGE, INDEX
from ..views.atlas import Atlas
from ..views.service import ServiceMap
from .brechas import BrechasPage
from .choropleth import ChoroplethPage
from .index import IndexPage
from .service import ServicePage

__all__ = [
    "Renderer",
    "choropleth_map",
    "service_map",
    "render_choropleth",
    "render_service",
    "render_index",
    "outputs",
]


class Renderer(ChoroplethPage, ServicePage, IndexPage, BrechasPage):
    """Renders the pages of one :class:`~mimpmap.views.atlas.Atlas`, sharing the expensive parts.

    >>> r = Renderer(describe(mimpmap.load()))    # doctest: +SKIP
    >>> html = r.choropleth()                     # cobertura.html
    >>> html = r.service("cai")                   # servicios/cai.html
    >>> html = r.index(formats=("html", "png"))   # index.html
    """


# --- one page at a time -------------------------------------------------------------------------

def choropleth_map(atlas: Atlas, *, cdn: bool = False, tiles: str | None = None) -> folium.Map:
    """The choropleth of services per unit, with a layer per service, as a ``folium.Map``."""
    return Renderer(atlas, cdn=cdn, tiles=tiles).choropleth_map()


def service_map(atlas: Atlas, service: ServiceMap | str, *, cdn: bool = False, tiles: str | None = None) -> folium.Map:
    """One service's map as a ``folium.Map``."""
    return Renderer(atlas, cdn=cdn, tiles=tiles).service_map(service)


def render_choropleth(atlas: Atlas, *, cdn: bool = False, tiles: str | None = None) -> str:
    """``cobertura.html`` as a string."""
    return Renderer(atlas, cdn=cdn, tiles=tiles).choropleth()


def render_service(atlas: Atlas, service: ServiceMap | str, *, cdn: bool = False, tiles: str | None = None) -> str:
    """``servicios/<id>.html`` as a string."""
    return Renderer(atlas, cdn=cdn, tiles=tiles).service(service)


def render_index(atlas: Atlas, *, formats: Iterable[str] = ("html",), cdn: bool = False) -> str:
    """``index.html`` as a string."""
    return Renderer(atlas, cdn=cdn).index(formats=formats)


def outputs(atlas: Atlas, fmt: str, job) -> Iterator[Output]:
    """The build's files of the ``html`` format (see :mod:`mimpmap.formats`): a page per map, and the
    index when the build covers every map."""
    renderer = Renderer(atlas, cdn=job.cdn, tiles=job.tiles, exists=job.exists)
    for spec in job.maps:
        # A page links its own images and data where the folder has them: known once all is planned.
        if isinstance(spec, ServiceMap):
            yield Output(f"{spec.key}.html", lambda spec=spec: renderer.service(spec).encode("utf-8"),
                         lambda spec=spec: (spec, renderer.map_files(spec), renderer.centre_layer(spec)))
        else:
            yield Output(f"{spec.key}.html", lambda: renderer.choropleth().encode("utf-8"),
                         lambda spec=spec: (spec, renderer.panel_services(), renderer.map_files(spec),
                                            atlas.centres and atlas.centres.choropleth))
    if job.whole and atlas.brechas is not None:
        yield Output(BRECHAS_PAGE, lambda: renderer.brechas().encode("utf-8"),
                     lambda: (atlas.brechas, renderer.province_file_sha256(), renderer.brechas_files(),
                              renderer.brechas_centres()))
    if job.whole:
        yield Output(INDEX, lambda: renderer.index(formats=IMAGES, thumbnails=True, exists=job.exists).encode("utf-8"),
                     lambda: (atlas.index, renderer.index_files(IMAGES, job.exists)))
