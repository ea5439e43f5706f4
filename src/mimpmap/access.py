"""Accessibility, in straight lines: how far each district's women live from the nearest centre, and
how many women per province and per department live farther than a few thresholds.

Straight-line (great-circle) distance only: it leaves out roads, rivers, mountains and travel time, so
it is a floor on how far help is, never the journey. Each district is one point
(``geo/peru_distritos_puntos.csv``, made by ``scripts/build_distritos.py``: the centroid of its 2016
polygon, or a point inside it, or its province's point for the districts without a 2016 polygon), and
all its women are counted at that point. A district with CEMs of its own is measured from their mean
position instead: a CEM sits in a town, most likely the capital, where most of the district's people live,
while the centroid of a large district can lie tens of km from it (Callería, Pucallpa's district: 62 km).
Its women are the census's (:mod:`mimpmap.census`).

Centres (:mod:`mimpmap.centres`) are measured per group (:data:`GROUPS`): the CEM, and every kind of
centre but the shelters (HRT), which are never located. A centre placed on the maps counts at its own
point; one whose point is doubted (astray) or missing counts at its district's point
(:attr:`Access.centres_at_district`), so that no centre the directory lists is left out.

:func:`access` returns plain frozen dataclasses; nothing here prints or draws. The departments are the
department level's map units (:data:`mimpmap.levels.DEPARTMENTS`): Lima Metropolitana is province 1501,
Lima Provincias the rest of department 15, Callao 07.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

import numpy as np

from .availability import CEM, SITE_KINDS
from .centre_places import unit_of
from .errors import DistrictPointsError, UsageError
from .levels import DEPARTMENTS, PERU_POINTS, Level
from .readers.comments import LineProblems, decode
from .text import join_words, plural

if TYPE_CHECKING:  # pragma: no cover
    from .census import Census
    from .centres import Centre, Centres

#: Mean Earth radius, km (as :data:`mimpmap.centre_places.KM_PER_DEGREE`).
EARTH_RADIUS_KM = 6371.0
#: Women farther than each of these (km, straight line) are counted.
THRESHOLDS_KM = (25.0, 50.0, 100.0)
#: Group of centres → the kinds it takes: the CEM alone, and any centre that may be located.
GROUPS: Mapping[str, tuple[str, ...]] = MappingProxyType({CEM: (CEM,), "any": SITE_KINDS})
#: How a district's point was chosen (the ``punto`` column).
POINT_KINDS = ("centroide", "punto_interior", "provincia")
COLUMNS = ("ubigeo", "distrito", "provincia", "lon", "lat", "punto")
MAX_BYTES = 1024 * 1024
#: Most thresholds ``--umbrales`` takes: each is a column of the downloads.
MAX_THRESHOLDS = 6
#: The point of a district measured from its own CEMs (:func:`access`), not from the file.
AT_CEM = "cem"


# --- the district points file ------------------------------------------------------------------


@dataclass(frozen=True)
class DistrictPoint:
    """A district's point: its UBIGEO (6 digits), name, province UBIGEO (4), position and which point."""

    ubigeo: str
    name: str
    province: str
    lon: float
    lat: float
    kind: str


@dataclass(frozen=True)
class Districts:
    """The district points input (``--distritos``) and the distances counted from them (``--umbrales``)."""

    points: tuple[DistrictPoint, ...]
    thresholds: tuple[float, ...] = THRESHOLDS_KM
    path: Path | None = None


def read_districts(path: Path | str, raw: bytes | None = None, thresholds: str | None = None) -> Districts:
    """The ``--distritos`` input: :func:`read_district_points` (from ``raw``, the file's bytes, when
    given) and the thresholds of ``--umbrales`` (:func:`parse_thresholds`)."""
    from .readers.files import DISTRICTS, read_input
    from .readers.kinds import refuse_foreign

    limits = parse_thresholds(thresholds)
    path = Path(path)
    data = read_input(path, MAX_BYTES, DISTRICTS) if raw is None else raw
    refuse_foreign(path, data, DISTRICTS)  # another input's file is named for what it is
    text = decode(data, lambda message: DistrictPointsError(message, str(path)))
    return Districts(parse_district_points(text, path), limits, path)


