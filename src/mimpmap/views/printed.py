"""A printed map (its PNG, its SVG, its page of the PDF atlas) as what it draws, and nothing more.

:func:`describe` turns a map of the atlas, the choropleth or a service's, into a :class:`PrintedMap`:
the words of its header and footer, each unit's fill, hatch and second label line, the legend, the
service's own sites and its box of figures, the inset's title and the directory's centres as dots.
:mod:`mimpmap.static` draws only this, so the spec is also the key of the map's files: what the printed
map does not show (a description, a popup's words, a centre's phone) leaves its images as they are,
and whatever it shows redraws them, with no list kept beside the drawing code.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from .choropleth import Choropleth
from .marks import Legend, Swatch
from .service import ServiceMap
from .words import COVERAGE_LEGEND

if TYPE_CHECKING:  # pragma: no cover
    from ..centremaps import CentreLayer
    from .atlas import Atlas

__all__ = ["PrintedMap", "PrintedUnit", "PrintedCentres", "Dot", "describe"]


@dataclass(frozen=True)
class PrintedUnit:
    """A unit as it is painted and labelled."""

    code: str
    fill: str
    hatched: bool
    #: A second line under its name (the choropleth's count of services).
    note: str | None = None


class Dot(NamedTuple):
    """A centre of the directory on a printed map: where, and its kind's colour."""

    lat: float
    lon: float
    color: str


@dataclass(frozen=True)
class PrintedCentres:
    """The directory's centres a printed map draws: the dots, their legend by kind and their notes;
    not the names, addresses or phones of the web pages' popups."""

    name: str
    swatches: tuple[Swatch, ...]
    points: tuple[Dot, ...]
    lines: tuple[str, ...]
    source_line: str

    @classmethod
    def of(cls, layer: "CentreLayer") -> "PrintedCentres":
        points = tuple(Dot(p.lat, p.lon, p.color) for p in layer.points)
        return cls(layer.name, layer.swatches, points, layer.lines, layer.source_line)


@dataclass(frozen=True)
class PrintedMap:
    """What a printed map draws: the key of its images."""

    key: str
    title: str
    static_subtitle: str
    static_period: str | None
    static_source: str
    static_notes: tuple[str, ...]
    legend: Legend
    legend_title: str
    units: tuple[PrintedUnit, ...]
    inset_title: str
    #: A service's map: its figures in a box beside the map (or under it) and its sites as dots.
    service: bool = False
    #: What the figures' changes compare, under the map where there is room.
    change_note: str | None = None
    #: The service's own centres with a place, as (latitude, longitude), in the legend's dot colour.
    sites: tuple[tuple[float, float], ...] = ()
    site_color: str | None = None
    figures: tuple[str, ...] = ()
    centres: PrintedCentres | None = None
    #: The units named on the map, the most important first, where not every name fits (196 provinces):
    #: a name is drawn only where it overlaps none drawn before it. ``None``: every unit is named.
    labelled: tuple[str, ...] | None = None


def describe(spec: "Choropleth | ServiceMap", atlas: "Atlas") -> PrintedMap:
    """The printed map of ``spec``, one of ``atlas``'s maps (or a service described apart, as a
    notebook may)."""
    words = {"key": spec.key, "title": spec.header.title, "static_subtitle": spec.static_subtitle,
             "static_period": spec.static_period, "static_source": spec.static_source,
             "legend": dataclasses.replace(spec.legend, overlays_note=None), "inset_title": atlas.inset_title}
    if isinstance(spec, Choropleth):
        units = tuple(PrintedUnit(u.code, u.fill, u.hatched, str(u.count)) for u in spec.units)
        return PrintedMap(**words, static_notes=(), legend_title=spec.legend.title, units=units)
    swatch = next((s for s in spec.legend.swatches if s.circle), None)
    layer = atlas.centres.of(spec.id) if atlas.centres is not None else None
    return PrintedMap(
        **words, static_notes=spec.static_notes, legend_title=COVERAGE_LEGEND,
        units=tuple(PrintedUnit(u.code, u.fill, u.hatched) for u in spec.units), service=True,
        change_note=spec.change_note,
        sites=tuple(tuple(s.location) for s in spec.sites) if swatch is not None else (),
        site_color=swatch.color if swatch is not None else None, figures=spec.static_figures,
        centres=PrintedCentres.of(layer) if layer is not None else None)
