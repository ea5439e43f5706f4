"""mimpmap: mapas de cobertura de los servicios del MIMP por departamento del Perú.

    >>> import mimpmap
    >>> cov = mimpmap.load()            # data/coverage.yaml joined to the Peru departments
    >>> cov.choropleth()                # folium.Map, shown inline in Jupyter
    >>> cov.service_map("cai")
    >>> cov.static_map()                # matplotlib Figure for reports
    >>> cov.table()                     # pandas DataFrame, units x services
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import (
    AmbiguousPlaceError,
    DataError,
    GeoError,
    InputErrors,
    InputFileError,
    MimpmapError,
    OutputError,
    UnknownPlaceError,
    UnknownServiceError,
)

if TYPE_CHECKING:
    from .notebook import Coverage

try:
    __version__ = version("mimpmap")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0+unknown"

__all__ = [
    "load",
    "Coverage",
    "MimpmapError",
    "DataError",
    "GeoError",
    "InputErrors",
    "InputFileError",
    "UnknownPlaceError",
    "AmbiguousPlaceError",
    "UnknownServiceError",
    "OutputError",
    "__version__",
]


def load(data: str | Path | None = None, geo: str | Path | None = None, geo_key: str | None = None,
         population: str | Path | None = None, geo_layer: str | None = None,
         centres: str | Path | None = None, census: str | Path | None = None,
         districts: str | Path | None = None, thresholds: str | None = None,
         provinces: str | Path | None = None, provinces_key: str | None = None,
         provinces_layer: str | None = None) -> Coverage:
    """Read the coverage file, the boundary file, the population figures and the centres, and join them.

    ``data`` defaults to ``data/coverage.yaml`` (or the copy shipped with the package), ``geo`` to
    ``geo/peru_departamentos.geojson``, ``population`` to ``data/population.csv``; ``geo_key`` and
    ``geo_layer`` choose the field and the layer of the boundary file (detected when not given);
    ``centres`` defaults to ``data/centros.csv`` (the MIMP's directory of centres, shelters only counted),
    ``census`` to ``data/censo_2025.csv`` (INEI, Census 2025: women and men by department and province),
    ``districts`` to ``geo/peru_distritos_puntos.csv`` (a point per district, for straight-line distances),
    ``thresholds`` to ``"25,50,100"`` (the km beyond which women are counted), ``provinces`` to
    ``geo/peru_provincias.geojson`` (the provinces a service reaches in part and the gap maps draw), read
    with ``provinces_key`` and ``provinces_layer`` as ``geo`` with its own.
    Every file is read whatever happens to the others; bad input raises :class:`DataError` or
    :class:`GeoError`, or :class:`InputErrors` with each file's error when several are bad.
    """
    from .notebook import load as _load

    return _load(data, geo, geo_key, population, geo_layer, centres, census=census, districts=districts,
                 thresholds=thresholds, provinces=provinces, provinces_key=provinces_key,
                 provinces_layer=provinces_layer)


def __getattr__(name: str):
    # `import mimpmap` stays light (the command's help answers at once); geopandas, folium and
    # pydantic load with the first thing that needs them.
    if name == "Coverage":
        from .notebook import Coverage

        return Coverage
    raise AttributeError(f"module 'mimpmap' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), "Coverage"})
