"""Dots by kind on a printed map (:class:`~mimpmap.views.marks.DotsByKind`: the directory's centres):
small dots coloured by kind, as the web pages' markers are, on the map and in its inset; their legend by kind;
and the notes that say where and when the points come from.

A dot is a few points wide with a thin white ring and a little transparency, so that 40 centres in
Lima Metropolitana stay a cluster of dots in the inset rather than one blot, and the coverage fill
shows between them. Each kind is one collection (the commonest first, so the rarer kinds lie on top),
with an SVG id ``centres-<n>`` (``centres-inset-<n>`` in the inset), ``n`` its place in the legend.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from matplotlib.legend import Legend
from matplotlib.lines import Line2D

from .marks import legend_bottom
from .typeset import PT, Page, text_width

if TYPE_CHECKING:  # pragma: no cover
    from ..views.marks import DotsByKind

#: A dot's diameter and its ring's width (points, at the report size), and its opacity.
DOT, RING, ALPHA = 3.6, 0.35, 0.9
#: Over the units (1) and under their names (3): a name stays readable where the centres crowd.
ZORDER = 2.5
#: The legend's dots are larger than the map's, to show their colour.
LEGEND_DOT = 6.0


def notes(layer: "DotsByKind") -> tuple[str, ...]:
    """The note under a map with ``layer``, one paragraph: the counts with their source and year (and
    the summary's, with its date), what is not drawn, and the points' source."""
    return (" ".join((*layer.lines, layer.source_line)),)


def dots(axes, layer: "DotsByKind", xy, page: Page, window=None, gid: str = "centres") -> None:
    """The points of ``layer`` (projected: ``xy`` = x and y arrays) on ``axes``, by kind; with
    ``window`` (x0, y0, x1, y1), only those inside it."""
    x, y = xy
    order = sorted(range(len(layer.swatches)),
                   key=lambda i: -sum(p.color == layer.swatches[i].color for p in layer.points))
    for i in order:
        color = layer.swatches[i].color
        pick = [k for k, p in enumerate(layer.points) if p.color == color and _inside(x[k], y[k], window)]
        if pick:
            axes.scatter([x[k] for k in pick], [y[k] for k in pick], s=page.pt(DOT) ** 2, c=color, alpha=ALPHA,
                         edgecolors="white", linewidths=page.pt(RING), zorder=ZORDER, gid=f"{gid}-{i}")


def _inside(x: float, y: float, window) -> bool:
    return window is None or (window[0] <= x <= window[2] and window[1] <= y <= window[3])


def legend(ax, layer: "DotsByKind", page: Page, above: Legend, x: float, width: float) -> Legend:
    """The kinds of ``layer`` as a legend under ``above`` (``x``, ``width``: its left and the room for
    its title, in inches: a title wider than that goes on two lines, its source on the second); returns it."""
    handles = [Line2D([], [], linestyle="none", marker="o", markersize=page.pt(LEGEND_DOT), markerfacecolor=s.color,
                      markeredgecolor="white", markeredgewidth=page.pt(RING) * 2, label=s.label)
               for s in layer.swatches]
    size = page.pt(PT["legend_title"])
    title = layer.name  # "Centros (Directorio MIMP 2026)": its entries are the kinds
    if text_width(title, size, bold=True) > width:  # "Centros" over "(Directorio MIMP 2026)"
        title = title.replace(" (", "\n(", 1)
    top = legend_bottom(ax.figure, above) - 0.08 * page.font
    fig = ax.figure
    box = Legend(ax, handles, [h.get_label() for h in handles], title=title,
                 loc="upper left", bbox_to_anchor=(x / page.width, top / page.height), bbox_transform=fig.transFigure,
                 frameon=False, fontsize=page.pt(PT["legend"]), title_fontsize=size, alignment="left",
                 handlelength=1.6, handleheight=1.1, labelspacing=0.3, borderaxespad=0, borderpad=0)
    box.get_title().set_fontweight("bold")
    ax.add_artist(box)
    return box
