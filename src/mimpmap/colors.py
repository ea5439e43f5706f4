"""The colours of every map: choropleth classes, covered/not covered, partial, borders.

This is the one place that defines them, so the HTML pages and the static PNG/SVG maps match.

The choropleth counts services per unit. Counts are small integers, so the classes are integer
ranges (:class:`CountClass`): each distinct count is its own class while there are at most
:data:`MAX_CLASSES` of them, otherwise equal-width integer bins from the smallest count to the largest.
A count of 0 is not a class: those units are painted :data:`NEUTRAL`, like the units a service map
leaves out.

Palette: ColorBrewer *YlGnBu* (through branca), using the scheme designed for exactly ``k`` classes
(``YlGnBu_03`` ... ``YlGnBu_07``) rather than ``k`` samples of one ramp. It is sequential, multi-hue (the
hue change separates neighbouring classes better than the single-hue PuBu/Blues), rated colour-blind
safe and print friendly by ColorBrewer, and its cream-to-navy lightness ramp survives grey-scale
printing. Its cream end stays distinct from the grey of :data:`NEUTRAL`.

All functions are pure and deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable
from math import ceil
from typing import NamedTuple

from branca.colormap import linear

#: Units that a service does not reach, and units with no service in the choropleth.
NEUTRAL = "#dcdcdc"
#: Units a service reaches (service maps). The darker blue of YlGnBu: same family as the choropleth.
COVERED = "#2c7fb8"
#: A unit a service reaches only in part ("solo Lima Metropolitana" when a file does not split Lima):
#: a pale fill of the covered blue, with diagonal hatching in :data:`PARTIAL_LINE`.
PARTIAL_FILL = "#c6dbef"
PARTIAL_LINE = COVERED
#: Matplotlib hatch pattern for partial units (the HTML draws the same diagonal lines as an SVG pattern).
PARTIAL_HATCH = "////"
#: Unit outlines.
BORDER = "#5f5f5f"
#: Text drawn on a light fill, and on a dark fill.
INK = "#1a1a1a"
INK_ON_DARK = "#ffffff"

#: Most classes a choropleth uses: more than 7 shades of one ramp are hard to tell apart on a map.
MAX_CLASSES = 7
PALETTE = "YlGnBu"
#: The maps of who is far from help (:mod:`mimpmap.views.brechas`): women per CEM in the choropleth's
#: scheme; the share of women far from a CEM in ColorBrewer's RdPu, sequential and colour-blind safe, so
#: the two layers are not read for each other.
PER_CEM_PALETTE, DISTANCE_PALETTE = PALETTE, "RdPu"


class CountClass(NamedTuple):
    """An inclusive range of service counts, ``lo`` to ``hi``."""

    lo: int
    hi: int

    @property
    def label(self) -> str:
        """"3" or "3–4" (en dash), for legends."""
        return str(self.lo) if self.lo == self.hi else f"{self.lo}–{self.hi}"


def count_classes(counts: Iterable[int] | int) -> list[CountClass]:
    """The classes for these per-unit counts (zeros are left out: they are :data:`NEUTRAL`).

    ``counts`` is every unit's count (e.g. ``cov.counts``); a single int ``n`` stands for "any count
    from 1 to n". Each distinct positive count is its own class if there are at most
    :data:`MAX_CLASSES`; otherwise the range from the smallest to the largest is cut into
    :data:`MAX_CLASSES` or fewer integer bins of equal width. No positive counts: no classes.

    >>> count_classes([0, 10, 10, 11, 18])
    [CountClass(lo=10, hi=10), CountClass(lo=11, hi=11), CountClass(lo=18, hi=18)]
    >>> [c.label for c in count_classes(20)]
    ['1–3', '4–6', '7–9', '10–12', '13–15', '16–18', '19–20']
    """
    if isinstance(counts, int) or hasattr(counts, "__index__"):
        values = list(range(1, int(counts) + 1))
    else:
        values = [int(c) for c in counts]
    if any(v < 0 for v in values):
        raise ValueError(f"un conteo de servicios no puede ser negativo: {min(values)}")
    distinct = sorted({v for v in values if v > 0})
    if len(distinct) <= MAX_CLASSES:
        return [CountClass(v, v) for v in distinct]
    lo, hi = distinct[0], distinct[-1]
    width = ceil((hi - lo + 1) / MAX_CLASSES)
    return [CountClass(a, min(a + width - 1, hi)) for a in range(lo, hi + 1, width)]


def class_colors(classes: list[CountClass] | int) -> list[str]:
    """One ``#rrggbb`` per class, light to dark: the ColorBrewer YlGnBu scheme for that many classes.

    Fewer than 3 classes take the darker colours of the 3-class scheme, so a lone class is not
    near-white.
    """
    k = classes if isinstance(classes, int) else len(classes)
    if k <= 0:
        return []
    if k > 9:
        raise ValueError(f"{k} clases son demasiadas; YlGnBu tiene como máximo 9 colores")
    scheme = getattr(linear, f"{PALETTE}_{max(k, 3):02d}")
    colors = [_hex(c) for c in scheme.colors]
    return colors[-k:] if k < 3 else colors


def ramp(palette: str, k: int) -> list[str]:
    """``k`` colours (3 to 9), light to dark, of the ColorBrewer scheme ``palette`` made for ``k`` classes."""
    return [_hex(c) for c in getattr(linear, f"{palette}_{k:02d}").colors]


def color_for_count(count: int, classes: list[CountClass]) -> str:
    """The ``#rrggbb`` of a count: :data:`NEUTRAL` for 0, else its class colour.

    Raises ``ValueError`` for a count that falls in no class (classes come from the same counts).
    """
    count = int(count)
    if count == 0:
        return NEUTRAL
    for (lo, hi), color in zip(classes, class_colors(classes)):
        if lo <= count <= hi:
            return color
    raise ValueError(f"el conteo {count} no está en ninguna clase ({', '.join(c.label for c in classes)})")


def text_color(fill: str) -> str:
    """:data:`INK` or :data:`INK_ON_DARK`, whichever reads better on ``fill`` (``#rrggbb``)."""
    r, g, b = (int(fill[i:i + 2], 16) / 255 for i in (1, 3, 5))
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    luminance = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return INK if luminance > 0.2 else INK_ON_DARK


def _hex(rgba: tuple[float, ...]) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgba[:3])
