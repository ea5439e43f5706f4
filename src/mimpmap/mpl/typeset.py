"""The style of every printed figure, the page sizes they are drawn for, a page's geometry, and text:
its sizes in points, its width as the style's font sets it, wrapping and stacking paragraphs.

Every text is at least 7 pt at the size a figure is placed (:data:`PT`); a slide's are larger.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
from dataclasses import dataclass
from types import MappingProxyType

from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure

#: Matplotlib settings for every static map: a bundled font (the same glyphs on every machine), SVG
#: text kept as text (searchable, editable), constant SVG ids.
STYLE = MappingProxyType({
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
})

# --- sizes ----------------------------------------------------------------------------------

CM = 1 / 2.54  # inches


@dataclass(frozen=True)
class Size:
    """A size preset: the figure in inches (the text width of a report page, part of its height, or a
    slide), and the paper of the PDF atlas drawn at that size."""

    name: str
    width: float
    height: float
    paper: tuple[float, float]
    #: The PDF page's margins (inches): the text area of the paper.
    paper_margin: float
    #: Text sizes are multiplied by this (slides are read from afar).
    font: float = 1.0
    #: Laid out as a slide: the words in a column at the left, the country at full height at the right
    #: (a report's figure has its header and footer across it, whatever its shape). PDF pages are
    #: laid out so when their paper is wider than tall.
    landscape: bool = False
    #: The size of the figures that fill a page (the mosaic, the population charts) where this one
    #: has too little room for them at 7 pt (half a page); ``None``: this one.
    whole: str | None = None

    @property
    def whole_page(self) -> "Size":
        """The size the figures that fill a page are drawn at (see :attr:`whole`)."""
        return SIZES[self.whole] if self.whole else self


_A4 = (21 * CM, 29.7 * CM)

#: The presets of ``size=`` (their Spanish names and what they are for: :data:`mimpmap.formats.SIZE_HELP`):
#: the text area of an A4 page (6.3 inches, 16 cm wide; no taller than its 24.7 cm), half of it (16 × 11 cm,
#: the other half left for a heading and the text), the text area of a landscape A4 page (25.7 cm wide,
#: 16 cm high: a line of heading above it), of a US letter page (1-inch margins: 6.5 × 9 inches) and a 16:9
#: slide (13.33 × 7.5 inches).
SIZES = MappingProxyType({s.name: s for s in (
    Size("a4", 6.3, 23 * CM, paper=_A4, paper_margin=2 * CM),
    Size("a4-media", 6.3, 11 * CM, paper=_A4, paper_margin=2 * CM, landscape=True, whole="a4"),
    Size("a4-horizontal", 25.7 * CM, 16 * CM, paper=_A4[::-1], paper_margin=2 * CM),
    Size("carta", 6.5, 9.0, paper=(8.5, 11.0), paper_margin=0.9),
    Size("diapositiva", 13 + 1 / 3, 7.5, paper=(13 + 1 / 3, 7.5), paper_margin=0.35, font=1.2,
         landscape=True),
)})
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
class Page:
    """A figure's geometry in inches: its size, the margins around what is drawn, and the text scale."""

    width: float
    height: float
    margin: tuple[float, float, float, float] = (0.12, 0.12, 0.12, 0.1)  # left, right, top, bottom
    font: float = 1.0
    landscape: bool = False

    @classmethod
    def figure(cls, size: Size) -> "Page":
        return cls(size.width, size.height, font=size.font, landscape=size.landscape)

    @classmethod
    def paper(cls, size: Size, bottom: float = 0.0) -> "Page":
        m = size.paper_margin
        width, height = size.paper
        return cls(width, height, margin=(m, m, m, m + bottom), font=size.font, landscape=width > height)

    @property
    def inner(self) -> tuple[float, float, float, float]:
        """x0, y0, x1, y1 of the drawn area, in inches from the bottom left."""
        left, right, top, bottom = self.margin
        return left, bottom, self.width - right, self.height - top

    @property
    def column(self) -> float:
        """The width of the words: a slide keeps a column on the left for them (at least this wide:
        the map's renderer widens it to what the country leaves), a report page runs them across."""
        x0, _, x1, _ = self.inner
        return 0.4 * (x1 - x0) if self.landscape else x1 - x0

    def pt(self, size: float) -> float:
        return size * self.font

    def rect(self, x: float, y: float, w: float, h: float) -> tuple[float, float, float, float]:
        """A rectangle in inches as figure fractions."""
        return x / self.width, y / self.height, w / self.width, h / self.height

    def new(self, dpi: float) -> Figure:
        """A blank white figure of the page's size. It has no Agg canvas while it is drawn:
        geopandas asks the canvas to redraw after each layer, and the base canvas ignores that, where
        Agg would render the whole page each time."""
        return Figure(figsize=(self.width, self.height), dpi=dpi, facecolor="white")


#: Text sizes in points at the report size (every one at least 7 pt where the figure is placed).
PT = MappingProxyType({"title": 13, "subtitle": 9, "period": 8.5, "lead": 8.5, "legend": 8, "legend_title": 8.5,
                       "box": 7, "label": 7, "inset_title": 8, "source": 7.5, "note": 7, "projection": 7})


# --- text ---------------------------------------------------------------------------------------


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


def lines_height(text: str, size: float, spacing: float) -> float:
    """The height in inches of ``text``'s lines at ``size`` points and line ``spacing``."""
    return (text.count("\n") + 1) * size * spacing / 72


def stack(fig: Figure, page: Page, x: float, y: float, width: float, items, *, spacing: float = 1.25,
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
        step = lines_height(text, size, spacing) + gap * page.font
        y += step if up else -step
    return y


@contextlib.contextmanager
def measuring(fig: Figure):
    """A renderer to measure ``fig``'s artists in points (the figure at 72 dpi meanwhile). It is not
    the figure's canvas: with an Agg canvas attached, geopandas would redraw the whole figure after
    each layer it plots."""
    dpi = fig.dpi
    fig.set_dpi(72)
    try:
        yield RendererAgg(fig.bbox.width, fig.bbox.height, 72)
    finally:
        fig.set_dpi(dpi)
