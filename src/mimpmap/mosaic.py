"""Every service on one page (``mosaico.png``/``.svg`` and a page of the PDF atlas): a small map per
service, all of one size and scale, grouped by program, each coloured the way its own map is.

It draws :func:`mimpmap.views.report.mosaic`, the description of the page. The small maps use geometry
simplified to what their size can show (a pixel of a 3-cm map at 300 dpi is about 4 km), made once
per boundary set, and paint prepared matplotlib paths rather than asking geopandas each time, so the
19 maps cost about as much as one full map.
"""

from __future__ import annotations

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from shapely import box, simplify

from . import colors
from .views.report import MOSAIC, Mosaic
from .views.words import ABBREVIATIONS_TITLE
from .mpl.files import image_outputs, save
from .mpl.geometry import Geometry, outline_paths, unit_path
from .mpl.marks import abbreviations_key, footer, hatch, header, legend_handles
from .mpl.typeset import DEFAULT_DPI, DEFAULT_SIZE, PT, STYLE, Page, Size, size_preset, wrap
from .static import StaticRenderer

__all__ = ["MOSAIC", "mosaic_figure", "render_mosaic"]

#: Ground a small map's outline may move, in metres: under a pixel of the small maps (a tenth of it
#: in their insets, which are about ten times larger in scale).
_TOLERANCE = 2500
_INSET = 0.36  # the inset's side, a fraction of a small map's width


class _Shapes:
    """The units as matplotlib paths, for the country and for the inset window."""

    def __init__(self, geometry: Geometry):
        units = geometry.units
        self.codes = list(units.index)
        self.country = [unit_path(g) for g in simplify(units.geometry.to_numpy(), _TOLERANCE, preserve_topology=True)]
        window = box(*geometry.inset)
        clipped = simplify(units.geometry.intersection(window).to_numpy(), _TOLERANCE / 10, preserve_topology=True)
        self.inset = [(i, unit_path(g)) for i, g in enumerate(clipped) if not g.is_empty]
        self.extent = geometry.extent
        self.window = geometry.inset


def _shapes(renderer: StaticRenderer) -> _Shapes:
    """The renderer's geometry simplified for the small maps, made once in its session."""
    geometry = renderer.geometry
    return renderer.session.once(geometry, "mosaic shapes", lambda: _Shapes(geometry))


def _paint(ax, paths, fills, hatched, linewidth: float) -> None:
    ax.add_collection(PatchCollection([PathPatch(p) for p in paths], facecolors=fills,
                                      edgecolors=colors.BORDER, linewidths=linewidth))
    partial = [p for p, h in zip(paths, hatched) if h]
    if partial:
        ax.add_collection(PatchCollection([PathPatch(p) for p in partial], facecolors="none", linewidths=linewidth,
                                          hatch=colors.PARTIAL_HATCH, **hatch(colors.PARTIAL_LINE)))


def _blank(ax, limits) -> None:
    x0, y0, x1, y1 = limits
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])


def _grid(groups, columns: int) -> list[tuple[int, int, int]]:
    """(row, column, group index) of each small map: groups follow each other along the rows."""
    places, row, col = [], 0, 0
    for g, (_, services) in enumerate(groups):
        for _ in services:
            if col == columns:
                row, col = row + 1, 0
            places.append((row, col, g))
            col += 1
    return places


class _Layout:
    """How many columns, the size of a small map, and the titles wrapped to their cells, to fill
    ``width`` × ``height`` inches: the largest maps whose rows fit, every title whole above its map;
    the height the rows leave is shared between them."""

    def __init__(self, spec: Mosaic, page: Page, aspect: float, width: float, height: float):
        self.title_size, self.head_size = page.pt(PT["label"]), page.pt(PT["legend_title"])
        self.gap = 0.1 * page.font  # between a row's maps and the next row's headings
        self.head_h = self.gap + self.head_size * 1.3 / 72 + 0.06
        names = [s.display_name for _, group in spec.groups for s in group]
        best = None
        for columns in range(3, 13):
            places = _grid(spec.groups, columns)
            rows = places[-1][0] + 1
            # Clear of its neighbours; a long name takes lines, never a size under the floor.
            titles = [wrap(name, self.title_size, width / columns - 0.2) for name in names]
            title_h = max(t.count("\n") + 1 for t in titles) * self.title_size * 1.15 / 72 + 0.04
            w = min(width / columns, (height / rows - title_h - self.head_h) / aspect)
            if best is None or w > best[0] + 1e-9:
                best = (w, columns, places, rows, titles, title_h)
        self.map_w, self.columns, self.places, rows, self.titles, self.title_h = best
        self.map_h = self.map_w * aspect
        self.cell_w = width / self.columns
        self.cell_h = height / rows
        self.spare = self.cell_h - (self.map_h + self.title_h + self.head_h)


def mosaic_figure(renderer: StaticRenderer, *, size: "str | Size" = DEFAULT_SIZE,
                  dpi: float = DEFAULT_DPI) -> Figure:
    """The mosaic of ``renderer``'s atlas as a matplotlib ``Figure`` of a size preset (a whole page's
    for a half page: see :attr:`~mimpmap.mpl.typeset.Size.whole`)."""
    page = Page.figure(size_preset(size).whole_page)
    with matplotlib.rc_context(STYLE):
        return draw(renderer, renderer.atlas.mosaic, page, dpi=dpi)