def parse_thresholds(text: str | None) -> tuple[float, ...]:
    """``"25,50,100"`` → ``(25.0, 50.0, 100.0)``, sorted; ``None`` → :data:`THRESHOLDS_KM`. Raises
    :class:`~mimpmap.errors.UsageError` naming ``--umbrales`` for anything else."""
    if text is None:
        return THRESHOLDS_KM
    values = [_number(part.strip()) for part in text.split(",")] if text.strip() else []
    if not values or any(v is None or v <= 0 for v in values) or len(values) > MAX_THRESHOLDS:
        raise UsageError(f"--umbrales '{text}': escriba de 1 a {MAX_THRESHOLDS} distancias en km, mayores que 0, "
                         "separadas por comas (p. ej. --umbrales 25,50,100)")
    return tuple(sorted(set(values)))


def read_district_points(path: Path | str) -> tuple[DistrictPoint, ...]:
    """Read and validate a district points file. Raises :class:`~mimpmap.errors.DistrictPointsError`
    listing every problem with its line, :class:`~mimpmap.errors.InputFileError` if it cannot be read."""
    return read_districts(path).points


def parse_district_points(text: str, path: Path | str | None = None) -> tuple[DistrictPoint, ...]:
    """Validate the text of a district points file (see :func:`read_district_points`)."""
    check = LineProblems()
    rows = [(n, line) for n, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1)
            if line.strip() and not line.lstrip().startswith("#")]
    points: dict[str, DistrictPoint] = {}
    if not rows or tuple(next(csv.reader([rows[0][1]]))) != COLUMNS:
        check.problem(rows[0][0] if rows else None,
                      f"la cabecera debe ser {','.join(COLUMNS)} (un punto por distrito, como lo escribe "
                      "scripts/build_distritos.py)")
    else:
        for n, line in rows[1:]:
            point = _point(check, n, next(csv.reader([line]), []))
            if point is not None and point.ubigeo in points:
                check.problem(n, f"el ubigeo {point.ubigeo} está repetido; deje una sola fila")
            elif point is not None:
                points[point.ubigeo] = point
    if check.problems:
        raise DistrictPointsError(check.problems, str(path) if path else None)
    return tuple(points.values())


def _point(check: LineProblems, n: int, cells: list[str]) -> DistrictPoint | None:
    if len(cells) != len(COLUMNS):
        check.problem(n, f"tiene {len(cells)} columnas y debe tener {len(COLUMNS)} ({','.join(COLUMNS)})")
        return None
    ubigeo, name, province, lon, lat, kind = (c.strip() for c in cells)
    problems = []
    if not (ubigeo.isascii() and ubigeo.isdigit() and len(ubigeo) == 6):
        problems.append(f"columna 'ubigeo': '{ubigeo}' no es el ubigeo de un distrito; escriba sus 6 cifras")
    elif province != ubigeo[:4]:
        problems.append(f"columna 'provincia': '{province}' no es la provincia del distrito {ubigeo}; "
                        f"escriba {ubigeo[:4]}")
    if kind not in POINT_KINDS:
        problems.append(f"columna 'punto': '{kind}' no es un tipo de punto; escriba {join_words(POINT_KINDS, last='o')}")
    x, y = _number(lon), _number(lat)
    west, south, east, north = PERU_POINTS
    if x is None or y is None or not (west <= x <= east and south <= y <= north):
        problems.append(f"lon {lon}, lat {lat}: no es un punto del Perú; escriba grados decimales WGS84 "
                        f"(lon entre {west} y {east}, lat entre {south} y {north})")
    for problem in problems:
        check.problem(n, problem)
    return None if problems else DistrictPoint(ubigeo, name, province, x, y, kind)


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


