"""Print-quality static maps (PNG, SVG) drawn with matplotlib through geopandas; no browser.

Two kinds of map, both on an A4-portrait page:

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
renders in threads should share one lock. Output bytes are deterministic: PNG and SVG carry no date or
software version, and SVG ids are salted with a constant.

Geometry preparation (reprojection, label points, inset window) is done once per boundary set and
cached; :class:`StaticRenderer` is the handle for rendering many maps of one coverage.
"""

from __future__ import annotations

import functools
import io
import textwrap
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

import geopandas as gpd
import matplotlib
from matplotlib import patheffects
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import ConnectionPatch, Patch, Rectangle
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
#: Page shape: A4 portrait.
PAGE_RATIO = 297 / 210
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
    "path.simplify": True,
    "axes.unicode_minus": True,
}

# Metadata that would make two renders differ (dates, the matplotlib version).
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
}

# Units too small at country scale: drawn in the inset, labelled there.
INSET_CODES = ("PE-LMA", "PE-CAL")
#: The inset's side, in inches on a 10-inch page, and the map's left column kept free for it.
INSET_SIZE = 2.9
LEFT_COLUMN = 0.24
_INSET_MIN_SIZE = 70_000  # metres: the inset shows at least this much ground
#: The Plaza Mayor of Lima (lon, lat), to place the inset when no feature is Lima Metropolitana.
LIMA_CENTRE = (-77.0300, -12.0456)
_INSET_PAD = 0.12


# --- thumbnails for the index -------------------------------------------------------------------

#: Width in pixels of the index's thumbnails: sharp on a 300-pixel card at double pixel density.
THUMBNAIL_WIDTH = 600
#: Thumbnails are made from a PNG drawn at no more than this (the default): a finer one (up to
#: 12000 px wide at --dpi 1200) would take gigabytes to decode and give the same thumbnail.
THUMBNAIL_SOURCE_DPI = 200


def thumbnail(png: bytes, width: int = THUMBNAIL_WIDTH) -> bytes:
    """A small copy of a PNG map for the index: ``width`` pixels wide (never wider than the map) in
    128 colours, 40 to 55 KB instead of about 450, so the index stays light on a slow connection."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        rgba = image.convert("RGBA")
    flat = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba).convert("RGB")
    width = min(width, flat.width)
    small = flat.resize((width, max(1, round(flat.height * width / flat.width))), Image.Resampling.LANCZOS)
    small = small.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return out.getvalue()


# --- geometry, prepared once per boundary set ---------------------------------------------------


@dataclass(frozen=True)
class _Geometry:
    units: gpd.GeoDataFrame  # projected to CRS, same index as cov.units
    label_points: dict[str, tuple[float, float]]
    extent: tuple[float, float, float, float]  # x0, y0, x1, y1 of the country
    inset: tuple[float, float, float, float]  # the inset window, square

    @classmethod
    def of(cls, units: gpd.GeoDataFrame) -> "_Geometry":
        projected = units[["nombre", "geometry"]].to_crs(CRS)
        window = _inset_window(projected)
        # Labels of units the inset window overlaps (Lima Provincias) go on the part outside it.
        keep_clear = box(*window).buffer(0.25 * (window[2] - window[0]))
        points = {}
        for code, geom in zip(projected.index, projected.geometry):
            if code not in INSET_CODES and geom.intersects(keep_clear):
                rest = geom.difference(keep_clear)
                geom = rest if rest.area > 0.3 * geom.area else geom
            points[code] = _label_point(geom)
        x0, y0, x1, y1 = projected.total_bounds
        return cls(projected, points, (x0, y0, x1, y1), window)


def _label_point(geom) -> tuple[float, float]:
    """The pole of inaccessibility of the largest part: a label spot well inside the shape."""
    part = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
    point = polylabel(part, tolerance=max(part.length / 2000, 10.0))
    return (round(point.x, 1), round(point.y, 1))


def _inset_window(projected: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    """A square around Lima Metropolitana and Callao (around Callao and central Lima when the file
    does not split Lima)."""
    lima = gpd.GeoSeries.from_xy([LIMA_CENTRE[0]], [LIMA_CENTRE[1]], crs="EPSG:4326").to_crs(CRS)
    shapes = list(projected.geometry[projected.index.isin(INSET_CODES)])
    if "PE-LMA" not in projected.index:
        shapes.append(lima.iloc[0].buffer(_INSET_MIN_SIZE / 3))
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
        geometry = _Geometry.of(boundaries.frame)
        _CACHE[key] = geometry
        weakref.finalize(boundaries, _CACHE.pop, key, None)
    return geometry


# --- text -----------------------------------------------------------------------------------


def _figures_text(spec: ServiceMap) -> str | None:
    """The service's box: "Casos de usuarios\\n  1 726 → 2 075 (+20,2 %)", long lines wrapped."""
    lines = [textwrap.fill(line, 44, subsequent_indent="    ") if line.startswith(" ") else textwrap.fill(line, 44)
             for line in spec.static_figures]
    return "\n".join(lines) or None


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
    return {"hatchcolor": color} if _HATCHCOLOR else {"edgecolor": color}


