"""Print-quality static maps (PNG, SVG) drawn with matplotlib through geopandas; no browser.

Two kinds of map, each the size of the page it goes in (:data:`SIZES`: by default the text width of
an A4 page, 6.3 inches or 16 cm, with every text at 7 pt or more at that size; a US letter page; a
16:9 slide, laid out in landscape with the words in a column at the left):

* the choropleth (``service=None``): how many services reach each unit, in the classes and colours
  of :mod:`mimpmap.colors`, so it matches the HTML map;
* a service map: the units the service reaches in :data:`~mimpmap.colors.COVERED`, the rest
  :data:`~mimpmap.colors.NEUTRAL`, partial units hatched, plus a box with the service's figures.

Each has a title, the period, a "Fuente: ..." line and an inset zoomed on Lima Metropolitana and
Callao, which are a few pixels wide at country scale.

Projection: UTM zone 18S on WGS 84 (EPSG:32718). Its central meridian (75° W) runs through the middle
of Peru, whose extent (81.3° W to 68.7° W) stays within about 6.5° of it, so scale error is under 0.7 %
and the projection is conformal: departments keep their shapes. Plain longitude/latitude with an
aspect correction is only right at one latitude, and Peru spans 18°. The input is already WGS 84, so no
datum shift is involved (the official Perú96 / UTM 18S differs by less than a metre).

Drawing is pure matplotlib object API (``Figure`` + Agg canvas, no pyplot), so it needs no GUI and
leaves pyplot's global figure state alone. The style is fixed by :data:`STYLE`, applied with
``matplotlib.rc_context`` while drawing and saving; that is the one global touched, so concurrent
renders in threads should share one lock. PNGs are RGB (no alpha) with an sRGB ICC profile and their
dpi (300 by default). Output bytes are deterministic: PNG and SVG carry no date or software version,
the profile's date is fixed, and SVG ids are salted with a constant.

Geometry preparation (reprojection, label points, inset window) is done once per boundary set and
cached; :class:`StaticRenderer` is the handle for rendering many maps of one coverage.
"""

from __future__ import annotations

import contextlib
import functools
import io
import itertools
import os
import re
import struct
import textwrap
import weakref
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterator

import geopandas as gpd
import matplotlib
import numpy as np
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import ConnectionPatch, Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from shapely import box
from shapely.ops import polylabel

from . import colors
from .formats import Output
from .layout import thumbnail_file
from .maps import COVERAGE_LEGEND, PROJECTION_NOTE, Atlas, Choropleth, Legend, ServiceMap, Swatch

if TYPE_CHECKING:  # pragma: no cover
    from .geography import Boundaries

#: The drawing CRS: UTM zone 18S, WGS 84 (see the module docstring).
CRS = "EPSG:32718"
FORMATS = ("png", "svg")

# Text from the data files is drawn with parse_math=False: a "$" in it is a dollar sign, not mathtext.

#: Matplotlib settings for every static map: a bundled font (the same glyphs on every machine), SVG
#: text kept as text (searchable, editable), constant SVG ids.
STYLE = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "svg.fonttype": "none",
    "svg.hashsalt": "mimpmap",
    "hatch.linewidth": 1.2,
    # Glyphs drawn as designed, not fitted to the pixel grid: hinting helps at screen sizes, where a
    # pixel is a good part of a letter; at print resolution it only slows the drawing (by a third).
    "text.hinting": "no_hinting",
    "path.simplify": True,
    "axes.unicode_minus": True,
}

# Metadata that would make two renders differ (dates, the matplotlib version).
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
}

# Units too small at country scale are drawn in the inset and labelled there: the level's ``inset``
# (Lima Metropolitana and Callao for the departments), centred on its ``inset_centre`` when a file
# merges them away.
#: The map's left column kept free for the legend, the figures and the inset (a fraction of its width).
LEFT_COLUMN = 0.24
_INSET_MIN_SIZE = 70_000  # metres: the inset shows at least this much ground
_INSET_PAD = 0.12


# --- thumbnails for the index -------------------------------------------------------------------

#: Width in pixels of the index's thumbnails: sharp on a 300-pixel card at double pixel density.
THUMBNAIL_WIDTH = 600
#: Thumbnails are made from a PNG drawn at no more than this (the default, so the map's own PNG): a
#: finer one (7560 px wide at --dpi 1200) would take gigabytes to decode and give the same thumbnail.
THUMBNAIL_SOURCE_DPI = 300


