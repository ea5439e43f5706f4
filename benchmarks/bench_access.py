"""The straight-line access computation (issue 24): vectorised beside a naive per-pair loop.

    python benchmarks/bench_access.py [--repeat 5]

Printed, on the shipped files (1,892 district points, the directory's centres, the 2025 census):

- ``nearest_km``: the districts × centres haversine matrix in numpy and its row minimum, for the CEM
  and for every centre (what :func:`mimpmap.access.access` computes);
- ``access``: the whole computation, with the sums per province and department map unit;
- the naive baseline: the same nearest distances with a Python loop over every (district, centre) pair
  and ``math`` haversine, as one would first write it.

The median of N runs (the naive loop once: it takes seconds). Budget: ``access`` well under 1 s.
Nothing here is a test: the figures are printed.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from mimpmap.access import EARTH_RADIUS_KM, GROUPS, access, nearest_km, read_district_points  # noqa: E402
from mimpmap.census import read_census  # noqa: E402
from mimpmap.centres import read_centres  # noqa: E402
from mimpmap.geography import read_boundaries  # noqa: E402


def naive_nearest(points, sites) -> list[float]:
    out = []
    for lat, lon in points:
        best = math.inf
        for clat, clon in sites:
            p1, p2 = math.radians(lat), math.radians(clat)
            a = (math.sin((p2 - p1) / 2) ** 2
                 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(clon - lon) / 2) ** 2)
            best = min(best, 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a)))
        out.append(best)
    return out


def timed(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    points = read_district_points(ROOT / "geo" / "peru_distritos_puntos.csv")
    census = read_census(ROOT / "data" / "censo_2025.csv")
    centres = read_centres(ROOT / "data" / "centros.csv", read_boundaries())
    lats, lons = [p.lat for p in points], [p.lon for p in points]
    groups = {g: [(c.lat, c.lon) for c in centres.placed if c.tipo in kinds] for g, kinds in GROUPS.items()}
    print(f"{len(points)} distritos × {', '.join(f'{len(s)} centros ({g})' for g, s in groups.items())}")

    def vectorised():
        return [nearest_km(lats, lons, [a for a, _ in s], [b for _, b in s]) for s in groups.values()]

    fast = timed(vectorised, repeat)
    whole = timed(lambda: access(points, centres, census), repeat)
    start = time.perf_counter()
    naive = [naive_nearest(list(zip(lats, lons)), s) for s in groups.values()]
    slow = time.perf_counter() - start
    worst = max(abs(a - b) for v, n in zip(vectorised(), naive) for a, b in zip(v, n))
    print(f"nearest_km (numpy, matriz):        {fast * 1000:8.1f} ms  (mediana de {repeat})")
    print(f"access (todo, con las sumas):      {whole * 1000:8.1f} ms  (mediana de {repeat})")
    print(f"bucle ingenuo por pares (math):    {slow * 1000:8.1f} ms  (una vez)  → {slow / fast:.0f}× más lento")
    print(f"mayor diferencia entre ambos: {worst:.2e} km")


if __name__ == "__main__":
    main()
