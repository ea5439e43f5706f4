"""Sizes and times of a full build, beside the naive way, measured in the same run.

    pip install -e ".[bench]"; python benchmarks/bench_build.py [--repeat 7]

Figures printed:
- the time of `python -c "import geopandas, folium"` (the yardstick: a rebuild must take ≤ 1.6x it);
- the time of `mimpmap build` (all HTML pages, fresh process, as a user runs it);
- the naive way: one `GeoDataFrame.explore()` per service plus one for the choropleth, each saved with
  `Map.save` (fresh process too);
- page sizes against the budgets (service map ≤ 450 KB, cobertura.html ≤ 900 KB, self-contained);
- growth of cobertura.html with ten times the services (must stay < 2x).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "coverage.yaml"
GEO = ROOT / "geo" / "peru_departamentos.geojson"

NAIVE = textwrap.dedent(
    """
    import sys, geopandas as gpd, yaml
    from pathlib import Path
    out = Path(sys.argv[1]); (out / "servicios").mkdir(parents=True, exist_ok=True)
    from mimpmap.model import read_coverage
    data = read_coverage(sys.argv[2])
    units = gpd.read_file(sys.argv[3])
    counts = {c: 0 for c in units["iso_3166_2"]}
    for s in data.services:
        for c in data.codes[s.id]:
            counts[c] += 1
        gdf = units.assign(cubierto=units["iso_3166_2"].isin(data.codes[s.id]))
        gdf.explore(column="cubierto", tooltip=["nombre", "cubierto"]).save(out / "servicios" / f"{s.id}.html")
    units.assign(servicios=units["iso_3166_2"].map(counts)).explore(
        column="servicios", tooltip=["nombre", "servicios"]).save(out / "cobertura.html")
    """
)


def run_time(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - start


def timed(cmds: list[list[str]], repeat: int) -> list[list[float]]:
    """Wall times of each command in each round, in seconds, after one warm-up run of each.

    The commands take turns within a round, so a slow spell of a shared machine hits all of them alike
    and the ratio of two commands in the same round stays fair.
    """
    for cmd in cmds:
        subprocess.run(cmd, check=True, capture_output=True)
    return [[run_time(cmd) for cmd in cmds] for _ in range(repeat)]


def sizes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in folder.rglob("*.html")}


def scaled_yaml(factor: int) -> str:
    """The shipped data with every service repeated ``factor`` times under new ids."""
    import yaml

    doc = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    services = []
    for i in range(factor):
        for s in doc["services"]:
            services.append({**s, "id": f"{s['id']}-{i}" if i else s["id"]})
    doc["services"] = services
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="rounds (each runs every command once)")
    args = parser.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        yardstick = [py, "-c", "import geopandas, folium"]
        ours = [py, "-m", "mimpmap", "-q", "build", "--data", str(DATA), "--geo", str(GEO), "--out", str(tmp / "ours")]
        naive_script = tmp / "naive.py"
        naive_script.write_text(NAIVE, encoding="utf-8")
        naive = [py, str(naive_script), str(tmp / "naive"), str(DATA), str(GEO)]
        rounds = timed([yardstick, ours, naive], args.repeat)
        t_import, t_ours, t_naive = (statistics.median(r[i] for r in rounds) for i in range(3))
        # Budget verdict on the median of the per-round ratios (each measured side by side).
        r_ours = statistics.median(r[1] / r[0] for r in rounds)
        r_naive = statistics.median(r[2] / r[0] for r in rounds)
        spread = (min(r[1] / r[0] for r in rounds), max(r[1] / r[0] for r in rounds))

        s_ours, s_naive = sizes(tmp / "ours"), sizes(tmp / "naive")
        svc_ours = [v for k, v in s_ours.items() if k.startswith("servicios")]
        svc_naive = [v for k, v in s_naive.items() if k.startswith("servicios")]

        big = tmp / "x10.yaml"
        big.write_text(scaled_yaml(10), encoding="utf-8")
        subprocess.run([py, "-m", "mimpmap", "-q", "build", "--data", str(big), "--geo", str(GEO), "--out",
                        str(tmp / "x10")], check=True, capture_output=True)
        c1 = (tmp / "ours" / "cobertura.html").stat().st_size
        c10 = (tmp / "x10" / "cobertura.html").stat().st_size

    kb = lambda n: f"{n / 1024:7.0f} KB"  # noqa: E731
    verdict = lambda ok: "ok" if ok else "OVER BUDGET"  # noqa: E731
    print(f"{'':44}{'mimpmap':>12}{'naive explore()':>18}")
    print(f"{'full rebuild (21 pages, s)':44}{t_ours:12.2f}{t_naive:18.2f}")
    print(f"{'  / import geopandas, folium (' + f'{t_import:.2f} s)':44}{r_ours:11.2f}x{r_naive:17.2f}x"
          f"   budget ≤ 1.60x: {verdict(r_ours <= 1.6)}")
    print(f"{'    (median of ' + str(len(rounds)) + ' rounds; mimpmap ranged':44}"
          f"{spread[0]:.2f}x–{spread[1]:.2f}x)")
    print(f"{'largest service map':44}{kb(max(svc_ours)):>12}{kb(max(svc_naive)):>18}   budget ≤ 450 KB: {verdict(max(svc_ours) <= 450 * 1024)}")
    print(f"{'all service maps':44}{kb(sum(svc_ours)):>12}{kb(sum(svc_naive)):>18}")
    print(f"{'cobertura.html':44}{kb(c1):>12}{kb(s_naive['cobertura.html']):>18}   budget ≤ 900 KB: {verdict(c1 <= 900 * 1024)}")
    print(f"{'cobertura.html with 10x the services':44}{kb(c10):>12}{'':>18}   growth {c10 / c1:.2f}x, budget < 2x: {verdict(c10 / c1 < 2)}")
    print("naive pages load Leaflet, jQuery and Bootstrap from CDNs (they need internet); mimpmap's inline them.")


if __name__ == "__main__":
    main()
