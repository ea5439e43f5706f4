"""What the printed figures are made of, drawn the same way on every one of them: the units' shapes
and their hatching, the legend's swatches, the units' labels, and the header and footer of a page.

Text from the data files is drawn with ``parse_math=False``: a "$" in it is a dollar sign, not mathtext.
"""

from __future__ import annotations

import itertools
import textwrap
from typing import TYPE_CHECKING, Callable

import matplotlib
import shapely
from matplotlib import patheffects
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch

from .. import colors
from .geometry import Geometry
from .typeset import PT, Page, lines_height, measuring, stack, wrap

if TYPE_CHECKING:  # pragma: no cover
    from ..views.marks import Legend, Swatch

# matplotlib 3.11 gave hatches a colour of their own; before it (Python 3.10 has no 3.11), a hatch
# takes the edge colour, so there the partial units are outlined in their hatch colour.
HATCHCOLOR = matplotlib.__version_info__ >= (3, 11)


def hatch(color: str) -> dict:
    """The edge and hatch colours of a hatched shape: its hatch in ``color``, its edge the border's
    (before matplotlib 3.11, both in ``color``)."""
    return {"edgecolor": colors.BORDER, "hatchcolor": color} if HATCHCOLOR else {"edgecolor": color}


# --- the legend -------------------------------------------------------------------------------------


def legend_handles(legend: Legend, partial_fill: str = colors.PARTIAL_FILL) -> list:
    """A description's legend as matplotlib handles; the hatch's meaning last, on a choropleth."""
    handles = [_swatch(s, partial_fill) for s in legend.swatches]
    if legend.partial is not None:
        handles.append(_swatch(legend.partial, "none", width=34))
    return handles


def legend_bottom(fig: Figure, legend) -> float:
    """Where ``legend`` ends, in inches from the bottom of ``fig``."""
    with measuring(fig) as renderer:
        return legend.get_window_extent(renderer).y0 / 72


def _swatch(swatch: Swatch, partial_fill: str, width: int = 40):
    label = textwrap.fill(swatch.label, width)
    if swatch.circle:
        return Line2D([], [], linestyle="none", marker="o", markersize=8, markerfacecolor=swatch.color,
                      markeredgecolor="white", markeredgewidth=1.5, label=label)
    if swatch.hatch:  # in its own colour where it has one (a map's units without a value, grey)
        return _patch(swatch.color or partial_fill, label, hatch=colors.PARTIAL_HATCH, **hatch(colors.PARTIAL_LINE))
    return _patch(swatch.color, label)


def _patch(fill: str, label: str, **kw) -> Patch:
    """A legend swatch."""
    return Patch(**{"facecolor": fill, "edgecolor": colors.BORDER, "linewidth": 0.6, "label": label, **kw})


# --- units ----------------------------------------------------------------------------------------


class _GeoPandasPolyCollection(PatchCollection):
    """The units' collection, named as geopandas names it: the SVGs' group ids (from the class
    name) stay those of the maps drawn through ``GeoDataFrame.plot``."""


def polygons(ax, geometry: Geometry, paths: list, **style) -> None:
    """A collection of units' paths, as geopandas plots polygons (``plot_series``)."""
    x_label, y_label = geometry.axis_labels
    if ax.get_xlabel() == "":
        ax.set_xlabel(x_label, fontsize="small")
    if ax.get_ylabel() == "":
        ax.set_ylabel(y_label, fontsize="small")
    ax.add_collection(_GeoPandasPolyCollection([PathPatch(path) for path in paths], **style), autolim=True)
    ax.autoscale_view()


def label(ax, xy, text: str, fill: str, size: float, xytext=None, arrowprops=None, **kw) -> tuple:
    """A unit's label: dark text with a white halo on light fills, white text with a halo of the fill
    on dark ones (readable over hatching, and where the text overhangs the unit). Returns the halo and
    the text.

    The halo is a second, stroke-only copy underneath: with a path effect on the text itself, the SVG
    backend would write the text as outlines, and it must stay searchable ``<text>``.
    """
    ink = colors.text_color(fill)
    halo = "white" if ink == colors.INK else fill
    common = {"ha": "center", "va": "center", "fontsize": size, "parse_math": False, **kw}
    return (ax.annotate(text, xy, xytext=xytext, color=halo, **common,
                        path_effects=[patheffects.Stroke(linewidth=2.2 * size / 6.5, foreground=halo)]),
            ax.annotate(text, xy, xytext=xytext, color=ink, arrowprops=arrowprops, **common))


def ways_to_write(name: str) -> list[str]:
    """A unit's name on one line, then broken at each of its spaces (two lines)."""
    words = name.split(" ")
    return [name] + [" ".join(words[:i]) + "\n" + " ".join(words[i:]) for i in range(1, len(words))]


def best_fit(ax, shape, xy, texts: list[str], size: float) -> str:
    """Of ``texts`` (ways to write one label), the one whose box leaves least of itself outside
    ``shape`` (the unit, in the axes' data coordinates); the first of those within 2 % of the best.
    "La Libertad" on one line overhangs its narrow department; on two lines it sits inside."""
    if len(texts) == 1:
        return texts[0]
    outside = []
    with measuring(ax.figure) as renderer:
        to_data = ax.transData.inverted()  # at the measuring resolution
        for text in texts:
            artist = ax.annotate(text, xy, ha="center", va="center", fontsize=size, linespacing=1.0,
                                 parse_math=False)
            (x0, y0), (x1, y1) = to_data.transform(artist.get_window_extent(renderer).get_points())
            artist.remove()
            frame = shapely.box(x0, y0, x1, y1)
            outside.append(frame.difference(shape).area / frame.area)
    return next(t for t, share in zip(texts, outside) if share <= min(outside) + 0.02)


