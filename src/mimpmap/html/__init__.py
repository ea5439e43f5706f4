"""The interactive maps: folium pages that open with no network.

:mod:`.pages` has the public functions (``choropleth_map``, ``service_map``, ``render_*``,
``embed_snippet``) and :class:`~.pages.Renderer`, which the build uses to render every page of a
coverage sharing the expensive parts.
"""

from . import pages
from .pages import *  # noqa: F403 -- the names in pages.__all__, which is the one list of them

__all__ = pages.__all__
