"""The boundaries as the printed maps draw them: projected, with a label point per unit and the window
of the inset, prepared once per build in its :class:`~mimpmap.session.Session`.

Projection: UTM zone 18S on WGS 84 (EPSG:32718). Its central meridian (75° W) runs through the middle
of Peru, whose extent (81.3° W to 68.7° W) stays within about 6.5° of it, so scale error is under 0.7 %
and the projection is conformal: departments keep their shapes. Plain longitude/latitude with an
aspect correction is only right at one latitude, and Peru spans 18°. The input is already WGS 84, so no
datum shift is involved (the official Perú96 / UTM 18S differs by less than a metre).

Everything projected is projected while the build plans, before it forks its workers, which then use
no PROJ database (an SQLite file) opened by another process.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

import geopandas as gpd
import numpy as np
from matplotlib.path import Path as MplPath
import shapely
from shapely import box
from shapely.ops import polylabel

if TYPE_CHECKING:  # pragma: no cover
    from ..geography import Boundaries
    from ..session import Session

#: The drawing CRS: UTM zone 18S, WGS 84 (see the module docstring).
CRS = "EPSG:32718"

# Units too small at country scale are drawn in the inset and labelled there: the level's ``inset``
# (Lima Metropolitana and Callao for the departments), centred on its ``inset_centre`` when a file
# merges them away.
_INSET_MIN_SIZE = 70_000  # metres: the inset shows at least this much ground
_INSET_PAD = 0.12

Points = tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Geometry:
    units: gpd.GeoDataFrame  # projected to CRS, same index as the boundaries' frame
    label_points: dict[str, tuple[float, float]]
    extent: tuple[float, float, float, float]  # x0, y0, x1, y1 of the country
    inset: tuple[float, float, float, float]  # the inset window, square
    inset_codes: tuple[str, ...]  # the units drawn and labelled in it

    @classmethod
    def of(cls, units: gpd.GeoDataFrame, inset_codes: tuple[str, ...] = (),
           centre: tuple[float, float] | None = None) -> "Geometry":
        projected = units[["nombre", "geometry"]].to_crs(CRS)
        window = _inset_window(projected, inset_codes, centre)
        # Labels of units the inset window overlaps (Lima Provincias) go on the part outside it.
        keep_clear = box(*window).buffer(0.25 * (window[2] - window[0]))
        points = {}
        for code, geom in zip(projected.index, projected.geometry):
            if code not in inset_codes and geom.intersects(keep_clear):
                rest = geom.difference(keep_clear)
                geom = rest if rest.area > 0.3 * geom.area else geom
            points[code] = _label_point(geom)
        x0, y0, x1, y1 = projected.total_bounds
        return cls(projected, points, (x0, y0, x1, y1), window, tuple(c for c in inset_codes if c in points))

    @functools.cached_property
    def paths(self) -> list:
        """Each unit as a matplotlib path (its normalized rings, as geopandas plots it)."""
        return [unit_path(geom) for geom in self.units.geometry.normalize()]

    @functools.cached_property
    def axis_labels(self) -> tuple[str, str]:
        """The axis labels geopandas gives a plot in CRS ("Easting [metre]"; hidden on these maps)."""
        axes = self.units.crs.axis_info
        x, y = (f"{a.name} [{a.unit_name}]" for a in axes[:2])
        return (y, x) if axes[0].direction == "north" else (x, y)


def prepared(session: "Session", boundaries: "Boundaries") -> Geometry:
    """The print geometry of ``boundaries``, made once in ``session``."""
    level = boundaries.level
    return session.once(boundaries, "print geometry",
                        lambda: Geometry.of(boundaries.frame, level.inset, level.inset_centre))


def unit_path(geom) -> MplPath:
    """A (multi)polygon as one compound path of its rings, as geopandas makes it."""
    rings = []
    for part in getattr(geom, "geoms", [geom]):
        rings.append(MplPath(np.asarray(part.exterior.coords)[:, :2], closed=True))
        rings.extend(MplPath(np.asarray(ring.coords)[:, :2], closed=True) for ring in part.interiors)
    return MplPath.make_compound_path(*rings)


def outline_paths(outlines: Iterable[str]) -> list:
    """Polygons given as GeoJSON geometries (WGS84) as paths in the drawing CRS."""
    shapes = gpd.GeoSeries(shapely.from_geojson(list(outlines)), crs="EPSG:4326").to_crs(CRS)
    return [unit_path(geom) for geom in shapes.normalize()]


def project(points: Points):
    """Points' (latitude, longitude) in the drawing CRS: x and y (empty for no points: a centres file
    without a CEM still draws the maps of the provinces, with no dots)."""
    lat, lon = zip(*points) if points else ((), ())
    projected = gpd.GeoSeries.from_xy(lon, lat, crs="EPSG:4326").to_crs(CRS)
    return projected.x, projected.y


def projected_points(session: "Session", owner: object, groups: Iterable[Points]) -> dict:
    """Each group of points of ``owner`` (an atlas's services' centres) projected, made once in
    ``session``: {points: (x, y)}."""
    return session.once(owner, "projected points", lambda: {p: project(p) for p in dict.fromkeys(groups) if p})


def _label_point(geom) -> tuple[float, float]:
    """The pole of inaccessibility of the largest part: a label spot well inside the shape."""
    part = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
    point = polylabel(part, tolerance=max(part.length / 2000, 10.0))
    return (round(point.x, 1), round(point.y, 1))


def _inset_window(projected: gpd.GeoDataFrame, inset_codes: tuple[str, ...],
                  centre: tuple[float, float] | None) -> tuple[float, float, float, float]:
    """A square around the inset units (Lima Metropolitana and Callao), and around the level's inset
    centre (central Lima) when the file merges the first of them away."""
    shapes = list(projected.geometry[projected.index.isin(inset_codes)])
    if centre is not None and (not inset_codes or inset_codes[0] not in projected.index):
        point = gpd.GeoSeries.from_xy([centre[0]], [centre[1]], crs="EPSG:4326").to_crs(CRS)
        shapes.append(point.iloc[0].buffer(_INSET_MIN_SIZE / 3))
    x0, y0, x1, y1 = gpd.GeoSeries(shapes).total_bounds
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half = max(x1 - x0, y1 - y0, _INSET_MIN_SIZE) * (1 + 2 * _INSET_PAD) / 2
    return (cx - half, cy - half, cx + half, cy + half)
