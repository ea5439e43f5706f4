"""The layers (:data:`LAYERS`): what a printed map draws over its geography, one entry each.

A :class:`Layer` says which maps it goes on (``applies``, from the map's description alone) and what it
draws there (``marks``: a few marks of :mod:`.marks`: a :class:`~.marks.Fill`, :class:`~.marks.Dots`,
:class:`~.marks.DotsByKind`, :class:`~.marks.Shapes`); a layer with rows of its own for the data downloads gives them too
(``rows``: file name and rows, header first); a layer on the web pages gives their marks (``web``: a few
web marks of :mod:`.marks`, which may carry what a page shows and a printed map does not, such as a
popup's words). :func:`mimpmap.views.printed.describe` asks every layer,
in the registry's order, and keeps the marks of those that give some: a printed map's description,
which is also the key of its images, holds exactly what its layers draw. The renderers draw a kind of
mark one way, whichever layer gave it, so a new layer made of these marks is one more entry of
:data:`LAYERS`, and it redraws only the outputs that show the maps it applies to (ARCHITECTURE.md's
worked example, which ``tests/test_layers.py`` registers and checks). The web pages and their views in
``atlas.html`` ask :func:`web_marks` likewise; their keys hold them, and the printed maps' keys never do.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Union

from .. import centremaps, colors
from ..availability import CEM
from ..layout import DATA_FILES
from .brechas import GapMap
from ..levels import DEFAULT_LEVEL, finer_level
from .choropleth import Choropleth
from .marks import Areas, Directory, Dot, DotsByKind, Dots, Fill, Mark, Marker, Markers, PrintedUnit, Shapes, WebMark
from .service import ServiceMap
from .words import COVERAGE_LEGEND

if TYPE_CHECKING:  # pragma: no cover
    from .atlas import Atlas

__all__ = ["Layer", "LAYERS", "MapSpec", "Rows", "centre_layer", "is_choropleth", "is_gap_map", "is_service",
           "layer_rows", "site_color", "web_marks"]

#: A map a layer may draw on: the level's maps, and the maps of the provinces (:mod:`.gapmaps`).
MapSpec = Union[Choropleth, ServiceMap, GapMap]
#: A layer's data downloads: (file name, rows with the header first) each.
Rows = tuple[tuple[str, tuple[tuple[Any, ...], ...]], ...]


def _no_rows(atlas: "Atlas") -> Rows:
    return ()


def _no_marks(spec: MapSpec, atlas: "Atlas") -> tuple:
    return ()


@dataclass(frozen=True)
class Layer:
    """A layer of the maps: its name, the maps it goes on, the marks it draws on each printed map, its
    rows for the data downloads (none by default) and its marks on each web page (none by default)."""

    name: str
    applies: Callable[[MapSpec], bool]
    marks: Callable[[MapSpec, "Atlas"], tuple[Mark, ...]]
    rows: Callable[["Atlas"], Rows] = _no_rows
    web: Callable[[MapSpec, "Atlas"], tuple[WebMark, ...]] = _no_marks


def is_choropleth(spec: MapSpec) -> bool:
    return isinstance(spec, Choropleth)


def is_service(spec: MapSpec) -> bool:
    return isinstance(spec, ServiceMap)


def is_gap_map(spec: MapSpec) -> bool:
    return isinstance(spec, GapMap)


def _level_map(spec: MapSpec) -> bool:
    return not is_gap_map(spec)


def _fill(spec: MapSpec, atlas: "Atlas") -> tuple[Mark, ...]:
    """The units in the map's colours (the choropleth's with their count under the name) and the legend
    without the web page's note on overlays."""
    legend = dataclasses.replace(spec.legend, overlays_note=None)
    if isinstance(spec, Choropleth):
        units = tuple(PrintedUnit(u.code, u.fill, u.hatched, str(u.count)) for u in spec.units)
        return (Fill(units, legend, spec.legend.title),)
    return (Fill(tuple(PrintedUnit(u.code, u.fill, u.hatched) for u in spec.units), legend, COVERAGE_LEGEND),)


def centre_layer(spec: MapSpec, atlas: "Atlas"):
    """The directory's centres a service's map shows (:mod:`mimpmap.centremaps`), if any."""
    return atlas.centres.of(spec.id) if atlas.centres is not None and is_service(spec) else None


def _centres(spec: MapSpec, atlas: "Atlas") -> tuple[Mark, ...]:
    """The directory's centres a service's printed map shows, by kind (none on the choropleth)."""
    layer = centre_layer(spec, atlas)
    return (DotsByKind.of(layer),) if layer is not None else ()


