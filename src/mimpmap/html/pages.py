"""The pages: the choropleth (``cobertura.html``), one map per service (``servicios/<id>.html``) and the
index (``index.html``).

:class:`Renderer` does the work shared by every page once (the boundary geometry as JSON, Leaflet and
the stylesheet, colour classes, the period summary) and then renders each page cheaply, which is what
the build uses. The functions below it are the one-page conveniences.

Every page is one self-contained, deterministic document: Leaflet inlined (or linked from a CDN with
``cdn=True``), the geometry written once, element ids assigned in a fixed order, and every text from
the coverage file escaped (see :mod:`.text`).

The parts: :mod:`.base` (the shared state and the page around a map), :mod:`.choropleth`,
:mod:`.service` and :mod:`.index` (one kind of page each).
"""

from __future__ import annotations

from typing import Iterable

import folium

from ..coverage import Coverage
from ..model import Service
from .choropleth import ChoroplethPage
from .embed import embed_snippet
from .index import IndexPage
from .service import ServicePage

__all__ = [
    "Renderer",
    "choropleth_map",
    "service_map",
    "render_choropleth",
    "render_service",
    "render_index",
    "embed_snippet",
]


class Renderer(ChoroplethPage, ServicePage, IndexPage):
    """Renders the pages of one :class:`~mimpmap.coverage.Coverage`, sharing the expensive parts.

    >>> r = Renderer(mimpmap.load())              # doctest: +SKIP
    >>> html = r.choropleth()                     # cobertura.html
    >>> html = r.service("cai")                   # servicios/cai.html
    >>> html = r.index(formats=("html", "png"))   # index.html
    """


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
