"""The join: which services reach which map unit.

A service reaches a map unit *fully* when it covers every atomic unit the feature stands for, and
*partially* when it covers some: with a boundary file that does not split Lima, a service of Lima
Metropolitana alone reaches the Lima department partially ("solo Lima Metropolitana"); a service whose
coverage names some provinces of a department ("Cusco/Urubamba") reaches it partially ("solo Urubamba").
A unit reached in part counts among the units a service reaches (the choropleth's count), and is
marked in part (:attr:`Coverage.partial_counts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .access import Districts
from .census import Census
from .centres import Centres
from .geography import Boundaries, provinces_or_default
from .levels import DEPARTMENT_COLUMN
from .model import CoverageData, Program, Service
from .population import Population, Reach

FULL, PARTIAL, NONE = "total", "parcial", "ninguna"


@dataclass
class Coverage:
    """Coverage data joined to a geography. :func:`mimpmap.load` returns it with the notebook's
    drawing methods (:class:`mimpmap.notebook.Coverage`); the maps are described from it in
    :mod:`mimpmap.views`."""

    data: CoverageData
    boundaries: Boundaries
    #: People per unit (the census), for the population each service reaches; ``None``: not known.
    population: Population | None = None
    #: Where the centres are (the MIMP's directory), checked against the boundaries; ``None``: not given.
    centres: Centres | None = None
    #: Women and men by department, province and district (INEI, Census 2025); ``None``: not given.
    census: Census | None = None
    #: A point per district and the distances counted from them (straight line); ``None``: not given.
    districts: Districts | None = None
    #: The boundaries of the level that divides the map's (the provinces, ``--provincias``), read with the
    #: other inputs; ``None``: not read with them (a coverage joined by hand), the level's default file.
    provinces: Boundaries | None = None

    # --- the join -------------------------------------------------------------------------------

    @property
    def units(self) -> gpd.GeoDataFrame:
        return self.boundaries.frame

    @property
    def services(self) -> list[Service]:
        return self.data.services

    @property
    def programs(self) -> list[Program]:
        return self.data.programs

    def service(self, service_id: str) -> Service:
        return self.data.service(service_id)

    @cached_property
    def status(self) -> pd.DataFrame:
        """Map units × services: FULL, PARTIAL or NONE."""
        columns = {}
        for service in self.services:
            covered = set(self.data.codes[service.id])
            in_part = self.data.parts.get(service.id, {})
            col = []
            for members in self.units["members"]:
                hit = covered.intersection(members)
                col.append(FULL if len(hit) == len(members) and not in_part.keys() & hit else PARTIAL if hit else NONE)
            columns[service.id] = col
        return pd.DataFrame(columns, index=self.units.index, dtype="object")

    @cached_property
    def counts(self) -> pd.Series:
        """How many services reach each map unit (fully or partially)."""
        return (self.status != NONE).sum(axis=1).astype(int).rename("servicios")

    @cached_property
    def partial_counts(self) -> pd.Series:
        return (self.status == PARTIAL).sum(axis=1).astype(int).rename("parciales")

    @property
    def has_partial(self) -> bool:
        return bool((self.status == PARTIAL).to_numpy().any())

    def services_at(self, code: str) -> list[tuple[Service, str]]:
        """The services that reach one map unit, with FULL or PARTIAL, in file order."""
        row = self.status.loc[code]
        return [(s, row[s.id]) for s in self.services if row[s.id] != NONE]

    def unreached(self, service_id: str) -> list[str]:
        """Atomic units a service covers that the boundary file lacks."""
        return [c for c in self.data.codes[service_id] if c in self.boundaries.missing]

    def reach(self, service_id: str) -> Reach | None:
        """How many people live in the units a service works in (from the data's units, whatever the
        boundary file merges), and in the rest of Peru; ``None`` without population figures. A unit
        reached only in part (some of its provinces) is not counted: the population is by unit."""
        if self.population is None:
            return None
        return self.population.reach(self.data.full_codes(service_id))

    @cached_property
    def province_boundaries(self) -> Boundaries:
        """The provinces' boundaries: those read with the other inputs, else the level's default file."""
        return provinces_or_default(self.provinces)

    @cached_property
    def part_outlines(self) -> dict[str, str]:
        """Province code → its outline (GeoJSON geometry, simplified for the web) for the provinces the
        services reach in departments they reach in part, from :attr:`province_boundaries` (a province the
        file lacks has none)."""
        wanted = {c for parts in self.data.parts.values() for codes in parts.values() for c in codes}
        if not wanted:
            return {}
        frame = self.province_boundaries.frame
        rounded = (lambda xy: np.round(xy, 4))  # about 10 m: finer than a page or a print shows
        return {c: shapely.to_geojson(shapely.transform(frame.loc[c, "geometry"], rounded))
                for c in sorted(wanted) if c in frame.index}

    def unit_population(self) -> pd.Series | None:
        """People per map unit (a merged unit adds up its members), or ``None``."""
        if self.population is None:
            return None
        return pd.Series([self.population.of(m) for m in self.units["members"]], index=self.units.index,
                         dtype="int64", name="poblacion")

    def table(self) -> pd.DataFrame:
        """Units × services (True where the service reaches the unit), with name, count and population."""
        reach = (self.status != NONE)
        reach.columns = [s.id for s in self.services]
        out = pd.concat([self.units[["nombre", DEPARTMENT_COLUMN, "ubigeo"]], reach], axis=1)
        out["servicios"] = self.counts
        people = self.unit_population()
        if people is not None:
            out["poblacion"] = people
        out.index.name = "codigo"
        return out