def render_mosaic(renderer: StaticRenderer, fmt: str = "png", dpi: float = DEFAULT_DPI, *,
                  size: "str | Size" = DEFAULT_SIZE) -> bytes:
    """The mosaic as PNG or SVG bytes; deterministic."""
    return save(mosaic_figure(renderer, size=size, dpi=dpi), fmt, dpi)


def draw(renderer: StaticRenderer, spec: Mosaic, page: Page, *, dpi: float = DEFAULT_DPI) -> Figure:
    """The mosaic on ``page``: the header, the small maps by program, then the legend, the key of
    the abbreviations and the footer. Call inside ``rc_context(STYLE)``."""
    fig = page.new(dpi)
    x0, _, x1, _ = page.inner
    top = header(fig, page, spec, x1 - x0)
    bottom = footer(fig, page, spec, x1 - x0)
    bottom = abbreviations_key(fig, page, ABBREVIATIONS_TITLE, spec.abbreviations, bottom, x1 - x0)
    # The legend, in one row above them.
    handles = legend_handles(spec.legend)
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(x0 / page.width, bottom / page.height),
               ncols=len(handles), frameon=False, fontsize=page.pt(PT["legend"]), handlelength=1.6,
               handleheight=1.1, borderaxespad=0, borderpad=0, columnspacing=1.5)
    bottom += 0.3 * page.font
    shapes = _shapes(renderer)
    ex0, ey0, ex1, ey1 = shapes.extent
    pad = 0.01 * (ey1 - ey0)
    limits = (ex0 - pad, ey0 - pad, ex1 + pad, ey1 + pad)
    layout = _Layout(spec, page, (limits[3] - limits[1]) / (limits[2] - limits[0]), x1 - x0, top - bottom)
    services = [s for _, group in spec.groups for s in group]
    for i, (service, (row, col, g)) in enumerate(zip(services, layout.places)):
        cell = (x0 + col * layout.cell_w, top - row * layout.cell_h)
        if i == 0 or layout.places[i - 1][0] != row or layout.places[i - 1][2] != g:
            _heading(fig, page, layout, spec.groups[g][0], cell, sum(
                1 for r, _, gg in layout.places if r == row and gg == g))
        fig.text((cell[0] + 0.5 * layout.cell_w) / page.width, (cell[1] - layout.head_h) / page.height,
                 layout.titles[i], fontsize=layout.title_size, ha="center", va="top", color=colors.INK,
                 linespacing=1.15, parse_math=False, gid=f"mosaic-{service.id}")
        _small_map(fig, page, layout, shapes, limits, service, cell)
    FigureCanvasAgg(fig)
    return fig


def _heading(fig: Figure, page: Page, layout: _Layout, text: str, cell: tuple[float, float], span: int) -> None:
    """A program's name over its first map in a row, ruled over its ``span`` maps in that row."""
    x, y = cell[0] + 0.03, cell[1]
    fig.text(x / page.width, (y - layout.gap) / page.height, text, fontsize=layout.head_size, fontweight="bold",
             color=colors.INK, va="top", parse_math=False)
    fig.add_artist(matplotlib.lines.Line2D([x / page.width, (cell[0] + span * layout.cell_w - 0.06) / page.width],
                                           [(y - layout.head_h + 0.02) / page.height] * 2, color="#999999",
                                           linewidth=0.6))


def _small_map(fig: Figure, page: Page, layout: _Layout, shapes: _Shapes, limits, service,
               cell: tuple[float, float]) -> None:
    """A service's small map, coloured as its own (the units, then the shapes its printed map draws over
    them: the provinces it reaches in a department reached in part), under its title in ``cell`` (its
    top left)."""
    units = {u.code: u for u in service.units}
    fills = [units[c].fill if c in units else colors.NEUTRAL for c in shapes.codes]
    hatched = [units[c].hatched if c in units else False for c in shapes.codes]
    left = cell[0] + (layout.cell_w - layout.map_w) / 2
    ax = fig.add_axes(page.rect(left, cell[1] - layout.head_h - layout.title_h - layout.map_h, layout.map_w,
                                layout.map_h))
    ax.set_axis_off()
    _paint(ax, shapes.country, fills, hatched, linewidth=0.25)
    over = [(outline_paths(s.outlines), s.color) for s in service.shapes]
    for paths, color in over:
        _paint(ax, paths, [color] * len(paths), [False] * len(paths), linewidth=0.25)
    _blank(ax, limits)
    side = _INSET * layout.map_w
    inset = ax.inset_axes((0.0, 0.0, side / layout.map_w, side / layout.map_h))
    ins = [i for i, _ in shapes.inset]
    _paint(inset, [p for _, p in shapes.inset], [fills[i] for i in ins], [hatched[i] for i in ins], linewidth=0.3)
    for paths, color in over:
        _paint(inset, paths, [color] * len(paths), [False] * len(paths), linewidth=0.3)
    _blank(inset, shapes.window)
    for spine in inset.spines.values():
        spine.set_edgecolor("#888888")
        spine.set_linewidth(0.4)


def outputs(atlas, fmt: str, job):
    """The build's mosaic for the ``png`` and ``svg`` formats (see :mod:`mimpmap.formats`), with its
    thumbnail: only when the build covers every map."""
    if not job.whole:
        return
    renderer, size = StaticRenderer(atlas, job.session), size_preset(job.size)
    yield from image_outputs(job.session, atlas, MOSAIC, fmt, job.dpi, size, atlas.mosaic,
                             lambda dpi: mosaic_figure(renderer, size=size, dpi=dpi))