def _partial_patch(label: str, fill: str = colors.PARTIAL_FILL) -> Patch:
    return _patch(fill, label, hatch=colors.PARTIAL_HATCH, **_hatch(colors.PARTIAL_LINE))


def _paint(ax, units: gpd.GeoDataFrame, layer: _Layer, linewidth: float) -> None:
    """Fill the units, then hatch the partial ones on top."""
    units.plot(ax=ax, color=layer.fills, edgecolor=colors.BORDER, linewidth=linewidth, aspect=None)
    # Hatching in the partial colour, or white where the fill is dark (the choropleth's top classes).
    for dark in (False, True):
        pick = [h and (colors.text_color(f) == colors.INK_ON_DARK) == dark
                for h, f in zip(layer.hatched, layer.fills)]
        if any(pick):
            style = {"edgecolor": colors.BORDER, **_hatch(colors.INK_ON_DARK if dark else colors.PARTIAL_LINE)}
            units[pick].plot(ax=ax, facecolor="none", linewidth=linewidth, hatch=colors.PARTIAL_HATCH,
                             aspect=None, **style)


def _label(ax, xy, text: str, fill: str, size: float, xytext=None, arrowprops=None, **kw) -> None:
    """Dark text with a white halo on light fills, white text with a halo of the fill on dark ones
    (readable over hatching, and where the text overhangs the unit).

    The halo is a second, stroke-only copy underneath: with a path effect on the text itself, the SVG
    backend would write the text as outlines, and it must stay searchable ``<text>``.
    """
    ink = colors.text_color(fill)
    halo = "white" if ink == colors.INK else fill
    common = {"ha": "center", "va": "center", "fontsize": size, "parse_math": False, **kw}
    ax.annotate(text, xy, xytext=xytext, color=halo, **common,
                path_effects=[patheffects.Stroke(linewidth=2.2 * size / 6.5, foreground=halo)])
    ax.annotate(text, xy, xytext=xytext, color=ink, arrowprops=arrowprops, **common)