def thumbnail(png: bytes, width: int = THUMBNAIL_WIDTH) -> bytes:
    """A small copy of a PNG map for the index: ``width`` pixels wide (never wider than the map) in
    128 colours, 30 to 50 KB instead of about 500, so the index stays light on a slow connection."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        rgba = image.convert("RGBA")
    flat = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba).convert("RGB")
    return _thumbnail(flat, width)


def _thumbnail(flat, width: int = THUMBNAIL_WIDTH) -> bytes:
    """:func:`thumbnail` of an RGB image (a drawing's pixels, not decoded again from its PNG).

    A 300-dpi map is first reduced by averaging whole blocks of pixels to about the thumbnail's width
    (its box filter is exact for that), then resampled to it: a quarter of the time of resampling the
    full image, and no visible difference at 600 pixels."""
    from PIL import Image

    width = min(width, flat.width)
    height = max(1, round(flat.height * width / flat.width))
    factor = flat.width // width
    if factor >= 2:
        flat = flat.reduce(factor)
    small = flat.resize((width, height), Image.Resampling.LANCZOS)
    # Octree: a tenth of median cut's time, files a third smaller, every pixel within 14 levels of
    # its colour (median cut was off by up to 45 on some).
    small = small.quantize(colors=128, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, format="PNG")
    return out.getvalue()


# --- geometry, prepared once per boundary set ---------------------------------------------------


@dataclass(frozen=True)
class _Geometry:
    units: gpd.GeoDataFrame  # projected to CRS, same index as cov.units
    label_points: dict[str, tuple[float, float]]
    extent: tuple[float, float, float, float]  # x0, y0, x1, y1 of the country
    inset: tuple[float, float, float, float]  # the inset window, square
    inset_codes: tuple[str, ...]  # the units drawn and labelled in it

    @classmethod
    def of(cls, units: gpd.GeoDataFrame, inset_codes: tuple[str, ...] = (),
           centre: tuple[float, float] | None = None) -> "_Geometry":
        projected = units[["nombre", "geometry"]].to_crs(CRS)
        window = _inset_window(projected, inset_codes, centre)
        # Labels of units the inset window overlaps (Lima Provincias) go on the part outside it.
        keep_clear = box(*window).buffer(0.25 * (window[2] - window[0]))
        points = {}
        for code, geom in zip(projected.index, projected.geometry):
            if code not in inset_codes and geom.intersects(keep_clear):
                rest = geom.difference(keep_clear)
                geom = rest if rest.area > 0.3 * geom.area else geom
            points[code] = _label_point(geom)
        x0, y0, x1, y1 = projected.total_bounds
        return cls(projected, points, (x0, y0, x1, y1), window, tuple(c for c in inset_codes if c in points))

    @functools.cached_property
    def paths(self) -> list:
        """Each unit as a matplotlib path (its normalized rings, as geopandas plots it)."""
        return [_unit_path(geom) for geom in self.units.geometry.normalize()]

    @functools.cached_property
    def axis_labels(self) -> tuple[str, str]:
        """The axis labels geopandas gives a plot in CRS ("Easting [metre]"; hidden on these maps)."""
        axes = self.units.crs.axis_info
        x, y = (f"{a.name} [{a.unit_name}]" for a in axes[:2])
        return (y, x) if axes[0].direction == "north" else (x, y)


def _label_point(geom) -> tuple[float, float]:
    """The pole of inaccessibility of the largest part: a label spot well inside the shape."""
    part = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
    point = polylabel(part, tolerance=max(part.length / 2000, 10.0))
    return (round(point.x, 1), round(point.y, 1))


def _inset_window(projected: gpd.GeoDataFrame, inset_codes: tuple[str, ...],
                  centre: tuple[float, float] | None) -> tuple[float, float, float, float]:
    """A square around the inset units (Lima Metropolitana and Callao), and around the level's inset
    centre (central Lima) when the file merges the first of them away."""
    shapes = list(projected.geometry[projected.index.isin(inset_codes)])
    if centre is not None and (not inset_codes or inset_codes[0] not in projected.index):
        point = gpd.GeoSeries.from_xy([centre[0]], [centre[1]], crs="EPSG:4326").to_crs(CRS)
        shapes.append(point.iloc[0].buffer(_INSET_MIN_SIZE / 3))
    x0, y0, x1, y1 = gpd.GeoSeries(shapes).total_bounds
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half = max(x1 - x0, y1 - y0, _INSET_MIN_SIZE) * (1 + 2 * _INSET_PAD) / 2
    return (cx - half, cy - half, cx + half, cy + half)


_CACHE: dict[int, _Geometry] = {}


def _geometry(boundaries: "Boundaries") -> _Geometry:
    """The prepared geometry of a set of boundaries, computed on first use."""
    key = id(boundaries)
    geometry = _CACHE.get(key)
    if geometry is None:
        level = boundaries.level
        geometry = _Geometry.of(boundaries.frame, level.inset, level.inset_centre)
        _CACHE[key] = geometry
        weakref.finalize(boundaries, _CACHE.pop, key, None)
    return geometry


# --- drawing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Layer:
    """What each unit is painted with."""

    fills: list[str]
    hatched: list[bool]  # hatch drawn over the fill
    legend: list[Patch]
    legend_title: str
    notes: list[str] | None = None  # a second label line per unit (the choropleth's counts)

    def subset(self, keep) -> "_Layer":
        pick = lambda values: None if values is None else [v for v, k in zip(values, keep) if k]  # noqa: E731
        return _Layer(pick(self.fills), pick(self.hatched), self.legend, self.legend_title, pick(self.notes))


def _legend(legend: Legend, partial_fill: str = colors.PARTIAL_FILL) -> list:
    """A description's legend as matplotlib handles; the hatch's meaning last, on a choropleth."""
    handles = [_swatch(s, partial_fill) for s in legend.swatches]
    if legend.partial is not None:
        handles.append(_swatch(legend.partial, "none", width=34))
    return handles


def _swatch(swatch: Swatch, partial_fill: str, width: int = 40):
    label = textwrap.fill(swatch.label, width)
    if swatch.circle:
        return Line2D([], [], linestyle="none", marker="o", markersize=8, markerfacecolor=swatch.color,
                      markeredgecolor="white", markeredgewidth=1.5, label=label)
    if swatch.hatch:
        return _partial_patch(label, fill=partial_fill)
    return _patch(swatch.color, label)


def _layer(spec: "Choropleth | ServiceMap") -> _Layer:
    units = spec.units
    counts = None if isinstance(spec, ServiceMap) else [str(u.count) for u in units]
    return _Layer([u.fill for u in units], [u.hatched for u in units], _legend(spec.legend),
                  spec.legend.title if counts else COVERAGE_LEGEND, counts)


def _patch(fill: str, label: str, **kw) -> Patch:
    """A legend swatch."""
    return Patch(**{"facecolor": fill, "edgecolor": colors.BORDER, "linewidth": 0.6, "label": label, **kw})


# matplotlib 3.11 gave hatches a colour of their own; before it (Python 3.10 has no 3.11), a hatch
# takes the edge colour, so there the partial units are outlined in their hatch colour.
_HATCHCOLOR = matplotlib.__version_info__ >= (3, 11)


def _hatch(color: str) -> dict:
    """The edge and hatch colours of a hatched shape: its hatch in ``color``, its edge the border's
    (before matplotlib 3.11, both in ``color``)."""
    return {"edgecolor": colors.BORDER, "hatchcolor": color} if _HATCHCOLOR else {"edgecolor": color}


def _partial_patch(label: str, fill: str = colors.PARTIAL_FILL) -> Patch:
    return _patch(fill, label, hatch=colors.PARTIAL_HATCH, **_hatch(colors.PARTIAL_LINE))


def _paint(ax, geometry: "_Geometry", layer: _Layer, linewidth: float, keep=None) -> None:
    """Fill the units (those ``keep`` picks), then hatch the partial ones on top.

    It draws what ``GeoDataFrame.plot`` would (the same collections, in the same order, and the
    axis labels it sets), from paths made once per boundary set rather than once per map."""
    paths = geometry.paths if keep is None else [p for p, k in zip(geometry.paths, keep) if k]
    _polygons(ax, geometry, paths, facecolor=np.asarray(layer.fills), edgecolor=colors.BORDER, linewidth=linewidth)
    # Hatching in the partial colour, or white where the fill is dark (the choropleth's top classes).
    for dark in (False, True):
        pick = [h and (colors.text_color(f) == colors.INK_ON_DARK) == dark
                for h, f in zip(layer.hatched, layer.fills)]
        if any(pick):
            _polygons(ax, geometry, [p for p, k in zip(paths, pick) if k], facecolor="none", linewidth=linewidth,
                      hatch=colors.PARTIAL_HATCH, **_hatch(colors.INK_ON_DARK if dark else colors.PARTIAL_LINE))


class _GeoPandasPolyCollection(PatchCollection):
    """The units' collection, named as geopandas names it: the SVGs' group ids (from the class
    name) stay those of the maps drawn through ``GeoDataFrame.plot``."""


def _polygons(ax, geometry: "_Geometry", paths: list, **style) -> None:
    """A collection of units' paths, as geopandas plots polygons (``plot_series``)."""
    x_label, y_label = geometry.axis_labels
    if ax.get_xlabel() == "":
        ax.set_xlabel(x_label, fontsize="small")
    if ax.get_ylabel() == "":
        ax.set_ylabel(y_label, fontsize="small")
    ax.add_collection(_GeoPandasPolyCollection([PathPatch(path) for path in paths], **style), autolim=True)
    ax.autoscale_view()


def _unit_path(geom) -> MplPath:
    """A (multi)polygon as one compound path of its rings, as geopandas makes it."""
    rings = []
    for part in getattr(geom, "geoms", [geom]):
        rings.append(MplPath(np.asarray(part.exterior.coords)[:, :2], closed=True))
        rings.extend(MplPath(np.asarray(ring.coords)[:, :2], closed=True) for ring in part.interiors)
    return MplPath.make_compound_path(*rings)


def _label(ax, xy, text: str, fill: str, size: float, xytext=None, arrowprops=None, **kw) -> None:
    """Dark text with a white halo on light fills, white text with a halo of the fill on dark ones
    (readable over hatching, and where the text overhangs the unit).

    The halo is a second, stroke-only copy underneath: with a path effect on the text itself, the SVG
    backend would write the text as outlines, and it must stay searchable ``<text>``.
    """
    ink = colors.text_color(fill)
    halo = "white" if ink == colors.INK else fill
    common = {"ha": "center", "va": "center", "fontsize": size, "parse_math": False, **kw}
    return (ax.annotate(text, xy, xytext=xytext, color=halo, **common,
                        path_effects=[patheffects.Stroke(linewidth=2.2 * size / 6.5, foreground=halo)]),
            ax.annotate(text, xy, xytext=xytext, color=ink, arrowprops=arrowprops, **common))


def _separate(ax, labels, passes: int = 4, gap: float = 1.0) -> None:
    """Move apart, up and down, the labels (pairs of halo and text at a point) whose boxes overlap:
    each goes half the overlap plus ``gap`` points away from the other."""
    with _measuring(ax.figure) as renderer:
        to_data = ax.transData.inverted()
        for _ in range(passes):
            boxes = [text.get_window_extent(renderer) for _, text in labels]
            moved = False
            for i, j in itertools.combinations(range(len(labels)), 2):
                a, b = boxes[i], boxes[j]
                if not a.overlaps(b):
                    continue
                dy = (min(a.y1, b.y1) - max(a.y0, b.y0)) / 2 + gap
                upper, lower = (i, j) if a.y0 + a.y1 > b.y0 + b.y1 else (j, i)
                for k, sign in ((upper, 1), (lower, -1)):
                    x, y = ax.transData.transform(labels[k][1].xy)
                    xy = tuple(to_data.transform((x, y + sign * dy)))
                    for artist in labels[k]:
                        artist.xy = artist.xyann = xy
                    boxes[k] = labels[k][1].get_window_extent(renderer)
                moved = True
            if not moved:
                break


@contextlib.contextmanager
def _measuring(fig: Figure):
    """A renderer to measure ``fig``'s artists in points (the figure at 72 dpi meanwhile). It is not
    the figure's canvas: with an Agg canvas attached, geopandas would redraw the whole figure after
    each layer it plots."""
    dpi = fig.dpi
    fig.set_dpi(72)
    try:
        yield RendererAgg(fig.bbox.width, fig.bbox.height, 72)
    finally:
        fig.set_dpi(dpi)

# --- sizes ----------------------------------------------------------------------------------

CM = 1 / 2.54  # inches


@dataclass(frozen=True)
class Size:
    """A size preset: the figure in inches (the text width of a report page, or a slide), and the
    paper of the PDF atlas drawn at that size."""

    name: str
    width: float
    height: float
    paper: tuple[float, float]
    #: The PDF page's margins (inches): the text area of the paper.
    paper_margin: float
    landscape: bool = False
    #: Text sizes are multiplied by this (slides are read from afar).
    font: float = 1.0


#: The presets of ``size=``: the text area of an A4 page (6.3 inches, 16 cm wide; no taller than its 24.7 cm),
#: of a US letter page (1-inch margins: 6.5 × 9 inches) and a 16:9 slide (13.33 × 7.5 inches).
SIZES: dict[str, Size] = {s.name: s for s in (
    Size("a4", 6.3, 23 * CM, paper=(21 * CM, 29.7 * CM), paper_margin=2 * CM),
    Size("carta", 6.5, 9.0, paper=(8.5, 11.0), paper_margin=0.9),
    Size("diapositiva", 13 + 1 / 3, 7.5, paper=(13 + 1 / 3, 7.5), paper_margin=0.35, landscape=True, font=1.2),
)}
DEFAULT_SIZE = "a4"
#: PNG resolution by default: print quality (16 cm at 300 dpi is 1890 pixels).
DEFAULT_DPI = 300


def size_preset(size: "str | Size") -> Size:
    if isinstance(size, Size):
        return size
    try:
        return SIZES[size]
    except KeyError:
        raise ValueError(f"tamaño '{size}' no admitido; use {', '.join(SIZES)}") from None


@dataclass(frozen=True)
class _Page:
    """A figure's geometry in inches: its size, the margins around what is drawn, and the text scale."""

    width: float
    height: float
    margin: tuple[float, float, float, float] = (0.12, 0.12, 0.12, 0.1)  # left, right, top, bottom
    font: float = 1.0
    landscape: bool = False

    @classmethod
    def figure(cls, size: Size) -> "_Page":
        return cls(size.width, size.height, font=size.font, landscape=size.landscape)

    @classmethod
    def paper(cls, size: Size, bottom: float = 0.0) -> "_Page":
        m = size.paper_margin
        return cls(*size.paper, margin=(m, m, m, m + bottom), font=size.font, landscape=size.landscape)

    @property
    def inner(self) -> tuple[float, float, float, float]:
        """x0, y0, x1, y1 of the drawn area, in inches from the bottom left."""
        left, right, top, bottom = self.margin
        return left, bottom, self.width - right, self.height - top

    @property
    def column(self) -> float:
        """The width of the words: a slide keeps a column on the left for them, a report page runs
        them across."""
        x0, _, x1, _ = self.inner
        return 0.4 * (x1 - x0) if self.landscape else x1 - x0

    def pt(self, size: float) -> float:
        return size * self.font

    def rect(self, x: float, y: float, w: float, h: float) -> tuple[float, float, float, float]:
        """A rectangle in inches as figure fractions."""
        return x / self.width, y / self.height, w / self.width, h / self.height


#: Text sizes in points at the report size (every one at least 7 pt where the figure is placed).
PT = {"title": 13, "subtitle": 9, "period": 8.5, "lead": 8.5, "legend": 8, "legend_title": 8.5, "box": 7,
      "label": 7, "inset_title": 8, "source": 7.5, "note": 7, "projection": 7}


@functools.cache
def _font(bold: bool):
    from matplotlib import font_manager

    weight = "bold" if bold else "normal"
    return font_manager.get_font(font_manager.findfont(
        font_manager.FontProperties(family=STYLE["font.sans-serif"], weight=weight)))


# A forked process (the build's workers) opens the fonts again, as matplotlib does with its own
# cache: FreeType reads a font through its file descriptor, whose offset the processes would share.
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_font.cache_clear)