# --- distances ---------------------------------------------------------------------------------


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance in km between points (degrees), broadcast as numpy broadcasts."""
    return _km(_haversine(lat1, lon1, lat2, lon2))


def _haversine(lat1, lon1, lat2, lon2) -> np.ndarray:
    """The haversine of the central angle between points: the distance grows with it."""
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(a, dtype=float)) for a in (lat1, lon1, lat2, lon2))
    return np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2


def _km(haversine: np.ndarray) -> np.ndarray:
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(haversine, 0.0, 1.0)))


def nearest_km(lats: Sequence[float], lons: Sequence[float],
               centre_lats: Sequence[float], centre_lons: Sequence[float]) -> np.ndarray:
    """For each point, the distance in km to the nearest centre, the least of its haversine distances to
    every centre; ``inf`` for every point when there is no centre.

    The nearest are found by the cosine of the angle to each centre (a product of unit vectors, no
    trigonometry per pair): the largest cosine, and any within rounding of it, which the haversine alone
    then orders. The result is that of the whole points × centres matrix of haversines, to the last bit."""
    lats, lons = np.asarray(lats, dtype=float), np.asarray(lons, dtype=float)
    centre_lats, centre_lons = np.asarray(centre_lats, dtype=float), np.asarray(centre_lons, dtype=float)
    if len(centre_lats) == 0:
        return np.full(lats.shape, np.inf)
    cosines = _unit_vectors(lats, lons) @ _unit_vectors(centre_lats, centre_lons).T
    rows, cols = np.nonzero(cosines >= cosines.max(axis=1, keepdims=True) - _ROUNDING)
    least = np.full(lats.shape, np.inf)
    np.minimum.at(least, rows, _haversine(lats[rows], lons[rows], centre_lats[cols], centre_lons[cols]))
    return _km(least)  # the nearest has the least haversine: km for it alone


#: Far more than the rounding of a cosine of unit vectors (a few units of 1e-16): every centre whose
#: cosine is within it of the largest is a candidate for the nearest.
_ROUNDING = 1e-12


def _unit_vectors(lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    lat, lon = np.radians(lats), np.radians(lons)
    return np.column_stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))


# --- women beyond each threshold ---------------------------------------------------------------


@dataclass(frozen=True)
class DistrictAccess:
    """A district: its women, which point stands for it, and the km to the nearest centre per group."""

    ubigeo: str
    name: str
    province: str
    women: int
    point: str
    km: Mapping[str, float]


@dataclass(frozen=True)
class AreaAccess:
    """A province, a department map unit or Peru: its women, and per group of centres the women
    farther than each threshold (in :attr:`Access.thresholds` order)."""

    code: str
    name: str
    women: int
    beyond: Mapping[str, tuple[int, ...]]

    def share(self, group: str, index: int) -> float | None:
        """The share (0–1) of the women beyond threshold ``index`` for ``group``; ``None`` if no women."""
        return self.beyond[group][index] / self.women if self.women else None


@dataclass(frozen=True)
class Access:
    """Straight-line access for every district, province, department map unit and the country."""

    thresholds: tuple[float, ...]
    districts: tuple[DistrictAccess, ...]
    provinces: tuple[AreaAccess, ...]
    departments: tuple[AreaAccess, ...]
    national: AreaAccess
    #: Group → how many centres were measured from.
    centres: Mapping[str, int]
    #: Centres counted at their district's point (their own is doubted or missing).
    centres_at_district: int

    @property
    def at_province_point(self) -> tuple[DistrictAccess, ...]:
        """The districts with no polygon of their own, measured from their province's point."""
        return tuple(d for d in self.districts if d.point == "provincia")