def _web_centres(spec: MapSpec, atlas: "Atlas") -> tuple[WebMark, ...]:
    """The directory's centres on a service's page; on the choropleth's, all of them, off at first."""
    if atlas.centres is not None and is_choropleth(spec):
        return (Directory(atlas.centres.choropleth, show=False, nearest=False),)
    layer = centre_layer(spec, atlas)
    return (Directory(layer),) if layer is not None else ()


def _centre_rows(atlas: "Atlas") -> Rows:
    """``datos/centros.csv``: every centre of the directory but the shelters."""
    return ((DATA_FILES["centres"], atlas.centres.rows),) if atlas.centres is not None else ()


def site_color(spec: ServiceMap) -> str | None:
    """The colour of a service's own centres: the legend's dot's (the web page's markers take it too);
    ``None`` where the legend has no dot."""
    return next((s.color for s in spec.legend.swatches if s.circle), None)


def _sites(spec: MapSpec, atlas: "Atlas") -> tuple[Mark, ...]:
    """The service's own centres with a place (the summary's), in the colour of the legend's dot."""
    color = site_color(spec)
    if color is None or not spec.sites:
        return ()
    return (Dots(tuple(tuple(s.location) for s in spec.sites), color),)


#: The words of the provinces' legend entry where a legend names them apart (the mosaic's), in the words
#: of the level that divides the map's: "Provincia a la que llega".
_PIECES_LABEL = "{0.title} {0.to_which_one} llega".format(finer_level(DEFAULT_LEVEL).noun)


def _pieces(spec: MapSpec, atlas: "Atlas") -> tuple[Mark, ...]:
    """The provinces a service reaches in the departments it reaches in part, in the covered colour."""
    return (Shapes(tuple(p.outline for p in spec.pieces), colors.COVERED, _PIECES_LABEL),) if spec.pieces else ()


def _web_pieces(spec: MapSpec, atlas: "Atlas") -> tuple[WebMark, ...]:
    """The provinces a service reaches in part on its page, in the covered colour, each with its name
    and words on hover."""
    return (Areas(spec.pieces, colors.COVERED),) if spec.pieces else ()


def _web_sites(spec: MapSpec, atlas: "Atlas") -> tuple[WebMark, ...]:
    """The service's own centres on its page, each with its name and its popup's lines."""
    if not spec.sites:
        return ()
    points = tuple(Marker(tuple(s.location), s.name, s.lines) for s in spec.sites)
    return (Markers(spec.centres.label, site_color(spec), points),)


#: The CEMs' dots on the maps of the provinces: the orange of a regular CEM on the other maps, apart from
#: the provinces' colours.
CEM_DOT = centremaps.LOOKS[(CEM, "regular")][0]


def _gaps(spec: MapSpec, atlas: "Atlas") -> tuple[Mark, ...]:
    """A map of the provinces: its measure's fill and legend, and the CEMs placed on the maps as dots of
    one colour (the distances count every kind alike; the purple of a CEM in a police station would
    vanish on the darkest provinces), without notes: the map's sources name the directory. A directory
    without a CEM placed on the maps draws no dots and names none in the legend."""
    fill = Fill(spec.units, spec.legend, spec.legend.title)
    if atlas.centres is None:
        return (fill,)
    looks = {color for (kind, _), (color, _) in centremaps.LOOKS.items() if kind == CEM}
    layer = atlas.centres.choropleth  # every centre placed on the maps but the shelters, which never are
    dots = tuple(Dot(p.lat, p.lon, CEM_DOT) for p in layer.points if p.color in looks)
    return (fill, DotsByKind(layer.name, (centremaps.Swatch(CEM_DOT, CEM),), dots, (), "")) if dots else (fill,)


#: Every layer, bottom first.
LAYERS: tuple[Layer, ...] = (
    Layer("cobertura", _level_map, _fill),
    Layer("provincias", is_service, _pieces, web=_web_pieces),
    Layer("centros", lambda spec: True, _centres, rows=_centre_rows, web=_web_centres),
    Layer("sedes", is_service, _sites, web=_web_sites),
    Layer("brechas", is_gap_map, _gaps),
)


def web_marks(spec: MapSpec, atlas: "Atlas") -> tuple[WebMark, ...]:
    """What every layer that applies to ``spec`` draws on its web page, bottom first."""
    return tuple(mark for layer in LAYERS if layer.applies(spec) for mark in layer.web(spec, atlas))


def layer_rows(atlas: "Atlas") -> Rows:
    """Every layer's data downloads, in the registry's order."""
    return tuple(entry for layer in LAYERS for entry in layer.rows(atlas))
