"""Whether a centre is where its ubigeo says: its point against the boundaries (:func:`astray`), and
its name and address against the districts of the file (:func:`misnamed`).

:mod:`mimpmap.centres` reads the file and calls these; a centre is a :class:`~mimpmap.centres.Centre`.
Nothing here reads a file, prints or raises on bad data: it returns what it finds, and the caller
words it as a warning (the centre is kept; an astray one is not placed on a map).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from .levels import DEPARTMENTS, Level, normalize
from .text import number

if TYPE_CHECKING:
    from .centres import Centre

#: How far a point may lie from the unit its ubigeo names before it is doubted, in km. The shipped
#: boundaries (Natural Earth 1:10m, simplified) are coarse: their coast and frontier are off by up to
#: about 1.5 km (Cem Comisaría Playa Rimac, SAR Santa Rosa de Loreto), so a point in no unit (the sea,
#: another country) is doubted past OFFSHORE_KM; their Callao leaves out Ventanilla, whose centres
#: lie 14 and 18 km outside it, inside Lima Metropolitana, so a point in another unit is doubted past
#: ASTRAY_KM. Measured on the 2026 directory: the farthest sound point is Cem Regular Pachacutec at
#: 18.5 km; CEM Grocio Prado's (Cem Comisaría Emilio Roman Saravia Garcia), in the sea, 18.1 km.
OFFSHORE_KM = 5.0
ASTRAY_KM = 20.0
#: Kilometres in a degree of latitude (mean Earth radius 6,371 km).
KM_PER_DEGREE = 6371.0 * math.pi / 180


@dataclass(frozen=True)
class Astray:
    """A point farther than the tolerance from the unit its ubigeo names: ``km`` from it, inside
    ``inside`` (a unit's name) or in no unit (``None``: the sea or another country)."""

    centre: Centre
    km: float
    unit: str
    inside: str | None


def unit_of(ubigeo: str, level: Level = DEPARTMENTS) -> str | None:
    """The unit of ``level`` whose UBIGEO is the longest start of ``ubigeo``: ``150132`` → Lima
    Metropolitana (1501), ``150716`` → Lima Provincias (15), ``070106`` → Callao (07)."""
    best = max((u for u in level.units if ubigeo.startswith(u.ubigeo)), key=lambda u: len(u.ubigeo), default=None)
    return best.iso if best else None


# --- points ----------------------------------------------------------------------------------------


def astray(sites: Iterable[Centre], boundaries) -> list[Astray]:
    """The located centres whose point lies outside the unit of ``boundaries`` their ubigeo names, by
    more than :data:`OFFSHORE_KM` where it falls in no unit and :data:`ASTRAY_KM` where it falls in
    another. A unit the file does not draw is not checked."""
    import shapely

    frame = boundaries.frame
    feature = {member: code for code, members in zip(frame.index, frame["members"]) for member in members}
    shapes = dict(zip(frame.index, frame.geometry.array))
    names = dict(zip(frame.index, frame["nombre"]))
    out = []
    for centre in sites:
        code = feature.get(unit_of(centre.ubigeo, boundaries.level))
        if not centre.located or code is None or shapely.intersects_xy(shapes[code], centre.lon, centre.lat):
            continue
        km = _km(shapes[code], centre.lon, centre.lat)
        inside = next((names[k] for k, g in shapes.items() if shapely.intersects_xy(g, centre.lon, centre.lat)), None)
        if km > (ASTRAY_KM if inside else OFFSHORE_KM):
            out.append(Astray(centre, km, names[code], inside))
    return out


def _km(shape, lon: float, lat: float) -> float:
    """The distance in km from a point to a shape, on a plane true to scale around the point."""
    import shapely

    scale = math.cos(math.radians(lat))
    local = shapely.transform(shape, lambda xy: xy * (scale, 1.0))
    return shapely.distance(local, shapely.Point(lon * scale, lat)) * KM_PER_DEGREE


def astray_words(doubt: Astray) -> str:
    """The warning about an astray centre, naming it, where it is and how far."""
    c = doubt.centre
    where = f"dentro de {doubt.inside}" if doubt.inside else "en el mar o fuera del Perú"
    places = ", ".join(p for p in (c.distrito, c.provincia) if p) or c.ubigeo
    return (f"{c.label()} ({places}): su punto (lat {c.lat}, lon {c.lon}) queda a {number(round(doubt.km))} km de "
            f"{doubt.unit}, {where}; no se dibuja en los mapas hasta que se corrijan lat y lon")


# --- names -----------------------------------------------------------------------------------------


#: What a name says before its place: "Cem Regular Bagua", "C.A.I. Lima", "SAU Puno".
_KIND_WORDS = re.compile(r"^(?:cem(?: regular)?|c a i|sau|sar)\s+")


def misnamed(sites: Iterable[Centre]) -> list[tuple[int, str]]:
    """(line, warning) for each centre whose name or address names another district than its ubigeo.

    Best effort, with the file's own districts as the gazetteer (the project ships no list of Peru's
    1,892 districts): a centre named after its place (a CEM regular, SAR, SAU or CAI, not a CEM in a
    police station or health centre, which carry the station's name) whose place is neither its
    district, province nor department, but is the district or province of other rows of its
    department ("Cem Regular Huamachuco" coded Chugay); and an address part after " - " or "," that
    is another district of the file and none of the row's places (Tapo's "… - Huancano.").
    """
    sites = list(sites)
    districts: dict[str, dict[str, str]] = {}
    for c in sites:
        districts.setdefault(normalize(c.distrito), {}).setdefault(c.ubigeo, c.distrito)
        districts.setdefault(normalize(c.provincia), {}).setdefault(c.ubigeo[:4], c.provincia)
    out = []
    for c in sites:
        own = {normalize(x) for x in (c.distrito, c.provincia, c.departamento) if x}
        place = _KIND_WORDS.sub("", normalize(c.nombre.split(" - ")[0]))
        others = {} if not _named_after_place(c) or _matches(place, own) else districts.get(place, {})
        other = next((code for code in sorted(others) if code[:2] == c.ubigeo[:2] and not c.ubigeo.startswith(code)),
                     None)
        if other is not None:
            out.append((c.line, f"{c.label()} lleva el nombre de {others[other]} ({other}), pero su ubigeo es "
                                f"{c.ubigeo} ({c.distrito or 'otro distrito'}); compruebe el ubigeo o el nombre"))
        for part in re.split(r"\s+[-–]\s+|,", c.direccion)[1:]:
            part = normalize(part)
            others = {} if not part or _matches(part, own) else districts.get(part, {})
            other = next((code for code in sorted(others) if len(code) == 6 and code != c.ubigeo), None)
            if other is not None:
                out.append((c.line, f"la dirección de {c.label()} nombra {others[other]}, el distrito {other}, pero "
                                    f"su ubigeo es {c.ubigeo} ({c.distrito or 'otro distrito'}); compruebe la "
                                    "dirección o el ubigeo"))
    return out


def _named_after_place(centre: Centre) -> bool:
    """A CEM regular, SAR, SAU or CAI bears its place's name; a CEM in a police station or a health
    centre bears the station's ("Cem Comisaría San Miguel" is in San Clemente, Pisco)."""
    return centre.subtipo == "regular" if centre.tipo == "CEM" else True


def _matches(place: str, own: set[str]) -> bool:
    """Whether a place's words are one of ``own`` names, or hold one or are held in one, word for word
    (all are :func:`normalize`'d: words and single spaces, so a space on each side marks the words' ends)."""
    return any(f" {a} " in f" {b} " for o in own for a, b in ((o, place), (place, o)) if a)
