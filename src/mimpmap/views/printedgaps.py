"""Who is far from help, printed (``brechas.png``, ``brechas.svg`` and its page of the PDF atlas): the
provinces painted by the share of their women farther than the map's threshold (50 km) from a CEM, in a
straight line, the CEMs as dots, the provinces where that share is largest named (those that fit), and
under the map, on the atlas's page, the table of those provinces with the national line.

One map per image: the share beyond 50 km, not the women per CEM, because it answers the question the
figures are for (how many women live far from a CEM, and where) and is read without a second key: a
province with no CEM is grey on the women-per-CEM map whether its women live next to another province's
CEM or days away from any. The women per CEM are a column of the table, beside the share.

:func:`describe` returns the :class:`~mimpmap.views.printed.PrintedMap` (the key of its files) and
:func:`table` the rows under it (the index's table); the words are :mod:`mimpmap.views.brechas`'s.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from ..availability import CEM
from ..centremaps import DIRECTORY, LOOKS, Swatch
from ..colors import NEUTRAL
from ..layout import BRECHAS_PAGE
from ..levels import PROVINCES
from ..text import number
from .printed import Dot, DotsByKind, Fill, PrintedMap, PrintedUnit
from .report import Caption, sentences
from .brechas import CENSUS
from .words import percent

if TYPE_CHECKING:  # pragma: no cover
    from ..centremaps import CentresView
    from .atlas import Atlas
    from .brechas import Brechas, Gap

__all__ = ["KEY", "LAYER", "NAMED", "describe", "caption", "full", "national_line", "short_source", "table"]

#: The files without extension: brechas.png, brechas.svg.
KEY = "brechas"
#: The layer of :attr:`Brechas.layers` the printed map paints: the share beyond the map's threshold.
LAYER = "lejos"
#: The CEMs' dots: the orange of a regular CEM on the other maps, apart from the provinces' purples.
CEM_DOT = LOOKS[(CEM, "regular")][0]
#: The provinces the map may name (the largest shares first; those that do not fit are left out).
NAMED = 12


def describe(atlas: "Atlas") -> PrintedMap | None:
    """The printed map of ``atlas``'s gaps; ``None`` without them."""
    gaps = atlas.brechas
    if gaps is None:
        return None
    layer = next(g for g in gaps.layers if g.key == LAYER)
    at = gaps.map_threshold
    fills = dict(layer.fills)
    units = tuple(PrintedUnit(p.code, fills.get(p.code, NEUTRAL), False, _share(p, at)) for p in gaps.provinces)
    return PrintedMap(
        key=KEY, title=layer.title, static_subtitle=national_line(gaps), static_period=None,
        # The straight line and what it leaves out; how a district is one point is said on the web page,
        # and the sources in full there, on the atlas's page and in the caption: half a page has no room.
        static_source=short_source(gaps), static_notes=(gaps.straight_line, gaps.leaves_out),
        inset_title=PROVINCES.inset_title,
        layers=((Fill(units, layer.legend, layer.legend.title),),
                *(((_cems(atlas.centres),),) if atlas.centres is not None else ())),
        labelled=tuple(p.code for p in gaps.worst(NAMED)))


def _cems(view: "CentresView") -> DotsByKind:
    """The CEMs placed on the maps, as dots of one colour (the distances count every kind alike; the
    purple of a CEM in a police station would vanish on the darkest provinces); no notes: the map's
    sources name the directory."""
    looks = {color for (kind, _), (color, _) in LOOKS.items() if kind == CEM}
    layer = view.choropleth  # every centre placed on the maps but the shelters, which never are
    return DotsByKind(layer.name, (Swatch(CEM_DOT, CEM),),
                          tuple(Dot(p.lat, p.lon, CEM_DOT) for p in layer.points if p.color in looks), (), "")


def _share(gap: "Gap", at: int) -> str | None:
    share = gap.shares[at]
    return None if share is None else percent(share)


def national_line(gaps: "Brechas") -> str:
    """"En el Perú, 1 234 567 mujeres (7,1 %) viven a más de 50 km de un CEM, en línea recta."."""
    national, at = gaps.national, gaps.map_threshold
    far = national.cells[at - len(gaps.thresholds)]  # "1 234 567 (7,1 %)"
    return (f"En el Perú, {far} de las {number(national.women)} mujeres viven a más de "
            f"{gaps.threshold_words[at]} de un {CEM}, en línea recta.")


def short_source(gaps: "Brechas") -> str:
    """The images' source line: each figure's source and year, and where the sources are in full."""
    return (f"Fuentes: mujeres, {CENSUS.format(year=gaps.census_year)}; {CEM}, "
            f"{DIRECTORY.format(year=gaps.centres_year)}. Las fuentes completas, en {BRECHAS_PAGE} y en el atlas PDF.")


def full(atlas: "Atlas", spec: PrintedMap) -> PrintedMap:
    """``spec`` with its sources in full (the atlas's page, which has room for them)."""
    return dataclasses.replace(spec, static_source=atlas.brechas.sources)


def caption(atlas: "Atlas", spec: PrintedMap) -> Caption:
    """The words to paste beside ``brechas.png`` in a document: its caption, and an alternative text that
    names the provinces with the largest shares and says what the colours and dots are."""
    gaps = atlas.brechas
    at = gaps.map_threshold
    named = "; ".join(f"{g.name} ({g.department}), {_share(g, at)}" for g in gaps.worst(NAMED))
    return Caption(sentences(spec.title, spec.static_subtitle, gaps.straight_line, gaps.sources),
                   sentences(spec.title, spec.static_subtitle, f"{spec.fill.legend_title}: {named}",
                             *(f"Puntos: {dots.name}" for dots in spec.of(DotsByKind)), gaps.leaves_out))


def table(gaps: "Brechas") -> tuple[tuple[str, ...], ...]:
    """The atlas's table under the map, the index's: its heading, the provinces with the largest share
    beyond the map's threshold, and Peru's line."""
    return (gaps.index_head, *(gaps.index_cells(g) for g in gaps.worst()), gaps.index_cells(gaps.national))