@dataclass(frozen=True)
class _Page:
    """Page geometry in inches; sizes scale with the width (10 inches is the reference)."""

    width: float

    @property
    def height(self) -> float:
        return self.width * PAGE_RATIO

    @property
    def scale(self) -> float:
        return self.width / 10

    @property
    def margin(self) -> float:  # figure fraction
        return 0.04


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
    """Renders the static maps of one atlas (the description of every map); geometry is prepared once
    and shared.

    >>> renderer = StaticRenderer(atlas)                     # doctest: +SKIP
    >>> png = renderer.render()                              # the choropleth, PNG bytes
    >>> svg = renderer.render("cai", fmt="svg")
    """

    def __init__(self, atlas: Atlas):
        self.atlas = atlas
        self.geometry = _geometry(atlas.boundaries)

    def _spec(self, service: "ServiceMap | str | None") -> "Choropleth | ServiceMap":
        if service is None:
            return self.atlas.choropleth
        return self.atlas.service(service) if isinstance(service, str) else service  # a description

    def figure(self, service: "ServiceMap | str | None" = None, *, dpi: float = 200,
               width_in: float = 10, labels: bool = True) -> Figure:
        """The map as a matplotlib ``Figure`` (an A4-portrait page ``width_in`` inches wide)."""
        with matplotlib.rc_context(STYLE):
            return self._figure(self._spec(service), dpi=dpi, width_in=width_in, labels=labels)

    def render(self, service: "ServiceMap | str | None" = None, fmt: str = "png", dpi: float = 200,
               **options) -> bytes:
        """The map as PNG or SVG bytes; the same inputs always give the same bytes."""
        if fmt not in FORMATS:
            raise ValueError(f"formato '{fmt}' no admitido; use {' o '.join(FORMATS)}")
        with matplotlib.rc_context(STYLE):
            fig = self._figure(self._spec(service), dpi=dpi, **options)
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, dpi=dpi, metadata=_METADATA[fmt], facecolor="white")
        return buffer.getvalue()

    # -- the page ------------------------------------------------------------------------------

    def _figure(self, spec: "Choropleth | ServiceMap", *, dpi: float, width_in: float = 10,
                labels: bool = True) -> Figure:
        page = _Page(width_in)
        # No Agg canvas while drawing: geopandas asks the canvas to redraw after each layer, and the
        # base canvas ignores that, where Agg would render the whole page each time.
        fig = Figure(figsize=(page.width, page.height), dpi=dpi, facecolor="white")
        layer = _layer(spec)
        header = self._header(fig, page, spec)
        footer = self._footer(fig, page, spec)

        # The map fills the page between header and footer; the country sits right of a column kept
        # free for the legend, the figures box and the inset.
        rect = (page.margin, footer, 1 - 2 * page.margin, header - footer)
        ax = fig.add_axes(rect)
        ax.set_axis_off()
        _paint(ax, self.geometry.units, layer, linewidth=0.5 * page.scale)
        box_w, box_h = rect[2] * page.width, rect[3] * page.height
        xlim, ylim = _limits(self.geometry.extent, box_w, box_h, LEFT_COLUMN)
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        if labels:
            self._labels(ax, layer, size=6.5 * page.scale, skip=INSET_CODES)
        ax.text(1.0, 0.0, PROJECTION_NOTE, transform=ax.transAxes, fontsize=6.5 * page.scale,
                ha="right", va="bottom", color="#777777")

        legend = ax.legend(handles=layer.legend, title=layer.legend_title, loc="upper left",
                           bbox_to_anchor=(0.0, 1.0), frameon=False, fontsize=9 * page.scale,
                           title_fontsize=9.5 * page.scale, alignment="left", handlelength=1.6,
                           handleheight=1.2, borderaxespad=0)
        legend.get_title().set_fontweight("bold")

        side = INSET_SIZE * page.scale
        inset = self._inset(ax, layer, page.scale, labels, (0.0, 0.0, side / box_w, side / box_h))
        if isinstance(spec, ServiceMap):
            self._sites(spec, (ax, inset), page.scale)
            text = _figures_text(spec)
            if text:
                # Below the legend: its title and rows take about 0.21 inch each.
                top = 1 - ((len(layer.legend) + 1) * 0.21 + 0.25) * page.scale / box_h
                ax.text(0.006, top, text, transform=ax.transAxes, fontsize=7.5 * page.scale, va="top",
                        parse_math=False,
                        ha="left", color=colors.INK, linespacing=1.4,
                        bbox={"boxstyle": "round,pad=0.6", "facecolor": "white", "edgecolor": "#bbbbbb",
                              "linewidth": 0.6})
        FigureCanvasAgg(fig)
        return fig

    def _sites(self, spec: ServiceMap, axes, scale: float) -> None:
        """The centres with a place, as the dots of the legend, on the map and in the inset."""
        sites = spec.sites
        swatch = next((s for s in spec.legend.swatches if s.circle), None)
        if not sites or swatch is None:
            return
        lat, lon = zip(*(s.location for s in sites))
        points = gpd.GeoSeries.from_xy(lon, lat, crs="EPSG:4326").to_crs(CRS)
        for ax in axes:
            ax.scatter(points.x, points.y, s=(8 * scale) ** 2, c=swatch.color, edgecolors="white",
                       linewidths=1.5 * scale, zorder=5)

    def _header(self, fig: Figure, page: "_Page", spec: "Choropleth | ServiceMap") -> float:
        """Title, subtitle and period; returns the figure fraction where the header ends."""
        y = page.height - 0.35 * page.scale  # inches from the bottom
        for text, size, style in (
            (textwrap.fill(spec.header.title, 58), 17, {"fontweight": "bold", "color": colors.INK, "gid": "title"}),
            (textwrap.fill(spec.static_subtitle, 95), 10.5, {"color": "#333333"}),
            (spec.static_period, 10, {"color": "#555555"}),
        ):
            if not text:
                continue
            fig.text(page.margin, y / page.height, text, fontsize=size * page.scale, va="top",
                     linespacing=1.25, parse_math=False, **style)
            y -= (text.count("\n") + 1) * size * 1.25 / 72 * page.scale + 0.1 * page.scale
        return (y - 0.15 * page.scale) / page.height

    def _footer(self, fig: Figure, page: "_Page", spec: "Choropleth | ServiceMap") -> float:
        """The service's notes and footnotes, then the source, bottom left; returns the figure
        fraction where the footer begins."""
        notes = getattr(spec, "static_notes", ())
        y = 0.3 * page.scale  # inches from the bottom
        for text, size, color in [(textwrap.fill(spec.static_source, 130), 7.5, "#444444")] + [
            (textwrap.fill(n, 150), 6.8, "#555555") for n in reversed(notes)
        ]:
            fig.text(page.margin, y / page.height, text, fontsize=size * page.scale, va="bottom",
                     color=color, linespacing=1.3, parse_math=False)
            y += ((text.count("\n") + 1) * size * 1.3 / 72 + 0.05) * page.scale
        return (y + 0.1 * page.scale) / page.height

    def _labels(self, ax, layer: _Layer, *, size: float, skip=()) -> None:
        """Each unit's name (and count) at its label point."""
        units, points = self.geometry.units, self.geometry.label_points
        notes = layer.notes or [None] * len(units)
        for code, name, fill, note in zip(units.index, units["nombre"], layer.fills, notes):
            if code in skip:
                continue
            text = name.replace(" ", "\n", 1) if len(name) > 11 else name
            _label(ax, points[code], f"{text}\n{note}" if note else text, fill, size, linespacing=1.1)

    def _inset(self, ax, layer: _Layer, scale: float, labels: bool, rect):
        """Lima Metropolitana and Callao, enlarged, in the Pacific at the lower left."""
        geometry = self.geometry
        x0, y0, x1, y1 = geometry.inset
        inset = ax.inset_axes(rect)
        # Only the units that reach into the window: faster, and the same picture.
        keep = geometry.units.intersects(box(x0, y0, x1, y1)).to_numpy()
        part, sub = geometry.units[keep], layer.subset(keep)
        _paint(inset, part, sub, linewidth=0.8 * scale)
        inset.set_xlim(x0, x1)
        inset.set_ylim(y0, y1)
        inset.set_xticks([])
        inset.set_yticks([])
        inset.set_xlabel("")
        inset.set_ylabel("")
        for spine in inset.spines.values():
            spine.set_edgecolor("#888888")
            spine.set_linewidth(0.8)
        split = "PE-LMA" in geometry.units.index
        inset.set_title("Lima Metropolitana y Callao" if split else "Lima y Callao", fontsize=9 * scale,
                        fontweight="bold", color=colors.INK, loc="left")
        # The window on the main map, and one leader from it to the inset, drawn over the sea (the
        # automatic pair of indicate_inset_zoom crosses Lima Provincias and its label).
        line = {"edgecolor": "#666666", "linewidth": 0.8 * scale}
        ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor="none", **line))
        ax.add_artist(ConnectionPatch((x0, y0), (1, 1), coordsA=ax.transData, coordsB=inset.transAxes,
                                      color=line["edgecolor"], linewidth=line["linewidth"]))
        if not labels:
            return inset
        codes = list(part.index)
        for code in INSET_CODES:
            if code not in codes:
                continue
            i = codes.index(code)
            name = geometry.units.at[code, "nombre"]
            text = name.replace(" ", "\n", 1) + (f"\n{sub.notes[i]}" if sub.notes else "")
            x, y = geometry.label_points[code]
            if code == "PE-CAL":  # a thin coastal strip: label it at sea, with a leader line
                _label(inset, (x, y), text, "#ffffff", 8.5 * scale, xytext=(x - 0.22 * (x1 - x0), y),
                       linespacing=1.1, arrowprops={"arrowstyle": "-", "color": "#444444", "linewidth": 0.7,
                                                    "shrinkA": 2, "shrinkB": 0})
            else:
                _label(inset, (x, y), text, sub.fills[i], 8.5 * scale, linespacing=1.1)
        return inset


