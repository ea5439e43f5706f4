"""Availability per department: how many centres of each kind a map unit has (the MIMP's directory,
:mod:`mimpmap.centres`), how many women live there (the census, :mod:`mimpmap.census`), women per CEM,
and the provinces without a CEM.

:func:`availability` computes a plain frozen :class:`Availability` from the two inputs and nothing else
(no drawing, no words). The map units are the department level's (:data:`mimpmap.levels.DEPARTMENTS`):
Lima Metropolitana is province 1501, Lima Provincias the rest of department 15, Callao 07. Shelters (HRT)
are only counted, by department; Lima's carry the department's code alone, so they are not split
between its two units (:attr:`Availability.unsplit_shelters`). The words of every view of it are in
:mod:`mimpmap.availview`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping

from .centres import KINDS, SHELTER
from .levels import DEPARTMENTS, Level

if TYPE_CHECKING:  # pragma: no cover
    from .census import Census
    from .centres import Centres

#: The kind that women per centre is counted for.
CEM = "CEM"
#: The kinds of centre counted as places (every kind but the shelters), in :data:`KINDS` order.
SITE_KINDS = tuple(code for code in KINDS if code != SHELTER)


@dataclass(frozen=True)
class UnitAvailability:
    """One map unit: its centres by kind, its shelters, and the women who live there."""

    code: str
    name: str
    #: Kind code → how many centres of it (every kind of :data:`SITE_KINDS`, 0 included).
    centres: Mapping[str, int]
    #: How many shelters (HRT); ``None`` where the directory does not say which unit (Lima's two).
    shelters: int | None
    women: int

    @property
    def women_per_cem(self) -> float | None:
        """Women per CEM; ``None`` where there is no CEM."""
        cems = self.centres.get(CEM, 0)
        return self.women / cems if cems else None


@dataclass(frozen=True)
class ProvinceWithout:
    """A province with no CEM: its UBIGEO, its name (as the census writes it), its map unit and women."""

    ubigeo: str
    name: str
    unit: str
    unit_name: str
    women: int


@dataclass(frozen=True)
class Availability:
    """Availability per map unit, with the national totals and the provinces without a CEM."""

    units: tuple[UnitAvailability, ...]
    provinces_without_cem: tuple[ProvinceWithout, ...]
    #: Department UBIGEO → shelters the directory places only in that department, which the map splits
    #: (``{"15": 3}``: Lima's, neither Lima Metropolitana nor Lima Provincias).
    unsplit_shelters: Mapping[str, int]
    centres_year: int
    centres_source: str
    census_year: int
    census_source: str

    @property
    def total(self) -> UnitAvailability:
        """Peru: every unit's centres, every shelter, every woman."""
        centres = {k: sum(u.centres[k] for u in self.units) for k in SITE_KINDS}
        shelters = sum(u.shelters or 0 for u in self.units) + sum(self.unsplit_shelters.values())
        return UnitAvailability("PE", "Perú", centres, shelters, sum(u.women for u in self.units))

    @property
    def women_without_cem(self) -> int:
        """The women of the provinces without a CEM."""
        return sum(p.women for p in self.provinces_without_cem)


def availability(centres: "Centres", census: "Census", level: Level = DEPARTMENTS) -> Availability:
    """The availability of ``centres`` for the women of ``census``, per unit of ``level``."""
    from .centre_places import unit_of

    counts = Counter((c.unit, c.tipo) for c in centres.sites)
    units = []
    for unit in level.units:
        units.append(UnitAvailability(
            code=unit.iso, name=unit.nombre,
            centres={k: counts[(unit.iso, k)] for k in SITE_KINDS},
            shelters=_shelters(centres, unit.ubigeo, level),
            women=_women(census, unit.ubigeo, level)))
    with_cem = {c.ubigeo[:4] for c in centres.sites if c.tipo == CEM}
    names = {u.iso: u.nombre for u in level.units}
    without = []
    for province in census.level("provincia"):
        if province.ubigeo not in with_cem:
            code = unit_of(province.ubigeo, level) or ""
            without.append(ProvinceWithout(province.ubigeo, province.nombre, code, names.get(code, ""),
                                           province.mujeres))
    split = {u.ubigeo[:2] for u in level.units if len(u.ubigeo) > 2}
    return Availability(
        units=tuple(units), provinces_without_cem=tuple(without),
        unsplit_shelters={d: n for d, n in centres.shelters.items() if d in split},
        centres_year=centres.year, centres_source=centres.source,
        census_year=census.year, census_source=census.source)


def _women(census: "Census", ubigeo: str, level: Level) -> int:
    """The women of the unit of ``ubigeo``: its census row, less the units inside it the level draws apart
    (Lima Provincias is department 15 less province 1501)."""
    inside = [u.ubigeo for u in level.units if u.ubigeo != ubigeo and u.ubigeo.startswith(ubigeo)]
    return census.places[ubigeo].mujeres - sum(census.places[code].mujeres for code in inside)


def _shelters(centres: "Centres", ubigeo: str, level: Level) -> int | None:
    """The shelters of the unit of ``ubigeo``; ``None`` when its department is split between units and the
    directory gives shelters only the department's code."""
    department = ubigeo[:2]
    count = centres.shelters.get(department, 0)
    return None if count and sum(1 for u in level.units if u.ubigeo[:2] == department) > 1 else count
