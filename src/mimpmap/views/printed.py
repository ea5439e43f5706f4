"""A printed map (its PNG, its SVG, its page of the PDF atlas) as what it draws, and nothing more.

:func:`describe` turns a map of the atlas, the choropleth or a service's, into a :class:`PrintedMap`:
the words of its header and footer, the service's box of figures, the inset's title, and the marks of
every layer (:data:`mimpmap.views.layers.LAYERS`) that draws on it: the units' fill and legend, the
directory's centres as dots by kind, the service's own sites as dots. :mod:`mimpmap.static` draws only
this, so the spec is also the key of the map's files: what the printed map does not show (a
description, a popup's words, a centre's phone) leaves its images as they are, and whatever it shows
redraws them, with no list kept beside the drawing code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from . import layers
from .marks import Dot, Dots, DotsByKind, Fill, Mark, PrintedUnit, Shapes

if TYPE_CHECKING:  # pragma: no cover
    from .atlas import Atlas
    from .layers import MapSpec

__all__ = ["PrintedMap", "PrintedUnit", "Dot", "Dots", "DotsByKind", "Fill", "Shapes", "describe"]

M = TypeVar("M")


@dataclass(frozen=True)
class PrintedMap:
    """What a printed map draws: the key of its images."""

    key: str
    title: str
    static_subtitle: str
    static_period: str | None
    static_source: str
    static_notes: tuple[str, ...]
    inset_title: str
    #: The marks of each layer that draws on the map, in the registry's order.
    layers: tuple[tuple[Mark, ...], ...]
    #: A service's map: its figures in a box beside the map (or under it).
    service: bool = False
    #: What the figures' changes compare, under the map where there is room.
    change_note: str | None = None
    figures: tuple[str, ...] = ()
    #: The units named on the map, the most important first, where not every name fits (196 provinces):
    #: a name is drawn only where it overlaps none drawn before it. ``None``: every unit is named.
    labelled: tuple[str, ...] | None = None

    @property
    def marks(self) -> tuple[Mark, ...]:
        """Every layer's marks, bottom first."""
        return tuple(mark for marks in self.layers for mark in marks)

    def of(self, kind: type[M]) -> tuple[M, ...]:
        """The marks of one kind, in the layers' order."""
        return tuple(mark for mark in self.marks if isinstance(mark, kind))

    @property
    def fill(self) -> Fill:
        """The units' fill: the first layer's that paints them."""
        return self.of(Fill)[0]


def describe(spec: "MapSpec", atlas: "Atlas") -> PrintedMap:
    """The printed map of ``spec``, one of ``atlas``'s maps (or a service described apart, as a
    notebook may; or a map of the provinces, :mod:`.gapmaps`): the marks of every layer that applies to
    it and gives some."""
    drawn = tuple(marks for marks in (layer.marks(spec, atlas) for layer in layers.LAYERS if layer.applies(spec))
                  if marks)
    words = {"key": spec.key, "title": spec.header.title, "static_subtitle": spec.static_subtitle,
             "static_period": spec.static_period, "static_source": spec.static_source,
             "inset_title": atlas.inset_title, "layers": drawn}
    if layers.is_choropleth(spec):
        return PrintedMap(**words, static_notes=())
    if layers.is_gap_map(spec):  # another level's map: its own inset, and the names that fit
        return PrintedMap(**{**words, "inset_title": spec.inset_title}, static_notes=spec.static_notes,
                          labelled=spec.labelled)
    return PrintedMap(**words, static_notes=spec.static_notes, service=True, change_note=spec.change_note,
                      figures=spec.static_figures)
