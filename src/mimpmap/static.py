"""Print-quality static maps (PNG, SVG) drawn with matplotlib through geopandas; no browser.

Two kinds of map, each the size of the page it goes in (:data:`~mimpmap.mpl.typeset.SIZES`: by default
the text width of an A4 page, 6.3 inches or 16 cm, with every text at 7 pt or more at that size; half of
it, or a landscape A4 page; a US letter page; a 16:9 slide; a slide and a half page are laid out with the
words in a column at the left of the country):

* the choropleth (``service=None``): how many services reach each unit, in the classes and colours
  of :mod:`mimpmap.colors`, so it matches the HTML map;
* a service map: the units the service reaches in :data:`~mimpmap.colors.COVERED`, the rest
  :data:`~mimpmap.colors.NEUTRAL`, partial units hatched, plus a box with the service's figures.

Each has a title, the period, a "Fuente: ..." line and an inset zoomed on Lima Metropolitana and
Callao, which are a few pixels wide at country scale. The projection is :mod:`mimpmap.mpl.geometry`'s.

Drawing is pure matplotlib object API (``Figure`` + Agg canvas, no pyplot), so it needs no GUI and
leaves pyplot's global figure state alone. The style is fixed by :data:`~mimpmap.mpl.typeset.STYLE`,
applied with ``matplotlib.rc_context`` while drawing and saving; that is the one global touched, so
concurrent renders in threads should share one lock. PNGs are RGB (no alpha) with an sRGB ICC profile
and their dpi (300 by default); the bytes are deterministic (:mod:`mimpmap.mpl.files`).

:class:`StaticRenderer` is the handle for rendering many maps of one atlas: the geometry is prepared
once in its :class:`~mimpmap.session.Session` (the build's, which the build's workers inherit).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

import copy

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import ConnectionPatch, Patch, Rectangle
from shapely import box

from . import colors
from .formats import Output
from .geography import provinces_or_default
from .manifest import digest
from .views import gapmaps
from .views.atlas import Atlas
from .views.printed import Dots, DotsByKind, PrintedMap, PrintedUnit, Shapes
from .views.service import ServiceMap
from .views.words import FIGURES_ELSEWHERE, PROJECTION_NOTE
from .mpl import centres as centre_marks
from .mpl.files import FORMATS, Drawing, image_outputs, save, thumbnail
from .mpl.geometry import CRS, Geometry, outline_paths, prepared, project, projected_points
from .mpl.marks import (Columns, best_fit, footer, hatch, header, keep_apart, label, legend_bottom, legend_handles,
                        polygons, separate, ways_to_write)
from .mpl.typeset import (DEFAULT_DPI, DEFAULT_SIZE, PT, SIZES, STYLE, Page, Size, lines_height,
                          size_preset, text_width, wrap)
from .session import Session

if TYPE_CHECKING:  # pragma: no cover
    from .geography import Boundaries

# Names other code and tests import from here: the toolkit's, kept where they were.
__all__ = ["CRS", "FORMATS", "SIZES", "STYLE", "Drawing", "StaticRenderer", "outputs", "province_maps",
           "province_renderer", "render_static", "size_preset", "static_figure", "text_width", "thumbnail"]

#: The map's left column kept free for the legend, the figures and the inset (a fraction of its width).
LEFT_COLUMN = 0.24
#: The narrowest figures box beside an inset (inches), and the narrowest column of figures under a map.
_BOX_MIN, _COLUMN_MIN = 2.0, 2.2
#: The room between a slide's words and its map (inches).
_MAP_GAP = 0.25
#: The share of its room a map keeps when its figures go under it; where they need more, they are cut.
_MAP_SHARE = 0.6


@dataclass(frozen=True)
class _Layout:
    """Where a map's parts go on its page, in inches from the bottom left."""

    frame: tuple[float, float, float, float]  # the map's axes: x, y, width, height
    left: float  # the fraction of the frame kept free at its left at least, the country drawn right of it
    inset: tuple[float, float, float]  # x, y and side of the inset
    box_width: float  # the figures box's, beside the map
    floor: float  # the lowest the figures box may reach