@functools.lru_cache(maxsize=4096)
def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of one line of ``text`` at ``size`` points, in inches, as the style's font sets it."""
    font = _font(bold)
    font.set_size(size, 72)
    font.set_text(text, 0.0)
    return font.get_width_height()[0] / 64 / 72


def wrap(text: str, size: float, width_in: float, indent: str = "", bold: bool = False) -> str:
    """``text`` wrapped at its spaces (not the no-break ones of "1 726" or "20,2 %") into lines of at
    most ``width_in`` inches at ``size`` points, measured with the font less 3 % (hinting widens text
    at a low dpi), each line starting with ``indent``; a word longer than a line keeps a line of its
    own.

    A line is measured as its words and the spaces between them (:func:`_space`): the words recur
    from map to map, where whole lines do not, and laying out a line costs about a millisecond."""
    limit = 0.97 * width_in
    space = _space(size, bold)
    lines: list[list[str]] = []
    width = 0.0
    for word in filter(None, re.split(r"[ \t\n]+", text)):
        step = space + text_width(word, size, bold)
        if lines and width + step <= limit:
            lines[-1].append(word)
            width += step
        else:
            lines.append([word])
            width = text_width(indent + word, size, bold)
    return "\n".join(indent + " ".join(words) for words in lines)


@functools.lru_cache(maxsize=64)
def _space(size: float, bold: bool = False) -> float:
    """What a space adds between two words: their line's width less each word's own (a space's
    advance and the letters' side bearings)."""
    return text_width("n n", size, bold) - 2 * text_width("n", size, bold)


