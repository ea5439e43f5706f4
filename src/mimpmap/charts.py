"""The population the services reach, as two bar charts on one page (``poblacion.png``/``.svg`` and a
page of the PDF atlas): the people by how many services reach their department, and each service by
the people of the departments it reaches, each bar with its figure written at its end.

It draws :func:`mimpmap.views.report.people_chart`, the description of the page, with the header and footer
of the maps (title, period, the caveat on what a population reached means, the sources). Bars are in
one colour, the maps' "reached" blue: their length, not their hue, is the figure.
"""

from __future__ import annotations

from typing import Iterator

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from . import colors
from .formats import Output
from .views.atlas import Atlas
from .views.marks import Bar
from .views.report import PEOPLE_CHART, PeopleChart
from .views.words import ABBREVIATIONS_TITLE
from .mpl.files import image_outputs
from .mpl.marks import abbreviations_key, footer, header
from .mpl.typeset import PT, STYLE, Page, lines_height, size_preset, stack, text_width, wrap

__all__ = ["PEOPLE_CHART", "draw", "outputs"]

#: A bar's height and the gap to the next, in points at the report size, and how much thicker a bar
#: grows to fill the page.
_BAR, _GAP, _GROW = 9.0, 4.0, 1.5


def outputs(atlas: Atlas, fmt: str, job) -> Iterator[Output]:
    """The build's population charts for the ``png`` and ``svg`` formats (see :mod:`mimpmap.formats`),
    with their thumbnail: only when the build covers every map and there are population figures."""
    spec = atlas.people_chart
    if not job.whole or spec is None:
        return
    size = size_preset(job.size).whole_page

    def figure(dpi: float) -> Figure:
        with matplotlib.rc_context(STYLE):
            return draw(spec, Page.figure(size), dpi=dpi)

    yield from image_outputs(job.session, atlas, PEOPLE_CHART, fmt, job.dpi, size, spec, figure)


def draw(spec: PeopleChart, page: Page, *, dpi: float) -> Figure:
    """The charts on ``page``: one under the other, their bars aligned (side by side on a page wider
    than tall), each bar as thick as the room allows up to :data:`_GROW` times :data:`_BAR`, then the
    key of the abbreviations the bars are labelled with. Call inside ``rc_context(STYLE)``."""
    fig = page.new(dpi)
    x0, _, x1, _ = page.inner
    top = header(fig, page, spec, x1 - x0)
    bottom = footer(fig, page, spec, x1 - x0)
    bottom = abbreviations_key(fig, page, ABBREVIATIONS_TITLE, spec.abbreviations, bottom, x1 - x0) + 0.1 * page.font
    size = page.pt(PT["legend"])
    if page.width > page.height:  # side by side
        gap = 0.4
        width = (x1 - x0 - gap) / len(spec.charts)
        for i, chart in enumerate(spec.charts):
            _chart(fig, page, chart, (x0 + i * (width + gap), width), top, bottom, _columns([chart], size, width))
    else:
        columns = _columns(spec.charts, size, x1 - x0)
        bars = [bar for _, chart in spec.charts for bar in chart]
        # The room the bars share: less the charts' titles, and 1.2 bars' room between two charts.
        titles = sum(_title_height(page, title, x1 - x0) for title, _ in spec.charts)
        step = min(_step(page, bars, size, x1 - x0), (top - bottom - titles) / (len(bars) + 1.2 * (len(spec.charts) - 1)))
        for chart in spec.charts:
            top = _chart(fig, page, chart, (x0, x1 - x0), top, bottom, columns, step) - 1.2 * step
    FigureCanvasAgg(fig)
    return fig


def _step(page: Page, bars, size: float, width: float) -> float:
    """The most distance between two bars, in inches, when there is room: a bar and its gap (the bars
    grow up to :data:`_GROW` times as thick where the page has room), or more where a label takes more
    than one line."""
    lines = max(_label(bar, size, width).count("\n") + 1 for bar in bars)
    return max(_GROW * (_BAR + _GAP) * page.font, lines * size * 1.2 + _GAP * page.font) / 72


def _title_height(page: Page, title: str, width: float) -> float:
    """The height a chart's title takes above its bars, in inches (as :func:`_chart` sets it)."""
    size = page.pt(PT["legend_title"])
    return lines_height(wrap(title, size, width, bold=True), size, 1.25) + 0.08 * page.font


def _label(bar: Bar, size: float, width: float) -> str:
    """A bar's label, wrapped to at most 40 % of the chart's ``width``."""
    return wrap(bar.label, size, 0.4 * width)


def _columns(charts, size: float, width: float) -> tuple[float, float]:
    """The widths in inches of the label column and of the figures at the bars' ends of ``charts``."""
    bars = [bar for _, chart in charts for bar in chart]
    label_w = max(text_width(line, size) for bar in bars for line in _label(bar, size, width).split("\n"))
    return label_w + 0.1, max(text_width(bar.text, size) for bar in bars) + 0.1


def _chart(fig: Figure, page: Page, chart: tuple[str, tuple[Bar, ...]], span: tuple[float, float], top: float,
           bottom: float, columns, step: float | None = None) -> float:
    """A bar chart across ``span`` (x and width in inches) from ``top``: its title, then a bar per
    item with its label at the left and its figure at its end, ``step`` inches apart (as much as
    fits above ``bottom`` without one). Returns where it ends."""
    title, bars = chart
    x, width = span
    label_w, value_w = columns
    size = page.pt(PT["legend"])
    below = stack(fig, page, x, top, width, ((title, PT["legend_title"], {"fontweight": "bold",
                                                                          "color": colors.INK}),), gap=0.08)
    step = step or min((below - bottom) / len(bars), _step(page, bars, size, width))
    ax = fig.add_axes(page.rect(x + label_w, below - step * len(bars), width - label_w - value_w, step * len(bars)))
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(len(bars), 0)  # the first bar on top
    ax.barh([i + 0.5 for i in range(len(bars))], [bar.share for bar in bars], height=_BAR / (_BAR + _GAP),
            color=colors.COVERED, edgecolor="none")
    for i, bar in enumerate(bars):
        ax.text(-0.02, i + 0.5, _label(bar, size, width), ha="right", va="center", fontsize=size, color=colors.INK,
                linespacing=1.0, parse_math=False)
        ax.text(bar.share + 0.02, i + 0.5, bar.text, ha="left", va="center", fontsize=size, color=colors.INK,
                parse_math=False)
    return below - step * len(bars)