@dataclass(frozen=True)
class _Layer:
    """What each unit is painted with."""

    fills: list[str]
    hatched: list[bool]  # hatch drawn over the fill
    legend: list[Patch]
    legend_title: str
    notes: list[str] | None = None  # a second label line per unit (the choropleth's counts)
    labelled: tuple[str, ...] | None = None  # the units named, most important first (None: all)

    def subset(self, keep) -> "_Layer":
        pick = lambda values: None if values is None else [v for v, k in zip(values, keep) if k]  # noqa: E731
        return _Layer(pick(self.fills), pick(self.hatched), self.legend, self.legend_title, pick(self.notes),
                      self.labelled)

    def names(self, code: str) -> bool:
        """Whether the unit ``code`` is named on the map."""
        return self.labelled is None or code in self.labelled


def _layer(spec: PrintedMap, geometry: Geometry) -> _Layer:
    """How ``spec``'s fill paints each unit of ``geometry``, in its order (a unit the fill leaves out is
    neutral)."""
    fill = spec.fill
    by_code = {u.code: u for u in fill.units}
    units = [by_code.get(code) or PrintedUnit(code, colors.NEUTRAL, False) for code in geometry.units.index]
    notes = [u.note for u in units] if any(u.note is not None for u in units) else None
    return _Layer([u.fill for u in units], [u.hatched for u in units], legend_handles(fill.legend),
                  fill.legend_title, notes, spec.labelled)


def _paint(ax, geometry: Geometry, layer: _Layer, linewidth: float, keep=None) -> None:
    """Fill the units (those ``keep`` picks), then hatch the partial ones on top.

    It draws what ``GeoDataFrame.plot`` would (the same collections, in the same order, and the
    axis labels it sets), from paths made once per boundary set rather than once per map."""
    paths = geometry.paths if keep is None else [p for p, k in zip(geometry.paths, keep) if k]
    polygons(ax, geometry, paths, facecolor=np.asarray(layer.fills), edgecolor=colors.BORDER, linewidth=linewidth)
    # Hatching in the partial colour, or white where the fill is dark (the choropleth's top classes).
    for dark in (False, True):
        pick = [h and (colors.text_color(f) == colors.INK_ON_DARK) == dark
                for h, f in zip(layer.hatched, layer.fills)]
        if any(pick):
            polygons(ax, geometry, [p for p, k in zip(paths, pick) if k], facecolor="none", linewidth=linewidth,
                     hatch=colors.PARTIAL_HATCH, **hatch(colors.INK_ON_DARK if dark else colors.PARTIAL_LINE))


def _limits(extent, box_w: float, box_h: float, left: float):
    """x and y limits that show ``extent`` at one scale in both axes, in a ``box_w`` × ``box_h``
    inch box, right of a free column ``left`` (a fraction of the box width) wide.
    """
    x0, y0, x1, y1 = extent
    pad = 0.015 * (y1 - y0)
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad
    per_inch = max((x1 - x0) / ((1 - left) * box_w), (y1 - y0) / box_h)
    # Anchored top right: any spare height goes to the bottom, where the inset is.
    return (x1 - per_inch * box_w, x1), (y1 - per_inch * box_h, y1)


