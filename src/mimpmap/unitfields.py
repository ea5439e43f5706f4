"""Which field of a boundary file names its units: each value resolved as the coverage data's places are,
each column scored by the units it names, the best chosen (and the best layer of a GeoPackage by it).
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import places
from .levels import DEFAULT_LEVEL, Level

if TYPE_CHECKING:
    import geopandas as gpd

#: The key of the shipped file: used without a note when every feature resolves by it.
STANDARD_KEY = "iso_3166_2"
#: Field names that number rows rather than name places: they lose ties to any other field.
_ROW_ID = re.compile(r"^(?:fid|gid|oid|id|objectid|object_id|ogc_fid|orig_fid|rowid|index|cartodb_id)$", re.I)


def resolve_value(value: object, level: Level = DEFAULT_LEVEL) -> tuple[str, ...] | None:
    """The unit codes a field value names, through :func:`places.lookup` like the coverage data.

    Numbers are welcome as numbers (15, 15.0, "15.0"); which runs of digits name a department is
    :func:`places.lookup`'s rule (a department's UBIGEO, or Lima Metropolitana's 1501).
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, numbers.Integral):
        text = str(int(value))
    elif isinstance(value, numbers.Real):
        if math.isnan(value) or not float(value).is_integer():
            return None
        text = str(int(value))
    elif isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"\d+\.0*", text):
            text = text.split(".")[0]
    else:
        return None
    return places.lookup(text, level) if text else None


@dataclass
class Candidate:
    """A column as a key: the units each value names (``None`` where none), how many departments and
    distinct units it names, how many values resolve, and its rank among the columns (highest best)."""

    column: str
    codes: list[tuple[str, ...] | None]
    departments: int
    distinct: int
    resolved: int
    rank: tuple


def standard_key(level: Level) -> str:
    """The field that names the units in the level's own boundary file (``iso_3166_2``, ``ubigeo``)."""
    return level.files.key if level.files is not None else STANDARD_KEY


def score(table, column: str, position: int, level: Level) -> Candidate:
    """How ``column`` of ``table`` (at ``position`` among its columns) names units of ``level``."""
    cache: dict[str, tuple[str, ...] | None] = {}
    codes = []
    textual = 0
    for value in table[column].tolist():
        token = repr(value)
        if token not in cache:
            cache[token] = resolve_value(value, level)
        codes.append(cache[token])
        if cache[token] is not None and isinstance(value, str) and not value.strip()[:1].isdigit():
            textual += 1
    found = [c for c in codes if c is not None]
    departments = len({level.unit(c[0]).departamento for c in found})
    distinct = len(set(found))
    rank = (departments, distinct, len(found), column == standard_key(level), not _ROW_ID.match(str(column)),
            textual * 2 > len(found), -position)
    return Candidate(column, codes, departments, distinct, len(found), rank)


def candidates(gdf: gpd.GeoDataFrame, level: Level) -> list[Candidate]:
    """Every attribute column scored, best first."""
    geometry = gdf.geometry.name
    columns = [c for c in gdf.columns if c != geometry]
    scored = [score(gdf, c, i, level) for i, c in enumerate(columns)]
    return sorted(scored, key=lambda c: c.rank, reverse=True)


def best(gdf: gpd.GeoDataFrame, level: Level) -> Candidate | None:
    """The best column, if any of its values names a unit."""
    ranked = candidates(gdf, level)
    return ranked[0] if ranked and ranked[0].resolved else None


def find_column(gdf: gpd.GeoDataFrame, key: str) -> str | None:
    """The column called ``key`` (exactly, else regardless of case if only one is)."""
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    if key in columns:
        return key
    folded = [c for c in columns if str(c).casefold() == key.casefold()]
    return folded[0] if len(folded) == 1 else None


def layer_rank(table, level: Level, key: str | None) -> tuple:
    """How well a layer's attributes name units: units found, share of features resolved, and
    features per unit (a department layer beats a province layer that also names departments)."""
    if table.empty:
        return (0, 0.0, 0.0)
    columns = [c for c in table.columns if key is None or str(c).casefold() == key.casefold()]
    scored = [score(table, c, i, level) for i, c in enumerate(columns)]
    best = max(scored, key=lambda c: c.rank, default=None)
    if best is None or not best.resolved:
        return (0, 0.0, 0.0)
    n = len(table)
    return (best.departments, best.resolved / n, best.distinct / n)
