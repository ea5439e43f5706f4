"""The notebook façade: what :func:`mimpmap.load` returns, a joined coverage that draws itself.

    >>> cov = mimpmap.load()
    >>> cov.choropleth()            # folium.Map, shown inline in Jupyter
    >>> cov.service_map("cai")      # folium.Map of one service
    >>> cov.static_map()            # matplotlib Figure for reports
    >>> cov.table()                 # pandas DataFrame, units x services
    >>> preview = cov.serve()       # live preview of its files (as `mimpmap serve`); preview.stop()

It is the one module that knows both the join and the renderers: the join (:mod:`mimpmap.coverage`)
is described once (:mod:`mimpmap.views`), and the renderers draw the description. folium and
matplotlib load on first use.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from . import coverage
from .views.atlas import Atlas, describe

if TYPE_CHECKING:  # pragma: no cover
    import folium
    from matplotlib.figure import Figure

    from .serve import Preview


@dataclass
class Coverage(coverage.Coverage):
    """Coverage data joined to a geography, with the maps a notebook draws from it."""

    #: The files and options it was loaded from, by input name (what :meth:`serve` watches).
    given: dict = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def atlas(self) -> Atlas:
        """The description of every map (titles, colours, words), built once."""
        return describe(self)

    def choropleth(self, **options) -> "folium.Map":
        """The choropleth of services per unit, with a layer per service, as a ``folium.Map``."""
        from .html.pages import choropleth_map

        return choropleth_map(self.atlas, **options)

    def service_map(self, id: str, **options) -> "folium.Map":  # noqa: A002 - the issue's name
        """One service's map as a ``folium.Map``: ``cov.service_map("cai")``."""
        from .html.pages import service_map

        return service_map(self.atlas, self.atlas.service(id), **options)

    def static_map(self, id: str | None = None, **options) -> "Figure":  # noqa: A002
        """A print-quality matplotlib ``Figure``: the choropleth, or one service's map (``id``).

        Jupyter shows it as an image, with or without ``%matplotlib inline``."""
        from .static import static_figure

        return shown_inline(static_figure(self.atlas, self.atlas.service(id) if id else None, **options))

    def serve(self, out: str | Path = "maps", *, port: int = 0, open_browser: bool = False) -> "Preview":
        """The live preview of ``mimpmap serve`` for the files this coverage was loaded from, in the
        background: it builds into ``out``, serves it on 127.0.0.1 (``port`` 0: a free one) and rebuilds
        when a file is saved. Returns once the first build is written; ``preview.stop()`` ends it."""
        from .serve import Preview

        preview = Preview(out, self.given, port=port)
        preview.start()
        preview.ready.wait()
        if open_browser:
            import webbrowser

            webbrowser.open(preview.url)
        return preview

    def _repr_html_(self) -> str:  # Jupyter shows the choropleth
        return self.choropleth()._repr_html_()


#: The resolution of the image a notebook shows (the figure keeps its own for ``savefig``).
NOTEBOOK_DPI = 100


def shown_inline(fig: "Figure") -> "Figure":
    """``fig`` made a :func:`notebook_figure` in place: the same figure, which Jupyter shows as an image."""
    fig.__class__ = notebook_figure()
    return fig


@lru_cache(maxsize=1)
def notebook_figure() -> type:
    """``NotebookFigure``, a matplotlib ``Figure`` that shows itself in Jupyter without a pyplot backend.

    The static maps are drawn without pyplot, so they have no display hook (``%matplotlib inline``
    registers one for every figure) and Jupyter would print ``<Figure size ...>``. The subclass adds no
    state, only :meth:`_repr_png_`; it is made on first use, as matplotlib is loaded only then.
    """
    from matplotlib.figure import Figure

    class NotebookFigure(Figure):
        def _repr_png_(self) -> bytes:
            buffer = io.BytesIO()
            self.savefig(buffer, format="png", dpi=min(self.dpi, NOTEBOOK_DPI), facecolor="white")
            return buffer.getvalue()

    NotebookFigure.__module__ = __name__
    return NotebookFigure


def load(data: str | Path | None = None, geo: str | Path | None = None, geo_key: str | None = None,
         population: str | Path | None = None, geo_layer: str | None = None, centres: str | Path | None = None,
         **more) -> Coverage:
    """:func:`mimpmap.load`: each input of :data:`mimpmap.inputs.INPUTS` read once, whatever happens to
    the others, every problem reported (``more``: inputs and options added to the table since)."""
    from .inputs import read_all

    given = {"data": data, "geo": geo, "geo_key": geo_key, "population": population, "geo_layer": geo_layer,
             "centres": centres, **more}
    values, _ = read_all(given)
    return Coverage(**values, given=given)