class StaticRenderer:
    """Renders the static maps of one atlas (the description of every map). What it prepares (the
    projected geometry, the centres' positions) is kept in ``session``: the build's, shared by its
    renderers and inherited by its workers; by default one of its own.

    >>> renderer = StaticRenderer(atlas)                     # doctest: +SKIP
    >>> png = renderer.render()                              # the choropleth, PNG bytes
    >>> svg = renderer.render("cai", fmt="svg", size="diapositiva")
    """

    def __init__(self, atlas: Atlas, session: Session | None = None):
        self.atlas = atlas
        self.session = Session() if session is None else session
        # Both projected now: a build makes its renderers while it plans, before it forks its workers.
        self.geometry = prepared(self.session, atlas.boundaries)
        self.points = projected_points(self.session, atlas, _point_groups(atlas.printed.values()))

    def at(self, boundaries: "Boundaries", maps: "tuple[PrintedMap, ...]" = ()) -> "StaticRenderer":
        """This renderer drawing the units of ``boundaries`` (another level's: the provinces) and the
        points of ``maps`` (that level's maps), all projected once in the session: call it while the
        build plans, before it forks."""
        other = copy.copy(self)
        other.geometry = prepared(self.session, boundaries)
        other.points = {**self.points, **projected_points(self.session, maps, _point_groups(maps))}
        return other

    def _projected(self, locations: tuple[tuple[float, float], ...]):
        # A description from elsewhere than the atlas (a notebook's) has its points projected now.
        return self.points[locations] if locations in self.points else project(locations)

    def _spec(self, service: "PrintedMap | ServiceMap | str | None") -> PrintedMap:
        if isinstance(service, PrintedMap):
            return service
        if service is None:
            return self.atlas.printed_map(self.atlas.choropleth)
        return self.atlas.printed_map(self.atlas.service(service) if isinstance(service, str) else service)

    def figure(self, service: "PrintedMap | ServiceMap | str | None" = None, *, size: "str | Size" = DEFAULT_SIZE,
               dpi: float = DEFAULT_DPI, labels: bool = True) -> Figure:
        """The map as a matplotlib ``Figure`` of a size preset (:data:`SIZES`): by default the text
        width of an A4 page, 16 cm."""
        page = Page.figure(size_preset(size))
        with matplotlib.rc_context(STYLE):
            return self.page(self._spec(service), page, dpi=dpi, labels=labels)

    def render(self, service: "PrintedMap | ServiceMap | str | None" = None, fmt: str = "png", dpi: float = DEFAULT_DPI,
               *, size: "str | Size" = DEFAULT_SIZE, labels: bool = True) -> bytes:
        """The map as PNG or SVG bytes; the same inputs always give the same bytes."""
        if fmt not in FORMATS:  # before drawing
            raise ValueError(f"formato '{fmt}' no admitido; use {' o '.join(FORMATS)}")
        return save(self.figure(service, size=size, dpi=dpi, labels=labels), fmt, dpi)

    # -- the page ------------------------------------------------------------------------------

    def page(self, spec: PrintedMap, page: Page, *, dpi: float = DEFAULT_DPI,
             labels: bool = True, lead: str | None = None,
             below: "tuple[float, Callable[[Figure, float], None]] | None" = None, changes: bool = True) -> Figure:
        """The map drawn on ``page``: header (and ``lead``, a paragraph under it), the map with its
        legend, figures and inset, then notes and source. ``below`` is (height, draw): room kept
        above the footer, and ``draw(fig, top)`` to fill it (``top`` in inches from the bottom),
        which then shows the figures instead of the box beside the map. ``changes``: with the note that
        says what the figures' changes compare, and the note on the centres (without it, their legend's
        title still names their source and year). Call inside ``rc_context(STYLE)``.

        A service's figures go in a box beside the map; where they do not fit there, in columns
        under the map (:meth:`_figures_below`), and where the map would be too small for that, as
        many as fit in the box, with a line that says where the others are, and without the changes'
        note (it speaks of the figures: the room goes to them) and the centres' note."""
        fig = page.new(dpi)
        layer = _layer(spec, self.geometry)
        column = self.column(page)
        top = header(fig, page, spec, column, lead)
        change = (spec.change_note,) if changes and spec.change_note else ()
        centres = spec.of(DotsByKind)
        more = (*change, *(note for c in centres for note in centre_marks.notes(c) if changes))
        bottom = footer(fig, page, spec, column, more)
        if below is not None:
            below[1](fig, bottom + below[0])
            bottom += below[0]
        layout = self._layout(page, column, top, bottom)
        ax = self._map(fig, page, layout, layer, labels)
        for shapes in spec.of(Shapes):
            polygons(ax, self.geometry, outline_paths(shapes.outlines), facecolor=shapes.color,
                     edgecolor=colors.BORDER, linewidth=0.4)
        # Its title on two lines where the words' column is narrower (a half page's).
        title = wrap(layer.legend_title, page.pt(PT["legend_title"]), column, bold=True)
        legend = ax.legend(handles=layer.legend, title=title, loc="upper left",
                           bbox_to_anchor=(page.inner[0] / page.width, top / page.height),
                           bbox_transform=fig.transFigure, frameon=False, fontsize=page.pt(PT["legend"]),
                           title_fontsize=page.pt(PT["legend_title"]), alignment="left", handlelength=1.6,
                           handleheight=1.1, borderaxespad=0, borderpad=0)
        legend.get_title().set_fontweight("bold")
        x, y, side = layout.inset
        inset = self._inset(ax, layer, page, labels, page.rect(x, y, side, side), spec.inset_title)
        for kinds in centres:
            legend = self._centres(kinds, ax, inset, page, legend, max(layout.box_width, page.column * LEFT_COLUMN))
        for dots in spec.of(Dots):
            self._dots(dots, (ax, inset), page)
        if spec.service:
            if below is None and not self._figures_box(fig, page, spec, legend, layout):
                under = self._figures_below(spec, page, column)
                room = (legend_bottom(fig, legend) - 0.2 - bottom if page.landscape
                        else (1 - _MAP_SHARE) * (top - bottom))
                if under[0] <= room:
                    return self.page(spec, page, dpi=dpi, labels=labels, lead=lead, below=under, changes=changes)
                if change or (centres and changes):
                    return self.page(spec, page, dpi=dpi, labels=labels, lead=lead, changes=False)
                self._figures_box(fig, page, spec, legend, layout, cut=True)
        FigureCanvasAgg(fig)
        return fig

    def column(self, page: Page) -> float:
        """The width of the words on ``page``: across a report page; on a slide, what the country at
        full height leaves at its left, and at least the page's column."""
        x0, y0, x1, y1 = page.inner
        if not page.landscape:
            return page.column
        ex0, ey0, ex1, ey1 = self.geometry.extent
        return max(page.column, x1 - x0 - (y1 - y0) * (ex1 - ex0) / (ey1 - ey0) - _MAP_GAP)

    def _layout(self, page: Page, column: float, top: float, bottom: float) -> _Layout:
        """Where the map, its inset and the figures box go between the header's ``top`` and the
        footer's ``bottom``. On a report page the map spans the page and the country is drawn at its
        right, the legend, figures and inset in the sea at its left: under one another in a narrow
        column; the inset beside the figures, next to the country, where the page is wide (half a
        page, a landscape one). On a slide the country is at full height right of the words' column."""
        x0, y0, x1, y1 = page.inner
        ex0, ey0, ex1, ey1 = self.geometry.extent
        if page.landscape:  # the country at full height, centred right of the column
            room = x1 - x0 - column
            width = min(room, (y1 - y0) * (ex1 - ex0) / (ey1 - ey0))
            frame = (x0 + column + (room - width) / 2, y0, width, y1 - y0)
            side = min(1.75 * page.font, 0.3 * width)
            return _Layout(frame, 0.0, (frame[0] + 0.02, y0 + 0.02, side), column, bottom)
        frame = (x0, bottom, x1 - x0, top - bottom)
        xlim, _ = _limits(self.geometry.extent, frame[2], frame[3], LEFT_COLUMN)
        pad = 0.015 * (ey1 - ey0)  # as _limits pads the country
        country = frame[2] * (ex1 - ex0 + 2 * pad) / (xlim[1] - xlim[0])  # its width on the page
        side, column = min(1.75 * page.font, 0.3 * (x1 - x0)), LEFT_COLUMN * frame[2]
        if frame[2] - country > column + 0.01:  # a short frame: the country leaves more sea at its left
            column = frame[2] - country
        if column >= side + _BOX_MIN:
            return _Layout(frame, LEFT_COLUMN, (x0 + column - side, bottom + 0.02, side), column - side - 0.1, bottom)
        title = page.pt(PT["inset_title"]) * 1.2 / 72 + 3 / 72  # the inset's title and its pad
        return _Layout(frame, LEFT_COLUMN, (x0 + 0.02, bottom + 0.02, side), column, bottom + 0.12 + side + title)

    def _map(self, fig: Figure, page: Page, layout: _Layout, layer: _Layer, labels: bool):
        """The map's axes, its units painted and labelled."""
        ax = fig.add_axes(page.rect(*layout.frame))
        ax.set_axis_off()
        _paint(ax, self.geometry, layer, linewidth=0.4)
        xlim, ylim = _limits(self.geometry.extent, layout.frame[2], layout.frame[3], layout.left)
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        if labels:
            self._labels(ax, layer, size=page.pt(PT["label"]), skip=self.geometry.inset_codes)
        ax.text(1.0, 0.0, PROJECTION_NOTE, transform=ax.transAxes, fontsize=page.pt(PT["projection"]),
                ha="right", va="bottom", color="#666666")
        return ax

    def _figures_box(self, fig: Figure, page: Page, spec: PrintedMap, legend, layout: _Layout,
                     cut: bool = False) -> bool:
        """The service's centres and figures, in a box under the legend, if they fit above
        ``layout.floor``; with ``cut``, as many lines as fit and a line saying where the rest are.
        Returns whether they were drawn."""
        size = page.pt(PT["box"])
        width = layout.box_width - 0.22  # the box's offset and padding
        lines = [wrap(line, size, width - 0.1, indent="  ") if line.startswith(" ") else wrap(line, size, width)
                 for line in spec.figures]
        if not lines:
            return True
        top = legend_bottom(fig, legend) - 0.2

        def fits(lines) -> bool:
            return top - lines_height("\n".join(lines), size, 1.35) - size / 72 >= layout.floor

        if cut:
            rest = wrap(FIGURES_ELSEWHERE, size, width)
            while lines and not fits([*lines, rest]):
                lines.pop()
            if not fits([rest]):  # not even where they are: no box over the notes
                return True
            lines.append(rest)
        elif not fits(lines):
            return False
        x0 = page.inner[0]
        fig.text((x0 + 0.08) / page.width, top / page.height, "\n".join(lines), fontsize=size,
                 va="top", ha="left", color=colors.INK, linespacing=1.35, parse_math=False,
                 bbox={"boxstyle": "round,pad=0.5", "facecolor": "white", "edgecolor": "#bbbbbb", "linewidth": 0.6})
        return True

    def _figures_below(self, spec: PrintedMap, page: Page,
                       width: float) -> tuple[float, Callable[[Figure, float], None]]:
        """The service's figures in columns across the words' ``width``, each figure's lines together:
        (height, draw) for :meth:`page`'s ``below``."""
        size = page.pt(PT["box"])
        blocks: list[list[str]] = []
        for line in spec.figures:
            if line.startswith(" ") and blocks:
                blocks[-1].append(line)
            else:
                blocks.append([line])

        def fill(block: str, column: float) -> str:
            return "\n".join(wrap(line, size, column - 0.1, indent="  ") if line.startswith(" ")
                             else wrap(line, size, column) for line in block.split("\n"))

        columns = Columns(["\n".join(b) for b in blocks], size, width, _COLUMN_MIN, fill=fill)

        def draw(fig: Figure, top: float) -> None:
            x0 = page.inner[0]
            fig.add_artist(Line2D([x0 / page.width, (x0 + width) / page.width], [(top - 0.05) / page.height] * 2,
                                  color="#bbbbbb", linewidth=0.6))
            columns.draw(fig, page, x0, top - 0.12, color=colors.INK)

        return columns.height + 0.25, draw

    def _dots(self, dots: Dots, axes, page: Page) -> None:
        """Points in one colour (a service's own centres with a place, as the legend's dot), on the map
        and in the inset."""
        x, y = self._projected(dots.locations)
        for ax in axes:
            ax.scatter(x, y, s=(5.5 * page.font) ** 2, c=dots.color, edgecolors="white",
                       linewidths=1.0, zorder=5)

    def _centres(self, centres: DotsByKind, ax, inset, page: Page, above, width: float):
        """Dots by kind (the directory's centres) on the map and in the inset (those inside it), and
        their legend by kind under ``above``; returns that legend."""
        xy = self._projected(centres.locations)
        centre_marks.dots(ax, centres, xy, page)
        centre_marks.dots(inset, centres, xy, page, window=self.geometry.inset, gid="centres-inset")
        return centre_marks.legend(ax, centres, page, above, page.inner[0], width)

    def _labels(self, ax, layer: _Layer, *, size: float, skip=()) -> None:
        """Each unit's name (and count) at its label point; with a choice of units to name, those that
        fit, in its order."""
        units, points = self.geometry.units, self.geometry.label_points
        notes = layer.notes or [None] * len(units)
        rows = list(zip(units.index, units["nombre"], units.geometry, layer.fills, notes))
        if layer.labelled is not None:
            by_code = {row[0]: row for row in rows}
            rows = [by_code[code] for code in layer.labelled if code in by_code]
        labels = []
        for code, name, shape, fill, note in rows:
            if code in skip:
                continue
            texts = [f"{text}\n{note}" if note else text for text in ways_to_write(name)]
            text = best_fit(ax, shape, points[code], texts, size)
            labels.append(label(ax, points[code], text, fill, size, linespacing=1.0))
        if layer.labelled is None:
            separate(ax, labels)
        else:
            keep_apart(ax, labels)

    def _inset(self, ax, layer: _Layer, page: Page, labels: bool, rect, title: str):
        """Lima Metropolitana and Callao, enlarged, in the Pacific at the lower left (``rect`` in
        figure fractions)."""
        geometry = self.geometry
        x0, y0, x1, y1 = geometry.inset
        inset = ax.inset_axes(rect, transform=ax.figure.transFigure)
        # Only the units that reach into the window: faster, and the same picture.
        keep = geometry.units.intersects(box(x0, y0, x1, y1)).to_numpy()
        part, sub = geometry.units[keep], layer.subset(keep)
        _paint(inset, geometry, sub, linewidth=0.6, keep=keep)
        inset.set_xlim(x0, x1)
        inset.set_ylim(y0, y1)
        inset.set_xticks([])
        inset.set_yticks([])
        inset.set_xlabel("")
        inset.set_ylabel("")
        for spine in inset.spines.values():
            spine.set_edgecolor("#888888")
            spine.set_linewidth(0.6)
        size = page.pt(PT["inset_title"])
        if page.landscape:  # at the country's side: no wider than the inset
            title = wrap(title, size, rect[2] * page.width, bold=True)
        inset.set_title(title, fontsize=size, fontweight="bold", color=colors.INK, loc="left", pad=3)
        # The window on the main map, and one leader from it to the inset, drawn over the sea (the
        # automatic pair of indicate_inset_zoom crosses Lima Provincias and its label).
        line = {"edgecolor": "#666666", "linewidth": 0.6}
        ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor="none", **line))
        ax.add_artist(ConnectionPatch((x0, y0), (1, 1), coordsA=ax.transData, coordsB=inset.transAxes,
                                      color=line["edgecolor"], linewidth=line["linewidth"]))
        if not labels:
            return inset
        size = page.pt(PT["label"])
        codes = list(part.index)
        for code in geometry.inset_codes:
            if code not in codes or not layer.names(code):
                continue
            i = codes.index(code)
            name = geometry.units.at[code, "nombre"]
            text = name.replace(" ", "\n", 1) + (f"\n{sub.notes[i]}" if sub.notes else "")
            x, y = geometry.label_points[code]
            if code == "PE-CAL":  # Callao, a thin coastal strip: labelled at sea, with a leader line
                label(inset, (x, y), text, "#ffffff", size, xytext=(x - 0.24 * (x1 - x0), y),
                       linespacing=1.0, arrowprops={"arrowstyle": "-", "color": "#444444", "linewidth": 0.6,
                                                    "shrinkA": 2, "shrinkB": 0})
            else:
                label(inset, (x, y), text, sub.fills[i], size, linespacing=1.0)
        return inset