def _lines_height(text: str, size: float, spacing: float) -> float:
    return (text.count("\n") + 1) * size * spacing / 72


def stack(fig: Figure, page: "_Page", x: float, y: float, width: float, items, *, spacing: float = 1.25,
          gap: float = 0.06, up: bool = False) -> float:
    """Paragraphs ``(text, points, style)``, each wrapped to ``width``, one under the other from ``y``
    (one above the other with ``up``), in inches from the bottom left; returns where they end. Empty
    texts are left out."""
    for text, size, style in items:
        if not text:
            continue
        size = page.pt(size)
        text = wrap(text, size, width, bold=style.get("fontweight") == "bold")
        fig.text(x / page.width, y / page.height, text, fontsize=size, va="bottom" if up else "top",
                 linespacing=spacing, parse_math=False, **style)
        step = _lines_height(text, size, spacing) + gap * page.font
        y += step if up else -step
    return y


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


# --- saving ---------------------------------------------------------------------------------


@functools.cache
def srgb_profile() -> bytes:
    """An sRGB ICC profile with a constant date (LittleCMS stamps the time it was made)."""
    from PIL import ImageCms

    profile = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    profile[24:36] = bytes.fromhex("07d0 0001 0001 0000 0000 0000")  # 2000-01-01 00:00:00
    return bytes(profile)