def separate(ax, labels, passes: int = 4, gap: float = 1.0) -> None:
    """Move apart, up and down, the labels (pairs of halo and text at a point) whose boxes overlap:
    each goes half the overlap plus ``gap`` points away from the other."""
    with measuring(ax.figure) as renderer:
        to_data = ax.transData.inverted()
        boxes = [text.get_window_extent(renderer) for _, text in labels]  # each kept up to date as it moves
        for _ in range(passes):
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


def keep_apart(ax, labels, gap: float = 3.0) -> list:
    """Of ``labels`` (pairs of halo and text, the most important first), those whose text comes no
    closer than ``gap`` points to any kept before it (their halos do not touch): the others are taken
    off the map. Returns those kept."""
    kept, boxes = [], []
    with measuring(ax.figure) as renderer:
        pad = renderer.points_to_pixels(gap / 2)
        for pair in labels:
            extent = pair[1].get_window_extent(renderer).padded(pad)
            if any(extent.overlaps(b) for b in boxes):
                for artist in pair:
                    artist.remove()
                continue
            kept.append(pair)
            boxes.append(extent)
    return kept


# --- a page's header and footer ---------------------------------------------------------------------


def header(fig: Figure, page: Page, spec, width: float, lead: str | None = None) -> float:
    """A description's title, subtitle, period (and a lead paragraph) at the top left of ``page``;
    returns where the header ends, in inches from the bottom."""
    x0, _, _, y = page.inner
    y = stack(fig, page, x0, y, width, (
        (spec.title, PT["title"], {"fontweight": "bold", "color": colors.INK, "gid": "title"}),
        (spec.static_subtitle, PT["subtitle"], {"color": "#333333"}),
        (spec.static_period, PT["period"], {"color": "#555555"}),
        (lead, PT["lead"], {"color": colors.INK}),
    ))
    return y - 0.1 * page.font


def footer(fig: Figure, page: Page, spec, width: float, more: tuple[str, ...] = ()) -> float:
    """A description's notes and footnotes (and ``more`` notes after them), then its source, at the
    bottom left of ``page``; returns where the footer begins, in inches from the bottom."""
    x0, y, _, _ = page.inner
    notes = (*getattr(spec, "static_notes", ()), *more)
    items = [(spec.static_source, PT["source"], {"color": "#444444"})] + [
        (n, PT["note"], {"color": "#555555"}) for n in reversed(notes)]
    return stack(fig, page, x0, y, width, items, gap=0.04, up=True) + 0.06 * page.font



# --- text in columns ----------------------------------------------------------------------------------


class Columns:
    """Paragraphs set in as many columns as ``width`` inches hold (each at least ``least`` wide, ``gap``
    apart), in order, each paragraph whole in one column, the columns of about the same height.
    ``fill(paragraph, width)`` wraps a paragraph to a column's width (by default at its spaces)."""

    def __init__(self, paragraphs, size: float, width: float, least: float, *, gap: float = 0.2,
                 spacing: float = 1.35, fill: "Callable[[str, float], str] | None" = None):
        self.size, self.gap, self.spacing = size, gap, spacing
        count = max(1, int((width + gap) // (least + gap)))
        self.width = (width - (count - 1) * gap) / count
        texts = [fill(p, self.width) if fill else wrap(p, size, self.width) for p in paragraphs]
        total = sum(self._height(t) for t in texts)
        columns: list[list[str]] = [[]]
        done = 0.0  # the height of the columns before the last
        for text in texts:
            # A new column where this paragraph would end further past the column's share than short of it.
            end = done + self._height("\n".join([*columns[-1], text]))
            if columns[-1] and len(columns) < count and end - self._height(text) / 2 > len(columns) * total / count:
                done += self._height("\n".join(columns[-1]))
                columns.append([])
            columns[-1].append(text)
        self.texts = ["\n".join(c) for c in columns]
        #: The tallest column's height, in inches.
        self.height = max(self._height(t) for t in self.texts)

    def _height(self, text: str) -> float:
        return lines_height(text, self.size, self.spacing)

    def draw(self, fig: Figure, page: Page, x: float, top: float, **style) -> None:
        """The columns from ``top`` down, the first at ``x`` (inches from the bottom left)."""
        for i, text in enumerate(self.texts):
            fig.text((x + i * (self.width + self.gap)) / page.width, top / page.height, text, fontsize=self.size,
                     va="top", ha="left", linespacing=self.spacing, parse_math=False, **style)


def abbreviations_key(fig: Figure, page: Page, title: str, entries, bottom: float, width: float) -> float:
    """The key of a page's abbreviations (``entries``: "CEM: Centros Emergencia Mujer"), under its
    ``title``, in columns across ``width`` from ``bottom`` up at the left; returns where it ends, in
    inches from the bottom (``bottom`` without entries)."""
    if not entries:
        return bottom
    size = page.pt(PT["note"])
    key = Columns(entries, size, width, _KEY_COLUMN * page.font, spacing=1.2)
    x0 = page.inner[0]
    key.draw(fig, page, x0, bottom + key.height, color="#555555")
    return stack(fig, page, x0, bottom + key.height + 0.04, width,
                 ((title, PT["note"], {"color": "#444444", "fontweight": "bold", "gid": "abbreviations"}),), gap=0.03, up=True) + 0.1 * page.font


#: The narrowest column of a key of abbreviations (inches).
_KEY_COLUMN = 2.6