# --- the functions the rest of the package calls --------------------------------------------


def outputs(atlas: Atlas, fmt: str, job) -> Iterator[Output]:
    """The build's files of the ``png`` or ``svg`` format (see :mod:`mimpmap.formats`): an image per
    map and, for PNG, the index's thumbnails, made from a PNG of at most THUMBNAIL_SOURCE_DPI (the
    map's own when it is no finer, so it is drawn once). The mosaic is :mod:`mimpmap.mosaic`'s.

    A map's PNG, SVG and thumbnail share one drawing (the build's session keeps it) when they are
    rendered one after the other."""
    renderer = StaticRenderer(atlas, job.session)
    size = size_preset(job.size)
    for spec in job.maps:
        printed = atlas.printed_map(spec)
        yield from image_outputs(job.session, atlas, spec.key, fmt, job.dpi, size, printed,
                                 lambda dpi, printed=printed: renderer.figure(printed, size=size, dpi=dpi))
    if job.whole:  # the maps of the provinces, on their geometry
        provinces = province_renderer(atlas, job.session)
        for printed, shows in province_maps(atlas, job.session):
            yield from image_outputs(job.session, atlas, printed.key, fmt, job.dpi, size, shows,
                                     lambda dpi, printed=printed: provinces.figure(printed, size=size, dpi=dpi))