def save(fig: Figure, fmt: str, dpi: float) -> bytes:
    """A figure as PNG (RGB, no alpha, with an sRGB profile and its dpi) or SVG bytes, deterministic."""
    if fmt not in FORMATS:
        raise ValueError(f"formato '{fmt}' no admitido; use {' o '.join(FORMATS)}")
    if fmt == "png":
        return _png(_pixels(fig, dpi), dpi)
    buffer = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(buffer, format="svg", metadata=_METADATA["svg"], facecolor="white")
    return buffer.getvalue()


def _pixels(fig: Figure, dpi: float):
    """The figure drawn by Agg at ``dpi``, as an RGB PIL image."""
    from PIL import Image

    with matplotlib.rc_context(STYLE):
        fig.set_dpi(dpi)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
    return image.convert("RGB")


#: zlib's level for the maps' PNGs: level 3 of unfiltered rows is some 4 times faster than Pillow's
#: default and its files are smaller (benchmarks/bench_speed.py prints both).
PNG_LEVEL = 3


def _png(image, dpi: float) -> bytes:
    """An RGB PIL image as PNG bytes: its rows unfiltered, deflated by zlib, with its dpi and the sRGB
    profile.

    Pillow's encoder chooses a filter for every row, which costs three times the compression itself
    on these maps (large areas of one colour, where the filters gain nothing: its files are larger)
    and cannot be turned off; the format is simple enough to write here. Pillow reads the result
    back pixel for pixel (tests/test_static.py)."""
    width, height = image.size
    per_metre = round(dpi / 0.0254)
    return b"".join((
        b"\x89PNG\r\n\x1a\n",
        _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),  # 8-bit RGB
        _chunk(b"iCCP", b"sRGB\x00\x00" + zlib.compress(srgb_profile())),
        _chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
        _chunk(b"IDAT", _deflate_rows(image)),
        _chunk(b"IEND", b""),
    ))


