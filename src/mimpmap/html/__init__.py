"""The interactive maps: folium pages that open with no network.

:mod:`.pages` has the public functions (``choropleth_map``, ``service_map``, ``render_*``,
``embed_snippet``) and :class:`~.pages.Renderer`, which the build uses to render every page of a
coverage sharing the expensive parts.
"""

from .embed import embed_snippet
from .pages import (
    Renderer,
    choropleth_map,
    render_choropleth,
    render_index,
    render_service,
    service_map,
)

__all__ = [
    "Renderer",
    "choropleth_map",
    "service_map",
    "render_choropleth",
    "render_service",
    "render_index",
    "embed_snippet",
]
