"""The small vocabulary every view is made of: a legend and its swatches, a unit as one map shows it,
a bar, a program, a service overlay, a footnote, a figure across its periods, a centre, a header; and
what the layers (:mod:`.layers`) put on a printed map: the units' fill, dots in one colour, dots by kind;
and on a web page: markers with popups, areas with their names on hover, the directory's centres.

Plain frozen dataclasses of strings and numbers: a renderer draws them as they are. The units'
statuses (:data:`FULL`, :data:`PARTIAL`, :data:`NONE`) are the join's, named here for the renderers,
which read descriptions, not the join.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple, Union

from ..comparisons import Change
from ..coverage import FULL, NONE, PARTIAL

if TYPE_CHECKING:  # pragma: no cover
    from ..centremaps import CentreLayer

__all__ = ["FULL", "PARTIAL", "NONE", "OVERLAY_PALETTE", "SITE_COLOR", "People", "Swatch", "Legend", "Unit",
           "ChoroplethUnit", "Bar", "Program", "Overlay", "Note", "Value", "FigureRow", "Site", "Centres", "Header",
           "PrintedUnit", "Fill", "Dots", "Dot", "DotsByKind", "Shapes", "Mark", "Piece", "Marker", "Markers",
           "Areas", "Directory", "WebMark"]

#: Service overlays take these colours in the order they are switched on (the page gives each the
#: first one no other active service has), so services on together always differ and no service's
#: look depends on the others in the file. Paul Tol's colour-blind-safe "bright" scheme without its
#: grey (grey is "no service"), and the orange of his "vibrant" one.
OVERLAY_PALETTE = ("#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee", "#aa3377", "#ee7733")
#: Centres (markers): orange reads against the blue of covered units and the grey of the rest.
SITE_COLOR = "#d95f02"

# --- the parts of a map ---------------------------------------------------------------------------


@dataclass(frozen=True)
class People:
    """The population of the units a service works in, and of the rest (from the census)."""

    reached: int
    not_reached: int
    share: float
    year: int
    #: "Llega a departamentos donde viven 11 391 171 personas, el 38,8 % de la población censada en 2017."
    sentence: str
    #: The figure box's line: "Población de sus departamentos: 11 391 171 (38,8 %, censo 2017)".
    line: str
    #: In a table cell: "11 391 171 (38,8 %)".
    cell: str


@dataclass(frozen=True)
class Swatch:
    """A legend entry: a fill (``color``), a hatched partial fill, or a centre's dot."""

    label: str
    color: str | None = None
    hatch: bool = False
    circle: bool = False


@dataclass(frozen=True)
class Legend:
    title: str
    swatches: tuple[Swatch, ...]
    #: What hatching means on this map, where some unit is hatched.
    partial: Swatch | None = None
    #: Shown instead of the swatches while service overlays are on (the choropleth's).
    overlays_note: str | None = None


@dataclass(frozen=True)
class Unit:
    """One map unit as one map shows it."""

    code: str
    name: str
    status: str  # FULL, PARTIAL or NONE; on the choropleth, whether any service arrives
    fill: str
    hatched: bool
    tip: str  # the words on hover
    cell: str  # the words in the data table under the map
    #: The choropleth's count, drawn under the name on static maps.
    count: int | None = None
    #: People living in the unit (census): the number, and in words; ``None`` without figures.
    people: str | None = None
    people_tip: str | None = None


@dataclass(frozen=True)
class ChoroplethUnit(Unit):
    note: str | None = None  # partial coverage counted here
    head: str = ""  # the popup's first line
    #: The services that reach the unit: (index in Atlas.services, partial words or None).
    reached: tuple[tuple[int, str | None], ...] = ()
    #: The popup's line on the centres there and women per CEM (:mod:`mimpmap.availview`); ``None``
    #: without the centres or the census.
    available: str | None = None


@dataclass(frozen=True)
class Bar:
    """A bar of a small chart: its label, value, share of the whole (0–1) and the value in words."""

    label: str
    value: int
    share: float
    text: str


@dataclass(frozen=True)
class Program:
    id: str
    short: str
    name: str
    description: str | None


@dataclass(frozen=True)
class Overlay:
    """A service drawn over the choropleth: the units it reaches fully and in part."""

    id: str
    name: str  # the short name, in the layer control
    title: str  # the full name with its abbreviation, for assistive technology
    program: Program
    codes: tuple[str, ...]
    partial: tuple[str, ...]
    #: The colours it may take when switched on, in order (see OVERLAY_PALETTE).
    palette: tuple[str, ...] = OVERLAY_PALETTE
    #: What ``name`` stands for where it is an abbreviation ("Unidades de Adopción" for UA), said
    #: beside it in the popups.
    spelled: str | None = None


@dataclass(frozen=True)
class Note:
    """A footnote: its mark and text, and the anchor the figures link to."""

    mark: str
    text: str
    anchor: str


@dataclass(frozen=True)
class Value:
    text: str
    note: str | None


