"""Boundary geometry made ready for web pages: light geometry put on a grid, heavy geometry simplified
as one coverage (shared borders simplified once, so neighbours stay edge to edge).

:mod:`mimpmap.geography` calls :func:`web_ready` on the units of a boundary file it has read and checked.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely

#: Above this many vertices in total, the geometry is simplified for the web.
VERTEX_BUDGET = 20_000
#: What simplification aims at: about 150 KB of GeoJSON, like the shipped file (5,730 vertices).
TARGET_VERTICES = 7_000
#: The grid coordinates are rounded to, in degrees (1e-4° ≈ 11 m; 4 decimals in the JSON).
GRID = 1e-4
#: First ``coverage_simplify`` tolerance, in degrees (the shipped file's); raised until the target.
SIMPLIFY_TOLERANCE = 0.008
MAX_TOLERANCE = 0.2
#: Gaps narrower than this (degrees) between neighbours are closed when a coverage is cleaned.
GAP_WIDTH = 1e-3


class Warning_(str):
    """A note that is a warning: something in the file was changed or left out."""


def web_ready(geoms: Sequence, notes: list[str]) -> np.ndarray:
    """Light geometry stays as it is (the shipped file); heavy geometry is simplified as a coverage."""
    geoms = np.asarray(geoms, dtype=object)
    vertices = int(shapely.get_num_coordinates(geoms).sum())
    if vertices > VERTEX_BUDGET:
        out, message = simplify_coverage(geoms)
        notes.append(message)
        return out
    if not on_grid(geoms):
        return to_grid(geoms)
    return geoms


def on_grid(geoms: np.ndarray) -> bool:
    scaled = shapely.get_coordinates(geoms) / GRID
    return bool(np.abs(scaled - np.round(scaled)).max(initial=0) < 1e-6)


def to_grid(geoms: np.ndarray) -> np.ndarray:
    """Coordinates on the grid; a polygon that rounding would break is snapped properly instead."""
    out = shapely.set_precision(geoms, GRID, mode="pointwise")
    bad = ~shapely.is_valid(out)
    if bad.any():
        out[bad] = shapely.set_precision(geoms[bad], GRID)
    return out


def as_coverage(geoms: Sequence) -> tuple[np.ndarray, str]:
    """The polygons as a valid coverage, if that is within reach.

    First snapped to the :data:`GRID` (which also merges near-identical vertices of neighbours);
    if neighbours still overlap or their shared edges still differ, cleaned with
    ``shapely.coverage_clean``. Returns the polygons and how it went: ``"snapped"``, ``"cleaned"``,
    or ``"invalid"`` (the snapped polygons, when cleaning did not give a valid coverage either).
    """
    snapped = to_grid(np.asarray(geoms, dtype=object))
    if shapely.coverage_is_valid(snapped):
        return snapped, "snapped"
    clean = getattr(shapely, "coverage_clean", None)  # shapely 2.2 with GEOS 3.14 (Python 3.11+)
    try:
        cleaned = clean(snapped, gap_width=GAP_WIDTH, snapping_distance=GRID) if clean else None
    except shapely.errors.GEOSException:  # pragma: no cover - GEOS gives up on some inputs
        cleaned = None
    if cleaned is not None and not shapely.is_empty(cleaned).any() and shapely.coverage_is_valid(cleaned):
        return cleaned, "cleaned"
    return snapped, "invalid"


def simplify_coverage(geoms: Sequence, target: int = TARGET_VERTICES) -> tuple[np.ndarray, str]:
    """Simplify all units together (``shapely.coverage_simplify``) to about ``target`` vertices.

    Shared borders are simplified once, so neighbours stay edge to edge: no gaps, no overlaps.
    Coordinates end on the :data:`GRID`. Returns the geometries and a Spanish note.
    """
    geoms = np.asarray(geoms, dtype=object)
    before = int(shapely.get_num_coordinates(geoms).sum())
    coverage, how = as_coverage(geoms)
    tolerance = SIMPLIFY_TOLERANCE
    out = shapely.coverage_simplify(coverage, tolerance)
    while shapely.get_num_coordinates(out).sum() > target and tolerance < MAX_TOLERANCE:
        tolerance *= 1.5
        out = shapely.coverage_simplify(out, tolerance)
    out = to_grid(out)
    after = int(shapely.get_num_coordinates(out).sum())
    note = (f"Geometría simplificada para la web como una sola cobertura: {before} → {after} vértices "
            f"(tolerancia {tolerance:.3g}°)".replace(".", ","))
    if how == "cleaned":
        note += "; antes se corrigieron superposiciones y separaciones entre vecinos"
    if how == "invalid" or not shapely.coverage_is_valid(out):
        note += ("; los límites del archivo no coinciden exactamente entre vecinos, así que pueden "
                 "quedar pequeñas separaciones o superposiciones")
        note = Warning_(note)
    return out, note
