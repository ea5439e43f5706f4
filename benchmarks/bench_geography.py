"""Benchmark: reading boundary files, the shipped one and a large official-style one.

Run by hand from the repository root::

    python benchmarks/bench_geography.py [--vertices 300000] [--keep DIR]

It prints:

1. the time of ``read_boundaries()`` on the shipped file (cold, in a fresh interpreter, and warm),
   next to the time of ``import geopandas, folium`` (a build may take at most 1.6 times that);
2. for a large file made here by densifying the shipped geometry (25 units, upper-case names under
   ``NOMBDEP``, like INEI's; 10 MB and more), the time of ``read_boundaries()`` and what it gives
   (vertices, GeoJSON size, whether the coverage is valid), beside a naive baseline that simplifies
   polygon by polygon with ``GeoSeries.simplify`` to a similar vertex count, and the gaps and
   overlaps that opens between neighbours;
3. the same large file with neighbours' shared edges a few metres apart (as when units are digitised
   separately), which needs ``coverage_clean`` before simplifying.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

ROOT = Path(__file__).resolve().parents[1]
GEO = ROOT / "geo" / "peru_departamentos.geojson"
sys.path.insert(0, str(ROOT / "src"))

from mimpmap.geography import read_boundaries  # noqa: E402

#: Areas are measured in UTM 18S (metres).
UTM = "EPSG:32718"


def upper_plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).upper()


def vertices(geoms) -> int:
    return int(shapely.get_num_coordinates(np.asarray(geoms, dtype=object)).sum())


def inei_style(target_vertices: int) -> gpd.GeoDataFrame:
    """The shipped units, Lima whole, densified to about ``target_vertices``.

    Each edge is cut into short pieces (``shapely.segmentize``), then every vertex is moved by a smooth
    function of its coordinate (three wavelengths, up to ~2 km), so the borders get detail to simplify
    away, while a vertex two neighbours share moves the same way on both sides.
    """
    shipped = gpd.read_file(GEO)
    whole = shipped.dissolve(by="departamento", sort=False, as_index=False)
    geoms = whole.geometry.values
    dense = shapely.segmentize(geoms, shapely.length(geoms).sum() / target_vertices)

    def wiggle(xy: np.ndarray) -> np.ndarray:
        x, y = xy[:, 0], xy[:, 1]
        dx = 0.02 * np.sin(10 * x) * np.cos(10 * y) + 0.002 * np.sin(100 * (x + y)) + 3e-4 * np.sin(500 * y)
        dy = 0.02 * np.cos(10 * x) * np.sin(10 * y) + 0.002 * np.cos(100 * (x - y)) + 3e-4 * np.sin(500 * x)
        return np.column_stack([x + dx, y + dy])

    return gpd.GeoDataFrame(
        {"NOMBDEP": [upper_plain(d) for d in whole["departamento"]],
         "CCDD": [u[:2] for u in whole["ubigeo"]]},
        geometry=shapely.transform(dense, wiggle), crs="EPSG:4326",
    )


def seams(geoms) -> dict[str, float]:
    """What is wrong between neighbours: invalid coverage edges, overlap and gap areas (km²)."""
    geoms = np.asarray(geoms, dtype=object)
    edges = shapely.coverage_invalid_edges(geoms)
    projected = gpd.GeoSeries(geoms, crs="EPSG:4326").to_crs(UTM).values
    union = shapely.union_all(projected)
    overlap = float(shapely.area(projected).sum() - union.area)
    holes = [shapely.Polygon(r) for p in shapely.get_parts(union) for r in p.interiors]
    return {
        "invalid_edges": int(shapely.get_num_geometries(edges[~shapely.is_empty(edges)]).sum()),
        "overlap_km2": max(overlap, 0.0) / 1e6,
        "gaps": len(holes),
        "gap_km2": sum(h.area for h in holes) / 1e6,
    }


def naive(path: Path, target: int) -> tuple[np.ndarray, float, float]:
    """Polygon by polygon: read, simplify each unit alone to about ``target`` vertices."""
    start = time.perf_counter()
    gdf = gpd.read_file(path)
    tolerance = 0.001
    while True:
        out = gdf.geometry.simplify(tolerance, preserve_topology=True)
        if vertices(out.values) <= target:
            break
        tolerance *= 1.5
    return out.values, time.perf_counter() - start, tolerance


def timed_read(path: Path):
    start = time.perf_counter()
    b = read_boundaries(path)
    return b, time.perf_counter() - start


_COLD = """
import time
t0 = time.perf_counter()
import geopandas, folium
t1 = time.perf_counter()
from mimpmap.geography import read_boundaries
t2 = time.perf_counter()
read_boundaries()
t3 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2)
"""


def cold_figures(repeat: int = 5) -> np.ndarray:
    """Median seconds, each in a new interpreter: import geopandas+folium, import mimpmap, first read."""
    runs = [
        [float(x) for x in subprocess.run([sys.executable, "-c", _COLD], check=True, cwd=ROOT,
                                          capture_output=True, text=True).stdout.split()]
        for _ in range(repeat)
    ]
    return np.median(np.array(runs), axis=0)


def shipped_figures() -> None:
    print("== Shipped file", GEO.relative_to(ROOT), f"({GEO.stat().st_size / 1e3:.0f} KB)")
    imports, mimpmap_import, read = cold_figures()
    print(f"  import geopandas, folium (fresh interpreter)   {imports:6.3f} s")
    print(f"  import mimpmap.geography (its package too)     {mimpmap_import:6.3f} s")
    print(f"  first read_boundaries() (imports pyogrio)      {read:6.3f} s  "
          f"= {read / imports:.0%} of the imports")
    read_boundaries(GEO)
    warm = min(timed_read(GEO)[1] for _ in range(10))
    b = read_boundaries(GEO)
    print(f"  read_boundaries() warm, best of 10             {warm:6.3f} s  "
          f"({len(b.frame)} units, {vertices(b.frame.geometry)} vertices, untouched)")


def report(label: str, geoms, seconds: float, extra: str = "") -> None:
    frame = gpd.GeoDataFrame(geometry=np.asarray(geoms, dtype=object), crs="EPSG:4326")
    size = len(frame.to_json()) / 1e3
    s = seams(geoms)
    print(f"  {label:<34} {seconds:6.2f} s  {vertices(geoms):>7} vertices  {size:7.0f} KB JSON  "
          f"invalid edges {s['invalid_edges']:>4}  overlaps {s['overlap_km2']:8.2f} km²  "
          f"gaps {s['gaps']:>3} ({s['gap_km2']:.2f} km²){extra}")


def large_figures(target: int, directory: Path) -> None:
    gdf = inei_style(target)
    path = directory / "departamentos_denso.geojson"
    gdf.to_file(path)
    n_in = vertices(gdf.geometry)
    print(f"\n== Large file: {path.stat().st_size / 1e6:.1f} MB, {len(gdf)} units, {n_in} vertices")
    report("input (as written)", gdf.geometry.values, 0.0)
    b, seconds = timed_read(path)
    report("read_boundaries (coverage)", b.frame.geometry.values, seconds,
           f"  coverage valid: {shapely.coverage_is_valid(b.frame.geometry.values)}")
    for note in b.notes:
        print(f"      nota: {note}")
    geoms, naive_seconds, tol = naive(path, vertices(b.frame.geometry))
    report(f"naive simplify (tol {tol:.3g}°)", geoms, naive_seconds,
           f"  coverage valid: {shapely.coverage_is_valid(geoms)}")

    shifted = gdf.copy()
    moved = shifted.geometry.values.copy()
    moved[::2] = shapely.transform(moved[::2], lambda xy: xy + 3e-5)  # ~3 m: edges no longer match
    shifted = shifted.set_geometry(moved)
    path = directory / "departamentos_desajustado.geojson"
    shifted.to_file(path)
    print(f"\n== Large file, shared edges ~3 m apart: {path.stat().st_size / 1e6:.1f} MB")
    report("input (as written)", moved, 0.0)
    b, seconds = timed_read(path)
    report("read_boundaries (clean+coverage)", b.frame.geometry.values, seconds,
           f"  coverage valid: {shapely.coverage_is_valid(b.frame.geometry.values)}")
    geoms, naive_seconds, tol = naive(path, vertices(b.frame.geometry))
    report(f"naive simplify (tol {tol:.3g}°)", geoms, naive_seconds,
           f"  coverage valid: {shapely.coverage_is_valid(geoms)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vertices", type=int, default=300_000, help="vertices of the large file")
    parser.add_argument("--keep", type=Path, default=None, help="write the large files here and keep them")
    args = parser.parse_args()
    shipped_figures()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        large_figures(args.vertices, args.keep)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            large_figures(args.vertices, Path(tmp))


if __name__ == "__main__":
    main()