@dataclass(frozen=True)
class FigureRow:
    """A figure across its periods, and how it changed: the comparison that is fair for it first
    (:mod:`mimpmap.comparisons`), each one saying what it compares."""

    unit: str
    kind: str
    values: tuple[Value, ...]
    #: The leading change, short: "−3,8 %"; with a tiny base the two figures, "4 → 727"; ``None``
    #: when the periods cannot be compared.
    headline: str | None = None
    #: What the headline compares, under it: "por mes con servicio", "base muy pequeña".
    basis: str = ""
    #: Every comparison, the headline's first.
    changes: tuple[Change, ...] = ()


@dataclass(frozen=True)
class Site:
    name: str
    place: str  # "Distrito (Provincia, Departamento)"
    count: str
    location: tuple[float, float] | None
    lines: tuple[str, ...]  # the marker's popup


@dataclass(frozen=True)
class Centres:
    total: str
    label: str
    breakdown_title: str
    breakdown: tuple[tuple[str, str], ...]
    sites: tuple[Site, ...]
    site_counts: bool


@dataclass(frozen=True)
class Header:
    kicker: str
    title: str
    sub: str



# --- what a layer draws on a printed map (:mod:`.layers`); a renderer draws each kind one way ----------


@dataclass(frozen=True)
class PrintedUnit:
    """A unit as it is painted and labelled."""

    code: str
    fill: str
    hatched: bool
    #: A second line under its name (the choropleth's count of services).
    note: str | None = None


@dataclass(frozen=True)
class Fill:
    """Every unit painted (its fill, its hatch, its second label line) and the legend of the fills."""

    units: tuple[PrintedUnit, ...]
    legend: Legend
    legend_title: str


@dataclass(frozen=True)
class Dots:
    """Points in one colour, large with a white ring, over everything (a service's own sites), on the map
    and in its inset: (latitude, longitude) each."""

    locations: tuple[tuple[float, float], ...]
    color: str


class Dot(NamedTuple):
    """A point of :class:`DotsByKind`: where, and its kind's colour."""

    lat: float
    lon: float
    color: str


@dataclass(frozen=True)
class DotsByKind:
    """Small dots coloured by kind (the directory's centres), with a legend of the kinds titled ``name``
    and a note under the map (``lines`` and ``source_line``); not the names, addresses or phones of the
    web pages' popups."""

    name: str
    swatches: tuple  # each with a ``color`` and a ``label``
    points: tuple[Dot, ...]
    lines: tuple[str, ...]
    source_line: str

    @property
    def locations(self) -> tuple[tuple[float, float], ...]:
        """The points' (latitude, longitude), in their order."""
        return tuple((p.lat, p.lon) for p in self.points)

    @classmethod
    def of(cls, layer: "CentreLayer") -> "DotsByKind":
        points = tuple(Dot(p.lat, p.lon, p.color) for p in layer.points)
        return cls(layer.name, layer.swatches, points, layer.lines, layer.source_line)


@dataclass(frozen=True)
class Shapes:
    """Polygons of their own, filled in one colour over the units (the provinces a service reaches in a
    department it reaches in part): each a GeoJSON geometry in WGS84 (longitude, latitude)."""

    outlines: tuple[str, ...]
    color: str
    #: Its legend entry where a page's legend names it apart (the mosaic's): "Provincia a la que llega".
    label: str = ""


#: What a layer may draw on a printed map.
Mark = Union[Fill, Dots, DotsByKind, Shapes]


@dataclass(frozen=True)
class Piece:
    """A finer unit a service reaches inside a unit it reaches in part (the province of Urubamba in
    Cusco), drawn over it in the covered colour."""

    code: str
    name: str  # "Provincia de Urubamba (Cusco)"
    tip: str  # the words on hover
    outline: str  # its polygon, simplified, as GeoJSON geometry in WGS84 (longitude, latitude)


# --- what a layer puts on a web page (:mod:`.layers`' ``web``): its words for people, not printed ---------


class Marker(NamedTuple):
    """A point of :class:`Markers`: where (latitude, longitude), its name on hover and its popup's lines."""

    location: tuple[float, float]
    name: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Markers:
    """Points in one colour with a white ring, over the units, as one overlay of the page's layer control
    named ``label`` (a service's own sites)."""

    label: str
    color: str | None
    points: tuple[Marker, ...]


@dataclass(frozen=True)
class Areas:
    """Shapes of their own over the units, filled in ``color`` and drawn as units reached in full, each
    with its name and words on hover (the provinces a service reaches in a department it reaches in part)."""

    pieces: tuple[Piece, ...]
    color: str


@dataclass(frozen=True)
class Directory:
    """The directory's centres on a page: ``layer`` (its points with names, addresses and phones, its
    legend and note), whether it is on at first (``show``), and whether a click on the map lists the
    centres nearest to it (``nearest``: not where the units answer a click themselves)."""

    layer: "CentreLayer"
    show: bool = True
    nearest: bool = True


#: What a layer may draw on a web page.
WebMark = Union[Markers, Areas, Directory]