def _deflate_rows(image, block: int = 256) -> bytes:
    """The image data of a PNG: each row of an RGB ``image`` after its filter type, 0 (none),
    deflated a block of rows at a time, each block copied out of the image on its own (no second copy
    of a large page in memory: 250 MB at 1200 dpi)."""
    width, height = image.size
    deflate = zlib.compressobj(PNG_LEVEL)
    parts = []
    for top in range(0, height, block):
        rows = image.crop((0, top, width, min(top + block, height))).tobytes()
        raw = np.zeros((len(rows) // (3 * width), 1 + 3 * width), np.uint8)
        raw[:, 1:] = np.frombuffer(rows, np.uint8).reshape(len(raw), 3 * width)
        parts.append(deflate.compress(raw))
    parts.append(deflate.flush())
    return b"".join(parts)


def _chunk(kind: bytes, data: bytes) -> bytes:
    """A PNG chunk: length, type, data and the CRC of type and data."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


class Drawing:
    """One map drawn once, at one dpi, and saved as whatever is asked of it: PNG, SVG and the
    index's thumbnail come from the same ``Figure`` (and the thumbnail from the PNG's pixels),
    with the bytes of separate drawings."""

    def __init__(self, figure: "Callable[[], Figure]", dpi: float):
        self._figure = figure
        self.dpi = dpi

    @functools.cached_property
    def figure(self) -> Figure:
        return self._figure()

    @functools.cached_property
    def pixels(self):
        return _pixels(self.figure, self.dpi)

    @functools.cached_property
    def png(self) -> bytes:
        return _png(self.pixels, self.dpi)

    def svg(self) -> bytes:
        return save(self.figure, "svg", self.dpi)

    def thumbnail(self) -> bytes:
        return _thumbnail(self.pixels)


#: The last drawing made for a build's outputs: ((owner, key, size, dpi), Drawing). One only, so
#: memory stays bounded; the build renders a map's files one after the other, so each is drawn once.
_LAST: list = [None]


def drawing(owner, key: str, size: "Size", dpi: float, figure: "Callable[[], Figure]") -> Drawing:
    """The drawing of map ``key`` of ``owner`` (an atlas: compared by identity) at ``size`` and
    ``dpi``: the last one if it is that one, else a new one (``figure()`` draws it when needed)."""
    last = _LAST[0]
    if last is not None and last[0][0] is owner and last[0][1:] == (key, size, dpi):
        return last[1]
    made = Drawing(figure, dpi)
    _LAST[0] = ((owner, key, size, dpi), made)
    return made


def forget_drawings() -> None:
    """Let the last drawing go (the end of a build's rendering)."""
    _LAST[0] = None


def _locations(spec: ServiceMap) -> tuple[tuple[float, float], ...]:
    return tuple(tuple(site.location) for site in spec.sites)


@functools.lru_cache(maxsize=256)
def _projected(locations: tuple[tuple[float, float], ...]):
    """Centres' (latitude, longitude) in the drawing CRS: x and y."""
    lat, lon = zip(*locations)
    points = gpd.GeoSeries.from_xy(lon, lat, crs="EPSG:4326").to_crs(CRS)
    return points.x, points.y


def prepare(atlas: Atlas) -> None:
    """Project every service's centres now: a build does it before it forks its workers, which then
    use no PROJ database (an SQLite file) opened by another process."""
    for spec in atlas.services:
        if spec.sites:
            _projected(_locations(spec))


class StaticRenderer:
    """Renders the static maps of one atlas (the description of every map); geometry is prepared once
    and shared.

    >>> renderer = StaticRenderer(atlas)                     # doctest: +SKIP
    >>> png = renderer.render()                              # the choropleth, PNG bytes
    >>> svg = renderer.render("cai", fmt="svg", size="diapositiva")
    """

    def __init__(self, atlas: Atlas):
        self.atlas = atlas
        self.geometry = _geometry(atlas.boundaries)

    def _spec(self, service: "ServiceMap | str | None") -> "Choropleth | ServiceMap":
        if service is None:
            return self.atlas.choropleth
        return self.atlas.service(service) if isinstance(service, str) else service  # a description

    def figure(self, service: "ServiceMap | str | None" = None, *, size: "str | Size" = DEFAULT_SIZE,
               dpi: float = DEFAULT_DPI, labels: bool = True) -> Figure:
        """The map as a matplotlib ``Figure`` of a size preset (:data:`SIZES`): by default the text
        width of an A4 page, 16 cm."""
        page = _Page.figure(size_preset(size))
        with matplotlib.rc_context(STYLE):
            return self.page(self._spec(service), page, dpi=dpi, labels=labels)

    def render(self, service: "ServiceMap | str | None" = None, fmt: str = "png", dpi: float = DEFAULT_DPI,
               *, size: "str | Size" = DEFAULT_SIZE, labels: bool = True) -> bytes:
        """The map as PNG or SVG bytes; the same inputs always give the same bytes."""
        if fmt not in FORMATS:  # before drawing
            raise ValueError(f"formato '{fmt}' no admitido; use {' o '.join(FORMATS)}")
        return save(self.figure(service, size=size, dpi=dpi, labels=labels), fmt, dpi)

    # -- the page ------------------------------------------------------------------------------

    def page(self, spec: "Choropleth | ServiceMap", page: _Page, *, dpi: float = DEFAULT_DPI,
             labels: bool = True, lead: str | None = None,
             below: "tuple[float, Callable[[Figure, float], None]] | None" = None) -> Figure:
        """The map drawn on ``page``: header (and ``lead``, a paragraph under it), the map with its
        legend, figures and inset, then notes and source. ``below`` is (height, draw): room kept
        above the footer, and ``draw(fig, top)`` to fill it (``top`` in inches from the bottom),
        which then shows the figures instead of the box beside the map. Call inside
        ``rc_context(STYLE)``."""
        # No Agg canvas while drawing: geopandas asks the canvas to redraw after each layer, and the
        # base canvas ignores that, where Agg would render the whole page each time.
        fig = Figure(figsize=(page.width, page.height), dpi=dpi, facecolor="white")
        layer = _layer(spec)
        x0, y0, x1, y1 = page.inner
        column = page.column
        header = self._header(fig, page, spec, column, lead)
        footer = self._footer(fig, page, spec, column)
        if below is not None:
            below[1](fig, footer + below[0])
            footer += below[0]
        if page.landscape:  # the country at full height, centred right of the column
            ex0, ey0, ex1, ey1 = self.geometry.extent
            room = x1 - x0 - column
            width = min(room, (y1 - y0) * (ex1 - ex0) / (ey1 - ey0))
            box = (x0 + column + (room - width) / 2, y0, width, y1 - y0)
            free = 0.0
        else:
            box = (x0, footer, x1 - x0, header - footer)
            free = LEFT_COLUMN
        ax = fig.add_axes(page.rect(*box))
        ax.set_axis_off()
        _paint(ax, self.geometry, layer, linewidth=0.4)
        xlim, ylim = _limits(self.geometry.extent, box[2], box[3], free)
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        if labels:
            self._labels(ax, layer, size=page.pt(PT["label"]), skip=self.geometry.inset_codes)
        ax.text(1.0, 0.0, PROJECTION_NOTE, transform=ax.transAxes, fontsize=page.pt(PT["projection"]),
                ha="right", va="bottom", color="#666666")

        legend = ax.legend(handles=layer.legend, title=layer.legend_title, loc="upper left",
                           bbox_to_anchor=(x0 / page.width, header / page.height),
                           bbox_transform=fig.transFigure, frameon=False, fontsize=page.pt(PT["legend"]),
                           title_fontsize=page.pt(PT["legend_title"]), alignment="left", handlelength=1.6,
                           handleheight=1.1, borderaxespad=0, borderpad=0)
        legend.get_title().set_fontweight("bold")

        # The inset in the Pacific, at the lower left of the map's box (in the free column of a report
        # page; on a slide, in the corner of the country's frame, which is sea).
        side = min(1.75 * page.font, 0.3 * (box[2] if page.landscape else x1 - x0))
        inset = self._inset(ax, layer, page, labels, page.rect(box[0] + 0.02, box[1] + 0.02, side, side))
        if isinstance(spec, ServiceMap):
            self._sites(spec, (ax, inset), page)
            if below is None:
                self._figures_box(fig, page, spec, legend, width=column if page.landscape else free * box[2])
        FigureCanvasAgg(fig)
        return fig

    def _figures_box(self, fig: Figure, page: _Page, spec: ServiceMap, legend, width: float) -> None:
        """The service's centres and figures, in a box under the legend."""
        size = page.pt(PT["box"])
        width -= 0.22  # the box's offset and padding
        lines = [wrap(line, size, width - 0.1, indent="  ") if line.startswith(" ") else wrap(line, size, width)
                 for line in spec.static_figures]
        if not lines:
            return
        with _measuring(fig) as renderer:
            bottom = legend.get_window_extent(renderer).y0 / 72  # inches
        x0 = page.inner[0]
        fig.text((x0 + 0.08) / page.width, (bottom - 0.2) / page.height, "\n".join(lines), fontsize=size,
                 va="top", ha="left", color=colors.INK, linespacing=1.35, parse_math=False,
                 bbox={"boxstyle": "round,pad=0.5", "facecolor": "white", "edgecolor": "#bbbbbb", "linewidth": 0.6})

    def _sites(self, spec: ServiceMap, axes, page: _Page) -> None:
        """The centres with a place, as the dots of the legend, on the map and in the inset."""
        sites = spec.sites
        swatch = next((s for s in spec.legend.swatches if s.circle), None)
        if not sites or swatch is None:
            return
        x, y = _projected(_locations(spec))
        for ax in axes:
            ax.scatter(x, y, s=(5.5 * page.font) ** 2, c=swatch.color, edgecolors="white",
                       linewidths=1.0, zorder=5)

    def _header(self, fig: Figure, page: _Page, spec: "Choropleth | ServiceMap", width: float,
                lead: str | None = None) -> float:
        """Title, subtitle, period (and a lead paragraph); returns where the header ends, in inches
        from the bottom."""
        x0, _, _, y = page.inner
        y = stack(fig, page, x0, y, width, (
            (spec.header.title, PT["title"], {"fontweight": "bold", "color": colors.INK, "gid": "title"}),
            (spec.static_subtitle, PT["subtitle"], {"color": "#333333"}),
            (spec.static_period, PT["period"], {"color": "#555555"}),
            (lead, PT["lead"], {"color": colors.INK}),
        ))
        return y - 0.1 * page.font

    def _footer(self, fig: Figure, page: _Page, spec: "Choropleth | ServiceMap", width: float) -> float:
        """The service's notes and footnotes, then the source, bottom left; returns where the footer
        begins, in inches from the bottom."""
        x0, y, _, _ = page.inner
        notes = getattr(spec, "static_notes", ())
        items = [(spec.static_source, PT["source"], {"color": "#444444"})] + [
            (n, PT["note"], {"color": "#555555"}) for n in reversed(notes)]
        return stack(fig, page, x0, y, width, items, gap=0.04, up=True) + 0.06 * page.font

    def _labels(self, ax, layer: _Layer, *, size: float, skip=()) -> None:
        """Each unit's name (and count) at its label point."""
        units, points = self.geometry.units, self.geometry.label_points
        notes = layer.notes or [None] * len(units)
        labels = []
        for code, name, fill, note in zip(units.index, units["nombre"], layer.fills, notes):
            if code in skip:
                continue
            text = name.replace(" ", "\n", 1) if len(name) > 11 else name
            labels.append(_label(ax, points[code], f"{text}\n{note}" if note else text, fill, size, linespacing=1.0))
        _separate(ax, labels)

    def _inset(self, ax, layer: _Layer, page: _Page, labels: bool, rect):
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
        inset.set_title(self.atlas.inset_title,
                        fontsize=page.pt(PT["inset_title"]), fontweight="bold", color=colors.INK, loc="left",
                        pad=3)
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
            if code not in codes:
                continue
            i = codes.index(code)
            name = geometry.units.at[code, "nombre"]
            text = name.replace(" ", "\n", 1) + (f"\n{sub.notes[i]}" if sub.notes else "")
            x, y = geometry.label_points[code]
            if code == "PE-CAL":  # Callao, a thin coastal strip: labelled at sea, with a leader line
                _label(inset, (x, y), text, "#ffffff", size, xytext=(x - 0.24 * (x1 - x0), y),
                       linespacing=1.0, arrowprops={"arrowstyle": "-", "color": "#444444", "linewidth": 0.6,
                                                    "shrinkA": 2, "shrinkB": 0})
            else:
                _label(inset, (x, y), text, sub.fills[i], size, linespacing=1.0)
        return inset


# --- the functions the rest of the package calls --------------------------------------------


def outputs(atlas: Atlas, fmt: str, job) -> Iterator[Output]:
    """The build's files of the ``png`` or ``svg`` format (see :mod:`mimpmap.formats`): an image per
    map and, for PNG, the index's thumbnails, made from a PNG of at most THUMBNAIL_SOURCE_DPI (the
    map's own when it is no finer, so it is drawn once). The mosaic is :mod:`mimpmap.mosaic`'s.

    A map's PNG, SVG and thumbnail share one drawing when they are rendered one after the other."""
    renderer = StaticRenderer(atlas)
    size = size_preset(job.size)
    prepare(atlas)
    for spec in job.maps:
        yield from image_outputs(atlas, spec.key, fmt, job.dpi, size, drawn(spec, atlas),
                                 lambda dpi, spec=spec: renderer.figure(spec, size=size, dpi=dpi))


def drawn(spec: "Choropleth | ServiceMap", atlas: Atlas) -> tuple:
    """What :meth:`StaticRenderer.page` draws of ``spec`` (the key of its images), and nothing more:
    a service's description or the words of its web page are not on its image. The units' names
    and shapes come from the boundaries, which key every output."""
    service = isinstance(spec, ServiceMap)
    units = [(u.code, u.fill, u.hatched, None if service else u.count) for u in spec.units]
    return (type(spec).__name__, spec.key, spec.header.title, spec.static_subtitle, spec.static_period,
            getattr(spec, "static_notes", ()), spec.static_source, spec.legend, units,
            spec.sites if service else (), spec.static_figures if service else (), atlas.inset_title)


def image_outputs(owner, key: str, fmt: str, dpi: int, size: Size, shows, figure) -> Iterator[Output]:
    """A map's image at ``dpi`` (``figure(dpi)`` draws it) and, for PNG, the index's thumbnail."""

    def at(dpi: int) -> Drawing:
        return drawing(owner, key, size, dpi, functools.partial(figure, dpi))

    yield Output(f"{key}.{fmt}", (lambda: at(dpi).png) if fmt == "png" else (lambda: at(dpi).svg()), shows)
    if fmt == "png":
        source = min(dpi, THUMBNAIL_SOURCE_DPI)
        yield Output(thumbnail_file(f"{key}.png"), lambda: at(source).thumbnail(), shows)


def static_figure(atlas: Atlas, service: "ServiceMap | str | None" = None, *, size: "str | Size" = DEFAULT_SIZE,
                  dpi: float = DEFAULT_DPI, labels: bool = True) -> Figure:
    """The choropleth (``service=None``) or one service's map as a matplotlib ``Figure``.

    At the defaults (``size="a4"``: 16 cm wide, 300 dpi) a saved PNG is 1890 pixels wide.
    """
    return StaticRenderer(atlas).figure(service, size=size, dpi=dpi, labels=labels)


def render_static(atlas: Atlas, service: "ServiceMap | str | None" = None, fmt: str = "png",
                  dpi: float = DEFAULT_DPI, **options) -> bytes:
    """PNG or SVG bytes of :func:`static_figure`; deterministic (same inputs, same bytes)."""
    return StaticRenderer(atlas).render(service, fmt=fmt, dpi=dpi, **options)
