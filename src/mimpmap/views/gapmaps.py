"""Who is far from help, printed: two maps of the provinces, each ``<key>.png``, ``<key>.svg``, its
caption (``<key>.txt``), its thumbnail and a page of the PDF atlas.

* ``brechas``: the provinces painted by the share of their women farther than the map's threshold (50 km)
  from a CEM, in a straight line; under it, on the atlas's page, the table of the provinces where that
  share is largest and the country's line. It answers the question the figures are for (how many women
  live far from a CEM, and where) and is read without a second key.
* ``brechas-disponibilidad``: women per CEM, each CEM counted in its province; the provinces without a
  CEM grey and hatched, with their own legend entry, never a colour of the scale.

Each is a :class:`~mimpmap.views.brechas.GapMap` (its words, its provinces as painted, the provinces it
may name), which the "brechas" layer of :data:`mimpmap.views.layers.LAYERS` turns into marks (the
provinces' fill and the CEMs' dots); :func:`printed_maps` gives their
:class:`~mimpmap.views.printed.PrintedMap` (the key of their files). The names on a map are the most
important provinces that fit, never overlapping. The words are :mod:`mimpmap.views.brechas`'s.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from ..availability import CEM
from ..centremaps import DIRECTORY
from ..layout import BRECHAS_PAGE
from ..levels import PROVINCES
from ..text import number
from . import printed
from .brechas import CENSUS, NO_CEM_AT_ALL, GapMap, no_cem_lead
from .marks import Header, PrintedUnit
from .report import Caption, sentences
from .words import percent

if TYPE_CHECKING:  # pragma: no cover
    from .atlas import Atlas
    from .brechas import Brechas, Gap, GapLayer
    from .printed import PrintedMap

__all__ = ["FAR", "PER_CEM", "NAMED", "describe", "printed_maps", "caption", "full", "national_line",
           "per_cem_line", "short_source", "table"]

#: The maps' files, without extension.
FAR, PER_CEM = "brechas", "brechas-disponibilidad"
#: The provinces a map may name (the most important first; those that do not fit are left out).
NAMED = 12


def describe(gaps: "Brechas | None") -> tuple[GapMap, ...]:
    """The printed maps of ``gaps`` (an atlas's): the women far from a CEM, then the women per CEM; none
    without the distances."""
    if gaps is None:
        return ()
    layers = {layer.key: layer for layer in gaps.layers}
    at = gaps.map_threshold
    far, per_cem = layers["lejos"], layers["por_cem"]  # the measures (:attr:`Brechas.layers`) each paints
    most = sorted((p for p in gaps.provinces if p.women_per_cem is not None), key=lambda p: (-p.women_per_cem, p.code))
    noun, far_words = PROVINCES.noun, f"a más de {gaps.threshold_words[at]} del {CEM} más cercano"
    return (
        _map(gaps, FAR, far, national_line(gaps), (gaps.straight_line, gaps.leaves_out, gaps.points),
             {p.code: _share(p, at) for p in gaps.provinces}, tuple(p.code for p in gaps.worst(NAMED)),
             f"La proporción de las mujeres de cada {noun.one} que viven {far_words}, en línea recta."),
        _map(gaps, PER_CEM, per_cem, per_cem_line(gaps, per_cem), (gaps.per_cem_note,),
             {p.code: None if p.women_per_cem is None else number(round(p.women_per_cem)) for p in gaps.provinces},
             tuple(p.code for p in most[:NAMED]),
             f"Mujeres por {CEM} en cada {noun.one}, cada {CEM} contado en la suya; las {noun.many} sin {CEM}, "
             "rayadas en gris."),
    )


def _map(gaps: "Brechas", key: str, layer: "GapLayer", subtitle: str, notes: tuple[str, ...],
         figures: dict[str, str | None], labelled: tuple[str, ...], text: str) -> GapMap:
    """A province map of one measure: each province in its fill (hatched without a value), its figure
    under its name."""
    fills, missing = dict(layer.fills), set(layer.missing)
    units = tuple(PrintedUnit(p.code, fills[p.code], p.code in missing, figures[p.code]) for p in gaps.provinces)
    return GapMap(key, Header("", layer.title, ""), subtitle, short_source(gaps), notes, PROVINCES.inset_title,
                  units, layer.printed_legend, labelled, text)


def printed_maps(atlas: "Atlas") -> tuple["PrintedMap", ...]:
    """The printed maps of :func:`describe`, made of the marks of the layers that draw on them."""
    return tuple(printed.describe(spec, atlas) for spec in describe(atlas.brechas))


def _share(gap: "Gap", at: int) -> str | None:
    share = gap.shares[at]
    return None if share is None else percent(share)


def national_line(gaps: "Brechas") -> str:
    """"En el Perú, 1 234 567 (7,1 %) de las 17 292 074 mujeres viven a más de 50 km de un CEM, en línea recta."."""
    national, at = gaps.national, gaps.map_threshold
    far = national.cells[at - len(gaps.thresholds)]  # "1 234 567 (7,1 %)"
    return (no_cem_lead(national) + f"En el Perú, {far} de las {number(national.women)} mujeres viven a más de "
            f"{gaps.threshold_words[at]} de un {CEM}, en línea recta.")


def per_cem_line(gaps: "Brechas", layer: "GapLayer") -> str:
    """"En el Perú, 39 661 mujeres por CEM; 2 de las 196 provincias no tienen CEM (95 100 mujeres)."; a
    directory without a CEM says so instead of "0 mujeres por CEM"."""
    national, noun = gaps.national, PROVINCES.noun
    line = (f"En el Perú, {number(round(national.women_per_cem))} mujeres por {CEM}" if national.cems
            else NO_CEM_AT_ALL)
    missing = set(layer.missing)
    without = [p for p in gaps.provinces if p.code in missing]
    if not without:
        return f"{line}; todas las {noun.many} tienen {CEM}."
    verb = "tiene" if len(without) == 1 else "tienen"
    return (f"{line}; {number(len(without))} de las {number(len(gaps.provinces))} {noun.many} no {verb} {CEM} "
            f"({number(sum(p.women for p in without))} mujeres).")


def short_source(gaps: "Brechas") -> str:
    """The images' source line: each figure's source and year, and where the sources are in full."""
    return (f"Fuentes: mujeres, {CENSUS.format(year=gaps.census_year)}; {CEM}, "
            f"{DIRECTORY.format(year=gaps.centres_year)}. Las fuentes completas, en {BRECHAS_PAGE} y en el atlas PDF.")


def full(atlas: "Atlas", spec: "PrintedMap") -> "PrintedMap":
    """``spec`` with its sources in full (the atlas's page, which has room for them)."""
    return dataclasses.replace(spec, static_source=atlas.brechas.sources)


def caption(atlas: "Atlas", spec: "PrintedMap") -> Caption:
    """The words to paste beside one of the maps in a document: its caption, and an alternative text that
    names the provinces it may name with their figure and says what the colours, hatching and dots are."""
    gaps = atlas.brechas
    by_code = {p.code: p for p in gaps.provinces}
    notes = {u.code: u.note for u in spec.fill.units}
    named = "; ".join(f"{by_code[c].name} ({by_code[c].department}), {notes[c]}" for c in spec.labelled or ())
    hatched = spec.fill.legend.partial
    return Caption(sentences(spec.title, spec.static_subtitle, *spec.static_notes, gaps.sources),
                   sentences(spec.title, spec.static_subtitle, *((f"{spec.fill.legend_title}: {named}",) if named else ()),
                             *((f"Rayado gris: {hatched.label}",) if hatched else ()),
                             *(f"Puntos: {dots.name}" for dots in spec.of(printed.DotsByKind) if dots.points),
                             *spec.static_notes))


def table(gaps: "Brechas") -> tuple[tuple[str, ...], ...]:
    """The atlas's table under the map, the index's: its heading, the provinces with the largest share
    beyond the map's threshold, and Peru's line."""
    return (gaps.index_head, *(gaps.index_cells(g) for g in gaps.worst()), gaps.index_cells(gaps.national))