# --- the functions the rest of the package calls --------------------------------------------


def outputs(atlas: Atlas, fmt: str, job) -> Iterator[Output]:
    """The build's files of the ``png`` or ``svg`` format (see :mod:`mimpmap.formats`): an image per
    map and, for PNG, the index's thumbnail, made from a PNG of at most THUMBNAIL_SOURCE_DPI (the
    map's own when it is no finer, so it is drawn once)."""
    renderer = StaticRenderer(atlas)
    for spec in job.maps:
        shows = (spec, atlas.title, atlas.source)
        draw = functools.cache(lambda spec=spec: renderer.render(spec, fmt=fmt, dpi=job.dpi))
        yield Output(f"{spec.key}.{fmt}", draw, shows)
        if fmt == "png":
            source = draw if job.dpi <= THUMBNAIL_SOURCE_DPI else (
                lambda spec=spec: renderer.render(spec, fmt="png", dpi=THUMBNAIL_SOURCE_DPI))
            yield Output(thumbnail_file(f"{spec.key}.png"), lambda source=source: thumbnail(source()), shows)


def static_figure(atlas: Atlas, service: "ServiceMap | str | None" = None, *, dpi: float = 200,
                  width_in: float = 10, labels: bool = True) -> Figure:
    """The choropleth (``service=None``) or one service's map as a matplotlib ``Figure``.

    At the defaults (10 inches, 200 dpi) a saved PNG is 2000 × 2828 pixels.
    """
    return StaticRenderer(atlas).figure(service, dpi=dpi, width_in=width_in, labels=labels)


def render_static(atlas: Atlas, service: "ServiceMap | str | None" = None, fmt: str = "png",
                  dpi: float = 200, **options) -> bytes:
    """PNG or SVG bytes of :func:`static_figure`; deterministic (same inputs, same bytes)."""
    return StaticRenderer(atlas).render(service, fmt=fmt, dpi=dpi, **options)
