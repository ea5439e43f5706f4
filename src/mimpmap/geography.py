"""Boundary files: read one, key each feature to a map unit, check it covers Peru.

:func:`read_boundaries` returns a :class:`Boundaries`: a GeoDataFrame in WGS84 indexed by unit code,
with the columns ``nombre``, ``departamento``, ``ubigeo``, ``members`` (the atomic units a feature
stands for: ``("PE-LMA",)``, or both Lima units where a file does not split Lima) and ``geometry``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd

from . import places
from .errors import GeoError

#: Properties of the shipped file, in order.
GEO_PROPERTIES = ("iso_3166_2", "ubigeo", "nombre", "departamento")


@dataclass
class Boundaries:
    frame: gpd.GeoDataFrame
    path: Path
    key: str
    #: Atomic unit codes (of the 26) that no feature of the file stands for.
    missing: list[str] = field(default_factory=list)
    #: Things worth telling the user (repairs, reprojection, the detected key).
    notes: list[str] = field(default_factory=list)

    @property
    def lima_split(self) -> bool:
        return "PE-LMA" in self.frame.index


def default_geo_path() -> Path:
    """`geo/peru_departamentos.geojson` of the working directory, else the package's copy."""
    local = Path("geo/peru_departamentos.geojson")
    if local.is_file():
        return local
    from importlib.resources import files

    return Path(str(files("mimpmap") / "data" / "peru_departamentos.geojson"))


def _read(path: Path) -> gpd.GeoDataFrame:
    if not path.exists():
        raise GeoError(f"no existe el archivo de límites '{path}'; indique otro con --geo")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several types for unreadable files
        raise GeoError(
            f"'{path}' no se puede leer como archivo de límites ({exc.__class__.__name__}: {exc}); "
            "use GeoJSON, GeoPackage o Shapefile"
        ) from None


def read_boundaries(path: Path | str | None = None, key: str | None = None) -> Boundaries:
    """Read a Peru department boundary file and key each feature to its map unit."""
    path = Path(path) if path is not None else default_geo_path()
    gdf = _read(path)
    if gdf.empty:
        raise GeoError(f"'{path}' no tiene ningún polígono; revise que sea el archivo de departamentos")
    key = key or "iso_3166_2"
    if key not in gdf.columns:
        raise GeoError(f"'{path}' no tiene el campo '{key}'; campos: {', '.join(map(str, gdf.columns))}")
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs("EPSG:4326")
    rows = []
    unresolved = []
    for value, geom in zip(gdf[key], gdf.geometry):
        codes = places.lookup(value) if value is not None else None
        if not codes:
            unresolved.append(str(value))
            continue
        code = codes[0] if len(codes) == 1 else places.LIMA_DEPARTMENT
        unit = places.UNIT_BY_ISO.get(code)
        rows.append({
            "code": code,
            "nombre": unit.nombre if unit else "Lima",
            "departamento": unit.departamento if unit else "Lima",
            "ubigeo": unit.ubigeo if unit else "15",
            "members": codes,
            "geometry": geom,
        })
    if unresolved:
        raise GeoError(
            f"'{path}', campo '{key}': {', '.join(repr(v) for v in unresolved)} no son departamentos del Perú"
        )
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326").set_index("code")
    order = {c: i for i, c in enumerate(places.ALL_CODES)}
    frame = frame.loc[sorted(frame.index, key=lambda c: order.get(c, order["PE-LIM"]))]
    covered = {m for members in frame["members"] for m in members}
    missing = [c for c in places.ALL_CODES if c not in covered]
    return Boundaries(frame=frame, path=path, key=key, missing=missing)