def _point_groups(maps: "Iterable[PrintedMap]") -> list:
    """The groups of points ``maps`` draw, as the renderer projects them."""
    return [mark.locations for m in maps for mark in m.marks if isinstance(mark, (Dots, DotsByKind))]


def province_renderer(atlas: Atlas, session: Session) -> StaticRenderer:
    """A renderer of ``atlas``'s maps of the provinces (:mod:`mimpmap.views.gapmaps`), their boundaries and
    points read and projected once in ``session`` (while a build plans, before it forks)."""
    return StaticRenderer(atlas, session).at(_provinces(atlas, session), _province_maps(atlas, session))


def _province_maps(atlas: Atlas, session: Session) -> "tuple[PrintedMap, ...]":
    return session.once(atlas, "province maps", lambda: gapmaps.printed_maps(atlas))


def _provinces(atlas: Atlas, session: Session) -> "Boundaries":
    return session.once(atlas, "province boundaries", lambda: provinces_or_default(atlas.provinces))


def province_maps(atlas: Atlas, session: Session) -> "tuple[tuple[PrintedMap, tuple[PrintedMap, str]], ...]":
    """``atlas``'s maps of the provinces as printed, each with what its files show: the printed map and a
    hash of the provinces' units, names and shapes (the department maps' key holds their boundaries
    apart). None without the distances."""
    maps = _province_maps(atlas, session)
    if not maps:
        return ()
    import shapely

    frame = _provinces(atlas, session).frame
    where = session.once(frame, "digest", lambda: digest(
        list(frame.index), list(frame["nombre"]), list(shapely.to_wkb(frame.geometry.values, hex=True))))
    return tuple((m, (m, where)) for m in maps)


def static_figure(atlas: Atlas, service: "PrintedMap | ServiceMap | str | None" = None, *, size: "str | Size" = DEFAULT_SIZE,
                  dpi: float = DEFAULT_DPI, labels: bool = True) -> Figure:
    """The choropleth (``service=None``) or one service's map as a matplotlib ``Figure``.

    At the defaults (``size="a4"``: 16 cm wide, 300 dpi) a saved PNG is 1890 pixels wide.
    """
    return StaticRenderer(atlas).figure(service, size=size, dpi=dpi, labels=labels)


def render_static(atlas: Atlas, service: "ServiceMap | str | None" = None, fmt: str = "png",
                  dpi: float = DEFAULT_DPI, **options) -> bytes:
    """PNG or SVG bytes of :func:`static_figure`; deterministic (same inputs, same bytes)."""
    return StaticRenderer(atlas).render(service, fmt=fmt, dpi=dpi, **options)