def access(points: Iterable[DistrictPoint], centres: "Centres", census: "Census",
           thresholds: Sequence[float] = THRESHOLDS_KM, level: Level = DEPARTMENTS) -> Access:
    """The straight-line access of the census's women to ``centres``, per district, province and
    unit of ``level``. Raises :class:`~mimpmap.errors.DistrictPointsError` when a district of the census
    has no point, or ``thresholds`` is empty or not positive."""
    thresholds = tuple(sorted(float(t) for t in thresholds))
    if not thresholds or thresholds[0] <= 0:
        raise DistrictPointsError(f"umbrales {list(thresholds)}: indique al menos una distancia en km, mayor que 0")
    by_code = {p.ubigeo: p for p in points}
    places = census.level("distrito")
    missing = [d.ubigeo for d in places if d.ubigeo not in by_code]
    if missing or not places:
        raise DistrictPointsError(
            f"{plural(len(missing), 'distrito del censo no tiene', 'distritos del censo no tienen')} punto "
            f"({join_words(missing[:5])}"
            f"{', …' if len(missing) > 5 else ''}); regenere el archivo de puntos con scripts/build_distritos.py"
            if places else "el censo no tiene filas de distrito: la distancia se mide desde cada distrito")
    mine = _measured_from([by_code[d.ubigeo] for d in places], centres)
    positions, relocated = _centre_positions(centres, by_code)
    km = {group: nearest_km([p.lat for p in mine], [p.lon for p in mine], [lat for lat, _ in positions[group]],
                            [lon for _, lon in positions[group]]) for group in GROUPS}
    districts = tuple(DistrictAccess(d.ubigeo, d.nombre, d.ubigeo[:4], d.mujeres, p.kind,
                                     {g: float(km[g][i]) for g in GROUPS})
                      for i, (d, p) in enumerate(zip(places, mine)))
    provinces = _areas(districts, thresholds, lambda d: d.province,
                       {p.ubigeo: p.nombre for p in census.level("provincia")})
    departments = _areas(districts, thresholds, lambda d: unit_of(d.ubigeo, level) or "",
                         {u.iso: u.nombre for u in level.units})
    national = _areas(districts, thresholds, lambda d: "PE", {"PE": "Perú"})[0]
    return Access(thresholds, districts, provinces, departments, national,
                  {g: len(positions[g]) for g in GROUPS}, relocated)


def _measured_from(points: list[DistrictPoint], centres: "Centres") -> list[DistrictPoint]:
    """The points the districts are measured from: where a district has CEMs placed on the map, their
    mean position (:data:`AT_CEM`: a CEM sits in a town, most likely the district's capital, where most
    of its people live); elsewhere the file's point."""
    towns: dict[str, list[tuple[float, float]]] = {}
    for centre in centres.placed:
        if centre.tipo == CEM:
            towns.setdefault(centre.ubigeo, []).append((centre.lon, centre.lat))
    out = []
    for p in points:
        town = towns.get(p.ubigeo)
        out.append(p if town is None else DistrictPoint(p.ubigeo, p.name, p.province, float(np.mean([x for x, _ in town])),
                                                        float(np.mean([y for _, y in town])), AT_CEM))
    return out


def _centre_positions(centres: "Centres", points: Mapping[str, DistrictPoint]
                      ) -> tuple[dict[str, list[tuple[float, float]]], int]:
    """Group → (lat, lon) of its centres, and how many were put at their district's point."""
    placed = {c.line for c in centres.placed}  # a centre's line in its file is its identity
    out: dict[str, list[tuple[float, float]]] = {g: [] for g in GROUPS}
    relocated = 0
    for centre in centres.sites:
        position = _position(centre, centre.line in placed, points)
        if position is None:
            continue
        relocated += centre.line not in placed
        for group, kinds in GROUPS.items():
            if centre.tipo in kinds:
                out[group].append(position)
    return out, relocated


def _position(centre: "Centre", placed: bool, points: Mapping[str, DistrictPoint]) -> tuple[float, float] | None:
    if placed:
        return (centre.lat, centre.lon)
    district = points.get(centre.ubigeo)
    return None if district is None else (district.lat, district.lon)


def _areas(districts: Sequence[DistrictAccess], thresholds: tuple[float, ...], key,
           names: Mapping[str, str]) -> tuple[AreaAccess, ...]:
    """The districts summed per ``key(district)``, in the order of ``names``."""
    women: dict[str, int] = {}
    beyond: dict[str, dict[str, list[int]]] = {}
    for d in districts:
        code = key(d)
        women[code] = women.get(code, 0) + d.women
        counts = beyond.setdefault(code, {g: [0] * len(thresholds) for g in GROUPS})
        for group in GROUPS:
            for i, limit in enumerate(thresholds):
                counts[group][i] += d.women if d.km[group] > limit else 0
    return tuple(AreaAccess(code, name, women[code], {g: tuple(beyond[code][g]) for g in GROUPS})
                 for code, name in names.items() if code in women)
